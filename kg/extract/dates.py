"""Vietnamese dates: "ngày 22 tháng 3 năm 2024", "ngày 10/4/2023", "trong tháng 6/2026"."""

from __future__ import annotations

import calendar
import re

DATE_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
DATE_SHORT = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
DATE_ANY = re.compile(DATE_LONG.pattern + "|" + r"(?:ngày\s+)?" + DATE_SHORT.pattern, re.I)


def iso(day: int, month: int, year: int) -> str | None:
    """ISO date string, or None when the parts are not a real date."""
    try:
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
            return None
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def first_date(text: str) -> tuple[str, int, int] | None:
    """The first full date in ``text`` as (iso, start, end), or None."""
    m = DATE_ANY.search(text)
    if not m:
        return None
    g = [x for x in m.groups() if x is not None]
    value = iso(int(g[0]), int(g[1]), int(g[2]))
    return (value, m.start(), m.end()) if value else None


_DEADLINE = re.compile(
    r"(?:trước|chậm nhất|muộn nhất|hạn chót|đến hết|trong)\s+(?:ngày\s+)?"
    r"(?:(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?|(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?)"
    r"|(?:trong|trước|cuối|hết)\s+tháng\s+(\d{1,2})(?:\s*/\s*|\s+năm\s+)(\d{4})", re.I)
# "trong Quý II/2026", "hoàn thành Quý IV năm 2025": the last day of the quarter
_QUARTER = re.compile(r"(?:trong|trước|hết|cuối|hoàn thành(?: trong)?|trong)\s+[Qq]uý\s+(IV|III|II|I|[1-4])"
                      r"\s*(?:/|năm\s+)\s*(\d{4})")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRING = [(re.compile(r"(?:hằng|hàng)\s+năm|định kỳ năm", re.I), "yearly"),
              (re.compile(r"(?:hằng|hàng)\s+quý", re.I), "quarterly"),
              (re.compile(r"(?:hằng|hàng)\s+tháng", re.I), "monthly")]


def deadline(text: str, doc_year: int | None) -> tuple[str | None, str | None]:
    """The deadline of a duty sentence and whether it recurs.

    Args:
        text: the sentence or bullet.
        doc_year: the year of the issuing document, used when the text gives
            only day and month ("trước ngày 30/10").

    Returns:
        (ISO date or None, "yearly"/"quarterly"/"monthly" or None).
    """
    value = None
    for m in _DEADLINE.finditer(text):
        g = m.groups()
        if g[6]:
            year, month = int(g[7]), int(g[6])
            if 1 <= month <= 12:
                value = iso(calendar.monthrange(year, month)[1], month, year)
        else:
            day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            if m.group(0).lower().startswith("trong") and "ngày" not in m.group(0).lower():
                continue
            y = int(year) if year else doc_year
            if y:
                value = iso(int(day), int(month), y)
        if value:
            break
    if value is None:
        q = _QUARTER.search(text)
        if q:
            month, year = 3 * _QUARTERS[q.group(1)], int(q.group(2))
            value = iso(calendar.monthrange(year, month)[1], month, year)
    recurring = None
    for rx, name in _RECURRING:
        m = rx.search(text)
        if m and (value or re.search(r"định kỳ\s*$", text[:m.start()], re.I) or
                  re.search(r"báo cáo", text[max(0, m.start() - 80):m.end() + 40], re.I)):
            recurring = name
            break
    return value, recurring
