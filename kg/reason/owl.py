"""The owlrl engine: owlrl's one home in kg. The closure runs on a copy that holds only what
needs reasoning, under a budget checked every time a rule derives a triple, and in a worker
process that is terminated when the time is up (owlrl itself cannot be interrupted)."""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from .budget import Budget, Outcome, _keeper, _OverBudget, _stray_messages

_GRACE_SECONDS = 5.0  # how long past the budget the worker may take to notice it itself
_CHECK_EVERY = 2048  # derivations between two looks at the clock


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


