"""Agencies through the 2025 reorganisation: who holds a body's duties now.

``data/successions.csv`` is the curated table, one row per (kind of) body and
successor, each with its date and act:

* ``central`` rows name a body ("Bộ Kế hoạch và Đầu tư" -> "Bộ Tài chính",
  Nghị quyết 176/2025/QH15, 1/3/2025);
* ``province`` rows name a kind of provincial department, applied in every
  province ("Sở Kế hoạch và Đầu tư" -> "Sở Tài chính", Nghị định 45/2025/NĐ-CP);
* ``district`` rows name a kind of district body: its duties went, on
  1/7/2025 (Luật 72/2025/QH15, Nghị định 150/2025/NĐ-CP, Luật 97/2025/QH15),
  to ``successor`` in the province and to ``commune_successor`` in each
  commune that now holds part of the district's territory.

Two rules come from the unit data (``kg.units``) rather than the table: a body
of a province merged on 1/7/2025 (Nghị quyết 202/2025/QH15) passes to the body
of the same name in the province that absorbed it ("Sở Tài chính tỉnh Kiên
Giang" -> "Sở Tài chính tỉnh An Giang"), and a body of a merged commune to the
same body of the new commune.

``share`` is "whole" when one successor takes all of a body's duties and
"part" when it is one of several (a district's tasks, LĐTB&XH's three heirs).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.agency_names import parse
from kg.text import fold
from kg.units import CUTOVER, Unit, Units, load as load_units

TABLE = Path(__file__).resolve().parents[1] / "data" / "successions.csv"
PROVINCE_ACT = "202/2025/QH15"
PROVINCE_SOURCES = ("Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh (12/6/2025, chính quyền mới từ "
                    "1/7/2025); Nghị định 150/2025/NĐ-CP (cơ quan chuyên môn của tỉnh mới)")
COMMUNE_ACT = "UBTVQH-2025-cap-xa"
COMMUNE_SOURCES = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã của tỉnh (2025)"
DISTRICT_ACT = "72/2025/QH15"
DISTRICT_SOURCES = ("Luật Tổ chức chính quyền địa phương 72/2025/QH15 (không tổ chức cấp huyện từ 1/7/2025): nhiệm vụ "
                    "chuyển cho các xã, phường nhận địa bàn và cho tỉnh")


@dataclass(frozen=True)
class Rule:
    level: str
    predecessor: str
    successor: str
    commune_successor: str
    share: str
    date: str
    act: str
    sources: str


@dataclass(frozen=True)
class Step:
    """One succession: `predecessor` -> `successor` (canonical agency names)."""

    predecessor: str
    successor: str
    share: str  # whole | part
    date: str  # ISO
    act: str  # the number of the act ("176/2025/QH15")
    sources: str  # the acts in words
    successor_unit: str | None = None  # unit id of the successor's jurisdiction, when known
    predecessor_unit: str | None = None


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    with open(TABLE, encoding="utf-8", newline="") as f:
        return tuple(Rule(r["level"], r["predecessor"], r["successor"], r["commune_successor"], r["share"],
                          r["date"], r["act"], r["sources"]) for r in csv.DictReader(f))


def _rules(level: str, base: str, prefix: bool = False) -> list[Rule]:
    return list(_rules_of(level, fold(base), prefix))


@lru_cache(maxsize=1 << 14)
def _rules_of(level: str, b: str, prefix: bool) -> tuple[Rule, ...]:
    """The rules of `level` whose predecessor is the folded name `b` (or, with `prefix`, starts it)."""
    found = [r for r in rules() if r.level == level and fold(r.predecessor) == b]
    if found or not prefix:
        return tuple(found)
    # district bodies: the longest predecessor that starts the name ("Phòng Lao động - TB&XH - Dân tộc")
    cands = [r for r in rules() if r.level == level and b.startswith(fold(r.predecessor) + " ")]
    if not cands:
        return ()
    longest = max(len(r.predecessor) for r in cands)
    return tuple(r for r in cands if len(r.predecessor) == longest)


def ends_before_cutover(base: str) -> bool:
    """A kind of provincial department that a rule of the table abolished ("Sở Kế hoạch và Đầu tư")."""
    return any(r.date < CUTOVER for r in _rules("province", base))


class Successions:
    """Successor look-ups over the table and the unit data."""

    def __init__(self, units: Units | None = None):
        self.units = units or load_units()
        self._unit_of: dict[str, Unit | None] = {}  # label -> unit_of(label): asked again at each mention

    def unit_of(self, label: str) -> Unit | None:
        """The unit a canonical agency name's jurisdiction means, at the time the agency existed.

        A body a rule abolished before 1/7/2025 (Sở KH&ĐT) belonged to the legacy
        province; any other name with a unit of both eras gets the current unit.
        """
        if label in self._unit_of:
            return self._unit_of[label]
        a = parse(label)
        if not (a.unit_kind and a.unit_name):
            found = None
        else:
            prefer = "legacy" if ends_before_cutover(a.base) else "current"
            found = self.units.find(a.unit_kind, a.unit_name, prefer=prefer, province=a.province_name)
        self._unit_of[label] = found
        return found

    def steps(self, label: str) -> list[Step]:
        """The successions that directly follow the body named `label` (empty: it still exists)."""
        a = parse(label)
        if a.level == "central" or not (a.unit_kind and a.unit_name):
            if a.collective:
                return []
            return [Step(a.label, r.successor, r.share, r.date, r.act, r.sources)
                    for r in _rules("central", a.label)]
        unit = self.unit_of(label)
        if unit is None:
            return []
        if unit.level == "province":
            return self._province(a, unit)
        if unit.level == "district":
            return self._district(a, unit)
        return self._commune(a, unit)

    def _province(self, a, unit: Unit) -> list[Step]:
        if a.collective:
            tier = a.label[len(a.base):].split()[1] if a.label.startswith(a.base + " cấp ") else None
            now = self.units.current_province(unit.id)
            if tier == "huyện" and now:
                return [Step(a.label, f"{a.base} cấp xã {now.label}", "part", CUTOVER, DISTRICT_ACT, DISTRICT_SOURCES,
                             now.id, unit.id),
                        Step(a.label, f"{a.base} {now.label}", "part", CUTOVER, DISTRICT_ACT, DISTRICT_SOURCES,
                             now.id, unit.id)]
            if not unit.current and now and tier:
                return [Step(a.label, f"{a.base} cấp {tier} {now.label}", "whole", CUTOVER, PROVINCE_ACT,
                             PROVINCE_SOURCES, now.id, unit.id)]
            return []
        found = [r for r in _rules("province", a.base) if r.date < CUTOVER]
        if found:  # the department was merged before the provinces were
            return [Step(a.label, f"{r.successor} {unit.label}", r.share, r.date, r.act, r.sources, unit.id, unit.id)
                    for r in found]
        if not unit.current:
            nows = self.units.current_units(unit.id, "province")
            return [Step(a.label, f"{a.base} {n.label}", "whole" if len(nows) == 1 else "part", CUTOVER,
                         PROVINCE_ACT, PROVINCE_SOURCES, n.id, unit.id) for n in nows]
        return []

    def _district(self, a, unit: Unit) -> list[Step]:
        communes = self.units.current_units(unit.id, "commune")
        province = self.units.current_province(unit.id)
        out: list[Step] = []
        if a.collective:  # "Ủy ban nhân dân cấp xã huyện Tràng Định": the communes now there
            return [Step(a.label, self.commune_body(a.base, c), "part", CUTOVER, DISTRICT_ACT, DISTRICT_SOURCES,
                         c.id, unit.id) for c in communes]
        found = _rules("district", a.base, prefix=True)
        if found:
            r = found[0]
            act, date, sources = r.act, r.date, r.sources
            province_bodies = [x.successor for x in found]
            commune_base = r.commune_successor or "Ủy ban nhân dân"
        else:  # a body the table does not name: the people's committees take its tasks
            act, date, sources = DISTRICT_ACT, CUTOVER, DISTRICT_SOURCES
            province_bodies, commune_base = ["Ủy ban nhân dân"], "Ủy ban nhân dân"
        if province:
            for body in province_bodies:
                out.append(Step(a.label, f"{body} {province.label}", "part", date, act, sources, province.id, unit.id))
        for c in communes:
            out.append(Step(a.label, self.commune_body(commune_base, c), "part", date, act, sources, c.id, unit.id))
        return out

    def _commune(self, a, unit: Unit) -> list[Step]:
        if unit.current:
            return []
        nows = self.units.current_units(unit.id, "commune")
        return [Step(a.label, self.commune_body(a.base, n), "whole" if len(nows) == 1 else "part", CUTOVER,
                     COMMUNE_ACT, COMMUNE_SOURCES, n.id, unit.id) for n in nows]

    def commune_body(self, base: str, commune: Unit) -> str:
        """Canonical name of a body of a commune; the province follows when the name recurs elsewhere."""
        same = [u for u in self.units.candidates("commune", commune.name) if u.current]
        if len(same) > 1:
            p = self.units.province_of(commune.id)
            return f"{base} {commune.label}, {p.label}" if p else f"{base} {commune.label}"
        return f"{base} {commune.label}"

    def chain(self, label: str, limit: int = 6) -> list[list[Step]]:
        """Every path of steps from `label` to a body that still exists (empty when `label` exists)."""
        paths: list[list[Step]] = []

        def walk(name: str, path: list[Step]) -> None:
            nxt = self.steps(name) if len(path) < limit else []
            nxt = [s for s in nxt if fold(s.successor) != fold(name)]
            if not nxt:
                if path:
                    paths.append(path)
                return
            for s in nxt:
                walk(s.successor, path + [s])

        walk(parse(label).label, [])
        return paths

    def current_holders(self, label: str) -> list[tuple[str, list[Step]]]:
        """(current body, path of steps) for each body now holding duties of `label`; [(label, [])] if it exists."""
        paths = self.chain(label)
        if not paths:
            return [(parse(label).label, [])]
        return [(p[-1].successor, p) for p in paths]


@lru_cache(maxsize=1)
def default() -> Successions:
    return Successions()
