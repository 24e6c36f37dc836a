"""Events of one article: their mentions in reading order, parents, dates and places, and the
event each sentence is about (its focus), which :mod:`.roles` attaches participants to.

- named events come from the entity index; unnamed ones ("a project roadshow", "a number of
  signing activities") and definite kinds ("the signing ceremony") from the phrase spans;
  anaphors ("the forum", "the national contest") resolve to the latest event of that head
  word or kind;
- parents: a name nested in another ("sub-forum of the X Forum"), "A of the B", "its
  sub-event the X", "one of its sessions, the X", "one of the centerpieces of B", "held
  at/during B"; an unnamed opening ceremony, session or roadshow belongs to the event in focus;
- date: a DATE entity of the sentence that names the event in focus, resolved against the
  publication date (or the year the event's name gives); place: a venue, else a city the
  event was held "in"; sub-events inherit both."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import EventKind, Kind
from ..model import Span as ModelSpan
from .buckets import EntsWithin, SpansBySentence
from .dates import resolve
from .entity_index import TokenIndex, span_of
from .header import Header
from .lexicon import words
from .registry import EntityRegistry



@dataclass
class Mention:
    start: int
    end: int
    eid: str
    explicit: bool = True  # a name or phrase, not an anaphor


@dataclass
class Sentence:
    start: int
    end: int
    mentions: list[Mention] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)


class Events:
    """Finds and links the events of one Doc."""

    def __init__(self, doc: Doc, header: Header, registry: EntityRegistry, index: TokenIndex) -> None:
        self.doc, self.header, self.registry, self.index = doc, header, registry, index
        self.ents = EntsWithin(doc)  # doc[a:b].ents without reading all of doc.ents each time
        self.lex = words()
        self.sentences: list[Sentence] = []
        self.order: list[str] = []  # event ids by latest mention
        self.headline: list[str] = []  # events the headline names
        self.recalled: set[str] = set()  # unnamed past occasions someone recalls (phrases.recalled_events)

    # ------------------------------------------------------------ mentions
    def collect(self) -> None:
        """Event mentions sentence by sentence, with each sentence's parents and focus."""
        doc, reg = self.doc, self.registry
        spans = {sp.start: sp for sp in doc.spans["kg_event"] if sp.label_[0] in "~=!"}
        refs = {sp.start: sp for sp in doc.spans["kg_event_ref"]}
        named = sorted((s, e, eid) for s, e, eid in self.index.spans if reg.get(eid).kind is Kind.EVENT)
        ni = 0
        for sent in doc.sents:
            if not self.header.is_content(sent.start_char) or sent.text.strip() == "":
                while ni < len(named) and named[ni][0] < sent.end:
                    if sent.start_char < self.header.body_start and named[ni][2] not in self.order:
                        self.order.append(named[ni][2])  # named in the headline: "the forum" may mean it
                        self.headline.append(named[ni][2])
                    ni += 1
                continue
            current = Sentence(sent.start, sent.end)
            while ni < len(named) and named[ni][0] < sent.end:
                s, e, eid = named[ni]
                ni += 1
                current.mentions.append(Mention(s, e, eid))
            for k in range(sent.start, sent.end):
                if k in spans:
                    eid = self._phrase(spans[k])
                    if eid:
                        current.mentions.append(Mention(spans[k].start, spans[k].end, eid))
                elif k in refs:
                    eid = self._anaphor(refs[k].label_, current)
                    if eid:
                        current.mentions.append(Mention(k, k + 1, eid, explicit=False))
            current.mentions.sort(key=lambda m: m.start)
            self._link_sentence(current)
            self._focus_sentence(current)
            for m in sorted(current.mentions, key=lambda m: (m.end, m.end - m.start)):
                if m.eid in self.order:
                    self.order.remove(m.eid)
                self.order.append(m.eid)
            self.sentences.append(current)

    def _phrase(self, sp) -> str | None:
        """An unnamed event phrase: a new event, or (definite) the article's event of its kind."""
        kind = EventKind(sp.label_[1:])
        if sp.label_[0] == "=":
            phrase = sp.text.lower()
            for eid in reversed(self.order):
                ent = self.registry.get(eid)
                if ent.event_kind is kind and (kind is not EventKind.CEREMONY or phrase in ent.name.lower()
                                               or ent.name.lower() in phrase and not ent.named):
                    if not ent.named and len(sp.text) > len(ent.name):
                        ent.name = " ".join(sp.text.lower().split())
                    return eid
        if len(sp) == 1 and (same := next((eid for eid in reversed(self.order) if self.registry.get(eid).named and
                                           self.registry.get(eid).name.lower().split()[-1] == sp.text.lower()), None)):
            return same  # "run a roadshow" after the "2024 X Founders' Roadshow": that one
        name = " ".join(sp.text.split())
        name = name[0].lower() + name[1:] if not sp[0].is_upper else name
        eid = self.registry.add(Kind.EVENT, name, span_of(self.doc, sp.start, sp.end), event_kind=kind)
        self.registry.get(eid).named = False
        if sp.label_[0] == "!":
            self.recalled.add(eid)  # a past occasion someone recalls: part of no event in focus
        return eid

    def _anaphor(self, phrase: str, sent: Sentence) -> str | None:
        """The event "the [main] forum" speaks of: the latest one named with the whole phrase,
        else the article's first event in focus or the latest one with its head word, else of
        the head word's kind, else the one in focus."""
        latest = phrase.startswith("@")  # "that ceremony": the latest, not the article's own
        phrase = phrase.lstrip("@")
        word = phrase.split()[-1]
        kind = self.lex.event_heads.get(word)
        recent = [m.eid for m in sent.mentions] + list(reversed(self.order))
        if " " in phrase:
            for eid in recent:
                if phrase in self.registry.get(eid).name.lower():
                    return eid
        main = [] if latest else next((s.focus for s in self.sentences if s.focus), [])
        for eid in main + recent:  # the article's own event first: "the forum" is the forum it is about
            if re.search(rf"\b{re.escape(word)}", self.registry.get(eid).name.lower()):
                return eid
        for eid in recent:
            if kind and self.registry.get(eid).event_kind is EventKind(kind):
                return eid
        focus = self.last_focus()
        return focus[0] if focus else None

    def focus_at(self, token: int) -> str | None:
        """The named event the article is about at ``token``: the focus of the latest sentence
        before it that has one (an unnamed event stands for its named parent)."""
        for s in reversed(self.sentences):
            if s.start > token or not s.focus:
                continue
            eid: str | None = s.focus[0]
            while eid and not self.registry.get(eid).named:
                eid = self.registry.get(eid).parent
            if eid:
                return eid
        return None

    def only_recalled(self, focus: list[str]) -> bool:
        """Whether a sentence's focus is only past occasions someone recalls: they hold for
        that sentence, never for the ones after it."""
        return set(focus) <= self.recalled

    def last_focus(self) -> list[str]:
        """The focus of the latest sentence that has one (not a past occasion someone recalled)."""
        for s in reversed(self.sentences):
            if s.focus and not self.only_recalled(s.focus):
                return s.focus
        return []

    # ------------------------------------------------------------ structure
    def _root(self, m: Mention):
        """The syntactic head of a mention."""
        tok = self.doc[m.start]
        while tok.head.i != tok.i and m.start <= tok.head.i < m.end:
            tok = tok.head
        return tok

    def _link_sentence(self, sent: Sentence) -> None:
        """Parents from nesting, "A of the B", "its sub-event the X", "held at/during B"."""
        doc, reg = self.doc, self.registry
        ms = [m for m in sent.mentions if m.explicit]
        for a in ms:
            for b in ms:
                if a is b or a.eid == b.eid:
                    continue
                if a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end):
                    self._parent(a.eid, b.eid)
                gap = doc[a.end:b.start].text.lower().split()
                if gap in (["of", "the"], ["of"]) and reg.get(a.eid).named:
                    self._parent(a.eid, b.eid)
        for m in sent.mentions:
            root = self._root(m)
            prev = doc[max(sent.start, m.start - 5):m.start]
            prev_words = prev.text.lower().replace(" - ", "-").replace(",", " ").split()
            if any(w in self.lex.sub_markers for w in prev_words) and any(w in ("its", "their") for w in prev_words):
                owner = self._subject_before(sent, m)
                if owner:
                    self._parent(m.eid, owner)
            prep = root.head if root.dep_ == "pobj" else None
            if prep is not None and prep.lower_ == "of" and prep.head.lower_ in self.lex.sub_markers:
                owner = self._subject_before(sent, m)
                if owner:
                    self._parent(owner, m.eid)
            if prep is not None and prep.lower_ in ("at", "during") and prep.head.pos_ in ("VERB", "AUX"):
                linked = False
                for other in sent.mentions:
                    if other.eid != m.eid and self._subject_of(other) == prep.head.i:
                        self._parent(other.eid, m.eid)
                        linked = True
                    elif other.eid != m.eid and other.start < m.start and prep.head.dep_ == "acl" and \
                            other.start <= prep.head.head.i < other.end:
                        self._parent(other.eid, m.eid)
                        linked = True
                before = {o.eid for o in ms if o.end <= m.start and o.eid != m.eid}
                if not linked and len(before) == 1 and prep.lower_ == "during":  # "a briefing, held ... during X"
                    self._parent(before.pop(), m.eid)

    def link(self) -> None:
        """Unnamed opening ceremonies, sessions and roadshows, events a phrase names ("the
        inauguration ceremony for the X Hub"), and named sub-forums belong to the event in
        focus."""
        reg = self.registry
        for sent in self.sentences:
            for m in sent.mentions:
                ent = reg.get(m.eid)
                if ent.named and ent.event_kind is EventKind.SUBFORUM and ent.parent is None:
                    owner = [f for f in sent.focus if f != m.eid and reg.get(f).event_kind is not EventKind.SUBFORUM]
                    owner = owner or [f for f in self._previous_focus(sent) if f != m.eid]
                    if owner:
                        self._parent(m.eid, owner[0])
            for m in sent.mentions:
                ent = reg.get(m.eid)
                phrase = ent.named and ent.name[:1].islower()  # "inauguration ceremony for the X Hub"
                if ent.named and not phrase or ent.parent or m.eid in self.recalled:
                    continue
                focus = [f for f in sent.focus if f != m.eid and reg.get(f).named and not reg.get(f).name[:1].islower()]
                if not focus:
                    focus = [f for f in self._previous_focus(sent) if f != m.eid]
                if focus and not (ent.date and reg.get(focus[0]).date and ent.date != reg.get(focus[0]).date):
                    self._parent(m.eid, focus[0])  # a ceremony or contest of the event the article is about

    def _subject_of(self, m: Mention) -> int | None:
        """The verb a mention is the subject of, through "a number of X" and appositions."""
        tok = self._root(m)
        for _ in range(4):
            if tok.dep_ in ("nsubj", "nsubjpass"):
                return tok.head.i
            if tok.dep_ in ("pobj", "prep", "appos") and tok.head.i != tok.i:
                tok = tok.head
                continue
            return None
        return None

    def _previous_focus(self, sent: Sentence) -> list[str]:
        """The nearest earlier named event in focus (an unnamed one stands for its parent)."""
        i = self.sentences.index(sent)
        for s in reversed(self.sentences[:i]):
            for eid in s.focus:
                while eid and not self.registry.get(eid).named:
                    eid = self.registry.get(eid).parent
                if eid:
                    return [eid]
        return []

    def _subject_before(self, sent: Sentence, m: Mention) -> str | None:
        """The event a sub-event phrase ("its sub-event", "one of its sessions") belongs to."""
        before = [o for o in sent.mentions if o.start < m.start and o.eid != m.eid]
        for o in before:
            if self._subject_of(o) is not None:
                return o.eid
        parents = {self.registry.get(o.eid).parent for o in before}
        for o in before:
            if o.eid not in parents:
                return o.eid
        return before[0].eid if before else None

    def awards(self) -> None:
        """"The X Award 2018 presentation ceremony": a named award's ceremony is part of the
        award, which is an event of its own (an edition year between them stays with the
        ceremony)."""
        lex = self.lex
        for ent in self.registry.entities():
            words = ent.name.split()
            if ent.kind is not Kind.EVENT or not ent.named or len(words) < 3 or words[-1].lower() != "ceremony" \
                    or not ent.mentions:
                continue
            k = len(words) - 2
            k -= words[k].lower() in lex.award_ceremony_words and k > 1
            k -= re.fullmatch(r"(19|20)\d\d", words[k]) is not None and k > 1
            if k < 1 or words[k].lower() not in lex.award_heads or not words[k][:1].isupper():
                continue
            m, name = ent.mentions[0], " ".join(words[:k + 1])
            text = self.doc.text[m.start:m.end]
            at = m.start + max(text.find(words[0]), 0)
            end = at + len(name) if self.doc.text[at:at + len(name)] == name else m.end
            award = self.registry.add(Kind.EVENT, name, ModelSpan(at, end, m.sentence, m.sentence_start),
                                      event_kind=EventKind.CEREMONY)
            self._parent(ent.id, award)

    def _parent(self, child: str, parent: str) -> None:
        """Make ``parent`` the parent of ``child`` unless it has one or a cycle would follow."""
        if child == parent:
            return
        p = parent
        while p:  # no cycles
            if p == child:
                return
            p = self.registry.get(p).parent
        ent = self.registry.get(child)
        if ent.parent is None:
            ent.parent = parent

    def _focus_sentence(self, sent: Sentence) -> None:
        """The events a sentence is about: its subjects, else its innermost events."""
        doc = self.doc
        ms = sent.mentions
        if not ms:
            return
        inner = [m for m in ms if not any(o is not m and o.start <= m.start and m.end <= o.end
                                          and (o.start, o.end) != (m.start, m.end) for o in ms)]
        subjects = []
        for m in inner:
            tok = self._root(m)
            while tok.dep_ == "appos" and tok.head.i != tok.i:
                tok = tok.head
            if tok.dep_ in ("nsubj", "nsubjpass"):
                subjects.append(m.eid)
        if subjects:
            together = [m.eid for m in inner if self._root(m).dep_ == "pobj" and self._root(m).head.lower_ == "with"
                        and self.registry.get(m.eid).parent not in subjects and m.eid not in subjects
                        and doc[self._root(m).head.i - 1].lower_ in ("together", "along", "alongside")]
            sent.focus = list(dict.fromkeys(subjects + together))
            return
        parents = {self.registry.get(m.eid).parent for m in inner}
        sent.focus = list(dict.fromkeys(m.eid for m in inner if m.eid not in parents))

    # ------------------------------------------------------------ when and where
    def when_where(self, published: str | None) -> None:
        """Dates and places of the events in focus; sub-events inherit their parent's."""
        reg = self.registry
        spans = SpansBySentence(self.index.spans, self.sentences)
        for i, sent in enumerate(self.sentences):
            if not sent.focus:
                continue
            dates = [e for e in self.ents.within(sent.start, sent.end) if e.label_ in ("DATE", "TIME")]
            venues = [(s, e, eid) for s, e, eid in spans.of(i) if reg.get(eid).kind is Kind.PLACE]
            prev = self.sentences[i - 1] if i else None
            if not dates and prev is not None and not prev.mentions:
                dates = [e for e in self.ents.within(prev.start, prev.end) if e.label_ == "DATE"]
            for eid in sent.focus[:1]:
                ent = reg.get(eid)
                year = re.search(r"\b(19|20)\d\d\b", ent.name)
                for d in dates:
                    iso = resolve(d.text, published, int(year[0]) if year else None)
                    if iso and ent.date is None:
                        ent.date = iso
                        break
                if ent.location is None and venues:
                    ent.location = self._place(venues)

    def inherit(self) -> None:
        """Sub-events without a date or place of their own take their parent's."""
        reg = self.registry
        for ent in reg.entities():
            if ent.kind is Kind.EVENT and ent.parent:
                parent = reg.get(ent.parent)
                ent.date = ent.date or parent.date
                ent.location = ent.location or parent.location

    def when_where_one(self, eid: str, sent: Sentence) -> None:
        """Date an event from one sentence (a signing the sentence tells without naming it)."""
        ent = self.registry.get(eid)
        for d in self.ents.within(sent.start, sent.end):
            if d.label_ in ("DATE", "TIME"):
                iso = resolve(d.text, self.header.published)
                if iso:
                    ent.date = iso
                    return

    def _place(self, venues: list[tuple[int, int, str]]) -> str | None:
        """The venue a sentence names, else a city the event is "in"."""
        doc = self.doc
        for s, e, eid in venues:
            if any(w in self.lex.venue_heads for w in self.registry.get(eid).name.lower().split()) or \
                    " ".join(self.registry.get(eid).name.lower().split()[-2:]) in self.lex.venue_pairs:
                return eid
        for s, e, eid in venues:
            k = s - 1 - (s > 1 and doc[s - 1].lower_ == "the")
            if k >= 0 and doc[k].lower_ in ("in", "at") and doc[k].head.pos_ in ("VERB", "AUX") and \
                    doc[k].head.dep_ in ("ROOT", "conj", "relcl", "acl", "advcl"):
                return eid
        return None


def linked(doc: Doc, header: Header, registry: EntityRegistry, index: TokenIndex) -> Events:
    """Find the events and link them: parents, dates, places, each sentence's focus."""
    events = Events(doc, header, registry, index)
    events.collect()
    events.awards()
    events.when_where(header.published)
    events.link()
    first = next((s.focus[0] for s in events.sentences if s.focus), None)
    if header.dateline and first and registry.get(first).location is None and not registry.get(first).parent:
        registry.get(first).location = registry.find(header.dateline[0], Kind.PLACE)  # filed from where it is
    events.inherit()
    return events
