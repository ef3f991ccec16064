"""The header block of a document: number, type, issuer, place and date, title, signer."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from kg.extract.agencies import Jurisdiction, match_at
from kg.extract.casing import recase_title, sentence_case
from kg.extract.dates import DATE_SHORT, iso

# TYPE_ABBR, ISSUER_ABBR: ký hiệu abbreviations, from ontology/vocab/number-abbreviations.ttl
from kg.extract.gazetteer import CITIES, ISSUER_ABBR, PROVINCES, TYPE_ABBR
from kg.extract.jurisdiction import unit_name
from kg.extract.segment import LOW, UP, Segmented
from kg.text import modern_tones

# type headings of NĐ 30/2020 Điều 7 and the law on normative documents
TYPES = ["Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo", "Hướng dẫn",
         "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo", "Biên bản", "Tờ trình",
         "Công văn", "Công điện", "Thông tư", "Nghị định", "Luật", "Pháp lệnh", "Kết luận", "Chỉ thị",
         "Thông tư liên tịch", "Nghị quyết liên tịch", "Lệnh"]
_CAPS_TYPES = {t.upper(): t for t in TYPES}
# Cyrillic letters that PDF text layers put in Latin ký hiệu ("06/2022/TT-BТС")
_CYRILLIC = str.maketrans("АВЕКМНОРСТХУаеорсух", "ABEKMHOPCTXYaeopcyx")
CENTRAL_CITIES = CITIES
_SO = re.compile(r"^\s*\**(?:(?:Luật|Pháp lệnh|Lệnh|Nghị quyết)\s+số|Số)\s*(?:hiệu)?\s*:\s*([^\s].*?)?\s*$")
_NUMBER_IN = re.compile(r"(\d+(?:\s*/\s*\d{4})?\s*/\s*[^\s,;]+|\d+\s*-\s*[^\s/]+/[^\s,;]+|/\s*[^\s,;]+)")
# "ngày 26 tháng 0 6 năm 2018": a zero-padded day or month split by a stray space; a place may end in a number
# (the wards "Mỹ Đình 2", "Phường 3")
_PLACE_DATE = re.compile(rf"([{UP}][^\d,]{{1,40}}(?:(?<=\s)\d{{1,2}})?),\s*ngày\s+(0\s\d|\d{{1,2}})?\s*tháng\s+(0\s\d|\d{{1,2}})?\s*năm\s+(\d{{4}})")
_SIGN_MARK = re.compile(r"^\s*\**\s*(TM\.|KT\.|Q\.|TL\.|TUQ\.)\s*(.*)$")
_POSTS = {p.upper(): p for p in (
    "Phó Thủ tướng", "Thủ tướng", "Phó Chủ tịch Thường trực", "Phó Chủ tịch", "Chủ tịch", "Bộ trưởng",
    "Thứ trưởng", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng ban",
    "Phó Trưởng ban", "Bí thư", "Phó Bí thư", "Trưởng phòng", "Chánh Thanh tra")}
_NAME = re.compile(rf"^[{UP}][{LOW}]+(?:\s+[{UP}][{LOW}]+){{1,4}}$")
# a signature block flattened into one table cell: "TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm", "THỦ TƯỚNG Nguyễn Xuân Phúc"
_SIGN_CELL = re.compile(rf"^(?:(?:TM|KT|Q|TL|TUQ)\.\s*)?((?:[{UP}&,.-]+\s+)+?)([{UP}][{LOW}]+(?:\s+[{UP}][{LOW}]+){{1,4}})$")


def _int(digits: str) -> int:
    return int(digits.replace(" ", ""))


def _cells(text: str) -> list[str]:
    """The cells of a markdown table row ("| Số: 12/2012/QĐ-UBND | Tuyên Quang, ngày ... |"), else the line."""
    t = text.strip("* ")
    if "|" not in t:
        return [t]
    return [c.strip("* ") for c in t.split("|") if c.strip("* ")]


@dataclass
class Header:
    """What the header and signature block say."""

    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    date: str | None = None
    year: int | None = None
    place: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_post: str | None = None
    is_document: bool = False
    title_line: int | None = None
    sign_line: int | None = None
    typed_by_number: bool = False  # the type was only guessed from the number's abbreviation


def clean_number(raw: str | None) -> str | None:
    """Remove spaces from a Số/ký hiệu; None for a draft without number ("/KH-UBND")."""
    if not raw:
        return None
    n = re.sub(r"\s+", "", raw).strip(".,;:)(").translate(_CYRILLIC)
    if not re.match(r"^[a-zA-Z]?\d", n):
        return None
    return n


def split_number(number: str) -> tuple[str | None, str | None]:
    """(type abbreviation, issuer abbreviation) of a ký hiệu ("305/KH-UBND" -> ("KH", "UBND"))."""
    m = re.match(r"^[a-z]?\d+(?:/\d{4})?\s*[-/]\s*(.+)$", number)
    if not m:
        return None, None
    parts = re.split(r"[-/]", m.group(1))
    if parts[0] in TYPE_ABBR:
        issuer = parts[1] if len(parts) > 1 else None
    else:
        issuer = parts[0]
    if issuer and re.match(r"^(QH|UBTVQH)\d*$", issuer):  # "QH15", "UBTVQH13": the term of the assembly
        issuer = re.sub(r"\d+$", "", issuer)
    return (parts[0] if parts[0] in TYPE_ABBR else None), issuer


def type_from_number(number: str | None) -> str | None:
    """The document type a ký hiệu stands for (no type abbreviation: "Công văn")."""
    if not number:
        return None
    t, _ = split_number(number)
    if t:
        return TYPE_ABBR[t]
    if re.search(r"/\d{4}/", number):  # "111/2024/QH15": a law or a resolution, the text must say
        return None
    return "Công văn" if "/" in number else None


def issuer_from_number(number: str | None, j: Jurisdiction) -> str | None:
    """The issuer a ký hiệu names, with the jurisdiction for local bodies."""
    if not number:
        return None
    _, abbr = split_number(number)
    if abbr == "QH":
        return "Quốc hội"
    if abbr == "UBTVQH":  # the Standing Committee issues its own resolutions and ordinances
        return "Ủy ban Thường vụ Quốc hội"
    if not abbr or abbr not in ISSUER_ABBR:
        return None
    name, local = ISSUER_ABBR[abbr]
    if local:
        if j.level == "commune" and j.commune and name in ("Ủy ban nhân dân", "Hội đồng nhân dân",
                                                             "Văn phòng Ủy ban nhân dân"):
            return f"{name} {j.cj}"
        if j.level == "district" and j.district and name in ("Ủy ban nhân dân", "Hội đồng nhân dân",
                                                               "Văn phòng Ủy ban nhân dân"):
            return f"{name} {j.dj}"
        return f"{name} {j.pj}" if j.province else name
    return name


def _title_case_place(s: str) -> str:
    return " ".join(w.capitalize() for w in s.split())


_CAPS_PLACE = re.compile(rf"(?<![{UP}])(TỈNH|THÀNH PHỐ|TP\.)\s*((?:[{UP}][{UP}-]*\s*){{1,4}})")


def _caps_province(head: str) -> tuple[str, str] | None:
    """("tỉnh"|"thành phố", name) of the first province or city named in capitals in a header."""
    for m in _CAPS_PLACE.finditer(head):
        words = m.group(2).split()
        for k in range(min(4, len(words)), 0, -1):
            name = _title_case_place(" ".join(words[:k]))
            if name in PROVINCES:
                return ("tỉnh" if m.group(1) == "TỈNH" else "thành phố"), name
    return None


def jurisdiction_of(seg: Segmented, meta: dict[str, str] | None = None) -> Jurisdiction:
    """Province, district and issuer level, from the header lines or the text.

    Args:
        seg: the segmented layout.
        meta: the portal's metadata table, if the page had one ("Nơi ban hành": "Tỉnh Thanh Hóa").
    """
    lines = [ln.text for ln in seg.lines[:40]]
    j = Jurisdiction()
    head = " ".join(lines[:12])
    m = re.search(rf"ỦY BAN NHÂN DÂN\s+(TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|QUẬN|XÃ|PHƯỜNG|ĐẶC KHU)\s+([{UP}0-9'’\s-]+?)"
                  rf"(?:\s*[-_]{{2,}}|\s*\||\s+CỘNG|\s+Số|$)", modern_tones(head))
    if re.search(r"Nơi ban hành:\s*(Tỉnh|Thành phố)\s+([^\n]+?)\s+Người ký", head):
        mm = re.search(r"Nơi ban hành:\s*(Tỉnh|Thành phố)\s+([^\n]+?)\s+Người ký", head)
        j.province, j.level, j.pword = mm.group(2).strip(), "province", mm.group(1).lower()  # type: ignore[union-attr]  # searched above
    if not m:  # "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND TỈNH NGHỆ AN SỞ Y TẾ", "TP. HỒ CHÍ MINH"
        place = _caps_province(modern_tones(head))
        if place:
            j.province, j.level, j.pword = place[1], "province", place[0]
    if m:
        lvl, raw = m.group(1).lower(), m.group(2).strip()
        # a unit's whole name, spelt as the unit data spells it: "QUẬN 11", "HUYỆN IA H'DRAI", "THÀNH PHỐ ĐIỆN
        # BIÊN PHỦ" (not the province "Điện Biên" with a word left over)
        read = unit_name(raw, 0, lvl)
        whole = read is not None and read[1] >= len(raw)
        name = read[0] if read is not None and whole else _title_case_place(raw)
        city = _caps_province(f"{m.group(1)} {m.group(2)}")
        if city and name not in PROVINCES and not whole:  # "THÀNH PHỐ HỒ CHÍ MINH SỞ GIÁO DỤC ...": the cell runs on
            lvl, name = city
        if lvl == "tỉnh" or (lvl == "thành phố" and name in CENTRAL_CITIES):
            j.province, j.level, j.pword = name, "province", lvl
        else:  # a district, or a commune of the two-level local government (2025): its offices are its own
            j.district, j.level, j.dword = name, "district", lvl
    under = _commune_under_district(seg)
    if under:
        j.dword, j.district, j.cword, j.commune = under
        j.level = "commune"
    text = modern_tones(seg.orig)
    if re.search(rf"^\s*(THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|BỘ [{UP} ,]+|VĂN PHÒNG CHÍNH PHỦ|QUỐC HỘI)\s*$",
                 "\n".join(lines[:12]), re.M):
        j.level = "central"
        return j
    where = re.match(r"(Tỉnh|Thành phố)\s+(.+)$", (meta or {}).get("Nơi ban hành", "").strip())
    if not j.province and not m and where and modern_tones(where.group(2)) in PROVINCES:
        j.province, j.pword = modern_tones(where.group(2)), where.group(1).lower()
        j.level = j.level or "province"
    if not j.province and not m:  # a bare "ỦY BAN NHÂN DÂN" header: the place of issue is the province
        pd = _PLACE_DATE.search(" ".join(ln.text.strip("*| ") for ln in seg.lines[:12]))
        issued_at = modern_tones(pd.group(1).split("|")[-1].strip()) if pd else None
        if issued_at in PROVINCES and re.search(r"(?:Ủy ban nhân dân|UBND) tỉnh\b", text):
            j.province, j.level = issued_at, "province"
    provs = Counter(re.findall(rf"\btỉnh ([{UP}]\w*(?: [{UP}]\w*){{0,2}})", text))
    if not j.province and provs:
        j.province = provs.most_common(1)[0][0]
    if j.level is None:
        dm = re.search(rf"(?:UBND|Ủy ban nhân dân) (huyện|thị xã|quận) ([{UP}]\w*(?: [{UP}]\w*){{0,2}}) "
                       r"(?:ban hành|xây dựng)", text)
        if dm:
            j.district, j.level = dm.group(2), "district"
        elif j.province:
            j.level = "province"
    return j


_COMMUNE_CELL = re.compile(r"^(?:UBND|ỦY BAN NHÂN DÂN)\s+(HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ)\s+(.+?)\s+"
                           r"(?:UBND|ỦY BAN NHÂN DÂN)\s+(XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$")


def _commune_under_district(seg: Segmented) -> tuple[str, str, str, str] | None:
    """(district word, district, commune word, commune) of a commune's issuer cell that names its district
    above it, as communes wrote before 1/7/2025: "UBND HUYỆN ĐÔNG ANH / UBND XÃ KIM CHUNG"."""
    cell = _issuer_cell(seg)
    m = _COMMUNE_CELL.match(cell) if cell else None
    if not m:
        return None
    out = []
    for word, name in ((m.group(1), m.group(2)), (m.group(3), m.group(4))):
        lvl = word.lower()
        read = unit_name(name, 0, lvl)  # spelt as the unit data spells it ("Kim Chung", "3")
        out += [lvl, read[0] if read and read[1] == len(name) else _title_case_place(name)]
    return out[0], out[1], out[2], out[3]


def parse_header(seg: Segmented, j: Jurisdiction, meta: dict[str, str] | None = None) -> Header:
    """Read the header block and the signature block.

    Args:
        seg: the segmented source.
        j: its jurisdiction.
        meta: the portal's metadata table, if the page had one: what the header does not
            say (a number cut across cells, a signature lost by the converter) is taken from it.

    Returns:
        A Header; ``is_document`` tells whether the file is itself a document.
    """
    h = Header()
    lines = seg.lines
    top = lines[:60]
    for k, ln in enumerate(top):
        for t in _cells(ln.text):
            _header_cell(h, t, k, top)
    _after_header(h, seg, j, top, lines)
    if meta:
        _from_metadata(h, meta)
    return h


def _from_metadata(h: Header, meta: dict[str, str]) -> None:
    """Fill what the header block left open from the portal's metadata table."""
    if h.number is None and meta.get("Số hiệu"):
        h.number = clean_number(meta["Số hiệu"])
    if h.number:
        h.is_document = True
    kind = meta.get("Loại văn bản", "")
    if (h.type is None or h.typed_by_number) and kind in TYPES:
        h.type = kind  # the portal's own record of the type beats a guess from the number
    if h.date is None and meta.get("Ngày ban hành"):
        d = DATE_SHORT.search(meta["Ngày ban hành"])
        if d:
            h.date = iso(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            h.year = h.year or int(d.group(3))
    signer = meta.get("Người ký", "")
    if h.signer is None and _NAME.match(signer):
        h.signer = signer


def _header_cell(h: Header, t: str, k: int, top: list) -> None:
    """One header line, or one cell of a header table row."""
    t = re.sub(r"^[-_=–—]{3,}\s*", "", t)  # the rule under the issuer cell, joined to the number cell
    meta = re.match(r"Số hiệu:\s*(\S+)\s+Loại văn bản:\s*(.+)$", t)
    if meta:
        h.number, h.type, h.is_document = clean_number(meta.group(1)), meta.group(2).strip(), True
        return
    md = re.match(r"Ngày ban hành:\s*(\d{1,2}/\d{1,2}/\d{4})", t)
    if md and not h.date:
        d = DATE_SHORT.search(md.group(1))
        h.date = iso(int(d.group(1)), int(d.group(2)), int(d.group(3)))  # type: ignore[union-attr]  # md matched a date
    ms = re.match(r"Người ký:\s*(.+)$", t) or re.search(r"Người ký:\s*(.+)$", t)
    if ms:
        h.signer = ms.group(1).strip()
    so = _SO.match(t)
    if so and not t.startswith("Số hiệu") and h.number is None:
        h.is_document = True
        rest = so.group(1) or ""
        if not rest:  # "Số:" / "25/2019/QĐ-UBND": a table cell wrapped onto the next line
            rest = next((x.text.strip("*| ") for x in top[k + 1:k + 3] if x.text.strip("*| ")), "")
        nm = _NUMBER_IN.match(rest)
        if nm:
            h.number = clean_number(nm.group(1))
    pd = _PLACE_DATE.search(t)
    if pd and h.place is None:
        h.place = pd.group(1).strip()
        if pd.group(2) and pd.group(3):
            h.date = h.date or iso(_int(pd.group(2)), _int(pd.group(3)), int(pd.group(4)))
        h.year = int(pd.group(4))
    caps = modern_tones(t.rstrip(" :")).upper()
    if caps in _CAPS_TYPES and t.rstrip(" :").isupper() and h.title_line is None:
        h.type = h.type or _CAPS_TYPES[caps]
        h.is_document = True
        h.title_line = k


def _after_header(h: Header, seg: Segmented, j: Jurisdiction, top: list, lines: list) -> None:
    if h.date is None:  # "Đồng Tháp," / "ngày 16 tháng 10 năm 2019": the cell wrapped
        joined = " ".join(ln.text.strip("*| ") for ln in top[:30])
        pd = _PLACE_DATE.search(joined)
        if pd and pd.group(2) and pd.group(3):
            h.date = iso(_int(pd.group(2)), _int(pd.group(3)), int(pd.group(4)))
            h.year = h.year or int(pd.group(4))
            h.place = h.place or pd.group(1).split("|")[-1].strip()
    if h.date is None:  # a resolution of an assembly: "Nghị quyết này được ... thông qua ngày 16 tháng 6 năm 2025."
        passed = re.search(r"thông qua ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", seg.orig)
        if passed:
            h.date = iso(int(passed.group(1)), int(passed.group(2)), int(passed.group(3)))
    if h.type is None and any(re.match(r"^(?:V/v|Về việc)\s", ln.text.strip("*| ")) for ln in top[:15]):
        h.type = "Công văn"  # no type heading, a "V/v" subject under the number: a letter (NĐ 30/2020)
    if h.type is None and h.number:
        h.type = type_from_number(h.number)
        h.typed_by_number = True
    if h.date and not h.year:
        h.year = int(h.date[:4])
    if h.title_line is not None:
        parts: list[str] = []
        for ln in lines[h.title_line + 1:h.title_line + 8]:
            t = ln.text.strip("* ")
            if (parts and ln.blank_before) or re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|CHÍNH PHỦ|THỦ TƯỚNG|BỘ TRƯỞNG|"
                                                       r"ỦY BAN|UỶ BAN|HỘI ĐỒNG|QUỐC HỘI|[IVX]+\.|\d+\.)", t):
                break
            parts.append(t)
            if t.endswith((".", ";")):
                break
        if parts:
            h.title = recase_title(" ".join(parts), seg.orig, [p for p in (j.province, j.district) if p])
    if h.title is None:
        vv = next((ln.text.strip() for ln in top if re.match(r"^(?:V/v|Về việc)\s", ln.text.strip())), None)
        if vv:
            h.title = vv
    _signature(seg, h)
    h.issuer = _issuer(seg, h, j)


def _signature(seg: Segmented, h: Header) -> None:
    lines = seg.lines
    for k, ln in enumerate(lines):
        m = _SIGN_MARK.match(ln.text)
        if not m:
            continue
        post = None
        for ln2 in lines[k:k + 4]:  # the post right above the name: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"
            t = re.sub(r"^(?:TM|KT|Q|TL|TUQ)\.\s*", "", modern_tones(ln2.text.strip("* ")).upper())
            if t in _POSTS:
                post = _POSTS[t]
        for n2, ln2 in enumerate(lines[k + 1:k + 40], k + 1):
            t = _name_at(lines, n2)
            if _NAME.match(t) and not t.isupper():
                h.signer = h.signer or t
                h.sign_line = k
                break
        if post:
            h.signer_post = post
        if h.signer:
            return
    # a signature block flattened into the last cell of a table row ("| Nơi nhận: ... | THỦ TƯỚNG Nguyễn Xuân Phúc |")
    for k, ln in enumerate(lines):
        if "|" not in ln.text:
            continue
        cells = _cells(ln.text)
        m = (_SIGN_CELL.match(cells[-1]) or _SIGN_CELL.match(_join_split_syllables(cells[-1]))) if cells else None
        if not m and cells and _SIGN_MARK.match(cells[-1]) and k + 1 < len(lines):
            # "| Nơi nhận: ... | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI CHỦ TỊCH" / "Trần Thanh Mẫn |": the cell runs on
            nxt = lines[k + 1].text.strip("*| ")
            if _NAME.match(nxt):
                m = _SIGN_CELL.match(f"{cells[-1]} {nxt}")
        if not m:
            continue
        caps = re.sub(r"^(?:TM|KT|Q|TL|TUQ)\.\s*", "", modern_tones(m.group(1).strip()).upper())
        post = next((_POSTS[p] for p in sorted(_POSTS, key=len, reverse=True) if caps.endswith(p)), None)
        if not post and re.match(r"(?:TM|KT|Q|TL|TUQ)\.", cells[-1]):
            # "TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH Phạm Quang Phụng": a post, then its unit
            post = next((_POSTS[p] for p in sorted(_POSTS, key=len, reverse=True) if caps.startswith(p)), None)
        if post:
            h.signer, h.sign_line, h.signer_post = h.signer or m.group(2), k, post
            return
    # no "TM."/"KT." line: a post alone on its line ("THỦ TƯỚNG", "CHỦ TỊCH") right above the name, at the end
    # of the text or after its recipients list (an appendix may follow the signature)
    after_recipients = next((k for k, ln in enumerate(lines) if re.search(r"^-?\s*Lưu\s*:", ln.text)), None)
    candidates = list(range(len(lines) - 1, max(-1, len(lines) - 40), -1))
    if after_recipients is not None:
        candidates = list(range(after_recipients, min(len(lines), after_recipients + 12))) + candidates
    for k in candidates:
        t = modern_tones(lines[k].text.strip("* ")).upper()
        if t not in _POSTS or not lines[k].text.strip("* ").isupper():
            continue
        for n2 in range(k + 1, min(len(lines), k + 6)):
            name = _name_at(lines, n2)
            if _NAME.match(name) and not name.isupper():
                h.signer, h.sign_line, h.signer_post = h.signer or name, k, _POSTS[t]
                return


def _name_at(lines: list, k: int) -> str:
    """The signer's name that starts on line ``k``, joined when the converter broke it ("Phùng" / "Thị Hồng Hà")."""
    t = lines[k].text.strip("* ")
    if not _NAME.match(t) and _NAME.match(_join_split_syllables(t)):
        t = _join_split_syllables(t)
    if re.fullmatch(rf"[{UP}][{LOW}]+", t) and k + 1 < len(lines):
        joined = f"{t} {lines[k + 1].text.strip('* ')}"
        if _NAME.match(joined):
            return joined
    return t


def _join_split_syllables(t: str) -> str:
    """ "CHỦ TỊCH Đặ ng Văn Minh" -> "CHỦ TỊCH Đặng Văn Minh".

    Every syllable of a printed name is capitalised, so an all-lowercase fragment right after a
    capitalised one is the rest of that syllable, split off by the converter.
    """
    return re.sub(rf"(?<![{UP}{LOW}])([{UP}][{LOW}]*) ([{LOW}]+)(?=\s+[{UP}]|$)", r"\1\2", t)


def _unspace_caps(t: str) -> str:
    """ "B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI" -> "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI".

    A converted header sometimes splits a capitalised word before its accented vowel; no
    Vietnamese word is a lone consonant, so such a letter is joined to the word after it.
    """
    def vowel(c: str) -> bool:
        return unicodedata.normalize("NFD", c)[0] in "AEIOUY"
    out = re.sub(r"(?<![\w])([B-DĐG-HK-NP-TV-XZ]) (?=(\w))",
                 lambda m: m.group(1) if vowel(m.group(2)) and m.group(2).isupper() else m.group(0), t)
    return out


# the bodies an issuer cell names, parent first (NĐ 30/2020, Phụ lục I: "tên cơ quan chủ quản" above "tên cơ quan
# ban hành"): where each begins
_UNIT_HEAD = re.compile(r"(?<![^\s|])(?:ỦY BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|BỘ|SỞ|TỔNG CỤC|CHI CỤC|CỤC|VỤ|"
                        r"VĂN PHÒNG|TRUNG TÂM|BAN QUẢN LÝ|BAN|THANH TRA|THUẾ|KHO BẠC|BẢO HIỂM|CÔNG AN|PHÒNG|VIỆN|"
                        r"KIỂM TOÁN|ĐẢNG ỦY|TỈNH ỦY|THÀNH ỦY|HỘI|LIÊN ĐOÀN|ĐOÀN)(?=\s)")
_PLACE_WORD_BEFORE = re.compile(r"(?<![^\s|])(?:TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+$")
_PARTY_CENTRE = re.compile(r"^BAN CHẤP HÀNH TRUNG ƯƠNG(?: ĐẢNG(?: CỘNG SẢN VIỆT NAM)?)?$")


def _issuer_cell(seg: Segmented) -> str | None:
    """The issuer cell of the header: the capitals before the motto, on one line."""
    cell = []
    for ln in seg.lines[:8]:
        t = _unspace_caps(modern_tones(ln.text.split("|")[0].strip("* -_")))
        # the motto ends it ("UBND XÃ CỘNG HÒA" is a commune)
        if re.search(r"^CỘNG\s+HÒA|CỘNG\s+HÒA\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|^Số\b", t) or not t.isupper():
            break
        cell.append(t)
    return " ".join(cell) or None


def _sub_unit(seg: Segmented, j: Jurisdiction) -> str | None:
    """The issuing body of a two-level issuer cell ("BỘ TÀI CHÍNH / CỤC THUẾ", "UBND TỈNH X / SỞ Y TẾ").

    The cell names the parent body, then the body that issues: the issuer is the last.
    """
    cell = _issuer_cell(seg)
    if not cell:
        return None
    starts, prev_end = [], -1
    for m in _UNIT_HEAD.finditer(cell):
        if _PLACE_WORD_BEFORE.search(cell[:m.start()]):
            continue  # "HUYỆN VỤ BẢN", "THÀNH PHỐ HỘI AN": the first word of a place's name, not a body
        if not cell[prev_end:m.start()].strip() if prev_end >= 0 else False:
            prev_end = -1  # "CỤC THUẾ": a head word right after a head word is part of the name
            continue
        starts.append(m.start())
        prev_end = m.end()
    if len(starts) < 2 or starts[0] != 0:  # one body, or a post ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...")
        return None
    start = starts[1]
    for k in reversed(starts[1:]):  # the lowest level that is a body of its own
        hit = match_at(sentence_case(cell[k:]), 0, j)
        if hit and hit.end >= len(cell) - k - 1:
            start = k
            break
    parent = cell[:start].strip()
    last = cell[start:].strip()
    if _PARTY_CENTRE.match(parent):  # the Party's central bodies: "Ban Tổ chức Trung ương"
        name = recase_title(last, seg.orig)
        return "Văn phòng Trung ương Đảng" if name == "Văn phòng" else f"{name} Trung ương"
    found = match_at(sentence_case(last), 0, j)
    if found and found.end >= len(last) - 1:
        return found.names[0]
    places = [p for p in (j.province, j.district) if p]
    name = recase_title(last, seg.orig, places)
    for p in places:  # "Thuế tỉnh tây ninh": place names keep their capitals
        name = re.sub(re.escape(p), p, name, flags=re.I)
    # an agency's own name starts with a capital: "Cục Thuế", "Vụ Pháp chế", "Trung tâm Phục vụ ..."
    name = re.sub(r"^((?:Tổng cục|Chi cục|Cục|Vụ|Ban|Trung tâm|Văn phòng|Viện|Phòng|Sở) )"
                  r"(?!(?:tỉnh|thành phố|huyện|xã|phường|quận|khu|và)\b)(\w)",
                  lambda m: m.group(1) + m.group(2).upper(), name[:1].upper() + name[1:])
    return name


def _issuer(seg: Segmented, h: Header, j: Jurisdiction) -> str | None:
    sub = _sub_unit(seg, j)
    if sub:
        return sub
    head = []
    for ln in seg.lines[:15]:  # a header table row: each cell on its own
        head += [_unspace_caps(modern_tones(c.strip("* "))) for c in (_cells(ln.text) if "|" in ln.text else [ln.text])]
    cell = _issuer_cell(seg)
    joined = "\n".join(head)
    if cell:  # a ministry or department that issues in its own name: only the issuer cell says so
        joined = "\n".join(x for x in head if x in cell or cell in x) or joined
    for pat, name in ((r"^THỦ TƯỚNG CHÍNH PHỦ\s*$", "Thủ tướng Chính phủ"), (r"^CHÍNH PHỦ\s*$", "Chính phủ"),
                      (r"^VĂN PHÒNG CHÍNH PHỦ\s*$", "Văn phòng Chính phủ"), (r"^QUỐC HỘI\s*$", "Quốc hội")):
        if re.search(pat, joined, re.M):
            return name
    for m in re.finditer(rf"^(BỘ|SỞ) ([{UP} ,&-]+)$", joined, re.M):
        found = match_at(f"{m.group(1).capitalize()} {m.group(2).strip()}", 0, j)
        if found:
            return found.names[0]
    if h.number:
        by_number = issuer_from_number(h.number, j)
        if by_number:
            return by_number
    if j.level == "commune" and j.commune:
        return f"Ủy ban nhân dân {j.cj}"
    if j.level == "district" and j.district:
        return f"Ủy ban nhân dân {j.dj}"
    if j.level == "province" and j.province and h.is_document:
        return f"Ủy ban nhân dân {j.pj}"
    return None
