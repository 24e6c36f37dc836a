"""Extraction quality on articles written for this test suite (invented people, institutions,
events and figures, in the genre's usual constructions): a regression floor for the whole
pipeline, scored the way kg-score scores."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate import build_and_evaluate

pytestmark = pytest.mark.slow  # end-to-end: builds unseen articles and scores them

FRESH = Path(__file__).parent / "data" / "fresh"


def test_pipeline_quality_on_unseen_style_articles():
    evaluation = build_and_evaluate(FRESH)
    scores = {name: score.f1 for name, score in evaluation.scores.items()}
    assert evaluation.macro_f1 >= 0.85, scores
    for category in ("people", "organizations", "affiliations", "events", "participation"):
        assert scores[category] >= 0.8, (category, scores)
