"""Mentions of one article: titles, people, organisations, events and places, as token spans.

One linear pass per kind over the Doc (no token x entity loops):

1. titles: a title head word ("director", "Chairman") with its modifiers ("executive deputy
   CPC"), a hyphenated tail ("-General"), a domain ("for Innovation, Technology and Industry")
   or a party body ("of the Party leadership group");
2. people: spaCy PERSON entities trimmed of titles and honorifics, checked for shape;
3. name runs: maximal runs of capitalised tokens joined by "of", "and", "for", "the", "'s",
   hyphens, inner parentheses and "Co., Ltd.", split where a title, a person or an
   acronym definition intervenes, split at "and" between two complete names, and classified
   by their head word (lexicon) into organisations, events and venues, with the one name
   nested after "of" ("Department of X of the Ministry of Y").

Writes ``doc.spans``: kg_title, kg_person, kg_surname, kg_org, kg_event, kg_place; each span's
label is the kind (OrgKind / EventKind value, "GPE", "VENUE")."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words, words
from .names import _HYPHENS, _joined, acronym_paren, classify, core_end, ner_orgs, runs, split_and
from .names import nested as nested_name
from .phrases import event_phrases

# ---------------------------------------------------------------- titles
def find_titles(doc: Doc, lex: Words) -> list[tuple[int, int]]:
    """Token spans of job titles."""
    out: list[tuple[int, int]] = []
    n, i = len(doc), 0
    while i < n:
        tok = doc[i]
        low = tok.lower_
        is_head = low in lex.title_heads and tok.tag_ not in ("NNS", "NNPS") and tok.pos_ in ("NOUN", "PROPN")
        if not is_head:
            i += 1
            continue
        start = i
        while start > 0 and (doc[start - 1].lower_ in lex.title_mods or doc[start - 1].lower_ in ("cpc", "party")
                             or doc[start - 1].text in _HYPHENS and _joined(doc, start - 2)):
            start -= 1
        end, k = i + 1, i + 1
        while k < n:
            low_k = doc[k].lower_
            if doc[k].text in _HYPHENS and doc[k - 1].whitespace_ == "" and k + 1 < n and \
                    doc[k + 1].lower_ in lex.title_heads | lex.title_mods:
                k += 2
            elif (low_k in lex.title_heads or low_k in lex.title_mods or low_k in ("cpc", "party")) and \
                    doc[k].tag_ not in ("NNS", "NNPS"):
                k += 1
            else:
                break
            if doc[k - 1].lower_ in lex.title_heads or doc[k - 1].lower_ == "general":
                end = k
        # a domain: "Under Secretary for Innovation, Technology and Industry"
        if end + 1 < n and doc[end].lower_ == "for" and tok.text[0].isupper() and doc[end + 1].text[0].isupper():
            j = end + 1
            while j < n and (doc[j].text[0].isupper() or doc[j].text in (",", "and") and j + 1 < n
                             and doc[j + 1].text[0].isupper()) and doc[j].lower_ not in ("of", "at"):
                j += 1
            end = j
        # a party body: "secretary of the Party leadership group", "member of the CPC Standing Committee"
        if end + 2 < n and doc[end].lower_ == "of" and doc[end + 1].lower_ == "the" and \
                doc[end + 2].lower_ in ("cpc", "party", "communist"):
            j = end + 3
            while j < n and j - end < 8 and (doc[j].lower_ in lex.party_words - {"of", "the"}
                                             or doc[j].text[:1].isupper() and doc[j].is_alpha):
                j += 1
                if doc[j - 1].lower_ in ("committee", "group", "commission"):
                    break
            end = j
        out.append((start, end))
        i = end
    return out


def _tail(doc: Doc, s: int, e: int) -> tuple[int, int] | None:
    """The rest of a name run after its first "in", "for", "at" or "during" (and "the"), when a
    name may start there."""
    for k in range(s + 1, e - 1):
        if doc[k].lower_ in ("in", "for", "at", "during"):
            j = k + 1 + (doc[k + 1].lower_ == "the")
            return (j, e) if j < e and doc[j].text[:1].isupper() else None
    return None


# ---------------------------------------------------------------- people
def person_shape_ok(tokens, lex: Words, gpe_texts: set[str]) -> bool:
    """Whether tokens look like a person's name (not "AB Tech", "Invest Harbor City")."""
    words_ = [t for i, t in enumerate(tokens) if t.text not in _HYPHENS and not (i and tokens[i - 1].text in _HYPHENS)]
    if not words_:
        return False
    for t in words_:
        text = t.text
        if not text[0].isupper() or not text.replace("-", "").replace("'", "").replace("’", "").isalpha():
            return False
        if sum(c.isupper() for c in text) > 1 and "-" not in text and "'" not in text and "’" not in text:
            return False
        low = t.lower_
        if low in lex.org_heads or low in lex.event_heads or low in lex.venue_heads or low in lex.months and len(low) > 3:
            return False
    text = " ".join(t.text for t in words_)
    return not any(g in text for g in gpe_texts if " " in g)


def find_people(doc: Doc, lex: Words, title_mask: list[bool]) -> tuple[list[tuple[int, int]], list[int]]:
    """(full names, single-token references such as surnames)."""
    gpe_texts = {e.text for e in doc.ents if e.label_ in ("GPE", "LOC")}
    full, single = [], []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        s, e = ent.start, ent.end
        while s < e and (title_mask[s] or doc[s].lower_.rstrip(".") in lex.honorifics or doc[s].lower_ == "the"):
            s += 1
        while e > s and (title_mask[e - 1] or doc[e - 1].text in ("'s", "’s", "'", ",") or doc[e - 1].is_punct):
            e -= 1
        if e <= s:
            continue
        if not person_shape_ok(doc[s:e], lex, gpe_texts):
            continue
        if e + 2 < len(doc) and doc[e].text == "(" and acronym_paren(doc, e):  # "Grow Harbor (GrowH)"
            doc.user_data.setdefault("kg_acronym_named", []).append((s, e))
            continue
        (full if e - s >= 2 else single).append((s, e) if e - s >= 2 else s)
    taken = {k for s, e in full for k in range(s, e)} | set(single)
    for ts, _ in find_titles_cache(doc):
        k = ts - 1
        if k > 0 and doc[k].lower_ in ("a", "an", "the"):
            k -= 1
        if k < 2 or doc[k].text != ",":
            continue
        e, s = k, k
        while s > 0 and e - s < 4 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and s - 1 not in taken \
                and doc[s - 1].ent_type_ != "GPE" and not (s < e and doc[s].is_sent_start):
            s -= 1
        if e - s >= 2 and person_shape_ok(doc[s:e], lex, gpe_texts) and (s == 0 or not doc[s - 1].text[:1].isupper()):
            full.append((s, e))
            taken.update(range(s, e))
    for ts, te in find_titles_cache(doc):  # "Professor P Q of X", "Director P Q said"
        if not doc[te - 1].text[:1].isupper():
            continue
        s = e = te
        while e < len(doc) and e - s < 3 and doc[e].text[:1].isupper() and (e not in taken or e in single) and \
                doc[e].text.replace("'", "").replace("-", "").isalpha() and doc[e].ent_type_ not in ("ORG", "GPE"):
            e += 1
        if e - s >= 2 and person_shape_ok(doc[s:e], lex, gpe_texts) and \
                (e == len(doc) or not doc[e].text[:1].isupper()):
            full.append((s, e))
            taken.update(range(s, e))
            single = [k for k in single if not s <= k < e]
    return full, single


def find_titles_cache(doc: Doc) -> list[tuple[int, int]]:
    """The title spans found for ``doc`` (computed by :func:`tag` before the people)."""
    return doc.user_data.get("kg_titles", [])


def tag(doc: Doc) -> None:
    """Write the mention span groups of ``doc`` (see module docstring)."""
    lex = words()
    n = len(doc)
    titles = find_titles(doc, lex)
    doc.user_data["kg_titles"] = titles
    title_mask = [False] * n
    for s, e in titles:
        for k in range(s, e):
            title_mask[k] = True
    people, single = find_people(doc, lex, title_mask)
    blocked = title_mask[:]
    for s, e in people:
        for k in range(s, e):
            blocked[k] = True
    for k in single:
        blocked[k] = True
    for i, tok in enumerate(doc):
        if tok.text == "(" and acronym_paren(doc, i):
            blocked[i] = True
        if tok.text in (")", ";", "\"", "“", "”") or tok.is_space:
            blocked[i] = True
    orgs, events, places = [], [], []
    known = {" ".join(e.text.split()[-3:]) for e in doc.ents if e.label_ == "ORG"}
    parts = [p for rs, re_ in runs(doc, lex, blocked) for p in split_and(doc, rs, re_, lex)]
    while parts:
        s, e = parts.pop(0)
        if doc[s].lower_ in lex.not_names or (doc[s].is_sent_start and doc[s].pos_ not in ("PROPN", "NUM")
                                              and classify(doc, s, e, lex) is None):
            s += 1
        kind = classify(doc, s, e, lex) if e > s else None
        if kind is None or kind[0] == "VENUE":
            tail = _tail(doc, s, e)  # "X Museum in Y Zone for the Z Conference": Y Zone, Z Conference
            if tail:
                parts.insert(0, tail)
        if kind is None:
            continue
        nested = nested_name(doc, s, e, lex, known) if kind[0] != "VENUE" else None
        if kind[0] == "VENUE":
            e = core_end(doc, s, e)
        elif nested and kind[0] == nested[2][0] == "EVENT" and not all(
                t.lower_ in lex.event_generic for t in doc[s:core_end(doc, s, e)] if t.is_alpha):
            e = core_end(doc, s, e)  # "Payments Conference" of the "2030 ... Forum": two events
        quoted = s > 0 and doc[s - 1].text in ('"', "“") and e < n and doc[e].text in ('"', "”")
        if quoted and kind[0] == "ORG" and doc[core_end(doc, s, e) - 1].lower_ not in lex.org_strong:
            continue  # a quoted platform, programme or agreement
        target = {"ORG": orgs, "EVENT": events, "VENUE": places}[kind[0]]
        target.append(Span(doc, s, e, label=kind[1] or "VENUE"))
        if nested and nested[2][0] != "VENUE":
            ns, ne, nk = nested
            ({"ORG": orgs, "EVENT": events}[nk[0]]).append(Span(doc, ns, ne, label=nk[1]))
    orgs += ner_orgs(doc, lex, blocked, orgs + events + places)
    orgs += [Span(doc, s, e, label="Organization") for s, e in doc.user_data.pop("kg_acronym_named", [])]
    covered = [False] * n
    for sp in orgs + events + places:
        for k in range(sp.start, sp.end):
            covered[k] = True
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC", "FAC") and not any(covered[k] or blocked[k] for k in range(ent.start, ent.end)):
            s = ent.start + (doc[ent.start].lower_ == "the")
            e = ent.end - (doc[ent.end - 1].text in ("'s", "’s"))
            if e > s:
                places.append(Span(doc, s, e, label="GPE"))
    phrase_events, refs = event_phrases(doc, lex, covered, {k for sp in events for k in range(sp.start, sp.end)})
    doc.spans["kg_title"] = [Span(doc, s, e, label="TITLE") for s, e in titles]
    doc.spans["kg_person"] = [Span(doc, s, e, label="PERSON") for s, e in people]
    doc.spans["kg_surname"] = [Span(doc, k, k + 1, label="PERSON") for k in single]
    doc.spans["kg_org"] = orgs
    doc.spans["kg_event"] = events + phrase_events
    doc.spans["kg_event_ref"] = refs
    doc.spans["kg_place"] = places
