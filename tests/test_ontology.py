"""The ontology: sound alignments with standard vocabularies, the axioms owlrl uses, and
logical consistency checked by a real OWL DL reasoner (HermiT, through owlready2)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg import io
from kg.graphs import load_ontology
from kg.vocab import KGO, KGO_IRI

CHECKOUT = Path(__file__).resolve().parent.parent / "ontology"
STANDARD = {
    "https://schema.org/": "schema.org",
    "http://www.w3.org/ns/org#": "ORG",
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://www.w3.org/2004/02/skos/core#": "SKOS",
    "http://xmlns.com/foaf/0.1/": "FOAF",
    "http://www.w3.org/ns/sosa/": "SOSA",
}
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def is_kgo(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(KGO_IRI)


def vocabulary(term) -> str | None:
    return next((name for ns, name in STANDARD.items() if str(term).startswith(ns)), None)


def alignments(g: Graph) -> list[tuple]:
    return [(s, p, o) for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                                OWL.equivalentProperty)
            for s, o in g.subject_objects(p) if is_kgo(s) and vocabulary(o)]


def test_kg_loads_the_ontology_of_this_checkout(ontology):
    """An installed copy of the ontology (hatch force-include) goes stale after an edit."""
    if not (CHECKOUT / "kg.ttl").exists():
        pytest.skip("not running from a checkout")
    shipped = io.data_dir("ontology")
    for name in ("kg.ttl", "shapes.ttl"):
        assert (shipped / name).read_bytes() == (CHECKOUT / name).read_bytes(), (
            f"{shipped / name} differs from ontology/{name}: run `pip install -e . --no-deps`")


def test_at_least_ten_alignments_over_five_vocabularies(ontology):
    found = alignments(ontology)
    assert len(found) >= 10
    assert {vocabulary(o) for _, _, o in found} >= {"schema.org", "ORG", "PROV-O", "FOAF", "SOSA"}
    # SKOS: aliases are skos:altLabel; roles and units are skos:Concepts
    assert (KGO.Role, RDFS.subClassOf, URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in ontology


def test_alignments_are_one_way(ontology):
    """Subclass / subproperty only: an equivalence would pull outside data into kg's classes."""
    equivalences = [t for t in alignments(ontology) if t[1] in (OWL.equivalentClass, OWL.equivalentProperty)]
    assert equivalences == []


def test_the_required_alignments(ontology):
    prov, foaf, sosa = (Namespace("http://www.w3.org/ns/prov#"), Namespace("http://xmlns.com/foaf/0.1/"),
                        Namespace("http://www.w3.org/ns/sosa/"))
    for triple in [
        (KGO.Event, RDFS.subClassOf, SCHEMA.Event),
        (KGO.Person, RDFS.subClassOf, SCHEMA.Person),
        (KGO.Person, RDFS.subClassOf, foaf.Person),
        (KGO.Organization, RDFS.subClassOf, SCHEMA.Organization),
        (KGO.Organization, RDFS.subClassOf, ORG.Organization),
        (KGO.Place, RDFS.subClassOf, SCHEMA.Place),
        (KGO.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (KGO.Article, RDFS.subClassOf, prov.Entity),
        (KGO.Affiliation, RDFS.subClassOf, ORG.Membership),
        (KGO.affiliatedWith, RDFS.subPropertyOf, ORG.memberOf),
        (KGO.person, RDFS.subPropertyOf, ORG.member),
        (KGO.organization, RDFS.subPropertyOf, ORG.organization),
        (KGO.subOrganizationOf, RDFS.subPropertyOf, ORG.transitiveSubOrganizationOf),
        (KGO.statedIn, RDFS.subPropertyOf, prov.wasDerivedFrom),
        (KGO.Observation, RDFS.subClassOf, sosa.Observation),
        (KGO.subject, RDFS.subPropertyOf, sosa.hasFeatureOfInterest),
    ]:
        assert triple in ontology, triple


def test_transitive_properties_only_specialise_transitive_ones(ontology):
    """ORG keeps org:subOrganizationOf for the direct link; its transitive closure is
    org:transitiveSubOrganizationOf. A transitive kgo property under the direct one would
    claim direct links that are not."""
    direct_only = {ORG.subOrganizationOf, ORG.hasSubOrganization}
    for prop in ontology.subjects(RDF.type, OWL.TransitiveProperty):
        assert not set(ontology.objects(prop, RDFS.subPropertyOf)) & direct_only, prop


def test_axioms_for_queries(ontology):
    for prop in (KGO.subEventOf, KGO.hasSubEvent, KGO.subOrganizationOf, KGO.hasSubOrganization):
        assert (prop, RDF.type, OWL.TransitiveProperty) in ontology
    for a, b in ((KGO.subEventOf, KGO.hasSubEvent), (KGO.participatesIn, KGO.hasParticipant),
                 (KGO.organizes, KGO.organizedBy), (KGO.subOrganizationOf, KGO.hasSubOrganization),
                 (KGO.hasAffiliation, KGO.person), (KGO.hasParticipation, KGO.participant)):
        assert (a, OWL.inverseOf, b) in ontology
    chains = [list(Collection(ontology, c)) for c in ontology.objects(KGO.participatesIn, OWL.propertyChainAxiom)]
    assert [KGO.participatesIn, KGO.subEventOf] in chains
    assert [KGO.hasParticipation, KGO.event] in chains


def test_no_object_property_is_functional(ontology):
    """Cardinality is SHACL's job: a functional object property would turn one extraction
    slip into an owl:sameAs between two entities."""
    functional = [p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
                  if (p, RDF.type, OWL.ObjectProperty) in ontology]
    assert functional == []


def test_people_organizations_events_places_are_disjoint(ontology):
    groups = [set(Collection(ontology, ontology.value(d, OWL.members)))
              for d in ontology.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert any({KGO.Person, KGO.Organization, KGO.Event, KGO.Place} <= g for g in groups)


def test_domains_and_ranges_name_defined_classes_or_datatypes(ontology):
    for p in (RDFS.domain, RDFS.range):
        for prop, cls in ontology.subject_objects(p):
            if is_kgo(prop):
                assert (is_kgo(cls) and (cls, RDF.type, OWL.Class) in ontology) or str(cls).startswith(str(XSD)), \
                    f"{prop} {p} {cls}"


def test_n_ary_links_have_domains(ontology):
    """A link used on the wrong node type makes it a kgo:Statement, which is disjoint from
    every entity class: the mistake shows up as an inconsistency, not as a new type."""
    for prop in (KGO.event, KGO.role, KGO.evidence, KGO.person, KGO.organization, KGO.participant,
                 KGO.organizer, KGO.subject, KGO.statedIn):
        assert ontology.value(prop, RDFS.domain) is not None, prop


# --- a real OWL DL reasoner -----------------------------------------------------------

def hermit(graph: Graph, tmp_path: Path) -> tuple[bool, list[str]]:
    """(consistent, unsatisfiable classes) by HermiT, through owlready2. xsd:date and
    xsd:gYear are outside the OWL 2 datatype map, so HermiT is told to ignore them."""
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    path = tmp_path / "input.nt"
    path.write_text(graph.serialize(format="nt"), encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, []
    unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    return True, unsat


@pytest.mark.slow
def test_hermit_finds_the_ontology_consistent_and_every_class_satisfiable(ontology, tmp_path):
    consistent, unsat = hermit(ontology, tmp_path)
    assert consistent
    assert unsat == []


@pytest.mark.slow
def test_hermit_finds_ontology_and_seeds_graph_consistent(ontology, seeds_graph, tmp_path):
    kg, _, _ = seeds_graph
    g = Graph()
    for t in ontology:
        g.add(t)
    for t in kg.asserted:
        g.add(t)
    consistent, unsat = hermit(g, tmp_path)
    assert consistent
    assert unsat == []


@pytest.mark.slow
def test_hermit_has_teeth(ontology, tmp_path):
    """The check is not vacuous: a person who is an organization is inconsistent, and a
    class under both kgo:Person and kgo:Event is unsatisfiable."""
    clash = Graph()
    for t in ontology:
        clash.add(t)
    who = URIRef("https://kg.example.org/resource/x")
    clash.add((who, RDF.type, KGO.Person))
    clash.add((who, RDF.type, KGO.Organization))
    assert hermit(clash, tmp_path)[0] is False

    odd = Graph()
    for t in ontology:
        odd.add(t)
    cls = URIRef(KGO_IRI + "PersonEvent")
    odd.add((cls, RDF.type, OWL.Class))
    odd.add((cls, RDFS.subClassOf, KGO.Person))
    odd.add((cls, RDFS.subClassOf, KGO.Event))
    odd.add((cls, RDFS.label, Literal("impossible")))
    consistent, unsat = hermit(odd, tmp_path)
    assert consistent and unsat == [str(cls)]
    assert not isinstance(cls, BNode)


# --- the generated reference page -------------------------------------------------------

def test_docs_ontology_page_is_up_to_date(ontology):
    from kg.ontodoc import render
    from kg.validate import load_shapes

    page = Path(__file__).resolve().parent.parent / "docs" / "ontology.md"
    assert page.read_text(encoding="utf-8") == render(ontology, load_shapes()), \
        "docs/ontology.md is out of date: run `python -m kg.ontodoc`"


def test_docs_page_lists_every_term_with_an_example(ontology):
    from kg.ontodoc import alignments, render

    page = render(ontology)
    for s in set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, OWL.ObjectProperty)) \
            | set(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        if is_kgo(s):
            section = page.split(f"### kgo:{str(s)[len(KGO_IRI):]}\n", 1)
            assert len(section) == 2, s
            assert "```turtle" in section[1].split("### ", 1)[0], f"no example for {s}"
    assert f"{len(alignments(ontology))} alignments" in page


def test_ontodoc_check_mode(tmp_path, capsys):
    from kg.ontodoc import main as ontodoc

    out = tmp_path / "ontology.md"
    assert ontodoc(["--check", "--out", str(out)]) == 1
    assert ontodoc(["--out", str(out)]) == 0
    assert ontodoc(["--check", "--out", str(out)]) == 0
