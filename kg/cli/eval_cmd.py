"""`kg eval`: score the graph of a folder of articles against their gold keys."""
from __future__ import annotations

import argparse
import sys
from enum import Enum
from pathlib import Path

from .. import evaluate, graphs


class EvalFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


def register(sub) -> None:
    p = sub.add_parser(
        "eval", help="score the graph of a folder of articles against their gold keys",
        description="Build DIR (or read --graph), ask the contract queries (people, organizations, "
                    "affiliations, events, participation, metrics, cross_event_people) and compare "
                    "the answers with the NAME.gold.json keys beside the articles: precision, recall "
                    "and F1 per category, the macro F1, and what was missed and falsely found.")
    p.add_argument("folder", type=Path, metavar="DIR", help="articles with NAME.gold.json answer keys")
    p.add_argument("--graph", type=Path, help="a graph built before (default: build DIR now)")
    p.add_argument("--format", choices=[f.value for f in EvalFormat], default=EvalFormat.TABLE.value,
                   help="table (default) or json")
    p.add_argument("--min-f1", type=float, default=0.0,
                   help="exit 1 when the macro F1 is below this (default: 0)")
    p.add_argument("--jobs", type=int, default=1, help="parallel spaCy processes when building (default: 1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.graph is not None:
        gold = evaluate.read_gold(args.folder)  # the keys first: no keys, no point loading a graph
        result = evaluate.evaluate(gold, evaluate.contract_rows(graphs.load(args.graph)))
    else:
        result = evaluate.build_and_evaluate(args.folder, jobs=max(1, args.jobs))
    out = result.to_json() + "\n" if EvalFormat(args.format) is EvalFormat.JSON else result.to_table()
    sys.stdout.write(out)
    return 0 if result.macro_f1 >= args.min_f1 else 1
