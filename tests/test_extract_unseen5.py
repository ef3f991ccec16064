"""Rules added for a fifth set of unseen real documents (tests/fixtures/unseen5, see its SOURCES.md).

Full texts of two provincial decisions (Quảng Ngãi 2022, Tuyên Quang 2024) and a resolution of
the Standing Committee of the National Assembly (2012), exported with header and signature as
markdown table rows. The gold records were written before the extractor was run on them; each
miss fixed by a general rule has a test here on the real sentence, plus one gold check per document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_check import assert_gold_found

from kg.extract import extract_text

UNSEEN5 = Path(__file__).parent / "fixtures" / "unseen5"


def _doc(text: str):
    return extract_text(text, "t.txt").documents[0]


def test_standing_committee_issuer_from_ky_hieu():
    # "| ỦY BAN THƯỜNG VỤ | ... |" / "| Số: 494/NQ-UBTVQH13 | Hà Nội, ngày 18 tháng 05 năm 2012 |"
    doc = _doc("| ỦY BAN THƯỜNG VỤ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------- |\n"
               "|---|---|\n| Số: 494/NQ-UBTVQH13 | Hà Nội, ngày 18 tháng 05 năm 2012 |\n\nNGHỊ QUYẾT\n\n"
               "VỀ KẾT QUẢ GIÁM SÁT VIỆC THỰC HIỆN CHÍNH SÁCH, PHÁP LUẬT VỀ NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG\n\n"
               "ỦY BAN THƯỜNG VỤ QUỐC HỘI\n\nCăn cứ Nghị quyết số 407/NQ-UBTVQH13 ngày 22 tháng 11 năm 2011 "
               "của Ủy ban thường vụ Quốc hội về Chương trình hoạt động giám sát của Ủy ban thường vụ Quốc hội năm 2012;\n\n"
               "QUYẾT NGHỊ:\n\nĐiều 4.\n\nNghị quyết này có hiệu lực thi hành kể từ ngày ký./.\n\n"
               "| Nơi nhận: - Như Điều 3; - Lưu: HC, TH, CVĐXH. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI CHỦ TỊCH Nguyễn Sinh Hùng |\n"
               "|---|---|\n")
    assert doc.issuer == "Ủy ban Thường vụ Quốc hội"
    assert doc.type == "Nghị quyết"
    assert doc.signer == "Nguyễn Sinh Hùng"
    # a law of the Assembly itself ("QH15") keeps its issuer
    doc = _doc("| QUỐC HỘI ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
               "| Số: 15/2012/QH13 | Hà Nội, ngày 20 tháng 6 năm 2012 |\n\nLUẬT\n\nXỬ LÝ VI PHẠM HÀNH CHÍNH\n\n")
    assert doc.issuer == "Quốc hội"


def test_signer_name_split_inside_a_syllable():
    # "| Nơi nhận: - Như Điều 4; ... - Lưu: VT, TTHC(htd). | CHỦ TỊCH Đặ ng Văn Minh |"
    doc = _doc("| ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
               "| Số: 1351/QĐ-UBND | Qu ả ng Ngãi, ngày 04 tháng 10 năm 2022 |\n\nQUYẾT ĐỊNH\n\n"
               "CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH\n\nQUYẾT ĐỊNH:\n\n"
               "Điều 4. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.\n\n"
               "| Nơi nhận: - Như Điều 4; - Bộ Lao động - Thương binh và X ã hội; - Cục Kiểm soát TTHC - VPCP; "
               "- CT, các PCT UBND tỉnh; - VPUB: PCVP, KGVX, CBTH; - Lưu: VT, TTHC(htd). | CHỦ TỊCH Đặ ng Văn Minh |\n"
               "|---|---|\n")
    assert doc.signer == "Đặng Văn Minh"
    assert doc.date == "2022-10-04"


@pytest.mark.parametrize("gold_file", [p.name for p in sorted(UNSEEN5.glob("*.json"))])
def test_unseen5_gold_is_found(gold_file):
    """Every required field, duty, citation and target of the hand-written records is extracted."""
    assert_gold_found(UNSEEN5, gold_file, fields=True, relations=True, no_extra_targets=True)
