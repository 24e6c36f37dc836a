"""Extraction as named, ordered steps over one article's state.

Each step is a small function of an :class:`Article`: its docstring says what it reads and
what it adds, and :data:`STEPS` lists them in the order they run (the way
``kg.resolve.rules.RULES`` lists the merge rules). A new phrasing means a new step, or a
change to one, with its own test sentences; the state every step sees is the one
:class:`Article`, not ad-hoc keys in ``doc.user_data``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import Affiliation, Observation, Participation
from .entity_index import TokenIndex
from .header import Header
from .registry import EntityRegistry


@dataclass
class Article:
    """One article while its steps run: the parsed Doc, and what the steps have found."""

    doc: Doc
    name: str
    header: Header | None = None
    registry: EntityRegistry = field(default_factory=EntityRegistry)
    index: TokenIndex | None = None
    events: object | None = None  # kg.extract.events.Events, once the events step ran
    affiliations: list[Affiliation] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    """One named step: what it reads from and writes to the :class:`Article`."""

    name: str
    run: Callable[[Article], None]
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or "").strip()


def run(article: Article, steps: tuple[Step, ...] | None = None) -> Article:
    """Run the steps (default :data:`STEPS`) over ``article`` in order."""
    for step in steps if steps is not None else STEPS:
        step.run(article)
    return article


# ----------------------------------------------------------------------------- the steps
def header(a: Article) -> None:
    """Title, bylines (with outlet and title), publication date and the body's range, from
    the raw text's first lines and the credits in the body (:mod:`.header`)."""
    from . import header as header_mod

    a.header = header_mod.parse(a.doc.text)


def entities(a: Article) -> None:
    """People, organisations, events and places from the tagged mentions (span groups of
    ``kg_mentions``), acronyms tied to full names, surnames to people (:mod:`.entities`)."""
    from . import entities as entities_mod

    assert a.header is not None
    a.index = entities_mod.build(a.doc, a.header, a.registry)


def affiliations(a: Article) -> None:
    """Who holds which post where: appositions, titles before names, the parse's fallback,
    bylines (:mod:`.affiliations`)."""
    from . import affiliations as aff_mod

    assert a.header is not None and a.index is not None
    a.affiliations += aff_mod.find(a.doc, a.header, a.registry, a.index)


def events(a: Article) -> None:
    """Event mentions sentence by sentence, anaphors resolved, parents, dates and places,
    and the event each sentence is about (:mod:`.events`)."""
    from . import events as events_mod

    assert a.header is not None and a.index is not None
    a.events = events_mod.linked(a.doc, a.header, a.registry, a.index)


def participation(a: Article) -> None:
    """Who took part in which event, and which institutions organised it, with roles, from
    the sentences' verbs and cue words (:mod:`.roles`)."""
    from .roles import participations

    a.participations += participations(a.events)  # type: ignore[arg-type]


def metrics(a: Article) -> None:
    """The figures the article reports, each with a subject, a measure, values and a year
    (:mod:`.metrics`)."""
    from .metrics import find_observations

    assert a.header is not None
    focus = getattr(a.events, "focus_at", None)
    a.observations += find_observations(a.doc, a.registry, a.header.published, focus)


def suborganisations(a: Article) -> None:
    """Each organisation named as a unit of another the article names ("Institute X of Y",
    "Y's X Branch") is part of it (:mod:`.suborgs`)."""
    from .suborgs import link

    link(a.registry)


def posts_at_events(a: Article) -> None:
    """The event a post is tied to: a person's affiliation and their part in one event stated
    in the same sentence ("P, an official with X, said at the Y Forum") make the post the one
    P held at that event. Two events in the sentence for P tie it to neither."""
    events: dict[tuple[str, int], set[str]] = {}
    for p in a.participations:
        events.setdefault((p.participant, p.span.sentence_start), set()).add(p.event)
    for aff in a.affiliations:
        found = events.get((aff.person, aff.span.sentence_start), set())
        if aff.event is None and len(found) == 1:
            aff.event = next(iter(found))


STEPS: tuple[Step, ...] = (
    Step("header", header, ("doc.text",), ("header",)),
    Step("entities", entities, ("doc.spans", "header"), ("registry", "index")),
    Step("affiliations", affiliations, ("doc", "header", "registry", "index"), ("affiliations", "registry")),
    Step("events", events, ("doc", "header", "registry", "index"), ("events", "registry")),
    Step("participation", participation, ("events",), ("participations", "registry")),
    Step("metrics", metrics, ("doc", "header", "registry", "events"), ("observations", "registry")),
    Step("sub-organisations", suborganisations, ("registry",), ("registry",)),
    Step("posts at events", posts_at_events, ("affiliations", "participations"), ("affiliations",)),
)
