"""`kg export`: the graph in the formats triple stores load."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs, io


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export the graph as Turtle, N-Triples, JSON-LD or TriG",
        description="Serialise the graph for a triple store. TriG keeps the asserted triples, "
                    "the inferred triples and the ontology as three named graphs; the other "
                    "formats hold asserted and inferred triples together (--asserted-only to leave "
                    "the inferred out).")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"), help="the graph (default: graph/kg.ttl)")
    p.add_argument("--format", required=True, choices=[f.value for f in graphs.RDFFormat])
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.add_argument("--asserted-only", action="store_true", help="leave the inferred triples out")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kg = graphs.load(args.graph)
    text = kg.export(graphs.RDFFormat(args.format), include_inferred=not args.asserted_only)
    if args.out:
        io.write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0
