"""Header parsing: title, bylines, publication dates, navigation residue; date resolution."""
import pytest

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


# ---- header lines read field by field (invented names and outlets)
BODY = "\n\nThe body sentence is long enough to be body text here, and it goes on for a while longer.\n"


def bylines(head):
    return [(b.name, b.org, b.title) for b in head.bylines]


def test_name_then_outlet_and_title_in_one_field():
    head = parse("Title of the piece" + "\n\nOra Lindqvist, Harbor Business Wire correspondent\nJanuary 13, 2024" + BODY)
    assert bylines(head) == [("Ora Lindqvist", "Harbor Business Wire", "correspondent")]
    assert head.published == "2024-01-13"


def test_name_title_outlet_in_commas_with_a_published_label():
    head = parse("Title of the piece\n\nMei Tanaka, staff reporter, Lakeside Evening Herald\nPublished: 2024-11-29 08:15"
                 + BODY)
    assert bylines(head) == [("Mei Tanaka", "Lakeside Evening Herald", "staff reporter")]
    assert head.published == "2024-11-29"


def test_by_name_with_a_place_title_and_outlet():
    head = parse("Title of the piece\n\nBy Kofi Mensah, Accra correspondent, Coastal Business Wire" + BODY)
    assert bylines(head) == [("Kofi Mensah", "Coastal Business Wire", "accra correspondent")]


def test_pipe_separated_byline_with_place_and_date():
    head = parse("Title of the piece\n\nRina Kapoor | The Harbor Ledger Daily | Pune | September 7, 2023" + BODY)
    assert bylines(head) == [("Rina Kapoor", "The Harbor Ledger Daily", "reporter")]
    assert head.published == "2023-09-07"


def test_outlet_and_staff_title_without_a_person():
    head = parse("Title of the piece\n\nFintech Harbor Review | Staff reporter | PERTH, April 12, 2017" + BODY)
    assert head.bylines == []
    assert [o[0] for o in head.orgs] == ["Fintech Harbor Review"]
    assert head.published == "2017-04-12"


def test_place_date_dash_outlet():
    head = parse("Title of the piece\n\nDoha, 16 September 2025 - Gulf Money Wire" + BODY)
    assert [o[0] for o in head.orgs] == ["Gulf Money Wire"] and head.bylines == []
    assert head.published == "2025-09-16"


def test_a_short_kicker_above_the_headline_is_not_the_title():
    head = parse("MEDIA RELEASE\n\nTwelve lenders named champions at the Harbor Awards\n\n25 October 2023" + BODY)
    assert head.title == "Twelve lenders named champions at the Harbor Awards"
    assert head.published == "2023-10-25"
    assert not head.is_content(0)


def test_section_names_and_a_date_range_are_no_byline_and_no_publication_date():
    head = parse("Title of the piece\n\nActivities | Market Infrastructure | Lima City, March 6-7, 2024" + BODY)
    assert head.bylines == [] and head.published is None


def test_a_web_address_as_source_is_no_organisation():
    head = parse("Title of the piece\n\nSource: english.example.gov.cn | Updated: 2020-05-09 10:42" + BODY)
    assert head.orgs == [] and head.published == "2020-05-09"


def test_credits_in_the_body_name_reporters_and_photographers():
    text = ("Title of the piece\n\n2022-08-31 | Source: Lakeside Daily Online - Business Channel\n\n"
            "Lakeside Daily Online Harbor City August 31 (Reporter Juno Park) The district opened a new fund "
            "for start-ups on Tuesday, officials said at a news conference.\n\n"
            "Photo: Guests at the launch. (Photo by Ilse Brandt, Lakeside Daily Online)\n")
    head = parse(text)
    assert [o[0] for o in head.orgs] == ["Lakeside Daily Online"]
    assert ("Juno Park", "Lakeside Daily Online", "reporter") in bylines(head)
    assert ("Ilse Brandt", "Lakeside Daily Online", "photographer") in bylines(head)


@pytest.mark.parametrize("line, place", [
    ("HONG KONG, Oct 24 - Shares rose.", "Hong Kong"),
    ("Lagos, March 3 (Wirecast) -- The fund opened.", "Lagos"),
    ("OSTVIK -- More than 80 people came.", "Ostvik"),
    ("ESCH-SUR-VELMORE – The university said.", "Esch-sur-Velmore"),
    ("Lagos - the fund opened.", None),
    ("Ostvik - Analysts said the fund opened.", None),
    ("Shares rose on Monday - analysts said.", None),
])
def test_wire_datelines(line, place):
    head = parse("Title of the story\n\nBy Maria Rossi\n\n" + line + " More body text follows in this sentence.")
    assert (head.dateline[0] if head.dateline else None) == place


def test_a_dateline_takes_the_body_spelling_of_its_place():
    head = parse("Title of the story\n\nBy Maria Rossi\n\nESCH-SUR-VELMORE – The fund met at Esch-sur-Velmore's hall.")
    assert head.dateline[0] == "Esch-sur-Velmore"


def _bylines(text):
    return [(b.name, b.org, b.title) for b in parse(text).bylines]


def test_two_names_before_one_outlet_both_write_for_it():
    assert _bylines("A headline about banks\n\nBy Mara Quill and Leo Tan, Harbor Markets Desk\n\nBody text here.\n") == [
        ("Mara Quill", "Harbor Markets Desk", "reporter"), ("Leo Tan", "Harbor Markets Desk", "reporter")]


def test_a_plural_label_labels_every_name_of_its_list():
    got = _bylines("A headline about banks\n\nHarbor Daily, Nov 22, 2024\nReporters: Mara Quill, Leo Tan\n\nBody.\n")
    assert [name for name, _, _ in got] == ["Mara Quill", "Leo Tan"]
    assert all(org is None for _, org, _ in got)  # the outlet line above is the page's source, not their byline


def test_interview_by_is_a_byline():
    assert _bylines("Founders need a room: a CEO on roadshows\n\nInterview by Mara Quill | The Harbor Post\n\nQ: Why?\n") \
        == [("Mara Quill", "The Harbor Post", "reporter")]


def test_an_outlet_after_a_beat_title_is_the_bylines_outlet_and_a_dotted_date_is_day_first():
    head = parse("A headline about banks\n\nJonas Berg, Latin America correspondent | Neue Handelszeit | 26.09.2024\n\nBody.\n")
    assert [(b.name, b.org, b.title) for b in head.bylines] == [("Jonas Berg", "Neue Handelszeit", "correspondent")]
    assert head.published == "2024-09-26"


def test_a_singular_label_keeps_only_its_first_name():
    got = _bylines("A headline about banks\n\nReporter: Mara Quill, Lakeport\n\nBody text here.\n")
    assert [name for name, _, _ in got] == ["Mara Quill"]
