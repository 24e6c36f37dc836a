"""Resolution: the one step that sees all articles. It clusters the per-article entities into
real-world entities, keeps their aliases, records why it merged what it merged, and mints
stable keys (the path part of each IRI) from normalised names, so that rebuilding the same
articles gives the same IRIs."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from .model import ArticleExtraction, Entity, EventKind, Kind, OrgKind

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "madam", "sir"}
ORG_SUFFIXES = {"co", "ltd", "limited", "inc", "corp", "corporation", "plc", "llc", "company"}
_KIND_PATH = {Kind.PERSON: "person", Kind.ORGANIZATION: "org", Kind.PLACE: "place",
              Kind.EVENT: "event", Kind.WORK: "work"}


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    toks = text.split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    return toks


def normal_key(kind: Kind, name: str) -> str:
    """The key two surface forms must share to be taken as one entity."""
    toks = _words(name)
    if kind is Kind.PERSON:
        toks = [t for t in toks if t not in HONORIFICS]
    elif kind is Kind.ORGANIZATION:
        while len(toks) > 1 and toks[-1] in ORG_SUFFIXES:
            toks = toks[:-1]
    return " ".join(toks)


def slug(text: str, limit: int = 80) -> str:
    """An IRI-safe path segment: ASCII letters, digits and hyphens; a hash where text is long
    or has no ASCII letters at all."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if not out:
        return digest
    if len(out) > limit:
        return out[:limit].rstrip("-") + "-" + digest
    return out


def _is_acronym(alias: str) -> bool:
    letters = alias.replace("-", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalnum() and sum(c.isupper() for c in letters) >= 2


@dataclass
class Merge:
    """Evidence that a surface form was resolved into an entity."""

    name: str
    article: str
    reason: str  # "same-key", "acronym", "same-event"
    score: float


@dataclass
class ResolvedEntity:
    """One real-world entity across all articles."""

    key: str  # the IRI path: "person/fang-hanting"
    kind: Kind
    name: str
    aliases: set[str] = field(default_factory=set)
    org_kind: OrgKind | None = None
    event_kind: EventKind | None = None
    named: bool = True
    date: str | None = None
    location: str | None = None  # key of a place
    parent: str | None = None  # key of the parent event
    part_of: str | None = None  # key of the parent organisation
    articles: set[str] = field(default_factory=set)  # sha256 of the articles that mention it
    merges: list[Merge] = field(default_factory=list)


@dataclass
class Resolution:
    """The resolved corpus: entities by key, and where each article's local ids went."""

    extractions: list[ArticleExtraction]
    entities: dict[str, ResolvedEntity]
    local: dict[tuple[str, str], str]  # (article sha256, local id) -> entity key

    def key_of(self, article: ArticleExtraction, local_id: str | None) -> str | None:
        if local_id is None:
            return None
        return self.local.get((article.sha256, local_id))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve(extractions: list[ArticleExtraction]) -> Resolution:
    """Cluster mentions across articles and mint stable keys."""
    docs = sorted(extractions, key=lambda x: (x.article, x.sha256))
    uf = _UnionFind()
    by_key: dict[tuple[Kind, str], tuple[str, str]] = {}
    acronyms: dict[str, tuple[str, str]] = {}
    reasons: dict[tuple[str, str], tuple[str, float]] = {}
    ents: dict[tuple[str, str], tuple[ArticleExtraction, Entity]] = {}

    for doc in docs:
        for ent in doc.entities:
            node = (doc.sha256, ent.id)
            ents[node] = (doc, ent)
            uf.find(node)
            if ent.kind is Kind.EVENT and not ent.named:
                continue  # an unnamed event ("the signing ceremony") is its article's own
            key = (ent.kind, normal_key(ent.kind, ent.name))
            if key in by_key:
                uf.union(by_key[key], node)
                reasons[node] = ("same-key", 1.0)
            else:
                by_key[key] = node
    # organisations: an acronym one article spells out joins the entity another article names
    for doc in docs:
        for ent in doc.entities:
            if ent.kind is not Kind.ORGANIZATION:
                continue
            node = (doc.sha256, ent.id)
            for form in [ent.name, *ent.aliases]:
                if not _is_acronym(form):
                    continue
                other = acronyms.get(form)
                if other is None:
                    acronyms[form] = node
                elif uf.find(other) != uf.find(node):
                    uf.union(other, node)
                    reasons.setdefault(node, ("acronym", 0.9))
    _merge_same_events(docs, uf, reasons)

    clusters: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in ents:
        clusters.setdefault(uf.find(node), []).append(node)

    entities: dict[str, ResolvedEntity] = {}
    local: dict[tuple[str, str], str] = {}
    for root in sorted(clusters):
        members = sorted(clusters[root])
        first_doc, first = ents[members[0]]
        named = [ents[m][1] for m in members if ents[m][1].named]
        if first.kind is Kind.EVENT:
            name = named[0].name if named else first.name
        else:
            name = max((ents[m][1].name for m in members), key=lambda n: (len(n), n))
        path = _KIND_PATH[first.kind]
        base = slug(name) if named else f"{slug(name)}-{first_doc.sha256[:8]}"
        key = f"{path}/{base}"
        n = 2
        while key in entities:
            key = f"{path}/{base}-{n}"
            n += 1
        res = ResolvedEntity(key=key, kind=first.kind, name=name, named=bool(named))
        for m in members:
            doc, ent = ents[m]
            local[m] = key
            res.articles.add(doc.sha256)
            res.aliases.update(a for a in [ent.name, *ent.aliases] if a != name)
            res.org_kind = res.org_kind if res.org_kind not in (None, OrgKind.OTHER) else ent.org_kind
            res.event_kind = res.event_kind if res.event_kind not in (None, EventKind.OTHER) else ent.event_kind
            res.date = res.date or ent.date
            if m in reasons:
                reason, score = reasons[m]
                res.merges.append(Merge(ent.name, doc.article, reason, score))
        entities[key] = res
    # links between entities, through the local ids
    for m, key in local.items():
        doc, ent = ents[m]
        res = entities[key]
        res.location = res.location or local.get((doc.sha256, ent.location)) if ent.location else res.location
        if ent.parent and not res.parent:
            parent = local.get((doc.sha256, ent.parent))
            res.parent = parent if parent != key else None
        if ent.part_of and not res.part_of:
            part_of = local.get((doc.sha256, ent.part_of))
            res.part_of = part_of if part_of != key else None
    return Resolution(extractions=docs, entities=entities, local=local)


def _merge_same_events(docs, uf: _UnionFind, reasons) -> None:
    """Two top-level events of different articles on the same date that share two or more
    participants are one event told twice ("the signing ceremony" / "the signing")."""
    roots = []
    for doc in docs:
        people: dict[str, set[tuple[str, str]]] = {}
        for p in doc.participations:
            people.setdefault(p.event, set()).add((doc.sha256, p.participant))
        for ent in doc.entities:
            if ent.kind is Kind.EVENT and ent.date and not ent.parent:
                roots.append((doc, ent, people.get(ent.id, set())))
    for i, (da, ea, pa) in enumerate(roots):
        for db, eb, pb in roots[i + 1:]:
            if da.sha256 == db.sha256 or ea.date != eb.date:
                continue
            shared = {uf.find(x) for x in pa} & {uf.find(y) for y in pb}
            if len(shared) >= 2:
                uf.union((da.sha256, ea.id), (db.sha256, eb.id))
                reasons.setdefault((db.sha256, eb.id), ("same-event", round(min(1.0, 0.5 + 0.1 * len(shared)), 2)))
