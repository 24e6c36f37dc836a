"""Sub-organisations: an institution named as a unit of another that the same article names.

Two name shapes, read from the names alone (no corpus names, no lexicon of institutions):

- "X of Y", where X is a unit ("Institute of Venture Finance of NORTAS", "School of
  Economics of Lakeside University") and Y names another organisation of the
  article, by its name or an alias (an acronym tied to it counts);
- "Y's X Branch", "Y X Institute": the name starts with another organisation's name or
  alias (with or without "'s") and what follows it holds a unit word ("Rivertown Bank
  Lakeside Branch"), or the text puts "Y's" right before a name that holds one ("Rivertown
  Bank's Lakeside Branch", where the name found is "Lakeside Branch").

The unit words are closed-class English nouns for a part of a larger body. Y must be an
organisation the article itself names: "Massachusetts Institute of Technology" is of no
organisation called "Technology", so it stays whole."""
from __future__ import annotations

import re

from ..model import Entity, Kind
from .registry import EntityRegistry

UNIT_WORDS = frozenset({
    "institute", "branch", "department", "centre", "center", "school", "college", "office",
    "bureau", "laboratory", "lab", "division", "committee", "secretariat", "subsidiary", "unit",
    "faculty", "chapter", "section",
})
_POSSESSIVE = re.compile(r"['’]s$")
_MAX_WORDS = 8  # the longest organisation name looked for before a "'s"


def _has_unit(words: list[str]) -> bool:
    return any(w.lower().strip(",.") in UNIT_WORDS for w in words)


def _parent_by_of(ent: Entity, registry: EntityRegistry) -> str | None:
    """"X of Y": the last "of" whose head holds a unit word and whose tail names another
    organisation of the article."""
    words = ent.name.split()
    for i in range(len(words) - 2, 0, -1):
        if words[i] != "of" or not _has_unit(words[:i]):
            continue
        tail = words[i + 1:]
        if tail and tail[0].lower() == "the":
            tail = tail[1:]
        found = registry.find(" ".join(tail), Kind.ORGANIZATION) if tail else None
        if found and found != ent.id:
            return found
    return None


def _parent_by_prefix(ent: Entity, registry: EntityRegistry) -> str | None:
    """"Y's X Branch": the longest leading run of words that names another organisation of
    the article, the rest holding a unit word."""
    words = ent.name.split()
    for n in range(len(words) - 1, 0, -1):
        head, rest = words[:n], words[n:]
        if not _has_unit(rest):
            continue
        name = " ".join(head)
        name = _POSSESSIVE.sub("", name)
        found = registry.find(name, Kind.ORGANIZATION) if name else None
        if found and found != ent.id:
            return found
    return None


def _parent_by_possessive(ent: Entity, registry: EntityRegistry) -> str | None:
    """"Y's X Branch" where the name is "X Branch": a mention right after "Y's", Y another
    organisation of the article (the longest run of words before the "'s" that names one)."""
    if not _has_unit(ent.name.split()):
        return None
    for span in ent.mentions:
        before = span.sentence[:max(0, span.start - span.sentence_start)].rstrip()
        if not _POSSESSIVE.search(before):
            continue
        words = _POSSESSIVE.sub("", before).split()
        for n in range(min(len(words), _MAX_WORDS), 0, -1):
            run = words[-n:]
            if run[0].lower() == "the":
                continue
            found = registry.find(" ".join(run), Kind.ORGANIZATION)
            if found and found != ent.id:
                return found
    return None


def link(registry: EntityRegistry) -> None:
    """Set ``part_of`` on each organisation of the article that is named as a unit of another
    (never a cycle: a parent that is already a unit of the entity is passed over)."""
    for ent in registry:
        if ent.kind is not Kind.ORGANIZATION or not ent.named or ent.part_of:
            continue
        parent = (_parent_by_of(ent, registry) or _parent_by_prefix(ent, registry)
                  or _parent_by_possessive(ent, registry))
        if parent is None:
            continue
        seen, up = {ent.id}, parent
        while up is not None and up not in seen:
            seen.add(up)
            up = registry.get(up).part_of
        if up is None:
            ent.part_of = parent
