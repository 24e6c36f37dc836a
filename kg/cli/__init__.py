"""The `kg` command line: thin wrappers that parse options, call the library, and turn a
domain error into a message and an exit code. Each command lives in its own module with a
``register(subparsers)`` function; COMMANDS lists them in the order `kg --help` shows."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from importlib import import_module

from ..errors import KGError

COMMANDS = ("build", "query", "queries", "validate", "export", "viz", "stats", "push", "serve", "eval")


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only`` (a command's name), that command's options alone:
    each command module imports what it runs, and `kg query` should not import what `kg viz`
    or `kg build` need (a few tenths of a second a process)."""
    p = argparse.ArgumentParser(
        prog="kg",
        description="Build a knowledge graph of science-and-technology finance news: "
                    "articles in, OWL/RDF graph, SPARQL answers, an interactive page and exports out.",
        epilog="Run `kg COMMAND --help` for a command's options.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS if only not in COMMANDS else (only,):
        import_module(f".{name}_cmd", __name__).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(argv[0] if argv else None).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KGError as exc:
        print(f"kg {args.command}: error: {exc.coded()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted; files already written are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        print(f"kg {args.command}: error: out of memory", file=sys.stderr)
        return 1
    except OSError as exc:  # one line, never a traceback; what kg's own checks did not foresee
        print(f"kg {args.command}: error: {describe_os_error(exc)}", file=sys.stderr)
        return 1 if exc.errno in (errno.ENOSPC, errno.EDQUOT) else 2


def describe_os_error(exc: OSError) -> str:
    """``FILE: cause`` for an OSError, the file name shown even when it is not valid UTF-8."""
    cause = exc.strerror or str(exc)
    if not isinstance(exc.filename, (str, bytes, os.PathLike)):
        return cause
    name = os.fsencode(exc.filename)
    return f"{name.decode('utf-8', 'backslashreplace')}: {cause}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
