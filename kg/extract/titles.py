"""Job titles as token spans: a title head word ("director", "Chairman") with its modifiers
("executive deputy CPC", "area business"), a hyphenated tail ("-General"), a domain ("for
Innovation, Technology and Industry") or the body of an institution it is held in ("member of
the Standing Committee of the X Committee"). One linear pass over the Doc."""
from __future__ import annotations

from spacy.tokens import Doc

from .lexicon import Words
from .names import _HYPHENS, _joined


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
                             or doc[start - 1].text in _HYPHENS and _joined(doc, start - 2)
                             or _noun_modifier(doc[start - 1], start, i, lex)):
            start -= 1
        start = _named_chair(doc, start, i, lex)
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
                             and doc[j + 1].text[0].isupper() and not _names_a_person(doc[j + 1], lex)) \
                    and doc[j].lower_ not in ("of", "at") and not _names_a_person(doc[j], lex):
                j += 1
            end = j
        end = _body(doc, end, doc[end - 1].lower_, lex)
        out.append((start, end))
        i = end
    return out


def _names_a_person(tok, lex: Words) -> bool:
    """Where a title's domain ends: "Deputy Governor for Payments, Mr. X Y" (an honorific or
    the tagger's person)."""
    return tok.lower_.rstrip(".") in lex.honorifics or tok.ent_type_ == "PERSON"


def _named_chair(doc: Doc, start: int, head: int, lex: Words) -> int:
    """The start of a chair named after a person ("Li Ka Shing Professor of Medicine", "the
    Lee Kong Chian Professor"): the person's name before a capitalised chair word is part of
    the title."""
    if doc[head].lower_ not in lex.named_chair_heads or not doc[head].text[:1].isupper() or start < 1:
        return start
    k = start
    while k > 0 and start - k < 6 and doc[k - 1].ent_type_ == "PERSON" and (
            doc[k - 1].text[:1].isupper() or doc[k - 1].text in _HYPHENS or k > 1 and doc[k - 2].text in _HYPHENS):
        k -= 1  # "Cheng Yu-tung Chair Professor": a hyphenated given name too
    if k < start and k > 0 and doc[k - 1].text in (",", "–", "—", "-", "'s", "’s", "the", "The"):
        return k  # "P, the Li Ka Shing Professor of X": not "Lu Fang Chair Professor of X" (a person's title)
    return start


def _noun_modifier(tok, start: int, head: int, lex: Words) -> bool:
    """A lower-case noun that modifies a title head ("country manager", "area business
    head"), not an institution's head word ("the bank president")."""
    return tok.is_lower and tok.is_alpha and tok.pos_ == "NOUN" and tok.dep_ == "compound" and \
        start <= tok.head.i <= head and tok.lower_ not in lex.org_heads and head - tok.i <= 3


_BODIES = ("committee", "group", "commission", "board", "council", "bureau", "leadership", "directors")


def _body(doc: Doc, end: int, head: str, lex: Words) -> int:
    """The end of a title that names the body it is held in: a body of generic words ("member
    of the CPC Standing Committee", "secretary of the Party leadership group"), or a member's
    body of an institution named next ("member of the Standing Committee of the X
    Committee"). "secretary of the X District Committee" names the institution itself, and
    "vice chairman of the Standing Committee of X" the body as an institution: the title
    stops before them."""
    n = len(doc)
    if not (end + 2 < n and doc[end].lower_ == "of" and doc[end + 1].lower_ == "the"):
        return end
    j = end + 2
    while j < n and j - end < 8 and (doc[j].lower_ in lex.party_words - {"of", "the"}
                                     or doc[j].text[:1].isupper() and doc[j].is_alpha):
        j += 1
        if doc[j - 1].lower_ in _BODIES and not (j < n and doc[j].lower_ in _BODIES):
            break
    if j == end + 2 or doc[j - 1].lower_ not in _BODIES:
        return end
    body = doc[end + 2:j]
    generic = all(t.lower_ in lex.party_words for t in body)
    named = any(t.text[:1].isupper() and t.lower_ not in ("cpc", "party", "communist") for t in body)
    owned = j + 1 < n and doc[j].lower_ == "of" and (doc[j + 1].text[:1].isupper() or doc[j + 1].lower_ == "the")
    if generic and not named or head == "member" and owned:
        return j  # "the Party leadership group", "member of the Standing Committee of X"
    return j if generic and not owned else end


def find_titles_cache(doc: Doc) -> list[tuple[int, int]]:
    """The title spans found for ``doc`` (computed by :func:`tag` before the people)."""
    return doc.user_data.get("kg_titles", [])
