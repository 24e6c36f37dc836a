"""Evaluation against gold keys: the built-in twin of the project's kg-score. A folder holds
``NAME.txt`` articles and ``NAME.gold.json`` keys (the gold format, see docs); the graph
built from the folder is asked the contract queries in-process and compared with the keys,
category by category: precision, recall, F1, and what was missed and falsely found.

The comparison folds names as kg-score does (case, punctuation, a leading "the", honorifics
for people, legal suffixes for organisations, an organisation's aliases), counts events by
the proper names the articles print, rolls participants of sub-events up to their named
ancestors, matches metrics one to one on (subject, value within 0.5 %, unit), and merges
two articles' accounts of one event (same date, two or more shared participants) when it
counts the people seen at several events."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import io, query
from .errors import InputError
from .graphs import KnowledgeGraph

CATEGORIES = ("people", "organizations", "affiliations", "events", "participation", "metrics",
              "cross_event_people")
# kg-score's own folding tables, copied as they are on purpose: `kg eval` must score as the
# scorer does, so these follow kg-score, not kg.resolve.names (which folds more forms)
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "professor", "madam", "sir"}
ORG_SUFFIXES = {"co", "ltd", "limited", "inc", "corp", "corporation", "plc", "llc"}


def words(text: str | None) -> list[str]:
    text = (text or "").lower().replace("&", " and ")
    toks = re.sub(r"[^\w\s]", " ", text).split()
    return toks[1:] if toks and toks[0] == "the" else toks


def norm_person(name: str | None) -> str:
    return " ".join(t for t in words(name) if t not in HONORIFICS)


def norm_org(name: str | None) -> str:
    toks = words(name)
    while toks and toks[-1] in ORG_SUFFIXES:
        toks = toks[:-1]
    return " ".join(toks)


def norm_event(name: str | None) -> str:
    return " ".join(words(name))


_ORDINAL = re.compile(r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|inaugural|"
                      r"\d+(st|nd|rd|th))")


def _proper(name: str | None) -> bool:
    return any(ch.isupper() or ch.isdigit() for ch in name or "")


def jaccard(a: str, b: str) -> float:
    sa, sb = set(a.split()), set(b.split())
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


@dataclass
class Score:
    """One category's result."""

    precision: float
    recall: float
    f1: float
    hits: int
    misses: list[str] = field(default_factory=list)  # in the keys, not in the graph
    false_hits: list[str] = field(default_factory=list)  # in the graph, not in the keys


def score_sets(pred: set, gold: set) -> Score:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f, tp, sorted(map(_show, gold - pred)), sorted(map(_show, pred - gold)))


def _show(item) -> str:
    return " | ".join(map(str, item)) if isinstance(item, tuple) else str(item)


@dataclass
class Evaluation:
    """All categories and their macro F1."""

    scores: dict[str, Score]

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.scores.values()) / len(self.scores)

    def summary(self) -> str:
        """The last line kg-score prints."""
        parts = " ".join(f"{k}={v.f1:.3f}" for k, v in self.scores.items())
        return f"summary macro_f1={self.macro_f1:.3f} {parts}"

    def to_table(self) -> str:
        lines = [f"{'category':20s} {'P':>6s} {'R':>6s} {'F1':>6s}  hits"]
        lines += [f"{k:20s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.hits}"
                  for k, s in self.scores.items()]
        lines.append(self.summary())
        for k, s in self.scores.items():
            if s.misses or s.false_hits:
                lines.append("")
                lines.append(f"{k}: {len(s.misses)} missed, {len(s.false_hits)} false")
                lines += [f"  - missed  {m}" for m in s.misses]
                lines += [f"  + false   {m}" for m in s.false_hits]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({"macro_f1": self.macro_f1, "categories": {
            k: {"p": s.precision, "r": s.recall, "f1": s.f1, "hits": s.hits, "misses": s.misses,
                "false_hits": s.false_hits} for k, s in self.scores.items()}}, indent=1, ensure_ascii=False)


class Gold:
    """The union of all gold keys in a folder, normalised."""

    def __init__(self, keys: list[dict], texts: str) -> None:
        self.people, self.orgs, self.aff, self.events = set(), set(), set(), set()
        self.part: set = set()
        self.metrics: list[tuple[str, float, str]] = []
        self.alias: dict[str, str] = {}
        self.texts = texts
        self.articles: list[str] = []  # the file names the keys are for
        for key in keys:  # aliases first: a later article may name an earlier one's alias
            for org in key.get("organizations", []):
                for alias in [org["name"], *org.get("aliases", [])]:
                    self.alias.setdefault(norm_org(alias), norm_org(org["name"]))
        by_root: dict[str, set[str]] = {}
        roots: dict[str, list] = {}
        for key in keys:
            self._read(key, by_root, roots)
        self.cross = _cross(by_root, roots)

    def _read(self, key: dict, by_root: dict, roots: dict) -> None:
        for org in key.get("organizations", []):
            self.orgs.add(self.org(org["name"]))
        for person in key.get("people", []):
            self.people.add(norm_person(person["name"]))
        for person in key.get("people", []):
            for a in person.get("affiliations", []):
                self.aff.add((norm_person(person["name"]), self.org(a["org"])))
        parent = {e["name"]: e.get("part_of") for e in key.get("events", [])}
        for event in key.get("events", []):
            if self.named(event["name"]):
                self.events.add(norm_event(event["name"]))
            chain, name = [], event["name"]
            while name and name not in chain:
                chain.append(name)
                name = parent.get(name)
            root = norm_event(chain[-1])
            for p in event.get("participants", []):
                who = self.any_name(p["name"])
                for ancestor in chain:
                    if self.named(ancestor):
                        self.part.add((norm_event(ancestor), who))
                if norm_person(p["name"]) in self.people:
                    by_root.setdefault(who, set()).add(root)
            roots.setdefault(root, [None, set()])
            if not parent.get(event["name"]):
                roots[root][0] = event.get("date")
            roots[root][1].update(self.any_name(x["name"]) for x in event.get("participants", []))
        for m in key.get("metrics", []):
            self.metrics.append((m["subject"], float(m["value"]), m["unit"]))

    def named(self, name: str | None) -> bool:
        """A proper event name that the articles print ("2023 X Forum", "the 5th X
        Conference"), not a description ("signing activities", "launch of X"): after "the"
        and an edition ordinal it starts with a capital letter or a digit."""
        name = " ".join((name or "").split())
        head = name[4:] if name.lower().startswith("the ") else name
        parts = head.split()
        if parts and _ORDINAL.fullmatch(parts[0].lower()) and len(parts) > 1:
            parts = parts[1:]
        return bool(parts) and (parts[0][:1].isupper() or parts[0][:1].isdigit()) and name.lower() in self.texts

    def org(self, name: str | None) -> str:
        n = norm_org(name)
        return self.alias.get(n, n)

    def any_name(self, name: str | None) -> str:
        n = norm_org(name)
        return self.alias[n] if n in self.alias else norm_person(name)


def _cross(by_root: dict[str, set[str]], roots: dict[str, list]) -> set[str]:
    """People at two or more top-level events, two accounts of one event counted once."""
    same = {r: r for r in roots}

    def find(r: str) -> str:
        while same[r] != r:
            r = same[r]
        return r
    names = sorted(roots)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (da, pa), (db, pb) = roots[a], roots[b]
            if da and da == db and len(pa & pb) >= 2:
                same[find(b)] = find(a)
    return {p for p, rs in by_root.items() if len({find(r) for r in rs}) >= 2}


def read_gold(folder: Path) -> Gold:
    """The gold keys of a folder (``*.gold.json`` beside the articles)."""
    paths = [p for p in io.files_under(folder, (".gold.json",)) if p.parent == Path(folder)]
    if not paths:
        raise InputError(f"{folder}: no *.gold.json answer keys")
    keys, texts = [], []
    for path in sorted(paths):
        try:
            key = json.loads(io.read_text(path))
            texts.append(" ".join(io.read_text(Path(folder) / key["article"]).split()))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: not a gold key ({exc!r})") from exc
        keys.append(key)
    gold = Gold(keys, "\n".join(texts).lower())
    gold.articles = [key["article"] for key in keys]
    return gold


def contract_rows(kg: KnowledgeGraph) -> dict[str, list[dict[str, str]]]:
    """The contract queries' answers, as plain strings."""
    lib = query.library()
    return {name: [{k: str(v) for k, v in row.items()} for row in query.run(kg, lib[name]).rows]
            for name in CATEGORIES}


def evaluate(gold: Gold, got: dict[str, list[dict[str, str]]]) -> Evaluation:
    """Compare the contract queries' answers with the gold keys."""
    s: dict[str, Score] = {}
    s["people"] = score_sets({norm_person(r.get("name")) for r in got["people"]}, gold.people)
    s["organizations"] = score_sets({gold.org(r.get("name")) for r in got["organizations"]}, gold.orgs)
    s["affiliations"] = score_sets({(norm_person(r.get("person")), gold.org(r.get("org")))
                                    for r in got["affiliations"]}, gold.aff)
    names = {norm_event(r.get("event")) for r in got["events"]}
    capitalised = {norm_event(r.get("event")) for r in got["events"] if _proper(r.get("event"))}
    emap = match_events(names, gold.events, capitalised)
    printed = {norm_event(r.get("event")) for r in got["events"] if gold.named(r.get("event"))}
    kept = {e for e in names if e in emap or e in printed}
    s["events"] = score_sets({emap.get(e, e) for e in kept}, gold.events)
    part = {(emap.get(norm_event(r.get("event")), norm_event(r.get("event"))), gold.any_name(r.get("participant")))
            for r in got["participation"] if norm_event(r.get("event")) in kept}
    s["participation"] = score_sets(part, gold.part)
    s["metrics"] = match_metrics(got["metrics"], gold.metrics)
    s["cross_event_people"] = score_sets({norm_person(r.get("person")) for r in got["cross_event_people"]},
                                         gold.cross)
    return Evaluation(s)


def match_events(pred: set[str], gold: set[str], proper: set[str]) -> dict[str, str]:
    """Map each predicted event name to a gold one: exact, else (for capitalised names only,
    never a generic "signing ceremony") the best token overlap when it is 0.6 or more."""
    mapping = {}
    for p in pred:
        if p in gold:
            mapping[p] = p
            continue
        if p not in proper:
            continue
        best = max(gold, key=lambda g: jaccard(p, g), default=None)
        if best is not None and jaccard(p, best) >= 0.6:
            mapping[p] = best
    return mapping


def match_metrics(rows: list[dict[str, str]], gold: list[tuple[str, float, str]]) -> Score:
    """Greedy one-to-one matching on (subject, value within 0.5 %, unit)."""
    pred = []
    for r in rows:
        try:
            pred.append((r.get("subject") or "", float(r.get("value")), r.get("unit") or ""))
        except (TypeError, ValueError):
            pred.append(("", float("nan"), ""))
    used: set[int] = set()
    false = []
    for subject, value, unit in pred:
        for i, (gs, gv, gu) in enumerate(gold):
            if i in used or unit != gu:
                continue
            close = abs(value - gv) <= 0.005 * max(abs(gv), 1e-9)
            ps, gn = norm_event(subject), norm_event(gs)
            if close and (ps == gn or (gn and set(gn.split()) <= set(ps.split())) or jaccard(ps, gn) >= 0.5):
                used.add(i)
                break
        else:
            false.append(f"{subject} | {_number(value)} | {unit}")
    tp = len(used)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    misses = [f"{gs} | {_number(gv)} | {gu}" for i, (gs, gv, gu) in enumerate(gold) if i not in used]
    return Score(p, r, f, tp, sorted(misses), sorted(false))


def _number(value: float) -> str:
    """A figure as people write it: 500000000, 38.5 (no exponents)."""
    if value != value:  # NaN: a value the graph gave that is no number
        return "?"
    return str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0")


def build_and_evaluate(folder: Path, jobs: int = 1) -> Evaluation:
    """Build ``folder`` as `kg build` would (with its curation.yaml, if any) into a temporary
    folder, and evaluate the graph against the folder's gold keys."""
    import tempfile

    from . import curate
    from .build import build

    gold = read_gold(folder)
    found = curate.find([folder])
    keyed = [Path(folder) / key for key in gold.articles]  # as kg-score: only articles with a key
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        kg, _ = build(keyed, Path(tmp) / "kg.ttl", jobs=jobs, page=False,
                      curation=curate.load(found) if found else None)
        assert kg is not None  # a Turtle build always returns its graph
        return evaluate(gold, contract_rows(kg))
