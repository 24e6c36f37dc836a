"""Outputs are written atomically: a write, build or export that fails or is interrupted
midway leaves the previous files exactly as they were and no temp file behind."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kg import io
from kg.build import build
from kg.cli import main
from kg.errors import OutputError

pytestmark = pytest.mark.slow  # end-to-end: builds and exports failing and interrupted part-way

ONE = ("Forum opens\n\nThe Harbour Innovation Forum opened in Lisbon on Monday. "
       "Ada Quill, chief economist of Norland Bank, said growth would return.\n")
TWO = ("Fund launched\n\nBruno Castell, director of Alpine Capital, attended the signing of "
       "the Zurich Green Fund in Zurich on Friday.\n")


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_file_is_readable_by_others_and_a_replaced_one_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "sub" / "out.ttl"
    io.write_atomic(target, "one")
    assert target.read_text() == "one" and stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    io.write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not _temp_files(tmp_path)


@pytest.mark.parametrize("where, error", [("fsync", OSError("disk full")),
                                          ("fsync", KeyboardInterrupt()),
                                          ("replace", KeyboardInterrupt())])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch, where, error):
    target = tmp_path / "out.ttl"
    target.write_text("old content")
    written: list[Path] = []

    def boom(*args, **kwargs):
        written.extend(p for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
        raise error

    monkeypatch.setattr(os, where, boom)
    expected = OutputError if isinstance(error, OSError) else type(error)  # named, one line
    with pytest.raises(expected):
        io.write_atomic(target, "new content " * 1000)
    monkeypatch.undo()
    assert written, "the new bytes went to a temp file first"
    assert target.read_text() == "old content"
    assert not _temp_files(tmp_path)


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    """A previous build: graph/kg.ttl, kg.inferred.ttl, kg.html and its cache."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    build([tmp_path / "in"], out)
    (tmp_path / "in" / "two.txt").write_text(TWO, encoding="utf-8")  # the next build has work to do
    return out


def _fail_serialising_on(call: int, error: BaseException, monkeypatch) -> list[int]:
    """Make rdflib's Turtle serialiser write half its output and raise, on its ``call``-th use."""
    calls = [0]
    real = TurtleSerializer.serialize

    def serialize(self, stream, *args, **kwargs):
        calls[0] += 1
        if calls[0] == call:
            stream.write(b"@prefix half: <http://example.org/half#> .\nhalf:written ")
            raise error
        return real(self, stream, *args, **kwargs)

    monkeypatch.setattr(TurtleSerializer, "serialize", serialize)
    return calls


@pytest.mark.parametrize("call", [1, 2])  # the asserted graph, then the inferred one
def test_a_build_failing_while_serialising_keeps_the_previous_graph(built: Path, monkeypatch, call):
    folder = built.parent
    before = {k: v for k, v in _snapshot(folder).items() if not k.startswith(".kg-cache")}
    calls = _fail_serialising_on(call, RuntimeError("serialiser crashed"), monkeypatch)
    with pytest.raises(RuntimeError, match="serialiser crashed"):
        build([built.parent.parent / "in"], built)
    assert calls[0] == call
    after = {k: v for k, v in _snapshot(folder).items() if not k.startswith(".kg-cache")}
    assert after == before
    assert b"half:written" not in built.read_bytes()
    assert not _temp_files(folder)


def test_an_interrupted_build_exits_130_with_the_previous_graph_intact(built: Path, monkeypatch, capsys):
    folder = built.parent
    before = {k: v for k, v in _snapshot(folder).items() if not k.startswith(".kg-cache")}
    _fail_serialising_on(1, KeyboardInterrupt(), monkeypatch)
    assert main(["build", str(folder.parent / "in"), "--out", str(built), "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    after = {k: v for k, v in _snapshot(folder).items() if not k.startswith(".kg-cache")}
    assert after == before
    assert not _temp_files(folder)


def test_a_failed_export_keeps_the_previous_export(built: Path, monkeypatch, tmp_path: Path):
    target = tmp_path / "export.ttl"
    assert main(["export", "--graph", str(built), "--format", "turtle", "--out", str(target)]) == 0
    before = target.read_bytes()
    _fail_serialising_on(1, KeyboardInterrupt(), monkeypatch)
    assert main(["export", "--graph", str(built), "--format", "turtle", "--out", str(target)]) == 130
    assert target.read_bytes() == before
    assert not _temp_files(tmp_path)
