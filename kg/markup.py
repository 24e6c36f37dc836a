"""Markup to plain text: an HTML page's article text and a Markdown document's words.

- :func:`html_to_text` (standard-library ``html.parser``): scripts, styles, nav, header,
  footer, aside and forms never become text; block elements become paragraphs; character
  references are decoded exactly once; the <article>/<main> content is preferred.
- :func:`markdown_to_text`: headings, emphasis, code, links keep their text; images,
  reference definitions, rules and fences go.

Both take hostile input in linear time (bounded patterns; html.parser's rescans of
unterminated constructs defused) and never raise on junk. Used by :mod:`kg.textin`.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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
_ATX = re.compile(r"[ ]{0,3}#{1,6}(?=[ \t]|$)")
_SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*$")
_REFDEF = re.compile(r"[ ]{0,3}\[[^\[\]\n]{1,500}\]:[ \t]*\S")
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


# The block tests below are plain string operations, not regexes: patterns like
# "\s*#*\s*$" backtrack quadratically over a long run of spaces.

def _is_rule(line: str) -> bool:
    """A thematic break: three or more of one of - * _ (spaces between allowed)."""
    body = line.strip()
    if not body or len(line) - len(line.lstrip(" ")) > 3 or body[0] not in "-*_":
        return False
    marks = body.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and marks == body[0] * len(marks)


def _is_table_rule(line: str) -> bool:
    """A table's header rule: "|---|:--:|" or "--- | ---"."""
    body = line.strip()
    return "|" in body and "---" in body and not body.strip("|:- \t")


def _heading_text(rest: str) -> str:
    """An ATX heading's text without its optional closing hashes."""
    text = rest.strip()
    bare = text.rstrip("#")
    if not bare or bare[-1] in " \t":
        text = bare.strip()
    return text


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
        underline = bool(_SETEXT.match(raw)) and bool(out) and bool(out[-1].strip())
        if _is_rule(raw) and not underline:
            out.append("")
            continue
        if underline:
            continue  # the underline of a setext heading
        if _REFDEF.match(raw) or _is_table_rule(raw):
            continue
        line = _QUOTE.sub("", raw)
        heading = _ATX.match(line)
        if heading:
            line = _heading_text(line[heading.end():])
        line = _LIST.sub(r"\1", line)
        out.append(_inline(line))
    return "\n".join(out)
