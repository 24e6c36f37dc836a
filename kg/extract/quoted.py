"""Event names in quotation marks: a capitalised title in quotes that a verb of holding makes
an event ('held "A Night of Ledgers", an exchange meeting') or that an event noun glosses ('the
forum "Ledgers Tomorrow"'). One pass over the Doc's quotation marks."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words

_OPEN = ('"', "“")
_CLOSE = ('"', "”")
_HOLD = ("hold", "host", "organize", "organise", "stage", "convene")  # not "launch": products are launched


def quoted_events(doc: Doc, lex: Words, covered: list[bool]) -> list[Span]:
    """Spans (inside the quotes) of quoted titles that name events."""
    out, quotes, n, i = [], [], len(doc), 0
    while i < n:
        if doc[i].text not in _OPEN:
            i += 1
            continue
        j = i + 1
        while j < n and j - i <= 12 and doc[j].text not in _CLOSE and "\n" not in doc[j].text:
            j += 1
        if j >= n or doc[j].text not in _CLOSE or j - i < 3 or not doc[i + 1].text[:1].isupper() \
                or any(covered[k] for k in range(i + 1, j)):
            i = j if j > i else i + 1
            continue
        quotes.append((i + 1, j))
        if _held(doc, i, j, lex):
            out.append(Span(doc, i + 1, j, label="Conference"))
        i = j + 1
    names = {sp.text for sp in out}  # the same title quoted elsewhere (the headline) is the event too
    out += [Span(doc, s, e, label="Conference") for s, e in quotes
            if doc[s:e].text in names and not any(sp.start == s for sp in out)]
    return sorted(out, key=lambda sp: sp.start)


def _held(doc: Doc, i: int, j: int, lex: Words) -> bool:
    """Whether the quote at tokens [i, j] (quotation marks included) is an event: the object of
    a verb of holding, or glossed by an event noun before or after it."""
    inside = doc[i + 1:j]
    root = inside.root
    if root.dep_ in ("dobj", "nsubjpass") and root.head.lemma_.lower() in _HOLD:
        return True
    if i > 0 and doc[i - 1].lower_ in lex.event_heads:
        return True  # 'the forum "Ledgers Tomorrow"'
    k = j + 1
    if k + 1 < len(doc) and doc[k].text == ",":
        k += 1
        while k < len(doc) and k - j < 6 and doc[k].is_lower and doc[k].lower_ not in lex.event_heads:
            k += 1
        return k < len(doc) and doc[k].lower_ in lex.event_heads  # '"X", an exchange meeting'
    return False
