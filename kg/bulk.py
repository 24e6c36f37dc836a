"""`kg push --bulk`: load a knowledge graph into Virtuoso with its bulk loader, as Virtuoso's
operators load large data: the named graphs are written as N-Quads shards into a folder the
server reads (listed in its ``DirsAllowed``), then, through ``isql``, the graphs are cleared
(so a push replaces, as the Graph Store Protocol's PUT does), the shards registered with
``ld_dir`` and loaded with ``rdf_loader_run``, and a checkpoint makes them durable. Every
shard the loader rejects is named with Virtuoso's reason.

A shard holds whole graphs, in the order of their IRIs, up to ``max_triples``; shards are
written atomically (temp file, then rename) and the ones a previous push left are replaced.
isql takes the password on its command line (it has no other way), so it shows in the process
list of the machine that runs the push while the load runs; it never appears in a message."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import io
from .errors import PushError
from .push import Credentials, GraphPayload, per_second

SHARD_PREFIX = "kg-"
SHARD_SUFFIX = ".nq"
MAX_TRIPLES = 500_000  # per shard: the loader runs shards in parallel, one per thread


@dataclass
class Shard:
    path: Path
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    bytes: int = 0


@dataclass
class BulkReport:
    """What a bulk load wrote and loaded, and how fast."""

    server: str
    shards: int = 0
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    write_seconds: float = 0.0
    load_seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Triples loaded per second (clearing, loading and the checkpoint)."""
        return per_second(self.triples, self.load_seconds)

    def summary(self) -> str:
        return (f"bulk-loaded {self.graphs} graph{'s' if self.graphs != 1 else ''} ({self.triples} "
                f"triples, {self.bytes / 1e6:.1f} MB in {self.shards} N-Quads shard"
                f"{'s' if self.shards != 1 else ''}) into {self.server}: shards written in "
                f"{self.write_seconds:.1f} s, loaded in {self.load_seconds:.1f} s "
                f"({self.rate:,.0f} triples/s)")


def write_shards(payloads: Iterator[GraphPayload], folder: Path,
                 max_triples: int = MAX_TRIPLES) -> list[Shard]:
    """Write every (graph, N-Triples) payload as N-Quads into ``folder`` (kg-00000.nq, ...),
    whole graphs per shard; remove the shards an earlier push left there."""
    folder = io.make_dir(folder)
    old = {p for p in io.files_under(folder, (SHARD_SUFFIX,))
           if p.parent == folder and p.name.startswith(SHARD_PREFIX)}
    shards: list[Shard] = []
    chunks: list[bytes] = []
    current: Shard | None = None

    def flush() -> None:
        if current is not None and chunks:
            data = b"".join(chunks)
            io.write_atomic(current.path, data)
            current.bytes = len(data)
            shards.append(current)
            old.discard(current.path)

    for graph, body in sorted(payloads, key=lambda p: p[0]):
        if current is None or (current.triples and current.triples + body.count(b"\n") > max_triples):
            flush()
            chunks = []
            current = Shard(folder / f"{SHARD_PREFIX}{len(shards):05d}{SHARD_SUFFIX}")
        chunks.append(quads(graph, body))
        current.graphs.append(graph)
        current.triples += body.count(b"\n")
    flush()
    for stale in sorted(old):
        stale.unlink()
    return shards


def quads(graph: str, ntriples: bytes) -> bytes:
    """N-Triples lines as N-Quads lines in ``graph``."""
    if ">" in graph or "<" in graph or " " in graph:
        raise PushError(f"graph IRI {graph!r} cannot be written in N-Quads")
    tag = f" <{graph}> .\n".encode()
    return b"".join(line[:-1].rstrip()[:-1].rstrip() + tag
                    for line in ntriples.splitlines(keepends=True) if line.strip())


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_script(folder: Path, graphs: list[str]) -> str:
    """The isql script: clear the graphs, register the shards afresh, load, checkpoint, and
    list what the loader made of each shard."""
    where = str(folder.resolve())
    like = _sql_string(f"%/{SHARD_PREFIX}%{SHARD_SUFFIX}")
    lines = ["SET ECHO OFF;"]
    lines += [f"SPARQL CLEAR GRAPH <{g}>;" for g in graphs]
    lines += [
        f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {like} AND ll_file LIKE {_sql_string(where + '/%')};",
        f"ld_dir({_sql_string(where)}, {_sql_string(SHARD_PREFIX + '*' + SHARD_SUFFIX)}, "
        f"{_sql_string('https://kg.example.org/resource/graph/unnamed')});",
        "rdf_loader_run();",
        "checkpoint;",
        f"SELECT 'KGLOAD', ll_file, ll_state, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {like} "
        f"AND ll_file LIKE {_sql_string(where + '/%')};",
    ]
    return "\n".join(lines) + "\n"


def find_isql(program: str | None = None) -> str:
    """Virtuoso's isql: the given program, else Debian's isql-vt, else isql."""
    for name in ([program] if program else ["isql-vt", "isql"]):
        found = shutil.which(name)
        if found:
            return found
    raise PushError(f"{program or 'isql-vt'} not found: --bulk needs Virtuoso's isql "
                    "(Debian: apt-get install virtuoso-opensource)")


def run_isql(server: str, credentials: Credentials, script: str, program: str | None = None,
             timeout: float = 3600.0) -> str:
    """Run an isql script on the server (HOST:PORT of its SQL port); its output, or a
    PushError with the first error it reports."""
    isql = find_isql(program)
    if not re.fullmatch(r"[\w.\-\[\]:]+:\d+", server):
        raise PushError(f"--isql {server!r} is not HOST:PORT (Virtuoso's SQL port, 1111 by default)")
    try:
        done = subprocess.run([isql, server, credentials.user, credentials.password],
                              input=script, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PushError(f"isql on {server}: no end within {timeout:g} s") from None
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if line.startswith("*** Error")]
    if errors or done.returncode != 0:
        detail = errors[0] if errors else f"isql exited with {done.returncode}"
        detail = detail.replace(credentials.password, "***") if credentials.password else detail
        if "Bad login" in detail or "28000" in detail:
            raise PushError(f"isql on {server}: login refused: check --user and --password-file")
        raise PushError(f"isql on {server}: {detail.removeprefix('*** ').strip()}")
    return output


def bulk_push(payloads: Iterator[GraphPayload], folder: Path, server: str,
              credentials: Credentials, *, program: str | None = None,
              max_triples: int = MAX_TRIPLES, progress=lambda msg: None) -> BulkReport:
    """Write the graphs as shards into ``folder`` (which the server must read at the same
    path) and bulk-load them into the Virtuoso at ``server`` (HOST:PORT of its SQL port)."""
    report = BulkReport(server=server)
    start = time.perf_counter()
    shards = write_shards(payloads, Path(folder), max_triples)
    report.write_seconds = time.perf_counter() - start
    report.shards = len(shards)
    graphs = [g for s in shards for g in s.graphs]
    report.graphs, report.triples = len(graphs), sum(s.triples for s in shards)
    report.bytes = sum(s.bytes for s in shards)
    progress(f"wrote {report.shards} shards ({report.triples} triples) to {folder}; loading")
    start = time.perf_counter()
    output = run_isql(server, credentials, load_script(Path(folder), graphs), program)
    report.load_seconds = time.perf_counter() - start
    loaded = {}
    for line in output.splitlines():
        parts = line.split(None, 3)
        if parts and parts[0] == "KGLOAD" and len(parts) >= 3:
            loaded[parts[1]] = (parts[2], parts[3].strip() if len(parts) > 3 else "NULL")
    failed = {f: why for f, (state, why) in loaded.items() if why not in ("", "NULL")}
    if failed:
        named = "; ".join(f"{Path(f).name}: {why}" for f, why in sorted(failed.items()))
        raise PushError(f"the bulk loader rejected {len(failed)} shard(s): {named}")
    missing = [s.path.name for s in shards if not any(Path(f).name == s.path.name for f in loaded)]
    if missing:
        raise PushError(f"the bulk loader did not register {', '.join(missing)}: is {folder} in the "
                        "server's DirsAllowed, at the same path on the server?")
    return report
