"""Figures stated as fractions and comparisons, places named with a place word, and the
institution an apposition describes: invented sentences, each rule with positive and
negative cases."""
from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.metrics import find_observations
from kg.extract.numbers import scan
from kg.extract.registry import EntityRegistry
from kg.model import Kind, Span, Unit

TITLE = "Test headline\n\n"


def _run(nlp, body):
    x = extract(TITLE + body, "t.txt", nlp)
    names = {e.id: e.name for e in x.entities}
    return x, {(names[o.subject], v.number, v.unit) for o in x.observations for v in o.values}


def _given(nlp, body, entities):
    """Metrics of ``body`` with ``entities`` registered at each occurrence (the tagger's view of
    invented names varies, the rule under test does not)."""
    text = TITLE + body
    doc = nlp(text)
    registry = EntityRegistry()
    for name, kind in entities.items():
        start = text.find(name)
        while start >= 0:
            sent = doc.char_span(start, start + len(name), alignment_mode="expand").sent
            registry.add(kind, name, Span(start, start + len(name), sent.text, sent.start_char))
            start = text.find(name, start + 1)
    return {(registry.get(o.subject).name, v.number, v.unit)
            for o in find_observations(doc, registry, None) for v in o.values}


# -- fractions in words -------------------------------------------------------------------
@pytest.mark.parametrize("sentence,phrase,value", [
    ("It holds one in four of the region's banks.", "one in four", 25.0),
    ("Fewer than 1 in 10 rounds is led locally.", "Fewer than 1 in 10", 10.0),
    ("The sector handles one-fifth of the city's deposits.", "one-fifth", 20.0),
    ("The sites make up about a third of the total.", "about a third", 33.33),
    ("Staff with degrees are nearly six tenth of the department.", "nearly six tenth", 60.0),
    ("More than half of which have obtained credit.", "More than half", 50.0),
    ("The model cut approval times by a fifth.", "a fifth", 20.0),
    ("Valuations were roughly half those of the coast.", "roughly half", 50.0),
])
def test_fractions_in_words_are_percentages(nlp, sentence, phrase, value):
    found = [(q.text, q.value, q.unit) for q in scan(nlp(sentence))]
    assert (phrase, value, Unit.PERCENT) in found


@pytest.mark.parametrize("sentence", [
    "The third forum opened in the first half of 2023.",
    "Talks went into a third round in the second quarter.",
    "It was the Third Harbor Forum, a first-half story.",
    "Half of the year had passed.",
    "The two in 2023 met again.",
])
def test_ordinals_and_periods_are_no_fractions(nlp, sentence):
    assert not [q for q in scan(nlp(sentence)) if q.unit is Unit.PERCENT]


def test_a_fraction_is_a_share_of_its_subject(nlp):
    facts = _given(nlp, "Lakeport hosts one in four of the region's banks and about a third of its funds.",
                   {"Lakeport": Kind.PLACE})
    assert {("Lakeport", 25.0, Unit.PERCENT), ("Lakeport", 33.33, Unit.PERCENT)} <= facts


# -- places named with a place word --------------------------------------------------------
def test_a_name_ended_by_a_place_word_is_a_place_with_a_short_alias(nlp):
    x, facts = _run(nlp, "Hetang District, where the summit took place, is home to one in four of the "
                         "province's banks. Hetang's output grew 7.6 percent in 2024.")
    place = next(e for e in x.entities if e.name == "Hetang District")
    assert place.kind is Kind.PLACE and "Hetang" in place.aliases
    assert {("Hetang District", 25.0, Unit.PERCENT), ("Hetang District", 7.6, Unit.PERCENT)} <= facts


def test_a_place_word_inside_a_longer_name_makes_no_place(nlp):
    x, _ = _run(nlp, "Officials of the Hetang District Committee and the City of Norbury met on Monday.")
    assert not [e for e in x.entities if e.kind is Kind.PLACE and e.name in ("Hetang District", "City")]


# -- comparisons that state a rank -----------------------------------------------------------
@pytest.mark.parametrize("sentence,subject,rank", [
    ("Lakeport has more unicorns than any other city on the coast.", "Lakeport", 1),
    ("Lakeport's output grew 7.6 percent, the fastest rate of any district in the province.", "Lakeport", 1),
    ("Brisport remains the largest market in the region.", "Brisport", 1),
    ("Kestrel Bank now ranks among the ten biggest investors in technology.", "Kestrel Bank", 10),
    ("Trading made Kestrel Bank the seventh most actively traded stock.", "Kestrel Bank", 7),
    ("Lakeport came fourth nationally and top among cities in the west.", "Lakeport", 1),
])
def test_comparisons_state_ranks(nlp, sentence, subject, rank):
    facts = _given(nlp, sentence, {subject: Kind.PLACE if subject != "Kestrel Bank" else Kind.ORGANIZATION})
    assert (subject, rank, Unit.RANK) in facts


@pytest.mark.parametrize("sentence", [
    "Lakeport is one of the largest hubs in the region.",
    "The largest deal was signed in Lakeport last year.",
    "Lakeport has more unicorns than Brisport.",
    "Lakeport has fewer unicorns than it had in 2020.",
])
def test_comparisons_without_an_order_state_no_rank(nlp, sentence):
    facts = _given(nlp, sentence, {"Lakeport": Kind.PLACE, "Brisport": Kind.PLACE})
    assert not [f for f in facts if f[2] is Unit.RANK]


def test_the_district_of_a_comparison_is_the_district_named_before(nlp):
    facts = _given(nlp, "Hetang District hosted the fair. The district also has more listed companies "
                        "than any other part of the province.", {"Hetang District": Kind.PLACE})
    assert ("Hetang District", 1, Unit.RANK) in facts


# -- the institution an apposition describes --------------------------------------------------
def test_a_name_described_as_an_institution_is_one(nlp):
    x, facts = _run(nlp, "Norvale Robotics sold shares on Monday. Baillie Vane, the Scottish fund house that "
                         "was already a shareholder, took US$260 million of shares.")
    kinds = {e.name: e.kind for e in x.entities}
    assert kinds.get("Baillie Vane") is Kind.ORGANIZATION
    assert ("Baillie Vane", 260e6, Unit.USD) in facts


def test_a_name_with_a_post_is_still_a_person(nlp):
    x, _ = _run(nlp, "Norvale Bank sold shares. Mark Tolland, the bank's chairman, spoke. "
                     "Lina Marsh, a fund manager at Kestrel Capital, said so.")
    kinds = {e.name: e.kind for e in x.entities}
    assert kinds.get("Mark Tolland") is Kind.PERSON and kinds.get("Lina Marsh") is Kind.PERSON


def test_of_two_subjects_the_one_next_to_the_verb_has_the_figure(nlp):
    _, facts = _run(nlp, "Horizon Tech sold shares. That makes it the biggest listing in the city since "
                         "Quanta Group raised US$740 million in 2021.")
    assert ("Quanta Group", 740e6, Unit.USD) in facts


# -- a platform named only as a modifier -------------------------------------------------------
def test_a_noun_named_by_its_proper_modifier_is_the_subject(nlp):
    _, facts = _run(nlp, "The central bank signed an agreement on Monday. The Zephyr+ network is connecting "
                         "more than 1.7 billion user accounts across 36 partners, according to company data.")
    subjects = {s for s, _, unit in facts if unit is Unit.COUNT}
    assert subjects == {"Zephyr+ network"}


def test_a_modifier_that_is_a_place_or_an_entity_names_no_new_subject(nlp):
    x, _ = _run(nlp, "Harbor Bank signed an agreement on Monday. The Harbor Bank network is connecting "
                     "more than 1.7 billion user accounts across 36 partners.")
    assert not [e for e in x.entities if e.kind is Kind.WORK and e.name.endswith("network")]


# -- "we" in an institution's own words ---------------------------------------------------------
def test_we_is_the_institution_the_article_follows(nlp):
    _, facts = _run(nlp, "By Dana Reyes | The Harbor Post\n\nKestrel Pay Technologies is a payments firm in Lakeport. "
                         "Q: How big are you now?\nA: We process about 310 million transactions a month now for "
                         "220 banks.")
    assert ("Kestrel Pay Technologies", 310e6, Unit.COUNT) in facts
    assert not [f for f in facts if f[0] == "The Harbor Post"]


# -- "their" after a counted group ----------------------------------------------------------------
def test_their_is_the_group_the_previous_sentence_counted(nlp):
    facts = _given(nlp, "Lakeport now has 4,694 start-ups, up 10% from a year earlier. Their combined workforce "
                        "is close to 18,000, a 7% rise on the year.", {"Lakeport": Kind.PLACE})
    assert ("start-ups", 7.0, Unit.PERCENT) in facts
    assert ("Lakeport", 4694, Unit.COUNT) in facts


def test_their_is_no_group_counted_further_back(nlp):
    facts = _given(nlp, "Lakeport now has 4,694 start-ups. The mayor spoke on Monday. Their combined workforce "
                        "rose 7% on the year.", {"Lakeport": Kind.PLACE})
    assert ("Lakeport", 4694, Unit.COUNT) in facts
    assert not [f for f in facts if f[0] == "start-ups"]


# -- a list of sums, each with its own purpose ---------------------------------------------------
def test_each_listed_sum_is_about_its_own_purpose(nlp):
    facts = _given(nlp, "The bank approved several loans. They include $170 million for the Harbor Seed Programme, "
                        "part of which will back start-ups; a 72 million euro loan backing the Digital Norland 2030 "
                        "National Strategic Plan; 124 million euros for the Kestrel Fibre Backbone across Lakeport; "
                        "96 million euros for technology parks in the north.",
                   {"Harbor Seed Programme": Kind.WORK, "Kestrel Fibre Backbone": Kind.WORK, "Lakeport": Kind.PLACE})
    subjects = {v: s for s, v, _ in facts}
    assert subjects[170e6] == "Harbor Seed Programme"
    assert subjects[72e6].startswith("Digital Norland 2030")
    assert subjects[124e6] == "Kestrel Fibre Backbone"
    assert subjects[96e6] == "technology parks in the north"


def test_a_sum_not_in_a_list_keeps_the_subject_of_its_clause(nlp):
    facts = _given(nlp, "Kestrel Bank lent 5 billion yuan for the Lakeport Metro Project in 2024.",
                   {"Kestrel Bank": Kind.ORGANIZATION})
    assert ("Kestrel Bank", 5e9, Unit.CNY) in facts


@pytest.mark.parametrize("sentence", [
    "Lakeport has put up over 8,000 5G base stations.",
    "Each hub gets a Performance Score built from three outside benchmarks.",
])
def test_names_with_digits_and_numbers_in_words_near_a_score_are_no_figures_of_their_own(nlp, sentence):
    found = {(q.value, q.unit) for q in scan(nlp(sentence))}
    facts = _given(nlp, sentence, {"Lakeport": Kind.PLACE})
    assert (3.0, Unit.POINTS) not in found
    assert not [f for f in facts if f[1] in (5.0, 3.0)]


# -- who came to an event ------------------------------------------------------------------------
def test_members_who_gathered_for_an_event_are_its_attendance(nlp):
    facts = _given(nlp, "In November 2009 nearly 170 members of the class of 1979 gathered in the Orchid Hall for "
                        "the Class of 1979 Alumni Forum.",
                   {"Orchid Hall": Kind.PLACE, "Class of 1979 Alumni Forum": Kind.EVENT})
    assert ("Class of 1979 Alumni Forum", 170, Unit.COUNT) in facts
    assert not [f for f in facts if f[0] == "Orchid Hall"]


@pytest.mark.parametrize("sentence,rank", [
    ("Only three cities did better, leaving Lakeport fourth nationally.", 4),
    ("The survey puts Lakeport second in the region.", 2),
])
def test_a_verb_that_places_a_name_states_its_rank(nlp, sentence, rank):
    assert ("Lakeport", rank, Unit.RANK) in _given(nlp, sentence, {"Lakeport": Kind.PLACE})


def test_a_placing_verb_whose_object_is_no_name_states_no_rank(nlp):
    facts = _given(nlp, "The new fund will put Lakeport firms first, its managers said.", {"Lakeport": Kind.PLACE})
    assert not [f for f in facts if f[2] is Unit.RANK]


def test_a_number_the_tokenizer_left_glued_to_its_bracket_still_ranks(nlp):
    doc_text = "Beijing (No. 4), Lakeport (No. 8), Brisport (No. 9) and Calder (No. 12) entered the top 15."
    facts = _given(nlp, doc_text, {n: Kind.PLACE for n in ("Beijing", "Lakeport", "Brisport", "Calder")})
    assert {("Beijing", 4, Unit.RANK), ("Lakeport", 8, Unit.RANK), ("Brisport", 9, Unit.RANK),
            ("Calder", 12, Unit.RANK)} <= facts


def test_n_of_them_counts_the_noun_counted_before_it(nlp):
    facts = _given(nlp, "The Harbor Fintech Forum Meeting opened on Monday. Fifty-three representatives took part, "
                        "15 of them online, drawn from 25 institutions.", {"Harbor Fintech Forum Meeting": Kind.EVENT})
    assert {("Harbor Fintech Forum Meeting", 53, Unit.COUNT), ("Harbor Fintech Forum Meeting", 15, Unit.COUNT)} <= facts


def test_n_of_them_with_nothing_counted_before_it_is_no_count(nlp):
    facts = _given(nlp, "The Harbor Fintech Forum Meeting opened on Monday. The delegates arrived early, and "
                        "15 of them stayed late.", {"Harbor Fintech Forum Meeting": Kind.EVENT})
    assert not [f for f in facts if f[1] == 15]


# -- a relative clause on a figure ------------------------------------------------------
@pytest.mark.parametrize("body,entities,expected", [
    ("The loans of Corvell Bank reached 30 billion yuan, which accounts for 12 percent of the market.",
     {"Corvell Bank": Kind.ORGANIZATION}, ("Corvell Bank", 12.0, Unit.PERCENT)),
    ("In 2021 the software revenue of Tarnby District was 250 billion yuan, which accounted for nearly "
     "40% of the whole city and about 20% of the province.",
     {"Tarnby District": Kind.PLACE}, ("Tarnby District", 20.0, Unit.PERCENT)),
    ("Exports of Halvern Province hit 8 billion dollars, which represents 15 percent of the national total.",
     {"Halvern Province": Kind.PLACE}, ("Halvern Province", 15.0, Unit.PERCENT)),
    ("Corvell Bank's revenue reached 5 billion yuan, which was up 12 percent year on year.",
     {"Corvell Bank": Kind.ORGANIZATION}, ("Corvell Bank", 12.0, Unit.PERCENT)),
])
def test_a_clause_on_a_figure_has_the_figure_s_subject(nlp, body, entities, expected):
    assert expected in _given(nlp, body, entities)


def test_a_clause_on_counted_things_is_not_the_figure_s(nlp):
    # the funds' share is theirs, not a share of a figure of the district
    body = ("Tarnby District set up five funds in 2021. The five funds, which account for 30 percent of "
            "its capital, grew quickly.")
    assert ("Tarnby District", 30.0, Unit.PERCENT) not in _given(nlp, body, {"Tarnby District": Kind.PLACE})


@pytest.mark.parametrize("body,measure", [
    ("The loans of Corvell Bank reached 30 billion yuan, which accounts for 12 percent of the market.",
     "share of loans"),
    ("The loans of Corvell Bank totalled 30 billion yuan, which rose 8 percent from 2022.", "loans growth"),
])
def test_the_clause_s_measure_names_the_figure(nlp, body, measure):
    x = extract(TITLE + body, "t.txt", nlp)
    assert {o.measure for o in x.observations for v in o.values if v.unit is Unit.PERCENT} == {measure}
