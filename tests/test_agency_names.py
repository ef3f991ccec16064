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
