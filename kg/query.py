"""The named SPARQL query library, and running a query safely: parameters reach SPARQL only
as bound RDF terms (``initBindings``), never as query text; updates, SERVICE, LOAD and
FROM clauses are refused before anything runs."""
from __future__ import annotations

import csv
import io as _io
import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path

from pyparsing import ParseResults
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from . import io
from .errors import QueryError
from .graphs import KnowledgeGraph

# rdflib's SPARQL parser (pyparsing) is not thread-safe: queries parsed at the same time can
# fail, and can leave it broken for every later query (RDFLib/rdflib issue 1282). Every parse
# and preparation in kg goes through this lock.
_PARSER_LOCK = threading.RLock()


def parse_query(text: str):
    """rdflib's parse tree of a SPARQL query (under the parser lock)."""
    with _PARSER_LOCK:
        return parseQuery(text)


def prepare(text: str, namespaces: dict | None = None):
    """rdflib's prepared query (parsed and translated under the parser lock)."""
    with _PARSER_LOCK:
        return prepareQuery(text, initNs=namespaces or {})


_HEADER = re.compile(r"^#\s*(title|description|param|precompute)\s*:\s*(.*)$", re.IGNORECASE)
_START_HERE = re.compile(r"^(\s*)#\+([A-Za-z_][A-Za-z0-9_]*) (.*?)\s*$")  # NamedQuery.for_params
_PARAM = re.compile(r"^(\w+)\s*(?:\((iri|literal|integer|date)\))?\s*(?:[-:\u2014]\s*)?(.*)$")


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
    precompute: bool = False  # `# precompute: yes`: its rows are computed with the store (kg.answers)

    def for_params(self, given) -> "NamedQuery":
        """The query as it runs with the parameters named in ``given``: each line
        ``#+NAME text`` becomes ``text`` when the query declares parameter NAME and it is
        given. Such a line is a comment otherwise, so the file is a whole, correct query for
        any SPARQL tool; the lines only say where to start (a name's key, an index lookup)
        when the value is known, and never change the rows (tests/test_shortcuts.py). Only
        the presence of a parameter selects lines: its value is still bound as an RDF term."""
        names = {p.name for p in self.params} & set(given)
        if not names or "#+" not in self.text:
            return self
        lines = []
        for line in self.text.splitlines(keepends=True):
            m = _START_HERE.match(line)
            if m and m.group(2) in names:
                line = m.group(1) + m.group(3) + line[len(line.rstrip("\r\n")):]
            lines.append(line)
        return replace(self, text="".join(lines))


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
        elif key == "precompute":
            q.precompute = value.lower() in ("yes", "true")
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


def check_safe(q: NamedQuery, namespaces: dict[str, str] | None = None) -> None:
    """Refuse what is not a read-only query over kg's own graphs: SPARQL Update (LOAD
    included), SERVICE anywhere (in OPTIONAL, UNION, FILTER EXISTS, sub-queries...) and
    FROM / FROM NAMED (rdflib would fetch those graphs from the web). Raises QueryError
    before anything runs.

    The check walks the parsed query and its algebra, not the text: comments, strings and
    IRIs that spell SERVICE cannot trip it, and escapes (``\\u0053ERVICE``) cannot hide
    from it, because the parser has already decoded them. ``namespaces`` are the prefixes
    the query may use without declaring them (those of the graph it will run over)."""
    try:
        tree = parse_query(q.text)
    except Exception as exc:  # a SPARQL Update, or a syntax error
        update = _as_update(q.text)
        if update is not None:
            raise QueryError(f"{q.path}: {update} is refused: kg queries only read the built graph, "
                             "never change it or fetch graphs from the web") from exc
        raise QueryError(f"{q.path}: not a SPARQL query ({exc})") from exc
    refused = _refused(tree)
    if not refused:
        try:
            with _PARSER_LOCK:
                translated = translateQuery(tree, initNs=namespaces or {})
        except Exception:  # e.g. a prefix only the graph declares: the parse tree was walked
            translated = None
        if translated is not None:
            refused = _refused(translated.algebra)
    _raise_refused(q, refused)


def _raise_refused(q: NamedQuery, refused: list[str]) -> None:
    if refused:
        raise QueryError(f"{q.path}: {refused[0]} is refused: kg queries never reach other endpoints, "
                         "other graphs or the network (use GRAPH <...> to pick one of kg's graphs)")


_check_safe = check_safe  # the former private name


def _nodes(root: object) -> Iterator[CompValue]:
    """Every CompValue (parse-tree or algebra node) under ``root``, depth first."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, bytes, int, float)):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset, ParseResults)):
            stack.extend(node)


def _refused(root: object) -> list[str]:
    """What in a parsed query (or its algebra) would reach outside kg's graph."""
    found = []
    for node in _nodes(root):
        if node.name == "ServiceGraphPattern":
            term = dict.get(node, "term")
            found.append(f"SERVICE {term.n3() if hasattr(term, 'n3') else term}")
        for clause in dict.get(node, "datasetClause") or []:
            if isinstance(clause, CompValue):
                named = dict.get(clause, "named")
                iri = named if named is not None else dict.get(clause, "default")
                found.append(f"FROM {'NAMED ' if named is not None else ''}<{iri}>")
    return found


def _as_update(text: str) -> str | None:
    """"SPARQL Update (LOAD)" and the like when ``text`` parses as an update, else None."""
    try:
        with _PARSER_LOCK:
            tree = parseUpdate(text)
    except Exception:
        return None
    names = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
             "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
             "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}
    ops = sorted({names[n.name] for n in _nodes(tree) if n.name in names})
    return f"SPARQL Update ({', '.join(ops) or 'update'})"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_BAD = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f\ufffe\uffff]|%(?![0-9A-Fa-f]{2})")


def valid_iri(value: str) -> bool:
    """An absolute IRI (RFC 3987) that can stand between <> in SPARQL and Turtle: a scheme,
    something after it, no spaces, controls or <>"{}|\\^` characters, %-escapes well formed,
    at most one #."""
    m = _SCHEME.match(value)
    return bool(m and len(value) > m.end() and not _IRI_BAD.search(value) and value.count("#") <= 1)


def bind(q: NamedQuery, params: dict[str, str]) -> dict[Variable, object]:
    """Turn KEY=VALUE strings into RDF terms by the types the query header declares. The
    terms are bound (``initBindings``), never spliced into query text; a value that is not
    a term of its declared type (a malformed IRI, a non-integer, a non-date) is refused."""
    declared = {p.name: p for p in q.params}
    bindings: dict[Variable, object] = {}
    for key, value in params.items():
        if key not in declared:
            names = ", ".join(declared) or "none"
            raise QueryError(f"query {q.name!r} has no parameter {key!r} (parameters: {names})")
        kind = declared[key].kind
        if kind == "iri":
            if not valid_iri(value):
                raise QueryError(f"parameter {key!r}: {value!r} is not a valid absolute IRI")
            bindings[Variable(key)] = URIRef(value)
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,30}", value):
                raise QueryError(f"parameter {key!r}: {value!r} is not an integer")
            bindings[Variable(key)] = Literal(int(value))
        elif kind == "date":
            try:
                ok = bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)) and bool(date.fromisoformat(value))
            except ValueError:
                ok = False
            if not ok:
                raise QueryError(f"parameter {key!r}: {value!r} is not an ISO date (YYYY-MM-DD)")
            bindings[Variable(key)] = Literal(value, datatype=XSD.date)
        else:
            bindings[Variable(key)] = Literal(value)
    return bindings


def json_term(t) -> dict:
    """One RDF term as SPARQL 1.1 Query Results JSON."""
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


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> rdflib term (absent when unbound)

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        bindings = [{k: json_term(v) for k, v in row.items() if v is not None} for row in self.rows]
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


def run(kg: KnowledgeGraph, query: NamedQuery, params: dict[str, str] | None = None,
        page: tuple[int, int | None] = (0, None)) -> QueryResult:
    """Run a named query (or a .rq file) over asserted + inferred + ontology with rdflib;
    ``page`` (offset, limit) keeps only those rows (the solutions after the page are not
    read). ``kg query`` runs on Oxigraph instead (kg.query_store), with the same rows."""
    query = query.for_params(params or {})
    check_safe(query)
    bindings = bind(query, params or {})
    ds = kg.query_dataset()
    namespaces = {p: n for p, n in ds.namespaces()}
    try:
        prepared = prepare(query.text, namespaces)
    except Exception as exc:
        raise QueryError(f"{query.path}: {exc}") from exc
    _raise_refused(query, _refused(prepared.algebra))  # the very algebra that runs
    try:
        result = ds.query(prepared, initBindings=bindings)
    except Exception as exc:
        raise QueryError(f"{query.path}: {exc}") from exc
    if result.type != "SELECT":
        raise QueryError(f"{query.path}: only SELECT queries are supported here")
    variables = [str(v) for v in result.vars]
    offset, limit = page
    solutions = itertools.islice(result, offset, None if limit is None else offset + limit)
    rows = [{str(v): row[v] for v in result.vars if row[v] is not None} for row in solutions]
    return QueryResult(variables, rows)
