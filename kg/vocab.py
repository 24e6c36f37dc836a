"""Closed vocabularies: the ontology's terms (kgo:) as Python attributes, and the resource
namespace (kgr:). A misspelt term fails at import time of the caller, not silently in a graph.
tests/test_vocab.py checks that this list and ontology/kg.ttl agree."""
from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://kg.example.org/ontology"
KGO_IRI = ONTOLOGY_IRI + "#"
DEFAULT_BASE = "https://kg.example.org/resource/"

# rdflib terms override ``startswith`` and ``==`` with Python methods that copy through str():
# the per-triple loops (reasoning, shortcuts, counts) call str's own. ``same_iri`` only
# between IRIs: it compares text, not term kinds.
starts_with = str.startswith
same_iri = str.__eq__


class KGO(DefinedNamespace):
    """Terms of ontology/kg.ttl."""

    _NS = Namespace(KGO_IRI)
    _fail = True

    Affiliation: URIRef
    Agent: URIRef
    Article: URIRef
    Association: URIRef
    Attendee: URIRef
    Awardee: URIRef
    Bank: URIRef
    CNY: URIRef
    Ceremony: URIRef
    CoOrganizer: URIRef
    Committee: URIRef
    Company: URIRef
    Competition: URIRef
    Collective: URIRef
    Conference: URIRef
    Count: URIRef
    Department: URIRef
    EUR: URIRef
    Event: URIRef
    Exhibition: URIRef
    Forum: URIRef
    GBP: URIRef
    GovernmentAgency: URIRef
    HKD: URIRef
    Host: URIRef
    InvestmentFirm: URIRef
    JPY: URIRef
    SGD: URIRef
    INR: URIRef
    KES: URIRef
    PHP: URIRef
    MYR: URIRef
    SAR: URIRef
    AED: URIRef
    QAR: URIRef
    BRL: URIRef
    COP: URIRef
    MXN: URIRef
    NGN: URIRef
    ZAR: URIRef
    EGP: URIRef
    KRW: URIRef
    TWD: URIRef
    AUD: URIRef
    CAD: URIRef
    CHF: URIRef
    THB: URIRef
    IDR: URIRef
    GHS: URIRef
    KeynoteSpeaker: URIRef
    MediaOrganization: URIRef
    MergeDecision: URIRef
    Moderator: URIRef
    Observation: URIRef
    Organization: URIRef
    Organizer: URIRef
    Organizing: URIRef
    Panelist: URIRef
    Participation: URIRef
    Percent: URIRef
    Person: URIRef
    Place: URIRef
    Points: URIRef
    Presenter: URIRef
    PressConference: URIRef
    QuantityValue: URIRef
    Rank: URIRef
    ReportRelease: URIRef
    ResearchInstitute: URIRef
    Roadshow: URIRef
    Role: URIRef
    Signatory: URIRef
    Signing: URIRef
    Speaker: URIRef
    Sponsor: URIRef
    Statement: URIRef
    SubForum: URIRef
    TextSpan: URIRef
    USD: URIRef
    Unit: URIRef
    University: URIRef
    Work: URIRef
    affiliatedWith: URIRef
    appearsAt: URIRef
    approximate: URIRef
    atEvent: URIRef
    author: URIRef
    date: URIRef
    endOffset: URIRef
    event: URIRef
    evidence: URIRef
    fileName: URIRef
    hasAffiliation: URIRef
    hasOrganizing: URIRef
    hasParticipant: URIRef
    hasParticipation: URIRef
    hasSubEvent: URIRef
    hasSubOrganization: URIRef
    hasValue: URIRef
    headline: URIRef
    inArticle: URIRef
    jurisdiction: URIRef
    location: URIRef
    measure: URIRef
    mentionedIn: URIRef
    mentions: URIRef
    mergeEvidence: URIRef
    mergeReason: URIRef
    mergeScore: URIRef
    mergedInto: URIRef
    mergedName: URIRef
    nameKey: URIRef
    nameVariant: URIRef
    numericValue: URIRef
    organization: URIRef
    organizationKind: URIRef
    organizedBy: URIRef
    organizer: URIRef
    organizes: URIRef
    participant: URIRef
    participatesIn: URIRef
    person: URIRef
    published: URIRef
    role: URIRef
    sentence: URIRef
    sha256: URIRef
    startOffset: URIRef
    statedIn: URIRef
    subEventOf: URIRef
    subOrganizationOf: URIRef
    subject: URIRef
    title: URIRef
    topEvent: URIRef
    unit: URIRef
    valueText: URIRef
    withinEvent: URIRef
    year: URIRef


def resource_namespace(base: str = DEFAULT_BASE) -> Namespace:
    """The namespace of minted resources (kgr:); the base is configurable."""
    if not base.endswith(("/", "#")):
        base += "/"
    return Namespace(base)
