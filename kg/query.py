"""The named SPARQL query library, and running a query safely: parameters reach SPARQL only
as bound RDF terms (``initBindings``), never as query text; updates, SERVICE, LOAD and
FROM clauses are refused before anything runs."""
from __future__ import annotations

import csv
import io as _io
import json
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseQuery

from . import io
from .errors import QueryError
from .graphs import KnowledgeGraph

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(\w+)\s*(?:\((iri|literal|integer|date)\))?\s*(?:[-:\u2014]\s*)?(.*)$")
_FORBIDDEN = re.compile(r"\b(SERVICE|LOAD|FROM)\b", re.IGNORECASE)
_IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class OutputFormat(str, Enum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "literal", "iri", "integer" or "date"
    description: str


@dataclass
class NamedQuery:
    """A .rq file with its comment header: title, description, parameters."""

    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    q = NamedQuery(name=name, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "title":
            q.title = value
        elif key == "description":
            q.description = (q.description + " " + value).strip()
        else:
            pm = _PARAM.match(value)
            if pm:
                q.params.append(Param(pm.group(1), pm.group(2) or "literal", pm.group(3).strip()))
    return q


def library() -> dict[str, NamedQuery]:
    """The shipped named queries, by name."""
    folder = io.data_dir("queries")
    out = {}
    for path in sorted(folder.glob("*.rq")):
        out[path.stem] = parse_header(path.stem, path, io.read_text(path))
    return out


def resolve_query(name_or_file: str) -> NamedQuery:
    """A library query by name, or a .rq file by path."""
    lib = library()
    if name_or_file in lib:
        return lib[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        return parse_header(path.stem, path, io.read_text(path))
    known = ", ".join(sorted(lib))
    raise QueryError(f"unknown query {name_or_file!r}; named queries: {known}")


def check_safe(q: NamedQuery) -> None:
    """Refuse what is not a read-only query over kg's own graphs (updates, SERVICE, LOAD,
    FROM): raises QueryError before anything runs."""
    body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
    try:
        parseQuery(body)
    except Exception as exc:  # a SPARQL Update or a syntax error
        raise QueryError(f"{q.path}: not a SPARQL query ({exc})") from exc
    stripped = re.sub(r"<[^>]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", " ", body)
    m = _FORBIDDEN.search(stripped)
    if m:
        raise QueryError(f"{q.path}: {m.group(1).upper()} is refused: kg queries never reach other "
                         "graphs or the network")


_check_safe = check_safe  # the former private name


def bind(q: NamedQuery, params: dict[str, str]) -> dict[Variable, object]:
    """Turn KEY=VALUE strings into RDF terms by the types the query header declares."""
    declared = {p.name: p for p in q.params}
    bindings: dict[Variable, object] = {}
    for key, value in params.items():
        if key not in declared:
            names = ", ".join(declared) or "none"
            raise QueryError(f"query {q.name!r} has no parameter {key!r} (parameters: {names})")
        kind = declared[key].kind
        if kind == "iri":
            if not _IRI_OK.match(value):
                raise QueryError(f"parameter {key!r}: {value!r} is not a valid absolute IRI")
            bindings[Variable(key)] = URIRef(value)
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise QueryError(f"parameter {key!r}: {value!r} is not an integer")
            bindings[Variable(key)] = Literal(int(value))
        elif kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise QueryError(f"parameter {key!r}: {value!r} is not an ISO date")
            bindings[Variable(key)] = Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
        else:
            bindings[Variable(key)] = Literal(value)
    return bindings


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> rdflib term (absent when unbound)

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        def term(t):
            if isinstance(t, URIRef):
                return {"type": "uri", "value": str(t)}
            if isinstance(t, Literal):
                d = {"type": "literal", "value": str(t)}
                if t.language:
                    d["xml:lang"] = t.language
                elif t.datatype:
                    d["datatype"] = str(t.datatype)
                return d
            return {"type": "bnode", "value": str(t)}
        bindings = [{k: term(v) for k, v in row.items() if v is not None} for row in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)

    def to_csv(self) -> str:
        buf = _io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.variables)
        for row in self.rows:
            w.writerow(["" if row.get(v) is None else str(row[v]) for v in self.variables])
        return buf.getvalue()

    def to_table(self) -> str:
        cells = [[("" if row.get(v) is None else " ".join(str(row[v]).split())) for v in self.variables]
                 for row in self.rows]
        widths = [min(60, max([len(v)] + [len(c[i]) for c in cells])) for i, v in enumerate(self.variables)]

        def fmt(values):
            return "  ".join((val if len(val) <= w else val[: w - 1] + "…").ljust(w)
                             for val, w in zip(values, widths)).rstrip()
        lines = [fmt(self.variables), fmt(["-" * w for w in widths])]
        lines += [fmt(c) for c in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"

    def render(self, fmt: OutputFormat) -> str:
        return {OutputFormat.JSON: self.to_json, OutputFormat.CSV: self.to_csv,
                OutputFormat.TABLE: self.to_table}[fmt]()


def run(kg: KnowledgeGraph, query: NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or a .rq file) over asserted + inferred + ontology."""
    check_safe(query)
    bindings = bind(query, params or {})
    ds = kg.dataset()
    namespaces = {p: n for p, n in ds.namespaces()}
    try:
        prepared = prepareQuery(query.text, initNs=namespaces)
        result = ds.query(prepared, initBindings=bindings)
    except Exception as exc:
        raise QueryError(f"{query.path}: {exc}") from exc
    if result.type != "SELECT":
        raise QueryError(f"{query.path}: only SELECT queries are supported here")
    variables = [str(v) for v in result.vars]
    rows = [{str(v): row[v] for v in result.vars if row[v] is not None} for row in result]
    return QueryResult(variables, rows)
