"""The one module that touches files: reading articles, finding the shipped ontology and
queries, and writing outputs atomically (temp file in the same folder, then rename)."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class ArticleText:
    """An article as read from disk: its name, the decoded text and the encoding used."""

    name: str
    path: Path
    text: str
    encoding: str


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str


def find_articles(paths: list[Path]) -> list[Path]:
    """The article files under the given files and folders, sorted, without duplicates.

    A path that does not exist is an error (nothing is built from a typo)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*"))
                         if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                         and not p.name.startswith("."))
        else:
            found.append(path)
    seen, unique = set(), []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 as the
    stated fallback. Raises ValueError for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise ValueError("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ValueError(f"not decodable as UTF-8 or cp1252 ({exc.reason} at byte {exc.start})") from exc


def read_article(path: Path) -> ArticleText:
    """Read and decode one article; raises InputError naming the file and the problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text, encoding = decode(data)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return ArticleText(name=path.name, path=path, text=text, encoding=encoding)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a query, a graph); raises InputError naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def data_dir(name: str) -> Path:
    """The folder of shipped data ("ontology" or "queries"): inside the installed wheel, or at
    the top of a source checkout (editable installs)."""
    packaged = resources.files("kg") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise InputError(f"kg data folder {name!r} not found (broken install?)")


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes; raises InputError naming the file."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def files_under(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` whose names end with one of ``suffixes``, sorted (empty
    when the folder does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(suffixes))


def subfolders(folder: Path) -> list[Path]:
    """The folders directly inside ``folder`` (empty when it does not exist)."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def make_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) if needed; raises InputError when it cannot."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create folder ({exc.strerror or exc})") from exc
    return folder


def remove_tree(folder: Path) -> None:
    """Delete a folder kg created (a stale cache generation); missing is fine."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def is_file(path: Path) -> bool:
    """Whether ``path`` is an existing regular file (an optional input such as a curation
    file beside the articles)."""
    try:
        return Path(path).is_file()
    except OSError:
        return False
