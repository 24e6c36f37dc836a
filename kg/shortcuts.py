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
name keys are.

``kgo:withinEvent``: each minted event with every event it is within, itself included:
``?e kgo:withinEvent ?a`` holds exactly when ``?e kgo:subEventOf* ?a`` (an IRI), cycles of
sub-events included (each event of a cycle is within every other). ``co_appearance`` joins the
two people's events through it, two index lookups where it walked both chains; the top events
cannot stand in for it, as two events whose only common ancestors sit in a cycle have none.

``kgo:appearsAt``: each minted participant (the ``kgo:participant`` of a participation) with
every event it appears at: ``?x kgo:appearsAt ?e`` holds exactly when some ``?p`` has
``kgo:participant ?x`` and ``kgo:event ?ea`` with ``?ea kgo:withinEvent ?e``. ``co_appearance``
finds the events two people share with it (two index lookups each) before it reads their
participations and roles; the pattern is implied by the rest of the query, so the rows are
the same, but without it Oxigraph pairs every participation of one person with every one of
the other's (it joins with nested index lookups, never hashing two sides that each start from
a parameter).

``kgo:organizationKind``: each minted organisation's most specific organisation classes: the
classes ``?c`` it is typed with (``rdf:type``, asserted or inferred) that are under
``kgo:Organization`` (``rdfs:subClassOf*``, the ontology's links and any the data states) and
that no other of its types under ``kgo:Organization`` reaches by ``rdfs:subClassOf+``: what
``institutions_by_kind`` used to find with a ``FILTER NOT EXISTS`` and two path walks for
every organisation. The same with or without reasoning (without it, an organisation has only
its asserted types, and the most specific of them is the same)."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .vocab import KGO
from .vocab import same_iri as _same
from .vocab import starts_with as _starts

NAME_PREDICATES = frozenset({RDFS.label, SKOS.altLabel})
# the predicates of every shortcut kept in the inferred graph (what is not the reasoner's)
SHORTCUT_PREDICATES = (KGO.nameKey, KGO.topEvent, KGO.withinEvent, KGO.appearsAt, KGO.organizationKind)


def name_key(name: object) -> Literal:
    """The key of one name: its text, lower-cased, as a plain string literal."""
    return Literal(str(name).lower())


def name_keys(triples: Iterable[tuple], resource_prefix: str) -> set[tuple]:
    """``(entity, kgo:nameKey, key)`` for each name among ``triples`` whose subject is a
    minted resource (its IRI starts with ``resource_prefix``)."""
    out = set()
    for s, p, o in triples:
        if p in NAME_PREDICATES and isinstance(s, URIRef) and _starts(s, resource_prefix) \
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


def _above(links: dict, node) -> set:
    """The nodes ``node`` reaches along ``links`` (node -> the nodes it is a subclass or
    sub-event of) in one step or more (``node`` itself only when it is in a cycle): what
    ``node rdfs:subClassOf+ ?x`` finds."""
    found: set = set()
    todo = list(links.get(node, ()))
    while todo:
        here = todo.pop()
        if here not in found:
            found.add(here)
            todo.extend(links.get(here, ()))
    return found


def _below(links: dict, top) -> set:
    """``top`` and every node that reaches it along ``links``: what ``?x rdfs:subClassOf* top``
    finds."""
    down: dict = {}
    for node, ups in links.items():
        for up in ups:
            down.setdefault(up, set()).add(node)
    return {top} | _above(down, top)


def _most_specific(types: set, organization: set, above: dict) -> set:
    """The most specific of ``types`` under kgo:Organization (``organization``): each one no
    other of them (under kgo:Organization too) reaches by ``rdfs:subClassOf+`` (``above``)."""
    mine = types & organization
    return {c for c in mine if not any(n != c and c in above[n] for n in mine)}


class GraphShortcuts:
    """Collects what the shortcuts about events and organisations need from triples fed to it
    (a whole graph, or graph by graph as a store build streams them): the events and their
    ``kgo:subEventOf`` links, the types of minted resources under ``kgo:Organization`` and
    the ``rdfs:subClassOf`` links (the ontology's and any the data states), then gives the
    ``kgo:topEvent``, ``kgo:withinEvent``, ``kgo:appearsAt`` and ``kgo:organizationKind``
    triples. Holds only those (and each participation's participants and events), not the
    triples. ``classes`` are the event classes (:func:`event_classes`);
    ``ontology`` is the one the graph is read with (kg's own when not given)."""

    def __init__(self, resource_prefix: str, classes: frozenset, ontology=None) -> None:
        if ontology is None:
            from .graphs import load_ontology

            ontology = load_ontology()
        self.prefix = resource_prefix
        self.classes = classes
        self.events: set = set()
        self.parents: dict = {}
        self.event_of: dict = {}  # participation (or any subject of kgo:event) -> its events
        self.participants: dict = {}  # participation -> its participants (kgo:participant)
        self.class_links: dict = {}
        for s, o in ontology.subject_objects(RDFS.subClassOf):
            self.class_links.setdefault(s, set()).add(o)
        # the types kept: the ontology's organisation classes and any class it does not know
        # (the data's own, which a subclass link in the data may put under kgo:Organization)
        self.known = set(self.class_links) | {o for ups in self.class_links.values() for o in ups}
        self.known |= set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, RDFS.Class))
        self.kept_classes = _below(self.class_links, KGO.Organization)
        self.types: dict = {}

    def add(self, triples: Iterable[tuple]) -> None:
        sub_event, event, rdf_type, classes = KGO.subEventOf, KGO.event, RDF.type, self.classes
        sub_class, kept, known, prefix = RDFS.subClassOf, self.kept_classes, self.known, self.prefix
        participant = KGO.participant
        for s, p, o in triples:  # predicates are IRIs: compared as strings (_same)
            if _same(p, sub_event):
                self.parents.setdefault(s, set()).add(o)
                self.events.add(s)
                self.events.add(o)
            elif _same(p, event):
                self.events.add(o)
                self.event_of.setdefault(s, set()).add(o)
            elif _same(p, participant):
                if isinstance(o, URIRef) and _starts(o, prefix):
                    self.participants.setdefault(s, set()).add(o)
            elif _same(p, rdf_type):
                if o in classes:
                    self.events.add(s)
                if (o in kept or o not in known) and isinstance(s, URIRef) and _starts(s, prefix):
                    self.types.setdefault(s, set()).add(o)
            elif _same(p, sub_class):
                self.class_links.setdefault(s, set()).add(o)

    def organization_classes(self) -> set:
        """``kgo:Organization`` and every class under it, by the links known so far."""
        return _below(self.class_links, KGO.Organization)

    def within(self, node) -> set:
        """``node`` and every node it reaches by ``kgo:subEventOf`` (``kgo:subEventOf*``)."""
        return {node} | _above(self.parents, node)

    def triples(self) -> set[tuple]:
        """``(event, kgo:topEvent, top)`` and ``(event, kgo:withinEvent, ancestor)`` for every
        minted event, ``(participant, kgo:appearsAt, event)`` for every minted participant,
        ``(organisation, kgo:organizationKind, class)`` for every minted organisation; the
        objects are IRIs."""
        out: set[tuple] = set()
        within_of: dict = {}  # minted event -> the IRIs it is within
        for node in self.events:
            if isinstance(node, URIRef) and _starts(node, self.prefix):
                within = within_of[node] = {e for e in self.within(node) if isinstance(e, URIRef)}
                out.update((node, KGO.withinEvent, e) for e in within)
                out.update((node, KGO.topEvent, e) for e in within if not self.parents.get(e))
        for part, agents in self.participants.items():
            at = set().union(*(within_of.get(e, ()) for e in self.event_of.get(part, ())))
            out.update((agent, KGO.appearsAt, e) for agent in agents for e in at)
        organization = self.organization_classes()
        above = {c: _above(self.class_links, c) for c in organization}
        for node, types in self.types.items():
            out.update((node, KGO.organizationKind, c) for c in _most_specific(types, organization, above)
                       if isinstance(c, URIRef))
        return out




def _feed(collect: GraphShortcuts, triples) -> None:
    """Feed ``collect`` from ``triples(s, p, o)`` (a pattern lookup over every graph): the
    class links first, so that the types read are those of every organisation class."""
    collect.add(triples(None, RDFS.subClassOf, None))
    collect.kept_classes = collect.organization_classes()
    collect.add(triples(None, KGO.subEventOf, None))
    collect.add(triples(None, KGO.event, None))
    collect.add(triples(None, KGO.participant, None))
    for cls in collect.classes | collect.organization_classes():
        collect.add(triples(None, RDF.type, cls))


def graph_event_and_kind_shortcuts(graphs: Iterable, ontology, resource_prefix: str) -> set[tuple]:
    """:class:`GraphShortcuts` of rdflib graphs, reading only the triples it needs."""
    graphs = list(graphs)

    def triples(s, p, o):
        for graph in graphs:
            yield from graph.triples((s, p, o))

    collect = GraphShortcuts(resource_prefix, event_classes(ontology), ontology)
    _feed(collect, triples)
    return collect.triples()


def graph_top_events(graphs: Iterable, ontology, resource_prefix: str) -> set[tuple]:
    """The ``kgo:topEvent`` triples of rdflib graphs."""
    return {t for t in graph_event_and_kind_shortcuts(graphs, ontology, resource_prefix) if t[1] == KGO.topEvent}


def graph_shortcuts(graphs: Iterable, ontology, resource_prefix: str) -> set[tuple]:
    """Every query shortcut of rdflib graphs (the asserted and inferred ones): name keys, top
    events, the events each event is within and the organisations' kinds."""
    graphs = list(graphs)
    return graph_name_keys(graphs, resource_prefix) | graph_event_and_kind_shortcuts(graphs, ontology, resource_prefix)


def add_shortcuts(store, graph_iri: str, resource_prefix: str) -> int:
    """Add every query shortcut of everything in a pyoxigraph ``store`` (all its graphs; its
    ontology graph gives the classes) to its named graph ``graph_iri``: the name keys
    (:func:`add_name_keys`), then the top events, the events each event is within and the
    organisations' kinds. Returns how many triples there are."""
    import pyoxigraph as ox

    from .store_terms import to_rdflib

    count = add_name_keys(store, graph_iri, resource_prefix)

    def triples(s, p, o):
        for q in store.quads_for_pattern(None, ox.NamedNode(str(p)),
                                         None if o is None else ox.NamedNode(str(o)), None):
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)

    sub_class = ox.NamedNode(str(RDFS.subClassOf))
    classes, todo = {KGO.Event}, [KGO.Event]
    while todo:
        for q in store.quads_for_pattern(None, sub_class, ox.NamedNode(str(todo.pop())), None):
            s = to_rdflib(q.subject)
            if isinstance(s, URIRef) and s not in classes:
                classes.add(s)
                todo.append(s)
    collect = GraphShortcuts(resource_prefix, frozenset(classes))
    _feed(collect, triples)
    found = collect.triples()
    target = ox.NamedNode(graph_iri)
    store.extend([ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)), target)
                  for s, p, o in found])
    return count + len(found)
