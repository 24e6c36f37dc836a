"""The embedded persistent store: an on-disk Oxigraph database (pyoxigraph's one home).

A store folder holds::

    DIR/oxigraph/       the Oxigraph (RocksDB) database: one named graph per article, the
                        entity graph, the inferred graph and the ontology (kg.partition)
    DIR/manifest.json   base IRI, prefixes, a digest per named graph, the build's input key
    DIR/cache/          the extraction cache (kg.cache)
    DIR/subjects/       a digest per subject of each big graph (kg.store_subjects)
    DIR/answers/        the precomputed answers (kg.answers)

Syncing replaces a named graph whose digest changed, adds new ones and removes the graphs
that are gone, so a changed or removed article is never duplicated. Queries run over the
union of all graphs. Parameters are bound as RDF terms: a VALUES block of pyoxigraph terms'
N-Triples serialisation, first in the WHERE group (pyoxigraph's ``substitutions`` only binds
projected variables), never user text pasted into the query. Results come back as rdflib
terms in kg's :class:`~kg.query.QueryResult`, identical to the in-memory rdflib path."""
from __future__ import annotations

import errno
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import URIRef

from . import io
from .errors import OutputError, QueryError, StoreBusy, StoreError, StoreFull, StoreInterrupted
from .locks import StoreLocks
from . import store_subjects as subjects
from .partition import Triple
from .answers import lookup as answers_table
from .answers import read as read_answers
from .answers import write_all as write_answers
from .query import NamedQuery, QueryResult, bind, check_safe
from .results import Answer
from .store_query import LimitExceeded, collect, collect_graph, with_values
from .store_terms import NTriples, TermConverter, digest_count, graph_digest, has_blank_nodes, ntriples, to_rdflib

__all__ = ["LimitExceeded", "NTriples", "Store", "StoreBusy", "StoreFull", "StoreInterrupted",
           "SyncReport", "check_once",
           "TermConverter", "collect", "graph_digest", "has_blank_nodes", "ntriples", "open_store",
           "to_rdflib", "with_values"]

_SAFE_TEXTS: set[str] = set()  # query texts check_safe accepted
_BULK_BATCH = 200_000  # N-Quads lines per bulk load
COMPACT_SHARE = 0.05  # compact the database once the quads written since the last compaction reach this share
WRITE_WAIT = 600.0  # seconds a build waits for the queries reading a store to finish


def _parsed(lines: Iterable[str]):
    """N-Triples lines parsed by Oxigraph (so that they compare with stored terms), in parts
    of ``_BULK_BATCH`` lines."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _BULK_BATCH:
            yield from ox.parse("".join(batch).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            batch = []
    if batch:
        yield from ox.parse("".join(batch).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)


def _no_space(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)


def _store_error(message: str, exc: BaseException, note: str = "") -> StoreError:
    """``message (cause)note`` as a StoreError; StoreFull when the disk is full."""
    if _no_space(exc):
        return StoreFull(f"{message} (no space left on the device){note}")
    return StoreError(f"{message} ({getattr(exc, 'strerror', None) or exc}){note}")


def db_path(folder: Path) -> Path:
    return Path(folder) / "oxigraph"


def manifest_path(folder: Path) -> Path:
    return Path(folder) / "manifest.json"


def cache_path(folder: Path) -> Path:
    return Path(folder) / "cache"


def read_manifest(folder: Path) -> dict:
    """The store's manifest (empty when there is none yet)."""
    path = manifest_path(folder)
    if not path.exists():
        return {}
    try:
        return json.loads(io.read_text(path))
    except ValueError as exc:
        raise StoreError(f"{path}: damaged manifest ({exc})") from exc


def write_manifest(folder: Path, manifest: dict) -> None:
    io.write_atomic(manifest_path(folder), json.dumps(manifest, indent=1, sort_keys=True))


@dataclass
class SyncReport:
    """What a sync changed in the store."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    quads: int = 0
    diff_quads: int = 0  # quads written or deleted in replaced graphs
    seconds: float = 0.0
    answers: str = ""  # what was done of the precomputed answers (kg.answers)
    added_quads: int = 0  # quads of the added graphs
    compacted: bool = False  # whether the database was compacted (Store._compact)


class Store:
    """An opened kg store folder."""

    def __init__(self, folder: Path, *, read_only: bool = False, locks: StoreLocks | None = None,
                 wait: float = WRITE_WAIT, on_wait: Callable[[], None] = lambda: None) -> None:
        """Open the store folder. A reader takes the store's read lock (refused while a build
        writes: StoreBusy) and refuses a store that an interrupted build left half-written;
        a writer announces itself, then waits up to ``wait`` seconds for the queries that
        are reading (``on_wait`` is called if it has to). ``locks``: a read lock the caller
        already holds (kg.store_reader.Reader)."""
        self.folder = Path(folder)
        self.read_only = read_only
        self.ox = None
        db = db_path(self.folder)
        if read_only and not db.is_dir():
            raise StoreError(f"{self.folder}: no kg store here (build one with "
                             f"`kg build --store {self.folder}`)")
        if not read_only:
            io.make_dir(self.folder)
        self._owned = locks is None
        self.locks = locks or StoreLocks(self.folder)
        if self._owned:
            self._lock(read_only, wait, on_wait)
        try:
            self.manifest = read_manifest(self.folder)
            if read_only and self.manifest.get("syncing"):
                raise StoreError(half_written(self.folder, self.manifest))
            self.ox = ox.Store.read_only(str(db)) if read_only else ox.Store(str(db))
        except (OSError, RuntimeError) as exc:  # RocksDB reports damage as either
            self.close()
            raise _store_error(f"{self.folder}: cannot open the store", exc) from exc
        except BaseException:
            self.close()
            raise

    def _lock(self, read_only: bool, wait: float, on_wait: Callable[[], None]) -> None:
        try:
            if read_only:
                if not self.locks.acquire_read():
                    raise StoreBusy(being_written(self.folder, self.locks))
            else:
                self.locks.acquire_write(wait=wait, on_wait=on_wait)
        except OSError as exc:
            raise _store_error(f"{self.folder}: cannot lock the store", exc) from exc

    def close(self) -> None:
        """Close the database and release the store's lock (also done when the object goes)."""
        self.ox = None
        if self._owned:
            if self.read_only:
                self.locks.release_read()
            else:
                self.locks.release_write()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def sync(self, graphs: Mapping[URIRef, list[Triple]] | Iterable[tuple[URIRef, list[Triple]]],
             base: str, prefixes: dict[str, str], inputs_key: str, *,
             answers: Callable[[str], None] | None = None) -> SyncReport:
        """Make the store hold exactly ``graphs`` (a mapping, or pairs that may be produced
        one at a time, so that a big build never holds all of them): replace changed graphs,
        add new ones, remove the rest; then record the manifest.

        A replaced graph is cleared and loaded (N-Triples parsed by Oxigraph, in parts of
        ``_BULK_BATCH`` lines); new graphs are bulk-loaded together as N-Quads. While a sync
        runs the manifest says so; a sync that is interrupted leaves that mark, and the next
        sync then rewrites every graph instead of trusting digests of a half-written store."""
        if self.read_only:
            raise StoreError(f"{self.folder}: opened read-only")
        start = time.perf_counter()
        report = SyncReport()
        old: dict[str, str] = {} if self.manifest.get("syncing") else dict(self.manifest.get("graphs", {}))
        digests: dict[str, str] = {}
        pairs = graphs.items() if isinstance(graphs, Mapping) else graphs
        marked = False
        batch: list[str] = []  # N-Quads lines of new graphs, loaded in bulk
        writer = NTriples()
        big: dict[str, subjects.Digested] = {}  # graphs digested by subject (kg.store_subjects)
        try:
            present = {g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)}
            for iri, triples in pairs:
                name = str(iri)
                if len(triples) >= subjects.MIN_TRIPLES and not has_blank_nodes(triples):
                    big[name] = subjects.digest_by_subject(triples, writer)
                    digest = big[name].digest
                else:
                    digest = graph_digest(triples, writer)
                digests[name] = digest
                replacing = name in present
                if replacing and old.get(name) == digest:
                    report.unchanged += 1
                    continue
                if not marked:  # the first change: say a sync is under way
                    marked = self._mark_syncing()
                node = ox.NamedNode(name)
                (report.replaced if replacing else report.added).append(name)
                if digest.startswith("c-"):  # blank nodes: as terms, one transaction
                    if replacing:
                        self.ox.clear_graph(node)
                    conv = TermConverter()
                    self.ox.extend(conv.quad(t, node) for t in triples)
                elif replacing:  # only the difference is written
                    changed = self._changed_subjects(name, big.get(name), old.get(name))
                    report.diff_quads += (self._replace(node, triples, writer) if changed is None
                                          else self._replace_subjects(node, triples, changed, writer))
                else:  # a new graph: bulk-loaded with others (the syncing mark covers a crash)
                    report.added_quads += len(triples)
                    suffix = f" <{iri}> .\n"
                    for t in triples:
                        batch.append(writer.line(t)[:-3] + suffix)
                        if len(batch) >= _BULK_BATCH:
                            self._bulk_load(batch)
                self.ox.add_graph(node)
                report.quads += len(triples)
            self._bulk_load(batch)
            for iri in sorted(present - set(digests)):
                if not marked:
                    marked = self._mark_syncing()
                self.ox.remove_graph(ox.NamedNode(iri))
                report.removed.append(iri)
            self.ox.flush()
            uncompacted = self._compact(report, digests, old) if marked else self.manifest.get("uncompacted", 0)
            self._record_subjects(big, set(report.added) | set(report.replaced))
            manifest = {"base": base, "prefixes": prefixes, "graphs": dict(sorted(digests.items())),
                        "inputs": inputs_key, "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            if uncompacted:
                manifest["uncompacted"] = uncompacted
            if answers is not None:
                self.manifest = {**manifest, "syncing": marked}  # the queries' prefixes
                report.answers = write_answers(self, manifest, answers).summary()
            write_manifest(self.folder, manifest)  # the end of the syncing mark
            self.manifest = manifest
        except (OSError, RuntimeError, OutputError) as exc:
            note = (f"; it is marked half-written until `kg build --store {self.folder}` completes"
                    if self._marked_on_disk() else "")
            if isinstance(exc, OutputError):
                raise OutputError(f"{exc}{note}") from exc
            raise _store_error(f"{self.folder}: writing the store failed", exc, note) from exc
        except KeyboardInterrupt:
            if not self._marked_on_disk():
                raise
            raise StoreInterrupted(f"{self.folder}: interrupted while writing the store; it is marked "
                                   "half-written and queries refuse it until "
                                   f"`kg build --store {self.folder}` completes") from None
        report.added.sort()
        report.replaced.sort()
        report.seconds = time.perf_counter() - start
        return report

    def _marked_on_disk(self) -> bool:
        """Whether the manifest on disk says a sync is under way (what readers will see)."""
        try:
            return bool(read_manifest(self.folder).get("syncing"))
        except StoreError:
            return True

    def _replace(self, node: ox.NamedNode, triples: list[Triple], writer: NTriples) -> int:
        """Make the named graph ``node`` (no blank nodes) hold exactly ``triples`` by
        writing only the difference: deleting a quad from Oxigraph costs as much as writing
        one, and a rebuild after a few new articles changes a small part of the big graphs
        (the inferred graph above all), so clearing and reloading them cost most of an
        incremental build. The new triples go through Oxigraph's own N-Triples parser, so
        they compare with the stored ones as Oxigraph terms. Returns the quads written or
        deleted."""
        new = {q.triple for q in _parsed(map(writer.line, triples))}
        gone: list[ox.Quad] = []
        for quad in self.ox.quads_for_pattern(None, None, None, node):
            triple = quad.triple
            if triple in new:
                new.discard(triple)  # already stored: nothing to write
            else:
                gone.append(quad)
        return self._write_difference(node, gone, new)

    def _write_difference(self, node: ox.NamedNode, gone: list[ox.Quad], came: Iterable[ox.Triple]) -> int:
        """Delete the quads ``gone`` and add the triples ``came`` to graph ``node``; the count of both."""
        db = self.ox
        assert db is not None, "a sync runs on an open store"
        for quad in gone:
            db.remove(quad)
        added = [ox.Quad(t.subject, t.predicate, t.object, node) for t in came]
        if added:
            db.bulk_extend(added)
        return len(gone) + len(added)

    def _compact(self, report: SyncReport, digests: dict[str, str], old: dict[str, str]) -> int:
        """Compact the database (Oxigraph's optimize: queries then read far fewer files) when
        the quads written since the last compaction, this sync's included, reach
        :data:`COMPACT_SHARE` of the store; a small update (a day's articles) leaves it to
        RocksDB's own background compaction, which costs it nothing. Returns the quads
        written since the last compaction (0 after one)."""
        removed = sum(digest_count(old.get(name, "")) for name in report.removed)
        written = int(self.manifest.get("uncompacted", 0)) + report.added_quads + report.diff_quads + removed
        if not old or written >= COMPACT_SHARE * sum(digest_count(d) for d in digests.values()):
            self.ox.optimize()  # type: ignore[union-attr]
            report.compacted = True
            return 0
        return written

    def _changed_subjects(self, name: str, digested: subjects.Digested | None,
                          before: str | None) -> list[str] | None:
        """The subjects of a big graph whose triples changed since the last sync, from the
        subject digests it recorded (kg.store_subjects); None to compare the graph whole."""
        if digested is None:
            return None
        prior = subjects.read(self.folder, name, before)
        return None if prior is None else subjects.changed_subjects(prior, digested.subjects)

    def _replace_subjects(self, node: ox.NamedNode, triples: list[Triple], changed: list[str],
                          writer: NTriples) -> int:
        """Make the named graph ``node`` hold exactly ``triples`` when only the subjects in
        ``changed`` differ from what it holds: each one's stored triples are looked up by
        subject and only the difference is written. Returns the quads written or deleted."""
        wanted = set(changed)
        new: dict[str, set[ox.Triple]] = {}
        for quad in _parsed(writer.line(t) for t in triples if str(t[0]) in wanted):
            new.setdefault(quad.subject.value, set()).add(quad.triple)
        gone: list[ox.Quad] = []
        came: list[ox.Triple] = []
        for subject in changed:
            stored = {q.triple: q for q in self.ox.quads_for_pattern(ox.NamedNode(subject), None, None, node)}  # type: ignore[union-attr]
            fresh = new.get(subject, set())
            gone.extend(q for t, q in stored.items() if t not in fresh)
            came.extend(fresh - stored.keys())
        return self._write_difference(node, gone, came)

    def _record_subjects(self, big: dict[str, subjects.Digested], written: set[str]) -> None:
        """Keep the subject digests of the big graphs for the next sync (kg.store_subjects),
        rewriting those of graphs written now or not yet recorded, and dropping the others."""
        keep = set()
        for name, digested in big.items():
            keep.add(subjects.path_of(self.folder, name).name)
            if name in written or not subjects.current(self.folder, name, digested.digest):
                subjects.write(self.folder, name, digested)
        if subjects.folder(self.folder).is_dir():
            for path in subjects.folder(self.folder).glob("*.tsv"):
                if path.name not in keep:
                    path.unlink(missing_ok=True)

    def _bulk_load(self, lines: list[str]) -> None:
        """Load N-Quads lines without a transaction (much faster than one per graph) and
        empty the list."""
        if lines:
            self.ox.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            lines.clear()

    def _mark_syncing(self) -> bool:
        self.manifest = {**self.manifest, "syncing": True}
        write_manifest(self.folder, self.manifest)
        return True

    # -- reading ---------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return self.manifest.get("base", "")

    @property
    def prefixes(self) -> dict[str, str]:
        return dict(self.manifest.get("prefixes", {}))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as N-Triples (sorted lines, so the same graph gives the same bytes)."""
        triples = (q.triple for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return b"".join(sorted(set(data.splitlines(keepends=True))))

    def __len__(self) -> int:
        return len(self.ox)

    def execute(self, text: str, substitutions: dict | None = None):
        """Run a SPARQL query over the union of all graphs: pyoxigraph's answer (solutions,
        a boolean, or triples). Updates never parse as queries; SERVICE is refused by the
        caller (:func:`kg.query.check_safe`)."""
        try:
            return self.ox.query(text, prefixes=self.prefixes, use_default_graph_as_union=True,
                                 substitutions=substitutions)
        except SyntaxError as exc:
            raise QueryError(f"not a valid SPARQL query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise _store_error(f"{self.folder}: reading the store failed", exc) from exc

    def answer(self, text: str, *, max_rows: int | None = None,
               deadline: float | None = None) -> Answer:
        """Answer a query text (already checked by the caller): rows, a boolean or a graph."""
        result = self.execute(text)
        try:
            if isinstance(result, ox.QueryBoolean):
                return Answer(boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                return Answer(result=collect(result, max_rows=max_rows, deadline=deadline))
            return Answer(graph=collect_graph(result, max_rows=max_rows, deadline=deadline))
        finally:
            del result  # pyoxigraph results must die in this thread (kg serve runs queries in a pool)

    def check(self, query: NamedQuery) -> None:
        check_once(query, self.prefixes)

    def run(self, query: NamedQuery, params: dict[str, str] | None = None, *,
            max_rows: int | None = None, deadline: float | None = None,
            page: tuple[int, int | None] = (0, None)) -> QueryResult:
        """Run a named query (or a .rq file): same checks, bindings and rows as
        :func:`kg.query.run` on the in-memory graph; ``page`` (offset, limit) as there."""
        query = query.for_params(params or {})  # its start-here lines for the parameters given
        self.check(query)
        table = answers_table(self, query, params or {})
        if table is not None:  # computed with the store (kg.answers): the same rows, read back
            rows = read_answers(table, max_rows=max_rows, deadline=deadline, page=page)
            if rows is not None:  # else unreadable: the query runs live
                return rows
        text = with_values(query.text, bind(query, params or {}))
        try:
            answer = self.execute(text)
        except QueryError as exc:
            raise QueryError(f"{query.path}: {exc}") from exc
        try:
            if not isinstance(answer, ox.QuerySolutions):
                raise QueryError(f"{query.path}: only SELECT queries are supported here")
            return collect(answer, max_rows=max_rows, deadline=deadline, page=page)
        finally:
            del answer  # as in answer(): never let a traceback carry it to another thread



def check_once(query: NamedQuery, prefixes: dict[str, str]) -> None:
    """check_safe, remembered by query text (parsing with rdflib costs more than most
    queries take on Oxigraph; the same text always gets the same verdict)."""
    if query.text in _SAFE_TEXTS:
        return
    check_safe(query, prefixes)
    if len(_SAFE_TEXTS) >= 512:
        _SAFE_TEXTS.clear()
    _SAFE_TEXTS.add(query.text)


def open_store(folder: Path, *, read_only: bool = True) -> Store:
    """Open a kg store folder (read-only unless a build writes it). A reader holds the
    store's read lock until :meth:`Store.close` (or until the object goes)."""
    return Store(folder, read_only=read_only)


def being_written(folder: Path, locks: StoreLocks) -> str:
    return (f"{folder}: a build is writing this store ({locks.writer_phrase()}); "
            "query it when the build has finished")


def half_written(folder: Path, manifest: dict) -> str:
    since = manifest.get("written")
    before = f" (the last complete build was written {since})" if since else ""
    return (f"{folder}: the store is half-written: the build writing it was interrupted{before}; "
            f"rebuild it with `kg build --store {folder}`")
