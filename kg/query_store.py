"""The query path over a Turtle build: Oxigraph, never rdflib's SPARQL engine.

``kg build --out graph/kg.ttl`` keeps an on-disk Oxigraph store beside the Turtle
(``graph/kg.store/``, the same folder layout as ``kg build --store``: kg.store) holding three
named graphs, ``<base>graph/asserted``, ``<base>graph/inferred`` and the ontology, loaded from
the very files it wrote. Its manifest records the size and modification time of each of
those files; ``kg query`` (without ``--store``) reads the store only while they still match,
and otherwise loads the Turtle into an in-memory Oxigraph store (slower to start: a few
seconds per million triples, but the same rows). Either way the query runs on Oxigraph with
kg.store's checks and bindings.

Measured after a build of 1,000 synthetic articles (677k triples, 2 cores): loading the
Turtle into memory 2.5-2.9 s, opening the store 0.02 s; writing the store during the build
~10 s (benchmarks/RESULTS.md)."""
from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from . import answers, io
from .errors import GraphError, StoreError
from .graphs import inferred_path
from .shortcuts import add_shortcuts
from .store import Store, db_path, open_store, read_manifest, write_manifest
from .vocab import DEFAULT_BASE, ONTOLOGY_IRI

_PREFIX = re.compile(r"^\s*(?:@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.|PREFIX\s+([\w.-]*):\s*<([^>]*)>)\s*$",
                     re.IGNORECASE)
_CORE = {"owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
         "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
         "xml": "http://www.w3.org/XML/1998/namespace"}  # rdflib binds these in every graph


_SAID = "kg: "  # the child's lines meant for the build's progress (keep_beside)


def beside(graph: Path) -> Path:
    """The store folder kept beside a Turtle build: ``graph/kg.ttl`` -> ``graph/kg.store``."""
    graph = Path(graph)
    return graph.with_name(graph.stem + ".store")


def _ontology_file() -> Path:
    return io.data_dir("ontology") / "kg.ttl"


def _files(graph: Path) -> list[tuple[str, Path]]:
    """(role, file) of what the store holds: the asserted graph, the inferred one if there
    is one, and the ontology kg ships."""
    side = inferred_path(graph)
    out = [("asserted", Path(graph))]
    if side.exists():
        out.append(("inferred", side))
    return out + [("ontology", _ontology_file())]


def stamp(graph: Path) -> dict[str, list[int]]:
    """Size and modification time (ns) of each file the store is loaded from."""
    found = {}
    for role, path in _files(graph):
        st = path.stat()
        found[role] = [st.st_size, st.st_mtime_ns]
    return found


def turtle_prefixes(path: Path) -> dict[str, str]:
    """The prefixes a Turtle file declares before its first statement (rdflib writes them
    all there), with rdflib's core ones, as rdflib's own path would see them."""
    found = dict(_CORE)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for line in handle:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                m = _PREFIX.match(line)
                if not m:
                    break
                found[m.group(1) if m.group(1) is not None else m.group(3)] = m.group(2) or m.group(4) or ""
    except (OSError, UnicodeDecodeError):
        pass  # the load itself reports the file
    return found


def _graph_iris(prefixes: dict[str, str]) -> dict[str, str]:
    base = prefixes.get("kgr", DEFAULT_BASE)
    return {"asserted": f"{base}graph/asserted", "inferred": f"{base}graph/inferred", "ontology": ONTOLOGY_IRI}


def _load(target: ox.Store, graph: Path, prefixes: dict[str, str]) -> None:
    iris = _graph_iris(prefixes)
    for role, path in _files(graph):
        node = ox.NamedNode(iris[role])
        try:
            target.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=node)
        except SyntaxError as exc:
            raise GraphError(f"{path}: not valid Turtle ({exc})") from exc
        target.add_graph(node)
    inferred = ox.NamedNode(iris["inferred"])
    target.add_graph(inferred)
    # the query shortcuts (kg.shortcuts): `kg build` writes them into the inferred graph;
    # a Turtle file from elsewhere gets them here, so that the queries give the same rows
    add_shortcuts(target, iris["inferred"], prefixes.get("kgr", DEFAULT_BASE))


def write(graph: Path, on_wait: Callable[[], None] = lambda: None,
          progress: Callable[[str], None] = lambda msg: None) -> Path:
    """(Re)write the store beside the Turtle build ``graph`` from its files (after they are
    written), and its precomputed answers (kg.answers; ``progress`` is told of each). While it is written its manifest says so and readers fall back to the Turtle;
    the build's lock on ``graph`` keeps two builds from writing it at once."""
    folder = beside(graph)
    prefixes = turtle_prefixes(graph)
    files_stamp = stamp(graph)
    with Store(folder, on_wait=on_wait) as store:
        write_manifest(folder, {**store.manifest, "syncing": True})
        store.ox = None  # closes the database: it is loaded anew, not cleared triple by triple
        db = db_path(folder)
        io.remove_tree(db)
        manifest = {"base": prefixes.get("kgr", DEFAULT_BASE), "prefixes": prefixes, "graphs": {},
                    "inputs": "", "turtle": files_stamp,
                    "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        try:
            store.ox = ox.Store(str(db))
            _load(store.ox, graph, prefixes)
            store.ox.flush()
            store.ox.optimize()
            store.manifest = {**manifest, "syncing": True}  # the queries' prefixes
            progress(answers.write_all(store, manifest, progress).summary())
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{folder}: writing the query store failed ({exc})") from exc
        write_manifest(folder, manifest)
        store.manifest = manifest
    return folder


def is_fresh(graph: Path) -> bool:
    """Whether the store beside ``graph`` was loaded from the files there now."""
    folder = beside(graph)
    try:
        return db_path(folder).is_dir() and read_manifest(folder).get("turtle") == stamp(graph)
    except (OSError, StoreError):
        return False


class TurtleStore(Store):
    """A Turtle build loaded into an in-memory Oxigraph store (no folder, no lock): what
    ``kg query`` reads when no fresh store is beside the file."""

    def __init__(self, graph: Path) -> None:  # noqa: D107 - Store's folder handling is not wanted
        graph = Path(graph)
        if not graph.exists():
            raise GraphError(f"{graph}: no such file")
        self.folder = graph
        self.read_only = True
        self._owned = False
        prefixes = turtle_prefixes(graph)
        self.manifest = {"base": prefixes.get("kgr", DEFAULT_BASE), "prefixes": prefixes}
        self.ox = ox.Store()
        _load(self.ox, graph, prefixes)


def open_for(graph: Path) -> Store:
    """The Oxigraph store to query the Turtle build ``graph`` with: the store beside it when
    it was loaded from the files there now (and no build is writing it), else the files
    loaded into memory."""
    graph = Path(graph)
    if is_fresh(graph):
        try:
            store = open_store(beside(graph))
        except StoreError:  # a build is writing it, or it is half-written
            store = None
        if store is not None:
            if store.manifest.get("turtle") == stamp(graph):
                return store
            store.close()  # a build replaced the files in between
    return TurtleStore(graph)


def main(argv: list[str]) -> int:
    """``python -m kg.query_store GRAPH``: (re)write the store beside the Turtle build GRAPH.
    ``kg build`` runs this in a child process, so that RocksDB's threads and memory stay out
    of the build and a failure there (even an abort, as under a tight memory cap) costs only
    the store."""
    from .errors import KGError

    def say(line: str) -> None:
        print(f"{_SAID}{line}", file=sys.stderr, flush=True)

    graph = Path(argv[0])
    try:
        write(graph, on_wait=lambda: say(f"waiting for the queries reading {beside(graph)} to finish"),
              progress=say)
    except (KGError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def keep_beside(out: Path, progress: Callable[[str], None]) -> None:
    """Keep the Oxigraph store `kg query` reads beside the Turtle (kg.query_store) loaded
    from the files just written, with its precomputed answers (kg.answers), in a child
    process (RocksDB's threads and memory stay out of the build); its progress lines are
    passed on as they come. It only speeds queries up: when it cannot be written the build
    says so and goes on, and queries load the Turtle instead."""
    import subprocess

    if is_fresh(out):
        return
    others: list[str] = []
    try:
        with subprocess.Popen([sys.executable, "-m", "kg.query_store", str(out)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) as child:
            assert child.stderr is not None
            for line in child.stderr:
                line = line.rstrip("\n")
                if line.startswith(_SAID):
                    progress(line[len(_SAID):])
                elif line.strip():
                    others.append(line)
        code = child.returncode
    except OSError as exc:  # no process could be started
        code, others = -1, [str(exc)]
    if code != 0:
        why = others[-1] if others else f"exit code {code}"
        progress(f"warning: the query store beside {out} was not written ({why}); "
                 "`kg query` will load the Turtle instead")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
