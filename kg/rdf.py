"""The asserted graph: a resolved corpus as RDF triples in the kg ontology, with provenance
(article, sentence, character offsets) on every affiliation, participation, organizing and
observation. Only IRIs, no blank nodes, so that serialisation is deterministic.

The triples come out in named-graph parts (:func:`graph_parts`: the entity graph, then one
graph per article, the split kg.partition computes from a whole graph), so that a large
corpus can go into the store part by part without ever being one rdflib graph."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from .model import ArticleExtraction, EventKind, Kind, OrgKind, Role, Span, Unit
from .partition import GraphNames, Triple
from .resolve import Resolution, ResolvedEntity
from .vocab import DEFAULT_BASE, KGO, resource_namespace

PREFIXES = {"kgo": KGO._NS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD,
            "prov": PROV}

ROLE_TERMS = {
    Role.SPEAKER: KGO.Speaker, Role.KEYNOTE_SPEAKER: KGO.KeynoteSpeaker, Role.PANELIST: KGO.Panelist,
    Role.MODERATOR: KGO.Moderator, Role.SIGNATORY: KGO.Signatory, Role.PRESENTER: KGO.Presenter,
    Role.ATTENDEE: KGO.Attendee, Role.AWARDEE: KGO.Awardee, Role.HOST: KGO.Host,
    Role.ORGANIZER: KGO.Organizer, Role.CO_ORGANIZER: KGO.CoOrganizer, Role.SPONSOR: KGO.Sponsor,
}
UNIT_TERMS = {
    **{unit: KGO[unit.value] for unit in Unit if unit.currency},  # ISO 4217 codes name the terms
    Unit.PERCENT: KGO.Percent, Unit.COUNT: KGO.Count, Unit.POINTS: KGO.Points, Unit.RANK: KGO.Rank,
}
KIND_CLASSES = {Kind.PERSON: KGO.Person, Kind.ORGANIZATION: KGO.Organization, Kind.PLACE: KGO.Place,
                Kind.EVENT: KGO.Event, Kind.WORK: KGO.Work, Kind.COLLECTIVE: KGO.Collective}


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def decimal_literal(value: float) -> Literal:
    """An exact xsd:decimal for a scaled figure (120.5 billion -> "120500000000.0"), in the
    lexical form Turtle writes, so that a graph survives a round trip unchanged."""
    text = format(Decimal(repr(float(value))), "f")
    if "." not in text:
        text += ".0"
    text = text.rstrip("0")
    return _literal(text + ("0" if text.endswith(".") else ""), XSD.decimal)


class _Terms:
    """A namespace whose terms are looked up once: rdflib makes a new URIRef at each
    attribute access, and a corpus's graphs access them millions of times."""

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str):
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term


_KGO, _RDF, _RDFS, _SKOS, _PROV, _XSD = (_Terms(ns) for ns in (KGO, RDF, RDFS, SKOS, PROV, XSD))
_LITERALS: dict[tuple, Literal] = {}  # the literals made so far (names, offsets, units repeat)


def _literal(value, datatype=None) -> Literal:
    """``Literal(value, datatype=datatype)``, remembered: rdflib's constructor costs about
    10 µs, and a corpus repeats most of its literal values."""
    key = (type(value), value, datatype)
    lit = _LITERALS.get(key)
    if lit is None:
        if len(_LITERALS) > 500_000:
            _LITERALS.clear()
        lit = _LITERALS[key] = Literal(value, datatype=datatype)
    return lit


class _Builder:
    def __init__(self, resolution: Resolution, base: str, sha_of: dict[str, str] | None = None) -> None:
        self.res = resolution
        self.kgr: Namespace = resource_namespace(base)
        self._base = str(self.kgr)
        self._iris: dict[str, URIRef] = {}
        self.triples: list[Triple] = []  # the part being built
        self._sha_of: dict[str, str] = {}  # article file name -> the text's sha256 (the first)
        for doc in resolution.extractions:
            self._sha_of.setdefault(doc.article, doc.sha256)
        if sha_of:
            self._sha_of.update(sha_of)

    def take(self) -> list[Triple]:
        """The part built so far (each triple once), and start a new one."""
        part = list(dict.fromkeys(self.triples))
        self.triples = []
        return part

    def iri(self, key: str) -> URIRef:
        """An entity's IRI (remembered: an entity is named in many graphs)."""
        iri = self._iris.get(key)
        if iri is None:
            iri = self._iris[key] = self._iri(key)
        return iri

    def _iri(self, local: str) -> URIRef:
        return URIRef(self._base + local)

    def article_iri(self, doc: ArticleExtraction) -> URIRef:
        return self._iri(f"article/{doc.sha256[:16]}")

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def entity(self, ent: ResolvedEntity) -> None:
        node = self.iri(ent.key)
        cls = KIND_CLASSES[ent.kind]
        if ent.kind is Kind.ORGANIZATION and ent.org_kind and ent.org_kind is not OrgKind.OTHER:
            cls = KGO[ent.org_kind.value]
        if ent.kind is Kind.EVENT and ent.event_kind and ent.event_kind is not EventKind.OTHER:
            cls = KGO[ent.event_kind.value]
        self.add(node, _RDF.type, cls)
        self.add(node, _RDFS.label, _literal(ent.name))
        for alias in sorted(ent.aliases | ent.variants):
            self.add(node, _SKOS.altLabel, _literal(alias))
        for variant in sorted(ent.variants):
            self.add(node, _KGO.nameVariant, _literal(variant))
        for sha in sorted(ent.articles):
            self.add(node, _KGO.mentionedIn, self._iri(f"article/{sha[:16]}"))
        if ent.date:
            self.add(node, _KGO.date, _literal(ent.date, datatype=_XSD.date))
        if ent.location:
            self.add(node, _KGO.location, self.iri(ent.location))
        if ent.parent:
            self.add(node, _KGO.subEventOf, self.iri(ent.parent))
        if ent.part_of:
            self.add(node, _KGO.subOrganizationOf, self.iri(ent.part_of))
        for merge in ent.merges:
            m = self._iri(f"merge/{_digest(ent.key, merge.name, merge.article, merge.reason.value)}")
            self.add(m, _RDF.type, _KGO.MergeDecision)
            self.add(m, _KGO.mergedInto, node)
            self.add(m, _KGO.mergedName, _literal(merge.name))
            self.add(m, _KGO.mergeReason, _literal(merge.reason.value))
            self.add(m, _KGO.mergeScore, decimal_literal(merge.score))
            if merge.evidence:
                self.add(m, _KGO.mergeEvidence, _literal(merge.evidence))
            sha = self._sha_of.get(merge.article) or _digest(merge.article)
            self.add(m, _PROV.wasDerivedFrom, self._iri(f"article/{sha[:16]}"))

    def span(self, doc: ArticleExtraction, span: Span) -> URIRef:
        node = self._iri(f"span/{doc.sha256[:12]}-{span.start}-{span.end}")
        self.add(node, _RDF.type, _KGO.TextSpan)
        self.add(node, _KGO.inArticle, self.article_iri(doc))
        self.add(node, _KGO.sentence, _literal(span.sentence))
        self.add(node, _KGO.startOffset, _literal(span.start, datatype=_XSD.nonNegativeInteger))
        self.add(node, _KGO.endOffset, _literal(span.end, datatype=_XSD.nonNegativeInteger))
        return node

    def statement(self, kind: str, cls: URIRef, doc: ArticleExtraction, span: Span, *parts) -> URIRef:
        node = self._iri(f"{kind}/{_digest(doc.sha256, *parts)}")
        self.add(node, _RDF.type, cls)
        self.add(node, _KGO.statedIn, self.article_iri(doc))
        self.add(node, _KGO.evidence, self.span(doc, span))
        return node

    def article(self, doc: ArticleExtraction) -> None:
        art = self.article_iri(doc)
        self.add(art, _RDF.type, _KGO.Article)
        self.add(art, _RDFS.label, _literal(doc.article))
        self.add(art, _KGO.fileName, _literal(doc.article))
        self.add(art, _KGO.sha256, _literal(doc.sha256))
        if doc.title:
            self.add(art, _KGO.headline, _literal(doc.title))
        if doc.published:
            self.add(art, _KGO.published, _literal(doc.published, datatype=_XSD.date))
        key = self.res.key_of
        for author in doc.authors:
            if key(doc, author):
                self.add(art, _KGO.author, self.iri(key(doc, author)))
        places = {e.id for e in doc.entities if e.kind is Kind.PLACE}
        for a in doc.affiliations:
            person, org = key(doc, a.person), key(doc, a.org)
            if not person or not org:
                continue
            node = self.statement("affiliation", _KGO.Affiliation, doc, a.span, person, org, a.title)
            self.add(node, _KGO.person, self.iri(person))
            place = a.org in places  # "vice mayor of X": an official of a place
            self.add(node, _KGO.jurisdiction if place else _KGO.organization, self.iri(org))
            if a.title:  # "P of the X Bank" names the institution, not the post
                self.add(node, _KGO.title, _literal(a.title))
            if a.event and key(doc, a.event):
                self.add(node, _KGO.atEvent, self.iri(key(doc, a.event)))
        for p in doc.participations:
            event, who = key(doc, p.event), key(doc, p.participant)
            if not event or not who or event == who:
                continue
            if p.role.organizer:
                node = self.statement("organizing", _KGO.Organizing, doc, p.span, event, who, p.role.value)
                self.add(node, _KGO.organizer, self.iri(who))
            else:
                node = self.statement("participation", _KGO.Participation, doc, p.span, event, who, p.role.value)
                self.add(node, _KGO.participant, self.iri(who))
            self.add(node, _KGO.event, self.iri(event))
            self.add(node, _KGO.role, ROLE_TERMS[p.role])
        for o in doc.observations:
            subject = key(doc, o.subject)
            if not subject or not o.values:
                continue
            node = self.statement("observation", _KGO.Observation, doc, o.span, o.span.start, o.span.end,
                                  o.measure)
            self.add(node, _KGO.subject, self.iri(subject))
            self.add(node, _KGO.measure, _literal(o.measure))
            if o.year:
                self.add(node, _KGO.year, _literal(f"{o.year:04d}", datatype=_XSD.gYear))
            for v in o.values:
                value = self._iri(f"value/{_digest(node, v.unit.value, v.number)}")
                self.add(node, _KGO.hasValue, value)
                self.add(value, _RDF.type, _KGO.QuantityValue)
                self.add(value, _KGO.numericValue, decimal_literal(v.number))
                self.add(value, _KGO.unit, UNIT_TERMS[v.unit])
                self.add(value, _KGO.valueText, _literal(v.text))
                if v.approximate:
                    self.add(value, _KGO.approximate, _literal(True))


def graph_parts(resolution: Resolution, base: str = DEFAULT_BASE) -> Iterator[tuple[URIRef, list[Triple]]]:
    """The asserted triples of a resolved corpus, one named graph at a time: the entity graph
    first, then each article's graph (kg.partition's split, computed without the whole graph)."""
    b = _Builder(resolution, base)
    names = GraphNames(base)
    for key in sorted(resolution.entities):
        b.entity(resolution.entities[key])
    yield names.entities, b.take()
    for doc in resolution.extractions:
        b.article(doc)
        yield names.article(b.article_iri(doc)), b.take()


def entity_triples(entities: list[ResolvedEntity], sha_of: dict[str, str],
                   base: str = DEFAULT_BASE) -> list[Triple]:
    """The entity graph's triples of some resolved entities (a part of a corpus resolved in
    partitions, kg.cluster); ``sha_of`` maps the file names their merge records cite to the
    articles' sha256."""
    b = _Builder(Resolution(extractions=[], entities={}, local={}), base, sha_of)
    for ent in entities:
        b.entity(ent)
    return b.take()


def article_triples(doc: ArticleExtraction, keys: dict[str, str],
                    base: str = DEFAULT_BASE) -> tuple[URIRef, list[Triple]]:
    """One article's named graph and its triples, given the entity key of each of its local
    entity ids (a corpus resolved in partitions, kg.cluster)."""
    local = {(doc.sha256, local_id): key for local_id, key in keys.items()}
    b = _Builder(Resolution(extractions=[doc], entities={}, local=local), base)
    b.article(doc)
    return GraphNames(base).article(b.article_iri(doc)), b.take()


def bind_prefixes(g: Graph, base: str = DEFAULT_BASE) -> Graph:
    """kg's prefixes (and kgr: for the base) on a graph."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("kgr", resource_namespace(base))
    return g


def to_rdf(resolution: Resolution, base: str = DEFAULT_BASE) -> Graph:
    """The asserted graph of a resolved corpus."""
    g = bind_prefixes(Graph(), base)
    for _, triples in graph_parts(resolution, base):
        for t in triples:
            g.add(t)
    return g
