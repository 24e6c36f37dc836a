"""Name forms, for resolution: how two surface forms of one person or institution relate.
(kg.extract.names finds names in a parsed article; this module compares names already found.)

Everything here is a pure function of the strings given: no corpus names, no lexicon of
entities. The word lists are closed-class English words (honorifics, legal-form suffixes,
the head nouns that say what kind of body an organisation is)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from ..model import Kind

# Kept apart from kg/extract/lexicon (titles.json "honorifics", orgs.json "legal_tails"), which
# match spaCy tokens ("Mr.", "Co.") while extracting: these fold plain words when comparing
# two names, and reading them from the lexicon would make resolution import extraction.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "madam", "sir"})
# legal-form suffixes: "X Co., Ltd." is X
ORG_SUFFIXES = frozenset({"co", "ltd", "limited", "inc", "corp", "corporation", "plc", "llc",
                          "company", "incorporated"})
# corporate designators after the distinctive part: "X Group", "X Holdings" are X's group
ORG_DESIGNATORS = ORG_SUFFIXES | {"group", "holding", "holdings", "ag", "sa", "gmbh", "nv", "bv",
                                  "lp", "llp", "se", "spa", "pte", "pty", "kk"}
# head nouns that name a body of its own: "X University" is not X's group but a school
ORG_HEADS = frozenset({
    "university", "college", "school", "academy", "institute", "institution", "center",
    "centre", "department", "bureau", "office", "branch", "ministry", "commission", "committee",
    "council", "association", "society", "federation", "alliance", "union", "chamber", "club",
    "foundation", "fund", "bank", "exchange", "agency", "administration", "authority",
    "government", "laboratory", "lab", "hospital", "museum", "library", "court", "board",
    "network", "press", "daily", "news", "times", "post", "journal", "division", "unit",
    "subsidiary", "park", "zone", "district", "city", "province", "county",
})
STOPWORDS = frozenset({"of", "and", "for", "the", "in", "on", "at", "to", "de", "du", "la"})
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PUNCT = re.compile(r"[^\w\s]")


def words(name: str) -> list[str]:
    """Lower-case word tokens, punctuation folded to spaces, a leading "the" dropped."""
    return list(_words(name))


@lru_cache(maxsize=1 << 17)
def _words(name: str) -> tuple[str, ...]:
    """:func:`words`, remembered: resolution asks for the words of the same names millions
    of times at scale (a corpus repeats its names)."""
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    toks = _PUNCT.sub(" ", text).split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    return tuple(toks)


def person_tokens(name: str) -> list[str]:
    """A person's name tokens without honorifics."""
    return [t for t in words(name) if t not in HONORIFICS]


def org_tokens(name: str) -> list[str]:
    """An organisation's name tokens without trailing legal-form suffixes ("Co., Ltd.")."""
    toks = words(name)
    while len(toks) > 1 and toks[-1] in ORG_SUFFIXES:
        toks = toks[:-1]
    return toks


def org_core(name: str) -> list[str]:
    """The distinctive part of a company name: trailing suffixes and designators ("Group",
    "Holdings", "AG") removed, as long as something is left."""
    toks = words(name)
    while len(toks) > 1 and toks[-1] in ORG_DESIGNATORS:
        toks = toks[:-1]
    return toks


def is_acronym(form: str) -> bool:
    """"ICBC", "EastU", "EBU-NB": short, one word, two or more capitals."""
    letters = form.replace("-", "").replace("&", "")
    return 2 <= len(letters) <= 10 and letters.isalnum() and sum(c.isupper() for c in letters) >= 2


def acronym_of(acronym: str, name: str) -> bool:
    """Whether ``acronym`` spells the initials of ``name``: every content word gives its
    initial, in order; "of", "and", "for"... may give theirs or not; legal suffixes may be
    left out ("ICBC" = Industrial and Commercial Bank of China Ltd.; "BOAT" = Board of
    Arts and Trade). Only all-capital acronyms are matched this way."""
    letters = acronym.replace("-", "").replace("&", "")
    if not (letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 10):
        return False
    toks = org_tokens(name)
    if len(toks) < 2:
        return False
    target = letters.lower()
    # a small dynamic programme: (word index, letter index) reachable
    reach = {(0, 0)}
    for i, tok in enumerate(toks):
        optional = tok in STOPWORDS
        nxt = set()
        for (wi, li) in reach:
            if wi != i:
                continue
            if li < len(target) and tok[0] == target[li]:
                nxt.add((i + 1, li + 1))
            if optional:
                nxt.add((i + 1, li))
        reach = nxt
        if not reach:
            return False
    return (len(toks), len(target)) in reach


def content_initials(name: str) -> str:
    """The initials of a name's words other than "of", "and"...: what an acronym of it
    spells at the least ("Board of Arts and Trade" -> "bat")."""
    return "".join(t[0] for t in org_tokens(name) if t not in STOPWORDS)


def acronym_keys(acronym: str) -> set[str]:
    """The content initials an acronym can stand for: its letters, less any that may be the
    initial of "of", "and", "for"... ("BOAT" -> {"boat", "bat", ...})."""
    letters = acronym.replace("-", "").replace("&", "").lower()
    optional = {w[0] for w in STOPWORDS}
    keys = {""}
    for ch in letters:
        keys = {k + ch for k in keys} | (keys if ch in optional else set())
    return keys


def years(name: str) -> set[str]:
    """Four-digit years written in a name ("2021 Harbour ..." -> {"2021"})."""
    return {t for t in words(name) if _YEAR.match(t)}


def person_variant(short: list[str], full: list[str]) -> str | None:
    """How a shorter person name relates to a fuller one, or None when it does not:
    "prefix" (an added Chinese given name or suffix: "Harriet Lan" / "Harriet Lan
    Qi-yue"), "middle" (an added middle name: first and last kept), "suffix" (an English
    name in front: "Lan Qi-yue" / "Harriet Lan Qi-yue"), "order" (the same
    words in another order: "Lan Qiyue" / "Qiyue Lan"). Both names need two or more words,
    so a bare surname never matches."""
    if len(short) < 2 or len(full) < 2 or short == full:
        return None
    if len(short) < len(full) and full[:len(short)] == short:
        return "prefix"
    if len(short) < len(full) and short[0] == full[0] and short[-1] == full[-1] and _subsequence(short, full):
        return "middle"
    if len(short) < len(full) and full[-len(short):] == short:
        return "suffix"
    if len(short) == len(full) and sorted(short) == sorted(full):
        return "order"
    return None


def _subsequence(short: list[str], full: list[str]) -> bool:
    it = iter(full)
    return all(tok in it for tok in short)


def short_org_form(short: list[str], core: list[str]) -> bool:
    """Whether ``short`` is a short name of an organisation whose distinctive part is
    ``core``: a strict word prefix, with no head noun in what is left out ("Goldman" for
    Goldman Sachs; never "Norland Bank" for the Norland Bank Rivertown Branch)."""
    if not short or len(short) >= len(core) or core[:len(short)] != short:
        return False
    if short[-1] in STOPWORDS or short[-1] in ORG_HEADS:
        return False
    rest = core[len(short):]
    return not any(t in ORG_HEADS or t in STOPWORDS for t in rest)


def slug(text: str, limit: int = 80) -> str:
    """An IRI-safe path segment: ASCII letters, digits and hyphens; a hash where text is long
    or has no ASCII letters at all."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if not out:
        return digest
    if len(out) > limit:
        return out[:limit].rstrip("-") + "-" + digest
    return out


def too_generic(kind: Kind, name: str) -> bool:
    """A name that says too little to be one entity across articles: a bare surname or given
    name ("Lan", "Mr. Lindqvist"), or an organisation named only by what it is ("the Ministry",
    "the Municipal Government")."""
    if kind is Kind.PERSON:
        return len(person_tokens(name)) < 2
    if kind is Kind.ORGANIZATION:
        toks = org_tokens(name)
        return bool(toks) and all(t in ORG_HEADS or t in STOPWORDS or t in _GENERIC for t in toks)
    return False


_GENERIC = frozenset({"municipal", "provincial", "national", "local", "central", "people", "s",
                      "state", "city", "district", "general", "main", "head", "organizing",
                      "organising", "standing", "executive"})
