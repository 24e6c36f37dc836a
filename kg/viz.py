"""The interactive page: the entity network (kg.project) drawn with vis-network, through pyvis.

pyvis's own template loads vis-network, bootstrap and tom-select from CDNs (even with
``cdn_resources="in_line"``), so a page opened offline stays blank. This module uses pyvis to
assemble the nodes and edges and renders them with a template of our own
(kg/templates/graph.html) that inlines the vis-network script and stylesheet pyvis ships:
the page needs no network at all.

Text from articles never reaches HTML unescaped: the data travels as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., and the page's script builds labels, tooltips, search results and the
detail panel with ``textContent`` only (vis-network would render a string ``title`` as HTML;
ours are DOM elements)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment
from markupsafe import Markup
from pyvis.network import Network

from . import io
from .graphs import KnowledgeGraph
from .project import NodeClass, Relation, cap, ego, project

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


STYLES: dict[NodeClass, Style] = {
    NodeClass.PERSON: Style("Person", "dot", "#3b7dd8", "\u25cf"),
    NodeClass.ORGANIZATION: Style("Organisation", "square", "#f08c00", "\u25a0"),
    NodeClass.EVENT: Style("Event", "diamond", "#d6336c", "\u25c6"),
    NodeClass.PLACE: Style("Place", "triangle", "#2f9e44", "\u25b2"),
    NodeClass.WORK: Style("Work (report, index)", "hexagon", "#7950f2", "\u2b22"),
}
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


def script_json(data: Any) -> Markup:
    """JSON that is safe inside an inline ``<script>``: ``<``, ``>``, ``&`` and the JavaScript
    line separators are escaped, so no string in the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def _inline(text: str, element: str) -> Markup:
    """Library code to inline in a ``<script>`` or ``<style>`` element: ``</`` sequences that
    could close the element are written ``<\\/``, and ``<!--`` (which puts an HTML parser in
    a script's "escaped" state) ``<\\!--``; both are the same text inside JavaScript and CSS
    strings, where such sequences occur."""
    if f"</{element}" in text.lower():
        text = text.replace("</", "<\\/")
    if "<!--" in text:
        text = text.replace("<!--", "<\\!--")
    return Markup(text)


def _template(name: str) -> str:
    """A file of kg/templates (shipped inside the package)."""
    return io.read_text(Path(__file__).resolve().parent / "templates" / name)


def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships in its package."""
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / VIS_VERSION
    return io.read_text(lib / "vis-network.min.js"), io.read_text(lib / "vis-network.css")


def _sources(sources) -> list[dict[str, str]]:
    return [{"article": s.article, "sentence": s.sentence} for s in sources]


def _network(g: nx.MultiDiGraph) -> tuple[Network, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Nodes and edges in a directed pyvis Network (directed: pyvis checks undirected edges
    for duplicates in quadratic time), plus the text shown for each in tooltips and panels."""
    net = Network(directed=True)
    ids: dict[str, str] = {}
    node_info: dict[str, dict[str, Any]] = {}
    order = sorted(g.nodes, key=lambda n: (g.nodes[n]["label"].casefold(), n))
    for i, key in enumerate(order):
        d = g.nodes[key]
        cls = NodeClass(d["cls"])
        style = STYLES[cls]
        ids[key] = nid = f"n{i}"
        focus = bool(d.get("focus"))
        net.add_node(nid, label=d["label"], shape=style.shape, color=style.color,
                     value=g.degree(key) + 1, borderWidth=4 if focus else 1)
        node_info[nid] = {
            "label": d["label"], "cls": cls.value, "kind": d["kind"], "aliases": d["aliases"],
            "titles": d["titles"], "sources": _sources(d["sources"]), "figures": d["figures"],
            "articles": d["articles"], "date": d["date"], "focus": focus, "degree": g.degree(key)}
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
        net.add_edge(ids[u], ids[v], id=eid, label=" \u00b7 ".join(entry["labels"]),
                     color=EDGE_COLORS[relation])
        edge_info[eid] = {"from": g.nodes[u]["label"], "to": g.nodes[v]["label"],
                          "labels": entry["labels"], "relations": entry["relations"],
                          "events": entry["events"], "sources": entry["sources"]}
    return net, node_info, edge_info


def _iterations(nodes: int) -> int:
    """Layout iterations before the physics stops: fewer as graphs grow (headless Chromium
    lays out ~1500 nodes in under 10 s with 200)."""
    return 500 if nodes <= 100 else 300 if nodes <= 400 else 200


def vis_options(nodes: int, edges: int) -> dict[str, Any]:
    """vis-network options: physics that stabilises, then stops (the page turns it off);
    labels that stay readable; fewer iterations and hidden edges on drag for big graphs."""
    big = nodes > 400 or edges > 1200
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 4,
                           "strokeColor": "#ffffff", "color": "#1f2933"},
                  "scaling": {"min": 8, "max": 34, "label": {"enabled": True, "min": 13, "max": 22,
                                                              "drawThreshold": 5}},
                  "widthConstraint": {"maximum": 200}, "borderWidth": 1, "borderWidthSelected": 4},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "font": {"size": 11, "color": "#495057", "strokeWidth": 4, "strokeColor": "#ffffff",
                           "face": "system-ui, sans-serif"},
                  "smooth": False if big else {"type": "dynamic"}, "width": 1.4,
                  "selectionWidth": 2, "hoverWidth": 1.5},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -85, "centralGravity": 0.025,
                                         "springLength": 100, "springConstant": 0.08,
                                         "damping": 0.5, "avoidOverlap": 0.8},
                    "maxVelocity": 60, "minVelocity": 1.0, "timestep": 0.45,
                    "stabilization": {"enabled": True, "iterations": _iterations(nodes),
                                      "updateInterval": 50, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False},
        "layout": {"improvedLayout": nodes <= 150, "randomSeed": 7},
    }


def page_data(g: nx.MultiDiGraph, *, title: str, note: str, total_nodes: int) -> dict[str, Any]:
    """Everything the page's script reads: nodes, edges, their text, the legend, options."""
    net, node_info, edge_info = _network(g)
    nodes, edges, *_ = net.get_network_data()
    counts = {nc.value: 0 for nc in NodeClass}
    for info in node_info.values():
        counts[info["cls"]] += 1
    legend = [{"cls": nc.value, "name": STYLES[nc].name, "color": STYLES[nc].color,
               "glyph": STYLES[nc].glyph, "count": counts[nc.value]}
              for nc in NodeClass if counts[nc.value]]
    return {"title": title, "note": note, "nodes": nodes, "edges": edges, "nodeInfo": node_info,
            "edgeInfo": edge_info, "legend": legend, "options": vis_options(len(nodes), len(edges)),
            "total": total_nodes}


def render(data: dict[str, Any]) -> str:
    """The HTML page for :func:`page_data`'s result: one self-contained UTF-8 document."""
    env = Environment(autoescape=True, keep_trailing_newline=True)
    template = env.from_string(_template("graph.html"))
    js, css = _vis_assets()
    return template.render(
        title=data["title"], note=data["note"], data=script_json(data),
        vis_js=_inline(js, "script"), vis_css=_inline(css, "style"),
        page_js=_inline(_template("graph.js"), "script"),
        page_css=_inline(_template("graph.css"), "style"))


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
    report = PageReport(nodes=len(data["nodes"]), edges=len(data["edges"]), left_out=left_out,
                        total_nodes=total, title=title)
    return render(data), report


def write_page(kg: KnowledgeGraph, path: Path, *, focus: str | None = None,
               depth: int = DEFAULT_DEPTH, limit: int = DEFAULT_LIMIT, source: str = "") -> PageReport:
    """Render the page and write it to ``path`` (UTF-8, atomically)."""
    html, report = build_page(kg, focus=focus, depth=depth, limit=limit, source=source)
    io.write_atomic(path, html)
    return report
