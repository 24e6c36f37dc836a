"""Compiled OWL 2 RL rules: the closure of an ontology's axioms over a large graph, fast.

owlrl (kg.reason) applies every OWL 2 RL rule to every triple, round after round, in pure
Python: right for small graphs, hopeless past a few thousand articles (a 100-article
corpus already takes over a minute). This module compiles the axioms the ontology actually
uses into a fixed program and runs it once over the data, streaming:

- class axioms: rdfs:subClassOf between named classes (cax-sco), owl:equivalentClass
  between named classes, owl:disjointWith and owl:AllDisjointClasses (cax-dw, cax-adc:
  reported, never derived from);
- property axioms: rdfs:subPropertyOf (prp-spo1), owl:equivalentProperty, owl:inverseOf
  (prp-inv1/2), owl:SymmetricProperty (prp-symp), owl:TransitiveProperty (prp-trp),
  owl:propertyChainAxiom (prp-spo2), rdfs:domain and rdfs:range (prp-dom, prp-rng);
- owl:FunctionalProperty on datatype properties: in OWL 2 RL it relates only literals
  (prp-fp), which are never subjects of the inferred graph, so it derives nothing here.

Anything else (restrictions, class expressions, owl:sameAs, functional object properties,
keys...) is not compiled: :func:`compile_program` lists it in ``Program.unsupported`` and
kg.reason then leaves the graph to owlrl. On the ontology and the test corpora the two
engines give the same inferred triples; tests/test_reason_compiled.py checks that.

Terms are interned as integers while the closure runs, so a corpus of millions of triples
fits in a few hundred megabytes."""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..vocab import same_iri as _same
from ..vocab import starts_with as _starts

# schema vocabulary that carries no entailment this program needs to know about
_INERT_PREDICATES = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
                     OWL.versionIRI, OWL.imports, OWL.priorVersion, OWL.backwardCompatibleWith,
                     OWL.incompatibleWith, OWL.deprecated, RDF.first, RDF.rest, OWL.members}
_COMPILED_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                        OWL.inverseOf, OWL.propertyChainAxiom, OWL.equivalentClass,
                        OWL.equivalentProperty, OWL.disjointWith}
_DECLARATIONS = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                 OWL.AnnotationProperty, OWL.Ontology, OWL.NamedIndividual, RDF.Property,
                 OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AllDisjointClasses,
                 OWL.FunctionalProperty, RDFS.Datatype}
_NEVER_TYPES = {OWL.Thing, OWL.NamedIndividual, OWL.Nothing}
# namespace attribute lookups cost microseconds, and the hot loops make millions of them
_TYPE = RDF.type
_OWL, _SCHEMA_NS = str(OWL), (str(OWL), str(RDFS))
_SCHEMA_TYPES = frozenset((RDFS.Class, RDF.Property, RDFS.Datatype))
_ANNOTATIONS = (RDFS.label, RDFS.comment)


@dataclass
class Program:
    """The compiled axioms."""

    supers: dict[Any, frozenset] = field(default_factory=dict)  # class -> itself and all superclasses
    superprops: dict[Any, tuple] = field(default_factory=dict)  # property -> its strict superproperties
    inverses: dict[Any, set] = field(default_factory=dict)
    transitive: set = field(default_factory=set)
    chains: list[tuple[tuple, Any]] = field(default_factory=list)  # ((p1, p2, ...), q)
    domains: dict[Any, set] = field(default_factory=dict)
    ranges: dict[Any, set] = field(default_factory=dict)
    disjoint: list[tuple[Any, Any]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    def classes_of(self, cls: Any) -> frozenset:
        return self.supers.get(cls) or frozenset((cls,))


def _closure(edges: dict[Any, set]) -> dict[Any, frozenset]:
    """Reflexive-transitive closure of a relation given as node -> direct successors."""
    out: dict[Any, frozenset] = {}
    for start in edges:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        out[start] = frozenset(seen)
    return out


def is_schema(triple: tuple) -> bool:
    """Whether a triple states an axiom (a class or property axiom, a declaration) rather
    than a fact about the data."""
    _, p, o = triple
    if _same(p, _TYPE):
        return _starts(o, _OWL) or o in _SCHEMA_TYPES
    return _starts(p, _SCHEMA_NS) and p not in _ANNOTATIONS


def compile_program(schema: Graph) -> Program:
    """Compile the axioms of ``schema`` (the ontology, plus any schema triples of the data).
    What cannot be compiled is listed in ``unsupported``."""
    prog = Program()
    sub_class: dict[Any, set] = {}
    sub_prop: dict[Any, set] = {}
    datatype_props = set(schema.subjects(RDF.type, OWL.DatatypeProperty))

    def named(*terms: Any) -> bool:
        return all(isinstance(t, URIRef) for t in terms)

    for s, p, o in schema:
        if p == RDF.type:
            if o not in _DECLARATIONS and (str(o).startswith(str(OWL)) or o == RDFS.Datatype):
                prog.unsupported.append(f"{s} a {o}")
            elif o == OWL.TransitiveProperty:
                prog.transitive.add(s)
            elif o == OWL.SymmetricProperty:
                prog.inverses.setdefault(s, set()).add(s)
            elif o == OWL.FunctionalProperty and s not in datatype_props:
                prog.unsupported.append(f"{s} a owl:FunctionalProperty (an object property)")
            continue
        if p in _INERT_PREDICATES or not str(p).startswith((str(OWL), str(RDFS))):
            continue
        if p not in _COMPILED_PREDICATES:
            prog.unsupported.append(f"{s} {p} {o}")
        elif p == OWL.propertyChainAxiom:
            chain = tuple(Collection(schema, o))
            if len(chain) < 2 or not named(s, *chain):
                prog.unsupported.append(f"{s} owl:propertyChainAxiom {chain}")
            else:
                prog.chains.append((chain, s))
        elif not named(s, o):
            prog.unsupported.append(f"{s} {p} {o} (a class or property expression)")
        elif p == RDFS.subClassOf:
            sub_class.setdefault(s, set()).add(o)
        elif p == OWL.equivalentClass:
            sub_class.setdefault(s, set()).add(o)
            sub_class.setdefault(o, set()).add(s)
        elif p == RDFS.subPropertyOf:
            sub_prop.setdefault(s, set()).add(o)
        elif p == OWL.equivalentProperty:
            sub_prop.setdefault(s, set()).add(o)
            sub_prop.setdefault(o, set()).add(s)
        elif p == OWL.inverseOf:
            prog.inverses.setdefault(s, set()).add(o)
            prog.inverses.setdefault(o, set()).add(s)
        elif p == RDFS.domain:
            prog.domains.setdefault(s, set()).add(o)
        elif p == RDFS.range:
            if s not in datatype_props:
                prog.ranges.setdefault(s, set()).add(o)
        elif p == OWL.disjointWith:
            prog.disjoint.append((s, o))
    for group in schema.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in schema.objects(group, OWL.members):
            classes = list(Collection(schema, members))
            prog.disjoint.extend((a, b) for i, a in enumerate(classes) for b in classes[i + 1:])
    prog.supers = _closure(sub_class)
    props = _closure(sub_prop)
    prog.superprops = {p: tuple(sorted(q for q in ups if q != p)) for p, ups in props.items()}
    # a superproperty's domain and range hold for its subproperties (scm-dom2, scm-rng2)
    for p, ups in props.items():
        for q in ups:
            prog.domains.setdefault(p, set()).update(prog.domains.get(q, ()))
            prog.ranges.setdefault(p, set()).update(prog.ranges.get(q, ()))
    return prog


class OverBudget(Exception):
    """The closure grew past its size budget or ran past its deadline."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "size" or "time"


class Closure:
    """The closure of one graph under a program. Feed it triples with :meth:`add` (any
    number of times: a build streams them article by article), then call :meth:`run`."""

    def __init__(self, program: Program, *, max_triples: int = 50_000_000,
                 deadline: float | None = None) -> None:
        self.prog = program
        self.max_triples = max_triples
        self.deadline = deadline
        self._ids: dict[Any, int] = {}
        self._terms: list[Any] = []
        self.input_triples = 0
        self._facts: set[tuple[int, int, int]] = set()  # property assertions, input and derived
        self._asserted_types: dict[int, set[int]] = {}
        self._types: dict[int, set[int]] = {}  # asserted and from domains and ranges
        self._queue: list[tuple[int, int, int]] = []
        self._new: list[tuple[int, int, int]] = []  # derived property assertions
        # indexes of the properties that take part in joins (transitivity, chains)
        self._joined = set(program.transitive) | {p for chain, _ in program.chains for p in chain}
        self._by_subject: dict[tuple[int, int], set[int]] = {}
        self._by_object: dict[tuple[int, int], set[int]] = {}
        self._compiled: dict[int, tuple] = {}  # property id -> (superprops, inverses, joined?, ...)

    # -- terms -----------------------------------------------------------------------
    def _id(self, term: Any) -> int:
        n = self._ids.get(term)
        if n is None:
            n = self._ids[term] = len(self._terms)
            self._terms.append(term)
        return n

    def _rules_of(self, p: int) -> tuple:
        rules = self._compiled.get(p)
        if rules is None:
            term = self._terms[p]
            prog = self.prog
            rules = self._compiled[p] = (
                tuple(self._id(q) for q in prog.superprops.get(term, ())),
                tuple(self._id(q) for q in sorted(prog.inverses.get(term, ()))),
                term in self._joined,
                term in prog.transitive,
                tuple(self._id(c) for c in sorted(prog.domains.get(term, ()))),
                tuple(self._id(c) for c in sorted(prog.ranges.get(term, ()))),
                tuple((i, tuple(self._id(x) for x in chain), self._id(q))
                      for chain, q in prog.chains for i, x in enumerate(chain) if x == term),
            )
        return rules

    # -- input -----------------------------------------------------------------------
    def add(self, triples: Iterable[tuple]) -> None:
        for s, p, o in triples:
            self.input_triples += 1
            if _same(p, _TYPE):
                sid, oid = self._id(s), self._id(o)
                self._asserted_types.setdefault(sid, set()).add(oid)
                self._types.setdefault(sid, set()).add(oid)
            else:
                self._push((self._id(s), self._id(p), self._id(o)), derived=False)

    def _push(self, fact: tuple[int, int, int], derived: bool = True) -> None:
        if fact not in self._facts:
            self._facts.add(fact)
            self._queue.append(fact)
            if derived:
                self._new.append(fact)

    # -- the closure -----------------------------------------------------------------
    def _check(self) -> None:
        size = len(self._facts)
        if size > self.max_triples:
            raise OverBudget("size", f"the closure grew past {self.max_triples} triples")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OverBudget("time", "still running after the time budget")

    def run(self) -> None:
        """Derive every property assertion (subproperties, inverses, transitivity, chains)
        and every type a domain or range gives."""
        queue, by_s, by_o = self._queue, self._by_subject, self._by_object
        steps = 0
        while queue:
            s, p, o = queue.pop()
            steps += 1
            if steps % 65536 == 0:
                self._check()
            supers, inverses, joined, transitive, domains, ranges, chains = self._rules_of(p)
            for c in domains:
                self._types.setdefault(s, set()).add(c)
            o_literal = isinstance(self._terms[o], Literal)
            if not o_literal:
                for c in ranges:
                    self._types.setdefault(o, set()).add(c)
            for q in supers:
                self._push((s, q, o))
            if not o_literal:
                for q in inverses:
                    self._push((o, q, s))
            if not joined:
                continue
            by_s.setdefault((p, s), set()).add(o)
            by_o.setdefault((p, o), set()).add(s)
            if transitive:
                for y in tuple(by_s.get((p, o), ())):
                    self._push((s, p, y))
                for x in tuple(by_o.get((p, s), ())):
                    self._push((x, p, o))
            for i, chain, q in chains:
                self._chain(chain, i, s, o, q)
        self._check()

    def _chain(self, chain: tuple, i: int, s: int, o: int, q: int) -> None:
        """A new link s -chain[i]-> o: every full walk of the chain through it gives q."""
        by_s, by_o = self._by_subject, self._by_object
        starts = {s}
        for p in reversed(chain[:i]):  # walk back to the chain's start
            starts = {x for node in starts for x in by_o.get((p, node), ())}
            if not starts:
                return
        ends = {o}
        for p in chain[i + 1:]:  # and forward to its end
            ends = {y for node in ends for y in by_s.get((p, node), ())}
            if not ends:
                return
        for x in starts:
            for y in ends:
                self._push((x, q, y))

    # -- output ----------------------------------------------------------------------
    def inferred(self, keep: Any) -> Inferred:
        """The derived triples that ``keep(s, p, o)`` accepts (never the input's own), the
        clashes of disjoint classes, and the types a domain or range gives a node beyond what
        its asserted types imply (left out: a wrong link, not knowledge)."""
        terms, prog = self._terms, self.prog
        result = Inferred()
        for s, p, o in self._new:
            triple = (terms[s], terms[p], terms[o])
            if keep(*triple):
                result.triples.append(triple)
        closed: dict[frozenset, tuple] = {}  # nodes share type sets: work each set out once
        for node, direct in self._types.items():
            asserted_ids = self._asserted_types.get(node, ())
            key = (frozenset(direct), frozenset(asserted_ids))
            done = closed.get(key)
            if done is None:
                classes: set = set()
                for c in direct:
                    classes |= prog.classes_of(terms[c])
                clashes = [(a, b) for a, b in prog.disjoint if a in classes and b in classes]
                asserted = {terms[c] for c in asserted_ids}
                implied: set = set()
                for c in asserted:
                    implied |= prog.classes_of(c)
                new_types = sorted(classes - asserted - _NEVER_TYPES, key=str)
                good = [c for c in new_types if not asserted or c in implied]
                stray = [c for c in new_types if asserted and c not in implied]
                done = closed[key] = (clashes, sorted(asserted, key=str), good, stray)
            clashes, asserted_list, good, stray = done
            subject = terms[node]
            for a, b in clashes:
                result.clashes.append((subject, a, b))
            if not keep(subject, _TYPE, _TYPE):  # not a minted resource: no type of it is kept
                continue
            result.triples.extend((subject, _TYPE, cls) for cls in good)
            if stray:
                result.stray[subject] = (asserted_list, list(stray))
        return result


@dataclass
class Inferred:
    """What a closure derived."""

    triples: list[tuple] = field(default_factory=list)
    clashes: list[tuple] = field(default_factory=list)  # (node, class, disjoint class)
    stray: dict[Any, tuple[list, list]] = field(default_factory=dict)  # node -> (asserted types, stray types)
