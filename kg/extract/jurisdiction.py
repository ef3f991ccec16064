"""Where a public body sits: the issuer's jurisdiction and the level words after a body's name.

"Ủy ban nhân dân huyện Tràng Định" (a named place), "UBND các huyện, thị xã,
thành phố" (every district-level unit: "cấp huyện"), "UBND các huyện Văn Lãng,
Tràng Định" (a list of named districts), "Sở Y tế tỉnh" (the issuer's province):
reading these and turning them into the jurisdiction part of a canonical name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.gazetteer import (  # the centrally-run cities: "các tỉnh: ..., Đà Nẵng" names a "thành phố"
    CITIES,
    PROVINCES,
    UNIT_NAMES,
)
from kg.extract.scan import match_from
from kg.text import fold

__all__ = ["Jurisdiction", "cap_name", "default_suffix", "juris_suffix", "proper_name", "read_level"]

_LEVELS = r"(?i:tỉnh|huyện|thị xã|thành phố|quận|xã|phường|thị trấn)"
_CAP_OF = {"quận": "huyện", "thị xã": "huyện", "phường": "xã", "thị trấn": "xã"}

_PROPER_WORD = re.compile(r"[^\W\d_][\w]*")
_NOT_PLACE = {"Sở", "Bộ", "Phòng", "Hội", "Ban", "Ủy", "UBND", "HĐND", "Liên", "Ngân", "Kho", "Trung",
              "Các", "Đề", "Giao", "Chủ", "Phó", "Thường", "Tổ", "Về", "Theo", "Trong", "Tại", "Để", "Và",
              "Việt", "VN", "Lãnh", "Quan", "Thực", "Triển", "Hỗ", "Tham", "Ngày", "Từ", "Đến", "Chỉ"}


@dataclass
class Jurisdiction:
    """Where the issuing document sits: province, district, commune and the issuer's level.

    A commune of the two-level local government (2025), which has no district above it, sits in ``district``
    with its own word ("xã", "phường", "đặc khu") as ``dword``; a commune under a district (before 1/7/2025,
    "UBND HUYỆN X / UBND XÃ Y") in ``commune``, under its ``district``, at the level "commune".
    """

    province: str | None = None
    district: str | None = None
    level: str | None = None  # "central", "province", "district", "commune"
    pword: str = "tỉnh"  # "thành phố" for a centrally-run city
    dword: str = "huyện"  # "thị xã", "thành phố", "quận"
    ministry: str | None = None  # the issuing ministry ("Văn phòng Bộ" is its office)
    commune: str | None = None
    cword: str = "xã"  # "phường", "thị trấn"

    @property
    def pj(self) -> str:
        """ "tỉnh An Giang" / "thành phố Hà Nội"."""
        return f"{self.pword} {self.province}"

    @property
    def dj(self) -> str:
        """ "huyện Tràng Định" / "thị xã ..."."""
        return f"{self.dword} {self.district}"

    @property
    def cj(self) -> str:
        """ "xã Kim Chung" / "thị trấn ..."."""
        return f"{self.cword} {self.commune}"


def proper_name(text: str, pos: int) -> tuple[str, int] | None:
    """Read a capitalised place name ("An Giang", "Bà Rịa - Vũng Tàu") at ``pos``."""
    words: list[str] = []
    end, k = pos, pos
    while len(words) < 4:
        m = match_from(r"\s*(?:-\s*)?", text, k)
        j = k + (m.end() if m else 0)
        w = _PROPER_WORD.match(text, j)
        if not w or not w.group(0)[0].isupper() or (not words and w.group(0) in _NOT_PLACE):
            break
        if words and (w.group(0) in _NOT_PLACE or w.group(0).isupper() and len(w.group(0)) > 1):
            break
        words.append(text[k:w.end()].strip() if words else w.group(0))
        end = k = w.end()
    if not words:
        return None
    name = " ".join(x if not x.startswith("-") else x for x in words)
    return re.sub(r"\s+", " ", name), end


def province_name(text: str, pos: int, read: tuple[str, int] | None, lvl: str) -> tuple[str, int] | None:
    """The province a "tỉnh"/"thành phố" names at ``pos``, checked against the unit data.

    A place name runs into the capitalised words after it in titles and table cells
    ("tỉnh Bình Phước Thành lập ...", "tỉnh Quy định ..."): the longest run of words that is a
    province is the name. "THÀNH PHỐ HÀ NỘI" in capitals is "Hà Nội". A "tỉnh" that names no
    province names none; a "thành phố" may be a city of a province ("thành phố Quy Nhơn") and keeps
    what was read.
    """
    province = None
    words = list(re.finditer(r"\s*(-\s*)?([^\W\d_]+)", text[pos:pos + 80]))[:5]
    for k in range(len(words), 0, -1):
        name = " ".join((w.group(1) or "") + w.group(2) for w in words[:k]).replace("- ", "- ").strip()
        name = re.sub(r"\s*-\s*", " - ", name)
        cased = name if not name.isupper() else " ".join(x.capitalize() if x != "-" else x for x in name.split())
        if cased in PROVINCES:
            province = cased, pos + words[k - 1].end()
            break
    if lvl == "thành phố":  # a city of a province: its whole name when the unit data knows it ("Cao Lãnh",
        # which a reader of capitalised words cuts at "Lãnh" of "Lãnh đạo"), also when a province's name starts it
        # ("thành phố Điện Biên Phủ" of the province Điện Biên)
        city = unit_name(text, pos, lvl)
        if city is not None and (province is None or city[1] > province[1]):
            return city
        return province or read
    return province


# kind -> folded name -> the name as units.csv spells it (both eras)
# kind -> folded name -> the names as units.csv spells them, sorted: "Văn Miếu Quốc Tử Giám" (until 2025) and
# "Văn Miếu - Quốc Tử Giám" (since) fold alike; the spelling written wins (see unit_name), not a set's order
_UNIT_FOLDED: dict[str, dict[str, tuple[str, ...]]] = {}
for _kind, _names in UNIT_NAMES.items():
    for _n in sorted(_names):
        _UNIT_FOLDED.setdefault(_kind, {})[fold(_n)] = (*_UNIT_FOLDED.get(_kind, {}).get(fold(_n), ()), _n)


def unit_name(text: str, pos: int, lvl: str) -> tuple[str, int] | None:
    """The longest run of words at ``pos`` that names a unit of kind ``lvl`` in the unit data, with its end.

    Reads whole names a capitalised-word reader cuts or misses: "huyện Hà Trung" ("Trung" also starts
    "Trung tâm"), "phường 3", "HUYỆN HÀ TRUNG" (spelt as the data spells it).
    """
    names = _UNIT_FOLDED.get(lvl)
    if not names:
        return None
    words = list(re.finditer(r"\s*(?:-\s*)?([^\W_]+)", text[pos:pos + 80]))[:6]
    for k in range(len(words), 0, -1):
        written = text[pos:pos + words[k - 1].end()]
        found = names.get(fold(written))
        if found:
            same = [n for n in found if n.casefold() == " ".join(written.split()).casefold()]
            return (same or found)[0], pos + words[k - 1].end()
    return None


def read_level(text: str, pos: int) -> tuple[str, str | None, list[str], int]:
    """Read what follows a body's name: ("vn"|"cap"|"named"|"bare"|"none", level, names, end)."""
    m = match_from(r"\s+(?:Việt Nam|VN|Việt nam)\b", text, pos)
    if m:
        how, lvl, names, end = read_level(text, pos + m.end())
        if how in ("named", "bare", "cap", "list"):  # "Ủy ban MTTQ Việt Nam tỉnh": a local committee
            return "vn-" + how, lvl, names, end
        return "vn", None, [], pos + m.end()
    m = match_from(rf"\s+(?:các\s+)?cấp\s+(tỉnh|huyện|xã)(?:\s*/\s*(?:{_LEVELS}))?", text, pos)
    if m:
        return "cap", m.group(1), [], pos + m.end()
    if match_from(r"\s+các\s+cấp\b", text, pos):  # "Ủy ban nhân dân các cấp": every level, no one body
        return "same", None, [], pos
    m = match_from(rf"\s+các\s+(tỉnh|huyện|xã|quận|phường|thị xã)((?:\s*(?:,|/|và|-|–)\s*(?:{_LEVELS}))*)", text, pos)
    if m:
        end = pos + m.end()
        cap = _CAP_OF.get(m.group(1), m.group(1))
        names = []
        colon = match_from(r"\s*(?:,?\s*trực thuộc [Tt]rung ương\s*)?:", text, end)
        if not m.group(2) or colon:  # "UBND các huyện Văn Lãng, Tràng Định", "UBND các tỉnh, thành phố: Hà Tĩnh, Huế"
            k = end + (colon.end() if colon else 0)
            lvl = m.group(1)
            while True:
                word = match_from(rf"\s*({_LEVELS})(?=\s)", text, k) if colon else None
                pk = k + word.end() if word else k
                pn = proper_name(text, pk)
                if not pn:
                    break
                if word:
                    lvl = word.group(1).lower()
                item_lvl = "thành phố" if lvl == "tỉnh" and pn[0] in CITIES else lvl
                names.append(f"{item_lvl} {pn[0]}")
                k = pn[1]
                sep = match_from(r"\s*(?:,|;|và)\s*", text, k)
                if not sep:
                    break
                w2 = match_from(rf"({_LEVELS})\s+", text, k + sep.end()) if colon else None
                nxt = proper_name(text, k + sep.end() + (w2.end() if w2 else 0))
                if not nxt:
                    break
                k += sep.end()
            if names:
                return "list", None, names, k
        tail = match_from(r"\s*,?\s*(?:thành phố\s+)?trực thuộc [Tt]rung ương", text, end)
        if tail:
            end += tail.end()
        return "cap", cap, [], end
    m = match_from(r"\s+(?:thành phố|thị xã)\s*(?:,|và)\s*các\s+(huyện|quận|thị xã)\b(?!\s+[A-ZĐ])", text, pos)
    if m:  # "Ủy ban nhân dân thành phố và các huyện": every district-level unit of the province
        return "cap", "huyện", [], pos + m.end()
    # "huyện, thị xã, thành phố" / "quận - huyện" / "phường - xã, thị trấn"
    m = match_from(rf"\s+(huyện|xã|quận|phường)(?:\s*(?:,|-|–)\s*(?:{_LEVELS})){{1,3}}\b", text, pos)
    after = match_from(r"\s+(\w)", text, pos + m.end()) if m else None
    if m and not (after and after.group(1).isupper()):
        # "Chủ tịch Ủy ban nhân dân huyện, thị xã, thành phố": every district, without "các"
        return "cap", _CAP_OF.get(m.group(1), m.group(1)), [], pos + m.end()
    m = match_from(r"\s+tỉnh\s*,\s*thành phố(?:\s+trực thuộc [Tt]rung ương)?", text, pos)
    if m:
        return "cap", "tỉnh", [], pos + m.end()
    m = match_from(rf"\s+({_LEVELS})(?:\s*/\s*(?:{_LEVELS}))?\b", text, pos)
    if m:
        end, lvl = pos + m.end(), m.group(1).lower()
        if "/" in m.group(0):
            return "cap", _CAP_OF.get(lvl, lvl), [], end
        pn = proper_name(text, end) if re.match(r"\s", text[end:end + 1]) else None
        if lvl in ("tỉnh", "thành phố") and re.match(r"\s", text[end:end + 1]):
            pn = province_name(text, end, pn, lvl)
        elif re.match(r"\s", text[end:end + 1]) and not (pn and pn[0] in UNIT_NAMES.get(lvl, ())):
            pn = unit_name(text, end, lvl) or pn  # a whole name of the unit data ("Hà Trung", "3")
        if pn:
            return "named", lvl, [pn[0]], pn[1]
        if match_from(r"\s+cùng cấp", text, pos):
            return "same", None, [], end
        return "bare", lvl, [], end
    if match_from(r"\s+cùng cấp", text, pos):
        return "same", None, [], pos
    return "none", None, [], pos


def juris_suffix(level: str | None, name: str | None, j: Jurisdiction) -> str | None:
    """The jurisdiction written after a level word ("tỉnh", "huyện"): named, else the issuer's own."""
    if name:
        return f"{level} {name}"
    if level in ("xã", "phường", "thị trấn") and j.commune and j.cword == level:  # the issuing commune
        return j.cj
    if level == "tỉnh" and j.province:
        return j.pj
    if level in ("huyện", "thị xã", "quận") and j.district:
        return j.dj
    if level in ("xã", "phường", "đặc khu") and j.district and j.dword == level:  # the issuing commune (2025)
        return j.dj
    if level == "thành phố":
        if j.level in ("district", "commune") and j.district:
            return j.dj
        if j.province:
            return j.pj
    return None


def default_suffix(scope: str, j: Jurisdiction) -> str | None:
    """The jurisdiction of a body named without a level word ("Sở Y tế" in a province's plan)."""
    if scope in ("issuer", "dual") and j.level == "commune" and j.commune:  # "Hội Nông dân" in a commune's plan
        return j.cj
    if scope == "province" or (scope in ("issuer", "dual") and j.level == "province"):
        return j.pj if j.province else None
    if scope == "district" or (scope in ("issuer", "dual") and j.level == "district"):
        if j.district:
            return j.dj
        return None
    return None


def cap_name(base: str, level: str | None, j: Jurisdiction) -> str:
    """ "Ủy ban nhân dân" + "cấp huyện" + the issuer's province/district above it."""
    name = f"{base} cấp {level}"
    if level == "tỉnh" or j.level == "central":
        return name
    if level == "huyện" and j.province and j.level == "province":
        return f"{name} {j.pj}"
    if level == "xã" and j.level in ("district", "commune") and j.district:
        return f"{name} {j.dj}"
    if level == "xã" and j.level == "province" and j.province:
        return f"{name} {j.pj}"
    return name
