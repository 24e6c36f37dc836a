"""The token index of one article (which entity each token belongs to), character spans of
token ranges, and the small name tests entity building uses: acronym shapes, initials in
order, a surname's owner allowing a typo."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import Span
from .names import in_order


@dataclass
class TokenIndex:
    """Which entity each token of the Doc belongs to (outermost mention wins)."""

    owner: list[str | None]
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start token, end token, id)
    _by_id: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict, repr=False, compare=False)
    _read: int = field(default=0, repr=False, compare=False)  # spans bucketed in _by_id so far

    def mark(self, start: int, end: int, entity_id: str, override: bool = False) -> None:
        """Record a mention of ``entity_id`` over tokens [start, end)."""
        self.spans.append((start, end, entity_id))
        for k in range(start, end):
            if override or self.owner[k] is None:
                self.owner[k] = entity_id

    def span_of(self, token: int) -> tuple[int, int, str] | None:
        """The widest mention covering ``token``."""
        best = None
        eid = self.owner[token]
        for s, e, i in self._of(eid):
            if s <= token < e and (best is None or e - s > best[1] - best[0]):
                best = (s, e, i)
        return best

    def _of(self, eid: str | None) -> list[tuple[int, int, str]]:
        """The spans of one entity, in the order they were recorded (bucketed as they come)."""
        while self._read < len(self.spans):
            span = self.spans[self._read]
            self._read += 1
            self._by_id.setdefault(span[2], []).append(span)
        return self._by_id.get(eid, []) if eid is not None else []


def _sentences(doc: Doc) -> tuple[list[int], list]:
    """Sentence start tokens and sentences of ``doc``, computed once per Doc."""
    cached = doc.user_data.get("kg_sentences")
    if cached is None or cached[0] != len(doc):
        sents = list(doc.sents)
        cached = (len(doc), [s.start for s in sents], [(s.text, s.start_char) for s in sents])
        doc.user_data["kg_sentences"] = cached
    return cached[1], cached[2]


def span_of(doc: Doc, start: int, end: int) -> Span:
    """A model Span for tokens [start, end): character offsets and the sentence."""
    starts, sents = _sentences(doc)
    text, start_char = sents[bisect.bisect_right(starts, start) - 1]
    last = doc[end - 1]
    return Span(doc[start].idx, last.idx + len(last), text, start_char)


def acronym_like(text: str) -> bool:
    """A token shaped like an acronym: "NIAF", "LakeU", "LU-BOL"."""
    return 2 <= len(text) <= 10 and sum(c.isupper() for c in text) >= 2 and text.replace("-", "").isalnum() \
        and not text.isdigit()


def _initials_start(names: list[str], acronym: str, syllables: bool = False) -> int | None:
    """Index of the word where ``acronym`` spells the following words' initials, if any. With
    ``syllables``, a word may also give two or three letters: its initial, then letters inside
    it in order (the syllables of a romanised name: "HYU" for "Haoyang University")."""
    acr = acronym.upper()
    skip = {"of", "and", "for", "the", "in", "on", "&"}

    def match(i: int, a: int) -> bool:
        """Whether acronym letters from ``a`` on spell the initials of words from ``i`` on."""
        if a == len(acr):
            return True
        if i == len(names):
            return False
        w = names[i].upper()
        if (names[i].lower() in skip or not names[i][:1].isalnum()) and match(i + 1, a):
            return True
        for k in range(1, len(w) + 1):
            if acr[a:a + k] == w[:k] and match(i + 1, a + k):
                return True
        if syllables and len(w) >= 4 and acr[a:a + 1] == w[:1]:
            for k in (2, 3):
                rest = iter(w[1:])
                if a + k <= len(acr) and all(c in rest for c in acr[a + 1:a + k]) and match(i + 1, a + k):
                    return True
        return False

    for start in range(len(names)):
        if names[start].lower() not in skip and names[start][:1].upper() == acr[0] and match(start, 0):
            return start
    return None


def _initials_in_order(names: list[str], acronym: str) -> bool:
    """"HUBS" for "Harbor University Business School": the acronym's letters
    are initials of the name's words, in order, starting with the first."""
    return in_order([w[0].upper() for w in names if w[:1].isalpha()], [c for c in acronym.upper() if c.isalpha()])


def _surname_owner(token_text: str, people: dict[str, str]) -> str | None:
    """The one person whose family or given name is ``token_text`` (allowing a typo)."""
    hits = {pid for name, pid in people.items() if token_text in (name.split()[0], name.split()[-1])}
    if len(hits) == 1:
        return hits.pop()
    if hits or len(token_text) < 4:
        return None
    close = {pid for name, pid in people.items()
             if _edits(token_text.lower(), name.split()[-1].lower()) <= 2}
    return close.pop() if len(close) == 1 else None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short strings only: surnames)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
