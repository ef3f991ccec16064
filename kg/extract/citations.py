"""Citations: every "Số, ký hiệu" a document refers to, and how it relates to it."""

from __future__ import annotations

import re

from kg.extract.agencies import Jurisdiction, find_all
from kg.extract.dates import first_date
from kg.extract.header import TYPES, clean_number, issuer_from_number, type_from_number
from kg.extract.segment import UP, Para, search_text
from kg.records import Citation
from kg.text import fold

_UP = "A-ZĐÂĂÊÔƠƯ"
# 305/KH-UBND, 15/2019/TT-BYT, 111/2024/QH15, 03/CTrPH-BCA-BGDĐT, "s165/NQ-CP", "1671 /VP-KT";
# party numbers 19-NQ/TW, "09- NQ/TU"
NUMBER = re.compile(
    rf"(?<![\w/.-])([a-z]?\d{{1,5}}\s?/\s?(?:\d{{4}}\s?/\s?)?[{_UP}][\w&Đđ]*(?:(?:[-/]\s?|\s[-/](?=[{_UP}])|\.(?=[{_UP}]{{2}}|[{_UP}]{{1,3}}(?!\w))|(?<=&)\s(?=[{_UP}]))[\w&Đđ]+)*"
    rf"|\d{{1,5}}\s?-\s?[{_UP}][\w]*\s?/\s?[{_UP}][\w]*)")
_TYPE_WORDS = sorted(set(TYPES) | {"văn bản", "Chương trình hành động", "Kết luận Thanh tra"}, key=len, reverse=True)
_TYPE_BEFORE = re.compile(rf"(?i:({'|'.join(re.escape(t) for t in _TYPE_WORDS)}))(?:\s+(?:số|số:))?\s*$")
_CLAUSE = re.compile(r";\s+|\.\s+(?=[A-ZĐ])|\s\|\s")  # a table cell is a clause of its own
_IMPLEMENT = re.compile(r"(?:thực hiện|triển khai|thi hành|cụ thể hóa)\s+(?:\S+\s+){0,3}$", re.I)
# "sơ kết việc thực hiện", "đánh giá kết quả thực hiện": a review of how another text is carried out
# (not "về việc thực hiện Công văn số ...", which carries it out)
_REVIEW = re.compile(r"\b(?:sơ kết|tổng kết|đánh giá|kiểm tra|giám sát|theo dõi)\s+"
                     r"(?:(?:việc|tình hình|kết quả|quá trình)\s+)?$", re.I)
_OWN = r"(?:Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Thông tư|Văn bản|Chương trình|Nghị định|Quy chế|Quy định)\s+này"
# "Kế hoạch này thay thế ...", "Quyết định này có hiệu lực kể từ ngày ký và thay thế ...", "Bãi bỏ ..."
_REPLACE = re.compile(rf"(?:{_OWN}\s+(?:[^;.]{{0,80}}?\s)?)(thay thế|bãi bỏ|sửa đổi,?\s*bổ sung)"
                      r"|^\s*(?:Điều\s+\d+\.?\s+)?(Thay thế|Bãi bỏ|Sửa đổi,?\s*bổ sung)", re.I)
# a clause that is only a document reference, continuing a list ("; Quyết định số 15/2021/QĐ-UBND của UBND tỉnh")
_DOC_ITEM = re.compile(r"^\s*(?:[-+]\s*)?(?:Quyết định|Nghị quyết|Chỉ thị|Thông tư|Kế hoạch|Văn bản|Công văn|Quy định|Quy chế|"
                       r"Hướng dẫn|Nghị định)\s+(?:số\s+)?\S*\d", re.I)
# "... hết hiệu lực (thi hành) kể từ ngày Quyết định này có hiệu lực": the cited text is repealed by this one
_EXPIRES = re.compile(r"hết hiệu lực(?:\s+thi hành)?(?:\s+(?:kể\s+)?từ\s+ngày\s+(?:Quyết định|Nghị quyết|Thông tư|Chỉ thị)\s+này)?", re.I)
_RESPOND = re.compile(r"(?:xét|theo)\s+đề nghị|xét\s+Tờ trình|nhận được|trả lời|phúc đáp|theo\s+Tờ trình", re.I)
_LAW = re.compile(rf"\b(Luật|Bộ luật|Pháp lệnh)\s+((?:[{UP}]|sửa đổi)[^;:.()“”]*?)"
                  r"(?=\s+(?:ngày|số|năm|hiện hành|và các|và Luật|đã|được|về|quy định)\b|[;,.()]|\s*$)")
_SCHEME = re.compile(r"(?:thực hiện|triển khai)\s+(?:thực hiện\s+)?Đề án\s+[“\"]([^”\"]{5,300})[”\"]", re.I)
_RELATION_ORDER = {"replaces": 0, "repeals": 0, "amends": 0, "based_on": 1, "responds_to": 1, "implements": 1,
                   "mentions": 2}


def _relation(clause: str, rel_pos: int, mode: str | None, own: str | None = None) -> str:
    before = clause[:rel_pos]
    r = _REPLACE.search(before)
    if r:
        word = (r.group(1) or r.group(2)).lower()
        return "replaces" if word.startswith("thay") else "repeals" if word.startswith("bãi") else "amends"
    if _RESPOND.search(before):
        return "responds_to"
    if mode == "based_on":
        return "based_on"
    imp = _IMPLEMENT.search(before[-60:])
    if imp and _REVIEW.search(before[:len(before) - 60 + imp.start() if len(before) > 60 else imp.start()]):
        imp = None  # "Sơ kết việc thực hiện Chỉ thị số 31/CT-TTg": the implementation of another text, reviewed
    if imp:
        # "Kế hoạch số 181/KH-UBND ... triển khai thực hiện Quyết định số 1804/QĐ-TTg": the other
        # document implements it, not this one
        key = len(before) - 60 + imp.start() if len(before) > 60 else imp.start()
        others = [m for m in NUMBER.finditer(before[:key]) if clean_number(m.group(1)) != own]
        if not (others and key - others[-1].end() < 120):
            return "implements"
    elif mode == "implements" and not re.search(r"\b(?:tại|theo)\s*$", before):
        return "implements"
    return "mentions"


def _cited_type(clause: str, start: int, number: str) -> str | None:
    m = _TYPE_BEFORE.search(clause[max(0, start - 40):start])
    if m and m.group(1).lower() not in ("văn bản",):
        word = m.group(1)
        for t in _TYPE_WORDS:
            if t.lower() == word.lower():
                return "Chương trình" if t == "Chương trình hành động" else "Kết luận" if t.startswith("Kết luận") else t
    return type_from_number(number)


def _cited_issuer(after: str, number: str, j: Jurisdiction) -> tuple[str | None, bool]:
    """(issuer, whether the text names it): "... của UBND tỉnh X", else the issuer the number's abbreviation
    gives."""
    m = re.match(r"[^;]{0,40}?\bcủa\s+", after)
    if m:
        found = find_all(after[m.end():m.end() + 80], j)
        if found and found[0].start == 0:
            return found[0].names[0], True
    return issuer_from_number(number, j), False


def _title(after: str) -> str | None:
    t = re.sub(r"^\s*,?\s*(?:ngày\s+)?(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
               "", after)
    t = re.sub(r"^\s*(?:của\s+(?:[^\s]+\s+){1,8}?(?=về|phê duyệt|ban hành|quy định|sửa đổi|thực hiện|triển khai))", "", t)
    t = re.split(r"\s*(?:;|\(|\)|(?<!\d)\.(?!\d)|,\s*(?:ngày|số)\b)", t)[0].strip(" ,")
    return t[:300] or None


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Split a paragraph into clauses at ";" and sentence ends."""
    out, start = [], 0
    for m in _CLAUSE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


# outside the preamble, "Căn cứ" states a basis only when a document follows it at once
# ("Căn cứ Quyết định số ..."), not in an instruction ("Căn cứ lập dự toán theo Thông tư số ...")
_BASIS = re.compile(r"^\s*Căn cứ\s+(?:vào\s+)?(?:các\s+)?(?:Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị quyết|Nghị định|"
                    r"Quyết định|Thông tư|Chỉ thị|Kế hoạch|Công văn|Văn bản|Thông báo|Kết luận|Chương trình|"
                    r"Đề án|Tờ trình|Hướng dẫn|Quy định|Quy chế)\b")


def cite_paragraph(para: Para, orig: str, j: Jurisdiction, preamble: bool, own: str | None = None) -> list[Citation]:
    """All citations of one paragraph, with their relation.

    Args:
        para: the paragraph.
        orig: the original source text (for spans).
        j: the jurisdiction of the citing document.
        preamble: whether the paragraph belongs to the preamble, where a bare
            "Thực hiện ..." means the document implements what follows.
        own: the citing document's own number.
    """
    text = search_text(para.text)
    out: list[Citation] = []
    mode = None
    if re.match(r"^\s*Căn cứ\b", text) and (preamble or _BASIS.match(text)):
        mode = "based_on"
    elif preamble and re.match(r"^\s*(?:Thực hiện|Triển khai)\b", text):
        mode = "implements"
    list_rel = None  # "thay thế các Quyết định: Quyết định số A; Quyết định số B": the list shares the verb
    for a, b in clause_spans(text):
        clause = text[a:b]
        if text[max(0, a - 2):a] == "| ":
            mode, list_rel = None, None  # a table cell: what the cell before it said does not carry over
        if not preamble and mode == "based_on" and a > 0 and text[:a].rstrip().endswith("."):
            mode = None  # "Căn cứ vào các nguồn kinh phí, ... . Đối với ...": the next sentence of a body paragraph
        if re.match(r"^\s*Căn cứ\b", clause) and (preamble or _BASIS.match(clause)):
            mode = "based_on"
        elif not preamble and mode == "based_on" and re.match(r"^\s*Căn cứ\b", clause):
            mode = None  # "Căn cứ lập dự toán theo Thông tư số ...": an instruction of the body, not a basis
        elif _RESPOND.match(clause.strip()):
            mode = "responds_to"
        span = para.span(orig, a, b)
        for m in NUMBER.finditer(clause):
            number = clean_number(m.group(1))
            if not number or re.match(r"^\d+/\d+$", number):
                continue
            rel = "responds_to" if mode == "responds_to" else _relation(clause, m.start(), mode, own)
            if rel == "mentions" and list_rel:
                rel = list_rel
            after = clause[m.end():]
            d = first_date(after[:40])
            issuer, named = _cited_issuer(after, number, j)
            out.append(Citation(number=number, type=_cited_type(clause, m.start(), number),
                                issuer=issuer, date=d[0] if d else None,
                                title=_title(after), relation=rel, span=span, issuer_named=named))
        lead = _REPLACE.search(clause)
        if lead and (":" in clause[lead.end():lead.end() + 40] or text[b:b + 2].startswith(";")):
            # "thay thế các Quyết định: A; B", "thay thế Quyết định số A; Quyết định số B": the list shares the verb
            word = (lead.group(1) or lead.group(2)).lower()
            list_rel = "replaces" if word.startswith("thay") else "repeals" if word.startswith("bãi") else "amends"
        elif list_rel and not _DOC_ITEM.match(clause):
            list_rel = None  # the list has ended
        if not preamble and _EXPIRES.search(clause):  # "Quyết định số ... hết hiệu lực": this document ends it
            for c in out:
                if c.relation == "mentions" and c.span and c.span.start >= para.span(orig, a, b).start:
                    c.relation = "repeals"
        for m in _LAW.finditer(clause):
            if m.start() > 0 and clause[m.start() - 1].isalpha():
                continue
            title = f"{m.group(1)} {m.group(2).strip()}"
            if len(title.split()) < 3 or re.search(r"\d", title):
                continue
            rel = "based_on" if mode == "based_on" else "mentions"
            d = first_date(clause[m.end():m.end() + 40])
            out.append(Citation(number=None, type="Luật" if m.group(1) == "Luật" else m.group(1),
                                issuer="Quốc hội", date=d[0] if d else None, title=title, relation=rel,
                                span=span))
        for m in _SCHEME.finditer(clause):
            out.append(Citation(number=None, type="Đề án", issuer=None, date=None, title=m.group(1).strip(),
                                relation="implements", span=span))
    return out


_STATE_NUMBER_WITHOUT_YEAR = re.compile(r"^\d+/(?!(?:19|20)\d\d/)")


def _other_document(a: Citation, date: str | None) -> bool:
    """Whether citation `a` and a document of the same number issued on `date` are two documents: both dates
    are given and differ, and the number is a state body's number without its year ("106/KH-UBND": such numbers
    start again each year at each issuer, so two bodies' plans share them).  A number holding its year
    ("37/2019/NĐ-CP") or a Party number ("59-NQ/TW", numbered through a term) is one document whatever date a
    sentence puts after it (the date of the next document of a list, a typo)."""
    return bool(a.date and date and a.date != date and a.number and _STATE_NUMBER_WITHOUT_YEAR.match(a.number))


def _is_itself(c: Citation, own_date: str | None, own_issuer: str | None) -> bool:
    """Whether a citation of the citing document's own number is that document.  An issuer numbers its documents
    once a year, so it is another document only when its date is another and either its year is another or the
    text names another issuer ("Căn cứ Kế hoạch số 106/KH-UBND ngày 5/4/2023 của UBND thành phố" in a district's
    106/KH-UBND of 9/6/2023); "Ban hành kèm theo Quyết định số 2969/QĐ-UBND ngày 21/12/2025" in the annex of
    2969/QĐ-UBND of 21/11/2025 is the document itself, a day mistyped."""
    if not _other_document(c, own_date):
        return True
    assert c.date is not None and own_date is not None  # _other_document: both given
    if c.date[:4] != own_date[:4]:
        return False
    return not (c.issuer_named and c.issuer and own_issuer and fold(c.issuer) != fold(own_issuer))


def merge(citations: list[Citation], own_number: str | None = None, own_date: str | None = None,
          own_issuer: str | None = None) -> list[Citation]:
    """One citation per document, keeping the strongest relation: per number, or per title when unnumbered.

    A number is not a document's whole identity: a district's "Kế hoạch số 106/KH-UBND" may cite the province's
    "Kế hoạch số 106/KH-UBND ngày 5/4/2023 của UBND thành phố": citations of one number with different dates are
    kept apart (`_other_document`), and a citation of the citing document's own number is dropped when it is
    that document (`_is_itself`).
    """
    out: list[Citation] = []
    by_key: dict[str, list[Citation]] = {}
    own = re.sub(r"\W", "", own_number or "").upper()
    for c in citations:
        key = re.sub(r"\W", "", c.number).upper() if c.number else "t:" + (c.title or "").lower()
        if own and key == own and _is_itself(c, own_date, own_issuer):
            continue
        same = by_key.setdefault(key, [])
        first = next((f for f in same if not _other_document(c, f.date)), None)
        if first is None:
            same.append(c)
            out.append(c)
            continue
        if _RELATION_ORDER[c.relation] < _RELATION_ORDER[first.relation]:
            first.relation = c.relation
        for f in ("type", "issuer", "date", "title"):  # later full citations fill the gaps
            if getattr(first, f) is None and getattr(c, f) is not None:
                setattr(first, f, getattr(c, f))
        if c.issuer_named and not first.issuer_named:  # a named issuer over one the number gave
            first.issuer, first.issuer_named = c.issuer, True
    return out
