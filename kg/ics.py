"""iCalendar (RFC 5545) for duties: one all-day VEVENT per duty with a deadline.

Used by the web explorer (``/viec-can-lam.ics``) and ``kg duties --format ics``.
Text values are escaped (backslash, semicolon, comma, newline: RFC 5545 3.3.11)
and every content line is folded at 75 octets, never inside a UTF-8 character
(3.1); lines end with CRLF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

PRODID = "-//vn-directives//kg//VI"
RRULE = {"yearly": "FREQ=YEARLY", "quarterly": "FREQ=MONTHLY;INTERVAL=3", "monthly": "FREQ=MONTHLY"}


@dataclass
class Event:
    """One duty as a calendar event."""

    uid_source: str  # the duty's IRI (the UID is derived from it, so a re-import updates the same event)
    deadline: date
    summary: str
    description: str = ""
    url: str = ""
    recurrence: str = ""  # yearly | quarterly | monthly


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11)."""
    s = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # other control characters are not allowed in a content line
    return "".join(ch for ch in s if ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F)


def fold(line: str, limit: int = 75) -> str:
    """One content line folded into lines of at most `limit` octets (CRLF + space), whole characters only."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        room = limit if not out else limit - 1  # a continuation line starts with one space
        if size + n > room:
            out.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def unfold(text: str) -> list[str]:
    """The content lines of a calendar (for tests and readers): folds undone, CRLF split."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def _uid(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:24] + "@vn-directives"


def calendar(events: Iterable[Event], name: str = "Nhiệm vụ", stamp: datetime | None = None) -> str:
    """The VCALENDAR text of the events (CRLF line ends)."""
    stamp = stamp or datetime.now(timezone.utc)
    dtstamp = stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:" + escape_text(name)]
    for e in events:
        lines += ["BEGIN:VEVENT", "UID:" + _uid(e.uid_source), "DTSTAMP:" + dtstamp,
                  "DTSTART;VALUE=DATE:" + e.deadline.strftime("%Y%m%d"),
                  "DTEND;VALUE=DATE:" + (e.deadline + timedelta(days=1)).strftime("%Y%m%d"),
                  "SUMMARY:" + escape_text(e.summary)]
        if e.recurrence in RRULE:
            lines.append("RRULE:" + RRULE[e.recurrence])
        if e.description:
            lines.append("DESCRIPTION:" + escape_text(e.description))
        if e.url:
            lines.append("URL:" + e.url.replace("\r", "").replace("\n", ""))
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
