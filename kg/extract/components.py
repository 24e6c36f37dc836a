"""kg's own spaCy components, registered by name; each says what it reads and writes."""
from __future__ import annotations


def add_to(nlp) -> None:
    """Add kg's components to a loaded pipeline (idempotent)."""
    return None
