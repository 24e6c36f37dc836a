"""Affiliations: which post (title) a person holds at which organisation, in every form news
uses, read around each person mention with the tagged titles and the token index:

- apposition: "P, deputy director of X", "P, an official with X", "P, a professor at X (ACR)
  who is also its associate dean", "P, CPC secretary and general manager of X" (two titles,
  one org), "P, president of X and an academician of Y" (two posts), "P, secretary of X and
  Y and director of Z", "P, X's Council Chairman", "P, ACR Party secretary", "P, who chairs X",
  "P, who served as T of X and is a former T of Y", "P, T of X, who is also T2 of Y", "P, who
  chairs X for the City of Z as well as Y";
- title first: "Director P of X", "X President P", "X's chief economist P", "P Chair Professor of X";
- bylines: "Reporter P, Outlet" (from the header).

An organisation named only in such a slot ("chief executive of NOVAFIN") is added."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Affiliation, Kind, OrgKind
from .affiliation_orgs import _PREPS, PostReader
from .entity_index import TokenIndex, acronym_like, span_of
from .header import Header
from .registry import EntityRegistry

_SKIP = ("a", "an", "the", "who", "is", "was", "also", "served", "serves", "as", "currently", "now", "has", "been",
         "and", "concurrently", "previously", "formerly")
_STOP = (",", ";", ".", ":", "(", ")")


class _Reader(PostReader):
    """Reads the posts around person mentions in one Doc."""

    bare: list[tuple[str, str, int]]  # (person, title, token) for a title before a name with no institution

    def add(self, pid: str, org: str, title: str, at: int) -> None:
        """Record a post; a post at a place ("Xiamen's vice mayor") is held in the place (its
        jurisdiction), which stays a place."""
        if self.registry.get(org).kind is Kind.PLACE and not title:
            return  # "P of Lakeside" says where P is from, not a post
        key = (pid, org, title)
        if key in self._seen or pid == org:
            return
        self._seen.add(key)
        sent = self.doc[at].sent
        self.out.append(Affiliation(pid, org, title, span_of(self.doc, sent.start, sent.end)))

    def chain(self, pid: str, k: int) -> None:
        """Posts listed after "P," (form A) until the clause ends."""
        doc, n = self.doc, len(self.doc)
        pending: list[str] = []
        last_titles: list[str] = []
        last_org: str | None = None
        used: set[str] = set()
        steps = 0
        while k < n and steps < 60:
            steps += 1
            low = doc[k].lower_
            if low == "as" and k + 2 < n and doc[k + 1].lower_ == "well" and doc[k + 2].lower_ == "as":
                k, low = k + 2, "and"  # "who chairs X as well as Y": another post
            if low == "," and last_org and not pending and k + 1 < n and doc[k + 1].lower_ == "who":
                k += 1  # "P, T of X, who is also T2 of Y"
                continue
            at = k + 1 + (k + 1 < n and doc[k + 1].lower_ == "the")
            if low in ("for", "in") and last_org and not pending and self.kind(at) is Kind.PLACE and (
                    place := self.index.span_of(at)):
                k = place[1]  # "chairs X for the City of Y as well as Z"
                continue
            if k in self.title_start:
                title = self.title_text(k, self.title_start[k])
                if title in used and doc[k - 1].lower_ in ("a", "an"):  # "a reporter from X and a reporter from Y": a second, unnamed person
                    return
                pending.append(title)
                k = self.title_start[k]
                continue
            if low in self.lex.verb_titles and not pending:
                hit = self.org_at(k + 1)
                if hit:
                    self.add(pid, hit[0], self.lex.verb_titles[low], k)
                    last_titles, last_org, k = [self.lex.verb_titles[low]], hit[0], self.skip_parens(hit[1])
                    continue
            if low == "its" and last_org and k + 1 in self.title_start:
                e = self.title_start[k + 1]
                self.add(pid, last_org, self.title_text(k + 1, e), k)
                k = e
                continue
            if low in _PREPS and pending:
                j = self._domain_end(k + 1)
                if j:  # "Head of Securities Markets at X": the words after "of" are the post's domain
                    pending[-1] = f"{pending[-1]} {self.title_text(k, j)}"
                    k = j
                    continue
                hit = self.org_at(k + 1)
                if hit and low in ("for", "of") and self.kind(hit[1] - 1) is Kind.PLACE and hit[1] < n and \
                        doc[hit[1]].lower_ in ("at", "of", "with") and self.org_at(hit[1] + 1):
                    k = hit[1]  # "head for West Africa at X": the place is the post's domain
                    continue
                if not hit:  # "head of research at X": the title goes on
                    j = k + 1
                    while j < n and j - k <= 3 and doc[j].is_lower and doc[j].is_alpha and doc[j].lower_ not in _PREPS:
                        j += 1
                    if j < n and j > k + 1 and doc[j].lower_ in ("at", "of", "with"):
                        pending[-1] = f"{pending[-1]} {doc[k:j].text.lower()}"
                        k = j
                        continue
                    return
                for t in pending:
                    self.add(pid, hit[0], t, k)
                used.update(pending)
                last_titles, pending, last_org = pending, [], hit[0]
                k = self.skip_parens(hit[1])
                continue
            if low == "and" and last_titles and not pending and k + 1 < n and k + 1 not in self.title_start \
                    and self.kind(k + 1 + (doc[k + 1].lower_ == "the")) is Kind.ORGANIZATION:
                hit = self.org_at(k + 1)
                if hit:
                    for t in last_titles:
                        self.add(pid, hit[0], t, k)
                    last_org, k = hit[0], self.skip_parens(hit[1])
                    continue
            if self.kind(k) in (Kind.ORGANIZATION, Kind.PLACE) and not pending:
                s, e, eid = self.index.span_of(k)
                e2 = self.skip_parens(e)
                if e2 < n and doc[e2].text in ("'s", "’s"):
                    e2 += 1
                if e2 in self.title_start:
                    te = self.title_start[e2]
                    self.add(pid, eid, self.title_text(e2, te), k)
                    last_org, k = eid, te
                    continue
                return
            if low in (",", ";") and pending and k + 1 < n and (self.kind(k + 1) is Kind.ORGANIZATION or
                                                                 acronym_like(doc[k + 1].text)):
                hit = self.org_at(k + 1)  # "Founder and CEO, X": the institution after a comma
                if hit:
                    for t in pending:
                        self.add(pid, hit[0], t, k)
                    used.update(pending)
                    last_titles, pending, last_org = pending, [], hit[0]
                    k = self.skip_parens(hit[1])
                    continue
            if low in self.lex.generic_org_nouns and not pending and k + 2 < n and doc[k + 1].text in ("'s", "’s") \
                    and k + 2 in self.title_start and doc[k - 1].lower_ in ("the", "its", "their"):
                hit = self._latest_org(doc[k].idx, k + 2)  # "P, the company's chairman and CEO"
                if hit:
                    k = k + 2
                    while k in self.title_start:
                        self.add(pid, hit[0], self.title_text(k, self.title_start[k]), k)
                        k = self.title_start[k]
                        k += doc[k].lower_ == "and" and k + 1 in self.title_start if k < n else 0
                    return
            if not pending and self.kind(k) is None and self._possessor(k):
                hit = self._new_org(k)  # "P, Brightwave's chief executive": whose post it is names an institution
                if hit and hit[1] < n and doc[hit[1]].text in ("'s", "’s") and hit[1] + 1 in self.title_start:
                    k = hit[1] + 1
                    te = self.title_start[k]
                    self.add(pid, hit[0], self.title_text(k, te), k)
                    last_org, k = hit[0], te
                    continue
            if low == ";" and not pending and k + 1 in self.title_start:
                k += 1  # "Founder of X; Chairman, Y"
                continue
            if low in _SKIP:
                k += 1
                continue
            return

    def before(self, pid: str, s: int, e: int) -> None:
        """Title before the name: "Director P of X", "X President P", "X's chief economist P",
        "X's president, P,"."""
        doc = self.doc
        while s > 0 and s not in self.title_end and doc[s - 1].lower_.rstrip(".") in self.lex.honorifics:
            s -= 1  # "X Chairman Mr P": the honorific between the title and the name
        ts = self.title_end.get(s)
        if ts is None and s > 0 and doc[s - 1].text == "," and e < len(doc) and doc[e].text == "," \
                and e + 1 < len(doc) and e + 1 not in self.title_start and doc[e + 1].lower_ not in ("a", "an", "the"):
            ts = self.title_end.get(s - 1)  # "X's president, P, said"
            if ts is not None and self._owned_title(ts):
                ts = None
            s = s - 1 if ts is not None else s
            if ts is None:
                self._title_of_org_comma(pid, s, e)
        if ts is None:
            return
        titles = [self.title_text(ts, s)]
        if e + 1 < len(doc) and doc[e].lower_ in ("of", "at", "with", "from"):
            hit = self.org_at(e + 1)
            if hit:
                self.add(pid, hit[0], titles[0], s)
                return
        k = ts - 1
        while k > 0 and doc[k].lower_ == "and" and k in self.title_end:  # "X founder and chief executive P"
            titles.append(self.title_text(self.title_end[k], k))
            k = self.title_end[k] - 1
        if k >= 0 and doc[k].text in ("'s", "’s"):
            k -= 1
        if k >= 0 and doc[k].text == ")":
            while k > 0 and doc[k].text != "(":
                k -= 1
            k -= 1
        if k >= 0 and self.kind(k) in (Kind.ORGANIZATION, Kind.PLACE):
            for title in titles:
                self.add(pid, self.index.owner[k], title, s)
        elif k >= 2 and doc[k].lower_ == "whose" and doc[k - 1].text == "," and self.kind(k - 2) is Kind.ORGANIZATION:
            for title in titles:  # "the X Council, whose chairperson, P, was among the guests"
                self.add(pid, self.index.owner[k - 2], title, s)
        elif k >= 1 and doc[k].text == "," and self.kind(k - 1) in (Kind.ORGANIZATION, Kind.PLACE):
            os_, _, oid = self.index.span_of(k - 1)  # "For the X Group, Policy Chairman P said"
            p = os_ - 1 - (os_ > 1 and doc[os_ - 1].lower_ == "the")
            if p >= 0 and doc[p].lower_ in ("for", "at", "from") and (p == 0 or doc[p].is_sent_start):
                for title in titles:
                    self.add(pid, oid, title, s)
        elif k < 0 or self.kind(k) is None and (doc[k].is_sent_start or doc[k].is_punct or doc[k].is_lower):
            self.bare.append((pid, titles[-1], s))  # "Vice-president P told the briefing": whose, the article says

    def _title_of_org_comma(self, pid: str, s: int, e: int) -> None:
        """"Chairman of the X Group, P, said": a title and its org, then the name in commas."""
        doc, k = self.doc, s - 2
        if k < 0 or self.kind(k) not in (Kind.ORGANIZATION, Kind.PLACE):
            return
        os_, _, oid = self.index.span_of(k)
        p = os_ - 1 - (os_ > 1 and doc[os_ - 1].lower_ == "the")
        if p < 1 or doc[p].lower_ not in ("of", "at") or p not in self.title_end:
            return
        ts = self.title_end[p]
        if not self._owned_title(ts):
            self.add(pid, oid, self.title_text(ts, p), s)

    def _owned_title(self, ts: int) -> bool:
        """Whether the title at ``ts`` already describes a person named before it ("P1, X's T, P2")."""
        k = ts - 1
        if k >= 0 and self.doc[k].text in ("'s", "’s"):
            k -= 1
        while k >= 0 and self.kind(k) in (Kind.ORGANIZATION, Kind.PLACE):
            k -= 1
        return k >= 1 and self.doc[k].text == "," and self.kind(k - 1) is Kind.PERSON

    def person(self, pid: str, s: int, e: int) -> None:
        """Every post stated around one person mention."""
        doc, n = self.doc, len(self.doc)
        self.before(pid, s, e)
        if e < n and doc[e].text == "(":  # "P (pictured, second from left), chairman of X"
            j = e + 1
            while j < n and j - e < 8 and doc[j].text != ")" and not doc[j].text[:1].isupper():
                j += 1
            if j < n and doc[j].text == ")":
                e = j + 1
        if e + 2 < n and doc[e].text == "," and doc[e + 1].like_num and doc[e + 2].text == ",":
            e += 2  # "P, 45, founder of X"
        if e < n and doc[e].lower_ in self.lex.post_nominals:
            e += 1  # "P OBE, who chairs X"
        if e + 1 < n and doc[e].text == "," and self._shared(pid, s, e + 1):
            return
        if e in self.title_start:  # "P Chair Professor of X"
            self.chain(pid, e)
        elif e < n and (doc[e].text == "," or doc[e].text in ("–", "—", "-") and doc[e - 1].whitespace_):
            self.chain(pid, e + 1)  # "P, chairman of X", "• P – Founder and CEO, X"
        else:
            self.institution(pid, e)

    def _shared(self, pid: str, s: int, k: int) -> bool:
        """"A and B, co-founders of X": a plural title after people named together is the
        post of each of them."""
        doc, n = self.doc, len(self.doc)
        k += k < n and doc[k].lower_ in ("the", "both")
        j = k
        while j < n and j - k < 4 and (doc[j].is_lower or doc[j].text == "-") and doc[j].pos_ in ("NOUN", "ADJ", "VERB", "PUNCT"):
            j += 1
        if j == k or j >= n or doc[j].lower_ not in ("of", "at", "with") or doc[j - 1].tag_ != "NNS":
            return False
        plural = "".join(t.text_with_ws for t in doc[k:j]).strip().lower()
        title = plural[:-1] if plural.endswith("s") else ""
        if title.split()[-1:] == [] or title.split()[-1] not in self.lex.title_heads:
            return False
        people, i = [pid], s - 1
        while i >= 1 and doc[i].lower_ in ("and", ",") and self.kind(i - 1) is Kind.PERSON:
            ps, _, other = self.index.span_of(i - 1)
            people.append(other)
            i = ps - 1 - (ps >= 2 and doc[ps - 1].lower_ == "and" and doc[ps - 2].text == ",")
        hit = self.org_at(j + 1)
        if len(people) < 2 or not hit:
            return False
        for person in people:
            self.add(person, hit[0], title, k)
        return True

    def institution(self, pid: str, e: int) -> None:
        """A post the text does not name: "P of the X Bank", "P from X", "P (X Bank)"."""
        doc, n = self.doc, len(self.doc)
        if e + 1 >= n:
            return
        if doc[e].lower_ in ("of", "from") or doc[e].text == "(":
            k = e + 1 + (doc[e + 1].lower_ == "the")
            if k >= n or self.kind(k) is not Kind.ORGANIZATION and doc[k].ent_type_ != "ORG" and not (
                    doc[e].text == "(" and acronym_like(doc[k].text)):
                return  # a name tagged as an institution ("(BBVA)" too), not any capitalised word
            hit = self.org_at(e + 1)
            if not hit or self.kind(hit[1] - 1) is not Kind.ORGANIZATION:
                return
            if doc[e].text == "(" and not (hit[1] < n and doc[hit[1]].text == ")"):
                return
            self.add(pid, hit[0], "", e)


def _parse_fallback(reader: _Reader) -> None:
    """Posts the token walk misses, read from the parse: "P was named president of X",
    "P, appointed dean of X last year", "P serves as chairman of X" (the title's head is an
    apposition, attribute or predicate of the person; its "of"/"at" object is the org)."""
    doc, index, registry = reader.doc, reader.index, reader.registry
    have = {(a.person, a.org) for a in reader.out}
    posts = {(a.person, a.span.start, a.title) for a in reader.out}  # a post the walk placed already
    for ts, te in reader.title_start.items():
        head = doc[ts]
        while head.head.i != head.i and ts <= head.head.i < te:
            head = head.head
        org = None
        for prep in doc[te - 1].children if doc[te - 1].children else head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "with"):
                for pobj in prep.children:
                    owner = index.owner[pobj.i]
                    if pobj.dep_ == "pobj" and owner and registry.get(owner).kind is Kind.ORGANIZATION:
                        org = owner
        if org is None:
            continue
        person = None
        up = head.head if head.dep_ == "pobj" and head.head.lower_ == "as" else head
        if up.dep_ in ("appos", "conj") and index.owner[up.head.i]:
            person = index.owner[up.head.i]
        elif up.dep_ in ("attr", "oprd", "prep", "xcomp", "dobj") or head.dep_ == "pobj":
            verb = up.head
            if verb.dep_ in ("acl", "relcl") and index.owner[verb.head.i]:
                person = index.owner[verb.head.i]  # "P, appointed dean of X", "P, who was named ..."
            elif verb.dep_ == "relcl" and verb.head.dep_ == "appos" and index.owner[verb.head.head.i]:
                person = index.owner[verb.head.head.i]  # "P, a 1979 graduate who was then dean of X"
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and index.owner[child.i]:
                    person = index.owner[child.i]
        if person and registry.get(person).kind is Kind.PERSON and (person, org) not in have and \
                (person, span_of(doc, ts, te).sentence_start, reader.title_text(ts, te)) not in posts:
            reader.add(person, org, reader.title_text(ts, te), ts)
            have.add((person, org))


def _home_posts(reader: _Reader) -> None:
    """"President P said the bank ...", "Vice-president Q told the briefing": a post of the
    institution's own hierarchy before a name, with no institution named, in an article that
    is plainly about one institution (named at least three times, twice as often as any
    other) is a post there. No post at all is given where the article has no such institution."""
    if not reader.bare:
        return
    counts = sorted(((len(e.mentions), e.id) for e in reader.registry.entities()
                     if e.kind is Kind.ORGANIZATION and e.org_kind is not OrgKind.MEDIA), reverse=True)
    if not counts or counts[0][0] < 3 or len(counts) > 1 and counts[0][0] < 2 * counts[1][0]:
        return
    home = counts[0][1]
    placed = {a.person for a in reader.out}
    for pid, title, at in reader.bare:
        if pid not in placed and title.split()[-1].lower() in reader.lex.home_titles:
            reader.add(pid, home, title, at)
            placed.add(pid)


def find(doc: Doc, header: Header, registry: EntityRegistry, index: TokenIndex) -> list[Affiliation]:
    """Every (person, organisation, title) the article states."""
    reader = _Reader(doc, registry, index)
    reader.bare = []
    seen_starts = set()
    for s, e, eid in sorted(index.spans):
        if registry.get(eid).kind is Kind.PERSON and s not in seen_starts:
            seen_starts.add(s)
            reader.person(eid, s, e)
    _parse_fallback(reader)
    _home_posts(reader)
    titled = {(a.person, a.org) for a in reader.out if a.title}
    reader.out = [a for a in reader.out if a.title or (a.person, a.org) not in titled]
    for b in header.bylines:
        if b.org:
            pid, oid = registry.find(b.name, Kind.PERSON), registry.find(b.org, Kind.ORGANIZATION)
            if pid and oid:
                sp = registry.get(pid).mentions[0]
                reader.out.append(Affiliation(pid, oid, b.title, sp))
    return reader.out
