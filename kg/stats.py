"""Graph analytics: what the graph holds (instances per class, triples per property) and how
its entities connect (central people and institutions, people who bridge events, connected
components, communities). Computed over the entity network of kg.network; deterministic
(seeded sampling and community detection), so the same graph gives the same figures."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from .graphs import KnowledgeGraph
from .network import NodeClass, Relation, events_of, project, simple
from .vocab import KGO_IRI

SEED = 42
EXACT_BETWEENNESS_MAX = 1000  # above this many nodes, betweenness is sampled
SAMPLE_K = 100


class StatsFormat(str, Enum):
    """How `kg stats` prints its figures."""

    TABLE = "table"
    JSON = "json"


@dataclass(frozen=True)
class Ranked:
    """An entity and a score."""

    label: str
    kind: str
    score: float


@dataclass(frozen=True)
class Bridge:
    """A person seen at two or more distinct top-level events."""

    person: str
    events: list[str]
    posts: list[str] = field(default_factory=list)  # "title, organisation (at event)"


@dataclass(frozen=True)
class Community:
    """A community of the entity network: its size and its best connected members."""

    size: int
    members: list[str]


@dataclass
class Stats:
    """Everything `kg stats` reports."""

    triples: int
    inferred_triples: int
    entities: int
    links: int
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    central_people: dict[str, list[Ranked]] = field(default_factory=dict)  # "degree"/"betweenness"
    central_organizations: dict[str, list[Ranked]] = field(default_factory=dict)
    betweenness: str = "exact"  # or "sampled (k=100, seed=42)"
    bridges: list[Bridge] = field(default_factory=list)
    components: int = 0
    component_sizes: list[int] = field(default_factory=list)
    isolated: int = 0
    communities: list[Community] = field(default_factory=list)
    modularity: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _curie(kg: KnowledgeGraph, term: URIRef) -> str:
    try:
        return kg.asserted.namespace_manager.curie(term, generate=False)
    except (KeyError, ValueError):
        return str(term)


def class_counts(kg: KnowledgeGraph) -> dict[str, int]:
    """Instances per class of the asserted graph, counting an instance for every class above
    its own (an entity typed kgo:University counts as a kgo:Organization too)."""
    members: dict[URIRef, set] = {}
    above: dict[URIRef, list[URIRef]] = {}
    for s, cls in kg.asserted.subject_objects(RDF.type):
        if not isinstance(cls, URIRef):
            continue
        if cls not in above:
            above[cls] = [c for c in {cls} | set(kg.ontology.transitive_objects(cls, RDFS.subClassOf))
                          if isinstance(c, URIRef) and (c == cls or str(c).startswith(KGO_IRI))]
        for c in above[cls]:
            members.setdefault(c, set()).add(s)
    counts = {_curie(kg, c): len(ss) for c, ss in members.items()}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def property_counts(kg: KnowledgeGraph) -> dict[str, int]:
    """Asserted triples per property."""
    per_term = Counter(p for _, p, _ in kg.asserted)
    counts = {_curie(kg, p): n for p, n in per_term.items()}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _top(scores: dict[str, float], g: nx.Graph, cls: NodeClass, n: int) -> list[Ranked]:
    nodes = [k for k in scores if g.nodes[k]["cls"] == cls.value]
    nodes.sort(key=lambda k: (-scores[k], g.nodes[k]["label"].casefold(), k))
    return [Ranked(g.nodes[k]["label"], g.nodes[k]["kind"], round(float(scores[k]), 6))
            for k in nodes[:n] if scores[k] > 0]


def betweenness(g: nx.Graph) -> tuple[dict[str, float], str]:
    """Normalised betweenness: exact on small graphs, sampled (seeded) on large ones."""
    n = g.number_of_nodes()
    if n <= EXACT_BETWEENNESS_MAX:
        return nx.betweenness_centrality(g, normalized=True), "exact"
    k = min(SAMPLE_K, n)
    return nx.betweenness_centrality(g, k=k, normalized=True, seed=SEED), f"sampled (k={k}, seed={SEED})"


def bridges(g: nx.MultiDiGraph) -> list[Bridge]:
    """People at two or more distinct top-level events (by participation, or by a post the
    article ties to an event)."""
    found = []
    for person, d in g.nodes(data=True):
        if d["cls"] != NodeClass.PERSON.value:
            continue
        events = events_of(g, person)
        if len(events) < 2:
            continue
        posts = set()
        for _, target, e in g.out_edges(person, data=True):
            if e["relation"] == Relation.AFFILIATION.value:
                at = f" (at {e['event']})" if e.get("event") else ""
                title = f"{e['label']}, " if e["label"] else ""  # a post may name no title
                posts.add(f"{title}{g.nodes[target]['label']}{at}")
        found.append(Bridge(d["label"], sorted(g.nodes[e]["label"] for e in events), sorted(posts)))
    return sorted(found, key=lambda b: (-len(b.events), b.person.casefold()))


def communities(g: nx.Graph, n: int) -> tuple[list[Community], float]:
    """Louvain communities (seeded) of the entities that have links, largest first."""
    linked = g.subgraph([k for k in g if g.degree(k) > 0])
    if linked.number_of_edges() == 0:
        return [], 0.0
    parts = nx.community.louvain_communities(linked, seed=SEED)
    modularity = nx.community.modularity(linked, parts)
    ranked = sorted(parts, key=lambda c: (-len(c), min(g.nodes[k]["label"] for k in c)))
    out = []
    for part in ranked[:n]:
        members = sorted(part, key=lambda k: (-g.degree(k), g.nodes[k]["label"].casefold()))
        out.append(Community(len(part), [g.nodes[k]["label"] for k in members[:5]]))
    return out, round(modularity, 4)


def compute(kg: KnowledgeGraph, top: int = 10) -> Stats:
    """The figures of one graph; ``top`` bounds each ranking."""
    network = project(kg)
    g = simple(network)
    degree = dict(g.degree())
    between, how = betweenness(g) if g.number_of_nodes() else ({}, "exact")
    comps = sorted((len(c) for c in nx.connected_components(g)), reverse=True) if len(g) else []
    comms, modularity = communities(g, top)
    return Stats(
        triples=len(kg.asserted), inferred_triples=len(kg.inferred),
        entities=network.number_of_nodes(), links=network.number_of_edges(),
        classes=class_counts(kg), properties=property_counts(kg),
        central_people={"degree": _top(degree, g, NodeClass.PERSON, top),
                        "betweenness": _top(between, g, NodeClass.PERSON, top)},
        central_organizations={"degree": _top(degree, g, NodeClass.ORGANIZATION, top),
                               "betweenness": _top(between, g, NodeClass.ORGANIZATION, top)},
        betweenness=how, bridges=bridges(network)[:max(top, 0) * 5],
        components=len(comps), component_sizes=comps[:top],
        isolated=sum(1 for k in g if g.degree(k) == 0),
        communities=comms, modularity=modularity)


def _numeric(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def _table(title: str, header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = [title]
    if not rows:
        return lines + ["  (none)", ""]
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for i, row in enumerate(cells):
        padded = (c.rjust(w) if i and _numeric(c) else c.ljust(w) for c, w in zip(row, widths))
        lines.append(("  " + "  ".join(padded)).rstrip())
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines + [""]


def render_table(stats: Stats) -> str:
    """The figures as plain-text tables."""
    out = [f"triples: {stats.triples} asserted, {stats.inferred_triples} inferred; "
           f"entities: {stats.entities}; links: {stats.links}", ""]
    out += _table("Instances per class (asserted; an instance counts for its class and every class above)", ("class", "instances"), list(stats.classes.items()))
    out += _table("Asserted triples per property", ("property", "triples"), list(stats.properties.items()))
    for name, ranking in (("people", stats.central_people), ("institutions", stats.central_organizations)):
        out += _table(f"Most central {name} by degree (distinct neighbours)", ("name", "kind", "degree"),
                      [(r.label, r.kind, int(r.score)) for r in ranking.get("degree", [])])
        out += _table(f"Most central {name} by betweenness ({stats.betweenness})", ("name", "kind", "betweenness"),
                      [(r.label, r.kind, f"{r.score:.4g}") for r in ranking.get("betweenness", [])])
    out += _table("People at two or more events", ("person", "events", "which", "posts"),
                  [(b.person, len(b.events), "; ".join(b.events), "; ".join(b.posts) or "-")
                   for b in stats.bridges])
    sizes = ", ".join(str(s) for s in stats.component_sizes if s > 1)
    out += [f"Connected components: {stats.components} (largest: {sizes or '-'}; "
            f"{stats.isolated} entities without links)", ""]
    out += _table(f"Communities (Louvain, seed {SEED}; modularity {stats.modularity})",
                  ("size", "best connected members"),
                  [(c.size, ", ".join(c.members)) for c in stats.communities])
    return "\n".join(out).rstrip("\n") + "\n"


def render(stats: Stats, fmt: StatsFormat) -> str:
    return stats.to_json() if fmt is StatsFormat.JSON else render_table(stats)
