"""SPARQL safety: parameters are bound as RDF terms only; malformed IRIs are refused before
the query runs; SERVICE, LOAD and FROM are refused however they are written; parsing a
user's graph file never fetches anything. The no-network promise is checked by what the
process does (an audit hook on socket calls, a listening socket that must see no
connection), not by trusting an exception; control tests show the same harness does catch
rdflib reaching out when kg's checks are bypassed."""
from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef, Variable

from kg import query
from kg.cli import main
from kg.errors import QueryError

# ---------------------------------------------------------------- the network watchers

_NET_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                         "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
                         "socket.sendmsg", "urllib.Request", "http.client.connect"})
_RECORDERS: list[list[tuple[str, tuple]]] = []
_HOOKED: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _RECORDERS and event in _NET_EVENTS:
        _RECORDERS[-1].append((event, args))


@contextmanager
def network_attempts() -> Iterator[list[tuple[str, tuple]]]:
    """Record every socket connect / name lookup / URL request made inside the block."""
    if not _HOOKED:  # audit hooks cannot be removed: install one, switch it by the stack
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    attempts: list[tuple[str, tuple]] = []
    _RECORDERS.append(attempts)
    try:
        yield attempts
    finally:
        _RECORDERS.remove(attempts)


class Listener:
    """A TCP server on 127.0.0.1 that counts connections and hangs up on each at once."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:  # accept() timing out, or the socket closed
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_the_watchers_see_rdflib_reach_out_when_kg_is_bypassed(listener: Listener):
    """Control: rdflib alone does open connections for SERVICE and FROM."""
    for text in (f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
                 f"SELECT * FROM <{listener.url}/g> WHERE {{ ?s ?p ?o }}"):
        with network_attempts() as attempts:
            try:
                list(Dataset().query(text))
            except Exception:
                pass  # the listener hangs up
        assert any(event == "socket.connect" for event, _ in attempts)
    assert listener.connections >= 2


# ---------------------------------------------------------------- parameters

def _rows(capsys) -> list[dict]:
    return json.loads(capsys.readouterr().out)["results"]["bindings"]


@pytest.mark.parametrize("value", ['x" || true || "', "x' || true || '", '") } UNION { ?p ?q ?r } #',
                                   "Fang Hanting\" || \"", "\\u0022) || true || (\\u0022"])
def test_a_parameter_is_a_term_never_query_text(seeds_graph, capsys, value):
    _, _, out = seeds_graph
    assert main(["query", "person", "--graph", str(out), "--param", f"name={value}", "--format", "json"]) == 0
    assert _rows(capsys) == []
    q = query.resolve_query("person")
    assert query.bind(q, {"name": value}) == {Variable("name"): Literal(value)}


def test_the_same_parameter_with_a_real_name_matches(seeds_graph, capsys):
    kg, _, out = seeds_graph
    name = str(next(iter(query.run(kg, query.resolve_query("people")).rows))["name"])
    assert main(["query", "person", "--graph", str(out), "--param", f"name={name}", "--format", "json"]) == 0
    assert _rows(capsys)


IRI_QUERY = """# title: Label of a resource
# param: who (iri) - the resource
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?who rdfs:label ?label }
"""


@pytest.mark.parametrize("value", ["http://kg example/x", "<https://kg.example.org/x>", "no-scheme",
                                   "https://kg.example.org/x> } ; DROP ALL ; <", 'https://a/"b', "http:",
                                   "https://a/%zz", "https://a/\nb", "https://a/{x}", "https://a/#b#c"])
def test_a_malformed_iri_parameter_is_refused_before_the_query_runs(seeds_graph, tmp_path, monkeypatch,
                                                                    capsys, value):
    _, _, out = seeds_graph
    rq = tmp_path / "label.rq"
    rq.write_text(IRI_QUERY, encoding="utf-8")
    ran: list[object] = []
    monkeypatch.setattr(Dataset, "query", lambda self, *a, **k: ran.append(a))
    assert main(["query", str(rq), "--graph", str(out), "--param", f"who={value}"]) == 2
    assert "is not a valid absolute IRI" in capsys.readouterr().err
    assert ran == []


def test_a_well_formed_iri_parameter_is_bound(seeds_graph, tmp_path, capsys):
    kg, _, out = seeds_graph
    person = next(iter(kg.asserted.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                            URIRef("https://kg.example.org/ontology#Person"))))
    rq = tmp_path / "label.rq"
    rq.write_text(IRI_QUERY, encoding="utf-8")
    assert main(["query", str(rq), "--graph", str(out), "--param", f"who={person}", "--format", "json"]) == 0
    assert len(_rows(capsys)) == 1


@pytest.mark.parametrize("kind, value, ok", [
    ("integer", "42", True), ("integer", "-7", True), ("integer", "4 2", False), ("integer", "٤٢", False),
    ("integer", "1; DROP", False), ("date", "2024-05-01", True), ("date", "2024-02-30", False),
    ("date", "2024-5-1", False), ("date", "２０２４-05-01", False),
])
def test_typed_parameters_are_checked(kind, value, ok):
    q = query.NamedQuery("q", Path("q.rq"), "SELECT * WHERE { ?s ?p ?o }",
                         params=[query.Param("x", kind, "")])
    if ok:
        assert Variable("x") in query.bind(q, {"x": value})
    else:
        with pytest.raises(QueryError):
            query.bind(q, {"x": value})


# ---------------------------------------------------------------- what a query may do

ALLOWED = {
    "a comment that names them": "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://x/> FROM <http://y/> LOAD",
    "a string that names them": 'SELECT ?s WHERE { ?s ?p "SERVICE <http://x/> { } FROM <http://y/>" }',
    "variables named so": "SELECT ?from ?service ?load WHERE { ?from ?service ?load }",
    "prefixed names": "PREFIX ex: <http://e/> SELECT ?s WHERE { ?s ex:service ex:from . ?s ex:load ?x }",
    "IRIs that spell them": "SELECT ?s WHERE { ?s <http://e/SERVICE> <http://e/FROM> }",
    "GRAPH over kg's own graphs": "SELECT ?s WHERE { GRAPH <https://kg.example.org/graph/asserted> { ?s ?p ?o } }",
    "a long string with quotes": "SELECT ?s WHERE { ?s ?p '''it's \"SERVICE\" ''' }",
}
REFUSED = {
    "SERVICE": "SELECT ?s WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
    "SERVICE SILENT ?var": "SELECT ?s WHERE { BIND(<{url}/> AS ?e) SERVICE SILENT ?e { ?s ?p ?o } }",
    "lower case": "select ?s where { service <{url}/> { ?s ?p ?o } }",
    "unicode escape": "SELECT ?s WHERE { \\u0053ERVICE <{url}/> { ?s ?p ?o } }",
    "comment between": "SELECT ?s WHERE { SERVICE # hidden?\n <{url}/> { ?s ?p ?o } }",
    "in OPTIONAL": "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}/> { ?s ?p ?x } } }",
    "in FILTER EXISTS": "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}/> { ?s ?p ?x } } }",
    "in BIND NOT EXISTS": "SELECT ?s WHERE { ?s ?p ?o BIND(NOT EXISTS { SERVICE <{url}/> { ?s ?p ?x } } AS ?b) }",
    "in a sub-query": "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <{url}/> { ?s ?p ?o } } } }",
    "in UNION and MINUS": "SELECT ?s WHERE { { ?s ?p ?o } UNION { ?s ?q ?o MINUS { SERVICE <{url}/> { ?s ?p ?x } } } }",
    "in HAVING": "SELECT ?p WHERE { ?s ?p ?o } GROUP BY ?p HAVING (EXISTS { SERVICE <{url}/> { ?s ?p ?o } })",
    "FROM": "SELECT ?s FROM <{url}/g> WHERE { ?s ?p ?o }",
    "FROM NAMED": "SELECT ?s FROM NAMED <{url}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM": "ASK FROM <{url}/g> { ?s ?p ?o }",
    "CONSTRUCT FROM": "CONSTRUCT { ?s ?p ?o } FROM <{url}/g> WHERE { ?s ?p ?o }",
    "DESCRIBE FROM": "DESCRIBE <{url}/x> FROM <{url}/g>",
    "LOAD": "LOAD <{url}/g>",
    "LOAD SILENT INTO": "LOAD SILENT <{url}/g> INTO GRAPH <http://e/g>",
    "INSERT DATA": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "DROP": "DROP ALL",
}


@pytest.mark.parametrize("text", ALLOWED.values(), ids=ALLOWED.keys())
def test_words_in_comments_strings_and_names_do_not_trip_the_check(text):
    query.check_safe(query.NamedQuery("q", Path("q.rq"), text))


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_service_load_from_and_updates_are_refused_without_a_connection(seeds_graph, tmp_path, listener,
                                                                        capsys, text):
    _, _, out = seeds_graph
    rq = tmp_path / "q.rq"
    rq.write_text(text.replace("{url}", listener.url), encoding="utf-8")
    with network_attempts() as attempts:
        code = main(["query", str(rq), "--graph", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "is refused" in err and str(rq) in err
    assert attempts == [] and listener.connections == 0


def test_the_algebra_that_runs_is_checked_too():
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery("SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://e/> { ?s ?p ?x } } }").algebra
    assert query._refused(algebra) == ["SERVICE <http://e/>"]
    assert query._refused(prepareQuery("SELECT ?s WHERE { ?s ?p ?o }").algebra) == []


# ---------------------------------------------------------------- graph files

def test_a_turtle_graph_naming_remote_iris_is_parsed_without_fetching(tmp_path, listener, capsys):
    ttl = tmp_path / "g.ttl"
    ttl.write_text(f"""@prefix remote: <{listener.url}/ns#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <{listener.url}/base/> .
<{listener.url}/onto> a owl:Ontology ; owl:imports <{listener.url}/other.ttl> .
<x> a <https://kg.example.org/ontology#Person> ; rdfs:label "Ada Quill" ; rdfs:seeAlso <{listener.url}/more> .
""", encoding="utf-8")
    with network_attempts() as attempts:
        assert main(["query", "people", "--graph", str(ttl), "--format", "json"]) == 0
    assert [row["name"]["value"] for row in _rows(capsys)] == ["Ada Quill"]
    assert attempts == [] and listener.connections == 0


def test_json_ld_with_a_remote_context_is_refused_without_fetching(tmp_path, listener, capsys):
    doc = json.dumps({"@context": f"{listener.url}/context.jsonld", "@id": "http://e/a", "name": "x"})
    path = tmp_path / "g.jsonld"
    path.write_text(doc, encoding="utf-8")
    with network_attempts() as attempts:
        assert main(["query", "people", "--graph", str(path)]) == 2
    assert "not valid Turtle" in capsys.readouterr().err
    assert attempts == [] and listener.connections == 0
    with network_attempts() as attempts:  # control: rdflib's JSON-LD parser would fetch it
        try:
            Graph().parse(data=doc, format="json-ld")
        except Exception:
            pass
    assert attempts and listener.connections >= 1


def test_rdf_xml_with_external_entities_is_refused_without_reading_or_fetching(tmp_path, listener, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY local SYSTEM "file://{secret}"> <!ENTITY remote SYSTEM "{listener.url}/x"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://e/a"><rdfs:label>&local;&remote;</rdfs:label></rdf:Description>
</rdf:RDF>"""
    path = tmp_path / "g.rdf"
    path.write_text(doc, encoding="utf-8")
    with network_attempts() as attempts:
        assert main(["query", "people", "--graph", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "not valid Turtle" in captured.err and "TOP-SECRET" not in captured.out + captured.err
    assert attempts == [] and listener.connections == 0


@pytest.mark.slow
def test_build_query_and_export_touch_no_network(tmp_path, listener, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text(
        f"<html><head><link rel=stylesheet href='{listener.url}/s.css'><script src='{listener.url}/x.js'>"
        f"</script></head><body><article><h1>Forum opens</h1><p>The Harbour Innovation Forum opened in "
        f"Lisbon. Ada Quill, chief economist of <a href='{listener.url}/nb'>Norland Bank</a>, spoke."
        f"<img src='{listener.url}/p.png'></p></article></body></html>", encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    with network_attempts() as attempts:
        assert main(["build", str(tmp_path / "in"), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
        assert main(["query", "people", "--graph", str(out)]) == 0
        for fmt in ("turtle", "nt", "jsonld", "trig"):
            assert main(["export", "--graph", str(out), "--format", fmt, "--out", str(tmp_path / f"x.{fmt}")]) == 0
    assert attempts == [] and listener.connections == 0


# ---------------------------------------------------------------- the Oxigraph store

@pytest.fixture(scope="module")
def store_dir(seeds_store) -> Path:
    """The seeds in an on-disk Oxigraph store, as ``kg build --store`` writes it (conftest)."""
    return seeds_store


def test_oxigraph_would_connect_for_service_itself(listener: Listener):
    """Control: Oxigraph's HTTP client is in Rust, out of the audit hook's sight, and does
    open a connection for SERVICE. Only the listener witnesses it, and only kg's check stops it."""
    import pyoxigraph

    try:
        list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"))
    except Exception:
        pass  # the listener hangs up
    assert listener.connections == 1


@pytest.mark.parametrize("text", [REFUSED[k] for k in ("SERVICE", "unicode escape", "in FILTER EXISTS",
                                                        "in a sub-query", "FROM", "LOAD")],
                         ids=["SERVICE", "unicode escape", "in FILTER EXISTS", "in a sub-query", "FROM", "LOAD"])
def test_the_store_refuses_them_too_without_a_connection(store_dir, tmp_path, listener, capsys, text):
    rq = tmp_path / "q.rq"
    rq.write_text(text.replace("{url}", listener.url), encoding="utf-8")
    assert main(["query", str(rq), "--store", str(store_dir)]) == 2
    assert "is refused" in capsys.readouterr().err
    assert listener.connections == 0


def test_a_parameter_is_a_term_in_the_store_too(store_dir, capsys):
    assert main(["query", "person", "--store", str(store_dir), "--param", 'name=x" || true || "',
                 "--format", "json"]) == 0
    assert _rows(capsys) == []


_LEXICAL = ["# ", '"', "'", '"""', "'''", '\\"', "\\'", "\\\\", "#", "\n", "\r", "<", ">", "{", "}", "(", ")",
            " ", "\\u0022", "\\u0027", "\\u0023", "\\u000A", "\\u003C", "\\u003E", "\\u007B", "\\u007D", "?x",
            "<urn:a>", '"s"', "# c\n", "FILTER(", ".", ";", "\\u005C"]
_SERVICES = ["SERVICE <{url}> {{ ?s ?p ?o }}", "\\u0053ERVICE <{url}> {{ ?s ?p ?o }}",
             "SERVICE\\u0020<{url}> {{ ?s ?p ?o }}", "SERVICE <{url}> \\u007B ?s ?p ?o \\u007D",
             "SERVICE \\u003C{url}\\u003E {{ ?s ?p ?o }}"]
_WRAPS = ["{}", "# {}\n", 'FILTER("""{}""" != "")', "FILTER('''{}''' != '')", 'FILTER("{}" != "")',
          "FILTER('{}' != '')", "BIND(<urn:{}> AS ?z)"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pre=st.lists(st.sampled_from(_LEXICAL), max_size=4).map("".join),
       post=st.lists(st.sampled_from(_LEXICAL), max_size=4).map("".join),
       service=st.sampled_from(_SERVICES), wrap=st.sampled_from(_WRAPS))
@pytest.mark.slow
def test_whatever_the_check_lets_through_reaches_nothing(listener, pre, post, service, wrap):
    """A SERVICE among comments, strings and escapes: whenever the check accepts the text
    (the SERVICE is inside a comment or a string to rdflib), neither rdflib nor Oxigraph,
    each with its own parser, opens a connection."""
    import time

    import pyoxigraph

    inner = wrap.replace("{}", service.format(url=listener.url))
    text = f"SELECT * WHERE {{ ?s ?p ?o {pre}{inner}{post} }}"
    try:
        query.check_safe(query.NamedQuery("q", Path("q.rq"), text))
    except QueryError:
        return
    for engine in (lambda: list(Dataset().query(text)), lambda: list(pyoxigraph.Store().query(text))):
        try:
            engine()
        except Exception:  # noqa: BLE001 - a syntax error in one engine is fine; a connection is not
            pass
    time.sleep(0.02)
    assert listener.connections == 0
