"""Parallel extraction: the spaCy pipeline and kg's extraction over many articles, in this
process for small runs and in worker processes (each loading the model once) for large ones.

Each worker runs ``nlp.pipe`` over a chunk of articles and extracts from every parsed doc,
so the per-article extraction runs in parallel as well as the parsing. One article's failure
is reported for that article and never sinks its chunk."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Callable, Iterator

from .model import ArticleExtraction

# below this many articles per worker, starting processes costs more than it saves
MIN_ARTICLES_PER_WORKER = 24
CHUNK = 16


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Outcome:
    """One article's result: the extraction, or why it failed."""

    index: int
    extraction: ArticleExtraction | None
    error: str | None = None


def _extract_chunk(items: list[tuple[int, str, str]]) -> list[Outcome]:
    """Worker body: parse and extract a chunk of (index, name, text)."""
    from .extract import extract_doc, load_nlp
    from .extract.parts import pipe_whole

    nlp = load_nlp()
    out = []
    docs = pipe_whole(nlp, (text for _, _, text in items), batch_size=8)  # long texts in parts
    for (index, name, _), doc in zip(items, docs):
        try:
            out.append(Outcome(index, extract_doc(doc, name)))
        except Exception as exc:  # one article's bad luck must not sink the chunk
            out.append(Outcome(index, None, f"extraction failed: {exc!r}"))
    return out


def _warm_up() -> None:
    from .extract import load_nlp

    load_nlp()


def extract_texts(items: list[tuple[str, str]], jobs: int,
                  advance: Callable[[int], None] = lambda n: None) -> Iterator[Outcome]:
    """Extract from (name, text) pairs, yielding outcomes as they complete (in any order;
    ``Outcome.index`` is the position in ``items``). ``advance`` is told how many finished."""
    indexed = [(i, name, text) for i, (name, text) in enumerate(items)]
    jobs = max(1, min(jobs, len(indexed) // MIN_ARTICLES_PER_WORKER))
    if jobs == 1:
        for start in range(0, len(indexed), CHUNK):
            chunk = _extract_chunk(indexed[start:start + CHUNK])
            advance(len(chunk))
            yield from chunk
        return
    chunks = [indexed[s:s + CHUNK] for s in range(0, len(indexed), CHUNK)]
    # spawn: workers start clean (no copied locks or threads), load the model once each
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                             initializer=_warm_up) as pool:
        futures = [pool.submit(_extract_chunk, chunk) for chunk in chunks]
        for future in as_completed(futures):
            chunk = future.result()
            advance(len(chunk))
            yield from chunk
