"""The generic word lists of extraction (lexicon/*.json), read on first use, never at import.

Only generic vocabulary lives there: title words, organisation and event head words, role
verbs, month names, navigation lines. No names of people, institutions or places."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DIR = Path(__file__).with_name("lexicon")


def _load(name: str) -> dict:
    """One lexicon file as a dict."""
    return json.loads((_DIR / f"{name}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """All word lists extraction uses, lower case."""

    title_heads: frozenset[str]
    title_mods: frozenset[str]
    title_weak: frozenset[str]
    party_words: frozenset[str]
    honorifics: frozenset[str]
    post_nominals: frozenset[str]  # "OBE", "PhD" after a name: not part of it
    name_particles: frozenset[str]  # "van", "bin": lower case inside a name ("Lena van der Berg")
    named_chair_heads: frozenset[str]  # "the Li Ka Shing Professor of Medicine": a named chair
    home_titles: frozenset[str]  # "Vice-president P said": a post in the article's own institution
    verb_titles: dict[str, str]
    org_heads: dict[str, str]  # head word -> OrgKind value
    org_strong: frozenset[str]
    org_weak: frozenset[str]
    org_lower_heads: frozenset[str]
    venue_heads: frozenset[str]
    venue_pairs: frozenset[str]
    connectors: frozenset[str]
    work_heads: frozenset[str]
    legal_tails: frozenset[str]
    possessive_words: frozenset[str]
    generic_acronyms: frozenset[str]
    ordinals: frozenset[str]
    not_names: frozenset[str]
    institution_words: frozenset[str]  # words of institutions' names, never of a person's
    product_heads: frozenset[str]  # "X Wallet", "X Corridor", "X app": products, plans, places
    base_words: frozenset[str]  # "Singapore-based X": a description before a name
    generic_org_nouns: frozenset[str]  # "the company's chairman": the company named before
    place_words: frozenset[str]  # "Hetang District": a place's name, never a person's
    event_heads: dict[str, str]  # head word -> EventKind value
    event_named_heads: frozenset[str]
    event_generic: frozenset[str]
    event_phrase_named_heads: frozenset[str]
    event_unnamed_heads: frozenset[str]
    event_kind_mods: dict[str, str]
    event_anaphors: frozenset[str]
    sub_markers: frozenset[str]
    event_context_heads: frozenset[str]  # "the X conference": a lower-case head after a name
    event_setting_verbs: frozenset[str]  # "X opened", "X drew 300 guests": X is an event
    event_setting_preps: frozenset[str]  # "at X", "during X", "on the sidelines of X"
    award_heads: frozenset[str]  # "the X Award 2018 presentation ceremony" is part of the X Award
    award_ceremony_words: frozenset[str]
    event_recall_verbs: frozenset[str]  # "recalled the signing of the X agreement": an occasion of its own
    roles: dict
    header: dict
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]


@lru_cache(maxsize=1)
def words() -> Words:
    """Load every lexicon once per process."""
    titles, orgs, events, dates = _load("titles"), _load("orgs"), _load("events"), _load("dates")
    fz = frozenset
    return Words(
        title_heads=fz(titles["heads"]), title_mods=fz(titles["modifiers"]), title_weak=fz(titles["weak_heads"]),
        party_words=fz(titles["party_words"]), honorifics=fz(titles["honorifics"]), post_nominals=fz(titles["post_nominals"]),
        name_particles=fz(titles["name_particles"]),
        named_chair_heads=fz(titles["named_chair_heads"]), home_titles=fz(titles["home_titles"]), verb_titles=titles["verb_titles"],
        org_heads=orgs["heads"], org_strong=fz(orgs["strong_heads"]), org_weak=fz(orgs["weak_heads"]),
        org_lower_heads=fz(orgs["lowercase_heads"]), venue_heads=fz(orgs["venue_heads"]),
        venue_pairs=fz(orgs["venue_pairs"]), connectors=fz(orgs["connectors"]),
        work_heads=fz(orgs["work_heads"]), legal_tails=fz(orgs["legal_tails"]), possessive_words=fz(orgs["possessive_words"]),
        generic_acronyms=fz(orgs["generic_acronyms"]), ordinals=fz(orgs["ordinals"]),
        not_names=fz(orgs["not_names"]), institution_words=fz(orgs["institution_words"]),
        product_heads=fz(orgs["product_heads"]), base_words=fz(orgs["base_words"]),
        generic_org_nouns=fz(orgs["generic_org_nouns"]),
        place_words=fz(_load("metrics_words")["place_nouns"]) - {"capital", "nation"},
        event_heads=events["heads"], event_named_heads=fz(events["named_heads"]),
        event_generic=fz(events["generic_name_words"]), event_phrase_named_heads=fz(events["phrase_named_heads"]), event_unnamed_heads=fz(events["unnamed_heads"]),
        event_kind_mods=events["kind_modifiers"], event_anaphors=fz(events["anaphors"]),
        sub_markers=fz(events["sub_markers"]), event_context_heads=fz(events["context_heads"]),
        event_setting_verbs=fz(events["setting_verbs"]), event_setting_preps=fz(events["setting_preps"]),
        award_heads=fz(events["award_heads"]), award_ceremony_words=fz(events["award_ceremony_words"]),
        event_recall_verbs=fz(events["recall_verbs"]),
        roles=_load("roles"), header=_load("header"),
        months=dates["months"], weekdays=dates["weekdays"], relative_days=dates["relative_days"],
    )
