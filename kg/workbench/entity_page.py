"""An entity's page (``/entity/PATH``): its names, kind and links, every statement about it
with the sentence and article that state it, and its neighbourhood drawn small by the graph
page's own view (kg.viz.view_parts over the projection of the entity's graph, the entity in
focus: figures as optional nodes, people at several events ringed and listed)."""
from __future__ import annotations

from ..graphs import KnowledgeGraph
from ..htmlsafe import script_json
from ..network import cap, project
from ..query import valid_iri
from .entity import Entity, Reader, fetch, ontology
from .pages import entity_href, iri_of, render

MAX_NODES = 150  # entities drawn in the neighbourhood, the best connected kept


def segments(sentence: str, marks: tuple[str, ...] | str) -> list[tuple[str, bool]]:
    """The sentence in pieces, ``True`` for the pieces to mark (the first place each of
    ``marks`` occurs, in any case, where it overlaps no earlier mark)."""
    marks = (marks,) if isinstance(marks, str) else marks
    spans: list[tuple[int, int]] = []
    folded = sentence.casefold()
    same = len(folded) == len(sentence)  # then a place in the folded text is one in the sentence
    for mark in marks:
        mark = mark.casefold() if same else mark
        at = (folded if same else sentence).find(mark) if mark else -1
        if at >= 0 and all(at >= e or at + len(mark) <= s for s, e in spans):
            spans.append((at, at + len(mark)))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            out.append((sentence[pos:start], False))
        out.append((sentence[start:end], True))
        pos = end
    if pos < len(sentence) or not out:
        out.append((sentence[pos:], False))
    return out


def neighbourhood(graph, iri: str, label: str):
    """The graph view of the entity's graph (None when the entity is no node of it: an
    article, a statement)."""
    from ..viz import page_data, view_parts

    g = project(KnowledgeGraph(asserted=graph, ontology=ontology()))
    if iri not in g:
        return None
    g.nodes[iri]["focus"] = True
    total = g.number_of_nodes()
    g, left_out = cap(g, MAX_NODES)
    note = (f"Showing the {g.number_of_nodes()} best connected of {total} entities around it."
            if left_out else "")
    data = page_data(g, title=f"{label} and its neighbours", note=note, total_nodes=total)
    data["source"] = ""
    return view_parts(data)


def page(engine, base: str, path: str) -> tuple[int, str]:
    """(status, HTML) of the page of the entity at ``/entity/PATH``."""
    iri = iri_of(base, path)
    href = entity_href(base)
    if not path or not valid_iri(iri):
        return 404, render("message.html", title="No such entity", q="",
                           message=f"{iri} is not an IRI this graph could hold.")
    graph = fetch(engine, iri)
    entity: Entity = Reader(graph, iri, href).read()
    if not entity.found:
        return 404, render("message.html", title="No such entity", q="",
                           message=f"The graph holds nothing about {iri}. Find an entity by its name or alias "
                                   "with the box at the top of the page.")
    view = neighbourhood(graph, iri, entity.label)
    return 200, render("entity.html", title=entity.label, e=entity, view=view, segments=segments, q="",
                       data=script_json({"base": base}), nav="browse")
