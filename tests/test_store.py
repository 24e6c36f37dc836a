"""The on-disk Oxigraph store gives the same rows as the in-memory rdflib graph."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg import graphs, query
from kg.errors import QueryError, StoreError
from kg.partition import GraphNames
from kg.store import open_store, with_values
from kg.vocab import ONTOLOGY_IRI

DATA = Path(__file__).parent / "data"
CONTRACT = ("people", "organizations", "affiliations", "events", "participation", "metrics",
            "cross_event_people")


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_graph):
    """The session's seeds graph, saved as Turtle and synced into a store (the way
    ``kg build --store`` writes it)."""
    from kg.build import BuildReport, write_store

    kg, report, out = seeds_graph
    root = out.parent
    if not (root / "st").exists():
        write_store(kg, root / "st", "test", BuildReport(out=out))
    return root, kg, report


_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_INTEGER_SUBTYPES = tuple(f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int",
    "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))


def _rows(result: query.QueryResult, integer_subtypes: bool = False) -> list[tuple]:
    """Rows as sorted N3 tuples. With ``integer_subtypes``, xsd:integer subtypes read as
    xsd:integer: Oxigraph stores them as integers (the same numbers)."""
    def n3(term) -> str:
        text = term.n3()
        if integer_subtypes:
            for sub in _INTEGER_SUBTYPES:
                text = text.replace(f"^^<{sub}>", f"^^<{_INTEGER}>")
        return text
    return sorted(tuple(sorted((k, n3(v)) for k, v in row.items())) for row in result.rows)


def _params(q: query.NamedQuery) -> dict[str, str]:
    values = {"literal": "Fang Hanting", "iri": "https://kg.example.org/resource/none",
              "integer": "2023", "date": "2023-01-01"}
    return {p.name: values[p.kind] for p in q.params}


@pytest.mark.parametrize("name", sorted(query.library()))
def test_same_rows_as_rdflib(built, name):
    root, _, _ = built
    kg = graphs.load(root / "kg.ttl")  # what `kg query --graph` reads
    store = open_store(root / "st")
    q = query.library()[name]
    expected = query.run(kg, q, _params(q))
    got = store.run(q, _params(q))
    assert got.variables == expected.variables
    if name in CONTRACT:
        assert _rows(got) == _rows(expected)
    else:
        assert _rows(got, True) == _rows(expected, True)


def test_contract_queries_answer(built):
    store = open_store(built[0] / "st")
    assert store.run(query.library()["people"]).rows
    assert store.run(query.library()["organizations"]).rows
    assert set(CONTRACT) <= set(query.library())


def test_named_graph_per_article(built):
    root, kg, report = built
    store = open_store(root / "st")
    names = GraphNames(kg.base)
    graphs_in_store = store.graph_names()
    articles = [g for g in graphs_in_store if names.is_article_graph(g)]
    assert len(articles) == report.articles
    for g in (names.entities, names.inferred, names.ontology):
        assert str(g) in graphs_in_store
    total = len(kg.asserted) + len(kg.inferred) + len(kg.ontology)
    assert len(store) == total


def test_hostile_parameter_is_a_term(built):
    store = open_store(built[0] / "st")
    q = query.library()["person"]
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("a'
    assert store.run(q, {"name": hostile}).rows == []


def test_values_block_escapes():
    from rdflib import Literal, Variable

    text = with_values("SELECT ?x WHERE { ?x ?p ?name }", {Variable("name"): Literal('a"b\n} c')})
    assert 'VALUES (?name) { ("a\\"b\\n} c") }' in text
    assert text.startswith("SELECT ?x WHERE {")


def test_updates_and_service_refused(built, tmp_path):
    store = open_store(built[0] / "st")
    for text in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                 "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"):
        path = tmp_path / "q.rq"
        path.write_text(text)
        with pytest.raises(QueryError):
            store.run(query.resolve_query(str(path)))


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no kg store"):
        open_store(tmp_path / "nothing")


def test_cli_query_store_matches_graph(built, capsys):
    from kg.cli import main

    root = built[0]
    assert main(["query", "people", "--graph", str(root / "kg.ttl"), "--format", "json"]) == 0
    from_graph = json.loads(capsys.readouterr().out)
    assert main(["query", "people", "--store", str(root / "st"), "--format", "json"]) == 0
    from_store = json.loads(capsys.readouterr().out)
    assert from_store == from_graph


@pytest.mark.slow
def test_streamed_store_build_holds_what_the_turtle_build_holds(tmp_path, built, seeds_dir):
    """`kg build --store` streams graph by graph (no whole rdflib graph); the store it writes
    holds, graph for graph, what the Turtle build's graph splits into."""
    from kg.build import build

    root, kg, report = built
    _, streamed = build([seeds_dir], None, store=tmp_path / "st")
    whole, parts = open_store(root / "st"), open_store(tmp_path / "st")
    assert parts.graph_names() == whole.graph_names()
    for name in whole.graph_names():
        if name == ONTOLOGY_IRI:  # blank nodes (OWL lists): the same graph up to their labels
            assert isomorphic(_graph(parts, name), _graph(whole, name))
        else:
            assert parts.graph_ntriples(name) == whole.graph_ntriples(name), name
    assert (streamed.asserted, streamed.inferred) == (len(kg.asserted), len(kg.inferred))
    assert (streamed.people, streamed.organizations, streamed.events, streamed.metrics) == (
        report.people, report.organizations, report.events, report.metrics)
    assert streamed.violations == report.violations == 0


@pytest.mark.slow
def test_an_interrupted_sync_is_never_trusted(tmp_path, built, monkeypatch):
    """A sync that dies half-way leaves its mark in the manifest: the next sync rewrites
    every graph instead of trusting the digests of a half-written store."""
    from kg.partition import named_graphs
    from kg.store import Store

    _, kg, _ = built
    graphs = named_graphs(kg)
    store = Store(tmp_path / "st")
    first = store.sync(graphs, kg.base, {}, "k1")
    assert first.added and not first.replaced
    calls = []

    def failing_write(*args, **kwargs):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(store, "ox", _Wrapped(store.ox, failing_write))
    changed = dict(graphs)
    article = next(iri for iri in graphs if GraphNames(kg.base).is_article_graph(iri))
    changed[article] = changed[article][:-1]
    with pytest.raises(StoreError, match="disk full"):
        store.sync(changed, kg.base, {}, "k2")
    assert calls and json.loads((tmp_path / "st" / "manifest.json").read_text())["syncing"] is True
    monkeypatch.undo()
    again = store.sync(graphs, kg.base, {}, "k1")
    assert again.unchanged == 0 and len(again.replaced) == len(graphs)
    assert "syncing" not in json.loads((tmp_path / "st" / "manifest.json").read_text())


@pytest.mark.slow
def test_a_replaced_graph_is_rewritten_by_its_difference(tmp_path, built):
    """A changed graph gets only its difference written (a rebuild after a few new articles
    changes a small part of the inferred graph), and then holds exactly what a store written
    from scratch holds; the other graphs are not touched."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.partition import named_graphs
    from kg.store import Store

    _, kg, _ = built
    graphs = named_graphs(kg)
    store = Store(tmp_path / "st")
    store.sync(graphs, kg.base, {}, "k1")
    snapshot = {name: store.graph_ntriples(name) for name in store.graph_names()}
    inferred = GraphNames(kg.base).inferred
    extra = (URIRef(kg.base + "x"), RDFS.label, Literal('a "new" label\nover two lines', lang="en"))
    changed = {**graphs, inferred: [*graphs[inferred][3:], extra]}
    report = store.sync(changed, kg.base, {}, "k2")
    assert report.replaced == [str(inferred)] and report.diff_quads == 4
    fresh = Store(tmp_path / "fresh")
    fresh.sync(changed, kg.base, {}, "k2")
    assert store.graph_ntriples(str(inferred)) == fresh.graph_ntriples(str(inferred))
    assert store.graph_ntriples(str(inferred)) != snapshot[str(inferred)]
    back = store.sync(graphs, kg.base, {}, "k1")
    assert back.replaced == [str(inferred)] and back.diff_quads == 4
    assert {name: store.graph_ntriples(name) for name in store.graph_names()} == snapshot


def _graph(store, name):
    from rdflib import Graph

    return Graph().parse(data=store.graph_ntriples(name).decode("utf-8"), format="nt")


class _Wrapped:
    """A pyoxigraph store whose writes (load, remove, extend) fail; reads pass through."""

    def __init__(self, inner, fail) -> None:
        self._inner = inner
        self.load = self.bulk_load = self.remove = self.extend = self.bulk_extend = fail

    def __getattr__(self, name):
        return getattr(self._inner, name)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
       kind=st.sampled_from(["plain", "lang", "string", "date"]))
def test_ntriples_lines_parse_back_to_the_same_terms(text, kind):
    """kg's own N-Triples writer (the store's fast path) against Oxigraph's parser."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from kg.store import NTriples, to_rdflib

    literal = {"plain": Literal(text), "lang": Literal(text, lang="zh-Hans"),
               "string": Literal(text, datatype=XSD.string),
               "date": Literal("2023-11-05", datatype=XSD.date)}[kind]
    triple = (URIRef("https://kg.example.org/resource/a"), URIRef("https://kg.example.org/ontology#p"), literal)
    line = NTriples().line(triple)
    (parsed,) = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert to_rdflib(parsed.object) == (Literal(text) if kind == "string" else literal)
    assert to_rdflib(parsed.subject) == triple[0]


def test_digest_ignores_order_and_sees_every_change(built):
    from kg.partition import named_graphs
    from kg.store import graph_digest

    _, kg, _ = built
    article = next(t for iri, t in named_graphs(kg).items() if GraphNames(kg.base).is_article_graph(iri))
    assert graph_digest(article) == graph_digest(list(reversed(article)))
    assert graph_digest(article[:-1]) != graph_digest(article)
    other = next(o for _, _, o in article if o != article[0][2])  # (the order of the triples varies)
    swapped = [(article[0][0], article[0][1], other), *article[1:]]
    assert graph_digest(swapped) != graph_digest(article)
