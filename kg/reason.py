"""Reasoning: the OWL 2 RL closure of ontology + asserted data, kept apart.

Two engines give the same inferred triples (tests/test_rules.py compares them on the test
corpora): owlrl, the general OWL 2 RL reasoner, and kg.rules, which compiles the axioms the
ontology uses into one pass over the data. owlrl applies every rule to every triple round
after round and takes minutes past a few dozen articles, so the default, ``Engine.AUTO``,
runs owlrl on small graphs (up to ``OWLRL_MAX_INPUT`` triples) and the compiled rules on
larger ones, unless the ontology uses an axiom kg.rules does not compile (then owlrl, under
its budget). This is owlrl's one home. The closure runs on a copy that holds only what needs reasoning (entities,
their types and links; no provenance literals), and returns just the new, non-trivial triples
about the data: the asserted graph is never touched.

owlrl cannot be interrupted, and a cyclic or explosive graph (long owl:sameAs chains, a
property both transitive and symmetric) makes it grow quadratically. So it runs under a
:class:`Budget`: a size limit on its input, a size limit on the closure (checked every time a
rule derives a triple) and a time limit (checked there too, and enforced from outside by
running the closure in a worker process that is terminated when the time is up). On a breach
the result says so, carries no inferred triples, and the caller keeps the asserted graph."""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from .vocab import KGO

# provenance and free-text properties carry nothing a rule can use
_SKIP_PREDICATES = {KGO.sentence, KGO.startOffset, KGO.endOffset, KGO.valueText, KGO.sha256,
                    KGO.headline, KGO.fileName, KGO.mergedName, KGO.mergeReason, KGO.mergeScore}
_KEEP_LITERALS = {KGO.date, KGO.year}
_TYPE, _SAME_AS = RDF.type, OWL.sameAs  # hot loops: no namespace lookups
_TRIVIAL_TYPES = frozenset({OWL.Thing, OWL.NamedIndividual, OWL.Nothing})
DEFAULT_MAX_TRIPLES = 300_000
_GRACE_SECONDS = 5.0  # how long past the budget the worker may take to notice it itself
_CHECK_EVERY = 2048  # derivations between two looks at the clock


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


def reasoning_input(asserted: Graph) -> Graph:
    """The part of the asserted graph that reasoning needs."""
    g = Graph()
    for t in asserted:
        if needs_reasoning(t):
            g.add(t)
    return g


def _keeper(resource_prefix: str):
    """Which derived triples go into the inferred graph: only about minted resources, and
    no trivia (x sameAs x, x a owl:Thing) or free text."""
    def keep(s: Any, p: Any, o: Any) -> bool:
        if isinstance(s, BNode) or not s.startswith(resource_prefix):
            return False
        if p == _SAME_AS and s == o:
            return False
        if p == _TYPE and o in _TRIVIAL_TYPES:
            return False
        return not (isinstance(o, Literal) and p not in _KEEP_LITERALS)
    return keep


def _bounded_semantics(budget: Budget, deadline: float) -> type:
    """owlrl's OWL 2 RL semantics that stops itself when the closure passes the size budget
    or the clock passes ``deadline`` (checked as rules derive triples)."""
    import owlrl

    class Bounded(owlrl.OWLRL_Semantics):  # type: ignore[misc, name-defined]
        def __init__(self, graph: Graph, *args: Any, **kwargs: Any) -> None:
            self._size = len(graph)
            self._calls = 0
            super().__init__(graph, *args, **kwargs)

        def empty_stored_triples(self) -> None:
            # called when a round's new triples have gone into the graph
            self._size += len(getattr(self, "added_triples", ()))
            super().empty_stored_triples()

        def store_triple(self, t: Any) -> None:
            super().store_triple(t)
            self._calls += 1
            size = self._size + len(self.added_triples)
            if size > budget.max_closure_triples:
                raise _OverBudget(Outcome.OVER_SIZE,
                                  f"the closure grew past {budget.max_closure_triples} triples")
            if self._calls % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise _OverBudget(Outcome.OVER_TIME,
                                  f"still running after the time budget of {budget.max_seconds:g} s")

    return Bounded


def _closure(triples: Iterable[tuple], resource_prefix: str, budget: Budget,
             deadline: float) -> tuple[list[tuple], list[str]]:
    """Run the bounded closure; return the new triples about minted resources, and what went
    wrong: owlrl's inconsistency messages and the types it derived that the node's asserted
    type does not imply (those are left out). Raises _OverBudget."""
    import owlrl
    from owlrl.Namespaces import ERRNS

    work = Graph()
    for t in triples:
        work.add(t)
    before = set(work)
    asserted_types: dict[Any, set] = {}
    for s, p, o in before:
        if p == RDF.type:
            asserted_types.setdefault(s, set()).add(o)
    owlrl.DeductiveClosure(_bounded_semantics(budget, deadline), axiomatic_triples=False,
                           datatype_axioms=False).expand(work)
    problems = sorted(str(o) for o in work.objects(None, ERRNS.error))
    implied = _implied_types(work, asserted_types)
    new, stray = [], {}
    keep = _keeper(resource_prefix)
    for s, p, o in work:
        if (s, p, o) in before or not keep(s, p, o):
            continue
        if p == RDF.type and s in implied and o not in implied[s]:
            stray.setdefault(s, []).append(o)
            continue
        new.append((s, p, o))
    problems.extend(_stray_messages({s: (asserted_types[s], types) for s, types in stray.items()}))
    return new, problems


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


def _implied_types(work: Graph, asserted_types: dict[Any, set]) -> dict[Any, set]:
    """For each node with an asserted type, the classes that type implies (itself and its
    superclasses, as the closure left them). A domain or range that types a node beyond
    these is a wrong link (a person where an event belongs), not knowledge: such a type
    stays out of the inferred graph, so queries never see it."""
    supers: dict[Any, frozenset] = {}
    out = {}
    for node, types in asserted_types.items():
        allowed: set = set()
        for cls in types:
            if cls not in supers:
                supers[cls] = frozenset({cls, *work.objects(cls, RDFS.subClassOf),
                                         *work.objects(cls, OWL.equivalentClass)})
            allowed |= supers[cls]
        out[node] = allowed
    return out


def _worker(conn: Any, triples: list[tuple], resource_prefix: str, budget: Budget,
            deadline: float) -> None:
    """Worker process body: send back ("ok", triples, errors) or (outcome, message)."""
    try:
        new, errors = _closure(triples, resource_prefix, budget, deadline)
        conn.send(("ok", new, errors))
    except _OverBudget as exc:
        conn.send((exc.outcome.value, str(exc)))
    except Exception as exc:  # noqa: BLE001 - report whatever owlrl raised; never hang the parent
        conn.send((Outcome.FAILED.value, f"the reasoner failed: {exc!r}"))
    finally:
        conn.close()


def _run_in_worker(triples: list[tuple], resource_prefix: str, budget: Budget,
                   deadline: float) -> tuple[list[tuple], list[str]]:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, triples, resource_prefix, budget, deadline),
                       daemon=True, name="kg-reasoner")
    proc.start()
    send.close()
    try:
        wait = max(0.0, deadline - time.monotonic()) + _GRACE_SECONDS
        if not receive.poll(wait):
            raise _OverBudget(Outcome.OVER_TIME,
                              f"stopped after the time budget of {budget.max_seconds:g} s")
        try:
            reply = receive.recv()
        except EOFError:
            raise _OverBudget(Outcome.FAILED,
                              f"the reasoner's worker died (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        if proc.is_alive():  # pragma: no cover - terminate is not enough only on a wedged kernel
            proc.kill()
            proc.join()
        receive.close()
    if reply[0] != "ok":
        raise _OverBudget(Outcome(reply[0]), reply[1])
    return reply[1], reply[2]


class Reasoning:
    """One reasoning run fed in parts: :meth:`add` the asserted triples (a build streams
    them article by article), then :meth:`finish`. With ``Engine.AUTO`` the first
    ``OWLRL_MAX_INPUT`` triples are kept as they come; past that the compiled rules take over
    and hold terms as integers, so a large corpus never sits in memory as rdflib triples."""

    def __init__(self, ontology: Graph, resource_prefix: str, *, budget: Budget | None = None,
                 engine: Engine = Engine.AUTO, isolation: Isolation = Isolation.PROCESS) -> None:
        self.ontology = ontology
        self.prefix = resource_prefix
        self.budget = budget or Budget()
        self.engine = engine
        self.isolation = isolation
        self.busy = 0.0  # seconds spent in add() and finish()
        self._since: float | None = None
        self._buffer: list[tuple] = []  # the data, until the rules take over
        self._schema: list[tuple] = []  # axioms found in the data
        self._closure: Any = None  # kg.rules.Closure, once the rules run
        self._unsupported: list[str] | None = None
        self._ontology_triples = set(ontology)
        self.size = len(ontology)

    def add(self, triples: Iterable[tuple]) -> None:
        began = time.monotonic()
        try:
            self._add(triples)
        finally:
            self.busy += time.monotonic() - began

    def _add(self, triples: Iterable[tuple]) -> None:
        from .rules import is_schema

        ontology = self._ontology_triples
        skip, keep_literals = _SKIP_PREDICATES, _KEEP_LITERALS
        wanted = [t for t in triples  # needs_reasoning(t), inlined: millions of triples
                  if t[1] not in skip and (t[1] in keep_literals or not isinstance(t[2], Literal))
                  and t not in ontology]
        self.size += len(wanted)
        self._schema.extend(t for t in wanted if is_schema(t))
        if self._closure is not None:
            self._closure.add(wanted)
            return
        self._buffer.extend(wanted)
        if self.engine is Engine.RULES or (
                self.engine is Engine.AUTO and len(self._buffer) > OWLRL_MAX_INPUT):
            self._start_rules()

    def _start_rules(self) -> None:
        """Hand the data to the compiled rules, when the ontology compiles."""
        from .rules import Closure, compile_program, is_schema

        if self._unsupported is not None:
            return
        program = compile_program(self.ontology)
        if program.unsupported:
            self._unsupported = program.unsupported
            return
        self._closure = Closure(program, max_triples=self.budget.max_rules_triples)
        self._closure.add(t for t in self.ontology if not is_schema(t) and needs_reasoning(t))
        self._closure.add(self._buffer)
        self._buffer = []

    def finish(self) -> Inference:
        """Run the closure (the time budget counts the reasoner's own time: feeding it and
        this)."""
        self._since = time.monotonic()
        self.deadline = self._since + max(0.0, self.budget.max_seconds - self.busy)
        if self._closure is not None:
            return self._finish_rules()
        if self.engine is Engine.RULES and self._unsupported is None:
            self._start_rules()
            if self._closure is not None:
                return self._finish_rules()
        if self.engine is Engine.RULES:
            return self._stopped(Outcome.FAILED, "the compiled rules do not cover "
                                 + "; ".join(self._unsupported or [])[:500], Engine.RULES)
        return self._finish_owlrl()

    def _elapsed(self) -> float:
        """The reasoner's own time so far (not the time of the build feeding it)."""
        return self.busy + (time.monotonic() - self._since if self._since is not None else 0.0)

    def _stopped(self, outcome: Outcome, why: str, engine: Engine) -> Inference:
        seconds = self._elapsed()
        return Inference([], seconds, self.size, outcome=outcome, engine=engine,
                         skipped=f"reasoning stopped after {seconds:.1f} s: {why}; "
                                 "no inferred triples, the asserted graph is kept")

    def _finish_rules(self) -> Inference:
        from .rules import OverBudget

        closure = self._closure
        closure.deadline = self.deadline
        if self._schema:
            return self._stopped(Outcome.FAILED, f"the data states {len(self._schema)} axioms of "
                                 "its own, which the compiled rules do not read", Engine.RULES)
        try:
            closure.run()
        except OverBudget as exc:
            outcome = Outcome.OVER_SIZE if exc.kind == "size" else Outcome.OVER_TIME
            why = str(exc) + (f" of {self.budget.max_seconds:g} s" if exc.kind == "time" else "")
            return self._stopped(outcome, why, Engine.RULES)
        found = closure.inferred(_keeper(self.prefix))
        problems = sorted(f"Disjoint classes {_local(a)} and {_local(b)} have a common individual {node}"
                          for node, a, b in found.clashes)
        problems.extend(_stray_messages(found.stray))
        self._closure = None  # free the closure's indexes before the graph is built
        return Inference(found.triples, self._elapsed(), self.size,
                         inconsistencies=problems, engine=Engine.RULES)

    def _finish_owlrl(self) -> Inference:
        budget = self.budget
        triples = list(self.ontology) + self._buffer
        size = len(triples)
        if size > budget.max_input_triples:
            note = (f" (the compiled rules do not cover {self._unsupported[0]})"
                    if self._unsupported else "")
            return Inference([], self._elapsed(), size, outcome=Outcome.OVER_INPUT,
                             engine=Engine.OWLRL,
                             skipped=f"reasoning input has {size} triples, over the budget of "
                                     f"{budget.max_input_triples}{note}; the asserted graph is kept")
        deadline = self.deadline
        try:
            if self.isolation is Isolation.PROCESS and not multiprocessing.current_process().daemon:
                new, errors = _run_in_worker(triples, self.prefix, budget, deadline)
            else:  # inline, or inside a daemonic worker, which may not start processes of its own
                try:
                    new, errors = _closure(triples, self.prefix, budget, deadline)
                except _OverBudget:
                    raise
                except Exception as exc:  # as the worker does: a failure is an outcome
                    raise _OverBudget(Outcome.FAILED, f"the reasoner failed: {exc!r}") from exc
        except _OverBudget as exc:
            return self._stopped(exc.outcome, str(exc), Engine.OWLRL)
        return Inference(new, self._elapsed(), size,
                         inconsistencies=errors, engine=Engine.OWLRL)


def _as_graph(triples: Iterable[tuple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def infer(asserted: Graph, ontology: Graph, resource_prefix: str,
          max_triples: int = DEFAULT_MAX_TRIPLES, *, budget: Budget | None = None,
          isolation: Isolation = Isolation.PROCESS, engine: Engine = Engine.AUTO) -> Inference:
    """OWL 2 RL closure of ``ontology`` + the reasoning part of ``asserted``, under ``budget``
    (``max_triples`` is owlrl's input limit when no budget is given). Returns only new
    triples whose subject is a minted resource; on a budget breach, none, and says why."""
    run = Reasoning(ontology, resource_prefix, budget=budget or Budget(max_input_triples=max_triples),
                    engine=engine, isolation=isolation)
    run.add(asserted)
    inference = run.finish()
    for prefix, ns in asserted.namespaces():
        inference.graph.bind(prefix, ns)
    return inference
