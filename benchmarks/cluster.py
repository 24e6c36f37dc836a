"""`python -m benchmarks.cluster [--articles 1000] [--runs 2]`: `kg build --cluster` on a local
Dask cluster (a scheduler and two single-threaded workers on 127.0.0.1, started fresh for each
build, so their spaCy loads inside the build as --jobs 2's processes do) against
`kg build --jobs 2`, both `--store` builds of the same synthetic corpus in fresh processes with
cold caches, alternated; then the local store pushed into a fresh Virtuoso with Graph Store
Protocol PUTs and, into another fresh one, with `kg push --bulk`. Replaces the "Cluster and
bulk load" section of benchmarks/RESULTS.md; the last line printed is ``summary key=value ...``."""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import measure
from .corpus import Generator, write_corpus
from .page import replace_section

SECTION = "## Cluster and bulk load"
TESTS = Path(__file__).resolve().parent.parent / "tests"  # the real-server starters the tests use


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def builds(corpus: Path, work: Path, runs: int, log) -> list[dict]:
    import daskcluster

    from kg.store import read_manifest

    rows = []
    for r in range(runs):
        log(f"run {r + 1}/{runs}: kg build --jobs 2")
        local = measure.build_in_child(corpus, work / f"local-{r}", 2)
        cluster = daskcluster.start(work / f"dask-{r}", workers=2)
        try:
            log(f"run {r + 1}/{runs}: kg build --cluster")
            remote = measure.build_in_child(corpus, work / f"cluster-{r}", 2, cluster.address)
        finally:
            cluster.stop()
        same = read_manifest(work / f"local-{r}")["graphs"] == read_manifest(work / f"cluster-{r}")["graphs"]
        rows.append({"local": local, "cluster": remote, "same": same,
                     "load": os.getloadavg()[0]})
        log(f"  local {local['seconds']:.1f} s, cluster {remote['seconds']:.1f} s, same graphs: {same}")
    return rows


def loads(store: Path, work: Path, log) -> dict:
    import virtuoso

    from kg.bulk import bulk_push
    from kg.errors import PushError
    from kg.push import Credentials, push, store_payloads
    from kg.store import open_store

    out = {}
    server = virtuoso.start(work / "virtuoso-put")
    try:
        log("PUT into a fresh Virtuoso")
        payloads = list(store_payloads(open_store(store)))
        articles = [p for p in payloads if "/graph/article/" in p[0]]
        report = push(iter(articles), server.gsp, credentials=Credentials("dba", "dba"))
        out["put"] = (report.triples, report.seconds, report.graphs)
        out["put_big"] = []
        for graph, body in payloads:  # the big graphs, one by one: PUT is for small graphs
            if "/graph/article/" in graph:
                continue
            try:
                push(iter([(graph, body)]), server.gsp, credentials=Credentials("dba", "dba"), retries=0)
                out["put_big"].append((graph, len(body), "ok"))
            except PushError as exc:
                out["put_big"].append((graph, len(body), str(exc).split(": ", 1)[-1]))
    finally:
        server.stop()
    server = virtuoso.start(work / "virtuoso-bulk")
    try:
        log("bulk load into a fresh Virtuoso")
        bulk = bulk_push(store_payloads(open_store(store)), server.load_dir, server.isql,
                         Credentials("dba", "dba"))
        out["bulk"] = (bulk.triples, bulk.load_seconds, bulk.graphs, bulk.write_seconds, bulk.bytes)
    finally:
        server.stop()
    return out


def section(args, rows: list[dict], load: dict, store_bytes: int, wall: float) -> tuple[str, str]:
    local = statistics.median(r["local"]["seconds"] for r in rows)
    remote = statistics.median(r["cluster"]["seconds"] for r in rows)
    overhead = remote / local - 1
    first = rows[0]["local"]
    quads = first["asserted"] + first["inferred"]
    put_t, put_s, _ = load["put"]
    bulk_t, bulk_s, graphs, write_s, shard_bytes = load["bulk"]
    lines = [SECTION, "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m benchmarks.cluster "
             f"--articles {args.articles} --runs {args.runs}` ({wall / 60:.1f} min): the synthetic corpus "
             f"(benchmarks/corpus.py, seed {args.seed}), `kg build --store` in a fresh process with a cold "
             f"cache, `--jobs 2` and `--cluster` (a Dask scheduler and two single-threaded workers on "
             f"127.0.0.1, started fresh for each build) alternated, {os.cpu_count()} cores shared with the "
             f"other engineers' work (load average at each run's end below; the builds compete with it, "
             f"so only the ratio of the two is meaningful, and under such load the cluster's four "
             f"processes, two workers, the scheduler and the client, may get a larger share of the "
             f"machine than --jobs 2's three). Phases are the cluster build's waves, wall time.", "",
             "| run | --jobs 2 s | --cluster s | cluster phases | same graphs | load avg |",
             "|---|---|---|---|---|---|"]
    for i, r in enumerate(rows, 1):
        phases = r["cluster"]["cluster"].split("(")[-1].rstrip(")") if "(" in r["cluster"]["cluster"] else ""
        lines.append(f"| {i} | {r['local']['seconds']:.1f} | {r['cluster']['seconds']:.1f} | {phases} | "
                     f"{'yes' if r['same'] else 'NO'} | {r['load']:.1f} |")
    big = "; ".join(f"<{g.rsplit('/', 2)[-2] + '/' + g.rsplit('/', 1)[-1]}> ({n / 1e6:.1f} MB): {why}"
                    for g, n, why in load["put_big"])
    lines += ["", f"cluster_overhead (median --cluster / median --jobs 2 - 1) = **{overhead:+.1%}** "
              f"(target < +20%: {'met' if overhead < 0.20 else 'missed'})", "",
              f"Loading the {args.articles}-article store ({graphs} named graphs: {quads} asserted and inferred "
              f"quads, and the ontology; "
              f"the Oxigraph store {store_bytes / 1e6:.0f} MB) into a fresh Virtuoso 7.2 on the same machine:", "",
              "| how | triples | seconds | triples/s |", "|---|---|---|---|",
              f"| Graph Store Protocol PUT, one per article graph (`kg push`) | {put_t} | {put_s:.1f} | "
              f"{put_t / put_s:,.0f} |",
              f"| bulk loader, N-Quads shards (`kg push --bulk`: clear, ld_dir, rdf_loader_run, checkpoint) "
              f"| {bulk_t} | {bulk_s:.1f} | {bulk_t / bulk_s:,.0f} |", "",
              f"The PUT row is the {graphs - len(load['put_big'])} article graphs; the big graphs, PUT one "
              f"by one afterwards: {big}. The bulk row is every graph; its shards took {write_s:.1f} s to "
              f"write ({shard_bytes / 1e6:.0f} MB, {shard_bytes / max(bulk_t, 1):.0f} bytes per quad)."]
    summary = (f"summary cluster_overhead={overhead:.3f} local_s={local:.1f} cluster_s={remote:.1f} "
               f"put_tps={put_t / put_s:.0f} bulk_tps={bulk_t / bulk_s:.0f} same={all(r['same'] for r in rows)}")
    return "\n".join(lines) + "\n", summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.cluster", description=__doc__)
    p.add_argument("--articles", type=int, default=1000)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md")
    args = p.parse_args(argv)
    sys.path.insert(0, str(TESTS))
    from kg.io import write_atomic

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-cluster-"))
    try:
        corpus = work / "corpus"
        write_corpus(corpus, Generator(seed=args.seed).corpus(args.articles))
        rows = builds(corpus, work, args.runs, log)
        store = work / "local-0"
        load = loads(store, work, log)
        from kg.store import db_path

        text, summary = section(args, rows, load, _size(db_path(store)), time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else "# kg benchmarks\n"
    write_atomic(args.out, replace_section(old, text, SECTION))
    print(text)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
