"""Header block: number, type, issuer, date, title, signer."""

import pytest

from kg.extract.agencies import Jurisdiction
from kg.extract.header import clean_number, issuer_from_number, jurisdiction_of, parse_header, type_from_number
from kg.extract.segment import segment

AN_GIANG_HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n\nSố: 305/KH-UBND\n\nAn Giang, ngày 22 tháng 3 năm 2024\n\n"
    "KẾ HOẠCH\n\nTHỰC HIỆN ĐỀ ÁN “HỖ TRỢ HỢP TÁC XÃ DO PHỤ NỮ THAM GIA QUẢN LÝ, TẠO VIỆC LÀM CHO LAO ĐỘNG NỮ "
    "ĐẾN NĂM 2030”, GIAI ĐOẠN I: 2023 - 2025\n\nCăn cứ Quyết định số 01/QĐ-TTg ngày 03 tháng 01 năm 2023.\n\n"
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\n\nNguyễn Thị Minh Thúy\n")


def test_provincial_plan_header():
    seg = segment(AN_GIANG_HEAD)
    j = jurisdiction_of(seg)
    h = parse_header(seg, j)
    assert (j.province, j.level) == ("An Giang", "province")
    assert h.is_document
    assert h.number == "305/KH-UBND"
    assert h.type == "Kế hoạch"
    assert h.issuer == "Ủy ban nhân dân tỉnh An Giang"
    assert h.date == "2024-03-22"
    assert h.place == "An Giang"
    assert h.signer == "Nguyễn Thị Minh Thúy"
    assert h.signer_post == "Phó Chủ tịch"
    assert h.title.startswith("Thực hiện đề án “Hỗ trợ hợp tác xã")


def test_draft_without_number_keeps_number_null():
    text = ("Số: /KH-UBND Tràng Định, ngày tháng năm 2023\n\nKẾ HOẠCH\n\nThực hiện Đề án trên địa bàn huyện "
            "Tràng Định\n\nUBND huyện Tràng Định ban hành Kế hoạch thực hiện Đề án như sau:\n")
    seg = segment(text)
    j = jurisdiction_of(seg)
    h = parse_header(seg, j)
    assert h.is_document and h.number is None and h.date is None and h.year == 2023
    assert h.issuer == "Ủy ban nhân dân huyện Tràng Định"


def test_gazette_resolution_header():
    text = ("\nCÔNG BÁO/Số 283/Ngày 25-05-2026 \n110\n \n \nCHÍNH PHỦ \n__________ \n \nSố: 126/NQ-CP \n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM \nĐộc lập - Tự do - Hạnh phúc \n______ \n"
            "Hà Nội, ngày 11 tháng 5 năm 2026 \n \nNGHỊ QUYẾT \nVề việc chuyển giao Làng Văn hóa - Du lịch các "
            "dân tộc Việt Nam \nvề Ủy ban nhân dân thành phố Hà Nội quản lý \n____________ \n \nCHÍNH PHỦ \n"
            "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025; \n \nTM. CHÍNH PHỦ \nKT. THỦ TƯỚNG \n"
            "PHÓ THỦ TƯỚNG \nPhạm Thị Thanh Trà \n")
    seg = segment(text)
    j = jurisdiction_of(seg)
    h = parse_header(seg, j)
    assert j.level == "central"
    assert (h.number, h.type, h.issuer, h.date) == ("126/NQ-CP", "Nghị quyết", "Chính phủ", "2026-05-11")
    assert h.title == ("Về việc chuyển giao Làng Văn hóa - Du lịch các dân tộc Việt Nam về Ủy ban nhân dân "
                       "thành phố Hà Nội quản lý")
    assert h.signer == "Phạm Thị Thanh Trà"


def test_number_helpers():
    assert clean_number("1671 /VP-KT") == "1671/VP-KT"
    assert clean_number("/KH-UBND") is None
    assert type_from_number("1919/BNN-VP") == "Công văn"
    assert type_from_number("15/2019/TT-BYT") == "Thông tư"
    assert type_from_number("19-NQ/TW") == "Nghị quyết"
    j = Jurisdiction(province="Lạng Sơn", level="province")
    assert issuer_from_number("1570/VP-KGVX", j) == "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"
    assert issuer_from_number("111/2024/QH15", j) == "Quốc hội"


def _head(issuer_cell: str, number: str) -> str:
    """A header in the form the legal portal exports it: issuer cell, motto cell, number cell, place-date cell."""
    return (f"|\n{issuer_cell}\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n"
            f"---------------\n|\n|\nSố:\n{number}\n|\n*Hà Nội, ngày 20\ntháng 11 năm 2025*\n|\n\n"
            "**QUYẾT ĐỊNH**\n\nVề việc công bố danh mục\n\nCăn cứ Luật Tổ chức chính quyền địa phương.\n")


def _issuer_of(text: str) -> str:
    from kg.extract import extract_text
    return extract_text(text, "x.txt").documents[0].issuer


def test_the_issuer_is_the_lowest_body_of_the_issuer_cell():
    # NĐ 30/2020: the parent body above, the issuing body below it
    assert _issuer_of(_head("**BỘ TÀI CHÍNH\nCỤC THUẾ**", "5348/CT-CS")) == "Cục Thuế"
    assert _issuer_of(_head("UBND THÀNH PHỐ HÀ NỘI\n**SỞ GIÁO DỤC VÀ ĐÀO TẠO**", "1594/QĐ-SGDĐT")) == \
        "Sở Giáo dục và Đào tạo thành phố Hà Nội"
    assert _issuer_of(_head("UBND THÀNH PHỐ HÀ NỘI\n**TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG**", "1594/QĐ-TTPVHCC")) == \
        "Trung tâm Phục vụ hành chính công thành phố Hà Nội"
    assert _issuer_of(_head("BAN CHẤP HÀNH TRUNG ƯƠNG\n**BAN TỔ CHỨC**", "12-HD/BTCTW")) == "Ban Tổ chức Trung ương"
    assert _issuer_of(_head("CỤC THUẾ\n**THUẾ TỈNH TÂY NINH**", "983/TB-TTN")) == "Thuế tỉnh Tây Ninh"


def test_a_city_header_gives_the_city():
    text = _head("**HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI**", "66/2025/NQ-HĐND")
    assert _issuer_of(text) == "Hội đồng nhân dân thành phố Hà Nội"
    assert _issuer_of(_head("**ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO**", "12/QĐ-SGDĐT")) == \
        "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh"


def test_a_bare_post_after_the_recipients_signs_even_with_an_appendix_after_it():
    # a council resolution: "CHỦ TỊCH" without "TM.", the name broken over two lines, an appendix follows
    text = (_head("**HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI**", "73/2025/NQ-HĐND") +
            "\nĐiều 1. Quy định mức chi.\n\n*Nơi nhận:*\n- Như Điều 3;\n- Lưu: VT.\n\n**CHỦ TỊCH**\n\n"
            "**Phùng\nThị Hồng Hà**\n\n**PHỤ LỤC**\n\n" + "Nội dung chi tiết của phụ lục.\n" * 60)
    from kg.extract import extract_text
    assert extract_text(text, "x.txt").documents[0].signer == "Phùng Thị Hồng Hà"


def test_a_letter_with_a_subject_line_is_a_cong_van_whatever_its_number_says():
    # "5608/CT-CS" of Cục Thuế: "CT" is the issuing unit, and the "V/v" subject says it is a letter
    text = _head("**BỘ TÀI CHÍNH\nCỤC THUẾ**", "5608/CT-CS\n*V/v chính sách thuế*").replace(
        "**QUYẾT ĐỊNH**\n\nVề việc công bố danh mục\n\nCăn cứ Luật Tổ chức chính quyền địa phương.\n",
        "Kính gửi: Thuế tỉnh Quảng Trị.\n\nCục Thuế nhận được công văn số 324/QTR-K.\n")
    from kg.extract import extract_text
    assert extract_text(text, "x.txt").documents[0].type == "Công văn"


def test_a_number_cell_joined_to_the_rule_above_it():
    # the issuer cell holds only its rule: "------------------ Số: 1661/NQ-UBTVQH15 | CỘNG HÒA ..."
    seg = segment("------------------ Số: 1661/NQ-UBTVQH15 | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n\n"
                  "NGHỊ QUYẾT\n\nVề việc sắp xếp các đơn vị hành chính\n\nỦY BAN THƯỜNG VỤ QUỐC HỘI\n\n"
                  "Căn cứ Hiến pháp;\n")
    h = parse_header(seg, jurisdiction_of(seg))
    assert (h.number, h.type) == ("1661/NQ-UBTVQH15", "Nghị quyết")


@pytest.mark.parametrize("number,issuer", [
    ("05/2018/TT-BCT", "Bộ Công Thương"),          # the Politburo numbers its texts "57-NQ/TW"
    ("2849/TTr-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"),
    ("3247/BC-STP", "Sở Tư pháp tỉnh Hà Tĩnh"),
    ("1605/TTr-SNgV", "Sở Ngoại vụ tỉnh Hà Tĩnh"),
    ("57-NQ/TW", "Ban Chấp hành Trung ương Đảng"),
])
def test_issuers_named_by_a_number(number, issuer):
    assert issuer_from_number(number, Jurisdiction(province="Hà Tĩnh", level="province")) == issuer


def test_an_assembly_resolution_dated_by_its_passing_and_signed_in_a_run_on_cell():
    # the export lost the place-date cell; the signature cell runs over two lines and glues the post
    seg = segment("Số: 1661/NQ-UBTVQH15 | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n\nNGHỊ QUYẾT\n\n"
                  "Về việc sắp xếp các đơn vị hành chính\n\nĐiều 1. Sắp xếp các xã.\n\n"
                  "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XVthông qua ngày 16 tháng 6 năm 2025.\n\n"
                  "- Chính phủ; - Lưu: HC, PLTP. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘICHỦ TỊCH\nTrần Thanh Mẫn |\n")
    h = parse_header(seg, jurisdiction_of(seg))
    assert (h.date, h.signer) == ("2025-06-16", "Trần Thanh Mẫn")


@pytest.mark.parametrize("place", ["Mỹ Đình 2", "Phường 3"])
def test_a_place_ending_in_a_number_keeps_the_date(place):
    # numbered wards write their own name on the place-and-date line ("Mỹ Đình 2, ngày 24 tháng 07 năm 2023")
    head = (f"UBND QUẬN NAM TỪ LIÊM\nUBND PHƯỜNG {place.upper()}\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            f"Độc lập - Tự do - Hạnh phúc\n---------------\n\nSố: 50/KH-UBND\n\n{place}, ngày 24 tháng 07 năm 2023\n\n"
            "KẾ HOẠCH\n\nThực hiện Đề án trên địa bàn phường\n")
    seg = segment(head)
    h = parse_header(seg, jurisdiction_of(seg))
    assert (h.date, h.place) == ("2023-07-24", place)


@pytest.mark.parametrize("cell,issuer", [
    ("QUẬN 11", "Ủy ban nhân dân quận 11"),  # a numbered district
    ("HUYỆN IA H'DRAI", "Ủy ban nhân dân huyện Ia H'Drai"),  # a name with an apostrophe, spelt as the data spells it
    ("HUYỆN M'ĐRẮK", "Ủy ban nhân dân huyện M'Đrắk"),
    ("HUYỆN VỤ BẢN", "Ủy ban nhân dân huyện Vụ Bản"),  # "Vụ" starts a place's name here, not a department
    ("THÀNH PHỐ HỘI AN", "Ủy ban nhân dân thành phố Hội An"),  # nor "Hội" an association
    ("THÀNH PHỐ ĐIỆN BIÊN PHỦ", "Ủy ban nhân dân thành phố Điện Biên Phủ"),  # not the province Điện Biên
])
def test_a_district_header_gives_the_districts_whole_name(cell, issuer):
    text = _head(f"**ỦY BAN NHÂN DÂN\n{cell}**", "117/KH-UBND")
    assert _issuer_of(text) == issuer
