"""The workbench's pages that read the graph (an entity's page, the search), rendered in a
``kg serve`` worker under the same slots and time limit as any query (kg.serve_work runs
:func:`kg.workbench.jobs.render_page` for a job with a ``page``), and what all the workbench's pages share: the
templates (kg/workbench/templates, autoescaped: every string from an article is text) and the
links to entity pages."""
from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FunctionLoader

from .. import io
from ..htmlsafe import inline

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SAFE_PATH = "/-._~"  # characters of a minted IRI's path that stay as they are in a link


def template_text(name: str) -> str:
    """A file of kg/workbench/templates (shipped inside the package)."""
    return io.read_text(TEMPLATES / name)


@lru_cache(maxsize=1)
def env() -> Environment:
    e = Environment(loader=FunctionLoader(template_text), autoescape=True, keep_trailing_newline=True)
    e.globals["style"] = lambda: inline(template_text("workbench.css"), "style")
    e.globals["script"] = lambda name: inline(template_text(name), "script")
    return e


def render(name: str, **values) -> str:
    return env().get_template(name).render(**values)


def entity_href(base: str) -> Callable[[str], str | None]:
    """``/entity/PATH`` for an IRI the build minted (``base`` + PATH), None for any other."""
    def href(iri: str) -> str | None:
        if not base or not iri.startswith(base) or len(iri) == len(base):
            return None
        return "/entity/" + urllib.parse.quote(iri[len(base):], safe=_SAFE_PATH)
    return href


def iri_of(base: str, path: str) -> str:
    """The IRI an ``/entity/PATH`` address names (PATH as it came in the request line)."""
    return base + urllib.parse.unquote(path)
