"""`kg build --cluster` on a real Dask cluster: a `dask scheduler` and two `dask worker`
processes on 127.0.0.1. The same Turtle as a local build, byte for byte; a worker killed
mid-build loses no article; a failing task is retried, one that kills its workers is split
and the article that does it is named."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import daskcluster
import pytest

from kg.build import build
from kg.cluster import Runner
from kg.cluster.runner import Call

pytestmark = pytest.mark.slow  # a real Dask cluster, partitioned resolution over whole corpora

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = daskcluster.start(tmp_path_factory.mktemp("dask"))
    yield c
    c.stop()


@pytest.fixture(scope="module")
def local_dev(tmp_path_factory):
    """The dev corpus built locally: the output every cluster build must give."""
    out = tmp_path_factory.mktemp("local") / "kg.ttl"
    build([DATA / "dev"], out, page=False)
    return out


def _same_files(a: Path, b: Path) -> None:
    from kg.graphs import inferred_path

    assert a.read_bytes() == b.read_bytes()
    assert inferred_path(a).read_bytes() == inferred_path(b).read_bytes()


def test_cluster_build_gives_the_local_turtle_byte_for_byte(cluster, local_dev, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "kg.ttl"
    assert main(["build", str(DATA / "dev"), "--out", str(out), "--no-page", "--cluster",
                 cluster.address, "--chunk", "2"]) == 0
    printed = capsys.readouterr().out
    assert f"cluster {cluster.address}:" in printed and "0 failed; 2 workers" in printed
    assert "extracted 9, from cache 0" in printed  # the workers extracted into the shared cache
    _same_files(out, local_dev)
    assert not list((tmp_path / ".kg-cache").glob("work-*"))  # the work folder is cleaned up
    # an unchanged rebuild on the cluster is up to date (read on the workers, nothing redone)
    assert main(["build", str(DATA / "dev"), "--out", str(out), "--no-page", "--cluster", cluster.address]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cluster_store_build_matches_the_local_store(cluster, tmp_path):
    from kg.store import read_manifest

    build([DATA / "seeds"], None, store=tmp_path / "local")
    _, report = build([DATA / "seeds"], None, store=tmp_path / "remote", cluster=cluster.address)
    assert report.cluster.startswith(f"cluster {cluster.address}")
    local, remote = read_manifest(tmp_path / "local"), read_manifest(tmp_path / "remote")
    assert remote["graphs"] == local["graphs"]  # every named graph, digest for digest


def test_a_failing_task_is_retried(cluster, tmp_path):
    runner = Runner(cluster.address, retries=2)
    try:
        calls = [Call(daskcluster.flaky, (str(tmp_path / f"m{i}"), i), f"task {i}") for i in range(3)]
        assert runner.map("flaky", calls) == [0, 1, 2]
        assert runner.tally.retried == 3 and runner.tally.failed == 0
    finally:
        runner.close()


def test_a_task_that_kills_its_workers_is_split_and_the_article_named(cluster):
    messages: list[str] = []
    runner = Runner(cluster.address, retries=1, progress=messages.append)

    def call(items: list[str]) -> Call:
        return Call(daskcluster.fatal, (items,), ", ".join(items),
                    split=lambda: [call([x]) for x in items] if len(items) > 1 else [],
                    failed=lambda why: [f"failed: {x}" for x in items])

    try:
        results = runner.map("fatal", [call(["a", "poison", "b"]), call(["c"])])
        assert results == [[["A"], ["failed: poison"], ["B"]], ["C"]]
        assert runner.tally.split == 1 and runner.tally.failed == 1
        assert any("poison failed for good" in m for m in messages)
    finally:
        runner.close()


def test_a_worker_killed_mid_build_loses_no_article(cluster, local_dev, tmp_path):
    """The last test of the module: it kills one of the module cluster's two workers."""
    out = tmp_path / "kg.ttl"
    messages: list[str] = []
    done: dict = {}

    def run():
        done["result"] = build([DATA / "dev"], out, page=False, cluster=cluster.address,
                               cluster_chunk=1, progress=messages.append)

    thread = threading.Thread(target=run)
    thread.start()
    cache = tmp_path / ".kg-cache"
    deadline = time.monotonic() + 180
    while len(list(cache.glob("*/*.json"))) < 2 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert thread.is_alive(), "the build ended before a worker could be killed"
    cluster.kill_worker(0)
    thread.join(timeout=300)
    assert not thread.is_alive()
    _, report = done["result"]
    assert report.articles == 9 and not report.skipped
    assert report.extracted + report.cached == 9
    assert "1 lost" in report.cluster
    assert any("left the cluster" in m for m in messages)
    _same_files(out, local_dev)


def test_an_unreachable_scheduler_is_a_clear_error():
    from daskcluster import free_port

    from kg.cluster import ClusterError

    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:"):
        Runner(f"tcp://127.0.0.1:{free_port()}", connect_timeout=2)


def test_curation_on_a_cluster_is_refused_before_anything_runs(tmp_path, capsys):
    from kg.cli import main

    curation = tmp_path / "curation.yaml"
    curation.write_text("version: 1\nrename:\n  - entity: NIFS\n    name: Norland Institute\n",
                        encoding="utf-8")
    assert main(["build", str(DATA / "seeds"), "--out", str(tmp_path / "kg.ttl"), "--cluster",
                 "tcp://127.0.0.1:9", "--curation", str(curation)]) == 2
    assert "--cluster does not apply curation files" in capsys.readouterr().err
    assert not (tmp_path / "kg.ttl").exists()
