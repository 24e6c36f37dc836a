"""The entity network: the RDF graph projected as a network of entities. One node per person, organisation,
event, place and work; the n-ary affiliation, participation and organizing nodes become
labelled edges ("deputy director", "keynote speaker", "host"), and sub-event, sub-organisation
and location links become plain edges. The view (kg.viz) and the analytics (kg.stats) read
this projection, never the triples."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import UnknownEntity
from .graphs import KnowledgeGraph
from .vocab import KGO

MAX_SOURCES = 6  # source sentences kept per node or edge
MAX_FACTS = 24  # figures kept per subject, with their numbers (the page draws them)
_TERMS: dict[str, URIRef] = {}  # NodeClass value -> ontology class, filled on first use


class NodeClass(str, Enum):
    """The top classes that become nodes of the projection, in legend order."""

    PERSON = "person"
    ORGANIZATION = "organization"
    EVENT = "event"
    PLACE = "place"
    WORK = "work"
    COLLECTIVE = "collective"

    @property
    def term(self) -> URIRef:
        """The ontology class (looked up once: the closed namespace's attributes are slow)."""
        if not _TERMS:
            _TERMS.update({"person": KGO.Person, "organization": KGO.Organization,
                           "event": KGO.Event, "place": KGO.Place, "work": KGO.Work,
                           "collective": KGO.Collective})
        return _TERMS[self.value]


class Relation(str, Enum):
    """Kinds of edge of the projection."""

    AFFILIATION = "affiliation"  # person -> organisation, labelled with the title
    PARTICIPATION = "participation"  # agent -> event, labelled with the role
    ORGANIZING = "organizing"  # organisation -> event, labelled with the role
    SUB_EVENT = "sub-event of"  # event -> parent event
    SUB_ORGANIZATION = "part of"  # organisation -> parent organisation
    LOCATION = "held in"  # event -> place


@dataclass(frozen=True)
class Source:
    """A sentence that states a fact, and the article it stands in."""

    article: str
    sentence: str


def _text(value: Node | None) -> str:
    return str(value) if value is not None else ""


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Terms:
    """Terms read in the projector's inner loops, as plain attributes: a closed namespace's
    attribute lookup costs microseconds, which adds up over 100k statements."""

    def __init__(self) -> None:
        self.label, self.altLabel = RDFS.label, SKOS.altLabel
        self.evidence, self.sentence, self.inArticle = KGO.evidence, KGO.sentence, KGO.inArticle
        self.statedIn, self.mentionedIn, self.fileName = KGO.statedIn, KGO.mentionedIn, KGO.fileName
        self.date, self.person, self.organization = KGO.date, KGO.person, KGO.organization
        self.jurisdiction = KGO.jurisdiction
        self.title, self.atEvent, self.event, self.role = KGO.title, KGO.atEvent, KGO.event, KGO.role
        self.subject, self.hasValue, self.valueText = KGO.subject, KGO.hasValue, KGO.valueText
        self.year, self.measure = KGO.year, KGO.measure
        self.numericValue, self.unit = KGO.numericValue, KGO.unit


class _Projector:
    """Reads the asserted graph once and fills a MultiDiGraph."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.g: Graph = kg.asserted
        self.onto: Graph = kg.ontology
        self.out = nx.MultiDiGraph()
        self.t = _Terms()
        self._top: dict[URIRef, NodeClass | None] = {}
        self._articles: dict[URIRef, str] = {}
        self._index: dict[URIRef, dict[Node, list[Node]]] = {}
        self._labels: dict[Node, str] = {}
        self._units: dict[Node, str] = {}

    # -- lookups: one pass over the graph per property, then dictionary hits ---------------
    def objs(self, subject: Node | None, prop: URIRef) -> list[Node]:
        """The objects of ``subject prop ?o``, sorted (rdflib's per-call lookups are slow
        over tens of thousands of statements)."""
        if prop not in self._index:
            index: dict[Node, list[Node]] = {}
            for s, o in self.g.subject_objects(prop):
                index.setdefault(s, []).append(o)
            for values in index.values():
                values.sort()
            self._index[prop] = index
        return self._index[prop].get(subject, []) if subject is not None else []

    def one(self, subject: Node | None, prop: URIRef) -> Node | None:
        """The first object of ``subject prop ?o``, or None."""
        found = self.objs(subject, prop)
        return found[0] if found else None

    # -- classes -------------------------------------------------------------------------
    def top_class(self, cls: URIRef) -> NodeClass | None:
        """The node class a (possibly specific) ontology class falls under, if any."""
        if cls not in self._top:
            ancestors = {cls} | set(self.onto.transitive_objects(cls, RDFS.subClassOf))
            self._top[cls] = next((nc for nc in NodeClass if nc.term in ancestors), None)
        return self._top[cls]

    def class_label(self, term: Node | None) -> str:
        """The ontology's label of a class or a role (its local name if it has none)."""
        if term is None:
            return ""
        if term not in self._labels:
            label = self.onto.value(term, self.t.label)
            self._labels[term] = _text(label) if label is not None else _local(term)
        return self._labels[term]

    def article_name(self, article: URIRef | None) -> str:
        if article is None:
            return ""
        if article not in self._articles:
            name = self.one(article, self.t.fileName) or self.one(article, self.t.label)
            self._articles[article] = _text(name) or _local(article)
        return self._articles[article]

    def sources(self, statement: URIRef) -> list[Source]:
        found = []
        for span in self.objs(statement, self.t.evidence):
            sentence = self.one(span, self.t.sentence)
            article = self.one(span, self.t.inArticle) or self.one(statement, self.t.statedIn)
            if sentence is not None:
                found.append(Source(self.article_name(article), _text(sentence)))
        if not found:
            article = self.one(statement, self.t.statedIn)
            if article is not None:
                found.append(Source(self.article_name(article), ""))
        return found

    # -- nodes ---------------------------------------------------------------------------
    def nodes(self) -> None:
        for subject, cls in sorted(self.g.subject_objects(RDF.type)):
            if not isinstance(subject, URIRef) or not isinstance(cls, URIRef):
                continue
            top = self.top_class(cls)
            if top is None:
                continue
            key = str(subject)
            if key in self.out:
                data = self.out.nodes[key]
                if cls != top.term and data["kind"] == top.value:
                    data["kind"] = self.class_label(cls)  # keep the more specific kind
                continue
            label = self.one(subject, self.t.label)
            self.out.add_node(
                key, label=_text(label) or _local(subject), cls=top.value,
                kind=self.class_label(cls) if cls != top.term else top.value,
                aliases=sorted({_text(a) for a in self.objs(subject, self.t.altLabel)}),
                articles=sorted({self.article_name(a) for a in self.objs(subject, self.t.mentionedIn)}),
                titles=[], sources=[], figures=[], facts=[],
                date=_text(self.one(subject, self.t.date)))

    def _add_source(self, node: str, sources: list[Source]) -> None:
        kept = self.out.nodes[node]["sources"]
        for s in sources:
            if s.sentence and s not in kept and len(kept) < MAX_SOURCES:
                kept.append(s)

    def edge(self, src: Node | None, dst: Node | None, relation: Relation, label: str, key: str,
             sources: list[Source] | None = None, event: Node | None = None) -> None:
        """Add an edge between two projected nodes (ignored when either end is missing)."""
        src, dst = str(src), str(dst)
        if src not in self.out or dst not in self.out or src == dst:
            return
        sources = sources or []
        at = str(event) if event is not None and str(event) in self.out else ""
        self.out.add_edge(src, dst, key=key, relation=relation.value, label=label,
                          event=self.label_of(event) if at else "", at=at,
                          sources=sources[:MAX_SOURCES])
        self._add_source(src, sources)
        self._add_source(dst, sources)

    # -- edges ---------------------------------------------------------------------------
    def label_of(self, node: Node | None) -> str:
        key = str(node)
        return self.out.nodes[key]["label"] if key in self.out else ""

    def affiliations(self) -> None:
        for stmt in sorted(set(self.g.subjects(RDF.type, KGO.Affiliation))):
            person = self.one(stmt, self.t.person)
            org = self.one(stmt, self.t.organization) or self.one(stmt, self.t.jurisdiction)
            title = _text(self.one(stmt, self.t.title))
            event = self.one(stmt, self.t.atEvent)
            self.edge(person, org, Relation.AFFILIATION, title, str(stmt), self.sources(stmt),
                      event=event)
            if str(person) in self.out and title:
                org_label = self.label_of(org)
                entry = f"{title}, {org_label}" if org_label else title
                titles = self.out.nodes[str(person)]["titles"]
                if entry not in titles:
                    titles.append(entry)

    def participations(self) -> None:
        for cls, who, relation in ((KGO.Participation, KGO.participant, Relation.PARTICIPATION),
                                   (KGO.Organizing, KGO.organizer, Relation.ORGANIZING)):
            for stmt in sorted(set(self.g.subjects(RDF.type, cls))):
                agent, event = self.one(stmt, who), self.one(stmt, self.t.event)
                roles = sorted(self.class_label(r) for r in self.objs(stmt, self.t.role))
                label = ", ".join(r for r in roles if r) or relation.value
                self.edge(agent, event, relation, label, str(stmt), self.sources(stmt))

    def links(self) -> None:
        for prop, relation in ((KGO.subEventOf, Relation.SUB_EVENT),
                               (KGO.subOrganizationOf, Relation.SUB_ORGANIZATION),
                               (KGO.location, Relation.LOCATION)):
            for s, o in sorted(self.g.subject_objects(prop)):
                self.edge(s, o, relation, relation.value, f"{s} {prop} {o}")

    def observations(self) -> None:
        """Figures go into the tooltip of the node they are about (text), and with their
        numbers into its facts (the page's optional figure nodes and charts)."""
        for obs in sorted(set(self.g.subjects(RDF.type, KGO.Observation))):
            subject = str(self.one(obs, self.t.subject))
            if subject not in self.out:
                continue
            values = []
            for v in self.objs(obs, self.t.hasValue):
                number = self.one(v, self.t.numericValue)
                values.append({"text": _text(self.one(v, self.t.valueText)),
                               "number": float(number) if number is not None else None,
                               "unit": self.unit_name(self.one(v, self.t.unit))})
            values.sort(key=lambda v: (v["text"], v["unit"]))
            year = self.one(obs, self.t.year)
            measure = _text(self.one(obs, self.t.measure))
            text = f"{measure}: {' / '.join(v['text'] for v in values if v['text'])}"
            if year is not None:
                text += f" ({year})"
            node = self.out.nodes[subject]
            if text not in node["figures"] and len(node["figures"]) < MAX_SOURCES:
                node["figures"].append(text)
            if len(node["facts"]) < MAX_FACTS and all(f["text"] != text for f in node["facts"]):
                node["facts"].append({"text": text, "measure": measure, "values": values,
                                      "year": int(str(year)[:4]) if year is not None else None,
                                      "sources": self.sources(obs)[:1]})

    def unit_name(self, unit: Node | None) -> str:
        """A unit's notation ("CNY", "percent"), or its local name."""
        if unit is None:
            return ""
        if unit not in self._units:
            notation = self.onto.value(unit, SKOS.notation)
            self._units[unit] = _text(notation) if notation is not None else _local(unit)
        return self._units[unit]


def project(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The entity network of a knowledge graph (asserted triples, read with the ontology).

    Node keys are IRIs (strings); node attributes: label, cls (a NodeClass value), kind,
    aliases, articles, titles, sources (Source list), figures (text), facts (figures with
    measure, year and values: text, number, unit), date. Edge attributes: relation (a
    Relation value), label, event (the label of the event an affiliation is tied to) and at
    (its key, or ""), sources."""
    p = _Projector(kg)
    p.nodes()
    p.affiliations()
    p.participations()
    p.links()
    p.observations()
    return p.out


def simple(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph beneath a projection (for centrality and communities)."""
    out = nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    out.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return out


def top_level(g: nx.MultiDiGraph, event: str) -> str:
    """The outermost event an event belongs to (following sub-event-of links; cycles stop)."""
    seen = {event}
    while True:
        parents = sorted(v for _, v, d in g.out_edges(event, data=True)
                         if d["relation"] == Relation.SUB_EVENT.value and v not in seen)
        if not parents:
            return event
        event = parents[0]
        seen.add(event)


def events_of(g: nx.MultiDiGraph, person: str) -> dict[str, set[str]]:
    """The top-level events a person is seen at, each with the articles that say so: by
    taking part in it (or in one of its sub-events), or by a post the article ties to it."""
    found: dict[str, set[str]] = {}
    for _, target, e in g.out_edges(person, data=True):
        if e["relation"] == Relation.PARTICIPATION.value:
            event = target
        elif e["relation"] == Relation.AFFILIATION.value and e.get("at"):
            event = e["at"]
        else:
            continue
        found.setdefault(top_level(g, event), set()).update(s.article for s in e["sources"])
    return found


def find(g: nx.MultiDiGraph, label: str) -> list[str]:
    """Nodes whose label or an alias equals ``label`` (case-insensitive, spaces normalised)."""
    want = " ".join(label.split()).casefold()
    return sorted(n for n, d in g.nodes(data=True)
                  if want in {" ".join(x.split()).casefold() for x in [d["label"], *d["aliases"]]})


def close_matches(g: nx.MultiDiGraph, label: str, n: int = 5) -> list[str]:
    """Labels and aliases that look like ``label``: similar strings first, then substrings."""
    names = sorted({x for _, d in g.nodes(data=True) for x in [d["label"], *d["aliases"]]})
    by_fold = {}
    for name in names:
        by_fold.setdefault(name.casefold(), name)
    want = label.casefold().strip()
    similar = difflib.get_close_matches(want, list(by_fold), n=n, cutoff=0.6)
    contained = [f for f in by_fold if want and (want in f or f in want) and f not in similar]
    return [by_fold[f] for f in (similar + contained)[:n]]


def ego(g: nx.MultiDiGraph, label: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of the entity named ``label`` (edges in either
    direction), with the edges among them. Raises UnknownEntity, naming close matches."""
    centres = find(g, label)
    if not centres:
        near = close_matches(g, label)
        hint = f"; close matches: {', '.join(repr(x) for x in near)}" if near else ""
        raise UnknownEntity(f"no entity labelled {label!r} in the graph{hint}")
    undirected = g.to_undirected(as_view=True)
    keep: set[str] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=max(0, depth)))
    sub = g.subgraph(keep).copy()
    for centre in centres:
        sub.nodes[centre]["focus"] = True
    return sub


def cap(g: nx.MultiDiGraph, limit: int) -> tuple[nx.MultiDiGraph, int]:
    """Keep the ``limit`` nodes of highest degree (focus nodes first; ties by label, for a
    stable page); return the kept graph and how many nodes were left out."""
    if limit <= 0 or g.number_of_nodes() <= limit:
        return g, 0
    ranked = sorted(g.nodes, key=lambda n: (not g.nodes[n].get("focus"), -g.degree(n),
                                            g.nodes[n]["label"].casefold(), n))
    kept = g.subgraph(ranked[:limit]).copy()
    return kept, g.number_of_nodes() - limit

