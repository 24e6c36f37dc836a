"""`kg queries`: list the named query library."""
from __future__ import annotations

import argparse
import textwrap

from .. import query


def register(sub) -> None:
    p = sub.add_parser("queries", help="list the named queries with their descriptions",
                       description="List the named SPARQL queries shipped with kg.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for q in query.library().values():
        print(f"{q.name}  —  {q.title}" + ("  (precomputed with the store)" if q.precompute else ""))
        for line in textwrap.wrap(q.description, 88):
            print(f"    {line}")
        for param in q.params:
            print(f"    --param {param.name}=…  ({param.kind}) {param.description}")
    return 0
