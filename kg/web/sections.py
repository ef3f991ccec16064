"""The sections of a document's source text, read from its numbered headings, for a table of contents.

The graph keeps each fact's character span in the NFC source text (``sources/``), not the
structure of the text; this module reads the structure back from the headings plans and
decisions use: "Phần I", "Chương II", Roman numerals ("IV. NỘI DUNG THỰC HIỆN"), articles
("Điều 3."), numbers ("2. Sở Tài chính") and sub-numbers ("5.1. ..."), optionally in
markdown ("## I. ...", "**1. ...**").  A heading is the first line of a paragraph (a blank line
or the start of the text before it).  A text with no such heading has no sections.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_SECTIONS = 400
TITLE_MAX = 110
# rank of each kind of heading: lower is higher in the tree
_PATTERNS = [
    (0, re.compile(r"^(phần|chương)\s+([ivxlc]+|\d+)\b[.:]?", re.IGNORECASE)),
    (1, re.compile(r"^(?:[IVX]{1,6})\.\s+\S")),
    (1, re.compile(r"^Điều\s+\d+[a-z]?\s*[.:]", re.IGNORECASE)),
    (2, re.compile(r"^\d{1,2}\.\s+\S")),
    (3, re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+\S")),
]
_ROMAN_ALONE = re.compile(r"^[IVX]{1,6}\.?$")
_SIGNATURE = re.compile(r"^(KT|TM|TL|TUQ|Q)\.\s")
# a signer's post on a line of its own ("PHÓ CHỦ TỊCH", "GIÁM ĐỐC") is no title
_POST_WORDS = set("PHÓ CHỦ TỊCH GIÁM ĐỐC BỘ TRƯỞNG THỦ TƯỚNG BÍ THƯ CHÁNH VĂN PHÒNG THƯỜNG TRỰC".split())
_MARKUP = re.compile(r"^(?:#{1,6}\s+|\*\*|__)+")
_PARA = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*([^\n]+)")


@dataclass
class Section:
    """One heading: where it starts in the source text, its depth (1 = top) and its title."""

    start: int
    level: int
    title: str
    anchor: str = ""
    duties: int = 0  # duties in the section itself (not its subsections)
    total: int = 0  # duties in the section and its subsections


def _short(t: str) -> str:
    return t if len(t) <= TITLE_MAX else t[: TITLE_MAX - 1].rstrip() + "…"


def _title(line: str) -> str:
    t = _MARKUP.sub("", line.strip()).rstrip("*_ ").strip()
    head, colon, _ = t.partition(":")
    if colon and 3 <= len(head) <= TITLE_MAX and not re.match(r"^(phần|chương)\s+\S+$", head, re.IGNORECASE):
        t = head
    return _short(t)


def _is_caps_title(bare: str) -> bool:
    """An all-caps title line of two words or more ("KHUNG HOẠT ĐỘNG"), not a signature ("KT. CHỦ TỊCH")."""
    letters = [c for c in bare if c.isalpha()]
    words = bare.split()
    return (len(letters) >= 6 and len(words) >= 2 and bare.upper() == bare and len(bare) <= 300
            and not _SIGNATURE.match(bare) and not set(words) <= _POST_WORDS)


def find_sections(text: str, prefix: str = "muc") -> list[Section]:
    """The headings of `text` in order, their levels renumbered from 1 (the highest kind present).

    Besides numbered headings: after the first of them, an all-caps title paragraph (an annex,
    "KHUNG HOẠT ĐỘNG ...", joined with the all-caps paragraphs right after it) ranks with the
    Roman numerals, and a Roman numeral alone on its line (a row of an annexed table) heads the
    paragraph after it.
    """
    paras = [(m.start(1), m.group(1)) for m in _PARA.finditer(text)]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(paras) and len(found) < MAX_SECTIONS:
        start, line = paras[i]
        bare = _MARKUP.sub("", line.strip()).rstrip("*_ ").strip()
        rank = next((r for r, pattern in _PATTERNS if pattern.match(bare)), None)
        if rank is not None:
            found.append((start, rank, _title(line)))
        elif _ROMAN_ALONE.match(bare) and i + 1 < len(paras):
            found.append((start, 2, f"{bare.rstrip('.')}. {_title(paras[i + 1][1])}"))
            i += 1
        elif found and _is_caps_title(bare):
            parts = [bare]
            while i + 1 < len(paras) and _is_caps_title(_MARKUP.sub("", paras[i + 1][1].strip()).rstrip("*_ ")):
                i += 1
                parts.append(_MARKUP.sub("", paras[i][1].strip()).rstrip("*_ ").strip())
            found.append((start, 1, _title(": ".join(parts)) if len(parts) == 1 else _short(": ".join(parts))))
        i += 1
    ranks = sorted({r for _, r, _ in found})
    depth = {r: i + 1 for i, r in enumerate(ranks)}
    return [Section(start, depth[rank], title, f"{prefix}-{i + 1}") for i, (start, rank, title) in enumerate(found)]


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section holding `offset` (the last heading at or before it), or None before the first."""
    i = bisect.bisect_right([s.start for s in sections], offset) - 1
    return sections[i] if i >= 0 else None


def path_to(sections: list[Section], section: Section) -> list[Section]:
    """The section and the headings above it, outermost first."""
    i = sections.index(section)
    path, level = [section], section.level
    for s in reversed(sections[:i]):
        if s.level < level:
            path.insert(0, s)
            level = s.level
    return path


def count_duties(sections: list[Section], offsets: list[int]) -> None:
    """Set each section's own and total number of duties, from the duties' start offsets."""
    for s in sections:
        s.duties = s.total = 0
    for off in offsets:
        sec = section_at(sections, off)
        if sec is None:
            continue
        sec.duties += 1
        for above in path_to(sections, sec):
            above.total += 1
