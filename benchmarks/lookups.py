"""`python -m benchmarks.lookups (--store DIR | --graph FILE)`: every named query in the
process, on a store made before (``kg build --store DIR``, or the store a plain build keeps
beside FILE), after one warm-up run: the median of N runs of the whole answer and of its
first 100 rows (``Store.run(page=(0, 100))``), and whether the rows came from a precomputed
table (kg.answers). Parameters are real names read from the store. Issue 13's targets at
10,000 articles: ``person``, ``co_appearance``, ``events_in_place``, ``institutions_by_kind``
and ``sources`` under 100 ms; each contract query's first 100 rows under 300 ms and the whole
under 3 s.

Prints a Markdown section; ``--write`` puts it in benchmarks/RESULTS.md (the rest kept)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

LOOKUPS_HEADING = "## Lookups in the process"
CONTRACT = ("people", "organizations", "affiliations", "events", "participation", "metrics",
            "cross_event_people")
NAMED_TARGET_MS = 100.0
NAMED = ("person", "co_appearance", "events_in_place", "institutions_by_kind", "sources")
FIRST_MS, WHOLE_MS = 300.0, 3000.0


def _first(store, name: str, column: str) -> str | None:
    from kg.query import library

    rows = store.run(library()[name], page=(0, 1)).rows
    return str(rows[0][column]) if rows and column in rows[0] else None


def sample_params(store) -> dict[str, dict[str, str]]:
    """A real value for each parameter, read from the store (as benchmarks.speed does through
    the CLI): someone at several events, another participant, an event, a place."""
    from kg.query import library

    from .speed import params_of

    person = _first(store, "cross_event_people", "person") or _first(store, "people", "name") or "nobody"
    event = _first(store, "events", "event") or "nothing"
    place = _first(store, "events", "location") or "nowhere"
    others = store.run(library()["participation"], page=(0, 50)).rows
    other = next((str(r["participant"]) for r in others if str(r.get("participant")) != person), person)
    return params_of(person, other, event, place)


def _ms(store, q, given: dict, page: tuple[int, int | None], runs: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(store.run(q, given, page=page).rows)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), rows


def measure(folder: Path, runs: int = 3, log=print) -> dict:
    from kg import answers
    from kg.query import library
    from kg.store import open_store

    out: dict = {"folder": str(folder), "runs": runs, "load": os.getloadavg()[0], "queries": {}}
    with open_store(folder) as store:
        params = sample_params(store)
        out["params"] = params
        for name, q in sorted(library().items()):
            given = params.get(name, {})
            store.run(q, given)  # warm-up
            whole, rows = _ms(store, q, given, (0, None), runs)
            first, _ = _ms(store, q, given, (0, 100), runs)
            table = answers.lookup(store, q.for_params(given), given) is not None
            out["queries"][name] = {"rows": rows, "all_ms": whole, "first_ms": first, "table": table}
            log(f"{name}: {out['queries'][name]}")
    out["load_end"] = os.getloadavg()[0]
    return out


def verdict(name: str, q: dict) -> str:
    if name in NAMED:
        return "yes" if q["all_ms"] < NAMED_TARGET_MS else "**no**"
    if name in CONTRACT:
        return "yes" if q["first_ms"] < FIRST_MS and q["all_ms"] < WHOLE_MS else "**no**"
    return "-"


def section(res: dict, when: str, articles: str) -> str:
    lines = [LOOKUPS_HEADING, "",
             f"Run {when} with `python -m benchmarks.lookups` on {articles} (the store at "
             f"`{res['folder']}`), in the process (`kg.store.Store.run`), one warm-up run, then "
             f"medians of {res['runs']}; 1-minute load average {res['load']:.1f} at the start, "
             f"{res['load_end']:.1f} at the end (2 cores, shared). \"table\": the rows were read from "
             "the precomputed answers (kg.answers). Targets: "
             f"{', '.join(NAMED)} under {NAMED_TARGET_MS:.0f} ms; each contract query's first 100 "
             f"rows under {FIRST_MS:.0f} ms and the whole under {WHOLE_MS / 1000:.0f} s.", "",
             "| query | parameters | rows | all ms | first 100 ms | table | target met |",
             "|---|---|---|---|---|---|---|"]
    for name, q in res["queries"].items():
        given = ", ".join(f"{k}={v}" for k, v in res["params"].get(name, {}).items())
        lines.append(f"| {name} | {given} | {q['rows']} | {q['all_ms']:.1f} | {q['first_ms']:.1f} | "
                     f"{'yes' if q['table'] else 'no'} | {verdict(name, q)} |")
    missed = [n for n, q in res["queries"].items() if verdict(n, q) == "**no**"]
    lines += ["", f"Targets missed: {', '.join(missed) if missed else 'none'}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.lookups", description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", type=Path, help="a store folder (kg build --store DIR)")
    where.add_argument("--graph", type=Path, help="a plain build's Turtle file (the store beside it)")
    p.add_argument("--runs", type=int, default=3, help="runs per figure for the median (3)")
    p.add_argument("--articles", default="a store", help="what the store was built from, for the text")
    p.add_argument("--write", action="store_true", help="put the section in benchmarks/RESULTS.md")
    args = p.parse_args(argv)
    if args.store is not None:
        folder = args.store
    else:
        from kg import query_store

        if not query_store.is_fresh(args.graph):
            p.error(f"{args.graph}: no fresh store beside it (run `python -m kg.query_store {args.graph}`)")
        folder = query_store.beside(args.graph)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    res = measure(folder, args.runs, log=lambda m: print(m, file=sys.stderr, flush=True))
    text = section(res, when, args.articles)
    print(text)
    if args.write:
        from .speed import write_section

        write_section(text, LOOKUPS_HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
