"""Targets: bounds, ranges, thousands separators, years."""

from kg.extract.segment import segment, sentences
from kg.extract.targets import extract_targets, targets_in


def bounds(text: str, year=2025):
    return [(lo, hi, unit) for _, _, lo, hi, unit in targets_in(text, year)]


def test_lower_bounds_ranges_and_thousands():
    text = ("Củng cố, nâng cao chất lượng và hiệu quả hoạt động cho ít nhất 10 HTX, 66 tổ hợp tác do phụ nữ tham "
            "gia quản lý, điều hành. Tạo việc làm ổn định cho 240 thành viên, lao động nữ trong HTX và 1.253 lao "
            "động nữ trong tổ hợp tác.")
    assert bounds(text) == [(10, None, "hợp tác xã"), (66, 66, "tổ hợp tác"), (240, 240, "thành viên"),
                            (1253, 1253, "lao động nữ")]


def test_percent_and_ranges():
    assert bounds("100% cán bộ Hội làm công tác hỗ trợ phát triển HTX, THT được tập huấn; ít nhất 80% cán bộ Hội") \
        == [(100, 100, "%"), (80, None, "%")]
    assert bounds("tư vấn, hỗ trợ thành lập mới từ 20 - 25 Hợp tác xã (HTX) do phụ nữ (PN) tham gia") == \
        [(20, 25, "Hợp tác xã")]
    assert bounds("tạo việc làm mới cho khoảng  2.000 - 3.000 lao động nữ") == [(2000, 3000, "lao động nữ")]
    assert bounds("- Phấn đấu 30% - 40% cán bộ và công chức") == [(30, 40, "%")]
    assert bounds("vận động hỗ trợ thành lập trên 50 tổ hợp tác") == [(50, None, "tổ hợp tác")]


def test_durations_years_and_quoted_numbers_are_not_targets():
    assert bounds("hỗ trợ đào tạo trình độ sơ cấp, đào tạo dưới 03 tháng trên địa bàn tỉnh năm 2023") == []
    assert bounds("mục tiêu tăng trưởng “2 con số” và chính quyền địa phương 02 cấp") == []
    assert bounds("Tổ chức sơ kết thực hiện Đề án giai đoạn I: (2023 - 2025)") == []


def test_years_from_context_in_an_objectives_section():
    text = ("2. Mục tiêu cụ thể\n\na) Đến năm 2025\n\n- Tư vấn, hỗ trợ thành lập mới từ 02 - 03 HTX do phụ nữ tham "
            "gia quản lý.\n\nb) Đến năm 2030\n\n- Tư vấn, hỗ trợ thành lập mới ít nhất 07 HTX do phụ nữ tham gia "
            "quản lý; tạo việc làm mới cho khoảng 80 - 100 lao động nữ.\n")
    paras = segment(text).paras
    got = extract_targets(paras, text, [True] * len(paras), None, sentences)
    assert [(t.year, t.min, t.max) for t in got] == [(2025, 2, 3), (2030, 7, None), (2030, 80, 100)]
    assert all(text[t.span.start:t.span.end] == t.span.quote for t in got)


def test_cue_sentences_outside_a_section():
    text = ("Kế hoạch phấn đấu đến năm 2025 đạt được một số chỉ tiêu chủ yếu như: tư vấn, hỗ trợ thành lập mới từ "
            "20 - 25 Hợp tác xã. Đến năm 2030: tư vấn, hỗ trợ thành lập mới ít nhất 80 HTX. Để đạt được các chỉ "
            "tiêu trên, Kế hoạch đề ra 3 nhiệm vụ.\n")
    paras = segment(text).paras
    got = extract_targets(paras, text, [False] * len(paras), 2023, sentences)
    assert [(t.year, t.min, t.max, t.unit) for t in got] == [(2025, 20, 25, "Hợp tác xã"),
                                                             (2030, 80, None, "hợp tác xã")]


def test_items_under_a_targets_heading_are_due_in_its_year():
    # "4. Các chỉ tiêu cụ thể đến năm 2030" then lettered items without a cue word or a year of their own
    from kg.extract.segment import segment, sentences
    from kg.extract.targets import extract_targets
    text = ("4. Các chỉ tiêu cụ thể đến năm 2030\n\n"
            "b) Phấn đấu 100% các điểm tổ chức sử dụng trái phép chất ma túy được phát hiện và triệt phá.\n\n"
            "c) Trên 80% các đơn vị chuyên trách được trang bị phương tiện kỹ thuật hiện đại.\n\n"
            "5. Nhiệm vụ và giải pháp\n\nd) Đầu tư 100 tỷ đồng cho 3 cơ sở cai nghiện.\n")
    paras = segment(text).paras
    got = extract_targets(paras, text, [False] * len(paras), 2025, sentences)
    assert [(t.year, t.min, t.max) for t in got] == [(2030, 100, 100), (2030, 80, None)]


def test_a_detailing_sentence_keeps_the_year_of_the_sentence_before():
    from kg.extract.segment import segment, sentences
    from kg.extract.targets import extract_targets
    text = ("3. Phấn đấu giá trị hàng hóa tham gia xuất khẩu đến năm 2030 đạt 400 triệu USD. Trong đó: Giá trị "
            "sản phẩm nông sản tham gia xuất khẩu đạt 395 triệu USD.\n")
    paras = segment(text).paras
    got = extract_targets(paras, text, [False] * len(paras), 2025, sentences)
    assert [(t.year, t.min) for t in got] == [(2030, 400), (2030, 395)]
