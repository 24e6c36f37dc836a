"""Query shortcuts (kg.shortcuts): the name keys and top events `kg build` keeps in the inferred
graph, and the queries that start from them give the rows of their former texts (filters, path
walks) on every path (rdflib, the store beside the Turtle, the Turtle loaded into memory, a
Turtle without the shortcuts)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from test_store import _rows

from kg import graphs, query, query_store
from kg.shortcuts import TopEvents, event_classes, graph_top_events, name_keys
from kg.vocab import DEFAULT_BASE, KGO

FORMER = Path(__file__).parent / "data" / "former_queries"
R = DEFAULT_BASE

# (query, parameters): names in other cases than the graph's, an alias, sub-events
CASES = [
    ("co_appearance", {"a": "fang HANTING", "b": "feng jie"}),
    ("co_appearance", {"a": "Fang Hanting", "b": "Sun Dongsheng"}),
    ("co_appearance", {"a": "Fang Hanting", "b": "Fang Hanting"}),
    ("co_appearance", {"a": "Fang Hanting", "b": "nobody at all"}),
    ("sources", {"name": "casted"}),  # an alias (of an institution no statement names)
    ("sources", {"name": "science and technology DAILY"}),
    ("sources", {"name": "FANG HANTING"}),
    ("sources", {"name": "Pujiang Innovation Forum"}),
    ("sources", {"name": "no such name"}),
    ("person", {"name": "fang hanting"}),
    ("person", {"name": "Sun Dongsheng"}),
    ("person", {"name": "Shanghai"}),  # a place, not a person
    ("place_metrics", {"subject": "shanghai"}),
    ("place_metrics", {"subject": "Shenzhen"}),
    ("place_metrics", {"subject": "Atlantis"}),
    ("cross_event_people", {}),
    # optional parameters: `#+NAME` start-here lines when given, the former text when not
    ("merges", {"name": "casted"}),
    ("merges", {"name": "FANG HANTING"}),
    ("merges", {"name": "no such name"}),
    ("merges", {}),
    ("events_in_place", {"place": "shanghai"}),
    ("events_in_place", {"place": "Atlantis"}),
    ("events_in_place", {}),
    ("speakers", {"event_name": "2023 china science and TECHNOLOGY finance forum"}),
    ("speakers", {"event_name": "no such event"}),
    ("speakers", {}),
    ("organizers", {"event_name": "2023 China Science and Technology Finance Forum"}),
    ("organizers", {}),
]


def _former(name: str) -> query.NamedQuery:
    path = FORMER / f"{name}.rq"
    return query.parse_header(name, path, path.read_text(encoding="utf-8"))


def test_name_keys_are_lower_cased_names_of_minted_resources():
    person = URIRef(R + "person/ada-quill")
    triples = [(person, RDFS.label, Literal("Ada QUILL")), (person, SKOS.altLabel, Literal("Quill, Ada", lang="en")),
               (person, RDF.type, KGO.Person), (person, KGO.title, Literal("Chief Economist"))]
    assert name_keys(triples, R) == {(person, KGO.nameKey, Literal("ada quill")),
                                     (person, KGO.nameKey, Literal("quill, ada"))}


def test_no_name_keys_for_the_ontology_blank_nodes_or_other_properties():
    triples = [(KGO.Person, RDFS.label, Literal("person")),  # a class name is no entity name
               (BNode(), RDFS.label, Literal("anonymous")),
               (URIRef("https://elsewhere.example/x"), RDFS.label, Literal("Elsewhere")),
               (URIRef(R + "org/nb"), KGO.nameVariant, Literal("NB")),  # its altLabel carries it
               (URIRef(R + "org/nb"), RDFS.comment, Literal("Norland Bank"))]
    assert name_keys(triples, R) == set()


def test_the_build_keeps_the_keys_in_the_inferred_graph(seeds_graph):
    kg, _, out = seeds_graph
    fang = next(s for s, _, o in kg.asserted.triples((None, RDFS.label, Literal("Fang Hanting"))))
    assert (fang, KGO.nameKey, Literal("fang hanting")) in kg.inferred
    assert not list(kg.asserted.triples((None, KGO.nameKey, None)))
    saved = graphs.load(out)
    assert (fang, KGO.nameKey, Literal("fang hanting")) in saved.inferred
    casted = [o for o in saved.inferred.objects(None, KGO.nameKey) if str(o) == "casted"]
    assert casted  # an alias has its key too


@pytest.fixture(scope="module")
def keyless(seeds_graph, tmp_path_factory) -> Path:
    """The seeds build with every name key and top event taken out of its inferred Turtle (as
    a graph from elsewhere, or from an older kg, comes)."""
    _, _, out = seeds_graph
    root = tmp_path_factory.mktemp("keyless")
    shutil.copy(out, root / "kg.ttl")
    inferred = Graph().parse(graphs.inferred_path(out), format="turtle")
    inferred.remove((None, KGO.nameKey, None))
    inferred.remove((None, KGO.topEvent, None))
    inferred.serialize(graphs.inferred_path(root / "kg.ttl"), format="turtle")
    return root / "kg.ttl"


@pytest.mark.parametrize(("name", "params"), CASES)
def test_rewritten_queries_give_the_former_rows_on_every_path(seeds_graph, keyless, name, params):
    _, _, out = seeds_graph
    q = query.library()[name]
    expected = query.run(graphs.load(out), _former(name), params)
    assert _rows(query.run(graphs.load(out), q, params)) == _rows(expected)
    assert _rows(query.run(graphs.load(keyless), q, params)) == _rows(expected)  # keys derived in memory
    for store in (query_store.open_for(out), query_store.TurtleStore(out), query_store.TurtleStore(keyless)):
        try:
            got = store.run(q, params)
        finally:
            store.close()
        assert got.variables == expected.variables
        # Oxigraph reads xsd:integer subtypes (the offsets) as xsd:integer: the same numbers
        assert _rows(got, True) == _rows(expected, True), type(store).__name__


def test_the_cases_find_something(seeds_graph):
    _, _, out = seeds_graph
    kg = graphs.load(out)
    found = {(name, tuple(params.values())): len(query.run(kg, query.library()[name], params).rows)
             for name, params in CASES}
    assert found[("co_appearance", ("fang HANTING", "feng jie"))] >= 2  # the forum and its dialogue
    assert found[("co_appearance", ("Fang Hanting", "Sun Dongsheng"))] >= 2
    assert found[("co_appearance", ("Fang Hanting", "Fang Hanting"))] == 0  # two people, not one
    assert found[("sources", ("science and technology DAILY",))] > 0
    assert found[("person", ("fang hanting",))] > 0 and found[("person", ("Shanghai",))] == 0
    assert found[("place_metrics", ("shanghai",))] > 0 and found[("place_metrics", ("Atlantis",))] == 0
    assert found[("merges", ("FANG HANTING",))] > 0 and found[("merges", ("no such name",))] == 0
    assert found[("speakers", ("2023 china science and TECHNOLOGY finance forum",))] > 0


@pytest.mark.slow
def test_a_store_build_keeps_the_shortcuts_in_its_inferred_graph(tmp_path, seeds_dir):
    import pyoxigraph as ox

    from kg.build import build
    from kg.store import open_store

    folder = tmp_path / "st"
    build([seeds_dir], None, store=folder)
    store = open_store(folder)
    try:
        keys = {q.object.value for q in store.ox.quads_for_pattern(
            None, ox.NamedNode(str(KGO.nameKey)), None, ox.NamedNode(R + "graph/inferred"))}
        assert {"fang hanting", "casted"} <= keys
        tops = list(store.ox.quads_for_pattern(None, ox.NamedNode(str(KGO.topEvent)), None,
                                               ox.NamedNode(R + "graph/inferred")))
        assert tops and all(q.subject.value.startswith(R + "event/") for q in tops)
        rows = store.run(query.library()["person"], {"name": "FANG hanting"}).rows
        assert rows and {str(r["person"]) for r in rows} == {"Fang Hanting"}
    finally:
        store.close()


# --------------------------------------------------------------------------- top events
def _ev(name: str) -> URIRef:
    return URIRef(R + f"event/{name}")


def _tops(triples, ontology) -> set[tuple[str, str]]:
    collect = TopEvents(R, event_classes(ontology))
    collect.add(triples)
    return {(str(s)[len(R) + 6:], str(o)[len(R) + 6:]) for s, p, o in collect.triples() if p == KGO.topEvent}


def test_top_events_follow_sub_event_links_to_their_root(seeds_graph):
    kg, _, _ = seeds_graph
    triples = [(_ev("dialogue"), KGO.subEventOf, _ev("forum")), (_ev("forum"), KGO.subEventOf, _ev("week")),
               (_ev("dialogue"), KGO.subEventOf, _ev("week")),  # the transitive closure, as inferred
               (_ev("gala"), RDF.type, KGO.Forum),  # typed with a subclass of kgo:Event, no links
               (URIRef(R + "participation/p1"), KGO.event, _ev("signing"))]  # only used by a statement
    assert _tops(triples, kg.ontology) == {("dialogue", "week"), ("forum", "week"), ("week", "week"),
                                           ("gala", "gala"), ("signing", "signing")}


def test_top_events_of_two_roots_and_none_in_a_cycle(seeds_graph):
    kg, _, _ = seeds_graph
    triples = [(_ev("side"), KGO.subEventOf, _ev("a")), (_ev("side"), KGO.subEventOf, _ev("b")),
               (_ev("x"), KGO.subEventOf, _ev("y")), (_ev("y"), KGO.subEventOf, _ev("x")),
               (_ev("z"), KGO.subEventOf, _ev("x"))]
    tops = _tops(triples, kg.ontology)
    assert {t for t in tops if t[0] == "side"} == {("side", "a"), ("side", "b")}
    assert not {t for t in tops if t[0] in ("x", "y", "z")}  # no event of the cycle is a top


def test_no_top_events_for_other_resources(seeds_graph):
    kg, _, _ = seeds_graph
    person, elsewhere = URIRef(R + "person/ada-quill"), URIRef("https://elsewhere.example/event/x")
    triples = [(person, RDF.type, KGO.Person), (person, RDFS.label, Literal("Ada Quill")),
               (elsewhere, RDF.type, KGO.Forum), (elsewhere, KGO.subEventOf, _ev("forum")),
               (KGO.Forum, RDFS.subClassOf, KGO.Event)]
    found = TopEvents(R, event_classes(kg.ontology))
    found.add(triples)
    subjects = {s for s, _, _ in found.triples()}
    assert person not in subjects and elsewhere not in subjects and KGO.Forum not in subjects
    assert subjects == {_ev("forum")}


def test_the_build_keeps_the_top_events_in_the_inferred_graph(seeds_graph):
    kg, _, out = seeds_graph
    tops = set(kg.inferred.triples((None, KGO.topEvent, None)))
    assert tops and not list(kg.asserted.triples((None, KGO.topEvent, None)))
    subs = set(kg.asserted.subject_objects(KGO.subEventOf))
    assert subs  # the seeds have sub-forums
    for sub, parent in subs:
        if not list(kg.asserted.objects(parent, KGO.subEventOf)):
            assert (sub, KGO.topEvent, parent) in tops
            assert (parent, KGO.topEvent, parent) in tops
            assert (sub, KGO.topEvent, sub) not in tops
    assert tops == graph_top_events((kg.asserted, kg.inferred), kg.ontology, R)
    assert tops <= set(graphs.load(out).inferred)


def _dev2_cases(kg) -> list[tuple[str, dict[str, str]]]:
    """Cases on dev2, with names read from the graph (a merged entity, an event with speakers,
    the place of an event)."""
    def first(name: str, column: str) -> str:
        return str(query.run(kg, query.library()[name], {}, page=(0, 1)).rows[0][column])

    return [("cross_event_people", {}), ("merges", {"name": first("merges", "entity").upper()}),
            ("speakers", {"event_name": first("speakers", "event")}),
            ("organizers", {"event_name": first("organizers", "event")}),
            ("events_in_place", {"place": first("events_in_place", "location").lower()})]


def test_rewritten_queries_give_the_former_rows_on_dev2(dev2_graph):
    kg, out = dev2_graph
    store = query_store.open_for(out)
    try:
        for name, params in _dev2_cases(kg):
            q = query.library()[name]
            expected = query.run(kg, _former(name), params)
            assert expected.rows, (name, params)  # the case finds something
            assert _rows(query.run(kg, q, params)) == _rows(expected), (name, params)
            assert _rows(store.run(q, params), True) == _rows(store.run(_former(name), params), True)
            assert _rows(store.run(q, params), True) == _rows(expected, True), (name, params)
    finally:
        store.close()


def test_start_here_lines_run_only_for_the_parameters_given():
    q = query.library()["merges"]
    assert "#+name" in q.text and q.for_params({}) is q
    assert q.for_params({"kind": "x"}) is q  # a parameter the query does not declare
    on = q.for_params({"name": "x"})
    assert not [line for line in on.text.splitlines() if line.startswith("#+")]
    assert "\n?x kgo:nameKey ?key .\n" in on.text
    assert on.text.count("\n") == q.text.count("\n")  # line for line: errors keep their line numbers
    query.check_safe(on)  # the text that runs is checked, start-here lines included
    refused = query.NamedQuery("x", Path("x.rq"), "SELECT * WHERE {\n#+p SERVICE <http://e.org/> { ?s ?p ?o }\n}",
                               params=[query.Param("p", "literal", "")])
    query.check_safe(refused)  # a comment while p is not given
    with pytest.raises(query.QueryError):
        query.run(graphs.KnowledgeGraph(asserted=Graph()), refused, {"p": "x"})
