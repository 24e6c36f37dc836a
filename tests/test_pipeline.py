"""The pipeline end to end on small articles of our own: RDF shape, provenance, determinism."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build import build
from kg.graphs import load
from kg.model import (
    Affiliation,
    ArticleExtraction,
    Entity,
    EventKind,
    Kind,
    Observation,
    OrgKind,
    Participation,
    Role,
    Span,
    Unit,
    Value,
)
from kg.rdf import to_rdf
from kg.resolve import resolve
from kg.vocab import KGO


def _span(text: str, sentence: str, offset: int = 0) -> Span:
    start = sentence.index(text)
    return Span(offset + start, offset + start + len(text), sentence, offset)


def _article(name: str, sha: str) -> ArticleExtraction:
    s1 = "Ada Quill, chief economist of Norland Bank, spoke at the Harbour Finance Forum."
    s2 = "Norland Bank lent 3.5 billion yuan in 2022."
    art = ArticleExtraction(article=name, sha256=sha, title="A title", published="2024-05-02",
                            text_length=200)
    art.entities = [
        Entity("e1", Kind.PERSON, "Ada Quill", mentions=[_span("Ada Quill", s1)]),
        Entity("e2", Kind.ORGANIZATION, "Norland Bank", aliases=["NB"], org_kind=OrgKind.BANK,
               mentions=[_span("Norland Bank", s1)]),
        Entity("e3", Kind.EVENT, "Harbour Finance Forum", event_kind=EventKind.FORUM,
               date="2024-05-01", mentions=[_span("Harbour Finance Forum", s1)]),
        Entity("e4", Kind.EVENT, "signing ceremony", event_kind=EventKind.SIGNING, named=False,
               parent="e3"),
    ]
    art.affiliations = [Affiliation("e1", "e2", "chief economist", _span("chief economist", s1))]
    art.participations = [Participation("e3", "e1", Role.SPEAKER, _span("spoke", s1)),
                          Participation("e4", "e2", Role.SIGNATORY, _span("Norland Bank", s1))]
    art.observations = [Observation("e2", "loans", [Value(3.5e9, Unit.CNY, "3.5 billion yuan")], 2022,
                                    _span("3.5 billion yuan", s2, 100))]
    return art


def test_rdf_shape_and_provenance():
    g = to_rdf(resolve([_article("a.txt", "a" * 64)]))
    person = next(g.subjects(RDFS.label, Literal("Ada Quill")))
    assert (person, RDF.type, KGO.Person) in g
    bank = next(g.subjects(RDFS.label, Literal("Norland Bank")))
    assert (bank, RDF.type, KGO.Bank) in g
    assert (bank, SKOS.altLabel, Literal("NB")) in g
    aff = next(g.subjects(KGO.person, person))
    assert (aff, RDF.type, KGO.Affiliation) in g
    assert (aff, KGO.organization, bank) in g
    assert (aff, KGO.title, Literal("chief economist")) in g
    span = g.value(aff, KGO.evidence)
    assert g.value(span, KGO.sentence).startswith("Ada Quill, chief economist")
    assert int(g.value(span, KGO.startOffset)) == 11
    assert int(g.value(span, KGO.endOffset)) == 26
    assert g.value(aff, KGO.statedIn) == g.value(span, KGO.inArticle)
    obs = next(g.subjects(RDF.type, KGO.Observation))
    value = g.value(obs, KGO.hasValue)
    assert g.value(value, KGO.numericValue).toPython() == 3500000000
    assert g.value(value, KGO.unit) == KGO.CNY
    assert str(g.value(obs, KGO.year)) == "2022"
    signing = next(g.subjects(RDFS.label, Literal("signing ceremony")))
    forum = next(g.subjects(RDFS.label, Literal("Harbour Finance Forum")))
    assert (signing, KGO.subEventOf, forum) in g
    organizing = list(g.subjects(RDF.type, KGO.Organizing))
    assert organizing == []  # a signatory takes part, it does not organise


def test_same_input_same_graph_and_iris():
    a = to_rdf(resolve([_article("a.txt", "a" * 64), _article("b.txt", "b" * 64)]))
    b = to_rdf(resolve([_article("b.txt", "b" * 64), _article("a.txt", "a" * 64)]))
    assert isomorphic(a, b)
    assert a.serialize(format="turtle") == b.serialize(format="turtle")


def test_one_person_across_articles_unnamed_events_stay_apart():
    g = to_rdf(resolve([_article("a.txt", "a" * 64), _article("b.txt", "b" * 64)]))
    assert len(set(g.subjects(RDFS.label, Literal("Ada Quill")))) == 1
    assert len(set(g.subjects(RDFS.label, Literal("Harbour Finance Forum")))) == 1
    # each article's unnamed "signing ceremony" is its own event
    assert len(set(g.subjects(RDFS.label, Literal("signing ceremony")))) == 2


@pytest.mark.slow
def test_build_writes_asserted_and_inferred_apart(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(
        "Forum opens\n\nThe Harbour Innovation Forum opened in Lisbon on Monday. "
        "Ada Quill, chief economist of Norland Bank, said growth would return.\n", encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    kg, report = build([tmp_path / "in"], out)
    assert out.exists() and out.with_name("kg.inferred.ttl").exists()
    assert report.articles == 1 and report.asserted == len(kg.asserted)
    loaded = load(out)
    assert isomorphic(loaded.asserted, kg.asserted)
    assert isomorphic(loaded.inferred, kg.inferred)
    assert not set(kg.inferred) & set(kg.asserted)


@pytest.mark.slow
def test_rebuild_gives_identical_bytes(tmp_path: Path, seeds_dir: Path):
    first, second = tmp_path / "1" / "kg.ttl", tmp_path / "2" / "kg.ttl"
    build([seeds_dir], first)
    build([seeds_dir], second)
    assert first.read_bytes() == second.read_bytes()
    assert first.with_name("kg.inferred.ttl").read_bytes() == second.with_name("kg.inferred.ttl").read_bytes()


def test_an_official_of_a_place_holds_the_post_in_its_jurisdiction():
    from kg.vocab import KGO as K

    sentence = "Lu Hanqing, vice mayor of Lakeside, spoke."
    doc = ArticleExtraction(
        article="p.txt", sha256="0" * 64, title="t", published=None, text_length=len(sentence),
        entities=[Entity("e1", Kind.PERSON, "Lu Hanqing", mentions=[_span("Lu Hanqing", sentence)]),
                  Entity("e2", Kind.PLACE, "Lakeside", mentions=[_span("Lakeside", sentence)])],
        affiliations=[Affiliation("e1", "e2", "vice mayor", _span("vice mayor", sentence))])
    g = to_rdf(resolve([doc]))
    node = next(g.subjects(RDF.type, K.Affiliation))
    place = g.value(node, K.jurisdiction)
    assert place is not None and (place, RDF.type, K.Place) in g
    assert g.value(node, K.organization) is None
    assert not list(g.subjects(RDF.type, K.Organization))
