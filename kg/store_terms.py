"""RDF terms between rdflib and Oxigraph for the store (kg.store): term conversion both
ways, kg's fast N-Triples writer, and the order-free digest of a graph's content."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .errors import StoreError
from .partition import Triple

_XSD_STRING = str(XSD.string)
_XSD_DECIMAL = str(XSD.decimal)
_BARE_INTEGER = re.compile(r"[+-]?\d+")
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class TermConverter:
    """rdflib terms to pyoxigraph terms (IRIs memoised: a graph repeats them a lot)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, t: object):
        if isinstance(t, URIRef):
            return self.iri(str(t))
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None:
                return ox.Literal(str(t), datatype=self.iri(str(t.datatype)))
            return ox.Literal(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        raise StoreError(f"cannot store RDF term {t!r}")

    def quad(self, triple: Triple, graph: ox.NamedNode) -> ox.Quad:
        s, p, o = triple
        return ox.Quad(self.term(s), self.term(p), self.term(o), graph)


def to_rdflib(t) -> object:
    """A pyoxigraph term as the rdflib term the in-memory path would give."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(t.value)
        if dt == _XSD_DECIMAL and _BARE_INTEGER.fullmatch(t.value):
            # Oxigraph stores decimals as values and prints XSD 1.1's canonical "1";
            # rdflib's Turtle (the graph file) writes and reads back "1.0"
            return Literal(t.value + ".0", datatype=XSD.decimal)
        return Literal(t.value, datatype=URIRef(dt))
    if t is None:
        return None
    raise StoreError(f"unsupported term in a result: {t!r}")


def ntriples(triples: Iterable[Triple]) -> bytes:
    """rdflib triples as N-Triples bytes (sorted lines), serialised by pyoxigraph."""
    conv = TermConverter()
    out = ox.serialize((ox.Triple(conv.term(s), conv.term(p), conv.term(o)) for s, p, o in triples),
                       format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(sorted(set(out.splitlines(keepends=True))))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class NTriples:
    """rdflib triples as N-Triples lines, fast: IRIs are memoised (a graph repeats them a
    lot) and literals escaped as N-Triples requires (backslash, quote, line breaks). The
    store parses every line it is given (IRIs are checked there)."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def term(self, t: object) -> str:
        kind = type(t)
        if kind is URIRef:
            text = self._iris.get(t)  # type: ignore[call-overload]
            if text is None:
                text = self._iris[t] = f"<{t}>"  # type: ignore[index]
                if len(self._iris) > 500_000:
                    self._iris.clear()
            return text
        if kind is Literal:
            lexical = str(t).translate(_ESCAPES)
            if t.language:  # type: ignore[attr-defined]
                return f'"{lexical}"@{t.language}'  # type: ignore[attr-defined]
            if t.datatype is not None:  # type: ignore[attr-defined]
                return f'"{lexical}"^^<{t.datatype}>'  # type: ignore[attr-defined]
            return f'"{lexical}"'
        if isinstance(t, URIRef):  # a subclass
            return f"<{t}>"
        if isinstance(t, Literal):
            return Literal(str(t), lang=t.language, datatype=t.datatype).n3()
        raise StoreError(f"cannot store RDF term {t!r} as N-Triples")

    def line(self, triple: Triple) -> str:
        s, p, o = triple
        return f"{self.term(s)} {self.term(p)} {self.term(o)} .\n"


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    return any(type(s) is BNode or type(o) is BNode or isinstance(s, BNode) or isinstance(o, BNode)
               for s, _, o in triples)


def graph_digest(triples: list[Triple], writer: NTriples | None = None) -> str:
    """A digest of a graph's content, independent of triple order and of blank node labels.
    Without blank nodes: the sum of the lines' SHA-256 (a multiset hash: no sorting, so a
    graph of millions of triples is digested as it streams by; kg's graphs hold each triple
    once). With blank nodes (the ontology's OWL lists): the lines of its RDFC-1.0 canonical
    form."""
    if has_blank_nodes(triples):
        h = hashlib.sha1()
        conv = TermConverter()
        dataset = ox.Dataset(ox.Quad(conv.term(s), conv.term(p), conv.term(o)) for s, p, o in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        for line in sorted(str(quad) for quad in dataset):
            h.update(line.encode("utf-8") + b"\n")
        return "c-" + h.hexdigest()
    writer = writer or NTriples()
    return multiset_digest(sum(line_hash(writer.line(t)) for t in triples), len(triples))


def line_hash(line: str) -> int:
    """An N-Triples line's SHA-256 as an integer: the summand of :func:`graph_digest`."""
    return int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")


def multiset_digest(total: int, count: int) -> str:
    """The digest of a graph of ``count`` triples whose :func:`line_hash` values sum to ``total``."""
    return f"m-{total % (1 << 256):064x}-{count}"


def digest_count(digest: str) -> int:
    """The triple count a :func:`multiset_digest` ends with; 0 for any other digest."""
    tail = digest.rsplit("-", 1)[-1]
    return int(tail) if digest.startswith("m-") and tail.isdigit() else 0
