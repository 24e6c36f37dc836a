"""Extraction: one article's text in, an :class:`~kg.model.ArticleExtraction` out.

A pure function of the article: no IRIs, no global state beyond the loaded spaCy pipeline.

- :mod:`.components` registers kg's spaCy components: ``kg_line_sentences`` (lines are
  sentences) and ``kg_mentions`` (titles, people, names, event phrases as span groups, by
  :mod:`.mentions`, :mod:`.names` and :mod:`.phrases`);
- then :data:`.steps.STEPS` run in order over one :class:`.steps.Article`: header, entities,
  affiliations, events, participation, metrics, sub-organisations, each a named function
  that says what it reads and adds.

The generic word lists are data files in ``lexicon/`` (:mod:`.lexicon`), read on first use;
only a few small closed sets (punctuation, connectors, :data:`.suborgs.UNIT_WORDS`) sit in
the code beside their one reader."""
from __future__ import annotations

import hashlib

from ..model import ArticleExtraction, Kind
from . import steps
from .pipeline import load_nlp

__all__ = ["extract", "extract_doc", "load_nlp"]


def extract(text: str, article: str, nlp=None) -> ArticleExtraction:
    """Extract entities, affiliations, participations and observations from one article."""
    nlp = nlp or load_nlp()
    return extract_doc(nlp(text), article)


def extract_doc(doc, article: str) -> ArticleExtraction:
    """Extract from an already parsed spaCy Doc (for ``nlp.pipe`` over many articles)."""
    if "kg_person" not in doc.spans:  # parsed by a pipeline without kg's components
        from .mentions import tag

        tag(doc)
    state = steps.run(steps.Article(doc, article))
    head, registry = state.header, state.registry
    assert head is not None
    authors = [registry.find(b.name, Kind.PERSON) for b in head.bylines]
    return ArticleExtraction(
        article=article,
        sha256=hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        title=head.title,
        published=head.published,
        text_length=len(doc.text),
        entities=registry.entities(),
        affiliations=state.affiliations,
        participations=state.participations,
        observations=state.observations,
        authors=[a for a in authors if a],
    )
