"""The country an article calls by its form of state alone ("the Kingdom", "the Republic"):
the one it names most, by name or by demonym ("Saudi", "Thai": lexicon/metrics_demonyms.json).
A place entity named only by such a word takes that country's name; with no country named,
or two named as often, it is left as it is."""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..model import Kind
from .metrics_mentions import demonyms
from .registry import EntityRegistry


@lru_cache(maxsize=1)
def state_nouns() -> frozenset[str]:
    path = Path(__file__).with_name("lexicon") / "metrics_demonyms.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["state_nouns"])


def name_countries(doc: Doc, registry: EntityRegistry) -> None:
    """Rename each place entity called only "Kingdom" (or another form of state) after the
    country the article names most, unless that country is an entity of its own."""
    states = [e for e in registry.entities() if e.kind is Kind.PLACE and e.name.lower() in state_nouns()]
    if not states:
        return
    countries = set(demonyms().values())
    counts: Counter[str] = Counter()
    for e in registry.entities():
        if e.kind is Kind.PLACE and e.name in countries:
            counts[e.name] += len(e.mentions)
    for tok in doc:
        if tok.lower_ in demonyms() and tok.text[:1].isupper():
            counts[demonyms()[tok.lower_]] += 1
    ranked = counts.most_common(2)
    if not ranked or len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return
    country = ranked[0][0]
    for e in states:
        if registry.find(country, Kind.PLACE) is None:
            registry.rename(e.id, country)
