"""Blocking for partitioned resolution: the keys under which resolution's rules could ever
compare two entities, and the connected components those keys make.

Each per-article entity (a node) gets, for each stage of resolution, a signature: its anchor
(the normalised-name block of the same-name rule) and the keys of every index the stage's
rules build or look up: names and aliases, acronyms, initials, company cores, short-name
prefixes, person-name probes, event editions and dates. A key is *both* (every node that has
it is in the index and looks it up), a *probe* (looked up only) or an *index* entry (found
only): an index key nobody probes joins nothing. Nodes that share a live key are in one
component, and a component holds everything its rules read, so running the rules on each
component alone gives what running them on the whole corpus gives (kg.cluster.stages)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..model import Entity, Kind
from ..resolve.clusters import Node, normal_key
from ..resolve.names import (
    acronym_keys,
    content_initials,
    is_acronym,
    org_core,
    org_tokens,
    person_tokens,
    short_org_form,
    too_generic,
    words,
    years,
)
from ..resolve.rules import readings

BOTH, PROBE, INDEX = "b", "p", "i"
Signature = tuple[tuple[str, str], ...]  # (key, role) pairs, the anchor first


def block(ent: Entity) -> str | None:
    """The same-name block of an entity (kind and normalised name), or None for an entity
    the same-name rule never joins (an unnamed event, a name that says too little)."""
    if ent.kind is Kind.EVENT and not ent.named or too_generic(ent.kind, ent.name):
        return None
    key = normal_key(ent.kind, ent.name) or "\0" + " ".join(ent.name.split())
    return f"s|{ent.kind.value}|{key}"


def anchor(node: Node, ent: Entity) -> str:
    """The key a node is routed by: its block, or the node itself when it has none."""
    return block(ent) or f"o|{node[0]}|{node[1]}"


class _AskedNames(set):
    """A set of known names that knows every name, and notes the ones it was asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def __contains__(self, name: object) -> bool:
        self.asked.append(str(name))
        return True


def org_keys(ent: Entity, spelled: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """The organisation rules' keys (kg.resolve.rules org_aliases ... org_short_names).
    ``spelled`` (acronym -> words) adds the readings with acronyms spelled out, once a
    partition knows which acronyms stand for one organisation."""
    if spelled is None:  # names recur across articles: each name's keys are worked out once
        return list(_org_keys(ent.name, tuple(ent.aliases)))
    return _org_keys.__wrapped__(ent.name, tuple(ent.aliases), spelled)


@lru_cache(maxsize=1 << 16)
def _org_keys(name: str, aliases: tuple[str, ...],
              spelled: dict[str, list[str]] | None = None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for form in [name, *aliases]:
        toks = org_tokens(form)
        if toks:
            out.append(("n|" + " ".join(toks), BOTH))  # names and aliases
        if is_acronym(form):
            out.append(("a|" + form.upper(), BOTH))  # acronyms
            continue
        for piece in re.split(r"[\s/-]+", form):  # acronyms read out inside a name
            bare = piece.strip(".,;:()[]'\"")
            if bare and is_acronym(bare):
                out.append(("a|" + bare.upper(), BOTH))
        known = _AskedNames()
        out += [("n|" + key, BOTH) for key, _ in readings(form, spelled or {}, known)]
        out += [("n|" + tail, PROBE) for tail in known.asked]  # "X of Y": is Y an organisation?
    core = org_core(name)
    if len(core) >= 2:
        out.append(("c|" + " ".join(core), BOTH))  # names without designators
    short = " ".join(org_tokens(name))
    out.append(("x|" + short, PROBE))  # is a short form a person's or a place's name?
    out.append(("f|" + short, PROBE))  # the leading part of another name
    out += [("f|" + " ".join(core[:k]), INDEX) for k in range(1, len(core)) if short_org_form(core[:k], core)]
    if is_acronym(name):  # initials
        out += [("i|" + key, PROBE) for key in sorted(acronym_keys(name))]
    else:
        out.append(("i|" + content_initials(name), INDEX))
    return tuple(out)


def name_keys(ent: Entity) -> list[tuple[str, str]]:
    """A person's or place's name, which an organisation's short form must not be."""
    toks = person_tokens(ent.name) if ent.kind is Kind.PERSON else words(ent.name)
    return [("x|" + " ".join(toks), INDEX)]


def person_keys(ent: Entity) -> tuple[tuple[str, str], ...]:
    """The name-variant rule's probes: first two words, first and last, last two, all."""
    return _person_keys(ent.name)


@lru_cache(maxsize=1 << 16)
def _person_keys(name: str) -> tuple[tuple[str, str], ...]:
    toks = person_tokens(name)
    if len(toks) < 2:
        return ()
    probes = (("p",) + tuple(toks[:2]), ("m", toks[0], toks[-1]), ("s",) + tuple(toks[-2:]),
              ("o",) + tuple(sorted(toks)))
    return tuple(("v|" + "\x1f".join(p), BOTH) for p in probes)


def event_keys(ent: Entity, published: str | None) -> list[tuple[str, str]]:
    """The edition rule's (name without its year, year) and the same-event rule's date."""
    out: list[tuple[str, str]] = []
    if ent.named:
        ys = years(ent.name)
        bare = " ".join(t for t in words(ent.name) if t not in ys)
        if bare and len(ys) == 1:
            out.append((f"e|{bare}|{next(iter(ys))}", INDEX))
        elif bare and not ys and (ent.date or published or "")[:4]:
            out.append((f"e|{bare}|{(ent.date or published or '')[:4]}", PROBE))
    if ent.date and not ent.parent:
        out.append(("d|" + ent.date, BOTH))
    return out


def components(signatures: Iterable[Signature]) -> dict[str, str]:
    """Anchor -> its component (the smallest key in it), for every anchor that is live: a
    node's anchor always is; a name read by an organisation rule (an index-only anchor) only
    when some node probes it."""
    sigs = sorted(set(signatures))
    live = {key for sig in sigs for key, role in sig if role != INDEX}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for sig in sigs:
        head = sig[0][0]
        if head not in live:
            continue
        for key, _ in sig[1:]:
            if key in live:
                a, b = find(head), find(key)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {sig[0][0]: find(sig[0][0]) for sig in sigs if sig[0][0] in live}
