"""In Chromium: a question is chosen, its form filled with names (no SPARQL), the answer read as a table and
downloaded as CSV; the SPARQL is a click away, off the main navigation (issue 12, point 4)."""

from __future__ import annotations

import csv
import io
import re


def test_ask_a_question_by_name_and_download_the_answer(page, base, shots, tmp_path):
    page.goto(base + "/")
    nav = page.locator("header nav")
    assert "SPARQL" not in nav.inner_text()
    assert page.locator("footer a[href='/query']").count() == 1
    nav.locator("a", has_text="Câu hỏi").click()
    page.wait_for_url(re.compile(r".*/cau-hoi$"))
    assert page.locator("#cau-hoi li").count() >= 12
    page.screenshot(path=str(shots / "40-questions-list.png"), full_page=True)
    page.locator("#cau-hoi li[data-query=agency-duties] a").click()
    page.wait_for_url(re.compile(r".*/cau-hoi/agency-duties$"))

    page.fill("#f-agency", "so cong thuong an giang")
    page.select_option("#f-role", "lead")
    page.click("#hoi button[type=submit]")
    page.wait_for_selector("#ket-qua")
    assert page.locator("#ket-qua tr").count() - 1 == 8
    assert page.locator("#ket-qua a", has_text="Kế hoạch 305/KH-UBND · An Giang · 22/03/2024").count() == 8
    assert page.locator("#sparql pre").is_hidden()  # the SPARQL is there for those who open it
    page.screenshot(path=str(shots / "41-question-answer.png"), full_page=False)

    with page.expect_download() as info:
        page.click("#tai-csv")
    path = tmp_path / "answer.csv"
    info.value.save_as(str(path))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["duty", "duty_role"] and len(rows) == 9

    page.locator("#sparql summary").click()
    assert "SELECT" in page.locator("#sparql pre").inner_text()
    page.screenshot(path=str(shots / "42-question-sparql-opened.png"), full_page=False)


def test_an_ambiguous_name_offers_the_candidates(page, base, shots):
    page.goto(base + "/cau-hoi/documents-by-issuer")
    page.fill("#f-issuer", "uy ban nhan dan tinh")
    page.click("#hoi button[type=submit]")
    notice = page.locator(".notice[data-field=issuer]")
    assert notice.is_visible()
    page.screenshot(path=str(shots / "43-question-which-agency.png"), full_page=False)
    notice.get_by_role("link", name="Ủy ban nhân dân tỉnh Lạng Sơn", exact=True).click()
    page.wait_for_selector("#ket-qua")
    assert page.locator("#ket-qua tr").count() > 1


def test_injected_text_typed_in_the_form_is_only_a_value(page, base):
    page.goto(base + "/cau-hoi/scheme-targets")
    page.fill("#f-scheme", "01/QĐ-TTg")
    page.click("#hoi button[type=submit]")
    page.wait_for_selector("#ket-qua")
    honest = page.locator("#ket-qua tr").count()
    assert honest > 1
    page.fill("#f-unit", '") || true || ("')
    page.click("#hoi button[type=submit]")
    page.wait_for_selector("#so-dong")
    assert page.locator("#so-dong").inner_text().startswith("0 dòng")
    page.fill("#f-unit", "")
    page.fill("#f-year", "2025\" } #")
    page.click("#hoi button[type=submit]")
    page.wait_for_selector("#so-dong")
    assert page.locator("#so-dong").inner_text().startswith("0 dòng")
