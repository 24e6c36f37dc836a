"""Literals and IRIs: any label extraction can produce (any text, in the normal form kg.textin
gives article text) survives Turtle, N-Triples, JSON-LD and TriG round trips as an isomorphic
graph, and every IRI kg mints (base + slug) is a valid IRI."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import _is_valid_uri

from kg import textin
from kg.graphs import KnowledgeGraph, RDFFormat, load
from kg.model import Affiliation, ArticleExtraction, Entity, Kind, OrgKind, Span
from kg.query import valid_iri
from kg.rdf import to_rdf
from kg.resolve import resolve, slug
from kg.vocab import DEFAULT_BASE, KGO

NASTY = [
    'Ada "The Quill" O\'Brien',
    "Back\\slash \\u0041 \\n Name",
    "Line one\nline two",
    'Triple """ quotes \'\'\' here',
    "Trailing backslash \\",
    "Emoji 🚀👩🏽‍🔬 Fund",
    "مؤسسة قطر للعلوم",          # right-to-left
    "בנק ישראל \u200f(BOI)",     # right-to-left with a mark
    "  spaced   out  ",
    "\t tabbed",
    "Zürich Café ﬁnance",        # compatibility ligature
    "中国科学技术发展战略研究院",
    "<script>alert('x')</script> & {braces} | pipe ^ caret `tick`",
    "@prefix x: <http://e/> . _:b a <x>",
    "a\u0301ccent decomposed",
    "\ufeffBOM inside",
    "NUL\x00 and BEL\x07 controls",
]


def _label(text: str) -> str:
    """A label as extraction could produce it: a piece of article text in kg's normal form."""
    return textin.normalise(text)


def _graph_with(names: list[str], base: str = DEFAULT_BASE) -> Graph:
    """The real path: an extraction naming these people and organisations, resolved and
    turned into RDF with provenance."""
    sentence = " ".join(names) or "x"
    entities, affiliations = [], []
    for i, name in enumerate(names):
        span = Span(0, len(name), sentence, 0)
        kind = Kind.PERSON if i % 2 == 0 else Kind.ORGANIZATION
        entities.append(Entity(f"e{i}", kind, name, aliases=[name + " alias"],
                               org_kind=OrgKind.COMPANY if kind is Kind.ORGANIZATION else None,
                               mentions=[span]))
        if i % 2 == 1:
            affiliations.append(Affiliation(f"e{i - 1}", f"e{i}", name.lower(), span))
    art = ArticleExtraction(article=names[0] + ".txt" if names else "a.txt", sha256="f" * 64,
                            title=sentence[:40], published=None, text_length=len(sentence),
                            entities=entities, affiliations=affiliations)
    return to_rdf(resolve([art]), base)


def _round_trips(g: Graph) -> None:
    kg = KnowledgeGraph(asserted=g, inferred=Graph(), ontology=Graph())
    for fmt in (RDFFormat.TURTLE, RDFFormat.NT, RDFFormat.JSONLD):
        back = Graph().parse(data=kg.export(fmt, include_inferred=False), format=fmt.rdflib_name)
        assert isomorphic(back, g), fmt
    ds = Dataset()
    ds.parse(data=kg.export(RDFFormat.TRIG), format="trig")
    assert isomorphic(ds.graph(kg.graph_iri("asserted")), g)
    with tempfile.TemporaryDirectory() as folder:  # kg's own save and load
        path = Path(folder) / "kg.ttl"
        kg.save(path)
        assert isomorphic(load(path).asserted, g)


def _iris(g: Graph) -> set[str]:
    return {str(t) for triple in g for t in triple if isinstance(t, URIRef)}


@pytest.mark.parametrize("name", NASTY, ids=range(len(NASTY)))
def test_nasty_names_survive_every_format(name):
    label = _label(name)
    g = _graph_with([label, label + " Holdings"])
    assert (None, RDFS.label, Literal(label)) in g or (None, SKOS.altLabel, Literal(label)) in g
    _round_trips(g)
    assert all(valid_iri(i) and _is_valid_uri(i) for i in _iris(g))


def test_normal_form_removes_what_no_format_can_carry():
    assert _label("NUL\x00 and BEL\x07") == "NUL and BEL"
    assert _label("\ufeffBOM") == "BOM"
    assert _label("a\u0301") == "\u00e1"


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1, max_size=40).map(_label).filter(str.strip), min_size=1, max_size=4))
def test_any_extracted_label_survives_every_format(names):
    g = _graph_with(names)
    _round_trips(g)
    assert all(valid_iri(i) for i in _iris(g))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_slugs_are_safe_path_segments(text):
    s = slug(text)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) and len(s) <= 90


_BASES = st.from_regex(r"https?://[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){0,2}(:[0-9]{2,5})?(/[A-Za-z0-9._~-]{1,12}){0,3}[/#]",
                       fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(_BASES, st.sampled_from(["person", "org", "event", "place", "article"]), st.text(max_size=120))
def test_minted_iris_are_valid(base, kind, name):
    iri = f"{base}{kind}/{slug(name)}"
    assert valid_iri(iri) and _is_valid_uri(iri)
    assert not re.search(r"[\s<>\"{}|\\^`]", iri)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BASES, st.lists(st.text(min_size=1, max_size=30).map(_label).filter(str.strip), min_size=1, max_size=3))
def test_every_iri_in_a_built_graph_is_valid(base, names):
    g = _graph_with(names, base)
    assert all(valid_iri(i) and _is_valid_uri(i) for i in _iris(g))


def test_nasty_names_survive_the_oxigraph_store(tmp_path):
    """The same labels through kg's store (N-Triples into Oxigraph, SPARQL results back)."""
    from kg.build import BuildReport, write_store
    from kg.query import resolve_query
    from kg.store import Store

    labels = [_label(n) for n in NASTY]
    g = _graph_with(labels)
    kg = KnowledgeGraph(asserted=g, inferred=Graph(), ontology=Graph())
    folder = tmp_path / "store"
    write_store(kg, folder, "test", BuildReport(out=None))
    rows = Store(folder).run(resolve_query("people")).rows
    people = {str(o) for s in g.subjects(RDF.type, KGO.Person) for o in g.objects(s, RDFS.label)}
    assert {str(row["name"]) for row in rows} == people
    assert set(labels[0::2]) <= people
