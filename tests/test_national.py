"""One node per real thing, at national scale: a small generated national corpus (kg.national) built and checked.

The corpus holds the units that identity by folded name confuses: four communes of Lạng Sơn named "xã Tân Thành"
(three districts) or "xã Tân Thanh"; "xã Hoằng Sơn" and "xã Hoàng Sơn" of Thanh Hóa; "huyện Hà Trung" (read as
"huyện Hà" by a name reader that stops early); "huyện Châu Thành" of Tiền Giang and of Bến Tre; the numbered
"phường 3" of thị xã Cai Lậy; "xã Kim Chung" of huyện Đông Anh and of huyện Hoài Đức (Hà Nội), two communes of one
province with one name; "xã Sông Lô" of thành phố Việt Trì and the xã Sông Lô Phú Thọ formed in 2025; numbered and
apostrophed districts ("quận 11", "huyện Ia H'Drai"), "thành phố Điện Biên Phủ" of the province Điện Biên and "huyện
Vụ Bản".  Plans of one level start at the same number, so same-named issuers share numbers, and a district's plan
has the number of its province's plan, which it cites.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from kg import iri
from kg.build import build
from kg.namespaces import sparql_prologue
from kg.national import generate
from kg.store import LocalStore
from kg.units import load as load_units

UNITS = ["legacy-commune-06166", "legacy-commune-06250", "legacy-commune-06379", "legacy-commune-06442",  # Lạng Sơn
         "legacy-commune-15901", "legacy-commune-16288", "legacy-district-392",  # Thanh Hóa
         "legacy-district-821", "legacy-commune-28437", "legacy-district-831",  # Tiền Giang, Bến Tre
         "legacy-commune-00493", "legacy-commune-09853",  # Hà Nội: xã Kim Chung of Đông Anh and of Hoài Đức
         "legacy-commune-07936",  # xã Sông Lô of thành phố Việt Trì: another xã Sông Lô of Phú Thọ since 2025,
         "legacy-commune-08848",  # which took over xã Đồng Thịnh of huyện Sông Lô
         "legacy-district-772", "legacy-district-618", "legacy-district-094",  # quận 11, huyện Ia H'Drai,
         "legacy-district-359"]  # thành phố Điện Biên Phủ (province Điện Biên), huyện Vụ Bản ("Vụ" heads a body)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    corpus = root / "corpus"
    generate(corpus, schemes=1, seed=3, communes_per_district=2, era="pre2025", only=UNITS,
             first_numbers={"province": (40, 40), "district": (40, 40), "commune": (12, 12)})
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]
    result = build([corpus / f for f in sorted(manifest)], root / "build", workers=2, cache=False)
    return manifest, result, LocalStore.from_build(root / "build"), root / "build"


def _select(store, query):
    return store.select(sparql_prologue() + query)


def test_corpus_has_the_hard_cases(national):
    manifest, *_ = national
    issuers = defaultdict(set)
    for f in manifest.values():
        issuers[(iri.slugify(f["issuer"]), f["number"], f["date"][:4])].add(f["unit"])
    assert any(len(units) > 1 for units in issuers.values()), "no two units share folded name, number and year"
    names = {f["issuer"] for f in manifest.values()}
    for name in ("Ủy ban nhân dân xã Tân Thành", "Ủy ban nhân dân xã Tân Thanh", "Ủy ban nhân dân xã Hoằng Sơn",
                 "Ủy ban nhân dân xã Hoàng Sơn", "Ủy ban nhân dân huyện Hà Trung", "Ủy ban nhân dân phường 3",
                 "Ủy ban nhân dân huyện Châu Thành"):
        assert name in names
    kim_chung = {f["unit_id"] for f in manifest.values() if f["issuer"] == "Ủy ban nhân dân xã Kim Chung"}
    assert kim_chung == {"legacy-commune-00493", "legacy-commune-09853"}


def test_every_plan_is_one_node_at_its_depth(national):
    manifest, result, store, _ = national
    assert sorted(Path(p).name for p in result.built) == sorted(manifest)
    described = defaultdict(set)
    for row in _select(store, "SELECT ?src ?doc WHERE { ?doc vnd:describedIn ?s . ?s dct:identifier ?src }"):
        described[str(row["src"])].add(row["doc"])
    node = {}
    problems = []
    for f in sorted(manifest):
        if len(described[f]) != 1:
            problems.append(f"{f}: {len(described[f])} document nodes {sorted(described[f])}")
        else:
            node[f] = next(iter(described[f]))
    shared = defaultdict(list)
    for f, n in node.items():
        shared[n].append(f)
    problems += [f"{n}: one node for {fs}" for n, fs in shared.items() if len(fs) > 1]
    # the implementation links of each plan (stated and inferred) lead to exactly the documents above it
    up = defaultdict(set)
    for row in _select(store, "SELECT ?a ?b WHERE { ?a eli:ensures_implementation_of ?b . ?b eli:id_local ?n }"):
        up[row["a"]].add(row["b"])
    right = 0
    for f, n in sorted(node.items()):
        expected, p = set(), manifest[f]["parent"]
        while p:
            expected.add(node.get(p, p))
            p = manifest[p]["parent"]
        if up[n] == expected and len(expected) == manifest[f]["depth"]:
            right += 1
        else:
            problems.append(f"{f} (depth {manifest[f]['depth']}): implements {sorted(up[n])}, expected {sorted(expected)}")
    # no document the manifest does not expect (no phantom parent)
    docs = {row["d"] for row in _select(store, "SELECT DISTINCT ?d WHERE { ?d eli:id_local ?n }")}
    problems += [f"phantom document {d}" for d in sorted(docs - set(node.values()))]
    assert not problems, f"{right} of {len(manifest)} plans are one node at the right depth:\n" + "\n".join(problems)


def test_issuers_are_the_units_of_the_manifest(national):
    manifest, _, store, _ = national
    rows = _select(store, """SELECT ?src ?u WHERE { ?doc vnd:describedIn ?s . ?s dct:identifier ?src .
                             ?doc eli:passed_by ?a . ?a vnd:jurisdiction ?u }""")
    got = defaultdict(set)
    for row in rows:
        got[str(row["src"])].add(row["u"])
    units = load_units()

    def same(uid):  # the unit, or the unit of today bearing its name there (a name means today's unit)
        u = units.get(uid)
        return {iri.unit(uid)} | {iri.unit(c.id) for c in units.current_units(uid) if c.label == u.label}

    wrong = [f"{f}: {sorted(got[f])}, expected {iri.unit(m['unit_id'])}" for f, m in sorted(manifest.items())
             if m["unit_id"] and not (len(got[f]) == 1 and got[f] <= same(m["unit_id"]))]
    assert not wrong, "\n".join(wrong)


def _same_unit(units, uid):
    """The unit, or the unit of today bearing its name there (a name means today's unit)."""
    u = units.get(uid)
    return {iri.unit(uid)} | {iri.unit(c.id) for c in units.current_units(uid) if c.label == u.label}


def test_each_issuer_is_its_own_agency(national):
    """One People's Committee per unit: the issuers of plans of two units are two agency nodes, each with one
    jurisdiction, the unit of the manifest."""
    manifest, _, store, _ = national
    rows = _select(store, """SELECT ?src ?a ?u WHERE { ?doc vnd:describedIn ?s . ?s dct:identifier ?src .
                             ?doc eli:passed_by ?a . OPTIONAL { ?a vnd:jurisdiction ?u } }""")
    issuer, juris = defaultdict(set), defaultdict(set)
    for row in rows:
        issuer[str(row["src"])].add(row["a"])
        if row.get("u") is not None:
            juris[row["a"]].add(row["u"])
    units = load_units()
    problems, unit_of = [], defaultdict(set)
    for f, m in sorted(manifest.items()):
        if not m["unit_id"]:
            continue
        if len(issuer[f]) != 1:
            problems.append(f"{f}: issuers {sorted(issuer[f])}")
            continue
        a = next(iter(issuer[f]))
        unit_of[a].add(m["unit_id"])
        if not (len(juris[a]) == 1 and juris[a] <= _same_unit(units, m["unit_id"])):
            problems.append(f"{f}: {a} has jurisdiction {sorted(juris[a])}, expected {iri.unit(m['unit_id'])}")
    problems += [f"{a}: one agency for the units {sorted(u)}" for a, u in sorted(unit_of.items()) if len(u) > 1]
    assert not problems, "\n".join(problems)


def test_local_bodies_belong_to_their_unit(national):
    """A body a district's or commune's plan names without a place ("Hội Liên hiệp Phụ nữ xã", "Phòng Tài chính -
    Kế hoạch") is that unit's: its jurisdiction is the unit, and no two units' plans share a body."""
    manifest, _, store, _ = national
    rows = _select(store, """SELECT DISTINCT ?src ?a ?u WHERE { ?doc vnd:describedIn ?s . ?s dct:identifier ?src .
                             ?doc vnd:assignsDuty ?d . { ?d vnd:leadAgency ?a } UNION { ?d vnd:partnerAgency ?a }
                             OPTIONAL { ?a vnd:jurisdiction ?u } }""")
    units = load_units()
    juris, used = defaultdict(set), defaultdict(set)
    for row in rows:
        m = manifest.get(str(row["src"]))
        if m is None or m["level"] not in ("district", "commune"):
            continue
        used[row["a"]].add(m["unit_id"])
        if row.get("u") is not None:
            juris[(str(row["src"]), row["a"])].add(row["u"])
    problems = []
    for (f, a), us in sorted(juris.items()):
        if not (len(us) == 1 and us <= _same_unit(units, manifest[f]["unit_id"])):
            problems.append(f"{f}: {a} has jurisdiction {sorted(us)}, expected {iri.unit(manifest[f]['unit_id'])}")
    problems += [f"{a}: one body for the units {sorted(u)}" for a, u in sorted(used.items()) if len(u) > 1]
    communes = {m["unit_id"] for m in manifest.values() if m["level"] == "commune"}
    bodies = {a for a, u in used.items() if u <= communes}
    assert len(bodies) >= 5 * len(communes), f"{len(bodies)} commune bodies for {len(communes)} communes"
    assert not problems, "\n".join(problems)


def test_shacl_is_clean(national):
    _, result, _, out = national
    assert result.violations == 0
    assert json.loads((out / "build.json").read_text(encoding="utf-8"))["shacl_violations"] == 0


def test_generation_is_reproducible(tmp_path):
    a = generate(tmp_path / "a", schemes=2, seed=5, provinces=2, communes_per_district=1, districts_per_province=2)
    b = generate(tmp_path / "b", schemes=2, seed=5, provinces=2, communes_per_district=1, districts_per_province=2)
    assert a["documents"] == b["documents"] == 2 * (1 + 2 + 4 + 4)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_units_of_one_name_and_province_at_one_time_share_a_slug():
    units = load_units()
    assert units.shares_slug("legacy-commune-00493") and units.shares_slug("legacy-commune-09853")  # xã Kim Chung
    assert not units.shares_slug("legacy-province-89") and not units.shares_slug("province-91")  # An Giang, two eras
    assert not units.shares_slug("province-01")  # Hà Nội, one unit of both eras
    assert iri.agency("Ủy ban nhân dân xã Kim Chung", "legacy-commune-00493") != \
        iri.agency("Ủy ban nhân dân xã Kim Chung", "legacy-commune-09853")


def test_a_commune_under_its_district_names_its_own_bodies():
    """A commune's header names its district above it; its bodies named without a place are the commune's, a
    district office named in it is the district's."""
    from kg.extract import extract_text

    text = "\n".join(["UBND HUYỆN QUỐC OAI", "UBND XÃ CỘNG HÒA", "-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", "", "Số: 28/KH-UBND", "Cộng Hòa, ngày 13 tháng 05 năm 2023", "",
                      "KẾ HOẠCH", "Thực hiện Đề án trên địa bàn xã", "", "I. TỔ CHỨC THỰC HIỆN", "",
                      "1. Hội Liên hiệp Phụ nữ xã chủ trì, phối hợp với Công an xã và Phòng Tài chính - Kế hoạch "
                      "tuyên truyền, vận động hội viên.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"])
    doc = extract_text(text, "commune.txt").documents[0]
    assert doc.issuer == "Ủy ban nhân dân xã Cộng Hòa" and doc.issuer_within == "huyện Quốc Oai"
    assert {d.agency for d in doc.duties} == {"Hội Liên hiệp Phụ nữ xã Cộng Hòa", "Công an xã Cộng Hòa",
                                              "Phòng Tài chính - Kế hoạch huyện Quốc Oai"}


def test_the_header_tells_same_named_communes_apart_without_the_district_s_plan(national, tmp_path):
    """Two plans of xã Kim Chung that do not cite their district's plan: the district their header names above
    the commune tells which commune issued each."""
    manifest, _, _, out = national
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f, m in manifest.items():
        if m["issuer"] == "Ủy ban nhân dân xã Kim Chung":
            district = manifest[m["parent"]]
            lines = (out.parent / "corpus" / f).read_text(encoding="utf-8").split("\n")
            kept = [ln for ln in lines if district["number"] not in ln]
            assert len(kept) < len(lines)
            (corpus / f).write_text("\n".join(kept), encoding="utf-8")
    build(sorted(corpus.iterdir()), tmp_path / "build", workers=1, cache=False)
    store = LocalStore.from_build(tmp_path / "build")
    rows = _select(store, """SELECT ?src ?u WHERE { ?doc vnd:describedIn ?s . ?s dct:identifier ?src .
                             ?doc eli:passed_by ?a . ?a vnd:jurisdiction ?u }""")
    got = {str(r["src"]): r["u"] for r in rows}
    assert got == {f: iri.unit(manifest[f]["unit_id"]) for f in got} and len(got) == 2
