"""In Chromium: the coverage page of 01/QĐ-TTg draws its grid of the 34 provinces (each cell visible, laid out
north to south, marked in words as well as colour), reached from the document page; the "hiện nay" view of
Sở Tài chính tỉnh An Giang lists the duties it inherited (issue 10)."""

from __future__ import annotations

import re


def test_coverage_grid_shows_34_visible_cells(page, base, shots):
    page.goto(base + "/doc/01-qd-ttg-2023")
    page.locator("#coverage-link").click()
    page.wait_for_url(re.compile(r".*/doc/01-qd-ttg-2023/cac-tinh$"))
    cells = page.locator("#province-grid .cell")
    assert cells.count() == 34
    boxes = []
    for i in range(34):
        cell = cells.nth(i)
        assert cell.is_visible()
        box = cell.bounding_box()
        assert box and box["width"] > 20 and box["height"] > 20
        boxes.append((cell.get_attribute("data-code"), box))
    # no two cells overlap
    for i, (_, a) in enumerate(boxes):
        for _, b in boxes[i + 1:]:
            assert (a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
                    or a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5)
    y = {code: box["y"] for code, box in boxes}
    assert y["20"] < y["01"] < y["38"] < y["48"] < y["79"] < y["96"]  # Lạng Sơn, Hà Nội, ..., Cà Mau: north to south
    done = page.locator("#province-grid .cell.done")
    assert done.count() == 2
    assert {done.nth(i).get_attribute("data-code") for i in range(2)} == {"20", "91"}
    assert "đã ban hành" in done.first.inner_text() and "✓" in done.first.inner_text()
    todo = page.locator("#province-grid .cell.todo").first
    assert "chưa có" in todo.inner_text() and "✗" in todo.inner_text()
    assert (done.first.evaluate("e => getComputedStyle(e).backgroundColor")
            != todo.evaluate("e => getComputedStyle(e).backgroundColor"))
    page.screenshot(path=str(shots / "60-coverage-grid.png"), full_page=True)


def test_now_view_lists_inherited_duties(page, base, shots):
    page.goto(base + "/agency/so-tai-chinh-tinh-an-giang")
    page.locator("#hien-nay a.button").click()
    page.wait_for_url(re.compile(r".*/hien-nay$"))
    inherited = page.locator("#now-duties tr[data-held=inherited]")
    assert inherited.count() >= 1
    assert "Sở Kế hoạch và Đầu tư tỉnh An Giang" in inherited.first.inner_text()
    assert "45/2025/NĐ-CP" in inherited.first.inner_text()
    page.screenshot(path=str(shots / "61-agency-now.png"), full_page=True)
