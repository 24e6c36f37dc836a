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

from ..model import Kind, Span, Unit
from .numbers import Quantity, lexicon
from .registry import EntityRegistry

SUBJECT_KINDS = (Kind.PLACE, Kind.ORGANIZATION, Kind.EVENT, Kind.WORK)
_QUOTES = {"\"", "“", "”", "'"}
_WORD = re.compile(r"[a-z]+")
_SETTING_PREPS = ("at", "in", "during", "for", "on", "to")


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
            longest = 6 if entity.kind is Kind.EVENT and not entity.named else 30  # not a clause
            for m in entity.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and 0 < len(span) <= longest:
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
        """Occurrences of entity names and aliases the registry holds no mention for ("SJTU"
        later in the text): one regular-expression pass over the text."""
        names: dict[str, str] = {}
        for entity in self.registry.entities():
            for name in (entity.name, *entity.aliases):
                if len(name) > 1:
                    names.setdefault(name, entity.id)
        if not names:
            return []
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(
            re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")
        found = []
        for m in pattern.finditer(self.doc.text):
            span = self.doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and all(o is None for o in self.owner[span.start:span.end]):
                eid = names[m.group(0)]
                self.owner[span.start:span.end] = [eid] * len(span)
                found.append((span.start, span.end, eid))
        return found

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
        for tok in doc:  # "the Hang Seng Index", "Global Fintech Hub Report 2020"
            if tok.lower_ in heads and tok.is_title and tok.i > 0 and doc[tok.i - 1].is_title:
                start, end = tok.i, tok.i + 1
                while start > tok.sent.start and not doc[start - 1].is_stop and (
                        doc[start - 1].is_title or doc[start - 1].is_digit or doc[start - 1].text == "-"
                        or start >= 2 and doc[start - 2].text == "-" and doc[start - 1].is_alpha):
                    start -= 1
                if end < n and doc[end].is_digit and len(doc[end].text) == 4:
                    end += 1
                if end - start >= 2 and self.registry.at(doc[start].idx, doc[end - 1].idx + 1) is None:
                    self.registry.add(Kind.WORK, doc[start:end].text, span_of(doc, start, end))
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
               floor: int = 0) -> str | None:
        """The latest mention ending before token i, starting at ``floor`` or later, of one of
        ``kinds`` (whose name has one of ``words``, when given)."""
        k = bisect.bisect_left(self._starts, i)
        for start, end, eid in reversed(self._spans[max(0, k - 400):k]):
            if start < floor:
                break
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
        # (kinds, synonyms, how far back any entity of the first kind may be taken instead)
        if low in lex["event_nouns"]:
            kinds, synonyms, floor = (Kind.EVENT,), lex["event_nouns"][low], None
        elif low in lex["work_nouns"]:
            kinds, synonyms, floor = (Kind.WORK, Kind.EVENT, Kind.ORGANIZATION), lex["work_nouns"][low], 0
        elif low in lex["org_nouns"]:
            kinds, synonyms, floor = (Kind.ORGANIZATION,), [low], token.sent.start
        elif low in lex["place_nouns"]:
            kinds, synonyms, floor = (Kind.PLACE,), [low], token.i - 60
        else:
            return None
        if "*" in synonyms:
            return self.recent(token.i, kinds)
        found = self.recent(token.i, kinds, {low}) or self.recent(token.i, kinds, set(synonyms))
        if found is None and floor is not None:
            found = self.recent(token.i, kinds[:1], floor=floor)
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


def is_clause(tok) -> bool:
    """A verb that heads a clause (not a participle inside a noun phrase: "a nation leading")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    return tok.dep_ not in ("amod", "acl") or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


class SubjectRules:
    """Finding the subject of a figure; mixed into the metric finder, whose state it reads:
    ``doc``, ``registry``, ``mentions``, ``lines`` (line of each token), ``topic`` (what the
    previous sentence was about), ``last`` / ``last_sent`` (the latest figure's subject and
    sentence) and ``sent_no``."""

    # -- subject -----------------------------------------------------------------------------
    def _subject(self, q: Quantity, anchor, sent) -> str | None:
        """Who the figure is about; the order of the search is the module's docstring."""
        m, inside = self.mentions, range(q.start, max(q.end, anchor.i + 1))
        line = self._line(q.start)
        if q.bare:  # "five Chinese cities"
            for child in anchor.children:
                if child.dep_ == "amod" and (found := m.demonym(child)):
                    return found
        tok = anchor
        while not is_clause(tok) and tok.head.i != tok.i:
            for child in tok.children:
                if child.dep_ == "poss" and child.i not in inside:
                    if found := self._poss(child, sent):
                        return found
            if tok.dep_ == "appos" and (found := m.entity(tok.head)):
                return found  # "in Beijing (9654 points)"
            if tok.dep_ == "relcl" and (found := self._which(tok)):
                return found  # "the ceremony, at which 14 start-ups received prizes"
            tok = tok.head
        verb = tok
        if q.start >= 2 and self.doc[q.start - 1].text == "(" and (found := m.entity(self.doc[q.start - 2])):
            return found
        subj, relcl = self._clause_subject(verb)
        opaque = False  # the clause names its own subject, one the article does not name
        if subj is not None and not m.is_person(subj) and self._line(subj.i) == line:
            if subj.i in inside or anchor in subj.subtree and relcl is None:
                found = self._located(anchor, inside)
            else:  # for "funds that will put X", the funds without the relative clause
                hidden = range(relcl.left_edge.i, relcl.right_edge.i + 1) if relcl else inside
                found = self._in_subtree(subj, hidden) or self._group(subj)
                opaque = found is None and (relcl is not None or self._opaque(subj))
            if found:
                return found
        found = self._located(anchor, inside) or self._predicate(verb) or self._setting(verb, inside)
        if found or opaque:
            return found
        gap = self.sent_no - self.last_sent
        if self.last and gap == 0:
            return self.last
        found = self._speaker_org(verb)
        if found:
            return found
        if self.last and gap <= (1 if q.unit is Unit.COUNT else 2):
            return self.last
        found = self._attributed(sent)
        if found or q.unit is not Unit.COUNT:
            return found
        return m.recent(q.start, (Kind.EVENT,))

    def _line(self, i: int) -> int:
        return self.lines[i]

    def _poss(self, tok, sent) -> str | None:
        if tok.lower_ in ("its", "their"):
            for t in reversed(self.doc[sent.start:tok.i]):
                eid = self.mentions.resolve(t, None)
                if eid and self.registry.get(eid).kind is Kind.ORGANIZATION:
                    return eid
            return self.topic if tok.lower_ == "its" else None
        if tok.pos_ == "PRON":
            return None
        return self.mentions.resolve(tok, self.topic) or next(
            (e for t in tok.subtree if (e := self.mentions.entity(t))), None)

    def _clause_subject(self, verb):
        """(subject token, relative clause verb or None): the nsubj of the clause or of the
        clause it is joined to; for a relative clause, the noun it modifies."""
        for _ in range(4):
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                if subj.tag_ == "WDT" or subj.lower_ in ("that", "which", "who"):
                    return (verb.head, verb) if verb.dep_ == "relcl" else (None, None)
                return subj, None
            if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acl") and verb.head.i != verb.i:
                verb = verb.head
            elif verb.dep_ == "ROOT":
                return self.mentions.fragment_before(verb.sent), None
            else:
                return None, None
        return None, None

    def _in_subtree(self, root, inside) -> str | None:
        """The first entity (or anaphor) in a noun phrase, possessives first."""
        toks = [t for t in root.subtree if t.i not in inside and not any(  # not "start-ups from X"
            a.lower_ == "from" and a.dep_ == "prep" for a in t.ancestors if a.i > root.i)]
        for t in toks:
            if t.dep_ == "poss" and (found := self._poss(t, t.sent)):
                return found
        for t in toks:
            if found := self.mentions.resolve(t, self.topic):
                return found
        return None

    def _which(self, tok) -> str | None:
        """The event or report a relative clause "at which" / "in which" is set at."""
        if any(c.dep_ == "prep" and any(g.lower_ in ("which", "whom") for g in c.children)
               for c in tok.children):
            eid = self.mentions.resolve(tok.head, None)
            if eid and self.registry.get(eid).kind in (Kind.EVENT, Kind.WORK):
                return eid
        return None

    def _opaque(self, subj) -> bool:
        """An unresolved subject that still says what the figure is about: "a second edition",
        "the programme", "each of its winners"."""
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") or c.ent_type_ == "NORP" for c in subj.children):
            return True  # "a second edition", "European investors"
        return self.mentions.anaphoric(subj) or any(t.lower_ == "its" for t in subj.subtree)

    def _group(self, subj) -> str | None:
        """A subject that is a kind of place given by a demonym: "Chinese cities are home to"."""
        if subj.tag_ != "NNS" or subj.pos_ != "NOUN" or subj.lemma_.lower() not in lexicon().words["place_nouns"]:
            return None
        mods = [c for c in subj.children if c.dep_ == "amod" and c.ent_type_ == "NORP"]
        if not mods:
            return None
        return self.registry.add(Kind.PLACE, self.doc[mods[0].i:subj.i + 1].text,
                                 span_of(self.doc, mods[0].i, subj.i + 1))

    def _predicate(self, verb) -> str | None:
        """"Twenty-five of the top 50 cities ... are Asian": the place a predicate demonym names."""
        for v in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
            for child in v.children:
                if child.dep_ in ("acomp", "attr") and (found := self.mentions.demonym(child)):
                    return found
        return None

    def _located(self, anchor, inside) -> str | None:
        """A place the measured thing is in: "3,835 firms in Shanghai", "traded in China"."""
        tok = anchor
        for _ in range(4):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "across"):
                    for t in child.subtree:
                        eid = self.mentions.entity(t)
                        if eid and t.i not in inside and self.registry.get(eid).kind is Kind.PLACE:
                            return eid
            if tok.head.i == tok.i or is_clause(tok):
                break
            tok = tok.head
        return None

    def _setting(self, verb, inside) -> str | None:
        """The event or report a clause is set at: "At the expo's exhibition, ...", "the
        ceremony, at which ..."."""
        if verb.dep_ == "relcl" and (found := self._which(verb)):
            return found
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in _SETTING_PREPS or child.dep_ == "dobj":
                for t in child.subtree:
                    eid = None if t.i in inside else self.mentions.resolve(t, None)
                    if eid and self.registry.get(eid).kind in (Kind.EVENT, Kind.WORK):
                        return eid
        return None

    def _attributed(self, sent) -> str | None:
        """The report a sentence cites: "according to the agreement", "the report says"."""
        doc = self.doc
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                for u in doc[t.i + 2:min(sent.end, t.i + 8)]:
                    eid = self.mentions.resolve(u, None)
                    if eid and self.registry.get(eid).kind is Kind.WORK:
                        return eid
            if t.lemma_ in ("say", "find", "show") and t.i > sent.start:
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                eid = self.mentions.resolve(subj, None) if subj is not None else None
                if eid and self.registry.get(eid).kind is Kind.WORK:
                    return eid
        return None

    def _speaker_org(self, verb) -> str | None:
        """A figure someone reports in a clause under "said" or "pointing out": the organisation
        the speaker's title names ("X, the HKSAR Government's Under Secretary, said ...")."""
        for _ in range(4):
            if verb.dep_ not in ("ccomp", "advcl", "conj") or verb.head.i == verb.i:
                break
            verb = verb.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None and self.mentions.is_person(subj):
                for t in subj.subtree:
                    eid = self.mentions.entity(t)
                    if eid and self.registry.get(eid).kind is Kind.ORGANIZATION:
                        return eid
                return None
        return None

