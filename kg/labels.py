"""The label that identifies a listed document: type, number, issuer's place and date.

"Kế hoạch 305/KH-UBND" names a plan in every province; the label every list
of the explorer shows (search, cascade, citations, tables, network nodes) is
built here, by :func:`document_label`, and only here:

    Kế hoạch 305/KH-UBND · An Giang · 22/03/2024
    Quyết định 01/QĐ-TTg · Thủ tướng Chính phủ · 03/01/2023    (a central issuer has no place: its name)
    Kế hoạch của Ủy ban nhân dân huyện Tràng Định              (no number: the issuer says which one)

The module needs nothing but the standard library, so any part of `kg` (the web explorer, `kg/viz.py`,
the CLI) can use it.
"""

from __future__ import annotations

import re

SEP = " · "
# a province-level unit is named without its level word ("tỉnh An Giang" -> "An Giang", "thành phố Hà Nội" -> "Hà Nội")
_PROVINCE_WORD = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def place_name(unit_label: str, province_level: bool = False) -> str:
    """The place of an issuer as a list shows it: a province without "tỉnh", a district or commune as named."""
    unit_label = " ".join((unit_label or "").split())
    return _PROVINCE_WORD.sub("", unit_label) if province_level else unit_label


def short_date(value: object) -> str:
    """"2024-03-22" -> "22/03/2024" (anything else unchanged)."""
    s = str(value or "")
    m = _ISO_DATE.match(s)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else s


def document_label(label: str = "", number: str = "", type_label: str = "", place: str = "", issuer: str = "",
                   date: str = "") -> str:
    """The identifying label of a document from its parts (all optional; `date` as ISO or dd/mm/yyyy).

    With a number: "<type> <number> · <place, or the issuer when it has no place> · <date>".
    Without a number: "<type> của <issuer> · <date>", or the stored label when the issuer is unknown.
    """
    number, type_label, place, issuer = (" ".join((x or "").split()) for x in (number, type_label, place, issuer))
    label = " ".join((label or "").split())
    if number:
        head = f"{type_label or 'Văn bản'} {number}"
        where = place or issuer
    elif issuer:
        head = f"{type_label or 'Văn bản'} của {issuer}"
        where = ""
    else:
        head = label or type_label or "Văn bản"
        where = place
    return SEP.join(x for x in (head, where, short_date(date)) if x)


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return [x if len(x) <= width else x[: width - 1].rstrip() + "…" for x in lines]


def label_lines(label: str, width: int = 34) -> list[str]:
    """A label cut into short lines for a network node: the head (at most two lines), then place and date."""
    parts = label.split(SEP)
    return _wrap(parts[0], width, 2) + (_wrap(SEP.join(parts[1:]), width, 2) if len(parts) > 1 else [])
