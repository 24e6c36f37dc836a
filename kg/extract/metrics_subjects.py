"""Who a figure is about: the article's entity mentions indexed by token, with the anaphors
news text uses for them ("the report", "the expo's", "It").

:class:`Mentions` is built once per article, in time linear in the mentions; it also adds the
places spaCy finds and the reports or indexes the text names, so that they can be subjects.
"""
from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache
from pathlib import Path

from ..model import Kind, Span
from .numbers import lexicon
from .registry import EntityRegistry

SUBJECT_KINDS = (Kind.PLACE, Kind.ORGANIZATION, Kind.EVENT, Kind.WORK)
_QUOTES = {"\"", "“", "”", "'"}
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """"chinese" -> "China": lexicon/metrics_demonyms.json, read on first use."""
    path = Path(__file__).with_name("lexicon") / "metrics_demonyms.json"
    return json.loads(path.read_text(encoding="utf-8"))["demonyms"]


def span_of(doc, start: int, end: int) -> Span:
    """A model Span for tokens [start, end) of the Doc, with its sentence."""
    sent = doc[start].sent
    return Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), sent.text, sent.start_char)


class Mentions:
    """Entity ids by token, and the most recent mention of a kind before a token."""

    def __init__(self, doc, registry: EntityRegistry) -> None:
        self.doc, self.registry = doc, registry
        for ent in doc.ents:
            end = ent.end - 1 if ent[-1].tag_ == "POS" else ent.end
            if ent.label_ in ("GPE", "LOC") and end > ent.start and \
                    registry.at(ent.start_char, ent.end_char) is None:
                registry.add(Kind.PLACE, doc[ent.start:end].text, span_of(doc, ent.start, end))
        self._add_works()
        self.owner: list[str | None] = [None] * len(doc)
        spans = []
        for entity in registry.entities():
            for m in entity.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and len(span):
                    spans.append((span.start, span.end, entity.id))
        for start, end, eid in sorted(spans, key=lambda s: s[1] - s[0]):
            self.owner[start:end] = [eid] * (end - start)
        self._spans = sorted(spans)
        self._starts = [s[0] for s in self._spans]
        self._words = {e.id: set(_WORD.findall(e.name.lower())) for e in registry.entities()}

    def _add_works(self) -> None:
        """Register reports, indexes and agreements the text names: a quoted title ending in (or
        followed by) a work noun, or a capitalised name whose head is one."""
        doc, heads = self.doc, set(lexicon().words["work_heads"])
        i, n = 0, len(self.doc)
        while i < n:
            if doc[i].text in _QUOTES:
                j = i + 1
                while j < n and j - i < 25 and doc[j].text not in _QUOTES and doc[j].text != "\n":
                    j += 1
                if j < n and doc[j].text in _QUOTES and j > i + 1 and doc[i + 1].is_title:
                    after = doc[j + 1].lower_ if j + 1 < n else ""
                    if doc[j - 1].lower_ in heads or after in heads:
                        self.registry.add(Kind.WORK, doc[i + 1:j].text, span_of(doc, i + 1, j))
                    i = j
            i += 1
        for ent in doc.ents:
            words = {t.lower_ for t in ent}
            if ent.label_ in ("ORG", "WORK_OF_ART", "LAW", "EVENT") and words & heads and \
                    all(t.is_title or t.is_digit or not t.is_alpha or t.is_stop for t in ent) and \
                    self.registry.at(ent.start_char, ent.end_char) is None:
                self.registry.add(Kind.WORK, ent.text, span_of(doc, ent.start, ent.end))

    def entity(self, token) -> str | None:
        """The subject-worthy entity a token belongs to (an unnamed event stands for its parent)."""
        eid = self.owner[token.i]
        if eid is None:
            return None
        entity = self.registry.get(eid)
        if entity.kind not in SUBJECT_KINDS:
            return None
        if entity.kind is Kind.EVENT and not entity.named and entity.parent:
            return entity.parent
        return eid

    def recent(self, i: int, kinds: tuple[Kind, ...], words: set[str] | None = None,
               limit: int = 400) -> str | None:
        """The latest mention ending before token i of one of ``kinds`` (whose name has one of
        ``words``, when given)."""
        k = bisect.bisect_left(self._starts, i)
        for start, end, eid in reversed(self._spans[max(0, k - limit):k]):
            if end > i:
                continue
            entity = self.registry.get(eid)
            if entity.kind in kinds and (words is None or self._words[eid] & words):
                return self.entity(self.doc[start]) or eid
        return None

    def anaphor(self, token) -> str | None:
        """"the report", "the expo", "this forum", "the foundation": the latest entity such a
        definite noun refers to: one whose name has the noun, else a synonym, else (reports and
        organisations) the latest of the kind."""
        lex = lexicon().words
        low = token.lemma_.lower()
        if token.tag_ != "NN" or not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their")
                   for c in token.children):
            return None
        if low in lex["event_nouns"]:
            kinds, synonyms, fallback = (Kind.EVENT,), lex["event_nouns"][low], False
        elif low in lex["work_nouns"]:
            kinds, synonyms, fallback = (Kind.WORK, Kind.EVENT, Kind.ORGANIZATION), lex["work_nouns"][low], True
        elif low in lex["org_nouns"]:
            kinds, synonyms, fallback = (Kind.ORGANIZATION,), [low], True
        elif low in lex["place_nouns"]:
            kinds, synonyms, fallback = (Kind.PLACE,), [low], True
        else:
            return None
        if "*" in synonyms:
            return self.recent(token.i, kinds)
        found = self.recent(token.i, kinds, {low}) or self.recent(token.i, kinds, set(synonyms))
        if found is None and fallback:
            found = self.recent(token.i, kinds[:1], limit=200 if kinds[0] is Kind.WORK else 12)
        return found

    def resolve(self, token, topic: str | None) -> str | None:
        """The entity a token stands for: its own mention, an anaphor, or "it" -> ``topic``."""
        eid = self.entity(token)
        if eid is not None:
            return eid
        if token.lower_ in ("it", "its") and token.pos_ == "PRON":
            return topic
        if token.pos_ == "NOUN":
            return self.anaphor(token)
        return None

    def demonym(self, token) -> str | None:
        """The place a demonym names ("Asian" -> Asia), registered with this mention."""
        if token.ent_type_ != "NORP" or token.lower_ not in demonyms():
            return None
        return self.registry.add(Kind.PLACE, demonyms()[token.lower_], span_of(self.doc, token.i, token.i + 1))

    def anaphoric(self, token) -> bool:
        """A noun that refers back to a named thing ("the report", "the foundation")."""
        lex, low = lexicon().words, token.lemma_.lower()
        return any(low in lex[k] for k in ("event_nouns", "work_nouns", "org_nouns", "place_nouns"))

    def is_person(self, token) -> bool:
        eid = self.owner[token.i]
        return eid is not None and self.registry.get(eid).kind is Kind.PERSON
