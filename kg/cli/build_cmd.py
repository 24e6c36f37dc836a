"""`kg build`: articles in, graph/kg.ttl (and its inferred graph) out."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build import build
from ..vocab import DEFAULT_BASE


def register(sub) -> None:
    p = sub.add_parser(
        "build", help="build the knowledge graph from articles (default: articles/ -> graph/kg.ttl)",
        description="Read the articles (plain text) under each PATH, extract events, people, "
                    "organisations and metrics, resolve them across articles, reason over them "
                    "(OWL 2 RL) and write the graph as Turtle: the asserted triples to --out and "
                    "the inferred ones beside it (kg.inferred.ttl).")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="article files or folders (default: articles/)")
    p.add_argument("--out", type=Path, default=Path("graph/kg.ttl"),
                   help="the Turtle file to write (default: graph/kg.ttl)")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of minted resources (default: {DEFAULT_BASE})")
    p.add_argument("--jobs", type=int, default=1, help="parallel spaCy processes (default: 1)")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("articles")]
    progress = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    _, report = build(paths, args.out, base=args.base, jobs=args.jobs, progress=progress)
    for skipped in report.skipped:
        if args.quiet:
            print(f"skipped {skipped.reason}", file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return 0
