"""Rules added for a third set of unseen real documents (tests/fixtures/unseen3, see its SOURCES.md).

These are FULL texts (a plan issued by decision, a provincial regulation, a provincial
decision), exported with their header and signature as markdown table rows. The gold records
were written before the extractor was run on them; each miss fixed by a general rule has a
test here on the real sentence, plus one gold check per document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_check import assert_gold_found

from kg.extract import extract_text
from kg.extract.segment import segment, sentences
from kg.extract.targets import extract_targets

UNSEEN3 = Path(__file__).parent / "fixtures" / "unseen3"
TQ = "qd-12-tuyen-quang-2012-tang-qua-nguoi-co-cong.txt"
TTG = "qd-773-ttg-2018-ke-hoach-nguoi-co-cong.txt"


def _record(name: str):
    return extract_text((UNSEEN3 / name).read_text(encoding="utf-8"), name)


def _pairs(doc) -> set[tuple[str, str]]:
    return {(d.agency, d.role) for d in doc.duties}


def _targets(doc) -> set[tuple]:
    return {(t.year, t.min, t.max) for t in doc.targets}


def _doc(text: str):
    return extract_text(text, "t.txt").documents[0]


def test_number_and_date_in_the_cells_of_a_header_table_row():
    # "| Số: 12/2012/QĐ-UBND | Tuyên Quang, ngày 25 tháng 6 năm 2012 |"
    doc = _doc("| UỶ BAN NHÂN DÂN TỈNH TUYÊN QUANG -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
               "| Số: 12/2012/QĐ-UBND | Tuyên Quang, ngày 25 tháng 6 năm 2012 |\n\nQUYẾT ĐỊNH\n\n"
               "VỀ VIỆC BAN HÀNH QUY ĐỊNH TẶNG QUÀ\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy định.\n")
    assert (doc.number, doc.date) == ("12/2012/QĐ-UBND", "2012-06-25")


def test_zero_padded_month_split_by_a_space():
    # "| Số: 773 /QĐ-TTg | Hà Nội, ngày 26 tháng 0 6 năm 2018 |"
    doc = _record(TTG).documents[0]
    assert (doc.number, doc.date) == ("773/QĐ-TTg", "2018-06-26")


@pytest.mark.parametrize("name, signer", [
    (TQ, "Chẩu Văn Lâm"),    # "| Nơi nhận: ... - Lưu VT, VX. | TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm |"
    (TTG, "Nguyễn Xuân Phúc"),  # "| Nơi nhận: ... - Lưu: VT, KGVX (2.b). | THỦ TƯỚNG Nguyễn Xuân Phúc |"
], ids=["tm-chu-tich", "thu-tuong"])
def test_signature_flattened_into_the_last_cell_of_a_table_row(name, signer):
    doc = _record(name).documents[0]
    assert doc.signer == signer
    assert not any("CHỦ" in d.agency for d in doc.duties)


def test_caps_chapter_title_holds_the_articles_below_it():
    # "Chương III\n\nTỔ CHỨC THỰC HIỆN\n\nĐiều 5. Giao trách nhiệm:\n\n1. Sở Lao động - ...:" (after the signature)
    doc = _record(TQ).documents[0]
    tq = " tỉnh Tuyên Quang"
    for pair in [("Sở Tài chính" + tq, "lead"), ("Kho bạc Nhà nước" + tq, "lead"),
                 ("Ủy ban nhân dân cấp huyện" + tq, "lead"), ("Ủy ban nhân dân cấp huyện" + tq, "partner"),
                 ("Ủy ban nhân dân cấp xã" + tq, "lead")]:
        assert pair in _pairs(doc)


def test_replaced_list_after_a_colon_shares_the_verb():
    # "... và thay thế các Quyết định: Quyết định số 110/2005/QĐ-UBND ...; Quyết định số 42/2007/QĐ-UBND ..."
    rel = {c.number: c.relation for c in _record(TQ).documents[0].citations}
    assert rel["110/2005/QĐ-UBND"] == rel["42/2007/QĐ-UBND"] == "replaces"


def test_reviewing_the_implementation_of_another_text_is_a_mention():
    # "- Tham gia sơ kết việc thực hiện Chỉ thị số 31/CT-TTg ngày 28 tháng 11 năm 2012 của Thủ tướng Chính phủ."
    rel = {c.number: c.relation for c in _record(TTG).documents[0].citations}
    assert rel["31/CT-TTg"] == "mentions"
    assert rel["14-CT/TW"] == "implements"


def test_targets_of_the_plan_issued_with_the_decision():
    # "e) Đến năm 2020, phấn đấu đạt 100% gia đình ..., năm 2018 đạt 99%, năm 2019 đạt 99,5%; 98% xã phường ..."
    # "g) Đến năm 2020, 100% người có công ... được lập hồ sơ ...; 90% con, cháu ... được phát hiện sớm ..."
    got = _targets(_record(TTG).documents[0])
    assert {(2020, 100.0, 100.0), (2018, 99.0, 99.0), (2019, 99.5, 99.5), (2020, 98.0, 98.0),
            (2020, 90.0, 90.0)} <= got


def test_year_just_before_each_number():
    text = ("e) Đến năm 2020, phấn đấu đạt 100% gia đình người có công với cách mạng có mức sống bằng hoặc cao hơn "
            "mức trung bình của cộng đồng dân cư nơi cư trú, năm 2018 đạt 99%, năm 2019 đạt 99,5%; 98% xã phường "
            "làm tốt công tác thương binh, liệt sĩ và người có công với cách mạng.")
    seg = segment(text)
    got = {(t.year, t.min) for t in extract_targets(seg.paras, seg.orig, [False] * len(seg.paras), 2018, sentences)}
    assert got == {(2020, 100.0), (2018, 99.0), (2019, 99.5), (2020, 98.0)}



@pytest.mark.parametrize("gold_file", [p.name for p in sorted(UNSEEN3.glob("*.json"))])
def test_unseen3_gold_is_found(gold_file):
    """Every required duty, citation (with its relation) and target of the hand-written records is extracted."""
    assert_gold_found(UNSEEN3, gold_file, relations=True)
