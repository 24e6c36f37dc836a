"""Graph analytics on a small graph built by hand, where every figure can be worked out."""
from __future__ import annotations

import json

import networkx as nx
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS
from vizdata import forums_graph

from kg import graphs, stats
from kg.cli import main
from kg.network import project, simple
from kg.vocab import KGO

R = Namespace("https://kg.example.org/resource/")


def test_counts_per_class_and_property():
    s = stats.compute(forums_graph())
    assert s.entities == 12 and s.links == 13
    assert s.classes["kgo:Person"] == 3
    assert s.classes["kgo:Organization"] == 4  # a university counts as an organisation too
    assert s.classes["kgo:University"] == 1
    assert s.classes["kgo:Event"] == 3 and s.classes["kgo:Forum"] == 2 and s.classes["kgo:SubForum"] == 1
    assert s.classes["kgo:Agent"] == 7
    assert s.classes["kgo:Affiliation"] == 4 and s.classes["kgo:Participation"] == 4
    assert s.properties["kgo:title"] == 4
    assert s.properties["kgo:subEventOf"] == 1
    assert list(s.properties)[0] == "rdf:type"  # most used first


def test_central_people_and_institutions():
    s = stats.compute(forums_graph())
    degree = [(r.label, r.score) for r in s.central_people["degree"]]
    assert degree == [("Fang Hanting", 4), ("Li Wei", 3), ("Zhou Min", 1)]
    between = s.central_people["betweenness"]
    assert between[0].label == "Fang Hanting"
    g = simple(project(forums_graph()))
    key = next(n for n, d in g.nodes(data=True) if d["label"] == "Fang Hanting")
    assert between[0].score == round(nx.betweenness_centrality(g)[key], 6)
    assert s.betweenness == "exact"
    orgs = [r.label for r in s.central_organizations["betweenness"]]
    assert orgs[0] == "Zhejiang University"  # the only way to Zhou Min and her academy


def test_people_who_bridge_events():
    s = stats.compute(forums_graph())
    by_person = {b.person: b.events for b in s.bridges}
    # Li Wei's sub-forum rolls up to the Pujiang Innovation Forum
    assert by_person == {
        "Fang Hanting": ["2023 China Science and Technology Finance Forum", "Pujiang Innovation Forum"],
        "Li Wei": ["2023 China Science and Technology Finance Forum", "Pujiang Innovation Forum"],
    }
    posts = {b.person: b.posts for b in s.bridges}
    assert posts["Fang Hanting"] == [
        "doctoral supervisor, Zhejiang University (at 2023 China Science and Technology Finance Forum)",
        "official, Science and Technology Daily (at Pujiang Innovation Forum)"]
    assert posts["Li Wei"] == ["deputy director, Chinese Academy of Science and Technology for Development"]


def _two_islands() -> graphs.KnowledgeGraph:
    """Two islands (three people, each pair sharing an organisation) and one lone place."""
    g = Graph()
    for name in ("a", "b", "c", "x", "y", "z"):
        g.add((R[f"person/{name}"], RDF.type, KGO.Person))
        g.add((R[f"person/{name}"], RDFS.label, Literal(name.upper())))
    g.add((R["place/p"], RDF.type, KGO.Place))
    for i, (p, o) in enumerate([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x")]):
        org = R[f"org/{p}{o}"]
        g.add((org, RDF.type, KGO.Organization))
        g.add((org, RDFS.label, Literal(f"Org {p}{o}")))
        for who in (p, o):
            stmt = R[f"affiliation/{i}-{who}"]
            g.add((stmt, RDF.type, KGO.Affiliation))
            g.add((stmt, KGO.person, R[f"person/{who}"]))
            g.add((stmt, KGO.organization, org))
            g.add((stmt, KGO.title, Literal("member")))
    return graphs.KnowledgeGraph(asserted=g)


def test_components_and_communities():
    s = stats.compute(_two_islands())
    assert s.components == 3
    assert s.component_sizes == [6, 6, 1]
    assert s.isolated == 1
    assert sorted(c.size for c in s.communities) == [6, 6]
    assert {frozenset(c.members) for c in s.communities} == {
        frozenset({"A", "B", "C", "Org ab", "Org bc"}), frozenset({"Org xy", "Org yz", "Org zx", "X", "Y"})}  # ties: by name
    assert s.modularity == 0.5
    again = stats.compute(_two_islands())
    assert again.communities == s.communities  # seeded: the same every run


def test_sampled_betweenness_on_large_graphs(monkeypatch):
    monkeypatch.setattr(stats, "EXACT_BETWEENNESS_MAX", 5)
    s1 = stats.compute(forums_graph())
    s2 = stats.compute(forums_graph())
    assert s1.betweenness == "sampled (k=12, seed=42)"
    assert s1.central_people == s2.central_people


def test_empty_graph():
    s = stats.compute(graphs.KnowledgeGraph(asserted=Graph()))
    assert s.entities == 0 and s.components == 0 and s.communities == [] and s.bridges == []
    assert "Connected components: 0" in stats.render_table(s)


def test_table_and_json_output(tmp_path, capsys):
    ttl = tmp_path / "kg.ttl"
    forums_graph().save(ttl)
    assert main(["stats", "--graph", str(ttl), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entities"] == 12
    assert data["central_people"]["degree"][0] == {"label": "Fang Hanting", "kind": "person", "score": 4}
    assert main(["stats", "--graph", str(ttl)]) == 0
    table = capsys.readouterr().out
    assert "People at two or more events" in table
    assert "Fang Hanting" in table and "Communities (Louvain" in table


def test_a_post_without_a_title_names_the_institution_only():
    g = project(forums_graph())
    for _, _, e in g.edges(data=True):
        if e["relation"] == "affiliation" and e["label"] == "doctoral supervisor":
            e["label"] = ""  # "Fang Hanting of Zhejiang University": the article names no post
    fang = next(b for b in stats.bridges(g) if b.person == "Fang Hanting")
    assert fang.posts[0] == "Zhejiang University (at 2023 China Science and Technology Finance Forum)"
