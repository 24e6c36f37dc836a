"""`kg validate`: check a built graph against the SHACL shapes (ontology/shapes.ttl).

Exit codes: 0 the graph conforms, 1 it does not (the report lists each violation with its
focus node, path, message and article), 2 the graph or the shapes cannot be read. With
--reason, the OWL 2 RL reasoner's findings (disjoint classes sharing a node, types a domain or
range would add to an entity) count as problems too."""
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
    p.add_argument("--reason", action="store_true",
                   help="also run the OWL 2 RL reasoner and report what it finds inconsistent")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kg = graphs.load(args.graph)
    report = validate(kg.asserted, kg.ontology)
    out = sys.stdout if report.conforms else sys.stderr
    print(f"{args.graph}: {report.text(limit=max(0, args.limit))}", file=out)
    ok = report.conforms
    if args.reason:
        from ..reason import infer

        inference = infer(kg.asserted, kg.ontology, resource_prefix=kg.base)
        if inference.skipped:
            print(f"reasoning: {inference.skipped}", file=sys.stderr)
        elif inference.inconsistencies:
            ok = False
            print(f"reasoning: {len(inference.inconsistencies)} problem(s)", file=sys.stderr)
            for message in inference.inconsistencies[:max(0, args.limit)]:
                print(f"- {message}", file=sys.stderr)
        else:
            print(f"reasoning: consistent ({inference.seconds:.1f} s)")
    return 0 if ok else 1
