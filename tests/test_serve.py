"""`kg serve`: the read-only SPARQL endpoint, over real HTTP on a free port."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from kg import query
from kg.serve import App, Limits, Source, make_server

pytestmark = pytest.mark.slow  # a real kg serve: HTTP on loopback, worker processes

PEOPLE = query.library()["people"].text


def _start(app: App):
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def store_dir(seeds_store):
    return seeds_store


@pytest.fixture(scope="module", params=["store", "graph"])
def server(request, seeds_graph, store_dir, tmp_path_factory):
    kg, _, out = seeds_graph
    page = tmp_path_factory.mktemp("page") / "kg.html"
    page.write_text("<!doctype html><title>graph page</title>", encoding="utf-8")
    source = Source(store=store_dir) if request.param == "store" else Source(graph=out)
    srv = _start(App(source, Limits(seconds=5, rows=500), page=page))
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _get(url: str, accept: str | None = None) -> tuple[int, str, str]:
    headers = {"Accept": accept} if accept else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def _post(url: str, body: bytes, ctype: str, accept: str | None = None) -> tuple[int, str, str]:
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def _q(text: str) -> str:
    return urllib.parse.urlencode({"query": text})


def test_get_json(server, seeds_graph):
    kg, _, _ = seeds_graph
    status, ctype, body = _get(f"{server}/sparql?{_q(PEOPLE)}")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    names = {b["name"]["value"] for b in json.loads(body)["results"]["bindings"]}
    expected = {str(r["name"]) for r in query.run(kg, query.library()["people"]).rows}
    assert names == expected and names


def test_post_forms_and_negotiation(server):
    status, ctype, body = _post(f"{server}/sparql", PEOPLE.encode(), "application/sparql-query",
                                accept="text/csv")
    assert status == 200 and ctype.startswith("text/csv") and body.startswith("name\r\n")
    status, ctype, body = _post(f"{server}/sparql", _q(PEOPLE).encode(),
                                "application/x-www-form-urlencoded",
                                accept="application/sparql-results+xml")
    assert status == 200 and "xml" in ctype
    assert ET.fromstring(body).tag.endswith("sparql")
    status, ctype, body = _get(f"{server}/sparql?{_q(PEOPLE)}&format=tsv")
    assert status == 200 and body.startswith("?name\n")
    status, _, _ = _get(f"{server}/sparql?{_q(PEOPLE)}", accept="image/png")
    assert status == 406


def test_ask(server):
    status, _, body = _get(f"{server}/sparql?{_q('ASK { ?s ?p ?o }')}")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DROP ALL",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "this is not SPARQL",
])
def test_refused(server, text):
    status, _, body = _get(f"{server}/sparql?{_q(text)}")
    assert status == 400, body


def test_updates_refused(server):
    assert _post(f"{server}/sparql", b"DROP ALL", "application/sparql-update")[0] == 403
    assert _post(f"{server}/sparql", urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                 "application/x-www-form-urlencoded")[0] == 403
    assert _get(f"{server}/sparql?update=DROP%20ALL")[0] == 403
    request = urllib.request.Request(f"{server}/sparql", data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 405


def test_row_limit(server):
    status, _, body = _get(f"{server}/sparql?{_q('SELECT * WHERE { ?s ?p ?o }')}")
    assert status == 400 and "more than 500 rows" in body
    status, _, _ = _get(f"{server}/sparql?{_q('SELECT * WHERE { ?s ?p ?o } LIMIT 10')}")
    assert status == 200


def test_pages_are_escaped(server):
    status, ctype, body = _get(f"{server}/queries")
    assert status == 200 and ctype.startswith("text/html")
    assert "cross_event_people" in body and "&lt;https://kg.example.org/ontology#&gt;" in body
    assert _get(f"{server}/graph")[2].startswith("<!doctype html>")
    assert _get(f"{server}/")[0] == 200
    assert _get(f"{server}/nothing")[0] == 404


def test_named_query_with_bound_parameter(server):
    status, _, body = _get(f"{server}/queries/person?name=Fang%20Hanting")
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    assert rows and all(r["person"]["value"] == "Fang Hanting" for r in rows)
    status, _, body = _get(f"{server}/queries/person?name=" + urllib.parse.quote('x" } DROP ALL #'))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    assert _get(f"{server}/queries/nope")[0] == 400


def test_default_host_is_loopback():
    import inspect

    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    from kg.cli import parser

    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000
