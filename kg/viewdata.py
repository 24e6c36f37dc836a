"""The graph page's ways in, computed from the entity network (kg.network) when the page is
written: the events in a picker (sub-events under their event), the connected components,
the people seen at several events with the post they held at each, which labels the page
always shows, and the figures the articles report (optional nodes of the page).

Everything here is plain data keyed by the page's node ids ("n0", "n1"...), sorted, so that
the same graph gives the same page."""
from __future__ import annotations

from typing import Any

import networkx as nx

from .network import NodeClass, Relation, events_of, top_level

ALWAYS_LABELLED_TOP = 30  # besides events and people at several events, the best connected
MAX_COMPONENTS = 200  # entries of the component picker
MAX_FIGURE_NODES = 1500  # figure nodes on one page (their subjects best connected first)


def _label(g: nx.MultiDiGraph, key: str) -> str:
    return g.nodes[key]["label"]


def appearances(g: nx.MultiDiGraph, ids: dict[str, str]) -> list[dict[str, Any]]:
    """People at two or more distinct top-level events (as kg stats and cross_event_people
    count them), each event with the posts the person held there: a post the article ties
    to the event, or one stated in an article that reports the person at it."""
    found = []
    for person in ids:
        if g.nodes[person]["cls"] != NodeClass.PERSON.value:
            continue
        events = events_of(g, person)
        if len(events) < 2:
            continue
        posts: dict[str, list[dict[str, str]]] = {event: [] for event in events}
        for _, org, e in g.out_edges(person, data=True):
            if e["relation"] != Relation.AFFILIATION.value:
                continue
            articles = {s.article for s in e["sources"]}
            tied = top_level(g, e["at"]) if e.get("at") else None
            for event, said in events.items():
                if event == tied or (tied is None and articles & said):
                    post = {"title": e["label"], "org": ids[org]}
                    if post not in posts[event]:
                        posts[event].append(post)
        found.append((person, [
            {"id": ids[event], "posts": sorted(posts[event], key=lambda p: (p["title"], p["org"]))}
            for event in sorted(events, key=lambda ev: (_label(g, ev).casefold(), ids[ev]))]))
    found.sort(key=lambda b: (-len(b[1]), _label(g, b[0]).casefold(), ids[b[0]]))
    return [{"id": ids[person], "events": events} for person, events in found]


def event_tree(g: nx.MultiDiGraph, ids: dict[str, str]) -> list[dict[str, Any]]:
    """Every event for the picker, each top-level event followed by its sub-events
    (depth-first, by label); ``text`` adds the date, and the article when the same label
    names several events ("signing")."""
    events = [k for k in ids if g.nodes[k]["cls"] == NodeClass.EVENT.value]
    children: dict[str, list[str]] = {}
    for event in events:
        parents = sorted(v for _, v, d in g.out_edges(event, data=True)
                         if d["relation"] == Relation.SUB_EVENT.value and v != event)
        if parents:
            children.setdefault(parents[0], []).append(event)
    named: dict[str, int] = {}
    for event in events:
        named[_label(g, event).casefold()] = named.get(_label(g, event).casefold(), 0) + 1

    def text(event: str) -> str:
        d = g.nodes[event]
        extra = [d["date"]] if d["date"] else []
        if named[d["label"].casefold()] > 1 and d["articles"]:
            extra.append(d["articles"][0])
        return d["label"] + (f" ({', '.join(extra)})" if extra else "")

    def by_label(keys: list[str]) -> list[str]:
        return sorted(keys, key=lambda k: (_label(g, k).casefold(), ids[k]))

    out: list[dict[str, Any]] = []
    placed: set[str] = set()

    def walk(event: str, depth: int) -> None:
        if event in placed:
            return
        placed.add(event)
        out.append({"id": ids[event], "depth": depth, "text": text(event),
                    "links": g.degree(event)})
        for child in by_label(children.get(event, [])):
            walk(child, depth + 1)

    for event in by_label([e for e in events if top_level(g, e) == e]):
        walk(event, 0)
    for event in by_label(events):  # events caught in a sub-event cycle
        walk(event, 0)
    return out


def components(s: nx.Graph, ids: dict[str, str], order: list[str]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Connected components of two or more entities, largest first: each node's component
    number, and for the picker each component's size and its best connected member."""
    rank = {key: i for i, key in enumerate(order)}
    comps = [sorted(c, key=lambda k: (-s.degree(k), rank[k]))
             for c in nx.connected_components(s) if len(c) > 1]
    comps.sort(key=lambda c: (-len(c), rank[c[0]]))
    number = {key: i for i, comp in enumerate(comps) for key in comp}
    listed = [{"size": len(c), "name": s.nodes[c[0]]["label"], "id": ids[c[0]]}
              for c in comps[:MAX_COMPONENTS]]
    return {ids[k]: n for k, n in number.items()}, listed


def always_labelled(g: nx.MultiDiGraph, s: nx.Graph, ids: dict[str, str], order: list[str],
                    bridges: set[str]) -> list[str]:
    """Nodes whose label the page shows at any zoom (when they do not overlap one shown
    before them): the focus, people at several events, events with links and the best
    connected entities; in that order of priority, then by links."""
    rank = {key: i for i, key in enumerate(order)}
    linked = [k for k in order if s.degree(k) > 0]
    top = set(sorted(linked, key=lambda k: (-s.degree(k), rank[k]))[:ALWAYS_LABELLED_TOP])

    def tier(k: str) -> int:
        d = g.nodes[k]
        return 0 if d.get("focus") else 1 if ids[k] in bridges else 2

    chosen = [k for k in linked if g.nodes[k].get("focus") or ids[k] in bridges or k in top
              or g.nodes[k]["cls"] == NodeClass.EVENT.value]
    chosen.sort(key=lambda k: (tier(k), -s.degree(k), rank[k]))
    return [ids[k] for k in chosen]


def figure_nodes(g: nx.MultiDiGraph, s: nx.Graph, ids: dict[str, str], order: list[str]) -> list[dict[str, Any]]:
    """One optional node per figure reported about an entity of the page (at most
    MAX_FIGURE_NODES, the best connected subjects first): its subject, text and numbers."""
    rank = {key: i for i, key in enumerate(order)}
    subjects = sorted((k for k in order if g.nodes[k]["facts"]), key=lambda k: (-s.degree(k), rank[k]))
    out: list[dict[str, Any]] = []
    for subject in subjects:
        for fact in g.nodes[subject]["facts"]:
            if len(out) >= MAX_FIGURE_NODES:
                return out
            sources = [{"article": x.article, "sentence": x.sentence} for x in fact["sources"]]
            out.append({**fact, "subject": ids[subject], "sources": sources})
    return out
