"""Text in: turn a decoded file into the plain article text kg extracts from.

Pure functions over strings (io.py reads the bytes and calls them):

- :func:`repair_mojibake` undoes the common "UTF-8 read as cp1252/Latin-1" damage
  ("â€™" -> "’", "Ã©" -> "é", "ðŸš€" -> "🚀"), twice-damaged text included;
- :func:`html_to_text` and :func:`markdown_to_text` (from :mod:`kg.markup`) keep the
  words of an HTML page's article or of a Markdown document;
- :func:`fix_c1_controls` reads stray C1 controls as the cp1252 characters they stood for;
- :func:`normalise` gives one form to every input: ``\\n`` line ends, no control characters
  but tab and newline, no stray BOMs, Unicode NFC;
- :func:`clean` runs the lot for a given :class:`TextFormat` and says what it did.

Character offsets recorded as provenance are offsets into the cleaned text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from .decode import cp1252_c1_table
from .markup import html_to_text, markdown_to_text

__all__ = ["Cleaned", "TextFormat", "clean", "fix_c1_controls", "html_to_text", "markdown_to_text",
           "normalise", "repair_mojibake", "sniff_format", "split_for_parser"]


class TextFormat(str, Enum):
    """How an article file is marked up."""

    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Cleaned:
    """Cleaned article text and notes on what cleaning changed (for progress output)."""

    text: str
    notes: tuple[str, ...] = ()


_HTML_SNIFF = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)


def sniff_format(suffix: str, text: str) -> TextFormat:
    """The format of a file by its suffix; a ``.txt`` that is really a saved web page is HTML."""
    suffix = suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return TextFormat.HTML
    if suffix in (".md", ".markdown"):
        return TextFormat.MARKDOWN
    if _HTML_SNIFF.match(text[:4096]):
        return TextFormat.HTML
    return TextFormat.TEXT


def clean(text: str, fmt: TextFormat) -> Cleaned:
    """Repair mojibake, strip markup and normalise; ``notes`` says what was done."""
    notes: list[str] = []
    text, repaired = repair_mojibake(text)
    if repaired:
        notes.append(f"repaired {repaired} mojibake sequence{'s' if repaired != 1 else ''}")
    text, c1 = fix_c1_controls(text)
    if c1:
        notes.append(f"read {c1} C1 control character{'s' if c1 != 1 else ''} as cp1252 (U+0092 -> ’)")
    if fmt is TextFormat.HTML:
        text = html_to_text(text)
        notes.append("HTML: article text extracted")
    elif fmt is TextFormat.MARKDOWN:
        text = markdown_to_text(text)
        notes.append("Markdown: markup stripped")
    return Cleaned(normalise(text), tuple(notes))


# --- mojibake -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _mojibake_tables() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str]]:
    """char -> byte for text that was UTF-8 decoded as cp1252 (or Latin-1), a pattern
    matching one damaged UTF-8 sequence, and one matching a "”" whose last byte was lost."""
    to_byte: dict[str, int] = {}
    for b in range(0x80, 0x100):
        try:
            to_byte[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass
        to_byte.setdefault(chr(b), b)  # Latin-1 reading, and cp1252's five undefined bytes

    def cls(lo: int, hi: int) -> str:
        chars = sorted(ch for ch, b in to_byte.items() if lo <= b <= hi)
        return "[" + "".join(re.escape(ch) for ch in chars) + "]"

    cont = cls(0x80, 0xBF)
    pattern = re.compile(f"{cls(0xF0, 0xF4)}{cont}{{3}}|{cls(0xE0, 0xEF)}{cont}{{2}}|{cls(0xC2, 0xDF)}{cont}")
    bare_quote = re.compile(f"\u00e2\u20ac(?!{cont})")  # E2 80 then no continuation byte
    return to_byte, pattern, bare_quote


def repair_mojibake(text: str, passes: int = 3) -> tuple[str, int]:
    """Undo UTF-8-read-as-cp1252 damage; returns the text and how many sequences were fixed.

    A damaged sequence is a run of characters whose cp1252 bytes form one valid UTF-8
    character. Three- and four-byte sequences ("â€™", "ðŸš€") are always repaired; two-byte
    ones only after "Â" or "Ã" (the damage of Latin-1 letters and symbols: "Ã©", "Â£") or
    next to another damaged sequence, so genuine text such as "Ü“" is left alone. A bare
    "â€" is a "”" whose last byte (cp1252's undefined 9D) a decoder dropped."""
    to_byte, pattern, bare_quote = _mojibake_tables()
    total = 0
    for _ in range(passes):
        matches = list(pattern.finditer(text))
        if not matches:
            break
        out: list[str] = []
        pos = fixed = 0
        for i, m in enumerate(matches):
            seq = m.group()
            try:
                char = bytes(to_byte[c] for c in seq).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(seq) == 2 and seq[0] not in "ÂÃ":
                near = (i > 0 and matches[i - 1].end() == m.start()) or \
                       (i + 1 < len(matches) and matches[i + 1].start() == m.end())
                if not near:
                    continue
            out.append(text[pos:m.start()])
            out.append(char)
            pos = m.end()
            fixed += 1
        if not fixed:
            break
        out.append(text[pos:])
        text = "".join(out)
        total += fixed
    # "”" is E2 80 9D; decoders that drop cp1252's undefined 9D leave a bare "â€"
    text, bare = bare_quote.subn("\u201d", text)
    return text, total + bare


def fix_c1_controls(text: str) -> tuple[str, int]:
    """Read C1 control characters as the cp1252 characters they stand for: text that went
    cp1252 -> Latin-1 -> UTF-8 carries U+0092 where "’" was meant. Returns the text and how
    many were read."""
    count = sum(1 for ch in text if 0x80 <= ord(ch) < 0xA0 and ord(ch) in cp1252_c1_table())
    return (text.translate(cp1252_c1_table()), count) if count else (text, 0)


# --- normal form ----------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def normalise(text: str) -> str:
    """One form for all inputs: ``\\n`` line ends, tab and newline the only control
    characters, no BOM or non-characters, Unicode NFC."""
    text = _BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


# --- parts for the parser -------------------------------------------------------------

def split_for_parser(text: str, limit: int) -> list[str]:
    """Cut ``text`` into parts of at most ``limit`` characters that join back to exactly
    ``text``, so offsets into the whole stay right. Cuts fall after a blank line where one
    is in reach, else after a line end, else after a sentence's full stop, else at a space,
    and only as a last resort mid-word."""
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        floor = limit // 4  # never cut so early that parts become tiny
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at >= floor:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        parts.append(text[pos:pos + cut])
        pos += cut
    parts.append(text[pos:])
    return [p for p in parts if p] or [text]
