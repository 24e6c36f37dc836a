"""`kg push`: send the graph to a triple store (SPARQL 1.1 Graph Store HTTP Protocol)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import graphs, io
from ..errors import InputError


def register(sub) -> None:
    p = sub.add_parser(
        "push", help="send the graph to a SPARQL triple store (Graph Store Protocol)",
        description="PUT each named graph (one per article, the entities, the inferred triples, "
                    "the ontology) to a SPARQL 1.1 Graph Store HTTP Protocol endpoint, e.g. "
                    "Virtuoso's http://HOST:8890/sparql-graph-crud-auth. A PUT replaces the graph, "
                    "so pushing again (or a retry) never duplicates. HTTP digest or basic auth; the "
                    "password is read from a file, never from the command line.")
    p.add_argument("--endpoint", metavar="URL", help="the Graph Store Protocol URL (not with --bulk)")
    p.add_argument("--user", help="user name for HTTP authentication")
    p.add_argument("--password-file", type=Path, metavar="FILE",
                   help="a file whose first line is the password (needs --user)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"),
                        help="the graph file (default: graph/kg.ttl)")
    source.add_argument("--store", type=Path, metavar="DIR", help="a store built with `kg build --store`")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait per request (default: 60)")
    p.add_argument("--retries", type=int, default=2,
                   help="retries of a graph after a transient failure (default: 2)")
    p.add_argument("--bulk", type=Path, metavar="DIR",
                   help="for large graphs: write N-Quads shards into DIR (a folder the Virtuoso server "
                        "reads at the same path, listed in its DirsAllowed) and load them with its bulk "
                        "loader (ld_dir, rdf_loader_run) through isql; needs --user and --password-file")
    p.add_argument("--isql", default="127.0.0.1:1111", metavar="HOST:PORT",
                   help="with --bulk: Virtuoso's SQL port (default: 127.0.0.1:1111)")
    p.add_argument("--isql-program", metavar="PATH", help="with --bulk: the isql program (default: isql-vt)")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..push import Credentials, graph_payloads, push, store_payloads

    credentials = None
    if args.password_file is not None and not args.user:
        raise InputError("--password-file needs --user")
    if args.user:
        if args.password_file is None:
            raise InputError("--user needs --password-file (passwords are never given on the command line)")
        lines = io.read_text(args.password_file).splitlines()
        credentials = Credentials(args.user, lines[0] if lines else "")
    if (args.endpoint is None) == (args.bulk is None):
        raise InputError("give either --endpoint URL (Graph Store Protocol) or --bulk DIR (Virtuoso's bulk loader)")
    if args.bulk is not None and credentials is None:
        raise InputError("--bulk needs --user and --password-file (isql always logs in)")
    if args.store is not None:
        from ..store import open_store

        payloads = store_payloads(open_store(args.store))
    else:
        payloads = graph_payloads(graphs.load(args.graph))
    progress = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    if args.bulk is not None:
        from ..bulk import bulk_push

        report = bulk_push(payloads, args.bulk, args.isql, credentials, program=args.isql_program,
                           progress=progress)
    else:
        report = push(payloads, args.endpoint, credentials=credentials, timeout=args.timeout,
                      retries=max(0, args.retries), progress=progress)
    if not args.quiet:
        print(report.summary())
    return 0
