"""Look-ups by sentence that do not read the whole Doc each time (long articles stay linear).

- :class:`EntsWithin`: what ``doc[start:end].ents`` gives (spaCy's ``Span.ents`` walks all of
  ``doc.ents`` on every call), from one sorted list and a binary search.
- :class:`SpansBySentence`: a token index's mention spans by the sentence they start in, the
  same spans in the same order as filtering the whole list for each sentence."""
from __future__ import annotations

import bisect
from collections.abc import Sequence


class EntsWithin:
    """``doc.ents`` read once; :meth:`within` answers as ``doc[start:end].ents`` does."""

    def __init__(self, doc) -> None:
        self.ents = tuple(doc.ents)
        self.starts = [e.start for e in self.ents]

    def within(self, start: int, end: int) -> list:
        """The entities from the first that starts at or after ``start``, up to the first that
        does not end by ``end`` (spaCy's ``Span.ents``: entities are in token order)."""
        out = []
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.ents) and self.ents[i].end <= end:
            out.append(self.ents[i])
            i += 1
        return out


class SpansBySentence:
    """``[x for x in spans if sentences[i].start <= x[0] < sentences[i].end]`` for sentence
    ``i``, bucketed once. ``spans`` may grow while it is used (a token index only appends):
    new spans are bucketed on the next look-up. ``sentences`` are in order and disjoint."""

    def __init__(self, spans: list[tuple[int, int, str]], sentences: Sequence) -> None:
        self.spans = spans
        self.starts = [s.start for s in sentences]
        self.ends = [s.end for s in sentences]
        self.read = 0
        self.buckets: dict[int, list[tuple[int, int, str]]] = {}

    def of(self, i: int) -> list[tuple[int, int, str]]:
        """The spans that start in sentence ``i``, in the order they were recorded."""
        while self.read < len(self.spans):
            span = self.spans[self.read]
            self.read += 1
            k = bisect.bisect_right(self.starts, span[0]) - 1
            if k >= 0 and span[0] < self.ends[k]:
                self.buckets.setdefault(k, []).append(span)
        return list(self.buckets.get(i, ()))
