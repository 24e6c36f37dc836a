"""Texts longer than spaCy takes in one piece: parsed in parts, joined back into one Doc.

spaCy refuses a text over ``nlp.max_length`` (E088), and its parser and NER need about 1 GB
of working memory per 100,000 characters. :func:`pipe_whole` cuts such a text where a
paragraph ends (:func:`kg.textin.split_for_parser`), parses the parts and joins them with
``Doc.from_docs``: the joined Doc's text is the original text character for character, so
entity, sentence and span-group offsets are offsets into the whole article."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..textin import split_for_parser

PART_CHARS = 20_000  # the parser's memory grows with the text: keep each part modest. At an
# 800,000-character article, parts of 100,000 characters took 74 s and 2.3 GB to parse, parts
# of 20,000 57 s and 0.73 GB (2 cores; benchmarks/RESULTS.md, "Long articles"). A text within
# one part is parsed whole, as before.


def part_limit(nlp, part_chars: int | None = None) -> int:
    """The longest part to hand spaCy: ``part_chars`` (default PART_CHARS), and never over
    ``nlp.max_length``."""
    return max(1, min(part_chars or PART_CHARS, nlp.max_length))


def pipe_whole(nlp, texts: Iterable[str], batch_size: int = 8,
               part_chars: int | None = None) -> Iterator:
    """Like ``nlp.pipe(texts)``: one Doc per text, in order, whatever the text's length."""
    limit = part_limit(nlp, part_chars)

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for index, text in enumerate(texts):
            parts = split_for_parser(text, limit) if len(text) > limit else [text]
            for i, part in enumerate(parts):
                yield part, (index, len(parts) - i - 1)  # parts still to come

    pending: list = []
    for doc, (_, left) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        pending.append(doc)
        if left:
            continue
        docs, pending = pending, []
        yield docs[0] if len(docs) == 1 else join(docs)


def join(docs: list):
    """One Doc of consecutive parts; its text is exactly the parts' texts joined. Span
    groups, entities and sentences carry over (spaCy shifts them); ``user_data`` entries
    that are lists of (start, end) token ranges (kg's components keep some there) are
    shifted here, since spaCy cannot know what they mean."""
    from spacy.tokens import Doc

    ranges: dict[str, list[tuple[int, int]]] = {}
    offset = 0
    for doc in docs:
        for key in [k for k, v in doc.user_data.items() if isinstance(k, str) and _token_ranges(v)]:
            ranges.setdefault(key, []).extend((s + offset, e + offset) for s, e in doc.user_data.pop(key))
        offset += len(doc)
    whole = Doc.from_docs(docs, ensure_whitespace=False)
    whole.user_data.update(ranges)
    expected = "".join(d.text for d in docs)
    if whole.text != expected:  # pragma: no cover - spaCy guarantees it; offsets depend on it
        raise ValueError("parts of a long text did not join back to the same text")
    return whole


def _token_ranges(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, tuple) and len(r) == 2 and all(isinstance(x, int) for x in r) for r in value)
