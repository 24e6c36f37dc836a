"""Subjects no single name gives: a group a noun phrase names ("Harbor fintechs", "German
cities", "technology parks in the north"), a thing named only by a proper modifier ("the
Zephyr+ network"), and the pronouns "we" and "their". Mixed into the metric finder through
:class:`~kg.extract.metrics_subjects.SubjectRules`, whose state it reads."""
from __future__ import annotations

from spacy.tokens import Token

from ..model import Kind, OrgKind
from .metrics_lines import LineRules
from .metrics_mentions import span_of
from .numbers import lexicon


class GroupRules(LineRules):
    """Groups, named things and pronouns as subjects (see the module docstring)."""

    body_start: int
    count_noun: Token | None  # the noun the latest count quantifies

    def _purpose_phrase(self, item, inside) -> str | None:
        """"...; 96 million euros for technology parks in Cabo Verde; ...": in a list of sums,
        what an item's "for" phrase names when no name is in it (at most eight words)."""
        prep = next((c for c in item.children if c.dep_ == "prep" and c.lower_ == "for" and c.i not in inside), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None or obj.pos_ != "NOUN":
            return None
        toks = [t for t in obj.subtree if t.dep_ != "det" and not t.is_punct or t.text == "-"]
        if not toks or len(toks) > 8 or any(self.mentions.is_person(t) for t in toks):
            return None
        return self.registry.add(Kind.COLLECTIVE, self.doc[toks[0].i:toks[-1].i + 1].text,
                                 span_of(self.doc, toks[0].i, toks[-1].i + 1))

    def _their_group(self, sent) -> str | None:
        """"The city has 4,694 start-ups ... Their combined workforce is 18,000": "their" with no
        institution before it is the plural group the previous sentence counted."""
        noun = self.count_noun
        if noun is None or noun.tag_ != "NNS" or noun.i >= sent.start or noun.sent.end != sent.start:
            return None
        mods = [t for t in noun.lefts if t.dep_ in ("amod", "compound") or t.text == "-"]
        toks = [t for t in self.doc[min([t.i for t in mods] + [noun.i]):noun.i + 1] if not t.like_num]
        if not toks or toks[0].i > noun.i - len(mods):
            return None  # a number among the modifiers ("2024 projects"): no group of its own
        return self._as_group(toks)

    def _as_group(self, toks) -> str:
        """Register the words ``toks`` (in text order) as a collective, hyphens glued back."""
        text = " ".join(t.text for t in toks).replace(" - ", "-")
        return self.registry.add(Kind.COLLECTIVE, text, span_of(self.doc, toks[0].i, toks[-1].i + 1))

    def _we(self) -> str | None:
        """"We process 310 million transactions a month": the institution the article follows,
        else the first one its body names (the speaker's, in an interview)."""
        if self.mentions.org_topic:
            return self.mentions.org_topic
        for _, _, eid in self.mentions.spans_from(self.body_start):
            entity = self.registry.get(eid)
            if entity.kind is Kind.ORGANIZATION and entity.org_kind is not OrgKind.MEDIA:
                return eid  # not the outlet of the byline
        return None

    def _named_thing(self, subj, hidden) -> str | None:
        """"The Zephyr+ network is connecting 1.7 billion accounts": a singular common noun whose
        proper-noun modifier names a platform, product or programme no other mention names.
        Registered as a work."""
        if subj.tag_ != "NN" or subj.i in hidden:
            return None
        names = [c for c in subj.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i not in hidden]
        if not names or any(self.mentions.owner[c.i] is not None or c.ent_type_ in ("GPE", "LOC", "NORP", "DATE")
                            for t in names for c in t.subtree):
            return None
        start = min(c.left_edge.i for c in names)
        return self.registry.add(Kind.WORK, self.doc[start:subj.i + 1].text, span_of(self.doc, start, subj.i + 1))

    def _group(self, subj) -> str | None:
        """A subject that is a kind of place given by a demonym: "German cities are home to"."""
        places = lexicon().words["place_nouns"]
        if subj.tag_ != "NNS" or subj.pos_ != "NOUN" or subj.lemma_.lower() not in places:
            return None
        mods = [c for c in subj.children if c.dep_ == "amod" and c.ent_type_ == "NORP"]
        if not mods:
            return None
        return self.registry.add(Kind.PLACE, self.doc[mods[0].i:subj.i + 1].text,
                                 span_of(self.doc, mods[0].i, subj.i + 1))

    def _collective(self, head, hidden) -> tuple[str, int] | None:
        """A group no name says, named by a noun phrase ("Harbor fintechs raised $5 billion",
        "mobile money accounts make up 79 percent", "45 percent of banks"): a plural or
        modified common noun that is no anaphor ("the report"), no quantifier ("a total"), no
        people ("guests") and no person. Registered as a collective entity."""
        words = lexicon().words
        lemma = head.lemma_.lower()
        if lemma in words["measure_nouns"] or lemma in words["quantifier_nouns"]:
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None and obj.i not in hidden and obj.tag_ in ("NNS", "NNPS") and any(
                    t.dep_ in ("amod", "compound") for t in obj.lefts):
                return self._collective(obj, hidden)  # "the value of fintech deals": fintech deals
        if head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ not in ("", "ORG", "NORP", "PRODUCT") or \
                self.mentions.is_person(head) or \
                any(t.like_num for t in head.subtree) or \
                lemma in words["quantifier_nouns"] or lemma in words["people_nouns"] or \
                lemma in words["unit_nouns"] or lemma in words["time_nouns"] or head.lower_ in words["measure_nouns"] \
                or lemma in words["measure_nouns"]:
            return None
        mods = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "npadvmod") and t.i not in hidden]
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those", "its",
                                                               "their") for c in head.children)
        if definite and self.mentions.anaphoric(head) and not any(t.pos_ == "PROPN" for t in mods):
            return None  # "the bank": the one named before, not a group
        if head.tag_ not in ("NNS", "NNPS") and not mods:
            return None  # "growth", "investment": what is measured, not about what
        start = min([t.left_edge.i for t in mods] + [head.i])
        toks = [t for t in self.doc[start:head.i + 1] if t.i not in hidden and t.dep_ not in ("det", "poss", "predet")
                and not t.like_num and t.tag_ != "POS" and not t.is_punct or t.text == "-"]
        if not toks or len(toks) > 6:
            return None
        return self._as_group(toks), head.i
