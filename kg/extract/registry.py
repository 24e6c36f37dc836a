"""The entities of one article while it is being extracted: every step that finds a mention
adds it here, and every step that needs "the entity at these offsets" asks here. (The
name is kept: it is the article's entity registry, not a registry of plugins; `entities.py`
beside it finds the mentions.)"""
from __future__ import annotations

import re

from ..model import Entity, EventKind, Kind, OrgKind, Span

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")


def clean_name(name: str) -> str:
    """A name as it is stored: single spaces, no leading "the", no trailing punctuation."""
    name = " ".join(name.split())
    name = _LEADING_THE.sub("", name)
    if re.search(r"\b(?:Co|Ltd|Inc|Corp|Bhd|S\.A|N\.V)\.$", name):
        return name.strip(" ,;:'\"“”‘’")
    return name.strip(" ,;:.'\"“”‘’")


def name_key(name: str) -> str:
    """A comparison key: case and punctuation folded, no leading "the"."""
    text = clean_name(name).lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


class EntityRegistry:
    """Entities of one article, keyed by local id; one entity per (kind, name key)."""

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._by_key: dict[tuple[Kind, str], str] = {}
        self._alias: dict[str, str] = {}  # name key of an alias -> entity id
        self._spans: list[tuple[int, int, str]] = []  # (start, end, entity id)
        self._seen: dict[str, tuple[list[int], set[Span]]] = {}  # entity id -> mentions read, as a set

    def __iter__(self):
        return iter(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def get(self, entity_id: str) -> Entity:
        """The entity with this id."""
        return self._entities[entity_id]

    def add(self, kind: Kind, name: str, span: Span | None = None, *,
            org_kind: OrgKind | None = None, event_kind: EventKind | None = None) -> str:
        """Add a mention; return the id of the entity it belongs to (new or existing)."""
        name = clean_name(name)
        key = name_key(name)
        entity_id = self._by_key.get((kind, key)) or self._alias.get(key)
        if entity_id is not None and self._entities[entity_id].kind is not kind:
            entity_id = None if (kind, key) not in self._by_key else self._by_key[(kind, key)]
        if entity_id is None:
            entity_id = f"e{len(self._entities) + 1}"
            self._entities[entity_id] = Entity(id=entity_id, kind=kind, name=name,
                                               org_kind=org_kind, event_kind=event_kind)
            self._by_key[(kind, key)] = entity_id
        entity = self._entities[entity_id]
        if org_kind and entity.org_kind in (None, OrgKind.OTHER):
            entity.org_kind = org_kind
        if event_kind and entity.event_kind in (None, EventKind.OTHER):
            entity.event_kind = event_kind
        if span is not None and not self._mentioned(entity, span):
            entity.mentions.append(span)
            self._spans.append((span.start, span.end, entity_id))
        return entity_id

    def _mentioned(self, entity: Entity, span: Span) -> bool:
        """``span in entity.mentions``, from a set that catches up with the list (other steps
        append to it too): a long article repeats one name hundreds of times."""
        read, seen = self._seen.setdefault(entity.id, ([0], set()))
        if read[0] < len(entity.mentions):
            seen.update(entity.mentions[read[0]:])
            read[0] = len(entity.mentions)
        return span in seen

    def rename(self, entity_id: str, name: str) -> None:
        """Give an entity a (shorter) name the text also supports; its old name is dropped."""
        entity = self._entities[entity_id]
        self._by_key.pop((entity.kind, name_key(entity.name)), None)
        entity.name = clean_name(name)
        self._by_key.setdefault((entity.kind, name_key(entity.name)), entity_id)

    def add_alias(self, entity_id: str, alias: str) -> None:
        """Give an entity another name; later mentions by that name resolve to it."""
        alias = clean_name(alias)
        entity = self._entities[entity_id]
        if name_key(alias) != name_key(entity.name) and alias not in entity.aliases:
            entity.aliases.append(alias)
        self._alias.setdefault(name_key(alias), entity_id)

    def find(self, name: str, kind: Kind | None = None) -> str | None:
        """The entity with this name or alias, if any."""
        key = name_key(name)
        if kind is not None and (kind, key) in self._by_key:
            return self._by_key[(kind, key)]
        for (k, n), entity_id in self._by_key.items():
            if n == key and (kind is None or k is kind):
                return entity_id
        entity_id = self._alias.get(key)
        if entity_id and (kind is None or self._entities[entity_id].kind is kind):
            return entity_id
        return None

    def at(self, start: int, end: int, kind: Kind | None = None) -> str | None:
        """The entity with a mention overlapping [start, end), the longest first."""
        best = None
        for s, e, entity_id in self._spans:
            if s < end and start < e and (kind is None or self._entities[entity_id].kind is kind):
                if best is None or (e - s) > (best[1] - best[0]):
                    best = (s, e, entity_id)
        return best[2] if best else None

    def entities(self) -> list[Entity]:
        """All entities, in the order they were added."""
        return list(self._entities.values())
