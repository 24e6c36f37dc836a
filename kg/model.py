"""The data that extraction produces for one article: plain values, no IRIs, no global state.

Extraction (kg.extract) returns an :class:`ArticleExtraction`; resolution (kg.resolve) reads
many of them and mints IRIs; kg.rdf turns the resolved result into triples. Everything here
round-trips through JSON (``to_dict`` / ``from_dict``) so that extractions can be cached by
the article's content hash.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum


class Kind(str, Enum):
    """What an entity is, at the top of the ontology."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    PLACE = "Place"
    EVENT = "Event"
    WORK = "Work"  # a report, an index, an agreement, a programme: schema:CreativeWork
    COLLECTIVE = "Collective"  # what a figure is about when no name says it: "Indian fintechs", "banks"


class OrgKind(str, Enum):
    """Kinds of organisation; each is a subclass of kgo:Organization in the ontology."""

    UNIVERSITY = "University"  # universities, colleges, schools, academies of learning
    COMPANY = "Company"
    BANK = "Bank"
    FUND = "InvestmentFirm"  # funds, venture capital, asset managers
    MEDIA = "MediaOrganization"
    ASSOCIATION = "Association"  # associations, alliances, societies, federations, chambers
    GOVERNMENT = "GovernmentAgency"  # ministries, commissions, governments, bureaus, consulates
    RESEARCH = "ResearchInstitute"  # institutes, research centres, labs, think tanks
    COMMITTEE = "Committee"
    DEPARTMENT = "Department"  # an office or department inside another organisation
    OTHER = "Organization"


class EventKind(str, Enum):
    """Kinds of event; each is a subclass of kgo:Event in the ontology."""

    FORUM = "Forum"
    SUBFORUM = "SubForum"
    CONFERENCE = "Conference"  # conferences, summits, meetings, symposia
    EXHIBITION = "Exhibition"  # expos, fairs, exhibitions
    CEREMONY = "Ceremony"  # opening, awards, inauguration, establishment ceremonies
    SIGNING = "Signing"
    ROADSHOW = "Roadshow"
    REPORT_RELEASE = "ReportRelease"  # release or launch of a report, index, ranking
    COMPETITION = "Competition"
    PRESS_CONFERENCE = "PressConference"
    OTHER = "Event"


class Role(str, Enum):
    """The part a participant plays in an event; organiser roles are flagged by ``organizer``."""

    SPEAKER = "speaker"
    KEYNOTE_SPEAKER = "keynote speaker"
    PANELIST = "panelist"
    MODERATOR = "moderator"
    SIGNATORY = "signatory"
    PRESENTER = "presenter"
    ATTENDEE = "attendee"
    AWARDEE = "awardee"
    HOST = "host"
    ORGANIZER = "organizer"
    CO_ORGANIZER = "co-organizer"
    SPONSOR = "sponsor"

    @property
    def organizer(self) -> bool:
        return self in (Role.HOST, Role.ORGANIZER, Role.CO_ORGANIZER, Role.SPONSOR)


class Unit(str, Enum):
    """Units of a metric value: ISO 4217 codes for money, else a dimensionless unit."""

    CNY = "CNY"
    USD = "USD"
    HKD = "HKD"
    EUR = "EUR"
    GBP = "GBP"
    JPY = "JPY"
    SGD = "SGD"
    INR = "INR"
    KES = "KES"
    PHP = "PHP"
    MYR = "MYR"
    SAR = "SAR"
    AED = "AED"
    QAR = "QAR"
    BRL = "BRL"
    COP = "COP"
    MXN = "MXN"
    NGN = "NGN"
    ZAR = "ZAR"
    EGP = "EGP"
    KRW = "KRW"
    TWD = "TWD"
    AUD = "AUD"
    CAD = "CAD"
    CHF = "CHF"
    THB = "THB"
    IDR = "IDR"
    GHS = "GHS"
    PERCENT = "percent"
    COUNT = "count"
    POINTS = "points"
    RANK = "rank"

    @property
    def currency(self) -> bool:
        return self not in (Unit.PERCENT, Unit.COUNT, Unit.POINTS, Unit.RANK)


@dataclass(frozen=True)
class Span:
    """Where a fact is stated: character offsets into the article text, and its sentence."""

    start: int
    end: int
    sentence: str
    sentence_start: int


@dataclass
class Entity:
    """One entity as one article tells it. ``id`` is local to the article ("e3")."""

    id: str
    kind: Kind
    name: str  # the fullest form the article uses, without a leading "the"
    aliases: list[str] = field(default_factory=list)  # acronyms, short names, surnames
    org_kind: OrgKind | None = None
    event_kind: EventKind | None = None
    mentions: list[Span] = field(default_factory=list)
    # events only
    date: str | None = None  # ISO 8601 date, resolved against the publication date
    location: str | None = None  # id of a PLACE entity
    parent: str | None = None  # id of the parent EVENT entity
    named: bool = True  # False for a description the text gives no name ("signing activities")
    # organisations only
    part_of: str | None = None  # id of the parent ORGANIZATION ("Institute X of NASTEC")


@dataclass
class Affiliation:
    """A person holds a post (title) at an organisation, as one sentence states it."""

    person: str  # entity id
    org: str  # entity id
    title: str  # lower case, as written, no article: "deputy director"; "" when the text gives none
    span: Span
    event: str | None = None  # the event at which the article shows the person in this post


@dataclass
class Participation:
    """A person or organisation takes part in (or organises) an event, with a role."""

    event: str  # entity id
    participant: str  # entity id
    role: Role
    span: Span


@dataclass
class Value:
    number: float
    unit: Unit
    text: str  # the span of this value as it stands: "86.4 billion yuan"
    approximate: bool = False  # "about", "more than", "nearly"


@dataclass
class Observation:
    """A figure the article reports: about a subject, what is measured, one or more values
    (the same amount in two currencies is one observation with two values)."""

    subject: str  # entity id
    measure: str  # the words that say what is measured
    values: list[Value]
    year: int | None
    span: Span


@dataclass
class ArticleExtraction:
    """Everything extracted from one article."""

    article: str  # file name, e.g. "dev-01.txt"
    sha256: str  # of the decoded text
    title: str
    published: str | None  # ISO date, when the text states it
    text_length: int
    entities: list[Entity] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # entity ids of bylined people

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def to_dict(self) -> dict:
        """Plain data (what ``dataclasses.asdict`` gives, without its deep copies: the
        cache writes one of these per article)."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict) -> ArticleExtraction:
        def span(d):
            return Span(**d)

        entities = [
            Entity(**{**e, "kind": Kind(e["kind"]),
                      "org_kind": OrgKind(e["org_kind"]) if e.get("org_kind") else None,
                      "event_kind": EventKind(e["event_kind"]) if e.get("event_kind") else None,
                      "mentions": [span(m) for m in e.get("mentions", [])]})
            for e in data.get("entities", [])
        ]
        affiliations = [Affiliation(**{**a, "span": span(a["span"])}) for a in data.get("affiliations", [])]
        participations = [Participation(**{**p, "role": Role(p["role"]), "span": span(p["span"])})
                          for p in data.get("participations", [])]
        observations = [
            Observation(**{**o, "span": span(o["span"]),
                           "values": [Value(**{**v, "unit": Unit(v["unit"])}) for v in o["values"]]})
            for o in data.get("observations", [])
        ]
        scalars = {k: v for k, v in data.items()
                   if k not in ("entities", "affiliations", "participations", "observations")}
        return cls(**scalars, entities=entities, affiliations=affiliations,
                   participations=participations, observations=observations)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj: object) -> object:
    """Dataclasses as dicts, lists and tuples item by item; anything else as it is."""
    kind = type(obj)
    names = _FIELDS.get(kind)
    if names is None and hasattr(obj, "__dataclass_fields__"):
        names = _FIELDS[kind] = tuple(f.name for f in fields(obj))  # type: ignore[arg-type]
    if names is not None:
        return {name: _plain(getattr(obj, name)) for name in names}
    if kind is list:
        return [_plain(x) for x in obj]  # type: ignore[attr-defined]
    if kind is tuple:
        return tuple(_plain(x) for x in obj)  # type: ignore[attr-defined]
    if kind is dict:
        return {k: _plain(v) for k, v in obj.items()}  # type: ignore[attr-defined]
    return obj
