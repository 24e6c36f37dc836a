"""A store is never answered from half-written: real builds (separate processes) stopped,
interrupted and killed with real signals while they write, and real readers (`kg query
--store`, `kg serve --store` over HTTP) at those moments."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from procs import KG

from benchmarks.corpus import Generator
from kg.locks import FileLock
from kg.serve import App, Limits, Source, make_server

pytestmark = pytest.mark.slow  # end-to-end: real builds, processes and servers, killed and starved


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Generated articles, built once into a store (whose extraction cache the tests copy, so
    that their builds go straight to writing)."""
    root = tmp_path_factory.mktemp("storefaults")
    folder = root / "in"
    folder.mkdir()
    for art in Generator(seed=21).corpus(60):
        (folder / art.name).write_text(art.text, encoding="utf-8")
    done = _kg("build", str(folder), "--store", str(root / "st"), "--quiet")
    assert done.returncode == 0, done.stderr
    return folder, root / "st"


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=600)


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def _fresh_store(corpus, tmp_path: Path) -> Path:
    _, built = corpus
    store = tmp_path / "st"
    store.mkdir()
    shutil.copytree(built / "cache", store / "cache")
    return store


def _default_sigint() -> None:
    """A shell that starts pytest in the background ignores SIGINT, and a child inherits that:
    the build under test takes Ctrl-C as a terminal would give it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_build(folder: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen([*KG, "build", str(folder), "--store", str(store), "--quiet"],
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)


def _wait_for_syncing(store: Path, build: subprocess.Popen) -> None:
    """Until the build has marked the store as being written (its first change)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and build.poll() is None:
        try:
            if json.loads((store / "manifest.json").read_text()).get("syncing"):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    raise AssertionError(f"the build never marked the store (exit {build.poll()})")


def _wait_for_writer(store: Path, build: subprocess.Popen) -> None:
    """Until the build holds the store's write lock."""
    probe = FileLock(store / "write.lock")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and build.poll() is None:
        if (store / "write.lock").exists() and not probe.try_acquire(exclusive=False):
            return
        probe.release()
        time.sleep(0.005)
    raise AssertionError(f"the build never took the write lock (exit {build.poll()})")


def _serve(store: Path):
    server = make_server(App(Source(store=store), Limits(seconds=30)), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _get(url: str) -> tuple[int, str, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8"), None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), exc.headers.get("Retry-After")


def test_a_store_killed_mid_write_is_refused_until_rebuilt(corpus, tmp_path):
    folder, built = corpus
    store = _fresh_store(corpus, tmp_path)
    build = _start_build(folder, store)
    _wait_for_syncing(store, build)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    build.stderr.close()
    done = _kg("query", "people", "--store", str(store))
    assert done.returncode == 2 and done.stdout == ""
    line = _one_error_line(done.stderr)
    assert line.startswith(f"kg query: error: [E500] {store}: the store is half-written")
    assert f"rebuild it with `kg build --store {store}`" in line
    server, base = _serve(store)
    try:
        status, body, _ = _get(f"{base}/queries/people")
        assert status == 503 and "half-written" in body
        rebuilt = _kg("build", str(folder), "--store", str(store), "--quiet")
        assert rebuilt.returncode == 0, rebuilt.stderr
        status, body, _ = _get(f"{base}/queries/people")  # the server sees the rebuilt store
        assert status == 200 and json.loads(body)["results"]["bindings"]
    finally:
        server.shutdown()
        server.server_close()
    again = _kg("query", "people", "--store", str(store), "--format", "csv")
    assert again.returncode == 0 and again.stdout == _kg("query", "people", "--store", str(built),
                                                         "--format", "csv").stdout


def test_ctrl_c_mid_write_says_the_store_is_half_written(corpus, tmp_path):
    folder, _ = corpus
    store = _fresh_store(corpus, tmp_path)
    build = _start_build(folder, store)
    _wait_for_syncing(store, build)
    build.send_signal(signal.SIGINT)
    assert build.wait(timeout=120) == 130
    line = _one_error_line(build.stderr.read())
    build.stderr.close()
    assert line.startswith(f"kg build: error: [E502] {store}: interrupted while writing the store")
    assert "half-written" in line and "intact" not in line
    assert _kg("query", "people", "--store", str(store)).returncode == 2


def test_a_query_while_a_build_writes_is_refused_then_sees_the_new_build(corpus, tmp_path):
    """A build stopped (SIGSTOP) while it holds the store: `kg query` is refused with one line
    naming the build, the server answers 503 with Retry-After; once the build is done, both
    answer from the new build."""
    folder, built = corpus
    store = tmp_path / "st"
    shutil.copytree(built, store, ignore=shutil.ignore_patterns("*.lock"))
    server, base = _serve(store)
    try:
        status, body, _ = _get(f"{base}/queries/people")
        before = json.loads(body)["results"]["bindings"]
        assert status == 200 and before
        for art in Generator(seed=99).corpus(8):
            (folder / f"new-{art.name}").write_text(art.text, encoding="utf-8")
        build = _start_build(folder, store)
        _wait_for_writer(store, build)
        build.send_signal(signal.SIGSTOP)
        try:
            done = _kg("query", "people", "--store", str(store))
            assert done.returncode == 2
            line = _one_error_line(done.stderr)
            assert "a build is writing this store" in line and f"pid {build.pid}" in line
            status, body, retry = _get(f"{base}/queries/people")
            assert status == 503 and "a build is writing this store" in body and retry
        finally:
            build.send_signal(signal.SIGCONT)
        assert build.wait(timeout=600) == 0, build.stderr.read()
        build.stderr.close()
        status, body, _ = _get(f"{base}/queries/people")
        after = json.loads(body)["results"]["bindings"]
        assert status == 200 and len(after) > len(before)
        cli = _kg("query", "people", "--store", str(store), "--format", "json")
        assert cli.returncode == 0 and json.loads(cli.stdout)["results"]["bindings"] == after
    finally:
        server.shutdown()
        server.server_close()
        for path in folder.glob("new-*"):
            path.unlink()
