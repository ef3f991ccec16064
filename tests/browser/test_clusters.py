"""In Chromium: a cascade of hundreds or thousands of plans is grouped (issue 12, point 3): one labelled node per
province with its count instead of a ring of dots; a click opens the province, level by level (cấp tỉnh, huyện, xã),
and "thu gọn" closes it again; every plan is counted in exactly one drawn node, and no labels overlap."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from kg.synth import generate
from kg.web.testing import running_server

PROVINCES, DISTRICTS, COMMUNES = 8, 4, 15
PER_PROVINCE = 1 + DISTRICTS + DISTRICTS * COMMUNES  # 65 plans: 8 x 65 = 520, above viz.CLUSTER_MIN
DECISION = "/network/doc/01-qd-ttg-2023"


@pytest.fixture(scope="module")
def cascade(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth-clusters")
    counts = generate(out, provinces=PROVINCES, districts_per_province=DISTRICTS, communes_per_district=COMMUNES)
    with running_server(out) as url:
        yield url, counts


def ready(page) -> dict:
    page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'", timeout=60_000)
    return {"hidden": int(page.evaluate("document.body.getAttribute('data-labels-hidden')")),
            "nodes": page.evaluate("window.kgNodes.get()")}


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    eps = 0.5
    return [(a["id"], b["id"]) for a, b in combinations(boxes, 2)
            if a["left"] + eps < b["right"] and b["left"] + eps < a["right"]
            and a["top"] + eps < b["bottom"] and b["top"] + eps < a["bottom"]]


def represented(nodes: list[dict]) -> int:
    """Plans drawn, each plan node counting one and each group its count."""
    plans = sum(1 for n in nodes if n["kind"] == "ke-hoach")
    groups = sum(int(re.search(r"(\d+) văn bản$", n["label"]).group(1)) for n in nodes if n["kind"] == "cluster")
    return plans + groups


def click_node(page, node_id: str) -> None:
    pos = page.evaluate("""id => { window.kgNetwork.focus(id, {animation: false});  // into view, whatever the layout
                                   const p = window.kgNetwork.getPositions([id])[id];
                                   return window.kgNetwork.canvasToDOM(p); }""", node_id)
    box = page.locator("#network").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def test_a_national_cascade_opens_as_provinces_then_levels(page, cascade, shots):
    base, counts = cascade
    below = counts["documents"] - 1
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(base + DECISION)
    view = ready(page)
    clusters = [n for n in view["nodes"] if n["kind"] == "cluster"]
    assert len(clusters) == PROVINCES and len(view["nodes"]) <= 300
    assert all(re.fullmatch(rf"[^\n]+\n{PER_PROVINCE} văn bản", n["label"]) for n in clusters)
    assert represented(view["nodes"]) == below
    assert view["hidden"] == 0 and not overlapping(page.evaluate("window.kgLabelBoxes()"))
    assert page.locator("#nhom").inner_text().startswith(f"{below} văn bản thực hiện")
    assert page.locator("#chu-giai [data-kind=cluster]").count() == 1
    page.screenshot(path=str(shots / "60-network-clusters.png"), full_page=False)

    # a click opens one province: its plan and district plans drawn, its commune plans one group
    first = clusters[0]
    province = first["label"].split("\n")[0]
    click_node(page, first["id"])
    assert "mo=" in page.url
    view = ready(page)
    clusters = [n for n in view["nodes"] if n["kind"] == "cluster"]
    plans = [n for n in view["nodes"] if n["kind"] == "ke-hoach"]
    assert len(plans) == 1 + DISTRICTS and all(province in n["title"] or "huyện" in n["title"] for n in plans)
    communes = [n for n in clusters if "cấp xã" in n["label"]]
    assert len(communes) == 1 and communes[0]["label"].endswith(f"\n{DISTRICTS * COMMUNES} văn bản")
    assert len(clusters) == PROVINCES - 1 + 1
    assert represented(view["nodes"]) == below
    assert view["hidden"] == 0 and not overlapping(page.evaluate("window.kgLabelBoxes()"))
    assert province in page.locator("#nhom").inner_text()
    page.screenshot(path=str(shots / "61-network-cluster-opened.png"), full_page=False)

    # a click on the commune group draws its plans; "thu gọn" closes the province again
    click_node(page, communes[0]["id"])
    view = ready(page)
    plans = [n for n in view["nodes"] if n["kind"] == "ke-hoach"]
    assert len(plans) == 1 + DISTRICTS + DISTRICTS * COMMUNES
    assert represented(view["nodes"]) == below
    assert not overlapping(page.evaluate("window.kgLabelBoxes()"))
    page.screenshot(path=str(shots / "62-network-cluster-level-opened.png"), full_page=False)
    with page.expect_navigation():
        page.locator("#nhom a[data-close]").first.click()
    view = ready(page)
    assert len([n for n in view["nodes"] if n["kind"] == "cluster"]) == PROVINCES
