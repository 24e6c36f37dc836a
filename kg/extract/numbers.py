"""Numbers as news text writes them: "86.4 billion yuan", "US$12.8 billion", "RMB3 billion",
"about 40 percent", "Thirty-two", "(8120 points)", "10th".

A single left-to-right pass over a spaCy Doc's tokens finds every quantity with its unit and
hedge; deciding which of them are facts about a subject is :mod:`kg.extract.metrics`' job.
The word lists live in ``lexicon/`` (currencies.json, metrics_scales.json,
metrics_words.json) and are read on first use, never at import time.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Unit

_LEXICON = Path(__file__).with_name("lexicon")
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_YEARISH = re.compile(r"^(1[89]|20)\d\d$")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)


@dataclass(frozen=True)
class Lexicon:
    """The generic word lists, loaded once."""

    prefixes: dict[str, str]  # "US$" -> "USD"
    currency_words: dict[tuple[str, ...], str]  # ("hong", "kong", "dollars") -> "HKD"
    scales: dict[str, float]
    suffixes: dict[str, float]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    hedges: tuple[tuple[str, ...], ...]  # longest first
    percent: tuple[tuple[str, ...], ...]
    points: frozenset[str]
    points_translated: frozenset[str]
    words: dict  # the rest of metrics_words.json, by key
    glued: re.Pattern  # currency prefix glued to a number: "RMB3", "HK$2.35", "$300m"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Read the lexicon files (cached)."""
    cur = json.loads((_LEXICON / "currencies.json").read_text(encoding="utf-8"))
    scales = json.loads((_LEXICON / "metrics_scales.json").read_text(encoding="utf-8"))
    words = json.loads((_LEXICON / "metrics_words.json").read_text(encoding="utf-8"))
    prefixes = cur["prefixes"]
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    suffixes = "|".join(re.escape(s) for s in sorted(scales["suffixes"], key=len, reverse=True))
    glued = re.compile(rf"^({alternatives})?(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?({suffixes}|%)?$")

    def phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
        split = {tuple(_split(p)) for p in items}
        return tuple(sorted(split, key=len, reverse=True))

    return Lexicon(
        prefixes=prefixes,
        currency_words={tuple(_split(w)): code for w, code in cur["words"].items()},
        scales={k: float(v) for k, v in scales["words"].items()},
        suffixes={k: float(v) for k, v in scales["suffixes"].items()},
        numbers=words["numbers"], ordinals=words["ordinals"],
        hedges=phrases(words["hedges"]), percent=phrases(words["percent"]),
        points=frozenset(words["points"]), points_translated=frozenset(words["points_translated"]),
        words=words, glued=glued,
    )


def _split(phrase: str) -> list[str]:
    return re.findall(r"[\w$%€£¥.']+|[^\w\s]", phrase.lower())


@dataclass
class Quantity:
    """A number in the text with its unit. Token indices are Doc indices, ``end`` exclusive."""

    start: int  # first token, hedge included
    num_start: int  # first token of the number itself (or of its currency sign)
    end: int
    value: float
    unit: Unit
    approximate: bool
    text: str
    bare: bool = False  # a plain number with no unit word: a count only if it quantifies a noun
    points: bool = False  # "0.5 percentage points": a change of a percentage, not a share


def word_number(doc, i: int) -> tuple[float, int] | None:
    """A number written in words at token i ("seven", "Thirty-two"): (value, end)."""
    lex = lexicon()
    low = doc[i].lower_
    if low in lex.numbers and low != "dozen":
        value = lex.numbers[low]
        if 20 <= value <= 90 and i + 2 < len(doc) and doc[i + 1].text == "-" \
                and doc[i + 2].lower_ in lex.numbers and lex.numbers[doc[i + 2].lower_] < 10:
            return value + lex.numbers[doc[i + 2].lower_], i + 3
        return float(value), i + 1
    return None


def ordinal_value(token) -> int | None:
    """1 for "first" or "1st", 10 for "tenth" or "10th"; None otherwise ("top" is not one)."""
    low = token.lower_
    if low != "top" and low in lexicon().ordinals:
        return lexicon().ordinals[low]
    m = _ORDINAL.match(low)
    return int(m.group(1)) if m else None


def _number_at(doc, i: int) -> tuple[float, str | None, int] | None:
    """The number starting at token i: (value, currency from a glued or separate prefix, end)."""
    lex = lexicon()
    currency, text = None, doc[i].text
    if text in lex.prefixes and i + 1 < len(doc):
        currency, i, text = lex.prefixes[text], i + 1, doc[i + 1].text
    m = lex.glued.match(text)
    if m and not (m.group(1) and currency):
        if m.group(1):
            currency = lex.prefixes[m.group(1)]
        value = float(m.group(2).replace(",", "") + (m.group(3) or ""))
        suffix = m.group(4)
        if suffix == "%":
            return value, "%", i + 1
        if suffix:
            value *= lex.suffixes[suffix]
        end = i + 1
    elif currency is None and (w := word_number(doc, i)):
        value, end = w
    else:
        return None
    if end < len(doc) and doc[end].lower_ in lex.scales and not (
            doc[end].lower_ in ("m", "k") and doc[end].whitespace_ == "" and end + 1 < len(doc)
            and doc[end + 1].is_alpha):
        value *= lex.scales[doc[end].lower_]
        end += 1
    return value, currency, end


def _phrase_at(lows: list[str], i: int, phrases) -> int:
    """Length of the first phrase (lower-cased token tuple) matched at token i, else 0."""
    for phrase in phrases:
        n = len(phrase)
        if tuple(lows[i:i + n]) == phrase:
            return n
    return 0


def _hedge_before(lows: list[str], i: int, floor: int) -> int:
    """Start of a hedge ("more than", "about") ending just before token i, else i."""
    for phrase in lexicon().hedges:
        n = len(phrase)
        if i - n >= floor and tuple(lows[i - n:i]) == phrase:
            return i - n
    return i


def _may_start(text: str, low: str, lex: Lexicon) -> bool:
    """A cheap test before parsing: a digit, a currency sign or a number word."""
    return text[:1].isdigit() or text in lex.prefixes or low in lex.numbers or bool(lex.glued.match(text))


def scan(doc) -> list[Quantity]:
    """Every quantity in the Doc, in order: money, percentages, points and bare numbers."""
    lex = lexicon()
    texts = [t.text for t in doc]
    lows = [t.lower() for t in texts]
    found: list[Quantity] = []
    i, n = 0, len(doc)
    while i < n:
        if (fraction := _fraction_at(doc, lows, i)) is not None:
            value, end = fraction
            start = _hedge_before(lows, i, doc[i].sent.start)
            found.append(Quantity(start, i, end, value, Unit.PERCENT, start < i, doc[start:end].text))
            i = end
            continue
        if not _may_start(texts[i], lows[i], lex) or (parsed := _number_at(doc, i)) is None:
            i += 1
            continue
        value, currency, end = parsed
        unit, bare, points = None, False, False
        if currency == "%":
            unit = Unit.PERCENT
        elif currency:
            unit = Unit(currency)
            if k := _phrase_at(lows, end, lex.currency_words):
                end += k  # "US$5 billion dollars": keep the word in the span
        elif k := _phrase_at(lows, end, lex.currency_words):
            unit, end = Unit(lex.currency_words[tuple(lows[end:end + k])]), end + k
        elif k := _phrase_at(lows, end, lex.percent):
            points = end + k < n and lows[end + k] in ("point", "points")
            unit, end = Unit.PERCENT, end + k + points  # percentage points: a change, kept as such
        elif end < n and lows[end] in lex.points:
            unit, end = Unit.POINTS, end + 1
        elif end < n and lows[end] in lex.points_translated and _scored_sentence(doc, end):
            unit, end = Unit.POINTS, end + 1
        elif _scored(doc, i, end):
            unit = Unit.POINTS
        else:
            unit, bare = Unit.COUNT, True
        start = _hedge_before(lows, i, doc[i].sent.start)
        found.append(Quantity(start, i, end, value, unit, start < i, doc[start:end].text, bare, points))
        i = end
    return found


def _small(doc, low: str, i: int, most: int) -> int | None:
    """A whole number from 1 to ``most`` in the one token i, in words or digits ("four", "10")."""
    word = word_number(doc, i)
    value = int(word[0]) if word and word[1] == i + 1 else int(low) if doc[i].is_digit and len(low) <= 3 else None
    return value if value is not None and 1 <= value <= most else None


def _fraction_at(doc, lows: list[str], i: int) -> tuple[float, int] | None:
    """A fraction in words at token i, as a percentage, and where it ends: "one in four" (25),
    "a third" / "two-fifths" / "six tenth" (of something, or ending the clause), "half" after a
    hedge or before "of" ("more than half", "half of the firms"). Not an ordinal: "a third
    edition", "the third forum", "the first half of 2023", "in the second quarter"."""
    n, fractions = len(doc), lexicon().words["fractions"]
    low = lows[i]
    if low in ("half", "halves"):
        hedged = _hedge_before(lows, i, doc[i].sent.start) < i
        before = lows[i - 1] if i > 0 else ""
        of_what = i + 2 < n and lows[i + 1] == "of" and not _timely(doc, i + 2)
        if hedged or of_what and before not in lexicon().ordinals and before != "the":
            return 50.0, i + 1
        return None
    num = 1 if low in ("a", "an") else _small(doc, low, i, 9)
    if num is None or i + 2 >= n:
        return None
    if lows[i + 1] == "in" and low not in ("a", "an"):  # "one in four", "fewer than 1 in 10"
        den = _small(doc, lows[i + 2], i + 2, 100)
        return (round(100.0 * num / den, 2), i + 3) if den and den > num else None
    j = i + 1 + (doc[i + 1].text == "-" and doc[i + 1].whitespace_ == "")
    den = fractions.get(lows[j])
    if den is None or den <= num or j + 1 < n and (doc[j + 1].pos_ in ("NOUN", "PROPN", "ADJ", "NUM")
                                                    or _timely(doc, j + 2) and lows[j + 1] == "of"):
        return None  # "a third round", "one quarter of 2024"
    return round(100.0 * num / den, 2), j + 1


def _timely(doc, k: int) -> bool:
    """Token k (after "of", maybe after "the"/"this") is a time or a year: "half of the year"."""
    if k < len(doc) and doc[k].lower_ in ("the", "this", "that", "last", "next"):
        k += 1
    return k < len(doc) and (doc[k].lower_ in lexicon().words["time_nouns"] or bool(_YEARISH.match(doc[k].text)))


def _scored(doc, i: int, end: int) -> bool:
    """A score written without "points": "a score of 89.5", "scored the highest rank of 77.18",
    "(85.2)" or a decimal ("taking home 59.52") in a sentence that gives scores."""
    sent = doc[i].sent
    if i >= 2 and doc[i - 2].lower_ == "out" and doc[i - 1].lower_ == "of" or not doc[i].text[:1].isdigit():
        return False  # "a score out of 100": the scale, not a score; "three benchmarks": no score in words
    if any(t.lemma_.lower() == "score" for t in doc[max(i - 5, sent.start):i]):
        return True
    parenthesised = i > 0 and doc[i - 1].text == "(" and end < len(doc) and doc[end].text == ")"
    decimal = "." in doc[i].text and end == i + 1
    if parenthesised or decimal:
        return any(t.lemma_.lower() in ("score", "point") for t in sent) or decimal and _listed_score(doc, i)
    return False


BULLETS = ("-", "•", "*", "–", "·", "▪")  # what opens a line of a bulleted list


def line_start(doc, i: int) -> int:
    """The first token of the line token i is on."""
    while i > 0 and "\n" not in doc[i - 1].text_with_ws:
        i -= 1
    return i


def numbered_item(doc, k: int) -> int | None:
    """The number of a numbered-list item starting at token k ("3. Lakeport - 86.71"), if it is one."""
    if k + 1 < len(doc) and doc[k].is_digit and len(doc[k].text) <= 2 and doc[k + 1].text in (".", ")"):
        return int(doc[k].text)
    return None


def unit_word(low: str) -> bool:
    """A scale or the first word of a currency ("billion", "euros", "yuan"): part of an amount."""
    lex = lexicon()
    return low in lex.scales or any(c[0] == low for c in lex.currency_words)


def _listed_score(doc, i: int) -> bool:
    """A decimal that ends an item of a numbered list under a heading that speaks of scores
    ("Top 10 cities, 2025 (score out of 100)", then "1. Rivertown - 92.46")."""
    start = line_start(doc, i)
    if numbered_item(doc, start) is None or i + 1 < len(doc) and "\n" not in doc[i].text_with_ws and not doc[i + 1].is_space:
        return False
    for _ in range(40):  # up the list to the line above it
        if start == 0:
            return False
        start = line_start(doc, start - 1)
        while start > 0 and doc[start].is_space:
            start = line_start(doc, start - 1)
        if numbered_item(doc, start) is None:
            break
    end = start
    while end < len(doc) and "\n" not in doc[end].text_with_ws:
        end += 1
    return any(t.lemma_.lower() in ("score", "point") for t in doc[start:end + 1])


def _scored_sentence(doc, i: int) -> bool:
    """Token i ("minutes") sits in parentheses in a sentence that scores others in points:
    a literal translation of a score ("Rivertown (8120 points) and Lakeport (7705 minutes)")."""
    sent = doc[i].sent
    if not (i + 1 < len(doc) and doc[i + 1].text == ")" and doc[i - 2].text == "("):
        return False
    return any(t.lower_ in lexicon().points for t in sent)
