"""kg.analytics: the network, cascades, rankings, components; kg.trace's reduction rule."""

from __future__ import annotations

import pytest

from kg import analytics, queries
from kg.trace import reduce_links


@pytest.fixture(scope="module")
def net(seed_store):
    return analytics.network(seed_store)


def test_cascade_of_the_scheme_of_01(net):
    (cascade,) = [c for c in analytics.cascades(net) if "Hỗ trợ hợp tác xã" in c.label]
    names = {lv: [analytics.label(net, n) for n in v] for lv, v in cascade.levels.items()}
    assert "Quyết định 01/QĐ-TTg" in names[0]
    # 235/KH-ĐCT, the Women's Union's plan "thực hiện Quyết định số 01/QĐ-TTg", is cited by the Tràng Định plan
    assert {"Kế hoạch 305/KH-UBND", "Kế hoạch 94/KH-UBND", "Kế hoạch của Liên minh Hợp tác xã Việt Nam",
            "Kế hoạch 235/KH-ĐCT"} == set(names[1])
    assert names[2] == ["Kế hoạch của Ủy ban nhân dân huyện Tràng Định"]
    assert (cascade.depth, cascade.breadth, cascade.documents) == (2, 4, 5)


def test_agency_ranking_agrees_with_the_query(net, seed_store):
    rows = queries.run(seed_store, "agencies-by-duties")
    by_query = {str(r["agency"]): (int(r["lead"]), int(r["partner"])) for r in rows}
    for agency, _, lead, partner in analytics.agency_duties(net, top=None):
        assert by_query[agency] == (lead, partner)
    assert analytics.agency_duties(net, 1)[0][1] == str(rows[0]["agency_label"])


def test_most_cited_and_components(net):
    cited = dict((lbl, n) for _, lbl, n in analytics.most_cited(net, None))
    assert cited["Quyết định 01/QĐ-TTg"] >= 3
    comps = analytics.components(net)
    labels = {analytics.label(net, n) for n in comps[0]}
    assert {"Quyết định 01/QĐ-TTg", "Kế hoạch 305/KH-UBND", "Kế hoạch 94/KH-UBND"} <= labels
    assert sum(map(len, comps)) == sum(1 for _, d in net.nodes(data=True) if d["kind"] in ("document", "scheme"))


def test_compare_targets_side_by_side(seed_store):
    rows = queries.run(seed_store, "scheme-targets", {"scheme": "01/QĐ-TTg", "unit": "hợp tác xã"})
    table = {r["year"]: r for r in analytics.compare_targets(rows)}
    assert table["2025"]["tỉnh Lạng Sơn"] == "20–25"
    assert table["2025"]["huyện Tràng Định"] == "2–3"


def test_pyvis_view_needs_no_internet(net):
    html = analytics.to_pyvis(net).generate_html()
    assert "vis-network" in html and "<script src=\"http" not in html


# "Tràng Định was shown twice": under 01/QĐ-TTg (inferred) and under 94/KH-UBND
def test_reduce_links_keeps_the_most_specific_parent():
    links = {("td", "94"), ("td", "01"), ("td", "scheme"), ("94", "01"), ("94", "scheme"), ("305", "01")}
    assert reduce_links(links, {"scheme"}) == {("td", "94"), ("94", "01"), ("305", "01")}


def test_reduce_links_keeps_a_scheme_when_it_is_the_only_parent():
    assert reduce_links({("a", "scheme"), ("b", "a")}, {"scheme"}) == {("a", "scheme"), ("b", "a")}


def test_reduce_links_survives_a_cycle():
    assert reduce_links({("a", "b"), ("b", "a")}, set()) <= {("a", "b"), ("b", "a")}


def test_rule_3_keeps_the_parent_of_the_same_line_of_bodies():
    # the Tràng Định plan is based on Lạng Sơn's 94/KH-UBND and on the Women's Union's 235/KH-ĐCT
    from kg.trace import prefer_same_line

    links = {("td", "94"), ("td", "235"), ("94", "01")}
    issuers = {"td": "Ủy ban nhân dân huyện Tràng Định", "94": "Ủy ban nhân dân tỉnh Lạng Sơn",
               "235": "Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "01": "Thủ tướng Chính phủ"}
    assert prefer_same_line(links, issuers) == {("td", "94"), ("94", "01")}
    # a commune plan under a district plan rather than the province plan it also cites
    links = {("xa", "huyen"), ("xa", "tinh")}
    issuers = {"xa": "Ủy ban nhân dân xã Đề Thám", "huyen": "Ủy ban nhân dân huyện Tràng Định",
               "tinh": "Ủy ban nhân dân tỉnh Lạng Sơn"}
    assert prefer_same_line(links, issuers) == {("xa", "huyen")}
