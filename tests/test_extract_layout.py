"""The layout pass: a legal portal's markdown export read as the document it holds.

The page below has the form of the files of the real corpus (a portal notice, the portal's
metadata table, the header as a table with one cell per line and lone "|" lines, bold markers,
a signature table, an appendix task table with one cell per line, the portal's footer).
"""

from __future__ import annotations

from kg.extract import extract_text
from kg.extract.dates import when_deadline
from kg.extract.layout import layout

PAGE = """Đăng nhập
Bạn Chưa Đăng Nhập Thành Viên!
Số hiệu:
|
2820/QĐ-UBND
|
Loại văn bản:
|
Quyết định
|
Nơi ban hành:
|
Thành phố Hồ Chí Minh
|
Người ký:
|
Nguyễn Lộc Hà
|
Ngày ban hành:
|
19/11/2025
|

|
**ỦY
BAN NHÂN DÂN **
THÀNH PHỐ HỒ CHÍ MINH
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
2820/QĐ-UBND
|
*Thành phố Hồ
Chí Minh, ngày 19 tháng 11 năm 2025*
|


**QUYẾT ĐỊNH**

BAN HÀNH KẾ HOẠCH TRIỂN KHAI ĐỀ ÁN

**ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH**

*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;*

**QUYẾT ĐỊNH:**

**Điều 1. **Ban hành kèm theo Quyết định này Kế hoạch triển khai Đề án.

**Điều 2. **Quyết
định này có hiệu lực thi hành kể từ ngày ký.


|
*Nơi nhận:*
- Như Điều 2;
- Lưu: VT.
|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Nguyễn Lộc Hà**
|


**PHỤ LỤC**

NHIỆM VỤ CỦA CÁC SỞ, NGÀNH

|
**TT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian dự kiến hoàn thành**
|
|
1
|
Rà soát, sửa đổi các quy định
về cơ sở dữ liệu quy hoạch.
|
Sở Tài chính
|
Sở Tư pháp
|
Quý IV/2025
|
|
2
|
Xây dựng hạ tầng
công nghệ thông tin.
|
Sở Khoa học và Công nghệ
|
Công an Thành phố
|
Năm 2025 - 2026
|

Quyết định 2820/QĐ-UBND năm 2025 triển khai Đề án
Văn bản này chưa cập nhật nội dung Tiếng Anh
"""


def test_the_header_cells_become_lines():
    text = layout(PAGE).text
    assert "Số: 2820/QĐ-UBND\n" in text
    assert "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025\n" in text
    assert "**" not in text and "Đăng nhập" not in text and "Văn bản này chưa cập nhật" not in text


def test_a_task_table_becomes_one_line_per_row_and_points_into_the_original():
    lay = layout(PAGE)
    rows = [ln for ln in lay.text.split("\n") if ln.startswith("| ")]
    assert rows[0] == "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian dự kiến hoàn thành |"
    assert rows[1] == ("| 1 | Rà soát, sửa đổi các quy định về cơ sở dữ liệu quy hoạch. | Sở Tài chính | "
                       "Sở Tư pháp | Quý IV/2025 |")
    at = lay.text.index("Sở Khoa học và Công nghệ")
    a, b = lay.to_original(at, at + len("Sở Khoa học và Công nghệ"))
    assert PAGE[a:b] == "Sở Khoa học và Công nghệ"
    # the signature block is a two-cell table: it stays as it was
    assert not any("Nơi nhận" in r for r in rows)


def test_a_portal_page_yields_its_document_header_and_table_duties():
    doc = extract_text(PAGE, "page.txt").documents[0]
    assert (doc.number, doc.type, doc.date, doc.signer) == ("2820/QĐ-UBND", "Quyết định", "2025-11-19", "Nguyễn Lộc Hà")
    assert doc.issuer == "Ủy ban nhân dân thành phố Hồ Chí Minh"
    got = {(d.agency, d.role, d.deadline) for d in doc.duties}
    assert ("Sở Tài chính thành phố Hồ Chí Minh", "lead", "2025-12-31") in got
    assert ("Sở Tư pháp thành phố Hồ Chí Minh", "partner", "2025-12-31") in got
    assert ("Sở Khoa học và Công nghệ thành phố Hồ Chí Minh", "lead", "2026-12-31") in got
    for d in doc.duties:  # every span quotes the original page
        assert PAGE[d.span.start:d.span.end] == d.span.quote and d.agency.split(" thành phố")[0] in d.span.quote


def test_time_cells():
    cases = {"Quý IV/2025": "2025-12-31", "Tháng 12/2025": "2025-12-31", "Năm 2026": "2026-12-31",
             "2026 - 2030": "2030-12-31", "6 tháng đầu năm 2026": "2026-06-30", "31/12/2025": "2025-12-31",
             "Trước ngày 15/6/2026": "2026-06-15", "Thường xuyên": None, "Triển khai từ năm 2026": None}
    assert {k: when_deadline(k, 2025)[0] for k in cases} == cases
    assert when_deadline("Hằng năm", 2025) == (None, "yearly")


def test_an_appendix_title_in_a_cell_above_the_heading_row_is_a_caption():
    # "| PHỤ LỤC II ... (Kèm theo ...) |" then the heading row: the title is not a column; and the last
    # row of the table before it, shorter than its heading row, does not swallow it
    text = ("|\nTT\n|\nChỉ tiêu\n|\nCơ quan chủ trì theo dõi\n|\n|\n1\n|\nTỉ lệ hồ sơ trực tuyến\n|\n"
            "Văn phòng Chính phủ\n|\n|\n2\n|\nTỉ lệ cán bộ được đào tạo\n|\n"
            "**PHỤ LỤC II**\nCHƯƠNG TRÌNH\n*(Kèm theo Quyết định số 26/QĐ-TTg)*\n|\nTT\n|\nNhiệm vụ\n|\n"
            "Cơ quan chủ trì\n|\nThời gian thực hiện\n|\n|\n1\n|\nXây dựng Luật An ninh dữ liệu.\n|\nBộ Công an\n|\n"
            "Tháng 12/2026\n|\n\nHết.\n")
    rows = [ln for ln in layout(text).text.split("\n") if ln.startswith("| ")]
    assert rows == ["| TT | Chỉ tiêu | Cơ quan chủ trì theo dõi |",
                    "| 1 | Tỉ lệ hồ sơ trực tuyến | Văn phòng Chính phủ |",
                    "| 2 | Tỉ lệ cán bộ được đào tạo |",
                    "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện |",
                    "| 1 | Xây dựng Luật An ninh dữ liệu. | Bộ Công an | Tháng 12/2026 |"]


def test_an_article_heading_wrapped_after_its_first_word_or_number_is_one_line():
    text = ("**Điều\n19. Trách nhiệm của Sở Khoa học và Công nghệ**\n\n1. Chủ trì hướng dẫn.\n\n"
            "**Điều 4.**\nTrách nhiệm trong công tác lập kế hoạch\n\n1. Lập kế hoạch.\n")
    lines = layout(text).text.split("\n")
    assert "Điều 19. Trách nhiệm của Sở Khoa học và Công nghệ" in lines
    assert "Điều 4. Trách nhiệm trong công tác lập kế hoạch" in lines


def test_a_law_whose_page_lost_its_issuer_cell_is_still_read():
    # the export cut the page's start: no "QUỐC HỘI" cell; "Luật số:" and two bold runs glued together
    from kg.extract import extract_text
    text = ("------- |\nĐộc lập - Tự do - Hạnh phúc\n--------------- |\n"
            "Luật số: 80/2025/QH15 | Hà Nội, ngày 24 tháng 6 năm 2025 |\n\n**LUẬT****CÁN BỘ, CÔNG CHỨC**\n\n"
            "*Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;*\n\n"
            "*Quốc hội ban hành Luật Cán bộ, công chức.*\n\n**Điều 1. Cán bộ, công chức**\n")
    assert "LUẬT\nCÁN BỘ, CÔNG CHỨC" in layout(text).text
    doc = extract_text(text, "x.txt").documents[0]
    assert (doc.number, doc.type, doc.issuer, doc.date) == ("80/2025/QH15", "Luật", "Quốc hội", "2025-06-24")
