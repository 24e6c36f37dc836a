"""Metric extraction (kg.extract.metrics) on small invented sentences, one per pattern."""
from __future__ import annotations

import pytest

from kg.extract.metrics import find_observations
from kg.extract.numbers import Quantity, scan
from kg.extract.registry import EntityRegistry
from kg.model import Kind, Span, Unit

TITLE = "Test headline\n\n"


def run(nlp, body: str, entities: dict[str, Kind] | None = None, published: str | None = None):
    """Parse a title line plus ``body``; register ``entities`` at every occurrence; extract."""
    text = TITLE + body
    doc = nlp(text)
    registry = EntityRegistry()
    for name, kind in (entities or {}).items():
        start = text.find(name)
        while start >= 0:
            sent = doc.char_span(start, start + len(name), alignment_mode="expand").sent
            registry.add(kind, name, Span(start, start + len(name), sent.text, sent.start_char))
            start = text.find(name, start + 1)
    observations = find_observations(doc, registry, published)
    return [(registry.get(o.subject).name, [(v.number, v.unit) for v in o.values], o.year, o)
            for o in observations]


def facts(rows):
    return {(name, number, unit) for name, values, _, _ in rows for number, unit in values}


def test_dual_currency_is_one_observation(nlp):
    rows = run(nlp, "In 2021, Northvale's spending on research reached 80.2 billion yuan (US$12.4 billion).",
               {"Northvale": Kind.PLACE})
    assert len(rows) == 1
    name, values, year, obs = rows[0]
    assert name == "Northvale" and year == 2021
    assert values == [(80.2e9, Unit.CNY), (12.4e9, Unit.USD)]
    assert "spending" in obs.measure


def test_glued_currency_prefix_and_hedged_conversion(nlp):
    rows = run(nlp, "Brightwater Capital will invest RMB2 billion (about HK$2.2 billion) in young firms.",
               {"Brightwater Capital": Kind.ORGANIZATION})
    assert rows[0][1] == [(2e9, Unit.CNY), (2.2e9, Unit.HKD)]
    assert rows[0][3].values[1].approximate


@pytest.mark.parametrize("phrase,number,unit", [
    ("HK$7 billion", 7e9, Unit.HKD),
    ("3 trillion yuan", 3e12, Unit.CNY),
    ("US$45.5 million", 45.5e6, Unit.USD),
    ("€12 million", 12e6, Unit.EUR),
    ("£2.5bn", 2.5e9, Unit.GBP),
    ("40 million pound", 40e6, Unit.GBP),
    ("S$30 million", 30e6, Unit.SGD),
    ("₹500 crore", 5e9, Unit.INR),
    ("Rs 20 lakh", 2e6, Unit.INR),
    ("KSh2 million", 2e6, Unit.KES),
    ("SR9 billion", 9e9, Unit.SAR),
    ("4 billion Philippine pesos", 4e9, Unit.PHP),
    ("PhP250,000", 250e3, Unit.PHP),
    ("Php 3 million", 3e6, Unit.PHP),
    ("RM150 million", 150e6, Unit.MYR),
    ("R$1.2 billion", 1.2e9, Unit.BRL),
    ("12 billion naira", 12e9, Unit.NGN),
])
def test_scale_words_and_currencies(nlp, phrase, number, unit):
    rows = run(nlp, f"Eastport Bank has set aside {phrase} for loans.", {"Eastport Bank": Kind.ORGANIZATION})
    assert ("Eastport Bank", number, unit) in facts(rows)


def test_the_peso_abbreviation_needs_an_amount(nlp):
    rows = run(nlp, "Eastport Bank rebuilt its PhP portal in 2021 and hired 40 engineers.",
               {"Eastport Bank": Kind.ORGANIZATION})
    assert facts(rows) == {("Eastport Bank", 40, Unit.COUNT)}


def test_percent_growth_keeps_the_subject_of_the_sentence(nlp):
    rows = run(nlp, "In 2018, patent loans reached 12.3 billion yuan in Lakeshire, up 17.5 percent year "
                    "on year, according to a report of the Harbour Institute.",
               {"Lakeshire": Kind.PLACE, "Harbour Institute": Kind.ORGANIZATION})
    assert facts(rows) == {("Lakeshire", 12.3e9, Unit.CNY), ("Lakeshire", 17.5, Unit.PERCENT)}
    assert all(year == 2018 for _, _, year, _ in rows)
    assert any("growth" in o.measure for *_, o in rows)


def test_counts_with_hedges(nlp):
    rows = run(nlp, "Some 150 delegates of local firms attended the Riverbend Tech Summit. "
                    "Glenford is home to more than 2,000 software companies.",
               {"Riverbend Tech Summit": Kind.EVENT, "Glenford": Kind.PLACE})
    assert facts(rows) == {("Riverbend Tech Summit", 150, Unit.COUNT), ("Glenford", 2000, Unit.COUNT)}
    assert all(o.values[0].approximate for *_, o in rows)


def test_word_numbers(nlp):
    rows = run(nlp, "The Coral Fair opened on Monday. At the fair, eleven pavilions and twenty-three "
                    "start-ups showed their products.", {"Coral Fair": Kind.EVENT})
    assert facts(rows) == {("Coral Fair", 11, Unit.COUNT), ("Coral Fair", 23, Unit.COUNT)}


def test_top_list_gives_ranks(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder", "Dunmore")}
    rows = run(nlp, "According to the index, the top four cities are Avalon, Brisport, Calder and Dunmore.",
               places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK),
                           ("Calder", 3, Unit.RANK), ("Dunmore", 4, Unit.RANK)}


def test_followed_in_order_continues_a_ranking(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder", "Dunmore", "Elmstead")}
    rows = run(nlp, "Avalon came first in the ranking, followed in order by Brisport, Calder and Dunmore. "
                    "Elmstead tied for fifth place.", places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK),
                           ("Dunmore", 4, Unit.RANK), ("Elmstead", 5, Unit.RANK)}


def test_ranked_ordinal(nlp):
    rows = run(nlp, "Marlow ranked third in the region, while Norwick climbed one place to seventh.",
               {"Marlow": Kind.PLACE, "Norwick": Kind.PLACE})
    assert facts(rows) == {("Marlow", 3, Unit.RANK), ("Norwick", 7, Unit.RANK)}


def test_points_in_parentheses(nlp):
    rows = run(nlp, "Among the leaders, Marlow scored 7120 points, ahead of Avalon (8011 points).",
               {"Marlow": Kind.PLACE, "Avalon": Kind.PLACE})
    assert facts(rows) == {("Marlow", 7120, Unit.POINTS), ("Avalon", 8011, Unit.POINTS)}


def test_year_from_in_year(nlp):
    rows = run(nlp, "Marlow's exports of robots rose 12 percent in 2019.", {"Marlow": Kind.PLACE})
    assert [(n, y) for n, _, y, _ in rows] == [("Marlow", 2019)]


def test_year_from_last_year_and_publication_date(nlp):
    rows = run(nlp, "Venture funding in Avalon topped 9 billion yuan last year.", {"Avalon": Kind.PLACE},
               published="2021-03-04")
    assert rows[0][2] == 2020


def test_quoted_report_becomes_a_subject(nlp):
    rows = run(nlp, 'The institute released the "Harbour Innovation Outlook" report. '
                    "The report covered more than 40 cities in the region.")
    assert facts(rows) == {("Harbour Innovation Outlook", 40, Unit.COUNT)}


def test_years_dates_and_names_are_not_metrics(nlp):
    rows = run(nlp, "Marlow Bank was founded in 1998 and opened its office on March 3, 2020. "
                    "Its Tech 500 programme ran for the first time, and the two sides met at 10 am.",
               {"Marlow Bank": Kind.ORGANIZATION})
    assert rows == []


def test_figure_without_subject_is_dropped(nlp):
    assert run(nlp, "Prices rose 4 percent.") == []


def test_scan_finds_units(nlp):
    doc = nlp("It cost 5 million euros, 3.5% more, and scored 12 points.")
    found: list[Quantity] = scan(doc)
    assert [(q.value, q.unit) for q in found] == [(5e6, Unit.EUR), (3.5, Unit.PERCENT), (12, Unit.POINTS)]


def test_rank_number_and_top_spot(nlp):
    rows = run(nlp, "In the index, Marlow ranked No. 1 for patents, while Norwick took the top spot "
                    "for output.",
               {"Marlow": Kind.PLACE, "Norwick": Kind.PLACE})
    assert facts(rows) == {("Marlow", 1, Unit.RANK), ("Norwick", 1, Unit.RANK)}


def test_top_n_counted_when_selected_and_elided_noun(nlp):
    rows = run(nlp, 'The lab issued the "Harbour Fintech Outlook" report. '
                    "The study picked the top 20 firms from more than 90 nationwide.")
    assert facts(rows) == {("Harbour Fintech Outlook", 20, Unit.COUNT),
                           ("Harbour Fintech Outlook", 90, Unit.COUNT)}


def test_definite_org_noun_refers_back_within_the_sentence(nlp):
    rows = run(nlp, "Wu Lan, chairman of Riverside Capital Group, said the group had invested in "
                    "46 start-ups.",
               {"Riverside Capital Group": Kind.ORGANIZATION, "Wu Lan": Kind.PERSON})
    assert facts(rows) == {("Riverside Capital Group", 46, Unit.COUNT)}


def test_measures_of_area_are_not_counts(nlp):
    rows = run(nlp, "The Coral Fair opened on Monday. The fair covers 60,000 square meters.",
               {"Coral Fair": Kind.EVENT})
    assert rows == []


def test_topped_index_with_scores_in_parentheses(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "Avalon topped the index with a score of 91.5, followed by Brisport (88.2) and "
                    "Calder (80.4).",
               places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK),
                           ("Avalon", 91.5, Unit.POINTS), ("Brisport", 88.2, Unit.POINTS),
                           ("Calder", 80.4, Unit.POINTS)}


def test_group_named_by_a_demonym_is_not_the_previous_subject(nlp):
    rows = run(nlp, "Funding in Avalon reached 3 billion yuan. European investors put in 2 billion euros.",
               {"Avalon": Kind.PLACE})
    assert facts(rows) == {("Avalon", 3e9, Unit.CNY)}


def test_number_of_things_exceeded(nlp):
    rows = run(nlp, "According to the survey, the number of high-tech firms in Glenford exceeded 25,000 "
                    "last year.",
               {"Glenford": Kind.PLACE}, published="2022-05-01")
    assert facts(rows) == {("Glenford", 25000, Unit.COUNT)}
    assert rows[0][2] == 2021


def test_number_of_things_grew_to_and_compared_to(nlp):
    rows = run(nlp, "The total number of card payments in Glenford grew to 12.6 billion in 2024 "
                    "compared to 10.8 billion in 2023.", {"Glenford": Kind.PLACE})
    assert facts(rows) == {("Glenford", 12.6e9, Unit.COUNT), ("Glenford", 10.8e9, Unit.COUNT)}
    rows = run(nlp, "The number of licensed lenders in Glenford rose from 82 to 281.", {"Glenford": Kind.PLACE})
    assert facts(rows) == {("Glenford", 82, Unit.COUNT), ("Glenford", 281, Unit.COUNT)}


def test_a_bare_figure_reached_by_something_else_is_no_count(nlp):
    rows = run(nlp, "The index of lending in Glenford grew to 281 in 2024 from 82 in 2023.", {"Glenford": Kind.PLACE})
    assert facts(rows) == set()


def test_conversion_after_or_is_the_same_observation(nlp):
    rows = run(nlp, "Last year Glenford attracted 7 billion yuan, or about US$1 billion, in venture capital.",
               {"Glenford": Kind.PLACE})
    assert [values for _, values, _, _ in rows] == [[(7e9, Unit.CNY), (1e9, Unit.USD)]]


def test_report_ranks_a_city_first_followed_by_others(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "The new index ranks Avalon first among 30 cities, followed by Brisport and Calder.",
               places)
    ranks = {f for f in facts(rows) if f[2] is Unit.RANK}
    assert ranks == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK)}


def test_plural_subject_numbered(nlp):
    rows = run(nlp, "Glenford's start-ups numbered 3,400 at the end of 2021.", {"Glenford": Kind.PLACE})
    assert facts(rows) == {("Glenford", 3400, Unit.COUNT)}


def test_headline_residue_and_compounds_are_not_metrics(nlp):
    rows = run(nlp, "Funding in Avalon reached 3 billion yuan, and two-thirds went to five-star projects.\n"
                    "Related stories\n7 start-ups to watch in Avalon\nMore from the region",
               {"Avalon": Kind.PLACE})
    assert facts(rows) == {("Avalon", 3e9, Unit.CNY), ("Avalon", 66.67, Unit.PERCENT)}  # "two-thirds": a fraction, no count


def test_list_before_the_top_n(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "In the new index, Avalon, Brisport and Calder were the top 3.", places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK)}


def test_ranks_respectively(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "In the survey, Avalon, Brisport and Calder ranked first, second and third respectively.",
               places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK)}


def test_money_respectively(nlp):
    rows = run(nlp, "Last year Avalon and Brisport drew 30 billion yuan and 25 billion yuan respectively.",
               {"Avalon": Kind.PLACE, "Brisport": Kind.PLACE})
    assert facts(rows) == {("Avalon", 30e9, Unit.CNY), ("Brisport", 25e9, Unit.CNY)}


def test_the_province_after_a_named_province(nlp):
    rows = run(nlp, "The forum opened in Northvale province on Monday. The province's tech loans grew "
                    "25.3 percent to 1.2 trillion yuan last year.", {"Northvale": Kind.PLACE},
               published="2021-04-15")
    assert facts(rows) == {("Northvale", 25.3, Unit.PERCENT), ("Northvale", 1.2e12, Unit.CNY)}


def test_share_of_a_possessed_group(nlp):
    rows = run(nlp, "About 60 percent of Glenford's start-ups received bank loans in 2022.",
               {"Glenford": Kind.PLACE})
    assert facts(rows) == {("Glenford", 60, Unit.PERCENT)}


def test_sub_ranking_in_terms_of_is_a_separate_rank(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "In the index, the top three cities are Avalon, Brisport and Calder. In terms of talent, "
                    "Calder ranked third as well.", places)
    calder = [o for name, _, _, o in rows if name == "Calder"]
    assert len(calder) == 2 and {o.values[0].number for o in calder} == {3}
    assert any("talent" in o.measure for o in calder)


def test_allocation_of_a_named_object_is_not_the_agents(nlp):
    rows = run(nlp, "Riverside University launched Spark 100 in 2021 with an allocation of HK$500 million.",
               {"Riverside University": Kind.ORGANIZATION})
    assert rows == []


def test_scores_written_as_bare_decimals(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder", "Dunmore")}
    rows = run(nlp, "In the index, Avalon scored the highest mark of 81.25, followed by Brisport, "
                    "taking home 70.5, and Calder with 66.4. Dunmore and Calder ranked fourth and fifth, "
                    "behind the first three cities, scoring 40.1 and 39.9 respectively.", places)
    points = {f for f in facts(rows) if f[2] is Unit.POINTS}
    assert points == {("Avalon", 81.25, Unit.POINTS), ("Brisport", 70.5, Unit.POINTS),
                      ("Calder", 66.4, Unit.POINTS), ("Dunmore", 40.1, Unit.POINTS),
                      ("Calder", 39.9, Unit.POINTS)}
    assert not any(f[2] is Unit.COUNT for f in facts(rows))


def test_top_list_after_a_colon(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "The evaluation shows that the top three cities are: Avalon, Brisport and Calder.",
               places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK)}


def test_top_the_list_and_climb_to_a_spot(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport")}
    rows = run(nlp, "In the survey, Avalon continued to top the list. Meanwhile Brisport's funding grew "
                    "fast over the year, helping it to climb one place to the fourth spot.", places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 4, Unit.RANK)}


def test_year_carries_from_the_previous_sentence_only_after_in(nlp):
    rows = run(nlp, "The Coral Fair was launched in June 2019. Nearly 300 start-ups applied. "
                    "Marlow Bank aims to fund 40 projects by 2025. The fair drew 900 visitors.",
               {"Coral Fair": Kind.EVENT, "Marlow Bank": Kind.ORGANIZATION}, published="2020-01-10")
    years = {number: year for _, values, year, _ in rows for number, _ in values}
    assert years[300] == 2019 and years[900] == 2020


# ---- a group no name says is the subject (a collective), when nothing better is
def test_a_modified_plural_subject_is_a_group(nlp):
    rows = run(nlp, "Mobile wallet accounts now make up 79 percent of the market, the bank said.")
    assert ("Mobile wallet accounts", 79, Unit.PERCENT) in facts(rows)
    rows = run(nlp, "Harbor fintechs raised US$91 million in 2016.")
    assert ("Harbor fintechs", 91e6, Unit.USD) in facts(rows)


def test_a_share_of_a_group(nlp):
    rows = run(nlp, "A director at the firm said 45 percent of banks are already investing in the technology.")
    assert ("banks", 45, Unit.PERCENT) in facts(rows)


def test_a_place_in_the_clause_wins_over_the_group(nlp):
    rows = run(nlp, "In 2017, science loans reached 207.1 billion yuan in Northvale.", {"Northvale": Kind.PLACE})
    assert facts(rows) == {("Northvale", 207.1e9, Unit.CNY)}


def test_a_measure_or_a_counted_group_is_no_subject(nlp):
    rows = run(nlp, "The combined value reached 2.24 trillion yuan last year.")
    assert not any(name == "combined value" for name, *_ in rows)
    rows = run(nlp, "Official data show 484,000 technology contracts were signed in Norland in 2019, up 17.5 percent "
                    "year on year.", {"Norland": Kind.PLACE})
    assert not any(name == "technology contracts" for name, *_ in rows)


def test_a_count_of_the_people_an_event_drew_is_the_events(nlp):
    rows = run(nlp, "The Harbor Fintech Festival opened in Lakeside on Monday. Ola Brandt, governor of the Lakeside "
                    "Central Bank, said the organisers had drawn about 1,500 participants from about 45 countries.",
               {"Harbor Fintech Festival": Kind.EVENT, "Lakeside Central Bank": Kind.ORGANIZATION,
                "Lakeside": Kind.PLACE})
    assert {("Harbor Fintech Festival", 1500, Unit.COUNT), ("Harbor Fintech Festival", 45, Unit.COUNT)} <= facts(rows)


def test_people_who_gathered_for_an_event_are_its_count_not_the_citys(nlp):
    rows = run(nlp, "More than 80 people from government and banking gathered in Lakeside on Thursday for the Harbor "
                    "Finance Dialogue.", {"Harbor Finance Dialogue": Kind.EVENT, "Lakeside": Kind.PLACE})
    assert facts(rows) == {("Harbor Finance Dialogue", 80, Unit.COUNT)}


def test_a_numbered_list_of_places_ranks_them(nlp):
    rows = run(nlp, "Key findings:\n\n- Top five: 1. Lakeport; 2. Norvale; 3. Port Alder; 4. Eastbay; 5. Rivertown, "
                    "the best-placed newcomer.",
               {n: Kind.PLACE for n in ("Lakeport", "Norvale", "Port Alder", "Eastbay", "Rivertown")})
    assert {(n, v) for n, v, u in facts(rows) if u is Unit.RANK} == {
        ("Lakeport", 1), ("Norvale", 2), ("Port Alder", 3), ("Eastbay", 4), ("Rivertown", 5)}


def test_one_numbered_item_is_no_ranking(nlp):
    rows = run(nlp, "1. Lakeport opened a new office on Monday.", {"Lakeport": Kind.PLACE})
    assert not [r for r in facts(rows) if r[2] is Unit.RANK]


def test_a_labelled_line_gives_its_figures_a_subject(nlp):
    rows = run(nlp, "- Norvale, with a score of 14, is the strongest of the northern hubs.\n"
                    "- Lakeport: eighth, up from ninth, with a score of 45.",
               {"Lakeport": Kind.PLACE, "Norvale": Kind.PLACE})
    got = facts(rows)
    assert {("Lakeport", 8, Unit.RANK), ("Lakeport", 9, Unit.RANK), ("Lakeport", 45, Unit.POINTS)} <= got
    assert ("Norvale", 45, Unit.POINTS) not in got


def test_the_top_two_spots_are_no_count(nlp):
    rows = run(nlp, "Lakeport and Norvale kept the top two spots.", {"Lakeport": Kind.PLACE, "Norvale": Kind.PLACE})
    assert not [r for r in facts(rows) if r[2] is Unit.COUNT]


def test_the_stock_is_the_company_the_story_follows(nlp):
    rows = run(nlp, "Shares of Quillon Robotics opened higher on Monday. The stock changed hands at HK$5.12. "
                    "It finished the session at HK$4.10, on a day when the Tarvex Index fell 2.6 percent.",
               {"Quillon Robotics": Kind.ORGANIZATION, "Tarvex Index": Kind.WORK})
    assert {("Quillon Robotics", 5.12, Unit.HKD), ("Quillon Robotics", 4.10, Unit.HKD),
            ("Tarvex Index", 2.6, Unit.PERCENT)} <= facts(rows)


def test_the_share_of_a_group_is_no_company(nlp):
    rows = run(nlp, "Quillon Bank said it would lend more. The share of adults with an account rose to 83 percent.",
               {"Quillon Bank": Kind.ORGANIZATION})
    assert ("Quillon Bank", 83.0, Unit.PERCENT) not in facts(rows)


def test_a_list_that_takes_the_first_places_in_order_is_ranked(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport", "Calder")}
    rows = run(nlp, "In the index, Avalon, Brisport and Calder occupy the first three in order.", places)
    assert facts(rows) == {("Avalon", 1, Unit.RANK), ("Brisport", 2, Unit.RANK), ("Calder", 3, Unit.RANK)}
    rows = run(nlp, "In the index, Avalon, Brisport and Calder are located in the top three.", places)
    assert not {f for f in facts(rows) if f[2] is Unit.RANK}  # no order stated: no ranks


def test_a_number_in_parentheses_after_a_name_is_its_rank(nlp):
    places = {p: Kind.PLACE for p in ("Avalon", "Brisport")}
    rows = run(nlp, "Two cities stand out: Avalon (No. 4) and Brisport (No. 9) entered the top ten.", places)
    assert {("Avalon", 4, Unit.RANK), ("Brisport", 9, Unit.RANK)} <= facts(rows)


def test_a_bulleted_line_gives_its_label_the_figure(nlp):
    rows = run(nlp, "Big deals of the year:\n\n- Tarvex: HK$779.43 million (US$100 million) credit line, June.\n"
                    "- Coverage: 44 hubs in total.\n- Best Product: Quillon Bank (KSh2 million)\n",
               {"Quillon Bank": Kind.ORGANIZATION})
    got = facts(rows)
    assert {("Tarvex", 779430000.0, Unit.HKD), ("Tarvex", 100000000.0, Unit.USD),
            ("Quillon Bank", 2000000.0, Unit.KES)} <= got
    assert not any(name == "Coverage" for name, _, _ in got)


def test_the_value_of_a_kind_of_thing_is_about_that_kind(nlp):
    rows = run(nlp, "Quillon Bank led the pack. The value of fintech deals around the world slipped 3.7 per cent. "
                    "The share of adults with an account rose to 83 percent.", {"Quillon Bank": Kind.ORGANIZATION})
    got = facts(rows)
    assert ("fintech deals", 3.7, Unit.PERCENT) in got
    assert not any(name == "adults" for name, _, _ in got)  # a bare plural is no group of its own


def test_a_figure_done_by_an_organisation_is_about_it(nlp):
    rows = run(nlp, "The total was swollen by a record US$14 billion fundraising by Tarvex Financial.",
               {"Tarvex Financial": Kind.ORGANIZATION})
    assert ("Tarvex Financial", 14e9, Unit.USD) in facts(rows)


def test_a_currency_word_a_country_shares_needs_its_country(nlp):
    rows = run(nlp, "Eastport Bank has set aside 40 million pesos for loans.", {"Eastport Bank": Kind.ORGANIZATION})
    assert not any(unit.currency for _, _, unit in facts(rows))  # Philippine, Mexican or Colombian: unsaid


def test_it_is_the_subject_of_an_earlier_clause_of_the_sentence(nlp):
    rows = run(nlp, "Mara Quill of Lakeside Institute was named at the Harbor Day. The institute has grown quickly: from 27 employees "
                    "in 2009 it now counts 300 people.",
               {"Harbor Day": Kind.EVENT, "Mara Quill": Kind.PERSON, "Lakeside Institute": Kind.ORGANIZATION})
    assert {("Lakeside Institute", 27, Unit.COUNT), ("Lakeside Institute", 300, Unit.COUNT)} <= facts(rows)


def _extracted(nlp, body):
    """The whole pipeline on one invented article: (subject name, number, unit, measure) rows."""
    from kg.extract import extract

    x = extract(TITLE + body, "t.txt", nlp)
    names = {e.id: e.name for e in x.entities}
    return [(names[o.subject], v.number, v.unit, o.measure) for o in x.observations for v in o.values]


def test_percentage_points_are_a_change_of_a_percentage(nlp):
    rows = _extracted(nlp, "Harbor Bank's profit rose to 12 billion yuan in 2024. "
                           "The bad-loan ratio slipped 0.04 percentage points to 1.52 percent.")
    change = [r for r in rows if r[1] == 0.04]
    plain = [r for r in rows if r[1] == 1.52]
    assert [r[:3] for r in change + plain] == [("Harbor Bank", 0.04, Unit.PERCENT), ("Harbor Bank", 1.52, Unit.PERCENT)]
    assert change[0][3].endswith("(percentage points)") and "percentage points" not in plain[0][3]


def test_a_bare_measure_is_the_followed_institutions(nlp):
    rows = _extracted(nlp, "Harbor Bank's profit rose to 12 billion yuan in 2024. Its chairman spoke at length. "
                           "Nobody asked. Credit was stable. The bad-loan ratio fell to 1.52 percent.")
    assert ("Harbor Bank", 1.52, Unit.PERCENT) in {r[:3] for r in rows}


def test_a_measure_with_a_determiner_of_its_own_is_not_the_followed_institutions(nlp):
    rows = _extracted(nlp, "Harbor Bank's profit rose to 12 billion yuan in 2024. Its chairman spoke at length. "
                           "Nobody asked. Elsewhere, a national ratio fell to 1.52 percent.")
    assert ("Harbor Bank", 1.52, Unit.PERCENT) not in {r[:3] for r in rows}


def test_a_list_that_leaves_out_its_verb_gives_each_name_its_figure(nlp):
    rows = run(nlp, "Harbor Bank reported 5 trillion yuan, Delta Bank 3.2 trillion yuan and Coast Bank 2.75 trillion yuan.",
               {"Harbor Bank": Kind.ORGANIZATION, "Delta Bank": Kind.ORGANIZATION, "Coast Bank": Kind.ORGANIZATION})
    assert facts(rows) == {("Harbor Bank", 5e12, Unit.CNY), ("Delta Bank", 3.2e12, Unit.CNY),
                           ("Coast Bank", 2.75e12, Unit.CNY)}


def test_a_bulleted_noun_phrase_is_about_what_the_line_before_the_list_is_about(nlp):
    rows = _extracted(nlp, "Vice mayor Meng Hao described Lakeport as a leading hub of the province "
                           "and listed its strengths:\n\n- 1 national laboratory\n- 6 large research facilities\n\n"
                           "The talks went on.")
    assert {r[:3] for r in rows} >= {("Lakeport", 1.0, Unit.COUNT), ("Lakeport", 6.0, Unit.COUNT)}


def test_a_list_after_a_line_that_does_not_end_in_a_colon_has_no_lead_in(nlp):
    rows = _extracted(nlp, "Vice mayor Meng Hao described Lakeport as a leading hub of the province.\n\n"
                           "- 6 large research facilities\n\nThe talks went on.")
    assert ("Lakeport", 6.0, Unit.COUNT) not in {r[:3] for r in rows}


def test_a_sum_for_a_named_programme_is_the_programmes(nlp):
    rows = _extracted(nlp, "The Lagos Bank funds several projects. They include $85 million for the Harbor "
                           "Creative Industries programme and other grants.")
    assert ("Harbor Creative Industries", 85e6, Unit.USD) in {r[:3] for r in rows}


def test_a_sum_a_named_subject_spends_for_something_stays_the_subjects(nlp):
    rows = _extracted(nlp, "Harbor Bank set aside $85 million for the Harbor Creative Industries programme.")
    assert ("Harbor Bank", 85e6, Unit.USD) in {r[:3] for r in rows}


def test_a_numbered_list_one_item_a_line_ranks_and_scores(nlp):
    body = ("Rivertown kept first place in the index.\n\nTop 3 cities, 2025 (score out of 100)\n\n"
            "1. Rivertown - 92.46\n2. Lakeport - 90.13\n3. Norvale - 86.71\n\nThe list was long.")
    got = facts(run(nlp, body, {"Rivertown": Kind.PLACE, "Lakeport": Kind.PLACE, "Norvale": Kind.PLACE}))
    assert {("Lakeport", 2.0, Unit.RANK), ("Norvale", 3.0, Unit.RANK)} <= got
    assert {("Rivertown", 92.46, Unit.POINTS), ("Lakeport", 90.13, Unit.POINTS), ("Norvale", 86.71, Unit.POINTS)} <= got
    assert not any(number == 100 for _, number, _ in got)


def test_decimals_in_a_numbered_list_under_no_score_heading_are_no_scores(nlp):
    body = "Top 3 cities by loans\n\n1. Rivertown - 9.46\n2. Lakeport - 8.13\n\nThe list was long."
    got = facts(run(nlp, body, {"Rivertown": Kind.PLACE, "Lakeport": Kind.PLACE}))
    assert not any(unit is Unit.POINTS for _, _, unit in got)


def test_a_share_of_a_people_is_about_their_country(nlp):
    rows = run(nlp, "The proportion of Norwegians without a bank account fell to 4 percent in 2021.")
    assert facts(rows) == {("Norway", 4, Unit.PERCENT)}
    rows = run(nlp, "The proportion of adults without a bank account fell to 4 percent in 2021.")
    assert facts(rows) == set()


def test_a_participle_read_as_a_verb_leaves_its_noun_the_subject(nlp):
    from kg.extract.metrics_subjects import _reduced_subject
    doc = nlp(TITLE + "The share of firms left completely outside the scheme has fallen to 11 percent.")
    verb = next(t for t in doc if t.lower_ == "fallen")
    assert _reduced_subject(verb).lower_ == "share"
    doc = nlp(TITLE + "As the share of firms fell, growth has slowed to 4 percent.")
    verb = next(t for t in doc if t.lower_ == "slowed")
    assert _reduced_subject(verb) is None


def test_a_share_of_an_unnamed_group_takes_the_place_a_later_figure_names(nlp):
    rows = run(nlp, "The share of adults able to use a bank rose from 27 percent in 2006 to 83 percent "
                    "this year, while the proportion of Norwegians left outside the system has fallen to "
                    "11 percent.")
    assert facts(rows) == {("Norway", 27, Unit.PERCENT), ("Norway", 83, Unit.PERCENT),
                           ("Norway", 11, Unit.PERCENT)}
    rows = run(nlp, "The share of adults able to use a bank rose to 83 percent this year, while lenders "
                    "in Glenford opened 40 branches.", {"Glenford": Kind.PLACE})
    assert facts(rows) == {("Glenford", 40, Unit.COUNT)}


def test_a_figure_in_a_with_phrase_set_on_a_name_is_that_names(nlp):
    body = ("The Ostbury Forum opened on Monday. Calder Bank, with total assets of 3 trillion yuan, "
            "is the biggest lender in the region.")
    rows = run(nlp, body, {"Ostbury Forum": Kind.EVENT, "Calder Bank": Kind.ORGANIZATION})
    assert ("Calder Bank", 3e12, Unit.CNY) in facts(rows)
    assert ("Ostbury Forum", 3e12, Unit.CNY) not in facts(rows)
    rows = run(nlp, "The Ostbury Forum opened on Monday. Calder Bank signed a deal with 40 start-ups.",
               {"Ostbury Forum": Kind.EVENT, "Calder Bank": Kind.ORGANIZATION})
    assert facts(rows) == {("Calder Bank", 40, Unit.COUNT)}


def test_a_proper_name_no_entity_claims_as_clause_subject_is_a_work(nlp):
    rows = _extracted(nlp, "Calder Bank opened two branches. The city is preparing the Greenway Seed "
                           "Accelerator, which will have 50 million euros to spend over five years.")
    assert ("Greenway Seed Accelerator", 50e6, Unit.EUR) in {r[:3] for r in rows}
    rows = _extracted(nlp, "Calder Bank opened two branches. Martin Oduya, who will have 50 million euros "
                           "to spend, joined the board.")
    assert not any(r[0] == "Martin Oduya" for r in rows)


def test_a_participle_after_a_clause_takes_the_clauses_setting(nlp):
    body = ("Calder Bank opened two branches. Seven agreements were signed at the Ostbury Forum, involving "
            "a total of 3.2 billion yuan.")
    rows = run(nlp, body, {"Ostbury Forum": Kind.EVENT, "Calder Bank": Kind.ORGANIZATION})
    assert ("Ostbury Forum", 3.2e9, Unit.CNY) in facts(rows)
    rows = run(nlp, "Calder Bank opened two branches. Seven agreements were signed at the Ostbury Forum, and Quell "
                    "Bank lent 3.2 billion yuan.", {"Ostbury Forum": Kind.EVENT, "Quell Bank": Kind.ORGANIZATION})
    assert ("Quell Bank", 3.2e9, Unit.CNY) in facts(rows)  # a clause with a subject of its own


def test_a_bulleted_place_in_a_ranking_is_about_what_the_line_before_the_list_is_about(nlp):
    body = ("Vice mayor Meng Hao described Lakeport as a leading hub of the province and listed its "
            "strengths:\n\n- 6 large research facilities\n- 21st place worldwide in the Open Markets Index in 2023\n\n"
            "The talks went on.")
    assert ("Lakeport", 21.0, Unit.RANK) in {r[:3] for r in _extracted(nlp, body)}
    body = "Vice mayor Meng Hao described Lakeport as a leading hub.\n\n- 21st place worldwide\n\nThe talks went on."
    assert not any(r[2] is Unit.RANK for r in _extracted(nlp, body))
