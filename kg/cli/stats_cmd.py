"""`kg stats`: what the graph holds and how its entities connect."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs
from ..stats import StatsFormat, compute, render


def register(sub) -> None:
    p = sub.add_parser(
        "stats", help="count what the graph holds and rank its central entities",
        description="Instances per class, triples per property, the most central people and "
                    "institutions (degree and betweenness; betweenness is sampled with a fixed "
                    "seed on graphs of more than 1000 entities), people at two or more events, "
                    "connected components and communities (Louvain, seeded).")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"), help="the graph (default: graph/kg.ttl)")
    p.add_argument("--format", choices=[f.value for f in StatsFormat], default=StatsFormat.TABLE.value,
                   help="table (default) or json")
    p.add_argument("--top", type=int, default=10, help="length of each ranking (default: 10)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kg = graphs.load(args.graph)
    sys.stdout.write(render(compute(kg, top=args.top), StatsFormat(args.format)))
    return 0
