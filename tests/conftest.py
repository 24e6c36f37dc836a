"""Shared fixtures: the expensive ones (the loaded spaCy model, a built graph) are
session-scoped.

The ``slow`` marker: `python -m pytest -m "not slow"` is the fast loop (unit tests and the
seeds graph; under a minute on 2 cores). Slow are the browser, Virtuoso, benchmark, cluster
and end-to-end tests: whole files say so with ``pytestmark``, single tests with
``@pytest.mark.slow``, and any test that asks for a fixture in SLOW_FIXTURES (a browser, a
32-article build) is marked here."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SLOW_FIXTURES = frozenset({"driver", "loopback_driver", "dev2_graph"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def dev2_graph(tmp_path_factory):
    """32 articles of the genre (tests/data/dev2, copied from the shared dev2 corpus) built
    once per session, page included: (KnowledgeGraph, path of kg.ttl)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("dev2") / "kg.ttl"
    kg, _ = build([DATA / "dev2"], out)
    return kg, out


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the session's page tests, every network request refused."""
    from browser import CHROMEDRIVER, CHROMIUM, start_driver

    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("headless Chromium tests need chromium and chromedriver on PATH "
                    "(Debian: apt-get install chromium chromium-driver)")
    pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    drv, profile = start_driver()
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def seeds_store(seeds_graph, tmp_path_factory) -> Path:
    """The seeds graph written into a store folder (as `kg build --store` syncs it), once."""
    from kg.build import BuildReport, write_store

    kg, _, _ = seeds_graph
    folder = tmp_path_factory.mktemp("seeds-store") / "st"
    write_store(kg, folder, "test", BuildReport(out=None))
    return folder


@pytest.fixture(scope="session")
def loopback_driver():
    """Headless Chromium for pages served by a local `kg serve`: 127.0.0.1 is reached, every
    other request refused."""
    from browser import CHROMEDRIVER, CHROMIUM, start_driver

    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("headless Chromium tests need chromium and chromedriver on PATH "
                    "(Debian: apt-get install chromium chromium-driver)")
    pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    drv, profile = start_driver(loopback=True)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)
