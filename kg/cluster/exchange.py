"""The data plane of a cluster build: a work folder on storage every worker reaches (the same
shared folder as the extraction cache), where tasks leave their results for the tasks of the
next wave, partitioned by key, instead of sending them through the client.

Layout under the work folder::

    <wave>/<partition>/<source>.pkl     what task <source> of a wave sent to one partition
    state/<name>.pkl                    what a partition keeps from one wave to the next

Every file is written atomically (kg.io: temp file, then rename), so a task retried after a
worker died rewrites whole files and a reader never sees half of one. Readers take the files
of a partition in the order of their names, so a wave's input never depends on which task
finished first."""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import io

_FIXED: dict[tuple[str, str], Any] = {}  # values that never change once kept, as this process read them
_FIXED_MAX = 16


def part_of(key: object, parts: int) -> int:
    """The partition of a key: a stable hash (the same in every process, unlike hash())."""
    return zlib.crc32(repr(key).encode("utf-8")) % parts


@dataclass(frozen=True)
class Exchange:
    """A work folder shared by the client and the workers."""

    folder: Path
    parts: int

    def send(self, wave: str, source: str, by_part: dict[int, list]) -> None:
        """Leave each partition's records of one task (empty partitions get no file)."""
        for part, records in by_part.items():
            if records:
                io.write_atomic(self.folder / wave / f"{part:05d}" / f"{source}.pkl",
                                pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), durable=False)

    def scatter(self, wave: str, source: str, keyed: Iterable[tuple[object, Any]]) -> None:
        """Send (key, record) pairs, each to the partition of its key."""
        by_part: dict[int, list] = {}
        for key, record in keyed:
            by_part.setdefault(part_of(key, self.parts), []).append(record)
        self.send(wave, source, by_part)

    def receive(self, wave: str, part: int) -> list:
        """Every record sent to one partition of a wave, in the order of the senders' names."""
        out: list = []
        for path in io.files_under(self.folder / wave / f"{part:05d}", (".pkl",)):
            out.extend(pickle.loads(io.read_bytes(path)))
        return out

    def receive_all(self, wave: str) -> list:
        out: list = []
        for part in range(self.parts):
            out.extend(self.receive(wave, part))
        return out

    def keep(self, name: str, value: object) -> None:
        io.write_atomic(self.folder / "state" / f"{name}.pkl",
                        pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)

    def recall(self, name: str, default: object = None) -> Any:
        path = self.folder / "state" / f"{name}.pkl"
        if not io.is_file(path):
            return default
        return pickle.loads(io.read_bytes(path))

    def keep_fixed(self, name: str, value: object) -> None:
        """Keep a value that no later task changes; each process reads it once."""
        self.keep(name, value)
        self.remember(name, value)

    def recall_fixed(self, name: str) -> Any:
        key = (str(self.folder), name)
        if key not in _FIXED:
            self.remember(name, self.recall(name))
        return _FIXED[key]

    def remember(self, name: str, value: object) -> None:
        """Hold a value that never changes in this process only (a later task of the same
        partition, sent to the same worker, finds it; any other reads it again from disk)."""
        while len(_FIXED) >= _FIXED_MAX:
            del _FIXED[next(iter(_FIXED))]
        _FIXED[(str(self.folder), name)] = value

    def recollect(self, name: str) -> Any:
        return _FIXED.get((str(self.folder), name))

    def remove(self) -> None:
        io.remove_tree(self.folder)
        for key in [k for k in _FIXED if k[0] == str(self.folder)]:
            del _FIXED[key]
