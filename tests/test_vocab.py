"""kg/vocab.py (the closed KGO namespace) and ontology/kg.ttl agree, both ways; the shapes and
the named queries use only terms the ontology defines."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg import io
from kg.graphs import load_ontology
from kg.validate import load_shapes
from kg.vocab import KGO, KGO_IRI


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def vocab_terms() -> set[str]:
    return {name for name in KGO.__annotations__ if not name.startswith("_")}


def defined_terms(g: Graph) -> set[str]:
    """kgo: terms the ontology defines: subjects with an rdf:type."""
    return {str(s)[len(KGO_IRI):] for s in g.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(KGO_IRI)}


def used_terms(g: Graph) -> set[str]:
    return {str(t)[len(KGO_IRI):] for triple in g for t in triple
            if isinstance(t, URIRef) and str(t).startswith(KGO_IRI)}


def test_every_vocab_term_is_defined_in_the_ontology(ontology):
    missing = vocab_terms() - defined_terms(ontology)
    assert not missing, f"in kg/vocab.py but not defined in ontology/kg.ttl: {sorted(missing)}"


def test_every_ontology_term_is_in_the_vocab(ontology):
    missing = defined_terms(ontology) - vocab_terms()
    assert not missing, f"defined in ontology/kg.ttl but missing from kg/vocab.py: {sorted(missing)}"


def test_the_ontology_uses_only_terms_it_defines(ontology):
    undefined = used_terms(ontology) - defined_terms(ontology)
    assert not undefined, f"used but never defined: {sorted(undefined)}"


def test_every_term_is_labelled_and_commented(ontology):
    for name in sorted(vocab_terms()):
        term = KGO._NS[name]
        assert ontology.value(term, RDFS.label), f"kgo:{name} has no rdfs:label"
        assert ontology.value(term, RDFS.comment), f"kgo:{name} has no rdfs:comment"


def test_the_namespace_is_closed():
    with pytest.raises(AttributeError):
        KGO.Persn  # noqa: B018 - a misspelt term must fail at once
    assert KGO.Person == URIRef(KGO_IRI + "Person")


def test_the_shapes_use_only_defined_terms(ontology):
    undefined = used_terms(load_shapes()) - defined_terms(ontology)
    assert not undefined, f"ontology/shapes.ttl uses undefined terms: {sorted(undefined)}"


def test_the_named_queries_use_only_defined_terms(ontology):
    defined = defined_terms(ontology)
    for path in sorted(io.data_dir("queries").glob("*.rq")):
        text = re.sub(r"#[^\n]*", "", io.read_text(path))  # comments may name anything
        used = set(re.findall(r"\bkgo:([A-Za-z_][\w-]*)", text))
        assert used <= defined, f"{path.name} uses undefined terms: {sorted(used - defined)}"
