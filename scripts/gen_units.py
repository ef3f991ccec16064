"""Write data/units/ from the `vietnamadminunits` package (MIT, Tran Ngoc Minh Hieu).

    .venv/bin/pip install 'vietnamadminunits==1.0.4'   # or any later version
    .venv/bin/python scripts/gen_units.py [--out data/units]

The product reads only the checked-in CSV files (it works offline and does not
need the package at run time); this script regenerates them when the package
publishes a new version.  It reads the package's own data files
(``data/dataset.db``: the 10,040 legacy rows of province/district/commune and
the 3,321 communes after 1/7/2025; ``data/converter_2025.json``: the legacy ->
new mapping), not its address parser, so no network is needed.

Files written:

* ``units.csv`` -- one row per administrative unit: ``id`` (the IRI slug under
  ``id/unit/``), ``code`` (official code, TCTK), ``level`` (province | district |
  commune), ``kind`` (tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn,
  đặc khu), ``name`` (without kind), ``parent`` (id), ``valid_from``,
  ``valid_until`` (2025-07-01 for legacy units that did not go on; empty when
  unknown / still valid).  A unit with the same code, kind and name in both lists
  (Lạng Sơn, Hà Nội, ...) is one row valid in both eras.
* ``changes.csv`` -- ``original`` -> ``resulting`` (ids), ``share`` (whole: all of
  the original went into the result; part: the original was divided and this is
  one of several successors), ``date``, ``act`` (the legal basis).
* ``SOURCE.md`` -- package version, licence, counts.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sqlite3
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CUTOVER = "2025-07-01"
# acts: the number as cited ("act" column of changes.csv); their titles are in data/acts.csv
ACT_PROVINCES = "202/2025/QH15"  # Nghị quyết về sắp xếp đơn vị hành chính cấp tỉnh (12/6/2025)
ACT_DISTRICTS = "72/2025/QH15"  # Luật Tổ chức chính quyền địa phương: no district level from 1/7/2025
ACT_COMMUNES = "UBTVQH-2025-cap-xa"  # the Standing Committee's resolutions on each province's communes (2025)

LEVEL_OF_KIND = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district",
                 "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune"}


def split_kind(full: str) -> tuple[str, str]:
    """("Tỉnh An Giang") -> ("tỉnh", "An Giang")."""
    for k in ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Xã", "Phường"):
        if full.casefold().startswith(k.casefold() + " "):
            name = full[len(k) + 1:].strip()
            # a unit's name starts with a capital (or a digit): the package writes "Xã é Tòng" for xã É Tòng
            return k.lower(), name[:1].upper() + name[1:]
    raise ValueError(f"no kind in {full!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "units")
    args = ap.parse_args(argv)
    spec = importlib.util.find_spec("vietnamadminunits")  # its data files only: no import, no network
    if spec is None or not spec.submodule_search_locations:
        print("pip install vietnamadminunits first", file=sys.stderr)
        return 1
    pkg = Path(list(spec.submodule_search_locations)[0])
    version = metadata.version("vietnamadminunits")
    db = sqlite3.connect(pkg / "data" / "dataset.db")
    conv = json.loads((pkg / "data" / "converter_2025.json").read_text(encoding="utf-8"))

    units: dict[str, dict] = {}
    legacy_key: dict[str, str] = {}  # converter key "prov_dist_ward" -> id
    legacy_prov_key: dict[str, str] = {}
    new_key: dict[tuple[str, str], str] = {}  # (provinceKey, wardKey) -> id
    new_prov_key: dict[str, str] = {}
    legacy_district: dict[str, str] = {}  # commune id -> its district before 1/7/2025

    def add(uid, code, level, full, parent, valid_from, valid_until):
        kind, name = split_kind(full)
        units.setdefault(uid, dict(id=uid, code=code, level=level, kind=kind, name=name, parent=parent,
                                   valid_from=valid_from, valid_until=valid_until))
        return uid

    new_rows = db.execute("SELECT province, provinceCode, provinceKey, ward, wardCode, wardKey FROM admin_units").fetchall()
    new_prov = {(p, c) for p, c, *_ in new_rows}
    legacy_rows = db.execute("SELECT province, provinceCode, provinceKey, district, districtCode, districtKey, "
                             "ward, wardCode, wardKey FROM admin_units_legacy").fetchall()
    legacy_prov = {(p, c) for p, c, *_ in legacy_rows}
    new_wards = {(w, c) for _, _, _, w, c, _ in new_rows}

    # provinces: same name and code in both lists -> one unit valid in both eras
    for p, c, k, *_ in legacy_rows:
        if k in legacy_prov_key:
            continue
        both = (p, c) in new_prov
        legacy_prov_key[k] = add(f"province-{c}" if both else f"legacy-province-{c}", c, "province", p, "", "",
                                 "" if both else CUTOVER)
    for p, c, k, *_ in new_rows:
        if k not in new_prov_key:
            new_prov_key[k] = add(f"province-{c}", c, "province", p, "", "" if (p, c) in legacy_prov else CUTOVER, "")
    for p, pc, pk, d, dc, dk, w, wc, wk in legacy_rows:
        did = add(f"legacy-district-{dc}", dc, "district", d, legacy_prov_key[pk], "", CUTOVER)
        if w:
            both = (w, wc) in new_wards
            legacy_district[f"commune-{wc}" if both else f"legacy-commune-{wc}"] = did
            legacy_key[f"{pk}_{dk}_{wk}"] = add(f"commune-{wc}" if both else f"legacy-commune-{wc}", wc, "commune",
                                                w, did, "", "" if both else CUTOVER)
        else:  # an island district without communes (Bạch Long Vĩ, Cồn Cỏ, ...)
            legacy_key[f"{pk}_{dk}_"] = did
    for p, pc, pk, w, wc, wk in new_rows:
        uid = f"commune-{wc}"
        if uid in units and units[uid]["name"] == split_kind(w)[1]:
            units[uid]["parent"] = new_prov_key[pk]  # a commune of both eras: its parent now
            new_key[(pk, wk)] = uid
            continue
        new_key[(pk, wk)] = add(uid, wc, "commune", w, new_prov_key[pk], CUTOVER, "")

    changes: set[tuple[str, str, str, str, str]] = set()
    for npk, olds in conv["DICT_PROVINCE"].items():
        for opk in olds:
            a, b = legacy_prov_key[opk], new_prov_key[npk]
            if a != b:
                changes.add((a, b, "whole", CUTOVER, ACT_PROVINCES))
    parts: dict[str, set[str]] = defaultdict(set)
    for npk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for nwk, olds in wards.items():
            for ok in olds:
                parts[legacy_key[ok]].add(new_key[(npk, nwk)])
    for npk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for ok, news in olds.items():
            for n in news:
                parts[legacy_key[ok]].add(new_key[(npk, n["newWardKey"])])
    district_parts: dict[str, set[str]] = defaultdict(set)
    for old, news in parts.items():
        u = units[old]
        district = old if u["level"] == "district" else legacy_district[old]
        district_parts[district] |= news
        for n in news:
            if n != old:
                changes.add((old, n, "whole" if len(news) == 1 else "part", CUTOVER,
                             ACT_DISTRICTS if u["level"] == "district" else ACT_COMMUNES))
    for district, news in district_parts.items():
        for n in news:  # the district's territory went to these communes, each holding a part
            changes.add((district, n, "part", CUTOVER, ACT_DISTRICTS))
        provinces = {units[n]["parent"] for n in news}
        for p in provinces:  # and its province-wide tasks to the province
            changes.add((district, p, "part", CUTOVER, ACT_DISTRICTS))

    args.out.mkdir(parents=True, exist_ok=True)
    order = {"province": 0, "district": 1, "commune": 2}
    rows = sorted(units.values(), key=lambda u: (order[u["level"]], u["code"], u["id"]))
    with open(args.out / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "code", "level", "kind", "name", "parent", "valid_from", "valid_until"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(args.out / "changes.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["original", "resulting", "share", "date", "act"])
        w.writerows(sorted(changes))
    count = defaultdict(int)
    for u in rows:
        era = "legacy" if u["valid_until"] else ("new" if u["valid_from"] else "both")
        count[(u["level"], era)] += 1
    lines = [f"- {lvl} {era}: {n}" for (lvl, era), n in sorted(count.items())]
    (args.out / "SOURCE.md").write_text(
        "# Administrative units\n\n"
        f"Generated by `scripts/gen_units.py` from the PyPI package `vietnamadminunits` {version}\n"
        "(https://github.com/tranngocminhhieu/vietnamadminunits, MIT License, (c) 2025 Tran Ngoc Minh Hieu),\n"
        "its files `data/dataset.db` and `data/converter_2025.json`.\n\n"
        "Era: `both` = same code, kind and name before and after 1/7/2025 (one unit); `legacy` = valid until\n"
        "1/7/2025; `new` = from 1/7/2025.\n\n"
        "Corrected: a name's first letter is a capital (the package writes \"é Tòng\" for xã É Tòng).\n\n"
        + "\n".join(lines) +
        f"\n- changes: {len(changes)}\n", encoding="utf-8")
    print(f"{len(rows)} units, {len(changes)} changes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
