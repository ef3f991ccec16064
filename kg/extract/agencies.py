"""Agency mentions: recognition, canonical names and lists of agencies.

A mention such as "Sở NN&PTNT", "Hội LHPN tỉnh", "UBND các huyện, thị xã,
thành phố" or "Bộ trưởng Bộ Y tế" is turned into the canonical names of the
extraction record: full name, abbreviations expanded, followed by the
jurisdiction for a local body ("Sở Nông nghiệp và Phát triển nông thôn tỉnh
An Giang"), none for a central one ("Bộ Y tế").  The jurisdiction part (level words,
"các huyện" collectives, named places) is read by :mod:`kg.extract.jurisdiction`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.gazetteer import BODIES, FIELDS, OFFICES, UNIT_HEADS, UNIT_STOP, UNIT_STOP_PAIRS
from kg.extract.jurisdiction import Jurisdiction, cap_name, default_suffix, juris_suffix, proper_name, read_level
from kg.extract.scan import match_from

__all__ = ["VAGUE", "Jurisdiction", "Mention", "find_all", "match_at", "parse_list", "proper_name"]

# fields with a ministry but no "Sở": "Sở Tài chính, Công an tỉnh" is two bodies
_NO_DEPARTMENT = {"Công an", "Quốc phòng", "Ngoại giao"}


def _sp(p: str) -> str:
    return p.replace(" ", r"\s+")


def _alt(items: list[tuple[str, str]]) -> str:
    return "|".join(f"(?:{_sp(p)})" for _, p in items)


_FIELD_RES = [(name, re.compile(rf"(?:{_sp(p)})\b", re.I)) for name, p in FIELDS]
_OFFICE_RES = [(name, re.compile(rf"(?:{_sp(p)})\b", re.I)) for name, p in OFFICES]
_BODY_RES = [(c, re.compile(rf"(?:{_sp(p)})\b", re.I), s, k) for c, p, s, k in BODIES]
# one regex of each list's alternatives: when it does not match at a position, no item of the list does, and the
# loop over the list (a hundred regexes) is skipped ("Sở Sở Sở ...": 8.5 -> see benchmarks/bench_linear.py)
_FIELD_ANY = re.compile("|".join(f"(?:{_sp(p)})\\b" for _, p in FIELDS), re.I)
_OFFICE_ANY = re.compile("|".join(f"(?:{_sp(p)})\\b" for _, p in OFFICES), re.I)
_BODY_ANY = re.compile("|".join(f"(?:{_sp(p)})\\b" for _, p, _s, _k in BODIES), re.I)
_UNIT_HEAD = re.compile(rf"({'|'.join(UNIT_HEADS)})\s+|(Văn phòng Bộ)\b")
_HEAD = re.compile(rf"(?:Bộ trưởng\s+)?Bộ\s+|Sở(?:\s*:)?\s+|Phòng\s+|Ban\s+[Cc]hỉ\s+đạo\s+|{_alt([(b[0], b[1]) for b in BODIES])}|"
                   rf"{'|'.join(UNIT_HEADS)}\s+|Văn phòng Bộ\b", re.I)


@dataclass
class Mention:
    """An agency mention: canonical names (lists expand to several) and its extent."""

    names: list[str]
    start: int
    end: int
    kind: str = "state"
    central: bool = False



def match_at(text: str, pos: int, j: Jurisdiction) -> Mention | None:
    """Recognise an agency mention starting exactly at ``pos`` of ``text``.

    Args:
        text: the text (modern tone placement) to read.
        pos: where the mention must start.
        j: the jurisdiction of the issuing document.

    Returns:
        A Mention, or None when no known body starts there.
    """
    m = re.compile(r"(Bộ trưởng\s+(?:các\s+)?)?(Bộ|Sở|Phòng|sở|phòng)"
                   r"(?:\s*,\s*(?:cơ quan|ngành)(?:\s+ngang bộ)?\s*:)?(?:\s*:)?\s+").match(text, pos)
    if m and (text[pos].isupper() or text[m.end():m.end() + 1].isupper()):
        kind = m.group(2).capitalize()
        table = _OFFICE_RES if kind == "Phòng" else _FIELD_RES
        if not (_OFFICE_ANY if kind == "Phòng" else _FIELD_ANY).match(text, m.end()):
            table = []
        for fname, rx in table:
            f = rx.match(text, m.end())
            if f:
                names = [fname]
                end = f.end()
                plural = bool(re.search(r"(?:các|những)\s+$", text[max(0, pos - 8):pos], re.I) or ":" in m.group(0)
                              or "các" in (m.group(1) or ""))
                if kind == "Sở" or (kind == "Bộ" and plural):  # "các Sở Giao thông vận tải, Tài nguyên ...", "các Bộ: Y tế, ..."
                    while True:
                        sep = match_from(r"\s*(?:,|và)\s*", text, end)
                        if not sep:
                            break
                        nxt = next(((n, r.match(text, end + sep.end())) for n, r in _FIELD_RES
                                    if (kind == "Bộ" or n not in _NO_DEPARTMENT) and r.match(text, end + sep.end())),
                                   None)
                        if not nxt:
                            break
                        names.append(nxt[0])
                        end = nxt[1].end()  # type: ignore[union-attr]  # nxt is taken only when r matched
                full = [f"{kind} {n}" for n in names]
                if kind == "Bộ":
                    return Mention(full, pos, end, "state", True)
                how, lvl, pnames, end2 = read_level(text, end)
                suffix = None
                if how == "named":
                    suffix = f"{lvl} {pnames[0]}"
                elif how == "bare":
                    suffix = juris_suffix(lvl, None, j)
                elif how == "cap" and kind == "Phòng" and lvl in ("huyện", "xã"):
                    # "Phòng Lao động - Thương binh và Xã hội quận - huyện": the office of every district
                    return Mention([cap_name(x, lvl, j) for x in full], pos, end2)
                else:
                    end2 = end
                    suffix = default_suffix("province" if kind == "Sở" else "district", j)
                return Mention([f"{x} {suffix}" if suffix else x for x in full], pos, end2)
    for canon, rx, scope, kind in (_BODY_RES if _BODY_ANY.match(text, pos) else ()):
        b = rx.match(text, pos)
        if not b:
            continue
        if not text[pos].isupper() and not canon.startswith("Các"):
            return None
        end = b.end()
        region = match_from(r"\s+khu vực\s+([IVXL]{1,6}|\d{1,2})\b", text, end)
        if region:  # "Kho bạc Nhà nước khu vực XVII": a regional unit of a central body, named by its number
            return Mention([f"{canon} khu vực {region.group(1)}"], pos, end + region.end(), kind, True)
        if scope == "central":
            return Mention([canon], pos, end, kind, True)
        how, lvl, pnames, end2 = read_level(text, end)
        if how == "same":
            return None
        if scope == "unit":  # "Tỉnh ủy Quảng Nam", "Tỉnh ủy" in a province's document
            pn = proper_name(text, end) if re.match(r"\s", text[end:end + 1]) else None
            if pn:
                return Mention([f"{canon} {pn[0]}"], pos, pn[1], kind)
            place = j.district if canon == "Huyện ủy" else j.province
            if not place:  # "Ban Thường vụ Tỉnh ủy, Thành ủy" of a central document: every province
                return None
            return Mention([f"{canon} {place}"], pos, end, kind)
        if how.startswith("vn-"):
            how = how[3:]
            if canon.startswith("Ủy ban Mặt trận"):
                canon = "Ủy ban Mặt trận Tổ quốc Việt Nam"
        if how == "vn":
            if scope == "dual" or canon.startswith("Ủy ban Mặt trận"):
                base = canon if canon.endswith("Việt Nam") else f"{canon} Việt Nam"
                return Mention([base], pos, end2, kind, True)
            how, end2 = "none", end
        if how == "cap":
            return Mention([cap_name(canon, lvl, j)], pos, end2, kind)
        if how == "list":
            return Mention([f"{canon} {n}" for n in pnames], pos, end2, kind)
        if how == "named":
            return Mention([f"{canon} {lvl} {pnames[0]}"], pos, end2, kind)
        if how == "bare":
            if lvl in ("xã", "phường") and j.dword == lvl and j.district:  # a commune's own bodies
                return Mention([f"{canon} {j.dj}"], pos, end2, kind)
            if lvl in ("xã", "phường", "thị trấn") and j.commune and j.cword == lvl:  # (under a district)
                return Mention([f"{canon} {j.cj}"], pos, end2, kind)
            if lvl in ("xã", "phường", "thị trấn"):
                return Mention([cap_name(canon, "xã", j)], pos, end2, kind)
            suffix = juris_suffix(lvl, None, j)
            # the place is never named: keep the level ("Ủy ban nhân dân huyện"), drop the jurisdiction
            return Mention([f"{canon} {suffix or lvl}"], pos, end2, kind)
        if scope == "explicit":
            return None
        if canon == "Ủy ban nhân dân" and j.level == "central":
            return None
        suffix = default_suffix(scope, j)
        return Mention([f"{canon} {suffix}" if suffix else canon], pos, end, kind)
    return steering_at(text, pos, j) or unit_at(text, pos, j)


_STEERING = re.compile(r"Ban\s+[Cc]hỉ\s+đạo\s+(?=[^\W\d_])")


def steering_at(text: str, pos: int, j: Jurisdiction) -> Mention | None:
    """A steering committee named by its task: "Ban Chỉ đạo diệt trừ cây Mai dương huyện".

    The name runs over lower-case words until a verb or function word, a
    punctuation mark or a level word ("tỉnh", "huyện"), which gives the jurisdiction.
    """
    h = _STEERING.match(text, pos)
    if not h:
        return None
    words: list[str] = []
    k = end = h.end()
    while len(words) < 12:
        w = match_from(r"\s*([^\W\d_][\w]*)", text, k)
        if not w:
            break
        word, low = w.group(1), w.group(1).lower()
        nxt = match_from(r"\s+([^\W\d_][\w]*)", text, k + w.end())
        if low in UNIT_STOP or low in ("tỉnh", "huyện", "thành", "xã", "phường", "quận", "thị"):
            break
        if words and nxt and (low, nxt.group(1).lower()) in UNIT_STOP_PAIRS:
            break
        words.append(word)
        end = k = k + w.end()
    if not words:
        return None
    name = "Ban Chỉ đạo " + " ".join(words)
    how, lvl, pnames, end2 = read_level(text, end)
    if how == "named":
        return Mention([f"{name} {lvl} {pnames[0]}"], pos, end2)
    if how in ("bare", "cap"):
        suffix = juris_suffix(lvl, None, j) if how == "bare" else None
        return Mention([f"{name} {suffix or lvl}"], pos, end2)
    return Mention([name], pos, end)


_UNIT_WORD = re.compile(r"\s*(-\s*|,\s*)?([^\W\d_][\w]*)")


def unit_at(text: str, pos: int, j: Jurisdiction) -> Mention | None:
    """A unit of a ministry or department: "Cục Trồng trọt và Bảo vệ thực vật", "Vụ Kế hoạch - Tài chính".

    The name runs until a verb or function word, a comma, or a capitalised
    word that does not follow "và"/"-" (the next cell or the next agency).
    "Văn phòng Bộ" is the office of the issuing ministry.
    """
    h = _UNIT_HEAD.match(text, pos)
    if not h or not text[pos].isupper():
        return None
    if h.group(2):
        name = f"Văn phòng {j.ministry}" if j.ministry else "Văn phòng Bộ"
        return Mention([name], pos, h.end(), "state", True)
    words: list[str] = []
    end, k = h.end(1), h.end(1)
    while len(words) < 10:
        w = _UNIT_WORD.match(text, k)
        if not w or (w.group(1) or "").startswith(","):
            break
        word = w.group(2)
        low = word.lower()
        prev = words[-1] if words else ""
        if not words and not word[0].isupper():
            return None
        if words and (low in UNIT_STOP or low in ("tỉnh", "huyện", "thành", "xã", "phường", "quận")):
            break
        nxt = _UNIT_WORD.match(text, w.end())
        if words and nxt and not nxt.group(1) and (low, nxt.group(2).lower()) in UNIT_STOP_PAIRS:
            break
        if words and word[0].isupper() and not (prev in ("và", "-") or w.group(1) or
                                               (word == "Nam" and prev == "Việt") or word == "Việt"):
            break
        if words and word[0].isupper() and word.isupper() and len(word) > 1 and word not in ("VN",):
            break
        if w.group(1):
            words.append("-")
        words.append(word)
        end = k = w.end()
    while words and words[-1] in ("và", "-"):
        words.pop()
    if not words:
        return None
    name = f"{h.group(1)} {' '.join(words)}"
    region = match_from(r"\s+([IVXL]{1,6}|\d{1,2})\b", text, end) if words[-2:] == ["khu", "vực"] else None
    if region:  # "Chi cục Hải quan khu vực XIX": a regional unit, named by its number, of no one province
        return Mention([f"{name} {region.group(1)}"], pos, end + region.end(), "state", True)
    how, lvl, pnames, end2 = read_level(text, end)
    if how == "named":
        return Mention([f"{name} {lvl} {pnames[0]}"], pos, end2)
    if how == "bare":
        suffix = juris_suffix(lvl, None, j)
        return Mention([f"{name} {suffix}" if suffix else name], pos, end2)
    if h.group(1) == "Chi cục":
        suffix = default_suffix("province", j)
        return Mention([f"{name} {suffix}" if suffix else name], pos, end)
    return Mention([name], pos, end, "state", True)


def find_all(text: str, j: Jurisdiction) -> list[Mention]:
    """Every agency mention in ``text``, left to right, non-overlapping."""
    out: list[Mention] = []
    k = 0
    while True:
        h = _HEAD.search(text, k)
        if not h:
            break
        start = h.start()
        if start > 0 and text[start - 1].isalnum():
            k = start + 1
            continue
        m = match_at(text, start, j)
        if m is None and text[start:start + 9] == "Bộ trưởng":
            m = match_at(text, start + len("Bộ trưởng "), j)
        if m:
            out.append(m)
            k = m.end
        else:
            k = start + 1
    return out


# vague groups that carry no duty of their own ("các cơ quan liên quan", "các sở, ban, ngành")
VAGUE = re.compile(
    r"(?:các|những)\s+(?:cơ quan|sở|bộ|ban|ngành|đơn vị|tổ chức|địa phương|cấp|phòng|chủ đầu tư|"
    r"cơ sở|lực lượng|doanh nghiệp|cá nhân)(?:[\s,/]+(?:cơ quan|sở|bộ|ban|ngành|đơn vị|tổ chức|địa phương|"
    r"cấp|phòng|cá nhân|ngang bộ|chuyên môn|trực thuộc|thông tấn|báo chí|truyền thông|của tỉnh|"
    r"của huyện|tỉnh|huyện|liên quan|có liên quan|khác|và|các|hội|đoàn thể|Trung ương))*", re.I)


_PLACE_WORD = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|cấp|Việt Nam|Trung ương)\b")
_LIST_SEP = re.compile(r"[\s,:;]*(?:(?:và|cùng|với|hoặc)\s+)?(?:với\s+)?")
_LES = re.compile(r"(?:các|Các)\s+")
# a post stands for its agency: "Giám đốc Sở Y tế", "Chánh Văn phòng UBND tỉnh", "Chủ tịch UBND các huyện"
_POST = re.compile(r"(?:[Cc]ác\s+)?(?:Bộ trưởng|Thủ trưởng|Phó Chủ tịch|Chủ tịch|Phó Giám đốc|Giám đốc|Tổng Giám đốc|"
                   r"Chánh|Trưởng ban|Trưởng|Tổng cục trưởng|Chi cục trưởng|Cục trưởng|Vụ trưởng|Viện trưởng|Người đứng đầu)\s+(?:các\s+)?")
# a unit of a body stands for the body: "Ban Hỗ trợ phụ nữ phát triển kinh tế của Hội LHPN tỉnh"
_SUBUNIT = re.compile(r"(?:Ban|Phòng|Văn phòng|Trung tâm|Cục|Vụ|Chi cục)\s[^,;:()]{1,60}?\s(?:của|thuộc)\s+")


def parse_list(text: str, pos: int, j: Jurisdiction) -> tuple[list[Mention], int]:
    """Read a list of agencies ("Sở Tài chính, Hội LHPN tỉnh và các đơn vị liên quan").

    Vague groups inside the list are skipped.  Returns the mentions and where
    the list ends (``pos`` when nothing was read).
    """
    out: list[Mention] = []
    k = pos
    while True:
        k2 = _LIST_SEP.match(text, k).end()  # type: ignore[union-attr]  # _LIST_SEP matches the empty string
        m = match_at(text, k2, j)
        if m is None:
            c = _LES.match(text, k2) or _SUBUNIT.match(text, k2) or _POST.match(text, k2)
            if c:
                m = match_at(text, c.end(), j)
            if m is None and c is not None and c.re is _POST:  # "Thủ trưởng cơ quan ngang bộ, ..."
                v = VAGUE.match(text, text.rfind("các", c.start(), c.end())) if "các" in c.group(0)[-5:] else None
                if v and v.end() > c.end() and match_from(r"\s*,", text, v.end()):
                    # "Thủ trưởng các sở, ngành tỉnh liên quan, Chủ tịch UBND các huyện ..."
                    k = v.end()
                    continue
                skip = match_from(r"[^,;:.]{0,60}", text, c.end())
                k = c.end() + skip.end()  # type: ignore[union-attr]  # the pattern matches the empty string
                continue
        if m:
            out.append(m)
            k = m.end
            continue
        v = VAGUE.match(text, k2)
        if v and v.end() > k2 + 4:
            k = v.end()
            # "các sở, ban, ngành thành phố và UBND ...": the group's place belongs to the group
            lv = re.match(r"\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường)(?:\s+[A-ZĐ]\w*(?:\s+[A-ZĐ]\w*){0,3})?"
                          r"(?=\s*(?:,|;|:|và\b|$))", text[k:])
            if lv:
                k += lv.end()
            # "các Ban của Hội đồng nhân dân": the group's body qualifies it, it is not a list item
            q = match_from(r"\s+(?:của|thuộc)\s+", text, k)
            owner = match_at(text, k + q.end(), j) if q else None
            if owner:
                k = owner.end
            continue
        break
    # "Hội đồng nhân dân, Ủy ban nhân dân thành phố Cần Thơ": the place written after the last body is the others' too
    for a, b in zip(out, out[1:]):
        place = re.search(r" ((?:tỉnh|thành phố) [A-ZĐ].*)$", b.names[0]) if len(b.names) == 1 else None
        if (place and not a.central and len(a.names) == 1 and not _PLACE_WORD.search(a.names[0])
                and re.fullmatch(r"\s*,\s*", text[a.end:b.start])):
            a.names = [f"{a.names[0]} {place.group(1)}"]
    return out, (k if out else pos)
