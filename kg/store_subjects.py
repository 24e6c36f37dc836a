"""Subject digests: what lets a sync rewrite only the subjects of a big graph that changed.

The entity and inferred graphs hold millions of triples at scale, and an update of a few
articles changes a small part of them. Finding that part by comparing the whole graph with
the store means reading every stored quad back (about 7 µs each, 20 s for the inferred graph
of 10,000 articles). So for every named graph of at least :data:`MIN_TRIPLES` triples the
sync keeps, beside the database, a digest of each subject's triples (``DIR/subjects/``, one
file per graph; the same order-free sum of line hashes as the graph's own digest, cut to
64 bits). The next sync digests the new triples by subject, and only a subject whose digest
changed, or that is gone, is looked up by its index in the store and has its difference
written (:func:`changed_subjects`, ``kg.store.Store``).

A digest file is trusted only when it records the graph digest that the manifest records
for the graph and the previous sync completed; otherwise the graph is compared whole, as
before. Every file is written atomically before the manifest that vouches for it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import io
from .partition import Triple
from .store_terms import NTriples, line_hash, multiset_digest

MIN_TRIPLES = 50_000  # graphs from this size on get a digest per subject
MAX_SHARE = 0.25  # more changed subjects than this share of the graph: compare the graph whole
_HEADER = "# kg subject digests 1"


def folder(store_folder: Path) -> Path:
    return Path(store_folder) / "subjects"


def path_of(store_folder: Path, graph: str) -> Path:
    return folder(store_folder) / f"{hashlib.sha1(graph.encode('utf-8')).hexdigest()[:20]}.tsv"


@dataclass
class Digested:
    """A graph digested as a whole (``digest``, as kg.store_terms.graph_digest gives it) and
    by subject (subject IRI -> 64-bit digest of its triples)."""

    digest: str
    subjects: dict[str, int]


def digest_by_subject(triples: list[Triple], writer: NTriples | None = None) -> Digested:
    """The graph digest of ``triples`` (no blank nodes) and each subject's digest, in one
    pass over the N-Triples lines."""
    writer = writer or NTriples()
    total = 0
    subjects: dict[str, int] = {}
    get = subjects.get
    for t in triples:
        value = line_hash(writer.line(t))
        total += value
        key = str(t[0])
        subjects[key] = (get(key, 0) + value) & 0xFFFFFFFFFFFFFFFF
    return Digested(multiset_digest(total, len(triples)), subjects)


def write(store_folder: Path, graph: str, digested: Digested) -> None:
    """Record a graph's subject digests (atomically; the manifest written after vouches)."""
    lines = [f"{_HEADER}\t{digested.digest}\n"]
    lines.extend(f"{value:016x}\t{subject}\n" for subject, value in sorted(digested.subjects.items()))
    io.make_dir(folder(store_folder))
    io.write_atomic(path_of(store_folder, graph), "".join(lines), durable=False)


def read(store_folder: Path, graph: str, digest: str | None) -> dict[str, int] | None:
    """The subject digests recorded for ``graph`` when they were made for the graph whose
    digest is ``digest`` (what the manifest records); None when there are none to trust."""
    if not digest:
        return None
    try:
        text = path_of(store_folder, graph).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    if lines[0] != f"{_HEADER}\t{digest}":
        return None
    out: dict[str, int] = {}
    try:
        for line in lines[1:]:
            if line:
                value, subject = line.split("\t", 1)
                out[subject] = int(value, 16)
    except ValueError:
        return None
    return out


def current(store_folder: Path, graph: str, digest: str) -> bool:
    """Whether the recorded subject digests of ``graph`` are those of its content ``digest``."""
    try:
        with open(path_of(store_folder, graph), encoding="utf-8") as f:
            return f.readline().rstrip("\n") == f"{_HEADER}\t{digest}"
    except (OSError, UnicodeDecodeError):
        return False


def changed_subjects(old: dict[str, int], new: dict[str, int]) -> list[str] | None:
    """The subjects whose triples differ between two digest maps (new, changed or gone),
    sorted; None when they are too many for subject-by-subject writing to pay."""
    changed = [s for s, value in new.items() if old.get(s) != value]
    changed.extend(s for s in old if s not in new)
    if len(changed) > MAX_SHARE * max(len(old), len(new), 1):
        return None
    return sorted(changed)
