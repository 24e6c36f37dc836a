"""The main job: read articles, extract, resolve, write RDF, reason; one call per stage."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import io
from .errors import KGError
from .extract import extract_doc, load_nlp
from .graphs import KnowledgeGraph, load_ontology
from .model import ArticleExtraction
from .rdf import to_rdf
from .reason import infer
from .resolve import resolve
from .vocab import DEFAULT_BASE, KGO

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build read, skipped, found and wrote."""

    out: Path
    articles: int = 0
    skipped: list[io.Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, same content as)
    people: int = 0
    organizations: int = 0
    events: int = 0
    metrics: int = 0
    asserted: int = 0
    inferred: int = 0
    reasoning_seconds: float = 0.0
    reasoning_note: str | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"read {self.articles} article{'s' if self.articles != 1 else ''}, skipped {len(self.skipped)}"
            + (f", {len(self.duplicates)} duplicate{'s' if len(self.duplicates) != 1 else ''}" if self.duplicates else ""),
            f"people {self.people}, organisations {self.organizations}, events {self.events}, "
            f"metrics {self.metrics}",
            f"triples {self.asserted} asserted, {self.inferred} inferred "
            f"(reasoning {self.reasoning_seconds:.1f} s)",
        ]
        if self.reasoning_note:
            lines.append(f"reasoning skipped: {self.reasoning_note}")
        lines.append(f"wrote {self.out} in {self.seconds:.1f} s")
        return "\n".join(lines)


def read_all(paths: list[Path], report: BuildReport, progress: Progress) -> list[io.ArticleText]:
    """Read every article; a bad file is skipped with its reason, a duplicate (same content
    under another name) is read once."""
    articles, seen = [], {}
    for path in io.find_articles(paths):
        try:
            art = io.read_article(path)
        except KGError as exc:
            report.skipped.append(io.Skipped(path, str(exc)))
            progress(f"skipped {exc}")
            continue
        digest = _sha(art.text)
        if digest in seen:
            report.duplicates.append((str(path), seen[digest]))
            progress(f"{path}: same text as {seen[digest]}, read once")
            continue
        seen[digest] = str(path)
        articles.append(art)
    return articles


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_all(articles: list[io.ArticleText], jobs: int, progress: Progress,
                report: BuildReport) -> list[ArticleExtraction]:
    """Run the spaCy pipeline over all articles and extract from each parsed doc."""
    nlp = load_nlp()
    out = []
    texts = ((a.text, a) for a in articles)
    for doc, art in nlp.pipe(texts, as_tuples=True, n_process=max(1, jobs), batch_size=8):
        try:
            out.append(extract_doc(doc, art.name))
        except Exception as exc:  # one article's bad luck must not sink the batch
            report.skipped.append(io.Skipped(art.path, f"extraction failed: {exc!r}"))
            progress(f"skipped {art.path}: extraction failed ({exc!r})")
    return out


def build(paths: list[Path], out: Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          progress: Progress = lambda msg: None) -> tuple[KnowledgeGraph, BuildReport]:
    """Build the knowledge graph of the articles under ``paths`` and write it to ``out``."""
    start = time.perf_counter()
    report = BuildReport(out=out)
    articles = read_all(paths, report, progress)
    report.articles = len(articles)
    extractions = extract_all(articles, jobs, progress, report)
    resolution = resolve(extractions)
    asserted = to_rdf(resolution, base)
    ontology = load_ontology()
    inference = infer(asserted, ontology, resource_prefix=str(base))
    kg = KnowledgeGraph(asserted=asserted, inferred=inference.graph, ontology=ontology, base=base)
    kg.save(out)
    report.reasoning_seconds = inference.seconds
    report.reasoning_note = inference.skipped
    report.asserted, report.inferred = len(asserted), len(inference.graph)
    report.people = _count(kg, KGO.Person)
    report.organizations = _count(kg, KGO.Organization)
    report.events = _count(kg, KGO.Event)
    report.metrics = _count(kg, KGO.Observation)
    report.seconds = time.perf_counter() - start
    return kg, report


def _count(kg: KnowledgeGraph, cls) -> int:
    from rdflib.namespace import RDF, RDFS

    classes = {cls} | set(kg.ontology.transitive_subjects(RDFS.subClassOf, cls))
    nodes = set()
    for c in classes:
        nodes.update(kg.asserted.subjects(RDF.type, c))
    return len(nodes)
