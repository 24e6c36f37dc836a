"""Reading article files: every encoding and kind of damage gets a decoded text and a stated
encoding, or an InputError that names the file and the problem (kg.io, kg.textin)."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg import io
from kg.errors import InputError

ARTICLE = ("Forum opens\n\nThe Harbour Innovation Forum opened in Lisbon on Monday. "
           "Ada Quill, chief economist of Norland Bank, said growth would return.\n")
SMART = "Ada Quill’s “new” fund – worth €3 million – opened in Zürich, café and all.\n"
CHINESE = "浦江创新论坛在上海开幕。科技日报记者方汉庭出席了论坛。\n"


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\t\r\n  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data (a PNG image)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary data (a PDF document)"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary data (a ZIP archive"),
    (b"text then \x00\x00\x00 zero bytes \x00\x01\x02\x03", "binary data (NUL bytes)"),
    (bytes(range(1, 32)) * 20, "binary data ("),
])
def test_unusable_files_are_refused_with_the_file_and_the_reason(tmp_path, data, reason):
    path = _file(tmp_path, "bad.txt", data)
    with pytest.raises(InputError) as err:
        io.read_article(path)
    assert str(path) in str(err.value) and reason in str(err.value)


@pytest.mark.parametrize("encode, encoding", [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    (lambda t: t.encode("utf-16"), "utf-16"),
    (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: t.encode("utf-32"), "utf-32"),
])
def test_unicode_encodings_give_the_same_text(tmp_path, encode, encoding):
    art = io.read_article(_file(tmp_path, "a.txt", encode(ARTICLE + SMART)))
    assert art.text == ARTICLE + SMART
    assert art.encoding == encoding
    assert "\ufeff" not in art.text


def test_cp1252_is_the_stated_fallback(tmp_path):
    art = io.read_article(_file(tmp_path, "a.txt", SMART.encode("cp1252")))
    assert art.text == SMART
    assert art.encoding.startswith("cp1252") and "fallback" in art.encoding
    assert "cp1252" in art.describe()


def test_cp1252_undefined_bytes_never_fail(tmp_path):
    art = io.read_article(_file(tmp_path, "a.txt", b"Odd \x81\x8d\x8f\x90\x9d bytes, caf\xe9.\n"))
    assert art.text == "Odd  bytes, café.\n"  # C1 controls dropped, the rest read


def test_gb18030_is_recognised_and_not_confused_with_cp1252(tmp_path):
    mixed = "Pujiang Innovation Forum 浦江创新论坛 opened.\n" + CHINESE
    art = io.read_article(_file(tmp_path, "zh.txt", mixed.encode("gb18030")))
    assert art.text == mixed and art.encoding == "gb18030"
    western = io.read_article(_file(tmp_path, "w.txt", (SMART * 3).encode("cp1252")))
    assert western.text == SMART * 3 and western.encoding.startswith("cp1252")


def test_declared_charset_of_a_page_is_used(tmp_path):
    page = ("<html><head><meta charset=\"gb2312\"><title>论坛</title></head>"
            f"<body><p>{CHINESE}</p></body></html>")
    art = io.read_article(_file(tmp_path, "zh.html", page.encode("gb18030")))
    assert art.encoding == "gb18030 (declared)"
    assert CHINESE.strip() in art.text


def test_invalid_bytes_in_utf8_are_replaced_and_said(tmp_path):
    data = (ARTICLE + SMART).encode("utf-8").replace(b"Monday", b"Mon\xffday")
    art = io.read_article(_file(tmp_path, "a.txt", data))
    assert "Mon\ufffdday" in art.text and SMART in art.text
    assert art.encoding == "utf-8 with 1 invalid byte replaced by U+FFFD"


def test_a_latin1_byte_in_ascii_text_reads_as_cp1252(tmp_path):
    art = io.read_article(_file(tmp_path, "a.txt", b"Caf\xe9 Quill spoke.\n"))
    assert art.text == "Café Quill spoke.\n"


def test_line_ends_and_control_characters_are_normalised(tmp_path):
    data = b"Title\r\n\r\nFirst line.\rSecond\x0bline\x07.\x1b[0m\xe2\x80\xa8Third.\r\n"
    art = io.read_article(_file(tmp_path, "a.txt", data))
    assert art.text == "Title\n\nFirst line.\nSecond\nline.[0m\nThird.\n"


def test_mojibake_is_repaired_and_said(tmp_path):
    damaged = (ARTICLE + SMART).encode("utf-8").decode("cp1252", errors="ignore")
    art = io.read_article(_file(tmp_path, "a.txt", damaged.encode("utf-8")))
    assert art.text == ARTICLE + SMART
    assert art.encoding == "utf-8" and "mojibake" in art.describe()


def test_too_large_files_are_refused_without_reading_them_whole(tmp_path):
    path = _file(tmp_path, "big.txt", b"word " * 1000)
    with pytest.raises(InputError, match="too large"):
        io.read_article(path, max_bytes=1000)


def test_a_folder_named_like_an_article_and_hidden_files_are_not_articles(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    _file(tmp_path, ".hidden.txt", b"x")
    _file(tmp_path, "notes.csv", b"x")
    good = _file(tmp_path, "a.md", b"# x")
    assert io.find_articles([tmp_path]) == [good]


def test_a_corpus_folders_own_documentation_is_not_an_article(tmp_path):
    for name in ("SOURCES.md", "README.md", "readme.txt", "LICENSE.txt", "CHANGELOG.md"):
        _file(tmp_path, name, b"# Sources\n\n- dev-01.txt: https://example.org (Ada Quill)\n")
    article = _file(tmp_path, "dev-01.txt", ARTICLE.encode())
    assert io.find_articles([tmp_path]) == [article]
    assert io.find_articles([tmp_path / "SOURCES.md"]) == [tmp_path / "SOURCES.md"]  # named: read


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        io.read_article(fifo)


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        io.find_articles([tmp_path / "nope"])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused_cleanly(data):
    try:
        text, encoding = io.decode(data)
    except ValueError as exc:
        assert "binary" in str(exc)
        return
    assert isinstance(text, str) and encoding


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=200), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_text_comes_back_exactly(text, codec):
    assume("\x00" not in text)  # text with NUL characters is binary (and 00 00 after FF FE is UTF-32)
    try:
        decoded, _ = io.decode(text.encode(codec))
    except ValueError:
        return  # mostly control characters: refused as binary, which is fine
    assert decoded == text.lstrip("\ufeff")


def test_queries_and_graphs_saved_with_a_bom_read_fine(tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_bytes(codecs.BOM_UTF8 + b"SELECT ?s WHERE { ?s ?p ?o }\r\n")
    assert io.read_text(rq) == "SELECT ?s WHERE { ?s ?p ?o }\n"
    with pytest.raises(InputError, match="cannot read"):
        io.read_text(_file(tmp_path, "bad.rq", b"SELECT \xff"))
