"""The country an article calls by its form of state alone ("the Kingdom", "the Republic"):
the one it names most, by name or by demonym ("Saudi", "Thai": lexicon/metrics_demonyms.json).
A place entity named only by such a word takes that country's name; with no country named,
or two named as often, it is left as it is."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Kind
from .metrics_mentions import demonym_lexicon, demonyms
from .registry import EntityRegistry


@lru_cache(maxsize=1)
def state_nouns() -> frozenset[str]:
    return frozenset(demonym_lexicon()["state_nouns"])


def name_countries(doc: Doc, registry: EntityRegistry) -> None:
    """Rename each place entity called only "Kingdom" (or another form of state) after the
    country the article names most, unless that country is an entity of its own."""
    states = [e for e in registry.entities() if e.kind is Kind.PLACE and e.name.lower() in state_nouns()]
    if not states:
        return
    of = demonyms()
    countries = set(of.values())
    counts: Counter[str] = Counter()
    for e in registry.entities():
        if e.kind is Kind.PLACE and e.name in countries:
            counts[e.name] += len(e.mentions)
    for tok in doc:
        if tok.lower_ in of and tok.text[:1].isupper():
            counts[of[tok.lower_]] += 1
    ranked = counts.most_common(2)
    if not ranked or len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return
    country = ranked[0][0]
    if registry.find(country, Kind.PLACE) is None:  # else an entity of its own: no second one
        registry.rename(states[0].id, country)  # one entity of the name (a second form of state stays)
