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
from .names import is_acronym, org_tokens, person_tokens, slug, too_generic, words

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
        self._ordered: list[tuple[Node, tuple[ArticleExtraction, Entity]]] = []

    def ordered(self) -> list[tuple[Node, tuple[ArticleExtraction, Entity]]]:
        """``sorted(self.ents.items())``, sorted once (every rule walks the nodes in order,
        and sorting a corpus's nodes takes most of a second at 10,000 articles)."""
        if len(self._ordered) != len(self.ents):
            self._ordered = sorted(self.ents.items(), key=lambda item: item[0])
        return self._ordered

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
        for node, _ in self.ordered():
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
    drafts: list[tuple[KeyDraft, list[Node], Node]] = []
    for members in clusters.groups().values():
        label, draft = key_draft(clusters, members)
        drafts.append((draft, members, label))
    keys = mint_keys([d for d, _, _ in drafts])
    entities: dict[str, ResolvedEntity] = {}
    local: dict[Node, str] = {}
    for draft, members, label in drafts:
        key = keys[draft.first]
        res = build_entity(key, [clusters.ents[m] for m in members], label)
        res.merges = merges_of(clusters, members, label)
        entities[key] = res
        for m in members:
            local[m] = key
    entities = dict(sorted(entities.items()))
    resolution = Resolution(extractions=docs, entities=entities, local=local)
    link_entities(resolution)
    return resolution


@dataclass(frozen=True)
class KeyDraft:
    """The key a cluster asks for, and what decides between clusters that ask for the same."""

    wanted: str
    published: str  # the first report's publication date ("~" when unknown: after any date)
    first: Node  # the first-reported member: earliest publication date, then article hash

    @property
    def family(self) -> str:
        """Every key minted from this draft starts with this (the key up to its first hyphen),
        so clusters that could collide share it (partitioned minting: kg.cluster.assemble)."""
        return self.wanted.split("-", 1)[0]


def key_draft(clusters: Clusters, members: list[Node]) -> tuple[Node, KeyDraft]:
    """The member that names the cluster (its fullest named form) and the key it asks for:

    - a name: ``kind/slug-of-the-name`` ("person/fang-hanting");
    - a named event with a stated date adds the third of the month its edition began in
      (``event/harbour-forum-2024-05-early``; early: days 1-10, mid: 11-20, late: 21-31),
      whether or not another edition is known, so that one edition never takes another's key;
      the date is the earliest its members state (the edition's first day), and a later
      mention only moves the key when it dates the edition into an earlier third;
    - what no rule joins across articles by its name (an unnamed event, a bare surname, an
      organisation named only by what it is) adds the first-reported article's digest
      (``event/signing-ceremony-f80a555b``).

    Nothing here depends on other clusters; only two clusters asking for one key do
    (:func:`mint_keys`)."""
    ents = clusters.ents
    label = fullest(members, lambda m: ents[m][1])
    ent = ents[label][1]
    published, first = min((ents[m][0].published or "~", m) for m in members)
    path = KIND_PATH[ent.kind]
    if ent.kind is Kind.EVENT and not ent.named:
        wanted = f"{path}/{slug(ent.name)}-{first[0][:8]}"
    else:
        wanted = f"{path}/{slug(normal_key(ent.kind, ent.name) or ent.name)}"
        if too_generic(ent.kind, ent.name):
            wanted += f"-{first[0][:8]}"
        elif ent.kind is Kind.EVENT:
            dates = [d for d in (ents[m][1].date for m in members) if d]
            if dates:
                wanted += f"-{date_part(min(dates))}"
    return label, KeyDraft(wanted, published, first)


def date_part(iso: str) -> str:
    """"2024-05-03" -> "2024-05-early" (days 1-10; 11-20: mid; 21-31: late). A third of a
    month spans at most EVENT_DAYS + 1 days, so two editions of one name (their first days
    more than EVENT_DAYS apart: kg.resolve.rules) never share it. A date without its day
    ("2024-05", "2024") is kept as it is."""
    head, _, day = iso[:10].rpartition("-")
    if len(iso) < 10 or not day.isdigit() or head.count("-") != 1:
        return slug(iso)
    return f"{head}-{('early', 'mid', 'late')[min(2, (int(day) - 1) // 10)]}"


def mint_keys(drafts: list[KeyDraft]) -> dict[Node, str]:
    """First-reported member -> key. Each cluster gets the key it asks for; when several ask
    for one, the first reported (by publication date, then article hash) keeps it and each
    other one adds its first report's digest (``person/zhang-1f0a5895``), so a newer article
    never takes a key from an older one (with publication dates). ``drafts`` may be one family's
    or the whole corpus's: the keys are the same."""
    taken: set[str] = set()
    out: dict[Node, str] = {}
    for d in sorted(drafts, key=lambda d: (d.wanted, d.published, d.first)):
        key = d.wanted
        if key in taken:
            tag = d.first[0][:8]
            stem = key if key.endswith(tag) else f"{key}-{tag}"
            key, n = stem, 2
            while key in taken:
                key, n = f"{stem}-{n}", n + 1
        taken.add(key)
        out[d.first] = key
    return out


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
