"""Whole corpus files through ``extract_text``: key facts and span integrity."""

from pathlib import Path

import pytest

from kg.extract import extract_text
from kg.text import nfc

# the bundled documents: seeds, the Công báo extras and the real corpus (data/raw/*/SOURCES.md)
CORPUS = Path(__file__).resolve().parents[1] / "data" / "raw"
FILES = sorted(CORPUS.glob("*/*.txt"))


def load(name: str):
    path = next((p for p in FILES if p.name == name), None)
    if path is None:
        pytest.skip(f"{name} not in {CORPUS}")
    text = nfc(path.read_text(encoding="utf-8"))
    return text, extract_text(text, name)


def duty_pairs(doc):
    return {(d.agency, d.role) for d in doc.duties}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_span_quotes_the_source(path):
    text = nfc(path.read_text(encoding="utf-8"))
    rec = extract_text(text, path.name)
    assert rec.source == path.name
    for doc in rec.documents:
        for item in [doc, *doc.citations, *doc.duties, *doc.targets]:
            if item.span is not None:
                assert text[item.span.start:item.span.end] == item.span.quote
        for item in [*doc.citations, *doc.duties, *doc.targets]:
            assert item.span is not None and item.span.quote


def test_an_giang_plan_305():
    _, rec = load("002_4b436b8a86b296d8.txt")
    (doc,) = rec.documents
    assert (doc.primary, doc.number, doc.type) == (True, "305/KH-UBND", "Kế hoạch")
    assert (doc.issuer, doc.date, doc.signer) == ("Ủy ban nhân dân tỉnh An Giang", "2024-03-22",
                                                  "Nguyễn Thị Minh Thúy")
    rel = {c.number: c.relation for c in doc.citations if c.number}
    assert rel["01/QĐ-TTg"] == "based_on"
    assert rel["748/KH-UBND"] == "replaces"
    assert rel["78/TTr-BTV"] == "responds_to"
    pairs = duty_pairs(doc)
    assert ("Sở Kế hoạch và Đầu tư tỉnh An Giang", "lead") in pairs
    assert ("Sở Tài chính tỉnh An Giang", "partner") in pairs
    assert ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang", "lead") in pairs
    assert ("Sở Khoa học và Công nghệ tỉnh An Giang", "partner") in pairs  # annex table column
    assert not any("Văn phòng" in a for a, _ in pairs)  # the recipients list assigns nothing
    yearly = [d for d in doc.duties if d.deadline == "2024-10-30"]
    assert yearly and yearly[0].agency == "Ủy ban nhân dân cấp huyện tỉnh An Giang"
    assert yearly[0].recurring == "yearly"
    got = {(t.year, t.min, t.max) for t in doc.targets}
    assert {(2025, 10, None), (2025, 1253, 1253), (2025, 80, None)} <= got


def test_trang_dinh_draft_plan():
    _, rec = load("001_cce61f59d9a54a40.txt")
    (doc,) = rec.documents
    assert (doc.number, doc.issuer, doc.signer) == (None, "Ủy ban nhân dân huyện Tràng Định", "Vũ Đức Thiện")
    assert {c.number for c in doc.citations if c.number} == {"01/QĐ-TTg", "235/KH-ĐCT", "94/KH-UBND"}
    pairs = duty_pairs(doc)
    assert ("Phòng Tài chính - Kế hoạch huyện Tràng Định", "lead") in pairs
    assert ("Ủy ban nhân dân cấp xã huyện Tràng Định", "lead") in pairs
    assert ("Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn", "partner") in pairs
    assert ("Ủy ban nhân dân huyện Tràng Định", "lead") not in pairs
    assert {(2025, 2, 3), (2030, 80, 100), (2030, 90, None)} <= {(t.year, t.min, t.max) for t in doc.targets}


def test_lang_son_weekly_digest():
    _, rec = load("000_c1303a026aadc4b7.txt")
    docs = {d.number: d for d in rec.documents}
    assert all(not d.primary for d in rec.documents)
    assert "1671/VP-KT" in docs and "425/UBND-KT" in docs
    assert docs["1644/VP-KT"].issuer == "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"
    assert duty_pairs(docs["425/UBND-KT"]) >= {("Ủy ban nhân dân huyện Văn Lãng", "lead"),
                                               ("Ủy ban nhân dân huyện Tràng Định", "lead"),
                                               ("Sở Giao thông vận tải tỉnh Lạng Sơn", "lead")}
    assert {c.number: c.relation for c in docs["1671/VP-KT"].citations}["1919/BNN-VP"] == "implements"
    targets = {(t.year, t.min, t.max) for t in docs["94/KH-UBND"].targets}
    assert {(2025, 20, 25), (2025, 50, None), (2030, 2000, 3000)} <= targets
    assert [(t.year, t.min) for t in docs["93/KH-UBND"].targets] == [(2023, 16368)]


def test_news_that_only_refers_to_a_resolution_describes_it():
    # "... thực hiện theo Nghị quyết 111/2024/QH15 ngày 18/1/2024 của Quốc hội về một số cơ chế, ..."
    _, rec = load("004_eca081be624e73e1.txt")
    (doc,) = rec.documents
    assert (doc.primary, doc.number, doc.type, doc.issuer, doc.date) == (
        False, "111/2024/QH15", "Nghị quyết", "Quốc hội", "2024-01-18")
    assert doc.duties == [] and doc.targets == []


def test_directive_21_ct_ttg():
    _, rec = load("ct-21-ct-ttg-2026-sap-xep-thon-to-dan-pho.txt")
    (doc,) = rec.documents
    assert (doc.number, doc.issuer, doc.date, doc.signer) == ("21/CT-TTg", "Thủ tướng Chính phủ", "2026-05-20",
                                                              "Phạm Thị Thanh Trà")
    assert {c.number: c.relation for c in doc.citations}["34-KL/TW"] == "implements"
    deadlines = {(d.agency, d.deadline) for d in doc.duties}
    assert ("Ủy ban nhân dân cấp tỉnh", "2026-06-10") in deadlines
    assert ("Bộ Công an", "2026-05-25") in deadlines
    modal = {(d.agency, d.modality) for d in doc.duties}
    assert ("Ban Tuyên giáo và Dân vận Trung ương", "request") in modal


def test_resolution_126_responds_to_five_submissions():
    _, rec = load("nq-126-nq-cp-2026-lang-van-hoa.txt")
    (doc,) = rec.documents
    responds = {c.number for c in doc.citations if c.relation == "responds_to"}
    assert {"202/TTr-BVHTTDL", "192/TTr-BVHTTDL", "82/TTr-UBND"} <= responds
    assert ("Ủy ban nhân dân thành phố Hà Nội", "partner") in duty_pairs(doc)
    assert ("Bộ Văn hóa, Thể thao và Du lịch", "lead") in duty_pairs(doc)


def test_decision_893_annex_and_targets():
    _, rec = load("qd-893-qd-ttg-2026-de-an-nang-luong-nguyen-tu.txt")
    (doc,) = rec.documents
    assert (doc.number, doc.signer) == ("893/QĐ-TTg", "Hồ Quốc Dũng")
    assert {c.number: c.relation for c in doc.citations}["34/2014/TT-BKHCN"] == "mentions"
    assert ("Bộ Ngoại giao", "lead") in duty_pairs(doc)
    assert {(2035, 4, 5), (2030, 50, None)} <= {(t.year, t.min, t.max) for t in doc.targets}
