"""`kg query`: run a named query (or a .rq file) over a built graph, on Oxigraph."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import query
from ..errors import QueryError


def _param(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    key, value = text.split("=", 1)
    return key.strip(), value


MAX_PAGE = 10**12  # beyond any graph kg builds; keeps --limit/--offset plain machine integers


def _count(text: str) -> int:
    """A whole number of rows, 0 .. MAX_PAGE."""
    if not text.strip().isdigit() or int(text) > MAX_PAGE:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of rows (0 to {MAX_PAGE})")
    return int(text)


def register(sub) -> None:
    p = sub.add_parser(
        "query", help="run a named SPARQL query or a .rq file",
        description="Run a query from the library (see `kg queries`) or a .rq file over the "
                    "asserted and inferred graph, on Oxigraph: the store `kg build` keeps beside "
                    "the Turtle file (graph/kg.store) while it matches the file, else the file "
                    "loaded into memory. Parameters are bound as RDF terms, never pasted "
                    "into the query text.")
    p.add_argument("name", metavar="NAME|FILE.rq", help="a named query or a path to a .rq file")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"), help="the graph (default: graph/kg.ttl)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="query an on-disk Oxigraph store built with `kg build --store DIR` instead")
    p.add_argument("--param", action="append", type=_param, default=[], metavar="KEY=VALUE",
                   help="a query parameter (repeatable)")
    p.add_argument("--limit", type=_count, metavar="N",
                   help="print at most N rows (a page; rows after it are not computed)")
    p.add_argument("--offset", type=_count, default=0, metavar="M",
                   help="skip the first M rows (with --limit: pages of the answer, in the query's order)")
    p.add_argument("--format", choices=[f.value for f in query.OutputFormat], default="table",
                   help="table (default), csv, or json (SPARQL 1.1 Query Results JSON)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    named = query.resolve_query(args.name)
    params = dict(args.param)
    missing = [p.name for p in named.params if p.name not in params and "optional" not in p.description.lower()]
    if missing:
        raise QueryError(f"query {named.name!r} needs --param {missing[0]}=VALUE")
    page = (args.offset, args.limit)
    if args.store is not None:
        from ..store import open_store

        store = open_store(args.store)
    else:
        from ..query_store import open_for

        store = open_for(args.graph)
    try:
        result = store.run(named, params, page=page)
    finally:
        store.close()
    sys.stdout.write(result.render(query.OutputFormat(args.format)))
    return 0
