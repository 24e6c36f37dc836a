"""Links drawn from what one article says, after the other steps: sub-organisations ("X of Y"
and "Y's X Branch", where Y is an organisation the same article names, become
kgo:subOrganizationOf; names that only look like it stay whole) and the event a post is tied
to (kgo:atEvent)."""
from rdflib import Literal
from rdflib.namespace import RDFS

from kg.extract import extract
from kg.model import Kind
from kg.vocab import KGO

HEAD = "A headline about finance\n\nBy Test Writer\n\n"


def parents(nlp, body: str) -> dict[str, str]:
    x = extract(HEAD + body, "t.txt", nlp)
    ids = {e.id: e for e in x.entities}
    return {e.name: ids[e.part_of].name for e in x.entities if e.part_of}


def test_an_institute_of_an_acronym_the_article_ties_to_a_name(nlp):
    found = parents(nlp, "A report of NIAF (the Northern Institute of Applied Finance) came out on Monday. "
                         "Lin Bo, deputy director of the Institute of Green Credit of NIAF, presented it.")
    assert found == {"Institute of Green Credit of NIAF": "Northern Institute of Applied Finance"}


def test_a_branch_named_after_its_bank(nlp):
    found = parents(nlp, "Rivertown Bank lent more this year. Wu Lei, president of Rivertown Bank's "
                         "Lakeside Branch, said loans to startups rose.")
    assert found == {"Lakeside Branch": "Rivertown Bank"}
    found = parents(nlp, "Rivertown Bank lent more this year. Wu Lei, president of Rivertown Bank "
                         "Lakeside Branch, said loans to startups rose.")
    assert found == {"Rivertown Bank Lakeside Branch": "Rivertown Bank"}


def test_a_school_of_a_university(nlp):
    found = parents(nlp, "Kestrel University hosted the talks. Ma Yun, dean of the School of Finance of "
                         "Kestrel University, opened them.")
    assert found == {"School of Finance of Kestrel University": "Kestrel University"}


def test_of_something_that_is_no_organisation_of_the_article_stays_whole(nlp):
    found = parents(nlp, "Researchers at the Northern Institute of Technology and the Bank of Lakeside "
                         "published a study on Monday.")
    assert found == {}
    x = extract(HEAD + "The Northern Institute of Technology published a study.", "t.txt", nlp)
    assert all(e.part_of is None for e in x.entities if e.kind is Kind.ORGANIZATION)


def test_the_seeds_graph_holds_the_institute_as_a_unit_of_casted(seeds_graph):
    kg, _, _ = seeds_graph
    g = kg.asserted
    institute = g.value(predicate=RDFS.label,
                        object=Literal("Institute of Science and Technology Investment of CASTED"))
    casted = g.value(predicate=RDFS.label,
                     object=Literal("Chinese Academy of Science and Technology for Development"))
    assert institute is not None and casted is not None
    assert (institute, KGO.subOrganizationOf, casted) in g


def test_a_post_stated_where_the_person_takes_part_is_tied_to_that_event(nlp):
    x = extract(HEAD + "The Rivertown Fintech Forum opened in Lakeside on Monday. Lin Bo, deputy director of "
                       "the Kestrel Institute, spoke at the Rivertown Fintech Forum. Later, Lin Bo visited "
                       "the Kestrel Institute.", "t.txt", nlp)
    ids = {e.id: e for e in x.entities}
    tied = [(ids[a.person].name, ids[a.org].name, ids[a.event].name) for a in x.affiliations if a.event]
    assert tied == [("Lin Bo", "Kestrel Institute", "Rivertown Fintech Forum")]


def test_a_post_in_a_sentence_without_the_event_is_tied_to_none(nlp):
    x = extract(HEAD + "Lin Bo, deputy director of the Kestrel Institute, said demand was rising. "
                       "The Rivertown Fintech Forum opened in Lakeside on Monday.", "t.txt", nlp)
    assert x.affiliations and all(a.event is None for a in x.affiliations)


def test_the_seeds_graph_ties_a_post_to_its_event(seeds_graph):
    kg, _, _ = seeds_graph
    g = kg.asserted
    fang = g.value(predicate=RDFS.label, object=Literal("Fang Hanting"))
    daily = g.value(predicate=RDFS.label, object=Literal("Science and Technology Daily"))
    posts = [a for a in g.subjects(KGO.person, fang) if (a, KGO.organization, daily) in g]
    assert posts and all(g.value(a, KGO.atEvent) is not None for a in posts)
