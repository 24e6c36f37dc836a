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
from .entities import org_from, span_of
from .enumerations import Listed, heading_role, list_role
from .events import Events, Sentence

LEAD = 4  # sentences of prose: an event named this early is the one the article is about
_ORG_ROLES = {"host": Role.HOST, "organizer": Role.ORGANIZER, "co-organizer": Role.CO_ORGANIZER,
              "sponsor": Role.SPONSOR}


class _Roles:
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
    def org_role(self, start: int, end: int) -> tuple[Role, object] | None:
        """(role, governing verb) of an organisation mention taking part in an event."""
        dep, tok = self.governing(start, end)
        head, w = tok.head, self.words
        if dep in ("nsubj", "nsubjpass"):
            lemma = head.lemma_.lower()
            if lemma in w["organizer_verbs"] and dep == "nsubj":
                return _ORG_ROLES[w["organizer_verbs"][lemma]], head
            role = self.cue(head)
            if role in (Role.SIGNATORY, Role.PRESENTER, Role.ATTENDEE, Role.AWARDEE):
                return role, head
        if dep == "pobj" and head.lower_ in ("between", "with", "among"):
            up = head
            for _ in range(4):
                up = up.head
                if up.lemma_.lower() in w["signing_verbs"] or up.lower_ == "signing":
                    return Role.SIGNATORY, up
                if up.head.i == up.i:
                    break
        if dep == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in w["presenter_nouns"]:
            noun = head.head
            if noun.dep_ in ("nsubj", "nsubjpass") and self.cue(noun.head) in (Role.PRESENTER, Role.ATTENDEE):
                return Role.PRESENTER, noun.head
        return None

    def listed_org_role(self, start: int, end: int, sent: Sentence) -> tuple[Role, object] | None:
        """An organisation in a list that is no affiliation, in a sentence whose verb says how
        the listed ones took part ("From X, A, B and C joined by live stream")."""
        dep, tok = self.governing(start, end)
        if dep != "conj" and not any(c.dep_ == "conj" for c in tok.children):
            return None
        first = tok
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        p = first.left_edge.i - 1
        if p >= 0 and self.doc[p].lower_ in ("of", "at", "with", "from", "by", "under", "between"):
            owner = self.index.owner[first.i]
            if owner and self.reg.get(owner).kind is not Kind.PLACE:
                return None
        cues = [(k, r) for k in range(sent.start, sent.end) if (r := self.cue(self.doc[k]))
                and r in (Role.PRESENTER, Role.ATTENDEE) and self.doc[k].pos_ == "VERB"]
        after = [c for c in cues if c[0] >= end]
        if after:
            return after[0][1], self.doc[after[0][0]]
        return None

    def organizer_verbs(self, sent: Sentence) -> list[tuple[int, Role]]:
        """(token, role) of the organising verbs in a sentence ("co-organized" -> co-organizer)."""
        found = []
        for k in range(sent.start, sent.end):
            tok = self.doc[k]
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "ADJ") and tok.lower_.endswith("ed") and lemma not in self.words["organizer_verbs"]:
                lemma = next((f for f in (tok.lower_[:-1], tok.lower_[:-2]) if f in self.words["organizer_verbs"]), lemma)
            if tok.pos_ in ("VERB", "ADJ") and lemma in self.words["organizer_verbs"]:
                role = _ORG_ROLES[self.words["organizer_verbs"][lemma]]
                if k >= 2 and self.doc[k - 1].text == "-" and self.doc[k - 2].lower_ == "co":
                    role = Role.CO_ORGANIZER
                found.append((k, role))
        return found

    def organized_event(self, verb, sent: Sentence, targets: list[str]) -> list[str]:
        """The event an organiser verb speaks of: its subject, the noun it modifies, its object."""
        candidates = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj", "dobj")]
        if verb.dep_ in ("acl", "relcl"):
            candidates.insert(0, verb.head)
        for c in candidates:
            for m in sent.mentions:
                if m.start <= c.i < m.end:
                    return [m.eid]
        return targets

    def organisers(self, sent: Sentence, targets: list[str]) -> None:
        """Organisations named as agents of organising verbs: "hosted by X, organized by Y"."""
        verbs = self.organizer_verbs(sent)
        if not verbs:
            return
        doc, k = self.doc, sent.start
        while k < sent.end:
            owner = self.index.owner[k]
            kind = self.reg.get(owner).kind if owner else None
            prior = [v for v in verbs if v[0] < k]
            if not prior:
                k += 1
                continue
            if kind is None and doc[k - 1].lower_ in ("by", "and") and doc[k].text[:1].isupper() \
                    and doc[k].pos_ == "PROPN":
                hit = org_from(doc, self.reg, self.index, k, self.titles)
                owner, kind = (hit[0], Kind.ORGANIZATION) if hit else (None, None)
            if kind is not Kind.ORGANIZATION:
                k += 1
                continue
            s, e, _ = self.index.span_of(k)
            p = s - 1 - (s > 1 and doc[s - 1].lower_ == "the")
            title_ends = set(self.titles.values())
            if p >= 0 and (doc[p].lower_ == "under" or doc[p].lower_ in ("of", "at", "with", "from") and p in title_ends
                           or p in title_ends):
                k = e
                continue
            vi, role = prior[-1]
            if not any(doc[j].lower_ == "by" for j in range(vi + 1, s)):
                k = e
                continue
            for event in self.organized_event(doc[vi], sent, targets):
                self.add(event, owner, role, k)
            k = e

    # ------------------------------------------------------------ sentences
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
        for sent in ev.sentences:
            listed = list_role(doc, sent.start, sent.end, self.words)
            bullet = heading is not None and self.list_line(sent)
            if listed is None and bullet:
                listed = Listed(heading, sent.start)  # a line of the list under the heading
            heading = heading_role(doc, sent.start, sent.end, self.words) or (heading if bullet else None)
            cues = [(k, r) for k in range(sent.start, sent.end) if (r := self.cue(doc[k]))]
            signing = any(r is Role.SIGNATORY and self.signed_by_someone(doc[k]) for k, r in cues)
            if sent.focus:
                current = sent.focus
            elif signing:
                current = [self.signing_event(sent, current if main else None)]
                ent = self.reg.get(current[0])
                if ent.date is None:
                    ev.when_where_one(current[0], sent)
            targets = sent.focus or (current if main else [])
            spans = [(s, e, eid) for s, e, eid in self.index.spans if sent.start <= s < sent.end]
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
                        agent = dep == "pobj" and gov.head.lower_ == "by" and gov.head.head.pos_ == "VERB"
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

    def org_participants(self, sent: Sentence, spans, targets: list[str], previous_signing: bool) -> None:
        """Organisations that sign, present or attend in one sentence."""
        doc = self.doc
        root = doc[sent.start:sent.end].root
        partners = previous_signing and root.lemma_ in ("be", "include") and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in self.words["partner_nouns"] for c in root.children)
        partners = partners or self.partner_list
        last = sent.end - 1
        while last > sent.start and doc[last].is_space:
            last -= 1
        self.partner_list = partners and doc[last].text not in (".", "!", "?")
        outer = {}
        for s, e, eid in spans:
            if self.reg.get(eid).kind is Kind.ORGANIZATION and not any(
                    s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans):
                outer.setdefault(eid, (s, e))
        for eid, (s, e) in outer.items():
            if partners:
                self.add(self.signing_event(sent, targets), eid, Role.SIGNATORY, s)
                continue
            found = self.org_role(s, e) or self.listed_org_role(s, e, sent)
            if not found:
                continue
            role, _ = found
            if role is Role.SIGNATORY:
                signing = [t for t in targets if self.reg.get(t).event_kind is EventKind.SIGNING]
                for t in signing or [self.signing_event(sent, targets)]:
                    self.add(t, eid, role, s)
            else:
                for t in targets:
                    self.add(t, eid, role, s)


def participations(ev: Events) -> list[Participation]:
    """Every participation and organising role the article states."""
    return _Roles(ev).run()
