"""Readable networks (issue 12, point 3), without a browser: edges say whether a link is stated or inferred, every
kind drawn has a legend entry, and the layout leaves each label its room (tests/browser/test_networks.py measures
the real label boxes in Chromium)."""

from __future__ import annotations

import re
import urllib.request
from itertools import combinations

import pytest
from rdflib import URIRef

from kg import viz

DOC = "https://w3id.org/vn-directives/id/doc/"
TRANG_DINH = DOC + "ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"


def boxes(view: viz.View) -> list[tuple[str, float, float, float, float]]:
    """Estimated label boxes (id, left, top, right, bottom): under a dot, inside a box."""
    out = []
    for n in view.nodes.values():
        w, h = viz.label_size(view, n)
        below = 0 if n.kind in ("agency", "more") else viz.node_size(view, n)
        top = n.y + below if below else n.y - h / 2
        out.append((n.id, n.x - w / 2, top, n.x + w / 2, top + h))
    return out


def test_inferred_links_are_told_from_stated_ones(seed_store):
    view = viz.cascade_view(seed_store, URIRef(TRANG_DINH))
    kinds = {(a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]): k for a, b, _, k in view.edges}
    # the district plan is "based on" the province plan: the build infers that it implements it
    assert kinds[("ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86", "94-kh-ubnd-tinh-lang-son-2023")] == "inferred"
    assert "approves" in kinds.values() and "implements" in kinds.values()
    stated = viz.cascade_view(seed_store, URIRef(DOC + "01-qd-ttg-2023"))
    assert {k for *_, k in stated.edges} <= {"implements", "approves", "inferred", "more"}
    assert ("https://w3id.org/vn-directives/id/doc/305-kh-ubnd-tinh-an-giang-2024" in
            {a for a, _, _, k in stated.edges if k == "implements"})


def test_edges_are_drawn_as_the_legend_says(seed_store):
    view = viz.agency_view(seed_store, URIRef("https://w3id.org/vn-directives/id/agency/hoi-lien-hiep-phu-nu-tinh-an-giang"))
    data = viz.payload(view)
    for e in data["edges"]:
        style = viz.EDGE_STYLES[e["kind"]]
        assert e["dashes"] == style["dashes"] and e["color"]["color"] == style["color"]
    assert {k for k, _, _ in viz.edge_kinds(view)} == {e["kind"] for e in data["edges"]}
    assert all(n["rank"] >= 0 for n in data["nodes"])


@pytest.mark.parametrize("doc", ["01-qd-ttg-2023", "94-kh-ubnd-tinh-lang-son-2023",
                                 "ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"])
def test_layers_leave_every_label_its_room(seed_store, doc):
    view = viz.cascade_view(seed_store, URIRef(DOC + doc))
    assert not view.radial
    clash = [(a[0], b[0]) for a, b in combinations(boxes(view), 2)
             if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]
    assert not clash


def test_the_network_page_has_a_legend_of_nodes_and_edges(base):
    with urllib.request.urlopen(base + "/network/doc/ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86") as r:
        page = r.read().decode("utf-8")
    legend = re.search(r'<div class="legend card" id="chu-giai">(.*?)\n</div>', page, re.S)[1]
    assert set(re.findall(r'data-edge="(\w+)"', legend)) == {"implements", "inferred", "approves"}
    assert re.search(r'data-edge="inferred"><svg[^>]*><line[^>]*stroke-dasharray="8 6"', legend)
    assert "suy ra" in legend and "Nét liền" in legend
    assert set(re.findall(r'data-kind="([\w-]+)"', legend)) == {"ke-hoach", "quyet-dinh", "scheme"}
