"""Helpers for tests that start real kg processes and kill them with real signals: the
descendants of a process (from /proc), whether a process is gone, `python -m kg` argv, and
a tmpfs of a given size to fill (in a private mount namespace, with `unshare`)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

KG = [sys.executable, "-m", "kg"]


def has_proc() -> bool:
    return Path("/proc/self/stat").exists()


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (children, grandchildren...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def tmpfs_available() -> str | None:
    """None when a small tmpfs can be mounted in a private namespace here, else why not."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a user namespace here ({probe.stderr.strip()[:120]})"
    return None


def run_on_tmpfs(mountpoint: Path, size: str, script: Path, *args: str, timeout: float = 600):
    """Run ``python script args...`` with a fresh tmpfs of ``size`` mounted at ``mountpoint``
    (seen by that process only)."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    command = 'mount -t tmpfs -o size="$1" tmpfs "$2" && shift 2 && exec "$@"'
    return subprocess.run(["unshare", "-rm", "sh", "-c", command, "sh", size, str(mountpoint),
                           sys.executable, str(script), *args],
                          capture_output=True, text=True, timeout=timeout)
