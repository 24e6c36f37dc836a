"""Reasoning kept apart: owlrl's closure on a copy, under a time and size budget; what the
axioms derive (inverses, transitivity, the participation roll-up chain); TriG export with
asserted, inferred and ontology as separate named graphs."""
from __future__ import annotations

import time

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from kg.cli import main
from kg.graphs import KnowledgeGraph, RDFFormat, load_ontology
from kg.reason import Budget, Isolation, Outcome, infer, owl
from kg.vocab import DEFAULT_BASE, KGO, ONTOLOGY_IRI

R = Namespace(DEFAULT_BASE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


@pytest.fixture()
def forum() -> Graph:
    """A forum with a sub-forum with a session; a person speaks at the session; an
    institute of an academy of a ministry; an affiliation."""
    g = Graph()
    g.add((R.forum, RDF.type, KGO.Forum))
    g.add((R.sub, RDF.type, KGO.SubForum))
    g.add((R.session, RDF.type, KGO.Event))
    g.add((R.sub, KGO.subEventOf, R.forum))
    g.add((R.session, KGO.subEventOf, R.sub))
    g.add((R.fang, RDF.type, KGO.Person))
    g.add((R.part, RDF.type, KGO.Participation))
    g.add((R.part, KGO.participant, R.fang))
    g.add((R.part, KGO.event, R.session))
    g.add((R.part, KGO.role, KGO.Speaker))
    g.add((R.inst, RDF.type, KGO.ResearchInstitute))
    g.add((R.academy, RDF.type, KGO.ResearchInstitute))
    g.add((R.ministry, RDF.type, KGO.GovernmentAgency))
    g.add((R.inst, KGO.subOrganizationOf, R.academy))
    g.add((R.academy, KGO.subOrganizationOf, R.ministry))
    g.add((R.aff, RDF.type, KGO.Affiliation))
    g.add((R.aff, KGO.person, R.fang))
    g.add((R.aff, KGO.organization, R.inst))
    g.add((R.org, RDF.type, KGO.Organizing))
    g.add((R.org, KGO.organizer, R.ministry))
    g.add((R.org, KGO.event, R.forum))
    return g


@pytest.mark.parametrize("isolation", list(Isolation))
def test_sub_event_participants_roll_up_to_every_ancestor(forum, ontology, isolation):
    before = copy(forum)
    result = infer(forum, ontology, str(R), isolation=isolation)
    assert result.outcome is Outcome.COMPLETE and result.skipped is None
    inf = result.graph
    for event in (R.session, R.sub, R.forum):  # the property chains
        assert (R.fang, KGO.participatesIn, event) in inf
        assert (event, KGO.hasParticipant, R.fang) in inf  # the inverse
    assert isomorphic(forum, before)  # the asserted graph is untouched
    assert not set(inf) & set(forum)  # only new triples


def test_transitive_and_inverse_axioms(forum, ontology):
    inf = infer(forum, ontology, str(R)).graph
    assert (R.session, KGO.subEventOf, R.forum) in inf
    assert (R.forum, KGO.hasSubEvent, R.session) in inf
    assert (R.inst, KGO.subOrganizationOf, R.ministry) in inf
    assert (R.ministry, KGO.hasSubOrganization, R.inst) in inf
    assert (R.fang, KGO.hasAffiliation, R.aff) in inf
    assert (R.fang, KGO.affiliatedWith, R.inst) in inf
    assert (R.ministry, KGO.organizes, R.forum) in inf
    assert (R.forum, KGO.organizedBy, R.ministry) in inf


def test_alignments_reach_the_standard_vocabularies(forum, ontology):
    schema, org, foaf, prov = (Namespace("https://schema.org/"), Namespace("http://www.w3.org/ns/org#"),
                               Namespace("http://xmlns.com/foaf/0.1/"), Namespace("http://www.w3.org/ns/prov#"))
    inf = infer(forum, ontology, str(R)).graph
    assert (R.fang, RDF.type, schema.Person) in inf
    assert (R.fang, RDF.type, foaf.Person) in inf
    assert (R.fang, RDF.type, prov.Agent) in inf
    assert (R.inst, RDF.type, org.Organization) in inf
    assert (R.aff, RDF.type, org.Membership) in inf
    assert (R.aff, org.member, R.fang) in inf
    assert (R.fang, org.memberOf, R.inst) in inf
    assert (R.session, schema.superEvent, R.forum) in inf
    assert (R.forum, schema.organizer, R.ministry) not in inf  # kgo:organizedBy covers sponsors
    # transitive kgo:subOrganizationOf never claims ORG's direct link for an indirect pair
    assert (R.inst, org.transitiveSubOrganizationOf, R.ministry) in inf
    assert (R.inst, org.subOrganizationOf, R.ministry) not in inf


def test_schema_person_is_not_pulled_into_kg(ontology):
    g = Graph()
    g.add((R.someone, RDF.type, URIRef("https://schema.org/Person")))
    inf = infer(g, ontology, str(R)).graph
    assert (R.someone, RDF.type, KGO.Person) not in inf


def test_a_typo_that_breaks_disjointness_is_reported(forum, ontology):
    forum.add((R.part2, RDF.type, KGO.Participation))
    forum.add((R.part2, KGO.event, R.fang))  # a person where an event belongs
    result = infer(forum, ontology, str(R))
    assert result.outcome is Outcome.COMPLETE
    assert result.inconsistencies, "owlrl reports the clash of kgo:Person and kgo:Event"
    assert any("isjoint" in m for m in result.inconsistencies)


def test_an_extraction_slip_does_not_merge_entities(ontology):
    """Two subjects on one observation (an extraction slip) must not make two cities the
    same: the shapes report it (sh:maxCount 1), the reasoner derives no owl:sameAs."""
    g = Graph()
    for city in (R.hangzhou, R.shenzhen):
        g.add((city, RDF.type, KGO.Place))
        g.add((R.obs, KGO.subject, city))
    g.add((R.obs, RDF.type, KGO.Observation))
    g.add((R.obs2, RDF.type, KGO.Observation))
    g.add((R.obs2, KGO.subject, R.hangzhou))
    inf = infer(g, ontology, str(R)).graph
    assert (R.hangzhou, OWL.sameAs, R.shenzhen) not in inf
    assert (R.obs2, KGO.subject, R.shenzhen) not in inf


# --- budgets --------------------------------------------------------------------------

def explosive(n: int) -> Graph:
    """A long owl:sameAs chain and a property both transitive and symmetric: n^2 triples."""
    g = Graph()
    near = KGO._NS["near"]
    g.add((near, RDF.type, OWL.TransitiveProperty))
    g.add((near, RDF.type, OWL.SymmetricProperty))
    for i in range(n):
        g.add((R[f"a{i}"], OWL.sameAs, R[f"a{i + 1}"]))
        g.add((R[f"b{i}"], near, R[f"b{i + 1}"]))
        g.add((R[f"a{i}"], KGO.subject, R[f"b{i}"]))
    return g


@pytest.mark.slow
@pytest.mark.parametrize("isolation", list(Isolation))
def test_size_budget_stops_an_explosive_closure(isolation):
    g = explosive(300)
    before = copy(g)
    result = infer(g, Graph(), str(R), budget=Budget(max_closure_triples=20_000, max_seconds=60),
                   isolation=isolation)
    assert result.outcome is Outcome.OVER_SIZE
    assert "20000 triples" in result.skipped and "asserted graph is kept" in result.skipped
    assert len(result.graph) == 0
    assert isomorphic(g, before)


@pytest.mark.slow
@pytest.mark.parametrize("isolation", list(Isolation))
def test_time_budget_stops_an_explosive_closure(isolation):
    g = explosive(400)
    before = copy(g)
    start = time.monotonic()
    result = infer(g, Graph(), str(R), budget=Budget(max_closure_triples=10**9, max_seconds=1.5),
                   isolation=isolation)
    elapsed = time.monotonic() - start
    assert result.outcome is Outcome.OVER_TIME
    assert "time budget of 1.5 s" in result.skipped and "asserted graph is kept" in result.skipped
    assert elapsed < 10
    assert isomorphic(g, before)


@pytest.mark.slow
def test_worker_is_stopped_from_outside_when_it_does_not_stop_itself(monkeypatch):
    """With the in-worker clock checks off, the parent terminates the worker at the budget."""
    monkeypatch.setattr(owl, "_CHECK_EVERY", 10**15)
    monkeypatch.setattr(owl, "_GRACE_SECONDS", 0.5)
    g = explosive(400)
    start = time.monotonic()
    result = infer(g, Graph(), str(R), budget=Budget(max_closure_triples=10**9, max_seconds=1.0))
    assert result.outcome is Outcome.OVER_TIME
    assert "stopped after the time budget of 1 s" in result.skipped
    assert time.monotonic() - start < 6


def test_input_budget_skips_reasoning(forum, ontology):
    result = infer(forum, ontology, str(R), budget=Budget(max_input_triples=10))
    assert result.outcome is Outcome.OVER_INPUT
    assert "over the budget of 10" in result.skipped and len(result.graph) == 0


def test_seeds_reasoning_is_complete_and_fast(seeds_graph):
    kg, report, _ = seeds_graph
    assert report.reasoning_note is None
    assert report.reasoning_seconds < 30
    assert len(kg.inferred) > 0
    assert not set(kg.inferred) & set(kg.asserted)


# --- kept apart in the files and in TriG ------------------------------------------------

def test_trig_export_keeps_three_named_graphs(seeds_graph, tmp_path):
    kg, _, path = seeds_graph
    out = tmp_path / "kg.trig"
    assert main(["export", "--graph", str(path), "--format", "trig", "--out", str(out)]) == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
    asserted, inferred = kg.graph_iri("asserted"), kg.graph_iri("inferred")
    assert set(graphs) == {str(asserted), str(inferred), ONTOLOGY_IRI}
    assert isomorphic(copy(graphs[str(asserted)]), kg.asserted)
    assert isomorphic(copy(graphs[str(inferred)]), kg.inferred)
    assert isomorphic(copy(graphs[ONTOLOGY_IRI]), kg.ontology)


def test_queries_see_the_union(forum, ontology):
    result = infer(forum, ontology, str(R))
    kg = KnowledgeGraph(asserted=forum, inferred=result.graph, ontology=ontology)
    ds = kg.dataset()
    rows = ds.query("PREFIX kgo: <https://kg.example.org/ontology#> "
                    "SELECT ?e WHERE { ?p kgo:participatesIn ?e ; a kgo:Person }")
    assert {row.e for row in rows} == {R.session, R.sub, R.forum}
    assert RDFFormat.TRIG.rdflib_name == "trig"


def test_a_range_does_not_silently_retype_an_entity(ontology):
    """A place given as an affiliation's organization (an extraction slip): the range of
    kgo:organization would make it an organization. The reasoner reports the clash and leaves
    the stray types out of the inferred graph, so queries never list the city as an
    organization."""
    g = Graph()
    g.add((R.shanghai, RDF.type, KGO.Place))
    g.add((R.fang, RDF.type, KGO.Person))
    g.add((R.aff, RDF.type, KGO.Affiliation))
    g.add((R.aff, KGO.person, R.fang))
    g.add((R.aff, KGO.organization, R.shanghai))
    result = infer(g, ontology, str(R))
    types = set(result.graph.objects(R.shanghai, RDF.type))
    assert KGO.Organization not in types and KGO.Agent not in types
    assert URIRef("https://schema.org/Place") in types  # what its own type implies stays
    assert any("shanghai is a kgo:Place" in m and "kgo:Organization" in m for m in result.inconsistencies)
    assert (R.fang, KGO.affiliatedWith, R.shanghai) in result.graph  # the claim stays; SHACL flags it


def _infer_in_daemon(queue) -> None:
    g = explosive(300)
    result = infer(g, Graph(), str(R), budget=Budget(max_closure_triples=20_000))
    queue.put(result.outcome.value)


@pytest.mark.slow
def test_inside_a_daemonic_worker_it_runs_inline_under_the_same_budget():
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_infer_in_daemon, args=(queue,), daemon=True)
    proc.start()
    try:
        assert queue.get(timeout=60) == Outcome.OVER_SIZE.value
    finally:
        proc.join(5)
