"""Gazetteer: recognition of agency mentions and their canonical names."""

import pytest

from kg.extract.agencies import Jurisdiction, find_all, parse_list
from kg.extract.segment import search_text

AN_GIANG = Jurisdiction(province="An Giang", level="province")
LANG_SON = Jurisdiction(province="Lạng Sơn", level="province")
TRANG_DINH = Jurisdiction(province="Lạng Sơn", district="Tràng Định", level="district")
CENTRAL = Jurisdiction(level="central")


def names(text: str, j: Jurisdiction) -> list[str]:
    return [n for m in find_all(search_text(text), j) for n in m.names]


@pytest.mark.parametrize("text,j,expected", [
    ("Sở NN&PTNT, Sở KH&CN, Sở Công thương", AN_GIANG,
     ["Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang", "Sở Khoa học và Công nghệ tỉnh An Giang",
      "Sở Công Thương tỉnh An Giang"]),
    ("Sở Lao động TB và XH", AN_GIANG, ["Sở Lao động - Thương binh và Xã hội tỉnh An Giang"]),
    ("- Liên minh HTX - Sở NN và PTNT", AN_GIANG,
     ["Liên minh Hợp tác xã tỉnh An Giang", "Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang"]),
    ("Hội LHPN tỉnh", AN_GIANG, ["Hội Liên hiệp Phụ nữ tỉnh An Giang"]),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố", AN_GIANG, ["Ủy ban nhân dân cấp huyện tỉnh An Giang"]),
    ("10. Ngân hàng Chính sách xã hội tỉnh: Quan tâm", AN_GIANG, ["Ngân hàng Chính sách xã hội tỉnh An Giang"]),
    ("Trung ương Hội LHPN Việt Nam", AN_GIANG, ["Hội Liên hiệp Phụ nữ Việt Nam"]),
    ("UBND các xã, thị trấn", TRANG_DINH, ["Ủy ban nhân dân cấp xã huyện Tràng Định"]),
    ("4. Phòng Lao động, Thương binh, Xã hội – Dân tộc", TRANG_DINH,
     ["Phòng Lao động - Thương binh và Xã hội - Dân tộc huyện Tràng Định"]),
    ("2. Phòng Tài chính - Kế hoạch", TRANG_DINH, ["Phòng Tài chính - Kế hoạch huyện Tràng Định"]),
    ("phối hợp với Ban Hỗ trợ phụ nữ phát triển kinh tế của Hội LHPN tỉnh Lạng Sơn", TRANG_DINH,
     ["Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn"]),
    ("UBND các huyện Văn Lãng, Tràng Định phối hợp chặt chẽ với chủ đầu tư", LANG_SON,
     ["Ủy ban nhân dân huyện Văn Lãng", "Ủy ban nhân dân huyện Tràng Định"]),
    ("yêu cầu các Sở Giao thông vận tải, Tài nguyên và Môi trường, Nông nghiệp và Phát triển nông thôn theo",
     LANG_SON, ["Sở Giao thông vận tải tỉnh Lạng Sơn", "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn",
                "Sở Nông nghiệp và Phát triển nông thôn tỉnh Lạng Sơn"]),
    ("4. Ủy ban nhân dân các tỉnh, thành phố", CENTRAL, ["Ủy ban nhân dân cấp tỉnh"]),
    ("Theo đề nghị của Bộ trưởng Bộ Văn hoá, Thể thao và Du lịch tại các văn bản", CENTRAL,
     ["Bộ Văn hóa, Thể thao và Du lịch"]),
    ("Đề nghị Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam lãnh đạo", CENTRAL,
     ["Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"]),
])
def test_canonical_names(text, j, expected):
    assert names(text, j) == expected


def test_lowercase_common_nouns_are_not_agencies():
    # "các cơ sở y tế" must not be read as "Sở Y tế"
    assert names("đồng ý giao các cơ sở y tế tổ chức lựa chọn nhà thầu", LANG_SON) == []


def test_same_level_body_is_skipped():
    assert names("tham mưu Ủy ban nhân dân cùng cấp ban hành Kế hoạch", AN_GIANG) == []


def test_list_skips_vague_groups():
    text = search_text("Sở Tài chính, Hội Liên hiệp Phụ nữ tỉnh và các đơn vị có liên quan tham mưu")
    found, end = parse_list(text, 0, AN_GIANG)
    assert [m.names[0] for m in found] == ["Sở Tài chính tỉnh An Giang", "Hội Liên hiệp Phụ nữ tỉnh An Giang"]
    assert text[end:].strip().startswith("tham mưu")


def test_unknown_province_gives_no_jurisdiction():
    j = Jurisdiction()
    text = "Liên minh HTX các tỉnh, thành phố phối hợp với Hội Liên hiệp Phụ nữ cấp tỉnh"
    assert names(text, j) == ["Liên minh Hợp tác xã cấp tỉnh", "Hội Liên hiệp Phụ nữ cấp tỉnh"]


@pytest.mark.parametrize("text,expected", [
    # a list distributes its head noun
    ("Các Bộ: Xây dựng, Nông nghiệp và Môi trường, Văn hóa, Thể thao và Du lịch, Công Thương chủ động",
     ["Bộ Xây dựng", "Bộ Nông nghiệp và Môi trường", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Công Thương"]),
    ("Bộ trưởng các Bộ: Công an, Quốc phòng chỉ đạo", ["Bộ Công an", "Bộ Quốc phòng"]),
    ("Ủy ban nhân dân các tỉnh: Hà Tĩnh, Quảng Trị, thành phố Huế, Đà Nẵng theo dõi",
     ["Ủy ban nhân dân tỉnh Hà Tĩnh", "Ủy ban nhân dân tỉnh Quảng Trị", "Ủy ban nhân dân thành phố Huế",
      "Ủy ban nhân dân thành phố Đà Nẵng"]),
    # one ministry followed by another body is not a list of ministries
    ("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam", ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"]),
])
def test_lists_distribute_their_head_noun(text, expected):
    found, _ = parse_list(search_text(text), 0, CENTRAL)
    assert [n for m in found for n in m.names] == expected


def test_a_list_after_levels_and_a_colon_names_each_province():
    found, _ = parse_list(search_text("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, Huế chỉ đạo"),
                          0, CENTRAL)
    assert [n for m in found for n in m.names] == ["Ủy ban nhân dân tỉnh Hà Tĩnh", "Ủy ban nhân dân tỉnh Quảng Trị",
                                                   "Ủy ban nhân dân thành phố Huế"]


def test_a_vague_group_qualified_by_its_body_does_not_end_the_list():
    hanoi = Jurisdiction(province="Hà Nội", level="province", pword="thành phố")
    text = search_text("Thường trực Hội đồng nhân dân, các Ban của Hội đồng nhân dân, các Tổ đại biểu giám sát")
    found, end = parse_list(text, 0, hanoi)
    assert [n for m in found for n in m.names] == ["Thường trực Hội đồng nhân dân thành phố Hà Nội"]
    assert not text[end:].lstrip(" ,").startswith("của")


def test_a_list_after_directly_governed_cities_and_a_colon():
    text = search_text("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Đà Nẵng khẩn trương")
    found, _ = parse_list(text, 0, CENTRAL)
    assert [n for m in found for n in m.names] == ["Ủy ban nhân dân tỉnh Hà Tĩnh", "Ủy ban nhân dân thành phố Đà Nẵng"]


@pytest.mark.parametrize("text,expected", [
    # a place name does not run into the capitalised title after it
    ("Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh Bình Phước Thành lập Ban chỉ đạo",
     "Ủy ban nhân dân tỉnh Bình Phước"),
    ("Ủy ban nhân dân thành phố HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
    ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu ban hành", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
    # a city of a province keeps its name; a "tỉnh" that names no province is the document's own
    ("Ủy ban nhân dân thành phố Quy Nhơn", "Ủy ban nhân dân thành phố Quy Nhơn"),
    ("của Ủy ban nhân dân tỉnh Quy định về", "Ủy ban nhân dân tỉnh An Giang"),
])
def test_province_names_are_checked_against_the_unit_data(text, expected):
    assert expected in names(text, AN_GIANG)


def test_ministries_and_agencies_listed_after_their_head_nouns():
    text = search_text("Các Bộ, cơ quan: Tài chính, Ngoại giao, Tập đoàn Điện lực Việt Nam theo chức năng khẩn trương")
    found, _ = parse_list(text, 0, CENTRAL)
    assert [n for m in found for n in m.names] == ["Bộ Tài chính", "Bộ Ngoại giao", "Tập đoàn Điện lực Việt Nam"]
    # a body whose name ends with another body's name is itself
    assert names("Ban Cơ yếu Chính phủ chủ trì", CENTRAL) == ["Ban Cơ yếu Chính phủ"]


@pytest.mark.parametrize("text,expected", [
    ("Viện kiểm sát nhân dân thành phố", "Viện kiểm sát nhân dân thành phố Cần Thơ"),
    ("Tòa án nhân dân thành phố", "Tòa án nhân dân thành phố Cần Thơ"),
    ("Báo và Phát thanh, Truyền hình Cần Thơ", "Báo và Phát thanh, Truyền hình Cần Thơ"),
    ("Ban Tuyên giáo và Dân vận Thành ủy", "Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ"),
    ("Đề nghị Thuế tỉnh Vĩnh Long xử lý", "Thuế tỉnh Vĩnh Long"),   # the provincial tax office since 2025
])
def test_provincial_bodies_of_the_catalogue(text, expected):
    can_tho = Jurisdiction(province="Cần Thơ", level="province", pword="thành phố")
    assert expected in names(text, can_tho)
    assert names("Nộp thuế tỉnh Cần Thơ", can_tho) == []  # "thuế" the tax is no body


@pytest.mark.parametrize("text,expected", [
    ("Chi cục Hải quan khu vực XIX chủ trì", "Chi cục Hải quan khu vực XIX"),
    ("Kho bạc Nhà nước khu vực XVII phối hợp", "Kho bạc Nhà nước khu vực XVII"),
    ("Chi cục Thủy lợi tỉnh", "Chi cục Thủy lợi thành phố Cần Thơ"),
])
def test_regional_units_are_named_by_their_number_not_the_province(text, expected):
    assert names(text, Jurisdiction(province="Cần Thơ", level="province", pword="thành phố")) == [expected]


def test_the_place_after_the_last_body_of_a_list_is_the_others_too():
    text = search_text("Chính phủ, Hội đồng nhân dân, Ủy ban nhân dân thành phố Cần Thơ chịu trách nhiệm thi hành")
    found, _ = parse_list(text, 0, CENTRAL)
    assert [n for m in found for n in m.names] == ["Chính phủ", "Hội đồng nhân dân thành phố Cần Thơ",
                                                   "Ủy ban nhân dân thành phố Cần Thơ"]
    assert names("Hội đồng Dân tộc giám sát việc thực hiện", CENTRAL) == ["Hội đồng Dân tộc"]
