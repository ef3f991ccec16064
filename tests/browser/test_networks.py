"""In Chromium: network views are readable (issue 12, point 3). No two drawn labels overlap, measured on the labels'
boxes as vis-network lays them out on its canvas; small views keep every label whole (the layout leaves room);
long or crowded labels are shortened or hidden with the full text on hover; a legend explains node kinds and
stated vs inferred edges."""

from __future__ import annotations

import json
from itertools import combinations

import pytest

from kg.synth import generate
from kg.web.testing import running_server

TRANG_DINH = "/network/doc/ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"
SMALL_VIEWS = ["/network/doc/01-qd-ttg-2023", TRANG_DINH, "/network/doc/94-kh-ubnd-tinh-lang-son-2023",
               "/network/agency/hoi-lien-hiep-phu-nu-tinh-an-giang", "/network/agency/so-cong-thuong-tinh-an-giang"]


@pytest.fixture(scope="module")
def synth_base(tmp_path_factory):
    """A synthetic cascade of 1 decision, 3 provinces, 4 districts each and 8 communes each (112 plans)."""
    out = tmp_path_factory.mktemp("synth-network")
    generate(out, provinces=3, districts_per_province=4, communes_per_district=8)
    with running_server(out) as url:
        yield url


def open_network(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'", timeout=60_000)
    return {"shortened": int(page.evaluate("document.body.getAttribute('data-labels-shortened')")),
            "hidden": int(page.evaluate("document.body.getAttribute('data-labels-hidden')"))}


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    eps = 0.5
    return [(a["id"], b["id"]) for a, b in combinations(boxes, 2)
            if a["left"] + eps < b["right"] and b["left"] + eps < a["right"]
            and a["top"] + eps < b["bottom"] and b["top"] + eps < a["bottom"]]


@pytest.mark.parametrize("path", SMALL_VIEWS)
def test_small_views_keep_every_label_and_none_overlap(page, base, shots, path):
    settled = open_network(page, base + path)
    boxes = page.evaluate("window.kgLabelBoxes()")
    n_nodes = page.evaluate("window.kgNodes.length")
    assert len(boxes) == n_nodes, "every node of a small view is labelled"
    assert settled == {"shortened": 0, "hidden": 0}, "the layout alone keeps the labels apart"
    assert not overlapping(boxes)
    name = path.strip("/").replace("/", "-")[:60]
    page.screenshot(path=str(shots / f"50-{name}.png"), full_page=False)


def test_a_large_cascade_shows_no_overlapping_label_and_the_full_text_on_hover(page, synth_base, shots):
    settled = open_network(page, synth_base + "/network/doc/01-qd-ttg-2023")
    boxes = page.evaluate("window.kgLabelBoxes()")
    assert boxes and not overlapping(boxes)
    ids = page.evaluate("window.kgNodes.getIds()")
    labelled = {b["id"] for b in boxes}
    # the centre and the "+N"-free inner ring keep their labels; what gave way is counted
    assert ids[0] in labelled or any("01-qd-ttg" in i for i in labelled)
    assert settled["shortened"] + settled["hidden"] + len(labelled) >= len(ids) - settled["hidden"]
    page.screenshot(path=str(shots / "51-network-large-cascade.png"), full_page=False)
    # a node whose label gave way still shows its whole name on hover
    unlabelled = [i for i in ids if i not in labelled]
    target = unlabelled[0] if unlabelled else ids[-1]
    full = page.evaluate("id => window.kgNodes.get(id).title", target)
    pos = page.evaluate("""id => { const p = window.kgNetwork.getPositions([id])[id];
                                   return window.kgNetwork.canvasToDOM(p); }""", target)
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.inner_text().strip() == full.strip()
    page.screenshot(path=str(shots / "52-network-hover-full-label.png"), full_page=False)


def test_long_labels_are_shortened_with_the_full_text_on_hover(page, base):
    open_network(page, base + "/network/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    nodes = page.evaluate("window.kgNodes.get()")
    for n in nodes:
        assert all(len(line) <= 34 for line in n["label"].split("\n")), n["label"]
        assert n["title"].replace("\n", " ").startswith(n["fullLabel"].replace("\n", " ").rstrip("…").split(" (+")[0][:20])
    long = [n for n in nodes if n["fullLabel"].endswith("…") or "…" in n["fullLabel"]]
    for n in long:
        assert len(n["title"]) > len(n["fullLabel"].replace("\n", " ").rstrip("…"))


def test_the_legend_explains_node_kinds_and_stated_vs_inferred_edges(page, base, shots):
    open_network(page, base + TRANG_DINH)
    legend = page.locator("#chu-giai")
    text = legend.inner_text()
    data = json.loads(page.locator("#network-data").inner_text())
    kinds = {e["kind"] for e in data["edges"]}
    for kind in kinds:
        assert legend.locator(f"[data-edge={kind}]").count() == 1
    drawn = {n["kind"] for n in data["nodes"]}
    assert {legend.locator("[data-kind]").nth(i).get_attribute("data-kind")
            for i in range(legend.locator("[data-kind]").count())} == drawn
    assert "Nét liền" in text and "nét đứt" in text
    # every edge is drawn as its legend entry says: inferred links dashed, stated ones solid
    for e in data["edges"]:
        assert bool(e["dashes"]) == (e["kind"] in ("inferred", "partner", "peer", "more")), e
    if "inferred" in kinds:
        sample = legend.locator("[data-edge=inferred] line")
        assert sample.get_attribute("stroke-dasharray")
    legend.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "53-network-legend.png"), full_page=False)
