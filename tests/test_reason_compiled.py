"""The compiled rules (kg.reason.compiled) against owlrl: the same inferred triples and the same
problems on real graphs and on every kind of axiom the rules compile; what they do not
compile is named and left to owlrl."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.graphs import load_ontology
from kg.reason import Budget, Engine, Isolation, Outcome, Reasoning, infer
from kg.reason.compiled import compile_program
from kg.shortcuts import SHORTCUT_PREDICATES
from kg.vocab import DEFAULT_BASE, KGO

R = Namespace(DEFAULT_BASE)
X = Namespace("https://example.org/x#")
DATA = Path(__file__).parent / "data" / "reasoning"
BIG = Budget(max_seconds=300, max_input_triples=10**7, max_closure_triples=10**8)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def both(data: Graph, ontology: Graph):
    owlrl = infer(data, ontology, str(R), engine=Engine.OWLRL, budget=BIG, isolation=Isolation.INLINE)
    rules = infer(data, ontology, str(R), engine=Engine.RULES, budget=BIG)
    assert owlrl.outcome is Outcome.COMPLETE and rules.outcome is Outcome.COMPLETE
    assert (owlrl.engine, rules.engine) == (Engine.OWLRL, Engine.RULES)
    return owlrl, rules


def test_kg_ontology_compiles_completely(ontology):
    program = compile_program(ontology)
    assert program.unsupported == []
    assert KGO.subEventOf in program.transitive
    assert ((KGO.participatesIn, KGO.subEventOf), KGO.participatesIn) in program.chains


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dev.ttl", "fresh.ttl"])
def test_same_closure_as_owlrl_on_built_graphs(name, ontology):
    data = Graph().parse(DATA / name, format="turtle")
    owlrl, rules = both(data, ontology)
    assert len(owlrl.graph) > 500
    assert set(rules.graph) == set(owlrl.graph)
    assert rules.inconsistencies == owlrl.inconsistencies == []


@pytest.mark.slow
def test_same_closure_as_owlrl_on_the_seeds(seeds_graph, ontology):
    kg, _, _ = seeds_graph
    owlrl, rules = both(kg.asserted, ontology)
    # the build's inferred graph is the closure plus the query shortcuts (kg.shortcuts)
    closure = {t for t in kg.inferred if t[1] not in SHORTCUT_PREDICATES}
    assert set(rules.graph) == set(owlrl.graph) == closure


def test_same_problems_as_owlrl(ontology):
    """A person where an event belongs (a disjointness clash) and a place where an
    organisation belongs (a stray type from a range): both engines report both, and leave
    the same types out."""
    g = Graph()
    g.add((R.fang, RDF.type, KGO.Person))
    g.add((R.part, RDF.type, KGO.Participation))
    g.add((R.part, KGO.event, R.fang))
    g.add((R.shanghai, RDF.type, KGO.Place))
    g.add((R.aff, RDF.type, KGO.Affiliation))
    g.add((R.aff, KGO.person, R.fang))
    g.add((R.aff, KGO.organization, R.shanghai))
    owlrl, rules = both(g, ontology)
    assert set(rules.graph) == set(owlrl.graph)
    assert (R.shanghai, RDF.type, KGO.Organization) not in rules.graph
    stray = [m for m in rules.inconsistencies if "domain or range" in m]
    assert stray == [m for m in owlrl.inconsistencies if "domain or range" in m]
    assert any("shanghai is a kgo:Place" in m for m in stray)
    assert any("isjoint" in m and "fang" in m for m in rules.inconsistencies)
    assert any("isjoint" in m for m in owlrl.inconsistencies)


def _toy_ontology() -> Graph:
    """Every axiom kind the rules compile, on a toy vocabulary."""
    o = Graph()
    o.add((X.Dog, RDFS.subClassOf, X.Animal))
    o.add((X.Animal, RDFS.subClassOf, X.Thing))
    o.add((X.Hound, OWL.equivalentClass, X.Dog))
    o.add((X.near, RDF.type, OWL.SymmetricProperty))
    o.add((X.ancestor, RDF.type, OWL.TransitiveProperty))
    o.add((X.parent, RDFS.subPropertyOf, X.ancestor))
    o.add((X.child, OWL.inverseOf, X.parent))
    o.add((X.kin, OWL.equivalentProperty, X.relative))
    o.add((X.owns, RDFS.domain, X.Person))
    o.add((X.owns, RDFS.range, X.Animal))
    o.add((X.Person, OWL.disjointWith, X.Animal))
    Collection(o, X.chain3, [X.parent, X.owns, X.near])
    o.add((X.parentsPetsNeighbour, OWL.propertyChainAxiom, X.chain3))
    return o


def test_every_compiled_axiom_kind_agrees_with_owlrl():
    o = _toy_ontology()
    assert compile_program(o).unsupported == []
    g = Graph()
    g.add((R.rex, RDF.type, X.Hound))
    g.add((R.ann, X.parent, R.bob))
    g.add((R.bob, X.parent, R.cy))
    g.add((R.cy, X.kin, R.dee))
    g.add((R.bob, X.owns, R.rex))
    g.add((R.rex, X.near, R.fido))
    g.add((R.cy, X.owns, R.cy))  # cy is a person and an animal: a disjointness clash
    owlrl, rules = both(g, o)
    assert set(rules.graph) == set(owlrl.graph)
    for triple in [(R.ann, X.ancestor, R.cy), (R.cy, X.child, R.bob), (R.fido, X.near, R.rex),
                   (R.cy, X.relative, R.dee),
                   (R.rex, RDF.type, X.Thing), (R.ann, X.parentsPetsNeighbour, R.fido)]:
        assert triple in rules.graph, triple
    assert any("isjoint" in m and "cy" in m for m in rules.inconsistencies)
    assert any("isjoint" in m for m in owlrl.inconsistencies)


def test_what_does_not_compile_is_named_and_left_to_owlrl():
    o = _toy_ontology()
    restriction = X.r
    o.add((restriction, RDF.type, OWL.Restriction))
    o.add((restriction, OWL.onProperty, X.owns))
    o.add((restriction, OWL.someValuesFrom, X.Dog))
    o.add((restriction, RDFS.subClassOf, X.DogOwner))
    unsupported = compile_program(o).unsupported
    assert any("someValuesFrom" in u for u in unsupported)
    g = Graph()
    g.add((R.bob, X.owns, R.rex))
    g.add((R.rex, RDF.type, X.Dog))
    forced = infer(g, o, str(R), engine=Engine.RULES)
    assert forced.outcome is Outcome.FAILED and "do not cover" in forced.skipped
    auto = infer(g, o, str(R), engine=Engine.AUTO, isolation=Isolation.INLINE)
    assert auto.engine is Engine.OWLRL and (R.bob, RDF.type, X.DogOwner) in auto.graph


@pytest.mark.slow
def test_auto_switches_to_the_rules_on_large_input(ontology, monkeypatch):
    from kg import reason

    data = Graph().parse(DATA / "fresh.ttl", format="turtle")
    monkeypatch.setattr(reason, "OWLRL_MAX_INPUT", 100)
    auto = infer(data, ontology, str(R))
    assert auto.engine is Engine.RULES
    monkeypatch.setattr(reason, "OWLRL_MAX_INPUT", 10**6)
    small = infer(data, ontology, str(R), isolation=Isolation.INLINE)
    assert small.engine is Engine.OWLRL
    assert set(auto.graph) == set(small.graph)


def test_streamed_in_parts_gives_the_same_closure(ontology):
    data = Graph().parse(DATA / "fresh.ttl", format="turtle")
    whole = infer(data, ontology, str(R), engine=Engine.RULES)
    run = Reasoning(ontology, str(R), engine=Engine.RULES)
    triples = sorted(data)
    for i in range(0, len(triples), 97):
        run.add(triples[i:i + 97])
    assert set(run.finish().graph) == set(whole.graph)


@pytest.mark.slow
def test_size_budget_stops_the_rules():
    o = Graph()
    o.add((X.near, RDF.type, OWL.TransitiveProperty))
    o.add((X.near, RDF.type, OWL.SymmetricProperty))
    g = Graph()
    for i in range(400):
        g.add((R[f"b{i}"], X.near, R[f"b{i + 1}"]))
    result = infer(g, o, str(R), engine=Engine.RULES, budget=Budget(max_rules_triples=20_000))
    assert result.outcome is Outcome.OVER_SIZE and "20000 triples" in result.skipped
    assert len(result.graph) == 0
