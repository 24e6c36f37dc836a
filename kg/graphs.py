"""A built knowledge graph: the asserted graph, the inferred graph (kept apart), and the
ontology; how it is saved beside one path, loaded back, and serialised for export."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from . import io
from .errors import GraphError
from .vocab import DEFAULT_BASE, ONTOLOGY_IRI


class RDFFormat(str, Enum):
    """Export formats: rdflib serialiser name and file suffix."""

    TURTLE = "turtle"
    NT = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"

    @property
    def rdflib_name(self) -> str:
        return {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}[self.value]


def inferred_path(path: Path) -> Path:
    """Where the inferred graph of ``graph/kg.ttl`` lives: ``graph/kg.inferred.ttl``."""
    return path.with_name(path.stem + ".inferred" + (path.suffix or ".ttl"))


def parse_turtle(text: str, source: str) -> Graph:
    """Parse Turtle text; a syntax error becomes a GraphError naming the source."""
    g = Graph()
    try:
        g.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad input
        raise GraphError(f"{source}: not valid Turtle ({exc})") from exc
    return g


def load_ontology() -> Graph:
    ttl = io.data_dir("ontology") / "kg.ttl"
    return parse_turtle(io.read_text(ttl), str(ttl))


@dataclass
class KnowledgeGraph:
    """Asserted and inferred triples, and the ontology they are read with."""

    asserted: Graph
    inferred: Graph = field(default_factory=Graph)
    ontology: Graph = field(default_factory=load_ontology)
    base: str = DEFAULT_BASE

    def graph_iri(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def dataset(self) -> Dataset:
        """A dataset whose default graph is the union of asserted, inferred and ontology."""
        ds = Dataset(default_union=True)
        for prefix, ns in self.asserted.namespaces():
            ds.bind(prefix, ns, replace=True)
        for name, graph in (("asserted", self.asserted), ("inferred", self.inferred)):
            target = ds.graph(self.graph_iri(name))
            for t in graph:
                target.add(t)
        onto = ds.graph(URIRef(ONTOLOGY_IRI))
        for t in self.ontology:
            onto.add(t)
        return ds

    def query_dataset(self) -> Dataset:
        """:meth:`dataset` with the query shortcuts (kg.shortcuts: name keys, top events,
        events within events, where participants appear, organisation kinds) in the inferred
        graph, derived here when the graph came without them (made in memory, or read from a
        Turtle file `kg build` did not write): what queries run over."""
        from .shortcuts import graph_shortcuts

        ds = self.dataset()
        target = ds.graph(self.graph_iri("inferred"))
        for t in graph_shortcuts((self.asserted, self.inferred), self.ontology, self.base):
            target.add(t)
        return ds

    def save(self, path: Path) -> None:
        """Write the asserted graph to ``path`` and the inferred one beside it (atomically).
        Both are serialised and written to temp files before either is replaced, so a failing
        serialisation or a full disk leaves the old pair as it was."""
        asserted_text = serialize(self.asserted, RDFFormat.TURTLE)
        inferred = Graph()
        for prefix, ns in self.asserted.namespaces():
            inferred.bind(prefix, ns)
        for t in self.inferred:
            inferred.add(t)
        inferred_text = serialize(inferred, RDFFormat.TURTLE)
        io.write_atomic_many([(path, asserted_text), (inferred_path(path), inferred_text)])

    def export(self, fmt: RDFFormat, include_inferred: bool = True) -> str:
        """Serialise for a triple store: TriG keeps asserted, inferred and ontology as three
        named graphs; the other formats hold asserted (+ inferred) triples."""
        if fmt is RDFFormat.TRIG:
            return serialize(self.dataset(), fmt)
        g = Graph()
        for prefix, ns in self.asserted.namespaces():
            g.bind(prefix, ns)
        for t in self.asserted:
            g.add(t)
        if include_inferred:
            for t in self.inferred:
                g.add(t)
        return serialize(g, fmt)


def serialize(graph: Graph | Dataset, fmt: RDFFormat) -> str:
    """Serialise deterministically (rdflib sorts subjects and predicates for Turtle/TriG;
    N-Triples lines are sorted here)."""
    out = graph.serialize(format=fmt.rdflib_name)
    if fmt is RDFFormat.NT:
        out = "".join(sorted(set(out.splitlines(keepends=True))))
    return out


def load(path: Path) -> KnowledgeGraph:
    """Load a graph written by :meth:`KnowledgeGraph.save` (the inferred file is optional)."""
    asserted = parse_turtle(io.read_text(path), str(path))
    inferred = Graph()
    side = inferred_path(path)
    if side.exists():
        inferred = parse_turtle(io.read_text(side), str(side))
    base = DEFAULT_BASE
    for prefix, ns in asserted.namespaces():
        if prefix == "kgr":
            base = str(ns)
    return KnowledgeGraph(asserted=asserted, inferred=inferred, base=base)
