"""Writing a build into the store folder (kg.store): a built graph synced whole, or a
resolved corpus streamed graph by graph, with the counts and validation of the build report."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .graphs import KnowledgeGraph
from .vocab import KGO, same_iri


class BuildReport(Protocol):
    """What writing the store fills in of kg.build.BuildReport (a Protocol, so that this
    module, which kg.build calls, never imports kg.build)."""

    store_changes: str
    asserted: int
    inferred: int
    reasoning_seconds: float
    reasoning_note: str | None
    violations: int | None
    validation_note: str | None


VALIDATE_MAX_TRIPLES = 150_000  # SHACL validation during a build, up to this many triples


def write_store(kg: KnowledgeGraph, folder: Path, key: str, report: BuildReport,
                on_wait: Callable[[], None] = lambda: None,
                progress: Callable[[str], None] = lambda msg: None) -> None:
    """Sync a built graph into the store folder: one named graph per article, the entity,
    inferred and ontology graphs; ``key`` (:func:`inputs_key`) marks what it was built from;
    then the precomputed answers (kg.answers), ``progress`` told of each."""
    from .partition import named_graphs
    from .store import Store

    prefixes = {p: str(ns) for p, ns in kg.asserted.namespaces()}
    with Store(folder, on_wait=on_wait) as store:
        sync = store.sync(named_graphs(kg), kg.base, prefixes, key, answers=progress)
    report.store_changes = _changes(sync)


def _changes(sync) -> str:
    return (f"{len(sync.added)} graphs added, {len(sync.replaced)} replaced, "
            f"{len(sync.removed)} removed, {sync.unchanged} unchanged"
            + (", database compacted" if sync.compacted else "") + f"; {sync.answers}")


class _Counter:
    """Counts of people, organisations, events and observations in triples seen one graph at
    a time (each node once, whatever its class within a category)."""

    def __init__(self, ontology) -> None:
        from rdflib.namespace import RDFS

        self.category: dict = {}
        for name, cls in (("people", KGO.Person), ("organizations", KGO.Organization),
                          ("events", KGO.Event), ("metrics", KGO.Observation)):
            for sub in {cls} | set(ontology.transitive_subjects(RDFS.subClassOf, cls)):
                self.category[sub] = name
        self.nodes: dict[str, set] = {name: set() for name in set(self.category.values())}

    def add(self, triples) -> None:
        from rdflib.namespace import RDF

        rdf_type, category = RDF.type, self.category
        for s, p, o in triples:
            if same_iri(p, rdf_type) and o in category:
                self.nodes[self.category[o]].add(s)

    def into(self, report: BuildReport) -> None:
        for name, nodes in self.nodes.items():
            setattr(report, name, len(nodes))


def stream_store(parts, base: str, ontology, folder: Path, key: str,
                 report: BuildReport, on_wait: Callable[[], None] = lambda: None,
                 progress: Callable[[str], None] = lambda msg: None) -> None:
    """Write a resolved corpus into the store folder graph by graph (``parts``, from
    kg.rdf.graph_parts or a cluster):
    each article's graph is built, digested, written and dropped; reasoning is fed as the
    graphs go by (kg.reason.Reasoning) and its graph is written last; SHACL validation runs
    when the asserted graph is within the build's budget; then the precomputed answers
    (kg.answers), ``progress`` told of each. Memory stays at the extractions
    and the reasoner's integer-coded closure, not the whole graph."""
    from rdflib import Graph

    from .partition import GraphNames
    from .rdf import bind_prefixes
    from .reason import Reasoning
    from .shortcuts import GraphShortcuts, event_classes, name_keys
    from .store import Store

    reasoning = Reasoning(ontology, str(base))
    keys: set[tuple] = set()
    tops = GraphShortcuts(str(base), event_classes(ontology), ontology)
    counter = _Counter(ontology)
    kept: list | None = []  # the asserted triples, for validation, while within its budget
    names = GraphNames(base)

    def each():
        for iri, triples in parts:
            report.asserted += len(triples)
            reasoning.add(triples)
            keys.update(name_keys(triples, str(base)))
            tops.add(triples)
            counter.add(triples)
            nonlocal kept
            if kept is not None:
                kept.extend(triples)
                if len(kept) > VALIDATE_MAX_TRIPLES:
                    kept = None
            yield iri, triples
        inference = reasoning.finish()
        report.reasoning_seconds, report.reasoning_note = inference.seconds, inference.skipped
        tops.add(inference.triples)
        # in no particular order: the store's digests and writes do not depend on it (sorting
        # rdflib terms compares them through Python methods: seconds at 10,000 articles)
        derived = list(keys | name_keys(inference.triples, str(base)) | tops.triples())
        report.inferred = len(inference.triples) + len(derived)
        yield names.inferred, inference.triples + derived  # the query shortcuts (kg.shortcuts) too
        yield names.ontology, list(ontology)

    prefixes = {p: str(ns) for p, ns in bind_prefixes(Graph(), base).namespaces()}
    with Store(folder, on_wait=on_wait) as store:
        sync = store.sync(each(), base, prefixes, key, answers=progress)
    report.store_changes = _changes(sync)
    counter.into(report)
    if kept is not None:
        asserted = bind_prefixes(Graph(), base)
        for t in kept:
            asserted.add(t)
        report.violations = _violations(KnowledgeGraph(asserted=asserted, inferred=Graph(),
                                                       ontology=ontology, base=base))
    else:
        report.validation_note = (f"{report.asserted} asserted triples, over the build's "
                                  f"validation budget of {VALIDATE_MAX_TRIPLES}; run `kg validate`")



def _violations(kg: KnowledgeGraph) -> int:
    """How many SHACL violations the asserted graph has (kg.validate; the report is
    `kg validate`'s job)."""
    from .validate import validate

    return len(validate(kg.asserted, kg.ontology).violations)
