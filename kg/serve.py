"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph or a store, with
the graph page and the named-query library, on the standard library's ThreadingHTTPServer.

Routes::

    /                 a small index page
    /sparql           GET ?query=..., POST form (query=...) or application/sparql-query;
                      SELECT and ASK; JSON, XML, CSV or TSV by Accept (or ?format=)
    /queries          the named queries (HTML-escaped), each runnable
    /queries/NAME     run a named query; ?KEY=VALUE parameters bound as RDF terms
    /graph            the interactive graph page (graph/kg.html), when there is one

Updates, SERVICE, LOAD and FROM are refused before anything runs; every query runs under a
time limit and a row limit, and at most ``max_concurrent`` at once (a query past its time
limit is answered 503 while its thread finishes in the background, holding its slot). Binds
to 127.0.0.1 unless told otherwise."""
from __future__ import annotations

import html
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Protocol

from . import io, query
from .errors import KGError, QueryError
from .graphs import KnowledgeGraph
from .results import Answer, ResultFormat, negotiate, render

MAX_BODY = 1 << 20  # bytes of a POSTed query


@dataclass(frozen=True)
class Limits:
    """How long a query may run, how many rows it may return, how many run at once."""

    seconds: float = 10.0
    rows: int = 10_000
    concurrent: int = 4


class Engine(Protocol):
    def answer(self, text: str, *, max_rows: int | None, deadline: float | None) -> Answer: ...

    def run_named(self, named: query.NamedQuery, params: dict[str, str], *,
                  max_rows: int | None, deadline: float | None) -> Answer: ...


class GraphEngine:
    """Queries over an in-memory graph (rdflib), the dataset built once."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.ds = kg.dataset()
        self.namespaces = {p: n for p, n in self.ds.namespaces()}

    def _answer(self, result, max_rows: int | None) -> Answer:
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        if result.type != "SELECT":
            raise QueryError("only SELECT and ASK queries are answered here")
        variables = [str(v) for v in result.vars]
        rows = []
        for n, row in enumerate(result):
            if max_rows is not None and n >= max_rows:
                raise QueryError(f"the result has more than {max_rows} rows; add a LIMIT")
            rows.append({str(v): row[v] for v in result.vars if row[v] is not None})
        return Answer(result=query.QueryResult(variables, rows))

    def answer(self, text: str, *, max_rows: int | None, deadline: float | None) -> Answer:
        try:
            result = self.ds.query(text, initNs=self.namespaces)
        except Exception as exc:  # rdflib's parser raises several types
            raise QueryError(f"not a valid SPARQL query: {exc}") from exc
        return self._answer(result, max_rows)

    def run_named(self, named: query.NamedQuery, params: dict[str, str], *,
                  max_rows: int | None, deadline: float | None) -> Answer:
        from rdflib.plugins.sparql import prepareQuery

        bindings = query.bind(named, params)
        try:
            prepared = prepareQuery(named.text, initNs=self.namespaces)
            result = self.ds.query(prepared, initBindings=bindings)
        except Exception as exc:
            raise QueryError(f"{named.name}: {exc}") from exc
        return self._answer(result, max_rows)


class StoreEngine:
    """Queries over an on-disk Oxigraph store."""

    def __init__(self, store) -> None:
        self.store = store

    def answer(self, text: str, *, max_rows: int | None, deadline: float | None) -> Answer:
        return self.store.answer(text, max_rows=max_rows, deadline=deadline)

    def run_named(self, named: query.NamedQuery, params: dict[str, str], *,
                  max_rows: int | None, deadline: float | None) -> Answer:
        return Answer(result=self.store.run(named, params, max_rows=max_rows, deadline=deadline))


class Busy(KGError):
    """Every query slot is taken."""


class TimeLimit(KGError):
    """A query ran past its time limit."""


class App:
    """What the handler serves: an engine under limits, the page, the query library."""

    def __init__(self, engine: Engine, limits: Limits = Limits(), page: Path | None = None) -> None:
        self.engine = engine
        self.limits = limits
        self.page = page
        self.library = query.library()
        self.pool = ThreadPoolExecutor(max_workers=limits.concurrent, thread_name_prefix="kg-query")
        self.slots = threading.BoundedSemaphore(limits.concurrent)

    def run(self, work: Callable[[float], Answer]) -> Answer:
        """Run ``work(deadline)`` in a query slot, under the time limit."""
        if not self.slots.acquire(blocking=False):
            raise Busy(f"all {self.limits.concurrent} query slots are busy; try again")
        deadline = time.monotonic() + self.limits.seconds

        def job() -> Answer:
            try:
                return work(deadline)
            finally:
                self.slots.release()
        future = self.pool.submit(job)
        try:
            return future.result(timeout=self.limits.seconds)
        except FutureTimeout:
            raise TimeLimit(f"the query ran past the time limit of {self.limits.seconds:g} s") from None

    def sparql(self, text: str) -> Answer:
        named = query.NamedQuery(name="request", path=Path("<request>"), text=text)
        query.check_safe(named)
        return self.run(lambda deadline: self.engine.answer(text, max_rows=self.limits.rows,
                                                            deadline=deadline))

    def named(self, name: str, params: dict[str, str]) -> Answer:
        named = self.library.get(name)
        if named is None:
            raise QueryError(f"no named query {name!r}")
        query.check_safe(named)
        return self.run(lambda deadline: self.engine.run_named(named, params, max_rows=self.limits.rows,
                                                              deadline=deadline))

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
            "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "pre{background:#f4f4f4;padding:.6rem;overflow:auto}code{background:#f4f4f4}</style>"
            f"<h1>{html.escape(title)}</h1>{body}</html>\n")


def index_page(app: App) -> str:
    graph = '<li><a href="/graph">the graph page</a></li>' if app.page is not None else ""
    return _page("kg SPARQL endpoint", (
        "<ul><li><code>/sparql?query=…</code>: read-only SPARQL 1.1 Protocol endpoint "
        "(SELECT, ASK; JSON, XML, CSV, TSV)</li>"
        f'<li><a href="/queries">the named queries</a></li>{graph}</ul>'
        f"<p>Limits: {app.limits.seconds:g} s and {app.limits.rows} rows per query.</p>"))


def queries_page(app: App) -> str:
    parts = []
    for q in app.library.values():
        name = html.escape(q.name)
        params = "".join(f"<li><code>{html.escape(p.name)}</code> ({html.escape(p.kind)}) "
                         f"{html.escape(p.description)}</li>" for p in q.params)
        link = f"/queries/{urllib.parse.quote(q.name)}"
        parts.append(f'<h2 id="{name}">{name}: {html.escape(q.title)}</h2>'
                     f"<p>{html.escape(q.description)}</p>"
                     + (f"<p>Parameters (add <code>?name=value</code>):</p><ul>{params}</ul>" if params else "")
                     + f'<p><a href="{html.escape(link)}?format=csv">run it (CSV)</a> · '
                     f'<a href="{html.escape(link)}">JSON</a></p><pre>{html.escape(q.text)}</pre>')
    return _page("kg named queries", "".join(parts))


class Handler(BaseHTTPRequestHandler):
    """One request; the App hangs off the server."""

    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: str | bytes, content_type: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, f"{status} {HTTPStatus(status).phrase}: {message}\n", "text/plain; charset=utf-8")

    def _answer(self, work: Callable[[], Answer], params: dict[str, list[str]]) -> None:
        explicit = (params.get("format") or [None])[0]
        fmt = negotiate(self.headers.get("Accept"), explicit)
        if fmt is None:
            self._error(406, "acceptable formats: " + ", ".join(f.media_type for f in ResultFormat))
            return
        try:
            answer = work()
        except Busy as exc:
            self._error(503, str(exc))
        except TimeLimit as exc:
            self._error(503, str(exc))
        except QueryError as exc:
            self._error(400, str(exc))
        except KGError as exc:
            self._error(500, str(exc))
        else:
            charset = "; charset=utf-8"
            self._send(200, render(answer, fmt), fmt.media_type + charset)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            if "update" in params:
                self._error(403, "this endpoint is read-only: updates are refused")
            elif "query" not in params:
                self._send(200, index_page(self.app), "text/html; charset=utf-8")
            else:
                text = params["query"][0]
                self._answer(lambda: self.app.sparql(text), params)
        elif url.path in ("/", "/index.html"):
            self._send(200, index_page(self.app), "text/html; charset=utf-8")
        elif url.path == "/queries":
            self._send(200, queries_page(self.app), "text/html; charset=utf-8")
        elif url.path.startswith("/queries/"):
            name = urllib.parse.unquote(url.path[len("/queries/"):])
            values = {k: v[0] for k, v in params.items() if k != "format"}
            self._answer(lambda: self.app.named(name, values), params)
        elif url.path == "/graph" and self.app.page is not None and self.app.page.exists():
            self._send(200, io.read_bytes(self.app.page), "text/html; charset=utf-8")
        else:
            self._error(404, f"nothing at {url.path}")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(405, "only /sparql takes POST")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(413, f"a query may be at most {MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._error(403, "this endpoint is read-only: updates are refused")
            return
        if ctype == "application/sparql-query":
            text = body
        elif ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                self._error(403, "this endpoint is read-only: updates are refused")
                return
            if "query" not in form:
                self._error(400, "no query parameter")
                return
            text = form["query"][0]
            params = {**params, **{k: v for k, v in form.items() if k == "format"}}
        else:
            self._error(415, "send application/sparql-query or a form with query=")
            return
        self._answer(lambda: self.app.sparql(text), params)

    def _refuse(self) -> None:
        self._error(405, "this endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _refuse


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, verbose: bool = False) -> None:
        super().__init__(address, Handler)
        self.app = app
        self.verbose = verbose

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(app: App, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False) -> Server:
    """A server bound to host:port (port 0: any free port); call ``serve_forever``."""
    try:
        return Server((host, port), app, verbose)
    except OSError as exc:
        raise KGError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc
