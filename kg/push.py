"""`kg push`: send a knowledge graph to a standard triple store with the SPARQL 1.1 Graph
Store HTTP Protocol: one PUT per named graph (each article, the entities, the inferred
triples, the ontology), so a retry replaces what a failed attempt left, never duplicates it.

Standard library only (urllib): HTTP digest or basic auth as the server asks, a timeout per
request, retries with back-off for transient failures (connection refused or reset, 5xx,
timeouts). Anything else (401, 403, 4xx, a 2xx other than 200/201/204, a truncated answer)
is a :class:`~kg.errors.PushError` with a clear message. The password is never logged and
never part of a message; local files are only read."""
from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .errors import PushError

OK_STATUSES = (200, 201, 204)
CONTENT_TYPE = "text/turtle; charset=utf-8"  # N-Triples is Turtle: every store reads it


@dataclass(frozen=True)
class Credentials:
    """A user name and password for the endpoint (the password is never printed)."""

    user: str
    password: str = field(repr=False)


@dataclass
class PushReport:
    """What a push sent."""

    endpoint: str
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    retries: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Triples sent per second."""
        return per_second(self.triples, self.seconds)

    def summary(self) -> str:
        return (f"pushed {self.graphs} graph{'s' if self.graphs != 1 else ''} "
                f"({self.triples} triples, {self.bytes / 1e6:.1f} MB) to {self.endpoint} "
                f"in {self.seconds:.1f} s ({self.rate:,.0f} triples/s)"
                + (f", {self.retries} retried" if self.retries else ""))


GraphPayload = tuple[str, bytes]  # (graph IRI, N-Triples)


def per_second(triples: int, seconds: float) -> float:
    """The rate a push or a bulk load reports: 0 when no time was measured."""
    return triples / seconds if seconds > 0 else 0.0


def check_endpoint(url: str) -> str:
    """An http(s) URL without credentials in it (they belong in --user/--password-file)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"endpoint {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise PushError("the endpoint URL must not carry credentials: use --user and --password-file")
    return url


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph (indirect identification)."""
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"


def _opener(endpoint: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if credentials is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint, credentials.user, credentials.password)
        handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                     urllib.request.HTTPBasicAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


class _Transient(Exception):
    """A failure worth retrying (the PUT replaces, so retrying is safe)."""


def _describe(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason if reason is not None else exc) or type(exc).__name__


def put_graph(opener: urllib.request.OpenerDirector, endpoint: str, graph: str, body: bytes,
              timeout: float) -> int:
    """PUT one graph; returns the HTTP status, raises PushError or _Transient."""
    request = urllib.request.Request(graph_url(endpoint, graph), data=body, method="PUT",
                                     headers={"Content-Type": CONTENT_TYPE})
    where = f"PUT graph <{graph}>"
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read()  # a truncated answer raises IncompleteRead here
    except urllib.error.HTTPError as exc:
        status = exc.code
        exc.close()
        if status == 401:
            raise PushError(f"{where}: authentication failed (HTTP 401): check --user and "
                            "--password-file") from None
        if status == 403:
            raise PushError(f"{where}: forbidden (HTTP 403): the user may not write graphs") from None
        if status >= 500 or status in (408, 429):
            raise _Transient(f"{where}: server error (HTTP {status} {exc.reason})") from None
        raise PushError(f"{where}: refused (HTTP {status} {exc.reason})") from None
    except TimeoutError as exc:
        raise _Transient(f"{where}: no answer within {timeout:g} s") from exc
    except http.client.IncompleteRead as exc:
        raise _Transient(f"{where}: the answer was cut short ({len(exc.partial)} bytes read)") from None
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as exc:
        if isinstance(getattr(exc, "reason", None), (TimeoutError, socket.timeout)):
            raise _Transient(f"{where}: no answer within {timeout:g} s") from None
        raise _Transient(f"{where}: cannot reach the server ({_describe(exc)})") from None
    if status not in OK_STATUSES:
        raise PushError(f"{where}: unexpected answer HTTP {status} (expected 200, 201 or 204); "
                        "the graph may be incomplete on the server, push again")
    return status


def graph_payloads(kg) -> Iterator[GraphPayload]:
    """The named graphs of a loaded :class:`~kg.graphs.KnowledgeGraph`, as N-Triples."""
    from .partition import named_graphs
    from .store import ntriples

    for iri, triples in sorted(named_graphs(kg).items(), key=lambda item: str(item[0])):
        yield str(iri), ntriples(triples)


def store_payloads(store) -> Iterator[GraphPayload]:
    """The named graphs of an opened :class:`~kg.store.Store`, as N-Triples."""
    for iri in store.graph_names():
        yield iri, store.graph_ntriples(iri)


def push(payloads: Iterator[GraphPayload], endpoint: str, *, credentials: Credentials | None = None,
         timeout: float = 60.0, retries: int = 2, backoff: float = 1.0,
         progress: Callable[[str], None] = lambda msg: None) -> PushReport:
    """PUT every (graph IRI, N-Triples) payload to a Graph Store Protocol endpoint."""
    check_endpoint(endpoint)
    opener = _opener(endpoint, credentials)
    report = PushReport(endpoint=endpoint)
    start = time.perf_counter()
    for graph, body in payloads:
        for attempt in range(retries + 1):
            try:
                put_graph(opener, endpoint, graph, body, timeout)
                break
            except _Transient as exc:
                if attempt == retries:
                    raise PushError(f"{exc} (after {attempt + 1} attempt{'s' if attempt else ''}); "
                                    f"{report.graphs} graphs were pushed before it; local files are "
                                    "untouched") from None
                report.retries += 1
                progress(f"{exc}; retrying")
                time.sleep(backoff * (2 ** attempt))
        report.graphs += 1
        report.bytes += len(body)
        report.triples += body.count(b"\n")
    report.seconds = time.perf_counter() - start
    return report
