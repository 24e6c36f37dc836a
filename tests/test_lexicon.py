"""The word lists of extraction (kg/extract/lexicon/*.json): every list is read by the code, no
list repeats an entry, and every list is generic (the check that no gold name is in it lives
with the quality tests)."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

LEXICON = Path(__file__).resolve().parents[1] / "kg" / "extract" / "lexicon"
CODE = "\n".join(p.read_text(encoding="utf-8") for p in (LEXICON.parent).rglob("*.py"))
FILES = sorted(LEXICON.glob("*.json"))


def _lists(data: dict, prefix: str = ""):
    """(dotted key, list) for every list in a lexicon file, nested dicts included."""
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if isinstance(value, list):
            yield prefix + key, value
        elif isinstance(value, dict) and all(isinstance(v, (list, dict)) for v in value.values()):
            yield from _lists(value, prefix + key + ".")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_list_repeats_an_entry(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    repeats = {key: [w for w, n in Counter(str(x).lower() for x in items).items() if n > 1]
               for key, items in _lists(data)}
    assert {k: v for k, v in repeats.items() if v} == {}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_top_level_list_is_read_by_the_code(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    unused = [key for key in data if not key.startswith("_") and not re.search(rf"[\"']{re.escape(key)}[\"']", CODE)]
    assert unused == []


def test_the_lexicon_files_are_all_read_by_one_loader_or_the_metric_loader():
    named = {m for m in re.findall(r"[\"'](\w+)(?:\.json)?[\"']", CODE)}
    assert {p.stem for p in FILES} <= named
