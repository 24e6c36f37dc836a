"""One entity's page, as data: the small graph the internal queries of queries/entity.rq read
(run in a ``kg serve`` worker, the entity's IRI bound as an RDF term), and what the page shows
of it: names, kind, the statements about it in sections (posts, events and roles, figures,
merge decisions...), each with its source sentences and articles, its links to other
entities, and its neighbours.

Everything here is plain data (strings, links); kg.workbench.entity_page turns it into HTML,
escaping every string."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .. import io, query
from ..errors import QueryError
from ..graphs import load_ontology
from ..network import NodeClass
from ..vocab import KGO

MAX_TRIPLES = 50_000  # an entity's page reads at most this many triples
MAX_ROWS = 300  # rows shown per section; the rest are counted

# what points at an entity (and what the page follows): kept in step with queries/entity.rq
LINKS = (KGO.person, KGO.organization, KGO.jurisdiction, KGO.atEvent, KGO.participant, KGO.event,
         KGO.organizer, KGO.subject, KGO.mergedInto, KGO.statedIn, KGO.subEventOf,
         KGO.subOrganizationOf, KGO.location, KGO.author, KGO.mentionedIn)
STATEMENTS = (KGO.Affiliation, KGO.Participation, KGO.Organizing, KGO.Observation, KGO.MergeDecision)


@lru_cache(maxsize=1)
def entity_queries() -> tuple[query.NamedQuery, ...]:
    """The queries of queries/entity.rq, one per part (parts start at ``#---`` lines), each
    with the file's prefixes and parameter."""
    path = Path(__file__).resolve().parent / "queries" / "entity.rq"
    text = io.read_text(path)
    header = query.parse_header("entity", path, text)
    prologue = "\n".join(line for line in text.splitlines() if line.startswith("PREFIX "))
    body = text[text.index("CONSTRUCT"):]
    out = []
    for n, part in enumerate(body.split("\n#---")):
        part = part[part.index("CONSTRUCT"):]
        out.append(query.NamedQuery(f"entity-{n}", path, f"{prologue}\n{part}", header.title,
                                    header.description, list(header.params)))
    return tuple(out)


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The ontology the page reads class, role, unit and property names from."""
    return load_ontology()


def fetch(engine, iri: str) -> Graph:
    """The triples about ``iri`` that its page reads, from the engine of a kg serve worker
    (the IRI bound as an RDF term); at most MAX_TRIPLES."""
    graph = Graph()
    for named in entity_queries():
        answer = engine.run_named(named, {"entity": iri}, max_rows=MAX_TRIPLES)
        graph += answer.graph
        if len(graph) > MAX_TRIPLES:
            raise QueryError(f"the page of {iri} would read more than {MAX_TRIPLES} triples; "
                             "query it with the sources query instead")
    return graph


@dataclass(frozen=True)
class Link:
    """A name and where it leads: an entity page (``href``), or nowhere (None)."""

    text: str
    href: str | None = None
    note: str = ""  # a kind, a headline: shown beside or on hover


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the article, the sentence, character offsets into the
    article, and the words of the sentence to mark (a figure's value)."""

    article: Link
    sentence: str
    start: int | None = None
    end: int | None = None
    marks: tuple[str, ...] = ()


@dataclass
class Row:
    cells: list[list[Link]]
    sources: list[Source]
    statement: str


@dataclass
class Section:
    """A table of statements, grouped by the article that states them."""

    key: str
    heading: str
    columns: list[str]
    groups: list[tuple[Link, list[Row]]] = field(default_factory=list)
    total: int = 0
    shown: int = 0


@dataclass
class Entity:
    iri: str
    label: str
    kind: str
    cls: str  # a NodeClass value, "article", or "" for anything else
    aliases: list[str]
    facts: list[tuple[str, list[Link]]]  # "Date": [...], "Part of": [...]
    sections: list[Section]
    neighbours: list[Link]
    found: bool  # whether the graph holds anything about the IRI


class Reader:
    """Reads the fetched graph of one entity (and the ontology) into an :class:`Entity`."""

    def __init__(self, graph: Graph, iri: str, href: Callable[[str], str | None]) -> None:
        self.g, self.node, self.href = graph, URIRef(iri), href
        self.onto = ontology()
        self._classes: dict[Node, tuple[str, str]] = {}
        self._entities: set[Node] = set()  # the entities linked so far

    # -- names ------------------------------------------------------------------------------
    def label(self, node: Node) -> str:
        value = self.g.value(node, KGO.fileName) or self.g.value(node, RDFS.label)
        if value is None:
            value = self.onto.value(node, RDFS.label) or self.onto.value(node, SKOS.notation)
        text = str(node) if value is None else str(value)
        return text.rsplit("#", 1)[-1] if value is None else text

    def classify(self, node: Node) -> tuple[str, str]:
        """(class, kind) of a node: class a NodeClass value, "article", "statement" or "";
        kind the ontology's label of its most specific class ("university", "sub-forum")."""
        if node not in self._classes:
            best: tuple[int, str, str] = (-1, "", "")
            for cls in self.g.objects(node, RDF.type):
                ancestors = {cls} | set(self.onto.transitive_objects(cls, RDFS.subClassOf))
                top = next((nc.value for nc in NodeClass if nc.term in ancestors), "")
                top = top or ("article" if KGO.Article in ancestors else
                              "statement" if KGO.Statement in ancestors or cls == KGO.MergeDecision else "")
                if top and len(ancestors) > best[0]:
                    best = (len(ancestors), top, str(self.onto.value(cls, RDFS.label) or cls))
            if not best[1] and (node, KGO.fileName, None) in self.g:  # an article read by its name only
                best = (0, "article", "article")
            self._classes[node] = best[1:]
        return self._classes[node]

    def link(self, node: Node) -> Link:
        if isinstance(node, Literal):
            return Link(str(node))
        cls, kind = self.classify(node)
        if cls in ("article", "statement"):
            if cls == "statement":
                return Link(kind)
            return Link(self.label(node), self.href(str(node)), str(self.g.value(node, KGO.headline) or ""))
        if cls:
            self._entities.add(node)
            return Link(self.label(node), self.href(str(node)), kind)
        return Link(self.label(node))  # an ontology term (a role, a unit) or a bare IRI

    # -- statements -------------------------------------------------------------------------
    def sources(self, statement: Node) -> list[Source]:
        out = []
        article = self.g.value(statement, KGO.statedIn) or self.g.value(statement, PROV.wasDerivedFrom)
        values = sorted(str(t) for v in self.g.objects(statement, KGO.hasValue)
                        for t in self.g.objects(v, KGO.valueText))
        for span in sorted(self.g.objects(statement, KGO.evidence)):
            sentence = self.g.value(span, KGO.sentence)
            where = self.g.value(span, KGO.inArticle) or article
            start, end = self.g.value(span, KGO.startOffset), self.g.value(span, KGO.endOffset)
            text = " ".join(str(sentence or "").split())
            out.append(Source(self.link(where) if where is not None else Link("?"), text,
                              int(start) if start is not None else None,
                              int(end) if end is not None else None,
                              tuple(v for v in values if v and v in text)))
        if not out and article is not None:
            out.append(Source(self.link(article), ""))
        return out

    def _marked(self, sources: list[Source], cells: list[list[Link]]) -> list[Source]:
        """The sources with the words to mark in their sentences: a figure's values, then
        this entity's name and the names and titles in the row (the first place each occurs:
        a reading aid, not the extractor's offsets)."""
        words = [self.label(self.node), *(lk.text for cell in cells for lk in cell if len(lk.text) > 2)]
        return [replace(s, marks=(*s.marks, *words)) for s in sources]

    def article_of(self, statement: Node) -> Link:
        article = self.g.value(statement, KGO.statedIn) or self.g.value(statement, PROV.wasDerivedFrom)
        return self.link(article) if article is not None else Link("no article")

    def objs(self, *props: URIRef) -> Callable[[Node], list[Link]]:
        def cell(statement: Node) -> list[Link]:
            found = [o for p in props for o in sorted(self.g.objects(statement, p))]
            return [self.link(o) for o in found]
        return cell

    def values(self, statement: Node) -> list[Link]:
        out = []
        for v in sorted(self.g.objects(statement, KGO.hasValue)):
            text = self.g.value(v, KGO.valueText)
            number = self.g.value(v, KGO.numericValue)
            out.append(Link(str(text if text is not None else number or ""), None,
                            f"{number}" if number is not None and text is not None else ""))
        return out

    def units(self, statement: Node) -> list[Link]:
        units = {self.g.value(v, KGO.unit) for v in self.g.objects(statement, KGO.hasValue)}
        return [self.link(u) for u in sorted(u for u in units if u is not None)]

    def post_events(self, statement: Node) -> list[Link]:
        """The event a post is tied to; else the events the same article reports this
        person at (as the graph page and kg stats count a post for an event)."""
        tied = self.objs(KGO.atEvent)(statement)
        if tied:
            return tied
        article = self.g.value(statement, KGO.statedIn)
        events = {e for p in self.g.subjects(KGO.participant, self.node)
                  if article is not None and (p, KGO.statedIn, article) in self.g
                  for e in self.g.objects(p, KGO.event)}
        links = sorted((self.link(e) for e in events), key=lambda lk: lk.text.casefold())
        return links + [Link("(same article)", None, "not tied to the event by the article: "
                             "the article reports the person there")] if links else []

    def kind_of(self, statement: Node) -> list[Link]:
        return [Link(self.classify(statement)[1] or "statement")]

    def others(self, statement: Node) -> list[Link]:
        """The entities a statement links, besides this one (articles, spans and values aside)."""
        ends = {o for p, o in self.g.predicate_objects(statement) if p in LINKS and o != self.node
                and p != KGO.statedIn}
        return sorted((self.link(o) for o in ends), key=lambda lk: lk.text.casefold())

    def specs(self) -> list[tuple[str, str, URIRef | None, tuple[URIRef, ...], list[tuple[str, Callable]]]]:
        """The sections: (key, heading, statement class or None for any, the properties from
        the statement to this entity, columns)."""
        org, title, role, event = (self.objs(KGO.organization, KGO.jurisdiction), self.objs(KGO.title),
                                   self.objs(KGO.role), self.objs(KGO.atEvent))
        return [
            ("posts", "Posts", KGO.Affiliation, (KGO.person,),
             [("Post", title), ("Institution", org), ("At event", self.post_events)]),
            ("posts-here", "People with posts here", KGO.Affiliation, (KGO.organization, KGO.jurisdiction),
             [("Person", self.objs(KGO.person)), ("Post", title), ("At event", event)]),
            ("posts-at", "Posts held at this event", KGO.Affiliation, (KGO.atEvent,),
             [("Person", self.objs(KGO.person)), ("Post", title), ("Institution", org)]),
            ("events", "Events and roles", KGO.Participation, (KGO.participant,),
             [("Event", self.objs(KGO.event)), ("Role", role)]),
            ("participants", "Participants", KGO.Participation, (KGO.event,),
             [("Participant", self.objs(KGO.participant)), ("Role", role)]),
            ("organises", "Events it organises", KGO.Organizing, (KGO.organizer,),
             [("Event", self.objs(KGO.event)), ("Role", role)]),
            ("organisers", "Organisers", KGO.Organizing, (KGO.event,),
             [("Organiser", self.objs(KGO.organizer)), ("Role", role)]),
            ("figures", "Figures", KGO.Observation, (KGO.subject,),
             [("Measure", self.objs(KGO.measure)), ("Value", self.values), ("Unit", self.units),
              ("Year", self.objs(KGO.year))]),
            ("merges", "Merge decisions", KGO.MergeDecision, (KGO.mergedInto,),
             [("Name merged", self.objs(KGO.mergedName)), ("Reason", self.objs(KGO.mergeReason)),
              ("Score", self.objs(KGO.mergeScore)), ("Evidence", self.objs(KGO.mergeEvidence))]),
            ("stated", "Statements in this article", None, (KGO.statedIn,),
             [("Statement", self.kind_of), ("Who or what", self.others),
              ("Title or role", self.objs(KGO.title, KGO.role, KGO.measure))]),
        ]

    def sections(self) -> list[Section]:
        out, placed = [], set()
        for key, heading, cls, props, columns in self.specs():
            rows = []
            for prop in props:
                for s in sorted(set(self.g.subjects(prop, self.node))):
                    if s in placed or (cls is not None and (s, RDF.type, cls) not in self.g) or \
                            self.classify(s)[0] != "statement":
                        continue
                    placed.add(s)
                    cells = [f(s) for _, f in columns]
                    rows.append((self.article_of(s), Row(cells, self._marked(self.sources(s), cells), str(s))))
            if rows:
                out.append(_section(key, heading, [name for name, _ in columns], rows))
        rest = [(self.article_of(s), Row([self.kind_of(s), [Link(self.label(p))], self.others(s)],
                                         self.sources(s), str(s)))
                for p in LINKS for s in sorted(set(self.g.subjects(p, self.node)))
                if s not in placed and self.classify(s)[0] == "statement"]
        if rest:
            out.append(_section("other", "Other statements", ["Statement", "Links it by", "Also names"], rest))
        return out

    # -- links between entities -------------------------------------------------------------
    def direct(self, prop: URIRef, incoming: bool) -> list[Node]:
        """The nodes linked by ``prop``; for the transitive links (sub-event, part of), only
        the nearest (the inferred closure also links a sub-forum to its forum's parent)."""
        found = set(self.g.subjects(prop, self.node) if incoming else self.g.objects(self.node, prop))
        found.discard(self.node)
        if prop in (KGO.subEventOf, KGO.subOrganizationOf):
            found = {x for x in found if not any(
                ((x, prop, y) if incoming else (y, prop, x)) in self.g for y in found if y != x)}
        return sorted(found, key=lambda n: self.label(n).casefold())

    def facts(self) -> list[tuple[str, list[Link]]]:
        date = self.g.value(self.node, KGO.date)
        rows: list[tuple[str, list[Link]]] = [("Date", [Link(str(date))])] if date is not None else []
        for name, prop, incoming in (
                ("Part of (event)", KGO.subEventOf, False), ("Sub-events", KGO.subEventOf, True),
                ("Held in", KGO.location, False), ("Events held here", KGO.location, True),
                ("Part of (organisation)", KGO.subOrganizationOf, False),
                ("Its parts", KGO.subOrganizationOf, True), ("Written by", KGO.author, False),
                ("Articles written", KGO.author, True), ("Names in this article", KGO.mentionedIn, True),
                ("Mentioned in", KGO.mentionedIn, False)):
            linked = [self.link(n) for n in self.direct(prop, incoming)]
            if linked:
                rows.append((name, linked))
        headline = self.g.value(self.node, KGO.headline)
        if headline is not None:
            rows.insert(0, ("Headline", [Link(str(headline))]))
        return rows

    def neighbours(self) -> list[Link]:
        """Every entity the page links to, by kind and name."""
        found = {self.link(n) for n in self._entities if n != self.node}
        return sorted(found, key=lambda lk: (lk.note, lk.text.casefold()))

    def read(self) -> Entity:
        cls, kind = self.classify(self.node)
        aliases = sorted({str(a) for a in self.g.objects(self.node, SKOS.altLabel)}, key=str.casefold)
        sections, facts = self.sections(), self.facts()
        return Entity(str(self.node), self.label(self.node), kind or "resource", cls, aliases, facts,
                      sections, self.neighbours(), found=(self.node, None, None) in self.g
                      or (None, None, self.node) in self.g)


def _section(key: str, heading: str, columns: list[str], rows: list[tuple[Link, Row]]) -> Section:
    """Rows grouped by article (articles by name), at most MAX_ROWS of them shown."""
    rows.sort(key=lambda r: (r[0].text.casefold(), [[lk.text.casefold() for lk in c] for c in r[1].cells]))
    section = Section(key, heading, columns, total=len(rows))
    for article, row in rows[:MAX_ROWS]:
        if not section.groups or section.groups[-1][0] != article:
            section.groups.append((article, []))
        section.groups[-1][1].append(row)
    section.shown = min(len(rows), MAX_ROWS)
    return section
