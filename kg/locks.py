"""Advisory file locks between kg processes (``flock``: released by the kernel when the
process that holds one dies, however it dies, so no lock is ever left stale).

- A build holds a :func:`build_lock` on each output (``--out`` and ``--store``): a second
  build of the same output fails at once, naming the build that holds it.
- A store has a reader-writer lock (:class:`StoreLocks`): a build writing it holds it
  exclusively; a query reading it holds it shared. A writer first announces itself (the
  ``write`` lock), so that new readers are refused from then on and the writer only waits
  for the queries already running.

The holder of an exclusive lock writes who it is into the lock file (pid, host, command,
start time), for the messages of those it keeps out."""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import LockHeld, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking (documented)
    fcntl = None  # type: ignore[assignment]


def describe_self() -> dict:
    """Who this process is, for the lock files it holds."""
    argv = sys.argv or ["python"]
    command = " ".join([Path(argv[0]).name, *argv[1:]])
    return {"pid": os.getpid(), "host": socket.gethostname(), "command": command[:300],
            "since": time.strftime("%Y-%m-%d %H:%M:%S")}


class FileLock:
    """One lock file, held shared or exclusive through its own file descriptor."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.fd: int | None = None
        self.exclusive = False

    def try_acquire(self, exclusive: bool) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self.fd is not None:
            return True
        if fcntl is None:  # pragma: no cover
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self.fd, self.exclusive = fd, exclusive
        if exclusive:  # say who holds it
            info = json.dumps(describe_self()).encode("utf-8")
            os.ftruncate(fd, 0)
            os.pwrite(fd, info, 0)
        return True

    def acquire(self, exclusive: bool, *, wait: float, on_wait: Callable[[], None] = lambda: None,
                poll: float = 0.05) -> bool:
        """Take the lock, waiting up to ``wait`` seconds (``on_wait`` is called once, when
        it has to wait); False when it is still held by another process."""
        if self.try_acquire(exclusive):
            return True
        on_wait()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(poll)
            if self.try_acquire(exclusive):
                return True
        return False

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def __del__(self) -> None:
        self.release()

    def holder(self) -> str:
        """Who holds (or last held) the lock, as a phrase for messages."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            info = {}
        if not info.get("pid"):
            return "another kg process"
        return (f"pid {info['pid']} on {info.get('host', '?')}, since {info.get('since', '?')}: "
                f"`{info.get('command', 'kg')}`")


def build_lock(target: Path, *, store: bool) -> FileLock:
    """Hold the build lock of one output, a Turtle file (``graph/.kg-cache/kg.ttl.lock``) or
    a store folder (``DIR/build.lock``), or raise LockHeld naming the build that holds it."""
    target = Path(target)
    path = target / "build.lock" if store else target.parent / ".kg-cache" / f"{target.name}.lock"
    lock = FileLock(path)
    try:
        held = lock.try_acquire(exclusive=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the lock file ({exc.strerror or exc})") from exc
    if not held:
        raise LockHeld(f"{target}: another build is writing it ({lock.holder()}); "
                       "wait for it to finish")
    return lock


class StoreLocks:
    """The reader-writer lock of a store folder: ``DIR/write.lock`` (a writer's intent) and
    ``DIR/read.lock`` (shared by readers, exclusive for the writer)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.intent = FileLock(self.folder / "write.lock")
        self.data = FileLock(self.folder / "read.lock")

    def writer_phrase(self) -> str:
        return self.intent.holder()

    def acquire_read(self) -> bool:
        """Start reading: False when a writer has announced itself or is writing."""
        if not self.intent.try_acquire(exclusive=False):
            return False
        try:
            return self.data.try_acquire(exclusive=False)
        finally:
            self.intent.release()

    def release_read(self) -> None:
        self.data.release()

    def acquire_write(self, *, wait: float, on_wait: Callable[[], None] = lambda: None) -> None:
        """Announce a write, then wait (up to ``wait`` s) for the queries already reading."""
        if not self.intent.acquire(True, wait=min(wait, 5.0)):
            raise LockHeld(f"{self.folder}: another process is writing this store "
                           f"({self.intent.holder()})")
        if not self.data.acquire(True, wait=wait, on_wait=on_wait):
            self.intent.release()
            raise LockHeld(f"{self.folder}: queries were still reading the store after {wait:g} s; "
                           "stop them (kg serve, kg query) and build again")

    def release_write(self) -> None:
        self.data.release()
        self.intent.release()
