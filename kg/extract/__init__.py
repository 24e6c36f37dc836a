"""Extraction: one article's text in, an :class:`~kg.model.ArticleExtraction` out.

A pure function of the article: no IRIs, no global state beyond the loaded spaCy pipeline."""
from __future__ import annotations

import hashlib

from ..model import ArticleExtraction, Kind, Span
from .pipeline import load_nlp
from .registry import EntityRegistry

__all__ = ["extract", "extract_doc", "load_nlp"]

_KINDS = {"PERSON": Kind.PERSON, "ORG": Kind.ORGANIZATION, "GPE": Kind.PLACE}


def extract(text: str, article: str, nlp=None) -> ArticleExtraction:
    """Extract entities, affiliations, participations and observations from one article."""
    nlp = nlp or load_nlp()
    return extract_doc(nlp(text), article)


def extract_doc(doc, article: str) -> ArticleExtraction:
    """Extract from an already parsed spaCy Doc (for ``nlp.pipe`` over many articles)."""
    text = doc.text
    registry = EntityRegistry()
    for ent in doc.ents:
        kind = _KINDS.get(ent.label_)
        if kind is None:
            continue
        sent = ent.sent
        registry.add(kind, ent.text, Span(ent.start_char, ent.end_char, sent.text, sent.start_char))
    title = text.strip().splitlines()[0].strip() if text.strip() else ""
    return ArticleExtraction(
        article=article,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title,
        published=None,
        text_length=len(text),
        entities=registry.entities(),
    )
