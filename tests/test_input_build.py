"""`kg build` over bad input: every bad file is named with its reason and the build goes on;
--strict makes a skipped file an error; a missing path or nothing readable leaves the previous
output untouched; duplicates are one article; texts longer than spaCy takes are parsed in parts
with offsets into the whole text."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from kg.cli import main
from kg.graphs import load
from kg.vocab import KGO

ONE = ("Forum opens\n\nThe Harbour Innovation Forum opened in Lisbon on Monday. "
       "Ada Quill, chief economist of Norland Bank, said growth would return.\n")
TWO = ("Fund launched\n\nNorland Bank’s “green” fund – worth €3 million – was launched in Zürich. "
       "Bruno Castell, director of Alpine Capital, attended the signing.\n")
THREE = ("Roadshow held\n\nThe Delta Science Roadshow was held in Porto on Friday. "
         "Mira Solano, president of Porto Technical University, gave a speech.\n")
FOUR = ("Report released\n\nThe Coastal Finance Institute released its annual report in Madrid. "
        "Leo Varga, an analyst with Coastal Finance Institute, presented it.\n")


def _corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    files = {
        "one.txt": ONE.encode("utf-8"),
        "one-copy.txt": codecs.BOM_UTF8 + ONE.encode("utf-8"),     # same article, other bytes
        "one-utf16.txt": ONE.encode("utf-16"),                      # same article, other encoding
        "two-cp1252.txt": TWO.encode("cp1252"),
        "three.html": (f"<html><head><title>x</title><script>alert('SCRIPT')</script></head><body>"
                       f"<nav>NAV</nav><article>{''.join(f'<p>{p}</p>' for p in THREE.split(chr(10)) if p)}"
                       f"</article><footer>FOOTER</footer></body></html>").encode(),
        "four.md": ("# " + FOUR.replace("Coastal Finance Institute released", "**Coastal Finance Institute** released"))
        .encode(),
        "empty.txt": b"",
        "blank.md": b"\n \n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "zeros.txt": b"abc\x00\x00\x00\x00def\x00",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


@pytest.mark.slow
def test_bad_files_are_named_and_the_build_goes_on(tmp_path: Path, capsys):
    files = _corpus(tmp_path / "in")
    out = tmp_path / "graph" / "kg.ttl"
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    for name, reason in (("empty.txt", "empty file"), ("blank.md", "empty file"),
                         ("image.txt", "binary data (a PNG image)"), ("zeros.txt", "binary data (NUL bytes)")):
        assert f"{files[name]}: {reason}" in err
    assert f"{files['two-cp1252.txt']}: decoded as cp1252" in err
    assert f"{files['one-utf16.txt']}: decoded as utf-16" in err
    assert f"{files['three.html']}: decoded as utf-8; HTML" in err
    first = files["one-copy.txt"]  # the first of the three in sorted order
    for copy in ("one-utf16.txt", "one.txt"):
        assert f"{files[copy]}: same text as {first}, read once" in err
    g = load(out).asserted
    articles = set(g.subjects(RDF.type, KGO.Article))
    assert len(articles) == 4  # one, two, three, four: the copies are one article
    text = out.read_text(encoding="utf-8")
    for noise in ("SCRIPT", "NAV", "FOOTER", "**", "\ufffd", "â€"):
        assert noise not in text
    assert "Zürich" in text or "Norland Bank" in text


@pytest.mark.slow
def test_strict_makes_a_skipped_file_an_error_and_writes_nothing(tmp_path: Path, capsys):
    _corpus(tmp_path / "in")
    out = tmp_path / "graph" / "kg.ttl"
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "--strict", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "--strict: 4 file(s) skipped" in err and "empty.txt" in err
    assert not out.exists()


@pytest.mark.slow
def test_strict_passes_when_nothing_is_skipped(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "kg.ttl"
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "--strict", "--quiet"]) == 0
    assert out.exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture()
def previous(tmp_path: Path) -> Path:
    """A folder with a previous build in it."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.mark.slow
def test_a_missing_path_is_an_error_that_keeps_the_previous_output(previous: Path, tmp_path: Path, capsys):
    before = _snapshot(previous.parent)
    (tmp_path / "in" / "two.txt").write_text(TWO, encoding="utf-8")
    code = main(["build", str(tmp_path / "in"), str(tmp_path / "typo"), "--out", str(previous), "--quiet"])
    assert code == 2
    assert f"{tmp_path / 'typo'}: no such file or folder" in capsys.readouterr().err
    assert _snapshot(previous.parent) == before


@pytest.mark.slow
def test_nothing_readable_is_an_error_that_keeps_the_previous_output(previous: Path, tmp_path: Path, capsys):
    before = _snapshot(previous.parent)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    assert main(["build", str(bad), "--out", str(previous), "--quiet"]) == 2
    assert "no readable articles" in capsys.readouterr().err
    (tmp_path / "none").mkdir()
    assert main(["build", str(tmp_path / "none"), "--out", str(previous), "--quiet"]) == 2
    assert _snapshot(previous.parent) == before


def test_an_invalid_base_iri_is_refused(tmp_path: Path, capsys):
    (tmp_path / "one.txt").write_text(ONE, encoding="utf-8")
    code = main(["build", str(tmp_path / "one.txt"), "--out", str(tmp_path / "kg.ttl"),
                 "--base", "http://kg example/<x>"])
    assert code == 2 and "--base" in capsys.readouterr().err
    assert not (tmp_path / "kg.ttl").exists()


def _long_article(paragraphs: int) -> str:
    body = [ONE.split("\n\n")[1].strip(), TWO.split("\n\n")[1].strip(), THREE.split("\n\n")[1].strip()]
    return "Long report\n\n" + "\n\n".join(body[i % 3] for i in range(paragraphs)) + "\n"


def test_a_text_longer_than_spacy_takes_is_parsed_in_parts(nlp, monkeypatch):
    from kg.extract import extract_doc
    from kg.workers import extract_texts

    text = _long_article(30)
    whole = extract_doc(nlp(text), "long.txt")
    monkeypatch.setattr(nlp, "max_length", 1200)
    with pytest.raises(ValueError, match="E088"):
        nlp(text)  # what spaCy alone does with it
    [outcome] = list(extract_texts([("long.txt", text)], jobs=1))
    assert outcome.error is None
    assert outcome.extraction.to_dict() == whole.to_dict()  # same entities, facts and offsets


@pytest.mark.slow
def test_a_long_article_builds_with_offsets_into_the_whole_text(nlp, monkeypatch, tmp_path: Path):
    text = _long_article(45)
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(nlp, "max_length", 1000)
    out = tmp_path / "kg.ttl"
    assert main(["build", str(tmp_path / "long.txt"), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    g = load(out).asserted
    spans = list(g.subjects(KGO.startOffset, None))
    assert spans
    for span in spans:
        start, end = int(g.value(span, KGO.startOffset)), int(g.value(span, KGO.endOffset))
        sentence = str(g.value(span, KGO.sentence))
        assert text[start:end] and text[start:end] in sentence
        assert sentence in text
