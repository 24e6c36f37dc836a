"""The head and tail of a news page: title line, bylines, publication date, navigation residue.

Reads the raw text only (line by line); returns character offsets so that later steps can
skip the header and the navigation lines and record where each byline fact is stated.

A header line is cut into fields (at "|", tabs, runs of spaces, " - " and commas) and each
field is read on its own: a label ("Source:", "By", "Editor:") says what follows; a date is
the publication date (the first one); a name is a byline; "staff reporter" or "Lagos
correspondent" is the byline's title; "Harbor Business Wire correspondent" is an outlet and
a title; a name with a media head word ("Daily", "Wire", "Review") is an outlet. The header
ends at the first line of prose. Credits in the body ("(Reporter Wen Tao)", "(Photo by Wen
Tao, Harbor Daily)", "Editor: Xu Lan") are bylines too."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import date_span, dateline, full_date
from .header_fields import (
    _commas,
    _Field,
    _is_name,
    _labelled,
    _lines,
    _nav_key,
    _outlet,
    _prose,
    _split,
    _title_words,
)
from .lexicon import words

_CREDIT = re.compile(
    r"[(（]\s*(?P<label>(?i:reporters?|photo by|photos by|photographed by|written by|text by|by))\s*:?\s+"
    r"(?P<body>[A-Z][^()（）\n]{2,80}?)\s*[)）]")
_LABELLED = re.compile(
    r"\(?\b((?i:editors?|edited by|author|writer|translator|translated by|translated and edited by|reviewer|"
    r"proofreader|responsible editor))\s*:\s*"
    r"([A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+(?:-[A-Za-z]+)?){1,3}(?:\s*,\s*[A-Z][a-z]+(?: [A-Z][a-z]+){1,3})*)")


@dataclass
class Byline:
    """A person named in the header, with the outlet and post the header gives."""

    name: str
    start: int
    end: int
    org: str | None = None
    org_start: int = 0
    org_end: int = 0
    title: str = "reporter"


@dataclass
class Header:
    title: str
    published: str | None
    body_start: int  # first character of the body (after title and byline lines)
    body_end: int  # where navigation residue ("Related Stories" ...) begins
    bylines: list[Byline] = field(default_factory=list)
    orgs: list[tuple[str, int, int]] = field(default_factory=list)  # publisher / source lines
    skip: list[tuple[int, int]] = field(default_factory=list)  # lines that are not content
    line_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # start -> (start, end) of header lines
    title_start: int = 0  # the headline's offsets
    title_end: int = 0
    dateline: tuple[str, int, int] | None = None  # "HONG KONG, Oct 24 -": the place, its offsets

    def is_content(self, start: int) -> bool:
        """Whether the character at ``start`` belongs to the article's body text."""
        if start < self.body_start or start >= self.body_end:
            return False
        return not any(s <= start < e for s, e in self.skip)


class _LineReader:
    """Reads the fields of the header lines into a :class:`Header`."""

    def __init__(self, head: Header) -> None:
        self.head = head
        self.lex = words().header

    def fields(self, s: int, line: str) -> list[_Field]:
        """The fields of one line: separators, labels, a date taken out whole, then commas."""
        out: list[_Field] = []
        for part in _split(line, s):
            labelled = _labelled(part[0], self.lex)
            if labelled and self.lex["labels"].get(labelled[0].label) == "org":
                out += labelled  # "Source: Harbor Daily - Business Channel": the outlet is the first piece
                continue
            for g in labelled + part[1:]:
                found = date_span(g.text)
                if found and self.lex["labels"].get(g.label, "") in ("", "date"):
                    iso, ds, de = found
                    if not re.match(r"\s*-\d", g.text[de:]):  # "March 6-7, 2024" is no one day
                        out.append(_Field(g.text[ds:de], g.start + ds, "date"))
                    rest = [_Field(g.text[:ds].rstrip(" ,;"), g.start, g.label),
                            _Field(g.text[de:].lstrip(" ,;"), g.start + de + len(g.text[de:]) - len(g.text[de:].lstrip(" ,;")))]
                    out += [x for r in rest if r.text for x in _commas(r)]
                    continue
                kind = self.lex["labels"].get(g.label, "")
                out += _commas(g) if kind in ("", "byline") else [g]
        return out

    def line(self, s: int, line: str) -> bool:
        """Read one header line; whether it held any header field."""
        fields = self.fields(s, line)
        kinds = [self._kind(f) for f in fields]
        context = any(k in ("outlet", "title", "date") for k, _ in kinds) or len(fields) == 1
        person: Byline | None = None
        here: list[Byline] = []  # the names of this line: "By A and B, X Desk" gives both the desk
        pending: tuple[str, int, int] | None = None
        found = False
        for f, (kind, extra) in zip(fields, kinds):
            if kind in ("skip", "date"):
                found = True
                if kind == "date" and self.head.published is None:
                    self.head.published = full_date(f.text)
            elif kind == "source":
                name = f.text.strip(" ,;")
                if name[:1].isupper() and not re.search(r"\.\w{2,}$", name):
                    self.head.orgs.append((name, f.start, f.start + len(name)))
                found = True
            elif kind == "credit":
                for name, ns in extra:
                    self.head.bylines.append(Byline(name, ns, ns + len(name), title=f.label))
                found = True
            elif kind == "name" and person is not None and person.title and not f.label and isinstance(extra, list) \
                    and len(extra) == 1:
                person.org, person.org_start, person.org_end = f.text, f.start, f.end  # "P, Asia correspondent | Outlet"
                found = True
            elif kind == "name" and (f.label or context):
                for name, ns in extra:
                    person = Byline(name, ns, ns + len(name))
                    self.head.bylines.append(person)
                    here.append(person)
                if pending:
                    person.org, person.org_start, person.org_end = pending  # type: ignore[union-attr]
                found = True
            elif kind == "title":
                org, title = extra
                if person is not None:
                    person.title = title
                if org:
                    pending = (org, f.start, f.start + len(org))
                    self._outlet(person, pending, here)
                found = True
            elif kind == "outlet" or kind == "cap" and person is not None and person.org is None:
                pending = (f.text, f.start, f.end)
                self._outlet(person, pending, here)
                found = True
        return found

    def _kind(self, f: _Field) -> tuple[str, object]:
        """What one field is: a date, a source, a credit, a name, a title, an outlet, a
        capitalised phrase, or nothing."""
        label = self.lex["labels"].get(f.label, "")
        if f.label == "date" or label == "date":
            return ("date", None) if full_date(f.text) else ("skip", None)
        if label == "skip":
            return "skip", None
        if label == "org":
            return "source", None
        if label == "person":
            names = self._names(f)
            return ("credit", names) if names else ("skip", None)
        names = self._names(f)
        if names:
            return "name", names
        org, title = _title_words(f.text, self.lex)
        if title:
            return "title", (org, title)
        if _outlet(f.text):
            return "outlet", None
        if f.text[:1].isupper() and len(f.text.split()) >= 2:
            return "cap", None
        return "", None

    def _outlet(self, person: Byline | None, org: tuple[str, int, int], here: list[Byline]) -> None:
        """An outlet named in a byline line: the organisation of the line's bylines that have
        none yet, or the page's source."""
        if person is not None and person.org is None:
            for p in here:
                if p.org is None:
                    p.org, p.org_start, p.org_end = org
        else:
            self.head.orgs.append(org)

    @staticmethod
    def _names(f: _Field) -> list[tuple[str, int]]:
        """The names of a byline field: one, or "A and B"."""
        parts = re.split(r"\s+and\s+|\s*&\s*", f.text)
        out, pos = [], 0
        for p in parts:
            at = f.text.index(p, pos)
            pos = at + len(p)
            name = re.sub(r"\s+in\s+[A-Z][\w' -]*$", "", p).strip()  # "By Maria Rossi in Milan"
            if not _is_name(name, bool(f.label)):
                return []
            out.append((name, f.start + at))
        return out


def _title_index(lines: list[tuple[int, int, str]]) -> int:
    """The headline: the first line, unless that is a short kicker ("MEDIA RELEASE", "Disponible
    en Español") above a longer line that is not prose."""
    if len(lines) > 1 and len(lines[0][2].split()) <= 3 and len(lines[1][2].split()) > 3 \
            and not _prose(lines[1][2]) and not full_date(lines[0][2]) and not full_date(lines[1][2]) \
            and not _LineReader(Header("", None, 0, 0)).line(lines[1][0], lines[1][2]):
        return 1
    return 0


def parse(text: str) -> Header:
    """Title, bylines, publication date and the content range of one article."""
    lex = words().header
    lines = _lines(text)
    if not lines:
        return Header("", None, 0, len(text))
    t = _title_index(lines)
    title = lines[t][2]
    head = Header(title, None, lines[t][1], len(text), title_start=lines[t][0], title_end=lines[t][1])
    for s, e, _ in lines[:t]:
        head.skip.append((s, e))
    stop = set(lex["nav_stop"])
    navs = set(lex["nav_lines"])
    reader = _LineReader(head)
    if t == 0 and not _prose(lines[0][2]) and len(lines) > 1 and (
            full_date(lines[0][2]) and len(lines[0][2].split()) <= 8 or _BYLINE_START.match(lines[0][2])):
        reader.line(lines[0][0], lines[0][2])  # a byline or date above the headline
    in_header = True
    for i, (s, e, line) in enumerate(lines):
        key = _nav_key(line)
        if i > t and any(key.startswith(p) for p in stop):
            head.body_end = min(head.body_end, s)
            break
        if i <= t:
            continue
        if key in navs or (len(key) < 40 and key.split(" ")[0] in ("back", "print", "share")):
            head.skip.append((s, e))
            continue
        if in_header and i <= t + 4 and not _prose(line) and len(line.split()) <= 16:
            if reader.line(s, line):
                head.line_spans[s] = (s, e)
                head.body_start = e
                continue
        in_header = False
        if any(b.name == line for b in head.bylines):
            head.skip.append((s, e))
    _credits(text, head)
    _dateline(text, head)
    seen, unique = set(), []
    for b in head.bylines:
        if b.name not in seen:
            seen.add(b.name)
            unique.append(b)
    head.bylines = unique
    return head


def _dateline(text: str, head: Header) -> None:
    """A wire dateline that opens the body ("HONG KONG, Oct 24 -", "Lagos, March 3 (Wire) --",
    "BEIJING --"): the place the story is filed from, recorded on the header with its name
    in the body's spelling (else capitalised); its words name no entity of their own."""
    start = head.body_start
    while start < head.body_end and (text[start].isspace() or not head.is_content(start)):
        start += 1
    m = dateline(text, start, head.body_end)
    if not m:
        return
    place = m["place"]
    if place.isupper():  # the body's own spelling if it has one, else each word capitalised
        same = re.search(re.escape(place), text[m.end():head.body_end], re.I)
        place = same[0] if same and not same[0].isupper() else " ".join("-".join(
            p.capitalize() if i == 0 or len(p) > 3 else p.lower() for i, p in enumerate(w.split("-")))
            for w in place.split())
    head.dateline = (place, m.start("place"), m.end("place"))


_BYLINE_START = re.compile(r"^(?:By|Reporter|Reporters)\s+[A-Z]")


def _credits(text: str, head: Header) -> None:
    """Bylines in the body: "(Reporter Wen Tao)", "(Photo by Wen Tao, Harbor Daily)", and
    "Editor: Xu Lan" labels anywhere."""
    known = {b.name for b in head.bylines}
    outlets = {name for name, _, _ in head.orgs if _outlet(name)}
    for m in _CREDIT.finditer(text):
        label = m["label"].lower()
        title = "photographer" if label.startswith("photo") else "reporter"
        pieces = [(p.group(0).strip(), m.start("body") + p.start()) for p in re.finditer(r"[^,]+", m["body"])]
        pieces = [(p, o + len(m["body"][o - m.start("body"):]) - len(m["body"][o - m.start("body"):].lstrip()))
                  for p, o in pieces if p]
        org = None
        if pieces and not _is_name(pieces[-1][0]) and _outlet(pieces[-1][0]):
            org = pieces.pop()
        elif title == "reporter" and len(outlets) == 1:
            name = next(iter(outlets))  # "(Reporter Wen Tao)" after the outlet's dateline
            pos = text.find(name)
            org = (name, pos)
        for piece, o in pieces:
            for part in re.split(r"\s+and\s+", piece):
                if not _is_name(part, True) or part in known:
                    continue
                known.add(part)
                s = o + piece.index(part)
                b = Byline(part, s, s + len(part), title=title)
                if org:
                    b.org, b.org_start, b.org_end = org[0], org[1], org[1] + len(org[0])
                head.bylines.append(b)
    for m in _LABELLED.finditer(text):
        for nm in re.finditer(r"[A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+(?:-[A-Za-z]+)?){1,3}", m[2]):
            words_ = nm[0].split()
            while words_ and words_[-1].lower() in words().title_heads | {"reviewer", "proofreader", "editor"}:
                words_.pop()  # "Editor: Xu Ting  Reviewer: ..." (one space between a name's words)
            if len(words_) >= 2:
                name = " ".join(words_)
                if name in known or not _is_name(name):
                    continue
                known.add(name)
                s = m.start(2) + nm.start()
                label = m[1].lower()
                head.bylines.append(Byline(name, s, s + len(name), title="editor" if label.startswith("editor")
                                           else label))
