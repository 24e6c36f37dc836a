"""`python -m benchmarks.serve_load [--clients 16] [--seconds 30] [--articles 200]`: a load test
of `kg serve`, bounded and on loopback only.

It builds a store of synthetic articles (benchmarks/corpus.py), starts `kg serve --store` and
`kg serve --graph` as real processes on 127.0.0.1, asks every query of a mix (named queries
with and without parameters, free SELECT/ASK by GET and POST) once while the server is idle
to get its reference answer, then runs N clients (each from its own loopback address, each
on one keep-alive connection) for the given time, comparing every answer with the reference.
It prints, and records in benchmarks/RESULTS.md (its own section, the rest of the file kept),
the throughput, p50/p99 latency, error rate and the number of wrong answers."""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Generator

MAX_CLIENTS = 64
MAX_SECONDS = 120.0
HEADING = "## Load test of kg serve"
RESULTS = Path(__file__).parent / "RESULTS.md"


@dataclass(frozen=True)
class Request:
    label: str
    method: str
    path: str
    body: bytes | None = None
    ctype: str | None = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # "200", "503 busy"...
    wrong: list[str] = field(default_factory=list)
    connection_errors: int = 0


def mix(people: list[str], places: list[str]) -> list[Request]:
    """The queries the clients send, named and free, GET and POST."""
    from kg import query

    lib = query.library()
    q = urllib.parse.quote
    out = [Request(f"named {name}", "GET", f"/queries/{name}") for name in
           ("people", "organizations", "events", "affiliations", "metrics", "aliases")]
    for name in people[:3]:
        out.append(Request("named person", "GET", f"/queries/person?name={q(name)}"))
        out.append(Request("named sources", "GET", f"/queries/sources?name={q(name)}"))
    if len(people) >= 2:
        out.append(Request("named co_appearance", "GET", f"/queries/co_appearance?a={q(people[0])}&b={q(people[1])}"))
    for place in places[:2]:
        out.append(Request("named events_in_place", "GET", f"/queries/events_in_place?place={q(place)}"))
    free = {
        "free ASK": "ASK { ?s a <https://kg.example.org/ontology#Person> }",
        "free SELECT LIMIT": "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
                             "ORDER BY ?s ?label LIMIT 50",
        "free COUNT GROUP BY": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    }
    for label, text in free.items():
        out.append(Request(label, "GET", "/sparql?" + urllib.parse.urlencode({"query": text})))
    out.append(Request("free POST (participation text)", "POST", "/sparql",
                       lib["participation"].text.encode("utf-8"), "application/sparql-query"))
    out.append(Request("free POST form (cross_event_people text)", "POST", "/sparql",
                       urllib.parse.urlencode({"query": lib["cross_event_people"].text}).encode(),
                       "application/x-www-form-urlencoded"))
    return out


def rows(body: bytes) -> list:
    data = json.loads(body)
    if "boolean" in data:
        return [data["boolean"]]
    return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


def _send(conn: http.client.HTTPConnection, req: Request) -> tuple[int, bytes]:
    headers = {"Accept": "application/sparql-results+json"}
    if req.ctype:
        headers["Content-Type"] = req.ctype
    conn.request(req.method, req.path, body=req.body, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


class Server:
    """`kg serve` in its own process on a free loopback port."""

    def __init__(self, *source: str, workers: int = 4) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", *source, "--port", str(self.port),
                                      "--workers", str(workers)], stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline() if self.proc.stderr else ""
        if "SPARQL endpoint" not in line:
            self.stop()
            raise RuntimeError(f"kg serve did not start: {line}")

    def connect(self, source: str | None = None) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                          source_address=(source, 0) if source else None)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stderr:
            self.proc.stderr.close()


def reference(server: Server, requests: list[Request]) -> tuple[list[Request], list[tuple[str, list]], list[str], float]:
    """Each request's answer on the idle server: the requests it answers, their (body
    digest, rows), the labels of those it stops at its time limit even alone (left out of
    the load: they could only time out), and the mean time of the kept ones, one at a time."""
    conn = server.connect()
    kept, out, left, times = [], [], [], []
    for req in requests:
        start = time.perf_counter()
        status, body = _send(conn, req)
        took = time.perf_counter() - start
        if status == 503 and b"time limit" in body:
            left.append(req.label)
            continue
        if status != 200:
            raise RuntimeError(f"{req.label}: {status} {body[:200]!r} on the idle server")
        kept.append(req)
        times.append(took)
        out.append((hashlib.sha256(body).hexdigest(), rows(body)))
    conn.close()
    return kept, out, left, 1000 * statistics.fmean(times) if times else 0.0


def load(server: Server, requests: list[Request], expected: list[tuple[str, list]],
         clients: int, seconds: float) -> tuple[Tally, float]:
    """``clients`` threads, each from its own loopback address, for ``seconds``."""
    tally = Tally()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = server.connect(f"127.0.0.{2 + n}")
        i = n * 5
        while time.monotonic() < stop:
            index = i % len(requests)
            i += 1
            start = time.perf_counter()
            try:
                status, body = _send(conn, requests[index])
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = server.connect(f"127.0.0.{2 + n}")
                with lock:
                    tally.connection_errors += 1
                continue
            took = time.perf_counter() - start
            wrong = status == 200 and hashlib.sha256(body).hexdigest() != expected[index][0] \
                and rows(body) != expected[index][1]
            key = f"{status} {_why(body)}" if status != 200 else "200"
            with lock:
                tally.latencies.append(took)
                tally.statuses[key] = tally.statuses.get(key, 0) + 1
                if wrong:
                    tally.wrong.append(requests[index].label)
        conn.close()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.monotonic() - started


def _why(body: bytes) -> str:
    """Why a request was refused, in a word or two (from kg serve's one-line error)."""
    text = body[:300].decode("utf-8", "replace")
    for phrase, word in (("spare slot", "(spare slot limit)"), ("time limit", "(time limit)"),
                         ("waiting", "(queue full)"), ("busy", "(no free slot in time)")):
        if phrase in text:
            return word
    return ""


def figures(tally: Tally, wall: float) -> dict:
    lat = sorted(tally.latencies)
    total = len(lat) + tally.connection_errors
    ok = tally.statuses.get("200", 0)

    def pct(p: float) -> float:
        return 1000 * lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0.0
    return {"requests": total, "ok": ok, "throughput": total / wall if wall else 0.0,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "mean_ms": 1000 * statistics.fmean(lat) if lat else 0.0,
            "error_rate": (total - ok) / total if total else 0.0, "wrong": len(tally.wrong),
            "statuses": dict(sorted(tally.statuses.items())), "connection_errors": tally.connection_errors}


def build_store(articles: int, work: Path) -> tuple[Path, Path]:
    """A store and a Turtle graph of ``articles`` synthetic articles."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for art in Generator(seed=17).corpus(articles):
        (corpus / art.name).write_text(art.text, encoding="utf-8")
    store, graph = work / "store", work / "graph" / "kg.ttl"
    for target in (["--store", str(store)], ["--out", str(graph), "--no-page"]):
        done = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), *target, "--quiet"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"kg build failed: {done.stderr}")
    return store, graph


def sample_names(store: Path) -> tuple[list[str], list[str]]:
    from kg import query
    from kg.store import open_store

    with open_store(store) as st:
        people = [str(r["name"]) for r in st.run(query.library()["people"]).rows]
        text = ("SELECT DISTINCT ?name WHERE { ?e <https://kg.example.org/ontology#location> ?p . "
                "?p <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name")
        places = [str(r["name"]) for r in st.run(query.NamedQuery("places", Path("<places>"), text)).rows]
    return people[::max(1, len(people) // 5)], places


def run(clients: int, seconds: float, articles: int, work: Path, log=print) -> dict:
    """Both engines under the same load; returns the figures per engine."""
    clients = max(1, min(clients, MAX_CLIENTS))
    seconds = max(1.0, min(seconds, MAX_SECONDS))
    log(f"building {articles} articles")
    store, graph = build_store(articles, work)
    people, places = sample_names(store)
    requests = mix(people, places)
    out = {"clients": clients, "seconds": seconds, "articles": articles, "kinds": len(requests),
           "load_before": os.getloadavg()[0], "cores": len(os.sched_getaffinity(0)), "nice": os.nice(0)}
    for engine, source in (("store", ["--store", str(store)]), ("graph", ["--graph", str(graph)])):
        server = Server(*source)
        try:
            kept, expected, left, idle_ms = reference(server, requests)
            log(f"{engine}: {clients} clients for {seconds:g} s" + (f" (left out: {left})" if left else ""))
            tally, wall = load(server, kept, expected, clients, seconds)
        finally:
            server.stop()
        out[engine] = {**figures(tally, wall), "left_out": sorted(set(left)), "idle_ms": idle_ms}
        log(f"{engine}: {json.dumps(out[engine])}")
    out["load_after"] = os.getloadavg()[0]
    return out


def section(res: dict, when: str) -> str:
    lines = [HEADING, "",
             f"Run {when} with `python -m benchmarks.serve_load --clients {res['clients']} --seconds "
             f"{res['seconds']:g} --articles {res['articles']}`: `kg serve` in its own process on "
             f"127.0.0.1 (4 query workers and the spare slot, default limits), {res['clients']} clients "
             f"each from its own loopback address on one keep-alive connection, sending a mix of "
             f"{res['kinds']} named and free queries (GET and POST) in turn for {res['seconds']:g} s. "
             "Every answer is compared with the idle server's answer to the same request. "
             f"Machine: {res['cores']} cores, shared with other work (1-minute load average "
             f"{res['load_before']:.1f} before, {res['load_after']:.1f} after; run at nice "
             f"{res['nice']}; the clients run on the same cores). \"idle ms\": the mean time of one "
             "request of the mix on the idle server, one at a time: the cores divided by it bound "
             "the throughput.", "",
             "| engine | requests | throughput (req/s) | p50 ms | p99 ms | mean ms | idle ms | error rate | "
             "wrong answers | statuses |", "|---|---|---|---|---|---|---|---|---|---|"]
    for engine in ("store", "graph"):
        f = res[engine]
        statuses = ", ".join(f"{k}: {v}" for k, v in f["statuses"].items())
        lines.append(f"| {engine} | {f['requests']} | {f['throughput']:.1f} | {f['p50_ms']:.1f} | "
                     f"{f['p99_ms']:.1f} | {f['mean_ms']:.1f} | {f['idle_ms']:.1f} | {100 * f['error_rate']:.2f}% | "
                     f"{f['wrong']} | {statuses} |")
    lines += ["", "(store: `kg serve --store` over Oxigraph; graph: `kg serve --graph` over rdflib, "
              "the same articles.)"]
    for engine in ("store", "graph"):
        if res[engine]["left_out"]:
            lines.append(f"Left out of the {engine} run, because the idle server stops them at the "
                         f"10 s limit even alone: {', '.join(res[engine]['left_out'])}.")
    lines.append("")
    return "\n".join(lines)


def write_section(text: str, path: Path = RESULTS) -> None:
    """Put this section in RESULTS.md: replace the previous one, keep everything else."""
    from kg.io import write_atomic

    from .report import without_section

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    write_atomic(path, without_section(old, HEADING).rstrip("\n") + "\n\n" + text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.serve_load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16, help=f"concurrent clients (at most {MAX_CLIENTS})")
    p.add_argument("--seconds", type=float, default=30.0, help=f"load duration (at most {MAX_SECONDS:g})")
    p.add_argument("--articles", type=int, default=200, help="synthetic articles in the graph")
    p.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-serve-load-") as work:
        res = run(args.clients, args.seconds, args.articles, Path(work),
                  log=lambda msg: print(msg, file=sys.stderr))
    text = section(res, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print(text)
    if not args.no_write:
        write_section(text)
    s, g = res["store"], res["graph"]
    print(f"summary store_rps={s['throughput']:.1f} store_p50_ms={s['p50_ms']:.1f} "
          f"store_p99_ms={s['p99_ms']:.1f} store_errors={s['error_rate']:.4f} store_wrong={s['wrong']} "
          f"graph_rps={g['throughput']:.1f} graph_p50_ms={g['p50_ms']:.1f} graph_p99_ms={g['p99_ms']:.1f} "
          f"graph_errors={g['error_rate']:.4f} graph_wrong={g['wrong']}")
    return 0 if s["wrong"] == 0 and g["wrong"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
