"""Entities of one article from its tagged mentions: people, organisations, places, events.

Reads the span groups :mod:`.mentions` wrote and the parsed header; adds to the article's
:class:`EntityRegistry` and returns a token index (which entity each token belongs to).
Here acronyms are tied to full names both ways ("NIAF (the Northern Institute of ...)",
"Bank of Lakeside (BOL)"), later acronyms and surnames ("Gao said", "Ms Keller") resolve to the
entity already named, a short name that ends a longer one ("District Science and Technology
Commission") becomes its alias, and capitalised members of a list of organisations become
organisations too."""
from __future__ import annotations

import bisect
import re
from collections import Counter

from spacy.tokens import Doc

from ..model import EventKind, Kind, OrgKind, Span
from .entity_index import (
    TokenIndex,
    _surname_owner,
    acronym_like,
    span_of,
)
from .acronyms import acronyms, concept_acronyms
from .countries import name_countries
from .header import Header
from .lexicon import words
from .registry import EntityRegistry


def build(doc: Doc, header: Header, registry: EntityRegistry) -> TokenIndex:
    """Add every entity of the article to ``registry``; return the token index."""
    lex = words()
    index = TokenIndex([None] * len(doc))
    idx = [t.idx for t in doc]
    content = [header.body_start <= i < header.body_end for i in idx]
    for s, e in header.skip:
        for k in range(bisect.bisect_left(idx, s), bisect.bisect_left(idx, e)):
            content[k] = False
    if header.dateline:
        for k in range(bisect.bisect_left(idx, header.dateline[1]), bisect.bisect_left(idx, header.dateline[2])):
            content[k] = False
    in_title = [header.title_start <= i < header.title_end for i in idx]
    stops = [t for t in doc if header.title_start < t.idx < header.title_end and t.is_alpha and t.is_stop]
    if len(stops) >= 2 and all(t.text[0].isupper() for t in stops):
        in_title = [False] * len(idx)  # a Title-Cased headline: its capitals say nothing

    def add(kind: Kind, s: int, e: int, **kinds) -> str:
        """Add a mention of tokens [s, e) to the registry and the index."""
        eid = registry.add(kind, doc[s:e].text, span_of(doc, s, e), **kinds)
        index.mark(s, e, eid)
        return eid

    for b in header.bylines:
        registry.add(Kind.PERSON, b.name, _char_span(doc, b.start, b.end))
        if b.org:
            registry.add(Kind.ORGANIZATION, b.org, _char_span(doc, b.org_start, b.org_end), org_kind=OrgKind.MEDIA)
    for name, s, e in header.orgs:
        registry.add(Kind.ORGANIZATION, name, _char_span(doc, s, e), org_kind=OrgKind.MEDIA)
    if header.dateline:  # "HONG KONG, Oct 24 -": a place, though no sentence is about it
        registry.add(Kind.PLACE, header.dateline[0], _char_span(doc, *header.dateline[1:]))
        doc.user_data["kg_dateline"] = header.dateline[1:]
    orgs = sorted((sp for sp in doc.spans["kg_org"] if (content[sp.start] or in_title[sp.start]) and not all(
        t.lower_ in lex.legal_tails or t.is_punct for t in sp)),  # "Inc." alone after a comma names nobody
        key=lambda sp: sp.start - sp.end)
    names = [sp.text for sp in orgs]
    name_counts = Counter(names)  # names.count for each mention read the whole list
    by_word: dict[str, list[str]] = {}
    for name in set(names):
        words_ = name.split()
        by_word.setdefault("<" + words_[0], []).append(name)
        by_word.setdefault(">" + words_[-1], []).append(name)
    hereinafter = _hereinafter(doc, orgs)
    lone_acronyms = []
    for sp in sorted(orgs, key=lambda sp: sp.start):
        if not (content[sp.start] or in_title[sp.start]):
            continue
        if len(sp) == 1:
            lone_acronyms.append(sp)
            continue
        near = by_word.get("<" + sp.text.split()[0], []) + by_word.get(">" + sp.text.split()[-1], [])
        canon = next((n for n in near if n != sp.text and len(sp) >= 2 and (
            n.endswith(" " + sp.text)
            and not any(w in n[:-len(sp.text)].lower().split() for w in ("of", "for", "in", "the", "and", "with"))
            or n.startswith(sp.text + " of ") and name_counts[sp.text] >= 2)), None)
        canon = hereinafter.get(sp.text, canon)
        if canon and registry.find(sp.text, Kind.ORGANIZATION) is None:
            registry.add_alias(registry.add(Kind.ORGANIZATION, canon), sp.text)
        add(Kind.ORGANIZATION, sp.start, sp.end, org_kind=OrgKind(sp.label_))
    named_events = [sp for sp in doc.spans["kg_event"] if sp.label_[0] not in "~=!" and (
        content[sp.start] or in_title[sp.start] and sp[0].text[:1].isalnum() and not sp[0].is_lower)]
    texts = {sp.text for sp in named_events}
    longer_of: dict[str, str | None] = {}  # the same name's answer, once (a long text repeats names)
    ending = {sp.end: sp for sp in named_events}
    for sp in sorted(named_events, key=lambda sp: sp.start - sp.end):
        edition = r"(?:\d{4}|\d+(?:st|nd|rd|th)|first|second|third)"
        if sp.text not in longer_of:
            longer_of[sp.text] = next((t for t in texts if t != sp.text and (
                t.endswith(" " + sp.text) and re.fullmatch(edition, t[:-len(sp.text) - 1])
                or t.startswith(sp.text + " ") and re.fullmatch(r"\d{4}", t[len(sp.text) + 1:]))), None)
        longer = longer_of[sp.text]
        glossed = ending.get(sp.start - 1) if 0 < sp.start and doc[sp.start - 1].text == "(" and \
            sp.end < len(doc) and doc[sp.end].text == ")" else None
        if glossed is not None and glossed[-1].lower_ == sp[-1].lower_ and registry.find(sp.text, Kind.EVENT) is None:
            longer = glossed.text  # "the Third X Forum (K9 Forum)": another name of the same forum
        if longer and registry.find(sp.text, Kind.EVENT) is None:
            registry.add_alias(registry.add(Kind.EVENT, longer, event_kind=EventKind(sp.label_)), sp.text)
        add(Kind.EVENT, sp.start, sp.end, event_kind=EventKind(sp.label_))
    surnames = {sp[-1].text for sp in doc.spans["kg_person"] if len(sp) >= 2}
    for sp in doc.spans["kg_place"]:
        if content[sp.start] and index.owner[sp.start] is None and not (len(sp) == 1 and sp.text in surnames):
            add(Kind.PLACE, sp.start, sp.end)  # "Fridgen, currently a professor": a surname, not a place
    acronyms(doc, registry, index)
    name_parts = {w for sp in doc.spans["kg_person"] for w in sp.text.split()}
    concepts = concept_acronyms(doc)
    for sp in lone_acronyms:  # a defined acronym is its organisation; an undefined one stands alone
        if index.owner[sp.start] is None and sp.text not in name_parts and sp.text not in concepts:
            other = registry.find(sp.text)
            if other is not None and registry.get(other).kind in (Kind.EVENT, Kind.WORK):
                index.mark(sp.start, sp.end, other)  # "DFIA" later: the awards it was defined for
                continue
            eid = registry.find(sp.text, Kind.ORGANIZATION) or next(
                (e.id for e in registry.entities() if e.kind is Kind.ORGANIZATION and len(e.name.split()) > 1
                 and e.name.split()[0] == sp.text), None)  # "Lakeside" for "Lakeside University"
            if eid:
                registry.add_alias(eid, sp.text)
                registry.get(eid).mentions.append(span_of(doc, sp.start, sp.end))
                index.mark(sp.start, sp.end, eid)
            else:
                add(Kind.ORGANIZATION, sp.start, sp.end, org_kind=OrgKind(sp.label_))
    people = {}
    persons = sorted((sp for sp in doc.spans["kg_person"] if content[sp.start] or in_title[sp.start]),
                     key=lambda sp: (sp.start - sp.end, sp.start))
    for sp in persons:  # longest names first: "Ada Wong" later is "Ada Wong Siu-ling"
        words_ = sp.text.split()
        longer = next((n for n in people if len(n.split()) > len(words_) and n.split()[:len(words_)] == words_), None)
        if longer and registry.find(sp.text, Kind.PERSON) is None:
            registry.add_alias(people[longer], sp.text)
        pid = add(Kind.PERSON, sp.start, sp.end)
        people.setdefault(registry.get(pid).name, pid)
    for b in header.bylines:
        people.setdefault(b.name, registry.find(b.name, Kind.PERSON))
    _repeats(doc, registry, index, content, people)
    for sp in doc.spans["kg_surname"]:
        pid = _surname_owner(sp.text, people) if content[sp.start] else None
        if pid:
            registry.get(pid).mentions.append(span_of(doc, sp.start, sp.end))
            index.mark(sp.start, sp.end, pid)
    last_counts = Counter(name.split()[-1] for name in people)
    lasts = {name.split()[-1]: pid for name, pid in people.items()
             if pid and len(name.split()) >= 2 and last_counts[name.split()[-1]] == 1}
    for ent in doc.ents:  # "Fridgen, currently a professor": a surname the tagger calls a place
        word = ent[0].text
        if (len(ent) == 1 or len(ent) == 2 and ent[1].tag_ == "POS") and ent.label_ in ("GPE", "LOC", "ORG") \
                and word in lasts and content[ent.start] and index.owner[ent.start] is None:
            registry.add(Kind.PERSON, registry.get(lasts[word]).name, span_of(doc, ent.start, ent.start + 1))
            index.mark(ent.start, ent.start + 1, lasts[word])
    for tok in doc:  # later mentions by acronym or short name
        owner = index.owner[tok.i]
        if (owner is None or registry.get(owner).kind is Kind.PLACE) and acronym_like(tok.text) and \
                (content[tok.i] or in_title[tok.i]):
            eid = registry.find(tok.text, Kind.ORGANIZATION) or registry.find(tok.text, Kind.EVENT)
            if eid:
                index.mark(tok.i, tok.i + 1, eid, override=True)
    _short_names(doc, registry, index, content, lex)
    _places_before_titles(doc, registry, index, content)
    _lists(doc, registry, index, content, lex)
    name_countries(doc, registry)  # "the Kingdom": the country the article names most
    return index


_HEREINAFTER = ("hereinafter", "hereafter")


def _hereinafter(doc: Doc, orgs: list) -> dict[str, str]:
    """"X Co., Ltd. (hereinafter "the Rocket Company")": the short name the text defines for
    the name before it, as {short name: full name}."""
    out, n = {}, len(doc)
    for sp in orgs:
        k = sp.end
        if k + 2 >= n or doc[k].text != "(" or doc[k + 1].lower_ not in _HEREINAFTER:
            continue
        k += 2
        while k < n and (doc[k].lower_ in ("referred", "to", "as", "called", "the", "“", "\"", "'", "‘")):
            k += 1
        e = k
        while e < n and e - k < 8 and doc[e].text not in (")", "”", "\"", "'", "’"):
            e += 1
        if e > k and doc[k].text[:1].isupper():
            out[doc[k:e].text] = sp.text
    return out


def _short_names(doc: Doc, registry: EntityRegistry, index: TokenIndex, content: list[bool], lex) -> None:
    """"Horizon" after "Horizon Robotics": a proper noun standing alone that is the first word
    of exactly one organisation named earlier (not a place, not the name of a place the text
    names elsewhere: "Lakeport Mayor P" after "the Lakeport Stock Exchange" and "in Lakeport",
    not a generic word of names) is that organisation."""
    first: dict[str, list[tuple[int, str]]] = {}
    for ent in registry.entities():
        words_ = ent.name.split()
        if ent.kind is Kind.ORGANIZATION and len(words_) >= 2 and words_[0][:1].isupper() \
                and words_[0].lower() not in lex.institution_words and words_[0].isalpha():
            start = min((m.start for m in ent.mentions), default=0)
            first.setdefault(words_[0], []).append((start, ent.id))
    if not first:
        return
    title_starts = {sp.start for sp in doc.spans["kg_title"]}
    for tok in doc:
        cands = first.get(tok.text)
        if not cands or index.owner[tok.i] is not None or not content[tok.i] or tok.pos_ != "PROPN" \
                or tok.ent_type_ in ("GPE", "LOC", "NORP") or len(cands) > 1 or cands[0][0] > tok.idx \
                or registry.find(tok.text, Kind.PLACE) is not None \
                or tok.ent_type_ == "PERSON" and tok.i + 1 not in title_starts:  # "Fudan President P"
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.text[:1].isupper() and nxt.i not in title_starts or nxt.text in ("-", "–")) or \
                tok.i and (doc[tok.i - 1].text[:1].isupper() and not doc[tok.i - 1].is_sent_start
                           or doc[tok.i - 1].text in ("-", "–")):
            continue  # part of a longer name
        eid = cands[0][1]
        registry.get(eid).mentions.append(span_of(doc, tok.i, tok.i + 1))
        registry.add_alias(eid, tok.text)
        index.mark(tok.i, tok.i + 1, eid)


def _places_before_titles(doc: Doc, registry: EntityRegistry, index: TokenIndex, content: list[bool]) -> None:
    """"Lakeport Mayor P", "Norland Province Governor P": a place the text names elsewhere,
    standing unclaimed right before a title, is that place (the post's jurisdiction)."""
    for sp in doc.spans["kg_title"]:
        for size in (1, 2, 3):
            k = sp.start - size
            if k < 0 or any(index.owner[j] is not None or not content[j] for j in range(k, sp.start)):
                break
            if not doc[k].text[:1].isupper() or k > 0 and doc[k - 1].text[:1].isupper() and not doc[k - 1].is_sent_start:
                continue  # a word inside a longer name
            eid = registry.find(doc[k:sp.start].text, Kind.PLACE)
            if eid is not None:
                registry.get(eid).mentions.append(span_of(doc, k, sp.start))
                index.mark(k, sp.start, eid)
                break


def _repeats(doc: Doc, registry: EntityRegistry, index: TokenIndex, content: list[bool],
             people: dict[str, str]) -> None:
    """A person's full name the tagger found once is the person wherever else it stands
    unclaimed ("• Ilse Varga – Founder, X" where the tagger saw no name): one pass over the
    tokens, names looked up by their first word."""
    by_first: dict[str, list[tuple[list[str], str]]] = {}
    for name, pid in people.items():
        parts = name.split()
        if pid and len(parts) >= 2:
            by_first.setdefault(parts[0], []).append((parts, pid))
    if not by_first:
        return
    n = len(doc)
    for tok in doc:
        if tok.text not in by_first or index.owner[tok.i] is not None or not content[tok.i]:
            continue
        for parts, pid in by_first[tok.text]:
            e = tok.i + len(parts)
            if e <= n and [t.text for t in doc[tok.i:e]] == parts and all(o is None for o in index.owner[tok.i:e]) \
                    and not (e < n and doc[e].text[:1].isupper() and doc[e].is_alpha):
                registry.get(pid).mentions.append(span_of(doc, tok.i, e))
                index.mark(tok.i, e, pid)
                break


def _char_span(doc: Doc, start: int, end: int) -> Span:
    """A model Span for character offsets (a byline), expanded to whole tokens."""
    sp = doc.char_span(start, end, alignment_mode="expand")
    if sp is None:
        return Span(start, end, doc.text[start:end], start)
    return span_of(doc, sp.start, sp.end)


def _lists(doc: Doc, registry: EntityRegistry, index: TokenIndex, content: list[bool], lex) -> None:
    """Capitalised members of a coordination whose other members are organisations."""
    titled = {k for sp in doc.spans["kg_title"] for k in range(sp.start, sp.end)}
    for tok in doc:
        eid = index.owner[tok.i]
        if eid is None or registry.get(eid).kind is not Kind.ORGANIZATION or not content[tok.i]:
            continue
        if tok.dep_ != "conj" and not any(c.dep_ == "conj" for c in tok.children):
            continue
        for other in list(tok.children) + [tok.head]:
            if other.dep_ != "conj" and tok.dep_ != "conj" or other.i == tok.i:
                continue
            if index.owner[other.i] is not None and registry.get(index.owner[other.i]).kind is not Kind.PLACE:
                continue
            if other.i in titled or other.lower_ in lex.months:
                continue
            if other.pos_ != "PROPN" or not other.text[0].isupper():
                continue
            s = other.i
            while s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[0].isupper() and doc[s - 1].dep_ == "compound":
                s -= 1
            if any(doc[k].ent_type_ == "PERSON" and len(doc[k].ent_type_) for k in range(s, other.i + 1)) and \
                    doc[other.i].ent_type_ == "PERSON":
                continue
            if doc[s].ent_type_ == "GPE" and s == other.i:
                continue
            if all(doc[k].lower_ in lex.legal_tails for k in range(s, other.i + 1)):
                continue  # "X Bank, Inc., Y Bank, Inc.": the tail of the name before it, nobody's own
            new = registry.add(Kind.ORGANIZATION, doc[s:other.i + 1].text, span_of(doc, s, other.i + 1),
                               org_kind=OrgKind.COMPANY)
            index.mark(s, other.i + 1, new, override=True)
    return None


def org_from(doc: Doc, registry: EntityRegistry, index: TokenIndex, s: int, titles: dict[int, int]) -> tuple[str, int] | None:
    """An organisation named by the capitalised words from token ``s`` that no other mention
    claims ("chief executive of NOVAFIN", "sponsored by Grow Harbor"): (id, end token)."""
    n, e = len(doc), s

    def kind(k: int) -> Kind | None:
        """The kind of the entity token k belongs to, if any."""
        return registry.get(index.owner[k]).kind if index.owner[k] else None

    while e < n and e not in titles and kind(e) not in (Kind.PERSON, Kind.EVENT) and (
            doc[e].text[:1].isupper() or doc[e].lower_ in ("of", "and", "for", "&") and e + 1 < n
            and doc[e + 1].text[:1].isupper() and kind(e + 1) is None or doc[e].text == "-"):
        e += 1
    while e > s and doc[e - 1].lower_ in ("of", "and", "for", "&", "-"):
        e -= 1
    if e == s or (e - s == 1 and doc[s].pos_ != "PROPN") or doc[s].lower_ in words().not_names \
            or doc[s].lower_.rstrip(".") in words().honorifics:
        return None
    span = doc[s:e]
    lex = words()
    portfolio = all(t.lower_ in lex.institution_words or t.lower_ in lex.connectors for t in span if t.is_alpha)
    happening = any(t.lower_ in lex.event_heads or t.lower_ in lex.venue_heads for t in span)
    if not any(t.lower_ in lex.org_heads for t in span) and (portfolio or happening or not any(
            t.ent_type_ == "ORG" or acronym_like(t.text) or t.pos_ == "PROPN" for t in span)):
        return None  # "Minister of Higher Education and Research": a portfolio; "at the X Day": an event
    eid = registry.add(Kind.ORGANIZATION, doc[s:e].text, span_of(doc, s, e), org_kind=OrgKind.OTHER)
    index.mark(s, e, eid, override=True)
    return eid, e
