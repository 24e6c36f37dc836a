"""Header lines cut into fields: the separators of a news page's header ("|", tabs, runs of
spaces, " - ", commas), a field's label ("Source:", "By"), and the tests that say a field is
a name, a title or an outlet. Read by :mod:`.header`."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import words

_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)*|[A-Z]{2,}(?:-[A-Z]+)*|[A-Z]\.)"
_PARTICLE = r"(?:van|von|de|der|den|da|del|della|di|du|al|el|bin|binti|le|la|dos|das|ng)"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{1,3}}(?:,?\s+Jr\.?)?"
_NAME_RE = re.compile(rf"^{_NAME}$")
_STRONG = re.compile(r"\s*\|\s*|\t+|\s{2,}")
_DASH = re.compile(r"\s+[-–—]{1,2}\s+")
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{0,20}?)\s*[:：]\s*(?P<rest>.*)$")


@dataclass
class _Field:
    text: str
    start: int
    label: str = ""  # "by", "source", "editor", ... (lower case), or ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)


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


def _prose(line: str) -> bool:
    """A line of running text: long, or a sentence that ends like one."""
    n = len(line.split())
    return n > 18 or n >= 8 and line[-1:] in ".!?\"”" or bool(re.search(r"\s--\s|\(\w+\)\s+[-–—]", line)) and n > 8


def _split(text: str, start: int) -> list[list[_Field]]:
    """A header line cut at its separators ("|", tabs, runs of spaces), each part cut again
    at " - " (a label before the first piece labels the whole part), with offsets."""
    out = []
    for part in _pieces(text, start, _STRONG):
        out.append(_pieces(part.text, part.start, _DASH))
    return out


def _pieces(text: str, start: int, sep: re.Pattern) -> list[_Field]:
    """``text`` cut at ``sep``, stripped, with offsets."""
    out, pos = [], 0
    for m in list(sep.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append(_Field(piece, start + pos + lead))
        pos = m.end() if m else len(text)
    return out


def _labelled(f: _Field, lex: dict) -> list[_Field]:
    """A field with its label ("Source: X", "By X", "Reporter X") split off; a label with
    nothing after it labels nothing."""
    m = _LABEL.match(f.text)
    if m and m["label"].strip().lower() in lex["known_labels"]:
        rest = m["rest"].strip()
        off = f.start + m.start("rest")
        return [_Field(rest, off, m["label"].strip().lower())] if rest else []
    for p in sorted(lex["byline_prefixes"], key=len, reverse=True):
        m = re.match(rf"({re.escape(p)})\s+(?=[A-Z])", f.text, re.I)
        if m and (f.text[:1].isupper() or p == "by"):
            return [_Field(f.text[m.end():], f.start + m.end(), p.lower())]
    return [f]


def _commas(f: _Field) -> list[_Field]:
    """A field cut at its commas ("Wen Tao, staff reporter, Harbor Daily"), unless the comma
    belongs to a date ("March 3, 2021") or a company ("Co., Ltd.")."""
    out, pos = [], 0
    for m in list(re.finditer(r",\s*(?!\s*(?:Ltd|Inc|Jr)\b)", f.text)) + [None]:
        end = m.start() if m else len(f.text)
        piece = f.text[pos:end].strip()
        if piece:
            out.append(_Field(piece, f.start + pos + (len(f.text[pos:end]) - len(f.text[pos:end].lstrip())),
                              f.label if not out or f.label.endswith("s") else ""))  # "Reporters: A, B": both
        pos = m.end() if m else len(f.text)
    return out


def _is_name(name: str, labelled: bool = False) -> bool:
    """A byline name, not "Staff Reporter", "Our Correspondent" or an outlet. After a label
    ("By", "Reporter") a head word of a place or an event may be a name ("Juno Park")."""
    if not _NAME_RE.match(name):
        return False
    lex = words()
    media = set(lex.header["media_heads"])
    bad = {"staff", "our", "news", "agency", "desk", "online", "media", "release", "activities"}
    for w in name.replace("-", " ").split():
        low = w.lower().rstrip(".")
        if low in lex.title_heads or low in bad or low in media or low in lex.months or low in lex.weekdays:
            return False
        if not labelled and (low in lex.org_heads or low in lex.event_heads or low in lex.venue_heads):
            return False
    return True


def _title_words(text: str, lex: dict) -> tuple[str | None, str]:
    """("Harbor Daily", "correspondent") for "Harbor Daily correspondent", (None, "staff
    reporter") for "staff reporter" or "Lagos correspondent" (a title with a place), else
    (None, "")."""
    parts = text.split()
    heads = lex["byline_titles"]
    if not parts or parts[-1].lower() not in heads:
        return None, ""
    k = len(parts) - 1
    while k > 0 and parts[k - 1].lower() in lex["byline_title_mods"]:
        k -= 1
    before = parts[:k]
    title = " ".join(parts[k:]).lower()
    if not before:
        return None, title
    if len(before) >= 2 and all(w[:1].isupper() for w in before):
        return " ".join(before), title
    return None, " ".join(parts).lower()  # "Lagos correspondent": the printed title


def _outlet(text: str) -> bool:
    """A name that reads as a news outlet ("The Harbor Daily", "Gulf Business Wire")."""
    parts = [w for w in re.split(r"[\s-]+", text) if w]
    if not parts or not parts[0][:1].isupper() or "." in text and " " not in text:
        return False
    media = set(words().header["media_heads"])
    return any(w.lower() in media for w in parts[1:]) or len(parts) >= 2 and parts[-1].lower() in media
