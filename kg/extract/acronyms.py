"""Acronyms: "Full Name (ACR)" and "ACR (the Full Name)" make the acronym an alias (its letters
the initials of the name's words, or of the syllables of a romanised name: "Haoyang University
(HYU)"); capitalised words the acronym after them spells ("Invest Hong Kong (InvestHK)") name an
institution; an acronym of lower-case words ("know-your-customer (KYC)") is a term, never an institution."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Kind, OrgKind
from .entity_index import TokenIndex, _initials_in_order, _initials_start, acronym_like, span_of
from .lexicon import words
from .registry import EntityRegistry


def concept_acronyms(doc: Doc) -> set[str]:
    """Acronyms the text defines for lower-case words ("know-your-customer (KYC)",
    "decentralised finance (DeFi)"): terms, never institutions."""
    out = set()
    for i, tok in enumerate(doc):
        if tok.text != "(" or i == 0 or i + 2 >= len(doc) or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text
        letters = [c.lower() for c in acronym if c.isupper()]
        if len(letters) < 2:
            continue
        initials: list[str] = []
        k = i - 1
        while k >= 0 and len(initials) < len(letters) and (doc[k].is_lower or doc[k].text == "-"):
            if doc[k].is_alpha:
                initials.insert(0, doc[k].text[0])
            k -= 1
        if initials == letters:
            out.add(acronym)
    return out


def _spelled_out(doc: Doc, registry: EntityRegistry, index: TokenIndex, paren: int, acronym: str) -> None:
    """"Invest Hong Kong (InvestHK)": capitalised words no entity claims (a place inside them
    may), whose initials hold every capital of the acronym in parentheses after them, starting
    with the first, name an institution with that acronym. Not a report, an event or a venue."""
    lex, start = words(), paren
    while start > 0 and paren - start < 7 and (doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha
                                               or doc[start - 1].lower_ in ("of", "and", "for", "&")):
        start -= 1
    while start < paren and not doc[start].text[:1].isupper():
        start += 1
    names = [t.text for t in doc[start:paren]]
    caps = [c for c in acronym if c.isupper()]
    if len(names) < 2 or not caps or caps[0] != names[0][0] or not set(caps) <= {w[0] for w in names} \
            or doc[start].is_sent_start and doc[start].pos_ != "PROPN":
        return
    last = names[-1].lower()
    if last in lex.work_heads or last in lex.event_heads or last in lex.venue_heads or any(
            (o := index.owner[k]) is not None and registry.get(o).kind is not Kind.PLACE for k in range(start, paren)):
        return
    eid = registry.add(Kind.ORGANIZATION, doc[start:paren].text, span_of(doc, start, paren), org_kind=OrgKind.OTHER)
    registry.add_alias(eid, acronym)
    index.mark(start, paren, eid, override=True)
    index.mark(paren + 1, paren + 2, eid, override=True)


def acronyms(doc: Doc, registry: EntityRegistry, index: TokenIndex) -> None:
    """"Full Name (ACR)" and "ACR (the Full Name)": the acronym becomes an alias."""
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.text != "(" or i == 0:
            continue
        j = i + 1
        while j < n and j - i < 25 and doc[j].text != ")":
            j += 1
        if j >= n or doc[j].text != ")":
            continue
        inner = doc[i + 1:j]
        if len(inner) == 1 and acronym_like(inner.text):
            before = [(s, e, eid) for s, e, eid in index.spans if e == i]
            if not before:
                _spelled_out(doc, registry, index, i, inner.text)  # "Invest Hong Kong (InvestHK)"
                continue
            s, e, eid = max(before, key=lambda x: x[1] - x[0])
            words_ = [t.text for t in doc[s:e]]
            start = _initials_start(words_, inner.text)
            if start is None and _initials_in_order(words_, inner.text):
                start = 0
            if start is None:  # "Haoyang University (HYU)": initials of syllables
                start = _initials_start(words_, inner.text, syllables=True)
            caps = {c for c in inner.text if c.isupper()}
            if start is None and len(caps) >= 2 and caps <= {w[0] for w in words_ if w[:1].isupper()}:
                start = 0  # "National Research Fund (FNR)", "Centre for Security and Trust (SnT)": another
                #            language's or a looser acronym, its capitals all initials of the name
            if start is None:
                continue
            if not any(w.lower() in ("of", "the", "for", "and") for w in words_[:start]):
                start = 0
            if start > 0:
                whole = eid
                head = [w for w in words_[:start]]
                while head and head[-1].lower() in ("of", "the"):
                    head.pop()
                if j + 1 < n and doc[j + 1].lower_ == "of" and len(head) >= 2 and \
                        head[-1].lower() in words().org_heads and registry.get(whole).kind is Kind.ORGANIZATION:
                    registry.rename(whole, " ".join(head))  # "X Lab of the Y Academy (YA) of Z": X Lab, Y Academy
                inner_ids = [x for x in before if x[0] == s + start]
                if inner_ids:
                    eid = inner_ids[0][2]
                else:
                    entity = registry.get(eid)
                    eid = registry.add(entity.kind, doc[s + start:e].text, span_of(doc, s + start, e),
                                       org_kind=entity.org_kind, event_kind=entity.event_kind)
            registry.add_alias(eid, inner.text)
            index.mark(i + 1, j, eid, override=True)
        elif acronym_like(doc[i - 1].text):
            first = i + 1 + (doc[i + 1].lower_ == "the")
            full = [(s, e, eid) for s, e, eid in index.spans if s == first and e == j]
            if full:
                registry.add_alias(full[0][2], doc[i - 1].text)
                index.mark(i - 1, i, full[0][2], override=True)
