"""The projection (RDF -> entity network), the ego graph and the cap, and the page as text:
self-contained (no http(s) script or stylesheet), escaped, written by `kg viz` and `kg build`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from vizdata import PAYLOADS, figures_graph, forums_graph, hostile_graph

from kg import graphs
from kg.cli import main
from kg.network import NodeClass, Relation, UnknownEntity, cap, close_matches, ego, find, project
from kg.viz import build_page, page_data, script_json, write_page


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return project(forums_graph())


def _node(g: nx.MultiDiGraph, label: str) -> str:
    (key,) = [n for n, d in g.nodes(data=True) if d["label"] == label]
    return key


def _edges(g, src: str, dst: str) -> list[tuple[str, str]]:
    return sorted((d["relation"], d["label"]) for _, v, d in g.out_edges(_node(g, src), data=True)
                  if v == _node(g, dst))


def test_one_node_per_entity_with_class_and_kind(network):
    classes = {d["label"]: (d["cls"], d["kind"]) for _, d in network.nodes(data=True)}
    assert classes["Fang Hanting"] == ("person", "person")
    assert classes["Zhejiang University"] == ("organization", "university")
    assert classes["Science and Technology Finance Sub-forum"] == ("event", "sub-forum")
    assert classes["Shanghai"] == ("place", "place")
    assert network.number_of_nodes() == 12  # statements, spans, articles are not nodes


def test_nary_statements_become_labelled_edges(network):
    assert _edges(network, "Fang Hanting", "Zhejiang University") == [("affiliation", "doctoral supervisor")]
    assert _edges(network, "Fang Hanting", "Pujiang Innovation Forum") == [("participation", "speaker")]
    assert _edges(network, "Li Wei", "Science and Technology Finance Sub-forum") == [
        ("participation", "keynote speaker")]
    assert _edges(network, "Chinese Academy of Science and Technology for Development",
                  "Pujiang Innovation Forum") == [("organizing", "host")]
    assert _edges(network, "Science and Technology Finance Sub-forum", "Pujiang Innovation Forum") == [
        (Relation.SUB_EVENT.value, Relation.SUB_EVENT.value)]
    assert _edges(network, "Academy of Internet Finance", "Zhejiang University") == [
        (Relation.SUB_ORGANIZATION.value, Relation.SUB_ORGANIZATION.value)]
    assert _edges(network, "Pujiang Innovation Forum", "Shanghai") == [("held in", "held in")]


def test_node_text_titles_aliases_sources_figures(network):
    fang = network.nodes[_node(network, "Fang Hanting")]
    assert fang["titles"] == ["doctoral supervisor, Zhejiang University",
                              "official, Science and Technology Daily"]
    articles = {s.article for s in fang["sources"]}
    assert articles == {"pujiang.txt", "forum.txt"}
    assert any("Doctoral Supervisor of Zhejiang University" in s.sentence for s in fang["sources"])
    casted = network.nodes[_node(network, "Chinese Academy of Science and Technology for Development")]
    assert casted["aliases"] == ["CASTED"]
    shenzhen = network.nodes[_node(network, "Shenzhen")]
    assert shenzhen["figures"] == ["venture capital: 120.5 billion yuan (2022)"]
    edge = next(d for _, v, d in network.out_edges(_node(network, "Fang Hanting"), data=True)
                if d["relation"] == "affiliation" and d["label"] == "official")
    assert edge["event"] == "Pujiang Innovation Forum"


def test_find_by_label_or_alias_any_case(network):
    assert find(network, "  fang   HANTING ") == [_node(network, "Fang Hanting")]
    assert find(network, "casted") == [_node(network, "Chinese Academy of Science and Technology for Development")]
    assert find(network, "Fang") == []


def test_ego_graph_depth(network):
    one = ego(network, "Fang Hanting", 1)
    assert {d["label"] for _, d in one.nodes(data=True)} == {
        "Fang Hanting", "Zhejiang University", "Science and Technology Daily",
        "Pujiang Innovation Forum", "2023 China Science and Technology Finance Forum"}
    assert one.nodes[_node(network, "Fang Hanting")]["focus"] is True
    two = ego(network, "fang hanting", 2)
    assert {"Li Wei", "Shanghai", "Academy of Internet Finance"} <= {d["label"] for _, d in two.nodes(data=True)}
    assert "Zhou Min" not in {d["label"] for _, d in two.nodes(data=True)}
    assert ego(network, "Fang Hanting", 0).number_of_nodes() == 1


def test_unknown_focus_names_close_matches(network):
    with pytest.raises(UnknownEntity) as err:
        ego(network, "Fang Hantin", 2)
    assert "'Fang Hanting'" in str(err.value)
    assert close_matches(network, "zhejiang") == ["Zhejiang University"]
    with pytest.raises(UnknownEntity, match="no entity labelled 'Nobody At All'"):
        ego(network, "Nobody At All", 2)


def test_cap_keeps_best_connected():
    g = nx.MultiDiGraph()
    for i in range(10):
        g.add_node(f"n{i}", label=f"N{i}", cls="person")
    for i in range(1, 10):
        g.add_edge("n0", f"n{i}")
    g.add_edge("n1", "n2")
    kept, left_out = cap(g, 3)
    assert left_out == 7
    assert set(kept) == {"n0", "n1", "n2"}
    assert cap(g, 0) == (g, 0) and cap(g, 10) == (g, 0)
    g.nodes["n9"]["focus"] = True  # the entity a page is about is never left out
    assert set(cap(g, 3)[0]) == {"n9", "n0", "n1"}


def test_script_json_cannot_close_the_script():
    text = str(script_json({"a": "</script><script>alert(1)</script>", "b": "x & y <!--", "c": "\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "x & y <!--", "c": "\u2028"}


def _page_data(html: str) -> dict:
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_page_is_self_contained_and_escaped():
    html, report = build_page(hostile_graph())
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html, re.I)
    assert html.lower().count("</script") == 3  # only the three elements' own end tags
    for payload in PAYLOADS:
        assert payload not in html  # only in escaped forms
    data = _page_data(html)
    labels = {info["label"] for info in data["nodeInfo"].values()}
    assert set(PAYLOADS[:3]) <= labels
    assert report.nodes == len(data["nodes"]) == 4
    page_script = html.split('<script id="kg-data"')[1].rsplit("<script>", 1)[1]
    assert not re.search(r"\.(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write", page_script)


def test_page_counts_legend_and_cap_note():
    html, report = build_page(forums_graph(), limit=5)
    data = _page_data(html)
    assert report.nodes == 5 and report.left_out == 7 and report.total_nodes == 12
    assert data["total"] == 12
    assert 'id="kg-note"' in html and "7 less connected ones are left out" in html
    full, _ = build_page(forums_graph())
    assert 'id="kg-note"' not in full
    legend = {c["cls"]: c["count"] for c in _page_data(full)["legend"]}
    assert legend == {NodeClass.PERSON.value: 3, NodeClass.ORGANIZATION.value: 4,
                      NodeClass.EVENT.value: 3, NodeClass.PLACE.value: 2}


def _big_graph(events: int, people: int) -> graphs.KnowledgeGraph:
    """Many people at a few events, written as triples directly (resolution is not under test)."""
    from rdflib import Graph, Literal, Namespace
    from rdflib.namespace import RDF, RDFS

    from kg.vocab import KGO

    r = Namespace("https://kg.example.org/resource/")
    g = Graph()
    for e in range(events):
        g.add((r[f"event/{e}"], RDF.type, KGO.Forum))
        g.add((r[f"event/{e}"], RDFS.label, Literal(f"Forum {e}")))
    for p in range(people):
        g.add((r[f"person/{p}"], RDF.type, KGO.Person))
        g.add((r[f"person/{p}"], RDFS.label, Literal(f"Person {p}")))
        stmt = r[f"participation/{p}"]
        g.add((stmt, RDF.type, KGO.Participation))
        g.add((stmt, KGO.participant, r[f"person/{p}"]))
        g.add((stmt, KGO.event, r[f"event/{p % events}"]))
        g.add((stmt, KGO.role, KGO.Attendee))
    return graphs.KnowledgeGraph(asserted=g)


@pytest.mark.slow
def test_large_graph_page_is_capped_and_fast():
    import time

    kg = _big_graph(40, 3000)
    start = time.perf_counter()
    html, report = build_page(kg)
    assert time.perf_counter() - start < 30
    assert report.total_nodes == 3040 and report.nodes == 1500 and report.left_out == 1540
    assert "1,540 less connected ones are left out" in html
    data = _page_data(html)
    assert sum(1 for info in data["nodeInfo"].values() if info["cls"] == "event") == 40


def test_kg_viz_cli(tmp_path, capsys):
    kg = forums_graph()
    ttl = tmp_path / "kg.ttl"
    kg.save(ttl)
    assert main(["viz", "--graph", str(ttl)]) == 0
    page = tmp_path / "kg.html"
    assert page.read_bytes().decode("utf-8").startswith("<!DOCTYPE html>")
    assert "12 entities" in capsys.readouterr().err
    out = tmp_path / "fang.html"
    assert main(["viz", "--graph", str(ttl), "--focus", "Fang Hanting", "--depth", "1", "--out", str(out)]) == 0
    assert len(_page_data(out.read_text(encoding="utf-8"))["nodes"]) == 5
    assert main(["viz", "--graph", str(ttl), "--focus", "Fang Hantin"]) == 2
    err = capsys.readouterr().err
    assert "kg viz: error: [E210] no entity labelled 'Fang Hantin'" in err and "'Fang Hanting'" in err


def test_build_writes_the_page_beside_the_graph(seeds_graph):
    _, _, ttl = seeds_graph
    page = Path(ttl).with_suffix(".html")
    assert page.is_file()
    data = _page_data(page.read_text(encoding="utf-8"))
    assert any(info["label"] == "Fang Hanting" for info in data["nodeInfo"].values())


def test_write_page_is_utf8(tmp_path):
    report = write_page(hostile_graph(), tmp_path / "x" / "p.html")
    raw = (tmp_path / "x" / "p.html").read_bytes()
    assert b'<meta charset="utf-8">' in raw
    raw.decode("utf-8")
    assert report.nodes == 4


def test_inlined_code_cannot_end_its_element():
    from kg.viz import _inline

    js = str(_inline('var a = "</SCRIPT><script>x()</script>"; var b = "<!--";', "script"))
    assert "</script" not in js.lower() and "<!--" not in js
    assert str(_inline("a { content: '</style>' }", "style")).count("</style") == 0
    assert str(_inline("plain", "script")) == "plain"


def test_page_is_deterministic_and_empty_graphs_render():
    assert build_page(forums_graph())[0] == build_page(forums_graph())[0]
    from rdflib import Graph

    html, report = build_page(graphs.KnowledgeGraph(asserted=Graph()))
    assert report.nodes == 0 and _page_data(html)["nodes"] == []


def test_layout_places_every_node_linked_ones_apart_unlinked_below():
    import math

    from kg.layout import positions

    g = nx.Graph()
    for i in range(30):  # a star of 20 and a path of 10, three unlinked nodes
        g.add_node(f"s{i}")
    g.add_edges_from(("s0", f"s{i}") for i in range(1, 20))
    g.add_edges_from((f"s{i}", f"s{i + 1}") for i in range(20, 29))
    g.add_nodes_from(["u1", "u2", "u3"])
    order = sorted(g)
    group_of = {n: "person" if n != "u3" else "place" for n in g}
    places, headings = positions(g, order, [("person", "People"), ("place", "Places")], group_of)
    assert set(places) == set(g)
    assert places == positions(g, order, [("person", "People"), ("place", "Places")], group_of)[0]
    linked = [places[n] for n in g if g.degree(n)]
    closest = min(math.dist(a, b) for i, a in enumerate(linked) for b in linked[i + 1:])
    assert closest > 40  # room for a node and its label
    lowest = max(y for _, y in linked)
    assert all(places[u][1] > lowest for u in ("u1", "u2", "u3"))
    assert [h.text for h in headings] == ["People (2)", "Places (1)"]
    assert all(h.y > lowest for h in headings)


def test_page_data_ways_in():
    data = page_data(project(figures_graph()), title="t", note="", total_nodes=0)
    label = {k: v["label"] for k, v in data["nodeInfo"].items()}
    by_label = {v: k for k, v in label.items()}
    assert [(e["text"], e["depth"]) for e in data["events"]] == [
        ("2023 China Science and Technology Finance Forum (2023-06-01)", 0),
        ("Pujiang Innovation Forum (2023-09-09)", 0), ("Science and Technology Finance Sub-forum", 1)]
    fang, li = data["bridges"]
    assert label[fang["id"]] == "Fang Hanting" and label[li["id"]] == "Li Wei"
    posts = {label[e["id"]]: [(p["title"], label[p["org"]]) for p in e["posts"]] for e in fang["events"]}
    assert posts == {"2023 China Science and Technology Finance Forum": [("doctoral supervisor", "Zhejiang University")],
                     "Pujiang Innovation Forum": [("official", "Science and Technology Daily")]}
    posts = {label[e["id"]]: [(p["title"], label[p["org"]]) for p in e["posts"]] for e in li["events"]}
    assert posts == {"2023 China Science and Technology Finance Forum": [],  # said in another article
                     "Pujiang Innovation Forum": [("deputy director",
                                                   "Chinese Academy of Science and Technology for Development")]}
    assert data["unlinked"] == 1 and data["nodeInfo"][by_label["Lone Reporter"]]["degree"] == 0
    labelled = [label[i] for i in data["labelled"]]
    assert labelled[:2] == ["Fang Hanting", "Li Wei"]  # people at several events first
    assert {"Pujiang Innovation Forum", "Science and Technology Finance Sub-forum"} <= set(labelled)
    assert "Lone Reporter" not in labelled
    assert data["components"][0]["size"] == 12 and data["components"][0]["name"] == "Fang Hanting"
    figures = [v for v in data["nodeInfo"].values() if v["cls"] == "figure"]
    assert {(f["measure"], f["year"]) for f in figures} == {
        ("venture capital", 2021), ("venture capital", 2022), ("venture capital", 2023), ("R&D intensity", 2023)}
    assert all(label[f["subject"]] == "Shenzhen" for f in figures)
    assert data["figureStyle"]["count"] == 4 and data["links"] == len(data["edges"]) - 4
    node = {n["id"]: n for n in data["nodes"]}
    assert all(isinstance(node[k]["x"], int) and isinstance(node[k]["y"], int) for k in node)
    assert node[by_label["Fang Hanting"]]["borderWidth"] == 3
    assert data["options"]["physics"] == {"enabled": False}


def test_same_articles_same_page_bytes(dev2_graph):
    kg, ttl = dev2_graph
    html, report = build_page(kg, source=ttl.name)
    assert html == build_page(kg, source=ttl.name)[0]
    assert html.encode("utf-8") == ttl.with_suffix(".html").read_bytes()  # as kg build wrote it
    assert report.nodes > report.edges / 4 > 0
