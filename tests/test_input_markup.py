"""kg.textin: HTML pages and Markdown become article text, mojibake is repaired, long texts
are cut into parts that join back exactly."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import io, textin
from kg.errors import InputError

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Forum opens | Daily News</title>
<style>p { color: red } .x::after { content: "STYLE TEXT" }</style>
<script>var s = "<p>SCRIPT TEXT</p>"; if (a < b && c > d) {}</script>
</head><body>
<header><div class="logo">HEADER TEXT</div><nav><a href="/">NAV TEXT</a></nav></header>
<article>
  <h1>Forum opens &amp; closes</h1>
  <p>Ada Quill said &amp;amp; is an entity, &lt;b&gt; is not a tag, it&rsquo;s   fine.<br>New line.</p>
  <aside>ASIDE TEXT</aside>
  <p>Caf&eacute; &#8220;quotes&#8221; &#x1F680; rocket.</p>
  <form><button>FORM TEXT</button></form>
  <noscript>NOSCRIPT TEXT</noscript>
</article>
<footer>FOOTER TEXT &copy; 2024</footer>
<script type="application/ld+json">{"headline": "JSON TEXT"}</script>
</body></html>
"""


def test_html_keeps_the_article_and_nothing_else():
    text = textin.html_to_text(PAGE)
    assert text.splitlines()[0] == "Forum opens & closes"
    for noise in ("STYLE", "SCRIPT", "HEADER", "NAV", "ASIDE", "FORM", "NOSCRIPT", "FOOTER", "JSON",
                  "Daily News"):
        assert noise not in text
    assert "Ada Quill said &amp; is an entity, <b> is not a tag, it’s fine.\nNew line." in text
    assert "Café “quotes” 🚀 rocket." in text


def test_html_entities_are_decoded_exactly_once():
    assert textin.html_to_text("<p>&amp;lt; &amp;amp; &lt; &#38;amp;</p>") == "&lt; &amp; < &amp;\n"


def test_html_without_article_element_uses_the_body_and_the_title():
    text = textin.html_to_text("<html><head><title>Big news</title></head><body><div>One</div>"
                               "<p>Two <b>bold</b> words</p><table><tr><td>a</td><td>b</td></tr></table>"
                               "<pre>keep   spacing\n  here</pre></body></html>")
    assert text == "Big news\n\nOne\n\nTwo bold words\n\na b\n\nkeep   spacing\n  here\n"


def test_a_headline_in_the_articles_own_header_still_heads_the_text():
    page = ("<html><head><title>Forum opens</title></head><body><article><header><h1>Forum opens</h1>"
            "<p>By Staff</p></header><p>Body.</p></article></body></html>")
    assert textin.html_to_text(page) == "Forum opens\n\nBody.\n"


def test_the_og_title_headline_is_preferred_to_the_page_title():
    page = ("<html><head><title>Forum opens | Daily News</title><meta property='og:title' "
            "content=' Forum  opens '></head><body><article><header><h1>Forum opens</h1></header>"
            "<p>Body.</p><svg><title>icon</title></svg></article></body></html>")
    assert textin.html_to_text(page) == "Forum opens\n\nBody.\n"


def test_broken_html_does_not_crash():
    for page in ("<p>unclosed <b>bold <i>and", "</div></p>text<<>>", "<script>never closed",
                 "<!-- comment", "<p a='1' b=\"2\" c>x</p>", "&bogus; &#xZZ; &#99999999;"):
        assert isinstance(textin.html_to_text(page), str)


def test_a_txt_file_that_is_a_saved_page_is_read_as_html(tmp_path: Path):
    path = tmp_path / "saved.txt"
    path.write_text(PAGE, encoding="utf-8")
    art = io.read_article(path)
    assert art.format == "html" and "SCRIPT" not in art.text
    assert "HTML" in art.describe()


def test_a_page_without_text_is_refused(tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>x()</script></head><body><nav>menu</nav></body></html>")
    with pytest.raises(InputError, match="no article text in the page"):
        io.read_article(path)


MARKDOWN = """# Forum opens

Ada **Quill** of _Norland Bank_ said [growth](https://example.org/a_(b) "title") would `return`.
![a photo](photo.png)

Second heading
==============

> A *quoted* line, snake_case_name stays, 2*3*4 stays, \\*escaped\\* stays.

- first item &amp; more
1. numbered item with <span>inline html</span>
See [the report][ref] and <https://example.org>.

| Company | Value |
|---------|------:|
| Norland | 3.5   |

---
```
code *kept* as is
```
[ref]: https://example.org/report
"""


def test_markdown_markup_is_stripped_and_the_words_stay():
    text = textin.markdown_to_text(MARKDOWN)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [
        "Forum opens",
        "Ada Quill of Norland Bank said growth would return.",
        "Second heading",
        "A quoted line, snake_case_name stays, 2*3*4 stays, *escaped* stays.",
        "first item & more",
        "numbered item with inline html",
        "See the report and https://example.org.",
        "Company  Value",
        "Norland  3.5",
        "code *kept* as is",
    ]


def test_markdown_files_are_read_as_markdown(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    art = io.read_article(path)
    assert art.format == "markdown" and art.text.startswith("Forum opens\n")


@pytest.mark.parametrize("damaged, repaired", [
    ("itâ€™s", "it’s"),
    ("â€œquotedâ€\x9d", "“quoted”"),
    ("â€œquotedâ€ then", "“quoted” then"),  # the 9D byte lost on the way
    ("cafÃ©, naÃ¯ve, Ã¼ber", "café, naïve, über"),
    ("Â£3 million, 20Â°C", "£3 million, 20°C"),
    ("ðŸš€ launch", "🚀 launch"),
    ("æµ¦æ±Ÿ", "浦江"),
    ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
    ("ItÃ¢â‚¬â„¢s", "It’s"),  # damaged twice
    ("â€\x94 dash â€“", "— dash –"),
])
def test_mojibake_is_repaired(damaged, repaired):
    assert textin.repair_mojibake(damaged)[0] == repaired


def test_c1_controls_are_read_as_cp1252():
    assert textin.fix_c1_controls("it\x92s \x93quoted\x94 \x80 5\x85") == ("it’s “quoted” € 5…", 5)
    assert textin.clean("odd \x81\x9d bytes", textin.TextFormat.TEXT).text == "odd  bytes"


@pytest.mark.parametrize("genuine", [
    "It’s “fine” — café, naïve, Zürich, 浦江, Привет, 🚀",
    "GRÜ“NE” and Ö– are left alone",
    "Â alone, Ã alone, â alone",
])
def test_genuine_text_is_left_alone(genuine):
    assert textin.repair_mojibake(genuine) == (genuine, 0)


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZéèüßñçøåÉÜ中国科技金融论坛🚀😀", min_size=1, max_size=8)
_PUNCT = st.sampled_from(["", ",", ".", "’s", "”", "…", " —", "€", "£", "©", "%"])
_NEWS = st.lists(st.tuples(st.sampled_from(["", "“", "‘", "("]), _WORDS, _PUNCT), max_size=12).map(
    lambda ws: " ".join(a + w + p for a, w, p in ws))


@settings(max_examples=300, deadline=None)
@given(_NEWS)
def test_damage_is_undone_and_clean_text_untouched(text):
    assert textin.repair_mojibake(text)[0] == text
    damaged = text.encode("utf-8").decode("latin-1").translate(
        {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)})
    assert textin.repair_mojibake(damaged)[0] == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=60))
def test_parts_join_back_exactly_and_stay_under_the_limit(text, limit):
    parts = textin.split_for_parser(text, limit)
    assert "".join(parts) == text
    assert all(len(p) <= limit for p in parts)


def test_parts_are_cut_at_paragraphs_when_they_can_be():
    text = "First paragraph here.\n\nSecond paragraph, longer than the first.\n\nThird.\n"
    parts = textin.split_for_parser(text, 45)
    assert parts == ["First paragraph here.\n\n", "Second paragraph, longer than the first.\n\n", "Third.\n"]


_MARKUP = st.lists(st.sampled_from(
    ["<", ">", "<!--", "-->", "<!", "<?", "</", "<a ", "'", '"', "=", "<script>", "</script>", "<![CDATA[",
     "]]>", "<![if", "]>", "<!doctype", "&", "&#", "&amp;", "x", " ", "\n", "*", "_", "[", "](", ")", "`",
     "**", "<title>", "<pre>", "<article>", "<br>", "<nav>", "</nav>", "# ", "> ", "- ", "\\", "â€", "Ã"]),
    max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_junk_markup_never_crashes(junk):
    for fmt in textin.TextFormat:
        assert isinstance(textin.clean(junk, fmt).text, str)


@pytest.mark.parametrize("hostile", [
    "<a " * 30000, "<!--" * 30000, "<![" * 30000, "<!" * 30000, "</" * 30000, "<?" * 30000,
    "*a " * 30000, "_a " * 30000, "**a " * 30000, "[" * 60000, "[a](" + "(" * 60000, "~~a " * 30000,
    "<div>" * 20000 + "</div>" * 20000, "# a" + " " * 30000 + "b", "-" + " " * 30000 + "x",
    "- " * 30000 + "x", "|" + " " * 30000 + "x", "|---" * 20000 + "x", "# " * 30000 + "x",
    "<meta " * 30000, "<?xml " * 30000,
], ids=lambda hostile: repr(hostile[:8]))
def test_hostile_markup_takes_linear_time(hostile):
    import time

    start = time.perf_counter()
    for fmt in textin.TextFormat:
        textin.clean(hostile, fmt)
    io.decode(hostile.encode("utf-8"))
    assert time.perf_counter() - start < 10  # quadratic versions took minutes
