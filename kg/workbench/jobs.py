"""What a ``kg serve`` worker does for the workbench (kg.serve_work calls it): render the
pages that read the graph (an entity's page, the search) under the same slots and time limit
as any query, and warm up what they need before the workers are forked."""
from __future__ import annotations

from .pages import env, render


def render_page(engine, job) -> tuple[int, str, bytes]:
    """The reply (status, content type, body) for a page job: ``entity`` (params: path) or ``search`` (params: q)."""
    from . import entity_page, search

    params = dict(job.params)
    base = engine.resource_base()
    if job.page == "entity":
        status, html = entity_page.page(engine, base, params.get("path", ""))
    elif job.page == "search":
        status, html = search.page(engine, base, params.get("q", ""))
    else:
        status, html = 404, render("message.html", title="No such page", message=f"no page {job.page!r}")
    return status, "text/html; charset=utf-8", html.encode("utf-8")


def warm_up(engine) -> None:
    """Import, read and check now what the pages need: the loader does it once, before it
    forks the workers, which share it. With a graph's ``engine``, its queries are prepared
    too (rdflib takes longer to prepare them than to run them); without one (a store), they
    are checked."""
    from .. import viz  # noqa: F401 - imported to be shared (the neighbourhood view)
    from ..store import check_once
    from . import entity, entity_page, search  # noqa: F401

    env()
    entity.ontology()
    queries = [*entity.entity_queries(), search.search_query()]
    for named in queries:
        if engine is not None:
            params = {p.name: "urn:kg:none" if p.kind == "iri" else "" for p in named.params}
            engine.run_named(named, params, max_rows=None)
        else:
            check_once(named, {})
