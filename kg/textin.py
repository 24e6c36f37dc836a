"""Text in: turn a decoded file into the plain article text kg extracts from.

Pure functions over strings (io.py reads the bytes and calls them):

- :func:`repair_mojibake` undoes the common "UTF-8 read as cp1252/Latin-1" damage
  ("â€™" -> "’", "Ã©" -> "é", "ðŸš€" -> "🚀"), twice-damaged text included;
- :func:`html_to_text` keeps an HTML page's article text (standard-library ``html.parser``):
  scripts, styles, nav, header, footer, aside and forms never become text, block elements
  become paragraphs, character references are decoded exactly once;
- :func:`markdown_to_text` strips Markdown markup (headings, emphasis, code, links keep
  their text, images and reference definitions go);
- :func:`fix_c1_controls` reads stray C1 controls as the cp1252 characters they stood for;
- :func:`normalise` gives one form to every input: ``\\n`` line ends, no control characters
  but tab and newline, no stray BOMs, Unicode NFC;
- :func:`clean` runs the lot for a given :class:`TextFormat` and says what it did.

Character offsets recorded as provenance are offsets into the cleaned text.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from html.parser import HTMLParser


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


@lru_cache(maxsize=1)
def _c1_table() -> dict[int, str]:
    table = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            pass  # 81, 8D, 8F, 90, 9D: no cp1252 meaning; normalise() drops them
    return table


def fix_c1_controls(text: str) -> tuple[str, int]:
    """Read C1 control characters as the cp1252 characters they stand for: text that went
    cp1252 -> Latin-1 -> UTF-8 carries U+0092 where "’" was meant. Returns the text and how
    many were read."""
    count = sum(1 for ch in text if 0x80 <= ord(ch) < 0xA0 and ord(ch) in _c1_table())
    return (text.translate(_c1_table()), count) if count else (text, 0)


# --- HTML -----------------------------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                   "form", "svg", "math", "iframe", "object", "canvas", "button", "select",
                   "textarea", "dialog"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
                    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tr",
                    "figure", "figcaption", "address", "hr", "body", "caption", "details",
                    "summary", "center"})
_MAIN = frozenset({"article", "main"})


class _ArticleHTML(HTMLParser):
    """Collects paragraphs of visible text; those inside <article>/<main> separately."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # character references decoded here, once
        self.skip = 0
        self.main = 0
        self.pre = 0
        self.in_title = self.in_h1 = False
        self.title: list[str] = []
        self.headline = ""  # <meta property="og:title">: the headline without the site's name
        self.h1: list[str] = []
        self.blocks: list[tuple[bool, str]] = []  # (inside article/main, text)
        self.lines: list[str] = []  # lines of the current block ended by <br>
        self.current: list[str] = []

    def line_break(self) -> None:
        self.lines.append("".join(self.current))
        self.current = []

    def flush(self) -> None:
        self.line_break()
        lines = self.lines if self.pre else [" ".join(line.split()) for line in self.lines]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            self.blocks.append((self.main > 0, text))
        self.lines = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        if self.skip:
            return
        if tag == "title":
            self.in_title = True
        elif tag == "meta":
            found = dict(attrs)
            if (found.get("property") or found.get("name") or "").lower() in ("og:title", "twitter:title"):
                self.headline = self.headline or " ".join((found.get("content") or "").split())
        if tag in _BLOCK:
            self.flush()
        if tag in _MAIN:
            self.main += 1
        if tag == "pre":
            self.pre += 1
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "br":
            self.line_break()
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if self.skip:
            return
        if tag in _BLOCK:
            self.flush()
        if tag in _MAIN and self.main:
            self.main -= 1
        if tag == "pre" and self.pre:
            self.pre -= 1
        elif tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1.append(data)
        self.current.append(data)


def _defuse(page: str) -> str:
    """What html.parser would rescan to the end of the page once per "<" (quadratic time on a
    hostile page): an unterminated comment is dropped, as browsers do, and a "<" after the
    page's last ">" is escaped to text."""
    pos = 0
    while (start := page.find("<!--", pos)) >= 0:
        end = page.find("-->", start + 4)
        if end < 0:
            page = page[:start]
            break
        pos = end + 3
    last = page.rfind(">")
    return page[:last + 1] + page[last + 1:].replace("<", "&lt;")


_MARKUP_DECL = re.compile(r"<!(?!--|doctype)", re.IGNORECASE)


def _parse(page: str) -> _ArticleHTML:
    parser = _ArticleHTML()
    parser.feed(page)
    parser.close()
    parser.flush()
    return parser


def html_to_text(page: str) -> str:
    """The article text of an HTML page: the paragraphs inside <article>/<main> when the page
    has them, else the whole body. When the text has no <h1> (a headline inside a skipped
    <header>, say), the og:title headline, else the page <title>, heads it."""
    page = _defuse(page)
    try:
        parser = _parse(page)
    except Exception:  # html.parser gives up on some junk ("<![" + not a name): AssertionError
        parser = _parse(_MARKUP_DECL.sub("&lt;!", page))
    main = [text for inside, text in parser.blocks if inside]
    paragraphs = main or [text for _, text in parser.blocks]
    title = parser.headline or " ".join("".join(parser.title).split())
    if not parser.h1 and title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


# --- Markdown -------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_LIST = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])\s+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~<])")
_URL = r"(?:[^()\s]|\([^()\s]{0,100}\)){0,500}"  # one level of parentheses, as URLs have
# Every pattern is bounded (no unbounded lazy scan, no nested open-ended repeats): a hostile
# line of 100,000 "*" or "[" costs linear time, not quadratic.
_INLINE = [
    (re.compile(r"`([^`\n]{1,500})`"), r"\1"),
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\(" + _URL + r"(?:\s+\"[^\"\n]{0,200}\")?\)"), ""),
    (re.compile(r"\[([^\[\]\n]{1,500})\]\(" + _URL + r"(?:\s+\"[^\"\n]{0,200}\")?\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,200}\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^<>\s]{1,2000})>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,1000})?/?>"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.{1,300}?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=[^\s_])(.{1,300}?)(?<=[^\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.{1,300}?)(?<=\S)~~"), r"\1"),
]


def _inline(line: str) -> str:
    escapes: list[str] = []

    def hold(m: re.Match[str]) -> str:
        escapes.append(m.group(1))
        return f"\x00{len(escapes) - 1}\x00"

    line = _ESCAPE.sub(hold, line)
    line = _strip_comments(line)
    for pattern, repl in _INLINE:
        line = pattern.sub(repl, line)
    if "|" in line and line.strip().startswith("|"):
        line = "  ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    line = html.unescape(line)  # entities decoded once, after markup is gone
    return re.sub("\x00(\\d+)\x00", lambda m: escapes[int(m.group(1))], line)


def _strip_comments(line: str) -> str:
    """Drop <!-- ... --> (found with str.find: linear however many "<!--" a line has)."""
    out, pos = [], 0
    while (start := line.find("<!--", pos)) >= 0:
        end = line.find("-->", start + 4)
        if end < 0:
            break
        out.append(line[pos:start])
        pos = end + 3
    out.append(line[pos:])
    return "".join(out)


def markdown_to_text(md: str) -> str:
    """Plain text of a Markdown document: block markers and inline markup go, the words stay."""
    out: list[str] = []
    fenced = False
    for raw in md.split("\n"):
        if _FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            out.append(raw)
            continue
        if _RULE.match(raw) and not (_SETEXT.match(raw) and out and out[-1].strip()):
            out.append("")
            continue
        if _SETEXT.match(raw) and out and out[-1].strip():
            continue  # the underline of a setext heading
        if _REFDEF.match(raw) or _TABLE_RULE.match(raw):
            continue
        line = _QUOTE.sub("", raw)
        heading = _ATX.match(line)
        if heading:
            line = heading.group(1) or ""
        line = _LIST.sub(r"\1", line)
        out.append(_inline(line))
    return "\n".join(out)


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
