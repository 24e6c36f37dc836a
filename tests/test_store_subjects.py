"""Subject digests (kg.store_subjects): a sync rewrites only the subjects of a big graph whose
triples changed, and the store then holds exactly what a store written from scratch holds."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import store_subjects
from kg.store import Store, graph_digest

B = "https://kg.test/"
G = URIRef(B + "graph/big")
SMALL = URIRef(B + "graph/small")


def _subject(i: int) -> list[tuple]:
    s = URIRef(f"{B}thing/{i}")
    return [(s, RDF.type, URIRef(B + "Thing")), (s, RDFS.label, Literal(f"thing {i}")),
            (s, URIRef(B + "next"), URIRef(f"{B}thing/{i + 1}"))]


def _big(n: int = 40) -> list[tuple]:
    return [t for i in range(n) for t in _subject(i)]


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch):
    monkeypatch.setattr(store_subjects, "MIN_TRIPLES", 10)


def _changed(triples: list[tuple]) -> list[tuple]:
    """thing/1 relabelled, thing/2 gone, thing/3 with one more triple, thing/99 new."""
    s1, s2, s3 = (URIRef(f"{B}thing/{i}") for i in (1, 2, 3))
    out = [t for t in triples if t[0] != s2 and t != (s1, RDFS.label, Literal("thing 1"))]
    out += [(s1, RDFS.label, Literal("thing one")), (s3, RDFS.comment, Literal("more")), *_subject(99)]
    return out


def _content(store: Store, name: URIRef) -> bytes:
    return store.graph_ntriples(str(name))


def test_only_changed_subjects_are_rewritten(tmp_path, monkeypatch):
    store = Store(tmp_path / "st")
    store.sync({G: _big(), SMALL: _subject(500)}, B, {}, "k1")
    new = _changed(_big())

    def whole(*args, **kwargs):
        raise AssertionError("the graph was compared whole")

    monkeypatch.setattr(store, "_replace", whole)
    report = store.sync({G: new, SMALL: _subject(500)}, B, {}, "k2")
    # thing/1: one gone, one came; thing/2: three gone; thing/3: one came; thing/99: three came
    assert report.replaced == [str(G)] and report.diff_quads == 9 and report.unchanged == 1
    fresh = Store(tmp_path / "fresh")
    fresh.sync({G: new, SMALL: _subject(500)}, B, {}, "k2")
    assert _content(store, G) == _content(fresh, G)


def test_digest_by_subject_agrees_with_the_graph_digest():
    triples = _changed(_big())
    digested = store_subjects.digest_by_subject(triples)
    assert digested.digest == graph_digest(triples)
    assert set(digested.subjects) == {str(t[0]) for t in triples}
    again = store_subjects.digest_by_subject(list(reversed(triples)))
    assert again.subjects == digested.subjects


@pytest.mark.parametrize("damage", ["missing", "other digest", "garbled"])
def test_untrusted_subject_digests_fall_back_to_the_whole_graph(tmp_path, monkeypatch, damage):
    store = Store(tmp_path / "st")
    store.sync({G: _big()}, B, {}, "k1")
    path = store_subjects.path_of(tmp_path / "st", str(G))
    assert path.exists()
    if damage == "missing":
        path.unlink()
    elif damage == "other digest":
        path.write_text(path.read_text().replace("\tm-", "\tm-0", 1))
    else:
        text = path.read_text().split("\n")
        path.write_text("\n".join(text[:1] + ["not a line"] + text[1:]))
    compared = []
    real = store._replace
    monkeypatch.setattr(store, "_replace", lambda *a: compared.append(1) or real(*a))
    new = _changed(_big())
    store.sync({G: new}, B, {}, "k2")
    assert compared == [1]
    fresh = Store(tmp_path / "fresh")
    fresh.sync({G: new}, B, {}, "k2")
    assert _content(store, G) == _content(fresh, G)
    assert store_subjects.current(tmp_path / "st", str(G), store.manifest["graphs"][str(G)])


def test_many_changed_subjects_compare_the_graph_whole(tmp_path, monkeypatch):
    store = Store(tmp_path / "st")
    store.sync({G: _big()}, B, {}, "k1")
    compared = []
    real = store._replace
    monkeypatch.setattr(store, "_replace", lambda *a: compared.append(1) or real(*a))
    new = [(s, p, Literal("relabelled") if p == RDFS.label else o) for s, p, o in _big()]
    store.sync({G: new}, B, {}, "k2")
    assert compared == [1]
    assert b"relabelled" in _content(store, G) and b'"thing 7"' not in _content(store, G)


def test_subject_digests_of_gone_or_small_graphs_are_dropped(tmp_path):
    store = Store(tmp_path / "st")
    other = URIRef(B + "graph/other")
    store.sync({G: _big(), other: _big(20)}, B, {}, "k1")
    assert len(list(store_subjects.folder(tmp_path / "st").glob("*.tsv"))) == 2
    store.sync({G: _big()[:6]}, B, {}, "k2")  # `other` gone, G below the threshold
    assert list(store_subjects.folder(tmp_path / "st").glob("*.tsv")) == []


def test_unchanged_rebuild_keeps_the_subject_digests(tmp_path):
    store = Store(tmp_path / "st")
    store.sync({G: _big()}, B, {}, "k1")
    path = store_subjects.path_of(tmp_path / "st", str(G))
    before = path.stat().st_mtime_ns
    report = store.sync({G: _big()}, B, {}, "k1")
    assert report.unchanged == 1 and path.stat().st_mtime_ns == before


class _Counting:
    """A pyoxigraph store that counts its compactions."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.compactions = 0

    def optimize(self) -> None:
        self.compactions += 1
        self._inner.optimize()

    def __getattr__(self, name):
        return getattr(self._inner, name)


def test_small_updates_leave_compaction_until_their_writes_add_up(tmp_path):
    """The first sync compacts the database; an update that writes less than COMPACT_SHARE of
    the store does not, but its quads count towards the next one, which compacts once they
    add up; a sync that changes nothing changes neither."""
    from kg import store as store_module

    store = Store(tmp_path / "st")
    first = store.sync({G: _big(400)}, B, {}, "k1")  # 1,200 triples
    assert first.compacted and "uncompacted" not in store.manifest
    store.ox = counting = _Counting(store.ox)
    graphs = {G: _big(400), SMALL: _subject(1000)}  # 3 quads more: 0.25%
    small = store.sync(graphs, B, {}, "k2")
    assert not small.compacted and counting.compactions == 0 and store.manifest["uncompacted"] == 3
    same = store.sync(graphs, B, {}, "k2")
    assert same.unchanged == 2 and store.manifest["uncompacted"] == 3
    n = int(store_module.COMPACT_SHARE * 1203 / 3) + 10  # with the 3 before: over the share
    more = {**graphs, URIRef(B + "graph/more"): [t for i in range(2000, 2000 + n) for t in _subject(i)]}
    adds_up = store.sync(more, B, {}, "k3")
    assert adds_up.compacted and counting.compactions == 1 and "uncompacted" not in store.manifest
