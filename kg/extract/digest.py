"""News items and weekly digests: the documents they describe (``primary: false``)."""

from __future__ import annotations

import re

from kg.extract.agencies import Jurisdiction, find_all, match_at
from kg.extract.citations import cite_paragraph, merge
from kg.extract.dates import first_date, iso
from kg.extract.duties import DutyReader
from kg.extract.header import TYPES, clean_number, issuer_from_number, type_from_number
from kg.extract.scan import match_from
from kg.extract.segment import Para, Segmented, search_text, sentences
from kg.extract.targets import extract_targets
from kg.records import Document

_TYPE_ALT = "|".join(sorted((re.escape(t) for t in TYPES), key=len, reverse=True))
# "(Quyết định số 557/QĐ-UBND, ngày 10/4/2023)", "ban hành Kế hoạch số 93/KH-UBND ngày 16/4/2023"
_DESCRIBED = re.compile(
    rf"\((?P<src>[Tt]heo\s+)?(?P<t1>{_TYPE_ALT})\s+số\s+(?P<n1>[^,;()]+?)\s*,?\s*(?P<d1>ngày[^)]*)?\)"
    rf"|(?:(?:vừa|đã|mới)\s+)?(?:ký\s+)?(?:ban hành|có|phê duyệt|ký)\s+(?P<t2>{_TYPE_ALT})\s+(?:số\s+)?"
    rf"(?P<n2>[a-z]?\d[^\s,;()]*(?:\s/[^\s,;()]+)?)"
    rf"\s*,?\s*(?P<d2>ngày\s+[\d/]+(?:\s+tháng\s+\d+\s+năm\s+\d{{4}})?)?")
# "Liên minh Hợp tác xã Việt Nam xây dựng kế hoạch triển khai": an unnumbered plan
_UNNUMBERED = re.compile(r"^\s*(?:đã\s+|vừa\s+|sẽ\s+)?(?:(?:xây dựng|ban hành)\s+(kế hoạch|chương trình|đề án)\b"
                         r"|(quyết định)\s+(?:chi|phân bổ|hỗ trợ|phê duyệt|giao)\b"
                         r"|(?:có|ban hành|gửi)\s+(văn bản|công văn)\s+(?:gửi|đến|yêu cầu|chỉ đạo|về)\b)", re.I)
# an order of the issuer's head, in an item that names its instrument only as "công văn"/"văn bản":
# "Chủ tịch UBND tỉnh đề nghị Ủy ban MTTQ Việt Nam tỉnh, ... Xem chi tiết công văn đính kèm"
_HEAD_ORDER = re.compile(r"^\s*(?:đã\s+|vừa\s+)?(?:có văn bản\s+)?(?:đề nghị|yêu cầu|chỉ đạo|giao)\b")
_GENERIC_LETTER = re.compile(r"\b(?:[Cc]ông văn|[Vv]ăn bản)\b")


def _is_heading(p: Para) -> bool:
    t = p.text.strip()
    return len(t) < 260 and not t.endswith((".", ":", ";", "…")) and not _DESCRIBED.search(t)


def _title(p: Para, m: re.Match, heading: Para | None) -> str | None:
    after = p.text[m.end():].strip(" ,.")
    if re.match(r"^(?:về|v/v)\b", after, re.I):
        t = re.split(r"(?<=[^\d])\.\s", after)[0]
        return t[:1].upper() + t[1:]
    if heading is not None:
        return heading.text.strip()
    return None


def describe(seg: Segmented, j: Jurisdiction) -> list[Document]:
    """Documents a news item or digest describes, each with its own facts.

    Args:
        seg: the segmented source.
        j: the jurisdiction the article is about.

    Returns:
        One ``primary=False`` Document per described document.
    """
    paras = seg.paras
    intros: list[tuple[int, re.Match]] = []
    for i, p in enumerate(paras):
        m = _DESCRIBED.search(search_text(p.text))
        if m:
            number = clean_number(m.group("n1") or m.group("n2"))
            if number:
                intros.append((i, m))
    docs: list[Document] = []
    if not intros:
        return _unnumbered(seg, j) or _mentioned(seg, j)
    starts = []
    for i, _ in intros:
        starts.append(i - 1 if i > 0 and _is_heading(paras[i - 1]) else i)
    for k, (i, m) in enumerate(intros):
        lo = starts[k]
        hi = starts[k + 1] if k + 1 < len(intros) else len(paras)
        if k + 1 < len(intros) and hi <= i:
            hi = intros[k + 1][0]
        if len(intros) == 1 and m.group("src") and re.match(r"^\s*\(", paras[i].text):
            lo = 0  # a closing "(Theo Công văn số ...)" line: the whole item is about that document
        region = paras[lo:hi]
        number = clean_number(m.group("n1") or m.group("n2"))
        dtype = m.group("t1") or m.group("t2") or type_from_number(number)
        d = first_date(m.group("d1") or m.group("d2") or "")
        if d is None:  # "Ngày 20/3/2025, UBND tỉnh có Quyết định 712/QĐ-UBND ..."
            d = first_date(search_text(paras[i].text)[max(0, m.start() - 80):m.start()])
        date = d[0] if d else _day_month(search_text(paras[i].text)[max(0, m.start() - 80):m.start()], seg)
        year = int(date[:4]) if date else None
        heading = paras[lo] if lo < i else None
        issuer = _named_issuer(issuer_from_number(number, j), search_text(paras[i].text)[:m.start()], region, j)
        doc = Document(primary=False, number=number, type=dtype, issuer=issuer, date=date,
                       signer=None, title=_title(paras[i], m, heading),
                       span=paras[i].span(seg.orig, m.start(), m.end()))
        cits = []
        for p in region:
            cits += cite_paragraph(p, seg.orig, j, preamble=False, own=number)
        doc.citations = merge(cits, number, doc.date, doc.issuer)
        reader = DutyReader(seg.orig, j, year, issuer_central=False, issuer=doc.issuer)
        for p in region:
            doc.duties += reader.read(p)
        doc.targets = extract_targets(region, seg.orig, [False] * len(region), year, sentences)
        docs.append(doc)
    return docs


_DAY_MONTH = re.compile(r"\b[Nn]gày\s+(\d{1,2})\s*[/.]\s*(\d{1,2})\b(?!\s*[/.]\s*\d)")


def _dateline(seg: Segmented) -> str | None:
    """The article's own date ("09:10, 14/10/2021", "Cập nhật: 05/07/2018"): its first full date."""
    line = first_date(" ".join(search_text(p.text) for p in seg.paras[:6]))
    return line[0] if line else None


def _reader(seg: Segmented, j: Jurisdiction, **kw) -> DutyReader:
    """A duty reader for a document the article describes without a date: dates fall in the article's year."""
    day = _dateline(seg)
    reader = DutyReader(seg.orig, j, int(day[:4]) if day else None, **kw)
    reader.doc_date = day
    return reader


def _day_month(before: str, seg: Segmented) -> str | None:
    """ "Ngày 4/7, UBND tỉnh ... ban hành Kế hoạch 342/KH-UBND": the year is the article's own.

    The article's dateline ("Cập nhật: 05/07/2018", "Thứ Hai, 17/03/2025") is the first
    full date of the item; the day and month may not fall after it.
    """
    m = _DAY_MONTH.search(before)
    if not m:
        return None
    day = _dateline(seg)
    if not day:
        return None
    value = iso(int(m.group(1)), int(m.group(2)), int(day[:4]))
    return value if value and value <= day else None


def _named_issuer(issuer: str | None, before: str, region: list[Para], j: Jurisdiction) -> str | None:
    """ "UBND huyện có Công văn số 19/UBND-VP": the article's own words name the issuer's level.

    The ký hiệu only says "UBND"; when the place is unknown, the agency written
    before the number (else the first one of the region) that starts with that
    name gives its level ("Ủy ban nhân dân huyện").
    """
    if issuer not in ("Ủy ban nhân dân", "Hội đồng nhân dân", "Văn phòng Ủy ban nhân dân"):
        return issuer
    cands = find_all(before, j)[::-1] + [m for p in region for m in find_all(search_text(p.text), j)]
    for m in cands:
        name = m.names[0]
        if name.startswith(issuer + " ") and " cấp " not in name and not name.startswith(issuer + " và"):
            return name
    return issuer


def _unnumbered(seg: Segmented, j: Jurisdiction) -> list[Document]:
    """A news item about one unnumbered plan: "<Agency> xây dựng kế hoạch ..."."""
    paras = seg.paras
    for i, p in enumerate(paras[:8]):
        text = search_text(p.text)
        for a, b in sentences(text):
            sent = text[a:b]
            for mention in find_all(sent, j):
                tail = match_from(_UNNUMBERED, sent, mention.end)
                if not tail:
                    continue
                dtype = "Công văn" if tail.group(3) else (tail.group(1) or tail.group(2)).capitalize()
                title = sent[mention.end:].strip().rstrip(".")
                doc = Document(primary=False, number=None, type=dtype, issuer=mention.names[0], date=None,
                               signer=None, title=title[:1].upper() + title[1:300],
                               span=p.span(seg.orig, a, b))
                cits = []
                for k, q in enumerate(paras):
                    cits += cite_paragraph(q, seg.orig, j, preamble=k <= i)
                doc.citations = merge(cits)
                reader = _reader(seg, j, issuer_central=mention.central, issuer_kind=mention.kind)
                for q in paras:
                    doc.duties += reader.read(q)
                doc.targets = extract_targets(paras, seg.orig, [False] * len(paras), reader.year, sentences)
                return [doc]
    return _head_letter(seg, j)


def _head_letter(seg: Segmented, j: Jurisdiction) -> list[Document]:
    """A news item about an unnumbered letter known only by its head's order ("Chủ tịch UBND tỉnh đề nghị ...")."""
    full = " ".join(search_text(p.text) for p in seg.paras)
    if not _GENERIC_LETTER.search(full):
        return []
    for p in seg.paras[:8]:
        text = search_text(p.text)
        for a, b in sentences(text):
            sent = text[a:b]
            post = re.search(r"\b(?:Chủ tịch|Giám đốc|Bộ trưởng|Thủ tướng)\s+", sent)
            mention = match_at(sent, post.end(), j) if post else None
            if not mention or not match_from(_HEAD_ORDER, sent, mention.end):
                continue
            doc = Document(primary=False, number=None, type="Công văn", issuer=mention.names[0], date=None,
                           signer=None, title=None, span=p.span(seg.orig, a, b))
            reader = _reader(seg, j, issuer_central=mention.central, issuer_kind=mention.kind, issuer=mention.names[0])
            for q in seg.paras:
                doc.duties += reader.read(q)
            return [doc] if doc.duties else []
    return []



def _mentioned(seg: Segmented, j: Jurisdiction) -> list[Document]:
    """A news item that only refers to documents: each fully cited one (type, number, date) is described.

    "... theo Nghị quyết 111/2024/QH15 ngày 18/1/2024 của Quốc hội về ..." makes the
    article a source about that resolution, with no duties of its own.
    """
    cits = []
    for p in seg.paras:
        cits += cite_paragraph(p, seg.orig, j, preamble=False)
    docs = []
    for c in merge(cits):
        if c.number and c.type and c.date:
            docs.append(Document(primary=False, number=c.number, type=c.type, issuer=c.issuer, date=c.date,
                                 signer=None, title=c.title, span=c.span))
    return docs
