"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph or a store, with
a workbench in the browser (kg.workbench), the graph page and the named-query library, on
the standard library's ThreadingHTTPServer.

Routes::

    /                 the workbench's Ask page: the query library, a SPARQL editor, results
    /sparql           GET ?query=..., POST form (query=...) or application/sparql-query;
                      SELECT and ASK: JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE: Turtle
                      or N-Triples; by Accept (or ?format=); without a query, the Ask page
    /queries          the named queries (HTML-escaped), each runnable
    /queries/NAME     run a named query; ?KEY=VALUE parameters bound as RDF terms
    /entity/PATH      the page of the entity whose IRI is the build's base + PATH
    /search?q=TEXT    the entities one of whose names or aliases contains TEXT
    /graph            the interactive graph page (graph/kg.html), when there is one
    /status           JSON: query workers, running and waiting queries, queries stopped
    /favicon.ico      204 No Content (there is no icon)

This module is the HTTP edge: request parsing (:func:`read_body` is strict about
Content-Length) and replies. Queries run in worker processes (kg.serve_pool) under the slots
and limits of kg.serve_sched; what a worker does with a query is kg.serve_work. Updates,
SERVICE, LOAD and FROM are refused before anything runs. The workbench pages that read the
graph (entities, search) are rendered by the workers too, as jobs under the same slots and
limits. Binds to 127.0.0.1 unless told otherwise."""
from __future__ import annotations

import html
import json
import re
import threading
import urllib.parse
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import io, query
from .errors import ServeError
from .results import ResultFormat, negotiate
from .serve_pool import Pool
from .serve_sched import Limits
from .serve_work import Job, Reply, Source, error_reply

__all__ = ["App", "Limits", "Source", "make_server", "read_body"]

MAX_BODY = 1 << 20  # bytes of a POSTed query
MAX_CONNECTIONS = 256  # open connections; past it a new one gets 503 and is closed
IDLE_SECONDS = 60  # a connection that sends nothing for this long is closed
_DIGITS = re.compile(r"[0-9]{1,19}")
# pages load nothing from anywhere: their scripts and styles are inline, their queries go here
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class App:
    """What the handler serves: queries run by a pool of worker processes under limits, the
    page, the query library."""

    def __init__(self, source: Source, limits: Limits = Limits(), page: Path | None = None) -> None:
        self.source = source
        self.limits = limits
        self.page = page
        self.library = query.library()
        self.pool = Pool(source, limits)

    def sparql(self, text: str, fmt: ResultFormat, client: str) -> Reply:
        return self.pool.run(Job(fmt, self.limits.rows, text=text), client)

    def named(self, name: str, params: dict[str, str], fmt: ResultFormat, client: str) -> Reply:
        return self.pool.run(Job(fmt, self.limits.rows, name=name, params=tuple(sorted(params.items()))),
                             client)

    def workbench(self, page: str, params: dict[str, str], client: str) -> Reply:
        """A workbench page that reads the graph ("entity", "search"), rendered by a worker."""
        return self.pool.run(Job(ResultFormat.JSON, self.limits.rows, page=page,
                                 params=tuple(sorted(params.items()))), client)

    @cached_property
    def ask_page(self) -> str:
        from .workbench import ask

        return ask.page(self.library, seconds=self.limits.seconds, rows=self.limits.rows,
                        base=self.pool.info.get("base", ""))

    def close(self) -> None:
        self.pool.close()


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
            "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "pre{background:#f4f4f4;padding:.6rem;overflow:auto}code{background:#f4f4f4}</style>"
            f"<h1>{html.escape(title)}</h1>{body}</html>\n")


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


def read_body(headers, rfile, limit: int = MAX_BODY) -> bytes | Reply:
    """The body of a request, or the error Reply that refuses it before any of it is read:
    411 without a Content-Length (chunked bodies are not taken), 400 when Content-Length is
    not one non-negative integer, 413 when it is over ``limit``."""
    if headers.get("Transfer-Encoding") is not None:
        return error_reply(411, "send the query with a Content-Length (chunked bodies are not accepted)")
    values = {v.strip() for v in headers.get_all("Content-Length") or []}
    if not values:
        return error_reply(411, "a POST needs a Content-Length")
    if len(values) > 1:
        return error_reply(400, "several different Content-Length headers")
    (value,) = values
    if not _DIGITS.fullmatch(value):
        return error_reply(400, f"Content-Length must be a non-negative integer, not {value[:40]!r}")
    length = int(value)
    if length > limit:
        return error_reply(413, f"a query may be at most {limit} bytes")
    body = rfile.read(length)
    if len(body) < length:
        return error_reply(400, "the body ended before Content-Length bytes")
    return body


class Handler(BaseHTTPRequestHandler):
    """One request; the App hangs off the server."""

    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed-ACK stall)

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: str | bytes, content_type: str,
              retry_after: int | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if content_type.startswith("text/html"):  # nothing but this server, ever
            self.send_header("Content-Security-Policy", CSP)
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _reply(self, reply: Reply) -> None:
        self._send(reply.status, reply.body, reply.content_type, reply.retry_after)

    def _error(self, status: int, message: str) -> None:
        self._reply(error_reply(status, message))

    def _format(self, params: dict[str, list[str]]) -> ResultFormat | None:
        fmt = negotiate(self.headers.get("Accept"), (params.get("format") or [None])[0])
        if fmt is None:
            self._error(406, "acceptable formats: " + ", ".join(f.media_type for f in ResultFormat))
        return fmt

    def _sparql(self, text: str, params: dict[str, list[str]]) -> None:
        fmt = self._format(params)
        if fmt is not None:
            self._reply(self.app.sparql(text, fmt, self.client_address[0]))

    def _ignore_body(self) -> None:
        """A body where none is expected is not read: the connection closes after the reply."""
        if self.headers.get("Content-Length") not in (None, "0") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._ignore_body()
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            if "update" in params:
                self._error(403, "this endpoint is read-only: updates are refused")
            elif "query" not in params:
                self._send(200, self.app.ask_page, "text/html; charset=utf-8")
            else:
                self._sparql(params["query"][0], params)
        elif url.path in ("/", "/index.html", "/ask"):
            self._send(200, self.app.ask_page, "text/html; charset=utf-8")
        elif url.path.startswith("/entity/"):
            self._reply(self.app.workbench("entity", {"path": url.path[len("/entity/"):]}, self.client_address[0]))
        elif url.path == "/search":
            q = (params.get("q") or [""])[0]
            self._reply(self.app.workbench("search", {"q": q}, self.client_address[0]))
        elif url.path == "/queries":
            self._send(200, queries_page(self.app), "text/html; charset=utf-8")
        elif url.path.startswith("/queries/"):
            name = urllib.parse.unquote(url.path[len("/queries/"):])
            values = {k: v[0] for k, v in params.items() if k != "format"}
            fmt = self._format(params)
            if fmt is not None:
                self._reply(self.app.named(name, values, fmt, self.client_address[0]))
        elif url.path == "/status":
            self._send(200, json.dumps(self.app.pool.status()), "application/json")
        elif url.path == "/graph" and self.app.page is not None and self.app.page.exists():
            self._send(200, io.read_bytes(self.app.page), "text/html; charset=utf-8")
        elif url.path == "/favicon.ico":  # browsers ask; there is none (and no error in their logs)
            self._send(204, b"", "image/x-icon")
        elif url.path == "/graph":
            self._error(404, f"no graph page at {self.app.page}: `kg build` writes one beside the graph "
                             "(or give kg serve --page FILE)")
        else:
            self._error(404, f"nothing at {url.path}")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._ignore_body()
            self._error(405, "only /sparql takes POST")
            return
        body = read_body(self.headers, self.rfile)
        if isinstance(body, Reply):
            self.close_connection = True  # the body (if any) was never read
            self._reply(body)
            return
        text = body.decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._error(403, "this endpoint is read-only: updates are refused")
            return
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text, keep_blank_values=True)
            if "update" in form:
                self._error(403, "this endpoint is read-only: updates are refused")
                return
            if "query" not in form:
                self._error(400, "no query parameter")
                return
            text = form["query"][0]
            params = {**params, **{k: v for k, v in form.items() if k == "format"}}
        elif ctype != "application/sparql-query":
            self._error(415, "send application/sparql-query or a form with query=")
            return
        self._sparql(text, params)

    def _refuse(self) -> None:
        self._ignore_body()
        self._error(405, "this endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _refuse


_FULL_BODY = b"503 Service Unavailable: too many connections; try again shortly\n"
_FULL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
         b"Content-Length: %d\r\nRetry-After: 5\r\nConnection: close\r\n\r\n%s"
         % (len(_FULL_BODY), _FULL_BODY))


class Server(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, verbose: bool = False,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        super().__init__(address, Handler)
        self.app = app
        self.verbose = verbose
        self.max_connections = max_connections
        self._open = 0
        self._open_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            full = self._open >= self.max_connections
            if not full:
                self._open += 1
        if full:
            try:
                request.settimeout(1.0)
                request.sendall(_FULL)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        """socketserver's, with the connection's slot freed before its socket is closed: a
        client that sees the close may connect again at once."""
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._open_lock:
                self._open -= 1
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(app: App, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False) -> Server:
    """A server bound to host:port (port 0: any free port); call ``serve_forever``."""
    try:
        return Server((host, port), app, verbose)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc
