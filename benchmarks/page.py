"""`python -m benchmarks.page [--articles 1000]`: the graph page at scale. Builds the synthetic
corpus (benchmarks/corpus.py) without a store, writes its page (kg.viz: at most 1,500
entities), and measures the seconds to write the page and, of those, to lay it out (kg.layout),
then the seconds until headless Chromium (every network request refused) has drawn it, still
(physics off), counted from the request. Replaces the "Graph page" section of
benchmarks/RESULTS.md with the figures and leaves the rest of the file as it is; the full
harness (python -m benchmarks) measures the same at each of its sizes."""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SECTION = "## Graph page"
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--no-first-run", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>", "--window-size=1400,900")


@dataclass
class PageResult:
    """One page measured: what it draws and how long each step took (medians)."""

    articles: int
    entities: int
    links: int
    drawn: int  # entities drawn at first (those with links)
    write_seconds: float
    layout_seconds: float
    ready_seconds: float | None  # None: no Chromium here

    def row(self) -> str:
        ready = f"{self.ready_seconds:.2f}" if self.ready_seconds is not None else "n/a (no Chromium)"
        return (f"| {self.articles} | {self.entities} | {self.links} | {self.drawn} | "
                f"{self.write_seconds:.2f} | {self.layout_seconds:.2f} | {ready} |")


HEADER = ("| articles | entities on the page | links | drawn at first | write page s | of which layout s "
          "| drawn and still in Chromium s |\n|---|---|---|---|---|---|---|")


def browser_ready_seconds(page: Path, runs: int) -> float | None:
    """Median seconds from the request until the page says it has drawn (physics off), in
    headless Chromium; None when Chromium, chromedriver or selenium is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not chromium or not driver_path:
        return None
    profile = tempfile.mkdtemp(prefix="kg-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    times = []
    try:
        for _ in range(runs):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.get(page.resolve().as_uri())
            while driver.execute_script("return document.body.getAttribute('data-ready') === '1' && "
                                        "window.kgNetwork.physics.physicsEnabled === false") is not True:
                if time.perf_counter() - start > 300:
                    raise RuntimeError(f"{page} did not draw within 300 s")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return statistics.median(times)


def measure_page(kg, articles: int, out: Path, runs: int = 3) -> PageResult:
    """Write the page of ``kg`` to ``out`` ``runs`` times and time it, time its layout alone
    (kg.layout on the same entities), then time Chromium drawing it."""
    from kg.layout import positions
    from kg.network import cap, project, simple
    from kg.viz import DEFAULT_LIMIT, write_page

    writes, layouts = [], []
    for _ in range(runs):
        start = time.perf_counter()
        report = write_page(kg, out)
        writes.append(time.perf_counter() - start)
    g, _ = cap(project(kg), DEFAULT_LIMIT)
    s = simple(g)
    order = sorted(g.nodes, key=lambda n: (g.nodes[n]["label"].casefold(), n))
    classes = sorted({g.nodes[n]["cls"] for n in order})
    for _ in range(runs):
        start = time.perf_counter()
        positions(s, order, [(c, c) for c in classes], {n: g.nodes[n]["cls"] for n in order})
        layouts.append(time.perf_counter() - start)
    drawn = _drawn_at_first(out.read_text(encoding="utf-8"))
    return PageResult(articles, report.nodes, report.edges, drawn, statistics.median(writes),
                      statistics.median(layouts), browser_ready_seconds(out, runs))


def _drawn_at_first(html: str) -> int:
    import json
    import re

    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1)) if match else {"nodeInfo": {}}
    return sum(1 for i in data["nodeInfo"].values() if i["cls"] != "figure" and i["degree"] > 0)


def section(results: list[PageResult], note: str) -> str:
    lines = [SECTION, "", note, "", HEADER] + [r.row() for r in results]
    return "\n".join(lines) + "\n"


def replace_section(text: str, new: str, heading: str = SECTION) -> str:
    """``text`` (a RESULTS.md) with its section under ``heading`` (the Graph page's) replaced
    by ``new`` (added before the closing summary block, or at the end, when there is none)."""
    start = text.find(heading + "\n")
    if start != -1:
        end = text.find("\n## ", start + len(heading))
        end = len(text) if end == -1 else end + 1
        return text[:start] + new + ("\n" if end < len(text) else "") + text[end:]
    anchor = text.find("## Targets")
    if anchor == -1:
        return text.rstrip("\n") + "\n\n" + new
    return text[:anchor] + new + "\n" + text[anchor:]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.page", description=__doc__)
    p.add_argument("--articles", default="1000", help="comma-separated corpus sizes (default: 1000)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md")
    args = p.parse_args(argv)
    from kg.build import build
    from kg.io import write_atomic
    from kg.workers import default_jobs

    from .corpus import Generator, write_corpus

    results = []
    work = Path(tempfile.mkdtemp(prefix="kg-bench-page-"))
    try:
        for size in (int(s) for s in args.articles.split(",")):
            corpus = work / f"corpus-{size}"
            write_corpus(corpus, Generator(seed=args.seed).corpus(size))
            kg, _ = build([corpus], work / f"graph-{size}" / "kg.ttl", jobs=args.jobs or default_jobs(),
                          page=False)
            results.append(measure_page(kg, size, work / f"graph-{size}" / "kg.html", args.runs))
            print(results[-1].row(), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = (f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m benchmarks.page "
            f"--articles {args.articles}`: the synthetic corpus built, its page written (at most 1,500 "
            f"entities, the best connected), medians of {args.runs} runs. \"Drawn and still\": from the "
            f"request until headless Chromium (software rendering, network refused) has drawn the "
            f"first view, with the physics off (the places are computed when the page is written). "
            f"Load average at the end (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} cores (shared: figures under load are slower).")
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# kg benchmarks\n"
    write_atomic(args.out, replace_section(text, section(results, note)))
    print("summary " + " ".join(f"page_{r.articles}_ready_s={r.ready_seconds}" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
