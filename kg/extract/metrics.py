"""Metrics: the figures an article reports about a subject (money, percentages, counts, index
scores, ranks), as :class:`~kg.model.Observation` values.

One pass over the quantities :func:`kg.extract.numbers.scan` finds; each is kept only when the
dependency parse ties it to a subject the article names (a place, organisation, event or
report), found in this order: a possessive on the measured noun ("Shanghai's spending"), the
clause's grammatical subject, a location ("loans ... in Shanghai"), the event or report the
clause is set at or attributed to, then the subject of the previous figure.
"""
from __future__ import annotations

import re

from ..model import Kind, Observation, Unit, Value
from .metrics_ranks import list_ranks, ordinal_ranks
from .metrics_subjects import Mentions, span_of
from .numbers import Quantity, lexicon, ordinal_value, scan
from .registry import EntityRegistry

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_NAME_LABELS = ("ORG", "EVENT", "WORK_OF_ART", "FAC", "LAW", "PRODUCT", "PERSON")
_SETTING_PREPS = ("at", "in", "during", "for", "on", "to")


def find_observations(doc, registry: EntityRegistry, published: str | None) -> list[Observation]:
    """Every metric the article states about a subject it names."""
    return _Finder(doc, registry, published).run()


class _Finder:
    def __init__(self, doc, registry: EntityRegistry, published: str | None) -> None:
        self.doc, self.registry = doc, registry
        self.mentions = Mentions(doc, registry)
        self.published = int(published[:4]) if published and published[:4].isdigit() else None
        self.last: str | None = None  # subject of the latest figure
        self.last_sent = -9
        self.last_rank = 0
        self.topic: str | None = None  # what the previous sentence was about, for "It"
        self.sent_no = 0
        text = doc.text
        lead = len(text) - len(text.lstrip())
        self.body_start = text.find("\n", lead) if "\n" in text[lead:] else 0  # skip the title
        self.lines, line = [], 0  # line number of each token: a subject never crosses a line
        for t in doc:
            self.lines.append(line)
            line += "\n" in t.text or "\n" in t.whitespace_

    def run(self) -> list[Observation]:
        quantities = scan(self.doc)
        out: list[Observation] = []
        k = 0
        for n, sent in enumerate(self.doc.sents):
            here = []
            while k < len(quantities) and quantities[k].num_start < sent.end:
                if self.doc[quantities[k].num_start].idx >= self.body_start:
                    here.append(quantities[k])
                k += 1
            if sent.end_char <= self.body_start:
                continue
            self.sent_no = n
            out += self._ranks(sent)
            out += self._quantities(sent, here)
            root = self._clause_subject(sent.root)
            self.topic = self.mentions.resolve(root, self.topic) if root is not None else None
        seen, unique = set(), []
        for o in out:  # a figure repeated (a lead restating the body) is one fact
            key = (o.subject, tuple((v.number, v.unit) for v in o.values))
            if key not in seen:
                seen.add(key)
                unique.append(o)
        return unique

    # -- ranks -------------------------------------------------------------------------------
    def _ranks(self, sent) -> list[Observation]:
        ranks = ordinal_ranks(self.mentions, sent, set())
        ranks += list_ranks(self.mentions, sent, self.last_rank, ranks)
        if ranks:
            self.last_rank = max(r.value for r in ranks)
        out = []
        work = self.mentions.recent(sent.end, (Kind.WORK,))
        measure = f"rank in {self.registry.get(work).name}" if work else "rank"
        year = self._year(sent, sent.start, sent.end) or self._work_year(work) or self.published
        for r in sorted(ranks, key=lambda r: r.start):
            text = self.doc[r.start:r.end].text
            for eid in r.subjects:
                out.append(Observation(eid, measure, [Value(float(r.value), Unit.RANK, text)], year,
                                       span_of(self.doc, r.start, r.end)))
        return out

    # -- money, percentages, points, counts ---------------------------------------------------
    def _quantities(self, sent, quantities: list[Quantity]) -> list[Observation]:
        out, skip = [], set()
        quantities = sorted(quantities + self._anniversaries(sent), key=lambda q: q.start)
        for idx, q in enumerate(quantities):
            if idx in skip:
                continue
            values = [Value(q.value, q.unit, q.text, q.approximate)]
            if q.unit.currency and idx + 1 < len(quantities):
                nxt = quantities[idx + 1]
                gap = self.doc[q.end:nxt.start]
                if nxt.unit.currency and nxt.unit != q.unit and len(gap) <= 2 and \
                        any(t.text in "(/" for t in gap):
                    values.append(Value(nxt.value, nxt.unit, nxt.text, nxt.approximate))
                    skip.add(idx + 1)
            anchor = self._anchor(q)
            if anchor is None:
                continue
            subject = self._subject(q, anchor, sent)
            if subject is None:
                continue
            self.last, self.last_sent = subject, self.sent_no
            end = max(q.end, anchor.i + 1) if q.bare else q.end
            out.append(Observation(subject, self._measure(q, anchor), values,
                                   self._year(sent, q.start, q.end) or self._context_year(q.start),
                                   span_of(self.doc, q.start, end)))
        return out

    def _anniversaries(self, sent) -> list[Quantity]:
        """"its 110th anniversary": an ordinal before "anniversary" counts the years."""
        out = []
        for tok in sent:
            if tok.i + 1 < sent.end and self.doc[tok.i + 1].lower_ == "anniversary":
                value = ordinal_value(tok)
                if value and value > 1:
                    out.append(Quantity(tok.i, tok.i, tok.i + 2, float(value), Unit.COUNT, False,
                                        self.doc[tok.i:tok.i + 2].text, True))
        return out

    def _anchor(self, q: Quantity):
        """The token a figure hangs from: the noun a count quantifies, else the unit's head."""
        doc, words = self.doc, lexicon().words
        last = doc[q.end - 1]
        if not q.bare:
            return last if last.head.i < q.num_start or last.head.i >= q.end else last.head
        if last.lower_ == "anniversary":
            return last
        num = doc[q.num_start]
        if q.value < 2 or (q.value != int(q.value)) or num.ent_type_ in _NAME_LABELS:
            return None
        if _YEAR.match(num.text) or (num.ent_type_ in ("DATE", "TIME") and not self._durable(q)):
            return None
        before = doc[q.start - 1] if q.start > num.sent.start else None
        if before is not None and (before.lower_ in ("the", "these", "those", "top", "no", "no.")
                                   or before.tag_ in ("PRP$", "NNP") or before.text == "#"):
            return None
        noun = last.head if last.dep_ in ("nummod", "compound") and last.head.i >= q.end else None
        if noun is None and last.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and \
                q.end < len(doc) and doc[q.end].lower_ == "of":
            noun = next((c for c in doc[q.end].children if c.dep_ == "pobj"), None)
        if noun is None:
            noun = _next_noun(doc, q.end)
        if noun is None or noun.pos_ != "NOUN" or self.mentions.owner[noun.i] is not None:
            return None
        if noun.lower_ in words["time_nouns"] and not self._durable(q):
            return None
        return noun

    def _durable(self, q: Quantity) -> bool:
        """"120 years of history", "for 120 years": how long an institution has lasted."""
        doc, words = self.doc, lexicon().words
        end = q.end
        if end < len(doc) and doc[end].lower_ in ("years", "year"):
            end += 1
        elif doc[q.end - 1].lower_ not in ("years", "year"):
            return False
        if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in words["durable_nouns"]:
            return True
        return q.start > 0 and doc[q.start - 1].lower_ == "for" and any(
            t.lower_ in ("has", "have") for t in doc[max(doc[q.start].sent.start, q.start - 8):q.start])

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
        while not _is_clause(tok) and tok.head.i != tok.i:
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
        subj = self._clause_subject(verb)
        opaque = False  # the clause names its own subject, one the article does not name
        if subj is not None and not m.is_person(subj) and self._line(subj.i) == line:
            relative = verb.dep_ == "relcl" and verb.head.i == subj.i  # "funds that will put X"
            if subj.i in inside or anchor in subj.subtree and not relative:
                found = self._located(anchor, inside)
            else:
                hidden = range(verb.left_edge.i, verb.right_edge.i + 1) if relative else inside
                found = self._in_subtree(subj, hidden) or self._group(subj)
                opaque = found is None and self._opaque(subj)
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
        for _ in range(4):
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                if subj.tag_ == "WDT" or subj.lower_ in ("that", "which", "who"):
                    return verb.head if verb.dep_ == "relcl" else None
                return subj
            if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acl") and verb.head.i != verb.i:
                verb = verb.head
            else:
                return None
        return None

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
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in subj.children):
            return True
        return self.mentions.anaphoric(subj) or any(t.lower_ == "its" for t in subj.subtree)

    def _group(self, subj) -> str | None:
        """A subject that is a kind of place given by a demonym: "Chinese cities are home to"."""
        if subj.tag_ != "NNS" or subj.pos_ != "NOUN":
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
            if tok.head.i == tok.i or _is_clause(tok):
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

    # -- measure and year --------------------------------------------------------------------
    def _measure(self, q: Quantity, anchor) -> str:
        if q.unit is Unit.POINTS:
            return "score"
        if q.bare:
            return _phrase(anchor, self.doc, q)
        tok = anchor
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        subj = self._clause_subject(tok) if tok.pos_ in ("VERB", "AUX") else None
        base = _phrase(subj, self.doc, q) if subj is not None and subj.pos_ == "NOUN" else tok.lemma_
        growth = set(lexicon().words["growth_words"])
        if q.unit is Unit.PERCENT and any(t.lemma_.lower() in growth for t in
                                          self.doc[max(q.start - 3, 0):min(q.end + 2, len(self.doc))]):
            return f"{base} growth"
        return base

    def _year(self, sent, start: int, end: int) -> int | None:
        """A year the sentence gives: one just after the figure ("29.7 points in 2020"), else
        the first one before it, else "last year" / "this year" against the publication date."""
        doc = self.doc
        for t in doc[end:min(end + 4, sent.end)]:
            if _YEAR.match(t.text) and t.ent_type_ == "DATE":
                return int(t.text)
        for t in sent:
            if t.i >= start:
                break
            if _YEAR.match(t.text) and t.ent_type_ == "DATE":
                return int(t.text)
        if self.published:
            for t in sent:
                if t.lower_ == "year" and t.i > sent.start:
                    prev = doc[t.i - 1].lower_
                    if prev in ("last", "previous", "past"):
                        return self.published - 1
                    if prev in ("this", "current"):
                        return self.published
        return None

    def _context_year(self, i: int) -> int | None:
        work = self.mentions.recent(i, (Kind.WORK, Kind.EVENT))
        return self._work_year(work) or self.published

    def _work_year(self, eid: str | None) -> int | None:
        if eid is None:
            return None
        years = [int(w) for w in re.findall(r"\b(?:19|20)\d\d\b", self.registry.get(eid).name)]
        return years[-1] if years else None


def _next_noun(doc, i: int):
    """The head noun of the noun phrase starting at token i, when the parse missed it
    ("twenty-three start-ups" parsed as a conjunct)."""
    for tok in doc[i:min(i + 6, len(doc))]:
        if tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "amod", "nmod"):
            return tok
        if tok.pos_ not in ("NOUN", "ADJ", "PUNCT") or tok.text in (",", "(", ")"):
            return None
    return None


def _is_clause(tok) -> bool:
    """A verb that heads a clause (not a participle inside a noun phrase: "a nation leading")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    return tok.dep_ not in ("amod", "acl") or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _phrase(noun, doc, q: Quantity) -> str:
    """A noun with its left modifiers, minus the figure itself and determiners."""
    left = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and t.i >= q.end
            or t.dep_ in ("amod", "compound") and t.i > q.end]
    start = min([t.i for t in left] + [noun.i])
    words = [t.text for t in doc[start:noun.i + 1]]
    return " ".join(words).replace(" - ", "-")
