"""Extraction: one article's text in, an :class:`~kg.model.ArticleExtraction` out.

A pure function of the article: no IRIs, no global state beyond the loaded spaCy pipeline.
The steps, each one module:

- :mod:`.components` registers kg's spaCy components: ``kg_line_sentences`` (lines are
  sentences) and ``kg_mentions`` (titles, people, names, event phrases as span groups, by
  :mod:`.mentions`, :mod:`.names` and :mod:`.phrases`);
- :mod:`.header`: title, bylines, publication date, navigation residue (:mod:`.dates`
  resolves dates against it);
- :mod:`.entities`: the per-article registry, acronyms both ways, surnames, short names;
- :mod:`.affiliations`: who holds which post where;
- :mod:`.events` and :mod:`.roles`: events, their parents, dates and places, and who took
  part or organised, with what role;
- :mod:`.metrics`: the figures the article reports.

Every word list is a data file in ``lexicon/`` (:mod:`.lexicon`), read on first use."""
from __future__ import annotations

import hashlib

from ..model import ArticleExtraction, Kind
from . import affiliations, entities, events, header as header_mod
from .metrics import find_observations
from .pipeline import load_nlp
from .registry import EntityRegistry

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
    text = doc.text
    head = header_mod.parse(text)
    registry = EntityRegistry()
    index = entities.build(doc, head, registry)
    affs = affiliations.find(doc, head, registry, index)
    parts = events.find(doc, head, registry, index)
    observations = find_observations(doc, registry, head.published)
    authors = [registry.find(b.name, Kind.PERSON) for b in head.bylines]
    return ArticleExtraction(
        article=article,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=head.title,
        published=head.published,
        text_length=len(text),
        entities=registry.entities(),
        affiliations=affs,
        participations=parts,
        observations=observations,
        authors=[a for a in authors if a],
    )
