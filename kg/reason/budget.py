"""What a reasoning run may use and what it gives back: the engines, the budget, the outcome
and the inferred triples; which triples reasoning reads and which derived ones it keeps.
Shared by both engines (kg.reason.owl and kg.reason.compiled)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF

from ..vocab import KGO
from ..vocab import same_iri as _same
from ..vocab import starts_with as _starts

# provenance and free-text properties carry nothing a rule can use
_SKIP_PREDICATES = {KGO.sentence, KGO.startOffset, KGO.endOffset, KGO.valueText, KGO.sha256,
                    KGO.headline, KGO.fileName, KGO.mergedName, KGO.mergeReason, KGO.mergeScore}
_KEEP_LITERALS = {KGO.date, KGO.year}
_TYPE, _SAME_AS = RDF.type, OWL.sameAs  # hot loops: no namespace lookups
_TRIVIAL_TYPES = frozenset({OWL.Thing, OWL.NamedIndividual, OWL.Nothing})
DEFAULT_MAX_TRIPLES = 300_000


OWLRL_MAX_INPUT = 12_000  # Engine.AUTO: owlrl up to this many input triples (about 40 articles)


class Engine(str, Enum):
    """Which reasoner computes the closure."""

    AUTO = "auto"  # owlrl on small graphs, the compiled rules on large ones
    OWLRL = "owlrl"
    RULES = "rules"


class Outcome(str, Enum):
    """How a reasoning run ended."""

    COMPLETE = "complete"
    OVER_INPUT = "over-input"  # not started: the input is over the size budget
    OVER_SIZE = "over-size"  # stopped: the closure grew past its size budget
    OVER_TIME = "over-time"  # stopped: past the time budget
    FAILED = "failed"  # the reasoner raised or its worker died


class Isolation(str, Enum):
    """Where the closure runs: in a worker process (can be stopped from outside; the
    default) or in this process (only the cooperative checks stop it)."""

    PROCESS = "process"
    INLINE = "inline"


@dataclass(frozen=True)
class Budget:
    """Limits on one reasoning run."""

    max_input_triples: int = DEFAULT_MAX_TRIPLES  # owlrl's input
    max_closure_triples: int = 2_000_000  # owlrl's closure
    max_seconds: float = 120.0
    max_rules_triples: int = 60_000_000  # the compiled rules' property assertions


@dataclass
class Inference:
    """The inferred triples and what it took to get them."""

    triples: list[tuple]  # each once
    seconds: float  # the reasoner's own time
    input_triples: int
    skipped: str | None = None  # why there are no inferred triples, when reasoning stopped
    outcome: Outcome = Outcome.COMPLETE
    inconsistencies: list[str] = field(default_factory=list)  # clashes; types left out
    engine: Engine = Engine.OWLRL  # the engine that ran (or would have)
    _graph: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def graph(self) -> Graph:
        """The inferred triples as an rdflib graph (made on first use: a store build
        writes the triples and never needs it)."""
        if self._graph is None:
            self._graph = _as_graph(self.triples)
        return self._graph


class _OverBudget(Exception):
    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


def needs_reasoning(triple: tuple) -> bool:
    """Whether reasoning needs this triple (entities, their types and links; not provenance
    or free text)."""
    _, p, o = triple
    return p not in _SKIP_PREDICATES and (p in _KEEP_LITERALS or not isinstance(o, Literal))


def _keeper(resource_prefix: str):
    """Which derived triples go into the inferred graph: only about minted resources, and
    no trivia (x sameAs x, x a owl:Thing) or free text."""
    def keep(s: Any, p: Any, o: Any) -> bool:
        if isinstance(s, BNode) or not _starts(s, resource_prefix):
            return False
        if _same(p, _SAME_AS) and s == o:
            return False
        if _same(p, _TYPE) and o in _TRIVIAL_TYPES:
            return False
        return not (isinstance(o, Literal) and p not in _KEEP_LITERALS)
    return keep


def _stray_messages(stray: dict[Any, tuple[Iterable, Iterable]]) -> list[str]:
    """One message per node that a domain or range types beyond its asserted types."""
    out = []
    for s in sorted(stray, key=str):
        asserted, extra = stray[s]
        types = ", ".join(sorted(_local(o) for o in extra))
        out.append(f"{s} is a {', '.join(sorted(_local(c) for c in asserted))}, but a "
                   f"domain or range makes it also a {types} (a wrong link?): those types are "
                   "left out of the inferred graph")
    return out


_SHORT = {str(KGO._NS): "kgo:", "https://schema.org/": "schema:", "http://www.w3.org/ns/org#": "org:",
          "http://xmlns.com/foaf/0.1/": "foaf:", "http://www.w3.org/ns/prov#": "prov:",
          "http://www.w3.org/ns/sosa/": "sosa:"}


def _local(term: Any) -> str:
    """A class name for messages: kgo:Organization, schema:Organization..."""
    for ns, prefix in _SHORT.items():
        if str(term).startswith(ns):
            return prefix + str(term)[len(ns):]
    return f"<{term}>"



def _as_graph(triples: Iterable[tuple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


