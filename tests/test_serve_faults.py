"""`kg serve` under load and faults, over real HTTP on loopback: concurrent queries all
answered, a time limit that stops the query (its worker process is killed), a light query
answered while heavy ones hold every regular slot, fair slots between clients, strict
request parsing, and no process left behind when the server is killed."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from procs import KG, descendants, gone, has_proc

from kg import query
from kg.serve import App, Limits, Source, make_server
from kg.serve_sched import Busy, Slots

pytestmark = pytest.mark.slow  # end-to-end: real builds, processes and servers, killed and starved

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dir(seeds_store):
    return seeds_store


def _start(app: App):
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _stop(server) -> None:
    server.shutdown()
    server.server_close()


def _request(url: str, data: bytes | None = None, ctype: str | None = None,
             source: str | None = None, timeout: float = 60) -> tuple[int, str]:
    """One request, optionally from another loopback address (another client)."""
    headers = {"Content-Type": ctype} if ctype else {}
    opener = urllib.request.build_opener(_SourceHandler(source)) if source else urllib.request.build_opener()
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


class _SourceHandler(urllib.request.HTTPHandler):
    """Connect from a given loopback address (127.0.0.2...): a different client."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req):
        import http.client

        address = self.address

        class Conn(http.client.HTTPConnection):
            def __init__(self, *args, **kwargs):
                kwargs["source_address"] = (address, 0)
                super().__init__(*args, **kwargs)
        return self.do_open(Conn, req)


def _rows(body: str) -> list:
    data = json.loads(body)
    if "boolean" in data:
        return [data["boolean"]]
    return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


def _requests(base: str) -> list[tuple[str, bytes | None, str | None]]:
    """Named and free queries, GET and POST: different texts, as the probe sent them."""
    lib = query.library()
    out: list[tuple[str, bytes | None, str | None]] = []
    for name in ("people", "organizations", "events", "affiliations", "participation", "metrics",
                 "cross_event_people", "aliases"):
        out.append((f"{base}/queries/{name}", None, None))
        out.append((f"{base}/sparql", lib[name].text.encode("utf-8"), "application/sparql-query"))
    out.append((f"{base}/queries/person?name=Fang%20Hanting", None, None))
    out.append((f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), None, None))
    out.append((f"{base}/sparql", urllib.parse.urlencode(
        {"query": "SELECT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 7"}).encode(),
        "application/x-www-form-urlencoded"))
    return out


@pytest.mark.parametrize("kind", ["graph", "store"])
def test_concurrent_valid_queries_are_all_answered(kind, seeds_graph, store_dir):
    """8 threads x 20 different valid queries on a fresh server: every one answered 200 with
    the rows it gets alone (rdflib's parser broke under this: RDFLib/rdflib issue 1282)."""
    _, _, out = seeds_graph
    source = Source(store=store_dir) if kind == "store" else Source(graph=out)
    server, base = _start(App(source, Limits(seconds=60, rows=5000, wait=120)))
    try:
        requests = _requests(base)
        results: dict[int, list] = {}
        errors: list[str] = []

        def client(n: int) -> None:
            for i in range(20):
                index = (n * 7 + i) % len(requests)
                status, body = _request(*requests[index])
                if status != 200:
                    errors.append(f"{requests[index][0]}: {status} {body[:200]}")
                else:
                    results.setdefault(index, []).append(_rows(body))
        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert sum(len(v) for v in results.values()) == 160
        for index, answers in results.items():  # each query got the same rows every time...
            alone = _rows(_request(*requests[index])[1])
            assert all(a == alone for a in answers), requests[index][0]
        people = _rows(_request(f"{base}/queries/people")[1])  # ...and the right ones
        expected = {str(r["name"]) for r in query.run(seeds_graph[0], query.library()["people"]).rows}
        assert {json.loads(row)["name"]["value"] for row in people} == expected
    finally:
        _stop(server)


def test_parsing_is_safe_from_many_threads():
    """In a fresh process (rdflib's parser not yet built, as in the probe), 8 threads check and
    prepare different queries at once through kg.query: no error, and the parser still works."""
    script = """
import threading
from kg import query
lib = list(query.library().values())
errors = []
def work(i):
    for j in range(6):
        q = lib[(i + j) % len(lib)]
        try:
            query.check_safe(q)
            query.prepare(q.text)
        except Exception as exc:
            errors.append(repr(exc))
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
query.prepare(lib[0].text)
print(len(errors), errors[:1])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0 []"


def _status(base: str) -> dict:
    return json.loads(_request(f"{base}/status")[1])


@pytest.mark.parametrize("kind", ["graph", "store"])
def test_heavy_queries_are_stopped_and_a_light_one_still_answered(kind, seeds_graph, store_dir):
    """Four cartesian COUNTs hold the four regular slots; a plain ASK is answered at once (in
    the spare slot); each COUNT is stopped at the limit, its process killed; then the slots
    are free again."""
    _, _, out = seeds_graph
    source = Source(store=store_dir) if kind == "store" else Source(graph=out)
    app = App(source, Limits(seconds=4, concurrent=4, spare=1, spare_seconds=2))
    server, base = _start(app)
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})
    ask = f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    try:
        heavy: list[tuple[int, str, float]] = []

        def send() -> None:
            start = time.monotonic()
            status, body = _request(url)
            heavy.append((status, body, time.monotonic() - start))
        threads = [threading.Thread(target=send) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 3
        while _status(base)["running"] < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        busy = {w.pid for w in app.pool.busy}
        assert _status(base)["running"] == 4 and len(busy) == 4
        start = time.monotonic()
        status, body = _request(ask)
        assert status == 200 and json.loads(body)["boolean"] is True
        assert time.monotonic() - start < 2.0
        for t in threads:
            t.join()
        assert [h[0] for h in heavy] == [503] * 4
        assert all("time limit of 4 s" in h[1] for h in heavy)
        assert all(h[2] >= 4.0 for h in heavy)
        assert all(gone(pid) for pid in busy), "the stopped queries' processes are gone"
        assert _status(base)["stopped_at_time_limit"] == 4
        answers: list[int] = []
        again = [threading.Thread(target=lambda: answers.append(_request(ask)[0])) for _ in range(5)]
        for t in again:
            t.start()
        for t in again:
            t.join()
        assert answers == [200] * 5
    finally:
        _stop(server)


def test_a_heavy_query_in_the_spare_slot_gets_the_short_limit(seeds_graph):
    _, _, out = seeds_graph
    app = App(Source(graph=out), Limits(seconds=30, concurrent=1, spare=1, spare_seconds=1, wait=1))
    server, base = _start(app)
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})
    try:
        first = threading.Thread(target=_request, args=(url,))
        first.start()
        deadline = time.monotonic() + 3
        while _status(base)["running"] < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        status, body = _request(url)
        assert status == 503 and "spare slot" in body
        status, body = _request(url)  # the regular slot still runs the first one
        assert status == 503 and "spare slot" in body
        app.pool.close()  # end the first query's worker: its request gets its answer
        first.join(timeout=30)
        assert not first.is_alive()
    finally:
        _stop(server)


def test_slots_go_to_the_client_with_fewest_queries_running():
    """One regular slot: client A holds it and has three more waiting; client B's query,
    sent after A's, goes before them."""
    slots = Slots(Limits(concurrent=1, spare=0, wait=30))
    first = slots.enter("A")
    order: list[str] = []
    lock = threading.Lock()

    def wait_for(client: str) -> None:
        ticket = slots.enter(client)
        with lock:
            order.append(client)
        slots.leave(ticket)
    threads = []
    for client in ("A", "A", "A", "B"):
        t = threading.Thread(target=wait_for, args=(client,))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 5
        while len(threads) > len(slots.queue) and time.monotonic() < deadline:
            time.sleep(0.01)
    assert [w.client for w in slots.queue] == ["A", "A", "A", "B"]
    slots.leave(first)
    for t in threads:
        t.join()
    assert order == ["B", "A", "A", "A"]


def test_a_query_in_the_spare_slot_takes_the_first_regular_slot_that_frees():
    limits = Limits(seconds=30, concurrent=1, spare=1, spare_seconds=2, wait=0.1)
    slots = Slots(limits)
    regular = slots.enter("A")
    spare = slots.enter("B")
    assert spare.spare and slots.seconds(spare) == 2
    with pytest.raises(Busy):
        slots.enter("C")  # both slots taken
    slots.leave(regular)
    assert spare.promoted and slots.seconds(spare) == 30
    again = slots.enter("C")  # the spare slot is free again, the regular one is B's now
    assert again.spare
    with pytest.raises(Busy):
        slots.enter("D")
    slots.leave(spare)  # B done: its regular slot goes to C, D gets the spare slot
    assert again.promoted and slots.enter("D").spare


def test_a_full_queue_refuses_at_once():
    slots = Slots(Limits(concurrent=1, spare=0, wait=0.2, per_client_waiting=1))
    held = slots.enter("A")
    waiting = threading.Thread(target=lambda: pytest.raises(Busy, slots.enter, "A"))
    waiting.start()
    deadline = time.monotonic() + 5
    while not slots.queue and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(Busy, match="already waiting"):
        slots.enter("A")
    waiting.join()
    slots.leave(held)


def test_another_client_goes_before_a_clients_waiting_queries(store_dir):
    """Four heavy queries from one client (two run, two wait), then a light one from another
    client (127.0.0.2): it gets the first slot that frees, before the first client's waiting
    queries."""
    app = App(Source(store=store_dir), Limits(seconds=3, concurrent=2, spare=0, wait=30))
    server, base = _start(app)
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})
    done: list[tuple[str, int]] = []

    def send(who: str, target: str, source: str | None = None) -> None:
        status, _ = _request(target, source=source)
        done.append((who, status))
    try:
        heavy = [threading.Thread(target=send, args=("heavy", url)) for _ in range(4)]
        for t in heavy:
            t.start()
        deadline = time.monotonic() + 5
        while _status(base)["waiting"] < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _status(base)["waiting"] == 2
        send("light", f"{base}/queries/people", "127.0.0.2")
        for t in heavy:
            t.join()
        assert ("light", 200) in done and [s for w, s in done if w == "heavy"] == [503] * 4
        assert [who for who, _ in done[-2:]] == ["heavy", "heavy"]  # the waiting ones came after it
    finally:
        _stop(server)


def _raw(port: int, head: bytes, body: bytes = b"", read_first: bool = True) -> tuple[bytes, int]:
    """Send a request head (and maybe a body); return the response and how many body bytes
    the server let us send before it answered and closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        sent = 0
        if body:
            sock.settimeout(0.5)
            try:
                for at in range(0, len(body), 65536):
                    sent += sock.send(body[at:at + 65536])
            except (BlockingIOError, TimeoutError, ConnectionError):
                pass
            sock.settimeout(10)
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except ConnectionError:
            pass
    return data, sent


@pytest.fixture(scope="module")
def http_server(seeds_graph):
    _, _, out = seeds_graph
    server, _ = _start(App(Source(graph=out), Limits(seconds=10)))
    yield server.server_address[1]
    _stop(server)


@pytest.mark.parametrize("header, status", [
    (b"Content-Length: -1", 400), (b"Content-Length: abc", 400), (b"Content-Length: 1e3", 400),
    (b"Content-Length: 31457280", 413), (b"Transfer-Encoding: chunked", 411), (b"", 411),
    (b"Content-Length: 5\r\nContent-Length: 6", 400),
])
def test_bad_content_length_is_refused_before_the_body_is_read(http_server, capfd, header, status):
    """The probe sent `Content-Length: -1` with 30 MiB (all of it read before a 400) and
    `Content-Length: abc` (a traceback, no answer). Now: an answer from the headers alone,
    the connection closed, the body never read."""
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + (header + b"\r\n" if header else b"") + b"\r\n")
    response, _ = _raw(http_server, head)  # no body sent at all: the answer cannot wait for one
    assert response.startswith(b"HTTP/1.1 %d " % status), response[:200]
    assert b"Connection: close" in response
    assert "Traceback" not in capfd.readouterr().err


def test_a_huge_body_is_not_read(http_server):
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -1\r\n\r\n")
    response, sent = _raw(http_server, head, b"x" * (30 << 20))
    assert response.startswith(b"HTTP/1.1 400 ")
    assert sent < (30 << 20)  # the server answered and closed without reading it all


def test_connections_past_the_cap_are_refused_and_idle_ones_closed(seeds_graph, monkeypatch):
    from kg import serve

    monkeypatch.setattr(serve.Handler, "timeout", 1)
    _, _, out = seeds_graph
    server = serve.Server(("127.0.0.1", 0), App(Source(graph=out), Limits()), max_connections=2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        deadline = time.monotonic() + 10
        while server._open < 2 and time.monotonic() < deadline:  # both accepted, each in its thread
            time.sleep(0.01)
        response, _ = _raw(port, b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
        assert response.startswith(b"HTTP/1.1 503 ") and b"too many connections" in response
        for sock in held:  # sending nothing: closed by the server after its idle timeout
            assert sock.recv(1) == b""
            sock.close()
        response, _ = _raw(port, b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert response.startswith(b"HTTP/1.1 200 ")
    finally:
        _stop(server)


def test_a_good_post_still_works_after_bad_ones(http_server):
    body = b"ASK { ?s ?p ?o }"
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body))
    response, _ = _raw(http_server, head + body)
    assert response.startswith(b"HTTP/1.1 200 ") and b'"boolean": true' in response


def _request_ignoring_errors(url: str) -> None:
    try:
        _request(url, timeout=5)
    except OSError:  # the server is killed under it
        pass


@pytest.mark.skipif(not has_proc(), reason="needs /proc to find child processes")
def test_no_process_outlives_a_killed_server(seeds_graph, tmp_path):
    """SIGKILL `kg serve` while a query runs: the loader and every worker (the busy one too)
    are gone within seconds."""
    _, _, out = seeds_graph
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*KG, "serve", "--graph", str(out),
                             "--port", str(port), "--timeout", "60"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "SPARQL endpoint" in line, line
        base = f"http://127.0.0.1:{port}"
        runner = threading.Thread(target=_request_ignoring_errors, args=(
            f"{base}/sparql?" + urllib.parse.urlencode({"query": CARTESIAN}),))
        runner.start()
        deadline = time.monotonic() + 5
        while _status(base)["running"] < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        family = descendants(proc.pid)
        assert len(family) >= 6  # the loader and five workers
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert all(gone(pid) for pid in family), [p for p in family if not gone(p, 0)]
    runner.join()
