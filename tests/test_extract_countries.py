"""A country called by its form of state alone ("the Kingdom") is the country the article
names most (kg/extract/countries.py): invented sentences, positive and negative."""
from __future__ import annotations

import pytest

from kg.extract import extract
from kg.model import Kind

TITLE = "Test headline\n\n"


def _places(nlp, body):
    return {e.name for e in extract(TITLE + body, "t.txt", nlp).entities if e.kind is Kind.PLACE}


@pytest.mark.parametrize("body,country", [
    ("Thai lenders grew fast. The number of fintech firms in the Kingdom rose to 120 in 2024, "
     "and Thai regulators welcomed it.", "Thailand"),
    ("Norwegian officials praised the plan. The payment network of the Kingdom handled 3 billion "
     "transactions, and Norwegian banks expect more.", "Norway"),
])
def test_the_kingdom_is_the_country_the_article_names_most(nlp, body, country):
    places = _places(nlp, body)
    assert country in places and "Kingdom" not in places


@pytest.mark.parametrize("body", [
    # no country named at all
    "Lenders grew fast. The number of fintech firms in the Kingdom rose to 120 in 2024.",
    # two countries named as often: no guess
    "Thai and Emirati lenders grew fast. The number of fintech firms in the Kingdom rose to 120 in 2024.",
])
def test_the_kingdom_stays_as_it_is_without_one_country_named_most(nlp, body):
    places = _places(nlp, body)
    assert "Thailand" not in places and "United Arab Emirates" not in places


def test_a_full_name_with_a_form_of_state_is_its_own_name(nlp):
    places = _places(nlp, "Thai lenders grew. The Republic of Corvia raised 5 billion dollars in 2024.")
    assert "Republic of Corvia" in places and "Thailand" not in places


def test_a_country_named_as_an_entity_of_its_own_is_never_made_twice(nlp):
    x = extract(TITLE + "Officials in Norway praised the plan. The payment network of the Kingdom "
                        "handled 3 billion transactions, and Norway expects more.", "t.txt", nlp)
    assert [e.name for e in x.entities if e.kind is Kind.PLACE].count("Norway") == 1
