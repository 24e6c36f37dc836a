"""`kg build`: articles in, graph/kg.ttl (and its inferred graph) out."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import curate
from ..build import build
from ..errors import InputError
from ..progress import Meter
from ..query import valid_iri
from ..vocab import DEFAULT_BASE
from ..workers import Budget, default_jobs


def register(sub) -> None:
    p = sub.add_parser(
        "build", help="build the knowledge graph from articles (default: articles/ -> graph/kg.ttl)",
        description="Read the articles (plain text, HTML or Markdown, in any common encoding) "
                    "under each PATH, extract events, people, "
                    "organisations and metrics, resolve them across articles, reason over them "
                    "(OWL 2 RL) and write the graph as Turtle: the asserted triples to --out and "
                    "the inferred ones beside it (kg.inferred.ttl).")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="article files or folders (default: articles/)")
    p.add_argument("--out", type=Path, default=None,
                   help="the Turtle file to write (default: graph/kg.ttl, or none with --store)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="write an on-disk Oxigraph store (one named graph per article) for "
                        "large corpora; query it with `kg query --store DIR`")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of minted resources (default: {DEFAULT_BASE})")
    p.add_argument("--jobs", type=int, default=None,
                   help="parallel extraction processes (default: all cores)")
    p.add_argument("--force", action="store_true",
                   help="rebuild even when nothing changed (extractions still come from the cache)")
    p.add_argument("--no-page", dest="page", action="store_false",
                   help="do not write the interactive page (kg.html) beside the Turtle file")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.add_argument("--curation", type=Path, metavar="FILE",
                   help="a curation file (YAML: merge, split, rename, retype, drop; see docs/curation.md); "
                        "default: curation.yaml in the first article folder that has one")
    p.add_argument("--article-chars", type=int, default=Budget.chars, metavar="N",
                   help=f"characters of one article kept for extraction; a longer text is cut at a "
                        f"paragraph or sentence end, with a note (default: {Budget.chars:,})")
    p.add_argument("--article-seconds", type=float, default=Budget.seconds, metavar="S",
                   help=f"seconds one article's extraction may take; a slower article is skipped "
                        f"with its name and the reason (default: {Budget.seconds:g})")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="run reading, extraction, resolution and the graphs on a Dask distributed "
                        "cluster (tcp://HOST:8786); its workers must share the cache folder and see "
                        "the articles at the same paths; same output as without it (docs/scale.md)")
    p.add_argument("--chunk", type=int, default=16, metavar="N",
                   help="articles per extraction task on a cluster (default: 16)")
    p.add_argument("--strict", action="store_true",
                   help="treat any skipped file (unreadable, binary, empty, extraction failed) as an "
                        "error: write nothing and exit 1 (default: name it on stderr and go on)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("articles")]
    if not valid_iri(args.base):
        raise InputError(f"--base {args.base!r} is not a valid absolute IRI")
    if args.article_chars < 1 or not args.article_seconds > 0:
        raise InputError("--article-chars and --article-seconds must be positive")
    found = args.curation or curate.find(paths)
    curation = curate.load(found) if found else None
    progress = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    out = args.out if (args.out is not None or args.store is not None) else Path("graph/kg.ttl")
    meter = Meter(sys.stderr, enabled=not args.quiet)
    _, report = build(paths, out, base=args.base, jobs=max(1, args.jobs or default_jobs()), progress=progress,
                      store=args.store, meter=meter, force=args.force, page=args.page,
                      strict=args.strict, curation=curation,
                      budget=Budget(chars=args.article_chars, seconds=args.article_seconds),
                      cluster=args.cluster, cluster_chunk=max(1, args.chunk))
    for skipped in report.skipped:
        if args.quiet:
            print(f"skipped {skipped.reason}", file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return 0
