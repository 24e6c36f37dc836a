"""kg: a knowledge-graph builder for science-and-technology finance news.

The public API is small; everything else is private to its module::

    from pathlib import Path
    import kg

    graph, report = kg.build_graph([Path("articles")], Path("graph/kg.ttl"))
    result = kg.run_query(graph, "cross_event_people")
    print(result.render(kg.OutputFormat.TABLE))
"""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import BuildReport
    from .build import build as build_graph
    from .errors import GraphError, InputError, KGError, QueryError
    from .graphs import KnowledgeGraph, RDFFormat
    from .graphs import load as load_graph
    from .query import OutputFormat, QueryResult

__all__ = ["BuildReport", "GraphError", "InputError", "KGError", "KnowledgeGraph", "OutputFormat",
           "QueryError", "QueryResult", "RDFFormat", "build_graph", "load_graph", "run_query",
           "__version__"]

__version__ = "0.1.0"

# Each public name is imported when it is first read (PEP 562), so that `import kg` (and every
# `kg` command, `kg query` above all) costs nothing it does not use: kg.build alone pulls in
# networkx, numpy and the page's code, about 0.3 s.
_HOMES = {"BuildReport": ("build", "BuildReport"), "build_graph": ("build", "build"),
          "GraphError": ("errors", "GraphError"), "InputError": ("errors", "InputError"),
          "KGError": ("errors", "KGError"), "QueryError": ("errors", "QueryError"),
          "KnowledgeGraph": ("graphs", "KnowledgeGraph"), "RDFFormat": ("graphs", "RDFFormat"),
          "load_graph": ("graphs", "load"), "OutputFormat": ("query", "OutputFormat"),
          "QueryResult": ("query", "QueryResult")}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(f".{home[0]}", __name__), home[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def run_query(graph: KnowledgeGraph, name_or_file: str | Path,
              params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or a .rq file) over a built graph; parameters are bound as RDF terms."""
    from .query import resolve_query, run

    return run(graph, resolve_query(str(name_or_file)), params)
