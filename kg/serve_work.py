"""What a ``kg serve`` worker process does with one request: check the query, run it on its
engine (rdflib over a graph file, or Oxigraph over a store folder), render the answer, and
hand back a :class:`Reply` (status, media type, bytes). Nothing here raises: every failure
becomes a reply with the right status and a one-line message.

Workers are processes (kg.serve_pool), each running one query at a time, so rdflib's SPARQL
parser (not thread-safe, RDFLib/rdflib issue 1282) never sees two threads; kg.query's parser
lock guards it all the same. A query past its time limit is stopped by killing its worker."""
from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from . import query
from .errors import KGError, QueryError, StoreError
from .results import Answer, ResultFormat, answer_format, render
from .vocab import DEFAULT_BASE


@dataclass(frozen=True)
class Source:
    """What the workers answer from: a graph file (and its inferred graph beside it) or a
    store folder built with ``kg build --store``."""

    graph: Path | None = None
    store: Path | None = None

    def __str__(self) -> str:
        return str(self.store if self.store is not None else self.graph)


@dataclass(frozen=True)
class Job:
    """One query to run: a SPARQL text, or a named query with its parameters; or a page of
    the workbench (``page``: "entity" or "search", its arguments in ``params``)."""

    fmt: ResultFormat
    max_rows: int
    text: str | None = None
    name: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    page: str | None = None


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type, body; ``retry_after`` seconds for a 503."""

    status: int
    content_type: str
    body: bytes
    retry_after: int | None = None


def error_reply(status: int, message: str, retry_after: int | None = None) -> Reply:
    """A plain-text error: ``"400 Bad Request: message"`` on one line."""
    first = " ".join(str(message).split())
    return Reply(status, "text/plain; charset=utf-8",
                 f"{status} {HTTPStatus(status).phrase}: {first}\n".encode(), retry_after)


def _answer_from_rdflib(result, max_rows: int | None, namespaces: dict[str, str]) -> Answer:
    if result.type == "ASK":
        return Answer(boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if max_rows is not None and len(result.graph) > max_rows:
            raise QueryError(f"the result has more than {max_rows} triples; add a LIMIT")
        return Answer(graph=_bound(result.graph, namespaces))
    variables = [str(v) for v in result.vars]
    rows = []
    for n, row in enumerate(result):
        if max_rows is not None and n >= max_rows:
            raise QueryError(f"the result has more than {max_rows} rows; add a LIMIT")
        rows.append({str(v): row[v] for v in result.vars if row[v] is not None})
    return Answer(result=query.QueryResult(variables, rows))


def _bound(graph, namespaces: dict[str, str]):
    """``graph`` with the prefixes of the graph it came from (for readable Turtle)."""
    for prefix, namespace in namespaces.items():
        if prefix:
            graph.bind(prefix, namespace, replace=True)
    return graph


class GraphEngine:
    """Queries over an in-memory graph (rdflib), the dataset built once. A query text is
    checked and prepared once (parsing costs tens of ms; the same text always gets the same
    verdict and the same algebra), then run with each request's bindings."""

    CACHED = 256  # prepared query texts kept

    def __init__(self, kg) -> None:
        self.ds = kg.query_dataset()
        self.base = kg.base
        self.namespaces = {p: n for p, n in self.ds.namespaces()}
        self.prepared: dict[str, object] = {}

    def resource_base(self) -> str:
        """The base IRI of the resources the build minted."""
        return self.base

    def _prepare(self, named: query.NamedQuery, what: str):
        prepared = self.prepared.get(named.text)
        if prepared is None:
            query.check_safe(named, self.namespaces)
            try:
                prepared = query.prepare(named.text, self.namespaces)
            except Exception as exc:  # rdflib's parser raises several types
                raise QueryError(f"{what}: {exc}") from exc
            if len(self.prepared) >= self.CACHED:
                self.prepared.clear()
            self.prepared[named.text] = prepared
        return prepared

    def answer(self, text: str, *, max_rows: int | None) -> Answer:
        prepared = self._prepare(query.NamedQuery("request", Path("<request>"), text), "not a valid SPARQL query")
        try:
            result = self.ds.query(prepared)
        except Exception as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        return _answer_from_rdflib(result, max_rows, self.namespaces)

    def run_named(self, named: query.NamedQuery, params: dict[str, str], *,
                  max_rows: int | None) -> Answer:
        named = named.for_params(params)
        prepared = self._prepare(named, named.name)
        bindings = query.bind(named, params)
        try:
            result = self.ds.query(prepared, initBindings=bindings)
        except Exception as exc:
            raise QueryError(f"{named.name}: {exc}") from exc
        return _answer_from_rdflib(result, max_rows, self.namespaces)


class StoreEngine:
    """Queries over an on-disk Oxigraph store, read-locked per query (kg.store_reader.Reader): a
    build may write the store between queries, and the next query sees the new build."""

    def __init__(self, folder: Path) -> None:
        from .store_reader import Reader

        self.reader = Reader(folder)

    def resource_base(self) -> str:
        with self.reader.session() as store:
            return store.base or DEFAULT_BASE

    def answer(self, text: str, *, max_rows: int | None) -> Answer:
        with self.reader.session() as store:
            store.check(query.NamedQuery("request", Path("<request>"), text))  # verdicts kept by text
            return self._prefixed(store, store.answer(text, max_rows=max_rows))

    def run_named(self, named: query.NamedQuery, params: dict[str, str], *,
                  max_rows: int | None) -> Answer:
        """A named query with its parameters bound (a VALUES block of RDF terms, as
        kg.store.Store.run binds them): rows, a boolean or a graph; a precomputed query's
        rows from its table while it is current (kg.answers), as Store.run reads them."""
        from . import answers
        from .store_query import with_values

        named = named.for_params(params)
        with self.reader.session() as store:
            store.check(named)
            table = answers.lookup(store, named, params)
            rows = answers.read(table, max_rows=max_rows) if table is not None else None
            if rows is not None:  # computed with the store: the same rows (kg.answers)
                return Answer(result=rows)
            text = with_values(named.text, query.bind(named, params))
            try:
                return self._prefixed(store, store.answer(text, max_rows=max_rows))
            except QueryError as exc:
                raise QueryError(f"{named.name}: {exc}") from exc

    @staticmethod
    def _prefixed(store, answer: Answer) -> Answer:
        if answer.graph is not None:
            _bound(answer.graph, store.prefixes)
        return answer


def preload(source: Source):
    """What is loaded once and shared by every worker (forked after it): the rdflib graph
    and the workbench's page code; nothing else for a store, which each worker opens itself
    (Oxigraph's database must not cross a fork). Raises KGError when the source cannot be
    used."""
    from .workbench.jobs import warm_up

    if source.store is not None:
        from .store import db_path

        if not db_path(source.store).is_dir():
            raise StoreError(f"{source.store}: no kg store here (build one with "
                             f"`kg build --store {source.store}`)")
        warm_up(None)
        return None
    from . import graphs

    engine = GraphEngine(graphs.load(source.graph))  # type: ignore[arg-type]
    warm_up(engine)
    return engine


def describe(source: Source, preloaded) -> dict:
    """What the server's own pages need to know of the source: the base IRI of the resources
    the build minted (the workbench links them to their entity pages)."""
    if source.store is not None:
        from .store import read_manifest

        return {"base": read_manifest(source.store).get("base") or DEFAULT_BASE}
    return {"base": preloaded.base}


def engine_for(source: Source, preloaded):
    return preloaded if source.store is None else StoreEngine(source.store)  # type: ignore[arg-type]


def execute(engine, library: dict[str, query.NamedQuery], job: Job) -> Reply:
    """Run one job; every outcome is a Reply."""
    from .store import StoreBusy

    try:
        if job.page is not None:
            from .workbench.jobs import render_page

            return Reply(*render_page(engine, job))
        if job.name is not None:
            named = library.get(job.name)
            if named is None:
                raise QueryError(f"no named query {job.name!r}")
            answer = engine.run_named(named, dict(job.params), max_rows=job.max_rows)
        else:
            answer = engine.answer(job.text or "", max_rows=job.max_rows)
        fmt = answer_format(answer, job.fmt)
        if fmt is None:
            return error_reply(406, f"this query answers in JSON, XML, CSV or TSV, not {job.fmt.media_type}; "
                                    "Turtle and N-Triples are for CONSTRUCT and DESCRIBE queries")
        return Reply(200, fmt.media_type + "; charset=utf-8", render(answer, fmt).encode("utf-8"))
    except QueryError as exc:
        return error_reply(400, str(exc))
    except StoreBusy as exc:
        return error_reply(503, str(exc), retry_after=30)
    except StoreError as exc:
        return error_reply(503, str(exc))
    except KGError as exc:
        return error_reply(500, str(exc))
    except MemoryError:
        return error_reply(503, "the query ran out of memory")
    except RecursionError:
        return error_reply(400, "the query is nested too deeply")
    except Exception as exc:  # a bug: one line for the client, never a dead worker
        return error_reply(500, f"internal error: {exc!r}")
