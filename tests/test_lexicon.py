"""The word lists of extraction (kg/extract/lexicon/*.json): every list is read by the code, no
list repeats an entry, and no name from the gold keys under tests/data is written into the
code or the lists (rules belong to the language, not to one article)."""
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


def _gold_names() -> set[str]:
    names = set()
    for path in (Path(__file__).parent / "data").rglob("*.gold.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for key in ("people", "organizations", "events"):
            for item in gold.get(key, []):
                name = item["name"] if isinstance(item, dict) else item
                if name and len(name.split()) >= 2 and not name.islower():  # "signing ceremony" is generic
                    names.add(name.lower())
    return names


def test_no_name_from_a_gold_key_is_written_into_the_code_or_the_word_lists():
    literals = {m.lower() for m in re.findall(r"[\"']([^\"'\n]{4,80})[\"']", CODE)}
    for path in FILES:
        for _, items in _lists(json.loads(path.read_text(encoding="utf-8"))):
            literals.update(str(x).lower() for x in items)
        data = json.loads(path.read_text(encoding="utf-8"))
        literals.update(k.lower() for v in data.values() if isinstance(v, dict) for k in v)
    names = _gold_names()
    assert len(names) > 50  # the keys were read
    assert sorted(names & literals) == []
