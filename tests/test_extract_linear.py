"""Extraction stays linear in the article's length: look-ups by sentence answer exactly what
the whole-Doc scans they replace answered (speed itself is measured in benchmarks/, never
timed here)."""
from __future__ import annotations

from kg.extract import extract
from kg.extract.buckets import EntsWithin, SpansBySentence
from kg.extract.entity_index import TokenIndex

TEXT = ("Forum opens in Lakeport\n\nThe 2023 Lakeport Fintech Forum opened in Lakeport on June 5, 2023. "
        "Ilse Varga, president of Harbor University, spoke at the forum on Monday. "
        "On June 6 the Harbor Bank and the Lakeport Capital Group signed an agreement in Berlin. "
        "More than 300 guests from China, Germany and Kenya attended.")


def test_ents_within_is_span_ents_for_every_range(nlp):
    doc = nlp(TEXT)
    assert len(doc.ents) >= 5
    index = EntsWithin(doc)
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert [(e.start, e.end, e.label_) for e in index.within(start, end)] == \
                   [(e.start, e.end, e.label_) for e in doc[start:end].ents], (start, end)


class _Sent:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def test_spans_by_sentence_is_the_filter_and_sees_later_spans():
    sentences = [_Sent(0, 5), _Sent(7, 12), _Sent(12, 20)]  # tokens 5 and 6 in no sentence
    spans = [(8, 9, "a"), (0, 2, "b"), (5, 6, "c"), (12, 14, "a"), (11, 12, "d"), (3, 4, "a"), (25, 26, "x")]
    by = SpansBySentence(spans, sentences)

    def expected(i):
        return [x for x in spans if sentences[i].start <= x[0] < sentences[i].end]
    assert [by.of(i) for i in range(3)] == [expected(i) for i in range(3)]
    spans.append((1, 3, "e"))  # a token index only appends; the buckets catch up
    spans.append((19, 20, "f"))
    assert [by.of(i) for i in range(3)] == [expected(i) for i in range(3)]
    assert by.of(0)[-1] == (1, 3, "e")


def test_token_index_span_of_takes_the_widest_first_recorded_mention():
    index = TokenIndex([None] * 10)
    index.mark(2, 4, "p")
    index.mark(0, 5, "o")  # "o" takes only the tokens nobody owned
    index.mark(2, 5, "p", override=True)
    index.mark(6, 8, "q")
    assert index.span_of(3) == (2, 5, "p")
    assert index.span_of(0) == (0, 5, "o")
    index.mark(6, 9, "q", override=True)  # recorded after the first look-up
    assert index.span_of(7) == (6, 9, "q")
    assert index.span_of(9) is None


def test_a_repeated_mention_is_kept_once_per_place(nlp):
    sentence = "Ilse Varga, president of Harbor University, spoke at the 2023 Lakeport Fintech Forum. "
    result = extract("Report\n\n" + sentence * 40, "r.txt", nlp)
    varga = [e for e in result.entities if e.name == "Ilse Varga"]
    assert len(varga) == 1
    starts = [m.start for m in varga[0].mentions]
    assert len(starts) == len(set(starts)) == 40
