"""Reasoning: the OWL 2 RL closure (owlrl) of ontology + asserted data, kept apart.

owlrl's one home. It runs on a copy that holds only what needs reasoning (entities, their
types and links; no provenance literals), under a size budget, and returns just the new,
non-trivial triples about the data. The asserted graph is never touched."""
from __future__ import annotations

import time
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF

from .vocab import KGO

# provenance and free-text properties carry nothing a rule can use
_SKIP_PREDICATES = {KGO.sentence, KGO.startOffset, KGO.endOffset, KGO.valueText, KGO.sha256,
                    KGO.headline, KGO.fileName, KGO.mergedName, KGO.mergeReason, KGO.mergeScore}
DEFAULT_MAX_TRIPLES = 300_000


@dataclass
class Inference:
    """The inferred triples and what it took to get them."""

    graph: Graph
    seconds: float
    input_triples: int
    skipped: str | None = None  # why reasoning was skipped, when it was


def reasoning_input(asserted: Graph) -> Graph:
    """The part of the asserted graph that reasoning needs."""
    g = Graph()
    for s, p, o in asserted:
        if p in _SKIP_PREDICATES or (isinstance(o, Literal) and p not in (KGO.date, KGO.year)):
            continue
        g.add((s, p, o))
    return g


def infer(asserted: Graph, ontology: Graph, resource_prefix: str,
          max_triples: int = DEFAULT_MAX_TRIPLES) -> Inference:
    """OWL 2 RL closure; returns only new triples whose subject is a minted resource."""
    import owlrl

    start = time.perf_counter()
    data = reasoning_input(asserted)
    work = Graph()
    for t in ontology:
        work.add(t)
    for t in data:
        work.add(t)
    size = len(work)
    if size > max_triples:
        return Inference(Graph(), time.perf_counter() - start, size,
                         skipped=f"reasoning input has {size} triples, over the budget of {max_triples}")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(work)
    inferred = Graph()
    for s, p, o in work:
        if not str(s).startswith(resource_prefix):
            continue
        if (s, p, o) in asserted or (s, p, o) in ontology:
            continue
        if p == OWL.sameAs and s == o:
            continue
        if p == RDF.type and o in (OWL.Thing, OWL.NamedIndividual, OWL.Nothing):
            continue
        if isinstance(o, Literal) and p not in (KGO.date, KGO.year):
            continue
        inferred.add((s, p, o))
    return Inference(inferred, time.perf_counter() - start, size)
