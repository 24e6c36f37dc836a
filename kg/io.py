"""Files in and out: reading articles, finding the shipped ontology and queries, and writing
outputs atomically (temp file in the same folder, then rename). Every output a build or a
command writes goes through here. Outside it, modules read only their own package data (the
extraction lexicons, page templates) or keep files of their own kind: lock files
(kg.locks), the Oxigraph store's folder (kg.store), a password file (kg push)."""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from . import textin
from .decode import decode
from .errors import InputError, OutputError

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")
MAX_ARTICLE_BYTES = 64 * 1024 * 1024  # a news article is never this big; a dump or an image is


@dataclass(frozen=True)
class ArticleText:
    """An article as read from disk: its name, the cleaned text, the encoding used, the
    markup it was in, and notes on what reading had to repair."""

    name: str
    path: Path
    text: str
    encoding: str
    format: str = "text"
    notes: tuple[str, ...] = ()

    def describe(self) -> str | None:
        """A progress line's worth on how the file was read, or None for plain UTF-8 text."""
        if self.encoding == "utf-8" and not self.notes:
            return None
        return "; ".join((f"decoded as {self.encoding}", *self.notes))


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str


# A corpus folder's own documentation, never an article (SOURCES.md beside the articles)
NOT_ARTICLES = frozenset({"readme", "sources", "license", "licence", "changelog", "changes", "contributing",
                          "notice", "authors", "copying", "install", "todo"})


def is_article_file(path: Path) -> bool:
    """Whether a file found in a folder is an article: an article suffix, not hidden, not the
    folder's README/SOURCES/LICENSE-style documentation."""
    return (path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.startswith(".")
            and path.stem.lower() not in NOT_ARTICLES and path.is_file())


def find_articles(paths: list[Path]) -> list[Path]:
    """The article files under the given files and folders, sorted, without duplicates.
    Folders are searched for :func:`is_article_file` files; a file named explicitly is
    always read.

    A path that does not exist is an error (nothing is built from a typo)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if is_article_file(p))
        else:
            found.append(path)
    seen, unique = set(), []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def read_article(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> ArticleText:
    """Read, decode and clean one article (see :mod:`kg.textin`); raises InputError naming
    the file and the problem (missing, unreadable, too large, binary, empty)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device would block or never end
            raise InputError(f"{path}: not a regular file")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path}: too large (over {max_bytes // (1024 * 1024)} MiB), not a news article")
    if not data.strip():
        raise InputError(f"{path}: empty file")
    try:
        raw, encoding = decode(data)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from exc
    fmt = textin.sniff_format(path.suffix, raw)
    try:
        cleaned = textin.clean(raw, fmt)
    except Exception as exc:  # never expected; one hostile file must not stop the build
        raise InputError(f"{path}: could not extract the text of this {fmt.value} file ({exc!r})") from exc
    if not cleaned.text.strip():
        what = "no article text in the page" if fmt is not textin.TextFormat.TEXT else "empty file"
        raise InputError(f"{path}: {what}")
    return ArticleText(name=path.name, path=path, text=cleaned.text, encoding=encoding,
                       format=fmt.value, notes=cleaned.notes)


def display(path: Path) -> str:
    """A path as text for messages: bytes that are not UTF-8 shown as ``\\xff``."""
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except (TypeError, ValueError):  # pragma: no cover
        return repr(path)


def valid_name(path: Path) -> bool:
    """Whether a file's name is valid UTF-8 (a name kg can write into the graph and keys)."""
    try:
        Path(path).name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def truncated(art: ArticleText, chars: int) -> ArticleText:
    """The article cut to at most ``chars`` characters, at a paragraph, line or sentence end
    where one is near (offsets into the kept text stay right), with a note saying so."""
    if len(art.text) <= chars:
        return art
    kept = textin.split_for_parser(art.text, chars)[0]
    note = (f"cut to its first {len(kept):,} of {len(art.text):,} characters (the per-article "
            "budget; raise it with --article-chars)")
    return replace(art, text=kept, notes=(*art.notes, note))


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a query, a graph), without the BOM some editors add; raises
    InputError naming the file."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write a file so that readers see the old content or the new, never half of it: the
    bytes go to a temp file in the same folder, are flushed to disk, and the temp file is
    renamed over the target. On any failure (KeyboardInterrupt included) the temp file is
    removed and the old file is left as it was; an OSError (no space left, no permission)
    becomes an OutputError naming the file. A new file gets mode 0644; a replaced file
    keeps its mode. ``durable=False`` skips the fsyncs (still atomic, but a power cut may
    lose the new file): for caches, where a lost entry is only a miss."""
    write_atomic_many([(Path(path), data)], durable=durable)


def write_atomic_many(files: list[tuple[Path, str | bytes]], *, durable: bool = True) -> None:
    """Write several files so that none is replaced unless every one could be written (a
    full disk cannot leave a new graph beside an old inferred graph): each goes to its temp
    file first, and only then are they renamed over their targets, one after the other."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            temps.append((_write_temp(Path(path), data, durable), Path(path)))
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            failed = getattr(exc, "kg_path", None) or files[0][0]
            raise OutputError(f"{failed}: cannot write ({exc.strerror or exc}); the previous file "
                              "is kept") from exc
        raise
    if durable:
        for folder in sorted({path.parent for _, path in temps}):
            _fsync_dir(folder)


def _write_temp(path: Path, data: str | bytes, durable: bool) -> str:
    """Write ``data`` to a new temp file beside ``path`` and return its name (removed again
    when writing fails). An OSError carries ``kg_path``, the file it was for."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(raw)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        return tmp
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            exc.kg_path = path  # type: ignore[attr-defined]
        raise


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def data_dir(name: str) -> Path:
    """The folder of shipped data ("ontology" or "queries"): at the top of a source checkout
    (editable installs: the files people edit win over the copies the install made), else
    inside the installed wheel."""
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir() and (checkout.parent / "pyproject.toml").is_file():
        return checkout
    packaged = resources.files("kg") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
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
