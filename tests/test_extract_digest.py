"""News items and weekly digests: described documents."""

from kg.extract import extract_text

DIGEST = """Chỉ đạo tổ chức kỷ niệm Ngày Khoa học và Công nghệ Việt Nam năm 2023

Đồng chí Lương Trọng Quỳnh, Phó Chủ tịch UBND tỉnh chỉ đạo (Công văn số 1570/VP-KGVX, ngày 10/4/2023) về tổ chức kỷ niệm Ngày Khoa học và Công nghệ (KH&CN) Việt Nam năm 2023.

Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các cơ quan liên quan chủ động xây dựng và triển khai thực hiện Kế hoạch tổ chức kỷ niệm Ngày Khoa học và Công nghệ Việt Nam năm 2023 theo yêu cầu của Bộ Khoa học và Công nghệ.

Quyết định công bố Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Công Thương tỉnh

UBND tỉnh ban hành Quyết định (Quyết định số 571/QĐ-UBND, ngày 13/4/2023) công bố Danh mục thủ tục hành chính (TTHC) thuộc thẩm quyền giải quyết của Sở Công Thương tỉnh Lạng Sơn.

Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Công Thương trên cơ sở quy trình nội bộ được phê duyệt tại Quyết định này xây dựng, cập nhật quy trình điện tử.
"""


def test_each_described_document_gets_its_own_duties():
    rec = extract_text(DIGEST, "digest.txt")
    docs = {d.number: d for d in rec.documents}
    assert list(docs) == ["1570/VP-KGVX", "571/QĐ-UBND"]
    cv = docs["1570/VP-KGVX"]
    assert (cv.primary, cv.type, cv.issuer, cv.date) == (
        False, "Công văn", "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn", "2023-04-10")
    assert cv.title.startswith("Về tổ chức kỷ niệm Ngày Khoa học và Công nghệ")
    assert [(d.agency, d.role) for d in cv.duties] == [("Sở Khoa học và Công nghệ tỉnh Lạng Sơn", "lead")]
    qd = docs["571/QĐ-UBND"]
    assert (qd.type, qd.issuer, qd.date) == ("Quyết định", "Ủy ban nhân dân tỉnh Lạng Sơn", "2023-04-13")
    assert [(d.agency, d.role) for d in qd.duties] == [("Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "lead"),
                                                       ("Sở Công Thương tỉnh Lạng Sơn", "partner")]


def test_news_item_about_an_unnumbered_plan():
    text = ("Thực hiện Quyết định số 01/QĐ-TTg ngày 03/01/2023 của Thủ tướng Chính phủ về phê duyệt Đề án “Hỗ trợ "
            "hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030”, Liên minh Hợp tác xã "
            "Việt Nam xây dựng kế hoạch triển khai.\n\nTheo đó, Liên minh Hợp tác xã Việt Nam sẽ phối hợp với Hội "
            "Liên hiệp phụ nữ Việt Nam, các bộ, ngành trong vận động, tuyên truyền.\n")
    (doc,) = extract_text(text, "news.txt").documents
    assert (doc.primary, doc.number, doc.type, doc.issuer) == (False, None, "Kế hoạch", "Liên minh Hợp tác xã Việt Nam")
    assert [(c.number, c.relation) for c in doc.citations if c.number] == [("01/QĐ-TTg", "implements")]
    assert [(d.agency, d.role) for d in doc.duties] == [("Liên minh Hợp tác xã Việt Nam", "lead"),
                                                        ("Hội Liên hiệp Phụ nữ Việt Nam", "partner")]


def test_text_without_document_gives_empty_record():
    text = "Chiều 6/7, tại thành phố Thanh Hóa, hai tỉnh tổ chức Hội nghị trao đổi kinh nghiệm.\n"
    rec = extract_text(text, "news.txt")
    assert rec.source == "news.txt" and rec.documents == []


def test_a_described_letter_dates_its_deadlines_in_the_articles_year():
    # a news item: "09:10, 14/10/2021" is its dateline; "trước ngày 28-10" falls in that year
    from kg.extract import extract_text
    text = ("09:10, 14/10/2021\n\nĐẩy nhanh công tác lập quy hoạch sử dụng đất\n\n"
            "UBND tỉnh Khánh Hòa vừa có văn bản gửi Sở Tài nguyên và Môi trường, UBND các huyện, thị xã, thành phố "
            "về việc đẩy nhanh công tác lập quy hoạch, kế hoạch sử dụng đất.\n\n"
            "UBND tỉnh yêu cầu UBND các huyện, thị xã, thành phố khẩn trương hoàn thiện việc lập Quy hoạch sử dụng "
            "đất; gửi hồ sơ về Sở Tài nguyên và Môi trường trước ngày 28-10 để sở tổ chức thẩm định.\n")
    docs = extract_text(text, "tin.txt").documents
    assert [(d.agency, d.deadline) for d in docs[0].duties] == [("Ủy ban nhân dân cấp huyện tỉnh Khánh Hòa", "2021-10-28")]
