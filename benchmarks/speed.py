"""`python -m benchmarks.speed queries|long`: where users feel speed (issue 13).

- ``queries``: after a plain ``kg build`` (Turtle only, no ``--store``) of N synthetic
  articles, every named query through the CLI, end to end (a new ``kg query`` process:
  start, load, query, print), median of 3 wall-clock runs.
- ``long``: single long articles (concatenated synthetic stories of about 50k, 200k and 800k
  characters, and a 1.2 MB file of one repeated sentence): kg's parse and extraction
  (``kg.extract.parts.pipe_whole`` then ``extract_doc``) against the stock spaCy model's
  ``nlp.pipe`` over the same paragraphs, each in a process of its own, with its peak memory.

Each records its own section in benchmarks/RESULTS.md (the rest of the file kept)."""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import Generator

RESULTS = Path(__file__).parent / "RESULTS.md"
QUERIES_HEADING = "## CLI queries after a plain build"
LONG_HEADING = "## Long articles"
SENTENCE = ("Zhang Wei, president of Qinglan University, said at the 2023 Qinglan Fintech Forum "
            "that long-term capital should back early-stage technology companies. ")


# ----------------------------------------------------------------------------- queries
def _kg(*argv: str, cwd: Path | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"kg {' '.join(argv)} failed: {done.stderr.strip()}")
    return seconds, done.stdout


def _first(graph: Path, name: str, column: str, *extra: str) -> str:
    _, out = _kg("query", name, "--graph", str(graph), "--format", "json", "--limit", "1", *extra)
    rows = json.loads(out)["results"]["bindings"]
    return rows[0][column]["value"] if rows else "nobody"


def sample_params(graph: Path) -> dict[str, dict[str, str]]:
    """A real value for each parameter, read from the graph itself."""
    person = _first(graph, "cross_event_people", "person")  # someone at several events...
    if person == "nobody":
        person = _first(graph, "people", "name")  # ...or anyone, in a small corpus
    event = _first(graph, "events", "event")
    place = _first(graph, "events", "location")
    other = next((r["participant"]["value"] for r in json.loads(_kg(
        "query", "participation", "--graph", str(graph), "--format", "json", "--limit", "50")[1])
        ["results"]["bindings"] if r["participant"]["value"] != person), person)
    return params_of(person, other, event, place)


def params_of(person: str, other: str, event: str, place: str) -> dict[str, dict[str, str]]:
    """Each parameterised query's parameters from a person at several events, another
    participant, an event and a place (benchmarks.lookups reads them from a store)."""
    return {"person": {"name": person}, "sources": {"name": person}, "merges": {"name": person},
            "co_appearance": {"a": person, "b": other}, "events_in_place": {"place": place},
            "place_metrics": {"subject": place}, "institutions_by_kind": {"kind": "university"},
            "speakers": {"event_name": event}, "organizers": {"event_name": event}}


def run_queries(articles: int, work: Path, runs: int = 3, log=print, graph: Path | None = None) -> dict:
    """``graph``: a plain build of the same corpus made before (its build time is then not
    measured; the store beside it is rewritten if it is not fresh)."""
    from kg import query_store
    from kg.query import library

    if graph is None:
        corpus = work / "articles"
        corpus.mkdir(parents=True, exist_ok=True)
        for art in Generator(seed=7).corpus(articles):
            (corpus / art.name).write_text(art.text, encoding="utf-8")
        graph = work / "graph" / "kg.ttl"
        log(f"building {articles} articles")
        build_s, _ = _kg("build", str(corpus), "--out", str(graph), "--no-page", "--quiet")
    else:
        build_s = float("nan")
        if not query_store.is_fresh(graph):
            subprocess.run([sys.executable, "-m", "kg.query_store", str(graph)], check=True)
    params = sample_params(graph)
    out = {"articles": articles, "build_s": build_s, "runs": runs, "queries": {},
           "load": os.getloadavg()[0]}
    for name in sorted(library()):
        argv = ["query", name, "--graph", str(graph), "--format", "csv"]
        for key, value in params.get(name, {}).items():
            argv += ["--param", f"{key}={value}"]
        times, rows = [], 0
        for _ in range(runs):
            seconds, text = _kg(*argv)
            times.append(seconds)
            rows = len(text.splitlines()) - 1
        out["queries"][name] = {"median_s": statistics.median(times), "max_s": max(times), "rows": rows}
        log(f"{name}: {out['queries'][name]}")
    return out


def queries_section(res: dict, when: str) -> str:
    worst = max(q["median_s"] for q in res["queries"].values())
    lines = [QUERIES_HEADING, "",
             f"Run {when} (2 cores shared with other work: 1-minute load average {res.get('load', 0):.1f} "
             f"at the start) with `python -m benchmarks.speed queries --articles {res['articles']}`: a plain "
             + (f"`kg build DIR --out graph/kg.ttl --no-page` ({res['build_s']:.1f} s, the query store beside "
                "the Turtle included), then" if res["build_s"] == res["build_s"] else
                "`kg build DIR --out graph/kg.ttl --no-page` made before (`--graph`), then") +
             " each named query as its own `python -m kg query NAME --graph "
             "graph/kg.ttl --format csv` process (start, open, query, print), wall clock, median of "
             f"{res['runs']}; parameters are real names read from the graph. Before (issue 13, rdflib over "
             "the Turtle): `people` 49 s, `person` 18 min.", "",
             "| query | rows | median s | max s |", "|---|---|---|---|"]
    for name, q in res["queries"].items():
        lines.append(f"| {name} | {q['rows']} | {q['median_s']:.2f} | {q['max_s']:.2f} |")
    lines += ["", f"Worst median {worst:.2f} s: target < 2 s at 1,000 articles "
              f"{'met' if worst < 2.0 else '**missed**'}.", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- long articles
def long_texts(work: Path) -> list[tuple[str, Path]]:
    arts = Generator(seed=11).corpus(1000)

    def stories(n: int) -> str:
        parts, total, i = [], 0, 0
        while total < n:
            body = arts[i].text.split("\n", 4)[-1]
            parts.append(body)
            total += len(body) + 2
            i += 1
        return "Concatenated stories\n\n" + "\n\n".join(parts)
    texts = [("stories 50k", stories(50_000)), ("stories 200k", stories(200_000)),
             ("stories 800k", stories(800_000)),
             ("one sentence repeated, 1.2 MB",
              "Long report\n\n" + "\n\n".join(SENTENCE * 3 for _ in range(1_200_000 // (3 * len(SENTENCE)))) + "\n")]
    out = []
    for i, (label, text) in enumerate(texts):
        path = work / f"long-{i}.txt"
        path.write_text(text, encoding="utf-8")
        out.append((label, path))
    return out


def _one(side: str, path: Path) -> None:
    """In a child process: time one side over one text; print JSON."""
    text = path.read_text(encoding="utf-8")
    if side == "spacy":
        import spacy

        from kg.extract.pipeline import MODEL

        nlp = spacy.load(MODEL)
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        start = time.perf_counter()
        for _ in nlp.pipe(paragraphs, batch_size=8):
            pass
    else:
        from kg.extract import extract_doc, load_nlp
        from kg.extract.parts import pipe_whole

        nlp = load_nlp()
        start = time.perf_counter()
        doc = next(pipe_whole(nlp, [text]))
        extraction = extract_doc(doc, path.name)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    extra = {} if side == "spacy" else {"entities": len(extraction.entities)}
    print(json.dumps({"seconds": seconds, "peak_mib": peak, **extra}))


def _child(side: str, path: Path, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.speed", "_one", side, str(path)],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mib": None, "note": f"stopped after {timeout:g} s"}
    if done.returncode != 0:
        return {"seconds": None, "peak_mib": None, "note": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_long(work: Path, timeout: float = 1800.0, log=print) -> list[dict]:
    rows = []
    for label, path in long_texts(work):
        chars = len(path.read_text(encoding="utf-8"))
        kg, raw = _child("kg", path, timeout), _child("spacy", path, timeout)
        rows.append({"label": label, "chars": chars, "kg": kg, "spacy": raw})
        log(json.dumps(rows[-1]))
    return rows


def long_section(rows: list[dict], when: str, load: float | None = None) -> str:
    from kg.extract.parts import PART_CHARS

    shared = "" if load is None else f" (2 cores shared with other work: 1-minute load average {load:.1f} at the start)"
    lines = [LONG_HEADING, "",
             f"Run {when}{shared} with `python -m benchmarks.speed long`: one article at a time, each side in a "
             f"process of its own. kg: `pipe_whole` (parts of at most {PART_CHARS:,} characters, cut at "
             "paragraph ends) and `extract_doc`; spaCy: the stock model's `nlp.pipe` over the text's "
             "paragraphs. Peak memory is the process's maximum RSS, model included. Targets: kg within "
             "1.5x of spaCy's time, under 1.5 GB. Before (issue 13): 193k characters 17 s, 387k 52 s "
             "and 1.25 GB, the 1.2 MB repeated sentence unfinished after 15 minutes (120 kB of it 27 s). "
             "`kg build` cuts a text past `--article-chars` (1,000,000) at a paragraph end first, so "
             "the 1.2 MB row is more than a default build extracts.", "",
             "| article | characters | kg s | spaCy s | kg / spaCy | kg peak MiB | spaCy peak MiB | met |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        k, s = r["kg"], r["spacy"]
        if k["seconds"] is None or s["seconds"] is None:
            lines.append(f"| {r['label']} | {r['chars']:,} | {k.get('note', '')} | {s.get('note', '')} | | | | no |")
            continue
        ratio = k["seconds"] / s["seconds"]
        met = ratio <= 1.5 and k["peak_mib"] < 1536
        lines.append(f"| {r['label']} | {r['chars']:,} | {k['seconds']:.1f} | {s['seconds']:.1f} | {ratio:.2f} | "
                     f"{k['peak_mib']:.0f} | {s['peak_mib']:.0f} | {'yes' if met else '**no**'} |")
    lines.append("")
    return "\n".join(lines)


def write_section(text: str, heading: str, path: Path = RESULTS) -> None:
    """Put this section in RESULTS.md: replace the previous one, keep everything else."""
    from kg.io import write_atomic

    from .report import without_section

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    write_atomic(path, without_section(old, heading).rstrip("\n") + "\n\n" + text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_one"]:
        _one(argv[1], Path(argv[2]))
        return 0
    p = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=["queries", "long"])
    p.add_argument("--articles", type=int, default=1000, help="queries: synthetic articles built (1000)")
    p.add_argument("--runs", type=int, default=3, help="queries: runs per query for the median (3)")
    p.add_argument("--graph", type=Path, help="queries: time a plain build made before (of --articles articles)")
    p.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = p.parse_args(argv)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="kg-speed-") as work:
        if args.what == "queries":
            res = run_queries(args.articles, Path(work), args.runs, log, args.graph)
            text, heading = queries_section(res, when), QUERIES_HEADING
        else:
            load = os.getloadavg()[0]
            text, heading = long_section(run_long(Path(work), log=log), when, load), LONG_HEADING
    print(text)
    if not args.no_write:
        write_section(text, heading)
    return 0


if __name__ == "__main__":
    sys.exit(main())
