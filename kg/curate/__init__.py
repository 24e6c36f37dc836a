"""Curation: a YAML file that users edit to correct what extraction and resolution got
wrong (merge, split, rename or retype entities, drop an entity or a single fact), applied at
build time after resolution and before RDF. ``schema`` reads and checks the file; ``ops``
applies its entries to a copy of the resolution. The format: docs/curation.md."""
from __future__ import annotations

from ..errors import CurationError
from ..resolve import Resolution
from .ops import Editor
from .schema import FILE_NAMES, Action, Curation, CurationReport, Entry, find, load, parse

__all__ = ["FILE_NAMES", "Action", "Curation", "CurationError", "CurationReport", "Entry", "apply", "find",
           "load", "parse"]


def apply(curation: Curation, resolution: Resolution) -> tuple[Resolution, CurationReport]:
    """Apply a curation to a resolution; returns a new resolution (the input is not changed)
    and what was done."""
    editor = Editor(curation, resolution)
    for entry in curation.entries:
        editor.apply(entry)
    return editor.result(), editor.report
