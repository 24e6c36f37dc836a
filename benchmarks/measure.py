"""The measurements, each a plain function returning plain numbers. Builds run in a child
process (``python -m benchmarks.measure build ...``) so that their peak memory is their own."""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CONTRACT = ("people", "organizations", "affiliations", "events", "participation", "metrics",
            "cross_event_people")


@dataclass
class ExtractRun:
    articles: int
    words: int
    raw_seconds: float
    kg_seconds: float

    @property
    def ratio(self) -> float:
        return self.raw_seconds / self.kg_seconds if self.kg_seconds else 0.0


def extraction(texts: list[str], runs: int) -> list[ExtractRun]:
    """Raw spaCy ``nlp.pipe`` (the stock model) against kg's extraction (the same model with
    kg's components, then kg's per-article extraction) over the same texts, one process
    each, interleaved chunk by chunk. Throughput ratio = raw time / kg time."""
    import spacy

    from kg.extract import extract_doc, load_nlp
    from kg.extract.pipeline import MODEL

    raw_nlp = spacy.load(MODEL)
    kg_nlp = load_nlp()
    words = sum(len(t.split()) for t in texts)
    list(raw_nlp.pipe(texts[:4]))  # warm both up
    for doc in kg_nlp.pipe(texts[:4]):
        extract_doc(doc, "warm-up")
    out = []
    chunks = [texts[i:i + 10] for i in range(0, len(texts), 10)]
    for _ in range(runs):
        # alternate small chunks (and which side goes first) so that both see the same load
        raw = kg = 0.0
        for n, chunk in enumerate(chunks):
            for side in ((0, 1) if n % 2 == 0 else (1, 0)):
                start = time.perf_counter()
                if side == 0:
                    for _doc in raw_nlp.pipe(chunk, batch_size=8):
                        pass
                    raw += time.perf_counter() - start
                else:
                    for i, doc in enumerate(kg_nlp.pipe(chunk, batch_size=8)):
                        extract_doc(doc, f"a{i}.txt")
                    kg += time.perf_counter() - start
        out.append(ExtractRun(len(texts), words, raw, kg))
    return out


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def _child_build(corpus: Path, store: Path, jobs: int, cluster: str | None = None) -> dict:
    from kg.build import build

    start = time.perf_counter()
    _, report = build([corpus], None, store=store, jobs=jobs, cluster=cluster)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": _peak_mib(), "up_to_date": report.up_to_date,
            "extracted": report.extracted, "cached": report.cached, "asserted": report.asserted,
            "inferred": report.inferred, "reasoning_seconds": report.reasoning_seconds,
            "reasoning_note": report.reasoning_note, "store_changes": report.store_changes,
            "articles": report.articles, "cluster": report.cluster}


def build_in_child(corpus: Path, store: Path, jobs: int, cluster: str | None = None) -> dict:
    """One `kg build --store` (on a Dask cluster: ``cluster``) in a fresh process: its time,
    peak memory (of the client) and report."""
    extra = ["--cluster", cluster] if cluster else []
    proc = subprocess.run([sys.executable, "-m", "benchmarks.measure", "build", str(corpus),
                           str(store), str(jobs), *extra], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"build of {corpus} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@dataclass
class QueryTiming:
    name: str
    rows: int
    rdflib_ms: float  # with rdflib_stopped: the time limit it ran into (a lower bound)
    oxigraph_ms: float
    rdflib_stopped: bool = False

    @property
    def speedup(self) -> float:
        """rdflib time / Oxigraph time (a lower bound when rdflib was stopped)."""
        return self.rdflib_ms / self.oxigraph_ms if self.oxigraph_ms else 0.0


class _TimeUp(Exception):
    pass


def _timed_rdflib(run, limit_s: float) -> tuple[float, int | None]:
    """Seconds and row count of ``run()``, stopped by SIGALRM after ``limit_s`` (rdflib's
    evaluation is Python, so the signal interrupts it): (limit, None) when stopped."""
    import signal

    def alarm(signum, frame):
        raise _TimeUp

    old = signal.signal(signal.SIGALRM, alarm)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, limit_s)
        rows = run()
        return time.perf_counter() - start, rows
    except _TimeUp:
        return limit_s, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def load_from_store(store_dir: Path):
    """The store's graphs as an in-memory KnowledgeGraph (for the rdflib side)."""
    from rdflib import Graph

    from kg.graphs import KnowledgeGraph
    from kg.partition import GraphNames
    from kg.store import open_store

    store = open_store(store_dir)
    names = GraphNames(store.base)
    asserted, inferred, ontology = Graph(), Graph(), Graph()
    for prefix, ns in store.prefixes.items():
        asserted.bind(prefix, ns, replace=True)
    for iri in store.graph_names():
        data = store.graph_ntriples(iri).decode("utf-8")
        target = inferred if iri == str(names.inferred) else ontology if iri == str(names.ontology) else asserted
        target.parse(data=data, format="nt")
    return KnowledgeGraph(asserted=asserted, inferred=inferred, ontology=ontology, base=store.base)


OXIGRAPH_RUNS = 3  # Oxigraph queries are cheap to repeat: always a median of 3


def oxigraph_queries(store_dir: Path, runs: int = OXIGRAPH_RUNS) -> dict[str, tuple[int, float]]:
    """Each contract query on the Oxigraph store: rows and median seconds of ``runs`` (the
    first run reads the store from disk, the others from the page cache, as a server's
    queries do). Run before the rdflib dataset is loaded, which would evict the cache. The
    query runs live, engine against engine, never from the rows the build precomputed
    (kg.answers, which ``Store.run`` would read: benchmarks.lookups times that path)."""
    from kg import query
    from kg.store import collect, open_store

    store = open_store(store_dir)
    library = query.library()
    out = {}
    for name in CONTRACT:
        q = library[name]
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            store.check(q)
            rows = len(collect(store.execute(q.text)).rows)
            times.append(time.perf_counter() - start)
        out[name] = (rows, statistics.median(times))
    return out


def queries(oxigraph: dict[str, tuple[int, float]], kg, runs: int,
            rdflib_limit_s: float = 120.0) -> list[QueryTiming]:
    """Each contract query on rdflib (dataset built once, not timed), median seconds of
    ``runs``, beside its Oxigraph timing (:func:`oxigraph_queries`). An rdflib run past
    ``rdflib_limit_s`` is stopped (its time is then a lower bound, and so is the speedup);
    the row count comes from the store, which gives the same rows (tests/test_store.py)."""
    from rdflib.plugins.sparql import prepareQuery

    from kg import query

    ds = kg.dataset()
    ns = {p: n for p, n in ds.namespaces()}
    library = query.library()
    out = []
    for name in CONTRACT:
        q = library[name]
        rows, ox_seconds = oxigraph[name]
        rd, stopped = [], False
        for _ in range(runs):
            seconds, counted = _timed_rdflib(
                lambda: len(list(ds.query(prepareQuery(q.text, initNs=ns)))),  # noqa: B023 - run at once
                rdflib_limit_s)
            rd.append(seconds)
            if counted is None:  # stopped once: the next runs would be too
                stopped = True
                break
        out.append(QueryTiming(name, rows, 1000 * statistics.median(rd), 1000 * ox_seconds,
                               rdflib_stopped=stopped))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    sub = p.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build")
    b.add_argument("corpus", type=Path)
    b.add_argument("store", type=Path)
    b.add_argument("jobs", type=int)
    b.add_argument("--cluster", default=None)
    args = p.parse_args(argv)
    print(json.dumps(_child_build(args.corpus, args.store, args.jobs, args.cluster)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
