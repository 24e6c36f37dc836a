"""kg: a knowledge-graph builder for science-and-technology finance news.

The public API is small; everything else is private to its module::

    from pathlib import Path
    import kg

    graph, report = kg.build_graph([Path("articles")], Path("graph/kg.ttl"))
    result = kg.run_query(graph, "cross_event_people")
    print(result.render(kg.OutputFormat.TABLE))
"""
from __future__ import annotations

from pathlib import Path

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


def run_query(graph: KnowledgeGraph, name_or_file: str | Path,
              params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or a .rq file) over a built graph; parameters are bound as RDF terms."""
    from .query import resolve_query, run

    return run(graph, resolve_query(str(name_or_file)), params)
