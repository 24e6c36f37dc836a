"""SHACL validation: kg.validate and `kg validate` (exit 0 conforms, 1 violations, 2 error)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kg.cli import main
from kg.graphs import load_ontology
from kg.validate import Severity, load_shapes, validate
from kg.vocab import KGO

R = "https://kg.example.org/resource/"

# A small graph with one of everything the shapes look at, as kg.rdf writes it.
VALID = """
@prefix kgo: <https://kg.example.org/ontology#> .
@prefix kgr: <https://kg.example.org/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kgr:person\\/fang a kgo:Person ; rdfs:label "Fang Hanting" ; kgo:mentionedIn kgr:article\\/a1 .
kgr:org\\/zju a kgo:University ; rdfs:label "Zhejiang University" ; kgo:mentionedIn kgr:article\\/a1 .
kgr:org\\/zju-law a kgo:Department ; rdfs:label "Law School" ; kgo:subOrganizationOf kgr:org\\/zju .
kgr:place\\/shanghai a kgo:Place ; rdfs:label "Shanghai" .
kgr:event\\/forum a kgo:Forum ; rdfs:label "Pujiang Innovation Forum" ;
    kgo:date "2023-09-10"^^xsd:date ; kgo:location kgr:place\\/shanghai ; kgo:mentionedIn kgr:article\\/a1 .
kgr:event\\/sub a kgo:SubForum ; rdfs:label "Finance Sub-forum" ; kgo:subEventOf kgr:event\\/forum .
kgr:article\\/a1 a kgo:Article ; rdfs:label "a1.txt" ; kgo:fileName "a1.txt" ;
    kgo:published "2023-09-11"^^xsd:date .
kgr:span\\/s1 a kgo:TextSpan ; kgo:inArticle kgr:article\\/a1 ; kgo:sentence "Fang Hanting spoke." ;
    kgo:startOffset "0"^^xsd:nonNegativeInteger ; kgo:endOffset "19"^^xsd:nonNegativeInteger .
kgr:affiliation\\/f1 a kgo:Affiliation ; kgo:statedIn kgr:article\\/a1 ; kgo:evidence kgr:span\\/s1 ;
    kgo:person kgr:person\\/fang ; kgo:organization kgr:org\\/zju ; kgo:title "doctoral supervisor" ;
    kgo:atEvent kgr:event\\/forum .
kgr:participation\\/p1 a kgo:Participation ; kgo:statedIn kgr:article\\/a1 ; kgo:evidence kgr:span\\/s1 ;
    kgo:participant kgr:person\\/fang ; kgo:event kgr:event\\/sub ; kgo:role kgo:Speaker .
kgr:organizing\\/o1 a kgo:Organizing ; kgo:statedIn kgr:article\\/a1 ; kgo:evidence kgr:span\\/s1 ;
    kgo:organizer kgr:org\\/zju ; kgo:event kgr:event\\/forum ; kgo:role kgo:Host .
kgr:observation\\/m1 a kgo:Observation ; kgo:statedIn kgr:article\\/a1 ; kgo:evidence kgr:span\\/s1 ;
    kgo:subject kgr:place\\/shanghai ; kgo:measure "research and development spending" ;
    kgo:year "2022"^^xsd:gYear ; kgo:hasValue kgr:value\\/v1 .
kgr:value\\/v1 a kgo:QuantityValue ; kgo:numericValue "120500000000"^^xsd:decimal ; kgo:unit kgo:CNY ;
    kgo:valueText "120.5 billion yuan" .
"""


def r(key: str) -> URIRef:
    return URIRef(R + key)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture()
def valid() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def test_valid_graph_conforms_and_is_not_changed(valid, ontology):
    before = Graph()
    for t in valid:
        before.add(t)
    report = validate(valid, ontology)
    assert report.conforms, report.text()
    assert report.results == []
    assert isomorphic(valid, before)  # the input is never changed in place
    assert "no violations" in report.text()


def _one(report, path: str | None = None):
    assert not report.conforms
    hits = [v for v in report.violations if path is None or v.path == path]
    assert hits, report.text()
    return hits[0]


@pytest.mark.parametrize("node, prop, path", [
    ("person/fang", RDFS.label, "rdfs:label"),
    ("org/zju", RDFS.label, "rdfs:label"),
    ("event/forum", RDFS.label, "rdfs:label"),
    ("affiliation/f1", KGO.person, "kgo:person"),
    ("affiliation/f1", KGO.organization, "kgo:organization|kgo:jurisdiction"),
    ("participation/p1", KGO.participant, "kgo:participant"),
    ("participation/p1", KGO.event, "kgo:event"),
    ("participation/p1", KGO.role, "kgo:role"),
    ("observation/m1", KGO.subject, "kgo:subject"),
    ("observation/m1", KGO.statedIn, "kgo:statedIn"),
    ("value/v1", KGO.numericValue, "kgo:numericValue"),
    ("value/v1", KGO.unit, "kgo:unit"),
])
def test_a_missing_required_link_is_a_violation(valid, ontology, node, prop, path):
    valid.remove((r(node), prop, None))
    v = _one(validate(valid, ontology), path)
    assert v.severity is Severity.VIOLATION
    assert v.focus.endswith(node.split("/")[-1]) or node in v.focus
    assert v.articles == ("a1.txt",)
    assert v.message


def test_two_labels_are_a_violation(valid, ontology):
    valid.add((r("person/fang"), RDFS.label, Literal("Hanting Fang")))
    v = _one(validate(valid, ontology), "rdfs:label")
    assert "exactly one rdfs:label" in v.message


def test_a_unit_outside_the_list_is_a_violation(valid, ontology):
    valid.set((r("value/v1"), KGO.unit, KGO._NS["Yuan"]))  # a typo'd unit
    v = _one(validate(valid, ontology), "kgo:unit")
    assert "kgo:Unit" in v.message and v.articles == ("a1.txt",)


def test_a_role_outside_the_list_is_a_violation(valid, ontology):
    valid.set((r("participation/p1"), KGO.role, KGO._NS["Speakr"]))
    _one(validate(valid, ontology), "kgo:role")


@pytest.mark.parametrize("node, prop, bad", [
    ("event/forum", KGO.date, Literal("2023-09-10")),  # a plain string, not xsd:date
    ("event/forum", KGO.date, Literal("2023-09-10T09:00:00", datatype=XSD.dateTime)),
    ("article/a1", KGO.published, Literal("September 2023")),
    ("value/v1", KGO.numericValue, Literal("lots")),
    ("observation/m1", KGO.year, Literal("2022")),
])
def test_wrong_datatypes_are_violations(valid, ontology, node, prop, bad):
    valid.set((r(node), prop, bad))
    v = _one(validate(valid, ontology), prop.n3(valid.namespace_manager))
    assert v.value is not None


def test_a_link_to_the_wrong_kind_of_thing_is_a_violation(valid, ontology):
    valid.set((r("affiliation/f1"), KGO.organization, r("place/shanghai")))
    _one(validate(valid, ontology), "kgo:organization")


def test_disjoint_kinds_are_a_violation(valid, ontology):
    valid.add((r("person/fang"), RDF.type, KGO.Organization))
    report = validate(valid, ontology)
    assert any("not also an organization" in v.message for v in report.violations), report.text()


def test_inferred_triples_do_not_hide_a_bad_link(valid, ontology):
    """An untyped participant would become a kgo:Agent by the range of kgo:participant in
    the inferred graph; validation reads the asserted graph, so the bad link is reported."""
    valid.set((r("participation/p1"), KGO.participant, r("thing/unknown")))
    _one(validate(valid, ontology), "kgo:participant")


def test_every_ontology_role_and_unit_is_allowed_by_the_shapes(ontology):
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    shapes = load_shapes()
    allowed = {}
    for prop in (KGO.role, KGO.unit):
        lists = [shapes.value(ps, SH["in"]) for ps in shapes.subjects(SH.path, prop)]
        allowed[prop] = [set(Collection(shapes, lst)) for lst in lists if lst is not None]
    roles = set(ontology.subjects(RDF.type, KGO.Role))
    units = set(ontology.subjects(RDF.type, KGO.Unit))
    assert roles in allowed[KGO.role]  # participations: any role
    assert all(s <= roles for s in allowed[KGO.role])
    assert allowed[KGO.unit] == [units]


# --- the CLI, in-process, on the graph built from the seeds -----------------------------

def test_cli_seeds_graph_conforms(seeds_graph, capsys):
    _, _, path = seeds_graph
    assert main(["validate", "--graph", str(path)]) == 0
    assert "no violations" in capsys.readouterr().out


def _write(graph: Graph, path: Path) -> None:
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")


def test_cli_fails_readably_without_labels(seeds_graph, tmp_path, capsys):
    kg, _, _ = seeds_graph
    g = Graph()
    for t in kg.asserted:
        g.add(t)
    people = set(g.subjects(RDF.type, KGO.Person))
    assert people, "the seeds name people"
    for person in people:
        g.remove((person, RDFS.label, None))
    broken = tmp_path / "kg.ttl"
    _write(g, broken)
    assert main(["validate", "--graph", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{len(people)} violation" in err
    assert "focus:" in err and "path:    rdfs:label" in err
    assert "exactly one rdfs:label" in err
    assert ".txt" in err  # the article each came from


def test_cli_fails_without_required_links(seeds_graph, tmp_path, capsys):
    kg, _, _ = seeds_graph
    g = Graph()
    for t in kg.asserted:
        g.add(t)
    # the first required link the seeds graph has (richer extraction brings more)
    for cls, prop in ((KGO.Participation, KGO.event),
                      (KGO.Observation, KGO.subject), (KGO.TextSpan, KGO.inArticle)):
        nodes = [s for s in g.subjects(RDF.type, cls) if (s, prop, None) in g]
        if nodes:
            break
    else:
        pytest.skip("the seeds graph has no n-ary statements yet")
    for node in nodes:
        g.remove((node, prop, None))
    broken = tmp_path / "kg.ttl"
    _write(g, broken)
    assert main(["validate", "--graph", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"path:    {prop.n3(g.namespace_manager)}" in err
    assert "article: " in err


def test_cli_missing_graph_is_an_error(tmp_path, capsys):
    assert main(["validate", "--graph", str(tmp_path / "nope.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_bad_turtle_is_an_error(tmp_path, capsys):
    bad = tmp_path / "kg.ttl"
    bad.write_text("this is not turtle .", encoding="utf-8")
    assert main(["validate", "--graph", str(bad)]) == 2
    assert "not valid Turtle" in capsys.readouterr().err


def test_build_validates_and_reports_the_count(seeds_graph):
    _, report, _ = seeds_graph
    assert report.violations == 0
    assert "validation: 0 SHACL violations" in report.summary()


@pytest.mark.slow
def test_cli_reason_reports_a_range_clash(valid, tmp_path, capsys):
    valid.set((r("affiliation/f1"), KGO.organization, r("place/shanghai")))  # a place as employer
    path = tmp_path / "kg.ttl"
    _write(valid, path)
    assert main(["validate", "--graph", str(path), "--reason"]) == 1
    err = capsys.readouterr().err
    assert "not a kgo:Organization" in err  # SHACL
    assert "reasoning: 2 problem(s)" in err and "left out of the inferred graph" in err  # owlrl


@pytest.mark.slow
def test_cli_reason_on_a_valid_graph(valid, tmp_path, capsys):
    path = tmp_path / "kg.ttl"
    _write(valid, path)
    assert main(["validate", "--graph", str(path), "--reason"]) == 0
    assert "reasoning: consistent" in capsys.readouterr().out
