"""A realistic national corpus of plan texts for benchmarks and identity tests.

    python -m kg.national OUT_DIR --schemes K --seed S [--provinces N] [--communes-per-district M]
                                  [--era pre2025|post2025]

Writes the TEXTS of a whole country's cascade of K independent schemes (not
triples: ``kg build`` reads them like the real corpus): for each scheme one
Prime Minister's decision approving it ("Số: 01/QĐ-TTg"), a plan of every
province's People's Committee implementing the decision, and

* pre2025 (63 provinces, 696 districts): a plan of every district implementing
  its province's plan, and of every commune implementing its district's;
* post2025 (34 provinces, 3,321 communes): a plan of every commune implementing
  its province's plan directly.

Units, with their real names and codes, come from ``data/units/units.csv``
(``kg.units``); the departments, district and commune offices and mass
organisations that plans assign duties to come from the agency catalogue
``ontology/vocab/agencies.ttl`` (selected by the acts of the era they cite);
scheme names, tasks and targets from ``data/national/schemes.json``; the parts
of the signers' names from ``data/national/names.json``.  The layout follows the
real plans of ``data/raw/``: header cells with issuer, "Số: 94/KH-UBND", place
and date, title, "Căn cứ ..." lines citing the document above, "I. MỤC ĐÍCH,
YÊU CẦU", targets, tasks with lead, partners and deadline, "TỔ CHỨC THỰC HIỆN"
by agency, the signer block and "Nơi nhận:".

Pre-2025 communes: ``data/units`` gives the legacy district of 8,864 of the
10,035 communes of the legacy list; the 1,171 communes that kept code, kind and
name on 1/7/2025 carry only their current province as parent, so no district
plan lists them and they issue no plan here.

One ``.md`` file per document and ``manifest.json``: for every file its number,
issuer unit code, parent file, depth (0: the decision) and scheme; tests and
benchmarks use it as the expected tree.  ``kg build`` leaves ``.md`` files of a
folder alone (notes): name the files (``kg build OUT/*.md``) or write ``--suffix
.txt``.  The same arguments and seed write the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from kg.units import Unit, load as load_units

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "national"
AGENCIES_TTL = ROOT / "ontology" / "vocab" / "agencies.ttl"
CUTOVER = date(2025, 7, 1)
# acts (dct:source of the catalogue) that establish the bodies of each era
_ACTS = {
    "pre2025": {"department": ("24/2014/NĐ-CP", "107/2020/NĐ-CP"), "ministry": ("08/2021/QH15",),
                "office": ("37/2014/NĐ-CP",)},
    "post2025": {"department": ("45/2025/NĐ-CP", "150/2025/NĐ-CP"), "ministry": ("176/2025/QH15",),
                 "office": ("150/2025/NĐ-CP",)},
}
# mass organisations and the Front, as a plan lists them (catalogue labels, in this order when present)
_MASS = ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh",
         "Đoàn Thanh niên Cộng sản Hồ Chí Minh")
# numbers issued per year by one People's Committee (all kinds of plan): a plan's number follows its date
_PER_YEAR = {"province": 420, "district": 260, "commune": 90}


@dataclass(frozen=True)
class Catalogue:
    """The bodies of one era, read from the agency catalogue."""

    departments: tuple[str, ...]  # fields: "Tài chính" -> "Sở Tài chính"
    ministries: tuple[str, ...]
    offices: tuple[str, ...]  # district offices (pre2025) or commune offices (post2025): "Phòng ..."
    mass: tuple[str, ...]


@lru_cache(maxsize=2)
def catalogue(era: str) -> Catalogue:
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    from kg.namespaces import VND

    g = Graph().parse(AGENCIES_TTL)
    base = "https://w3id.org/vn-directives/vocab/agency/"

    def entries(scheme: str) -> list[tuple[int, str, set[str]]]:
        out = []
        for c in g.subjects(SKOS.inScheme, URIRef(base + scheme)):
            label = next(str(o) for o in g.objects(c, SKOS.prefLabel) if getattr(o, "language", None) == "vi")
            sources = {str(s) for s in g.objects(c, DCTERMS.source)}
            out.append((int(g.value(c, VND.position).toPython()), label, sources))  # type: ignore[union-attr]  # every concept has a position (ontology)
        return sorted(out)

    def of(scheme: str, acts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(label for _, label, src in entries(scheme) if any(a in s for a in acts for s in src))

    acts = _ACTS[era]
    bodies = {label for _, label, _ in entries("bodies")}
    return Catalogue(of("fields", acts["department"]), of("fields", acts["ministry"]), of("offices", acts["office"]),
                     tuple(m for m in _MASS if m in bodies))


@lru_cache(maxsize=1)
def _data() -> tuple[dict, dict]:
    return (json.loads((DATA / "schemes.json").read_text(encoding="utf-8")),
            json.loads((DATA / "names.json").read_text(encoding="utf-8")))


def _d(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _dateline(place: str, day: date) -> str:
    return f"*{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}*"


@dataclass
class Doc:
    """One generated document: its file, number, date, issuer unit and place in the tree."""

    file: str
    number: str
    day: date
    unit: Unit | None  # None: the Prime Minister
    parent: "Doc | None"
    depth: int
    scheme: int
    issuer: str = ""  # "Ủy ban nhân dân tỉnh Lạng Sơn"
    short: str = ""  # "UBND tỉnh Lạng Sơn"
    children: list = field(default_factory=list)


class National:
    """Generates the corpus; ``run`` writes it."""

    def __init__(self, out: Path, schemes: int = 1, seed: int = 1, provinces: int | None = None,
                 communes_per_district: int | None = None, era: str = "pre2025", suffix: str = ".md",
                 districts_per_province: int | None = None, first_numbers: dict | None = None,
                 only: list[str] | None = None):
        if era not in _ACTS:
            raise ValueError(f"era must be pre2025 or post2025, not {era!r}")
        self.out, self.k, self.seed, self.era, self.suffix = Path(out), schemes, seed, era, suffix
        self.n_provinces, self.cpd, self.dpp = provinces, communes_per_district, districts_per_province
        self.first_numbers = first_numbers  # level -> (lo, hi): the first number of a year (tests: collisions)
        self.units = load_units()
        self.only: set[str] | None = None  # units kept (with their ancestors; a district: all its communes)
        if only:
            self.only = set()
            for uid in only:
                u = self.units.get(uid)
                if u is None:
                    raise ValueError(f"no unit {uid!r} in data/units/units.csv")
                while u is not None:
                    self.only.add(u.id)
                    u = self.units.get(u.parent) if u.parent else None
            todo = list(only)
            while todo:
                kids = self.units.children(todo.pop())
                self.only |= {c.id for c in kids}
                todo += [c.id for c in kids]
        self.cat = catalogue(era)
        self.templates, self.names = _data()
        self.numbers: dict[tuple[str, int], int] = {}  # (issuer unit id, year) -> last number given
        self.manifest: dict[str, dict] = {}
        self.bytes = 0

    # -- units ----------------------------------------------------------------------
    def provinces(self) -> list[Unit]:
        day = "2025-06-30" if self.era == "pre2025" else "2025-07-01"
        found = [p for p in self.units.provinces(day) if self.only is None or p.id in self.only]
        return found[:self.n_provinces] if self.n_provinces is not None else found

    def below(self, unit: Unit, level: str) -> list[Unit]:
        legacy = self.era == "pre2025"
        out = [u for u in self.units.children(unit.id)
               if u.level == level and (u.valid_from is None if legacy else u.current)
               and (self.only is None or u.id in self.only)]
        return sorted(out, key=lambda u: u.code)

    # -- numbers, dates, names -------------------------------------------------------------
    def number(self, rng: random.Random, unit: Unit | None, day: date, abbr: str) -> str:
        key = (unit.id if unit else "ttg", day.year)
        level = unit.level if unit else "province"
        if key not in self.numbers:
            if self.first_numbers and level in self.first_numbers:
                lo, hi = self.first_numbers[level]
                n = rng.randint(lo, hi)
            else:
                rate = 1800 if unit is None else _PER_YEAR[level]
                n = max(1, int(rate * day.timetuple().tm_yday / 366) + rng.randint(-rate // 20, rate // 20))
        else:
            n = self.numbers[key] + 1 + (rng.randint(0, 3) if unit is not None else rng.randint(0, 40))
        self.numbers[key] = n
        return f"{n:02d}/{abbr}" if n < 10 else f"{n}/{abbr}"

    def person(self, rng: random.Random) -> str:
        n = self.names
        if rng.random() < 0.3:
            return f"{rng.choice(n['family'])} {rng.choice(n['middle_female'])} {rng.choice(n['given_female'])}"
        return f"{rng.choice(n['family'])} {rng.choice(n['middle_male'])} {rng.choice(n['given_male'])}"

    @staticmethod
    def after(rng: random.Random, day: date, lo: int, hi: int, limit: date | None = None) -> date:
        out = day + timedelta(days=rng.randint(lo, hi))
        if limit and out >= limit:
            out = limit - timedelta(days=rng.randint(1, 20))
        return max(out, day + timedelta(days=1))

    # -- the cascade ---------------------------------------------------------------------
    def run(self) -> dict:
        started = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        schemes = self.templates["schemes"]
        for s in range(self.k):
            rng = random.Random(f"{self.seed}/{s}")
            tpl = schemes[s % len(schemes)]
            name = tpl["name"] if s < len(schemes) else f"{tpl['name']} (đợt {s // len(schemes) + 1})"
            self.scheme(rng, s + 1, name, tpl)
        manifest = {"era": self.era, "seed": self.seed, "schemes": self.k, "files": self.manifest}
        (self.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
                                                + "\n", encoding="utf-8")
        levels: dict[str, int] = {}
        for f in self.manifest.values():
            levels[f["level"]] = levels.get(f["level"], 0) + 1
        return {"documents": len(self.manifest), "by_level": levels, "bytes": self.bytes,
                "seconds": round(time.perf_counter() - started, 2)}

    def scheme(self, rng: random.Random, s: int, name: str, tpl: dict) -> None:
        if self.era == "pre2025":
            start = date(2022, 1, 10) + timedelta(days=rng.randint(0, 600))
        else:
            start = date(2025, 7, 10) + timedelta(days=rng.randint(0, 150))
        dec = Doc(f"s{s:02d}-qd-ttg{self.suffix}", "", start, None, None, 0, s,
                  "Thủ tướng Chính phủ", "Thủ tướng Chính phủ")
        dec.number = self.number(rng, None, start, "QĐ-TTg")
        provinces = self.provinces()
        self.write(dec, self.decision_text(rng, dec, name, tpl))
        limit = CUTOVER if self.era == "pre2025" else None
        for p in provinces:
            pday = self.after(rng, dec.day, 20, 120, limit)
            doc = self.local(rng, p, pday, dec, s)
            self.write(doc, self.plan_text(rng, doc, name, tpl))
            if self.era == "pre2025":
                districts = self.below(p, "district")[:self.dpp] if self.dpp is not None else self.below(p, "district")
                for d in districts:
                    dday = self.after(rng, pday, 10, 80, limit)
                    ddoc = self.local(rng, d, dday, doc, s)
                    self.write(ddoc, self.plan_text(rng, ddoc, name, tpl))
                    communes = self.below(d, "commune")
                    for c in communes[:self.cpd] if self.cpd is not None else communes:
                        cdoc = self.local(rng, c, self.after(rng, dday, 7, 60, limit), ddoc, s)
                        self.write(cdoc, self.plan_text(rng, cdoc, name, tpl))
            else:
                communes = self.below(p, "commune")
                for c in communes[:self.cpd] if self.cpd is not None else communes:
                    cdoc = self.local(rng, c, self.after(rng, pday, 7, 60), doc, s)
                    self.write(cdoc, self.plan_text(rng, cdoc, name, tpl))

    def local(self, rng: random.Random, unit: Unit, day: date, parent: Doc, s: int) -> Doc:
        codes = [unit.code]
        u: Unit | None = unit
        while u is not None and u.parent:
            u = self.units.get(u.parent)
            codes.insert(0, u.code)  # type: ignore[union-attr]  # a unit's parent is in the lists
        doc = Doc(f"s{s:02d}-{'-'.join(codes)}{self.suffix}", "", day, unit, parent, parent.depth + 1, s,
                  f"Ủy ban nhân dân {unit.label}", f"UBND {unit.label}")
        doc.number = self.number(rng, unit, day, "KH-UBND")
        return doc

    def write(self, doc: Doc, text: str) -> None:
        data = text.encode("utf-8")
        (self.out / doc.file).write_bytes(data)
        self.bytes += len(data)
        self.manifest[doc.file] = {
            "number": doc.number, "date": doc.day.isoformat(), "issuer": doc.issuer,
            "unit": doc.unit.code if doc.unit else None, "unit_id": doc.unit.id if doc.unit else None,
            "level": doc.unit.level if doc.unit else "central", "parent": doc.parent.file if doc.parent else None,
            "depth": doc.depth, "scheme": doc.scheme}

    # -- texts -------------------------------------------------------------------------
    def header(self, top: list[str], number: str, place: str, day: date) -> list[str]:
        cell = [f"**{line}**" for line in top]
        return ["|", *cell, "-------", "|", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**", "Độc lập - Tự do - Hạnh phúc",
                "---------------", "|", "|", f"Số: {number}", "|", _dateline(place, day), "|", ""]

    def signature(self, rng: random.Random, head: str, capacity: str, post: str, recipients: list[str]) -> list[str]:
        return ["", "|", "Nơi nhận:", *[f"- {r};" for r in recipients], "- Lưu: VT.", "|",
                f"**{head}**", *([capacity] if capacity else []), post, self.person(rng), "|", ""]

    def decision_text(self, rng: random.Random, dec: Doc, name: str, tpl: dict) -> str:
        ministries = [f"Bộ {m}" for m in self.cat.ministries]
        lead = [f"Bộ {self.pick(t['lead'], self.cat.ministries, rng)}" for t in tpl["tasks"]]
        lines = self.header(["THỦ TƯỚNG CHÍNH PHỦ"], dec.number, "Hà Nội", dec.day)
        lines += ["**QUYẾT ĐỊNH**", "", f"Phê duyệt Đề án “{name}”", "", "**THỦ TƯỚNG CHÍNH PHỦ**", "",
                  f"*Theo đề nghị của Bộ trưởng {lead[0]};*", "", "**QUYẾT ĐỊNH:**", "",
                  f"**Điều 1.** Phê duyệt Đề án “{name}” (sau đây gọi tắt là Đề án) với những nội dung chủ yếu sau:",
                  "", "**I. MỤC TIÊU**", ""]
        for t in tpl["targets"]:
            lines.append(f"- Đến năm 2030, {self.target(rng, t, 'central')}.")
        lines += ["", "**II. NHIỆM VỤ VÀ GIẢI PHÁP**", ""]
        for i, t in enumerate(tpl["tasks"], 1):
            lines.append(f"{i}. {t['text'][:1].upper()}{t['text'][1:]}.")
        lines += ["", "**III. TỔ CHỨC THỰC HIỆN**", ""]
        i = 0
        for i, (t, body) in enumerate(zip(tpl["tasks"], lead), 1):
            partner = rng.choice([m for m in ministries if m != body])
            lines.append(f"{i}. {body} chủ trì, phối hợp với {partner} {t['text']}.")
        lines.append(f"{i + 1}. Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương xây dựng kế hoạch thực "
                     f"hiện Đề án trên địa bàn, hoàn thành trước ngày {_d(dec.day + timedelta(days=120))}.")
        lines += ["", "**Điều 2.** Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.", "",
                  "**Điều 3.** Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ "
                  "tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành Quyết "
                  "định này./."]
        lines += self.signature(rng, "KT. THỦ TƯỚNG", "", "PHÓ THỦ TƯỚNG",
                                ["Ban Bí thư Trung ương Đảng", "Thủ tướng, các Phó Thủ tướng Chính phủ",
                                 "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                                 "HĐND, UBND các tỉnh, thành phố trực thuộc trung ương"])
        return "\n".join(lines)

    @staticmethod
    def pick(wanted: list[str], have: tuple[str, ...], rng: random.Random) -> str:
        for w in wanted:
            if w in have:
                return w
        return rng.choice(have)

    def target(self, rng: random.Random, t: dict, level: str) -> str:
        lo, hi = t["min"], t["max"]
        if t.get("count") and level != "central":
            hi = max(lo, hi // {"province": 1, "district": 6, "commune": 20}[level])
        return t["text"].format(v=rng.randint(lo, hi))

    def bodies(self, doc: Doc) -> tuple[list[str], str, str]:
        """(the offices a plan of this unit assigns duties to, the unit word after a body, the level below)."""
        unit = doc.unit
        assert unit is not None  # the Prime Minister's plan names no offices (written by its own code)
        if unit.level == "province":
            return [f"Sở {f}" for f in self.cat.departments], "tỉnh" if unit.kind == "tỉnh" else "thành phố", \
                "Ủy ban nhân dân các huyện, thị xã, thành phố" if self.era == "pre2025" else \
                "Ủy ban nhân dân các xã, phường, đặc khu"
        if unit.level == "district":
            return [f"Phòng {o}" for o in self.cat.offices], unit.kind, "Ủy ban nhân dân các xã, thị trấn"
        if self.era == "post2025":
            return [f"Phòng {o}" for o in self.cat.offices], unit.kind, ""
        return [], unit.kind, ""

    def plan_text(self, rng: random.Random, doc: Doc, name: str, tpl: dict) -> str:
        unit, parent = doc.unit, doc.parent
        assert unit is not None and parent is not None  # a local plan: a unit's, under another plan
        word = unit.kind  # "tỉnh", "huyện", "xã", ...
        offices, uword, below = self.bodies(doc)
        top = ["ỦY BAN NHÂN DÂN", unit.label.upper()]
        if unit.level == "commune" and self.era == "pre2025":  # the district above, as commune headers write it
            top = [f"UBND {self.units.get(unit.parent).label.upper()}",  # type: ignore[arg-type, union-attr]
                   f"UBND {unit.label.upper()}"]  # (a commune has a district above it)
        place = unit.name if not unit.name.isdigit() else unit.full_name
        lines = self.header(top, doc.number, place, doc.day)
        where = f"trên địa bàn {unit.label}"
        lines += ["**KẾ HOẠCH**", "", f"Thực hiện Đề án “{name}” {where}".upper(), ""]
        cited: Doc | None = parent
        chain: list[Doc] = []
        while cited is not None:
            chain.insert(0, cited)
            cited = cited.parent
        for c in chain:
            what = "Quyết định" if c.unit is None else "Kế hoạch"
            verb = "phê duyệt" if c.unit is None else "thực hiện"
            lines.append(f"*Căn cứ {what} số {c.number} ngày {_d(c.day)} của {c.issuer if c.unit is None else c.short}"
                         f" {verb} Đề án “{name}”;*")
            lines.append("")
        lines += [f"{doc.issuer} ban hành Kế hoạch thực hiện Đề án {where} như sau:", "",
                  "**I. MỤC ĐÍCH, YÊU CẦU**", "", "**1. Mục đích**", "",
                  f"- Cụ thể hóa các mục tiêu, nhiệm vụ của Đề án, bảo đảm thống nhất trong tổ chức thực hiện {where}.",
                  "", "- Xác định rõ trách nhiệm của các cơ quan, đơn vị trong triển khai thực hiện Đề án.", "",
                  "**2. Yêu cầu**", "",
                  "- Các cơ quan, đơn vị chủ động phối hợp, lồng ghép với các chương trình, kế hoạch khác có liên quan.",
                  "", "**II. MỤC TIÊU**", "", "**1. Mục tiêu cụ thể đến năm 2025**", ""]
        level = unit.level
        for t in tpl["targets"]:
            sentence = self.target(rng, t, level)
            lines += [f"- {sentence[:1].upper()}{sentence[1:]}.", ""]
        lines += ["**2. Mục tiêu đến năm 2030**", ""]
        for t in tpl["targets"]:
            lines += [f"- Phấn đấu đến năm 2030, {self.target(rng, t, level)}.", ""]
        # tasks: the scheme's and the common ones, each with lead, partners and deadline
        tasks = list(tpl["tasks"]) + list(self.templates["common_tasks"])
        fields = self.cat.departments if level == "province" else self.cat.offices
        lines += ["**III. NHIỆM VỤ VÀ GIẢI PHÁP**", ""]
        mass = [f"{m} {uword}" for m in self.cat.mass]
        duties: dict[str, list[str]] = {}
        for i, t in enumerate(tasks, 1):
            if offices:
                lead = self.lead(t, offices, fields, level, rng)
                partners = rng.sample([o for o in offices if o != lead], 2)
            else:  # a commune of the legacy era: its mass organisations and its police
                pool = mass + [f"Công an {word}"]
                lead = pool[i % len(pool)]
                partners = rng.sample([o for o in pool if o != lead], 1)
            due = self.after(rng, doc.day, 60, 400)
            lines += [f"**{i}. {t['text'][:1].upper()}{t['text'][1:]}**", "",
                      f"a) Nhiệm vụ: {t['text'][:1].upper()}{t['text'][1:]} {where}.", "",
                      "b) Cơ quan thực hiện:", "", f"- Đơn vị chủ trì: {lead}.", "",
                      f"- Đơn vị phối hợp: {', '.join(partners)}.", "",
                      f"c) Thời gian thực hiện: trước ngày {_d(due)}.", ""]
            duties.setdefault(lead, []).append(t["text"])
        lines += ["**IV. KINH PHÍ THỰC HIỆN**", "",
                  f"Kinh phí thực hiện Kế hoạch được bố trí từ ngân sách {word} theo phân cấp hiện hành và các "
                  "nguồn vốn hợp pháp khác.", "", "**V. TỔ CHỨC THỰC HIỆN**", ""]
        n = 0
        for n, (lead, texts) in enumerate(sorted(duties.items(), key=lambda kv: kv[0]), 1):
            others = [o for o in duties if o != lead] or [lead]
            partner = rng.choice(others)
            due = self.after(rng, doc.day, 30, 300)
            lines += [f"**{n}. {lead}**", "",
                      f"- Chủ trì, phối hợp với {partner} theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao; "
                      f"tổng hợp, báo cáo kết quả thực hiện trước ngày {_d(due)}.", ""]
        if below:
            n += 1
            lines += [f"**{n}. {below}**", "",
                      f"- Căn cứ Kế hoạch này, xây dựng kế hoạch thực hiện Đề án trên địa bàn, hoàn thành trước ngày "
                      f"{_d(self.after(rng, doc.day, 30, 90))}.", ""]
        if offices and mass:
            n += 1
            lines += [f"**{n}. Đề nghị {mass[0]} và các tổ chức chính trị - xã hội {uword}**", "",
                      "- Phối hợp tuyên truyền, vận động đoàn viên, hội viên tham gia thực hiện Kế hoạch.", ""]
        lines += [f"Trên đây là Kế hoạch thực hiện Đề án “{name}” {where}; trong quá trình thực hiện, nếu có khó "
                  f"khăn, vướng mắc, các cơ quan, đơn vị báo cáo {doc.short} để xem xét, giải quyết./."]
        recipients = [parent.short if parent.unit else "Thủ tướng Chính phủ (b/c)",
                      f"Chủ tịch, các Phó Chủ tịch UBND {word}", *offices[:3], "Như Mục V"]
        capacity, post = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") if rng.random() < 0.7 else ("", "CHỦ TỊCH")
        lines += self.signature(rng, "TM. ỦY BAN NHÂN DÂN", capacity, post, recipients)
        return "\n".join(lines)

    @staticmethod
    def lead(task: dict, offices: list[str], fields: tuple[str, ...], level: str, rng: random.Random) -> str:
        if level == "province":
            for w in task["lead"]:
                if w in fields:
                    return f"Sở {w}"
        return rng.choice(offices)


def generate(out: Path, schemes: int = 1, seed: int = 1, provinces: int | None = None,
             communes_per_district: int | None = None, era: str = "pre2025", **kw) -> dict:
    """Write the corpus into `out`; returns counts (documents, by level, bytes, seconds)."""
    return National(out, schemes, seed, provinces, communes_per_district, era, **kw).run()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.national", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--schemes", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--provinces", type=int, default=None, help="only the first N provinces (by code)")
    ap.add_argument("--districts-per-province", type=int, default=None, help="pre2025: only the first N districts")
    ap.add_argument("--communes-per-district", type=int, default=None,
                    help="only the first M communes of each district (post2025: of each province)")
    ap.add_argument("--era", choices=sorted(_ACTS), default="pre2025")
    ap.add_argument("--units", default=None, help="only these unit ids of data/units (comma-separated), with "
                    "the units above them and, for a district or province, the units below")
    ap.add_argument("--suffix", default=".md", help="file suffix (.md, or .txt for `kg build FOLDER`)")
    a = ap.parse_args(argv)
    counts = generate(a.out, a.schemes, a.seed, a.provinces, a.communes_per_district, a.era, suffix=a.suffix,
                      districts_per_province=a.districts_per_province,
                      only=a.units.split(",") if a.units else None)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
