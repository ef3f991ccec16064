"""Reading structure out of canonical agency names.

A canonical name is the full official name followed by its jurisdiction
("Sở Tài chính tỉnh An Giang", "Ủy ban nhân dân cấp huyện tỉnh An Giang",
"Phòng Tài chính - Kế hoạch huyện Tràng Định"); central bodies have none
("Bộ Y tế").  The graph builder uses this to give each agency a kind, a level
and an administrative unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.gazetteer import CITIES
from kg.extract.segment import UP  # every capital letter of Vietnamese: "Ứng Hòa", "Ý Yên" start with one
from kg.text import fold, modern_tones

# units that name a province-level city ("thành phố trực thuộc Trung ương")
_CENTRAL_CITIES = {fold(n) for n in CITIES}  # from data/units/units.csv, via the gazetteer
_UNIT_KINDS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")
_UNIT_LEVEL = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district",
               "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune"}
# the jurisdiction after a name: a level word and a place starting with a capital or a digit (no place is named
# "Ủy": "tỉnh Ủy" is a Tỉnh ủy, the Party's committee, miscased)
# A unit may be followed by its parents, as names of bodies of a commune whose name recurs elsewhere are written
# ("Ủy ban nhân dân xã Tân Thạnh, tỉnh Tây Ninh"): the jurisdiction is the first unit, the parents narrow it.
_PARENT = rf"(?:tỉnh|thành phố|huyện|quận|thị xã) [{UP}][^,;()]*"
_JURISDICTION = re.compile(
    r"^(?P<base>.+?)(?: cấp (?P<tier>tỉnh|huyện|xã))?"
    rf"(?: (?P<kind>tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) (?P<name>(?!Việt Nam$|Ủy\b)[{UP}0-9][^,;()]*)"
    rf"(?P<parents>(?:, {_PARENT})*))?$"
)
_PARENT_PARTS = re.compile(rf", (tỉnh|thành phố|huyện|quận|thị xã) ([{UP}][^,;()]*)")
_TIER = re.compile(r"^(?P<base>.+?) cấp (?P<tier>tỉnh|huyện|xã)$")

# first words of a name -> agency-kind concept slug (ontology/vocab/agency-kinds.ttl)
_KINDS: list[tuple[str, str]] = [
    ("thủ tướng", "prime-minister"), ("chính phủ", "government"), ("quốc hội", "national-assembly"),
    ("văn phòng", "office"), ("bộ chính trị", "party-organ"), ("ban chấp hành", "party-organ"),
    ("ban bí thư", "party-organ"), ("ban thường vụ", "party-organ"), ("tỉnh ủy", "party-organ"),
    ("huyện ủy", "party-organ"), ("thành ủy", "party-organ"), ("đảng ủy", "party-organ"),
    ("ban tuyên giáo", "party-organ"), ("ban tổ chức trung ương", "party-organ"),
    ("bộ chỉ huy", "military"), ("bộ đội", "military"), ("bộ ", "ministry"),
    ("sở ", "department"), ("phòng ", "division"),
    ("ủy ban nhân dân", "peoples-committee"), ("hội đồng nhân dân", "peoples-council"),
    ("ủy ban mặt trận", "mass-organisation"), ("ủy ban trung ương mặt trận", "mass-organisation"),
    ("mặt trận", "mass-organisation"), ("hội liên hiệp phụ nữ", "mass-organisation"),
    ("trung ương hội", "mass-organisation"), ("hội nông dân", "mass-organisation"),
    ("hội cựu chiến binh", "mass-organisation"), ("đoàn thanh niên", "mass-organisation"),
    ("tỉnh đoàn", "mass-organisation"), ("công đoàn", "mass-organisation"), ("liên đoàn lao động", "mass-organisation"),
    ("liên minh hợp tác xã", "cooperative-alliance"), ("ngân hàng", "bank"), ("kho bạc", "treasury"),
    ("công an", "police"), ("bộ chỉ huy quân sự", "military"), ("hải quan", "customs"), ("cục hải quan", "customs"),
    ("bảo hiểm xã hội", "social-insurance"), ("thanh tra", "inspectorate"), ("trung tâm", "centre"),
    ("ban ", "board"),
]
_CENTRAL_HINTS = ("việt nam", "trung ương", "chính phủ", "quốc hội", "bộ chính trị", "ban bí thư")


@dataclass(frozen=True)
class AgencyName:
    """Structure read from a canonical agency name."""

    label: str  # the canonical name, modern tone placement
    base: str  # the name without jurisdiction ("Sở Tài chính")
    kind: str  # agency-kind concept slug
    level: str | None  # central | province | district | commune | None when unknown
    collective: bool  # "cấp huyện": all bodies of that kind at that level
    unit_kind: str | None  # "tỉnh", "huyện", ... of the jurisdiction
    unit_name: str | None  # "An Giang"
    parents: tuple[tuple[str, str], ...] = ()  # units named after it, nearest first: (("tỉnh", "Tây Ninh"),)

    @property
    def province_name(self) -> str | None:
        """The province a name's parents give ("Tây Ninh" for "... xã Tân Thạnh, tỉnh Tây Ninh"), or None."""
        for kind, name in reversed(self.parents):
            if unit_level(kind, name) == "province":
                return name
        return None


def kind_of(base: str) -> str:
    """Agency-kind slug from the first words of a name."""
    low = base.casefold()
    for prefix, kind in _KINDS:
        if low.startswith(prefix):
            return kind
    return "other"


@lru_cache(maxsize=1 << 17)  # a name is parsed again at each mention (1.3 million times for 96,667 agencies of a
# national build); the result is frozen
def parse(name: str) -> AgencyName:
    """Split a canonical agency name into base, kind, level and jurisdiction."""
    label = modern_tones(" ".join(name.split()))
    m = _JURISDICTION.match(label)
    base, tier, unit_kind, unit_name = label, None, None, None
    parents: tuple[tuple[str, str], ...] = ()
    if m:
        base, tier = m.group("base"), m.group("tier")
        unit_kind, unit_name = m.group("kind"), m.group("name")
        if unit_name:
            unit_name = unit_name.strip()
        if m.group("parents"):
            parents = tuple((k, n.strip()) for k, n in _PARENT_PARTS.findall(m.group("parents")))
    if not unit_kind:
        t = _TIER.match(label)
        if t:
            base, tier = t.group("base"), t.group("tier")
    collective = tier is not None
    kind = kind_of(base)
    if tier:
        level = {"tỉnh": "province", "huyện": "district", "xã": "commune"}[tier]
    elif unit_kind == "thành phố":
        level = "province" if fold(unit_name) in _CENTRAL_CITIES else "district"
    elif unit_kind:
        level = _UNIT_LEVEL[unit_kind]
    elif any(h in label.casefold() for h in _CENTRAL_HINTS) or kind in (
            "ministry", "government", "prime-minister", "national-assembly"):
        level = "central"
    else:
        level = None
    return AgencyName(label, base, kind, level, collective, unit_kind, unit_name, parents)


def unit_level(unit_kind: str, unit_name: str) -> str:
    """Level of an administrative unit ("thành phố Hà Nội" is a province)."""
    if unit_kind == "thành phố":
        return "province" if fold(unit_name) in _CENTRAL_CITIES else "district"
    return _UNIT_LEVEL[unit_kind]


# usual short forms of long name parts, as offices write them ("UBND tỉnh", "Sở NN&PTNT", "Hội LHPN")
SHORT_FORMS: list[tuple[str, str]] = [
    ("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"), ("Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQVN"), ("Ủy ban Mặt trận Tổ quốc", "UBMTTQ"),
    ("Liên minh Hợp tác xã", "Liên minh HTX"), ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
    ("Nông nghiệp và Môi trường", "NN&MT"), ("Tài nguyên và Môi trường", "TN&MT"),
    ("Lao động - Thương binh và Xã hội", "LĐTBXH"), ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Khoa học và Công nghệ", "KH&CN"), ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Thông tin và Truyền thông", "TT&TT"), ("Văn hóa, Thể thao và Du lịch", "VHTTDL"),
    ("Giao thông vận tải", "GTVT"), ("Ngân hàng Chính sách xã hội", "Ngân hàng CSXH"),
    ("Bảo hiểm xã hội", "BHXH"), ("Kho bạc Nhà nước", "KBNN"),
]


def short_forms(label: str) -> list[str]:
    """Names an office may write for `label` ("Ủy ban nhân dân tỉnh An Giang" -> "UBND tỉnh An Giang")."""
    out = []
    for long, short in SHORT_FORMS:
        if long in label:
            out.append(label.replace(long, short))
    if len(out) > 1:  # every short form at once ("UBND ... Hội LHPN" is rare; "Sở NN&PTNT tỉnh" is not)
        combined = label
        for long, short in SHORT_FORMS:
            combined = combined.replace(long, short)
        out.append(combined)
    return sorted(set(o for o in out if o != label))
