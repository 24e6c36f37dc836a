"""Participations: who took part in which event, and how, sentence by sentence.

Each sentence's participants go to the events it is about (its focus); a sentence that names
no event speaks of the article's current event, when the article is about one (its lead
names an event or a signing). A person's role comes from the verb that governs the mention
in the parse ("said" -> speaker, "delivered keynote speeches" -> keynote speaker, "conducted
a high-end dialogue" -> panelist, "presided over by" -> moderator, "attended", "drew",
"guests included" -> attendee, "signed" -> signatory, "presented", "pitched" -> presenter),
else from the nearest cue word in the sentence. Organisations take part as signatories
("signing of contracts between A and B", "A signed ... with B", "the six partners are A, B"),
presenters ("projects of A, B and C were displayed") or attendees, and organise as host,
organizer, co-organizer or sponsor ("hosted by", "X hosted the ...", "co-organized by")."""
from __future__ import annotations

from ..model import EventKind, Kind, Participation, Role
from .entity_index import span_of
from .buckets import SpansBySentence
from .enumerations import Listed, heading_role, list_role
from .events import Events, Sentence
from .roles_orgs import OrgRoles

LEAD = 4  # sentences of prose: an event named this early is the one the article is about


class _Roles(OrgRoles):
    def __init__(self, ev: Events) -> None:
        self.ev, self.doc, self.reg, self.index = ev, ev.doc, ev.registry, ev.index
        self.words = ev.lex.roles
        self.out: list[Participation] = []
        self._seen: set[tuple[str, str]] = set()
        self.titles = {sp.start: sp.end for sp in self.doc.spans["kg_title"]}

    # ------------------------------------------------------------ cues
    def cue(self, tok) -> Role | None:
        """The role a cue word implies, if it is one."""
        w, lemma = self.words, tok.lemma_.lower()
        if tok.lower_ in w["keynote_words"]:
            return Role.KEYNOTE_SPEAKER
        if tok.pos_ == "NOUN" and lemma in w["panel_words"]:
            return Role.PANELIST
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ in ("NOUN", "ADJ", "ADV") and tok.lower_ in w["attendee_words"]):
            return None
        if lemma in w["signing_verbs"]:
            return Role.SIGNATORY
        if lemma in w["activity_verbs"]:  # "conducted project roadshows", "held a dialogue"
            made = {t.lower_ for c in tok.children if c.dep_ in ("dobj", "attr") for t in c.subtree}
            if made & set(w["presentation_words"]):
                return Role.PRESENTER
            if made & set(w["panel_words"]):
                return Role.PANELIST
            if "keynote" in made:
                return Role.KEYNOTE_SPEAKER
            if made & set(w["speech_words"]):
                return Role.SPEAKER
        if lemma in w["awardee_verbs"]:
            won = {t.lower_ for c in tok.children if c.dep_ in ("dobj", "attr", "nsubjpass", "dative") for t in c.subtree}
            if won & set(w["award_words"]) or tok.tag_ == "VBN" and lemma in ("award", "honor", "honour"):
                return Role.AWARDEE
        if lemma in w["moderator_verbs"]:
            return Role.MODERATOR
        if lemma in w["presenter_verbs"]:
            return Role.PRESENTER
        if lemma in w["attendee_verbs"] or tok.lower_ in w["attendee_words"]:
            return Role.ATTENDEE
        if lemma in w["speaker_verbs"]:
            made = {t.lower_ for c in tok.children if c.dep_ in ("dobj", "attr") for t in c.subtree}
            if made & set(w["presentation_words"]):
                return Role.PRESENTER
            objs = " ".join(c.lower_ for c in tok.subtree)
            if "keynote" in objs:
                return Role.KEYNOTE_SPEAKER
            if any(p in objs.split() for p in w["panel_words"]):
                return Role.PANELIST
            return Role.SPEAKER
        return None

    def governing(self, start: int, end: int):
        """(dependency relation, governing token) of a mention, through lists and appositions."""
        tok = self.doc[start]
        while tok.head.i != tok.i and start <= tok.head.i < end:
            tok = tok.head
        me = self.index.owner[start]
        for _ in range(8):
            if tok.dep_ == "pobj" and tok.head.lower_ in self.words["list_preps"] and tok.head.head.i != tok.head.i:
                tok = tok.head.head  # "15 banks including A and B": A stands where "banks" does
                if tok.lower_ == "such" and tok.head.i != tok.i:
                    tok = tok.head
                continue
            if tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
                owner = self.index.owner[tok.head.i]
                if owner and owner != me and self.reg.get(owner).kind is not self.reg.get(me).kind:
                    break
                tok = tok.head
                continue
            break
        return tok.dep_, tok

    def person_role(self, start: int, end: int, cues: list[tuple[int, Role]]) -> Role | None:
        """The role of a person mention: from the governing verb, else the nearest cue word."""
        dep, tok = self.governing(start, end)
        head = tok.head
        role = None
        if dep == "pobj" and head.lower_ == "by":
            role = self.cue(head.head)
        elif dep in ("dobj", "attr") and head.lemma_.lower() in self.words["attendee_object_verbs"]:
            role = Role.ATTENDEE
        elif dep in ("nsubj", "nsubjpass", "dobj", "attr"):
            role = self.cue(head)
            if role in (Role.MODERATOR,) and dep == "dobj":
                role = Role.ATTENDEE
        if role:
            return role
        after = [r for i, r in cues if i >= end]
        before = [r for i, r in cues if i < start]
        if after:
            return after[0]
        if before:
            return before[-1]
        return None

    def absent(self, start: int, end: int) -> bool:
        """A person someone else stood in for ("who stood in for X", "on behalf of X"): named at
        the event, not at it."""
        dep, tok = self.governing(start, end)
        if dep != "pobj":
            return False
        prep, verb = tok.head, tok.head.head
        return prep.lower_ == "for" and verb.lemma_.lower() in self.words["stand_in_verbs"] or \
            prep.lower_ == "of" and verb.lower_ == "behalf"

    def list_line(self, sent: Sentence) -> bool:
        """A line of a bulleted list: it opens with a bullet or a person's name, and is short."""
        doc = self.doc
        first = next((t for t in doc[sent.start:sent.end] if not t.is_space), None)
        if first is None or sent.end - sent.start > 40:
            return False
        owner = self.index.owner[first.i]
        return first.text in ("-", "–", "•", "*", "·") or owner is not None and self.reg.get(owner).kind is Kind.PERSON

    def setting(self, m) -> bool:
        """Whether an event mention is where the sentence's action takes place, so that the
        article is about it: its subject or object ("the X Forum opened", "held the X
        Forum"), or "at / during / on the sidelines of" it; not "timed for the first day of
        X"."""
        tok, climbed = self.ev._root(m), False
        for _ in range(4):
            if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT"):
                return True
            if tok.dep_ in ("appos", "conj", "compound") and tok.head.i != tok.i:
                tok = tok.head  # "during CIFTIS (the X Fair)", "his X Week visit": where it stands
                continue
            if tok.dep_ != "pobj":
                return False
            prep = tok.head
            if prep.lower_ in self.ev.lex.event_setting_preps and (not climbed or prep.lower_ != "for"):
                return not self.work_subject(prep.head)
            if prep.lower_ != "of" or prep.head.i == prep.i:
                return False
            tok, climbed = prep.head, True  # "at the opening of X", "on the sidelines of X"
        return False

    def work_subject(self, verb) -> bool:
        """"The report was released at X": the clause is about a work, not about people at X."""
        heads = self.ev.lex.work_heads
        for _ in range(6):  # "at a press conference, held during X": the clause the phrase is in
            if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in heads for c in verb.children):
                return True
            if verb.dep_ not in ("acl", "relcl", "advcl", "pobj", "prep") or verb.head.i == verb.i:
                return False
            verb = verb.head
        return False

    # ------------------------------------------------------------ output
    def add(self, event: str, who: str, role: Role, at: int) -> None:
        """Record one participation (once per event, participant and role)."""
        key = (event, who, role.value)
        if key in self._seen or event == who:
            return
        self._seen.add(key)
        sent = self.doc[at].sent
        self.out.append(Participation(event, who, role, span_of(self.doc, sent.start, sent.end)))

    def signing_event(self, sent: Sentence, within: list[str] | None = None) -> str:
        """The article's signing: its named signing event, else an unnamed one (made if need
        be, part of the event in focus when there is one)."""
        events = [e for e in self.reg.entities() if e.kind is Kind.EVENT and e.event_kind is EventKind.SIGNING]
        for e in sorted(events, key=lambda e: not e.named):
            return e.id
        eid = self.reg.add(Kind.EVENT, "signing", span_of(self.doc, sent.start, sent.end), event_kind=EventKind.SIGNING)
        ent = self.reg.get(eid)
        ent.named = False
        if within:
            parent = self.reg.get(within[0])
            while not parent.named and parent.parent:  # the named event it is part of
                parent = self.reg.get(parent.parent)
            ent.parent = parent.id
            ent.date, ent.location = ent.date or parent.date, ent.location or parent.location
        return eid

    def signed_by_someone(self, verb) -> bool:
        """A signing verb with a named signer ("X signed ...", not "contracts were signed")."""
        for child in verb.children:
            if child.dep_ == "nsubj":
                owners = {self.index.owner[t.i] for t in child.subtree} - {None}
                return any(self.reg.get(o).kind in (Kind.PERSON, Kind.ORGANIZATION) for o in owners)
        return False

    # ------------------------------------------------------------ organisations
    def run(self) -> list[Participation]:
        """Walk the sentences; attach people and organisations to the events in focus."""
        ev, doc = self.ev, self.doc
        lead = [s for s in ev.sentences if sum(t.is_alpha for t in doc[s.start:s.end]) >= 6][:LEAD]
        main = bool(ev.headline) or any(self.setting(m) for s in lead for m in s.mentions) or any(
            doc[k].lemma_.lower() in self.words["signing_verbs"] and self.signed_by_someone(doc[k])
            for s in lead for k in range(s.start, s.end))  # an article about a signing
        current: list[str] = ev.headline[:1]  # until a sentence names another
        previous_signing = False
        self.partner_list = False
        heading: Role | None = None  # the role a heading gives the bulleted lines under it
        by_sentence = SpansBySentence(self.index.spans, ev.sentences)
        for n, sent in enumerate(ev.sentences):
            listed = list_role(doc, sent.start, sent.end, self.words)
            bullet = heading is not None and self.list_line(sent)
            if listed is None and bullet:
                listed = Listed(heading, sent.start)  # a line of the list under the heading
            heading = heading_role(doc, sent.start, sent.end, self.words) or (heading if bullet else None)
            cues = [(k, r) for k in range(sent.start, sent.end) if (r := self.cue(doc[k]))]
            signing = any(r is Role.SIGNATORY and self.signed_by_someone(doc[k]) for k, r in cues)
            if sent.focus and not ev.only_recalled(sent.focus):
                current = sent.focus
            elif signing:
                current = [self.signing_event(sent, current if main else None)]
                ent = self.reg.get(current[0])
                if ent.date is None:
                    ev.when_where_one(current[0], sent)
            targets = sent.focus or (current if main else [])
            spans = by_sentence.of(n)
            seen = set()
            for s, e, eid in sorted(spans):
                ent = self.reg.get(eid)
                if ent.kind is Kind.PERSON and s not in seen:
                    seen.add(s)
                    if self.absent(s, e):
                        continue
                    role = self.person_role(s, e, cues)
                    if listed and s >= listed.start and role in (None, Role.ATTENDEE, Role.SPEAKER):
                        role = listed.role  # "Speakers included A", "Among the guests were A"
                    if role is None:
                        dep, gov = self.governing(s, e)
                        agent = dep == "pobj" and gov.head.lower_ == "by" and gov.head.head.pos_ == "VERB" \
                            and gov.head.head.lemma_.lower() not in self.words["credit_verbs"]  # "(Editing by X)"
                        role = Role.SPEAKER if dep == "nsubj" or agent else (Role.ATTENDEE if sent.mentions else None)
                    if role is None:
                        continue
                    for t in ([self.signing_event(sent, targets)] if role is Role.SIGNATORY and not any(
                            self.reg.get(x).event_kind is EventKind.SIGNING for x in targets) else targets):
                        self.add(t, eid, role, s)
            self.org_participants(sent, spans, targets, previous_signing)
            self.organisers(sent, targets)
            previous_signing = signing or self.partner_list
        return self.out


def participations(ev: Events) -> list[Participation]:
    """Every participation and organising role the article states."""
    return _Roles(ev).run()
