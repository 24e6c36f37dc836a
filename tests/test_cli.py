"""The CLI, in-process: build, query, queries, export; errors are messages, not tracebacks."""
from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import main


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "query", "queries", "export"):
        assert command in out


@pytest.mark.slow
def test_build_prints_a_summary(tmp_path, seeds_dir, capsys):
    out = tmp_path / "kg.ttl"
    assert main(["build", str(seeds_dir), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "read 2 articles, skipped 0" in text
    assert "people" in text and "triples" in text and "asserted" in text and "inferred" in text
    assert out.exists()


def test_missing_input_is_an_error_that_keeps_output(tmp_path, capsys):
    out = tmp_path / "kg.ttl"
    out.write_text("old content")
    assert main(["build", str(tmp_path / "missing"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "Traceback" not in err
    assert out.read_text() == "old content"


def test_query_json_is_sparql_results_json(seeds_graph, capsys):
    _, _, path = seeds_graph
    assert main(["query", "people", "--graph", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["name"]
    assert {"type": "literal", "value": "Fang Hanting"} in [b["name"] for b in data["results"]["bindings"]]


def test_query_needs_its_parameter(seeds_graph, capsys):
    _, _, path = seeds_graph
    assert main(["query", "person", "--graph", str(path)]) == 2
    assert "--param name=" in capsys.readouterr().err


def test_query_on_a_broken_graph_names_the_file(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<")
    assert main(["query", "people", "--graph", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err


def test_queries_lists_the_library(capsys):
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert "cross_event_people" in out and "--param name=" in out
    marked = {line.split()[0] for line in out.splitlines() if line.endswith("(precomputed with the store)")}
    assert marked == {"people", "organizations", "affiliations", "events", "participation", "metrics",
                      "cross_event_people", "aliases"}


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_round_trips(seeds_graph, tmp_path, fmt, parse_as):
    kg, _, path = seeds_graph
    target = tmp_path / f"out.{fmt}"
    assert main(["export", "--graph", str(path), "--format", fmt, "--out", str(target)]) == 0
    g = Graph().parse(target, format=parse_as)
    union = Graph()
    for t in kg.asserted:
        union.add(t)
    for t in kg.inferred:
        union.add(t)
    assert isomorphic(g, union)


def test_export_trig_keeps_graphs_apart(seeds_graph, tmp_path):
    kg, _, path = seeds_graph
    target = tmp_path / "out.trig"
    assert main(["export", "--graph", str(path), "--format", "trig", "--out", str(target)]) == 0
    ds = Dataset()
    ds.parse(target, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert any(n.endswith("graph/asserted") for n in names)
    assert any(n.endswith("graph/inferred") for n in names)
    asserted = next(g for g in ds.graphs() if str(g.identifier).endswith("graph/asserted"))
    assert isomorphic(Graph() + asserted, kg.asserted)
