"""Resolution in partitions: kg.resolve's rules, run stage by stage on blocks of the corpus.

The rules run in four stages, in the order kg.resolve.rules.RULES runs them: same name (all
kinds, each normalised name a block of its own), organisations (aliases, acronyms, initials,
cores, short names), people (name variants, which read the organisations' final clusters
and the events' same-name clusters) and events (editions, the same event told twice, which
read the people's final clusters). Each stage takes the connected components of its keys
(kg.cluster.keys) as partitions: a partition holds every node its rules join or compare, and
reads the clusters of other kinds (the neighbours that make a name variant or the same
event) as they stood when the stage began, so each partition's run gives what the run over
the whole corpus gives, and no process ever holds every mention.

Two sides pass records through the work folder (kg.cluster.exchange):

- the article side (``ArticleSide``, one per partition of the articles by hash) keeps each
  node's cluster, its root's kind and name, and the links that joined it;
- the block side (:func:`run_block`) runs one stage's rules over the records routed to it
  and sends each node's new cluster back to its article's partition."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..model import Affiliation, ArticleExtraction, Entity, Kind, Participation, Role, Span
from ..resolve.clusters import Clusters, Link, Node
from ..resolve.rules import (
    event_editions,
    org_aliases,
    org_cores,
    org_expansions,
    org_initials,
    org_short_names,
    person_variants,
    same_events,
    same_name,
    spelled_acronyms,
)
from . import keys

NO_SPAN = Span(0, 0, "", 0)


@dataclass(frozen=True)
class Stage:
    name: str
    kinds: frozenset[Kind]
    rules: tuple[Callable[[Clusters], None], ...]
    blocked: bool = True  # routed by the components of its keys (else by the anchor alone)


STAGES = (
    Stage("same-name", frozenset(Kind), (same_name,), blocked=False),
    Stage("organisations", frozenset({Kind.ORGANIZATION}),
          (org_aliases, org_expansions, org_initials, org_cores, org_short_names)),
    Stage("people", frozenset({Kind.PERSON}), (person_variants,)),
    Stage("events", frozenset({Kind.EVENT}), (event_editions, same_events)),
)


@dataclass
class SlimDoc:
    """What resolution reads of one article: no spans, no sentences, no figures."""

    article: str
    sha256: str
    published: str | None
    entities: list[Entity]
    affiliations: list[tuple[str, str]]  # (person id, org id)
    participations: list[tuple[str, str, str]]  # (event id, participant id, role)

    def relations(self) -> dict[str, tuple[list, list]]:
        """Entity id -> the (affiliations, participations) it takes part in, with their places."""
        index = self.__dict__.get("_relations")
        if index is None:
            index = {}
            for i, (person, org) in enumerate(self.affiliations):
                for x in {person, org}:
                    index.setdefault(x, ([], []))[0].append((i, person, org))
            for i, (event, who, role) in enumerate(self.participations):
                for x in {event, who}:
                    index.setdefault(x, ([], []))[1].append((i, event, who, role))
            self.__dict__["_relations"] = index
        return index

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_relations"}

    @classmethod
    def of(cls, doc: ArticleExtraction) -> SlimDoc:
        return cls(doc.article, doc.sha256, doc.published,
                   [replace(e, mentions=[]) for e in doc.entities],
                   [(a.person, a.org) for a in doc.affiliations],
                   [(p.event, p.participant, p.role.value) for p in doc.participations])


@dataclass
class Record:
    """One node as a block receives it."""

    node: Node
    ent: Entity
    article: str
    published: str | None
    index: int  # the entity's place in its article
    root: Node  # its cluster when the stage begins
    affiliations: list[tuple[int, str, str]] = field(default_factory=list)
    participations: list[tuple[int, str, str, str]] = field(default_factory=list)
    context: dict[str, Node] = field(default_factory=dict)  # partner id -> partner's cluster
    labels: dict[Node, tuple[Kind, str]] = field(default_factory=dict)  # cluster -> its root's kind, name
    extra: bool = False  # read for its name only (a person or place a short name may be)


class PartClusters(Clusters):
    """The clusters of one partition: the rules join its own nodes, and read the clusters of
    the nodes it was given as context (neighbours of other kinds) without joining them."""

    def __init__(self, docs: list[ArticleExtraction], context: dict[Node, Node],
                 labels: dict[Node, Entity], extra: list[Entity]) -> None:
        super().__init__(docs)
        self.context, self.labels, self.extra = context, labels, extra

    def has(self, node: Node) -> bool:
        return node in self.ents or node in self.context

    def find(self, x: Node) -> Node:
        if x not in self.parent and x in self.context:
            return self.context[x]
        return super().find(x)

    def entity(self, node: Node) -> Entity:
        return self.ents[node][1] if node in self.ents else self.labels[node]

    def readable(self) -> list[Entity]:
        return super().readable() + self.extra


@dataclass
class ArticleSide:
    """One partition of the articles: their slim extractions and each node's cluster."""

    docs: dict[str, SlimDoc] = field(default_factory=dict)
    roots: dict[Node, Node] = field(default_factory=dict)
    labels: dict[Node, tuple[Kind, str]] = field(default_factory=dict)  # node -> its root's kind, name
    links: dict[Node, list[Link]] = field(default_factory=dict)  # links a node made, by its first end

    def __getstate__(self) -> dict:  # the articles never change: they are kept apart, once
        return {k: v for k, v in self.__dict__.items() if k != "docs"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, docs={})

    def add(self, doc: ArticleExtraction) -> None:
        slim = SlimDoc.of(doc)
        self.docs[doc.sha256] = slim
        for ent in slim.entities:
            node = (doc.sha256, ent.id)
            self.roots[node] = node
            self.labels[node] = (ent.kind, ent.name)

    def nodes(self, kinds: frozenset[Kind]):
        """(node, entity, index, doc) of every node of these kinds."""
        for sha in sorted(self.docs):
            doc = self.docs[sha]
            for i, ent in enumerate(doc.entities):
                if ent.kind in kinds:
                    yield (sha, ent.id), ent, i, doc

    def record(self, node: Node, ent: Entity, index: int, doc: SlimDoc, extra: bool = False,
               relations: bool = True) -> Record:
        """A node with the relations it takes part in and its partners' clusters."""
        rec = Record(node, ent, doc.article, doc.published, index, self.roots[node], extra=extra)
        if extra or not relations:
            return rec
        affs, parts = doc.relations().get(ent.id, ([], []))
        rec.affiliations, rec.participations = list(affs), list(parts)
        partners = {x for _, *xs in affs for x in xs} | {x for _, e, w, _ in parts for x in (e, w)}
        for local in sorted(partners):
            if (doc.sha256, local) not in self.roots:
                continue  # an id the article's entities do not have
            root = self.roots[(doc.sha256, local)]
            rec.context[local] = root
            rec.labels[root] = self.labels[(doc.sha256, local)]
        return rec

    def signatures(self, stage: Stage):
        """The signature of every node of the stage (and, for the organisations, of the
        people and places whose names a short form must not be): its keys, anchor first.
        They depend on the entities alone, so every stage's are known from the start."""
        for node, ent, _, doc in self.nodes(stage.kinds):
            if stage.name == "organisations":
                sig = keys.org_keys(ent)
            elif stage.name == "people":
                sig = keys.person_keys(ent)
            else:
                sig = keys.event_keys(ent, doc.published)
            yield ((keys.anchor(node, ent), keys.BOTH), *sig)
        if stage.name == "organisations":
            for _, ent, _, _ in self.nodes(frozenset({Kind.PERSON, Kind.PLACE})):
                yield tuple(keys.name_keys(ent))

    def records(self, stage: Stage):
        """(anchor, record) of every node :meth:`signatures` gives a signature, with the
        clusters as they stand now."""
        for node, ent, i, doc in self.nodes(stage.kinds):
            yield keys.anchor(node, ent), self.record(node, ent, i, doc)
        if stage.name == "organisations":
            for node, ent, i, doc in self.nodes(frozenset({Kind.PERSON, Kind.PLACE})):
                yield keys.name_keys(ent)[0][0], self.record(node, ent, i, doc, extra=True)

    def merge(self, results: list[tuple[Node, Node, tuple[Kind, str], list[Link]]]) -> None:
        """Take a stage's outcome: each node's new cluster and the links it made."""
        for node, root, label, links in results:
            self.roots[node] = root
            self.labels[node] = label
            if links:
                self.links.setdefault(node, []).extend(links)


def docs_of(records: list[Record]) -> tuple[list[ArticleExtraction], dict[Node, Node],
                                            dict[Node, Entity], list[Entity]]:
    """Rebuild the (slim) articles of a block's records, as kg.resolve's rules read them: the
    block's nodes as their entities, in their articles' order, with the relations they take
    part in; the partners' clusters as context."""
    by_doc: dict[str, list[Record]] = {}
    extra: list[Entity] = []
    context: dict[Node, Node] = {}
    labels: dict[Node, Entity] = {}
    for rec in records:
        if rec.extra:
            extra.append(rec.ent)
            continue
        by_doc.setdefault(rec.node[0], []).append(rec)
        for local, root in rec.context.items():
            context[(rec.node[0], local)] = root
        for root, (kind, name) in rec.labels.items():
            labels[root] = Entity(id=root[1], kind=kind, name=name)
    docs = []
    for sha, recs in by_doc.items():
        recs = sorted(recs, key=lambda r: r.index)
        affs = sorted({a for r in recs for a in r.affiliations})
        parts = sorted({p for r in recs for p in r.participations})
        docs.append(ArticleExtraction(
            article=recs[0].article, sha256=sha, title="", published=recs[0].published,
            text_length=0, entities=[r.ent for r in recs],
            affiliations=[Affiliation(p, o, "", NO_SPAN) for _, p, o in affs],
            participations=[Participation(e, w, Role(role), NO_SPAN) for _, e, w, role in parts]))
    docs.sort(key=lambda d: (d.article, d.sha256))
    own = {(d.sha256, e.id) for d in docs for e in d.entities}
    for node in [n for n in context if n in own]:
        del context[node]  # a partner that is a node of the block is read through the block
    return docs, context, labels, extra


def run_block(stage: Stage, records: list[Record]) -> tuple[list, list[keys.Signature]]:
    """Run one stage's rules over a block's records. Returns each node's (node, root, root's
    (kind, name), links it made) and, for the organisations, the keys its readings gained
    once the block knew which acronyms stand for one organisation (see :func:`derived_keys`)."""
    docs, context, labels, extra = docs_of(records)
    c = PartClusters(docs, context, labels, extra)
    for rec in records:
        if rec.extra or rec.root == rec.node:
            continue
        if rec.root not in c.ents:
            raise AssertionError(f"blocking lost a cluster: {rec.node} joined {rec.root}, which "
                                 f"its partition does not hold")
        c.parent[rec.node] = rec.root
    derived: list[keys.Signature] = []
    for rule in stage.rules:
        if rule is org_expansions:
            derived = derived_keys(c)
        rule(c)
    by_first: dict[Node, list[Link]] = {}
    for link in c.links:
        by_first.setdefault(link.a, []).append(link)
    out = []
    for node, _ in c.ordered():
        root = c.find(node)
        ent = c.entity(root)
        out.append((node, root, (ent.kind, ent.name), by_first.get(node, [])))
    return out, derived


def derived_keys(c: Clusters) -> list[keys.Signature]:
    """The readings of each organisation with the acronyms this block can spell out, as
    signatures: two blocks whose names read the same once spelled out must be one."""
    spelled = spelled_acronyms(c)
    if not spelled:
        return []
    out = []
    for node, (_, ent) in c.ordered():
        if ent.kind is Kind.ORGANIZATION:
            head = keys.anchor(node, ent)
            out.append(((head, keys.BOTH), *keys.org_keys(ent, spelled)))
    return out
