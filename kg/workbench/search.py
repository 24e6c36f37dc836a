"""Finding an entity by any of its names (``/search?q=...``): the entities one of whose names
or aliases contains the text, any case, run as a query in a ``kg serve`` worker with the text
bound as an RDF literal; exact names first, then names that start with it, then the rest."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS

from .. import io, query
from ..network import NodeClass
from ..vocab import KGO
from .entity import ontology
from .pages import entity_href, render

MAX_SHOWN = 200  # entities listed
MAX_TEXT = 200  # characters of a search


@lru_cache(maxsize=1)
def search_query() -> query.NamedQuery:
    path = Path(__file__).resolve().parent / "queries" / "search.rq"
    return query.parse_header("search", path, io.read_text(path))


@dataclass
class Hit:
    label: str
    href: str | None
    kind: str
    matched: list[str]  # the aliases that matched, when the name itself did not


def _kind(types: set[URIRef]) -> str:
    """The ontology's label of the most specific of an entity's classes."""
    onto, best = ontology(), (-1, "")
    tops = {nc.term for nc in NodeClass} | {KGO.Article}
    for cls in types:
        ancestors = {cls} | set(onto.transitive_objects(cls, RDFS.subClassOf))
        if ancestors & tops and len(ancestors) > best[0]:
            best = (len(ancestors), str(onto.value(cls, RDFS.label) or cls))
    return best[1]


def find(engine, base: str, text: str) -> list[Hit]:
    """The entities one of whose names contains ``text`` (any case), best matches first."""
    answer = engine.run_named(search_query(), {"q": text}, max_rows=None)
    rows: dict[str, dict] = {}
    for row in answer.result.rows:
        hit = rows.setdefault(str(row["entity"]), {"label": str(row["label"]), "forms": set(), "types": set()})
        hit["forms"].add(str(row["form"]))
        hit["types"].add(row["type"])
    want, href = text.casefold(), entity_href(base)

    def rank(item) -> tuple:
        iri, hit = item
        names = [f.casefold() for f in hit["forms"]]
        return (0 if want in names else 1 if any(n.startswith(want) for n in names) else 2,
                hit["label"].casefold(), iri)

    out = []
    for iri, hit in sorted(rows.items(), key=rank):
        kind = _kind(hit["types"])
        if not kind:  # an ontology term, a statement: not an entity
            continue
        matched = sorted(f for f in hit["forms"] if f != hit["label"])
        matched = [] if want in hit["label"].casefold() else matched
        out.append(Hit(hit["label"], href(iri), kind, matched))
    return out


def page(engine, base: str, text: str) -> tuple[int, str]:
    """(status, HTML) of the search page for ``text`` (no search when it is blank)."""
    text = " ".join(text.split())[:MAX_TEXT]
    hits = find(engine, base, text) if text else []
    return 200, render("search.html", title=f"Find: {text}" if text else "Find an entity", q=text,
                       hits=hits[:MAX_SHOWN], total=len(hits), nav="browse", search_page=True)
