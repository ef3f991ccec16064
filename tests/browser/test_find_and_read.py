"""In Chromium: a misspelt search still finds its way, documents are told apart by their labels,
an agency's duties are counted once, and a long plan has a table of contents and keeps its order."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

PLAN_305 = "Kế hoạch 305/KH-UBND · An Giang · 22/03/2024"
PLAN_94 = "Kế hoạch 94/KH-UBND · Lạng Sơn · 16/04/2023"


def search_from_home(page, base: str, text: str) -> None:
    page.goto(base + "/")
    page.fill("main input[name=q]", text)
    page.press("main input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=.*"))


# -- (a) search forgives typos ---------------------------------------------------------------------------------
def test_misspelt_search_offers_the_closest_agency_and_opens_it(page, base, shots):
    search_from_home(page, base, "so cong thong an giang")
    box = page.locator("#goi-y")
    assert box.is_visible() and box.inner_text().startswith("Có phải bạn muốn tìm")
    first = box.locator("a").first
    assert first.inner_text() == "Sở Công Thương tỉnh An Giang"
    page.screenshot(path=str(shots / "20-search-did-you-mean.png"), full_page=True)
    first.click()
    page.wait_for_url(re.compile(r".*/agency/so-cong-thuong-tinh-an-giang$"))
    assert page.locator("h1").inner_text() == "Sở Công Thương tỉnh An Giang"


@pytest.mark.parametrize("query", ["kế hoạch số 305/KH-UBND An Giang", "305/kh-ubnd"])
def test_an_exact_document_number_is_the_first_result(page, base, query):
    search_from_home(page, base, query)
    first = page.locator("main ul[data-kind=document] li").first
    assert first.locator("a").inner_text() == PLAN_305
    assert first.locator(".badge.exact").is_visible()


def test_the_header_box_never_shows_the_sparql_text(page, base, shots):
    page.goto(base + "/query")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#results")
    assert "SELECT" in page.locator("main textarea").input_value()
    assert page.locator("header input[name=q]").input_value() == ""
    page.screenshot(path=str(shots / "21-query-header-empty.png"), full_page=False)
    search_from_home(page, base, "so tai chinh")
    assert page.locator("header input[name=q]").input_value() == "so tai chinh"


# -- (b) labels that identify ----------------------------------------------------------------------------------
def test_lists_and_network_show_type_number_place_and_date(page, base, shots):
    page.goto(base + "/doc/01-qd-ttg-2023")
    below = page.locator("#he-thong").locator("xpath=following-sibling::div[1]").inner_text()
    assert PLAN_305 in below and PLAN_94 in below
    page.goto(base + "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    assert page.locator("#duties a", has_text="305/KH-UBND").first.inner_text() == PLAN_305
    page.goto(base + "/search?q=ke+hoach")
    assert PLAN_305 in page.locator("main ul[data-kind=document]").inner_text()
    page.goto(base + "/network/doc/01-qd-ttg-2023")
    page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'")
    node = page.evaluate("window.kgNodes.get('https://w3id.org/vn-directives/id/doc/305-kh-ubnd-tinh-an-giang-2024')")
    assert node["label"].split("\n") == ["Kế hoạch 305/KH-UBND", "An Giang · 22/03/2024"]
    assert node["title"].startswith(PLAN_305)
    page.screenshot(path=str(shots / "22-network-labels.png"), full_page=False)


# -- (c) one count of duties -----------------------------------------------------------------------------------
def test_agency_page_home_and_cli_agree_and_no_duty_shows_twice(page, base, seed_build, shots):
    cli = subprocess.run([sys.executable, "-m", "kg.cli", "duties", "Sở Công Thương tỉnh An Giang",
                          "--build", str(seed_build[1])], capture_output=True, text=True, check=True)
    n_cli = int(re.match(r".*: (\d+) duty", cli.stdout)[1])
    page.goto(base + "/")
    home = page.locator("main li", has=page.locator("a", has_text="Sở Công Thương tỉnh An Giang")).inner_text()
    n_home = int(re.search(r"— (\d+) nhiệm vụ", home)[1])
    page.goto(base + "/agency/so-cong-thuong-tinh-an-giang")
    n_page = int(page.locator(".stat").first.locator("b").inner_text())
    hrefs = page.locator("#duties tr[data-role] td:nth-child(3) a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    page.screenshot(path=str(shots / "23-agency-one-count.png"), full_page=True)
    assert n_page == n_home == n_cli == len(hrefs) == 8
    assert len(set(hrefs)) == len(hrefs), "a duty is listed twice"


# -- (d) long documents navigable ------------------------------------------------------------------------------
def test_long_plan_has_a_table_of_contents_and_duties_in_its_order(page, base, shots):
    page.goto(base + "/doc/305-kh-ubnd-tinh-an-giang-2024")
    toc = page.locator("nav#muc-luc")
    assert toc.is_visible()
    page.screenshot(path=str(shots / "24-document-toc.png"), full_page=False)
    # a section of the table of contents opens its heading inside the source text
    toc.locator("a", has_text="7. Sở Công Thương").first.click()
    anchor = page.evaluate("location.hash").lstrip("#")
    shown = page.evaluate("""(id) => { const el = document.getElementById(id), box = el.closest('pre.source');
        const a = el.getBoundingClientRect(), b = box.getBoundingClientRect();
        return a.top >= b.top - 1 && a.top <= b.bottom && a.top >= 0 && a.top <= window.innerHeight; }""", anchor)
    assert shown, "the heading is not scrolled into view"
    following = page.evaluate("(id) => document.getElementById(id).nextSibling.textContent.slice(0, 40)", anchor)
    assert following.startswith("7. Sở Công Thương")
    # its duty count leads to the section in the list of duties
    toc.locator("li", has_text="7. Sở Công Thương").locator("a.toc-count").click()
    heading = page.locator("table#duties tr.section-row", has_text="7. Sở Công Thương")
    assert heading.is_visible() and "VI. TỔ CHỨC THỰC HIỆN › 7. Sở Công Thương" in heading.inner_text()
    page.screenshot(path=str(shots / "25-document-section-duties.png"), full_page=False)
    # the rows follow the plan: same order as their highlights in the source text, each duty once
    rows = page.locator("table#duties tr[data-duty]").evaluate_all("els => els.map(e => e.dataset.duty)")
    marks = page.locator("pre.source mark.duty[id]").evaluate_all("els => els.map(e => e.id)")
    assert len(rows) == len(set(rows)) > 50
    assert [m for m in marks if m in rows] == [r for r in rows if r in marks]
    # every row's "trong văn bản" link opens its sentence
    page.locator("table#duties tr[data-duty]").nth(5).locator("a", has_text="trong văn bản").click()
    target = page.evaluate("location.hash").lstrip("#")
    assert page.locator(f"[id='{target}']").is_visible()
