"""kg trace, duties, query, stats and export, run in-process."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest


def test_trace_down_puts_trang_dinh_under_94_once(kg):
    status, out, _ = kg("trace", "01/QĐ-TTg", "--down")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Quyết định 01/QĐ-TTg")
    assert sum("Tràng Định" in line for line in lines) == 1
    i94 = next(i for i, line in enumerate(lines) if "94/KH-UBND" in line)
    assert "Tràng Định" in lines[i94 + 1] and lines[i94 + 1].index("└") > lines[i94].index("├")
    assert any("305/KH-UBND" in line for line in lines)
    assert any("Liên minh Hợp tác xã Việt Nam" in line for line in lines)


def test_trace_forgives_case_and_diacritics(kg):
    assert kg("trace", "01/qd-ttg")[1] == kg("trace", "01/QĐ-TTg")[1]


def test_trace_up_json_is_the_chain_to_the_root(kg):
    status, out, _ = kg("trace", "ke hoach huyen trang dinh", "--up", "--format", "json")
    assert status == 0
    root = json.loads(out)
    chain = []
    node = root
    while node["children"]:
        assert len(node["children"]) == 1
        node = node["children"][0]
        chain.append(node["number"])
    assert chain == ["94/KH-UBND", "01/QĐ-TTg"]


def test_trace_csv_has_depths(kg):
    rows = list(csv.DictReader(io.StringIO(kg("trace", "01/QĐ-TTg", "--format", "csv")[1])))
    depth = {r["label"]: int(r["depth"]) for r in rows}
    assert depth["Quyết định 01/QĐ-TTg"] == 0 and depth["Kế hoạch 94/KH-UBND"] == 1
    assert depth["Kế hoạch của Ủy ban nhân dân huyện Tràng Định"] == 2


def test_trace_unknown_document_suggests(kg):
    status, _, err = kg("trace", "99999/QĐ-XYZ")
    assert status == 1 and "no document matches" in err


def test_duties_so_cong_thuong_in_an_giang(kg):
    status, out, _ = kg("duties", "Sở Công Thương", "--in", "An Giang")
    assert status == 0
    assert out.startswith("Sở Công Thương tỉnh An Giang: 8 duty(ies)")
    assert out.count("[lead] Kế hoạch 305/KH-UBND") == 8
    assert "xúc tiến thương mại" in out  # from the plan's "Tổ chức thực hiện"
    assert "khuyến công" in out  # from an annex row


@pytest.mark.parametrize("name", ["so cong thuong an giang", "SỞ CÔNG THƯƠNG tỉnh An Giang",
                                  "Sở Công thương An Giang", "so cong thuong"],
                         ids=["no-diacritics", "upper-case", "lower-case-thuong", "name-only-with-in"])
def test_duties_lookup_forgives(kg, name):
    extra = ("--in", "an giang") if name == "so cong thuong" else ()
    status, out, _ = kg("duties", name, *extra, "--format", "json")
    assert status == 0 and len(json.loads(out)) == 8


def test_duties_tone_placement_is_forgiven(kg):
    # "Hoà" (old placement) and "Hòa" (new) name the same agency
    old = kg("duties", "Phòng Nông nghiệp và Phát triển nông thôn huyện Tràng Định", "--format", "csv")[1]
    assert old and old == kg("duties", "phong nong nghiep va phat trien nong thon trang dinh", "--format", "csv")[1]


def test_duties_ambiguous_lists_candidates(kg):
    status, out, err = kg("duties", "Sở Công Thương")
    assert status == 1 and out == ""
    assert "Sở Công Thương tỉnh An Giang" in err and "Sở Công Thương tỉnh Lạng Sơn" in err


def test_duties_unknown_suggests_the_closest(kg):
    status, _, err = kg("duties", "so cong thuongg")
    assert status == 1 and "no agency matches" in err and "did you mean" in err
    assert "Sở Công Thương" in err


def test_duties_role_filter(kg):
    rows = json.loads(kg("duties", "Hội Liên hiệp Phụ nữ", "--in", "An Giang", "--role", "partner",
                         "--format", "json")[1])
    assert rows and {r["duty_role"] for r in rows} == {"partner"}


def test_query_list_and_run_with_params(kg):
    status, out, _ = kg("query", "--list")
    assert status == 0 and "implementation-tree:" in out and "params: doc (IRI, required)" in out
    status, out, _ = kg("query", "documents-by-issuer", "--param", "issuer=uy ban nhan dan tinh lang son", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and "Kế hoạch 94/KH-UBND" in {r["label"] for r in rows}


def test_query_by_file(kg, tmp_path):
    f = tmp_path / "count.rq"
    f.write_text("#+ summary: duties\n#+ params: none\nPREFIX vnd: <https://w3id.org/vn-directives/ontology#>\n"
                 "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a vnd:Duty }\n", encoding="utf-8")
    status, out, _ = kg("query", str(f), "--format", "json")
    _, expected, _ = kg("query", "agencies-by-duties", "--format", "json")
    assert status == 0 and json.loads(out)[0]["n"] >= max(r["total"] for r in json.loads(expected))


@pytest.mark.parametrize("argv,message", [
    (("query", "deadlines", "--param", "from=2024-01-01"), "missing parameter"),
    (("query", "deadlines", "--param", "from"), "NAME=VALUE"),
    (("query", "nope"), "no query"),
], ids=["missing", "no-equals", "unknown-query"])
def test_query_errors(kg, argv, message):
    status, _, err = kg(*argv)
    assert status in (1, 2) and message in err


def test_stats(kg):
    status, out, _ = kg("stats")
    assert status == 0
    assert "depth 2, breadth 4, 5 document(s)" in out
    assert "Hội Liên hiệp Phụ nữ tỉnh An Giang" in out.split("agencies with the most duties")[1].splitlines()[1]
    assert "connected components of documents:" in out
    data = json.loads(kg("stats", "--format", "json")[1])
    assert data["most_cited"][0]["label"] in {"Quyết định 01/QĐ-TTg", data["cascades"][0]["label"]}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_export(kg, tmp_path, fmt):
    target = tmp_path / ("net" if fmt == "csv" else f"net.{fmt}")
    status, out, _ = kg("export", "--format", fmt, "--out", str(target))
    assert status == 0 and "wrote" in out
    if fmt == "graphml":
        g = nx.read_graphml(target)
    elif fmt == "gexf":
        g = nx.read_gexf(target)
    else:
        nodes = list(csv.DictReader((target / "nodes.csv").open(encoding="utf-8")))
        edges = list(csv.DictReader((target / "edges.csv").open(encoding="utf-8")))
        assert {"document", "scheme", "agency"} <= {n["kind"] for n in nodes}
        assert {"implements", "lead", "partner", "cites", "issued_by", "approves"} <= {e["relation"] for e in edges}
        return
    assert g.number_of_nodes() > 50 and g.number_of_edges() > 50


def test_trace_now_names_who_holds_an_abolished_district_plan(kg):
    """Issue 10: the Tràng Định district plan (district abolished on 1/7/2025) is held by Lạng Sơn and 7 communes;
    plans of provinces that still exist carry no such line."""
    status, out, _ = kg("trace", "01/QĐ-TTg", "--now")
    assert status == 0
    now = [line for line in out.splitlines() if "hiện nay:" in line]
    assert len(now) == 1
    assert "huyện Tràng Định (đến 2025-07-01) → tỉnh Lạng Sơn; 7 xã, phường: " in now[0]
    assert "xã Thất Khê" in now[0] and "xã Tràng Định" in now[0]
    assert kg("trace", "01/QĐ-TTg")[1] == "\n".join(ln for ln in out.splitlines() if "hiện nay:" not in ln) + "\n"
    root = json.loads(kg("trace", "ke hoach huyen trang dinh", "--up", "--now", "--format", "json")[1])
    assert root["now"].startswith("huyện Tràng Định") and root["children"][0]["now"] == ""
