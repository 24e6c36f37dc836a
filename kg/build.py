"""The main job: read articles, extract, resolve, write RDF, reason; one call per stage."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph

from . import io, query_store
from .cache import ExtractionCache, pipeline_version
from .curate import Curation
from .curate import apply as apply_curation
from .build_store import VALIDATE_MAX_TRIPLES, _violations, stream_store, write_store
from .errors import InputError, KGError, UsageError
from .graphs import KnowledgeGraph, load_ontology
from .model import ArticleExtraction
from .progress import Meter
from .rdf import bind_prefixes, graph_parts
from .reason import infer
from .shortcuts import graph_shortcuts
from .resolve import resolve
from .vocab import DEFAULT_BASE, KGO
from .workers import Budget

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build read, skipped, found and wrote."""

    out: Path | None
    articles: int = 0
    store: Path | None = None
    extracted: int = 0  # articles run through the pipeline (the others came from the cache)
    cached: int = 0
    up_to_date: bool = False  # nothing changed since the last build: nothing was redone
    store_changes: str = ""
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
    violations: int | None = None  # SHACL violations in the asserted graph (kg.validate)
    cluster: str = ""  # what a --cluster build asked of the cluster (kg.cluster.Tally)
    validation_note: str | None = None  # why validation was left to `kg validate`, when it was
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
        if self.up_to_date:
            lines = lines[:1] + [f"up to date: nothing changed since the last build ({self.seconds:.1f} s)"]
            return "\n".join(lines)
        lines.insert(1, f"extracted {self.extracted}, from cache {self.cached}")
        if self.reasoning_note:
            lines.append(f"reasoning skipped: {self.reasoning_note}")
        if self.validation_note:
            lines.append(f"validation skipped: {self.validation_note}")
        if self.violations is not None:
            lines.append(f"validation: {self.violations} SHACL violation{'s' if self.violations != 1 else ''}"
                         + (" (`kg validate` lists them)" if self.violations else ""))
        if self.store is not None:
            lines.append(f"store {self.store}: {self.store_changes}")
        if self.cluster:
            lines.append(self.cluster)
        written = " and ".join(str(p) for p in (self.out, self.store) if p is not None)
        lines.append(f"wrote {written} in {self.seconds:.1f} s")
        return "\n".join(lines)


def read_all(paths: list[Path], report: BuildReport, progress: Progress,
             budget: Budget = Budget()) -> list[io.ArticleText]:
    """Read every article; a bad file (or one whose name is not valid UTF-8) is skipped with
    its reason, a duplicate (same content under another name) is read once, a text over the
    budget's characters is cut short with a note."""
    articles, seen = [], {}
    for path in io.find_articles(paths):
        shown = io.display(path)
        try:
            if not io.valid_name(path):
                raise InputError(f"{shown}: the file name is not valid UTF-8; rename the file")
            art = io.read_article(path)
        except KGError as exc:
            report.skipped.append(io.Skipped(path, str(exc)))
            progress(f"skipped {exc}")
            continue
        art = io.truncated(art, budget.chars)
        note = art.describe()  # the encoding when not plain UTF-8, markup stripped, repairs
        if note:
            progress(f"{shown}: {note}")
        digest = _sha(art.text)
        if digest in seen:
            report.duplicates.append((shown, seen[digest]))
            progress(f"{shown}: same text as {seen[digest]}, read once")
            continue
        seen[digest] = shown
        articles.append(art)
    return articles


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_all(articles: list[io.ArticleText], jobs: int, progress: Progress,
                report: BuildReport, cache: ExtractionCache | None = None,
                meter: Meter | None = None, seconds: float | None = None) -> list[ArticleExtraction]:
    """Extract from every article, in article order: cached extractions are reused (by the
    text's hash and the extractor version), the rest run through spaCy in ``jobs`` processes
    and are cached. A failing article, or one past ``seconds`` (the per-article time
    budget), is skipped with its reason.

    The cached entries are read in a thread while the processes start and extract the rest
    (the processes hold no lock of this one's; reading 10,000 entries takes seconds). An
    entry that turns out damaged is extracted after them."""
    from concurrent.futures import ThreadPoolExecutor

    shas = [_sha(art.text) for art in articles]
    listed = [cache is not None and cache.path(sha).exists() for sha in shas]
    found: dict[int, ArticleExtraction] = {}
    meter = meter or Meter.silent()
    todo = [i for i, hit in enumerate(listed) if not hit]
    with ThreadPoolExecutor(max_workers=1) as reader:
        cached = reader.submit(_cached, cache, [(i, shas[i], articles[i].name)
                                                for i, hit in enumerate(listed) if hit])
        meter.start("extracting", len(todo))
        _extract_into(found, todo, articles, jobs, progress, report, cache, meter, seconds)
        hits = cached.result()
    found.update(hits)
    missed = [i for i, hit in enumerate(listed) if hit and i not in hits]  # damaged entries
    meter.finish()
    if missed:
        progress(f"{len(missed)} cached extraction{'s' if len(missed) != 1 else ''} could not be read: "
                 "extracting again")
        meter.start("extracting", len(missed))
        _extract_into(found, missed, articles, jobs, progress, report, cache, meter, seconds)
        meter.finish()
    report.cached, report.extracted = len(hits), len(todo) + len(missed)
    return [found[i] for i in sorted(found)]


def _cached(cache: ExtractionCache | None, wanted: list[tuple[int, str, str]]) -> dict[int, ArticleExtraction]:
    """The cached extractions of (index, text hash, name) that read back whole, by index."""
    out: dict[int, ArticleExtraction] = {}
    if cache is not None:
        for i, sha, name in wanted:
            hit = cache.get(sha, name)
            if hit is not None:
                out[i] = hit
    return out


def _extract_into(found: dict[int, ArticleExtraction], todo: list[int], articles: list[io.ArticleText],
                  jobs: int, progress: Progress, report: BuildReport, cache: ExtractionCache | None,
                  meter: Meter, seconds: float | None) -> None:
    """Run the articles at ``todo`` through spaCy (kg.workers) into ``found``, caching each;
    one that fails is skipped with its reason."""
    from .workers import extract_texts

    items = [(articles[i].name, articles[i].text) for i in todo]
    for outcome in extract_texts(items, jobs, meter.advance, seconds):
        art = articles[todo[outcome.index]]
        if outcome.extraction is None:
            reason = f"{io.display(art.path)}: {outcome.error or 'extraction failed'}"
            report.skipped.append(io.Skipped(art.path, reason))
            progress(f"skipped {reason}")
            continue
        found[todo[outcome.index]] = outcome.extraction
        if cache is not None:
            cache.put(outcome.extraction)


def inputs_key(articles: list, base: str) -> str:
    """What a build's output depends on: kg's code, the base IRI, each article's name and text
    (read here, or its hash as a cluster's worker read it: kg.cluster.ArticleRef)."""
    import hashlib

    h = hashlib.sha256(f"{pipeline_version()}\0{base}\0".encode("utf-8"))
    for art in sorted(articles, key=lambda a: a.name):
        sha = art.sha256 if hasattr(art, "sha256") else _sha(art.text)
        h.update(f"{art.name}\0{sha}\n".encode("utf-8"))
    return h.hexdigest()


def _stamp_path(out: Path) -> Path:
    return out.parent / ".kg-cache" / f"{out.name}.build.json"


def _file_sha(path: Path) -> str | None:
    import hashlib

    return hashlib.sha256(io.read_bytes(path)).hexdigest() if path.exists() else None


def _turtle_up_to_date(out: Path, key: str) -> bool:
    import json

    from .graphs import inferred_path

    stamp = _stamp_path(out)
    if not stamp.exists() or not out.exists():
        return False
    try:
        data = json.loads(io.read_text(stamp))
    except ValueError:
        return False
    return (data.get("inputs") == key and data.get("out") == _file_sha(out)
            and data.get("inferred") == _file_sha(inferred_path(out)))


def _write_stamp(out: Path, key: str) -> None:
    import json

    from .graphs import inferred_path

    io.write_atomic(_stamp_path(out), json.dumps(
        {"inputs": key, "out": _file_sha(out), "inferred": _file_sha(inferred_path(out))}, indent=1))


def build(paths: list[Path], out: Path | None, *, base: str = DEFAULT_BASE, jobs: int = 1,
          progress: Progress = lambda msg: None, store: Path | None = None,
          cache_dir: Path | None = None, meter: Meter | None = None,
          force: bool = False, page: bool = True,
          strict: bool = False,
          curation: Curation | None = None,
          budget: Budget = Budget(), cluster: str | None = None,
          cluster_chunk: int = 16) -> tuple[KnowledgeGraph | None, BuildReport]:
    """Build the knowledge graph of the articles under ``paths``; write it as Turtle to
    ``out`` and/or into the Oxigraph store folder ``store``.

    Extractions are cached (``cache_dir``; default: ``STORE/cache`` or ``.kg-cache/`` beside
    ``out``), so only new or changed articles run through spaCy; resolution, RDF and
    reasoning rerun over all of them. When nothing changed since the last build (same
    articles, same kg code, outputs intact) nothing is redone unless ``force``: the report
    says ``up_to_date`` and the graph returned is the saved one (None for a store-only
    build, whose graph stays on disk).

    A bad file is skipped with its reason; with ``strict`` any skipped file raises
    SkippedInputError before anything is written. No readable article at all is an
    InputError (the previous output is kept). ``budget`` bounds what one article may cost
    (kg.workers.Budget): longer texts are cut short, slower ones skipped.

    Each output is locked for the whole build (kg.locks): a second build of the same
    ``out`` or ``store`` raises LockHeld, naming this one.

    ``cluster`` (a Dask scheduler's address, tcp://HOST:PORT) runs reading, extraction,
    resolution (in partitions) and the article and entity graphs as tasks on its workers,
    ``cluster_chunk`` articles an extraction task; the cache folder must be one the workers
    share. The output is the same as without it, byte for byte (kg.cluster)."""
    from . import graphs

    if out is None and store is None:
        raise UsageError("build: nothing to write (give an output file or a store folder)")
    with _outputs_locked(out, store), _cluster(cluster, cluster_chunk, curation, progress, meter) as session:
        start = time.perf_counter()
        report = BuildReport(out=out, store=store)
        articles = session.read(paths, report, budget) if session else read_all(paths, report, progress, budget)
        report.articles = len(articles)
        _check_inputs(paths, articles, report, strict)
        key = inputs_key(articles, base) + (f"+{curation.digest[:16]}" if curation else "")
        if not force and _up_to_date(out, store, key):
            report.up_to_date = True
            if out is not None:
                query_store.keep_beside(out, progress)  # only when it is gone or stale
            report.seconds = time.perf_counter() - start
            kg = graphs.load(out) if out is not None else None
            return kg, report
        if cache_dir is None:
            from .store import cache_path

            cache_dir = cache_path(store) if store is not None else Path(out).parent / ".kg-cache"  # type: ignore[arg-type]
        cache = ExtractionCache(cache_dir, warn=progress)
        cache.prune_other_versions()
        if session is not None:  # extraction, resolution and the graphs on the cluster
            _check_inputs(paths, session.extract(articles, cache, report, budget), report, strict)
            parts = session.graphs([a for a in articles if not _skipped(a, report)], cache, base)
        else:
            extractions = extract_all(articles, jobs, progress, report, cache, meter, budget.seconds)
            _check_inputs(paths, articles, report, strict)
            resolution = resolve(extractions)
            if curation is not None:  # the user's corrections (kg.curate): after resolution, before RDF
                resolution, curated = apply_curation(curation, resolution)
                for line in curated.applied + curated.notes:
                    progress(line)
            parts = graph_parts(resolution, base)
        ontology = load_ontology()
        if out is None:  # store only: streamed graph by graph, never one rdflib graph
            stream_store(parts, base, ontology, store, key, report,  # type: ignore[arg-type]
                         on_wait=lambda: progress(f"waiting for the queries reading {store} to finish"),
                         progress=progress)
            report.seconds = time.perf_counter() - start
            report.cluster = session.summary if session else ""
            return None, report
        asserted = bind_prefixes(Graph(), base)
        for _, triples in parts:
            for t in triples:
                asserted.add(t)
        report.cluster = session.summary if session else ""
        inference = infer(asserted, ontology, resource_prefix=str(base))
        for t in graph_shortcuts((asserted, inference.graph), ontology, str(base)):  # the query shortcuts
            inference.graph.add(t)
        kg = KnowledgeGraph(asserted=asserted, inferred=inference.graph, ontology=ontology, base=base)
        if out is not None:
            kg.save(out)
            _write_stamp(out, key)
            query_store.keep_beside(out, progress)
        if store is not None:
            write_store(kg, store, key, report,
                        on_wait=lambda: progress(f"waiting for the queries reading {store} to finish"),
                        progress=progress)
        report.reasoning_seconds = inference.seconds
        report.reasoning_note = inference.skipped
        if len(asserted) <= VALIDATE_MAX_TRIPLES:
            report.violations = _violations(kg)
        else:  # pySHACL takes ~0.6 ms a triple: on a big corpus, `kg validate` is a job of its own
            report.validation_note = (f"{len(asserted)} asserted triples, over the build's validation "
                                      f"budget of {VALIDATE_MAX_TRIPLES}; run `kg validate`")
        report.asserted, report.inferred = len(asserted), len(inference.graph)
        report.people = _count(kg, KGO.Person)
        report.organizations = _count(kg, KGO.Organization)
        report.events = _count(kg, KGO.Event)
        report.metrics = _count(kg, KGO.Observation)
        if out is not None and page:  # the interactive page beside the Turtle (kg.viz)
            from .viz import write_page

            write_page(kg, Path(out).with_suffix(".html"), source=Path(out).name)
        report.seconds = time.perf_counter() - start
        return kg, report


def _cluster(address: str | None, chunk: int, curation: Curation | None, progress: Progress,
             meter: Meter | None):
    """A cluster session for the build (closed with it), or nothing without ``address``."""
    if address is None:
        return nullcontext()
    from .cluster import ClusterBuild, ClusterError

    if curation is not None:
        raise ClusterError("--cluster does not apply curation files yet: build without --cluster, "
                           "or without the curation file")
    return ClusterBuild(address, chunk=chunk, progress=progress, meter=meter)


def _skipped(article, report: BuildReport) -> bool:
    return any(s.path == article.path for s in report.skipped)


@contextmanager
def _outputs_locked(out: Path | None, store: Path | None) -> Iterator[None]:
    """Hold the build lock of each output for the whole build: a second build of the same
    ``--out`` or ``--store`` fails at once, naming this one (kg.locks)."""
    from .locks import build_lock

    held = []
    try:
        if out is not None:
            held.append(build_lock(Path(out), store=False))
        if store is not None:
            io.make_dir(store)
            held.append(build_lock(Path(store), store=True))
        yield
    finally:
        for lock in held:
            lock.release()


def _check_inputs(paths: list[Path], articles: list[io.ArticleText], report: BuildReport,
                  strict: bool) -> None:
    """Stop before writing when nothing is readable, or (``strict``) when anything was skipped."""
    from .errors import InputError, SkippedInputError

    if strict and report.skipped:
        names = ", ".join(str(s.path) for s in report.skipped[:5])
        more = f" and {len(report.skipped) - 5} more" if len(report.skipped) > 5 else ""
        raise SkippedInputError(f"--strict: {len(report.skipped)} file(s) skipped ({names}{more}); "
                                "nothing written")
    if not articles:
        where = ", ".join(str(p) for p in paths)
        raise InputError(f"no readable articles in {where}"
                         + (f" ({len(report.skipped)} skipped)" if report.skipped else "")
                         + "; nothing written")


def _up_to_date(out: Path | None, store: Path | None, key: str) -> bool:
    if out is not None and not _turtle_up_to_date(out, key):
        return False
    if store is not None:
        from .store import db_path, read_manifest

        if not db_path(store).is_dir() or read_manifest(store).get("inputs") != key:
            return False
    return True


def _count(kg: KnowledgeGraph, cls) -> int:
    from rdflib.namespace import RDF, RDFS

    classes = {cls} | set(kg.ontology.transitive_subjects(RDFS.subClassOf, cls))
    nodes = set()
    for c in classes:
        nodes.update(kg.asserted.subjects(RDF.type, c))
    return len(nodes)
