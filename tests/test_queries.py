"""The named query library: every query parses and runs; the contract queries return the
variables kg-score reads; parameters are bound as RDF terms."""
from __future__ import annotations

import json

import pytest

from kg import query
from kg.errors import QueryError

CONTRACT = {
    "people": ["name"],
    "organizations": ["name"],
    "affiliations": ["person", "org", "title"],
    "events": ["event", "date", "location", "parent"],
    "participation": ["event", "participant", "role"],
    "metrics": ["subject", "measure", "value", "unit", "year"],
    "cross_event_people": ["person", "event", "org", "title"],
}
SAMPLE_PARAMS = {"name": "Nobody Here", "subject": "Nowhere", "place": "Nowhere", "a": "X", "b": "Y",
                 "kind": "university", "event_name": "Some Forum"}


def test_library_has_contract_queries_and_more():
    lib = query.library()
    assert set(CONTRACT) <= set(lib)
    assert "person" in lib
    assert len(set(lib) - set(CONTRACT) - {"person"}) >= 6
    for q in lib.values():
        assert q.title and q.description, q.name


@pytest.mark.parametrize("name", sorted(query.library()))
def test_every_query_runs(seeds_graph, name):
    kg, _, _ = seeds_graph
    q = query.library()[name]
    params = {p.name: SAMPLE_PARAMS[p.name] for p in q.params}
    result = query.run(kg, q, params)
    if name in CONTRACT:
        assert result.variables[: len(CONTRACT[name])] == CONTRACT[name]
    data = json.loads(result.to_json())
    assert set(data) == {"head", "results"} and isinstance(data["results"]["bindings"], list)


def test_people_query_lists_people(seeds_graph):
    kg, _, _ = seeds_graph
    names = {str(r["name"]) for r in query.run(kg, query.library()["people"]).rows}
    assert "Fang Hanting" in names


def test_person_parameter_is_a_bound_literal():
    from test_pipeline import _article

    from kg.graphs import KnowledgeGraph
    from kg.rdf import to_rdf
    from kg.resolve import resolve

    kg = KnowledgeGraph(asserted=to_rdf(resolve([_article("a.txt", "a" * 64)])))
    q = query.library()["person"]
    hits = query.run(kg, q, {"name": "ada QUILL"}).rows
    assert {(str(r["what"]), str(r["org_or_event"]), str(r["detail"])) for r in hits} == {
        ("affiliation", "Norland Bank", "chief economist"),
        ("participation", "Harbour Finance Forum", "speaker"),
    }
    assert all(str(r["article"]) == "a.txt" and "Ada Quill" in str(r["sentence"]) for r in hits)
    # text that would break out of a pasted string literal matches nothing
    assert query.run(kg, q, {"name": 'x" || true || "'}).rows == []


def test_unknown_parameter_and_query_are_errors(seeds_graph):
    kg, _, _ = seeds_graph
    with pytest.raises(QueryError, match="no parameter"):
        query.run(kg, query.library()["people"], {"nope": "1"})
    with pytest.raises(QueryError, match="unknown query"):
        query.resolve_query("no_such_query")


def test_service_and_updates_are_refused(seeds_graph, tmp_path):
    kg, _, _ = seeds_graph
    rq = tmp_path / "remote.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="SERVICE"):
        query.run(kg, query.resolve_query(str(rq)))
    upd = tmp_path / "drop.rq"
    upd.write_text("DROP ALL")
    with pytest.raises(QueryError):
        query.run(kg, query.resolve_query(str(upd)))


def test_table_and_csv_output(seeds_graph):
    kg, _, _ = seeds_graph
    result = query.run(kg, query.library()["people"])
    table = result.render(query.OutputFormat.TABLE)
    assert table.splitlines()[0].strip() == "name" and table.rstrip().endswith("rows)")
    csv_text = result.render(query.OutputFormat.CSV)
    assert csv_text.splitlines()[0] == "name" and len(csv_text.splitlines()) == len(result.rows) + 1
