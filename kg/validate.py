"""Validation: the SHACL shapes (ontology/shapes.ttl) over an asserted graph.

pyshacl's one home, with one entry point, :func:`validate`, that returns plain values. The
asserted graph is read with the ontology as pyshacl's ``ont_graph`` (so that class targets
reach subclasses) and is never changed: pyshacl mixes the ontology into a copy, and the
inferred graph is never mixed in at all (a range axiom must not make a wrong link look right).
Each violation names the article it came from, so that a reader can go and look."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from . import io
from .vocab import KGO

_MAX_SHOWN = 50  # violations listed in the text report (all are counted)
_WHAT_FAILED = {  # SHACL constraint component -> what went wrong, in words
    "MinCountConstraintComponent": "missing",
    "MaxCountConstraintComponent": "more than allowed",
    "DatatypeConstraintComponent": "wrong datatype",
    "InConstraintComponent": "not one of the allowed terms",
    "NodeKindConstraintComponent": "wrong kind of node",
    "NotConstraintComponent": "has a type it cannot have",
    "OrConstraintComponent": "fits none of the alternatives",
    "NodeConstraintComponent": "the value does not conform to its shape",
}


class Severity(str, Enum):
    """SHACL severities; only violations make a graph fail."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


@dataclass(frozen=True)
class Violation:
    """One SHACL result, as plain strings."""

    focus: str
    path: str | None
    message: str
    severity: Severity
    value: str | None = None
    shape: str | None = None
    articles: tuple[str, ...] = ()  # file names of the articles the focus node came from


@dataclass
class ValidationReport:
    """The outcome of validating one graph."""

    results: list[Violation] = field(default_factory=list)
    seconds: float = 0.0
    checked_triples: int = 0

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self, limit: int = _MAX_SHOWN) -> str:
        """A readable report: one block per result (focus node, path, message, article)."""
        n = len(self.violations)
        head = (f"conforms: {self.checked_triples} triples checked, no violations"
                if self.conforms else
                f"does not conform: {n} violation{'s' if n != 1 else ''} "
                f"in {self.checked_triples} triples")
        others = len(self.results) - n
        if others:
            head += f" ({others} warning{'s' if others != 1 else ''})"
        lines = [head]
        for r in self.results[:limit]:
            lines.append(f"- {r.severity.value}: {r.message}")
            lines.append(f"    focus:   {r.focus}")
            if r.path:
                lines.append(f"    path:    {r.path}")
            if r.value:
                lines.append(f"    value:   {r.value}")
            lines.append(f"    article: {', '.join(r.articles) if r.articles else '(unknown)'}")
        if len(self.results) > limit:
            lines.append(f"... and {len(self.results) - limit} more")
        return "\n".join(lines)


def load_shapes() -> Graph:
    """The shipped SHACL shapes (ontology/shapes.ttl)."""
    from .graphs import parse_turtle

    path = io.data_dir("ontology") / "shapes.ttl"
    return parse_turtle(io.read_text(path), str(path))


def validate(asserted: Graph, ontology: Graph | None = None,
             shapes: Graph | None = None) -> ValidationReport:
    """Validate ``asserted`` against the shapes, reading it with ``ontology``.

    Neither graph is modified. Raises nothing for a non-conforming graph: the report says."""
    from pyshacl import validate as shacl

    if ontology is None:
        from .graphs import load_ontology

        ontology = load_ontology()
    shapes = shapes if shapes is not None else load_shapes()
    start = time.perf_counter()
    _, results_graph, _ = shacl(asserted, shacl_graph=shapes, ont_graph=ontology,
                                inference="none", abort_on_first=False, allow_warnings=True,
                                inplace=False, advanced=True)
    results = [_result(results_graph, node, asserted, shapes) for node in
               results_graph.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=lambda r: (r.severity is not Severity.VIOLATION, r.articles, r.focus,
                                r.path or "", r.message))
    return ValidationReport(results, time.perf_counter() - start, len(asserted))


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib refuses some IRIs as prefixed names, variously
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return "(path expression)" if graph is not None else str(node)


def _path(results: Graph, node: Node, data: Graph, shapes: Graph) -> str | None:
    """The result's path; an alternative path as SPARQL writes it ("kgo:organization|kgo:jurisdiction")."""
    path = results.value(node, SH.resultPath)
    if path is None or isinstance(path, URIRef):
        return _short(data, path)
    shape = results.value(node, SH.sourceShape)
    declared = shapes.value(shape, SH.path) if shape is not None else None
    alternatives = shapes.value(declared, SH.alternativePath) if declared is not None else None
    if alternatives is not None:
        return "|".join(_short(data, n) or "" for n in Collection(shapes, alternatives))
    return _short(data, path)


def _what_failed(constraint: Node | None, shape: Node | None, shapes: Graph) -> str:
    name = str(constraint or "").rsplit("#", 1)[-1]
    if name == "ClassConstraintComponent":
        cls = shapes.value(shape, SH["class"]) if shape is not None else None
        return f"not a {_short(shapes, cls)}" if cls is not None else "value of the wrong class"
    return _WHAT_FAILED.get(name, name or "a constraint")


def _result(results: Graph, node: Node, data: Graph, shapes: Graph) -> Violation:
    focus = results.value(node, SH.focusNode)
    severity = results.value(node, SH.resultSeverity)
    what = _what_failed(results.value(node, SH.sourceConstraintComponent),
                        results.value(node, SH.sourceShape), shapes)
    stated = results.value(node, SH.resultMessage)
    message = f"{stated} ({what})" if stated is not None else what
    value = results.value(node, SH.value)
    return Violation(
        focus=_short(data, focus) or "?",
        path=_path(results, node, data, shapes),
        message=str(message),
        severity=Severity(str(severity).rsplit("#", 1)[-1]) if severity else Severity.VIOLATION,
        value=_short(data, value) if value is not None and value != focus else None,
        shape=_short(results, results.value(node, SH.sourceShape)),
        articles=articles_of(data, focus),
    )


def articles_of(graph: Graph, node: Node | None) -> tuple[str, ...]:
    """The file names of the articles a node came from: a statement's kgo:statedIn, a text
    span's kgo:inArticle, an entity's kgo:mentionedIn, a value's observation's article."""
    if node is None:
        return ()
    found: set[Node] = set()
    if (node, RDF.type, KGO.Article) in graph:
        found.add(node)
    for prop in (KGO.statedIn, KGO.inArticle, KGO.mentionedIn):
        found.update(graph.objects(node, prop))
    for span in graph.objects(node, KGO.evidence):
        found.update(graph.objects(span, KGO.inArticle))
    if not found:  # a value node: go up to its observation; an entity: to the statements
        for owner in graph.subjects(KGO.hasValue, node):
            found.update(graph.objects(owner, KGO.statedIn))
        for prop in (KGO.person, KGO.organization, KGO.jurisdiction, KGO.participant, KGO.organizer, KGO.event):
            for statement in graph.subjects(prop, node):
                found.update(graph.objects(statement, KGO.statedIn))
    names = {str(graph.value(a, KGO.fileName) or graph.value(a, RDFS.label) or a) for a in found}
    return tuple(sorted(names))
