"""Issue 10: administrative units with codes and time, agencies through the 2025 mergers, duties "now".

Real names only: the seed plans of An Giang (305/KH-UBND, Sở Kế hoạch và Đầu tư tỉnh An Giang),
Lạng Sơn (94/KH-UBND) and Tràng Định district, and the official unit lists of data/units/.
"""

from __future__ import annotations

import json

from rdflib import Literal, URIRef

from kg import iri
from kg.namespaces import VND, sparql_prologue
from kg.succession import Successions, rules
from kg.units import all_province_names, load, province_names

AG_KHDT = iri.agency("Sở Kế hoạch và Đầu tư tỉnh An Giang")
AG_TC = iri.agency("Sở Tài chính tỉnh An Giang")


# --- units as data -------------------------------------------------------------
def test_unit_lists_of_both_eras():
    u = load()
    assert len(u.provinces("2025-06-30")) == 63
    assert len(u.provinces()) == 34
    assert len([x for x in u if x.level == "district"]) == 696
    assert len([x for x in u if x.level == "commune" and x.current]) == 3321
    assert len([x for x in u if x.level == "commune" and x.valid_on("2025-06-30")]) == 10035
    assert len(province_names()) == 34 and "Kiên Giang" not in province_names()
    assert {"Kiên Giang", "An Giang", "Lạng Sơn", "Hà Giang"} <= set(all_province_names())


def test_every_unit_name_starts_with_a_capital_or_a_digit():
    # as official names are written (the source package writes "é Tòng" for xã É Tòng of huyện Thuận Châu)
    bad = [(x.id, x.name) for x in load() if not (x.name[:1].isupper() or x.name[:1].isdigit())]
    assert bad == []


def test_lang_son_is_one_province_in_both_eras():
    u = load()
    ls = u.find("tỉnh", "Lạng Sơn")
    assert ls == u.find("tỉnh", "Lang Son", prefer="legacy")  # one unit, whatever the era asked
    assert (ls.id, ls.code, ls.valid_from, ls.valid_until) == ("province-20", "20", None, None)


def test_an_giang_absorbed_kien_giang():
    u = load()
    old, new = u.find("tỉnh", "An Giang", prefer="legacy"), u.find("tỉnh", "An Giang")
    kg_ = u.find("tỉnh", "Kiên Giang")
    assert (old.code, old.valid_until) == ("89", "2025-07-01")
    assert (new.code, new.valid_from, new.current) == ("91", "2025-07-01", True)
    assert {c.resulting for c in u.successors(kg_.id)} == {new.id}
    assert {c.original for c in u.predecessors(new.id) if u.get(c.original).level == "province"} == {old.id, kg_.id}


def test_trang_dinh_district_is_now_seven_communes_of_lang_son():
    u = load()
    td = u.find("huyện", "Tràng Định")
    assert (td.code, td.parent, td.valid_until) == ("180", "province-20", "2025-07-01")
    now = u.current_units(td.id)
    communes = sorted(x.name for x in now if x.level == "commune")
    assert communes == sorted(["Đoàn Kết", "Quốc Khánh", "Tân Tiến", "Kháng Chiến", "Thất Khê", "Tràng Định",
                               "Quốc Việt"])
    assert [x.name for x in now if x.level == "province"] == ["Lạng Sơn"]
    assert {c.share for c in u.successors(td.id)} == {"part"}


def test_names_an_extractor_can_check_against_the_unit_list():
    u = load()
    assert u.find("tỉnh", "Thừa Thiên Huế").id == "province-46"  # the former name of Thành phố Huế
    unit, name = u.longest_prefix("tỉnh", "Bình Phước Sửa đổi")  # a place read with the words after it
    assert (unit.code, name) == ("70", "Bình Phước")
    assert u.longest_prefix("tỉnh", "Quy định") == (None, "")


# --- the curated succession table --------------------------------------------------
def test_every_row_cites_an_act_and_a_date():
    for r in rules():
        assert r.act and r.sources and r.date in ("2025-03-01", "2025-07-01"), r
        assert r.share in ("whole", "part") and r.level in ("central", "province", "district"), r


def test_kien_giang_planning_department_ends_in_an_giang_finance_department():
    s = Successions()
    [(holder, path)] = s.current_holders("Sở Kế hoạch và Đầu tư tỉnh Kiên Giang")
    assert holder == "Sở Tài chính tỉnh An Giang"
    assert [(p.successor, p.act, p.date) for p in path] == [
        ("Sở Tài chính tỉnh Kiên Giang", "45/2025/NĐ-CP", "2025-03-01"),
        ("Sở Tài chính tỉnh An Giang", "202/2025/QH15", "2025-07-01")]
    assert s.current_holders("Sở Tài chính tỉnh An Giang") == [("Sở Tài chính tỉnh An Giang", [])]


def test_labour_ministry_split_among_three_each_one_of_several():
    steps = Successions().steps("Bộ Lao động - Thương binh và Xã hội")
    assert {s.successor for s in steps} == {"Bộ Nội vụ", "Bộ Y tế", "Bộ Giáo dục và Đào tạo"}
    assert {s.share for s in steps} == {"part"} and {s.act for s in steps} == {"176/2025/QH15"}


# --- in the graph ----------------------------------------------------------------
def ask(g, q: str) -> list:
    return list(g.query(sparql_prologue() + q))


def test_graph_has_units_with_codes_levels_parents_and_validity(seed_graph):
    provinces = ask(seed_graph, "SELECT ?u WHERE { ?u a vnd:AdminUnit ; m8g:level vnd:ProvinceLevel }")
    assert len(provinces) == 70  # 63 legacy and 34 new, 27 of them the same unit in both lists
    districts = ask(seed_graph, "SELECT ?u WHERE { ?u a vnd:AdminUnit ; m8g:level vnd:DistrictLevel }")
    assert len(districts) == 696
    ls = iri.unit("province-20")
    assert (ls, URIRef("http://www.w3.org/2004/02/skos/core#notation"), Literal("20")) in seed_graph
    td = iri.unit("legacy-district-180")
    assert (td, URIRef("https://schema.org/containedInPlace"), ls) in seed_graph
    assert ask(seed_graph, f"ASK {{ <{td}> prov:invalidatedAtTime ?t }}")[0]
    assert not ask(seed_graph, f"ASK {{ <{ls}> prov:invalidatedAtTime ?t }}")[0]


def test_agencies_point_to_unit_nodes_of_their_era(seed_graph):
    assert (iri.agency("Sở Y tế tỉnh Lạng Sơn"), VND.jurisdiction, iri.unit("province-20")) in seed_graph
    assert (AG_KHDT, VND.jurisdiction, iri.unit("legacy-province-89")) in seed_graph
    assert (AG_TC, VND.jurisdiction, iri.unit("province-91")) in seed_graph
    assert (iri.agency("Ủy ban nhân dân huyện Tràng Định"), VND.jurisdiction,
            iri.unit("legacy-district-180")) in seed_graph


def test_successions_are_change_events_with_act_date_and_share(seed_graph):
    rows = ask(seed_graph, f"""SELECT ?e ?date ?act ?part WHERE {{
        ?e a vnd:Succession ; org:originalOrganization <{AG_KHDT}> ; org:resultingOrganization <{AG_TC}> ;
           dct:date ?date ; vnd:actNumber ?act . OPTIONAL {{ ?e vnd:oneOfSeveral ?part }} }}""")
    assert [(str(r.date), str(r.act), r.part) for r in rows] == [("2025-03-01", "45/2025/NĐ-CP", None)]
    assert (AG_KHDT, VND.succeededBy, AG_TC) in seed_graph
    held = ask(seed_graph, f"""SELECT ?b WHERE {{ <{iri.agency('Ủy ban nhân dân huyện Tràng Định')}> vnd:succeededBy ?b .
        ?e org:originalOrganization <{iri.agency('Ủy ban nhân dân huyện Tràng Định')}> ;
           org:resultingOrganization ?b ; vnd:oneOfSeveral true }}""")
    assert len(held) == 8  # seven communes and the province
    kg_ = ask(seed_graph, f"""SELECT ?e WHERE {{ ?e org:originalOrganization <{iri.unit('legacy-province-91')}> ;
        org:resultingOrganization <{iri.unit('province-91')}> ; vnd:actNumber "202/2025/QH15" }}""")
    assert len(kg_) == 1


# --- kg duties --now, queries/current-holders.rq -------------------------------------


def test_duties_now_inherits_the_planning_department_s_duties(kg):
    status, out, _ = kg("duties", "Sở Tài chính", "--in", "An Giang", "--now", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    own = [r for r in rows if not r["succession"]]
    inherited = [r for r in rows if r["succession"]]
    assert own and inherited
    assert {r["held_by_label"] for r in inherited} == {"Sở Kế hoạch và Đầu tư tỉnh An Giang"}
    assert all("45/2025/NĐ-CP" in r["succession"] and r["one_of_several"] is False for r in inherited)
    plain = json.loads(kg("duties", "Sở Tài chính", "--in", "An Giang", "--format", "json")[1])
    assert len(plain) == len(own)
    status, out, _ = kg("duties", "Sở Tài chính", "--in", "An Giang", "--now")
    assert "assigned to Sở Kế hoạch và Đầu tư tỉnh An Giang" in out and "inherited" in out.splitlines()[0]


def test_duties_now_of_a_new_commune_holds_its_share_of_trang_dinh_s_plan(kg):
    status, out, _ = kg("duties", "Ủy ban nhân dân xã Tràng Định", "--now", "--format", "json")
    rows = json.loads(out)
    assert status == 0 and rows
    assert all(r["one_of_several"] for r in rows)
    assert "Ủy ban nhân dân huyện Tràng Định" in {r["held_by_label"] for r in rows}


def test_current_holders_of_the_trang_dinh_plan(kg):
    status, out, _ = kg("query", "current-holders", "--param", "doc=Kế hoạch của Ủy ban nhân dân huyện Tràng Định",
                        "--format", "json")
    rows = json.loads(out)
    assert status == 0
    assert not any(r["holder_label"].endswith("huyện Tràng Định") for r in rows)  # the district is gone
    fin = {r["holder_label"] for r in rows if r["assigned_label"] == "Phòng Tài chính - Kế hoạch huyện Tràng Định"}
    assert "Sở Tài chính tỉnh Lạng Sơn" in fin and "Ủy ban nhân dân xã Tràng Định" in fin and len(fin) == 8
    assert all(r["one_of_several"] for r in rows if r["assigned_label"].endswith("huyện Tràng Định"))


# --- kg coverage -------------------------------------------------------------------
def test_coverage_of_01_qd_ttg_against_63_then_and_34_now(kg):
    status, out, _ = kg("coverage", "01/QĐ-TTg", "--format", "json")
    assert status == 0
    c = json.loads(out)
    assert c["date"] == "2023-01-03" and len(c["then"]) == 63 and len(c["now"]) == 34
    then = {r["province"] for r in c["then"] if r["covered"]}
    now = {(r["code"], r["province"]) for r in c["now"] if r["covered"]}
    assert then == {"Tỉnh Lạng Sơn", "Tỉnh An Giang"}
    assert now == {("20", "Tỉnh Lạng Sơn"), ("91", "Tỉnh An Giang")}  # An Giang of today: code 91
    ls = next(r for r in c["then"] if r["province"] == "Tỉnh Lạng Sơn")
    assert any(d["number"] == "94/KH-UBND" for d in ls["documents"])
    assert any(d["place"] == "huyện Tràng Định" for d in ls["documents"])  # a district's plan counts for its province
    status, out, _ = kg("coverage", "01/QĐ-TTg")
    assert "2 of 63" in out and "2 of 34" in out and "Tỉnh Kiên Giang" in out
