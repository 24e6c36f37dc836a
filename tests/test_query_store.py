"""`kg query` over a Turtle build runs on Oxigraph (the store `kg build` keeps beside the
file, or the file loaded into memory) and gives the rows rdflib gives; --limit/--offset page."""
from __future__ import annotations

import json
import os
import shutil

import pytest
from test_store import CONTRACT, _params, _rows

from kg import graphs, query, query_store
from kg.cli import main
from kg.store import read_manifest, write_manifest


@pytest.fixture(scope="module")
def copied(tmp_path_factory, seeds_graph):
    """A private copy of the session's seeds build (Turtle files and the store beside them),
    for tests that change it."""
    _, _, out = seeds_graph
    root = tmp_path_factory.mktemp("qs")
    for name in ("kg.ttl", "kg.inferred.ttl"):
        shutil.copy2(out.parent / name, root / name)  # copy2 keeps the times the store recorded
    shutil.copytree(query_store.beside(out), query_store.beside(root / "kg.ttl"),
                    ignore=shutil.ignore_patterns("*.lock"))
    return root / "kg.ttl"


def test_build_keeps_a_fresh_store_beside_the_turtle(seeds_graph):
    _, _, out = seeds_graph
    assert query_store.beside(out) == out.parent / "kg.store"
    assert query_store.is_fresh(out)
    manifest = read_manifest(query_store.beside(out))
    assert set(manifest["turtle"]) == {"asserted", "inferred", "ontology"}
    store = query_store.open_for(out)
    try:
        assert not isinstance(store, query_store.TurtleStore)
        assert len(store) > 0
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(query.library()))
def test_every_named_query_gives_rdflibs_rows(seeds_graph, name):
    _, _, out = seeds_graph
    kg = graphs.load(out)
    q = query.library()[name]
    expected = query.run(kg, q, _params(q))
    on_disk = query_store.open_for(out)
    in_memory = query_store.TurtleStore(out)
    try:
        for store in (on_disk, in_memory):
            got = store.run(q, _params(q))
            assert got.variables == expected.variables
            if name in CONTRACT:
                assert _rows(got) == _rows(expected)
            else:  # Oxigraph reads xsd:integer subtypes as xsd:integer (the same numbers)
                assert _rows(got, True) == _rows(expected, True)
    finally:
        on_disk.close()


def test_person_by_name_through_the_cli(seeds_graph, capsys):
    _, _, out = seeds_graph
    assert main(["query", "person", "--graph", str(out), "--param", "name=Fang Hanting",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert rows and {r["person"]["value"] for r in rows} == {"Fang Hanting"}
    assert any("Pujiang" in r["org_or_event"]["value"] for r in rows)


def test_a_changed_turtle_is_read_not_the_stale_store(copied):
    assert query_store.is_fresh(copied)
    with open(copied, "a", encoding="utf-8") as handle:
        handle.write('\n<https://kg.example.org/resource/person/zz-new> a kgo:Person ;\n'
                     '    <http://www.w3.org/2000/01/rdf-schema#label> "Zz Newcomer" .\n')
    assert not query_store.is_fresh(copied)
    store = query_store.open_for(copied)
    assert isinstance(store, query_store.TurtleStore)
    names = {str(r["name"]) for r in store.run(query.library()["people"]).rows}
    assert "Zz Newcomer" in names


def test_a_half_written_store_is_not_read(copied):
    folder = query_store.beside(copied)
    manifest = read_manifest(folder)
    manifest["turtle"] = query_store.stamp(copied)  # it would match the files...
    write_manifest(folder, {**manifest, "syncing": True})  # ...but a build was interrupted
    store = query_store.open_for(copied)
    assert isinstance(store, query_store.TurtleStore)
    assert store.run(query.library()["people"]).rows


def test_an_unchanged_rebuild_rewrites_a_missing_store(tmp_path, seeds_dir):
    from kg.build import build

    out = tmp_path / "kg.ttl"
    build([seeds_dir], out, page=False)
    shutil.rmtree(query_store.beside(out))
    _, report = build([seeds_dir], out, page=False)
    assert report.up_to_date and query_store.is_fresh(out)


def test_a_store_that_cannot_be_written_is_a_warning(tmp_path, seeds_dir):
    from kg.build import build

    out = tmp_path / "kg.ttl"
    (tmp_path / "kg.store").write_text("a file where the store folder goes")
    said: list[str] = []
    build([seeds_dir], out, page=False, progress=said.append)
    assert out.exists() and any("query store" in s and "not written" in s for s in said)
    assert main(["query", "people", "--graph", str(out)]) == 0  # from the Turtle


def _csv_rows(capsys, *argv) -> list[str]:
    assert main(["query", *argv, "--format", "csv"]) == 0
    return capsys.readouterr().out.splitlines()[1:]


@pytest.mark.parametrize("engine", ["graph", "store"])
def test_limit_and_offset_page_the_rows(seeds_graph, seeds_store, capsys, engine):
    _, _, out = seeds_graph
    where = ["--graph", str(out)] if engine == "graph" else ["--store", str(seeds_store)]
    whole = _csv_rows(capsys, "affiliations", *where)
    assert len(whole) > 6
    assert _csv_rows(capsys, "affiliations", *where, "--limit", "3") == whole[:3]
    assert _csv_rows(capsys, "affiliations", *where, "--limit", "3", "--offset", "2") == whole[2:5]
    assert _csv_rows(capsys, "affiliations", *where, "--offset", str(len(whole) - 1)) == whole[-1:]
    assert _csv_rows(capsys, "affiliations", *where, "--limit", "0") == []
    assert _csv_rows(capsys, "affiliations", *where, "--offset", "100000") == []


def test_rdflib_run_pages_the_same_way(seeds_graph):
    kg, _, _ = seeds_graph
    q = query.library()["affiliations"]
    whole = query.run(kg, q).rows
    assert query.run(kg, q, page=(2, 3)).rows == whole[2:5]


@pytest.mark.parametrize("value", ["-1", "x", "1e3", "3.5", "10000000000001", "1; DROP"])
def test_a_page_bound_that_is_no_count_is_refused(seeds_graph, capsys, value):
    _, _, out = seeds_graph
    for flag in ("--limit", "--offset"):
        with pytest.raises(SystemExit) as exc:
            main(["query", "people", "--graph", str(out), flag, value])
        assert exc.value.code == 2
        assert "whole number of rows" in capsys.readouterr().err


def test_missing_graph_is_a_clear_error(tmp_path, capsys):
    assert main(["query", "people", "--graph", str(tmp_path / "none.ttl")]) == 2
    err = capsys.readouterr().err
    assert "none.ttl" in err and "Traceback" not in err


def test_stamp_changes_with_the_file(copied):
    before = query_store.stamp(copied)
    st = os.stat(copied)
    os.utime(copied, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert query_store.stamp(copied) != before
