"""A person's path through the explorer, in Chromium: search, agency, document, network, SPARQL."""

from __future__ import annotations

import re

from kg.web.testing import make_hostile_build, running_server


def test_home_page(page, base, shots):
    page.goto(base + "/")
    assert page.locator("h1").inner_text().startswith("Tra cứu văn bản")
    assert page.locator(".stat").count() >= 6
    page.screenshot(path=str(shots / "01-home.png"), full_page=True)


def test_search_an_agency_without_diacritics_and_open_its_duties(page, base, shots):
    page.goto(base + "/")
    page.fill("main input[name=q]", "hoi lien hiep phu nu an giang")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=hoi"))
    link = page.locator("ul[data-kind=agency] a", has_text="Hội Liên hiệp Phụ nữ tỉnh An Giang").first
    page.screenshot(path=str(shots / "02-search.png"), full_page=True)
    link.click()
    page.wait_for_url(re.compile(r".*/agency/hoi-lien-hiep-phu-nu-tinh-an-giang$"))
    assert page.locator("h1").inner_text() == "Hội Liên hiệp Phụ nữ tỉnh An Giang"
    rows = page.locator("#duties tr[data-role]")
    assert rows.count() > 10
    assert page.locator("#duties .badge.lead").first.inner_text() == "Chủ trì"
    page.screenshot(path=str(shots / "03-agency.png"), full_page=True)
    page.select_option("select[name=role]", "partner")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r".*role=partner.*"))
    assert page.locator("#duties tr[data-role=lead]").count() == 0
    assert page.locator("#duties tr[data-role=partner]").count() > 0


def test_document_page_highlights_the_sentences(page, base, shots):
    page.goto(base + "/doc/305-kh-ubnd-tinh-an-giang-2024")
    assert "305/KH-UBND" in page.locator("h1").inner_text()
    assert page.locator("pre.source mark.duty").count() > 10
    page.screenshot(path=str(shots / "04-document.png"), full_page=False)
    first_duty = page.locator("a", has_text="trong văn bản").first
    first_duty.click()
    anchor = page.evaluate("location.hash").lstrip("#")
    mark = page.locator(f"[id='{anchor}']")
    assert mark.is_visible()
    page.screenshot(path=str(shots / "05-document-source.png"), full_page=False)


def test_network_view_click_opens_the_node_page(page, base, shots):
    page.goto(base + "/network/doc/01-qd-ttg-2023")
    page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'")
    page.screenshot(path=str(shots / "06-network.png"), full_page=False)
    target = "https://w3id.org/vn-directives/id/doc/94-kh-ubnd-tinh-lang-son-2023"
    point = page.evaluate("""(id) => {
        const p = window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions([id])[id]);
        const r = document.getElementById('network').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", target)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r".*/doc/94-kh-ubnd-tinh-lang-son-2023$"))
    assert "94/KH-UBND" in page.locator("h1").inner_text()


def test_agency_network_view(page, base, shots):
    page.goto(base + "/network/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'")
    assert page.evaluate("window.kgNodes.length") > 3
    page.screenshot(path=str(shots / "07-network-agency.png"), full_page=False)


def test_sparql_page_shows_the_table(page, base, shots):
    page.goto(base + "/query")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#results")
    assert page.locator("#results tr").count() > 5
    page.screenshot(path=str(shots / "08-sparql.png"), full_page=False)


def test_markup_in_documents_never_runs(page, seed_build, tmp_path_factory, shots):
    hostile = '<script>alert("pwned")</script> "trích" <img src=x onerror=alert(1)>'
    build = make_hostile_build(seed_build[1], tmp_path_factory.mktemp("hostile-browser"), hostile)
    with running_server(build) as base:
        for path in ("/doc/666-kh-xss-2024", "/agency/so-thu-nghiem", "/search?q=so+thu+nghiem",
                     "/network/doc/666-kh-xss-2024"):
            page.goto(base + path)
            if "network" not in path:
                assert '<script>alert("pwned")</script>' in page.locator("main").inner_text()
        page.goto(base + "/doc/666-kh-xss-2024")
        page.screenshot(path=str(shots / "09-markup-as-text.png"), full_page=False)
    # the page fixture fails the test if a dialog opened or a script error occurred
