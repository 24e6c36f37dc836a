"""Precomputed answers (kg.answers): a store's writer computes the rows of the queries marked
``# precompute: yes``; a query reads them back while the store and the query text are the
ones they were computed from, with the same rows, terms and order as the live query, and
runs live otherwise."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph

from kg import answers, query, query_store
from kg.store import collect, open_store

CONTRACT = ("people", "organizations", "affiliations", "events", "participation", "metrics",
            "cross_event_people")


def _live(store, q: query.NamedQuery) -> query.QueryResult:
    """The query's rows as Oxigraph answers it now, never from a table."""
    return collect(store.execute(q.text))


def _n3(result: query.QueryResult) -> list[list[tuple[str, str]]]:
    """Rows in their order, each as (variable, N3 term) pairs."""
    return [sorted((k, v.n3()) for k, v in row.items()) for row in result.rows]


@pytest.fixture(scope="module")
def beside(tmp_path_factory, seeds_graph):
    """A Turtle build of the seeds with the store `kg build` keeps beside it."""
    _, _, out = seeds_graph
    root = tmp_path_factory.mktemp("answers")
    for path in (out, out.with_name("kg.inferred.ttl")):
        shutil.copy(path, root / path.name)
    query_store.write(root / "kg.ttl")
    return root / "kg.ttl"


def test_the_contract_queries_and_aliases_are_precomputed():
    names = {q.name for q in answers.precomputed()}
    assert set(CONTRACT) | {"aliases"} == names
    assert all(not q.params for q in answers.precomputed())  # a table holds the one answer


def test_the_store_beside_a_build_holds_current_tables(beside):
    store = query_store.open_for(beside)
    try:
        index = answers.read_index(store.folder)
        assert index["generation"] == answers.generation(store.manifest)
        assert set(index["queries"]) == {q.name for q in answers.precomputed()}
        assert all(e["rows"] > 0 for e in index["queries"].values())
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(CONTRACT) + ["aliases"])
def test_table_rows_are_the_live_rows_in_order(beside, name):
    store = query_store.open_for(beside)
    try:
        q = query.library()[name]
        assert answers.lookup(store, q, {}) is not None
        got, live = store.run(q), _live(store, q)
        assert got.variables == live.variables
        assert _n3(got) == _n3(live)
    finally:
        store.close()


def test_a_page_is_the_same_slice_as_live(beside):
    store = query_store.open_for(beside)
    try:
        q = query.library()["participation"]
        whole = _n3(_live(store, q))
        assert len(whole) > 20
        assert _n3(store.run(q, page=(5, 10))) == whole[5:15]
        assert _n3(store.run(q, page=(len(whole) - 3, 10))) == whole[-3:]
        assert _n3(store.run(q, page=(len(whole) + 5, 10))) == []
    finally:
        store.close()


def _tampered(root: Path, name: str) -> Path:
    """A copy of the build whose table of ``name`` says something else in its first row
    (same size, so only its content tells)."""
    copy = root.parent / f"{root.parent.name}-{name}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root.parent, copy)
    table = query_store.beside(copy / root.name) / "answers" / f"{name}.tsv"
    lines = table.read_bytes().split(b"\n")
    first = lines[1]
    quote = first.index(b'"') + 1
    lines[1] = first[:quote] + (b"Z" if first[quote:quote + 1] != b"Z" else b"Y") + first[quote + 1:]
    table.write_bytes(b"\n".join(lines))
    # copying changed the files' times: the store beside is stale unless its stamp is renewed
    folder = query_store.beside(copy / root.name)
    manifest = json.loads((folder / "manifest.json").read_text())
    old = answers.generation(manifest)
    manifest["turtle"] = query_store.stamp(copy / root.name)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    index = json.loads((folder / "answers" / "index.json").read_text())
    assert index["generation"] == old
    index["generation"] = answers.generation(manifest)
    (folder / "answers" / "index.json").write_text(json.dumps(index))
    return copy / root.name


def test_a_current_table_is_what_answers(beside):
    """The rows come from the table (a changed table changes the answer), not from a live run."""
    graph = _tampered(beside, "people")
    store = query_store.open_for(graph)
    try:
        q = query.library()["people"]
        assert _n3(store.run(q)) != _n3(_live(store, q))
        assert len(store.run(q).rows) == len(_live(store, q).rows)
    finally:
        store.close()


def test_another_text_parameters_or_generation_run_live(beside):
    graph = _tampered(beside, "people")
    store = query_store.open_for(graph)
    try:
        q = query.library()["people"]
        live = _n3(_live(store, q))
        other = replace(q, text=q.text.replace("SELECT DISTINCT", "SELECT  DISTINCT"))
        assert answers.lookup(store, other, {}) is None
        assert _n3(store.run(other)) == live
        assert answers.lookup(store, q, {"x": "y"}) is None
        store.manifest = {**store.manifest, "turtle": {"asserted": [0, 0]}}  # as if rebuilt
        assert answers.lookup(store, q, {}) is None
        assert _n3(store.run(q)) == live
    finally:
        store.close()


def test_a_table_cut_short_is_never_read(beside):
    graph = _tampered(beside, "events")
    table = query_store.beside(graph) / "answers" / "events.tsv"
    data = table.read_bytes()
    table.write_bytes(data[: len(data) // 2])
    store = query_store.open_for(graph)
    try:
        q = query.library()["events"]
        assert answers.lookup(store, q, {}) is None
        assert _n3(store.run(q)) == _n3(_live(store, q))
    finally:
        store.close()


def test_a_store_build_keeps_current_tables_and_recomputes_changed_ones(tmp_path, seeds_graph):
    from kg.build import BuildReport, write_store

    kg, _, out = seeds_graph
    folder = tmp_path / "st"
    report = BuildReport(out=out)
    said: list[str] = []
    write_store(kg, folder, "test", report, progress=said.append)
    assert "8 queries precomputed" in report.store_changes
    assert sum(line.startswith("precomputing answers: ") for line in said) == 8
    first = answers.read_index(folder)
    write_store(kg, folder, "test", report)  # nothing changed
    assert "8 precomputed queries still current" in report.store_changes
    assert answers.read_index(folder) == first
    changed = replace(kg, asserted=Graph() + kg.asserted)  # the session's graph stays as it is
    for prefix, namespace in kg.asserted.namespaces():
        changed.asserted.bind(prefix, namespace, replace=True)
    changed.asserted.remove((next(iter(kg.asserted.subjects())), None, None))  # an article's graph changes
    write_store(changed, folder, "test", report)
    assert "8 queries precomputed" in report.store_changes
    again = answers.read_index(folder)
    assert again["generation"] != first["generation"]
    with open_store(folder) as store:
        for q in answers.precomputed():
            assert _n3(store.run(q)) == _n3(_live(store, q))


def test_a_table_that_does_not_parse_runs_live(beside):
    graph = _tampered(beside, "metrics")
    table = query_store.beside(graph) / "answers" / "metrics.tsv"
    data = bytearray(table.read_bytes())
    middle = data.index(b"\n", len(data) // 2) + 1
    data[middle:middle + 3] = b"<<<"  # not a term: same size, broken from there on
    table.write_bytes(bytes(data))
    store = query_store.open_for(graph)
    try:
        q = query.library()["metrics"]
        assert answers.lookup(store, q, {}) is not None
        assert answers.read(answers.lookup(store, q, {})) is None
        assert _n3(store.run(q)) == _n3(_live(store, q))
    finally:
        store.close()


def test_kg_serve_answers_from_the_table(beside):
    from kg.serve_work import StoreEngine

    graph = _tampered(beside, "people")
    engine = StoreEngine(query_store.beside(graph))
    q = query.library()["people"]
    with open_store(query_store.beside(graph)) as store:
        table = answers.read(answers.lookup(store, q, {}))
        live = _live(store, q)
    served = engine.run_named(q, {}, max_rows=10_000).result
    assert _n3(served) == _n3(table) != _n3(live)
    other = engine.run_named(query.library()["person"], {"name": "Fang Hanting"}, max_rows=10_000).result
    assert other.rows  # with a parameter: live


def _copy_without_tables(beside: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the store beside the build without its tables: (folder, tables folder, the
    tables' bytes as the writer's own process computed them)."""
    folder = tmp_path / "copy"
    shutil.copytree(query_store.beside(beside), folder)
    tables = answers.folder(folder)
    here = {p.name: p.read_bytes() for p in tables.glob("*.tsv")}
    shutil.rmtree(tables)
    return folder, tables, here


def test_tables_computed_in_worker_processes_are_the_ones_computed_here(beside, tmp_path, monkeypatch):
    """A big store's tables are computed side by side in processes that open it read-only
    beside its writer; the bytes are those the writer's own process computes."""
    from kg.store import Store

    folder, tables, here = _copy_without_tables(beside, tmp_path)
    monkeypatch.setattr(answers, "APART_MIN_BYTES", 0)
    said: list[str] = []
    with Store(folder) as store:
        done = answers.write_all(store, store.manifest, said.append, workers=2)
    assert sorted(name for name, _, _ in done.computed) == sorted(q.name for q in answers.precomputed())
    assert {p.name: p.read_bytes() for p in tables.glob("*.tsv")} == here
    assert len(said) == len(here) and all("2 processes" in line for line in said)


def test_small_stores_compute_their_tables_in_the_writers_process(beside, tmp_path, monkeypatch):
    from concurrent import futures

    from kg.store import Store

    folder, _, _ = _copy_without_tables(beside, tmp_path)

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for a small store")

    monkeypatch.setattr(futures, "ProcessPoolExecutor", no_pool)
    with Store(folder) as store:
        done = answers.write_all(store, store.manifest, workers=2)
    assert len(done.computed) == len(answers.precomputed())


def test_tables_are_computed_here_when_the_worker_processes_fail(beside, tmp_path, monkeypatch):
    """A worker process that dies (or cannot start) never fails the build: what it left is
    computed in the writer's own process, with the same bytes, and the build says so."""
    from kg.store import Store

    folder, tables, here = _copy_without_tables(beside, tmp_path)
    monkeypatch.setattr(answers, "APART_MIN_BYTES", 0)
    monkeypatch.setattr(answers, "_table_apart", _dying_worker)
    said: list[str] = []
    with Store(folder) as store:
        done = answers.write_all(store, store.manifest, said.append, workers=2)
    assert len(done.computed) == len(here)
    assert {p.name: p.read_bytes() for p in tables.glob("*.tsv")} == here
    assert any("worker processes failed" in line for line in said)


def _dying_worker(*args):
    import os

    os._exit(3)  # a worker killed mid-query (out of memory, a signal)


def test_tables_are_computed_longest_first_by_the_time_they_took_last(beside, tmp_path, monkeypatch):
    """The index records each table's seconds; the next computing starts with the slowest, so
    that the processes finish together (a table recorded with no time, or a bad one, goes last)."""
    from kg.store import Store

    folder, tables, here = _copy_without_tables(beside, tmp_path)
    with Store(folder) as store:
        answers.write_all(store, store.manifest)
    index = json.loads((tables / answers.INDEX).read_text(encoding="utf-8"))
    assert all(isinstance(entry["seconds"], float) for entry in index["queries"].values())
    names = sorted(index["queries"])
    slow = {names[-1]: 9.0, names[0]: 5.0, names[1]: "bad"}
    for name, entry in index["queries"].items():
        entry["seconds"] = slow.get(name, 1.0)
    index["generation"] = "another"  # so that every table is computed again
    (tables / answers.INDEX).write_text(json.dumps(index), encoding="utf-8")
    order: list[str] = []
    real = answers._computed

    def seen(store, work, *args):
        order.extend(q.name for _, q in work)
        return real(store, work, *args)

    monkeypatch.setattr(answers, "_computed", seen)
    with Store(folder) as store:
        answers.write_all(store, store.manifest)
    assert order[:2] == [names[-1], names[0]] and order[-1] == names[1]
    assert {p.name: p.read_bytes() for p in tables.glob("*.tsv")} == here
