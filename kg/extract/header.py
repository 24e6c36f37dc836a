"""The head and tail of a news page: title line, bylines, publication date, navigation residue.

Reads the raw text only (line by line); returns character offsets so that later steps can
skip the header and the navigation lines and record where each byline fact is stated."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import full_date
from .lexicon import words

_NAME = r"[A-Z][a-z]+(?:-[a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Za-z]+)?){1,3}"
_BARE_NAME = re.compile(rf"^({_NAME})$")
_APPOS = re.compile(rf"^({_NAME}),\s+(?:an?\s+|the\s+)?([a-z][a-z -]*?)\s+(?:from|of|with|at)\s+(?:the\s+)?"
                    r"([A-Z][^,]*?)(?:\s+and\s+(?:an?\s+)?[a-z][a-z -]*?\s+(?:from|of|with|at)\s+(?:the\s+)?([A-Z].*?))?"
                    r"(?:\s+in\s+[A-Z][\w -]*)?$")
_LABELLED = re.compile(r"\(?\b((?i:editor|edited by|author|writer|translator|translated by|reviewer|proofreader|"
                       r"responsible editor))\s*:\s*([A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+(?:-[A-Za-z]+)?){1,3})")


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

    def is_content(self, start: int) -> bool:
        """Whether the character at ``start`` belongs to the article's body text."""
        if start < self.body_start or start >= self.body_end:
            return False
        return not any(s <= start < e for s, e in self.skip)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-empty lines as (start, end, stripped text)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _nav_key(line: str) -> str:
    """A navigation line reduced to its words ("[Print this page]" -> "print this page")."""
    return " ".join(re.sub(r"[\[\]|>»«<]", " ", line.lower()).split())


def _strip_prefix(line: str, prefixes: list[str]) -> tuple[str, int] | None:
    """The rest of a line after a label such as "Reporter", "By" or "Source:", with its offset."""
    for p in sorted(prefixes, key=len, reverse=True):
        m = re.match(rf"{re.escape(p)}\s*[:：]?\s+", line, re.I)
        if m and (line[:len(p)].istitle() or ":" in m[0] or p == "by" and line.startswith("By ")):
            return line[m.end():], m.end()
    return None


def _cut_fields(text: str) -> str:
    """Drop a trailing date or a second field ("Graduate Office    Sep. 9, 2021")."""
    text = re.split(r"\s{2,}|\t|\s+\|\s+", text)[0]
    return text.strip(" ,;")


def _byline(line: str, start: int, end: int, lex: dict) -> tuple[list[Byline], list[tuple[str, int, int]]] | None:
    """Parse one header line as a byline or a source line, if it is one."""
    people, orgs = [], []
    org_pref = _strip_prefix(line, lex["org_label_prefixes"])
    if org_pref:
        rest, off = org_pref
        name = _cut_fields(rest)
        if name and name[0].isupper() and not full_date(name):
            orgs.append((name, start + off, start + off + len(name)))
        return people, orgs
    pref = _strip_prefix(line, lex["byline_prefixes"])
    body, off = (pref if pref else (line, 0))
    if "|" in body:  # "By X | Outlet | Updated: ..."
        fields = [f.strip() for f in body.split("|")]
        if len(fields) > 1 and re.fullmatch(_NAME, fields[0]) and fields[1][:1].isupper() and not full_date(fields[1]) \
                and ":" not in fields[1]:
            body = f"{fields[0]}, {fields[1]}"
    body_cut = _cut_fields(body)
    both = re.fullmatch(rf"({_NAME})\s+and\s+({_NAME})", body_cut)
    if pref and both:  # "By A and B"
        return [Byline(both[i], start + off + both.start(i), start + off + both.end(i)) for i in (1, 2)], orgs
    m = re.match(rf"({_NAME})(?:\s*,\s*(.+?))?(?:\s+in\s+[A-Z][\w' -]*)?$", body_cut)
    if pref and m:
        b = Byline(m[1], start + off, start + off + len(m[1]))
        if m[2] and m[2][0].isupper():
            o = start + off + body_cut.index(m[2], len(m[1]))
            b.org, b.org_start, b.org_end = m[2], o, o + len(m[2])
        return [b], orgs
    m = _APPOS.match(line)
    if m and m[2].split()[-1] in ("reporter", "correspondent", "journalist", "editor", "writer", "intern"):
        b = Byline(m[1], start, start + len(m[1]), title=m[2])
        b.org, b.org_start = m[3].strip(), start + m.start(3)
        b.org_end = b.org_start + len(b.org)
        if m[4]:
            o = start + m.start(4)
            orgs.append((m[4].strip(), o, o + len(m[4].strip())))
        return [b], orgs
    return None


def _is_name(name: str) -> bool:
    """A byline name, not "Staff Reporter" or "Our Correspondent"."""
    lex = words()
    return not any(w.lower() in lex.title_heads or w.lower() in ("staff", "our", "news", "agency", "desk", "online")
                   or w.lower() in lex.org_heads or w.lower() in lex.event_heads for w in name.split())


def parse(text: str) -> Header:
    """Title, bylines, publication date and the content range of one article."""
    lex = words().header
    lines = _lines(text)
    if not lines:
        return Header("", None, 0, len(text))
    title = lines[0][2]
    head = Header(title, None, lines[0][1], len(text))
    stop = set(lex["nav_stop"])
    navs = set(lex["nav_lines"])
    in_header = True
    for i, (s, e, line) in enumerate(lines):
        key = _nav_key(line)
        if any(key.startswith(p) for p in stop):
            head.body_end = min(head.body_end, s)
            break
        if key in navs or (i > 0 and len(key) < 40 and key.split(" ")[0] in ("back", "print", "share")):
            head.skip.append((s, e))
            continue
        parsed = _byline(line, s, e, lex)
        date = full_date(line)
        short = parsed is not None or bool(_BARE_NAME.match(line)) or bool(date) and len(line.split()) <= 8
        if i == 0:
            if parsed:
                head.bylines += parsed[0]
                head.orgs += parsed[1]
                head.line_spans[s] = (s, e)
            continue
        if in_header and short:
            if date and head.published is None:
                head.published = date
            if parsed:
                head.bylines += parsed[0]
                head.orgs += parsed[1]
            elif _BARE_NAME.match(line) and not date:
                head.bylines.append(Byline(line, s, e))
            head.line_spans[s] = (s, e)
            head.body_start = e
            continue
        in_header = False
        if any(b.name == line for b in head.bylines):
            head.skip.append((s, e))
    for m in _LABELLED.finditer(text):
        words_ = m[2].split()
        while words_ and words_[-1].lower() in words().title_heads | {"reviewer", "proofreader", "editor"}:
            words_.pop()  # "Editor: Xu Ting  Reviewer: ..." (one space between a name's words)
        if len(words_) >= 2:
            name = " ".join(words_)
            head.bylines.append(Byline(name, m.start(2), m.start(2) + len(name), title=m[1].lower()))
    head.bylines = [b for b in head.bylines if _is_name(b.name)]
    return head
