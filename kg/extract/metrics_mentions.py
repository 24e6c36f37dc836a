"""The article's entity mentions indexed by token, with the anaphors news text uses for them
("the report", "the expo's", "It"): what :mod:`.metrics_subjects` picks a figure's subject from.

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
from .lexicon import words
from .numbers import lexicon
from .registry import EntityRegistry

SUBJECT_KINDS = (Kind.PLACE, Kind.ORGANIZATION, Kind.EVENT, Kind.WORK)
_QUOTES = {"\"", "“", "”", "'"}
_WORD = re.compile(r"[a-z]+")
_WORD_CASED = re.compile(r"\w+")
_YEAR_IN_NAME = re.compile(r"\b(?:19|20)\d\d\b")


@lru_cache(maxsize=1)
def demonym_lexicon() -> dict:
    """lexicon/metrics_demonyms.json, read on first use."""
    path = Path(__file__).with_name("lexicon") / "metrics_demonyms.json"
    return json.loads(path.read_text(encoding="utf-8"))


def demonyms() -> dict[str, str]:
    """"german" -> "Germany"."""
    return demonym_lexicon()["demonyms"]


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
            joined = ent[-1].text == "-" or ent[-1].whitespace_ == "" and ent.end < len(doc) and \
                doc[ent.end].text == "-" or ent.start > 0 and doc[ent.start - 1].text == "-" and \
                doc[ent.start - 2].whitespace_ == ""  # "Norvale-Eastbay-Rivertown": part of a name
            if ent.label_ in ("GPE", "LOC") and end > ent.start and not joined and \
                    registry.at(ent.start_char, ent.end_char) is None and \
                    registry.find(doc[ent.start:end].text) is None:  # "EastU": an alias already
                registry.add(Kind.PLACE, doc[ent.start:end].text, span_of(doc, ent.start, end))
        self._add_place_names()
        self._add_works()
        self.org_topic: str | None = None  # the organisation the latest sentences were about
        self.owner: list[str | None] = [None] * len(doc)
        spans = []
        dateline = doc.user_data.get("kg_dateline", (0, 0))  # the place filed from is no figure's subject
        for entity in registry.entities():
            longest = 6 if entity.kind is Kind.EVENT and not entity.named else 30  # not a clause
            for m in entity.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and 0 < len(span) <= longest and not dateline[0] <= m.start < dateline[1]:
                    spans.append((span.start, span.end, entity.id))
        for start, end, eid in sorted(spans, key=lambda s: s[1] - s[0]):
            self.owner[start:end] = [eid] * (end - start)
        spans += self._unrecorded()
        self._spans = sorted(spans)
        self._starts = [s[0] for s in self._spans]
        self._words = {e.id: set(_WORD.findall(e.name.lower())) for e in registry.entities()}
        self.lines, line = [], 0  # line number of each token: a subject never crosses a line
        for t in doc:
            self.lines.append(line)
            line += "\n" in t.text or "\n" in t.whitespace_

    def fragment_before(self, sent):
        """The name the parser split off the front of this sentence ("Avalon" | "topped the
        index"): the root of a short previous sentence on the same line, else None."""
        if sent.start == 0 or any(c.dep_ in ("nsubj", "nsubjpass") for c in sent.root.children):
            return None
        prev = self.doc[sent.start - 1].sent
        if len(prev) <= 5 and prev.root.pos_ == "PROPN" and self.lines[prev.start] == self.lines[sent.start]:
            return prev.root
        return None

    def _unrecorded(self) -> list[tuple[int, int, str]]:
        """Occurrences of entity names and aliases the registry holds no mention for ("EBU"
        later in the text): names indexed by their first word, tried where a token has it."""
        by_first: dict[str, list[tuple[str, str]]] = {}
        for entity in self.registry.entities():
            for name in (entity.name, *entity.aliases):
                first = _WORD_CASED.match(name)
                if len(name) > 1 and first:
                    by_first.setdefault(first.group(0), []).append((name, entity.id))
        for names in by_first.values():
            names.sort(key=lambda item: -len(item[0]))
        text, found = self.doc.text, []
        for tok in self.doc:
            if self.owner[tok.i] is not None or tok.text not in by_first:
                continue
            for name, eid in by_first[tok.text]:
                end = tok.idx + len(name)
                if text.startswith(name, tok.idx) and not (end < len(text) and text[end].isalnum()):
                    span = self.doc.char_span(tok.idx, end, alignment_mode="expand")
                    if span is not None and all(o is None for o in self.owner[span.start:span.end]):
                        self.owner[span.start:span.end] = [eid] * len(span)
                        found.append((span.start, span.end, eid))
                    break
        return found

    def _add_place_names(self) -> None:
        """Register "Norvale District", "Hetang County": capitalised words ended by a capitalised
        place word, when no longer name goes on ("the Norvale District Committee"), with the
        words before the place word as an alias ("Norvale's GDP")."""
        doc, places = self.doc, words().place_words - {"country"}
        for tok in doc:
            if tok.lower_ not in places or not tok.text[:1].isupper() or tok.i == 0:
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and (nxt.text[:1].isupper() and nxt.is_alpha or nxt.lower_ == "of"):
                continue  # "District Committee", "City of London"
            start = tok.i
            while start > 0 and tok.i - start < 3 and doc[start - 1].pos_ == "PROPN" and \
                    doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
                start -= 1
            if start == tok.i or start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
                    and doc[start - 1].lower_ != "the" or start == doc[start].sent.start and start == tok.i - 1 \
                    and doc[start].lower_ in lexicon().ordinals:
                continue
            name = doc[start:tok.i + 1].text
            eid = self.registry.at(doc[start].idx, tok.idx + len(tok.text))
            if eid is not None and (self.registry.get(eid).kind is not Kind.PLACE or self.registry.get(eid).name != name):
                continue
            eid = eid or self.registry.add(Kind.PLACE, name, span_of(doc, start, tok.i + 1))
            base = doc[start:tok.i].text
            if self.registry.find(base) is None:
                self.registry.add_alias(eid, base)

    def _add_works(self) -> None:
        """Register reports, indexes and agreements the text names: a quoted title ending in (or
        followed by) a work noun, or a capitalised name whose head is one."""
        doc, heads = self.doc, set(lexicon().words["work_heads"])
        texts = [t.text for t in doc]
        i, n = 0, len(texts)
        while i < n:
            if texts[i] in _QUOTES:
                j = i + 1
                while j < n and j - i < 25 and texts[j] not in _QUOTES and texts[j] != "\n":
                    j += 1
                if j < n and texts[j] in _QUOTES and j > i + 1 and texts[i + 1].istitle():
                    after = texts[j + 1].lower() if j + 1 < n else ""
                    if texts[j - 1].lower() in heads or after in heads:
                        self.registry.add(Kind.WORK, doc[i + 1:j].text, span_of(doc, i + 1, j))
                    i = j
            i += 1
        for k, text in enumerate(texts):  # "the Hang Seng Index", "Rivertown Startup Outlook 2021"
            if text.lower() not in heads or not text.istitle() or k == 0 or not texts[k - 1].istitle():
                continue
            tok = doc[k]
            if tok.is_title:
                start, end = tok.i, tok.i + 1
                while start > tok.sent.start and (
                        not doc[start - 1].is_stop and (doc[start - 1].is_title or doc[start - 1].is_digit
                                                        or doc[start - 1].text == "-")
                        or start >= 2 and doc[start - 2].text == "-" and doc[start - 1].is_alpha
                        or start >= 2 and doc[start - 1].lower_ in ("and", "of", "for", "&")
                        and doc[start - 2].is_title and doc[start - 2].i > tok.sent.start):
                    start -= 1
                if end < n and doc[end].is_digit and len(doc[end].text) == 4:
                    end += 1
                known = self.registry.at(doc[start].idx, doc[end - 1].idx + 1)
                if end - start >= 2 and (known is None or self.registry.get(known).kind is Kind.PLACE):
                    self.registry.add(Kind.WORK, doc[start:end].text, span_of(doc, start, end))
        for sp in doc.spans.get("kg_work", []):  # products and plans the tagger called ORG
            if self.registry.at(doc[sp.start].idx, doc[sp.end - 1].idx + 1) is None:
                self.registry.add(Kind.WORK, sp.text, span_of(doc, sp.start, sp.end))
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
        if entity.kind is Kind.EVENT and not entity.named:
            return entity.parent  # "the signing": its named event, else no subject
        return eid

    def spans_from(self, char: int) -> list[tuple[int, int, str]]:
        """The mentions (start token, end token, entity id) from character ``char`` on, in order."""
        return [sp for sp in self._spans if self.doc[sp[0]].idx >= char]

    def recent(self, i: int, kinds: tuple[Kind, ...], words: set[str] | None = None,
               floor: int = 0, dated: bool = False, before: str | None = None,
               itself: bool = False) -> str | None:
        """The latest mention ending before token i, starting at ``floor`` or later, of one of
        ``kinds`` (whose name has one of ``words``, when given; a year, when ``dated``; whose
        next word is ``before``, when given: "Norvale province"). An unnamed event stands for
        its parent unless ``itself``."""
        k = bisect.bisect_left(self._starts, i)
        for start, end, eid in reversed(self._spans[max(0, k - 400):k]):
            if start < floor:
                break
            if end > i:
                continue
            entity = self.registry.get(eid)
            if dated and not _YEAR_IN_NAME.search(entity.name) or before is not None and (
                    end >= len(self.doc) or self.doc[end].lower_ != before):
                continue
            if entity.kind in kinds and (words is None or self._words[eid] & words):
                return eid if itself else self.entity(self.doc[start]) or eid
        return None

    def anaphor(self, token) -> str | None:
        """"the report", "the expo", "this forum", "the foundation": the latest entity such a
        definite noun refers to: one whose name has the noun, else a synonym, else (reports and
        organisations) the latest of the kind."""
        lex = lexicon().words
        low = token.lemma_.lower()
        definite = ("the", "this", "that", "its", "their")
        noun = token.tag_ == "NN" or token.pos_ == "ADJ" and token.dep_ in (  # "The fair" tagged JJ
            "nsubj", "nsubjpass", "dobj", "pobj", "poss")
        if not noun or not any(c.dep_ in ("det", "poss") and c.lower_ in definite
                   for c in token.children):
            return None
        # (kinds, synonyms, how far back any entity of the first kind may be taken instead)
        if low in lex["event_nouns"]:
            kinds, synonyms, floor = (Kind.EVENT,), lex["event_nouns"][low], None
        elif low in lex["work_nouns"]:
            kinds, synonyms, floor = (Kind.WORK, Kind.EVENT, Kind.ORGANIZATION), lex["work_nouns"][low], 0
        elif low in lex["org_nouns"] or low in lex["company_nouns"]:
            kinds, synonyms, floor = (Kind.ORGANIZATION,), [low], token.sent.start
        elif low in lex["place_nouns"]:  # "the city" is the latest city; "the province" needs its name
            kinds, synonyms = (Kind.PLACE,), [low]
            floor = token.i - 60 if low in lex["vague_place_nouns"] else None
        else:
            return None
        if "*" in synonyms:
            return self.recent(token.i, kinds)
        found = self.recent(token.i, kinds, {low}) or self.recent(token.i, kinds, set(synonyms))
        if found is None and kinds == (Kind.PLACE,):  # "the province" after "Norvale province"
            found = self.recent(token.i, kinds, before=token.lower_)
        if found is None and floor is not None:
            found = self.recent(token.i, kinds[:1], floor=floor)
        if found is None and low in lex["company_nouns"]:
            found = self.org_topic  # "The stock rose": the company the story follows
        return found

    def resolve(self, token, topic: str | None) -> str | None:
        """The entity a token stands for: its own mention, an anaphor, or "it" -> ``topic``."""
        eid = self.entity(token)
        if eid is not None:
            return eid
        if token.lower_ in ("it", "its") and token.pos_ == "PRON":
            return topic
        if token.pos_ in ("NOUN", "ADJ"):
            return self.anaphor(token)
        return None

    def demonym(self, token) -> str | None:
        """The place a demonym names ("European" -> Europe), registered with this mention."""
        if token.ent_type_ != "NORP" or token.lower_ not in demonyms():
            return None
        span = span_of(self.doc, token.i, token.i + 1)
        return self.registry.add(Kind.PLACE, demonyms()[token.lower_], span)

    def people_of(self, token) -> str | None:
        """The country a people is named after ("Kenyans" -> Kenya): a plural noun that is a
        demonym plus "s", tagged as a nationality, registered with this mention."""
        low = token.lower_
        if token.ent_type_ != "NORP" or token.tag_ not in ("NNS", "NNPS") or not low.endswith("s") \
                or low[:-1] not in demonyms():
            return None
        return self.registry.add(Kind.PLACE, demonyms()[low[:-1]], span_of(self.doc, token.i, token.i + 1))

    def anaphoric(self, token) -> bool:
        """A noun that refers back to a named thing ("the report", "the foundation")."""
        lex, low = lexicon().words, token.lemma_.lower()
        return any(low in lex[k] for k in ("event_nouns", "work_nouns", "org_nouns", "place_nouns"))

    def is_person(self, token) -> bool:
        eid = self.owner[token.i]
        return eid is not None and self.registry.get(eid).kind is Kind.PERSON
