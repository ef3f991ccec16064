"""Every list of documents on the web shows type, number, issuer's place and date, from one function."""

from __future__ import annotations

import html
import json
import re
import urllib.request

import pytest

from kg.web.labels import document_label, label_lines, place_name

PLAN_305 = "Kế hoạch 305/KH-UBND · An Giang · 22/03/2024"
PLAN_94 = "Kế hoạch 94/KH-UBND · Lạng Sơn · 16/04/2023"
DECISION = "Quyết định 01/QĐ-TTg · Thủ tướng Chính phủ · 03/01/2023"
DISTRICT_PLAN = "Kế hoạch của Ủy ban nhân dân huyện Tràng Định"


def test_the_label_names_type_number_place_and_date():
    assert document_label("Kế hoạch 305/KH-UBND", "305/KH-UBND", "Kế hoạch", place_name("tỉnh An Giang", True),
                          "Ủy ban nhân dân tỉnh An Giang", "2024-03-22") == PLAN_305
    # a central issuer has no place: its name says which one
    assert document_label("", "01/QĐ-TTg", "Quyết định", "", "Thủ tướng Chính phủ", "2023-01-03") == DECISION
    # no number: the issuer
    assert document_label("Kế hoạch của Ủy ban nhân dân huyện Tràng Định", "", "Kế hoạch", "huyện Tràng Định",
                          "Ủy ban nhân dân huyện Tràng Định") == DISTRICT_PLAN
    assert document_label("Đề án “X”") == "Đề án “X”"
    assert place_name("huyện Tràng Định") == "huyện Tràng Định" and place_name("thành phố Hà Nội", True) == "Hà Nội"


def test_network_labels_keep_the_identifying_parts_on_short_lines():
    assert label_lines(PLAN_305) == ["Kế hoạch 305/KH-UBND", "An Giang · 22/03/2024"]
    assert label_lines(DISTRICT_PLAN) == ["Kế hoạch của Ủy ban nhân dân huyện", "Tràng Định"]
    assert all(len(x) <= 34 for x in label_lines("Đề án " + "rất dài " * 30))


def body(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.read().decode("utf-8")


def link_texts(page: str, href: str) -> list[str]:
    """The text of every link to `href` (exactly, or with a #fragment) on a page."""
    pattern = rf'<a href="{re.escape(href)}(?:#[^"]*)?"[^>]*>([^<]*)</a>'
    return [html.unescape(t).strip() for t in re.findall(pattern, page)]


@pytest.mark.parametrize("path", ["/doc/01-qd-ttg-2023",
                                  "/scheme/ho-tro-hop-tac-xa-do-phu-nu-tham-gia-quan-ly-tao-viec-lam-f8ec88",
                                  "/search?q=305", "/search?q=ke+hoach", "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang",
                                  "/agency/uy-ban-nhan-dan-tinh-an-giang", "/doc/748-kh-ubnd-tinh-an-giang-2023"])
def test_every_link_to_a_plan_carries_its_place_and_date(base, path):
    page = body(base, path)
    texts = [t for t in link_texts(page, "/doc/305-kh-ubnd-tinh-an-giang-2024") if "305/KH-UBND" in t]
    assert texts, f"{path} does not list 305/KH-UBND"
    assert set(texts) == {PLAN_305}
    # nowhere a bare "Kế hoạch 305/KH-UBND" that two provinces could share
    assert not re.search(r">\s*Kế hoạch 305/KH-UBND\s*<", page)


def test_cascade_lists_and_search_tell_provinces_apart(base):
    assert DECISION in link_texts(body(base, "/"), "/doc/01-qd-ttg-2023")  # home: most implemented documents
    page = body(base, "/doc/01-qd-ttg-2023")
    assert PLAN_94 in link_texts(page, "/doc/94-kh-ubnd-tinh-lang-son-2023")
    page = body(base, "/search?q=ke+hoach")
    assert DISTRICT_PLAN in link_texts(page, "/doc/ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86")
    # the agency page's document filter too
    page = body(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    option = rf'<option value="doc/305-kh-ubnd-tinh-an-giang-2024">{re.escape(PLAN_305)} — \d+ nhiệm vụ'
    assert re.search(option, page)


def test_network_nodes_are_labelled_by_the_same_function(base):
    page = body(base, "/network/doc/01-qd-ttg-2023")
    data = json.loads(re.search(r'<script id="network-data" type="application/json">(.*?)</script>', page, re.S)[1])
    nodes = {n["id"].rsplit("/", 1)[-1]: n for n in data["nodes"]}
    assert nodes["305-kh-ubnd-tinh-an-giang-2024"]["label"] == "Kế hoạch 305/KH-UBND\nAn Giang · 22/03/2024"
    assert nodes["305-kh-ubnd-tinh-an-giang-2024"]["title"].startswith(PLAN_305)
    assert nodes["01-qd-ttg-2023"]["title"].startswith(DECISION)
    assert nodes["ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"]["label"].replace("\n", " ") == DISTRICT_PLAN
