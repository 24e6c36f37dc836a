"""Small hand-made graphs for the view and analytics tests: extraction results written by hand
(kg.model), resolved and turned into RDF by the real pipeline stages (no spaCy needed)."""
from __future__ import annotations

from kg.graphs import KnowledgeGraph
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


def span(text: str, sentence: str) -> Span:
    start = sentence.index(text)
    return Span(start, start + len(text), sentence, 0)


def _pujiang() -> ArticleExtraction:
    s1 = ("Fang Hanting, an official with Science and Technology Daily, spoke at the Pujiang "
          "Innovation Forum in Shanghai.")
    s2 = "Li Wei, deputy director of CASTED, gave a keynote speech at the sub-forum on finance."
    s3 = "The forum was hosted by CASTED."
    art = ArticleExtraction(article="pujiang.txt", sha256="a" * 64, title="Pujiang",
                            published="2023-09-10", text_length=300)
    art.entities = [
        Entity("p1", Kind.PERSON, "Fang Hanting", mentions=[span("Fang Hanting", s1)]),
        Entity("p2", Kind.PERSON, "Li Wei", mentions=[span("Li Wei", s2)]),
        Entity("o1", Kind.ORGANIZATION, "Science and Technology Daily", org_kind=OrgKind.MEDIA,
               mentions=[span("Science and Technology Daily", s1)]),
        Entity("o2", Kind.ORGANIZATION, "Chinese Academy of Science and Technology for Development",
               aliases=["CASTED"], org_kind=OrgKind.RESEARCH, mentions=[span("CASTED", s2)]),
        Entity("pl", Kind.PLACE, "Shanghai", mentions=[span("Shanghai", s1)]),
        Entity("ev", Kind.EVENT, "Pujiang Innovation Forum", event_kind=EventKind.FORUM,
               date="2023-09-09", location="pl", mentions=[span("Pujiang Innovation Forum", s1)]),
        Entity("sf", Kind.EVENT, "Science and Technology Finance Sub-forum", event_kind=EventKind.SUBFORUM,
               parent="ev", mentions=[span("sub-forum", s2)]),
    ]
    art.affiliations = [Affiliation("p1", "o1", "official", span("official", s1), event="ev"),
                        Affiliation("p2", "o2", "deputy director", span("deputy director", s2))]
    art.participations = [Participation("ev", "p1", Role.SPEAKER, span("spoke", s1)),
                          Participation("sf", "p2", Role.KEYNOTE_SPEAKER, span("keynote", s2)),
                          Participation("ev", "o2", Role.HOST, span("hosted", s3))]
    return art


def _finance_forum() -> ArticleExtraction:
    s1 = ("Fang Hanting, Doctoral Supervisor of Zhejiang University, and Li Wei attended the "
          "2023 China Science and Technology Finance Forum in Shenzhen.")
    s2 = "Shenzhen's venture capital reached 120.5 billion yuan in 2022."
    art = ArticleExtraction(article="forum.txt", sha256="b" * 64, title="Forum",
                            published="2023-06-02", text_length=300)
    art.entities = [
        Entity("p1", Kind.PERSON, "Fang Hanting", mentions=[span("Fang Hanting", s1)]),
        Entity("p2", Kind.PERSON, "Li Wei", mentions=[span("Li Wei", s1)]),
        Entity("p3", Kind.PERSON, "Zhou Min", mentions=[]),
        Entity("o1", Kind.ORGANIZATION, "Zhejiang University", org_kind=OrgKind.UNIVERSITY,
               mentions=[span("Zhejiang University", s1)]),
        Entity("o2", Kind.ORGANIZATION, "Academy of Internet Finance", part_of="o1",
               org_kind=OrgKind.RESEARCH),
        Entity("pl", Kind.PLACE, "Shenzhen", mentions=[span("Shenzhen", s1)]),
        Entity("ev", Kind.EVENT, "2023 China Science and Technology Finance Forum",
               event_kind=EventKind.FORUM, date="2023-06-01", location="pl",
               mentions=[span("2023 China Science and Technology Finance Forum", s1)]),
    ]
    art.affiliations = [Affiliation("p1", "o1", "doctoral supervisor", span("Doctoral Supervisor", s1),
                                    event="ev"),
                        Affiliation("p3", "o2", "researcher", span("Zhejiang University", s1))]
    art.participations = [Participation("ev", "p1", Role.ATTENDEE, span("attended", s1)),
                          Participation("ev", "p2", Role.ATTENDEE, span("attended", s1))]
    art.observations = [Observation("pl", "venture capital", [Value(120.5e9, Unit.CNY, "120.5 billion yuan")],
                                    2022, span("120.5 billion yuan", s2))]
    return art


def forums_graph() -> KnowledgeGraph:
    """Two forums (one with a sub-forum), three people, four organisations, two places.

    Fang Hanting: official with Science and Technology Daily (Pujiang Innovation Forum, speaker)
    and doctoral supervisor of Zhejiang University (2023 forum, attendee). Li Wei: deputy
    director of CASTED, keynote speaker at the Pujiang sub-forum, attendee of the 2023 forum.
    Zhou Min: researcher at the Academy of Internet Finance (part of Zhejiang University)."""
    return KnowledgeGraph(asserted=to_rdf(resolve([_pujiang(), _finance_forum()])))


PAYLOADS = ("<script>alert(1)</script>",
            "<img src=x onerror=\"window.__kgPwned=1;alert(2)\">",
            "Acme \"Quoted\" 'Single' & <b>Bold</b>",
            "<a href=\"javascript:window.__kgPwned=3\">href</a>")


def hostile_extraction() -> ArticleExtraction:
    """One article whose names and sentences carry HTML and script payloads."""
    person, img, org, link = PAYLOADS
    sentence = f"{person} of {org} met {img} at the {link} Forum </script><script>window.__kgPwned=4</script>."
    art = ArticleExtraction(article="<i>evil</i>.txt", sha256="c" * 64, title="Evil",
                            published="2024-01-01", text_length=len(sentence))
    art.entities = [
        Entity("p1", Kind.PERSON, person, aliases=["</script><script>window.__kgPwned=5</script>"],
               mentions=[span(person, sentence)]),
        Entity("p2", Kind.PERSON, img, mentions=[span(img, sentence)]),
        Entity("o1", Kind.ORGANIZATION, org, mentions=[span(org, sentence)]),
        Entity("ev", Kind.EVENT, f"{link} Forum", event_kind=EventKind.FORUM,
               mentions=[span(link, sentence)]),
    ]
    art.affiliations = [Affiliation("p1", "o1", "<u>chief</u> officer", span(org, sentence))]
    art.participations = [Participation("ev", "p1", Role.SPEAKER, span(person, sentence)),
                          Participation("ev", "p2", Role.ATTENDEE, span(img, sentence))]
    return art


def hostile_graph() -> KnowledgeGraph:
    return KnowledgeGraph(asserted=to_rdf(resolve([hostile_extraction()])))


def _figures_article() -> ArticleExtraction:
    s1 = ("Shenzhen's venture capital reached 90 billion yuan in 2021, 120.5 billion yuan in "
          "2022 and 150 billion yuan in 2023, and its R&D intensity was 5.8 percent in 2023.")
    art = ArticleExtraction(article="figures.txt", sha256="d" * 64, title="Figures",
                            published="2024-01-05", text_length=300)
    art.entities = [Entity("pl", Kind.PLACE, "Shenzhen", mentions=[span("Shenzhen", s1)]),
                    Entity("p1", Kind.PERSON, "Lone Reporter", mentions=[])]
    art.observations = [
        Observation("pl", "venture capital", [Value(n * 1e9, Unit.CNY, f"{t} billion yuan")], year,
                    span(f"{t} billion yuan", s1))
        for n, t, year in ((90, "90", 2021), (120.5, "120.5", 2022), (150, "150", 2023))]
    art.observations.append(Observation("pl", "R&D intensity", [Value(5.8, Unit.PERCENT, "5.8 percent")],
                                        2023, span("5.8 percent", s1)))
    return art


def figures_graph() -> KnowledgeGraph:
    """The two forums, plus an article with Shenzhen's venture capital in three years (a
    chart) and a person no statement links to (an unlinked entity)."""
    return KnowledgeGraph(asserted=to_rdf(resolve([_pujiang(), _finance_forum(), _figures_article()])))
