"""The Ask page (``/``): the named-query library with a form for each query's parameters, a
SPARQL editor (Ctrl+Enter runs; a syntax error is shown at its line and column), the time and
row limits stated, and the answer as a table with links to entity pages, its row count and
time, pages of rows, and CSV, JSON, N-Triples and Turtle downloads.

The page is static: its script (templates/ask.js) sends the queries to ``/sparql`` and
``/queries/NAME`` like any client, so they run under the same limits, slots and checks, with
parameters bound as RDF terms by the server. It is rendered by the HTTP edge, which needs no
worker for it."""
from __future__ import annotations

from ..htmlsafe import script_json
from ..query import NamedQuery
from .pages import render

EXAMPLE = """PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Who holds which post where, as the articles say (Ctrl+Enter runs)
SELECT ?person ?name ?title ?org WHERE {
  ?post a kgo:Affiliation ;
        kgo:person ?person ;
        kgo:organization/rdfs:label ?org .
  ?person rdfs:label ?name .
  OPTIONAL { ?post kgo:title ?title }
}
ORDER BY ?name ?org
LIMIT 200
"""


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def page(library: dict[str, NamedQuery], *, seconds: float, rows: int, base: str) -> str:
    """The Ask page's HTML: the library and the limits travel as JSON for its script."""
    queries = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                "params": [{"name": p.name, "kind": p.kind, "description": p.description,
                            "optional": "optional" in p.description.lower()} for p in q.params]}
               for q in library.values()]
    data = {"queries": queries, "base": base, "seconds": seconds, "rows": rows, "example": EXAMPLE}
    return render("ask.html", title="Ask", nav="ask", q="", data=script_json(data),
                  seconds=_number(seconds), rows=_number(rows), example=EXAMPLE)
