"""Segmentation: boilerplate, Công báo page furniture, re-flow with offsets."""

from kg.extract.segment import find_sections, segment, sentences

GAZETTE = (
    "\nCÔNG BÁO/Số 271/Ngày 12-05-2026 \n85 \n \n \n"
    "2. Giao Bộ Y tế, Bộ Tài chính theo chức năng, nhiệm vụ, thẩm quyền \n"
    "hướng dẫn các bộ, cơ quan, địa phương, cơ sở khám bệnh, chữa bệnh quản lý, \n"
    "Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Cơ quan: VĂN PHÒNG CHÍNH PHỦ\nNgày ký: 2026-05-08 16:42:06 +07:00\n\n"
    "CÔNG BÁO/Số 271/Ngày 12-05-2026 \n86 \n \n \n"
    "sử dụng các khoản chi phí khám bệnh, chữa bệnh được thanh toán bảo đảm \n"
    "đúng quy định của pháp luật. \n"
    "3. Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam tổ chức thực hiện \n")


def test_gazette_furniture_dropped_and_lines_reflowed():
    seg = segment(GAZETTE)
    texts = [p.text for p in seg.paras]
    assert seg.gazette
    assert texts[0].startswith("2. Giao Bộ Y tế, Bộ Tài chính")
    assert texts[0].endswith("được thanh toán bảo đảm đúng quy định của pháp luật.")
    assert "CÔNG BÁO" not in texts[0] and "Ký bởi" not in texts[0] and " 86 " not in texts[0]
    assert texts[1].startswith("3. Bộ Tài chính chỉ đạo")


def test_spans_map_back_to_the_source():
    seg = segment(GAZETTE)
    p = seg.paras[0]
    i = p.text.index("sử dụng")
    span = p.span(GAZETTE, i, i + len("sử dụng các khoản"))
    assert span.quote == "sử dụng các khoản"
    assert GAZETTE[span.start:span.end] == span.quote
    whole = p.span(GAZETTE)
    assert GAZETTE[whole.start:whole.end] == whole.quote
    assert whole.quote.startswith("2. Giao Bộ Y tế") and whole.quote.endswith("của pháp luật.")


def test_web_chrome_and_related_list_dropped():
    page = ("Từ khoá: Số Hiệu, Tiêu đề hoặc Nội dung ngắn gọn của Văn Bản...\n\nĐăng nhập\n\n"
            "Đang tải văn bản...\n\nUBND tỉnh ban hành Kế hoạch.\n\nth 1.jpg\nQuang cảnh hội nghị.\n\n"
            "Có thể bạn quan tâm\n\nTin cùng chuyên mục\n\nBắc Hà mùa quả ngọt\n")
    seg = segment(page)
    texts = [p.text for p in seg.paras]
    assert texts == ["UBND tỉnh ban hành Kế hoạch.", "Quang cảnh hội nghị."]


def test_hard_wrap_across_blank_line_is_joined():
    # 001: "... ít nhất 80% cán bộ Hội các cấp được nâng cao kỹ năng tuyên truyền, vận\n\nđộng, hỗ trợ ..."
    text = ("- 100% cán bộ Hội làm công tác hỗ trợ phát triển KTTT, HTX được tập huấn; ít nhất 80% cán bộ Hội "
            "các cấp được nâng cao kỹ năng tuyên truyền, vận\n\nđộng, hỗ trợ hội viên, phụ nữ tham gia phát "
            "triển KTTT, HTX.\n\nb) Đến năm 2030\n")
    paras = segment(text).paras
    assert len(paras) == 2
    assert "tuyên truyền, vận động, hỗ trợ" in paras[0].text
    assert paras[1].text == "b) Đến năm 2030"


def test_sentences_split_only_before_capitals():
    text = ("a) Khẩn trương tổ chức rà soát toàn bộ thôn, tổ dân phố trên địa bàn; hoàn thành trước ngày 10 "
            "tháng 6 năm 2026. Từ ngày 01 tháng 7 năm 2026, Ủy ban nhân dân thành phố Hà Nội trực tiếp quản lý.")
    parts = [text[a:b] for a, b in sentences(text)]
    assert len(parts) == 2
    assert parts[0].endswith("năm 2026.") and parts[1].startswith("Từ ngày 01")


def test_sections_found_by_heading():
    text = ("V. NGUỒN KINH PHÍ THỰC HIỆN\n\nNgân sách Nhà nước bố trí.\n\nVI. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Hội Liên hiệp Phụ nữ tỉnh\n\n- Là cơ quan chủ trì.\n")
    paras = segment(text).paras
    (a, b), = find_sections(paras, ("tổ chức thực hiện",))
    assert paras[a].text == "VI. TỔ CHỨC THỰC HIỆN" and b == len(paras)
