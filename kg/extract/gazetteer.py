"""Gazetteer data: Vietnamese public bodies, their canonical names and name patterns.

The catalogue itself is data, not code: ontology/vocab/agencies.ttl (fields of
ministries and departments, district and commune offices, other bodies, unit
head words, each with the act it comes from) and
ontology/vocab/number-abbreviations.ttl (type and issuer abbreviations of
document numbers).  `scripts/gen_gazetteer.py` compiles the two into
gazetteer.json next to this module, which is what the extractor loads (one
small JSON read instead of parsing RDF on every run); tests/test_gazetteer.py
checks that the JSON is what the Turtle says.

Patterns are regular expressions matched case-insensitively on text with the
modern tone placement; the canonical names are what the extraction record uses.
The word lists below (UNIT_STOP, UNIT_STOP_PAIRS) are grammar, not bodies, and
stay here; PROVINCES is to be replaced by the administrative-unit data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

JSON_PATH = Path(__file__).with_name("gazetteer.json")
VOCAB_DIR = Path(__file__).resolve().parents[2] / "ontology" / "vocab"
VOCAB_FILES = ("agencies.ttl", "number-abbreviations.ttl")
_BASE = "https://w3id.org/vn-directives/vocab/"
# concept scheme IRI -> key of the compiled table
_LISTS = {_BASE + "agency/fields": "fields", _BASE + "agency/offices": "offices", _BASE + "agency/bodies": "bodies",
          _BASE + "agency/unit-heads": "unit_heads", _BASE + "number-abbreviation/types": "type_abbr",
          _BASE + "number-abbreviation/issuers": "issuer_abbr"}


@lru_cache(maxsize=1)
def load() -> dict:
    """The compiled catalogue (gazetteer.json), read once; compiled from the Turtle if the JSON is missing."""
    try:
        return json.loads(JSON_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return compile_vocabulary()


def compile_vocabulary(vocab_dir: Path = VOCAB_DIR) -> dict:
    """The catalogue table of the Turtle vocabularies (what gazetteer.json must hold).

    Raises ValueError when an entry lacks its label, pattern, position or source,
    when positions of a list are not 1..n, or when a pattern does not compile.
    """
    import re

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    from kg.namespaces import VND

    g = Graph()
    for name in VOCAB_FILES:
        g.parse(vocab_dir / name)
    out: dict = {}
    for scheme, key in _LISTS.items():
        rows = []
        for c in g.subjects(SKOS.inScheme, URIRef(scheme)):
            labels = [str(o) for o in g.objects(c, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "vi"]
            pos = g.value(c, VND.position)
            if len(labels) != 1 or pos is None or g.value(c, DCTERMS.source) is None:
                raise ValueError(f"{c}: needs one skos:prefLabel@vi, vnd:position and dct:source")
            rows.append((int(pos.toPython()), labels[0], c))  # type: ignore[attr-defined]  # a Literal
        rows.sort()
        if [r[0] for r in rows] != list(range(1, len(rows) + 1)):
            raise ValueError(f"{scheme}: positions are not 1..{len(rows)}")
        if key in ("type_abbr", "issuer_abbr"):
            table: dict = {}
            for _, label, c in rows:
                abbrs = sorted(str(a) for a in g.objects(c, VND.abbreviation))
                if not abbrs:
                    raise ValueError(f"{c}: no vnd:abbreviation")
                local = g.value(c, VND.localIssuer)
                for a in abbrs:
                    if a in table:
                        raise ValueError(f"{c}: abbreviation {a!r} twice in {scheme}")
                    table[a] = label if key == "type_abbr" else [label, bool(local.toPython()) if local else False]  # type: ignore[attr-defined]
            out[key] = table
            continue
        entries: list = []
        for _, label, c in rows:
            pattern = g.value(c, VND.namePattern)
            if pattern is None:
                raise ValueError(f"{c}: no vnd:namePattern")
            re.compile(str(pattern))
            if key == "unit_heads":
                entries.append(str(pattern))
            elif key == "bodies":
                scope, kind = g.value(c, VND.nameScope), g.value(c, VND.bodyKind)
                if scope is None or kind is None:
                    raise ValueError(f"{c}: a body needs vnd:nameScope and vnd:bodyKind")
                entries.append([label, str(pattern), str(scope), str(kind)])
            else:
                entries.append([label, str(pattern)])
        out[key] = entries
    return out


def dump(table: dict) -> str:
    """The JSON text of a compiled table, as gazetteer.json holds it."""
    return json.dumps(table, ensure_ascii=False, indent=1) + "\n"


_T = load()
# (canonical field name, pattern) shared by ministries ("Bộ") and departments ("Sở")
FIELDS: list[tuple[str, str]] = [(n, p) for n, p in _T["fields"]]
# district and commune offices ("Phòng")
OFFICES: list[tuple[str, str]] = [(n, p) for n, p in _T["offices"]]
# other bodies: (canonical base, pattern, scope, kind); scope and kind: see ontology/vocab/agencies.ttl
BODIES: list[tuple[str, str, str, str]] = [(n, p, s, k) for n, p, s, k in _T["bodies"]]
# units of a ministry or of a department, named by a head word and a name: "Cục Trồng trọt và
# Bảo vệ thực vật", "Vụ Kế hoạch - Tài chính", "Chi cục Thủy lợi", "Viện Môi trường nông nghiệp"
UNIT_HEADS: tuple[str, ...] = tuple(_T["unit_heads"])
# ký hiệu abbreviations of document types (NĐ 30/2020 Phụ lục III; normative and party documents)
TYPE_ABBR: dict[str, str] = dict(_T["type_abbr"])
# issuer abbreviations of ký hiệu: (canonical, is_local)
ISSUER_ABBR: dict[str, tuple[str, bool]] = {a: (n, local) for a, (n, local) in _T["issuer_abbr"].items()}
del _T

# words that end a unit's name (function words and the verbs that follow a subject);
# verbs whose first syllable also occurs in names ("thực vật", "tổ chức cán bộ") stop as pairs
UNIT_STOP = frozenset("""có chịu theo tại của thuộc trong để về là được cùng với giao căn trên đã sẽ khẩn
nhằm đối cho các những mỗi từ đến khi sau trước năm quý tháng ngày gồm""".split())
UNIT_STOP_PAIRS = frozenset(tuple(p.split()) for p in (
    "chủ trì", "phối hợp", "thực hiện", "tổ chức", "hướng dẫn", "xây dựng", "tham mưu", "báo cáo", "triển khai",
    "nghiên cứu", "kiểm tra", "đôn đốc", "hỗ trợ", "tuyên truyền", "vận động", "đề xuất", "rà soát", "bố trí",
    "ban hành", "chỉ đạo", "tổng hợp", "theo dõi", "phổ biến", "cập nhật", "đẩy mạnh", "tăng cường", "nâng cao",
    "trình cấp", "trình Thủ", "trình Bộ", "trình Chính", "trả lời", "thông báo", "nhận được", "đề nghị",
    "kính gửi", "xin gửi", "giải đáp", "hướng dẫn"))

# provinces and centrally-run cities of either era (63 before 1 July 2025, 34 after), from the administrative
# units of data/units/units.csv (package vietnamadminunits, see data/units/SOURCE.md), with the former names
# units.py knows ("Thừa Thiên Huế"): a place of issue ("Tây Ninh, ngày ...") under a bare "ỦY BAN NHÂN DÂN"
# header names the issuing province. Read here with csv alone: loading every unit costs half a second.
_UNITS_CSV = Path(__file__).resolve().parents[2] / "data" / "units" / "units.csv"
_FORMER_PROVINCE_NAMES = ("Thừa Thiên Huế",)


def _provinces() -> tuple[frozenset[str], frozenset[str]]:
    import csv

    with _UNITS_CSV.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["level"] == "province"]
    names = {r["name"] for r in rows} | set(_FORMER_PROVINCE_NAMES)
    cities = {r["name"] for r in rows if r["kind"] == "thành phố" and not r["valid_until"]}
    return frozenset(names), frozenset(cities)


# PROVINCES: every province and city of either era; CITIES: the centrally-run cities of today ("thành phố Huế")
PROVINCES, CITIES = _provinces()


def _unit_names() -> dict[str, frozenset[str]]:
    """The names of the units of each kind ("huyện", "phường", ...) of either era, as units.csv spells them
    ("Hà Trung", "3" of "phường 3"), for reading whole place names after a level word."""
    import csv

    out: dict[str, set[str]] = {}
    with _UNITS_CSV.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["kind"], set()).add(r["name"])
    return {k: frozenset(v) for k, v in out.items()}


# UNIT_NAMES: kind of unit ("tỉnh", "huyện", "thị xã", "xã", "phường", ...) -> the names units of that kind bear
UNIT_NAMES = _unit_names()
