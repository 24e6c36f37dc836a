"""Institutions at events: how an organisation takes part (signatory, presenter, attendee:
"signing of contracts between A and B", "A signed ... with B", "projects of A, B and C were
displayed") and who organises ("hosted by", "X hosted the ...", "co-organized by"). Mixed
into :class:`.roles._Roles`, whose state it reads (``doc``, ``reg``, ``index``, ``words``,
``titles``) and whose ``add``, ``cue`` and ``signing_event`` it calls."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from ..model import EventKind, Kind, Role
from .entities import org_from
from .entity_index import TokenIndex
from .events import Sentence
from .registry import EntityRegistry

_ORG_ROLES = {"host": Role.HOST, "organizer": Role.ORGANIZER, "co-organizer": Role.CO_ORGANIZER,
              "sponsor": Role.SPONSOR}


class OrgRoles:
    """The organisation side of participation (see the module docstring)."""

    doc: Doc
    reg: EntityRegistry
    index: TokenIndex
    words: dict[str, Any]
    titles: dict[int, int]
    partner_list: bool

    if TYPE_CHECKING:  # provided by roles._Roles
        def cue(self, tok) -> Role | None: ...
        def governing(self, start: int, end: int) -> Any: ...
        def add(self, event: str, who: str, role: Role, at: int) -> None: ...
        def signing_event(self, sent: Sentence, within: list[str] | None = None) -> str: ...

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
