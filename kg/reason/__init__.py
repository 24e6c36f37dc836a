"""Reasoning: the OWL 2 RL closure of ontology + asserted data, kept apart.

Two engines give the same inferred triples (tests/test_reason_compiled.py compares them on the test
corpora): owlrl, the general OWL 2 RL reasoner, and kg.reason.compiled, which compiles the axioms the
ontology uses into one pass over the data. owlrl applies every rule to every triple round
after round and takes minutes past a few dozen articles, so the default, ``Engine.AUTO``,
runs owlrl on small graphs (up to ``OWLRL_MAX_INPUT`` triples) and the compiled rules on
larger ones, unless the ontology uses an axiom kg.reason.compiled does not compile (then owlrl, under
its budget). owlrl's one home is kg.reason.owl; the budget, outcomes and
what reasoning reads are in kg.reason.budget. The closure runs on a copy that holds only what needs reasoning (entities,
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
from typing import Any

from rdflib import Graph, Literal

from .budget import (
    _KEEP_LITERALS,
    _SKIP_PREDICATES,
    DEFAULT_MAX_TRIPLES,
    OWLRL_MAX_INPUT,
    Budget,
    Engine,
    Inference,
    Isolation,
    Outcome,
    _keeper,
    _local,
    _OverBudget,
    _stray_messages,
    needs_reasoning,
)
from .compiled import Closure, OverBudget, compile_program, is_schema
from .owl import _closure, _run_in_worker

__all__ = ["DEFAULT_MAX_TRIPLES", "OWLRL_MAX_INPUT", "Budget", "Engine", "Inference", "Isolation", "Outcome",
           "Reasoning", "infer", "needs_reasoning"]


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
        self._closure: Any = None  # kg.reason.compiled.Closure, once the rules run
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
