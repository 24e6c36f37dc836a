"""The interactive page: the entity network (kg.network) drawn with vis-network, through pyvis.

pyvis's own template loads vis-network, bootstrap and tom-select from CDNs (even with
``cdn_resources="in_line"``), so a page opened offline stays blank. This module uses pyvis to
assemble the nodes and edges and renders them with a template of our own
(kg/templates/graph.html) that inlines the vis-network script and stylesheet pyvis ships:
the page needs no network at all.

The page opens on a picture: every entity's place is computed here (kg.layout), so the
browser draws at once with its physics off; entities without links are set apart and hidden
until asked for; kg.viewdata adds the ways in (events, components, people at several
events) and the figures, optional nodes.

Text from articles never reaches HTML unescaped: the data travels as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., and the page's script builds labels, tooltips, search results and the
detail panel with ``textContent`` only (vis-network would render a string ``title`` as HTML;
ours are DOM elements). The same view (:func:`view_parts`) can sit inside another page, such
as a workbench served by ``kg serve``."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FunctionLoader
from markupsafe import Markup
from pyvis.network import Network

from . import io
from .graphs import KnowledgeGraph
from .htmlsafe import inline as _inline
from .htmlsafe import script_json
from .layout import positions
from .network import NodeClass, Relation, cap, ego, project, simple
from .viewdata import always_labelled, appearances, components, event_tree, figure_nodes

DEFAULT_LIMIT = 1500  # nodes on a full page; the rest are left out, with a note saying so
DEFAULT_DEPTH = 2
VIS_VERSION = "vis-9.1.2"


@dataclass(frozen=True)
class Style:
    """How one node class is drawn and named in the legend."""

    name: str
    shape: str
    color: str
    glyph: str  # the legend's symbol for the shape
    plural: str  # captions the block of unlinked ones


STYLES: dict[NodeClass, Style] = {
    NodeClass.PERSON: Style("Person", "dot", "#3b7dd8", "\u25cf", "People"),
    NodeClass.ORGANIZATION: Style("Organisation", "square", "#f08c00", "\u25a0", "Organisations"),
    NodeClass.EVENT: Style("Event", "diamond", "#d6336c", "\u25c6", "Events"),
    NodeClass.PLACE: Style("Place", "triangle", "#2f9e44", "\u25b2", "Places"),
    NodeClass.WORK: Style("Work (report, index)", "hexagon", "#7950f2", "\u2b22", "Works"),
    NodeClass.COLLECTIVE: Style("Group (what a figure is about)", "star", "#868e96", "\u2605", "Groups"),
}
FIGURE = Style("Figure (reported value)", "dot", "#868e96", "\u2022", "Figures")
BRIDGE_BORDER = "#1f2933"  # people at several events wear a dark ring
FIGURE_RING = 70  # distance of a figure node from its subject
LABEL_THRESHOLD = 12  # screen pixels: vis-network draws a 14 px node label from zoom 11/14 on
EDGE_LABEL_THRESHOLD = 13  # and an 11 px link label from zoom 12/11 on
EDGE_COLORS: dict[Relation, str] = {
    Relation.AFFILIATION: "#5c7cfa", Relation.PARTICIPATION: "#e8590c",
    Relation.ORGANIZING: "#c2255c", Relation.SUB_EVENT: "#868e96",
    Relation.SUB_ORGANIZATION: "#868e96", Relation.LOCATION: "#40c057",
}


@dataclass(frozen=True)
class PageReport:
    """What a page shows: nodes and edges drawn, and how many entities were left out."""

    nodes: int
    edges: int
    left_out: int
    total_nodes: int
    title: str


def _template(name: str) -> str:
    """A file of kg/templates (shipped inside the package)."""
    return io.read_text(Path(__file__).resolve().parent / "templates" / name)


def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships in its package."""
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / VIS_VERSION
    return io.read_text(lib / "vis-network.min.js"), io.read_text(lib / "vis-network.css")


def _sources(sources) -> list[dict[str, str]]:
    return [{"article": s.article, "sentence": s.sentence} for s in sources]


def node_size(degree: int) -> float:
    """A node's radius: grows with the square root of its links (hubs stand out, and a
    forum with eighty participants does not cover its neighbours)."""
    return round(min(40.0, 7.0 + 3.2 * math.sqrt(degree)), 1)


@dataclass
class _Layout:
    """What the network needs besides the graph: ids, places, component numbers, bridges."""

    ids: dict[str, str]
    places: dict[str, tuple[int, int]]
    comp: dict[str, int]
    bridges: set[str]


def _network(g: nx.MultiDiGraph, s: nx.Graph, lay: _Layout,
             figures: list[dict[str, Any]]) -> tuple[Network, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Nodes and edges in a directed pyvis Network (directed: pyvis checks undirected edges
    for duplicates in quadratic time), plus the text shown for each in tooltips and panels."""
    net = Network(directed=True)
    node_info: dict[str, dict[str, Any]] = {}
    for key, nid in lay.ids.items():
        d = g.nodes[key]
        cls = NodeClass(d["cls"])
        style = STYLES[cls]
        focus, bridge = bool(d.get("focus")), nid in lay.bridges
        x, y = lay.places[key]
        color = {"background": style.color, "border": BRIDGE_BORDER if bridge else style.color}
        net.add_node(nid, label=d["label"], shape=style.shape, color=color, x=x, y=y,
                     size=node_size(s.degree(key)), borderWidth=4 if focus else 3 if bridge else 1)
        node_info[nid] = {
            "label": d["label"], "cls": cls.value, "kind": d["kind"], "aliases": d["aliases"],
            "titles": d["titles"], "sources": _sources(d["sources"]), "figures": d["figures"],
            "articles": d["articles"], "date": d["date"], "focus": focus, "degree": s.degree(key),
            "comp": lay.comp.get(nid, -1), "iri": key}
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2]["label"])):
        entry = merged.setdefault((u, v), {"labels": [], "relations": [], "sources": [], "events": []})
        if d["label"] and d["label"] not in entry["labels"]:
            entry["labels"].append(d["label"])
        if d["relation"] not in entry["relations"]:
            entry["relations"].append(d["relation"])
        if d.get("event") and d["event"] not in entry["events"]:
            entry["events"].append(d["event"])
        entry["sources"].extend(s for s in _sources(d["sources"]) if s not in entry["sources"])
    edge_info: dict[str, dict[str, Any]] = {}
    for i, ((u, v), entry) in enumerate(merged.items()):
        eid = f"e{i}"
        relation = Relation(entry["relations"][0])
        net.add_edge(lay.ids[u], lay.ids[v], id=eid, label=" \u00b7 ".join(entry["labels"]),
                     color=EDGE_COLORS[relation])
        edge_info[eid] = {"from": g.nodes[u]["label"], "to": g.nodes[v]["label"],
                          "labels": entry["labels"], "relations": entry["relations"],
                          "events": entry["events"], "sources": entry["sources"]}
    _figure_nodes(net, node_info, edge_info, figures)
    return net, node_info, edge_info


def _figure_nodes(net: Network, node_info: dict[str, dict[str, Any]],
                  edge_info: dict[str, dict[str, Any]], figures: list[dict[str, Any]]) -> None:
    """Figures as small grey nodes in a ring around their subject, linked to it (the page
    hides them until the reader asks for them)."""
    ring: dict[str, int] = {}
    for f in figures:
        ring[f["subject"]] = ring.get(f["subject"], 0) + 1
    placed: dict[str, int] = {}
    for i, f in enumerate(figures):
        nid, subject = f"f{i}", f["subject"]
        sx, sy = net.node_map[subject]["x"], net.node_map[subject]["y"]
        k = placed[subject] = placed.get(subject, -1) + 1
        angle = -math.pi / 2 + 2 * math.pi * k / ring[subject]
        radius = FIGURE_RING + 4 * (ring[subject] // 12)
        net.add_node(nid, label=f["text"], shape=FIGURE.shape, color=FIGURE.color, size=5,
                     x=round(sx + radius * math.cos(angle)), y=round(sy + radius * math.sin(angle)))
        subject_label = node_info[subject]["label"]
        node_info[nid] = {"label": f["text"], "cls": "figure", "kind": "figure", "subject": subject,
                          "measure": f["measure"], "year": f["year"], "values": f["values"],
                          "aliases": [], "titles": [], "figures": [], "articles": [], "date": "",
                          "sources": f["sources"], "focus": False, "degree": 1, "comp": -1, "iri": ""}
        eid = f"x{i}"
        net.add_edge(subject, nid, id=eid, color=FIGURE.color, dashes=True)
        edge_info[eid] = {"from": subject_label, "to": f["text"], "labels": [], "relations": ["figure"],
                          "events": [], "sources": f["sources"]}


def vis_options(nodes: int, edges: int) -> dict[str, Any]:
    """vis-network options: no physics (the places come with the nodes), labels drawn by
    vis-network once they are readable (the page draws the always-shown ones itself before
    that), edges hidden while dragging or zooming a big graph."""
    big = nodes > 400 or edges > 1200
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 4,
                           "strokeColor": "#ffffff", "color": "#1f2933"},
                  "scaling": {"label": {"enabled": False, "drawThreshold": LABEL_THRESHOLD}},
                  "widthConstraint": {"maximum": 160}, "borderWidth": 1, "borderWidthSelected": 4},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "font": {"size": 11, "color": "#495057", "strokeWidth": 4, "strokeColor": "#ffffff",
                           "face": "system-ui, sans-serif"},
                  "scaling": {"label": {"enabled": False, "drawThreshold": EDGE_LABEL_THRESHOLD}},
                  "smooth": False, "width": 1.4, "selectionWidth": 2, "hoverWidth": 1.5},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }



def page_data(g: nx.MultiDiGraph, *, title: str, note: str, total_nodes: int) -> dict[str, Any]:
    """Everything the page's script reads: nodes with their places, edges, their text, the
    legend, the ways in (events, components, people at several events), the options."""
    order = sorted(g.nodes, key=lambda n: (g.nodes[n]["label"].casefold(), n))
    ids = {key: f"n{i}" for i, key in enumerate(order)}
    s = simple(g)
    groups = [(nc.value, f"{STYLES[nc].plural} without links") for nc in NodeClass]
    places, headings = positions(s, order, groups, {k: g.nodes[k]["cls"] for k in order})
    comp, comp_list = components(s, ids, order)
    bridges = appearances(g, ids)
    lay = _Layout(ids, places, comp, {b["id"] for b in bridges})
    figures = figure_nodes(g, s, ids, order)
    net, node_info, edge_info = _network(g, s, lay, figures)
    nodes, edges, *_ = net.get_network_data()
    counts = {nc.value: 0 for nc in NodeClass}
    unlinked = {nc.value: 0 for nc in NodeClass}
    for key in order:
        counts[g.nodes[key]["cls"]] += 1
        unlinked[g.nodes[key]["cls"]] += s.degree(key) == 0
    legend = [{"cls": nc.value, "name": STYLES[nc].name, "color": STYLES[nc].color,
               "glyph": STYLES[nc].glyph, "count": counts[nc.value], "unlinked": unlinked[nc.value]}
              for nc in NodeClass if counts[nc.value]]
    return {"title": title, "note": note, "nodes": nodes, "edges": edges,
            "nodeInfo": node_info, "edgeInfo": edge_info, "legend": legend,
            "figureStyle": {"name": FIGURE.name, "color": FIGURE.color, "glyph": FIGURE.glyph,
                            "count": len(figures)},
            "options": vis_options(len(order), g.number_of_edges()), "total": total_nodes,
            "entities": len(order), "links": len(edge_info) - len(figures),
            "unlinked": sum(unlinked.values()), "labelled": always_labelled(g, s, ids, order, lay.bridges),
            "events": event_tree(g, ids), "components": comp_list, "bridges": bridges,
            "headings": [{"text": h.text, "x": h.x, "y": h.y} for h in headings],
            "labelThreshold": LABEL_THRESHOLD}


@lru_cache(maxsize=1)
def _env() -> Environment:
    """The page templates (kg/templates, read through kg.io), autoescaped."""
    return Environment(loader=FunctionLoader(_template), autoescape=True, keep_trailing_newline=True)


PAGE_SCRIPTS = ("graph-text.js", "graph.js", "graph-ways.js")  # one <script>, in this order


@dataclass(frozen=True)
class ViewParts:
    """The graph view in two parts, for a page of one's own: ``head`` (the stylesheets) goes
    into its <head>, ``body`` (side panel, canvas, data and scripts) into an element that
    gives the view its size."""

    head: Markup
    body: Markup


def view_parts(data: dict[str, Any]) -> ViewParts:
    """The view of :func:`page_data`'s result, to embed (kg viz and kg build wrap it in
    graph.html; a workbench page can wrap it in its own)."""
    js, css = _vis_assets()
    page_js = "\n".join(_template(name) for name in PAGE_SCRIPTS)
    head = _env().get_template("graph_head.html").render(
        vis_css=_inline(css, "style"), page_css=_inline(_template("graph.css"), "style"))
    body = _env().get_template("graph_view.html").render(
        title=data["title"], note=data["note"], data=script_json(data),
        vis_js=_inline(js, "script"), page_js=_inline(page_js, "script"))
    return ViewParts(Markup(head), Markup(body))


def render(data: dict[str, Any]) -> str:
    """The HTML page for :func:`page_data`'s result: one self-contained UTF-8 document."""
    parts = view_parts(data)
    return _env().get_template("graph.html").render(title=data["title"], head=parts.head, body=parts.body)


def build_page(kg: KnowledgeGraph, *, focus: str | None = None, depth: int = DEFAULT_DEPTH,
               limit: int = DEFAULT_LIMIT, source: str = "") -> tuple[str, PageReport]:
    """The page of a knowledge graph, whole or the ego graph of ``focus`` (label or alias,
    case-insensitive; UnknownEntity names close matches), capped at ``limit`` nodes."""
    g = project(kg)
    if focus is not None:
        g = ego(g, focus, depth)
        names = sorted({d["label"] for _, d in g.nodes(data=True) if d.get("focus")})
        title = f"{' / '.join(names)}, within {depth} link{'s' if depth != 1 else ''}"
    else:
        title = "Knowledge graph"
    total = g.number_of_nodes()
    g, left_out = cap(g, limit)
    note = ""
    if left_out:
        note = (f"Showing the {g.number_of_nodes():,} most connected of {total:,} entities; "
                f"{left_out:,} less connected ones are left out. Run kg viz --focus \"NAME\" "
                f"to see any entity with its neighbourhood.")
    data = page_data(g, title=title, note=note, total_nodes=total)
    data["source"] = source
    report = PageReport(nodes=data["entities"], edges=data["links"], left_out=left_out,
                        total_nodes=total, title=title)
    return render(data), report


def write_page(kg: KnowledgeGraph, path: Path, *, focus: str | None = None,
               depth: int = DEFAULT_DEPTH, limit: int = DEFAULT_LIMIT, source: str = "") -> PageReport:
    """Render the page and write it to ``path`` (UTF-8, atomically)."""
    html, report = build_page(kg, focus=focus, depth=depth, limit=limit, source=source)
    io.write_atomic(path, html)
    return report
