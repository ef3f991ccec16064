"""Duties: heading agencies, "chủ trì"/"phối hợp", "Giao", "Đề nghị", deadlines, annex tables."""

from kg.extract.agencies import Jurisdiction
from kg.extract.dates import deadline
from kg.extract.duties import DutyReader
from kg.extract.segment import segment
from kg.extract.tables import read_tables

AN_GIANG = Jurisdiction(province="An Giang", level="province")
LANG_SON = Jurisdiction(province="Lạng Sơn", level="province")
TRANG_DINH = Jurisdiction(province="Lạng Sơn", district="Tràng Định", level="district")
CENTRAL = Jurisdiction(level="central")


def read(text: str, j: Jurisdiction, year: int | None = 2024, central: bool = False):
    reader = DutyReader(text, j, year, central)
    out = []
    for p in segment(text).paras:
        out += reader.read(p)
    for d in out:
        assert text[d.span.start:d.span.end] == d.span.quote
    return out


def pairs(duties):
    return [(d.agency, d.role) for d in duties]


def test_lead_and_partners_in_one_sentence():
    text = ("2. Sở Kế hoạch và Đầu tư\n\nSở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính, Hội Liên hiệp "
            "Phụ nữ tỉnh và các đơn vị có liên quan tham mưu cấp thẩm quyền phân bổ nguồn vốn.\n")
    assert pairs(read(text, AN_GIANG)) == [("Sở Kế hoạch và Đầu tư tỉnh An Giang", "lead"),
                                          ("Sở Tài chính tỉnh An Giang", "partner"),
                                          ("Hội Liên hiệp Phụ nữ tỉnh An Giang", "partner")]


def test_heading_agency_leads_its_bullets():
    text = ("4. Sở Nông nghiệp và Phát triển nông thôn\n\n- Phối hợp Hội Liên hiệp Phụ nữ tỉnh lồng ghép các hoạt "
            "động của Kế hoạch.\n\n- Tổ chức chuyển giao khoa học - kỹ thuật cho lao động nữ.\n\n"
            "5. Sở Lao động - Thương binh và Xã hội\n\nLồng ghép thực hiện đa dạng các hình thức tuyên truyền.\n")
    got = read(text, AN_GIANG)
    assert pairs(got) == [("Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang", "lead"),
                          ("Hội Liên hiệp Phụ nữ tỉnh An Giang", "partner"),
                          ("Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang", "lead"),
                          ("Sở Lao động - Thương binh và Xã hội tỉnh An Giang", "lead")]
    assert got[2].text == "- Tổ chức chuyển giao khoa học - kỹ thuật cho lao động nữ."


def test_request_to_the_front_and_heading_with_colon():
    text = ("10. Ngân hàng Chính sách xã hội tỉnh: Quan tâm, tạo điều kiện cho các mô hình THT, HTX được tiếp cận "
            "các nguồn vốn vay ưu đãi.\n\n11. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh: Trong phạm vi, chức năng, "
            "nhiệm vụ của mình, tham gia tổ chức triển khai các hoạt động của kế hoạch.\n")
    got = read(text, AN_GIANG)
    assert [(d.agency, d.role, d.modality) for d in got] == [
        ("Ngân hàng Chính sách xã hội tỉnh An Giang", "lead", "assign"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang", "lead", "request")]


def test_closing_paragraph_with_yearly_deadline():
    text = ("Trên đây là Kế hoạch thực hiện Đề án; UBND tỉnh đề nghị các sở, ban, ngành có liên quan, Ủy ban nhân "
            "dân các huyện, thị xã, thành phố triển khai thực hiện, báo cáo kết quả thực hiện hàng năm (trước ngày "
            "30/10) gửi về UBND tỉnh (thông qua Hội Liên hiệp Phụ nữ tỉnh).\n")
    (d,) = read(text, AN_GIANG, year=2024)
    assert (d.agency, d.role, d.modality) == ("Ủy ban nhân dân cấp huyện tỉnh An Giang", "lead", "assign")
    assert (d.deadline, d.recurring) == ("2024-10-30", "yearly")


def test_digest_sentences():
    text = ("Theo đó, giao Sở Tài chính chủ trì, phối hợp với Kho bạc Nhà nước tỉnh và các chủ đầu tư rà soát, "
            "kiểm tra, đôn đốc thu hồi vốn tạm ứng quá hạn.\n\n"
            "UBND các huyện, thành phố có trách nhiệm chỉ đạo cơ quan tài chính trực thuộc phối hợp với Kho bạc "
            "Nhà nước, các chủ đầu tư thực hiện rà soát.\n\n"
            "UBND tỉnh ban hành Quyết định (Quyết định số 571/QĐ-UBND, ngày 13/4/2023) công bố Danh mục.\n")
    assert pairs(read(text, LANG_SON, 2023)) == [
        ("Sở Tài chính tỉnh Lạng Sơn", "lead"), ("Kho bạc Nhà nước tỉnh Lạng Sơn", "partner"),
        ("Ủy ban nhân dân cấp huyện tỉnh Lạng Sơn", "lead"), ("Kho bạc Nhà nước tỉnh Lạng Sơn", "partner")]


def test_sentence_about_another_document_assigns_nothing():
    text = ("Tại Công văn số 1919/BNN-VP ngày 29/3/2023, Bộ Nông nghiệp và Phát triển nông thôn đề nghị UBND các "
            "tỉnh thành phố đẩy mạnh phối hợp, cung cấp thông tin.\n")
    assert read(text, LANG_SON, 2023) == []


def test_gazette_items_with_letters_and_deadlines():
    text = ("4. Ủy ban nhân dân các tỉnh, thành phố \n"
            "a) Khẩn trương tổ chức rà soát toàn bộ thôn, tổ dân phố trên địa bàn; \n"
            "hoàn thành trước ngày 10 tháng 6 năm 2026. \n"
            "5. Bộ Nội vụ \n"
            "d) Chủ trì phối hợp với Bộ Tài chính và các cơ quan liên quan hướng dẫn thực hiện chế độ; \n"
            "8. Bộ Văn hóa, Thể thao và Du lịch phối hợp với Ban Tuyên giáo và Dân \n"
            "vận Trung ương định hướng thông tin, tuyên truyền. \n")
    got = read(text, CENTRAL, 2026, central=True)
    assert [(d.agency, d.role, d.deadline) for d in got] == [
        ("Ủy ban nhân dân cấp tỉnh", "lead", "2026-06-10"),
        ("Bộ Nội vụ", "lead", None), ("Bộ Tài chính", "partner", None),
        ("Bộ Văn hóa, Thể thao và Du lịch", "lead", None), ("Ban Tuyên giáo và Dân vận Trung ương", "partner", None)]


def test_issuer_that_orders_is_not_a_duty_bearer():
    text = "UBND huyện yêu cầu các cơ quan, đơn vị; đề nghị Ủy ban Mặt trận Tổ quốc huyện phối hợp thực hiện.\n"
    got = read(text, TRANG_DINH, 2023)
    assert [(d.agency, d.role, d.modality) for d in got] == [
        ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện Tràng Định", "lead", "request")]


def test_annex_table_one_cell_per_line():
    text = ("KT. CHỦ TỊCH\n\nTT\n\nCác hoạt động trọng tâm\n\nThời gian\n\nĐơn vị/bộ phận phụ trách\n\n"
            "Đơn vị phối hợp\n\n5\n\n- Viết tin bài đưa tin\n\nx\n\nx\n\nSở Thông tin và Truyền thông\n\n"
            "Hội LHPN tỉnh và các sở ngành có liên quan\n\n8\n\n- Rà soát, đánh giá hoạt động của THT, HTX do phụ nữ "
            "tham gia quản lý, điều hành\n\nx\n\nHội LHPN tỉnh\n\n- Liên minh HTX - Sở NN và PTNT\n")
    seg = segment(text)
    got = read_tables(seg, 0, AN_GIANG, 2024)
    assert pairs(got) == [("Sở Thông tin và Truyền thông tỉnh An Giang", "lead"),
                          ("Hội Liên hiệp Phụ nữ tỉnh An Giang", "partner"),
                          ("Hội Liên hiệp Phụ nữ tỉnh An Giang", "lead"),
                          ("Liên minh Hợp tác xã tỉnh An Giang", "partner"),
                          ("Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang", "partner")]
    assert got[0].text == "Viết tin bài đưa tin"
    assert all(text[d.span.start:d.span.end] == d.span.quote for d in got)


def test_deadline_forms():
    assert deadline("hoàn thành trước ngày 25 tháng 5 năm 2026", 2026) == ("2026-05-25", None)
    assert deadline("báo cáo kết quả trong tháng 6/2026", 2026) == ("2026-06-30", None)
    assert deadline("xong trước ngày 01 tháng 5 năm 2026", 2026) == ("2026-05-01", None)
    assert deadline("hằng năm trước ngày 30/10", 2024) == ("2024-10-30", "yearly")
    assert deadline("bảo đảm nguồn kinh phí theo ngân sách nhà nước hằng năm", 2026) == (None, None)


BAC_NINH = Jurisdiction(province="Bắc Ninh", level="province")


def test_field_lines_complete_the_task_above_them():
    # a plan's "Nhiệm vụ, giải pháp": each task is followed by its lead, partner and time fields
    text = ("1. Rà soát, kiện toàn đội ngũ cán bộ xây dựng pháp luật\n\n"
            "- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ, công chức xây dựng chính sách, pháp luật.\n\n"
            "Đơn vị chủ trì tham mưu thực hiện: Sở Nội vụ.\n\n"
            "Đơn vị phối hợp: Sở Tư pháp, Sở Tài chính.\n\n"
            "Thời gian thực hiện: Quý IV/2025.\n\n"
            "- Ra mắt trợ lý pháp luật cho cán bộ, công chức.\n\n"
            "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.\n\n"
            "- Thời gian thực hiện: Từ 01/7/2025 đến tháng 6/2026.\n")
    got = read(text, BAC_NINH)
    first = [(d.agency, d.role, d.deadline) for d in got if d.text.startswith("- Thường xuyên")]
    assert first == [("Sở Nội vụ tỉnh Bắc Ninh", "lead", "2025-12-31"),
                     ("Sở Tư pháp tỉnh Bắc Ninh", "partner", "2025-12-31"),
                     ("Sở Tài chính tỉnh Bắc Ninh", "partner", "2025-12-31")]
    # "Từ 01/7/2025" is when it starts: the deadline is the end of the period
    assert [(d.agency, d.role, d.deadline) for d in got if d.text.startswith("- Ra mắt")] == [
        ("Sở Khoa học và Công nghệ tỉnh Bắc Ninh", "lead", "2026-06-30")]


def test_a_time_sentence_gives_its_deadline_to_the_duty_before_it():
    text = ("3. Văn phòng Ủy ban nhân dân tỉnh chủ trì tổng hợp các kiến nghị, báo cáo Ủy ban nhân dân tỉnh. "
            "Thời gian hoàn thành trước ngày 30/12/2025.\n")
    assert [(d.agency, d.deadline) for d in read(text, BAC_NINH)] == [
        ("Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh", "2025-12-30")]


def test_the_issuer_informing_or_asking_is_not_a_duty_holder():
    # a Government Office notice: it informs the ministries, it does not take the task itself
    text = ("Văn phòng Chính phủ thông báo để các Bộ Y tế, Công an, Xây dựng và các cơ quan liên quan biết, "
            "thực hiện.\n")
    reader = DutyReader(text, CENTRAL, 2025, True, issuer="Văn phòng Chính phủ")
    got = [d for p in segment(text).paras for d in reader.read(p)]
    assert "Văn phòng Chính phủ" not in {d.agency for d in got}


def test_a_superior_asked_to_consider_and_decide_is_not_assigned():
    text = ("Ủy ban nhân dân tỉnh đề nghị Thủ tướng Chính phủ xem xét, quyết định. "
            "Đề nghị Bộ Tài chính hướng dẫn thủ tục thanh toán.\n")
    got = pairs(read(text, BAC_NINH))
    assert ("Thủ tướng Chính phủ", "lead") not in got
    assert ("Bộ Tài chính", "lead") in got


def test_a_responsibility_heading_owns_the_items_below_it():
    # normative texts: "Điều 20. Trách nhiệm của X" then numbered clauses without a subject
    text = ("Điều 20. Trách nhiệm của Sở Tài chính\n\n1. Hướng dẫn các đơn vị lập dự toán kinh phí.\n\n"
            "2. Tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 năm 2025.\n\n"
            "Điều 21. Trách nhiệm của Ủy ban nhân dân cấp xã\n\n1. Tổ chức thực hiện trên địa bàn.\n")
    got = [(d.agency, d.role, d.deadline) for d in read(text, BAC_NINH)]
    assert got == [("Sở Tài chính tỉnh Bắc Ninh", "lead", None),
                   ("Sở Tài chính tỉnh Bắc Ninh", "lead", "2025-12-15"),
                   ("Ủy ban nhân dân cấp xã tỉnh Bắc Ninh", "lead", None)]


def test_a_unit_replying_is_named_without_its_verb_and_holds_no_duty():
    text = "Cục Thuế trả lời như sau: người nộp thuế thực hiện theo hướng dẫn tại Thông tư.\n"
    reader = DutyReader(text, CENTRAL, 2025, True, issuer="Cục Thuế")
    assert [d for p in segment(text).paras for d in reader.read(p)] == []


def test_a_subject_acting_within_its_remit_carries_the_duty():
    # công điện: "Bộ Y tế theo chức năng, nhiệm vụ được giao chủ trì, ..."
    text = ("2. Bộ Y tế theo chức năng, nhiệm vụ được giao chủ trì, phối hợp với Bộ Tài chính hướng dẫn việc "
            "hỗ trợ người dân.\n\n5. Văn phòng Chính phủ theo chức năng, nhiệm vụ được giao theo dõi, đôn đốc.\n")
    assert pairs(read(text, CENTRAL, central=True)) == [("Bộ Y tế", "lead"), ("Bộ Tài chính", "partner"),
                                                       ("Văn phòng Chính phủ", "lead")]


def test_recipients_are_not_duty_holders():
    # the recipients list, with or without its "Nơi nhận" label, as the portal leaves it in the signature cell
    text = ("Điều 3. Tổ chức thực hiện\n\n1. Giao Chính phủ tổ chức thực hiện Nghị quyết này.\n\n"
            "- Chính phủ; - Ban Tổ chức Trung ương; - Kiểm toán nhà nước; - Lưu: HC, PLTP.\n\n"
            "Nơi nhận:\n\n- Bộ Tài chính;\n\n- Bộ Nội vụ;\n")
    assert pairs(read(text, CENTRAL, central=True)) == [("Chính phủ", "lead")]


def test_the_issuer_agreeing_is_not_a_duty():
    text = "Điều 1. Chính phủ cơ bản thống nhất với dự án Pháp lệnh do Bộ Công an trình.\n"
    reader = DutyReader(text, CENTRAL, 2025, True, issuer="Chính phủ")
    assert [d.agency for p in segment(text).paras for d in reader.read(p)] == []


def test_deadlines_written_with_hyphens_or_dots():
    assert deadline("gửi hồ sơ về Sở Tài nguyên và Môi trường trước ngày 28-10 để sở thẩm định", 2021) == \
        ("2021-10-28", None)
    assert deadline("hoàn thành trước ngày 31.12.2025.", 2025) == ("2025-12-31", None)
    assert deadline("lập quy hoạch giai đoạn 2021-2030 trong năm", 2021) == (None, None)


def test_a_day_already_past_or_of_next_year_is_next_years():
    assert deadline("báo cáo (trước ngày 30 tháng 01 năm sau) về tình hình an toàn điện", 2025, "2025-11-27") == \
        ("2026-01-30", None)
    assert deadline("gửi báo cáo trước ngày 30/01", 2025, "2025-11-27") == ("2026-01-30", None)
    assert deadline("gửi báo cáo trước ngày 15 tháng 12", 2025, "2025-11-17") == ("2025-12-15", None)


def test_a_vague_group_with_its_place_heads_a_list():
    can_tho = Jurisdiction(province="Cần Thơ", level="province", pword="thành phố")
    text = ("1. Các sở, ban, ngành thành phố và Ủy ban nhân dân xã, phường:\n\n"
            "b) Định kỳ hằng năm (trước ngày 15 tháng 12) báo cáo kết quả về Ủy ban nhân dân thành phố.\n")
    got = [(d.agency, d.deadline, d.recurring) for d in read(text, can_tho, 2025)]
    assert got == [("Ủy ban nhân dân cấp xã thành phố Cần Thơ", "2025-12-15", "yearly")]


def test_a_reporting_section_assigns_the_reports():
    from kg.extract import extract_text
    text = ("ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Số: 2954/KH-UBND\n\nSơn La, ngày 20 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nXuất khẩu hàng hóa\n\n"
            "I. MỤC TIÊU\n\n1. Tăng xuất khẩu.\n\nII. CHẾ ĐỘ BÁO CÁO\n\n"
            "1. Sở Công Thương tổng hợp báo cáo UBND tỉnh về tình hình thực hiện Kế hoạch này định kỳ 6 tháng "
            "(trước ngày 18/5), tổng kết năm (trước ngày 30/11 hàng năm).\n")
    doc = extract_text(text, "x.txt").documents[0]
    # 18/5 is past on the plan's date (20/11/2025): the first report is due in 2026
    assert [(d.agency, d.role, d.deadline) for d in doc.duties] == [("Sở Công Thương tỉnh Sơn La", "lead", "2026-05-18")]
