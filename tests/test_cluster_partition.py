"""Partitioned resolution (kg.cluster) against the whole-corpus one (kg.resolve): the same
named graphs, triple for triple, on the test corpora and a synthetic corpus whose people and
institutions recur across articles, whatever the number of partitions. The tasks run one after
another in this process here; test_cluster.py runs them on a real Dask cluster."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildReport, extract_all, read_all
from kg.cache import ExtractionCache
from kg.cluster import ClusterBuild
from kg.cluster.keys import BOTH, INDEX, PROBE, components
from kg.cluster.stages import STAGES
from kg.rdf import graph_parts
from kg.resolve import resolve
from kg.resolve.rules import RULES
from kg.vocab import DEFAULT_BASE

pytestmark = pytest.mark.slow  # a real Dask cluster, partitioned resolution over whole corpora

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def _both(paths: list[Path], cache_dir: Path, parts: int) -> tuple[dict, dict]:
    cache = ExtractionCache(cache_dir)
    report = BuildReport(out=None)
    docs = extract_all(read_all(paths, report, lambda m: None), 1, lambda m: None, report, cache)
    whole = {iri: set(triples) for iri, triples in graph_parts(resolve(docs), DEFAULT_BASE)}
    session = ClusterBuild(None, parts=parts)
    report = BuildReport(out=None)
    refs = session.extract(session.read(paths, report), cache, report)
    parted = {iri: set(triples) for iri, triples in session.graphs(refs, cache, DEFAULT_BASE)}
    assert not list(cache_dir.glob("work-*"))  # the work folder is removed
    return whole, parted


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    from benchmarks.corpus import Generator, write_corpus

    folder = tmp_path_factory.mktemp("synthetic")
    write_corpus(folder, Generator(seed=11, pool=60).corpus(40))
    return folder


def test_partitioned_resolution_gives_the_whole_corpus_graphs(cache_dir):
    corpora = [DATA / d for d in ("dev", "seeds", "dev2", "evalroll", "fresh")]
    whole, parted = _both(corpora, cache_dir, 3)
    assert sorted(map(str, parted)) == sorted(map(str, whole))
    for iri, triples in whole.items():
        assert parted[iri] == triples, iri


def test_partitioned_resolution_on_recurring_entities(cache_dir, synthetic):
    whole, parted = _both([synthetic, DATA / "dev"], cache_dir, 4)
    entities = next(iri for iri in whole if str(iri).endswith("graph/entities"))
    assert sum(1 for t in whole[entities] if "merge/" in str(t[0])) > 100  # many merges across articles
    assert parted == whole
    whole, parted = _both([DATA / "seeds"], cache_dir, 1)  # one partition is the whole corpus
    assert parted == whole


def test_the_stages_run_every_rule_in_order():
    """A rule added to kg.resolve.rules must be given a stage (and its keys) here."""
    assert tuple(rule for stage in STAGES for rule in stage.rules) == RULES


def test_components_join_only_what_a_rule_could_compare():
    sigs = [
        (("s|a", BOTH), ("n|acme", BOTH)),
        (("s|b", BOTH), ("n|acme", BOTH)),  # a shared name joins
        (("s|c", BOTH), ("i|abc", INDEX)),  # initials nobody probes join nothing...
        (("s|d", BOTH), ("i|abc", INDEX)),
        (("s|e", BOTH), ("i|xyz", INDEX)),
        (("s|f", BOTH), ("i|xyz", PROBE)),  # ...probed initials join their index
        (("x|kai", INDEX),),  # a person's name nobody asks about is left out
        (("x|lan", INDEX),),
        (("s|g", BOTH), ("x|lan", PROBE)),
    ]
    comp = components(sigs)
    assert comp["s|a"] == comp["s|b"]
    assert comp["s|c"] != comp["s|d"]
    assert comp["s|e"] == comp["s|f"]
    assert "x|kai" not in comp and comp["x|lan"] == comp["s|g"]
    assert len({comp[k] for k in ("s|a", "s|c", "s|d", "s|e", "s|g")}) == 5
