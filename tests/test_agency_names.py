"""Structure and short forms read from canonical agency names."""

from __future__ import annotations

import pytest

from kg.agency_names import parse, short_forms


@pytest.mark.parametrize("name, base, kind, level, collective, unit", [
    ("Sở Tài chính tỉnh An Giang", "Sở Tài chính", "department", "province", False, ("tỉnh", "An Giang")),
    ("Ủy ban nhân dân cấp huyện tỉnh An Giang", "Ủy ban nhân dân", "peoples-committee", "district", True,
     ("tỉnh", "An Giang")),
    ("Phòng Tài chính - Kế hoạch huyện Tràng Định", "Phòng Tài chính - Kế hoạch", "division", "district", False,
     ("huyện", "Tràng Định")),
    ("Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân", "peoples-committee", "province", False,
     ("thành phố", "Hà Nội")),
    ("Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân", "peoples-committee", "province", True, (None, None)),
    ("Bộ Y tế", "Bộ Y tế", "ministry", "central", False, (None, None)),
    ("Hội Liên hiệp Phụ nữ Việt Nam", "Hội Liên hiệp Phụ nữ Việt Nam", "mass-organisation", "central", False,
     (None, None)),
    ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "department", None, False, (None, None)),
    # "xã" inside "Hợp tác xã", then the country: a central body, not a commune named "Việt Nam"
    ("Liên minh Hợp tác xã Việt Nam", "Liên minh Hợp tác xã Việt Nam", "cooperative-alliance", "central", False,
     (None, None)),
], ids=lambda v: v if isinstance(v, str) else None)
def test_parse_canonical_names(name, base, kind, level, collective, unit):
    a = parse(name)
    assert (a.base, a.kind, a.level, a.collective, (a.unit_kind, a.unit_name)) == (base, kind, level, collective, unit)


def test_old_tone_placement_gives_the_same_label():
    assert parse("Uỷ ban nhân dân tỉnh Lạng Sơn").label == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_short_forms_are_those_offices_write():
    assert short_forms("Ủy ban nhân dân tỉnh Lạng Sơn") == ["UBND tỉnh Lạng Sơn"]
    assert short_forms("Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang") == ["Sở NN&PTNT tỉnh An Giang"]
    assert short_forms("Sở Tài chính tỉnh An Giang") == []


def test_a_unit_followed_by_its_province_is_the_jurisdiction():
    # successors of abolished communes are named so when the commune's name recurs in another province
    a = parse("Ủy ban nhân dân xã Tân Thạnh, tỉnh Tây Ninh")
    assert (a.base, a.level, a.unit_kind, a.unit_name) == ("Ủy ban nhân dân", "commune", "xã", "Tân Thạnh")
    assert a.parents == (("tỉnh", "Tây Ninh"),) and a.province_name == "Tây Ninh"
    b = parse("Hội Liên hiệp Phụ nữ xã A Lưới, huyện A Lưới, thành phố Huế")
    assert (b.level, b.unit_name, b.province_name) == ("commune", "A Lưới", "Huế")
    c = parse("Phòng Kinh tế, Hạ tầng và Đô thị huyện Tràng Định")  # a comma inside the name is not a parent
    assert (c.base, c.unit_name, c.parents) == ("Phòng Kinh tế, Hạ tầng và Đô thị", "Tràng Định", ())


def test_communes_of_one_province_whose_names_fold_alike_are_two_agencies():
    # "xã Tân Thành" and "xã Tân Thạnh" of Tây Ninh (both since 1/7/2025): one slug, two units, two bodies
    from kg import iri
    from kg.succession import default

    table = default()
    thanh, thanh_dot = (table.unit_of(f"Ủy ban nhân dân xã {n}, tỉnh Tây Ninh") for n in ("Tân Thành", "Tân Thạnh"))
    assert thanh is not None and thanh_dot is not None
    assert (thanh.label, thanh_dot.label) == ("xã Tân Thành", "xã Tân Thạnh") and thanh.id != thanh_dot.id
    a = iri.agency("Ủy ban nhân dân xã Tân Thành, tỉnh Tây Ninh")
    b = iri.agency("Ủy ban nhân dân xã Tân Thạnh, tỉnh Tây Ninh")
    assert a != b
    assert a == iri.agency("Ủy ban nhân dân xã Tân Thành, tỉnh Tây Ninh", thanh.id)  # named, or given its unit
    # a commune whose slug no other commune of its province shares keeps the plain slug
    assert str(iri.agency("Hội Liên hiệp Phụ nữ xã Đoàn Kết, tỉnh Lạng Sơn")).endswith("/hoi-lien-hiep-phu-nu-xa-doan-ket-tinh-lang-son")
