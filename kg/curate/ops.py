"""The curation operations, applied to a private copy of a resolution (kg.curate.schema says
what a file may ask for): merge, split, rename, retype, drop. Keys stay as they were wherever
the entity stays: a merged entity keeps the key of the one merged into, a renamed one keeps its
key, a split-off part gets a key of its own; only a change of kind changes the key's path
("org/x" -> "place/x")."""
from __future__ import annotations

from copy import copy

from ..errors import CurationError
from ..model import ArticleExtraction, EventKind, Kind, OrgKind, Role, Unit
from ..resolve.clusters import (
    KIND_PATH,
    Merge,
    MergeReason,
    Node,
    Resolution,
    ResolvedEntity,
    build_entity,
    link_entities,
    normal_key,
)
from ..resolve.names import slug
from .schema import Action, Curation, CurationReport, Entry, _enum


class Editor:
    """Applies curation entries one by one to copies of a resolution's parts."""

    def __init__(self, curation: Curation, resolution: Resolution) -> None:
        self.source = curation.source
        self.report = CurationReport()
        self.docs = [copy(d) for d in resolution.extractions]
        self.by_sha = {d.sha256: d for d in self.docs}
        self.entities = {k: copy(v) for k, v in resolution.entities.items()}
        self.local = dict(resolution.local)

    def result(self) -> Resolution:
        res = Resolution(extractions=self.docs, entities=self.entities, local=self.local)
        link_entities(res)
        return res

    def apply(self, entry: Entry) -> None:
        {Action.MERGE: self.merge, Action.SPLIT: self.split, Action.RENAME: self.rename,
         Action.RETYPE: self.retype, Action.DROP: self.drop}[entry.action](entry)

    # -- finding entities -------------------------------------------------------------

    def find(self, ref: str, kind: Kind | None) -> list[str]:
        """Keys of the entities a reference fits: a key, a label or an alias."""
        if ref in self.entities and (kind is None or self.entities[ref].kind is kind):
            return [ref]
        out = []
        for key, ent in sorted(self.entities.items()):
            if kind is not None and ent.kind is not kind:
                continue
            want = normal_key(ent.kind, ref)
            if any(normal_key(ent.kind, form) == want for form in (ent.name, *ent.aliases)):
                out.append(key)
        return out

    def one(self, entry: Entry, ref: object, kind: Kind | None) -> str | None:
        """The one entity ``ref`` names; None (with a note) when none; an error when several."""
        if not isinstance(ref, str) or not ref.strip():
            raise CurationError(f"{entry.where(self.source)}: {ref!r} is not an entity name or key")
        keys = self.find(ref, kind)
        if len(keys) > 1:
            raise CurationError(f"{entry.where(self.source)}: {ref!r} fits {len(keys)} entities "
                                f"({', '.join(keys)}); add kind: or give the key")
        if not keys:
            self.report.notes.append(f"{entry.where(self.source)}: no entity {ref!r}; entry skipped")
            return None
        return keys[0]

    def members(self, key: str) -> list[Node]:
        return sorted(n for n, k in self.local.items() if k == key)

    def mention(self, node: Node):
        doc = self.by_sha[node[0]]
        return doc, doc.entity(node[1])

    def rebuild(self, key: str, nodes: list[Node], name: str, merges: list[Merge]) -> ResolvedEntity:
        ent = build_entity(key, [self.mention(n) for n in nodes], name=name)
        ent.merges = sorted(merges, key=lambda m: (m.article, m.name, m.reason.value))
        self.entities[key] = ent
        for n in nodes:
            self.local[n] = key
        return ent

    # -- the operations ---------------------------------------------------------------

    def merge(self, entry: Entry) -> None:
        kind = _enum(entry, self.source, Kind, entry.fields.get("kind"))
        into = self.one(entry, entry.fields["into"], kind)
        if into is None:
            return
        target = self.entities[into]
        merges, moved = list(target.merges), []
        for ref in entry.fields["names"]:
            key = self.one(entry, ref, kind or target.kind)
            if key is None or key == into:
                continue
            source = self.entities.pop(key)
            merges += source.merges
            for n in self.members(key):
                doc, ent = self.mention(n)
                merges.append(Merge(ent.name, doc.article, MergeReason.CURATION, 1.0,
                                    f"{entry.where(self.source)}: merge into {target.name!r}"))
                self.local[n] = into
            moved.append(source.name)
        if moved:
            self.rebuild(into, self.members(into), target.name, merges)
            self.report.applied.append(f"{entry.where(self.source)}: merged {', '.join(map(repr, moved))} "
                                       f"into {target.name!r} ({into})")

    def split(self, entry: Entry) -> None:
        kind = _enum(entry, self.source, Kind, entry.fields.get("kind"))
        key = self.one(entry, entry.fields["entity"], kind)
        if key is None:
            return
        ent = self.entities[key]
        wanted = {normal_key(ent.kind, n) for n in entry.fields["names"]}
        articles = entry.fields.get("articles")
        moved, kept = [], []
        for n in self.members(key):
            doc, mention = self.mention(n)
            forms = {normal_key(ent.kind, f) for f in (mention.name, *mention.aliases)}
            fits = (forms & wanted) and (not articles or doc.article in articles)
            (moved if fits else kept).append(n)
        if not moved:
            self.report.notes.append(f"{entry.where(self.source)}: no mention of {ent.name!r} fits; skipped")
            return
        if not kept:
            raise CurationError(f"{entry.where(self.source)}: every mention of {ent.name!r} fits, so "
                                "nothing would be left: use rename or retype instead")
        moved_names = {(self.mention(n)[0].article, self.mention(n)[1].name) for n in moved}
        name = max((self.mention(n)[1].name for n in moved), key=lambda x: (len(x.split()), len(x), x))
        new_key = self._free_key(f"{KIND_PATH[ent.kind]}/{slug(normal_key(ent.kind, name) or name)}", moved[0])
        why = f"{entry.where(self.source)}: split from {ent.name!r}"
        self.rebuild(new_key, moved, name, [Merge(self.mention(n)[1].name, self.mention(n)[0].article,
                                                  MergeReason.CURATION, 1.0, why) for n in moved
                                            if self.mention(n)[1].name != name])
        kept_names = {self.mention(n)[1].name for n in kept}
        label = ent.name if ent.name in kept_names else max(kept_names, key=lambda x: (len(x.split()), len(x), x))
        self.rebuild(key, kept, label, [m for m in ent.merges if (m.article, m.name) not in moved_names])
        self.report.applied.append(f"{entry.where(self.source)}: split {name!r} ({new_key}) from "
                                   f"{label!r} ({key})")

    def _free_key(self, base: str, first: Node) -> str:
        key, n = base, 2
        if key in self.entities:
            key = f"{base}-{first[0][:8]}"
        while key in self.entities:
            key, n = f"{base}-{first[0][:8]}-{n}", n + 1
        return key

    def rename(self, entry: Entry) -> None:
        kind = _enum(entry, self.source, Kind, entry.fields.get("kind"))
        key = self.one(entry, entry.fields["entity"], kind)
        if key is None:
            return
        new = str(entry.fields["name"]).strip()
        if not new:
            raise CurationError(f"{entry.where(self.source)}: the new name is empty")
        ent = self.entities[key]
        old = ent.name
        ent.aliases = (ent.aliases | {old}) - {new}
        ent.variants = set(ent.variants) - {new}
        ent.name = new
        self.report.applied.append(f"{entry.where(self.source)}: renamed {old!r} to {new!r} ({key})")

    def retype(self, entry: Entry) -> None:
        kind = _enum(entry, self.source, Kind, entry.fields.get("kind"))
        key = self.one(entry, entry.fields["entity"], kind)
        if key is None:
            return
        to = _enum(entry, self.source, Kind, entry.fields.get("to"))
        org_kind = _enum(entry, self.source, OrgKind, entry.fields.get("org_kind"))
        event_kind = _enum(entry, self.source, EventKind, entry.fields.get("event_kind"))
        ent = self.entities[key]
        new_kind = to or ent.kind
        if org_kind and new_kind is not Kind.ORGANIZATION or event_kind and new_kind is not Kind.EVENT:
            raise CurationError(f"{entry.where(self.source)}: org_kind is for organizations and "
                                f"event_kind for events; {ent.name!r} would be a {new_kind.value}")
        if new_kind is not ent.kind:
            new_key = self._free_key(f"{KIND_PATH[new_kind]}/{key.split('/', 1)[1]}", self.members(key)[0])
            ent = self.entities.pop(key)
            ent.key, ent.kind = new_key, new_kind
            ent.org_kind = ent.org_kind if new_kind is Kind.ORGANIZATION else None
            ent.event_kind = ent.event_kind if new_kind is Kind.EVENT else None
            self.entities[new_key] = ent
            for n in self.members(key):
                self.local[n] = new_key
            key = new_key
        ent.org_kind = org_kind or ent.org_kind
        ent.event_kind = event_kind or ent.event_kind
        self.report.applied.append(f"{entry.where(self.source)}: {ent.name!r} is now a "
                                   f"{(ent.org_kind or ent.event_kind or ent.kind).value} ({key})")

    def drop(self, entry: Entry) -> None:
        if "entity" in entry.fields:
            kind = _enum(entry, self.source, Kind, entry.fields.get("kind"))
            key = self.one(entry, entry.fields["entity"], kind)
            if key is None:
                return
            ent = self.entities.pop(key)
            for n in self.members(key):
                del self.local[n]
            self.report.applied.append(f"{entry.where(self.source)}: dropped {ent.name!r} ({key}) and "
                                       "every fact about it")
            return
        (what,) = set(entry.fields) & {"affiliation", "participation", "observation"}
        fact = entry.fields[what]
        removed = getattr(self, f"_drop_{what}")(entry, fact)
        if removed is None:
            return
        if removed:
            self.report.applied.append(f"{entry.where(self.source)}: dropped {removed} {what}(s)")
        else:
            self.report.notes.append(f"{entry.where(self.source)}: no {what} fits; entry skipped")

    def _docs(self, fact: dict) -> list[ArticleExtraction]:
        article = fact.get("article")
        return [d for d in self.docs if article is None or d.article == article]

    def _key(self, doc: ArticleExtraction, local_id: str | None) -> str | None:
        return self.local.get((doc.sha256, local_id)) if local_id else None

    def _drop_affiliation(self, entry: Entry, fact: dict) -> int | None:
        person = self.one(entry, fact["person"], Kind.PERSON)
        org = self.one(entry, fact["org"], None)
        if person is None or org is None:
            return None
        title = str(fact["title"]).strip().lower() if fact.get("title") is not None else None
        removed = 0
        for doc in self._docs(fact):
            keep = [a for a in doc.affiliations
                    if not (self._key(doc, a.person) == person and self._key(doc, a.org) == org
                            and (title is None or a.title.strip().lower() == title))]
            removed += len(doc.affiliations) - len(keep)
            doc.affiliations = keep
        return removed

    def _drop_participation(self, entry: Entry, fact: dict) -> int | None:
        event = self.one(entry, fact["event"], Kind.EVENT)
        who = self.one(entry, fact["participant"], None)
        if event is None or who is None:
            return None
        role = _enum(entry, self.source, Role, fact.get("role"))
        removed = 0
        for doc in self._docs(fact):
            keep = [p for p in doc.participations
                    if not (self._key(doc, p.event) == event and self._key(doc, p.participant) == who
                            and (role is None or p.role is role))]
            removed += len(doc.participations) - len(keep)
            doc.participations = keep
        return removed

    def _drop_observation(self, entry: Entry, fact: dict) -> int | None:
        subject = self.one(entry, fact["subject"], None)
        if subject is None:
            return None
        unit = _enum(entry, self.source, Unit, fact.get("unit"))
        measure = str(fact["measure"]).strip().lower() if fact.get("measure") is not None else None
        try:
            value = float(fact["value"]) if fact.get("value") is not None else None
            year = int(fact["year"]) if fact.get("year") is not None else None
        except (TypeError, ValueError) as exc:
            raise CurationError(f"{entry.where(self.source)}: value and year must be numbers ({exc})") from exc

        def fits(o) -> bool:
            return ((measure is None or o.measure.strip().lower() == measure)
                    and (year is None or o.year == year)
                    and any((value is None or abs(v.number - value) <= 1e-9 * max(1.0, abs(value)))
                            and (unit is None or v.unit is unit) for v in o.values))
        removed = 0
        for doc in self._docs(fact):
            keep = [o for o in doc.observations if not (self._key(doc, o.subject) == subject and fits(o))]
            removed += len(doc.observations) - len(keep)
            doc.observations = keep
        return removed
