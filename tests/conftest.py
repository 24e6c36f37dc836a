"""Shared fixtures: the expensive ones (the loaded spaCy model, a built graph) are
session-scoped."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The two original articles, copied into the test data (never read from ../shared)."""
    return DATA / "seeds"


@pytest.fixture(scope="session")
def seeds_graph(tmp_path_factory, seeds_dir):
    """The seeds built once per session: (KnowledgeGraph, BuildReport, path of kg.ttl)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seeds") / "kg.ttl"
    kg, report = build([seeds_dir], out)
    return kg, report, out
