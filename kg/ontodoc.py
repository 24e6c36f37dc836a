"""The ontology's reference page (docs/ontology.md), generated from ontology/kg.ttl: classes,
properties, individuals, alignments with standard vocabularies and axioms, with one Turtle
example per class and property.

    python -m kg.ontodoc            # rewrite docs/ontology.md
    python -m kg.ontodoc --check    # exit 1 when docs/ontology.md is out of date

tests/test_ontodoc.py checks that the committed page is up to date."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from .vocab import KGO, KGO_IRI, ONTOLOGY_IRI

DEFAULT_OUT = Path("docs/ontology.md")
PREFIXES = {
    "kgo": KGO_IRI, "schema": "https://schema.org/", "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#", "skos": str(SKOS), "foaf": "http://xmlns.com/foaf/0.1/",
    "sosa": "http://www.w3.org/ns/sosa/", "owl": str(OWL), "rdfs": str(RDFS), "xsd": str(XSD),
    "dcterms": "http://purl.org/dc/terms/", "sh": "http://www.w3.org/ns/shacl#",
}
VOCABULARIES = {"schema": "schema.org", "org": "W3C ORG", "prov": "PROV-O", "skos": "SKOS",
                "foaf": "FOAF", "sosa": "SOSA"}
# names the examples use for instances of the main classes (the seeds' own people and places)
_NAMES = {
    KGO.Person: ("person/fang-hanting", "Fang Hanting"),
    KGO.Agent: ("person/fang-hanting", "Fang Hanting"),
    KGO.Organization: ("org/zhejiang-university", "Zhejiang University"),
    KGO.Event: ("event/pujiang-innovation-forum", "Pujiang Innovation Forum"),
    KGO.Place: ("place/shanghai", "Shanghai"),
    KGO.Work: ("work/harbor-fintech-index-2031", "Harbor Fintech Index 2031"),
    KGO.Collective: ("group/harbor-fintechs", "Harbor fintechs"),
    KGO.Article: ("article/3384e28f4471cfdc", "000_f62b4a445ef0a2d3.txt"),
}
_LITERALS = {
    XSD.date: '"2023-11-25"^^xsd:date', XSD.gYear: '"2023"^^xsd:gYear',
    XSD.decimal: "120500000000", XSD.boolean: "true", XSD.nonNegativeInteger: "42",
    XSD.string: '"doctoral supervisor"',
}


def curie(term: URIRef) -> str:
    """A prefixed name for the known namespaces, else <IRI>."""
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and text != ns:
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _kgo(g: Graph, type_: URIRef) -> list[URIRef]:
    return sorted((s for s in g.subjects(RDF.type, type_)
                   if isinstance(s, URIRef) and str(s).startswith(KGO_IRI)), key=str)


def _text(g: Graph, term: URIRef, prop: URIRef) -> str:
    value = g.value(term, prop)
    return " ".join(str(value).split()) if value is not None else ""


def _names(terms) -> str:
    return ", ".join(f"`{curie(t)}`" for t in sorted(terms, key=str)) or "—"


def _ancestor_in(g: Graph, cls: URIRef, targets) -> URIRef | None:
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop(0)
        if c in targets:
            return c
        if c not in seen:
            seen.add(c)
            todo.extend(sorted(g.objects(c, RDFS.subClassOf), key=str))
    return None


def instance(g: Graph, cls: URIRef | None) -> tuple[str, str | None]:
    """(kgr: name, label) of an example instance of ``cls``."""
    if cls is None:
        return "kgr:thing/example", None
    base = _ancestor_in(g, cls, _NAMES)
    if base is not None and base == cls:
        key, label = _NAMES[base]
        return f"kgr:{key}", label
    local = str(cls)[len(KGO_IRI):] if str(cls).startswith(KGO_IRI) else "thing"
    slug = "".join(("-" + ch.lower()) if ch.isupper() else ch for ch in local).strip("-")
    label = _NAMES[base][1] if base in (KGO.Person, KGO.Place) else None
    return f"kgr:{slug}/example", label


def _object(g: Graph, prop: URIRef, subject: str) -> str:
    """An example object for ``prop``: a literal of its range, a named individual of its
    range class (a role, a unit), or an example instance of its range."""
    range_ = g.value(prop, RDFS.range)
    if (prop, RDF.type, OWL.DatatypeProperty) in g or (prop, RDF.type, OWL.AnnotationProperty) in g:
        if prop == KGO.title:
            return '"doctoral supervisor"'
        if range_ == XSD.string:
            return f'"{_text(g, prop, RDFS.label)} text"'
        return _LITERALS.get(range_, '"…"')
    if prop == KGO.organizationKind:  # a class, not an instance
        return curie(KGO.University)
    if range_ is not None and _kgo(g, range_):
        return curie(_kgo(g, range_)[0])  # a named individual: a role or a unit
    obj, _ = instance(g, range_)
    if obj == subject:
        obj = obj.replace("/example", "/another") if "/example" in obj else obj + "-2"
    return obj


def class_example(g: Graph, cls: URIRef) -> str:
    """``cls`` with its label (entities) and every property whose domain it is."""
    name, label = instance(g, cls)
    parts = [f"{name} a {curie(cls)}"]
    if _ancestor_in(g, cls, {KGO.Person, KGO.Organization, KGO.Event, KGO.Place}):
        parts.append(f'rdfs:label "{label or _text(g, cls, RDFS.label).capitalize() + " example"}"')
    for prop in sorted(g.subjects(RDFS.domain, cls), key=str):
        if str(prop).startswith(KGO_IRI):
            parts.append(f"{curie(prop)} {_object(g, prop, name)}")
    return " ;\n    ".join(parts) + " ."


def property_example(g: Graph, prop: URIRef) -> str:
    subject, _ = instance(g, g.value(prop, RDFS.domain))
    return f"{subject} {curie(prop)} {_object(g, prop, subject)} ."


def _characteristics(g: Graph, prop: URIRef) -> list[str]:
    kinds = {OWL.TransitiveProperty: "transitive", OWL.FunctionalProperty: "functional",
             OWL.SymmetricProperty: "symmetric", OWL.InverseFunctionalProperty: "inverse-functional"}
    return [name for kind, name in kinds.items() if (prop, RDF.type, kind) in g]


def _chains(g: Graph, prop: URIRef) -> list[str]:
    return [" ∘ ".join(f"`{curie(p)}`" for p in Collection(g, c))
            for c in sorted(g.objects(prop, OWL.propertyChainAxiom), key=lambda c: str(list(Collection(g, c))))]


def alignments(g: Graph) -> list[tuple[URIRef, str, URIRef]]:
    """(kgo term, relation, outside term) for every link to a standard vocabulary."""
    out = []
    for rel, name in ((RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
                      (OWL.equivalentClass, "equivalent to"), (OWL.equivalentProperty, "equivalent to")):
        for s, o in g.subject_objects(rel):
            if str(s).startswith(KGO_IRI) and curie(o).split(":")[0] in VOCABULARIES:
                out.append((s, name, o))
    return sorted(out, key=lambda t: (curie(t[2]).split(":")[0], str(t[0]), str(t[2])))


def _class_section(g: Graph, cls: URIRef) -> list[str]:
    supers = list(g.objects(cls, RDFS.subClassOf))
    lines = [f"### {curie(cls)}", "", f"**{_text(g, cls, RDFS.label)}**: {_text(g, cls, RDFS.comment)}", ""]
    lines.append(f"- subclass of: {_names(supers)}")
    members = sorted({t for d in g.subjects(RDF.type, OWL.AllDisjointClasses)
                      for t in Collection(g, g.value(d, OWL.members)) if cls in Collection(g, g.value(d, OWL.members))}
                     - {cls}, key=str)
    if members:
        lines.append(f"- disjoint with: {_names(members)}")
    individuals = _kgo(g, cls)
    if individuals:
        lines.append(f"- individuals: {_names(individuals)}")
    return lines + ["", "```turtle", class_example(g, cls), "```", ""]


def _property_section(g: Graph, prop: URIRef) -> list[str]:
    lines = [f"### {curie(prop)}", "", f"**{_text(g, prop, RDFS.label)}**: {_text(g, prop, RDFS.comment)}", ""]
    for label, values in (("domain", list(g.objects(prop, RDFS.domain))),
                          ("range", list(g.objects(prop, RDFS.range))),
                          ("subproperty of", list(g.objects(prop, RDFS.subPropertyOf))),
                          ("inverse of", list(g.objects(prop, OWL.inverseOf)) + list(g.subjects(OWL.inverseOf, prop)))):
        if values:
            lines.append(f"- {label}: {_names(set(values))}")
    if _characteristics(g, prop):
        lines.append(f"- characteristics: {', '.join(_characteristics(g, prop))}")
    for chain in _chains(g, prop):
        lines.append(f"- derived along the chain: {chain}")
    return lines + ["", "```turtle", property_example(g, prop), "```", ""]


def _path(shapes: Graph, ps) -> str:
    """A property shape's path as SPARQL writes it: "kgo:organization|kgo:jurisdiction"."""
    path = shapes.value(ps, SH.path)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(curie(n) for n in Collection(shapes, alternatives))
    return curie(path)


def _constraints(shapes: Graph, ps) -> str:
    """A property shape's constraints in a few words: "exactly 1, class kgo:Person"."""
    lo, hi = shapes.value(ps, SH.minCount), shapes.value(ps, SH.maxCount)
    parts = []
    if lo is not None and hi is not None and int(lo) == int(hi):
        parts.append(f"exactly {lo}")
    else:
        parts += [f"at least {lo}"] if lo is not None else []
        parts += [f"at most {hi}"] if hi is not None else []
    for key, word in ((SH["class"], "class"), (SH.datatype, "datatype"), (SH.nodeKind, "node kind")):
        value = shapes.value(ps, key)
        if value is not None:
            parts.append(f"{word} `{curie(value)}`")
    allowed = shapes.value(ps, SH["in"])
    if allowed is not None:
        parts.append("one of " + ", ".join(f"`{curie(v)}`" for v in Collection(shapes, allowed)))
    alternatives = shapes.value(ps, SH["or"])
    if alternatives is not None:
        parts.append("datatype " + " or ".join(f"`{curie(shapes.value(a, SH.datatype))}`"
                                               for a in Collection(shapes, alternatives)))
    return ", ".join(parts)


def shapes_section(shapes: Graph) -> list[str]:
    """What `kg validate` checks, shape by shape."""
    lines = ["## Validation (SHACL shapes)", "",
             ("`kg validate` checks the asserted graph against `ontology/shapes.ttl`, read with the "
              "ontology (so a target class reaches its subclasses) and without the inferred triples. "
              "`kg build` reports how many violations it finds."), "",
             "| target | path | constraint | message |", "|---|---|---|---|"]
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        target = shapes.value(shape, SH.targetClass)
        if target is None:
            continue
        for ps in sorted(shapes.objects(shape, SH.property), key=lambda n: _path(shapes, n)):
            lines.append(f"| `{curie(target)}` | `{_path(shapes, ps)}` | "
                         f"{_constraints(shapes, ps)} | {_text(shapes, ps, SH.message)} |")
        if shapes.value(shape, SH["not"]) is not None:
            lines.append(f"| `{curie(target)}` | — | disjoint kinds | {_text(shapes, shape, SH.message)} |")
    return lines + [""]


def render(g: Graph, shapes: Graph | None = None) -> str:
    """The whole page, as Markdown (deterministic: everything sorted); with ``shapes``, a
    section on what validation checks."""
    onto = URIRef(ONTOLOGY_IRI)
    lines = [
        f"# {_text(g, onto, RDFS.label)}", "",
        "<!-- Generated from ontology/kg.ttl by `python -m kg.ontodoc`; do not edit by hand. -->", "",
        _text(g, onto, RDFS.comment), "",
        f"- namespace: `{KGO_IRI}` (prefix `kgo:`); resources: `kgr:` (configurable base)",
        f"- version: {_text(g, onto, OWL.versionInfo)}",
        "- shapes: `ontology/shapes.ttl` (SHACL; `kg validate`)", "",
        "Examples use `kgr:` for `https://kg.example.org/resource/`.", "",
        "## Alignments with standard vocabularies", "",
        ("Every alignment is one-way (subclass or subproperty), so kg data reads as data of these "
         "vocabularies without outside data being pulled into kg's classes."), "",
        "| kg term | relation | standard term | vocabulary |", "|---|---|---|---|",
    ]
    found = alignments(g)
    for s, rel, o in found:
        lines.append(f"| `{curie(s)}` | {rel} | `{curie(o)}` | {VOCABULARIES[curie(o).split(':')[0]]} |")
    lines += ["", (f"{len(found)} alignments. Aliases are `skos:altLabel`; dates are `xsd:date`, "
                   "years `xsd:gYear`, amounts `xsd:decimal`."), "", "## Axioms for reasoning", ""]
    for d in sorted(g.subjects(RDF.type, OWL.AllDisjointClasses), key=lambda d: str(list(Collection(g, g.value(d, OWL.members))))):
        lines.append(f"- pairwise disjoint: {', '.join(f'`{curie(c)}`' for c in Collection(g, g.value(d, OWL.members)))}")
    for prop in _kgo(g, OWL.ObjectProperty):
        for chain in _chains(g, prop):
            lines.append(f"- `{curie(prop)}` ⊒ {chain}")
    lines.append(f"- transitive: {_names(_kgo(g, OWL.TransitiveProperty))}")
    lines += ["", "## Classes", ""]
    for cls in _kgo(g, OWL.Class):
        lines += _class_section(g, cls)
    for kind, title in ((OWL.ObjectProperty, "Object properties"), (OWL.DatatypeProperty, "Datatype properties"),
                        (OWL.AnnotationProperty, "Annotation properties")):
        lines += [f"## {title}", ""]
        for prop in _kgo(g, kind):
            lines += _property_section(g, prop)
    if shapes is not None:
        lines += shapes_section(shapes)
    lines += ["## Individuals", "", "| term | class | notation | label | comment |", "|---|---|---|---|---|"]
    for cls in (KGO.Role, KGO.Unit):
        for ind in _kgo(g, cls):
            lines.append(f"| `{curie(ind)}` | `{curie(cls)}` | {_text(g, ind, SKOS.notation)} | "
                         f"{_text(g, ind, RDFS.label)} | {_text(g, ind, RDFS.comment)} |")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the page; returns an exit code."""
    from . import io
    from .graphs import load_ontology

    p = argparse.ArgumentParser(prog="python -m kg.ontodoc", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the page (default: {DEFAULT_OUT})")
    p.add_argument("--check", action="store_true", help="exit 1 if the page is out of date; write nothing")
    args = p.parse_args(argv)
    from .validate import load_shapes

    text = render(load_ontology(), load_shapes())
    if args.check:
        current = io.read_text(args.out) if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python -m kg.ontodoc", file=sys.stderr)
            return 1
        return 0
    io.write_atomic(args.out, text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
