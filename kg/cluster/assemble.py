"""The end of partitioned resolution: resolved entities and their stable keys, made cluster
by cluster as kg.resolve.assemble makes them for the whole corpus.

- each cluster (all its nodes and the links that joined them, routed to one partition by
  its root) becomes a :class:`~kg.resolve.ResolvedEntity` and a draft of its key;
- keys are minted by *family* (the key a cluster asks for, up to its first hyphen): a key
  that must be told apart from a taken one only ever adds a hyphen and a suffix to the key
  it asked for, so every key a cluster could collide with is minted in the same family, by
  the same kg.resolve.clusters.mint_keys as the whole-corpus run;
- the links between entities (location, parent event, parent organisation) come from each
  article's own ids, the first member that gives one winning, as kg.resolve.link_entities."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ArticleExtraction, Entity
from ..resolve.clusters import (
    Clusters,
    KeyDraft,
    Link,
    Node,
    ResolvedEntity,
    build_entity,
    key_draft,
    merges_of,
    mint_keys,
)


@dataclass
class Member:
    """One node of a cluster, as the article side sends it to the cluster's partition."""

    node: Node
    ent: Entity
    article: str
    published: str | None
    links: list[Link] = field(default_factory=list)


@dataclass
class Draft:
    """What minting a cluster's key needs."""

    key: KeyDraft
    root: Node

    @property
    def family(self) -> str:
        return self.key.family


@dataclass
class Built:
    """A resolved entity before its key, with its members and the articles they come from."""

    entity: ResolvedEntity
    members: list[Node]
    sha_of: dict[str, str]  # article file name -> sha256, for the merge records
    candidates: list[tuple[Node, str, str | None]] = field(default_factory=list)  # (node, field, key)


def build_clusters(members: list[Member]) -> tuple[dict[Node, Built], list[Draft]]:
    """The entities of the clusters whose members are given (all members of each)."""
    by_doc: dict[str, list[Member]] = {}
    for m in members:
        by_doc.setdefault(m.node[0], []).append(m)
    docs = [ArticleExtraction(article=ms[0].article, sha256=sha, title="", published=ms[0].published,
                              text_length=0, entities=[m.ent for m in ms])
            for sha, ms in by_doc.items()]
    c = Clusters(sorted(docs, key=lambda d: (d.article, d.sha256)))
    for m in members:
        for link in m.links:
            c.union(link.a, link.b, link.reason, link.score, link.evidence)
    c.links = sorted({link for m in members for link in m.links}, key=_link_order)
    built: dict[Node, Built] = {}
    drafts: list[Draft] = []
    for _root, nodes in sorted(c.groups().items()):
        label, draft = key_draft(c, nodes)
        res = build_entity("", [c.ents[n] for n in nodes], label)
        res.merges = merges_of(c, nodes, label)
        sha_of: dict[str, str] = {}
        for n in sorted(nodes, key=lambda n: (c.ents[n][0].article, n[0])):
            sha_of.setdefault(c.ents[n][0].article, n[0])
        built[nodes[0]] = Built(res, nodes, sha_of)
        drafts.append(Draft(draft, nodes[0]))
    return built, drafts


def _link_order(link: Link) -> tuple:
    return (link.a, link.b, link.reason.value, link.score, link.evidence)


def mint(drafts: list[Draft]) -> dict[Node, str]:
    """Keys for the drafts of whole families, as kg.resolve.assemble mints them."""
    keys = mint_keys([d.key for d in drafts])
    return {d.root: keys[d.key.first] for d in drafts}


def link_candidates(doc: ArticleExtraction, keys: dict[str, str], roots: dict[Node, Node]):
    """(cluster root, (node, field, key of the entity it names)) for each entity of one article
    that gives a location, a parent event or a parent organisation."""
    for ent in doc.entities:
        node = (doc.sha256, ent.id)
        for name, local in (("location", ent.location), ("parent", ent.parent), ("part_of", ent.part_of)):
            if local:
                yield roots[node], (node, name, keys.get(local))


def apply_links(built: Built) -> None:
    """Set the entity's location, parent and parent organisation: the first member (in node
    order) that names one wins; a parent that is the entity itself counts for nothing."""
    res = built.entity
    for _node, name, key in sorted(built.candidates, key=lambda c: (c[0], c[1])):
        if getattr(res, name) or key is None:
            continue
        if name != "location" and key == res.key:
            continue
        setattr(res, name, key)
