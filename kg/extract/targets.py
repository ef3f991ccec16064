"""Targets ("chỉ tiêu"): numbers a document sets, with the year they are due."""

from __future__ import annotations

import math
import re

from kg.extract.segment import Para, search_text
from kg.records import Target

# "ít nhất", "tối thiểu", "trên", "hơn", "không dưới": a lower bound only
_LOWER = r"ít nhất|tối thiểu|trên|hơn|không dưới|không ít hơn|từ"
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
TARGET = re.compile(
    rf"(?:(?P<low>{_LOWER})\s+|(?:khoảng|đạt|có|cho|là)\s+)?(?P<a>{_NUM})(?:\s*(?P<pa>%))?"
    rf"(?:\s*(?:-|–|đến)\s*(?P<b>{_NUM}))?(?:\s*(?P<pct>%))?(?P<unit>(?:\s+[^\W\d]+){{0,4}})", re.I)
_YEAR_CTX = re.compile(r"(?:đến|tới|trong|vào|cuối|hết)\s+năm\s+(\d{4})|giai đoạn\s+(?:\w+\s+)?\(?\d{4}\s*[-–]\s*(\d{4})", re.I)
# a heading over a list of targets: "4. Các chỉ tiêu cụ thể đến năm 2030", "b) Chỉ tiêu cụ thể:"
_TARGET_HEADING = re.compile(r"^\s*(?:[IVX]+\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\))?\s*(?:Các\s+)?(?:chỉ tiêu|mục tiêu)"
                             r"(?:\s+(?:cụ thể|chủ yếu|chính))?(?:\s+(?:đến|tới|trong)\s+năm\s+\d{4}|\s+giai đoạn[^:.;]*)?\s*:?\s*$",
                             re.I)
# a sentence that details the one before it: its targets are due when that one's are
_CONTINUES = re.compile(r"^\s*(?:Trong đó|Cụ thể|Bao gồm)\b", re.I)
_TIME_UNITS = {"tháng", "năm", "ngày", "giờ", "tuần", "quý", "lần", "kỳ", "phút", "giai", "khóa", "cấp", "con"}
_ABBR = {"HTX": "hợp tác xã", "THT": "tổ hợp tác", "PN": "phụ nữ", "NLĐ": "người lao động", "LĐ": "lao động",
         "DN": "doanh nghiệp", "CBCCVC": "cán bộ, công chức, viên chức", "ĐTN": "đào tạo nghề"}
_STOP = {"do", "cho", "trong", "được", "tham", "tại", "của", "và", "với", "có", "đã", "theo", "trên", "từ",
         "ở", "là", "nhằm", "để", "thuộc", "về", "các", "những"}
# sentences that set targets outside a "Mục tiêu" section
CUE = re.compile(r"chỉ tiêu|phấn đấu|mục tiêu\s+(?:cụ thể|đến năm|năm|là|đến)|"
                 r"^\s*(?:[a-zđ]\)\s*|\d{1,2}[.)]\s*|[-+•]\s*)?(?:Đến|Tới)\s+(?:hết\s+)?năm\s+\d{4}\s*,"
                 r"(?:[^.;]{0,60}\b(?:có|đạt)\s+(?:khoảng\s+|ít nhất\s+|trên\s+)?)?\s*\d{1,3}(?:,\d+)?\s*%?",
                 re.I)
# "Để đạt được các chỉ tiêu trên, ...": looks back at targets, sets none
_BACK = re.compile(r"^\s*(?:Để|Nhằm)\s+(?:đạt|thực hiện|hoàn thành)\s+(?:được\s+)?(?:các\s+|những\s+)?(?:mục tiêu|chỉ tiêu)", re.I)
# a sentence that goes on with the targets of the sentence before ("Đến năm 2030: ...")
_GOES_ON = re.compile(r"^\s*(?:Đến|Tới|Trong|Vào)\s+năm\s+\d{4}|^\s*Năm\s+\d{4}", re.I)
# the year written after the number, in the same clause: "đạt 70% năm 2025; 90% năm 2030",
# "20.000 ngôi nhà ... vào năm 2025 và 22.000 vào năm 2030" (not "so với năm 2020", "cùng kỳ năm")
_YEAR_AFTER = re.compile(r"(?<!với )(?<!kỳ )(?<!từ )(?<!trước )(?:(?:vào|đến|tới|trong|cuối)\s+)?năm\s+(\d{4})\b", re.I)
# the year written just before the number: "năm 2018 đạt 99%, năm 2019 đạt 99,5%"
_YEAR_BEFORE = re.compile(r"(?<!với )(?<!kỳ )(?<!từ )(?<!trước )\bnăm\s+(\d{4})\s*(?:đạt|là|:)?\s*$", re.I)
_CLAUSE_END = re.compile(r"[;,.:]|\s(?:và|hoặc)\s")


def _num(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", ""))
    return float(s.replace(",", "."))


def _plausible(s: str) -> bool:
    """A target value: at most 15 digits (what a float holds exactly) and finite ("9" * 400 is neither)."""
    return sum(c.isdigit() for c in s) <= 15 and math.isfinite(_num(s))


def _unit(raw: str, pct: bool) -> str | None:
    if pct:
        return "%"
    words: list[str] = []
    for w in raw.split():
        if w.lower() in _STOP or (words and len(words) >= 3):
            break
        words.append(_ABBR.get(w, w))
    return " ".join(words) or None


def year_of(text: str, default: int | None) -> int | None:
    """The year a target context names ("Đến năm 2025", "giai đoạn 2026-2030")."""
    years = [int(a or b) for a, b in _YEAR_CTX.findall(text)]
    return years[-1] if years else default


def targets_in(text: str, year: int | None) -> list[tuple[int, int, float, float | None, str | None]]:
    """Numbers set as targets in a sentence: (start, end, min, max, unit)."""
    out = []
    for m in TARGET.finditer(text):
        a = m.group("a")
        start = m.start("a")
        if start > 0 and (text[start - 1] in "/[-“\"" or text[start - 1].isalnum()):
            continue
        if text[m.end("a"):m.end("a") + 1] in ("/", "]"):
            continue
        if re.search(r"(?:năm|giai đoạn|Đề án|số|khoản|Điều|điểm|mục|Khóa|thứ|ngày|tháng)\s*$", text[:start], re.I):
            continue
        unit_words = m.group("unit").split()
        pct = bool(m.group("pct") or m.group("pa"))
        if not pct and (not unit_words or unit_words[0].lower() in _TIME_UNITS or
                        unit_words[0].lower() in _STOP or unit_words[0] in ("HTX/năm",)):
            continue
        if not pct and re.fullmatch(r"(?:19|20)\d\d", a):
            continue
        if not _plausible(a) or (m.group("b") and not _plausible(m.group("b"))):
            continue
        lo = _num(a)
        hi: float | None = _num(m.group("b")) if m.group("b") else lo
        if m.group("b") and hi is not None and hi < lo:
            continue
        low = m.group("low")
        if low and (low.lower() != "từ" or re.match(r"[^.;,]{0,40}\btrở lên", text[m.end("a"):])) \
                and not m.group("b"):
            hi = None
        if m.group("pa") and m.group("b") and not m.group("pct"):
            continue
        out.append((m.start(), m.end(), lo, hi, _unit(m.group("unit"), pct)))
    return out


def _year_after(sent: str, start: int, stop: int, doc_year: int | None) -> int | None:
    """The year due written after a target number and before the clause (or the next number) ends."""
    num = re.match(rf"\D{{0,12}}?(?:{_NUM})", sent[start:])
    a = start + (num.end() if num else 0)
    end = _CLAUSE_END.search(sent, a, stop)
    m = _YEAR_AFTER.search(sent, a, min(end.start() if end else stop, a + 90))
    if not m:
        return None
    y = int(m.group(1))
    return y if doc_year is None or y >= doc_year else None


def extract_targets(paras: list[Para], orig: str, in_section: list[bool], default_year: int | None,
                    split) -> list[Target]:
    """Targets of a document.

    Args:
        paras: the paragraphs of the document.
        orig: the original text.
        in_section: for each paragraph, whether it lies in a "Mục tiêu" section.
        default_year: year used when no "đến năm" context is found.
        split: the sentence splitter (``segment.sentences``).
    """
    from kg.extract.duties import marker_level

    out: list[Target] = []
    year = default_year
    heading: tuple[int, int | None] | None = None  # (level, year) of a "Các chỉ tiêu cụ thể đến năm 2030" heading
    for p, inside in zip(paras, in_section):
        text = search_text(p.text)
        level, _ = marker_level(text)
        if heading is not None and level <= heading[0]:
            heading = None  # the next item of the heading's own level ends its list
        if (len(text) < 120 and _TARGET_HEADING.search(text) and _YEAR_CTX.search(text)
                and not TARGET.search(_YEAR_CTX.sub("", text[marker_level(text)[1]:]))):
            heading = (level, year_of(text, default_year))
            year = heading[1]
            continue
        if heading is not None:  # an item under "Các chỉ tiêu ... đến năm 2030" sets targets due that year
            inside = True
        if inside and len(text) < 100:
            year = year_of(text, year)
        cue = False
        last_year = None
        for a, b in split(text):
            sent = text[a:b]
            if not inside:
                cue = (bool(CUE.search(sent)) or (cue and bool(_GOES_ON.match(sent) or _CONTINUES.match(sent)))
                       ) and not _BACK.match(sent)
                if not cue:
                    continue
            local_year = year_of(sent, year if inside else default_year)
            if _CONTINUES.match(sent) and last_year is not None:
                local_year = year_of(sent, last_year)  # "Trong đó: ... đạt 395 triệu USD": the year of the sentence before
            last_year = local_year
            found = targets_in(sent, local_year)
            for k, (s, e, lo, hi, unit) in enumerate(found):
                y = _year_after(sent, s, found[k + 1][0] if k + 1 < len(found) else len(sent), default_year)
                if y is None:
                    yb = _YEAR_BEFORE.search(sent[:s])
                    y = int(yb.group(1)) if yb else year_of(sent[:s], local_year)
                out.append(Target(year=y, min=lo, max=hi, unit=unit, text=sent.strip(), span=p.span(orig, a, b)))
    return out
