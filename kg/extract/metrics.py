"""Metrics: the figures an article reports about a subject (money, percentages, counts, index
scores, ranks), as :class:`~kg.model.Observation` values.

One pass over the sentences of the body (the title line, and lines that are not prose such as
related headlines, are skipped) with the quantities :func:`kg.extract.numbers.scan` found:

- money, percentages and points are kept when a subject is found for them; a conversion in
  parentheses or after ", or" is a second value of the same observation;
- a bare number is a count only when it quantifies a common noun ("2,417 firms", "Thirty-two
  of the cities"), not a date, a year, a time, an age, a measure of area or a name's number
  ("Norvale Tech 500"), and not after "the" (an anaphor: "the two sides");
- ranks come from ordinals with a rank cue ("ranked third", "to ninth", "sixth place") and
  from lists ("the top five cities are A, B, ...", "followed in order by A, B") in
  :mod:`.metrics_ranks`.

The subject is searched in the parse (:mod:`.metrics_subjects`): a possessive on the measured
noun ("Rivertown's spending"), the clause's grammatical subject, a location ("loans ... in
Rivertown"), a demonym ("are European"), the event or report the clause is set at, then the
subject of the previous figure, the report cited, or (for counts) the event under way. A
figure whose clause names a subject the article does not ("a second edition", "the fund")
is dropped rather than given a wrong one.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Kind, Observation, Unit, Value
from .metrics_ranks import list_ranks, numbered_ranks, ordinal_ranks, superlative_ranks
from .metrics_mentions import Mentions, span_of
from .metrics_subjects import SubjectRules, is_clause
from .numbers import BULLETS, Quantity, lexicon, ordinal_value, scan
from .registry import EntityRegistry

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_NAME_LABELS = ("ORG", "EVENT", "WORK_OF_ART", "FAC", "LAW", "PRODUCT", "PERSON")


def find_observations(doc, registry: EntityRegistry, published: str | None,
                      focus_at: Callable[[int], str | None] | None = None) -> list[Observation]:
    """Every metric the article states about a subject it names. ``focus_at`` gives the
    event the article is about at a token (:meth:`kg.extract.events.Events.focus_at`)."""
    return _Finder(doc, registry, published, focus_at).run()


class _Finder(SubjectRules):
    """The state of one pass over an article: the latest subject, rank, measure and year."""

    def __init__(self, doc, registry: EntityRegistry, published: str | None,
                 focus_at: Callable[[int], str | None] | None = None) -> None:
        self.doc, self.registry = doc, registry
        self.focus_at = focus_at or (lambda token: None)
        self.mentions = Mentions(doc, registry)
        self.published = int(published[:4]) if published and published[:4].isdigit() else None
        self.last: str | None = None  # subject of the latest figure
        self.last_sent = -9
        self.last_rank = 0
        self.topic: str | None = None  # what the previous sentence was about, for "It"
        self.count_noun = None  # the noun the latest count quantifies
        self.measures: dict[int, str] = {}  # sentence number -> the measure of its first figure
        self.years: dict[int, int] = {}  # sentence number -> the first year it states
        self.sent_no = 0
        text = doc.text
        lead = len(text) - len(text.lstrip())
        self.body_start = text.find("\n", lead) if "\n" in text[lead:] else 0  # skip the title
        self.lines = self.mentions.lines

    def run(self) -> list[Observation]:
        quantities = scan(self.doc)
        out: list[Observation] = []
        cued = self._rank_cues()
        prose = self._prose_lines()
        k = 0
        for n, sent in enumerate(self.doc.sents):
            here = []
            while k < len(quantities) and quantities[k].num_start < sent.end:
                if self.doc[quantities[k].num_start].idx >= self.body_start:
                    here.append(quantities[k])
                k += 1
            if sent.end_char <= self.body_start or self.lines[sent.start] not in prose:
                continue
            self.sent_no = n
            if any(cued[sent.start:sent.end]):
                out += self._ranks(sent)
            if here or any(cued[sent.start:sent.end]):
                out += self._quantities(sent, here)
            stated = [t for t in sent if _YEAR.match(t.text) and t.ent_type_ == "DATE" and "in" in (
                t.head.lower_, t.head.head.lower_)]  # "in 2017", "in June 2022"; not "by 2025"
            if stated:
                self.years[n] = int(stated[0].text)
            root = self._clause_subject(sent.root)[0]
            self.topic = self.mentions.resolve(root, self.topic) or self._in_subtree(root, range(0)) \
                if root is not None else None  # "Shares of X rose": X
            if self.topic and self.registry.get(self.topic).kind is Kind.ORGANIZATION:
                self.mentions.org_topic = self.topic
        seen, unique = set(), []
        for o in out:  # a figure repeated (a lead restating the body) is one fact
            key = (o.subject, tuple((v.number, v.unit) for v in o.values), o.measure)
            if key not in seen:
                seen.add(key)
                unique.append(o)
        return unique

    def _prose_lines(self) -> set[int]:
        """Lines that end like prose (a full stop, a question mark, a closing quote): not
        headlines of related stories, captions or navigation."""
        last: dict[int, str] = {}
        for t in self.doc:
            if not t.is_space:
                last[self.lines[t.i]] = t.text
        prose = {line for line, text in last.items() if text[-1:] in ".!?\"”’')"}
        return prose if 2 * len(prose) >= len(last) else set(last)  # hard-wrapped text: all

    def _rank_cues(self) -> list[bool]:
        """Tokens that may state a rank or an anniversary, so that only their sentences are
        searched for them: one pass over the tokens."""
        words = lexicon().words
        cues = {"no", "no.", "number", "top", "anniversary", "any", "among", *words["ordinals"], *words["follow_verbs"]}
        doc = self.doc
        return [t.lower_ in cues or t.lemma_ in cues or ordinal_value(t) is not None or t.tag_ in ("JJS", "RBS")
                or t.is_digit and t.i + 1 < len(doc) and doc[t.i + 1].text == "." for t in doc]  # "1. Lakeport"

    # -- ranks -------------------------------------------------------------------------------
    def _ranks(self, sent) -> list[Observation]:
        ranks = ordinal_ranks(self.mentions, sent, set(), self._lead_in_at)
        ranks += list_ranks(self.mentions, sent, self.last_rank, ranks)
        ranks += numbered_ranks(self.mentions, sent)
        ranks += superlative_ranks(self.mentions, sent, {k for r in ranks for k in range(r.start, r.end)})
        if ranks:
            self.last_rank = max(r.value for r in ranks)
        out = []
        work = self.mentions.recent(sent.end, (Kind.WORK,))
        measure = f"rank in {self.registry.get(work).name}" if work else "rank"
        aspect = self._aspect(sent)
        measure = f"{measure} by {aspect}" if aspect else measure
        for r in sorted(ranks, key=lambda r: r.start):
            text = self.doc[r.start:r.end].text
            year = self._year(sent, r.start, r.end) or self._work_year(work) or self._context_year(r.start)
            for eid in r.subjects:
                out.append(Observation(eid, measure, [Value(float(r.value), Unit.RANK, text)], year,
                                       span_of(self.doc, r.start, r.end)))
        return out

    def _aspect(self, sent) -> str | None:
        """What a sub-ranking ranks by: "in terms of resource enrichment"."""
        toks = [t.lower_ for t in sent]
        for k in range(len(toks) - 3):
            if toks[k:k + 3] == ["in", "terms", "of"]:
                of = sent[k + 2]
                obj = next((c for c in of.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self.doc[obj.left_edge.i:obj.i + 1].text
        return None

    # -- money, percentages, points, counts ---------------------------------------------------
    def _quantities(self, sent, quantities: list[Quantity]) -> list[Observation]:
        out, skip, waiting = [], set(), []
        quantities = sorted(quantities + self._anniversaries(sent), key=lambda q: q.start)
        paired = self._respectively(sent, quantities)
        for idx, q in enumerate(quantities):
            if idx in skip:
                continue
            values = [Value(q.value, q.unit, q.text, q.approximate)]
            if q.unit.currency and idx + 1 < len(quantities):
                nxt = quantities[idx + 1]
                gap = self.doc[q.end:nxt.start]
                if nxt.unit.currency and nxt.unit != q.unit and len(gap) <= 2 and \
                        ({t.text for t in gap} & {"(", "/"} or [t.lower_ for t in gap][-1:] == ["or"]):
                    values.append(Value(nxt.value, nxt.unit, nxt.text, nxt.approximate))
                    skip.add(idx + 1)
            anchor = self._anchor(q)
            if anchor is None:
                continue
            subject = paired.get(q.start) or self._subject(q, anchor, sent)
            if subject is None:
                if self.last_sent != self.sent_no and self._measured_only(anchor):
                    waiting.append((q, anchor, values))
                continue
            out += self._observe(sent, q, anchor, values, subject)
            if waiting:  # "The share of adults rose to 83 percent, while the proportion of
                # Norlanders ... fell to 11 percent": earlier figures of the sentence that found no
                # subject take the one a later figure found, as later ones take an earlier one's
                place = self.registry.get(subject).kind is Kind.PLACE
                for early, early_anchor, early_values in waiting:
                    if place and early.unit is q.unit and (found := self._subject(early, early_anchor, sent)):
                        out += self._observe(sent, early, early_anchor, early_values, found)
                waiting = []
                self.last = subject
        return out

    def _measured_only(self, anchor) -> bool:
        """A figure whose clause subject is only a measure of a group no name says ("the share of
        adults rose to 83 percent")."""
        verb = anchor
        while not is_clause(verb) and verb.head.i != verb.i:
            verb = verb.head
        subj = self._clause_subject(verb)[0]
        words = lexicon().words
        return subj is not None and subj.pos_ == "NOUN" and subj.lemma_.lower() in (
            *words["measure_nouns"], *words["quantifier_nouns"]) and not any(
            self.mentions.owner[t.i] or t.dep_ == "poss" for t in subj.subtree)

    def _observe(self, sent, q: Quantity, anchor, values: list[Value], subject: str) -> list[Observation]:
        self.last, self.last_sent = subject, self.sent_no
        end = max(q.end, anchor.i + 1) if q.bare else q.end
        return [Observation(subject, self._measure(q, anchor), values,
                            self._year(sent, q.start, q.end) or self._context_year(q.start),
                            span_of(self.doc, q.start, end))]

    def _respectively(self, sent, quantities: list[Quantity]) -> dict[int, str]:
        """"A and B drew 30 billion yuan and 25 billion yuan respectively": figures of one unit,
        paired in order with the subjects of their clause (start token -> entity id)."""
        if len(quantities) < 2 or not any(t.lower_ == "respectively" for t in sent):
            return {}
        groups: dict[Unit, list[Quantity]] = {}
        for q in quantities:
            groups.setdefault(q.unit, []).append(q)
        for same in groups.values():
            if len(same) < 2:
                continue
            verb = self.doc[same[0].num_start]
            while not is_clause(verb) and verb.head.i != verb.i:
                verb = verb.head
            subj = self._clause_subject(verb)[0]
            subjects = [e for t in (subj, *subj.conjuncts) if (e := self.mentions.entity(t))] if subj else []
            if len(subjects) == len(same):
                return {q.start: eid for q, eid in zip(same, subjects)}
        return {}

    def _anniversaries(self, sent) -> list[Quantity]:
        """"its 85th anniversary": an ordinal before "anniversary" counts the years."""
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
        listed_one = num.text == "1" and q.start > 0 and doc[q.start - 1].text in BULLETS
        if q.value < 2 and not listed_one or (q.value != int(q.value)) or num.ent_type_ in _NAME_LABELS:
            return None  # "one" is mostly an article; "- 1 national laboratory" in a list is a count
        if q.end < len(doc) and last.whitespace_ == "" and (doc[q.end].text == "-" or doc[q.end].is_alpha):
            return None  # "five-star": a compound, not a count; "5G", "3D": a name
        if _YEAR.match(num.text) or (num.ent_type_ in ("DATE", "TIME") and not self._durable(q)):
            return None
        before = doc[q.start - 1] if q.start > num.sent.start else None
        if before is not None and (before.lower_ in ("the", "these", "those", "no", "no.", "first", "last",
                                                     "next", "other", "remaining", "past")
                                   or before.tag_ in ("PRP$", "NNP") or before.text == "#"):
            return None
        noun = last.head if last.dep_ in ("nummod", "compound") and last.head.i >= q.end else None
        if noun is None and q.end + 1 < len(doc) and doc[q.end].lower_ == "of" and \
                doc[q.end + 1].lower_ in ("them", "these", "those") and self.count_noun is not None and \
                self.count_noun.sent == num.sent and self.count_noun.i < q.start:
            return self.count_noun  # "53 representatives took part, 15 of them online": 15 representatives
        if noun is None and last.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and \
                q.end < len(doc) and doc[q.end].lower_ == "of":
            noun = next((c for c in doc[q.end].children if c.dep_ == "pobj"), None)
        verb = last.head if last.dep_ in ("dobj", "attr") else _moved_to(last)
        if noun is None and verb is not None:  # "the number of firms exceeded 25,000", "... grew to 281"
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lemma_.lower() in words["quantifier_nouns"]:
                of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            elif subj is not None and subj.tag_ == "NNS":  # "its enterprises numbered 9,800"
                noun = subj
        if noun is None:
            noun = _next_noun(doc, q.end)
        if noun is None and q.approximate and last.dep_ == "pobj" and self.count_noun and \
                self.count_noun.sent == num.sent:
            return self.count_noun  # "the top 40 cities from more than 90"
        if noun is None or noun.pos_ != "NOUN" or self.mentions.owner[noun.i] is not None:
            return None
        if before is not None and before.lower_ == "top" and (noun.dep_ != "dobj" or
                                                              noun.lemma_.lower() in words["rank_nouns"]):
            return None  # "among the top 10 cities" names a group, "kept the top two spots" ranks;
            # "picked the top 40 cities" counts
        self.count_noun = noun
        if noun.lower_ in words["time_nouns"] and not self._durable(q) or any(
                t.lower_ in words["unit_nouns"] for t in doc[q.end:noun.i + 1]):
            return None
        return noun

    def _durable(self, q: Quantity) -> bool:
        """"95 years of history", "for 95 years": how long an institution has lasted."""
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

    # -- measure and year --------------------------------------------------------------------
    def _measure(self, q: Quantity, anchor) -> str:
        if q.unit is Unit.POINTS:
            return "score"
        if q.bare:
            return _phrase(anchor, self.doc, q) or anchor.lower_
        tok = anchor
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        subj, relcl = self._clause_subject(tok) if tok.pos_ in ("VERB", "AUX") else (None, None)
        owner = anchor.head.head if anchor.head.lower_ == "of" and anchor.head.dep_ == "prep" else None
        if relcl is not None and self._on_figure(subj) and self.sent_no in self.measures:
            prior = self.measures[self.sent_no]  # "revenue was X, which accounts for 40%": a share of revenue
            share = q.unit is Unit.PERCENT and relcl.lemma_.lower() in lexicon().words["share_verbs"]
            base = f"share of {prior}" if share and not prior.startswith("share") else prior
        elif owner is not None and owner.pos_ == "NOUN" and owner.lemma_ not in ("percent", "rise", "increase"):
            base = _phrase(owner, self.doc, q)  # "a total value of 120 billion yuan"
        elif anchor.dep_ in ("compound", "nummod", "amod") and anchor.head.pos_ == "NOUN":
            base = anchor.head.lemma_  # "27 percent growth"
        elif subj is not None and subj.pos_ == "NOUN" and not (q.start <= subj.i < q.end
                                                                  or anchor.i == subj.i):
            base = _phrase(subj, self.doc, q)
            of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None and obj.pos_ == "NOUN":
                base += " of " + _phrase(obj, self.doc, q)  # "market value of financial institutions"
        elif q.unit is Unit.PERCENT and subj is not None and subj.i == anchor.i and \
                self.sent_no in self.measures:
            base = f"share of {self.measures[self.sent_no]}"  # "with about 40 percent coming from"
        else:
            base = tok.lemma_ if tok.lemma_ != "be" else ""
        base = base or ("share" if q.unit is Unit.PERCENT else "amount")
        if q.points:
            return f"change in {base} (percentage points)"
        growth = set(lexicon().words["growth_words"])
        if q.unit is Unit.PERCENT and any(t.lemma_.lower() in growth for t in
                                          self.doc[max(q.start - 3, 0):min(q.end + 2, len(self.doc))]):
            prior = self.measures.get(self.sent_no, base)  # "loans reached X, 27 percent growth"
            return f"{prior if base in ('growth', 'amount', 'share') else base} growth"
        self.measures[self.sent_no] = base
        return base

    def _year(self, sent, start: int, end: int) -> int | None:
        """The year a figure refers to: a year just after it ("31.4 points in 2020"), one on
        its clause ("were signed nationwide in 2019"), the first one before it ("In 2017, ..."),
        "last year" / "this year" near it against the publication date, else the year the
        previous sentence gave."""
        doc = self.doc
        years = [t for t in sent if _YEAR.match(t.text) and t.ent_type_ == "DATE"]
        verb = doc[start]
        while not is_clause(verb) and verb.head.i != verb.i:
            verb = verb.head
        found = next((t for t in years if end <= t.i < end + 4), None) or next(
            (t for t in years if t.head.dep_ == "prep" and t.head.head.i == verb.i), None) or next(
            (t for t in years if t.i < start), None)
        if found is not None:
            return int(found.text)
        if self.published:
            near = doc[max(sent.start + 1, start - 8):min(sent.end, end + 8)]
            for span in (near, doc[sent.start + 1:start]):
                for t in span:
                    if t.lower_ == "year" and doc[t.i - 1].lower_ in ("last", "previous", "past"):
                        return self.published - 1
                    if t.lower_ == "year" and doc[t.i - 1].lower_ in ("this", "current"):
                        return self.published
        return self.years.get(self.sent_no - 1)

    def _context_year(self, i: int) -> int | None:
        """The year of the report or event under way (a year in its name), else publication's."""
        return self._work_year(self.mentions.recent(i, (Kind.WORK, Kind.EVENT), dated=True)) or \
            self.published

    def _work_year(self, eid: str | None) -> int | None:
        if eid is None:
            return None
        years = [int(w) for w in re.findall(r"\b(?:19|20)\d\d\b", self.registry.get(eid).name)]
        return years[-1] if years else None


def _moved_to(last):
    """The verb a figure is the end or start point of: "grew to 281", "rose from 82",
    "(grew to X) compared to 10.8 billion" (through a subjectless verb of comparison)."""
    if last.dep_ != "pobj" or last.head.lower_ not in ("to", "from") or last.head.dep_ != "prep":
        return None
    verb = last.head.head
    for _ in range(2):
        if verb.pos_ != "VERB" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            break
        if verb.dep_ not in ("prep", "advcl") or verb.head.i == verb.i:
            break
        verb = verb.head  # "compared to", "comparing to": the verb they hang from
    return verb if verb.pos_ == "VERB" else None


def _next_noun(doc, i: int):
    """The head noun of the noun phrase starting at token i, when the parse missed it
    ("twenty-three start-ups" parsed as a conjunct)."""
    for tok in doc[i:min(i + 6, len(doc))]:
        if tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "amod", "nmod"):
            return tok
        if tok.pos_ not in ("NOUN", "ADJ", "PUNCT") or tok.text in (",", "(", ")"):
            return None
    return None


def _phrase(noun, doc, q: Quantity) -> str:
    """A noun with its left modifiers, minus the figure itself and determiners."""
    left = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and not q.start <= t.i < q.end]
    start = min([t.left_edge.i for t in left] + [noun.i])
    words = [t.text for t in doc[start:noun.i + 1] if not q.start <= t.i < q.end and t.dep_ != "poss"
             and t.tag_ != "POS"]
    return " ".join(words).replace(" - ", "-")
