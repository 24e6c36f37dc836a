"""`kg viz`: the interactive graph page (self-contained HTML, works offline)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs
from ..viz import DEFAULT_DEPTH, DEFAULT_LIMIT, write_page


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def register(sub) -> None:
    p = sub.add_parser(
        "viz", help="draw the graph as an interactive HTML page",
        description="Write an interactive page of the graph: one node per person, organisation, "
                    "event and place; posts, roles and sub-event links as labelled edges; tooltips "
                    "with the source sentences; a search box and a filter by class. The page is "
                    "self-contained (no network needed). --focus draws one entity and its "
                    "neighbourhood; a full page keeps the --limit most connected entities and says "
                    "what it left out.")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"), help="the graph (default: graph/kg.ttl)")
    p.add_argument("--focus", metavar="LABEL",
                   help="draw only this entity (name or alias, any case) and its neighbourhood")
    p.add_argument("--depth", type=_positive, default=DEFAULT_DEPTH,
                   help=f"with --focus: how many links away to draw (default: {DEFAULT_DEPTH})")
    p.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT,
                   help=f"most nodes on a page, the best connected kept (default: {DEFAULT_LIMIT}; 0: no limit)")
    p.add_argument("--out", type=Path, help="the page to write (default: the graph's path with .html, or .focus.html with --focus)")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kg = graphs.load(args.graph)
    out = args.out or args.graph.with_suffix(".html")
    if args.focus is not None and args.out is None:
        out = args.graph.with_name(f"{args.graph.stem}.focus.html")
    report = write_page(kg, out, focus=args.focus, depth=args.depth, limit=args.limit,
                        source=args.graph.name)
    if not args.quiet:
        left = f", {report.left_out} left out" if report.left_out else ""
        print(f"wrote {out}: {report.nodes} entities, {report.edges} links{left}", file=sys.stderr)
    return 0
