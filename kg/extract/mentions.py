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
   nested after "of" ("Department of X of the Ministry of Education").

Writes ``doc.spans``: kg_title, kg_person, kg_surname, kg_org, kg_event, kg_place; each span's
label is the kind (OrgKind / EventKind value, "GPE", "VENUE")."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words, words
from .phrases import event_phrases

_HYPHENS = ("-", "–")


def _cap(tok, lex: Words) -> bool:
    """A token that can be part of a proper name."""
    text = tok.text
    if not text or not (text[0].isupper() or text[0].isdigit()):
        return False
    low = tok.lower_.rstrip(".")
    return not (low in lex.months and len(low) > 3) and low not in lex.weekdays and text not in ("I", "A")


def _joined(doc: Doc, i: int) -> bool:
    """Token i is glued to token i+1 (no whitespace between them)."""
    return i + 1 < len(doc) and doc[i].whitespace_ == ""


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
            while j < n and doc[j].lower_ in lex.party_words - {"of", "the"} | {"leadership", "group", "standing", "committee"}:
                j += 1
            end = j
        out.append((start, end))
        i = end
    return out


# ---------------------------------------------------------------- people
def person_shape_ok(tokens, lex: Words, gpe_texts: set[str]) -> bool:
    """Whether tokens look like a person's name (not "HK Tech", "Invest Hong Kong")."""
    words_ = [t for i, t in enumerate(tokens) if t.text not in _HYPHENS and not (i and tokens[i - 1].text in _HYPHENS)]
    if not words_:
        return False
    for t in words_:
        text = t.text
        if not text[0].isupper() or not text.replace("-", "").isalpha():
            return False
        if sum(c.isupper() for c in text) > 1 and "-" not in text:
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
    return full, single


def find_titles_cache(doc: Doc) -> list[tuple[int, int]]:
    """The title spans found for ``doc`` (computed by :func:`tag` before the people)."""
    return doc.user_data.get("kg_titles", [])


# ---------------------------------------------------------------- name runs
def _acronym_paren(doc: Doc, i: int) -> int:
    """If doc[i] is "(" opening "(ACR)" or "(the Full Name)", the index after ")", else 0."""
    j = i + 1
    while j < len(doc) and j - i < 25 and doc[j].text != ")":
        j += 1
    if j >= len(doc) or doc[j].text != ")":
        return 0
    inner = doc[i + 1:j]
    if len(inner) == 1 and sum(c.isupper() for c in inner.text) >= 2:
        return j + 1
    if len(inner) >= 2 and inner[0].lower_ == "the":
        return j + 1
    return 0


def _runs(doc: Doc, lex: Words, blocked: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of name tokens (see module docstring), before splitting."""
    n, runs, i = len(doc), [], 0
    conn = lex.connectors
    while i < n:
        if blocked[i] or not _cap(doc[i], lex) or doc[i].lower_ in lex.not_names:
            i += 1
            continue
        start, j, colon = i, i + 1, False
        while j < n and not blocked[j]:
            tok = doc[j]
            if tok.is_sent_start and (doc[j - 1].is_space or "\n" in doc[j - 1].whitespace_ or doc[j - 1].text in ".!?"):
                break
            if _cap(tok, lex):
                j += 1
                continue
            if tok.text in _HYPHENS and doc[j - 1].whitespace_ == "" and _joined(doc, j) and not blocked[j + 1]:
                j += 2
                continue
            if tok.text in ("'s", "’s") and doc[j - 1].lower_ in lex.possessive_words and j + 1 < n and \
                    _cap(doc[j + 1], lex) and not blocked[j + 1]:
                j += 1
                continue
            if tok.text == "," and doc[j - 1].lower_ in ("co.", "co") and j + 1 < n and doc[j + 1].lower_.startswith("ltd"):
                j += 2
                continue
            if tok.text == "(" and not _acronym_paren(doc, j):
                k = j + 1
                while k < n and k - j < 6 and _cap(doc[k], lex) and not blocked[k]:
                    k += 1
                if k < n and doc[k].text == ")" and k > j + 1 and k + 1 < n and _cap(doc[k + 1], lex):
                    j = k + 1
                    continue
                break
            if tok.text == ":" and doc[j - 1].lower_ in lex.event_named_heads and j + 1 < n and _cap(doc[j + 1], lex):
                colon, j = True, j + 1
                continue
            if tok.text == "," and any(doc[k].lower_ in ("of", "for") for k in range(start, j)):
                k = j
                while k + 1 < n and doc[k].text == "," and _cap(doc[k + 1], lex) and not blocked[k + 1]:
                    k += 2
                if k > j and k + 1 < n and doc[k].lower_ == "and" and _cap(doc[k + 1], lex):
                    j = k
                    continue
                break
            low = tok.lower_
            if low in conn or low in lex.ordinals or (colon and low == "from"):
                k = j
                while k < n and not blocked[k] and (doc[k].lower_ in conn or doc[k].lower_ in lex.ordinals
                                                    or (doc[k].text[0].isdigit() and doc[k].text[-2:] in ("th", "st", "nd", "rd"))
                                                    or (colon and doc[k].lower_ == "from")) and k - j < 4:
                    k += 1
                if k < n and k > j and not blocked[k] and _cap(doc[k], lex) and not doc[k - 1].is_space:
                    j = k
                    continue
            break
        # a lower-case head after a proper name: "the Xicheng District government"
        if j < n and not blocked[j] and doc[j].lower_ in lex.org_lower_heads and doc[j].text.islower():
            j += 1
        while j > start and (doc[j - 1].lower_ in conn or doc[j - 1].text in ("'s", "’s", ",", "-")):
            j -= 1
        ins = [k for k in range(start + 1, j) if doc[k].lower_ == "in"]
        if ins and not any(doc[k].lower_ in ("of", "for") for k in range(start, ins[-1])) and \
                not any(doc[k].lower_ in lex.org_heads or doc[k].lower_ in lex.event_heads for k in range(ins[-1], j)):
            j = ins[-1]
        if j > start:
            runs.append((start, j))
        i = max(j, i + 1)
    return runs


def _core_end(doc: Doc, s: int, e: int) -> int:
    """End of a name's core: before its first "of", "for", "on", "in" or ":"."""
    for k in range(s + 1, e):
        if doc[k].lower_ in ("of", "for", "on", "in", ":"):
            return k
    return e


def classify(doc: Doc, s: int, e: int, lex: Words) -> tuple[str, str] | None:
    """("ORG", OrgKind) / ("EVENT", EventKind) / ("VENUE", "") for a name span, or None."""
    core = _core_end(doc, s, e)
    toks = [t for t in doc[s:core] if t.text not in _HYPHENS and not t.is_punct]
    if not toks:
        return None
    last = doc[e - 1].lower_
    if last in lex.legal_tails and e - s >= 2:
        return "ORG", lex.org_heads.get(last, "Company")
    words_ = [t.lower_ for t in toks]
    if len(words_) >= 2 and " ".join(words_[-2:]) in lex.venue_pairs:
        return "VENUE", ""
    if words_[-1] in lex.venue_heads and len(words_) >= 2:
        return "VENUE", ""
    if words_[-1] in lex.work_heads or (len(words_) > 1 and words_[-1][0].isdigit() and words_[-2] in lex.work_heads):
        return None
    complement = core < e
    for w in reversed(words_[-2:]):
        if w in lex.event_named_heads and (len(words_) >= 2 or complement or w in ("expo",)):
            return "EVENT", lex.event_heads.get(w, "Event")
        if w in lex.org_heads and (len(words_) >= 2 or complement or w in lex.legal_tails):
            if w == words_[-1] or w in lex.org_strong:
                return "ORG", lex.org_heads[w]
    return None


def _split_and(doc: Doc, s: int, e: int, lex: Words) -> list[tuple[int, int]]:
    """Split "A Alliance and B Group" into two names; keep "Science and Technology"."""
    parts, cur = [], s
    for k in range(s + 1, e - 1):
        if doc[k].lower_ not in ("and", "&") or k <= cur:
            continue
        left = doc[k - 1].lower_
        nxt_tok = doc[k + 1 + (doc[k + 1].lower_ == "the")]
        ner_split = doc[k - 1].ent_type_ == "ORG" and doc[k].ent_iob_ == "O" and nxt_tok.text[:1].isalpha() \
            and classify(doc, cur, k, lex) is not None and classify(doc, nxt_tok.i, _next_and(doc, nxt_tok.i, e), lex) is None
        if ner_split or doc[k + 1].lower_ == "the" or left in lex.org_strong or left in lex.event_named_heads or left in lex.legal_tails or doc[k - 1].text == ")" \
                or sum(c.isupper() for c in doc[k - 1].text) >= 2:
            nxt = k + 1 + (doc[k + 1].lower_ == "the")
            if nxt < e and classify(doc, nxt, e, lex) or (e - nxt >= 2 and classify(doc, nxt, _next_and(doc, nxt, e), lex)):
                parts.append((cur, k))
                cur = nxt
    parts.append((cur, e))
    return parts


def _next_and(doc: Doc, s: int, e: int) -> int:
    for k in range(s + 1, e):
        if doc[k].lower_ in ("and", "&"):
            return k
    return e


def _nested(doc: Doc, s: int, e: int, lex: Words, known: set[str]) -> tuple[int, int, tuple[str, str]] | None:
    """The first complete name after an "of"/"in" inside a name ("... of the Ministry of X"),
    unless "Head of X" is itself a name the article uses ("Bank of China Institute")."""
    core = _core_end(doc, s, e)
    for k in range(core, e - 1):
        if doc[k].lower_ not in ("of", "in") or doc[k + 1].lower_ != "the" and \
                f"{doc[k - 1].text} of {doc[k + 1].text}" in known:
            continue
        if k == core and core - s == 1 and doc[k + 1].lower_ != "the":
            continue
        if doc[k - 1].lower_ in lex.org_strong and doc[k + 1].lower_ != "the":  # "Bank of China Nanjing Branch"
            continue
        j = k + 1
        while j < e and (doc[j].lower_ in ("the", "and") or doc[j].lower_ in lex.ordinals
                         or doc[j].text[0].isdigit() and doc[j].text[-2:] in ("th", "st", "nd", "rd")):
            j += 1
        kind = classify(doc, j, e, lex) if j < e else None
        head = [t.lower_ for t in doc[j:_core_end(doc, j, e)] if t.is_alpha]
        if kind and head and (head[-1] in lex.org_strong or head[-1] in lex.event_named_heads) and \
                doc[e - 1].lower_ not in lex.legal_tails:
            return j, e, kind
    return None


def _ner_orgs(doc: Doc, lex: Words, blocked: list[bool], taken: list[Span]) -> list[Span]:
    """spaCy ORG entities no name run explains ("Tencent", "Qianhai Ark"), when their shape is
    that of a name: capitalised, no quotes or commas, not a generic acronym ("CPC", "MoU"),
    not a work ("... Report"), not a programme followed by a number, not labelled otherwise
    elsewhere in the article."""
    used = set()
    for sp in taken:
        used.update(range(sp.start, sp.end))
    labels: dict[str, set[str]] = {}
    for ent in doc.ents:
        labels.setdefault(ent.text.removeprefix("the ").removeprefix("The "), set()).add(ent.label_)
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        s, e = ent.start, ent.end
        while s < e and (doc[s].lower_ in lex.not_names or doc[s].lower_ in lex.party_words):
            s += 1
        while e > s and (doc[e - 1].text in ("'s", "’s") or doc[e - 1].is_punct or doc[e - 1].lower_ in lex.party_words):
            e -= 1
        if e <= s or any(k in used or blocked[k] for k in range(s, e)):
            continue
        toks = doc[s:e]
        text = toks.text
        if any(t.text in (",", '"', "“", "”", "(", ")") for t in toks) or not all(
                t.text[:1].isupper() or t.lower_ in lex.connectors or t.text in ("-", "&") or t.text[:1].isdigit()
                for t in toks):
            continue
        if text.lower() in lex.generic_acronyms or toks[-1].lower_ in lex.work_heads | lex.venue_heads \
                or len(labels.get(text, ())) > 1:
            continue
        if e < len(doc) and doc[e].like_num:
            continue
        if len(toks) == 1 and not (sum(c.isupper() for c in text) >= 2 or doc[s].pos_ == "PROPN"):
            continue
        out.append(Span(doc, s, e, label=lex.org_heads.get(toks[-1].lower_, "Organization")))
    return out


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
        if tok.text == "(" and _acronym_paren(doc, i):
            blocked[i] = True
        if tok.text in (")", ";", "\"", "“", "”") or tok.is_space:
            blocked[i] = True
    orgs, events, places = [], [], []
    known = {" ".join(e.text.split()[-3:]) for e in doc.ents if e.label_ == "ORG"}
    for rs, re_ in _runs(doc, lex, blocked):
        for s, e in _split_and(doc, rs, re_, lex):
            if doc[s].lower_ in lex.not_names or (doc[s].is_sent_start and doc[s].pos_ not in ("PROPN", "NUM")
                                                  and classify(doc, s, e, lex) is None):
                s += 1
            kind = classify(doc, s, e, lex) if e > s else None
            if kind is None:
                continue
            nested = _nested(doc, s, e, lex, known) if kind[0] != "VENUE" else None
            if kind[0] == "VENUE":
                e = _core_end(doc, s, e)
            elif nested and kind[0] == nested[2][0] == "EVENT" and not all(
                    t.lower_ in lex.event_generic for t in doc[s:_core_end(doc, s, e)] if t.is_alpha):
                e = _core_end(doc, s, e)  # "Fintech Conference" of the "2025 ... Forum": two events
            target = {"ORG": orgs, "EVENT": events, "VENUE": places}[kind[0]]
            target.append(Span(doc, s, e, label=kind[1] or "VENUE"))
            if nested and nested[2][0] != "VENUE":
                ns, ne, nk = nested
                ({"ORG": orgs, "EVENT": events}[nk[0]]).append(Span(doc, ns, ne, label=nk[1]))
    orgs += _ner_orgs(doc, lex, blocked, orgs + events + places)
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
    phrase_events, refs = event_phrases(doc, lex, covered)
    doc.spans["kg_title"] = [Span(doc, s, e, label="TITLE") for s, e in titles]
    doc.spans["kg_person"] = [Span(doc, s, e, label="PERSON") for s, e in people]
    doc.spans["kg_surname"] = [Span(doc, k, k + 1, label="PERSON") for k in single]
    doc.spans["kg_org"] = orgs
    doc.spans["kg_event"] = events + phrase_events
    doc.spans["kg_event_ref"] = refs
    doc.spans["kg_place"] = places
