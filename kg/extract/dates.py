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
    r"(?:(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?|(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\5\s*(\d{4}))?)"
    r"(?![\d/.-]*\d)"
    r"|(?:trong|trước|cuối|hết)\s+tháng\s+(\d{1,2})(?:\s*/\s*|\s+năm\s+)(\d{4})", re.I)
# "trong Quý II/2026", "hoàn thành Quý IV năm 2025": the last day of the quarter
_QUARTER = re.compile(r"(?:trong|trước|hết|cuối|hoàn thành(?: trong)?|trong)\s+[Qq]uý\s+(IV|III|II|I|[1-4])"
                      r"\s*(?:/|năm\s+)\s*(\d{4})")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRING = [(re.compile(r"(?:hằng|hàng)\s+năm|định kỳ năm", re.I), "yearly"),
              (re.compile(r"(?:hằng|hàng)\s+quý", re.I), "quarterly"),
              (re.compile(r"(?:hằng|hàng)\s+tháng", re.I), "monthly")]


def deadline(text: str, doc_year: int | None, doc_date: str | None = None) -> tuple[str | None, str | None]:
    """The deadline of a duty sentence and whether it recurs.

    Args:
        text: the sentence or bullet.
        doc_year: the year of the issuing document, used when the text gives
            only day and month ("trước ngày 30/10"); "... năm sau" is the year after.
        doc_date: the document's date (ISO): a day and month without a year that falls
            before it is next year's ("trước ngày 30/01" in a plan of November).

    Returns:
        (ISO date or None, "yearly"/"quarterly"/"monthly" or None).
    """
    value = None
    for m in _DEADLINE.finditer(text):
        g = m.groups()
        g = g[:4] + g[5:]  # without the separator of "28-10", "28/10"
        if g[6]:
            value = _last_day(int(g[7]), int(g[6]))
        else:
            day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            if m.group(0).lower().startswith("trong") and "ngày" not in m.group(0).lower():
                continue
            y = int(year) if year else doc_year
            if y and not year and re.match(r"\s*(?:của\s+)?năm\s+(?:sau|tiếp theo)\b", text[m.end():], re.I):
                y += 1  # "trước ngày 30 tháng 01 năm sau"
            elif y and not year and doc_date and (iso(int(day), int(month), y) or doc_date) < doc_date:
                y += 1  # a day already past when the document was issued: its next occurrence
            if y:
                value = iso(int(day), int(month), y)
        if value:
            break
    if value is None:
        q = _QUARTER.search(text)
        if q:
            value = _last_day(int(q.group(2)), 3 * _QUARTERS[q.group(1)])
    recurring = None
    for rx, name in _RECURRING:
        rm = rx.search(text)
        if rm and (value or re.search(r"định kỳ\s*$", text[:rm.start()], re.I) or
                  re.search(r"báo cáo", text[max(0, rm.start() - 80):rm.end() + 40], re.I)):
            recurring = name
            break
    return value, recurring


def _last_day(year: int, month: int) -> str | None:
    return iso(calendar.monthrange(year, month)[1], month, year) if 1 <= month <= 12 else None


# the forms a "Thời gian hoàn thành" cell or field takes, each to the last day it allows
_WHEN_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
                        re.I)
_WHEN_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})|(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?![\d/])", re.I)
_WHEN_QUARTER = re.compile(r"[Qq]uý\s+(IV|III|II|I|[1-4])\s*(?:/|năm)\s*(\d{4})")
_WHEN_HALF = re.compile(r"(6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})", re.I)
_WHEN_YEARS = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\d/])")
# "triển khai từ năm 2026", "từ 2026": a start, not a deadline
_STARTS = re.compile(r"(?:từ|kể từ|bắt đầu(?:\s+từ)?)\s+(?:ngày\s+)?$", re.I)
_WHEN_START = re.compile(r"(?:từ|bắt đầu|triển khai từ)\s+(?:năm\s+)?(?:19|20)\d{2}\s*$", re.I)


def when_deadline(cell: str, doc_year: int | None) -> tuple[str | None, str | None]:
    """The deadline written in a time cell or field ("Thời gian hoàn thành: Quý IV/2025").

    A cell holds the time alone, without "trước" or "trong": "31/12/2025",
    "Tháng 12/2025", "Quý IV/2025", "6 tháng đầu năm 2026", "Năm 2026", "2025 - 2026"
    (the last day of the last year), "Hằng năm" (recurring, no date), "Thường xuyên"
    (none).  The first time the cell gives is the deadline.

    Returns:
        (ISO date or None, "yearly"/"quarterly"/"monthly" or None).
    """
    text = cell.strip()
    recurring = next((name for rx, name in _RECURRING if rx.search(text)), None)
    found: list[tuple[int, str | None]] = []
    for m in _WHEN_DATE.finditer(text):
        g = [x for x in m.groups() if x is not None]
        v = iso(int(g[0]), int(g[1]), int(g[2]))
        if v and not _STARTS.search(text[:m.start()]):
            found.append((m.start(), v))
    taken = [(m.start(), m.end()) for m in _WHEN_DATE.finditer(text)]

    def free(m: re.Match) -> bool:
        return not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken)

    for rx, fn in ((_WHEN_HALF, lambda g: _last_day(int(g[2]), 6 if g[1].lower() == "đầu" else 12)),
                   (_WHEN_QUARTER, lambda g: _last_day(int(g[1]), 3 * _QUARTERS[g[0]])),
                   (_WHEN_MONTH, lambda g: _last_day(int(g[1] or g[3]), int(g[0] or g[2])))):
        for m in rx.finditer(text):
            if free(m):
                v = fn(m.groups())
                if v and not _STARTS.search(text[:m.start()]):
                    found.append((m.start(), v))
                    taken.append((m.start(), m.end()))
    for m in _WHEN_YEARS.finditer(text):
        if free(m) and not _WHEN_START.search(text[:m.end()]):
            found.append((m.start(), _last_day(int(m.group(2) or m.group(1)), 12)))
    if not found:
        if doc_year:  # "trước ngày 30/10" without a year: the document's year
            dm = re.search(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])", text)
            if dm and re.search(r"(?:trước|hạn|chậm nhất|ngày)\s*$", text[:dm.start()], re.I):
                v = iso(int(dm.group(1)), int(dm.group(2)), doc_year)
                if v:
                    return v, recurring
        return None, recurring
    return min(found)[1], recurring
