"""Query shortcuts: triples derived from the data so that a query can start from an index.

``kgo:nameKey``: each name of an entity (its ``rdfs:label`` and every ``skos:altLabel``, as
the asserted and inferred graphs hold them), lower-cased. A query given a name in any case
(``person``, ``sources``, ``co_appearance``...) binds ``LCASE(STR(?name))`` and looks the key
up, where it used to compare the lower-cased form of every name in the graph with it: Oxigraph
cannot start a join from a FILTER, so it read every participation or statement first (6-9 s
for ``co_appearance`` after 1,000 articles; a few milliseconds through the key).

``kg build`` keeps the keys in the inferred graph (``graph/kg.inferred.ttl`` and the inferred
graph of a ``--store``); a graph that comes without them (a Turtle file from elsewhere, a
KnowledgeGraph made in memory) gets them when it is queried (kg.graphs, kg.query_store), so
every query path gives the same rows. Only minted resources (IRIs under the base) get keys,
as only they get inferred triples: the ontology's class names are not entity names.

The lower-casing is Python's ``str.lower``, which is what rdflib's ``LCASE`` does, and the same
Unicode mapping as Oxigraph's ``LCASE`` (Rust's ``to_lowercase``)."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from .vocab import KGO

NAME_PREDICATES = frozenset({RDFS.label, SKOS.altLabel})


def name_key(name: object) -> Literal:
    """The key of one name: its text, lower-cased, as a plain string literal."""
    return Literal(str(name).lower())


def name_keys(triples: Iterable[tuple], resource_prefix: str) -> set[tuple]:
    """``(entity, kgo:nameKey, key)`` for each name among ``triples`` whose subject is a
    minted resource (its IRI starts with ``resource_prefix``)."""
    out = set()
    for s, p, o in triples:
        if p in NAME_PREDICATES and isinstance(s, URIRef) and s.startswith(resource_prefix) \
                and isinstance(o, (Literal, URIRef)):
            out.add((s, KGO.nameKey, name_key(o)))
    return out


def graph_name_keys(graphs: Iterable, resource_prefix: str) -> set[tuple]:
    """:func:`name_keys` of rdflib graphs, reading only their name triples."""
    out: set[tuple] = set()
    for graph in graphs:
        for predicate in NAME_PREDICATES:
            out |= name_keys(graph.triples((None, predicate, None)), resource_prefix)
    return out


def add_name_keys(store, graph_iri: str, resource_prefix: str) -> int:
    """Add the name keys of everything in a pyoxigraph ``store`` (all its graphs) to its named
    graph ``graph_iri`` (the inferred graph); keys already there stay as they are. Returns
    how many keys there are."""
    import pyoxigraph as ox

    target = ox.NamedNode(graph_iri)
    key_predicate = ox.NamedNode(str(KGO.nameKey))
    keys = set()
    for predicate in NAME_PREDICATES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None):
            s, o = quad.subject, quad.object
            if isinstance(s, ox.NamedNode) and s.value.startswith(resource_prefix) \
                    and isinstance(o, (ox.Literal, ox.NamedNode)):
                keys.add((s, o.value.lower()))
    store.extend([ox.Quad(s, key_predicate, ox.Literal(key), target) for s, key in keys])
    return len(keys)
