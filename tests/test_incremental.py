"""Incremental builds: cached extractions, replaced (never duplicated) article graphs."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import kg.extract
from kg.build import build
from kg.cache import ExtractionCache, extractor_version
from kg.partition import GraphNames
from kg.store import open_store

pytestmark = pytest.mark.slow  # end-to-end: repeated builds through the extraction cache

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def no_reasoning(monkeypatch):
    """Reasoning and validation play no part in what is cached or replaced: skip them here
    to keep these many small builds fast."""
    from rdflib import Graph

    import kg.build
    import kg.build_store
    from kg.reason import Inference

    monkeypatch.setattr(kg.build, "infer", lambda *a, **k: Inference(Graph(), 0.0, 0, skipped="test"))
    for module in (kg.build, kg.build_store):
        monkeypatch.setattr(module, "_violations", lambda kg: 0)


@pytest.fixture
def counted(monkeypatch):
    """Count the articles run through extraction."""
    calls: list[str] = []
    real = kg.extract.extract_doc

    def counting(doc, article):
        calls.append(article)
        return real(doc, article)

    monkeypatch.setattr(kg.extract, "extract_doc", counting)
    return calls


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted((DATA / "seeds").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def _article_graphs(store_dir: Path) -> list[str]:
    store = open_store(store_dir)
    return [g for g in store.graph_names() if GraphNames(store.base).is_article_graph(g)]


def test_incremental_store_builds(tmp_path, corpus, counted):
    st = tmp_path / "st"
    _, first = build([corpus], None, store=st)
    assert first.extracted == 2 and len(counted) == 2
    assert len(_article_graphs(st)) == 2

    # unchanged: nothing re-extracted, nothing redone
    counted.clear()
    kg, again = build([corpus], None, store=st)
    assert again.up_to_date and kg is None and counted == []

    # forced: everything redone but extraction, which comes from the cache
    _, forced = build([corpus], None, store=st, force=True)
    assert counted == [] and forced.cached == 2 and forced.extracted == 0
    assert "0 replaced, 0 removed" in forced.store_changes

    # a new article: only it is extracted
    extra = sorted((DATA / "dev").glob("*.txt"))[0]
    shutil.copy(extra, corpus / extra.name)
    _, added = build([corpus], None, store=st)
    assert counted == [extra.name] and added.cached == 2
    assert len(_article_graphs(st)) == 3

    # a changed article: its graph is replaced, not duplicated
    counted.clear()
    changed = corpus / extra.name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    _, edited = build([corpus], None, store=st)
    assert counted == [extra.name]
    assert len(_article_graphs(st)) == 3

    # a removed article: its graph goes
    changed.unlink()
    _, removed = build([corpus], None, store=st)
    assert len(_article_graphs(st)) == 2

    # and the incremental store now holds exactly what a fresh build writes
    fresh_dir = tmp_path / "fresh"
    build([corpus], None, store=fresh_dir, cache_dir=st / "cache")
    incremental, fresh = open_store(st), open_store(fresh_dir)
    assert len(incremental) == len(fresh)
    assert incremental.graph_names() == fresh.graph_names()


def test_a_damaged_cache_entry_is_extracted_again_in_a_build(tmp_path, corpus, counted, monkeypatch):
    """Cached entries are read beside the extraction of the new articles; one that does not
    read back is extracted after them, says so, and is cached whole again."""
    st = tmp_path / "st"
    build([corpus], None, store=st)
    cache = ExtractionCache(st / "cache")
    entries = sorted(cache.folder.glob("*.json"))
    assert len(entries) == 2
    entries[0].write_text("{not json", encoding="utf-8")
    counted.clear()
    said: list[str] = []
    readers: list[str] = []
    real = ExtractionCache.get

    def get(self, sha, name):
        readers.append(threading.current_thread().name)
        return real(self, sha, name)

    monkeypatch.setattr(ExtractionCache, "get", get)
    _, again = build([corpus], None, store=st, force=True, progress=said.append)
    assert len(counted) == 1 and again.cached == 1 and again.extracted == 1
    assert len(readers) == 2 and threading.main_thread().name not in readers  # read beside extraction
    assert any("1 cached extraction could not be read" in line for line in said)
    assert cache.get(entries[0].stem, "x.txt") is not None


def test_turtle_builds_use_the_cache(tmp_path, corpus, counted):
    out = tmp_path / "graph" / "kg.ttl"
    kg1, _ = build([corpus], out)
    assert len(counted) == 2 and (out.parent / ".kg-cache").is_dir()
    counted.clear()
    kg2, again = build([corpus], out)
    assert counted == [] and again.up_to_date
    assert kg2 is not None and len(kg2.asserted) == len(kg1.asserted)
    out.write_text(out.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    _, rebuilt = build([corpus], out)
    assert not rebuilt.up_to_date and counted == [] and rebuilt.cached == 2


def test_cache_key_follows_the_extractor(tmp_path, nlp):
    from kg.extract import extract
    from kg.model import ArticleExtraction

    text = "Forum Opens\nDr. Ada Quill of Northwind University spoke at the forum.\n"
    extraction: ArticleExtraction = extract(text, "a.txt", nlp)
    cache = ExtractionCache(tmp_path)
    cache.put(extraction)
    assert cache.get(extraction.sha256, "renamed.txt").article == "renamed.txt"
    assert cache.get(extraction.sha256, "a.txt").to_dict() == extraction.to_dict()
    other = ExtractionCache(tmp_path, version="0" * 16)
    assert other.get(extraction.sha256, "a.txt") is None
    other.prune_other_versions()
    assert not (tmp_path / extractor_version()).exists()
    assert len(extractor_version()) == 16


def test_a_page_template_change_means_a_rebuild(monkeypatch):
    """The page is a build output: a change to kg/templates makes an unchanged corpus build
    again (the extractions stay cached)."""
    from kg import cache, io

    before = cache.pipeline_version(), extractor_version()
    real = io.read_bytes
    monkeypatch.setattr(io, "read_bytes", lambda path: real(path) + (b"//" if path.name == "graph.js" else b""))
    cache.pipeline_version.cache_clear()
    try:
        assert cache.pipeline_version() != before[0]
        assert extractor_version() == before[1]
    finally:
        monkeypatch.undo()
        cache.pipeline_version.cache_clear()
    assert cache.pipeline_version() == before[0]


def test_damaged_cache_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path)
    cache.folder.mkdir(parents=True)
    cache.path("ab" * 32).write_text("{not json", encoding="utf-8")
    assert cache.get("ab" * 32, "x.txt") is None and cache.misses == 1


def test_parallel_extraction_matches_serial(monkeypatch, nlp):
    """Worker processes (spawned, each loading the model) give the same extractions."""
    import kg.workers as workers
    from benchmarks.corpus import Generator

    items = [(a.name, a.text) for a in Generator(seed=5).corpus(4)]
    serial = {o.index: o.extraction.to_dict() for o in workers.extract_texts(items, 1)}
    monkeypatch.setattr(workers, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers, "CHUNK", 2)
    done: list[int] = []
    parallel = {o.index: o.extraction.to_dict() for o in workers.extract_texts(items, 2, done.append)}
    assert parallel == serial and sum(done) == 4


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_progress_meter():
    from kg.progress import Meter

    now = [0.0]
    clock = lambda: now[0]  # noqa: E731
    quiet_pipe = _Stream(False)
    meter = Meter(quiet_pipe, clock=clock)
    meter.start("extracting", 100)
    now[0] = 1.0
    meter.advance(10)
    assert quiet_pipe.text == ""  # short runs on a pipe print nothing
    now[0] = 20.0
    meter.advance(40)
    assert "extracting 50/100 (50%)" in quiet_pipe.text and "2.5/s" in quiet_pipe.text
    assert "left 0:20" in quiet_pipe.text
    tty = _Stream(True)
    meter = Meter(tty, clock=clock)
    meter.start("extracting", 2)
    now[0] += 1
    meter.advance(2)
    meter.finish()
    assert tty.text.count("\r") == 1 and tty.text.endswith("\n")
    silent = _Stream(True)
    meter = Meter(silent, enabled=False, clock=clock)
    meter.start("x", 1)
    meter.advance()
    meter.finish()
    assert silent.text == ""


def test_cli_build_store(tmp_path, corpus, counted, capsys):
    from kg.cli import main

    st = tmp_path / "st"
    assert main(["build", str(corpus), "--store", str(st), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "store" in out and not (tmp_path / "graph").exists()
    assert main(["build", str(corpus), "--store", str(st), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["query", "people", "--store", str(st), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("name")
