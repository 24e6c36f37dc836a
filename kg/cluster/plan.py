"""A build on a Dask cluster, from the client's side: which waves of tasks run, in what order.

    read -> extract -> same-name blocks -> organisations -> people -> events
         -> entities and keys -> article graphs and entity graphs -> (the client) reasoning...

The client sends file paths, article hashes and names, and gets back small tallies; the
extractions, the partitions of resolution and the graphs travel between workers through the
shared folder (the extraction cache and a work folder beside it). The client only gathers
the finished named graphs, which kg.build then reasons over and writes as a local build does,
so the output is the same, byte for byte."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import io
from ..cache import ExtractionCache, pipeline_version
from ..partition import GraphNames
from ..progress import Meter
from ..workers import Budget
from . import waves
from .exchange import Exchange, part_of
from .runner import Call, ClusterError, Runner
from .stages import STAGES

CHUNK = 16  # articles per extraction task
FAILED = "failed on the cluster"  # an extraction task that kept failing (a worker killed each time)


@dataclass(frozen=True)
class ArticleRef:
    """An article a worker read: its file, its name and the hash of its text."""

    path: Path
    name: str
    sha256: str


class ClusterBuild:
    """One build's use of a cluster (or, with ``address`` None, of this process alone)."""

    def __init__(self, address: str | None, *, chunk: int = CHUNK, progress=lambda msg: None,
                 meter: Meter | None = None, retries: int = 2, parts: int | None = None) -> None:
        self.runner = Runner(address, retries=retries, progress=progress, meter=meter)
        self.progress = progress
        self.chunk = max(1, chunk)
        self.parts = parts or max(2, 2 * self.runner.workers())

    def close(self) -> None:
        self.runner.close()

    def __enter__(self) -> ClusterBuild:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def summary(self) -> str:
        return self.runner.tally.summary()

    # -- reading and extraction ------------------------------------------------------------------
    def read(self, paths: list[Path], report, budget: Budget = Budget()) -> list[ArticleRef]:
        """Read every article on the workers as a local build reads it (kg.build.read_all):
        the readable ones in order, cut to the budget's characters, a duplicate (same text
        under another name) once; the others skipped with their reason."""
        files = io.find_articles(paths)
        given = {str(p.resolve()): p for p in files if io.valid_name(p)}  # workers get absolute paths
        absolute = list(given)
        chunks = [absolute[i:i + 4 * self.chunk] for i in range(0, len(absolute), 4 * self.chunk)]
        found = self.runner.map("reading", [Call(waves.read_files, (c, budget.chars), f"{len(c)} files")
                                            for c in chunks])
        rows = {row[0]: row for part in found for row in part}
        articles, seen = [], {}
        for path in files:
            shown = io.display(path)
            if not io.valid_name(path):
                report.skipped.append(io.Skipped(path, f"{shown}: the file name is not valid UTF-8; rename the file"))
                self.progress(f"skipped {report.skipped[-1].reason}")
                continue
            where, name, sha, note, error = rows[str(path.resolve())]
            if error is not None:
                error = error.replace(where, shown, 1)  # the path as the user gave it
                report.skipped.append(io.Skipped(path, error))
                self.progress(f"skipped {error}")
                continue
            if note:
                self.progress(f"{shown}: {note}")
            if sha in seen:
                report.duplicates.append((shown, seen[sha]))
                self.progress(f"{shown}: same text as {seen[sha]}, read once")
                continue
            seen[sha] = shown
            articles.append(ArticleRef(path, name, sha))
        return articles

    def check(self, folder: Path) -> None:
        """Every worker runs this kg and reaches the shared folder, or a clear error."""
        io.write_atomic(folder / "client.txt", "kg work folder\n")
        problems = {w: why for w, why in self.runner.on_each_worker(
            waves.check_worker, str(folder), pipeline_version()).items() if why}
        if problems:
            raise ClusterError("; ".join(f"worker {w} {why}" for w, why in sorted(problems.items())))

    def extract(self, articles: list[ArticleRef], cache: ExtractionCache, report,
                budget: Budget = Budget()) -> list[ArticleRef]:
        """Extract on the workers into the shared cache; returns the articles that have an
        extraction (a failed one is skipped, named, with its reason). The budget's seconds
        bound an article only where a worker runs tasks in its main thread (a time limit
        is a SIGALRM): Dask's threaded workers do not."""
        io.make_dir(cache.folder)
        root, version = str(cache.root.resolve()), cache.version
        self.check(Path(root))

        def call(batch: list[ArticleRef]) -> Call:
            items = [(str(a.path.resolve()), a.name, a.sha256) for a in batch]
            return Call(waves.extract_files, (items, root, version, budget.chars, budget.seconds),
                        ", ".join(a.name for a in batch[:3]) + (" ..." if len(batch) > 3 else ""),
                        split=lambda: [call([a]) for a in batch] if len(batch) > 1 else [],
                        failed=lambda why: [(a.sha256, None, f"{FAILED}: {why}") for a in batch])

        batches = [articles[i:i + self.chunk] for i in range(0, len(articles), self.chunk)]
        results = self.runner.map("extracting on the cluster", [call(b) for b in batches])
        status: dict[str, tuple] = {}
        for rows in results:
            for row in _flatten(rows):
                status[row[0]] = row
        kept = []
        for art in articles:
            _, how, error = status.get(art.sha256, (art.sha256, None, "no result from the cluster"))
            if how is None:
                if error.startswith(FAILED):
                    self.runner.tally.named.append(io.display(art.path))
                reason = f"{io.display(art.path)}: {error}"
                report.skipped.append(io.Skipped(art.path, reason))
                self.progress(f"skipped {reason}")
                continue
            report.cached += how == "cached"
            report.extracted += how == "extracted"
            kept.append(art)
        return kept

    # -- resolution and graphs -------------------------------------------------------------------
    def graphs(self, articles: list[ArticleRef], cache: ExtractionCache, base: str) -> Iterator:
        """Resolve in partitions and make every named graph on the workers; yields (graph IRI,
        triples): the entity graph, then the article graphs, a partition's at a time."""
        work = cache.root.resolve() / f"work-{uuid.uuid4().hex[:12]}"
        ex = Exchange(work, self.parts)
        try:
            yield from self._graphs(ex, articles, cache, base)
        finally:
            ex.remove()

    def _graphs(self, ex: Exchange, articles: list[ArticleRef], cache: ExtractionCache, base: str):
        P, run = ex.parts, self.runner.map
        refs: list[list[tuple[str, str]]] = [[] for _ in range(P)]
        for a in articles:
            refs[part_of(a.sha256, P)].append((a.sha256, a.name))
        root, version = str(cache.root.resolve()), cache.version
        each = range(P)
        run("resolving: articles", [Call(waves.start_articles, (ex, i, refs[i], root, version),
                                         f"articles part {i}", part=i) for i in each])
        # the same-name blocks, and the components of every later stage (their keys are known)
        blocked = [k for k, stage in enumerate(STAGES) if stage.blocked]
        done = run("resolving: same names", [Call(waves.block, (ex, i, 0, 0), f"block {i}", part=i) for i in each]
                   + [Call(waves.components, (ex, [], k, 0), f"components of {STAGES[k].name}") for k in blocked])
        count = dict(zip(blocked, done[P:]))
        merge = "out-0-0"
        for k in blocked:
            label, pass_ = f"resolving: {STAGES[k].name}", 0
            while True:
                run(label, [Call(waves.stage_articles, (ex, i, k, merge if pass_ == 0 else None, pass_),
                                 f"articles part {i}", part=i) for i in each])
                derived_keys = run(label, [Call(waves.block, (ex, i, k, pass_), f"block {i}", part=i) for i in each])
                if STAGES[k].name != "organisations" or not any(derived_keys):
                    break
                derived = [f"der-{k}-{p}" for p in range(pass_ + 1)]
                (n,) = run(label, [Call(waves.components, (ex, derived, k, pass_ + 1), "components")])
                if n == count[k]:
                    break  # the readings spelled out joined no two blocks: this pass stands
                if pass_ >= 6:
                    raise ClusterError(f"{label}: blocks still merging after {pass_ + 1} passes")
                count[k], pass_ = n, pass_ + 1
            merge = f"out-{k}-{pass_}"
        label = "entities"
        run(label, [Call(waves.send_members, (ex, i, merge), f"articles part {i}", part=i) for i in each])
        run(label, [Call(waves.build_part, (ex, i), f"clusters part {i}", part=i) for i in each])
        run(label, [Call(waves.mint_part, (ex, i), f"keys part {i}", part=i) for i in each])
        run(label, [Call(waves.name_part, (ex, i), f"clusters part {i}", part=i) for i in each])
        label = "graphs"
        run(label, [Call(waves.article_graphs, (ex, i, refs[i], root, version, base), f"articles part {i}", part=i)
                    for i in each])
        run(label, [Call(waves.entity_graphs, (ex, i, base, _shared_names(articles)), f"entities part {i}", part=i)
                    for i in each])
        entities = []
        for i in each:
            entities += ex.recall(f"graphs-entities-{i}", [])
        yield GraphNames(base).entities, list(dict.fromkeys(entities))
        del entities
        for i in each:  # one partition's article graphs at a time (graphs are sets: order is free)
            for _, _, iri, triples in ex.recall(f"graphs-articles-{i}", []):
                yield iri, triples


def _shared_names(articles: list[ArticleRef]) -> dict[str, str]:
    """File names that several different texts share, each with the smallest hash (the one
    a local build's merge records cite)."""
    shas: dict[str, set[str]] = {}
    for a in articles:
        shas.setdefault(a.name, set()).add(a.sha256)
    return {name: min(s) for name, s in shas.items() if len(s) > 1}


def _flatten(rows):
    """The rows of a task's result, or of the parts of a task that was split."""
    for row in rows:
        if isinstance(row, list):
            yield from row
        else:
            yield row
