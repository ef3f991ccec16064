"""Information extractor: source text -> extraction record (spec version 1).

Stages, in order: :mod:`layout` (a portal page or markdown export -> the document's plain
layout, with a map back to the original offsets), :mod:`segment` (boilerplate, re-flow, sections),
:mod:`header` (number, type, issuer, date, title, signer), :mod:`citations`,
:mod:`agencies` (gazetteer), :mod:`duties`, :mod:`targets` and :mod:`digest`
(news items and weekly digests).  Pure functions, no I/O.
"""

from __future__ import annotations

import re

from kg.extract.agencies import Jurisdiction
from kg.extract.citations import cite_paragraph, merge
from kg.extract.digest import describe
from kg.extract.duties import DutyReader
from kg.extract.header import Header, jurisdiction_of, parse_header
from kg.extract.layout import Layout, layout
from kg.extract.segment import Para, Segmented, find_sections, segment, sentences
from kg.extract.tables import read_pipe_tables, read_tables
from kg.extract.targets import extract_targets
from kg.records import Document, Record, Span

__all__ = ["extract_text"]

_OPERATIVE = re.compile(r"^\s*\**\s*QUYẾT (?:ĐỊNH|NGHỊ)\s*:")
_BODY_START = re.compile(r"^\s*(?:[IVX]+\.\s|1\.\s|Điều\s+1\b|QUYẾT (?:ĐỊNH|NGHỊ)\s*:|Phần\s+(?:I|1|thứ))")
_DUTY_SECTIONS = ("tổ chức thực hiện", "phân công nhiệm vụ", "phân công trách nhiệm", "trách nhiệm thực hiện",
                  "trách nhiệm của", "trách nhiệm tổ chức", "trách nhiệm thi hành", "chế độ báo cáo")
# the title line of a text issued with a decision: "KẾ HOẠCH", "CHƯƠNG TRÌNH", "ĐỀ ÁN" (not "QUY ĐỊNH": rules set no targets)
_ATTACHED = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|ĐỀ ÁN)\b(?!.*[a-zđ])")
_GIVEN = re.compile(r"\(\s*Giao\s+(?!nhiệm vụ\b)")
_CENTRAL_ISSUERS = ("Thủ tướng", "Chính phủ", "Bộ ", "Văn phòng Chính phủ", "Quốc hội")


def _sign_para(seg: Segmented, h: Header) -> int:
    """Index of the first paragraph of the signature block or recipients list (or the end)."""
    ends = [len(seg.paras)]
    if h.sign_line is not None:
        start = seg.lines[h.sign_line].start
        ends.append(next((i for i, p in enumerate(seg.paras) if p.pos and p.pos[0] >= start), len(seg.paras)))
    ends.append(next((i for i, p in enumerate(seg.paras) if re.match(r"^\s*\**\s*Nơi nhận", p.text)),
                     len(seg.paras)))
    return min(ends)


def _primary(seg: Segmented, h: Header, j: Jurisdiction) -> Document:
    paras = seg.paras
    title_para = 0
    if h.title_line is not None:
        tl = seg.lines[h.title_line].start
        title_para = next((i for i, p in enumerate(paras) if p.pos and p.pos[0] >= tl), 0)
    sign = _sign_para(seg, h)
    body = next((i for i in range(title_para + 1, sign) if _BODY_START.match(paras[i].text)), title_para + 1)
    doc = Document(primary=True, number=h.number, type=h.type, issuer=h.issuer, date=h.date, signer=h.signer,
                   title=h.title, signer_post=h.signer_post, place=h.place,
                   issuer_within=j.dj if j.level == "commune" and j.district and j.commune else None)
    if h.title_line is not None:
        ln = seg.lines[h.title_line]
        doc.span = Span(ln.start, ln.end, seg.orig[ln.start:ln.end])
    cits = []
    for i, p in enumerate(paras):
        if i < title_para:
            continue
        cits += cite_paragraph(p, seg.orig, j, preamble=i < body, own=h.number)
    doc.citations = merge(cits, h.number, h.date, h.issuer)
    # duties: the operative part of a decision/resolution, else the "Tổ chức thực hiện" sections
    issuer_central = bool(h.issuer and h.issuer.startswith(_CENTRAL_ISSUERS))
    reader = DutyReader(seg.orig, j, h.year, issuer_central, issuer=h.issuer)
    reader.doc_date = h.date
    op = next((i for i in range(title_para, sign) if _OPERATIVE.match(paras[i].text)), None)
    if op is not None:
        ranges = [(op + 1, sign)]
    else:
        secs = [(a, min(b, sign)) for a, b in find_sections(paras[:sign], _DUTY_SECTIONS)]
        ranges = secs or [(body, sign)]
        if secs and secs[-1][1] < sign:
            ranges.append((secs[-1][1], sign))
    # a plan or regulation issued with the decision follows its signature
    ranges += [(a, b) for a, b in find_sections(paras, _DUTY_SECTIONS) if a >= sign]
    for a, b in ranges:
        reader.reset()
        for p in paras[a:b]:
            doc.duties += reader.read(p)
    covered = {i for a, b in ranges for i in range(a, b)}
    # field lines under the tasks of any other section: "Đơn vị chủ trì: Sở Tư pháp." "Thời gian thực hiện: ..."
    reader.reset()
    for i in range(body, len(paras)):
        if i in covered:
            reader.reset()
        else:
            doc.duties += reader.read(paras[i], fields_only=True)
    # a task of any other section assigned in brackets: "... (Giao Công an tỉnh chủ trì, phối hợp với ...)"
    for i in range(body, len(paras)):
        p = paras[i]
        if i in covered or "(" not in p.text:
            continue
        for m in _GIVEN.finditer(p.text):
            close = p.text.find(")", m.end())
            if close < 0:
                continue
            reader.reset()
            doc.duties += reader.read(Para(text=p.text[m.start() + 1:close], pos=p.pos[m.start() + 1:close]))
    # task tables, in the body or in an appendix ("| Nhiệm vụ | Cơ quan chủ trì | ... |")
    doc.duties += read_pipe_tables(seg, h.title_line or 0, j, h.year)
    if h.sign_line is not None:
        doc.duties += read_tables(seg, h.sign_line, j, h.year)
    # targets: "Mục tiêu" sections, else sentences that say "chỉ tiêu"/"phấn đấu"
    inside = [False] * len(paras)
    for a, b in find_sections(paras, ("mục tiêu", "chỉ tiêu")):
        for i in range(a, b):
            inside[i] = True
    if any(inside):
        doc.targets = extract_targets([p for p, x in zip(paras, inside) if x], seg.orig, [True] * sum(inside),
                                      h.year, sentences)
    else:
        # the decision's own articles, then a plan or programme issued with it (after the signature)
        attached = next((i for i in range(sign, len(paras)) if _ATTACHED.match(paras[i].text.strip("* "))), len(paras))
        scope = paras[body:sign] + paras[attached:]
        doc.targets = extract_targets(scope, seg.orig, [False] * len(scope), h.year, sentences)
    return doc


def extract_text(text: str, source: str) -> Record:
    """Extract the documents, citations, duties and targets of one source file.

    Args:
        text: the NFC text of the whole file.
        source: the file name recorded in ``Record.source``.

    Returns:
        The extraction record; its ``documents`` list is empty when the text
        holds no recognisable document.
    """
    lay = layout(text)
    seg = segment(lay.text)
    j = jurisdiction_of(seg, lay.meta)
    h = parse_header(seg, j, lay.meta)
    if h.issuer and h.issuer.startswith("Bộ "):
        j.ministry = h.issuer
    if h.is_document:
        docs = [_primary(seg, h, j)]
    else:
        docs = describe(seg, j)
    for doc in docs:
        _to_original(doc, lay, text)
    return Record(source=source, documents=docs)


def _to_original(doc: Document, lay: Layout, text: str) -> None:
    """Point every span of a document read from the layout back into the original text."""
    def remap(span: Span | None) -> Span | None:
        if span is None:
            return None
        start, end = lay.to_original(span.start, span.end)
        return Span(start, end, text[start:end])

    doc.span = remap(doc.span)
    for item in (*doc.citations, *doc.duties, *doc.targets):
        item.span = remap(item.span)  # type: ignore[attr-defined]  # Citation, Duty and Target all have a span
