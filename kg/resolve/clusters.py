"""Clusters of mentions and the entities assembled from them (kg.resolve runs the rules of
kg.resolve.rules over them). Resolution is the one step that sees all articles: it clusters the per-article entities into
real-world entities, keeps their aliases, records why it merged what it merged (reason,
score and evidence, per merged name), and mints stable keys (the path part of each IRI)
from normalised names, so that rebuilding the same articles gives the same IRIs and adding
an unrelated article renames nothing.

The rules (kg.resolve.rules) run in a fixed order, each over the clusters the previous ones
left: same name; organisation aliases and acronyms; names read with acronyms spelled out or
"X of Y" as "Y X"; initials; company core names; short names; person name variants with
shared evidence; event editions; the same event told twice. docs/resolution.md explains them."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from ..model import ArticleExtraction, Entity, EventKind, Kind, OrgKind
from .names import is_acronym, org_tokens, person_tokens, slug, words

Node = tuple[str, str]  # (article sha256, local entity id)
KIND_PATH = {Kind.PERSON: "person", Kind.ORGANIZATION: "org", Kind.PLACE: "place",
              Kind.EVENT: "event", Kind.WORK: "work", Kind.COLLECTIVE: "group"}


class MergeReason(str, Enum):
    """Why a surface form was resolved into an entity."""

    SAME_NAME = "same-name"  # the same name after folding case, punctuation, "the", "Co., Ltd."
    ALIAS = "alias"  # one article gives the form as another name of the entity
    ACRONYM = "acronym"  # an acronym one article spells out
    INITIALS = "initials"  # an acronym that spells the initials of the name
    REORDERED = "reordered"  # "Institute X of University Y" / "University Y Institute X"
    CORE_NAME = "core-name"  # the same company name without "Group", "Holdings"...
    SHORT_NAME = "short-name"  # a leading part of the name ("Goldman" / "Goldman Sachs")
    NAME_VARIANT = "name-variant"  # a person's name with or without a middle or given name
    EDITION = "edition"  # "Harbour Forum" dated in 2024 / "2024 Harbour Forum"
    SAME_EVENT = "same-event"  # same date, shared participants
    CURATION = "curation"  # a user's curation file said so


@dataclass
class Merge:
    """Evidence that a surface form (as one article gives it) was resolved into an entity."""

    name: str
    article: str  # file name of the article that uses the form
    reason: MergeReason
    score: float  # 0..1: the weakest link between this form and the entity's label
    evidence: str = ""  # what the decision rests on, in words


@dataclass
class ResolvedEntity:
    """One real-world entity across all articles."""

    key: str  # the IRI path: "person/fang-hanting"
    kind: Kind
    name: str
    aliases: set[str] = field(default_factory=set)
    variants: set[str] = field(default_factory=set)  # the fullest forms other articles give (⊆ aliases)
    org_kind: OrgKind | None = None
    event_kind: EventKind | None = None
    named: bool = True
    date: str | None = None
    location: str | None = None  # key of a place
    parent: str | None = None  # key of the parent event
    part_of: str | None = None  # key of the parent organisation
    articles: set[str] = field(default_factory=set)  # sha256 of the articles that mention it
    merges: list[Merge] = field(default_factory=list)


@dataclass
class Resolution:
    """The resolved corpus: entities by key, and where each article's local ids went."""

    extractions: list[ArticleExtraction]
    entities: dict[str, ResolvedEntity]
    local: dict[Node, str]  # (article sha256, local id) -> entity key

    def key_of(self, article: ArticleExtraction, local_id: str | None) -> str | None:
        if local_id is None:
            return None
        return self.local.get((article.sha256, local_id))

    def members(self, key: str) -> list[Node]:
        """The per-article entities resolved into ``key``, sorted."""
        return sorted(n for n, k in self.local.items() if k == key)

    def mention(self, node: Node) -> tuple[ArticleExtraction, Entity]:
        """The article and the per-article entity of a node."""
        for doc in self.extractions:
            if doc.sha256 == node[0]:
                return doc, doc.entity(node[1])
        raise KeyError(node)


@dataclass(frozen=True)
class Link:
    """One accepted merge between two per-article entities."""

    a: Node
    b: Node
    reason: MergeReason
    score: float
    evidence: str


class Clusters:
    """Union-find over per-article entities that keeps the links it accepted."""

    def __init__(self, docs: list[ArticleExtraction]) -> None:
        self.docs = docs
        self.ents: dict[Node, tuple[ArticleExtraction, Entity]] = {}
        for doc in docs:
            for ent in doc.entities:
                self.ents[(doc.sha256, ent.id)] = (doc, ent)
        self.parent: dict[Node, Node] = {n: n for n in self.ents}
        self.links: list[Link] = []
        self._adj: dict[Node, list[tuple[Node, Link]]] | None = None
        self._adj_size = 0

    def has(self, node: Node) -> bool:
        """Whether the rules can read the node and its cluster (a partition of a corpus also
        reads, but never joins, nodes of other partitions: kg.cluster.partclusters)."""
        return node in self.ents

    def entity(self, node: Node) -> Entity:
        """The per-article entity of a node the rules can read."""
        return self.ents[node][1]

    def readable(self) -> list[Entity]:
        """Every entity whose name the rules may compare with (the ones they may join, and in
        a partition, the ones of other partitions it was given to read)."""
        return [ent for _, ent in self.ents.values()]

    def find(self, x: Node) -> Node:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Node, b: Node, reason: MergeReason, score: float, evidence: str) -> bool:
        """Join the clusters of a and b; False when they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        self.links.append(Link(a, b, reason, round(score, 2), evidence))
        return True

    def adjacency(self) -> dict[Node, list[tuple[Node, Link]]]:
        """Node -> (other node, link) for every accepted link (built once, then kept)."""
        if self._adj is None or self._adj_size != len(self.links):
            self._adj, self._adj_size = {}, len(self.links)
            for link in self.links:
                self._adj.setdefault(link.a, []).append((link.b, link))
                self._adj.setdefault(link.b, []).append((link.a, link))
        return self._adj

    def groups(self, kind: Kind | None = None) -> dict[Node, list[Node]]:
        """Root -> sorted members, for one kind or all."""
        out: dict[Node, list[Node]] = {}
        for node in sorted(self.ents):
            if kind is None or self.ents[node][1].kind is kind:
                out.setdefault(self.find(node), []).append(node)
        return out


@lru_cache(maxsize=1 << 16)
def normal_key(kind: Kind, name: str) -> str:
    """The key two surface forms must share to be taken as one entity by name alone."""
    if kind is Kind.PERSON:
        return " ".join(person_tokens(name))
    if kind is Kind.ORGANIZATION:
        return " ".join(org_tokens(name))
    return " ".join(words(name))


def assemble(docs: list[ArticleExtraction], clusters: Clusters) -> Resolution:
    """Turn clusters into resolved entities with stable keys, merge records and links."""
    groups = clusters.groups()
    # keys first, in an order that does not depend on unrelated clusters: by base key,
    # then by the cluster's own earliest member
    drafts = []
    for members in groups.values():
        label, base = label_and_base(clusters, members)
        drafts.append((base, members, label))
    drafts.sort(key=lambda d: (d[0], d[1][0]))
    entities: dict[str, ResolvedEntity] = {}
    local: dict[Node, str] = {}
    for base, members, label in drafts:
        key = base
        if key in entities:
            dates = sorted(d for d in (clusters.ents[m][1].date for m in members) if d)
            key = disambiguated(base, members[0], dates, entities)
        res = build_entity(key, [clusters.ents[m] for m in members], label)
        res.merges = merges_of(clusters, members, label)
        entities[key] = res
        for m in members:
            local[m] = key
    resolution = Resolution(extractions=docs, entities=entities, local=local)
    link_entities(resolution)
    return resolution


def label_and_base(clusters: Clusters, members: list[Node]) -> tuple[Node, str]:
    """The member that names the cluster (its fullest named form) and the base key."""
    ents = clusters.ents

    label = fullest(members, lambda m: ents[m][1])
    doc, ent = ents[label]
    path = KIND_PATH[ent.kind]
    if ent.kind is Kind.EVENT and not ent.named:
        return label, f"{path}/{slug(ent.name)}-{doc.sha256[:8]}"
    return label, f"{path}/{slug(normal_key(ent.kind, ent.name) or ent.name)}"


def fullness(ent: Entity) -> tuple[bool, bool, int, int]:
    """How full a form of a name is: a proper name before a description, a spelled-out
    name before an acronym, more words, more letters."""
    return ent.named, not is_acronym(ent.name), len(normal_key(ent.kind, ent.name).split()), len(ent.name)


def fullest(items: list, entity_of: Callable[[object], Entity]):
    """The item whose entity has the fullest name; ties go to the alphabetically first
    name, then to the first item (items come sorted), so the choice is deterministic."""
    scored = [(fullness(entity_of(x)), x) for x in items]
    best = max(f for f, _ in scored)
    return min((x for f, x in scored if f == best), key=lambda x: entity_of(x).name)


def disambiguated(base: str, first: Node, dates: list[str], taken) -> str:
    """A key for a cluster whose base key is taken by another: an event gets its (earliest)
    date, anything else (or an event without a date) the digest of its earliest member.
    Every key this gives starts with ``base`` and a hyphen."""
    if dates and f"{base}-{dates[0]}" not in taken:
        return f"{base}-{dates[0]}"
    key = f"{base}-{first[0][:8]}"
    n = 2
    while key in taken:
        key = f"{base}-{first[0][:8]}-{n}"
        n += 1
    return key


def build_entity(key: str, mentions: list[tuple[ArticleExtraction, Entity]], label: Node | None = None,
                 name: str | None = None) -> ResolvedEntity:
    """A resolved entity from its per-article entities: the name is the label member's (or
    ``name``), kinds and date are voted, aliases and name variants collected."""
    by_node = {(d.sha256, e.id): (d, e) for d, e in mentions}
    first = by_node[label][1] if label in by_node else mentions[0][1]
    name = name or first.name
    res = ResolvedEntity(key=key, kind=first.kind, name=name,
                         named=any(e.named for _, e in mentions))
    label_key = normal_key(res.kind, name)
    org_kinds: Counter[OrgKind] = Counter()
    event_kinds: Counter[EventKind] = Counter()
    dates: Counter[str] = Counter()
    per_article: dict[str, list[Entity]] = {}
    for doc, ent in mentions:
        res.articles.add(doc.sha256)
        res.aliases.update(a for a in [ent.name, *ent.aliases] if a != name)
        per_article.setdefault(doc.sha256, []).append(ent)
        if ent.org_kind and ent.org_kind is not OrgKind.OTHER:
            org_kinds[ent.org_kind] += 1
        if ent.event_kind and ent.event_kind is not EventKind.OTHER:
            event_kinds[ent.event_kind] += 1
        if ent.date:
            dates[ent.date] += 1
    # a name variant: the fullest form some article gives, when it is not the label's
    res.variants = {e.name for e in (fullest(es, lambda x: x) for es in per_article.values())
                    if e.named and not is_acronym(e.name) and normal_key(res.kind, e.name) != label_key}
    res.org_kind = _vote(org_kinds) or first.org_kind
    res.event_kind = _vote(event_kinds) or first.event_kind
    res.date = _vote(dates)
    return res


def _vote(counts: Counter):
    """The most frequent value; ties go to the smallest, so the result is deterministic."""
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v.value if isinstance(v, Enum) else v)))


def merges_of(clusters: Clusters, members: list[Node], label: Node) -> list[Merge]:
    """One record per member other than the label: the path of accepted links from the
    label to it, summarised by its weakest link (reason, score, evidence)."""
    if len(members) == 1:
        return []
    adj = clusters.adjacency()
    weakest: dict[Node, Link | None] = {label: None}
    queue = [label]
    while queue:
        node = queue.pop(0)
        for other, link in sorted(adj.get(node, []), key=lambda x: x[0]):
            if other in weakest:
                continue
            prev = weakest[node]
            weakest[other] = link if prev is None or link.score < prev.score else prev
            queue.append(other)
    out = []
    for m in members:
        link = weakest.get(m)
        if m == label or link is None:
            continue
        doc, ent = clusters.ents[m]
        out.append(Merge(ent.name, doc.article, link.reason, link.score, link.evidence))
    return sorted(out, key=lambda x: (x.article, x.name, x.reason.value))


def link_entities(resolution: Resolution) -> None:
    """Set location, parent event and parent organisation of each entity from the local ids
    of its members (the first member that gives one wins)."""
    for res in resolution.entities.values():
        res.location = res.parent = res.part_of = None
    index = {doc.sha256: doc for doc in resolution.extractions}
    for node in sorted(resolution.local):
        key = resolution.local[node]
        res = resolution.entities[key]
        ent = index[node[0]].entity(node[1])
        sha = node[0]
        if ent.location and not res.location:
            res.location = resolution.local.get((sha, ent.location))
        if ent.parent and not res.parent:
            parent = resolution.local.get((sha, ent.parent))
            res.parent = parent if parent != key else None
        if ent.part_of and not res.part_of:
            part_of = resolution.local.get((sha, ent.part_of))
            res.part_of = part_of if part_of != key else None
