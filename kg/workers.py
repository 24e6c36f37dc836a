"""Parallel extraction: the spaCy pipeline and kg's extraction over many articles, in this
process for small runs and in worker processes (each loading the model once) for large ones.

Each worker runs ``nlp.pipe`` over a chunk of articles and extracts from every parsed doc,
so the per-article extraction runs in parallel as well as the parsing. One article's failure
is reported for that article and never sinks its chunk: an exception, a MemoryError, or an
article that takes longer than its time budget (:class:`Budget`) is skipped with the reason.
Worker processes exit when the build that started them dies (kg.lifeline)."""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context

from .model import ArticleExtraction

# below this many articles per worker, starting processes costs more than it saves
MIN_ARTICLES_PER_WORKER = 24
CHUNK = 16
BATCH = 8  # short articles parsed together by nlp.pipe


@dataclass(frozen=True)
class Budget:
    """What one article may cost. ``chars``: characters kept for extraction (a longer text is
    cut at a paragraph or sentence end before it, with a note); ``seconds``: time its parse
    and extraction may take (past it, the article is skipped with its name and the reason)."""

    chars: int = 1_000_000
    seconds: float = 300.0


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


class _Overtime(Exception):
    """The article (or batch) ran past its time budget."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _Overtime in this thread after ``seconds`` (SIGALRM: the main thread of a
    process on POSIX; elsewhere, no limit)."""
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _Overtime()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _groups(items: list[tuple[int, str, str]], long_chars: int) -> Iterator[list[tuple[int, str, str]]]:
    """Consecutive short articles in batches of BATCH; a long one (parsed in parts) alone."""
    group: list[tuple[int, str, str]] = []
    for item in items:
        if len(item[2]) > long_chars:
            if group:
                yield group
                group = []
            yield [item]
            continue
        group.append(item)
        if len(group) >= BATCH:
            yield group
            group = []
    if group:
        yield group


def _extract_group(nlp, group: list[tuple[int, str, str]], out: list[Outcome]) -> None:
    """Parse and extract a group, appending each article's outcome as it is done."""
    from .extract import extract_doc
    from .extract.parts import pipe_whole

    docs = pipe_whole(nlp, (text for _, _, text in group), batch_size=BATCH if len(group) > 1 else 1)
    for (index, name, _), doc in zip(group, docs):
        try:
            out.append(Outcome(index, extract_doc(doc, name)))
        except (_Overtime, MemoryError):
            raise
        except Exception as exc:  # one article's bad luck must not sink the chunk
            out.append(Outcome(index, None, f"extraction failed: {exc!r}"))


def _extract_chunk(items: list[tuple[int, str, str]], seconds: float | None = None) -> list[Outcome]:
    """Worker body: parse and extract a chunk of (index, name, text). A group that runs past
    ``seconds`` or out of memory is redone one article at a time, so that only the article
    at fault is skipped."""
    from .extract import load_nlp
    from .extract.parts import part_limit

    nlp = load_nlp()
    out: list[Outcome] = []
    for group in _groups(items, part_limit(nlp)):
        done = len(out)
        try:
            with _time_limit(seconds):
                _extract_group(nlp, group, out)
        except (_Overtime, MemoryError) as exc:
            finished = {o.index for o in out[done:]}
            rest = [item for item in group if item[0] not in finished]
            if len(group) > 1:
                out.extend(_extract_chunk_alone(nlp, rest, seconds))
            else:
                out.append(Outcome(group[0][0], None, _why(exc, seconds)))
    return out


def _extract_chunk_alone(nlp, items: list[tuple[int, str, str]], seconds: float | None) -> list[Outcome]:
    out: list[Outcome] = []
    for item in items:
        try:
            with _time_limit(seconds):
                _extract_group(nlp, [item], out)
        except (_Overtime, MemoryError) as exc:
            out.append(Outcome(item[0], None, _why(exc, seconds)))
    return out


def _why(exc: BaseException, seconds: float | None) -> str:
    if isinstance(exc, MemoryError):
        return "ran out of memory during extraction; skipped (split the file, or give kg more memory)"
    return (f"extraction took longer than {seconds:g} s, the per-article time budget; skipped "
            "(raise it with --article-seconds)")


def _warm_up(parent: int) -> None:
    from .extract import load_nlp
    from .lifeline import die_with_parent

    die_with_parent(parent)
    load_nlp()


def extract_texts(items: list[tuple[str, str]], jobs: int,
                  advance: Callable[[int], None] = lambda n: None,
                  seconds: float | None = None) -> Iterator[Outcome]:
    """Extract from (name, text) pairs, yielding outcomes as they complete (in any order;
    ``Outcome.index`` is the position in ``items``). ``advance`` is told how many finished;
    ``seconds`` is the per-article time budget."""
    indexed = [(i, name, text) for i, (name, text) in enumerate(items)]
    jobs = max(1, min(jobs, len(indexed) // MIN_ARTICLES_PER_WORKER))
    if jobs == 1:
        for start in range(0, len(indexed), CHUNK):
            chunk = _extract_chunk(indexed[start:start + CHUNK], seconds)
            advance(len(chunk))
            yield from chunk
        return
    chunks = [indexed[s:s + CHUNK] for s in range(0, len(indexed), CHUNK)]
    done: set[int] = set()
    # spawn: workers start clean (no copied locks or threads), load the model once each
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                                 initializer=_warm_up, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_extract_chunk, chunk, seconds) for chunk in chunks]
            for future in as_completed(futures):
                chunk = future.result()
                advance(len(chunk))
                done.update(o.index for o in chunk)
                yield from chunk
    except BrokenProcessPool:  # a worker was killed (the kernel's out-of-memory killer...)
        for index, _name, _ in indexed:
            if index not in done:
                advance(1)
                yield Outcome(index, None, "its extraction process died (out of memory?); skipped "
                                           "with the rest of the unfinished articles")
