"""The merge rules of resolution, in the order they run. Each reads the clusters the
previous rules left and joins some of them, with a reason, a score and the evidence in
words. A rule merges only when its candidate is unique: an ambiguous form joins nothing."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from ..model import Kind
from .clusters import Clusters, MergeReason, Node, normal_key
from .names import (
    acronym_keys,
    acronym_of,
    content_initials,
    is_acronym,
    org_core,
    org_tokens,
    person_tokens,
    person_variant,
    short_org_form,
    too_generic,
    words,
    years,
)

EVENT_DAYS = 10  # named events of one name further apart than this are different editions


def same_name(c: Clusters) -> None:
    """Entities of one kind with the same normalised name are one ("Rivertown Capital Group
    Co" / "Rivertown Capital Group Co., Ltd."). Events only when their dates agree; an
    unnamed event ("the signing ceremony") never by name."""
    groups: dict[tuple[Kind, str], list[Node]] = {}
    for node, (_, ent) in c.ordered():
        if ent.kind is Kind.EVENT and not ent.named or too_generic(ent.kind, ent.name):
            continue
        key = normal_key(ent.kind, ent.name) or "\0" + " ".join(ent.name.split())  # no words: as written
        groups.setdefault((ent.kind, key), []).append(node)
    for (kind, key), nodes in groups.items():
        if kind is Kind.EVENT:
            _same_name_events(c, nodes)
            continue
        for n in nodes[1:]:
            c.union(nodes[0], n, MergeReason.SAME_NAME, 1.0, f'same name "{key.lstrip(chr(0))}"')


def _same_name_events(c: Clusters, nodes: list[Node]) -> None:
    """Same-named events: dated ones within EVENT_DAYS of each other are one edition; the
    undated ones join the only edition there is, or each other when there are several."""
    dated = sorted((c.ents[n][1].date, n) for n in nodes if c.ents[n][1].date)
    undated = [n for n in nodes if not c.ents[n][1].date]
    editions: list[list[Node]] = []
    start = None
    for iso, node in dated:
        try:
            day = date.fromisoformat(iso)
        except ValueError:
            day = None
        if editions and day and start and (day - start).days <= EVENT_DAYS:
            c.union(editions[-1][0], node, MergeReason.SAME_NAME, 1.0,
                    f"same name, dates {start.isoformat()} and {iso}")
            editions[-1].append(node)
        else:
            editions.append([node])
            start = day
    if len(editions) == 1:  # the undated join the one dated edition, unless published in another year
        year = (c.ents[editions[0][0]][1].date or "")[:4]
        undated = [n for n in undated if (c.ents[n][0].published or year)[:4] == year]
        anchor: Node | None = editions[0][0]
    else:
        undated = [n for n in undated if not editions or not c.ents[n][0].published]
        anchor = undated[0] if undated else None
    for n in undated:
        if anchor is not None and n != anchor:
            why = "same name, one edition dated" if editions else "same name, no dates"
            c.union(anchor, n, MergeReason.SAME_NAME, 0.9 if editions else 1.0, why)


def org_aliases(c: Clusters) -> None:
    """An organisation's alias in one article that is the name of an organisation in another
    ("ICBC" / "Industrial and Commercial Bank of China", both ways), or an acronym both
    articles give as alias."""
    names: dict[str, set[Node]] = {}
    acronyms: dict[str, set[Node]] = {}
    for node, (_, ent) in c.ordered():
        if ent.kind is not Kind.ORGANIZATION:
            continue
        if not too_generic(ent.kind, ent.name):
            names.setdefault(" ".join(org_tokens(ent.name)), set()).add(node)
        for form in [ent.name, *ent.aliases]:
            if is_acronym(form):
                acronyms.setdefault(form.upper(), set()).add(node)
    for node, (doc, ent) in c.ordered():
        if ent.kind is not Kind.ORGANIZATION:
            continue
        for alias in ent.aliases:
            if too_generic(ent.kind, alias):
                continue
            key = " ".join(org_tokens(alias))
            found = names.get(key, set())
            reason = MergeReason.ALIAS
            if is_acronym(alias):
                found = found | acronyms.get(alias.upper(), set())
                reason = MergeReason.ACRONYM
            roots = {c.find(n) for n in found} - {c.find(node)}
            if len(roots) == 1:
                other = min(n for n in found if c.find(n) in roots)
                c.union(node, other, reason, 0.9 if reason is MergeReason.ACRONYM else 0.85,
                        f'{doc.article} gives "{alias}" as another name of "{ent.name}"')


def org_expansions(c: Clusters) -> None:
    """Names that are one when their acronyms are read out: "EBU-NB Institute" and
    "EBU-Norland Bank Institute", where NB is the acronym of exactly one organisation."""
    spelled = spelled_acronyms(c)
    known = {" ".join(org_tokens(e.name)) for _, e in c.ents.values() if e.kind is Kind.ORGANIZATION}
    known |= {" ".join(t) for t in spelled.values()}
    index: dict[str, list[tuple[Node, str, str]]] = {}
    for node, (_, ent) in c.ordered():
        if ent.kind is not Kind.ORGANIZATION:
            continue
        for form in [ent.name, *ent.aliases]:
            if is_acronym(form) or too_generic(ent.kind, form):
                continue
            for key, how in readings(form, spelled, known):
                index.setdefault(key, []).append((node, form, how))
    for key, hits in index.items():
        hows = sorted({h for _, _, h in hits if h})
        if not hows:
            continue
        first = hits[0]
        for node, form, _ in hits[1:]:
            c.union(first[0], node, MergeReason.ACRONYM if "acronyms spelled out" in hows else MergeReason.REORDERED,
                    0.8, f'"{first[1]}" and "{form}" read the same ({", ".join(hows)}): "{key}"')


def spelled_acronyms(c: Clusters) -> dict[str, list[str]]:
    """Acronym -> the words of the one organisation it stands for (the fullest name of the
    only cluster that uses it as a name or alias and is not itself named by acronyms)."""
    groups = c.groups(Kind.ORGANIZATION)
    expansions: dict[str, set[Node]] = {}
    for root, members in groups.items():
        full = max((c.ents[m][1].name for m in members), key=lambda n: (len(words(n)), n))
        if is_acronym(full):
            continue
        for m in members:
            ent = c.ents[m][1]
            for form in [ent.name, *ent.aliases]:
                if is_acronym(form):
                    expansions.setdefault(form.upper(), set()).add(root)
    return {a: org_tokens(max((c.ents[m][1].name for m in groups[next(iter(rs))]),
                              key=lambda n: (len(words(n)), n)))
            for a, rs in expansions.items() if len(rs) == 1}


def _spelled(form: str, spelled: dict[str, list[str]]) -> tuple[list[str], bool]:
    """The words of a name with the acronyms of known organisations read out."""
    toks, expanded = [], False
    for piece in re.split(r"[\s/-]+", form):
        bare = piece.strip(".,;:()[]'\"")
        if bare.upper() in spelled and is_acronym(bare):
            toks += spelled[bare.upper()]
            expanded = True
        else:
            toks += words(piece)
    return toks, expanded


def readings(form: str, spelled: dict[str, list[str]], known: set[str]) -> list[tuple[str, str]]:
    """Keys a name can be read as, each with how it was read ("" when as written): acronyms
    spelled out; "X of Y" read as "Y X" when Y is a known organisation ("Institute of
    Finance of Ostvik University" / "Ostvik University Institute of Finance")."""
    toks, expanded = _spelled(form, spelled)
    how = "acronyms spelled out" if expanded else ""
    out = [(" ".join(org_tokens(" ".join(toks))), how)]
    for i, tok in enumerate(toks):
        if tok != "of" or i == 0:
            continue
        head, tail = toks[:i], toks[i + 1:]
        if tail and tail[0] == "the":
            tail = tail[1:]
        if " ".join(org_tokens(" ".join(tail))) in known and head:
            reordered = " ".join(org_tokens(" ".join(tail + head)))
            out.append((reordered, ", ".join(x for x in (how, "X of Y read as Y X") if x)))
    return out


def org_initials(c: Clusters) -> None:
    """An organisation an article names only by an all-capital acronym joins the one
    organisation whose name the acronym spells ("BOAT" / Board of Arts and Trade)."""
    groups = c.groups(Kind.ORGANIZATION)
    by_initials: dict[str, list[Node]] = {}
    for node, (_, ent) in c.ordered():
        if ent.kind is Kind.ORGANIZATION and not is_acronym(ent.name):
            by_initials.setdefault(content_initials(ent.name), []).append(node)
    for root, members in groups.items():
        ents = [c.ents[m][1] for m in members]
        if not all(is_acronym(e.name) for e in ents):
            continue
        acronym = ents[0].name
        candidates: dict[Node, Node] = {}
        for key in sorted(acronym_keys(acronym)):
            for m in by_initials.get(key, []):
                if c.find(m) != c.find(root) and acronym_of(acronym, c.ents[m][1].name):
                    candidates.setdefault(c.find(m), m)
        if len(candidates) == 1:
            (m,) = candidates.values()
            c.union(members[0], m, MergeReason.INITIALS, 0.8,
                    f'"{acronym}" spells the initials of "{c.ents[m][1].name}"')


def org_cores(c: Clusters) -> None:
    """Companies whose names differ only in designators ("X Group" / "X Holdings" / "X"),
    when what is left has two or more words."""
    cores: dict[tuple[str, ...], list[Node]] = {}
    for node, (_, ent) in c.ordered():
        if ent.kind is Kind.ORGANIZATION and not is_acronym(ent.name) and not too_generic(ent.kind, ent.name):
            core = tuple(org_core(ent.name))
            if len(core) >= 2:
                cores.setdefault(core, []).append(node)
    for core, nodes in cores.items():
        for n in nodes[1:]:
            c.union(nodes[0], n, MergeReason.CORE_NAME, 0.85,
                    f'same name without designators: "{" ".join(core)}"')


def org_short_names(c: Clusters) -> None:
    """An organisation known in its articles only by a leading part of another's name
    ("Goldman" / "Goldman Sachs Group"), when exactly one organisation's name starts so,
    no head noun is left out, and the short form is no place or person."""
    others = {" ".join(person_tokens(e.name)) for e in c.readable() if e.kind is Kind.PERSON}
    others |= {" ".join(words(e.name)) for e in c.readable() if e.kind is Kind.PLACE}
    groups = c.groups(Kind.ORGANIZATION)
    by_first: dict[str, list[tuple[Node, tuple[str, ...]]]] = {}  # first word -> (root, core)
    for root, ms in groups.items():
        for core in sorted({tuple(org_core(c.ents[m][1].name)) for m in ms}):
            if core:
                by_first.setdefault(core[0], []).append((root, core))
    neighbours = _neighbours(c)
    for root, members in groups.items():
        forms = {tuple(org_tokens(c.ents[m][1].name)) for m in members}
        if len(forms) != 1 or any(is_acronym(c.ents[m][1].name) for m in members):
            continue
        (short,) = forms
        if not short or " ".join(short) in others:
            continue
        hits = {r for r, k in by_first.get(short[0], []) if r != root and short_org_form(list(short), list(k))}
        if len(hits) != 1:
            continue
        (target,) = hits
        if _kinds(c, members) and _kinds(c, groups[target]) and not _kinds(c, members) & _kinds(c, groups[target]):
            continue  # told apart by kind: a university is not the bank that shares its first word
        shared = neighbours.get(root, set()) & neighbours.get(target, set())
        full = max((c.ents[m][1].name for m in groups[target]), key=lambda n: (len(n), n))
        why = f'"{" ".join(short)}" is the leading part of "{full}" and of no other organisation'
        if shared:
            why += f"; {len(shared)} shared neighbour(s)"
        c.union(members[0], groups[target][0], MergeReason.SHORT_NAME, min(0.9, 0.6 + 0.1 * len(shared)), why)


def _kinds(c: Clusters, members: list[Node]) -> set:
    """The organisation kinds the members were given, other than the catch-all."""
    return {k for k in (c.ents[m][1].org_kind for m in members) if k and k.value != "Organization"}


def person_variants(c: Clusters) -> None:
    """A person's name with or without a middle, given or English name, or in the other
    order, joins the fuller name when other evidence agrees: a shared organisation or a
    shared event. Two people who only share a surname never meet here (both names need two
    words, and all of the shorter name must be in the fuller one)."""
    groups = c.groups(Kind.PERSON)
    neighbours = _neighbours(c)
    forms = {root: {tuple(person_tokens(c.ents[m][1].name)) for m in ms} for root, ms in groups.items()}
    # candidates share the first two words (prefix), the first and last (middle) or all
    # words in any order (order): three exact indexes, so no pair of people is compared blindly
    index: dict[tuple, set[tuple[Node, tuple[str, ...]]]] = {}
    for root, fs in forms.items():
        for f in fs:
            if len(f) >= 2:
                for probe in _probes(f):
                    index.setdefault(probe, set()).add((root, f))
    for root in sorted(groups):
        found: dict[Node, tuple[str, tuple[str, ...], tuple[str, ...], set[Node]]] = {}
        for short in sorted(forms[root]):
            if len(short) < 2:
                continue
            near = set()
            for probe in _probes(short):
                near |= index.get(probe, set())
            for other, full in sorted(near):
                if other == root:
                    continue
                how = person_variant(list(short), list(full))
                shared = neighbours.get(root, set()) & neighbours.get(other, set())
                if how and shared and (len(full) > len(short) or how == "order"):
                    found.setdefault(other, (how, short, full, shared))
        if len(found) != 1:
            continue
        ((other, (how, short, full, shared)),) = found.items()
        if c.find(root) == c.find(other):
            continue
        score = min(0.9, (0.6 if how == "order" else 0.7) + 0.1 * (len(shared) - 1))
        c.union(groups[root][0], groups[other][0], MergeReason.NAME_VARIANT, score,
                f'"{" ".join(short)}" / "{" ".join(full)}" ({how}); shared: '
                + ", ".join(sorted(_describe(c, n) for n in shared)))


def _probes(name: tuple[str, ...]) -> tuple[tuple, ...]:
    """Index keys under which a fuller variant of a two-or-more-word name is found."""
    return ("p", name[:2]), ("m", name[0], name[-1]), ("s", name[-2:]), ("o", tuple(sorted(name)))


def same_events(c: Clusters) -> None:
    """Two top-level events of different articles on the same date that share two or more
    participants are one event told twice ("the signing ceremony" / "the signing"), unless
    their names carry different years."""
    roots = []
    for doc in c.docs:
        people: dict[str, set[Node]] = {}
        for p in doc.participations:
            people.setdefault(p.event, set()).add((doc.sha256, p.participant))
        for ent in doc.entities:
            if ent.kind is Kind.EVENT and ent.date and not ent.parent:
                roots.append((doc, ent, people.get(ent.id, set())))
    by_date: dict[str, list] = {}
    for item in roots:
        by_date.setdefault(item[1].date, []).append(item)
    pairs = [(x, y) for same in by_date.values() for i, x in enumerate(same) for y in same[i + 1:]]
    for (da, ea, pa), (db, eb, pb) in pairs:
        if da.sha256 == db.sha256:
            continue
        ya, yb = years(ea.name), years(eb.name)
        if ya and yb and ya != yb:
            continue
        shared = {c.find(x) for x in pa if c.has(x)} & {c.find(y) for y in pb if c.has(y)}
        if len(shared) >= 2:
            c.union((da.sha256, ea.id), (db.sha256, eb.id), MergeReason.SAME_EVENT,
                    min(1.0, 0.5 + 0.1 * len(shared)),
                    f"same date {ea.date}; shared: " + ", ".join(sorted(_describe(c, n) for n in shared)))


def event_editions(c: Clusters) -> None:
    """A named event without a year ("Harbour Forum") is the edition of the same name with a
    year ("2024 Harbour Forum") when its own date, or else its article's publication date,
    falls in that year, and exactly one such edition is known."""
    editions: dict[tuple[str, str], set[Node]] = {}
    plain = []
    for node, (doc, ent) in c.ordered():
        if ent.kind is not Kind.EVENT or not ent.named:
            continue
        ys = years(ent.name)
        bare = " ".join(t for t in words(ent.name) if t not in ys)
        if not bare:
            continue
        if len(ys) == 1:
            editions.setdefault((bare, next(iter(ys))), set()).add(node)
        elif not ys:
            plain.append((node, bare, (ent.date or doc.published or "")[:4], bool(ent.date)))
    for node, bare, year, dated in plain:
        hits = editions.get((bare, year), set())
        roots = {c.find(h) for h in hits}
        if year and len(roots) == 1:
            other = min(hits)
            c.union(other, node, MergeReason.EDITION, 0.8 if dated else 0.7,
                    f'"{c.ents[node][1].name}" is dated {year} ({"event date" if dated else "publication date"}),'
                    f' the year of "{c.ents[other][1].name}"')


def _neighbours(c: Clusters) -> dict[Node, set[Node]]:
    """Cluster root -> roots of the organisations it is affiliated with (or its people are)
    and of the events it takes part in (or its participants do)."""
    out: dict[Node, set[Node]] = {}
    for doc in c.docs:
        def root(local: str | None) -> Node | None:
            node = (doc.sha256, local)  # noqa: B023 - root() is called only in this iteration
            return c.find(node) if local and c.has(node) else None
        for a in doc.affiliations:
            p, o = root(a.person), root(a.org)
            if p and o:
                out.setdefault(p, set()).add(o)
                out.setdefault(o, set()).add(p)
        for part in doc.participations:
            e, w = root(part.event), root(part.participant)
            if e and w:
                out.setdefault(w, set()).add(e)
                out.setdefault(e, set()).add(w)
    return out


def _describe(c: Clusters, root: Node) -> str:
    ent = c.entity(root)
    return f'{ent.kind.value.lower()} "{ent.name}"'


RULES: tuple[Callable[[Clusters], None], ...] = (
    same_name, org_aliases, org_expansions, org_initials, org_cores, org_short_names, person_variants,
    event_editions, same_events,
)
