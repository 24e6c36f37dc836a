"""`kg validate`: check a built graph against the SHACL shapes (ontology/shapes.ttl).

Exit codes: 0 the graph conforms, 1 it does not (the report lists each violation with its
focus node, path, message and article), 2 the graph or the shapes cannot be read."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs
from ..validate import validate


def register(sub) -> None:
    p = sub.add_parser(
        "validate", help="check a graph against the SHACL shapes (exit 1 on violations)",
        description="Validate the asserted triples of a built graph against the SHACL shapes "
                    "(ontology/shapes.ttl), read with the ontology; the inferred triples are left "
                    "out. Exit 0 when the graph conforms, 1 when it does not (with a report: "
                    "focus node, path, message and the article each violation came from), 2 on "
                    "error.")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"),
                   help="the graph (default: graph/kg.ttl)")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="list at most N results (default: 50; all are counted)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kg = graphs.load(args.graph)
    report = validate(kg.asserted, kg.ontology)
    out = sys.stdout if report.conforms else sys.stderr
    print(f"{args.graph}: {report.text(limit=max(0, args.limit))}", file=out)
    return 0 if report.conforms else 1
