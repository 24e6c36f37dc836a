"""A real `kg serve` process for the workbench tests (and the graph whose names carry markup,
written to serve): started on a free port of 127.0.0.1
(`--port 0`; the port read from its first line), stopped with SIGTERM, its workers with it."""
from __future__ import annotations

import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

from procs import KG
from vizdata import hostile_graph


def hostile_files(folder: Path) -> Path:
    """The graph whose names carry markup (vizdata.hostile_graph) written into ``folder``:
    kg.ttl and its graph page kg.html; the path of kg.ttl."""
    from kg.viz import write_page

    out = folder / "kg.ttl"
    kg = hostile_graph()
    kg.save(out)
    write_page(kg, out.with_suffix(".html"))
    return out


@contextmanager
def kg_serve(graph: Path, *extra: str):
    """``kg serve --graph GRAPH --port 0 EXTRA...``; yields its base URL."""
    proc = subprocess.Popen([*KG, "serve", "--graph", str(graph), "--port", "0", *extra],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, f"kg serve did not start: {line}{proc.stderr.read() if proc.poll() is not None else ''}"
        yield found.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
