"""Rules added for a fourth set of unseen real documents (tests/fixtures/unseen4, see its SOURCES.md).

Full texts of two provincial regulations (Gia Lai 2011, Thành phố Hồ Chí Minh 2012), a
provincial plan issued by decision (Sơn La 2023) and a ministry's letter (Bộ LĐTBXH 2019),
exported with header and signature as markdown table rows. The gold records were written
before the extractor was run on them; each miss fixed by a general rule has a test here on
the real sentence, plus one gold check per document.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from gold_check import assert_gold_found

from kg.extract import extract_text

UNSEEN4 = Path(__file__).parent / "fixtures" / "unseen4"
HCM = "qd-49-tp-hcm-2012-kinh-phi-nguoi-co-cong.txt"
SL = "qd-254-son-la-2023-bao-ve-bi-mat-nha-nuoc.txt"
CV = "cv-2638-bldtbxh-2019-du-toan-nguoi-co-cong.txt"

HCM_HEAD = ("| ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
            "| Số: 49/2012/QĐ-UBND | Thành phố Hồ Chí Minh, ngày 23 tháng 10 năm 2012 |\n\nQUYẾT ĐỊNH\n\n"
            "BAN HÀNH QUY CHẾ QUẢN LÝ KINH PHÍ\n\nQUYẾT ĐỊNH:\n\n")
SL_HEAD = ("| ỦY BAN NHÂN DÂN TỈNH SƠN LA ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
           "| Số: 254/QĐ-UBND | Sơn La, ngày 17 tháng 02 năm 2023 |\n\nQUYẾT ĐỊNH\n\n"
           "BAN HÀNH KẾ HOẠCH THỰC HIỆN CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC NĂM 2023\n\n"
           "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n\n"
           "|  | CHỦ TỊCH Hoàng Quốc Khánh |\n|---|---|\n\nKẾ HOẠCH\n\nTHỰC HIỆN CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC\n\n")


def _fold(s: str) -> str:
    return re.sub(r"[^\w]+", " ", unicodedata.normalize("NFC", s).casefold()).strip()


def _record(name: str):
    return extract_text((UNSEEN4 / name).read_text(encoding="utf-8"), name)


def _doc(text: str):
    return extract_text(text, "t.txt").documents[0]


def _pairs(doc) -> set[tuple[str, str]]:
    return {(_fold(d.agency), d.role) for d in doc.duties}


def test_district_level_written_as_quan_huyen():
    # "Điều 6. Ủy ban nhân dân quận - huyện có nhiệm vụ" / "Phòng Lao động - Thương binh và Xã hội quận - huyện"
    doc = _doc(HCM_HEAD + "Điều 3. Chủ tịch Ủy ban nhân dân quận - huyện, Trưởng Phòng Lao động - Thương binh và "
               "Xã hội quận - huyện, Giám đốc Kho bạc Nhà nước quận - huyện chịu trách nhiệm thi hành Quyết định này./.\n")
    assert {
        (_fold("Ủy ban nhân dân cấp huyện thành phố Hồ Chí Minh"), "lead"),
        (_fold("Phòng Lao động - Thương binh và Xã hội cấp huyện thành phố Hồ Chí Minh"), "lead"),
        (_fold("Kho bạc Nhà nước cấp huyện thành phố Hồ Chí Minh"), "lead"),
    } <= _pairs(doc)


def test_people_committees_of_every_level_is_no_one_body():
    # "Trong quá trình thực hiện nếu có vướng mắc, Ủy ban nhân dân các cấp, Phòng Lao động - ... phản ánh kịp thời"
    doc = _record(HCM).documents[0]
    assert all(_fold(d.agency) != _fold("Ủy ban nhân dân thành phố Hồ Chí Minh") for d in doc.duties)


def test_article_heading_agency_has_the_duties_of_its_items():
    # "Điều 7. Phòng Lao động - Thương binh và Xã hội quận - huyện có nhiệm vụ" ...
    # "4. Phối hợp với Bảo hiểm xã hội Thành phố để mua, cấp và báo giảm thẻ bảo hiểm y tế cho đối tượng kịp thời."
    doc = _doc(HCM_HEAD + "Điều 7. Phòng Lao động - Thương binh và Xã hội quận - huyện có nhiệm vụ\n\n"
               "4. Phối hợp với Bảo hiểm xã hội Thành phố để mua, cấp và báo giảm thẻ bảo hiểm y tế cho đối tượng "
               "kịp thời.\n")
    pairs = _pairs(doc)
    assert (_fold("Phòng Lao động - Thương binh và Xã hội cấp huyện thành phố Hồ Chí Minh"), "lead") in pairs
    assert (_fold("Bảo hiểm xã hội thành phố Hồ Chí Minh"), "partner") in pairs


def test_partner_list_runs_on_past_a_semicolon():
    # "6. ... (Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh; Sở Tư pháp và các cơ quan, tổ chức có
    # liên quan tham mưu)."
    doc = _doc(SL_HEAD + "IV. TỔ CHỨC THỰC HIỆN\n\n3. Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh; "
               "Sở Tư pháp và các cơ quan, tổ chức có liên quan tham mưu.\n")
    pairs = _pairs(doc)
    assert (_fold("Sở Tư pháp tỉnh Sơn La"), "partner") in pairs
    assert (_fold("Sở Tư pháp tỉnh Sơn La"), "lead") not in pairs


def test_assignment_in_brackets_outside_the_duty_sections():
    # "II. NỘI DUNG CÔNG TÁC" ... "6. Xây dựng và tham mưu với UBND tỉnh ban hành Quy chế bảo vệ BMNN trên địa bàn
    # tỉnh (Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh; Sở Tư pháp và các cơ quan, tổ chức có liên
    # quan tham mưu)."
    doc = _record(SL).documents[0]
    item = [d for d in doc.duties if "(Giao Công an tỉnh chủ trì" in d.text or d.text.startswith("Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh; Sở")]
    got = {(_fold(d.agency), d.role) for d in item}
    assert (_fold("Công an tỉnh Sơn La"), "lead") in got
    assert (_fold("Sở Tư pháp tỉnh Sơn La"), "partner") in got


def test_letter_spaced_ministry_name_in_the_header_cell():
    # "| B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ... |"
    doc = _record(CV).documents[0]
    assert doc.issuer == "Bộ Lao động - Thương binh và Xã hội"


def test_signature_cell_with_the_unit_after_the_post():
    # "| Nơi nhận: ... | TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH Phạm Quang Phụng |"
    doc = _record(CV).documents[0]
    assert doc.signer == "Phạm Quang Phụng"


def test_can_cu_in_the_body_is_an_instruction_not_a_basis():
    # "Căn cứ nội dung chi quy định tại Thông tư số 101/2018/TT-BTC và các nhiệm vụ quản lý kinh phí ... để xây
    # dựng dự toán"; "Căn cứ kế hoạch tài chính - NSNN 03 năm 2019-2021 ...; mức trợ cấp, phụ cấp theo Nghị định số
    # 58/2019/NĐ-CP ngày 01/7/2019 của Chính phủ để xây dựng kế hoạch ..."
    rel = {c.number: c.relation for c in _record(CV).documents[0].citations}
    assert rel["101/2018/TT-BTC"] == "mentions" and rel["58/2019/NĐ-CP"] == "mentions"
    assert rel["16/CT-TTg"] == "implements"
    # a body paragraph that names the document right after "Căn cứ" still states a basis
    doc = _doc(HCM_HEAD + "Điều 1. Ban hành Quy chế.\n\nCăn cứ Quyết định số 19/2006/QĐ-BTC ngày 30 tháng 3 năm 2006 "
               "của Bộ trưởng Bộ Tài chính, các đơn vị lập báo cáo.\n")
    assert {c.number: c.relation for c in doc.citations}["19/2006/QĐ-BTC"] == "based_on"



@pytest.mark.parametrize("gold_file", [p.name for p in sorted(UNSEEN4.glob("*.json"))])
def test_unseen4_gold_is_found(gold_file):
    """Every required field, duty, citation and target of the hand-written records is extracted."""
    assert_gold_found(UNSEEN4, gold_file, fields=True, relations=True, no_extra_targets=True)
