"""kg's own spaCy components, registered by name; each says what it reads and writes.

- ``kg_line_sentences`` (before the parser) reads token text and whitespace and writes
  ``Token.is_sent_start``: a news page's title, byline and date lines are sentences of their
  own, so the parser never glues a headline onto the first body sentence; and no sentence
  starts after a token that cannot end one.
- ``kg_mentions`` (after the NER) reads the tags, the parse and ``doc.ents`` and writes
  ``doc.spans["kg_person"]``, ``["kg_org"]``, ``["kg_event"]``, ``["kg_title"]`` and
  ``["kg_place"]`` and ``["kg_work"]``: the mentions extraction builds its entities from
  (see :mod:`.mentions`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


_ENDS = frozenset(".!?\"”’')»…")


@Language.component("kg_line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence at the first token after every line break, and nowhere the previous
    token cannot end one (a word, a comma): the parser then never cuts a name in two
    ("Yuan | Xiaoning, chairman of ..."); a line's wire dateline ("HONG KONG, Oct 24 -") is
    a sentence of its own."""
    from .dates import dateline

    text, cuts = doc.text, []
    starts: dict[int, bool] = {}  # token -> starts a sentence or not, written at the end
    for i, token in enumerate(doc[:-1]):
        if (i == 0 or "\n" in doc[i - 1].text_with_ws) and not token.is_space and token.text[:1].isupper():
            m = dateline(text, token.idx, min(len(text), token.idx + 120))
            cut = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand") if m else None
            if cut is not None:
                cuts.append(cut[0])
        nxt = doc[i + 1]
        if "\n" in token.text_with_ws and not token.is_space:
            starts[i + 1] = True
        elif token.is_space and "\n" in token.text and not nxt.is_space:
            starts[i + 1] = True
        elif not token.is_space and token.text[-1] not in _ENDS and not nxt.is_space:
            starts[i + 1] = False
        elif token.text == "." and i >= 1 and doc[i - 1].is_digit and len(doc[i - 1].text) <= 2 and (
                i < 2 or doc[i - 2].text in (";", ":", ",") or "\n" in doc[i - 2].text_with_ws) and not nxt.is_space:
            starts[i + 1] = False  # "1. Lakeport; 2. Norvale": a numbered item, not a sentence's end
    for token in cuts:
        starts[token.i] = True
    _set_sent_starts(doc, starts)
    return doc


def _set_sent_starts(doc: Doc, starts: dict[int, bool]) -> None:
    """``doc[i].is_sent_start = value`` for each item, in one array write: the attribute's
    setter checks the whole Doc for a parse on every call (quadratic in a long text)."""
    if not starts:
        return
    if doc.has_annotation("DEP"):  # as the setter would: a parsed Doc's sentences are the parse's
        doc[next(iter(starts))].is_sent_start = True  # raises spaCy's E043
    import numpy
    from spacy.attrs import SENT_START

    column = doc.to_array([SENT_START]).astype(numpy.int64)
    for i, value in starts.items():
        column[i] = 1 if value else -1
    doc.from_array([SENT_START], column.astype(numpy.uint64))


@Language.component("kg_mentions")
def find_mentions(doc: Doc) -> Doc:
    """Tag the people, organisations, events, titles and places of the article."""
    from .mentions import tag

    tag(doc)
    return doc


def add_to(nlp: Language) -> None:
    """Add kg's components to a loaded pipeline (idempotent)."""
    if "kg_line_sentences" not in nlp.pipe_names:
        nlp.add_pipe("kg_line_sentences", before="parser")
    if "kg_mentions" not in nlp.pipe_names:
        nlp.add_pipe("kg_mentions", last=True)
