"""Builds on a full disk, run by tests/test_build_faults.py inside a private tmpfs (see
procs.run_on_tmpfs): ``python diskfull.py MODE MOUNT FIRST SECOND``. Builds FIRST's articles
onto the tmpfs, fills it, builds SECOND's, and prints what happened as JSON."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

KG = [sys.executable, "-m", "kg"]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".kg-cache" not in p.parts
            and not p.name.endswith(".lock")}


def fill(folder: Path, leave: int = 0) -> None:
    """Write a filler file until only ``leave`` bytes (about) are free."""
    chunk = 64 * 1024
    with open(folder / "filler", "wb") as handle:
        while True:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            size = min(chunk, free - leave) if leave else chunk
            if size <= 0:
                break
            try:
                handle.write(b"\0" * size)
                handle.flush()
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    if not leave:  # the last few blocks, in small pieces
        for n in range(1000):
            try:
                (folder / f"filler-{n}").write_bytes(b"\0" * 1024)
            except OSError:
                break


def run(*args: str) -> dict:
    done = subprocess.run([*KG, *args], capture_output=True, text=True)
    return {"rc": done.returncode, "stderr": done.stderr, "stdout": done.stdout}


def main() -> None:
    mode, mount, first, second = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    report: dict = {}
    if mode == "out":
        out = mount / "graph" / "kg.ttl"
        report["first"] = run("build", first, "--out", str(out), "--quiet", "--no-page")
        report["before"] = snapshot(mount / "graph")
        fill(mount)
        report["second"] = run("build", second, "--out", str(out), "--no-page")
        report["after"] = snapshot(mount / "graph")
    elif mode == "reserve":
        fill(mount, leave=1200 * 1024)  # under the cache's reserve (a tenth of the disk)
        out = mount / "graph" / "kg.ttl"
        report["second"] = run("build", first, "--out", str(out), "--no-page")
        cache = mount / "graph" / ".kg-cache"  # entries in a folder per extractor version
        report["cache_entries"] = [str(p) for p in cache.rglob("*.json") if p.parent != cache]
        report["written"] = out.exists()
    elif mode == "store":
        store = mount / "st"
        report["first"] = run("build", first, "--store", str(store), "--quiet")
        report["before"] = run("query", "people", "--store", str(store), "--format", "csv")
        fill(mount)
        report["second"] = run("build", second, "--store", str(store), "--quiet")
        report["after"] = run("query", "people", "--store", str(store), "--format", "csv")
    report["temps"] = [str(p) for p in mount.rglob("*.tmp")]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
