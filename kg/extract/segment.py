"""Segmentation: boilerplate stripping, re-flowing of hard-wrapped lines, sections.

The source text is never modified: every piece produced here keeps, for each of
its characters, the offset of that character in the original text, so that any
fact read from a piece can be given a :class:`kg.records.Span` in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.records import Span
from kg.text import modern_tones

# Công báo page furniture: "CÔNG BÁO/Số 302/Ngày 02-06-2026", then the page number
_GAZETTE_HEADER = re.compile(r"^\s*CÔNG BÁO\s*/\s*Số\s+\d+\s*/\s*Ngày\s+[\d-]+\s*$")
_STAMP = re.compile(r"^\s*(Ký bởi:|Cơ quan:\s*VĂN PHÒNG|Ngày ký:\s*\d{4}-|Email:|Thời gian ký:)")
_DIGITS_ONLY = re.compile(r"^\s*\d{1,4}\s*$")
_SEPARATOR = re.compile(r"^\s*[-_=*.–—]{3,}\s*$")
# web page chrome: log-in prompts, navigation, counters, image captions
_WEB_CHROME = re.compile(
    r"^\s*(Từ kho[áa]:|Đăng nhập\s*$|Đăng ký\s*$|Đang tải văn bản|Nhảy đến nội dung|DMCA|IP:\s*[\d.]+|"
    r"Hãy để chúng tôi hỗ trợ|Văn bản này chưa cập nhật|Bạn Chưa Đăng Nhập|Theo Cổng TTĐT|Nguồn:|In bài viết|Chia sẻ\s*$|fb yt|"
    r"[\w\s.-]+\.(?:jpe?g|png|gif|webp)\s*$)", re.IGNORECASE)
# a "related articles" block ends the useful part of a news page
_WEB_TAIL = re.compile(r"^\s*(Có thể bạn quan tâm|Tin cùng chuyên mục|Tin liên quan|Bài viết liên quan|"
                       r"Các tin khác|Tin khác|Xem thêm)\s*$", re.IGNORECASE)
# the start of a new item: numbering, bullets, preamble formulae, articles
MARKER = re.compile(
    r"^\s*(?:[IVXL]+\.\s|\d{1,2}(?:\.\d{1,2})*\.\s|\d{1,2}(?:\.\d{1,2})*\.?\)\s|[a-zđ]\)\s|\(\d{1,2}\)\s|"
    r"[-–+•*]\s|Điều\s+\d+|Căn cứ\b|Theo đề nghị|Xét đề nghị|Nơi nhận|QUYẾT (?:ĐỊNH|NGHỊ):|"
    r"TM\.|KT\.|Q\.|TL\.|TUQ\.)")
_TERMINAL = ".;:!?"


def _letters(upper: bool) -> str:
    chars = (chr(i) for r in ((0x41, 0x5B), (0x61, 0x7B), (0xC0, 0x250), (0x1E00, 0x1F00)) for i in range(*r))
    return "".join(c for c in chars if c.isalpha() and (c.isupper() if upper else c.islower()))


# regex character classes of Latin (Vietnamese) capital and small letters
UP = _letters(True)
LOW = _letters(False)


@dataclass
class Line:
    """One kept line of the source: its text (right-stripped) and offsets."""

    text: str
    start: int
    end: int
    blank_before: bool = False


@dataclass
class Para:
    """A re-flowed paragraph: text plus the source offset of every character."""

    text: str
    pos: list[int] = field(repr=False)
    first_line: int = 0

    def span(self, orig: str, i: int = 0, j: int | None = None) -> Span:
        """Span in the original text of ``self.text[i:j]`` (whitespace-trimmed)."""
        j = len(self.text) if j is None else j
        while i < j and self.text[i].isspace():
            i += 1
        while j > i and self.text[j - 1].isspace():
            j -= 1
        if i >= j:
            start = self.pos[min(i, len(self.pos) - 1)] if self.pos else 0
            return Span(start, start, "")
        start, end = self.pos[i], self.pos[j - 1] + 1
        return Span(start, end, orig[start:end])


@dataclass
class Segmented:
    """The source text cut into kept lines and re-flowed paragraphs."""

    orig: str
    lines: list[Line]
    paras: list[Para]
    gazette: bool = False


def clean_lines(text: str) -> tuple[list[Line], bool]:
    """Drop page headers, page numbers, signature stamps and web chrome.

    Args:
        text: the NFC source text.

    Returns:
        The kept lines (with a flag telling whether blank lines preceded them)
        and whether the text is Công báo output.
    """
    out: list[Line] = []
    gazette = bool(re.search(r"^\s*CÔNG BÁO\s*/\s*Số", text, re.M))
    pos, blank, after_header = 0, False, False
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip()
        if _WEB_TAIL.match(raw) and len(out) > 1:
            break
        if not stripped or _SEPARATOR.match(raw):
            blank = True
            continue
        if _GAZETTE_HEADER.match(raw):
            after_header, blank = True, True
            continue
        if after_header and _DIGITS_ONLY.match(raw):
            after_header = False
            continue
        after_header = False
        if _STAMP.match(raw) or _WEB_CHROME.match(raw):
            blank = True
            continue
        lead = len(raw) - len(raw.lstrip())
        rtext = raw.rstrip().lstrip()
        out.append(Line(rtext, start + lead, start + lead + len(rtext), blank))
        blank = False
    return out, gazette


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


class _Tail:
    """What :func:`_starts_new` needs of the paragraph read so far, kept as lines are added (not the joined
    text, which made reflowing a long run of lines quadratic): letter counts, and its last two lines."""

    __slots__ = ("letters", "upper", "last", "before")

    def __init__(self) -> None:
        self.letters = self.upper = 0
        self.last = self.before = ""

    def add(self, text: str) -> None:
        letters = [c for c in text if c.isalpha()]
        self.letters += len(letters)
        self.upper += sum(c.isupper() for c in letters)
        self.before, self.last = self.last, text

    def is_caps(self) -> bool:
        """_is_caps of the joined paragraph."""
        return self.letters >= 3 and self.upper == self.letters

    def ends_with_pipe(self) -> bool:
        """The joined paragraph ends with " |" (lines are joined by one space)."""
        return self.last.endswith(" |") or (self.last == "|" and bool(self.before))

    def final(self) -> str:
        """``joined.rstrip('*”")').rstrip()[-1:]``: a line wholly of those characters leaves the line before."""
        stripped = self.last.rstrip("*”\")")
        if stripped:
            return stripped.rstrip()[-1:]
        return self.before[-1:]


def _starts_new(prev: str | _Tail, line: Line) -> bool:
    """Whether ``line`` begins a new paragraph after a paragraph ending in ``prev`` (its text or its _Tail)."""
    if isinstance(prev, str):
        tail = _Tail()
        tail.add(prev)
        prev = tail
    t = line.text.lstrip("*")
    if MARKER.match(t) or _DIGITS_ONLY.match(t):
        return True
    if t.startswith("| ") or prev.ends_with_pipe():  # a table row ("| cell | cell |") stands alone
        return True
    if prev.is_caps() != _is_caps(t):
        return True
    first = t[:1]
    ends = prev.final() in _TERMINAL
    if ends and (first.isupper() or first.isdigit() or first in "“\"("):
        return True
    if line.blank_before and (ends or first.isupper()):
        return True
    return False


def reflow(lines: list[Line]) -> list[Para]:
    """Join hard-wrapped lines into paragraphs, keeping character offsets."""
    paras: list[Para] = []
    cur_text: list[str] = []
    cur_pos: list[int] = []
    first = 0
    tail = _Tail()
    for k, line in enumerate(lines):
        if cur_text and _starts_new(tail, line):
            paras.append(Para("".join(cur_text), cur_pos, first))
            cur_text, cur_pos = [], []
            tail = _Tail()
        if not cur_text:
            first = k
        else:
            cur_text.append(" ")
            cur_pos.append(cur_pos[-1])  # the joint maps onto the previous char
        cur_text.append(line.text)
        tail.add(line.text)
        cur_pos.extend(range(line.start, line.end))
    if cur_text:
        paras.append(Para("".join(cur_text), cur_pos, first))
    for p in paras:  # collapse runs of spaces, keeping the map aligned
        if "  " in p.text:
            keep = [i for i, c in enumerate(p.text) if not (c == " " and i > 0 and p.text[i - 1] == " ")]
            p.text = "".join(p.text[i] for i in keep)
            p.pos = [p.pos[i] for i in keep]
    return paras


def segment(text: str) -> Segmented:
    """Cut a source text into kept lines and paragraphs.

    Args:
        text: the NFC source text of a whole file.

    Returns:
        A :class:`Segmented` holding the lines, paragraphs and the original text.
    """
    lines, gazette = clean_lines(text)
    return Segmented(text, lines, reflow(lines), gazette)


def search_text(s: str) -> str:
    """A copy of ``s`` with modern tone placement, same length (for matching)."""
    m = modern_tones(s)
    return m if len(m) == len(s) else s


_SENT_END = re.compile(rf"(?<=[.!?;])\s+(?=[{UP}“\"(])|(?<=\.)\s*…\s+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Split a paragraph into sentence (start, end) index pairs."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if text[max(0, m.start() - 3):m.start()].strip().upper() in {"TP.", "Q.", "P."}:
            continue
        if re.fullmatch(r"\s*(?:\d{1,2}(?:\.\d{1,2})*|[IVXL]+|[a-zđ]|Điều\s+\d+)[.)]", text[start:m.start()]):
            continue  # a list marker ("10. Ngân hàng ..."), not a sentence
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


_ROMAN = re.compile(r"^\s*([IVXL]+)\.\s+(.+)$")
_ARTICLE = re.compile(r"^\s*Điều\s+\d+\s*\.?\s*(.*)$")
_CHAPTER = re.compile(r"^\s*\**\s*Chương\s+[IVXL\d]+\s*\.?\s*\**\s*$")


def heading_title(para: Para) -> str | None:
    """The title of a top-level heading ("II. MỤC TIÊU", "Điều 2. Tổ chức thực hiện") or None."""
    t = para.text.strip("* ")
    m = _ROMAN.match(t) or _ARTICLE.match(t)
    if m:
        return m.group(m.lastindex)  # type: ignore[arg-type]  # both patterns have groups
    if _is_caps(t) and len(t) < 120 and not t.endswith((".", ";")):
        return t
    return None


def is_top_heading(para: Para) -> bool:
    """Whether a paragraph is a Roman-numbered heading, an article or an all-caps heading."""
    return heading_title(para) is not None


def find_sections(paras: list[Para], keys: tuple[str, ...]) -> list[tuple[int, int]]:
    """Paragraph index ranges [start, end) of sections whose heading contains a key.

    A section runs from its heading to the next heading of the same kind
    (Roman numeral, article, all-caps) or the end.
    """
    out = []
    for i, p in enumerate(paras):
        title = heading_title(p)
        if title is None or len(title) > 150:
            continue
        low = title.lower()
        if not any(k in low for k in keys):
            continue
        kind = "roman" if _ROMAN.match(p.text) else "article" if _ARTICLE.match(p.text) else "caps"
        chapter = kind == "caps" and i > 0 and bool(_CHAPTER.match(paras[i - 1].text))
        j = i + 1
        while j < len(paras):
            q = paras[j]
            if kind == "roman" and (_ROMAN.match(q.text) or _ARTICLE.match(q.text)):
                break
            if kind == "article" and _ARTICLE.match(q.text):
                break
            # an all-caps chapter title ("Chương III" / "TỔ CHỨC THỰC HIỆN") holds the articles below it
            if kind == "caps" and (_ROMAN.match(q.text) or _CHAPTER.match(q.text) or
                                   (_ARTICLE.match(q.text) and not chapter) or
                                   (heading_title(q) and _is_caps(q.text))):
                break
            j += 1
        out.append((i, j))
    return out
