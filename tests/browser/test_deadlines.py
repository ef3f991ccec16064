"""In Chromium: "Việc cần làm" sorts duties by deadline, its filters work from the form, the calendar file downloads,
and an agency page shows its deadlines (issue 12, point 1)."""

from __future__ import annotations

import re

import pytest

from kg import ics
from kg.web.testing import DEADLINE_TODAY, make_deadline_build, running_server


@pytest.fixture(scope="module")
def base(seed_build, tmp_path_factory):
    build = make_deadline_build(seed_build[1], tmp_path_factory.mktemp("deadline-build"))
    with running_server(build) as url:
        yield url


def bucket_counts(page) -> dict[str, int]:
    out = {}
    for el in page.locator("#nhom a.stat").all():
        out[el.get_attribute("data-bucket")] = int(el.locator("b").inner_text().replace(".", ""))
    return out


def test_todo_page_buckets_filter_and_calendar(page, base, shots, tmp_path):
    page.goto(f"{base}/")
    page.locator("header nav a", has_text="Việc cần làm").click()
    page.wait_for_url(re.compile(r".*/viec-can-lam$"))
    page.goto(f"{base}/viec-can-lam?today={DEADLINE_TODAY}")
    assert page.locator("#hom-nay").inner_text() == "10/02/2025"
    c = bucket_counts(page)
    assert c["overdue"] >= 1 and c["month"] >= 2 and c["quarter"] >= 1 and c["later"] >= 1
    assert page.locator("#nhom-overdue tr[data-duty=duty-han-qua]").count() == 1
    assert page.locator("#nhom-month tr[data-duty=duty-han-lang-son]").count() == 1
    page.screenshot(path=str(shots / "30-todo-buckets.png"), full_page=False)

    # filter by an agency typed without diacritics, from the form
    page.fill("#loc input[name=agency]", "so tai chinh an giang")
    page.click("#loc button[type=submit]")
    page.wait_for_url(re.compile(r".*agency=so\+tai\+chinh\+an\+giang.*"))
    assert "Sở Tài chính tỉnh An Giang" in page.locator("#dang-loc").inner_text()
    assert page.locator("#nhom-month tr[data-duty=duty-han-thang]").count() == 1
    assert page.locator("#nhom-month tr[data-duty=duty-han-lang-son]").count() == 0  # another province's
    page.screenshot(path=str(shots / "31-todo-filtered-by-agency.png"), full_page=True)

    # one bucket alone
    page.locator("#nhom a[data-bucket=overdue]").click()
    page.wait_for_url(re.compile(r".*bucket=overdue.*"))
    assert page.locator("section.bucket").count() == 1
    assert page.locator("section.bucket").get_attribute("data-bucket") == "overdue"

    # the calendar file of what is shown
    with page.expect_download() as info:
        page.click("#tai-ics")
    path = tmp_path / "viec.ics"
    info.value.save_as(str(path))
    lines = ics.unfold(path.read_bytes().decode("utf-8"))
    assert lines.count("BEGIN:VEVENT") == page.locator("section.bucket tr[data-duty]").count()
    assert "DTSTART;VALUE=DATE:20250115" in lines
    url = next(ln for ln in lines if ln.startswith("URL:") and ln.endswith("#duty-han-qua"))[4:]
    page.goto(url)
    assert page.locator(f"#{url.rsplit('#', 1)[1]}").count() == 1  # the event's link opens the duty


def test_agency_page_deadline_section(page, base, shots):
    page.goto(f"{base}/agency/so-tai-chinh-tinh-an-giang?today={DEADLINE_TODAY}")
    section = page.locator("#thoi-han")
    section.scroll_into_view_if_needed()
    rows = page.locator("#sap-den-han tr[data-bucket]")
    buckets = [rows.nth(i).get_attribute("data-bucket") for i in range(rows.count())]
    assert "overdue" in buckets and "month" in buckets and buckets == sorted(buckets, key=["overdue", "month"].index)
    page.screenshot(path=str(shots / "32-agency-deadlines.png"), full_page=False)
    page.locator("a", has_text="Việc cần làm của cơ quan").click()
    page.wait_for_url(re.compile(r".*/viec-can-lam\?agency=agency/so-tai-chinh-tinh-an-giang.*"))
    assert bucket_counts(page)["overdue"] >= 1
