"""Curation files: what they may say and how they are read and checked. Curation is a YAML
file that users edit to correct what extraction and resolution got
wrong: merge, split, rename or retype entities, drop an entity or a single fact. It is
applied at build time, after resolution and before RDF, in a fixed order (merge, split,
rename, retype, drop; entries in file order), so the same articles and the same file give
the same graph. The format is documented in docs/curation.md.

Entities are named by their label, an alias, or their key ("org/kestrel-bank"); names
are compared after folding case, punctuation, a leading "the" and legal suffixes. A name
that fits several entities is an error (say ``kind:`` or use the key); an entry that fits
nothing is reported as a note, not an error, so that a file outlives extraction changes."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml

from .. import io
from ..errors import CurationError
from ..model import EventKind, Kind, OrgKind, Role, Unit

FILE_NAMES = ("curation.yaml", "curation.yml")


class Action(str, Enum):
    """The sections of a curation file, in the order they are applied."""

    MERGE = "merge"
    SPLIT = "split"
    RENAME = "rename"
    RETYPE = "retype"
    DROP = "drop"


@dataclass(frozen=True)
class Entry:
    """One entry of a section: where it is (for messages) and its fields."""

    action: Action
    number: int  # 1-based, within its section
    fields: dict

    def where(self, source: str) -> str:
        return f"{source}: {self.action.value} entry {self.number}"


@dataclass
class Curation:
    """A parsed curation file."""

    source: str
    entries: list[Entry]
    digest: str  # of the file's text: part of what a build depends on


@dataclass
class CurationReport:
    """What applying a curation did: one line per entry applied, and notes for entries that
    matched nothing."""

    applied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_ALLOWED = {
    Action.MERGE: ({"into", "names"}, {"kind"}),
    Action.SPLIT: ({"entity", "names"}, {"kind", "articles"}),
    Action.RENAME: ({"entity", "name"}, {"kind"}),
    Action.RETYPE: ({"entity"}, {"kind", "to", "org_kind", "event_kind"}),
    Action.DROP: (set(), {"entity", "kind", "affiliation", "participation", "observation"}),
}
_FACT_FIELDS = {
    "affiliation": ({"person", "org"}, {"title", "article"}),
    "participation": ({"event", "participant"}, {"role", "article"}),
    "observation": ({"subject"}, {"measure", "value", "unit", "year", "article"}),
}


def find(paths: list[Path]) -> Path | None:
    """The curation file beside the articles: ``curation.yaml`` in the first folder given
    that has one."""
    for path in paths:
        for name in FILE_NAMES:
            if io.is_file(path / name):
                return path / name
    return None


def load(path: Path) -> Curation:
    """Read and check a curation file; CurationError names the file, entry and problem."""
    return parse(io.read_text(path), str(path))


def parse(text: str, source: str) -> Curation:
    """Parse the text of a curation file (``source`` names it in messages)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise CurationError(f"{source}:{where} not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CurationError(f"{source}: the top level must be a mapping of sections "
                            f"({', '.join(a.value for a in Action)})")
    unknown = sorted(str(k) for k in set(data) - {a.value for a in Action} - {"version"})
    if unknown:
        raise CurationError(f"{source}: unknown section {unknown[0]!r} "
                            f"(sections: {', '.join(a.value for a in Action)})")
    entries = []
    for action in Action:
        items = data.get(action.value) or []
        if not isinstance(items, list):
            raise CurationError(f"{source}: {action.value} must be a list of entries")
        for n, item in enumerate(items, 1):
            entry = Entry(action, n, item if isinstance(item, dict) else {})
            if not isinstance(item, dict):
                raise CurationError(f"{entry.where(source)}: an entry must be a mapping, not {_describe(item)}")
            _check(entry, source)
            entries.append(entry)
    return Curation(source, entries, hashlib.sha256(text.encode("utf-8")).hexdigest())


_STRING_FIELDS = ("into", "entity", "name", "kind", "to", "org_kind", "event_kind")


def _describe(value: object) -> str:
    """What a YAML value is, in a few words: never its whole text (a YAML alias bomb would
    expand to gigabytes)."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "nothing"}[value]
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value[:60] + ("…" if len(value) > 60 else ""))
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _check_types(entry: Entry, source: str) -> None:
    """Field names are strings, names and kinds are strings, the fields of a dropped fact
    are plain values (text or numbers): anything else is refused before it is read."""
    for key, value in entry.fields.items():
        if not isinstance(key, str):
            raise CurationError(f"{entry.where(source)}: a field name must be text, not {_describe(key)}")
        if key in _STRING_FIELDS and not isinstance(value, str):
            raise CurationError(f"{entry.where(source)}: {key} must be a name (text), not {_describe(value)}")
        if key in _FACT_FIELDS and isinstance(value, dict):
            for sub, item in value.items():
                if not isinstance(sub, str) or isinstance(item, bool) or not isinstance(item, (str, int, float)):
                    raise CurationError(f"{entry.where(source)}: {key}: {_describe(sub)} must be text "
                                        f"or a number, not {_describe(item)}")


def _check(entry: Entry, source: str) -> None:
    _check_types(entry, source)
    required, optional = _ALLOWED[entry.action]
    keys = set(entry.fields)
    if entry.action is Action.DROP:
        what = keys & {"entity", *_FACT_FIELDS}
        if len(what) != 1:
            raise CurationError(f"{entry.where(source)}: say what to drop: exactly one of entity, "
                                "affiliation, participation, observation")
        (kind,) = what
        if kind in _FACT_FIELDS:
            fact = entry.fields[kind]
            need, may = _FACT_FIELDS[kind]
            if not isinstance(fact, dict) or not need <= set(fact) or set(fact) - need - may:
                raise CurationError(f"{entry.where(source)}: {kind} needs {', '.join(sorted(need))}"
                                    f" and may have {', '.join(sorted(may))}")
            _enum(entry, source, Role, fact.get("role"))
            _enum(entry, source, Unit, fact.get("unit"))
    missing = sorted(required - keys)
    if missing:
        raise CurationError(f"{entry.where(source)}: missing {missing[0]!r}")
    extra = sorted(keys - required - optional)
    if extra:
        raise CurationError(f"{entry.where(source)}: unknown field {extra[0]!r} "
                            f"(fields: {', '.join(sorted(required | optional))})")
    if "names" in entry.fields:
        names = entry.fields["names"]
        if not isinstance(names, list) or not names or not all(isinstance(x, str) for x in names):
            raise CurationError(f"{entry.where(source)}: names must be a non-empty list of names")
    articles = entry.fields.get("articles")
    if articles is not None and (not isinstance(articles, list) or not all(isinstance(x, str) for x in articles)):
        raise CurationError(f"{entry.where(source)}: articles must be a list of article file names")
    for name in ("kind", "to"):
        _enum(entry, source, Kind, entry.fields.get(name))
    _enum(entry, source, OrgKind, entry.fields.get("org_kind"))
    _enum(entry, source, EventKind, entry.fields.get("event_kind"))


def _enum(entry: Entry, source: str, enum: type[Enum], value) -> Enum | None:
    if value is None:
        return None
    text = str(value).strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    for member in enum:
        if text in (member.name.lower().replace("_", ""), str(member.value).lower().replace(" ", "").replace("-", "")):
            return member
    allowed = ", ".join(str(m.value) for m in enum)
    raise CurationError(f"{entry.where(source)}: {_describe(value)} is not a {enum.__name__} ({allowed})")

