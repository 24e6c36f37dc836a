"""`kg build` under faults, with real processes, real signals and a real full disk: one bad
file name, a huge one-line file and a 200,000-deep HTML file never sink the batch; a slow
article is skipped at its time budget; disk full is one line and exit 1 with the old outputs
intact; two builds of one output exclude each other; workers die with their build; a YAML
alias bomb in the curation file is one line."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from procs import KG, descendants, gone, has_proc, run_on_tmpfs, tmpfs_available

from benchmarks.corpus import Generator

pytestmark = pytest.mark.slow  # end-to-end: real builds, processes and servers, killed and starved

DATA = Path(__file__).parent / "data"
HERE = Path(__file__).parent


def _seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((DATA / "seeds").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def _kg(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout)


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error:" in line or "Traceback" in line]


def test_bad_name_huge_line_and_deep_html_never_sink_the_batch(tmp_path):
    folder = _seeds(tmp_path / "in")
    (folder / os.fsdecode(b"caf\xe9 report.txt")).write_text("Ada Quill spoke in Lisbon.\n", encoding="utf-8")
    words = "growth Forum bank the of said percent Lisbon fund technology".split()
    (folder / "one-line.txt").write_text(" ".join(words[i % len(words)] for i in range(900_000)), encoding="utf-8")
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 200_000 + "Ada Quill, director of "
                                      "Norland Bank, spoke." + "</div>" * 200_000 + "</body></html>",
                                      encoding="utf-8")
    assert (folder / "one-line.txt").stat().st_size > 5_000_000
    out = tmp_path / "graph" / "kg.ttl"
    done = _kg("build", str(folder), "--out", str(out), "--no-page", "--article-chars", "60000")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    err = done.stderr
    assert "skipped " in err and "caf\\xe9 report.txt: the file name is not valid UTF-8" in err
    assert "one-line.txt: decoded as utf-8; cut to its first" in err and "of 5,48" in err
    assert "deep.html: decoded as utf-8; HTML: article text extracted" in err
    assert "read 4 articles, skipped 1" in done.stdout
    assert out.exists() and "Fang Hanting" in out.read_text(encoding="utf-8")


def test_an_article_past_its_time_budget_is_skipped_and_the_batch_goes_on(tmp_path):
    folder = _seeds(tmp_path / "in")
    long_text = "\n\n".join(a.text for a in Generator(seed=5).corpus(400))
    (folder / "long.txt").write_text(long_text, encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    done = _kg("build", str(folder), "--out", str(out), "--no-page", "--article-seconds", "2")
    assert done.returncode == 0, done.stderr
    assert "long.txt: extraction took longer than 2 s, the per-article time budget; skipped" in done.stderr
    assert "read 3 articles, skipped 1" in done.stdout
    assert "Fang Hanting" in out.read_text(encoding="utf-8")


def test_an_article_that_runs_out_of_memory_is_skipped_and_the_batch_goes_on(tmp_path):
    """Under a real 600 MB address-space cap (RLIMIT_AS) a 2M-character article makes spaCy
    raise MemoryError: that article is skipped with its name, the others are built."""
    resource = pytest.importorskip("resource")
    folder = _seeds(tmp_path / "in")
    words = "growth Forum bank the of said percent Lisbon fund technology".split()
    (folder / "huge.txt").write_text(" ".join(words[i % len(words)] for i in range(400_000)), encoding="utf-8")
    cap = 600 * 1024 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    out = tmp_path / "graph" / "kg.ttl"
    done = subprocess.run([*KG, "build", str(folder), "--out", str(out), "--no-page",
                           "--article-chars", "2000000"], preexec_fn=limit,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "huge.txt: ran out of memory during extraction; skipped" in done.stderr
    assert "Traceback" not in done.stderr
    assert "read 3 articles, skipped 1" in done.stdout and "Fang Hanting" in out.read_text(encoding="utf-8")


needs_tmpfs = pytest.mark.skipif(tmpfs_available() is not None, reason=str(tmpfs_available()))


def _full_disk(tmp_path: Path, mode: str, size: str) -> dict:
    """diskfull.py's report: the seeds built on a tmpfs of ``size``, the disk filled, then
    the seeds and one more article built again."""
    first = _seeds(tmp_path / "one")
    second = _seeds(tmp_path / "two")
    shutil.copy(sorted((DATA / "dev").glob("*.txt"))[0], second)
    done = run_on_tmpfs(tmp_path / "mnt", size, HERE / "diskfull.py", mode, str(tmp_path / "mnt"),
                        str(first), str(second))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_tmpfs
def test_disk_full_is_one_line_and_exit_1_with_the_old_outputs_intact(tmp_path):
    report = _full_disk(tmp_path, "out", "4m")
    assert report["first"]["rc"] == 0, report["first"]["stderr"]
    second_run = report["second"]
    errors = _errors(second_run["stderr"])
    assert second_run["rc"] == 1 and len(errors) == 1, second_run["stderr"]
    assert errors[0].startswith("kg build: error: ") and "No space left on device" in errors[0]
    assert "kg.ttl" in errors[0] and "previous file is kept" in errors[0]
    assert report["after"] == report["before"] and "kg.ttl" in report["before"]
    assert report["temps"] == []


@needs_tmpfs
def test_the_cache_stops_before_the_disk_is_full(tmp_path):
    report = _full_disk(tmp_path, "reserve", "16m")
    run = report["second"]
    assert run["rc"] == 0, run["stderr"]
    assert "caching stopped for this build" in run["stderr"] and "free on its disk, kept for the outputs" in run["stderr"]
    assert report["written"] and report["cache_entries"] == []


@needs_tmpfs
def test_a_store_on_a_full_disk_is_one_line(tmp_path):
    report = _full_disk(tmp_path, "store", "48m")
    assert report["first"]["rc"] == 0, report["first"]["stderr"]
    errors = _errors(report["second"]["stderr"])
    assert report["second"]["rc"] == 1 and len(errors) == 1, report["second"]["stderr"]
    assert "no space left on the device" in errors[0].lower() and "another" not in errors[0]
    after = report["after"]
    # the store is either as it was, or refused as half-written: never a mix, never a traceback
    if after["rc"] == 0:
        assert after["stdout"] == report["before"]["stdout"]
    else:
        assert after["rc"] == 2 and "half-written" in after["stderr"] and len(_errors(after["stderr"])) == 1


def _generated(folder: Path, n: int, seed: int = 11) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for art in Generator(seed=seed).corpus(n):
        (folder / art.name).write_text(art.text, encoding="utf-8")
    return folder


@pytest.mark.skipif(not has_proc(), reason="needs /proc to find child processes")
def test_workers_die_with_a_killed_build(tmp_path):
    folder = _generated(tmp_path / "in", 60)
    proc = subprocess.Popen([*KG, "build", str(folder), "--out", str(tmp_path / "g" / "kg.ttl"),
                             "--jobs", "2", "--quiet"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        family: set[int] = set()
        while time.monotonic() < deadline and len(family) < 3:  # two workers + resource tracker
            family = descendants(proc.pid)
            time.sleep(0.2)
        assert len(family) >= 3, "the build never started its workers"
        time.sleep(3)  # the workers are loading spaCy or extracting
        family = descendants(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()
    assert all(gone(pid, within=15) for pid in family)


def test_two_builds_of_one_output_exclude_each_other(tmp_path):
    folder = _generated(tmp_path / "in", 25)
    for target in (["--out", str(tmp_path / "g" / "kg.ttl")], ["--store", str(tmp_path / "st")]):
        first = subprocess.Popen([*KG, "build", str(folder), *target, "--quiet", "--no-page"],
                                 stderr=subprocess.PIPE, text=True)
        lock = (tmp_path / "st" / "build.lock") if "--store" in target else \
            (tmp_path / "g" / ".kg-cache" / "kg.ttl.lock")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and str(first.pid) not in (lock.read_text() if lock.exists() else ""):
            time.sleep(0.05)
        second = _kg("build", str(folder), *target, "--quiet", "--no-page")
        assert first.poll() is None, "the first build is still running"
        assert second.returncode == 2
        assert _errors(second.stderr) == [second.stderr.strip()]
        assert "another build is writing it" in second.stderr and f"pid {first.pid}" in second.stderr
        assert first.wait(timeout=600) == 0, first.stderr.read()
        first.stderr.close()
    assert _kg("query", "people", "--store", str(tmp_path / "st")).returncode == 0


@pytest.mark.parametrize("field", ["rename.entity", "merge.into", "drop.affiliation"])
def test_an_alias_bomb_in_the_curation_file_is_one_line(tmp_path, field):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, "
                     f"*a{n - 1}, *a{n - 1}, *a{n - 1}]")
    bomb = "\n".join("  " + line for line in lines)
    entry = {"rename.entity": "rename:\n  - entity: *a9\n    name: fine\n",
             "merge.into": "merge:\n  - into: *a9\n    names: [a, b]\n",
             "drop.affiliation": "drop:\n  - affiliation: {person: *a9, org: x}\n"}[field]
    curation = tmp_path / "in" / "curation.yaml"
    _seeds(tmp_path / "in")
    curation.write_text("version:\n" + bomb + "\n" + entry, encoding="utf-8")
    from kg.curate import CurationError, load

    with pytest.raises(CurationError, match="must be"):
        load(curation)
    done = _kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "g" / "kg.ttl"), timeout=120)
    assert done.returncode == 2 and _errors(done.stderr) == [done.stderr.strip()]
    assert str(curation) in done.stderr and len(done.stderr) < 400
