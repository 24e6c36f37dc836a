"""The benchmark harness's plumbing on a tiny size (no timing assertions)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import measure
from benchmarks.__main__ import run_size
from benchmarks.corpus import Generator, words, write_corpus
from benchmarks.report import Results, render

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.slow  # the benchmark harness: real builds, a real kg serve under load


def test_generator_is_deterministic_and_of_the_genre():
    a, b = Generator(seed=3).corpus(5), Generator(seed=3).corpus(5)
    assert a == b and len({x.name for x in a}) == 5
    text = a[0].text
    assert "forum" in text.lower() and ("yuan" in text or "percent" in text)
    assert 150 < words(a) / 5 < 800


def test_generated_names_are_invented():
    corpus_names = set()
    for gold in DATA.rglob("*.gold.json"):
        data = json.loads(gold.read_text(encoding="utf-8"))
        for key in ("people", "organizations"):
            for item in data.get(key, []):
                name = item if isinstance(item, str) else item.get("name", "")
                if len(name) > 6:
                    corpus_names.add(name)
    text = "\n".join(a.text for a in Generator().corpus(50))
    assert corpus_names and not [n for n in corpus_names if n in text]


def test_extraction_measure_runs(nlp):
    texts = [a.text for a in Generator().corpus(3)]
    runs = measure.extraction(texts, runs=1)
    assert len(runs) == 1 and runs[0].articles == 3 and runs[0].ratio > 0


def test_run_size_plumbing(tmp_path, monkeypatch, nlp):
    """One size end to end, builds in this process and reasoning skipped (the real harness
    runs each build in a fresh process)."""
    from rdflib import Graph

    import kg.build
    from kg.reason import Inference

    monkeypatch.setattr(kg.build, "infer", lambda *a, **k: Inference(Graph(), 0.0, 0, skipped="test"))
    monkeypatch.setattr(measure, "build_in_child",
                        lambda corpus, store, jobs: measure._child_build(corpus, store, 1))
    result = run_size(3, Generator(), tmp_path, runs=1, jobs=1)
    assert result.build_seconds > 0 and result.unchanged_extracted == 0
    assert result.incremental_extracted == result.incremental_added == 1
    assert {q.name for q in result.queries} == set(measure.CONTRACT)
    res = Results(sizes=[3], runs=1, jobs=1, quick=True, extract_runs=[measure.ExtractRun(3, 900, 1.0, 1.2)],
                  per_size=[result])
    md = render(res)
    assert "## Targets" in md and "not run here" in md
    assert result.page is not None and result.page.entities > 0 and result.page.drawn <= result.page.entities
    assert "## Graph page" in md and "| 3 | " in md.split("## Graph page")[1]
    line = res.summary_line()
    assert line.startswith("summary ") and "extract_ratio=0.833" in line and "query_speedup=" in line


def test_write_corpus(tmp_path):
    write_corpus(tmp_path / "c", Generator().corpus(2))
    assert len(list((tmp_path / "c").glob("*.txt"))) == 2


def test_an_rdflib_query_past_its_limit_is_stopped_and_marked():
    import time

    from benchmarks.measure import QueryTiming, _timed_rdflib
    from benchmarks.report import Results, SizeResult

    seconds, rows = _timed_rdflib(lambda: time.sleep(10) or 1, 0.2)
    assert rows is None and seconds == 0.2
    assert _timed_rdflib(lambda: 7, 5.0)[1] == 7
    res = Results(sizes=[10], runs=1, jobs=1)
    res.per_size.append(SizeResult(size=10, queries=[QueryTiming("q", 3, 200.0, 2.0, rdflib_stopped=True)]))
    assert "rdflib_stopped=1" in res.summary_line() and "query_speedup=100.0" in res.summary_line()


def test_page_figures_replace_their_section_only():
    from benchmarks.page import PageResult, replace_section, section

    old = "# kg benchmarks\n\nintro\n\n## Builds\n\nrows\n\n## Targets\n\n- met\n"
    new = section([PageResult(1000, 1500, 2100, 1400, 3.2, 1.1, 1.9)], "note")
    once = replace_section(old, new)
    assert once.index("## Builds") < once.index("## Graph page") < once.index("## Targets")
    assert "| 1000 | 1500 | 2100 | 1400 | 3.20 | 1.10 | 1.90 |" in once
    again = replace_section(once, section([PageResult(10, 5, 4, 3, 0.1, 0.0, None)], "note 2"))
    assert again.count("## Graph page") == 1 and "| 10 | 5 | 4 | 3 |" in again and "1500" not in again
    assert again.replace(section([PageResult(10, 5, 4, 3, 0.1, 0.0, None)], "note 2"), new) == once
    assert "intro" in again and "- met" in again


def test_serve_load_harness_reports_figures(tmp_path):
    """The load test's plumbing on a tiny corpus for a moment (no timing assertions): real
    `kg serve` processes, answers checked against the idle server's, a RESULTS.md section
    that replaces its previous version and keeps the rest of the file."""
    from benchmarks import serve_load

    res = serve_load.run(clients=3, seconds=2, articles=6, work=tmp_path, log=lambda msg: None)
    for engine in ("store", "graph"):
        figures = res[engine]
        assert figures["requests"] > 0 and figures["wrong"] == 0
        assert figures["ok"] + sum(v for k, v in figures["statuses"].items() if k != "200") \
            + figures["connection_errors"] == figures["requests"]
    results = tmp_path / "RESULTS.md"
    results.write_text("# kg benchmarks\n\n## Builds\n\nkept\n", encoding="utf-8")
    serve_load.write_section(serve_load.section(res, "now"), results)
    serve_load.write_section(serve_load.section(res, "later"), results)
    text = results.read_text(encoding="utf-8")
    assert "## Builds\n\nkept" in text and text.count(serve_load.HEADING) == 1 and "Run later" in text
    assert "| store |" in text and "| graph |" in text


def test_cli_query_timing_runs_every_named_query(tmp_path):
    from benchmarks import speed
    from kg.query import library

    res = speed.run_queries(5, tmp_path, runs=1, log=lambda msg: None)
    assert set(res["queries"]) == set(library())
    assert res["queries"]["people"]["rows"] > 0 and res["queries"]["person"]["rows"] > 0
    assert (tmp_path / "graph" / "kg.store" / "manifest.json").exists()  # what the queries read
    text = speed.queries_section(res, "now")
    assert text.startswith(speed.QUERIES_HEADING) and "| person |" in text


def test_long_article_texts_and_section(tmp_path):
    from benchmarks import speed

    texts = speed.long_texts(tmp_path)
    sizes = [len(path.read_text(encoding="utf-8")) for _, path in texts]
    assert [round(s, -5) for s in sizes] == [100_000, 200_000, 800_000, 1_200_000]
    rows = [{"label": label, "chars": n, "kg": {"seconds": 3.0, "peak_mib": 900.0},
             "spacy": {"seconds": 2.5, "peak_mib": 600.0}} for (label, _), n in zip(texts, sizes)]
    rows[-1]["kg"] = {"seconds": None, "peak_mib": None, "note": "stopped after 9 s"}
    text = speed.long_section(rows, "now")
    assert "| 1.20 | 900 | 600 | yes |" in text and "stopped after 9 s" in text


def test_lookup_timing_runs_every_named_query_and_judges_the_targets(tmp_path, seeds_graph):
    import shutil

    from benchmarks import lookups
    from kg import query_store
    from kg.query import library

    _, _, out = seeds_graph
    for path in (out, out.with_name("kg.inferred.ttl")):
        shutil.copy(path, tmp_path / path.name)
    query_store.write(tmp_path / "kg.ttl")
    res = lookups.measure(query_store.beside(tmp_path / "kg.ttl"), runs=1, log=lambda msg: None)
    assert set(res["queries"]) == set(library())
    assert res["queries"]["participation"]["table"] and not res["queries"]["person"]["table"]
    assert res["queries"]["person"]["rows"] > 0  # the sampled name is a real one
    text = lookups.section(res, "now", "the seeds")
    assert text.startswith(lookups.LOOKUPS_HEADING) and "| participation |" in text
    slow = {"rows": 1, "all_ms": 3500.0, "first_ms": 10.0, "table": False}
    assert lookups.verdict("participation", slow) == "**no**"
    assert lookups.verdict("person", {**slow, "all_ms": 99.0}) == "yes"
    assert lookups.verdict("merges", slow) == "-"
