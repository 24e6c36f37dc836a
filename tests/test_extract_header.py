"""Header parsing: title, bylines, publication dates, navigation residue; date resolution."""
from kg.extract import extract
from kg.extract.dates import resolve
from kg.extract.header import parse
from kg.model import Kind


def names(x, kind):
    return {e.name for e in x.entities if e.kind is kind}


def test_reporter_byline_with_outlet_is_an_affiliation(nlp):
    text = "Harbor fund backs robotics start-ups\n\nReporter Wen Tao, Harbor Finance Daily\nMarch 3, 2021\n\n" \
           "A new fund was launched in Xiamen on Tuesday with the support of local banks."
    x = extract(text, "a.txt", nlp)
    assert x.title == "Harbor fund backs robotics start-ups"
    assert x.published == "2021-03-03"
    ents = {e.id: e for e in x.entities}
    pairs = {(ents[a.person].name, ents[a.org].name, a.title) for a in x.affiliations}
    assert ("Wen Tao", "Harbor Finance Daily", "reporter") in pairs
    assert x.authors and ents[x.authors[0]].name == "Wen Tao"


def test_by_line_and_bare_name_line():
    head = parse("Title here\n\nBy Maria Rossi in Milan\n2024-06-30\n\nThe body sentence is long enough to be body text here.")
    assert [b.name for b in head.bylines] == ["Maria Rossi"]
    assert head.published == "2024-06-30"
    head = parse("Title here\nLuo Pingan\n2022-08-01 09:07\nThe body sentence is long enough to be body text here, really.")
    assert [b.name for b in head.bylines] == ["Luo Pingan"]
    assert head.published == "2022-08-01"


def test_publisher_and_release_time_lines():
    head = parse("Title\n\nPublisher: Graduate Office    Sep. 9, 2021\n\nBody text of the article goes here and on.")
    assert head.orgs and head.orgs[0][0] == "Graduate Office"
    assert head.published == "2021-09-09"
    head = parse("Title\n\nSource: City Finance Bureau    Release time: 2025-01-02\n\nBody text of the article goes on.")
    assert head.orgs[0][0] == "City Finance Bureau"
    assert head.published == "2025-01-02"


def test_navigation_residue_is_not_content(nlp):
    text = "Bank opens lab\n\nBy Ana Lima\n\nThe Delta Bank opened a fintech lab in Xiamen.\n\n" \
           "Related Stories\nKunming Summit on Green Bonds draws crowds\n\nBack to top\n"
    x = extract(text, "a.txt", nlp)
    assert not any("Kunming" in n for n in names(x, Kind.EVENT))


def test_relative_dates_resolve_against_publication():
    assert resolve("The expo opened yesterday", "2021-05-10") == "2021-05-09"
    assert resolve("was inaugurated on Saturday", "2022-08-01") == "2022-07-30"
    assert resolve("on March 5 this year", "2023-09-01") == "2023-03-05"
    assert resolve("On December 2, the forum", None, 2019) == "2019-12-02"
    assert resolve("earlier this month", "2018-11-20") is None
    assert resolve("yesterday", None) is None


def test_staff_byline_is_no_person():
    head = parse("Title\n\nBy Staff Reporter\nNovember 3, 2024\n\nThe body sentence is long enough to be body text here.")
    assert head.bylines == [] and head.published == "2024-11-03"


def test_outlet_line_under_the_title_is_no_byline(nlp):
    x = extract("Headline here\nHarbor Daily\n2024-01-02\nThe body text is long enough to be a body line for sure.",
                "t.txt", nlp)
    assert not [e for e in x.entities if e.kind is Kind.PERSON]
    assert "Harbor Daily" in names(x, Kind.ORGANIZATION)


def test_two_reporters_in_one_byline():
    head = parse("Title\n\nBy Maria Rossi and Wen Tao\nMarch 3, 2021\n\nThe body sentence is long enough to be body text here.")
    assert [b.name for b in head.bylines] == ["Maria Rossi", "Wen Tao"]


def test_editor_and_reviewer_labels_in_the_footer():
    head = parse("Title\n\nSource: City Finance Bureau\n\nThe body sentence is long enough to be body text here.\n"
                 "(Editor: Xu Lan  Reviewer: Mo Tian)")
    assert [(b.name, b.title) for b in head.bylines] == [("Xu Lan", "editor"), ("Mo Tian", "reviewer")]


def test_first_body_line_with_an_apposition_is_no_byline():
    head = parse("Title\n\nBy Ana Lima\n\nQin Lu, president of the Harbor Bank and a member of the Lakeside Club, spoke.")
    assert [b.name for b in head.bylines] == ["Ana Lima"]
    assert head.is_content(head.body_start)
