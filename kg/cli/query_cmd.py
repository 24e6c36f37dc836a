"""`kg query`: run a named query (or a .rq file) over a built graph."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs, query
from ..errors import QueryError


def _param(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    key, value = text.split("=", 1)
    return key.strip(), value


def register(sub) -> None:
    p = sub.add_parser(
        "query", help="run a named SPARQL query or a .rq file",
        description="Run a query from the library (see `kg queries`) or a .rq file over the "
                    "asserted and inferred graph. Parameters are bound as RDF terms, never pasted "
                    "into the query text.")
    p.add_argument("name", metavar="NAME|FILE.rq", help="a named query or a path to a .rq file")
    p.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"), help="the graph (default: graph/kg.ttl)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="query an on-disk Oxigraph store built with `kg build --store DIR` instead")
    p.add_argument("--param", action="append", type=_param, default=[], metavar="KEY=VALUE",
                   help="a query parameter (repeatable)")
    p.add_argument("--format", choices=[f.value for f in query.OutputFormat], default="table",
                   help="table (default), csv, or json (SPARQL 1.1 Query Results JSON)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    named = query.resolve_query(args.name)
    params = dict(args.param)
    missing = [p.name for p in named.params if p.name not in params and "optional" not in p.description.lower()]
    if missing:
        raise QueryError(f"query {named.name!r} needs --param {missing[0]}=VALUE")
    if args.store is not None:
        from ..store import open_store

        result = open_store(args.store).run(named, params)
    else:
        result = query.run(graphs.load(args.graph), named, params)
    sys.stdout.write(result.render(query.OutputFormat(args.format)))
    return 0
