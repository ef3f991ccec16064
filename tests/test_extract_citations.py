"""Citations: number forms and relations."""

import pytest

from kg.extract.agencies import Jurisdiction
from kg.extract.citations import NUMBER, cite_paragraph, merge
from kg.extract.header import clean_number
from kg.extract.segment import segment

AN_GIANG = Jurisdiction(province="An Giang", level="province")
CENTRAL = Jurisdiction(level="central")


def cites(text: str, j: Jurisdiction = AN_GIANG, preamble: bool = True, own: str | None = None):
    seg = segment(text)
    out = []
    for p in seg.paras:
        out += cite_paragraph(p, text, j, preamble, own)
    for c in out:
        assert text[c.span.start:c.span.end] == c.span.quote
    return merge(out, own)


@pytest.mark.parametrize("raw,expected", [
    ("Kế hoạch số 305/KH-UBND ngày", "305/KH-UBND"),
    ("Thông tư 15/2019/TT-BYT ngày 11/7/2019", "15/2019/TT-BYT"),
    ("Nghị quyết 111/2024/QH15 ngày 18/1/2024", "111/2024/QH15"),
    ("thực hiện Nghị quyết 19-NQ/TW.", "19-NQ/TW"),
    ("Nghị quyết số 09- NQ/TU của Tỉnh ủy", "09-NQ/TU"),
    ("Công văn số 1671 /VP-KT, ngày 14/4/2023", "1671/VP-KT"),
    ("Nghị quyết số s165/NQ-CP ngày 20/12/2022", "s165/NQ-CP"),
    ("Chương trình phối hợp số 03/CTrPH-BCA-BGDĐT", "03/CTrPH-BCA-BGDĐT"),
    ("văn bản số 3374/ BKHCN- CNCNTT ngày 21 tháng 5 năm 2026", "3374/BKHCN-CNCNTT"),
])
def test_number_forms(raw, expected):
    m = NUMBER.search(raw)
    assert m and clean_number(m.group(1)) == expected


def test_dates_and_ratios_are_not_numbers():
    assert NUMBER.search("ngày 10/4/2023, có 08/13 HTX") is None


def test_preamble_relations_of_a_provincial_plan():
    text = ("Căn cứ Quyết định số 01/QĐ-TTg ngày 03 tháng 01 năm 2023 của Thủ tướng Chính phủ phê duyệt Đề án "
            "“Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030” (gọi tắt "
            "là Đề án 01); xét đề nghị của Chủ tịch Hội Liên hiệp Phụ nữ tỉnh tại Tờ trình số 78/TTr-BTV ngày 24 "
            "tháng 7 năm 2023 và Tờ trình số 112/TTr-BTV ngày 26/02/2024, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
            "triển khai thực hiện Đề án 01, với các nội dung như sau:\n\n"
            "Kế hoạch này thay thế Kế hoạch số 748/KH-UBND ngày 29/8/2023 của UBND tỉnh/.\n")
    got = {c.number: c for c in cites(text)}
    assert got["01/QĐ-TTg"].relation == "based_on"
    assert got["01/QĐ-TTg"].type == "Quyết định"
    assert got["01/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    assert got["01/QĐ-TTg"].date == "2023-01-03"
    assert got["78/TTr-BTV"].relation == "responds_to"
    assert got["112/TTr-BTV"].relation == "responds_to"
    assert got["112/TTr-BTV"].date == "2024-02-26"
    assert got["748/KH-UBND"].relation == "replaces"
    assert got["748/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh An Giang"


def test_laws_without_number_and_gazette_wraps():
    text = ("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025; \n"
            "Căn cứ Nghị quyết số 02-NQ/TW ngày 17 tháng 3 năm 2026 của Bộ    \n"
            "Chính trị về xây dựng và phát triển Thủ đô Hà Nội trong kỷ nguyên mới; \n"
            "Theo đề nghị của Bộ trưởng Bộ Văn hoá, Thể thao và Du lịch tại các văn \n"
            "bản: Số 202/TTr-BVHTTDL ngày 11 tháng 5 năm 2026, số 201/BC-BVHTTDL ngày 11 tháng 5 năm 2026; \n")
    got = cites(text, CENTRAL)
    law = next(c for c in got if c.number is None)
    assert (law.title, law.relation, law.date) == ("Luật Tổ chức Chính phủ", "based_on", "2025-02-18")
    rel = {c.number: c.relation for c in got if c.number}
    assert rel == {"02-NQ/TW": "based_on", "202/TTr-BVHTTDL": "responds_to", "201/BC-BVHTTDL": "responds_to"}


def test_implements_only_when_this_document_does():
    text = ("Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tham mưu lồng ghép Kế hoạch số 181/KH-UBND "
            ", ngày 08/4/2021 của UBND tỉnh triển khai thực hiện Quyết định số 1804/QĐ-TTg , ngày 13/11/2020 của "
            "Thủ tướng Chính phủ.\n")
    rel = {c.number: c.relation for c in cites(text, preamble=False)}
    assert rel == {"181/KH-UBND": "mentions", "1804/QĐ-TTg": "mentions"}
    digest = ("Đồng chí Lương Trọng Quỳnh, Phó Chủ tịch UBND tỉnh chỉ đạo (Công văn số 1671 /VP-KT, ngày 14/4/2023)"
              " về việc thực hiện Công văn số 1919/BNN-VP của Bộ Nông nghiệp và Phát triển nông thôn.\n")
    got = {c.number: c for c in cites(digest, preamble=False, own="1671/VP-KT")}
    assert list(got) == ["1919/BNN-VP"]
    assert got["1919/BNN-VP"].relation == "implements"
    assert got["1919/BNN-VP"].issuer == "Bộ Nông nghiệp và Phát triển nông thôn"


def test_scheme_implemented_by_a_plan():
    text = ("UBND huyện Tràng Định ban hành Kế hoạch thực hiện Đề án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản "
            "lý, tạo việc làm cho lao động nữ đến năm 2030” trên địa bàn huyện như sau:\n")
    (c,) = cites(text)
    assert (c.number, c.type, c.relation) == (None, "Đề án", "implements")
    assert c.title == "Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030"


def test_a_unit_code_with_a_dot_stays_in_the_number():
    from kg.extract.citations import NUMBER
    found = [m.group(1) for m in NUMBER.finditer("theo Công văn số 6721/VPCP-V.I, 7514/VPCP-V.I. Căn cứ 05/QĐ-UBND.Căn")]
    assert found == ["6721/VPCP-V.I", "7514/VPCP-V.I", "05/QĐ-UBND"]


def test_a_table_cell_is_a_clause_of_its_own():
    # an administrative-procedure table: "đề nghị" in one cell does not make the legal basis in another a reply
    from kg.extract.agencies import Jurisdiction
    from kg.extract.citations import cite_paragraph
    from kg.extract.segment import segment
    text = ("| 1 | Thủ tục cấp giấy chứng nhận | Theo đề nghị của tổ chức, cá nhân | "
            "Nghị định số 146/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ |\n")
    cits = [c for p in segment(text).paras for c in cite_paragraph(p, text, Jurisdiction(province="Bắc Ninh"), False)]
    assert [(c.number, c.relation) for c in cits] == [("146/2025/NĐ-CP", "mentions")]


def test_relations_of_lists_expiry_and_numbers_with_stray_spaces():
    from kg.extract.agencies import Jurisdiction
    from kg.extract.citations import cite_paragraph
    from kg.extract.segment import segment
    j = Jurisdiction(province="Nghệ An", level="province")

    def cits(text, preamble=False):
        return [(c.number, c.relation) for p in segment(text).paras for c in cite_paragraph(p, text, j, preamble)]

    assert cits("Xét đề nghị của Sở Xây dựng tại Tờ trình số 123/SXD-QLN& TTBĐS ngày 5/11/2025.\n", True) == [
        ("123/SXD-QLN&TTBĐS", "responds_to")]
    assert cits("Điều 3. Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND; Quyết định số 15/2021/QĐ-UBND "
                "của UBND tỉnh.\n") == [("12/2020/QĐ-UBND", "replaces"), ("15/2021/QĐ-UBND", "replaces")]
    assert cits("Điều 3. Quyết định số 07/2022/QĐ-UBND ngày 3/3/2022 của UBND tỉnh hết hiệu lực kể từ ngày "
                "Quyết định này có hiệu lực.\n") == [("07/2022/QĐ-UBND", "repeals")]
    # a preamble saying a cited act was amended does not make this document amend it
    assert cits("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15, được sửa đổi, bổ sung bởi Luật số "
                "87/2025/QH15;\n", True)[:2] == [("72/2025/QH15", "based_on"), ("87/2025/QH15", "based_on")]


def test_a_city_of_a_province_is_read_whole_and_told_from_the_district_of_its_name():
    # "thành phố Cao Lãnh" (a city of Đồng Tháp until 2025; "Lãnh" also starts "Lãnh đạo") beside "huyện Cao Lãnh"
    from kg.extract.agencies import find_all
    from kg.units import load

    j = Jurisdiction(province="Đồng Tháp", district="Cao Lãnh", level="commune", dword="thành phố")
    found = find_all("UBND thành phố Cao Lãnh thực hiện Đề án", j)
    assert found and found[0].names == ["Ủy ban nhân dân thành phố Cao Lãnh"]
    city, district = load().find("thành phố", "Cao Lãnh"), load().find("huyện", "Cao Lãnh")
    assert city is not None and district is not None and (city.kind, district.kind) == ("thành phố", "huyện")


def test_names_of_two_units_that_fold_alike_are_read_as_written_whatever_the_hash_seed():
    # "phường Văn Miếu Quốc Tử Giám" (until 2025) and "phường Văn Miếu - Quốc Tử Giám" (since) fold alike; which
    # spelling came out depended on the order of a set, so two builds of one corpus could differ
    import os
    import subprocess
    import sys

    code = ("from kg.extract.jurisdiction import unit_name as u; "
            "print([u(t, 0, 'phường')[0] for t in (' Văn Miếu Quốc Tử Giám ban', ' Văn Miếu - Quốc Tử Giám ban',"
            " ' VĂN MIẾU QUỐC TỬ GIÁM')])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert outs == {"['Văn Miếu Quốc Tử Giám', 'Văn Miếu - Quốc Tử Giám', 'Văn Miếu Quốc Tử Giám']\n"}


def test_a_plan_citing_another_bodys_plan_of_its_own_number_keeps_it():
    # a district's plan 106/KH-UBND based on the city's plan 106/KH-UBND: numbers start again at every issuer
    dong_da = Jurisdiction(province="Hà Nội", district="quận Đống Đa", level="district")
    text = ("Căn cứ Kế hoạch số 106/KH-UBND ngày 5/4/2023 của UBND thành phố Hà Nội thực hiện Đề án;\n\n"
            "Kế hoạch số 106/KH-UBND ngày 09/6/2023 này thay cho các văn bản trước.\n")
    seg = segment(text)
    out = [c for p in seg.paras for c in cite_paragraph(p, text, dong_da, True, "106/KH-UBND")]
    kept = merge(out, "106/KH-UBND", "2023-06-09", "Ủy ban nhân dân quận Đống Đa")
    assert [(c.number, c.date, c.relation) for c in kept] == [("106/KH-UBND", "2023-04-05", "based_on")]
    assert kept[0].issuer == "Ủy ban nhân dân thành phố Hà Nội"
    # without a date of its own, a mention of the document's own number is the document itself
    assert merge(out[1:], "106/KH-UBND", "2023-06-09", "Ủy ban nhân dân quận Đống Đa") == []
    assert merge(out[1:], "106/KH-UBND", None, "Ủy ban nhân dân quận Đống Đa") == []


def test_one_number_with_two_dates_is_two_documents_unless_the_number_holds_its_year():
    text = ("Căn cứ Chỉ thị số 02/CT-TTg ngày 04/7/2018 của Thủ tướng Chính phủ về bảo vệ bí mật nhà nước trên "
            "không gian mạng;\n\nCăn cứ Chỉ thị số 02/CT-TTg ngày 15/11/2019 của Thủ tướng Chính phủ về tăng cường "
            "công tác bảo vệ bí mật nhà nước;\n\nCăn cứ Nghị định số 37/2019/NĐ-CP ngày 07/5/2019 và Nghị định số "
            "37/2019/NĐ-CP ngày 11/02/2025 của Chính phủ;\n")
    got = [(c.number, c.date) for c in cites(text, CENTRAL)]
    assert got == [("02/CT-TTg", "2018-07-04"), ("02/CT-TTg", "2019-11-15"), ("37/2019/NĐ-CP", "2019-05-07")]


def test_an_issuer_the_text_names_wins_over_one_guessed_from_the_number():
    text = ("Thực hiện Quyết định số 42/QĐ-UBND về quy chế phối hợp;\n\n"
            "Căn cứ Quyết định số 42/QĐ-UBND ngày 3/3/2018 của UBND tỉnh Thừa Thiên Huế ban hành quy chế;\n")
    hue_city = Jurisdiction(province="Thừa Thiên Huế", district="thành phố Huế", level="district")
    (c,) = cites(text, hue_city)
    assert (c.number, c.issuer, c.date) == ("42/QĐ-UBND", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "2018-03-03")


def test_a_mistyped_date_of_the_document_itself_does_not_make_another():
    son_la = Jurisdiction(province="Sơn La", level="province")
    text = "(Ban hành kèm theo Quyết định số 2969/QĐ-UBND ngày 21/12/2025 của Chủ tịch UBND tỉnh Sơn La)\n"
    out = [c for p in segment(text).paras for c in cite_paragraph(p, text, son_la, False, "2969/QĐ-UBND")]
    assert merge(out, "2969/QĐ-UBND", "2025-11-21", "Ủy ban nhân dân tỉnh Sơn La") == []  # the same year: itself
    # the same issuer's number of another year is another document
    assert [c.date for c in merge(out, "2969/QĐ-UBND", "2024-11-21", "Ủy ban nhân dân tỉnh Sơn La")] == ["2025-12-21"]


def test_a_party_number_is_one_document_whatever_dates_follow_it():
    text = ("Căn cứ Nghị quyết 59-NQ/TW ngày 24 tháng 01 năm 2025 của Bộ Chính trị về hội nhập quốc tế;\n\n"
            "Thực hiện Nghị quyết 59-NQ/TW ngày 24/01/2024 của Bộ Chính trị;\n")
    assert [(c.number, c.date) for c in cites(text, CENTRAL)] == [("59-NQ/TW", "2025-01-24")]
