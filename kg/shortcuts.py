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
Unicode mapping as Oxigraph's ``LCASE`` (Rust's ``to_lowercase``).

``kgo:topEvent``: each event's top-level event, the ancestor (or the event itself) that is a
sub-event of nothing: ``?e kgo:topEvent ?top`` holds exactly when ``?e kgo:subEventOf* ?top``
and ``?top`` has no ``kgo:subEventOf``, over the asserted and inferred graphs together (an
event in a cycle of sub-events has none; one with two roots, both). Queries that count or
name top-level events per participation (``cross_event_people``, ``co_appearance``) read it
instead of walking ``kgo:subEventOf*`` and checking ``FILTER NOT EXISTS`` for every row. The
events are the minted resources typed with ``kgo:Event`` or a subclass of it, the objects of
``kgo:event`` and both ends of ``kgo:subEventOf``. Kept, and derived when missing, where the
name keys are."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

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


def event_classes(ontology) -> frozenset:
    """``kgo:Event`` and every class under it in an rdflib ``ontology`` graph."""
    return frozenset({KGO.Event, *ontology.transitive_subjects(RDFS.subClassOf, KGO.Event)})


class TopEvents:
    """Collects the events and their ``kgo:subEventOf`` links from triples fed to it (a whole
    graph, or graph by graph as a store build streams them), then gives each event's
    ``kgo:topEvent`` triples. Holds only the events and their links, not the triples."""

    def __init__(self, resource_prefix: str, classes: frozenset) -> None:
        self.prefix = resource_prefix
        self.classes = classes
        self.events: set = set()
        self.parents: dict = {}

    def add(self, triples: Iterable[tuple]) -> None:
        sub_event, event, rdf_type, classes = KGO.subEventOf, KGO.event, RDF.type, self.classes
        for s, p, o in triples:
            if p == sub_event:
                self.parents.setdefault(s, set()).add(o)
                self.events.add(s)
                self.events.add(o)
            elif p == event or (p == rdf_type and o in classes):
                self.events.add(o if p == event else s)

    def tops(self, node) -> set:
        """The nodes reachable from ``node`` by ``kgo:subEventOf*`` that have no parent."""
        seen, todo, found = {node}, [node], set()
        while todo:
            here = todo.pop()
            up = self.parents.get(here)
            if not up:
                found.add(here)
                continue
            for parent in up:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return found

    def triples(self) -> set[tuple]:
        """``(event, kgo:topEvent, top)`` for every minted event (and every top that is an IRI)."""
        out: set[tuple] = set()
        for node in self.events:
            if isinstance(node, URIRef) and node.startswith(self.prefix):
                out.update((node, KGO.topEvent, top) for top in self.tops(node) if isinstance(top, URIRef))
        return out


def graph_top_events(graphs: Iterable, ontology, resource_prefix: str) -> set[tuple]:
    """:class:`TopEvents` of rdflib graphs, reading only their event triples."""
    classes = event_classes(ontology)
    collect = TopEvents(resource_prefix, classes)
    for graph in graphs:
        collect.add(graph.triples((None, KGO.subEventOf, None)))
        collect.add(graph.triples((None, KGO.event, None)))
        for cls in classes:
            collect.add(graph.triples((None, RDF.type, cls)))
    return collect.triples()


def graph_shortcuts(graphs: Iterable, ontology, resource_prefix: str) -> set[tuple]:
    """Every query shortcut of rdflib graphs (the asserted and inferred ones): name keys and
    top events."""
    graphs = list(graphs)
    return graph_name_keys(graphs, resource_prefix) | graph_top_events(graphs, ontology, resource_prefix)


def add_top_events(store, graph_iri: str, resource_prefix: str) -> int:
    """Add the top events of everything in a pyoxigraph ``store`` (its ontology graph gives
    the event classes) to its named graph ``graph_iri``. Returns how many triples there are."""
    import pyoxigraph as ox

    from .store_terms import to_rdflib

    def quads(s, p, o):
        for q in store.quads_for_pattern(s, p, o, None):
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)

    sub_class = ox.NamedNode(str(RDFS.subClassOf))
    classes, todo = {KGO.Event}, [KGO.Event]
    while todo:
        for s, _, _ in quads(None, sub_class, ox.NamedNode(str(todo.pop()))):
            if isinstance(s, URIRef) and s not in classes:
                classes.add(s)
                todo.append(s)
    collect = TopEvents(resource_prefix, frozenset(classes))
    collect.add(quads(None, ox.NamedNode(str(KGO.subEventOf)), None))
    collect.add(quads(None, ox.NamedNode(str(KGO.event)), None))
    rdf_type = ox.NamedNode(str(RDF.type))
    for cls in classes:
        collect.add(quads(None, rdf_type, ox.NamedNode(str(cls))))
    found = collect.triples()
    target = ox.NamedNode(graph_iri)
    top = ox.NamedNode(str(KGO.topEvent))
    store.extend([ox.Quad(ox.NamedNode(str(s)), top, ox.NamedNode(str(o)), target) for s, _, o in found])
    return len(found)
