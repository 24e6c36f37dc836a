"""Text that is safe inside the ``<script>`` and ``<style>`` elements of kg's pages (the graph
page, the workbench of ``kg serve``): data as JSON that no string in it can end, and library
code inlined so that it cannot end its element either."""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def script_json(data: Any) -> Markup:
    """JSON that is safe inside an inline ``<script>``: ``<``, ``>``, ``&`` and the JavaScript
    line separators are escaped, so no string in the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def inline(text: str, element: str) -> Markup:
    """Library code to inline in a ``<script>`` or ``<style>`` element: ``</`` sequences that
    could close the element are written ``<\\/``, and ``<!--`` (which puts an HTML parser in
    a script's "escaped" state) ``<\\!--``; both are the same text inside JavaScript and CSS
    strings, where such sequences occur."""
    if f"</{element}" in text.lower():
        text = text.replace("</", "<\\/")
    if "<!--" in text:
        text = text.replace("<!--", "<\\!--")
    return Markup(text)
