"""Incremental builds: cached extractions, replaced (never duplicated) article graphs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.extract
from kg.build import build
from kg.cache import ExtractionCache, extractor_version
from kg.partition import GraphNames
from kg.store import open_store

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def no_reasoning(monkeypatch):
    """Reasoning and validation play no part in what is cached or replaced: skip them here
    to keep these many small builds fast."""
    from rdflib import Graph

    import kg.build
    from kg.reason import Inference

    monkeypatch.setattr(kg.build, "infer", lambda *a, **k: Inference(Graph(), 0.0, 0, skipped="test"))
    if hasattr(kg.build, "_violations"):
        monkeypatch.setattr(kg.build, "_violations", lambda kg: 0)


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


def test_damaged_cache_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path)
    cache.folder.mkdir(parents=True)
    cache.path("ab" * 32).write_text("{not json", encoding="utf-8")
    assert cache.get("ab" * 32, "x.txt") is None and cache.misses == 1
