"""Dates as news text writes them, resolved to ISO 8601 against the publication date.

"October 29, 2020", "Feb. 25, 2022", "2020-09-25", "2022-08-01 09:07", "23 March 2021",
"On December 22" (the year from the anchor), "yesterday", "on Saturday" (the last one before
the anchor), "February 24 this year". Vague spans ("earlier this month") give None."""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from .lexicon import words

_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")  # "26.09.2024": day first, as dotted dates are


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(month-day-year, day-month-year, weekday or relative day) patterns, built once."""
    months = "|".join(sorted(words().months, key=len, reverse=True))
    mdy = re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
    dmy = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({months})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
    days = "|".join(list(words().weekdays) + list(words().relative_days))
    rel = re.compile(rf"\b({days})\b", re.I)
    return mdy, dmy, rel


@lru_cache(maxsize=1)
def _dateline_pattern() -> re.Pattern:
    months = "|".join(sorted(words().months, key=len, reverse=True))
    return re.compile(rf"(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){{0,3}}|[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}})"
                      rf"(?:,\s+(?i:{months})\.?\s+\d{{1,2}}(?:,\s+\d{{4}})?)?"
                      r"(?:\s*\([^()\n]{1,60}\))?\s*(?:--?|–|—)[ \t]+(?=[A-Z\"“])")


def dateline(text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """A wire dateline at ``start`` ("HONG KONG, Oct 24 -", "Lagos, March 3 (Wire) --",
    "BEIJING --"), its group "place"; a place in title case needs the date ("Lagos - " is
    prose)."""
    m = _dateline_pattern().match(text, start, len(text) if end is None else end)
    if not m or not m["place"].isupper() and "," not in m[0]:
        return None
    return m


def _safe(y: int, m: int, d: int) -> str | None:
    """An ISO date, or None for an impossible one (February 30)."""
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def full_date(text: str) -> str | None:
    """The first date with day, month and year in ``text``, as ISO, else None."""
    found = date_span(text)
    return found[0] if found else None


def date_span(text: str) -> tuple[str, int, int] | None:
    """The first date with day, month and year in ``text``: (ISO date, start, end), else None."""
    found = []
    m = _ISO.search(text)
    if m:
        found.append((m.start(), m.end(), _safe(int(m[1]), int(m[2]), int(m[3]))))
    m = _DOTTED.search(text)
    if m:
        found.append((m.start(), m.end(), _safe(int(m[3]), int(m[2]), int(m[1]))))
    mdy, dmy, _ = _patterns()
    months = words().months
    for m in mdy.finditer(text):
        if m[3]:
            found.append((m.start(), m.end(), _safe(int(m[3]), months[m[1].lower()], int(m[2]))))
            break
    for m in dmy.finditer(text):
        if m[3]:
            found.append((m.start(), m.end(), _safe(int(m[3]), months[m[2].lower()], int(m[1]))))
            break
    found = [f for f in found if f[2]]
    if not found:
        return None
    start, end, iso = min(found)
    return iso, start, end


def resolve(text: str, anchor: str | None, default_year: int | None = None) -> str | None:
    """Resolve a date expression (a sentence or a DATE entity) against the anchor date.

    Returns None when the text gives no day or when a relative day has no anchor."""
    iso = full_date(text)
    if iso:
        return iso
    anchor_d = date.fromisoformat(anchor) if anchor else None
    mdy, dmy, rel = _patterns()
    months = words().months
    year = anchor_d.year if anchor_d else default_year
    for pattern, mi, di in ((mdy, 1, 2), (dmy, 2, 1)):
        m = pattern.search(text)
        if m and year:
            lower = m[mi].lower()
            if lower == "may" and pattern is mdy and not re.match(r"May\b", m[0]):
                continue
            return _safe(year, months[lower], int(m[di]))
    m = rel.search(text)
    if m and anchor_d:
        word = m[1].lower()
        if word in words().relative_days:
            return (anchor_d + timedelta(days=words().relative_days[word])).isoformat()
        back = (anchor_d.weekday() - words().weekdays[word]) % 7 or 7
        return (anchor_d - timedelta(days=back)).isoformat()
    return None
