"""Where a post is held: the organisation a title's "of"/"at"/"with" names, read from the
token index ("chief executive of NOVAFIN", "the university's X Center", "the company's
chairman", "of the ticketing start-up X"), an institution named only there added. The base
of :class:`.affiliations._Reader`."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Affiliation, Kind
from .entities import org_from
from .entity_index import TokenIndex
from .lexicon import words
from .registry import EntityRegistry

_PREPS = ("of", "at", "with", "from", "in", "for", "to")


class PostReader:
    """The token index, the titles and the organisation look-ups of one Doc."""

    def __init__(self, doc: Doc, registry: EntityRegistry, index: TokenIndex) -> None:
        self.doc, self.registry, self.index = doc, registry, index
        self.lex = words()
        self.title_start = {sp.start: sp.end for sp in doc.spans["kg_title"]}
        self.title_end = {sp.end: sp.start for sp in doc.spans["kg_title"]}
        self.out: list[Affiliation] = []
        self._seen: set[tuple[str, str, str]] = set()

    # -------------------------------------------------------------- helpers
    def kind(self, k: int) -> Kind | None:
        """The kind of the entity token k belongs to, if any."""
        eid = self.index.owner[k] if 0 <= k < len(self.doc) else None
        return self.registry.get(eid).kind if eid else None

    def title_text(self, s: int, e: int) -> str:
        """A title as stored: lower case, single spaces, "vice-president" kept whole."""
        return " ".join(self.doc[s:e].text.lower().split()).replace(" - ", "-")

    def org_at(self, k: int) -> tuple[str, int] | None:
        """The organisation (or place) named from token k on: (id, end token). Also "the
        regulation bureau" (an organisation named before, by its head word) and "start-up
        hub Stone & Chalk" (a description before the name)."""
        doc, n = self.doc, len(self.doc)
        definite = k < n and doc[k].lower_ in ("the", "its", "their", "this")
        while k < n and doc[k].lower_ in ("the", "a", "an", "its", "their"):
            k += 1
        if definite and k < n and doc[k].is_lower and self.kind(k) is None:
            found = self._described(k)
            if found:
                return found
        if k + 3 < n and doc[k + 1].text == "-" and doc[k + 2].lower_ in self.lex.base_words:
            k += 3  # "at Singapore-based X Capital"
        j = k
        while j < n and j - k < 5 and (doc[j].is_lower and (doc[j].pos_ in ("NOUN", "ADJ") or doc[j].tag_ == "VBG" or doc[j - 1].text == "-"
                                                            or j + 1 < n and doc[j + 1].text == "-")
                                       or doc[j].text == "-"):
            j += 1  # "of start-up hub Stone & Chalk"
        if j > k and j < n and self.kind(j) is Kind.ORGANIZATION and doc[j - 1].lower_ not in _PREPS:
            k = j
        elif j > k and j < n and self.kind(j) is None and doc[j].pos_ == "PROPN" and (
                doc[j - 1].lower_ in self.lex.generic_org_nouns or doc[j - 3:j].text.lower() in self.lex.generic_org_nouns):
            k = j  # "of the ticketing start-up Ticketlane": a name the description calls an institution
        if k + 2 < n and doc[k].text.islower() and doc[k + 1].text in ("'s", "’s") and k + 2 not in self.title_start:
            k += 2  # "the university's X"
        if k >= n:
            return None
        kind = self.kind(k)
        if kind in (Kind.ORGANIZATION, Kind.PLACE):
            s, e, eid = self.index.span_of(k)
            if kind is Kind.PLACE and e < n and doc[e].text[:1].isupper() and self.kind(e) is None \
                    and e not in self.title_start:
                return self._new_org(s)
            if e + 1 < n and doc[e].text in ("'s", "’s") and self.kind(e + 1) is Kind.ORGANIZATION:
                s2, e2, unit = self.index.span_of(e + 1)  # "the X Commission's Y Center": the post is at Y
                return unit, e2
            return eid, e
        if kind is None and doc[k].text[:1].isupper() and (doc[k].pos_ in ("PROPN", "NOUN", "ADJ") or doc[k].is_alpha) \
                and k not in self.title_start and doc[k].lower_ not in self.lex.not_names:
            if k + 2 < n and doc[k + 1].text in ("'s", "’s") and self.kind(k + 2) is Kind.ORGANIZATION:
                s2, e2, unit = self.index.span_of(k + 2)  # "the NDRC's Y Center": the post is at Y
                return unit, e2
            return self._new_org(k)
        return None

    def _domain_end(self, k: int) -> int | None:
        """Where a post's domain ends ("of Securities Markets" in "Head of Securities Markets
        at X"): capitalised words no entity claims, then "at" or "with" and an organisation."""
        doc, n = self.doc, len(self.doc)
        j = k
        while j < n and j - k < 5 and doc[j].text[:1].isupper() and self.kind(j) is None:
            j += 1
        if j > k and j + 1 < n and doc[j].lower_ in ("at", "with") and \
                self.kind(j + 1 + (doc[j + 1].lower_ == "the")) is Kind.ORGANIZATION:
            return j
        return None

    def _described(self, k: int) -> tuple[str, int] | None:
        """"the regulation bureau": lower-case words ending in an institution's head word,
        all of them words of one organisation the article named before (the latest)."""
        doc, n = self.doc, len(self.doc)
        j = k
        while j < n and j - k < 4 and doc[j].is_lower and doc[j].is_alpha and doc[j].lower_ not in self.lex.org_heads:
            j += 1
        possessive = j + 1 < n and doc[j + 1].text in ("'s", "’s")
        if j >= n or doc[j].lower_ not in self.lex.org_heads and doc[j].lower_ not in self.lex.generic_org_nouns \
                or j + 1 < n and doc[j + 1].text[:1].isupper() or possessive and not (
                    j == k and doc[j].lower_ in self.lex.generic_org_nouns and j + 2 in self.title_start):
            return None  # "the university's X Center" names X; "the company's chairman" names the company
        wanted = {t.lower_ for t in doc[k:j + 1]}
        at = doc[k].idx
        if j == k and doc[j].lower_ in self.lex.generic_org_nouns:
            return self._latest_org(at, j + 1, doc[j].lower_)  # "the company's chairman": the company just named
        best = None
        for ent in self.registry.entities():
            if ent.kind is not Kind.ORGANIZATION or not wanted <= set(ent.name.lower().split()):
                continue
            first = min((m.start for m in ent.mentions), default=at)
            last = max((m.start for m in ent.mentions if m.start < at), default=-1)
            if first < at and (best is None or last > best[0]):
                best = (last, ent.id)
        return (best[1], j + 1) if best else None

    def _latest_org(self, at: int, end: int, noun: str = "") -> tuple[str, int] | None:
        """The organisation named last before character ``at``, within the two sentences before;
        of those, one whose name has ``noun`` in it ("the bank": the latest "... Bank") first."""
        doc = self.doc
        sent = doc[self.doc.char_span(at, at + 1, alignment_mode="expand").start].sent
        floor = doc[max(sent.start - 1, 0)].sent.start
        floor = doc[max(doc[floor].sent.start - 1, 0)].sent.start
        best, named = None, None
        for s, e, eid in self.index.spans:
            if floor <= s and doc[e - 1].idx < at and self.registry.get(eid).kind is Kind.ORGANIZATION:
                if best is None or s > best[0]:
                    best = (s, eid)
                if noun and noun in self.registry.get(eid).name.lower().split() and (named is None or s > named[0]):
                    named = (s, eid)
        best = named or best
        return (best[1], end) if best else None

    def _new_org(self, s: int) -> tuple[str, int] | None:
        """An organisation named only here (see :func:`.entities.org_from`)."""
        return org_from(self.doc, self.registry, self.index, s, self.title_start)

    def skip_parens(self, k: int) -> int:
        """Past an acronym in parentheses after a name: "(ABCM)"."""
        doc = self.doc
        if k < len(doc) and doc[k].text == "(":
            j = k + 1
            while j < len(doc) and j - k < 25 and doc[j].text != ")":
                j += 1
            if j < len(doc) and self.kind(k + 1) is not None:
                return j + 1
        return k

    # -------------------------------------------------------------- forms
    def _possessor(self, k: int) -> bool:
        """Whether capitalised words no entity claims start at k and end in "'s" before a
        title ("Brightwave's chief executive"): the owner of a post is an institution."""
        doc, n, j = self.doc, len(self.doc), k
        while j < n and j - k < 5 and doc[j].text[:1].isupper() and self.kind(j) is None and j not in self.title_start:
            j += 1
        return j > k and j + 1 < n and doc[j].text in ("'s", "’s") and j + 1 in self.title_start \
            and doc[k].pos_ == "PROPN" and doc[k].lower_ not in self.lex.not_names \
            and doc[k].lower_.rstrip(".") not in self.lex.honorifics
