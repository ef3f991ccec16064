"""Annex task tables: a lead column ("Cơ quan chủ trì") and a partner column ("Cơ quan phối hợp").

Three forms arrive: cells one per line (web pages), cells wrapped over several
lines (Công báo PDF text) and rows with cells joined by " | " (.docx and .html
tables read by :mod:`kg.reader`, or text pasted from a spreadsheet).
"""

from __future__ import annotations

import re

from kg.extract.agencies import Jurisdiction, find_all
from kg.extract.dates import when_deadline
from kg.extract.segment import Line, Segmented, search_text
from kg.records import Duty, Span

_ROW_START = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.?\s*$")
_ROW_BREAK = re.compile(r"^\s*(?:[IVX]+|Nội dung\s+\d+.*|Phần\s+\S+.*)\s*$")
_TABLE_END = re.compile(r"^\s*(?:\[\d+\]|Ghi chú|\*\s*Ghi chú|Nơi nhận)")
_CELL_HEAD = re.compile(r"^\s*[-–]?\s*(?:Bộ|Sở|Phòng|Ủy ban|UBND|Hội|(?i:Liên minh)|Ngân hàng|Kho bạc|Ban|Trung tâm|"
                        r"Văn phòng|Bảo hiểm|Công an|Thanh tra|Các|Sở,|Tổng cục|Chi cục|Cục|Vụ|Viện|Trường|"
                        r"Tỉnh ủy|Thành ủy|Đài|Mặt trận|Liên đoàn|Đoàn)\b")
# the lead column's heading, possibly wrapped ("Cơ quan chủ / trì") in Công báo text
_LEAD_HEAD = re.compile(r"(?:phụ\s+trách|chủ\s+trì)", re.I)
_RESULT_COL = re.compile(r"\b(?:Nghị quyết|Nghị định|Quyết định|Thông tư|Văn bản|Báo cáo|Đề án|Kế hoạch|"
                         r"Chương trình|Hướng dẫn|Thường xuyên|Hằng năm|Hàng năm|Quý\s|Năm\s\d{4}|\d{4})")
_SKIP_CELL = re.compile(r"^\s*(?:[xX]|\d{4}(?:\s*[-–]\s*\d{4})?|Hằng năm|Hàng năm|Quý\s+\S+|Năm\s+\d{4})\s*$")


def read_tables(seg: Segmented, first_line: int, j: Jurisdiction, year: int | None) -> list[Duty]:
    """Duties of annex task tables with a lead column and a partner column.

    Cells arrive one per line (web pages) or wrapped over several lines
    (Công báo); rows start with their number on a line of its own.
    """
    lines = seg.lines[first_line:]
    out: list[Duty] = []
    head = None
    for k, ln in enumerate(lines):
        if len(ln.text) >= 40 or "|" in ln.text:
            continue
        nxt = lines[k + 1].text if k + 1 < len(lines) and len(lines[k + 1].text) < 20 else ""
        if _LEAD_HEAD.search(ln.text):
            head = k
        elif nxt and _LEAD_HEAD.search(f"{ln.text} {nxt}") and not _LEAD_HEAD.search(nxt):
            head = k + 1
        if head is not None:
            break
    if head is None or not any(re.search(r"phối", ln.text, re.I) for ln in lines[head:head + 8]):
        return out
    rows: list[list[Line]] = []
    for ln in lines[head + 1:]:
        if _TABLE_END.match(ln.text):
            break
        if _ROW_START.match(ln.text):
            rows.append([])
        elif _ROW_BREAK.match(ln.text):
            if rows:
                rows.append([])
        elif rows:
            rows[-1].append(ln)
    for row in rows:
        cells = [ln for ln in row if not _SKIP_CELL.match(ln.text)]
        kc = next((i for i, ln in enumerate(cells) if i > 0 and _CELL_HEAD.match(search_text(ln.text))), None)
        if kc is None:
            continue
        task = " ".join(ln.text for ln in cells[:kc]).strip(" -")
        # "... theo lộ trình phù hợp Bộ Y tế": the lead cell printed at the end of the task's last line
        tail = _trailing_lead(search_text(cells[kc - 1].text), j) if kc > 0 else None
        if tail is not None:
            task = task[:len(task) - (len(cells[kc - 1].text.rstrip(" -")) - tail)].strip(" -")
        rest_lines = cells[kc:]
        joined, offsets = "", []
        if tail is not None:
            joined, offsets = search_text(cells[kc - 1].text)[tail:].strip(), [0]
        for ln in rest_lines:
            piece = search_text(ln.text)
            if joined:
                joined += " "
            offsets.append(len(joined))
            joined += piece
        mentions: list = []
        for m in find_all(joined, j):
            if re.match(r"Bộ trưởng|Thủ trưởng", joined[m.start:]):
                break
            if mentions and _RESULT_COL.search(joined, mentions[-1].end, m.start):
                break  # the "result"/"deadline" columns follow the partners
            mentions.append(m)
        if not mentions:
            continue
        span = Span(row[0].start, row[-1].end, seg.orig[row[0].start:row[-1].end])
        # the first mention is the lead cell; the agencies listed with it ("Bộ Y tế, Bảo hiểm xã / hội
        # Việt Nam", wrapped) too, until a line break that ends a cell; the later cells are partners
        lead = True
        for n, m in enumerate(mentions):
            if n and lead:
                gap = joined[mentions[n - 1].end:m.start]
                breaks = [o for o in offsets if mentions[n - 1].end < o <= m.start]
                cell_break = any(not re.search(r"(?:[,;&-]|\bvà)\s*$", joined[:o - 1]) for o in breaks)
                lead = not cell_break and bool(re.fullmatch(r"\s*(?:,|;|và|,\s*và)\s*", gap))
            role = "lead" if lead else "partner"
            for name in m.names:
                out.append(Duty(agency=name, role=role, text=task, span=span))
    return out


# words after which an agency name belongs to the task ("phối hợp với Bộ Y tế", "của Bộ Tài chính")
_TASK_WORD = re.compile(r"(?:với|của|cho|tại|theo|và|các|đến|giữa|trình|thuộc|về|do|từ|gửi|giao|qua)\s*$", re.I)


def _trailing_lead(line: str, j: Jurisdiction) -> int | None:
    """Where a lead agency printed at the end of a task line starts, or None.

    In Công báo text a row's task and lead cells can share a line: "... theo lộ
    trình phù hợp Bộ Y tế". An agency that ends the line and does not follow a
    function word ("với", "của") is the lead cell.
    """
    found = find_all(line, j)
    if not found:
        return None
    m = found[-1]
    if line[m.end:].strip(" .;,") or m.start == 0 or _TASK_WORD.search(line[:m.start]):
        return None
    if len(line[:m.start].split()) < 2:
        return None
    return m.start


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


# what a column heading means in a task table
_COL_LEAD = re.compile(r"chủ\s*trì|phụ\s*trách|đầu\s*mối|^(?:cơ quan|đơn vị|bộ phận)(?:\s*,\s*\S+)*\s+(?:thực hiện|triển khai)"
                       r"|phân công|^chủ trì$", re.I)
_COL_PARTNER = re.compile(r"phối\s*hợp", re.I)
_COL_WHEN = re.compile(r"thời\s*(?:gian|hạn)|tiến\s*độ|hoàn\s*thành", re.I)
_COL_TASK = re.compile(r"nhiệm\s*vụ|nội\s*dung|hoạt\s*động|công\s*việc|giải\s*pháp|tên|chỉ\s*tiêu|đề\s*án|dự\s*án", re.I)
# tables that are not task tables: lists of administrative procedures and the steps of a procedure
_NOT_TASKS = re.compile(r"thủ\s*tục|TTHC|trình\s*tự|\bbước\b|người\s+thực\s+hiện|trách\s+nhiệm\s+thực\s+hiện", re.I)


_YEAR_COL = re.compile(r"(?:năm\s+)?((?:19|20)\d{2})", re.I)


def year_columns(cells: list[str]) -> dict[int, int]:
    """Columns headed by a year ("2026", "Năm 2027"): in a task table, an "x" under one schedules the task then."""
    return {i: int(m.group(1)) for i, c in enumerate(cells) if (m := _YEAR_COL.fullmatch(c.strip()))}


def _columns(cells: list[str]) -> tuple[int, int | None, int | None, int] | None:
    """(lead, partner, when, task) column indexes of a task table's heading row, or None."""
    low = [c.strip().lower() for c in cells]
    if any(len(c) > 80 for c in low) or any(_NOT_TASKS.search(c) for c in low):
        return None
    lead = next((i for i, c in enumerate(low) if _COL_LEAD.search(c) and not _COL_WHEN.search(c)), None)
    if lead is None:
        return None
    partner = next((i for i, c in enumerate(low) if i != lead and _COL_PARTNER.search(c)), None)
    when = next((i for i, c in enumerate(low) if i not in (lead, partner) and _COL_WHEN.search(c)), None)
    task = next((i for i, c in enumerate(low) if i not in (lead, partner, when) and _COL_TASK.search(c)), None)
    if task is None:
        task = next((i for i, c in enumerate(low) if i not in (lead, partner, when) and not re.fullmatch(r"s?tt", c)), 0)
    return lead, partner, when, task


def read_pipe_tables(seg: Segmented, first_line: int, j: Jurisdiction, year: int | None) -> list[Duty]:
    """Duties of task tables whose rows are lines of cells joined by "|".

    The heading row names the columns, whatever their order: the lead column
    ("Cơ quan chủ trì", "Đơn vị thực hiện", "Phân công"), the partner column
    ("phối hợp"), the time column ("Thời gian hoàn thành", "Thời hạn", "Tiến
    độ") and the task column ("Nhiệm vụ", "Nội dung").  A table continued after
    a break without its heading row keeps the columns of the table before it when
    it has as many cells.  Lists of administrative procedures and the steps of a
    procedure are not task tables.
    """
    out: list[Duty] = []
    cols: tuple[int, int | None, int | None, int] | None = None
    width = 0
    years: dict[int, int] = {}
    in_table = False
    for ln in seg.lines[first_line:]:
        if ln.text.count("|") < 2:
            in_table = False  # a line that is not a row ends the table
            continue
        cells = _cells(ln.text)
        heading = _columns(cells)
        if heading is not None:
            cols, width, in_table = heading, len(cells), True
            years = year_columns(cells)
            continue
        if not in_table:
            in_table = True
            if len(cells) != width:
                cols = None  # another table, not a continuation of the last task table
        if cols is None or len(cells) <= cols[0]:
            continue
        lead, partner, when, task = cols
        text = cells[task] if task < len(cells) else ""
        span = Span(ln.start, ln.end, seg.orig[ln.start:ln.end])
        dl, rec = when_deadline(cells[when], year) if when is not None and when < len(cells) else (None, None)
        if dl is None and years:
            marked = [y for i, y in years.items() if i < len(cells) and re.fullmatch(r"\s*[xX✓]\s*", cells[i])]
            if marked:  # "x" under the year columns: the task is due by the end of the last year marked
                dl = f"{max(marked)}-12-31"
        for idx, role in ((lead, "lead"), (partner, "partner")):
            if idx is None or idx >= len(cells):
                continue
            seen = set()
            for m in find_all(search_text(cells[idx]), j):
                for name in m.names:
                    if name not in seen:
                        seen.add(name)
                        out.append(Duty(agency=name, role=role, deadline=dl, recurring=rec, text=text, span=span))
    return out
