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

Writes ``doc.spans``: kg_title, kg_person, kg_surname, kg_org, kg_event, kg_place, kg_work
(products and plans the tagger called organisations); each span's
label is the kind (OrgKind / EventKind value, "GPE", "VENUE")."""
from __future__ import annotations

import re

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


_YEAR = ("19", "20")


def _is_year(tok) -> bool:
    return len(tok.text) == 4 and tok.text.isdigit() and tok.text[:2] in _YEAR


def event_by_context(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """A name with no event head word that the sentence shows to be an event: a lower-case
    event noun right after it ("the Money Summit Middle East conference"), or a year that
    ends or starts it while it is where something happens ("spoke at Fintech Live 2024",
    "Fintech Live 2024 opened")."""
    words_ = [t for t in doc[s:e] if not t.is_punct and not _is_year(t)]
    heads = {words_[-1].lower_, doc[core_end(doc, s, e) - 1].lower_} if words_ else set()
    if not words_ or heads & (lex.org_heads.keys() | lex.work_heads | lex.venue_heads) or \
            any(t.ent_type_ == "PERSON" for t in words_):
        return False
    brand = any(any(c.isdigit() for c in t.text) or sum(c.isupper() for c in t.text[1:]) for t in words_)
    if e < len(doc) and doc[e].lower_ in lex.event_context_heads and doc[e].text.islower():
        return brand or not all(t.ent_type_ in ("GPE", "LOC", "NORP") for t in words_)  # not "a Lakeside forum"
    if not (_is_year(doc[e - 1]) or _is_year(doc[s]) and e - s >= 2):
        return False
    root = doc[s]
    while root.head.i != root.i and s <= root.head.i < e:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in lex.event_setting_preps:
        return True
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in lex.event_setting_verbs


def _tail(doc: Doc, s: int, e: int) -> tuple[int, int] | None:
    """The rest of a name run after its first "in", "for", "at" or "during" (and "the"), when a
    name may start there."""
    for k in range(s + 1, e - 1):
        if doc[k].lower_ in ("in", "for", "at", "during"):
            j = k + 1 + (doc[k + 1].lower_ == "the")
            return (j, e) if j < e and doc[j].text[:1].isupper() else None
    return None


# ---------------------------------------------------------------- people
_INITIAL = re.compile(r"^[A-Z]\.$")
_PREFIXED = re.compile(r"^(?:Mc|Mac|O'|O’|D'|D’|De|Di|Da|Du|La|Le|Van|Von)[A-Z][a-z]+$")
_SUFFIX = ("jr", "jr.", "sr", "sr.", "ii", "iii", "iv")


def person_shape_ok(tokens, lex: Words, gpe_texts: set[str]) -> bool:
    """Whether tokens look like a person's name (not "AB Tech", "Invest Harbor City"): each
    word capitalised and alphabetic, an initial ("M.") or a prefixed name ("McLean") allowed,
    no head word of an institution, an event or a venue."""
    words_ = [t for i, t in enumerate(tokens) if t.text not in _HYPHENS and not (i and tokens[i - 1].text in _HYPHENS)]
    if not words_ or all(_INITIAL.match(t.text) for t in words_):
        return False
    for t in words_:
        text = t.text
        if _INITIAL.match(text) or text == "," or t.lower_ in _SUFFIX:
            continue
        if not text[0].isupper() or not text.replace("-", "").replace("'", "").replace("’", "").isalpha():
            return False
        if sum(c.isupper() for c in text) > 1 and "-" not in text and "'" not in text and "’" not in text \
                and not _PREFIXED.match(text):
            return False
        low = t.lower_
        if low in lex.org_heads or low in lex.event_heads or low in lex.venue_heads or low in lex.months and len(low) > 3:
            return False
        if low.endswith("s") and (low[:-1] in lex.org_heads or low[:-1] in lex.event_heads):
            return False  # "Quanta Labs", "Harbor Awards"
        if low in lex.institution_words:
            return False  # "Technological Affairs", "Monetary Studies"
    text = " ".join(t.text for t in words_)
    return not any(g in text for g in gpe_texts if " " in g)


def find_people(doc: Doc, lex: Words, title_mask: list[bool]) -> tuple[list[tuple[int, int]], list[int]]:
    """(full names, single-token references such as surnames), found by these passes in
    order, each claiming the tokens it names:

    1. the tagger's PERSON entities (and its ORG ones where the words after them say
       person), trimmed of titles and honorifics, extended where the tagger cut them short;
    2. "P of the X Bank", "P (X Bank)": names known by the words after them;
    3. "P Q, chairman of ...": names before a comma and a title;
    4. "Director P Q said": names after a title;
    then each name takes a suffix ("Jr."), drops post-nominal letters ("OBE"), and a name
    that runs on into an institution's name ("Tan Kah Kee Science Foundation") is none."""
    gpe_texts = {e.text for e in doc.ents if e.label_ in ("GPE", "LOC")}
    full, single = _tagged_names(doc, lex, title_mask, gpe_texts)
    taken = {k for s, e in full for k in range(s, e)} | set(single)
    for finder in (_context_names, _comma_title_names, _title_first_names):
        for s, e in finder(doc, lex, taken, title_mask, gpe_texts):
            full.append((s, e))
            taken.update(range(s, e))
            single = [k for k in single if not s <= k < e]
    full = [(s, _name_suffix(doc, s, e, lex)) for s, e in full if not _runs_into_a_name(doc, e, lex)]
    single = [k for k in single if not _runs_into_a_name(doc, k + 1, lex)]
    return full, single


def _tagged_names(doc: Doc, lex: Words, title_mask: list[bool],
                  gpe_texts: set[str]) -> tuple[list[tuple[int, int]], list[int]]:
    """Pass 1: the tagger's PERSON entities, and its ORG ones that the words after them show
    to be people."""
    full, single = [], []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        s, e = ent.start, ent.end
        while s < e and (title_mask[s] or doc[s].lower_.rstrip(".") in lex.honorifics or doc[s].lower_ == "the"):
            s += 1
        while e > s and (title_mask[e - 1] or doc[e - 1].text in ("'s", "’s", "'", ",") or doc[e - 1].is_punct
                         and not _INITIAL.match(doc[e - 1].text) or doc[e - 1].lower_ in lex.post_nominals):
            e -= 1
        if e <= s:
            continue
        e = _name_tail(doc, s, e, lex)
        s = _name_head(doc, s, e, lex, title_mask)
        if not person_shape_ok(doc[s:e], lex, gpe_texts):
            continue
        if ent.label_ == "ORG" and not (e - s >= 2 and person_context(doc, s, e, lex)):
            continue  # the tagger's ORG is a person only where the sentence says so
        if e + 2 < len(doc) and doc[e].text == "(" and acronym_paren(doc, e) and \
                _initials(doc[s:e].text, doc[e + 1].text):  # "Grow Harbor (GH)": an organisation
            doc.user_data.setdefault("kg_acronym_named", []).append((s, e))
            continue
        (full if e - s >= 2 else single).append((s, e) if e - s >= 2 else s)
    return full, single


def _comma_title_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                       gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 3: "P Q, chairman of X", "P Q, an X Group co-founder": two to four capitalised
    words before a comma and a title. A run the tagger calls a place counts when the article never uses it as one
    ("Hong Lei, Party secretary"), not where it does ("Harbor City, chairman ...")."""
    out = []
    for ts, _ in find_titles_cache(doc):
        k = ts - 1
        j = k
        while j > ts - 7 and j > 0 and (doc[j].ent_type_ == "ORG" or doc[j].text[:1].isupper()):
            j -= 1  # "P, an Infosys Ltd. co-founder": an institution before the title
        if j < k and doc[j].lower_ in ("a", "an", "the"):
            k = j
        if k > 0 and doc[k].lower_ in ("a", "an", "the"):
            k -= 1
        if k < 2 or doc[k].text != ",":
            continue
        e, s = k, k
        while s > 0 and e - s < 4 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and s - 1 not in taken \
                and not (s < e and doc[s].is_sent_start and doc[s - 1].text[-1:] in ".!?"):
            s -= 1
        if e - s < 2 or s > 0 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha:
            continue
        span = doc[s:e]
        if any(t.ent_type_ in ("GPE", "LOC") for t in span) and _used_as_place(doc, span.text):
            continue
        if person_shape_ok(span, lex, gpe_texts - {span.text}):
            out.append((s, e))
            taken.update(range(s, e))
    return out


def _used_as_place(doc: Doc, text: str) -> bool:
    """Whether the article names ``text`` as a place somewhere not followed by ", title"."""
    titles = {s for s, _ in find_titles_cache(doc)}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC") and ent.text == text:
            k = ent.end
            if not (k + 1 < len(doc) and doc[k].text == "," and
                    (k + 1 in titles or k + 2 < len(doc) and doc[k + 1].lower_ in ("a", "an", "the") and k + 2 in titles)):
                return True
    return False


def _title_first_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                       gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 4: "Professor P Q of X", "Director P Q said": capitalised words after a title."""
    out = []
    for ts, te in find_titles_cache(doc):
        if not doc[te - 1].text[:1].isupper():
            continue
        s = e = te
        while e < len(doc) and e - s < 3 and doc[e].text[:1].isupper() and e not in taken and \
                doc[e].text.replace("'", "").replace("-", "").isalpha() and doc[e].ent_type_ not in ("ORG", "GPE"):
            e += 1
        if e - s >= 2 and person_shape_ok(doc[s:e], lex, gpe_texts) and \
                (e == len(doc) or not doc[e].text[:1].isupper()):
            out.append((s, e))
            taken.update(range(s, e))
    return out


def _name_suffix(doc: Doc, s: int, e: int, lex: Words) -> int:
    """A name's end past "Jr." or ", Jr." ("Eli M. Quiroz, Jr.")."""
    k = e + (e < len(doc) and doc[e].text == ",")
    if k < len(doc) and doc[k].lower_ in _SUFFIX:
        return k + 1
    return e


def _runs_into_a_name(doc: Doc, e: int, lex: Words) -> bool:
    """Whether capitalised words right after a name end in an institution's head word: the
    name is a part of the institution's ("Tan Kah Kee Science Award Foundation")."""
    for k in range(e, min(e + 5, len(doc))):
        t = doc[k]
        if not t.text[:1].isupper() or not t.is_alpha:
            return False
        if t.lower_ in lex.org_heads and t.lower_ not in lex.org_weak:
            return True
    return False


def _name_tail(doc: Doc, s: int, e: int, lex: Words) -> int:
    """The end of a person's name the tagger cut short ("Ana Souza" of "Ana Souza Lima of
    X"): capitalised words that follow, up to two, when no other name claims them."""
    k = e
    while k < len(doc) and k - e < 2 and doc[k].text[:1].isupper() and doc[k].is_alpha and \
            doc[k].ent_type_ in ("", "PERSON") and doc[k].pos_ == "PROPN" and doc[k].whitespace_ != "" and \
            doc[k].lower_ not in lex.org_heads and not doc[k].is_sent_start and \
            not (k + 1 < len(doc) and doc[k + 1].text[:1].isupper() and doc[k + 1].is_alpha):
        k += 1
    return k


def _name_head(doc: Doc, s: int, e: int, lex: Words, title_mask: list[bool]) -> int:
    """The start of a person's name the tagger cut short ("Kowalczyk" of "Tomasz Kowalczyk"):
    one capitalised word before it that nothing else claims."""
    k = s - 1
    if k >= 0 and e - s == 1 and doc[k].text[:1].isupper() and doc[k].is_alpha and doc[k].pos_ == "PROPN" \
            and doc[k].ent_type_ in ("", "PERSON") and not title_mask[k] and not doc[k].is_sent_start \
            and doc[k].lower_.rstrip(".") not in lex.honorifics and doc[k].lower_ not in lex.org_heads \
            and doc[k].lower_ not in lex.months and doc[k].lower_ not in lex.weekdays \
            and not (k > 0 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha):
        return k
    return s


def _context_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                   gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 2: names the tagger missed, found by the words after them ("P of the X Bank", "P (X
    Bank)"): two or three capitalised words that no other mention claims."""
    out = []
    for tok in doc:
        k = tok.i
        if not (tok.lower_ in ("of", "from") or tok.text == "(") or k < 2:
            continue
        for size in (3, 2):
            s = k - size
            if s < 0 or any(i in taken or title_mask[i] for i in range(s, k)):
                continue
            span = doc[s:k]
            if not all(t.text[:1].isupper() and t.is_alpha and t.pos_ == "PROPN" and
                       t.ent_type_ in ("", "PERSON", "ORG", "NORP") for t in span):
                continue
            if s > 0 and (doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and not doc[s].is_sent_start
                          or doc[s - 1].text in ("'s", "’s", "-")
                          or doc[s - 1].lower_ in lex.connectors and doc[s - 1].lower_ != "and"
                          and s > 1 and doc[s - 2].text[:1].isupper()):
                continue  # the end of a longer name: "Institute of Applied Finance (IAF)"
            if doc[s].lower_.rstrip(".") in lex.honorifics or not person_shape_ok(span, lex, gpe_texts):
                continue
            if person_context(doc, s, k, lex):
                out.append((s, k))
                break
    return out


def _initials(name: str, acronym: str) -> bool:
    """Whether an acronym's letters are the initials of a name's words, in order."""
    initials = [w[0].upper() for w in name.replace("-", " ").split() if w[:1].isalpha()]
    letters = [c for c in acronym if c.isalpha() and c.isupper()]
    pos = 0
    for c in letters:
        while pos < len(initials) and initials[pos] != c:
            pos += 1
        if pos == len(initials):
            return False
        pos += 1
    return bool(letters) and letters[0] == initials[0]


def person_context(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """Whether the words around a name say it names a person: "P of the X Bank", "P (X
    Bank)", "P from X", "P, 45,", or a title right after ("P, chief economist")."""
    n = len(doc)
    k = e
    if k < n and doc[k].lower_ in ("of", "from", "at") and k + 1 < n:
        j = k + 1 + (doc[k + 1].lower_ == "the")
        return j < n and doc[j].text[:1].isupper() and _org_like(doc, j, lex)
    if k + 1 < n and doc[k].text == "(":
        j = k + 1 + (doc[k + 1].lower_ == "the")
        if j + 1 < n and doc[j + 1].text == ")" and _initials(doc[s:e].text, doc[j].text):
            return False  # "Grow Harbor (GH)": the name's own acronym
        return j < n and doc[j].text[:1].isupper() and (_org_like(doc, j, lex) or doc[j].ent_type_ == "ORG")
    if k + 1 < n and doc[k].text == ",":
        j = k + 1 + (doc[k + 1].lower_ in ("a", "an", "the"))
        return j < n and doc[j].lower_ in lex.title_heads | lex.title_mods
    return False


def _org_like(doc: Doc, j: int, lex: Words) -> bool:
    """Tokens from j on name an institution: an organisation head word within a few words."""
    for t in doc[j:min(j + 8, len(doc))]:
        if t.lower_ in lex.org_heads:
            return True
        if not (t.text[:1].isupper() or t.lower_ in lex.connectors) or t.text in (")", ","):
            break
    return doc[j].ent_type_ == "ORG"


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
                                              and (classify(doc, s, e, lex) is None or doc[s].is_stop)):
            s += 1  # "If the X Fest": a capital that only starts the sentence
            while s < e and doc[s].lower_ in ("the", "a", "an"):
                s += 1
        kind = classify(doc, s, e, lex) if e > s else None
        if kind is None and e > s and event_by_context(doc, s, e, lex):
            kind = ("EVENT", "Conference")
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
    tagged, works = ner_orgs(doc, lex, blocked, orgs + events + places)
    orgs += tagged
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
    doc.spans["kg_work"] = works
