"""The public API in kg/__init__.py: small and exact."""
import pytest

import kg


def test_public_api_is_exact():
    assert sorted(kg.__all__) == sorted(["BuildReport", "GraphError", "InputError", "KGError",
                                         "KnowledgeGraph", "OutputFormat", "QueryError", "QueryResult",
                                         "RDFFormat", "build_graph", "load_graph", "run_query",
                                         "__version__"])
    for name in kg.__all__:
        assert hasattr(kg, name), name


@pytest.mark.slow
def test_build_and_query_through_the_api(seeds_graph):
    graph, _, path = seeds_graph
    loaded = kg.load_graph(path)
    names = {str(r["name"]) for r in kg.run_query(loaded, "people").rows}
    assert "Fang Hanting" in names
    rows = kg.run_query(graph, "person", {"name": "Fang Hanting"}).rows
    assert rows
