"""Reading query answers out of the store (kg.store): parameters bound as a VALUES block of
RDF terms, and solutions read into kg's QueryResult (triples into an rdflib Graph) under a
row limit and a deadline."""
from __future__ import annotations

import itertools
import time

import pyoxigraph as ox
from rdflib import Graph

from .errors import LimitExceeded, QueryError, StoreError
from .query import QueryResult
from .store_terms import TermConverter, to_rdflib


def with_values(text: str, bindings: dict) -> str:
    """The query with its parameters bound as RDF terms: a VALUES block of N-Triples terms
    (pyoxigraph escapes them) placed first in the outermost group, so that the whole group,
    FILTERs included, sees the bound values, as rdflib's ``initBindings`` does. Only kg's
    own term serialisation is inserted; user text never is."""
    if not bindings:
        return text
    conv = TermConverter()
    names = " ".join(f"?{var}" for var in bindings)
    terms = " ".join(str(conv.term(term)) for term in bindings.values())
    at = _outer_group_start(text)
    return f"{text[:at + 1]} VALUES ({names}) {{ ({terms}) }} {text[at + 1:]}"


def _outer_group_start(text: str) -> int:
    """The index of the ``{`` that opens the query's WHERE clause (skipping comments,
    IRIs and strings in the prologue and the SELECT clause, and the template of a CONSTRUCT
    query: the first group after the word CONSTRUCT, unless WHERE comes first)."""
    i, n = 0, len(text)
    words: list[str] = []  # the keywords read so far, upper case
    depth = 0  # inside a CONSTRUCT template, how deep
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c.isalpha() or c in "?$":  # a keyword, a prefixed name or a variable
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "_-:"):
                j += 1
            words.append(text[i:j].upper())
            i = j
            continue
        if c == "{":
            if depth == 0 and not (words and words[-1] == "CONSTRUCT"):
                return i
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                words.append("}")  # the template is closed; the next group is the WHERE clause
        i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE clause")


def _limited(items, what: str, max_rows: int | None, deadline: float | None):
    """``items`` one by one, each read under the store's errors (OSError: StoreError; an
    evaluation error, raised while iterating: QueryError), stopping with LimitExceeded past
    ``max_rows`` of them or past the deadline (a ``time.monotonic()`` value)."""
    try:
        for n, item in enumerate(items):
            if max_rows is not None and n >= max_rows:
                raise LimitExceeded(f"the result has more than {max_rows} {what}; add a LIMIT")
            if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
                raise LimitExceeded("the query ran past its time limit")
            yield item
    except OSError as exc:
        raise StoreError(f"reading the store failed ({exc})") from exc
    except RuntimeError as exc:
        raise QueryError(str(exc)) from exc
    finally:  # a traceback keeps this frame: drop pyoxigraph's (thread-bound) objects from it
        items = item = None  # noqa: F841


def _converter():
    """rdflib terms of pyoxigraph terms, each made once (results repeat terms; rdflib
    Literals are slow to make)."""
    seen: dict[object, object] = {}

    def term(value):
        found = seen.get(value)
        if found is None:
            found = seen[value] = to_rdflib(value)
        return found
    return term


def collect(solutions: ox.QuerySolutions, *, max_rows: int | None = None,
            deadline: float | None = None, page: tuple[int, int | None] = (0, None)) -> QueryResult:
    """Read pyoxigraph solutions into a QueryResult, stopping at a row limit or a deadline
    (``time.monotonic()`` value). ``page`` (offset, limit) keeps only those rows: the
    solutions before the offset are skipped unread and none is evaluated past the page
    (Oxigraph evaluates lazily)."""
    variables = [v.value for v in solutions.variables]
    rows: list[dict[str, object]] = []
    term = _converter()
    offset, limit = page
    try:
        for solution in _limited(itertools.islice(solutions, offset, None if limit is None else offset + limit),
                                 "rows", max_rows, deadline):
            row = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    row[name] = term(value)
            rows.append(row)
    finally:  # as in _limited: no pyoxigraph object outlives this frame
        solutions = solution = value = None  # noqa: F841
    return QueryResult(variables, rows)


def collect_graph(triples: ox.QueryTriples, *, max_rows: int | None = None,
                  deadline: float | None = None) -> Graph:
    """Read the triples a CONSTRUCT or DESCRIBE query built into an rdflib Graph, stopping at
    a limit of ``max_rows`` triples or a deadline, as :func:`collect` does for rows."""
    graph = Graph()
    term = _converter()
    try:
        for t in _limited(triples, "triples", max_rows, deadline):
            graph.add((term(t.subject), term(t.predicate), term(t.object)))
    finally:
        triples = t = None  # noqa: F841
    return graph
