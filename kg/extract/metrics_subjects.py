"""Who a figure is about: the search through the parse that :class:`SubjectRules` runs for
each figure, first match wins:

1. a demonym on a counted noun ("five German cities" -> Germany);
2. on the way from the figure up to its clause: a possessive ("Rivertown's spending"), the
   entity a parenthesis glosses ("Rivertown (8120 points)"), the event of "at which", the
   name a "with" phrase is set on ("X Bank, with total assets of 3 trillion yuan, is ...");
   a sum listed after another is about its own purpose ("...; 124 million euros for the X
   Backbone"); "we" is the institution the article follows;
3. the clause's grammatical subject (through conjoined and relative clauses) when the figure
   is not part of it: its entities and anaphors ("the report", "the foundation"), or a
   demonym group ("German cities"), a thing named by a proper modifier ("the Zephyr+
   network") or a proper name no mention claims (a work: "the X Seed Accelerator, which will
   have ..."), the group "their" stands for (:mod:`.metrics_groups`), the country of a people a
   share counts ("the proportion of Norlanders"); an unresolved but explicit subject ("a second edition",
   "the fund", "European investors") stops the search: the figure is dropped;
4. a place the measured thing is in ("2,417 firms in Rivertown"), a predicate demonym ("are
   European"), the event or report the clause is set at ("At the expo's exhibition");
5. the subject of an earlier figure in the same sentence (or, for a share of a group no name
   says, of a later figure of the same unit about a place: :meth:`_Finder._quantities`); the organisation in the title of a
   person who says it; the subject of a figure one (counts) or two sentences back;
6. the report the sentence cites ("according to the report"); for a count, the event under way.
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import Kind, Unit
from .metrics_groups import GroupRules
from .numbers import Quantity, lexicon, unit_word

_SETTING_PREPS = ("at", "in", "during", "for", "on", "to")


def is_clause(tok) -> bool:
    """A verb that heads a clause (not a participle inside a noun phrase: "a nation leading")."""
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("dobj", "pobj", "compound") and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "dobj") for c in tok.children):
        return False  # "connecting 1.7 billion user accounts": a noun the tagger called a verb
    return tok.dep_ not in ("amod", "acl") or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


class SubjectRules(GroupRules):
    """Finding the subject of a figure; mixed into the metric finder, whose state it reads:
    ``doc``, ``registry``, ``mentions``, ``lines`` (line of each token), ``topic`` (what the
    previous sentence was about), ``last`` / ``last_sent`` (the latest figure's subject and
    sentence), ``sent_no`` and ``body_start`` (where the body begins, a character offset)."""

    topic: str | None
    last: str | None
    last_sent: int
    sent_no: int
    focus_at: Callable[[int], str | None]

    # -- subject -----------------------------------------------------------------------------
    def _subject(self, q: Quantity, anchor, sent) -> str | None:
        """Who the figure is about (an entity id), or None; the search is the module docstring's."""
        m, inside = self.mentions, range(q.start, max(q.end, anchor.i + 1))
        line = self._line(q.start)
        if q.unit is Unit.POINTS and (found := self._scored_by(q)):
            return found
        if found := self._bullet_label(q) or self._lead_in(q, anchor):
            return found
        if found := self._gapped(q):
            return found
        tok, via = anchor, None
        while not is_clause(tok) and tok.head.i != tok.i:
            via = tok
            for child in tok.children:
                if child.dep_ == "poss" and child.i not in inside:
                    if found := self._poss(child, sent):
                        return found
            if tok.pos_ == "NOUN" and (found := self._by_agent(tok, inside)):
                return found  # "a US$14 billion fundraising by Ant Financial"
            if tok.dep_ == "appos" and (found := m.entity(tok.head)):
                return found  # "in Rivertown (8120 points)"
            if tok.dep_ == "relcl" and (found := self._which(tok)):
                return found  # "the ceremony, at which 14 start-ups received prizes"
            if found := self._having(tok, inside):
                return found  # "X Bank, with total assets of 3 trillion yuan, ..."
            tok = tok.head
        verb = tok
        if q.start >= 2 and self.doc[q.start - 1].text == "(" and (found := m.entity(self.doc[q.start - 2])):
            return found
        if q.bare and self._attendance(anchor, verb) and (
                found := self._setting(verb, inside) or self.focus_at(q.start) or m.recent(q.start, (Kind.EVENT,))):
            return found  # "the organisers drew 1,500 participants from 45 countries": the event's
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if via is not None and via.lower_ == "with" and dobj is not None and dobj.pos_ == "PROPN" \
                and dobj.i not in inside:
            return self._in_subtree(dobj, inside)  # "launched X with an allocation of Y": X's
        item = anchor.head if anchor.dep_ in ("compound", "nummod", "amod") else anchor  # "a 72 million euro loan"
        if q.unit.currency and item.dep_ == "conj" and (
                found := self._purpose(item, inside) or self._purpose_phrase(item, inside)):
            return found  # "...; 124 million euros for the X Backbone; ...": each listed sum its own purpose
        subj, relcl = self._clause_subject(verb)
        if relcl is not None and self._on_figure(subj):
            subj, relcl = self._clause_subject(_clause_of(subj))  # "..., which accounts for 40%": the figure's subject
        if subj is not None and subj.lower_ == "we" and subj.pos_ == "PRON" and (found := self._we()):
            return found
        if (subj is None or subj.pos_ == "PRON") and q.unit.currency and (found := self._purpose(anchor, inside)):
            return found  # "They include $170 million for the X programme": the programme's
        opaque = False  # the clause names its own subject, one the article does not name
        collective = None  # a group that subject names ("Harbor fintechs"), when nothing better
        if subj is not None and not m.is_person(subj) and self._line(subj.i) == line:
            if subj.i in inside or anchor in subj.subtree and relcl is None:
                found = self._located(anchor, inside) or self._of_owner(anchor, q.unit is Unit.PERCENT)
            else:  # for "funds that will put X", the funds without the relative clause
                hidden = range(relcl.left_edge.i, relcl.right_edge.i + 1) if relcl else inside
                found = self._it_before(subj) or self._in_subtree(subj, hidden) or self._group(subj) \
                    or self._share_of_people(subj, hidden) or self._named_thing(subj, hidden) \
                    or self._proper_subject(subj, hidden)
                counted = q.bare and anchor.dep_ not in ("dobj", "attr")  # "200,000 people" as an object only
                collective = None if found or counted else self._collective(subj, hidden)
                opaque = found is None and (relcl is not None or self._opaque(subj))
            if found:
                return found
        found = self._located(anchor, inside) or self._predicate(verb) or self._setting(verb, inside)
        if found:
            return found
        if q.bare and not opaque:  # "including five German cities"
            for child in anchor.children:
                if child.dep_ == "amod" and (found := m.demonym(child)):
                    return found
        gap = self.sent_no - self.last_sent
        if self.last and gap == 0 and (collective or not opaque):
            return self.last
        if collective and any(t.dep_ in ("amod", "compound") for t in self.doc[collective[1]].lefts):
            return collective[0]  # "Mobile money accounts make up 79 percent": a group of its own
        if opaque:
            return None
        found = self._speaker_org(verb)
        if found:
            return found
        if self.last and gap <= (1 if q.unit is Unit.COUNT else 2):
            return self.last
        found = self._attributed(sent)
        if found:
            return found
        if collective:
            return collective[0]
        if subj is not None and self.last and self.last == self.mentions.org_topic and gap <= 6 \
                and self._bare_measure(subj):
            return self.last  # "The non-performing loan ratio fell to 1.33 percent": the bank followed
        if q.unit is not Unit.COUNT:
            return None
        event = m.recent(q.start, (Kind.EVENT,), itself=True)  # "a project roadshow, and three projects"
        if event and not self.registry.get(event).named and not self.registry.get(event).parent:
            return self.focus_at(q.start)  # "the signing" alone is no subject: the event under way
        return event

    @staticmethod
    def _on_figure(head) -> bool:
        """A relative clause on a figure ("30 billion yuan, which accounts for 12 percent of the
        market", "5 billion yuan, which was up 12 percent"): the figure is its subject, so the
        figures it gives have the figure's own subject. Not on counted things ("five funds")."""
        return head.like_num or unit_word(head.lower_) or head.lower_ in lexicon().words["percent"]

    def _attendance(self, anchor, verb) -> bool:
        """A count of the people (or the countries they came from) an event drew: "drew 1,500
        participants from 45 countries", "more than 80 people gathered ... for the X Forum"."""
        words = lexicon().words
        lemma = anchor.lemma_.lower()
        if lemma not in words["people_nouns"] and lemma not in words["attendance_nouns"]:
            return False
        if lemma in words["attendance_nouns"] and not (anchor.head.lower_ == "from" or anchor.head.head.lemma_.lower()
                                                       in words["attendance_verbs"]):
            return False
        return verb.lemma_.lower() in words["attendance_verbs"]

    def _poss(self, tok, sent) -> str | None:
        if tok.lower_ in ("its", "their"):
            for t in reversed(self.doc[sent.start:tok.i]):
                eid = self.mentions.resolve(t, None)
                if eid and self.registry.get(eid).kind is Kind.ORGANIZATION:
                    return eid
            if tok.lower_ == "its":
                return self.topic
            return self._their_group(sent)
        if tok.pos_ == "PRON":
            return None
        return self.mentions.resolve(tok, self.topic) or next(
            (e for t in tok.subtree if (e := self.mentions.entity(t))), None)

    def _clause_subject(self, verb):
        """(subject token, relative clause verb or None): the nsubj of the clause or of the
        clause it is joined to; for a relative clause, the noun it modifies."""
        for _ in range(4):
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            subj = subjects[-1] if len(subjects) > 1 and subjects[-1].i < verb.i else next(iter(subjects), None)
            if subj is not None:  # of two (a misparse), the one next to the verb
                if subj.tag_ == "WDT" or subj.lower_ in ("that", "which", "who"):
                    return (verb.head, verb) if verb.dep_ == "relcl" else (None, None)
                return subj, None
            if inner := _reduced_subject(verb):
                return inner, None
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
                return self._owner_of(found, t) or found
        return None

    def _owner_of(self, eid: str, tok) -> str | None:
        """The institution whose event it is: "the B-round signing ceremony of X Co., Ltd."
        (an event, then "of" and an institution) is about X."""
        if self.registry.get(eid).kind is not Kind.EVENT:
            return None
        k = tok.i
        while k < len(self.doc) and self.mentions.owner[k] == eid:
            k += 1
        if k + 1 < len(self.doc) and self.doc[k].lower_ == "of":
            k += 1 + (self.doc[k + 1].lower_ == "the")
            org = self.mentions.owner[k] if k < len(self.doc) else None
            if org and self.registry.get(org).kind is Kind.ORGANIZATION:
                return org
        return None

    def _which(self, tok) -> str | None:
        """The event or report a relative clause "at which" / "in which" is set at."""
        if any(c.dep_ == "prep" and any(g.lower_ in ("which", "whom") for g in c.children)
               for c in tok.children):
            eid = self.mentions.resolve(tok.head, None)
            if eid and self.registry.get(eid).kind in (Kind.EVENT, Kind.WORK):
                return eid
        return None

    def _proper_subject(self, subj, hidden) -> str | None:
        """"The Norland 2040 plan aims ...", "Norland 2040 is aiming for 70%": a proper name no
        mention claims as the clause's subject is a work of its own (a plan, a programme)."""
        if subj.pos_ != "PROPN" or subj.i in hidden or subj.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE"):
            return None
        return self._named_work(subj)

    def _opaque(self, subj) -> bool:
        """An unresolved subject that still says what the figure is about: "a second edition",
        "the programme", "each of its winners"."""
        quantifier = subj.lemma_.lower() in lexicon().words["quantifier_nouns"]  # "a total of"
        if not quantifier and any(c.dep_ == "det" and c.lower_ in ("a", "an") or c.ent_type_ == "NORP"
                                  for c in subj.children):
            return True  # "a second edition", "European investors"
        return self.mentions.anaphoric(subj) or any(t.lower_ == "its" for t in subj.subtree) or any(
            c.dep_ == "poss" and c.pos_ == "NOUN" and self.mentions.anaphoric(c) for c in subj.children)

    def _bare_measure(self, subj) -> bool:
        """A subject that is only a measure ("the non-performing loan ratio", "operating
        income"): no name, no possessor, no determiner other than "the"."""
        return subj.lemma_.lower() in lexicon().words["measure_nouns"] and not any(
            self.mentions.owner[t.i] or t.dep_ in ("poss", "prep") or t.dep_ == "det" and t.lower_ != "the"
            for t in subj.subtree)

    def _predicate(self, verb) -> str | None:
        """"Thirty-two of the top 40 cities ... are European": the place a predicate demonym names."""
        for v in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
            for child in v.children:
                if child.dep_ in ("acomp", "attr") and (found := self.mentions.demonym(child)):
                    return found
        return None

    def _it_before(self, subj) -> str | None:
        """"The centre has grown: from 27 employees it now counts 300": "it" is what an earlier
        clause of the same sentence has as its subject, when that names something."""
        if subj.lower_ != "it" or subj.pos_ != "PRON":
            return None
        for t in reversed(self.doc[subj.sent.start:subj.i]):
            if t.dep_ in ("nsubj", "nsubjpass") and not self.mentions.is_person(t) and (
                    found := self.mentions.resolve(t, None)):
                return found
        return None

    def _by_agent(self, noun, inside) -> str | None:
        """The organisation or place a noun's "by" phrase names ("a fundraising by X")."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by" and child.i not in inside:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                found = self.mentions.entity(obj) if obj is not None else None
                if found and self.registry.get(found).kind in (Kind.ORGANIZATION, Kind.PLACE):
                    return found
        return None

    def _having(self, tok, inside) -> str | None:
        """"X Bank, with total assets of 3 trillion yuan, is ...": a figure in a "with" phrase
        set on a name (between commas, or closing its clause) is what that name has."""
        head = tok.head
        if tok.dep_ != "prep" or tok.lower_ != "with" or head.i in inside or head.i > tok.i:
            return None
        if head.pos_ != "PROPN" or self.doc[tok.i - 1].text != "," or self.mentions.is_person(head):
            return None
        found = self.mentions.entity(head)
        kinds = (Kind.ORGANIZATION, Kind.PLACE, Kind.EVENT, Kind.WORK)
        return found if found and self.registry.get(found).kind in kinds else None

    def _of_owner(self, anchor, share: bool = False) -> str | None:
        """"45 percent of Rivertown's firms": the owner named in the figure's "of" phrase;
        for a share, "45 percent of banks": the group it names."""
        of = next((c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None:
            return None
        for t in of.subtree:
            if t.dep_ == "poss" and (eid := self.mentions.entity(t)):
                return eid
        obj = next((c for c in of.children if c.dep_ == "pobj"), None)
        group = self._collective(obj, range(0)) if obj is not None and share else None
        return group[0] if group else None

    def _share_of_people(self, head, hidden) -> str | None:
        """"the proportion of Norlanders left outside the system": a share, number or measure
        of a people named by its demonym ("Norlanders") is about their country."""
        words = lexicon().words
        lemma = head.lemma_.lower()
        if lemma not in words["measure_nouns"] and lemma not in words["quantifier_nouns"]:
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return self.mentions.people_of(obj) if obj is not None and obj.i not in hidden else None

    def _located(self, anchor, inside) -> str | None:
        """A place the measured thing is in: "2,417 firms in Rivertown", "traded in Germany"."""
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
        if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i < verb.i and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return self._setting(verb.head, inside)  # "were signed at the X Forum, involving 3 billion yuan"
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
        the speaker's title names ("X, the Norland Government's Under Secretary, said ...")."""
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


def _reduced_subject(verb):
    """"the share of X left outside the system has fallen": the parser read the participle
    ("left") as the verb of a clause of its own, with the noun as its subject, and left the
    main verb without one; the noun is the main verb's subject when that clause ends right
    before the verb (or its auxiliaries)."""
    first = min([c.i for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i] + [verb.i])
    for c in verb.children:
        if c.dep_ in ("csubj", "ccomp", "advcl") and c.tag_ in ("VBD", "VBN") and c.right_edge.i + 1 == first:
            inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if inner is not None and inner.pos_ == "NOUN" and inner.i < c.i:
                return inner
    return None


def _clause_of(tok):
    """The clause (verb) a token belongs to: its nearest clause-heading ancestor."""
    while not is_clause(tok) and tok.head.i != tok.i:
        tok = tok.head
    return tok
