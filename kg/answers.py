"""Precomputed answers: the whole, ordered rows of the library's big parameter-free queries
(those whose header says ``# precompute: yes``), computed when a store is written and read
back by :meth:`kg.store.Store.run` (``kg query``, ``kg serve``) while the store still holds
what they were computed from.

At 10,000 articles a contract query such as ``participation`` returns 68,000 rows and takes
Oxigraph 13 s on disk, half of it sorting strings it reads back from RocksDB at each
comparison (benchmarks/RESULTS.md); no query text makes that fast, but the rows only change
when the store does. So a build writes them once, as SPARQL 1.1 TSV results
(``DIR/answers/NAME.tsv``, Oxigraph's own serialisation of the live solutions), and a query
reads them back through the same conversion as live solutions: the same rows, terms and
order, and a page (``--offset/--limit``) reads only the lines before its end.

A table is used only when all of these hold (``DIR/answers/index.json`` records them):

- the query is run without parameters;
- its text (after :meth:`kg.query.NamedQuery.for_params`) is the one the table was computed
  from: a changed .rq file, or a file of another text under the same name, runs live;
- the store's content is the one it was computed from: the *generation*, a digest of the
  manifest's content fields (each named graph's digest for a ``--store`` build, the Turtle
  files' size and time for the store kept beside a Turtle build), not of its write time, so
  a rebuild that changed nothing keeps the tables and a rebuild that changed anything
  recomputes them;
- the file has the size recorded (a table lost or cut short is never read).

Otherwise the query runs live, with the same rows."""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import io
from .errors import KGError, LimitExceeded, QueryError
from .query import NamedQuery, QueryResult, library
from .store_query import collect

if TYPE_CHECKING:
    from .store import Store

INDEX = "index.json"
FORMAT = 1  # of the index and tables; another value is ignored


def folder(store_folder: Path) -> Path:
    return Path(store_folder) / "answers"


def generation(manifest: dict) -> str:
    """A digest of what the store holds, as its manifest records it (not when it was
    written): the base, the prefixes, each named graph's digest, the Turtle files' stamp."""
    content = {k: manifest.get(k) for k in ("base", "prefixes", "graphs", "turtle")}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def text_key(query: NamedQuery) -> str:
    return hashlib.sha256(query.text.encode("utf-8")).hexdigest()


def precomputed() -> list[NamedQuery]:
    """The library's queries whose header asks for precomputed answers, by name."""
    return [q for _, q in sorted(library().items()) if q.precompute]


def read_index(store_folder: Path) -> dict:
    """The answers' index (empty when there is none, or it is unreadable or of another format)."""
    path = folder(store_folder) / INDEX
    try:
        index = json.loads(io.read_text(path))
    except (OSError, ValueError, KGError):
        return {}
    return index if isinstance(index, dict) and index.get("format") == FORMAT else {}


@dataclass
class Written:
    """What :func:`write_all` did."""

    computed: list[tuple[str, int, float]]  # (query, rows, seconds)
    kept: list[str]  # still current: not computed again
    seconds: float = 0.0  # wall time of the computing (queries run side by side)

    def summary(self) -> str:
        if not self.computed:
            return f"answers: {len(self.kept)} precomputed queries still current"
        return (f"answers: {len(self.computed)} queries precomputed in {self.seconds:.1f} s"
                + (f", {len(self.kept)} still current" if self.kept else ""))


def write_all(store: Store, manifest: dict, progress: Callable[[str], None] = lambda msg: None,
              queries: list[NamedQuery] | None = None, workers: int | None = None) -> Written:
    """Compute the tables of ``queries`` (default: :func:`precomputed`) over ``store``, which
    will hold what ``manifest`` records; a table already computed from the same text and
    generation is kept. Called by the writer of the store, under its write lock, after its
    last write is flushed and before the manifest is recorded: a build interrupted here leaves tables of
    a generation that never became the store's, which no query reads.

    Oxigraph evaluates a query holding Python's lock, so threads would take turns: with
    ``workers`` above 1 (default: one per processor) the queries run side by side in that
    many processes, each opening the store read-only beside its writer."""
    target = folder(store.folder)
    gen = generation(manifest)
    old = read_index(store.folder)
    entries = dict(old.get("queries", {})) if old.get("generation") == gen else {}
    done = Written(computed=[], kept=[])
    todo = precomputed() if queries is None else queries
    io.make_dir(target)
    work: list[tuple[int, NamedQuery]] = []
    for n, query in enumerate(todo, 1):
        entry = entries.get(query.name)
        if entry and entry.get("text") == text_key(query) and _intact(target / f"{query.name}.tsv", entry):
            done.kept.append(query.name)
        else:
            store.check(query)
            work.append((n, query))
    # the longest first (by what each took last time), so that the processes finish together
    took = old.get("queries")
    work.sort(key=lambda item: -_took(took, item[1].name))
    start = time.perf_counter()
    for _, query, data, seconds in _computed(store, work, len(todo), progress, workers):
        rows = data.count(b"\n") - 1  # a header line, then a line per row (TSV escapes newlines)
        io.write_atomic(target / f"{query.name}.tsv", data)
        entries[query.name] = {"text": text_key(query), "rows": rows, "bytes": len(data),
                               "seconds": round(seconds, 3)}
        done.computed.append((query.name, rows, seconds))
    done.seconds = time.perf_counter() - start
    names = {q.name for q in todo}
    entries = {k: v for k, v in entries.items() if k in names}
    for stale in target.glob("*.tsv"):
        if stale.stem not in entries:
            stale.unlink(missing_ok=True)
    io.write_atomic(target / INDEX, json.dumps({"format": FORMAT, "generation": gen, "queries": entries},
                                               indent=1, sort_keys=True))
    return done


def _took(entries: object, name: str) -> float:
    """The seconds the index records for a table's last computing (0 when it records none)."""
    entry = entries.get(name) if isinstance(entries, dict) else None
    value = entry.get("seconds") if isinstance(entry, dict) else None
    return float(value) if isinstance(value, (int, float)) else 0.0


def _computed(store: Store, work: list[tuple[int, NamedQuery]], total: int,
              progress: Callable[[str], None], workers: int | None):
    """(n, query, TSV bytes, seconds) of each query of ``work``, in ``work``'s order: in
    worker processes when there are several queries and processors, else here."""
    import multiprocessing
    import os

    count = max(1, min(len(work), workers or os.cpu_count() or 1))
    done = 0  # the processes yield in ``work``'s order
    if not (count == 1 or _disk_bytes(store) < APART_MIN_BYTES  # starting processes would cost more
            or multiprocessing.current_process().daemon):  # a daemon may not have children
        for (n, query), data, seconds in _apart(store, work, count, progress):
            done += 1
            progress(f"precomputing answers: {query.name} ({n}/{total}, {seconds:.1f} s, {count} processes)")
            yield n, query, data, seconds
    for n, query in work[done:]:  # here: a small store, one processor, or what the processes left
        progress(f"precomputing answers: {query.name} ({n}/{total})")
        began = time.perf_counter()
        yield n, query, _serialized(store.execute(query.text), query.path), time.perf_counter() - began


def _apart(store: Store, work: list[tuple[int, NamedQuery]], count: int,
           progress: Callable[[str], None]):
    """(item, TSV bytes, seconds) of the queries of ``work`` computed in ``count`` processes,
    in order; when the processes cannot start or die, says so and stops (the caller computes
    the rest in its own process)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .store import db_path

    db, prefixes = str(db_path(store.folder)), store.prefixes
    try:
        pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))
        jobs = [pool.submit(_table_apart, db, prefixes, query.text, str(query.path)) for _, query in work]
    except (OSError, RuntimeError) as exc:
        progress(f"precomputing answers: no worker processes ({exc}); computing them here")
        return
    with pool:
        for item, job in zip(work, jobs):
            try:
                data, seconds = job.result()
            except (BrokenProcessPool, OSError) as exc:
                progress(f"precomputing answers: the worker processes failed ({exc or type(exc).__name__}); "
                         "computing the rest here")
                pool.shutdown(wait=False, cancel_futures=True)
                return
            yield item, data, seconds


def _disk_bytes(store: Store) -> int:
    """The size of the store's database on disk (a cheap measure of how big it is)."""
    from .store import db_path

    total = 0
    for path in db_path(store.folder).iterdir():
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


APART_MIN_BYTES = 64 << 20  # smaller stores (about 500,000 triples) compute their tables in the writer's process
_READERS: dict[str, ox.Store] = {}  # a worker process's read-only opening of the store


def _table_apart(db: str, prefixes: dict[str, str], text: str, path: str) -> tuple[bytes, float]:
    """In a worker process: one query's table over the store at ``db``, opened read-only."""
    began = time.perf_counter()
    reader = _READERS.get(db)
    if reader is None:
        reader = _READERS[db] = ox.Store.read_only(db)
    solutions = reader.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    return _serialized(solutions, path), time.perf_counter() - began


def _serialized(solutions, path: object) -> bytes:
    """A query's whole answer as SPARQL TSV results."""
    try:
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError(f"{path}: only SELECT queries can be precomputed")
        return solutions.serialize(format=ox.QueryResultsFormat.TSV) or b""
    finally:
        del solutions


def _intact(path: Path, entry: dict) -> bool:
    try:
        return path.stat().st_size == entry.get("bytes")
    except OSError:
        return False


def lookup(store: Store, query: NamedQuery, params: dict) -> Path | None:
    """The table to answer ``query`` (as it runs with ``params``) from, if a current one exists."""
    if params or not (store.manifest.get("graphs") or store.manifest.get("turtle")):
        return None
    index = read_index(store.folder)
    if index.get("generation") != generation(store.manifest):
        return None
    entry = index.get("queries", {}).get(query.name)
    if not entry or entry.get("text") != text_key(query):
        return None
    path = folder(store.folder) / f"{query.name}.tsv"
    return path if _intact(path, entry) else None


def read(path: Path, *, max_rows: int | None = None, deadline: float | None = None,
         page: tuple[int, int | None] = (0, None)) -> QueryResult | None:
    """A table's rows (a page of them: the lines after it are not read), converted as live
    solutions are (kg.store_query.collect); None when the file cannot be read whole (the
    caller runs the query live). A row limit or deadline passed raises LimitExceeded, as
    the live query would."""
    try:
        with open(path, "rb") as handle:
            solutions = ox.parse_query_results(handle, format=ox.QueryResultsFormat.TSV)
            try:
                return collect(solutions, max_rows=max_rows, deadline=deadline, page=page)  # type: ignore[arg-type]
            finally:
                del solutions
    except LimitExceeded:
        raise
    except (OSError, SyntaxError, ValueError, KGError):
        return None
