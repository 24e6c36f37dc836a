"""Curation files: merge, split, rename, retype, drop; errors that name the file, the entry
and the problem; applied in the build (in-process CLI, no spaCy needed for the unit cases)."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS
from test_resolve import SPAN, article, event, org, person

from kg.curate import CurationError, apply, find, load, parse
from kg.model import Kind, Observation, OrgKind, Unit, Value
from kg.rdf import to_rdf
from kg.resolve import MergeReason, resolve
from kg.vocab import KGO


def corpus():
    a = article("a.txt", person("e1", "Ada Quill"), org("e2", "Norland Bank"), org("e3", "Tarn Lumber"),
                event("e4", "Harbour Finance Forum"),
                affiliations=[("e1", "e2", "chief economist"), ("e1", "e3", "director")],
                participations=[("e4", "e1")])
    a.observations = [Observation("e2", "loans", [Value(3.5e9, Unit.CNY, "3.5 billion yuan")], 2022, SPAN)]
    b = article("b.txt", person("e1", "Ada M. Quill"), org("e2", "Norland Savings"),
                person("e3", "Bo Tarrant"), org("e4", "Sinai Works"),
                affiliations=[("e1", "e2", "adviser")])
    return a, b


def curated(text: str):
    a, b = corpus()
    res = resolve([a, b])
    return res, apply(parse(text, "cur.yaml"), res)


def test_merge_keeps_the_target_key_and_records_the_decision():
    res, (out, report) = curated("""
merge:
  - into: Norland Bank
    names: [Norland Savings]
""")
    assert "org/norland-savings" not in out.entities
    bank = out.entities["org/norland-bank"]
    assert bank.name == "Norland Bank" and "Norland Savings" in bank.aliases
    (merge,) = bank.merges
    assert merge.reason is MergeReason.CURATION and "cur.yaml: merge entry 1" in merge.evidence
    assert report.applied and not report.notes
    assert "org/norland-savings" in res.entities  # the input is not changed


def test_split_takes_named_mentions_out():
    a, b = corpus()
    res = resolve([a, b])
    text = """
merge:
  - into: Ada Quill
    names: [Ada M. Quill]
split:
  - entity: Ada Quill
    names: [Ada M. Quill]
    articles: [b.txt]
"""
    out, report = apply(parse(text, "cur.yaml"), res)
    assert out.key_of(a, "e1") == "person/ada-quill"
    assert out.key_of(b, "e1") not in (None, "person/ada-quill")
    assert out.entities[out.key_of(b, "e1")].name == "Ada M. Quill"
    assert len(report.applied) == 2


def test_rename_keeps_the_key_and_the_old_name_as_alias():
    _, (out, _) = curated("rename:\n  - entity: Tarn Lumber\n    name: Tarn Lumber Cooperative\n")
    ent = out.entities["org/tarn-lumber"]
    assert ent.name == "Tarn Lumber Cooperative" and "Tarn Lumber" in ent.aliases
    g = to_rdf(out)
    assert (None, RDFS.label, Literal("Tarn Lumber Cooperative")) in g


def test_retype_changes_kind_and_key_path():
    _, (out, _) = curated("""
retype:
  - entity: Sinai Works
    to: place
  - entity: Norland Bank
    org_kind: bank
""")
    assert "org/sinai-works" not in out.entities
    assert out.entities["place/sinai-works"].kind is Kind.PLACE
    assert out.entities["org/norland-bank"].org_kind is OrgKind.BANK
    g = to_rdf(out)
    bank = next(g.subjects(RDFS.label, Literal("Norland Bank")))
    assert (bank, RDF.type, KGO.Bank) in g


def test_drop_an_entity_and_every_fact_about_it():
    _, (out, _) = curated("drop:\n  - entity: Tarn Lumber\n    kind: organization\n")
    assert "org/tarn-lumber" not in out.entities
    g = to_rdf(out)
    assert len(set(g.subjects(RDF.type, KGO.Affiliation))) == 2


def test_drop_single_facts_by_their_fields():
    a, b = corpus()
    res = resolve([a, b])
    out, report = apply(parse("""
drop:
  - affiliation: {person: Ada Quill, org: Tarn Lumber, title: Director}
  - participation: {event: Harbour Finance Forum, participant: Ada Quill, role: speaker, article: a.txt}
  - observation: {subject: Norland Bank, value: 3500000000, unit: CNY}
  - affiliation: {person: Ada Quill, org: Norland Bank, title: janitor}
""", "cur.yaml"), res)
    g = to_rdf(out)
    assert len(set(g.subjects(RDF.type, KGO.Affiliation))) == 2
    assert not set(g.subjects(RDF.type, KGO.Participation))
    assert not set(g.subjects(RDF.type, KGO.Observation))
    assert len(report.applied) == 3
    assert report.notes == ["cur.yaml: drop entry 4: no affiliation fits; entry skipped"]
    assert len(a.affiliations) == 2  # the extraction itself is left alone


def test_same_file_same_graph():
    text = "merge:\n  - into: Norland Bank\n    names: [Norland Savings]\n"
    _, (one, _) = curated(text)
    _, (two, _) = curated(text)
    assert to_rdf(one).isomorphic(to_rdf(two))


@pytest.mark.parametrize("text, problem", [
    ("merge: [\n", "cur.yaml: line"),
    ("- just a list\n", "cur.yaml: the top level must be a mapping"),
    ("merges: []\n", "cur.yaml: unknown section 'merges'"),
    ("merge:\n  - names: [X]\n", "cur.yaml: merge entry 1: missing 'into'"),
    ("rename:\n  - entity: X\n    name: Y\n    colour: red\n", "cur.yaml: rename entry 1: unknown field 'colour'"),
    ("retype:\n  - entity: X\n    to: planet\n", "cur.yaml: retype entry 1: 'planet' is not a Kind"),
    ("drop:\n  - {}\n  - entity: X\n    affiliation: {person: X, org: Y}\n",
     "cur.yaml: drop entry 1: say what to drop"),
    ("drop:\n  - participation: {event: X}\n", "cur.yaml: drop entry 1: participation needs event, participant"),
    ("split:\n  - entity: X\n    names: Y\n", "cur.yaml: split entry 1: names must be a non-empty list"),
    ("split:\n  - entity: X\n    names: [Y]\n    articles: a.txt\n", "cur.yaml: split entry 1: articles must be a list"),
])
def test_errors_name_file_entry_and_problem(text, problem):
    with pytest.raises(CurationError) as err:
        parse(text, "cur.yaml")
    assert str(err.value).startswith(problem)


def test_ambiguous_names_are_errors_and_unknown_ones_notes():
    a = article("a.txt", person("e1", "Vell Arn"), org("e2", "Vell Arn"))
    res = resolve([a])
    with pytest.raises(CurationError, match=r"cur.yaml: rename entry 1: 'Vell Arn' fits 2 entities"):
        apply(parse("rename:\n  - entity: Vell Arn\n    name: Z\n", "cur.yaml"), res)
    out, report = apply(parse("rename:\n  - entity: Vell Arn\n    kind: person\n    name: Z\n"
                              "  - entity: Nobody\n    name: Q\n", "cur.yaml"), res)
    assert out.entities["person/vell-arn"].name == "Z"
    assert report.notes == ["cur.yaml: rename entry 2: no entity 'Nobody'; entry skipped"]


def test_file_beside_the_articles_is_found_and_read(tmp_path):
    (tmp_path / "curation.yaml").write_text("rename:\n  - entity: X\n    name: Y\n", encoding="utf-8")
    assert find([tmp_path]) == tmp_path / "curation.yaml"
    assert find([tmp_path / "nothing"]) is None
    assert len(load(tmp_path / "curation.yaml").entries) == 1


@pytest.mark.slow
def test_build_applies_the_curation_file(tmp_path, seeds_dir):
    from kg.cli import main
    from kg.graphs import load as load_graph

    folder = tmp_path / "articles"
    folder.mkdir()
    src = sorted(seeds_dir.glob("*.txt"))[0]
    (folder / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "kg.ttl"
    assert main(["build", str(folder), "--out", str(out), "--quiet"]) == 0
    people = {str(o) for s in load_graph(out).asserted.subjects(RDF.type, KGO.Person)
              for o in load_graph(out).asserted.objects(s, RDFS.label)}
    assert people
    victim = sorted(people)[0]
    (folder / "curation.yaml").write_text(f"drop:\n  - entity: {victim}\n    kind: person\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(out), "--quiet"]) == 0
    g = load_graph(out).asserted
    assert (None, RDFS.label, Literal(victim)) not in g
    bad = tmp_path / "bad.yaml"
    bad.write_text("drop:\n  - entity: [1, 2]\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(out), "--quiet", "--curation", str(bad)]) == 2
