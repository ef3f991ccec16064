"""The layout pass: a legal portal's markdown export -> the plain layout every rule reads.

Real documents reach the product as pages of a legal portal converted to
markdown: the portal's notices and a metadata table ("Số hiệu:", "Loại văn
bản:", "Người ký:" ...) before the document, the portal's lists and footer
after it, the header block as a table whose cells are split over lines and
separated by lone ``|`` lines, ``**bold**`` and ``*italic*`` markers
everywhere, ``#`` headings.  This pass turns such a page (and leaves any
other text as it is, but for the markers) into:

- the document alone, from its header to its last appendix;
- each header cell (issuer, motto, number, place and date) on one line, a
  "V/v" subject on a line of its own;
- no emphasis markers and no lone ``|``; a wholly bold line stands apart
  (a blank line before and after it), since it is a heading;

and keeps, for every character of the result, its offset in the original
text, so that facts read from the layout are quoted from the original.
The portal's metadata table is returned as data (a fallback for the header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# labels of the portal's metadata table (before the document)
META_LABELS = ("Số hiệu", "Loại văn bản", "Nơi ban hành", "Người ký", "Ngày ban hành", "Ngày hiệu lực",
               "Ngày công báo", "Số công báo", "Tình trạng", "Lĩnh vực")
# the portal's furniture after the document: where the document has ended
_TAIL = re.compile(r"^\s*(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|NỘI DUNG SỬA ĐỔI, HƯỚNG DẪN|"
                   r"FILE ĐƯỢC ĐÍNH KÈM THEO VĂN BẢN|FILE ATTACHED TO DOCUMENT|Sứ mệnh của THƯ VIỆN PHÁP LUẬT|"
                   r"Cảm ơn đã dùng ThuVienPhapLuat|Bản dịch này thuộc quyền sở hữu của)\b")
# the portal's own title of the page, right before its furniture: "Quyết định 3617/QĐ-UBND năm 2025 ..."
_PORTAL_TITLE = re.compile(r"^\s*[A-ZĐ][^\s/]*(?: [^\s/]+){0,4} \S*\d\S*/\S+ (?:năm|ngày) \d")
# the national motto or the Party's header: the header table's second cell
_MOTTO = re.compile(r"CỘNG\s+H(?:OÀ|ÒA)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
_PLACE_DATE = re.compile(r"ngày\s+[\d\s]{0,4}\s*tháng\s+[\d\s]{0,4}\s*năm\s+\d{4}|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}")
# the title of an appendix or a table, written in a cell of its own above the heading row
_CAPTION = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|BIỂU|Biểu)\b|\(Kèm theo|^\(?Ban hành kèm theo")
# cells that open a signature block, a recipients list or a form's header, not a table's heading row
_NOT_HEADING = re.compile(r"(?:Nơi nhận|KT\.|TM\.|TL\.|TUQ\.|Q\.\s|(?:BỘ|ỦY BAN|UBND|SỞ|CỤC)\s+[A-ZĐ])")
_SUBJECT = re.compile(r"(?<=\S)\s+(?=(?:V/v|Về việc)\s)")
_RULE = re.compile(r"^\s*[-_=–—]{3,}\s*$")
_CELL_SEP = re.compile(r"^\s*\|?\s*$")
# emphasis markers: runs of "*" (not the "(*)" of a footnote, not a "* " bullet opening a line),
# a leading "#" heading marker
_EMPHASIS = re.compile(r"(?<!\()(?<!^)\*+(?!\))|^\*+(?!\s)|^\*{2,}(?=\s)|^\s*#+\s*(?=\S|$)")


@dataclass
class Layout:
    """The plain text the rules read, with the original offset of each of its characters."""

    text: str
    pos: list[int] = field(repr=False)  # len(text) + 1 entries: the last is the end of the original
    meta: dict[str, str] = field(default_factory=dict)  # the portal's metadata table
    start: int = 0  # where the document begins in the original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of ``text[start:end]``.

        A character the layout adds (the " |" closing a table row, the newline after the last line) stands at
        the end of the line it follows, which is the end of the document (``pos[-1]``) after its last line:
        the end is never past that.
        """
        if end <= start:
            s = self.pos[min(start, len(self.pos) - 1)]
            return s, s
        return self.pos[start], min(self.pos[end - 1] + 1, self.pos[-1])


@dataclass
class _Line:
    raw: str
    start: int

    @property
    def plain(self) -> str:
        return _EMPHASIS.sub("", self.raw).strip()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(raw, pos))
        pos += len(raw) + 1
    return out


def _metadata(lines: list[_Line]) -> tuple[dict[str, str], int]:
    """The portal's metadata table, and the index of the first line after it (0 when there is none)."""
    first = next((i for i, ln in enumerate(lines[:400]) if ln.plain.rstrip(":") == "Số hiệu" or
                  ln.plain.startswith("Số hiệu:") and ln.plain.rstrip().endswith(":")), None)
    if first is None:
        return {}, 0
    meta: dict[str, str] = {}
    label, i = None, first
    while i < len(lines):
        t = lines[i].plain
        if not t or t == "|":
            i += 1
            continue
        key = t.rstrip(":").strip()
        if t.endswith(":") and key in META_LABELS:
            label = key
        elif label:
            meta[label] = t.strip("| ")
            label = None
        else:
            break
        i += 1
    return meta, i


def _end(lines: list[_Line], start: int) -> int:
    """Index of the first line of the portal's furniture after the document (or the end)."""
    for i in range(start, len(lines)):
        if _TAIL.match(lines[i].plain) and i > start + 3:
            k = i
            while k - 1 > start and (not lines[k - 1].plain or lines[k - 1].plain == "|"
                                     or _PORTAL_TITLE.match(lines[k - 1].plain)):
                k -= 1
            return k
    return len(lines)


def _header_cells(lines: list[_Line], start: int, end: int) -> tuple[list[list[int]], int] | None:
    """The header table: its cells (line indexes) and the index of the first line after it.

    The table is the run of cells, separated by lone "|" lines, that holds the motto and ends
    with the cell of the place and date (or of the number, when there is no date).
    """
    window = range(start, min(end, start + 60))
    motto = next((i for i in window if _MOTTO.search(" ".join(ln.plain for ln in lines[i:i + 3]))), None)
    if motto is None or not any(lines[i].plain == "|" for i in range(start, motto + 1)):
        return None
    cells: list[list[int]] = [[]]
    i = start
    while i < min(end, start + 60):
        t = lines[i].plain
        if t == "|":
            if cells[-1]:
                if i > motto and _PLACE_DATE.search(" ".join(lines[k].plain for k in cells[-1])):
                    return [c for c in cells if c], i + 1
                cells.append([])
        elif t and not _RULE.match(t):
            cells[-1].append(i)
        i += 1
    return None


class _Writer:
    def __init__(self, orig: str) -> None:
        self.orig = orig
        self.chars: list[str] = []
        self.pos: list[int] = []

    def text_of(self, ln: _Line) -> None:
        """The line without its emphasis markers, outer spaces trimmed."""
        raw = ln.raw
        keep = [True] * len(raw)
        breaks = set()
        for m in _EMPHASIS.finditer(raw):
            for k in range(m.start(), m.end()):
                keep[k] = False
            if m.end() - m.start() >= 4 and 0 < m.start() and m.end() < len(raw) \
                    and not raw[m.start() - 1].isspace() and not raw[m.end()].isspace():
                breaks.add(m.end())  # "**LUẬT****CÁN BỘ, CÔNG CHỨC**": two bold runs, two lines
        idx = [k for k in range(len(raw)) if keep[k]]
        while idx and raw[idx[0]].isspace():
            idx.pop(0)
        while idx and raw[idx[-1]].isspace():
            idx.pop()
        prev_space = False
        for k in idx:
            c = raw[k]
            if k in breaks and self.chars and self.chars[-1] != "\n":
                self.chars.append("\n")
                self.pos.append(ln.start + k)
                prev_space = True
            if c.isspace():
                if prev_space:
                    continue
                c, prev_space = " ", True
            else:
                prev_space = False
            self.chars.append(c)
            self.pos.append(ln.start + k)

    def sep(self, s: str, at: int) -> None:
        for c in s:
            self.chars.append(c)
            self.pos.append(at)

    def newline(self, at: int) -> None:
        if self.chars and self.chars[-1] != "\n":
            self.sep("\n", at)

    def blank(self, at: int) -> None:
        self.newline(at)
        if len(self.chars) >= 2 and self.chars[-2] != "\n":
            self.sep("\n", at)


def _table(lines: list[_Line], i: int, end: int) -> tuple[list[list[list[int]]], int] | None:
    """A table of three or more columns starting at the lone "|" of line ``i``: its rows and the line after it.

    The export writes a row as "|", cell, "|", cell, ..., "|", each cell on lines of
    its own, and the next row opens with its own "|": two "|" in a row end a row.
    The last row ends with one "|" after its last cell, so a row that has as many
    cells as the heading row and is followed by text ends the table.  Empty cells
    are not written at all.  Two-column tables (the signature block, "Nơi nhận")
    are left as they are.
    """
    if i + 1 >= end or not lines[i + 1].plain:
        return None  # a heading row's first cell follows its "|" directly
    rows: list[list[list[int]]] = [[]]
    cell: list[int] = []
    width = None
    k = i + 1
    opened = i  # the "|" before the cell being read
    while k < end:
        t = lines[k].plain
        if t == "|":
            if cell and _CAPTION.search(" ".join(lines[x].plain for x in cell)):
                # "PHỤ LỤC II ... (Kèm theo Quyết định ...)": the title of the next table, not a cell of this one
                if width is None:
                    return None
                rows = [r for r in rows if r]
                return (rows, opened) if len(rows) >= 2 else None
            if cell:
                if width is None and (sum(len(lines[x].plain) for x in cell) > 150 or
                                      _NOT_HEADING.match(lines[cell[0]].plain) or
                                      _MOTTO.search(" ".join(lines[x].plain for x in cell))):
                    return None  # a heading row has short cells: this is a block laid out as a table
                rows[-1].append(cell)
                cell = []
            nxt = k + 1
            while nxt < end and not lines[nxt].plain:
                nxt += 1
            if nxt < end and lines[nxt].plain == "|":  # the row ends, the next one opens
                if width is None:
                    if len(rows[-1]) < 3:
                        return None
                    width = len(rows[-1])
                if rows[-1]:
                    rows.append([])
                opened = nxt
                k = nxt + 1
                continue
            if width is not None and len(rows[-1]) >= width:
                break  # a full row followed by text: the table has ended
            if width is None and nxt > k + 1:
                return None  # a heading row's cells follow one another: text after a blank line is not one
            if width is None and (nxt >= end or len(rows[-1]) >= 20):
                return None
            if nxt >= end:
                break
            opened = k
            k = nxt
            continue
        if t:
            cell.append(k)
        elif width is None and cell:
            return None  # a blank line inside a heading cell: text, not a table
        k += 1
    else:
        if cell:
            rows[-1].append(cell)
    if width is None:
        return None
    rows = [r for r in rows if r]
    return (rows, k + 1) if len(rows) >= 2 else None


def _bold_line(raw: str) -> bool:
    t = raw.strip()
    return len(t) > 4 and t.startswith("**") and t.endswith("**") and "**" not in t[2:-2].strip()


def layout(text: str) -> Layout:
    """The plain layout of a source text (see the module docstring).

    Args:
        text: the NFC text of a whole file.

    Returns:
        The :class:`Layout`; its ``pos`` maps each character back into ``text``.
    """
    lines = _lines(text)
    meta, start = _metadata(lines)
    end = _end(lines, start) if meta else len(lines)
    w = _Writer(text)
    header = _header_cells(lines, start, end)
    i = start
    if header:
        cells, after = header
        for cell in cells:
            parts = [lines[k] for k in cell]
            for n, ln in enumerate(parts):
                if n:
                    before = len(w.chars)
                    w.sep(" ", ln.start)
                    w.text_of(ln)
                    if len(w.chars) == before + 1:
                        w.chars.pop()
                        w.pos.pop()
                else:
                    w.text_of(ln)
            w.newline(parts[-1].start + len(parts[-1].raw))
        # a "V/v" subject in the number cell goes on a line of its own
        joined = "".join(w.chars)
        for m in reversed(list(_SUBJECT.finditer(joined))):
            w.chars[m.start():m.end()] = ["\n"]
            w.pos[m.start():m.end()] = [w.pos[m.start()]]
        w.blank(lines[after - 1].start)
        i = after
    while i < end:
        ln = lines[i]
        t = ln.plain
        table = _table(lines, i, end) if t == "|" else None
        if table:  # one line per row: "| cell | cell | ... |"
            rows, i = table
            w.blank(ln.start)
            for row in rows:
                w.sep("|", lines[row[0][0]].start)
                for cell in row:
                    w.sep(" ", lines[cell[0]].start)
                    for n, k in enumerate(cell):
                        if n:
                            w.sep(" ", lines[k].start)
                        w.text_of(lines[k])
                    last = lines[cell[-1]]
                    w.sep(" |", last.start + len(last.raw))
                w.newline(lines[row[-1][-1]].start + len(lines[row[-1][-1]].raw))
            w.blank(lines[i - 1].start if i - 1 < len(lines) else ln.start)
            continue
        if t in ("Điều", "Chương", "Mục", "Phần") and i + 1 < end and re.match(r"^[0-9IVXLC]+\b", lines[i + 1].plain):
            # "**Điều" / "19. Trách nhiệm của ...**": an article's heading wrapped after its first word
            w.blank(ln.start)
            w.text_of(ln)
            w.sep(" ", ln.start + len(ln.raw))
            i += 1
            continue
        if (re.fullmatch(r"Điều \d+[a-z]?\.?", t) and i + 1 < end and lines[i + 1].plain
                and not re.match(r"^(?:\d+[.)]|[a-zđ]\)|[-+•]|Điều\b)", lines[i + 1].plain)):
            # "Điều 4." / "Trách nhiệm trong công tác ...": the article's title on the next line
            w.blank(ln.start)
            w.text_of(ln)
            w.sep(" ", ln.start + len(ln.raw))
            i += 1
            continue
        if not t or _CELL_SEP.match(t):
            w.blank(ln.start)
        elif _bold_line(ln.raw):
            w.blank(ln.start)
            w.text_of(ln)
            w.blank(ln.start + len(ln.raw))
        else:
            w.text_of(ln)
            w.newline(ln.start + len(ln.raw))
        i += 1
    end_pos = lines[end - 1].start + len(lines[end - 1].raw) if end else 0
    w.pos.append(end_pos)
    return Layout("".join(w.chars), w.pos, meta, lines[start].start if start < len(lines) else 0)
