"""`kg serve`: a read-only SPARQL endpoint, the graph page and the named queries over HTTP."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="serve a read-only SPARQL endpoint, the graph page and the named queries",
        description="Serve the graph over HTTP: a workbench in the browser (/ to ask: the query "
                    "library and a SPARQL editor; /entity/... and /search to browse entities "
                    "with their sources), a read-only SPARQL 1.1 Protocol endpoint at /sparql "
                    "(SELECT and ASK: JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE: Turtle or "
                    "N-Triples; by content negotiation), the named queries at /queries and the "
                    "graph page at /graph. Updates and SERVICE "
                    "are refused; each query runs under a time and a row limit. Binds to "
                    "127.0.0.1 unless --host says otherwise.")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=Path("graph/kg.ttl"),
                        help="the graph file (default: graph/kg.ttl)")
    source.add_argument("--store", type=Path, metavar="DIR", help="a store built with `kg build --store`")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 for any free port)")
    p.add_argument("--page", type=Path, help="the graph page (default: kg.html beside --graph; graph/kg.html with --store)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds a query may run; it is stopped (its process killed) past them (default: 10)")
    p.add_argument("--max-rows", type=int, default=10_000, help="rows a query may return (default: 10000)")
    p.add_argument("--workers", type=int, default=4,
                   help="queries run at once, each in its own process (default: 4), plus one spare "
                        "slot for when they are all busy")
    p.add_argument("--spare-timeout", type=float, default=2.0,
                   help="seconds a query may run in the spare slot (default: 2)")
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..serve import App, Limits, Source, make_server

    for name in ("timeout", "spare_timeout"):
        if not getattr(args, name) > 0:
            raise UsageError(f"--{name.replace('_', '-')} must be a positive number of seconds")
    if args.workers < 1 or args.max_rows < 1:
        raise UsageError("--workers and --max-rows must be at least 1")
    if args.store is not None:
        source = Source(store=args.store)
        page = args.page or Path("graph/kg.html")
    else:
        source = Source(graph=args.graph)
        page = args.page or args.graph.with_suffix(".html")
    limits = Limits(seconds=args.timeout, rows=args.max_rows, concurrent=args.workers,
                    spare_seconds=args.spare_timeout, wait=args.timeout)
    app = App(source, limits, page=page)
    try:
        server = make_server(app, args.host, args.port, verbose=args.verbose)
    except BaseException:
        app.close()
        raise
    host, port = server.server_address[:2]
    print(f"kg serve: workbench at http://{host}:{port}/, SPARQL endpoint at http://{host}:{port}/sparql "
          "(Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
