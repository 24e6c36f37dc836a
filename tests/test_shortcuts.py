"""Query shortcuts (kg.shortcuts): the name keys, top events, events within events and
organisation kinds `kg build` keeps in the inferred graph, and the queries that start from them
give the rows of their former texts (filters, path walks) on every path (rdflib, the store beside
the Turtle, the Turtle loaded into memory, a Turtle without the shortcuts, a graph without
inferences)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from test_store import _rows

from kg import graphs, query, query_store
from kg.shortcuts import (
    SHORTCUT_PREDICATES,
    GraphShortcuts,
    event_classes,
    graph_event_and_kind_shortcuts,
    graph_shortcuts,
    graph_top_events,
    name_keys,
)
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
    ("institutions_by_kind", {}),
    ("institutions_by_kind", {"kind": "UNIVERSITY"}),
    ("institutions_by_kind", {"kind": "research institute"}),
    ("institutions_by_kind", {"kind": "no such kind"}),
]
EVENT_AND_KIND = (KGO.topEvent, KGO.withinEvent, KGO.appearsAt, KGO.organizationKind)


def _former(name: str) -> query.NamedQuery:
    path = FORMER / f"{name}.rq"
    return query.parse_header(name, path, path.read_text(encoding="utf-8"))


class _Sorted:
    """A result whose GROUP_CONCAT column (institutions_by_kind's ``names``) lists its names
    sorted: SPARQL leaves their order to the engine (rdflib and Oxigraph give the former text's
    names in different orders), the names themselves are the rows' content."""

    def __init__(self, result: query.QueryResult) -> None:
        self.rows = [{k: Literal("; ".join(sorted(str(v).split("; ")))) if k == "names" else v
                      for k, v in row.items()} for row in result.rows]


def _same(got: query.QueryResult, expected: query.QueryResult, integer_subtypes: bool = False) -> bool:
    return _rows(_Sorted(got), integer_subtypes) == _rows(_Sorted(expected), integer_subtypes)


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
    for predicate in SHORTCUT_PREDICATES:
        inferred.remove((None, predicate, None))
    inferred.serialize(graphs.inferred_path(root / "kg.ttl"), format="turtle")
    return root / "kg.ttl"


@pytest.fixture(scope="module")
def reasonless(seeds_graph, tmp_path_factory) -> Path:
    """The seeds' asserted graph alone, no inferred Turtle (as if reasoning had been skipped
    and the graph came from elsewhere: everything the queries need is derived on load)."""
    _, _, out = seeds_graph
    root = tmp_path_factory.mktemp("reasonless")
    shutil.copy(out, root / "kg.ttl")
    return root / "kg.ttl"


@pytest.mark.parametrize(("name", "params"), CASES)
def test_rewritten_queries_give_the_former_rows_on_every_path(seeds_graph, keyless, name, params):
    _, _, out = seeds_graph
    q = query.library()[name]
    expected = query.run(graphs.load(out), _former(name), params)
    assert _same(query.run(graphs.load(out), q, params), expected)
    assert _same(query.run(graphs.load(keyless), q, params), expected)  # keys derived in memory
    for store in (query_store.open_for(out), query_store.TurtleStore(out), query_store.TurtleStore(keyless)):
        try:
            got = store.run(q, params)
        finally:
            store.close()
        assert got.variables == expected.variables
        # Oxigraph reads xsd:integer subtypes (the offsets) as xsd:integer: the same numbers
        assert _same(got, expected, True), type(store).__name__


@pytest.mark.parametrize(("name", "params"), [c for c in CASES if c[0] in ("co_appearance", "institutions_by_kind")])
def test_rewritten_queries_give_the_former_rows_without_inferences(reasonless, name, params):
    q = query.library()[name]
    kg = graphs.load(reasonless)
    assert not len(kg.inferred)
    expected = query.run(kg, _former(name), params)
    assert _same(query.run(kg, q, params), expected)
    store = query_store.TurtleStore(reasonless)
    try:
        assert _same(store.run(q, params), expected, True)
        assert _same(store.run(_former(name), params), expected, True)
    finally:
        store.close()


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
    assert found[("institutions_by_kind", ())] >= 3 and found[("institutions_by_kind", ("UNIVERSITY",))] == 1
    assert found[("institutions_by_kind", ("no such kind",))] == 0


@pytest.mark.slow
def test_a_store_build_keeps_the_shortcuts_in_its_inferred_graph(tmp_path, seeds_dir, seeds_graph):
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
        # the streamed build writes the event and kind shortcuts a plain build writes
        kg, _, _ = seeds_graph
        for predicate in EVENT_AND_KIND:
            written = {(URIRef(q.subject.value), URIRef(q.object.value)) for q in store.ox.quads_for_pattern(
                None, ox.NamedNode(str(predicate)), None, ox.NamedNode(R + "graph/inferred"))}
            assert written and written == set(kg.inferred.subject_objects(predicate)), predicate
    finally:
        store.close()


# --------------------------------------------------------------------------- top events
def _ev(name: str) -> URIRef:
    return URIRef(R + f"event/{name}")


def _tops(triples, ontology) -> set[tuple[str, str]]:
    collect = GraphShortcuts(R, event_classes(ontology))
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
    found = GraphShortcuts(R, event_classes(kg.ontology))
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

    def pair() -> dict[str, str]:
        """Two people at the same events most often (the sub-events' parents included)."""
        at: dict = {}
        for part, who in kg.asserted.subject_objects(KGO.participant):
            for event in kg.asserted.objects(part, KGO.event):
                at.setdefault(who, set()).add(event)
        a, b = max(((x, y) for x in at for y in at if str(x) < str(y)), key=lambda p: len(at[p[0]] & at[p[1]]))
        return {"a": str(kg.asserted.value(a, RDFS.label)).upper(), "b": str(kg.asserted.value(b, RDFS.label))}

    return [("cross_event_people", {}), ("merges", {"name": first("merges", "entity").upper()}),
            ("speakers", {"event_name": first("speakers", "event")}),
            ("organizers", {"event_name": first("organizers", "event")}),
            ("events_in_place", {"place": first("events_in_place", "location").lower()}),
            ("co_appearance", pair()), ("institutions_by_kind", {}),
            ("institutions_by_kind", {"kind": first("institutions_by_kind", "kind_label").upper()})]


def test_rewritten_queries_give_the_former_rows_on_dev2(dev2_graph):
    kg, out = dev2_graph
    store = query_store.open_for(out)
    try:
        for name, params in _dev2_cases(kg):
            q = query.library()[name]
            expected = query.run(kg, _former(name), params)
            assert expected.rows, (name, params)  # the case finds something
            assert _same(query.run(kg, q, params), expected), (name, params)
            assert _same(store.run(q, params), store.run(_former(name), params), True)
            assert _same(store.run(q, params), expected, True), (name, params)
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


# ------------------------------------------------------------ events within events, kinds
def _within(triples) -> set[tuple[str, str]]:
    collect = GraphShortcuts(R, event_classes(graphs.load_ontology()))
    collect.add(triples)
    return {(str(s)[len(R) + 6:], str(o)[len(R) + 6:]) for s, p, o in collect.triples() if p == KGO.withinEvent}


def test_each_event_is_within_itself_and_every_ancestor_cycles_included():
    triples = [(_ev("dialogue"), KGO.subEventOf, _ev("forum")), (_ev("forum"), KGO.subEventOf, _ev("week")),
               (_ev("x"), KGO.subEventOf, _ev("y")), (_ev("y"), KGO.subEventOf, _ev("x")),
               (_ev("z"), KGO.subEventOf, _ev("x")),
               (URIRef(R + "participation/p1"), KGO.event, _ev("signing")),
               (URIRef("https://elsewhere.example/event/e"), KGO.subEventOf, _ev("week"))]
    assert _within(triples) == {
        ("dialogue", "dialogue"), ("dialogue", "forum"), ("dialogue", "week"), ("forum", "forum"),
        ("forum", "week"), ("week", "week"), ("signing", "signing"),
        ("x", "x"), ("x", "y"), ("y", "y"), ("y", "x"), ("z", "z"), ("z", "x"), ("z", "y")}


def test_participants_appear_at_their_events_and_every_event_those_are_within():
    ada, bo, p1, p2 = (URIRef(R + "person/ada"), URIRef(R + "person/bo"),
                       URIRef(R + "participation/p1"), URIRef(R + "participation/p2"))
    triples = [(_ev("dialogue"), KGO.subEventOf, _ev("forum")), (_ev("forum"), KGO.subEventOf, _ev("week")),
               (_ev("week"), KGO.subEventOf, _ev("forum")),  # a cycle
               (p1, KGO.participant, ada), (p1, KGO.event, _ev("dialogue")),
               (p2, KGO.participant, bo), (p2, KGO.participant, URIRef("https://elsewhere.example/x")),
               (p2, KGO.event, _ev("gala")),
               (URIRef(R + "participation/p3"), KGO.participant, bo)]  # no event: appears nowhere
    collect = GraphShortcuts(R, event_classes(graphs.load_ontology()))
    collect.add(triples)
    found = {(str(s)[len(R):], str(o)[len(R) + 6:]) for s, p, o in collect.triples() if p == KGO.appearsAt}
    assert found == {("person/ada", "dialogue"), ("person/ada", "forum"), ("person/ada", "week"),
                     ("person/bo", "gala")}


def _kinds(triples, ontology=None) -> set[tuple[str, str]]:
    collect = GraphShortcuts(R, frozenset({KGO.Event}), ontology)
    collect.add(triples)
    return {(str(s)[len(R):], str(o).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            for s, p, o in collect.triples() if p == KGO.organizationKind}


def _org(name: str) -> URIRef:
    return URIRef(R + f"org/{name}")


def test_organisation_kinds_are_the_most_specific_organisation_classes():
    lab = URIRef("https://elsewhere.example/Lab")
    triples = [(_org("zju"), RDF.type, KGO.University), (_org("zju"), RDF.type, KGO.Organization),
               (_org("zju"), RDF.type, KGO.Agent),  # inferred supertypes: not kinds
               (_org("plain"), RDF.type, KGO.Organization),
               (_org("both"), RDF.type, KGO.University), (_org("both"), RDF.type, KGO.Company),
               (_org("lab"), RDF.type, lab), (_org("lab"), RDF.type, KGO.ResearchInstitute),
               (lab, RDFS.subClassOf, KGO.ResearchInstitute),  # a class of the data's own
               (_org("other"), RDF.type, URIRef("https://elsewhere.example/Thing")),
               (URIRef(R + "person/ada"), RDF.type, KGO.Person),
               (URIRef("https://elsewhere.example/org"), RDF.type, KGO.Bank)]  # not minted
    assert _kinds(triples) == {("org/zju", "University"), ("org/plain", "Organization"),
                               ("org/both", "University"), ("org/both", "Company"), ("org/lab", "Lab")}


def test_organisation_kinds_in_a_cycle_of_classes():
    a, b = URIRef("https://elsewhere.example/A"), URIRef("https://elsewhere.example/B")
    triples = [(a, RDFS.subClassOf, b), (b, RDFS.subClassOf, a), (a, RDFS.subClassOf, KGO.Bank),
               (_org("ab"), RDF.type, a), (_org("ab"), RDF.type, b), (_org("ab"), RDF.type, KGO.Bank),
               (_org("a"), RDF.type, a), (_org("a"), RDF.type, KGO.Bank)]
    # each of A and B is narrower than the other (rdfs:subClassOf+), so neither is a kind of
    # an organisation typed with both; the query's FILTER NOT EXISTS finds the same
    assert _kinds(triples) == {("org/a", "A")}


def test_the_build_keeps_the_event_and_kind_shortcuts_it_would_derive_on_load(seeds_graph):
    kg, _, out = seeds_graph
    kept = {t for t in kg.inferred if t[1] in EVENT_AND_KIND}
    assert {p for _, p, _ in kept} == set(EVENT_AND_KIND)
    assert kept <= set(graphs.load(out).inferred)
    bare = Graph()
    for t in kg.inferred:
        if t[1] not in SHORTCUT_PREDICATES:
            bare.add(t)
    assert kept == graph_event_and_kind_shortcuts((kg.asserted, bare), kg.ontology, R)  # as on load
    streamed = GraphShortcuts(R, event_classes(kg.ontology))  # as kg.build_store feeds it: every triple
    streamed.add(kg.asserted)
    streamed.add(bare)
    assert streamed.triples() == kept
    kinds = {o for _, p, o in kept if p == KGO.organizationKind}
    assert KGO.University in kinds and KGO.Organization not in {o for s, p, o in kept if s in {
        s for s, p, o in kept if p == KGO.organizationKind and o != KGO.Organization}}


def test_the_store_loaded_from_a_turtle_derives_the_same_shortcuts(keyless, seeds_graph):
    kg, _, _ = seeds_graph
    import pyoxigraph as ox

    store = query_store.TurtleStore(keyless)
    try:
        for predicate in SHORTCUT_PREDICATES:
            got = {(q.subject.value, q.object.value) for q in store.ox.quads_for_pattern(
                None, ox.NamedNode(str(predicate)), None, None)}
            assert got == {(str(s), str(o)) for s, o in kg.inferred.subject_objects(predicate)}, predicate
    finally:
        store.close()


def test_a_build_without_reasoning_keeps_the_shortcuts_and_the_rows(seeds_dir, tmp_path, monkeypatch):
    """A build whose reasoning is skipped (over its budget) keeps the shortcuts of the asserted
    graph alone, and the rewritten queries give the former rows on it."""
    from kg import build as build_module
    from kg.reason import infer
    from kg.reason.budget import Budget

    def over_budget(asserted, ontology, resource_prefix):
        return infer(asserted, ontology, resource_prefix, budget=Budget(max_input_triples=1, max_rules_triples=1))

    monkeypatch.setattr(build_module, "infer", over_budget)
    kg, report = build_module.build([seeds_dir], tmp_path / "kg.ttl")
    assert report.reasoning_note and not {t for t in kg.inferred if t[1] not in SHORTCUT_PREDICATES}
    assert set(kg.inferred) == graph_shortcuts((kg.asserted,), kg.ontology, R)
    assert {p for _, p, _ in kg.inferred} == set(SHORTCUT_PREDICATES)
    store = query_store.open_for(tmp_path / "kg.ttl")
    try:
        for name, params in CASES:
            if name in ("co_appearance", "institutions_by_kind"):
                expected = query.run(kg, _former(name), params)
                assert _same(query.run(kg, query.library()[name], params), expected), (name, params)
                assert _same(store.run(query.library()[name], params), expected, True), (name, params)
    finally:
        store.close()


def _cycles_graph(root: Path) -> Path:
    """A graph of four people at events whose sub-event links run in a cycle (a dialogue
    within a forum within a week within the forum again), beside two events of one root."""
    def person(key: str, name: str) -> URIRef:
        return URIRef(R + f"person/{key}")

    g = Graph()
    role = URIRef(R + "role/speaker")
    g.add((role, SKOS.notation, Literal("speaker")))
    events = {"dialogue": "Night Dialogue", "forum": "Harbour Forum", "week": "Harbour Week",
              "expo": "Harbour Expo", "gala": "Harbour Gala", "root": "Harbour Season"}
    for key, label in events.items():
        g.add((_ev(key), RDF.type, KGO.Forum))
        g.add((_ev(key), RDFS.label, Literal(label)))
    for sub, parent in [("dialogue", "forum"), ("forum", "week"), ("week", "forum"),
                        ("expo", "root"), ("gala", "root")]:
        g.add((_ev(sub), KGO.subEventOf, _ev(parent)))
    people = {"ada": "Ada Quill", "bo": "Bo Lantern", "cy": "Cy Marrow", "di": "Di Stone"}
    for key, name in people.items():
        g.add((person(key, name), RDF.type, KGO.Person))
        g.add((person(key, name), RDFS.label, Literal(name)))
    for i, (who, event) in enumerate([("ada", "dialogue"), ("bo", "week"), ("cy", "expo"),
                                      ("di", "gala"), ("ada", "gala")]):
        part = URIRef(R + f"participation/p{i}")
        g.add((part, RDF.type, KGO.Participation))
        g.add((part, KGO.participant, person(who, "")))
        g.add((part, KGO.event, _ev(event)))
        g.add((part, KGO.role, role))
    out = root / "kg.ttl"
    g.serialize(out, format="turtle")
    return out


@pytest.mark.parametrize(("a", "b"), [("Ada Quill", "Bo Lantern"), ("cy marrow", "Di Stone"),
                                      ("Ada Quill", "Di Stone"), ("Bo Lantern", "Cy Marrow")])
def test_co_appearance_through_a_cycle_of_sub_events(tmp_path, a, b):
    out = _cycles_graph(tmp_path)
    kg = graphs.load(out)  # no inferred graph: as if reasoning had been skipped
    params = {"a": a, "b": b}
    expected = query.run(kg, _former("co_appearance"), params)
    got = query.run(kg, query.library()["co_appearance"], params)
    assert _rows(got) == _rows(expected)
    store = query_store.TurtleStore(out)
    try:
        assert _rows(store.run(query.library()["co_appearance"], params), True) == _rows(expected, True)
    finally:
        store.close()
    if (a, b) == ("Ada Quill", "Bo Lantern"):  # their only common events are in the cycle
        assert {str(r["event"]) for r in expected.rows} == {"Harbour Forum", "Harbour Week"}
    if (a, b) == ("Bo Lantern", "Cy Marrow"):
        assert not expected.rows
