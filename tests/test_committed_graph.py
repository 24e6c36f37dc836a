"""graph/ holds the built graph of articles/; rebuilding it gives the same bytes (the committed
files are what `kg build` makes, not a hand-edited copy)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_rebuilding_the_bundled_articles_gives_the_committed_bytes(tmp_path):
    out = tmp_path / "kg.ttl"
    build([ROOT / "articles"], out)
    for name in ("kg.ttl", "kg.inferred.ttl", "kg.html"):
        assert (tmp_path / name).read_bytes() == (ROOT / "graph" / name).read_bytes(), name
