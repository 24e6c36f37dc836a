"""SPARQL 1.1 query results in the standard formats (JSON, XML, CSV, TSV; Turtle or
N-Triples for the graph a CONSTRUCT or DESCRIBE query builds) and the choice between them by
HTTP content negotiation; what ``kg serve`` answers with."""
from __future__ import annotations

import csv
import io as _io
import json
from dataclasses import dataclass
from enum import Enum
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, URIRef

from .query import QueryResult, json_term


class ResultFormat(str, Enum):
    """A results format: its short name (``?format=``) and media type. Turtle and N-Triples
    are for graphs (CONSTRUCT, DESCRIBE); the others for rows (SELECT) and booleans (ASK)."""

    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"
    TURTLE = "turtle"
    NTRIPLES = "nt"

    @property
    def media_type(self) -> str:
        return {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "nt": "application/n-triples"}[self.value]

    @property
    def for_graphs(self) -> bool:
        return self in (ResultFormat.TURTLE, ResultFormat.NTRIPLES)


_MEDIA = {
    "application/sparql-results+json": ResultFormat.JSON, "application/json": ResultFormat.JSON,
    "application/sparql-results+xml": ResultFormat.XML, "application/xml": ResultFormat.XML,
    "text/xml": ResultFormat.XML, "text/csv": ResultFormat.CSV,
    "text/tab-separated-values": ResultFormat.TSV, "text/turtle": ResultFormat.TURTLE,
    "application/n-triples": ResultFormat.NTRIPLES,
}


def negotiate(accept: str | None, explicit: str | None = None) -> ResultFormat | None:
    """The format to answer in: ``explicit`` (a ``format`` parameter: a short name or a media
    type) wins, then the best of the Accept header; JSON when anything goes; None when the
    client accepts none of them (HTTP 406)."""
    if explicit:
        key = explicit.strip().lower()
        for fmt in ResultFormat:
            if key in (fmt.value, fmt.media_type):
                return fmt
        return _MEDIA.get(key)
    if not accept:
        return ResultFormat.JSON
    choices: list[tuple[float, int, ResultFormat]] = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in _MEDIA:
            choices.append((q, -order, _MEDIA[media]))
        elif media in ("*/*", "application/*", "text/*"):
            choices.append((q - 0.001, -order, ResultFormat.JSON if media != "text/*" else ResultFormat.CSV))
    if not choices:
        return None
    return max(choices, key=lambda c: (c[0], c[1]))[2]


@dataclass
class Answer:
    """What a query answered: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE)."""

    result: QueryResult | None = None
    boolean: bool | None = None
    graph: Graph | None = None


def answer_format(answer: Answer, fmt: ResultFormat) -> ResultFormat | None:
    """The format to write ``answer`` in when ``fmt`` was asked for: ``fmt`` when it can hold
    it; Turtle for a graph asked for in a rows format (a client that accepts anything gets
    JSON for rows and Turtle for graphs); None for rows or a boolean asked for as a graph."""
    if answer.graph is not None:
        return fmt if fmt.for_graphs else ResultFormat.TURTLE
    return None if fmt.for_graphs else fmt


def _xml_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{escape(str(t))}</bnode>"
    attrs = ""
    if t.language:
        attrs = f" xml:lang={quoteattr(t.language)}"
    elif t.datatype:
        attrs = f" datatype={quoteattr(str(t.datatype))}"
    return f"<literal{attrs}>{escape(str(t))}</literal>"


def _tsv_term(t) -> str:
    return t.n3().replace("\t", "\\t")


def render(answer: Answer, fmt: ResultFormat) -> str:
    """Serialise an answer in a SPARQL 1.1 results format (a graph: in Turtle, or N-Triples
    when ``fmt`` says so, sorted lines)."""
    if answer.graph is not None:
        if fmt is ResultFormat.NTRIPLES:
            lines = answer.graph.serialize(format="nt").splitlines(keepends=True)
            return "".join(sorted(set(line for line in lines if line.strip())))
        return answer.graph.serialize(format="turtle")
    if answer.result is None:
        value = bool(answer.boolean)
        if fmt is ResultFormat.JSON:
            return json.dumps({"head": {}, "boolean": value})
        if fmt is ResultFormat.XML:
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n")
        return f"_askResult\r\n{str(value).lower()}\r\n" if fmt is ResultFormat.CSV else f"?_askResult\n{str(value).lower()}\n"
    res = answer.result
    if fmt is ResultFormat.JSON:
        bindings = [{k: json_term(v) for k, v in row.items() if v is not None} for row in res.rows]
        return json.dumps({"head": {"vars": res.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False)
    if fmt is ResultFormat.CSV:
        buf = _io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(res.variables)
        for row in res.rows:
            writer.writerow(["" if row.get(v) is None else str(row[v]) for v in res.variables])
        return buf.getvalue()
    if fmt is ResultFormat.TSV:
        lines = ["\t".join(f"?{v}" for v in res.variables)]
        lines += ["\t".join("" if row.get(v) is None else _tsv_term(row[v]) for v in res.variables)
                  for row in res.rows]
        return "\n".join(lines) + "\n"
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in res.variables]
    out.append("</head><results>")
    for row in res.rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items()
                if v is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out)
