"""The embedded persistent store: an on-disk Oxigraph database (pyoxigraph's one home).

A store folder holds::

    DIR/oxigraph/       the Oxigraph (RocksDB) database: one named graph per article, the
                        entity graph, the inferred graph and the ontology (kg.partition)
    DIR/manifest.json   base IRI, prefixes, a digest per named graph, the build's input key
    DIR/cache/          the extraction cache (kg.cache)

Syncing replaces a named graph whose digest changed, adds new ones and removes the graphs
that are gone, so a changed or removed article is never duplicated. Queries run over the
union of all graphs. Parameters are bound as RDF terms: a VALUES block of pyoxigraph terms'
N-Triples serialisation, first in the WHERE group (pyoxigraph's ``substitutions`` only binds
projected variables), never user text pasted into the query. Results come back as rdflib
terms in kg's :class:`~kg.query.QueryResult`, identical to the in-memory rdflib path."""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from . import io
from .errors import QueryError, StoreError
from .partition import Triple
from .query import NamedQuery, QueryResult, bind, check_safe
from .results import Answer

_XSD_STRING = str(XSD.string)
_XSD_DECIMAL = str(XSD.decimal)
_SAFE_TEXTS: set[str] = set()  # query texts check_safe accepted
_BARE_INTEGER = re.compile(r"[+-]?\d+")
_BULK_BATCH = 200_000  # N-Quads lines per bulk load
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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


class TermConverter:
    """rdflib terms to pyoxigraph terms (IRIs memoised: a graph repeats them a lot)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, t: object):
        if isinstance(t, URIRef):
            return self.iri(str(t))
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None:
                return ox.Literal(str(t), datatype=self.iri(str(t.datatype)))
            return ox.Literal(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        raise StoreError(f"cannot store RDF term {t!r}")

    def quad(self, triple: Triple, graph: ox.NamedNode) -> ox.Quad:
        s, p, o = triple
        return ox.Quad(self.term(s), self.term(p), self.term(o), graph)


def to_rdflib(t) -> object:
    """A pyoxigraph term as the rdflib term the in-memory path would give."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(t.value)
        if dt == _XSD_DECIMAL and _BARE_INTEGER.fullmatch(t.value):
            # Oxigraph stores decimals as values and prints XSD 1.1's canonical "1";
            # rdflib's Turtle (the graph file) writes and reads back "1.0"
            return Literal(t.value + ".0", datatype=XSD.decimal)
        return Literal(t.value, datatype=URIRef(dt))
    if t is None:
        return None
    raise StoreError(f"unsupported term in a result: {t!r}")


def ntriples(triples: Iterable[Triple]) -> bytes:
    """rdflib triples as N-Triples bytes (sorted lines), serialised by pyoxigraph."""
    conv = TermConverter()
    out = ox.serialize((ox.Triple(conv.term(s), conv.term(p), conv.term(o)) for s, p, o in triples),
                       format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(sorted(set(out.splitlines(keepends=True))))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class NTriples:
    """rdflib triples as N-Triples lines, fast: IRIs are memoised (a graph repeats them a
    lot) and literals escaped as N-Triples requires (backslash, quote, line breaks). The
    store parses every line it is given (IRIs are checked there)."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def term(self, t: object) -> str:
        kind = type(t)
        if kind is URIRef:
            text = self._iris.get(t)  # type: ignore[call-overload]
            if text is None:
                text = self._iris[t] = f"<{t}>"  # type: ignore[index]
                if len(self._iris) > 500_000:
                    self._iris.clear()
            return text
        if kind is Literal:
            lexical = str(t).translate(_ESCAPES)
            if t.language:  # type: ignore[attr-defined]
                return f'"{lexical}"@{t.language}'  # type: ignore[attr-defined]
            if t.datatype is not None:  # type: ignore[attr-defined]
                return f'"{lexical}"^^<{t.datatype}>'  # type: ignore[attr-defined]
            return f'"{lexical}"'
        if isinstance(t, URIRef):  # a subclass
            return f"<{t}>"
        if isinstance(t, Literal):
            return Literal(str(t), lang=t.language, datatype=t.datatype).n3()
        raise StoreError(f"cannot store RDF term {t!r} as N-Triples")

    def line(self, triple: Triple) -> str:
        s, p, o = triple
        return f"{self.term(s)} {self.term(p)} {self.term(o)} .\n"


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    return any(type(s) is BNode or type(o) is BNode or isinstance(s, BNode) or isinstance(o, BNode)
               for s, _, o in triples)


def graph_digest(triples: list[Triple], writer: NTriples | None = None) -> str:
    """A digest of a graph's content, independent of triple order and of blank node labels.
    Without blank nodes: the sum of the lines' SHA-256 (a multiset hash: no sorting, so a
    graph of millions of triples is digested as it streams by; kg's graphs hold each triple
    once). With blank nodes (the ontology's OWL lists): the lines of its RDFC-1.0 canonical
    form."""
    if has_blank_nodes(triples):
        h = hashlib.sha1()
        conv = TermConverter()
        dataset = ox.Dataset(ox.Quad(conv.term(s), conv.term(p), conv.term(o)) for s, p, o in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        for line in sorted(str(quad) for quad in dataset):
            h.update(line.encode("utf-8") + b"\n")
        return "c-" + h.hexdigest()
    writer = writer or NTriples()
    total = 0
    sha = hashlib.sha256
    for t in triples:
        total += int.from_bytes(sha(writer.line(t).encode("utf-8")).digest(), "big")
    return f"m-{total % (1 << 256):064x}-{len(triples)}"


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


class Store:
    """An opened kg store folder."""

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.read_only = read_only
        db = db_path(self.folder)
        try:
            if read_only:
                if not db.is_dir():
                    raise StoreError(f"{self.folder}: no kg store here (build one with "
                                     f"`kg build --store {self.folder}`)")
                self.ox = ox.Store.read_only(str(db))
            else:
                io.make_dir(self.folder)
                self.ox = ox.Store(str(db))
        except OSError as exc:
            raise StoreError(f"{self.folder}: cannot open the store ({exc}); is another kg "
                             "process writing it?") from exc
        self.manifest = read_manifest(self.folder)

    # -- writing ---------------------------------------------------------------------------
    def sync(self, graphs: Mapping[URIRef, list[Triple]] | Iterable[tuple[URIRef, list[Triple]]],
             base: str, prefixes: dict[str, str], inputs_key: str) -> SyncReport:
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
        try:
            present = {g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)}
            for iri, triples in pairs:
                name = str(iri)
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
                    report.diff_quads += self._replace(node, triples, writer)
                else:  # a new graph: bulk-loaded with others (the syncing mark covers a crash)
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
            if report.added or report.replaced or report.removed:
                self.ox.optimize()  # compact: queries on a fresh store read far fewer files
        except OSError as exc:
            raise StoreError(f"{self.folder}: writing the store failed ({exc})") from exc
        report.added.sort()
        report.replaced.sort()
        self.manifest = {"base": base, "prefixes": prefixes, "graphs": dict(sorted(digests.items())),
                         "inputs": inputs_key, "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        write_manifest(self.folder, self.manifest)
        report.seconds = time.perf_counter() - start
        return report

    def _replace(self, node: ox.NamedNode, triples: list[Triple], writer: NTriples) -> int:
        """Make the named graph ``node`` (no blank nodes) hold exactly ``triples`` by
        writing only the difference: deleting a quad from Oxigraph costs as much as writing
        one, and a rebuild after a few new articles changes a small part of the big graphs
        (the inferred graph above all), so clearing and reloading them cost most of an
        incremental build. The new triples go through Oxigraph's own N-Triples parser, so
        they compare with the stored ones as Oxigraph terms. Returns the quads written or
        deleted."""
        new: set[ox.Triple] = set()
        for at in range(0, len(triples), _BULK_BATCH):
            part = "".join(map(writer.line, triples[at:at + _BULK_BATCH])).encode("utf-8")
            new.update(q.triple for q in ox.parse(part, format=ox.RdfFormat.N_TRIPLES))
        gone: list[ox.Quad] = []
        for quad in self.ox.quads_for_pattern(None, None, None, node):
            triple = quad.triple
            if triple in new:
                new.discard(triple)  # already stored: nothing to write
            else:
                gone.append(quad)
        for quad in gone:
            self.ox.remove(quad)
        if new:
            self.ox.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in new)
        return len(gone) + len(new)

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
        except OSError as exc:
            raise StoreError(f"{self.folder}: reading the store failed ({exc})") from exc

    def answer(self, text: str, *, max_rows: int | None = None,
               deadline: float | None = None) -> Answer:
        """Answer a SELECT or ASK query text (already checked by the caller)."""
        result = self.execute(text)
        try:
            if isinstance(result, ox.QueryBoolean):
                return Answer(boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                return Answer(result=collect(result, max_rows=max_rows, deadline=deadline))
            raise QueryError("only SELECT and ASK queries are answered here")
        finally:
            del result  # pyoxigraph results must die in this thread (kg serve runs queries in a pool)

    def _check(self, query: NamedQuery) -> None:
        """check_safe, remembered by query text (parsing with rdflib costs more than most
        queries take on Oxigraph; the same text always gets the same verdict)."""
        if query.text in _SAFE_TEXTS:
            return
        check_safe(query, self.prefixes)
        if len(_SAFE_TEXTS) >= 512:
            _SAFE_TEXTS.clear()
        _SAFE_TEXTS.add(query.text)

    def run(self, query: NamedQuery, params: dict[str, str] | None = None, *,
            max_rows: int | None = None, deadline: float | None = None) -> QueryResult:
        """Run a named query (or a .rq file): same checks, bindings and rows as
        :func:`kg.query.run` on the in-memory graph."""
        self._check(query)
        text = with_values(query.text, bind(query, params or {}))
        try:
            answer = self.execute(text)
        except QueryError as exc:
            raise QueryError(f"{query.path}: {exc}") from exc
        try:
            if not isinstance(answer, ox.QuerySolutions):
                raise QueryError(f"{query.path}: only SELECT queries are supported here")
            return collect(answer, max_rows=max_rows, deadline=deadline)
        finally:
            del answer  # as in answer(): never let a traceback carry it to another thread


def with_values(text: str, bindings: dict) -> str:
    """The query with its parameters bound as RDF terms: a VALUES block of N-Triples terms
    (pyoxigraph escapes them) placed first in the outermost group, so that the whole group,
    FILTERs included, sees the bound values, as rdflib's ``initBindings`` does. Only kg's
    own term serialisation is inserted; user text never is."""
    if not bindings:
        return text
    conv = TermConverter()
    names = " ".join(f"?{var}" for var in bindings)
    terms = " ".join(str(conv.term(term)) for term in bindings.values())
    at = _outer_group_start(text)
    return f"{text[:at + 1]} VALUES ({names}) {{ ({terms}) }} {text[at + 1:]}"


def _outer_group_start(text: str) -> int:
    """The index of the ``{`` that opens the query's WHERE clause (skipping comments,
    IRIs and strings in the prologue and the SELECT clause)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            return i
        i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE clause")


class LimitExceeded(QueryError):
    """A query went past its row limit or its time limit."""


def collect(solutions: ox.QuerySolutions, *, max_rows: int | None = None,
            deadline: float | None = None) -> QueryResult:
    """Read pyoxigraph solutions into a QueryResult, stopping at a row limit or a deadline
    (``time.monotonic()`` value)."""
    variables = [v.value for v in solutions.variables]
    rows: list[dict[str, object]] = []
    seen: dict[object, object] = {}  # results repeat terms; rdflib Literals are slow to make
    try:
        for n, solution in enumerate(solutions):
            if max_rows is not None and n >= max_rows:
                raise LimitExceeded(f"the result has more than {max_rows} rows; add a LIMIT")
            if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
                raise LimitExceeded("the query ran past its time limit")
            row = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    term = seen.get(value)
                    if term is None:
                        term = seen[value] = to_rdflib(value)
                    row[name] = term
            rows.append(row)
    except OSError as exc:
        raise StoreError(f"reading the store failed ({exc})") from exc
    except RuntimeError as exc:  # evaluation errors surface while iterating
        raise QueryError(str(exc)) from exc
    finally:  # a traceback keeps this frame: drop pyoxigraph's (thread-bound) objects from it
        solutions = solution = value = None  # noqa: F841
    return QueryResult(variables, rows)


def open_store(folder: Path, *, read_only: bool = True) -> Store:
    """Open a kg store folder (read-only unless a build writes it)."""
    return Store(folder, read_only=read_only)
