"""`kg query` imports only what a query needs: not the build, the page, networkx or spaCy
(each `kg query` is a process of its own, and those imports cost more than most queries)."""
from __future__ import annotations

import json
import subprocess
import sys

import kg

HEAVY = ("kg.build", "kg.viz", "kg.layout", "kg.stats", "kg.extract", "kg.reason", "networkx",
         "pyvis", "spacy", "numpy", "owlrl", "pyshacl")

_PROBE = """
import json, sys
from kg.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(*argv: str) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


def test_kg_query_imports_nothing_heavy(seeds_graph):
    _, _, out = seeds_graph
    code, modules, stdout = _modules_after("query", "people", "--graph", str(out), "--format", "csv")
    assert code == 0 and "Fang Hanting" in stdout
    loaded = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert loaded == []


def test_import_kg_is_light_and_the_api_is_still_there():
    done = subprocess.run([sys.executable, "-c", "import sys, kg; print(' '.join(sorted(sys.modules)))"],
                          capture_output=True, text=True, timeout=60, check=True)
    modules = set(done.stdout.split())
    assert not {"kg.build", "kg.viz", "rdflib", "networkx"} & modules
    assert kg.build_graph.__module__ == "kg.build" and kg.load_graph.__module__ == "kg.graphs"
    assert "run_query" in dir(kg) and "KnowledgeGraph" in dir(kg)
