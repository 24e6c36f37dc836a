"""Subjects a figure takes from the shape of its line or list rather than from its clause:
a bulleted "Label: figure" line, a bulleted noun phrase under a line ending in a colon, a
list whose verb is left out ("A reported X, B Y and C Z"), a sum "for" a named programme,
and the name a score follows ("Rivertown (8120 points)"). Mixed into :class:`.metrics_subjects.SubjectRules`,
whose state it reads (``doc``, ``registry``, ``mentions``, ``lines``)."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Kind
from .metrics_mentions import Mentions, span_of
from .registry import EntityRegistry
from .numbers import BULLETS, Quantity, lexicon, unit_word


class LineRules:
    """The line- and list-shaped subject rules (see the module docstring)."""

    doc: Doc
    registry: EntityRegistry
    mentions: Mentions
    lines: list[int]

    def _line(self, i: int) -> int:
        return self.lines[i]

    def _gapped(self, q: Quantity) -> str | None:
        """"A reported 6 trillion yuan, B 4.7 trillion yuan and C 4.59 trillion yuan": in a list
        whose verb is left out, the name just before a figure is its subject."""
        doc, k = self.doc, q.start - 1
        eid = self.mentions.owner[k] if k >= 0 else None
        if eid is None or self.registry.get(eid).kind not in (Kind.ORGANIZATION, Kind.PLACE):
            return None
        while k > 0 and self.mentions.owner[k - 1] == eid:
            k -= 1
        k -= k > 0 and doc[k - 1].lower_ == "the"
        if k < 2 or doc[k - 1].lower_ not in (",", "and", ";"):
            return None
        sep = k - 1 - (doc[k - 1].lower_ == "and" and doc[k - 2].text == ",")
        return eid if any(t.like_num for t in doc[max(sep - 4, 0):sep]) else None  # the item before ends in a figure

    def _bullet_label(self, q: Quantity) -> str | None:
        """"- Qupital: HK$116.91 million for the platform": the name a bulleted line is
        labelled with, when no other name stands between the colon and the figure; a label
        that is a proper noun the article does not name otherwise is an organisation."""
        doc, start = self.doc, self._line_start(q.start)
        if start >= q.start or doc[start].text not in BULLETS:
            return None
        colon = next((t.i for t in doc[start + 1:min(q.start, start + 6)] if t.text == ":"), None)
        if colon is None or colon == start + 1 or any(self.mentions.entity(t) for t in doc[colon + 1:q.start]):
            return None
        label = doc[start + 1:colon]
        if found := self.mentions.entity(label[-1]):
            return found
        if len(label) == 1 and label[0].pos_ == "PROPN" and label[0].is_alpha and (
                any(c.isupper() for c in label[0].text[1:]) or label[0].ent_type_ == "ORG"
                or label[0].lower_ not in lexicon().words["common_labels"]):
            return self.registry.add(Kind.ORGANIZATION, label.text, span_of(doc, label.start, label.end))
        return None

    def _purpose(self, anchor, inside) -> str | None:
        """What a sum is for: a name in its "for"/"toward" phrase or the object of the
        participle after it ("a 72 million euro loan backing the X Plan"); no person."""
        for tok in (anchor,) if anchor.dep_ == "conj" else (anchor, anchor.head):  # a list item's head is a sibling
            for child in tok.children:
                if child.i in inside:
                    continue
                if child.dep_ == "prep" and child.lower_ in ("for", "toward", "towards"):
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                elif child.dep_ == "acl" and child.tag_ == "VBG":
                    objs = [c for c in child.children if c.dep_ == "dobj"]
                else:
                    continue
                for obj in objs:
                    for t in obj.subtree:
                        found = self.mentions.entity(t)
                        if found and self.registry.get(found).kind not in (Kind.PERSON, Kind.PLACE):
                            return found
                    if found := self._named_work(obj):
                        return found
            if tok.pos_ == "NOUN" and not unit_word(tok.lower_):
                break
        return None

    def _named_work(self, head) -> str | None:
        """A proper name no entity claims, headed by ``head`` ("the Digital Tunisia 2020
        National Strategic Plan"): a work (a plan, a programme, a project)."""
        doc = self.doc
        if head.pos_ != "PROPN" or not head.text[:1].isupper():
            return None

        def part(k: int) -> bool:
            t = doc[k]
            return t.sent == head.sent and not self.mentions.owner[k] and t.dep_ != "det" and (
                t.pos_ in ("PROPN", "ADJ") and k > head.i or t.pos_ == "PROPN" or t.like_num and not t.is_sent_start) \
                and (t.text[:1].isupper() or t.like_num)  # "... 2020 National Strategic Plan"
        s, e = head.i, head.i + 1
        while s > 0 and part(s - 1):
            s -= 1
        while e < len(doc) and part(e):
            e += 1
        if e - s < 2 or doc[e - 1].like_num and e - s < 3:
            return None
        return self.registry.add(Kind.WORK, doc[s:e].text, span_of(doc, s, e))

    def _line_start(self, i: int) -> int:
        """The first non-space token of the line token i is on."""
        doc, line = self.doc, self._line(i)
        while i > 0 and self._line(i - 1) == line:
            i -= 1
        while i < len(doc) - 1 and doc[i].is_space:
            i += 1
        return i

    def _lead_in(self, q: Quantity, anchor) -> str | None:
        """"X ran through its assets:" then "- 41 national key laboratories": a bulleted line
        that is only a noun phrase is about what the line before the list, ending in a colon,
        is about (a subject or object it names that is no person)."""
        if anchor.sent.root.pos_ not in ("NOUN", "PROPN", "NUM"):
            return None
        return self._lead_in_at(q.start)

    def _lead_in_at(self, i: int) -> str | None:
        """What the line before the bulleted list token i is in says the list is about (see
        :meth:`_lead_in`), or None when token i is on no bulleted line."""
        doc, start = self.doc, self._line_start(i)
        if doc[start].text not in BULLETS:
            return None
        k = start - 1
        while k > 0:
            first = self._line_start(k)
            if doc[first].text not in BULLETS:
                break
            k = first - 1
        last = k
        while last > 0 and doc[last].is_space:
            last -= 1
        if last <= 0 or doc[last].text != ":":
            return None
        for t in doc[last].sent:
            if t.dep_ in ("nsubj", "nsubjpass", "dobj") and not self.mentions.is_person(t) and (
                    found := self.mentions.entity(t)):
                return found
        return None

    def _scored_by(self, q: Quantity) -> str | None:
        """A score goes to the nearest name before it in its clause: "Rivertown (8120 points)",
        "followed by Lakeport, taking home 59.52"."""
        doc = self.doc
        start = doc[q.start].sent.start
        for j in range(q.start - 1, max(start, q.start - 16) - 1, -1):
            if doc[j].text == ":" and j - 1 >= start and (eid := self.mentions.entity(doc[j - 1])):
                return eid  # "- Lakeport: eighth, with a score of 45": the line's label
            if doc[j].text in (";", ":") or doc[j].lower_ in ("while", "but", "whereas"):
                return None
            if (eid := self.mentions.entity(doc[j])) and self.registry.get(eid).kind is not Kind.EVENT:
                return eid
        return None
