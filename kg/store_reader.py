"""A long-lived reader of a store folder (kg serve's workers, kg.serve_work): the read lock
held per query, the database reopened after a rebuild."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreError
from .locks import StoreLocks
from .store import Store, StoreBusy, being_written, db_path, manifest_path


def _manifest_stamp(folder: Path) -> tuple | None:
    try:
        st = os.stat(manifest_path(folder))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Reader:
    """A long-lived reader of a store folder (a kg serve worker): it holds the read lock only
    while a query runs, so builds can write between queries, and reopens the database when
    a build has rewritten it since the last query (the manifest is replaced by every write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.locks = StoreLocks(self.folder)
        self.store: Store | None = None
        self.stamp: tuple | None = None

    @contextmanager
    def session(self) -> Iterator[Store]:
        """The store, read-locked for the duration of the ``with`` block. Raises StoreBusy
        while a build writes it, StoreError when it is half-written or missing."""
        if not db_path(self.folder).is_dir():
            raise StoreError(f"{self.folder}: no kg store here (build one with "
                             f"`kg build --store {self.folder}`)")
        if not self.locks.acquire_read():
            raise StoreBusy(being_written(self.folder, self.locks))
        try:
            stamp = _manifest_stamp(self.folder)
            if self.store is None or stamp != self.stamp:
                self.store = None  # the old handle goes before the new one opens
                self.store = Store(self.folder, read_only=True, locks=self.locks)
                self.stamp = stamp
            yield self.store
        finally:
            self.locks.release_read()
