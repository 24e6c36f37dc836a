"""`python -m benchmarks [--quick] [--sizes 100,1000,10000]`: measure kg at scale on a
synthetic corpus and write benchmarks/RESULTS.md; the last line printed is
``summary key=value ...``."""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import measure
from .corpus import Generator, write_corpus
from .page import measure_page
from .report import Results, SizeResult, write_results

FULL_SIZES = (100, 1000, 10000)
QUICK_SIZES = (12, 30)


def run_size(size: int, gen: Generator, work: Path, runs: int, jobs: int,
             log=lambda msg: None, rdflib_limit_s: float = 60.0) -> SizeResult:
    """Every measurement at one corpus size."""
    articles = gen.corpus(size)
    corpus = work / f"corpus-{size}"
    write_corpus(corpus, articles)
    result = SizeResult(size=size, words=sum(len(a.text.split()) for a in articles))
    builds = []
    build_runs = runs if size < 1000 else 1  # first builds of 1,000+ articles: one run (session time)
    for r in range(build_runs):
        store = work / f"store-{size}-{r}"
        shutil.rmtree(store, ignore_errors=True)
        log(f"[{size}] first build {r + 1}/{build_runs}")
        builds.append(measure.build_in_child(corpus, store, jobs))
    store = work / f"store-{size}-0"
    result.build_seconds = statistics.median(b["seconds"] for b in builds)
    result.peak_mib = max(b["peak_mib"] for b in builds)
    first = builds[0]
    result.asserted, result.inferred = first["asserted"], first["inferred"]
    result.reasoning_note = first["reasoning_note"]
    result.reasoning_seconds = statistics.median(b["reasoning_seconds"] for b in builds)
    log(f"[{size}] unchanged rebuilds")
    unchanged = [measure.build_in_child(corpus, store, jobs) for _ in range(runs)]
    result.unchanged_seconds = statistics.median(u["seconds"] for u in unchanged)
    result.unchanged_extracted = max(u["extracted"] for u in unchanged)
    extra = max(1, size // 100)
    write_corpus(corpus, [gen.article(size + i) for i in range(extra)])
    log(f"[{size}] incremental rebuild (+{extra} articles)")
    added = measure.build_in_child(corpus, store, jobs)
    result.incremental_seconds, result.incremental_extracted = added["seconds"], added["extracted"]
    result.incremental_added = extra
    log(f"[{size}] queries on Oxigraph")
    oxigraph = measure.oxigraph_queries(store)
    log(f"[{size}] loading the store into rdflib")
    kg = measure.load_from_store(store)
    log(f"[{size}] queries on rdflib ({len(kg.asserted) + len(kg.inferred)} triples)")
    result.queries = measure.queries(oxigraph, kg, runs if size < 1000 else 1, rdflib_limit_s)
    log(f"[{size}] graph page: written, laid out, drawn in Chromium")
    result.page = measure_page(kg, size, work / f"page-{size}.html", runs)
    result.page_seconds = result.page.write_seconds
    return result


def freeze(work: Path, argv: list[str], out: Path) -> int:
    """Copy kg, its ontology and queries and this harness into ``work/code`` and rerun the
    harness from there, so the code measured cannot change during the run (and the
    extraction cache and up-to-date checks see one version of it)."""
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    code = work / "code"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "RESULTS.md")
    for name in ("kg", "ontology", "queries", "benchmarks"):
        shutil.copytree(root / name, code / name, ignore=ignore, dirs_exist_ok=True)
    shutil.copy(root / "pyproject.toml", code / "pyproject.toml")  # kg.io.data_dir: a checkout
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=root, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg", "ontology", "queries"],
                           capture_output=True, text=True, cwd=root, check=False).stdout.strip()
    commit = f"{head} + uncommitted changes (frozen copy)" if dirty else f"{head} (frozen copy)"
    env = {**os.environ, "PYTHONPATH": str(code), "KG_BENCH_FROZEN": "1", "KG_BENCH_COMMIT": commit}
    rest = [a for a in argv if a != "--freeze"]
    return subprocess.run([sys.executable, "-m", "benchmarks", *rest, "--out", str(out.resolve()),
                           "--workdir", str(work)], cwd=code, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help=f"small sizes {QUICK_SIZES}, for a smoke run")
    p.add_argument("--sizes", help="comma-separated corpus sizes (default: 100,1000,10000)")
    p.add_argument("--runs", type=int, default=3, help="repetitions for medians (default: 3)")
    p.add_argument("--jobs", type=int, default=None, help="build processes (default: all cores)")
    p.add_argument("--extract-sample", type=int, default=300,
                   help="articles for the extraction ratio (default: 300)")
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md")
    p.add_argument("--workdir", type=Path, help="keep the generated corpora and stores here")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--rdflib-limit", type=float, default=60.0,
                   help="stop an rdflib query after this many seconds (default: 60); its time "
                        "and the speedup are then lower bounds")
    p.add_argument("--freeze", action="store_true",
                   help="measure a frozen copy of the code (for a checkout others are editing)")
    args = p.parse_args(argv)
    if args.freeze:
        work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
        return freeze(work, [a for a in argv if a not in ("--workdir", str(args.workdir))], args.out)
    from kg.workers import default_jobs

    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (
        QUICK_SIZES if args.quick else FULL_SIZES)
    jobs = args.jobs or default_jobs()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    started = time.time()

    def log(msg: str) -> None:
        print(f"{time.time() - started:7.1f}s {msg}", file=sys.stderr, flush=True)

    gen = Generator(seed=args.seed)
    results = Results(sizes=list(sizes), runs=args.runs, jobs=jobs, quick=args.quick)
    sample = gen.corpus(min(args.extract_sample, max(sizes)))
    log(f"extraction ratio on {len(sample)} articles")
    results.extract_runs = measure.extraction([a.text for a in sample], args.runs)
    for size in sizes:
        results.per_size.append(run_size(size, Generator(seed=args.seed), work, args.runs, jobs, log,
                                         args.rdflib_limit))
        results.wall_seconds = time.time() - started
        write_results(results, args.out)  # after every size: a long run that stops keeps the rest
        log(f"[{size}] done; {args.out} updated")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {args.out}")
    print(results.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
