"""The workbench of `kg serve` over HTTP (no browser): the Ask page, entity pages and search on
both engines (a graph file and a store), CONSTRUCT answers in Turtle and N-Triples, and names
from articles escaped in every page. The browser tests are in test_workbench_browser.py."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef, Variable
from rdflib.compare import isomorphic
from serving import hostile_files
from vizdata import PAYLOADS

from kg import query
from kg.serve import App, Limits, Source, make_server
from kg.store_query import with_values
from kg.workbench.entity_page import segments

pytestmark = pytest.mark.slow  # a real kg serve: HTTP on loopback, worker processes

FANG = "/entity/person/fang-hanting"


def _start(app: App):
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module", params=["graph", "store"])
def server(request, seeds_graph, seeds_store):
    _, _, out = seeds_graph
    source = Source(store=seeds_store) if request.param == "store" else Source(graph=out)
    srv = _start(App(source, Limits(seconds=20, rows=400), page=out.with_suffix(".html")))
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    out = hostile_files(tmp_path_factory.mktemp("hostile"))
    srv = _start(App(Source(graph=out), Limits(seconds=20, rows=400), page=out.with_suffix(".html")))
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _get(url: str, body: bytes | None = None, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, data=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


def _sparql(url: str, text: str, accept: str) -> tuple[int, dict, str]:
    return _get(f"{url}/sparql", text.encode(), Content_Type="application/sparql-query", Accept=accept)


def _visible(html: str) -> str:
    """The page without its scripts and styles (the JSON data in a script is checked apart)."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)


def test_ask_page_holds_the_library_and_states_the_limits(server):
    status, headers, html = _get(f"{server}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    data = json.loads(re.search(r'<script id="wb-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert {q["name"] for q in data["queries"]} == set(query.library())
    person = next(q for q in data["queries"] if q["name"] == "person")
    assert person["params"] == [{"name": "name", "kind": "literal", "optional": False,
                                 "description": person["params"][0]["description"]}]
    assert data["base"] == "https://kg.example.org/resource/" and data["rows"] == 400
    assert "may run for 20 s and return up to 400 rows" in html
    assert _get(f"{server}/sparql")[2] == html  # the endpoint opened in a browser
    assert "<script src" not in html and "<link rel=\"stylesheet\"" not in html


def test_fang_hantings_page_shows_both_posts_with_their_sentences(server):
    status, _, html = _get(f"{server}{FANG}")
    assert status == 200
    text = _visible(html)
    posts = text[text.index('id="posts"'):text.index("</section>", text.index('id="posts"'))]
    assert "Science and Technology Daily" in posts and "Zhejiang University" in posts
    assert "official" in posts and "doctoral supervisor" in posts
    words = re.sub(r"<[^>]+>", "", posts)  # the sentences, the words marked in them unmarked
    assert "said Fang Hanting, an official with Science and Technology Daily" in words
    assert "Fang Hanting, Doctoral Supervisor of Zhejiang University" in words
    assert "<mark>Fang Hanting</mark>, <mark>Doctoral Supervisor</mark> of <mark>Zhejiang University</mark>" in posts
    assert "000_f62b4a445ef0a2d3.txt" in posts and "002_5ae6d4e89899da78.txt" in posts
    assert 'href="/entity/org/zhejiang-university"' in posts
    assert 'id="events"' in text and 'id="merges"' in text and 'id="neighbours"' in text
    assert 'id="kg-view"' in html and '"focus":true' in html  # the graph view, him in focus


@pytest.mark.slow
def test_both_engines_give_the_same_page(seeds_graph, seeds_store):
    pages = []
    for source in (Source(graph=seeds_graph[2]), Source(store=seeds_store)):
        srv = _start(App(source, Limits(seconds=20, rows=400)))
        try:
            url = f"http://127.0.0.1:{srv.server_address[1]}"
            pages.append([_get(url + path)[2] for path in (
                FANG, "/entity/event/pujiang-innovation-forum", "/entity/place/shanghai", "/search?q=an")])
        finally:
            srv.shutdown()
            srv.server_close()
    assert pages[0] == pages[1]


def test_an_event_and_an_article_have_pages(server):
    status, _, html = _get(f"{server}/entity/event/pujiang-innovation-forum")
    assert status == 200 and "Pujiang Innovation Forum" in html
    assert "Sub-events" in html  # the sub-forum, linked
    assert "its sub-events' pages, linked above, list who took part" in html  # no participant of its own
    status, _, html = _get(f"{server}/entity/article/3384e28f4471cfdc")
    assert status == 200 and "Statements in this article" in html and "Names in this article" in html
    assert "Multi-layer support lifts investment and finance" in html


@pytest.mark.parametrize("path", ["/entity/person/nobody", "/entity/", "/entity/a%20b", "/entity/%3E%3C"])
def test_no_entity_is_a_404_page(server, path):
    status, headers, html = _get(server + path)
    assert status == 404 and headers["Content-Type"].startswith("text/html") and "No such entity" in html


def test_search_finds_an_entity_by_an_alias(server):
    rows = json.loads(_get(f"{server}/queries/aliases")[2])["results"]["bindings"]
    assert rows, "the seeds give at least one alias (CASTED)"
    name, alias = rows[0]["name"]["value"], rows[0]["alias"]["value"]
    status, _, html = _get(f"{server}/search?" + urllib.parse.urlencode({"q": alias.lower()}))
    assert status == 200
    hits = html[html.index('id="wb-hits"'):]
    assert name in hits and f"also called {alias}" in hits
    status, _, html = _get(f"{server}/search?" + urllib.parse.urlencode({"q": 'x" } DROP ALL #'}))
    assert status == 200 and 'data-count="0"' in html


def test_construct_answers_in_turtle_and_n_triples(server):
    text = ("PREFIX kgo: <https://kg.example.org/ontology#> CONSTRUCT { ?p kgo:person ?who } "
            "WHERE { ?p kgo:person ?who }")
    status, headers, turtle = _sparql(server, text, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, nt = _sparql(server, text, "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    a, b = Graph().parse(data=turtle, format="turtle"), Graph().parse(data=nt, format="nt")
    assert len(a) == len(nt.splitlines()) > 0 and isomorphic(a, b)
    assert _sparql(server, text, "application/sparql-results+json")[1]["Content-Type"].startswith("text/turtle")
    status, _, body = _sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/turtle")
    assert status == 406 and "CONSTRUCT" in body
    status, _, body = _sparql(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 400 and "more than 400 triples" in body


def test_a_syntax_error_names_its_line_and_column(server):
    status, _, body = _sparql(server, "SELECT ?x WHERE {\n  ?x a ?y .\n  FILTER(?x = \n}", "application/json")
    assert status == 400 and re.search(r"line:\d+, col:\d+", body)


def test_with_values_binds_the_where_clause_of_a_construct():
    iri = {Variable("e"): URIRef("http://e/x")}
    for text in ("CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }", "CONSTRUCT WHERE { ?e ?p ?o }",
                 "PREFIX a: <http://a/#{> CONSTRUCT { ?e a:p '}' } # {\nWHERE { ?e ?p ?o }",
                 "SELECT ?construct { ?e ?p ?construct }"):
        bound = with_values(text, iri)
        assert re.search(r"\{ VALUES \(\?e\) \{ \(<http://e/x>\) \}\s+\?e \?p \?\w+ \}$", bound), bound


def test_segments_mark_each_value_once():
    assert segments("a 1 b 2", ("1", "2", "1")) == [("a ", False), ("1", True), (" b ", False), ("2", True)]
    assert segments("plain", ()) == [("plain", False)]
    assert segments("Ann, Chief Officer of X", ("chief officer", "Ann", "officer")) == [
        ("Ann", True), (", ", False), ("Chief Officer", True), (" of X", False)]


def test_names_from_articles_are_text_in_every_page(hostile_server):
    person, img, org, link = PAYLOADS
    pages = {"/": None, "/search?" + urllib.parse.urlencode({"q": "<script>"}): person,
             "/search?" + urllib.parse.urlencode({"q": img}): None}
    status, _, html = _get(hostile_server + "/search?" + urllib.parse.urlencode({"q": "<"}))
    entities = sorted(set(re.findall(r'href="(/entity/[^"]+)"', html)))
    assert len(entities) == 5  # two people, an organisation, an event, the article
    pages.update({path: None for path in entities})
    for path, expected in pages.items():
        status, _, html = _get(hostile_server + path)
        assert status == 200, path
        visible = _visible(html)
        for payload in PAYLOADS:
            assert payload not in visible, (path, payload)
        assert "<img" not in visible and "<b>" not in visible and "javascript:" not in visible.replace(
            "javascript:window", "")  # the escaped text may hold it, never an attribute
        assert "javascript:" not in re.findall(r'href="[^"]*"', html).__str__()
        for data in re.findall(r'<script[^>]*type="application/json">(.*?)</script>', html, re.S):
            assert "<" not in data and ">" not in data
        if expected:
            assert expected.replace("<", "&lt;").replace(">", "&gt;") in visible
