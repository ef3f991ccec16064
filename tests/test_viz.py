"""Network views: capped, laid out in Python, coloured by kind, every node linked to its page."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg import iri, viz
from kg.store import LocalStore
from kg.synth import generate

DOC = "https://w3id.org/vn-directives/id/doc/"


@pytest.fixture(scope="module")
def seed_store(seed_build):
    return LocalStore.from_build(seed_build[1])


@pytest.fixture(scope="module")
def small_cascade(tmp_path_factory):
    """A synthetic cascade: 1 decision, 3 provinces, 4 districts each, 6 communes each (87 plans)."""
    out = tmp_path_factory.mktemp("synth")
    counts = generate(out, provinces=3, districts_per_province=4, communes_per_district=6)
    return LocalStore.from_build(out), counts


def test_cascade_of_a_district_plan_shows_the_chain_above_it(seed_store):
    doc = URIRef(DOC + "ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86")
    view = viz.cascade_view(seed_store, doc)
    levels = {n.id.rsplit("/", 1)[-1]: n.level for n in view.nodes.values()}
    assert levels["ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"] == 0
    assert levels["94-kh-ubnd-tinh-lang-son-2023"] < 0 and levels["01-qd-ttg-2023"] < levels["94-kh-ubnd-tinh-lang-son-2023"]
    edges = {(a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]) for a, b, _, _ in view.edges}
    # the district plan hangs under the province plan only (its inferred link to the decision is implied)
    assert ("ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86", "94-kh-ubnd-tinh-lang-son-2023") in edges
    assert ("ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86", "01-qd-ttg-2023") not in edges


def test_nodes_are_coloured_by_kind_and_open_their_page(seed_store):
    data = viz.payload(viz.cascade_view(seed_store, URIRef(DOC + "01-qd-ttg-2023")))
    by_kind = {n["kind"]: n for n in data["nodes"]}
    assert {"quyet-dinh", "ke-hoach", "scheme"} <= set(by_kind)
    assert by_kind["quyet-dinh"]["color"] != by_kind["ke-hoach"]["color"] != by_kind["scheme"]["color"]
    assert all(n["url"].startswith(("/doc/", "/scheme/", "/network/")) for n in data["nodes"])
    assert all(n["physics"] is False and "x" in n and "y" in n for n in data["nodes"])


def test_large_cascade_is_capped_with_expand_nodes(small_cascade):
    store, counts = small_cascade
    decision = iri.document("01/QĐ-TTg", None, 2023)
    view = viz.cascade_view(store, decision, max_nodes=40)
    assert len(view.nodes) <= 40 and view.capped and view.total == counts["documents"]
    more = [n for n in view.nodes.values() if n.kind == "more"]
    assert more and all(n.url.startswith("/network/doc/") and n.hidden > 0 for n in more)
    # what is drawn plus what is folded accounts for every document of the level that was cut
    assert view.radial or max(abs(n.x) for n in view.nodes.values()) > 0


def test_full_cascade_when_it_fits(small_cascade):
    store, counts = small_cascade
    view = viz.cascade_view(store, iri.document("01/QĐ-TTg", None, 2023), max_nodes=300)
    docs = [n for n in view.nodes.values() if n.kind in ("ke-hoach", "quyet-dinh")]
    assert len(docs) == counts["documents"] and not view.capped
    assert view.radial  # 72 commune plans on one level: drawn as rings


def test_agency_neighbourhood_is_capped(small_cascade):
    store, _ = small_cascade
    bank = iri.agency("Ngân hàng Chính sách xã hội Việt Nam")
    view = viz.agency_view(store, bank, max_nodes=30)
    assert len(view.nodes) <= 30 and view.capped
    assert {n.kind for n in view.nodes.values()} >= {"agency", "ke-hoach", "more"}
    labels = {lbl for _, _, lbl, _ in view.edges}
    assert any(lbl.startswith("phối hợp") for lbl in labels)


def test_generated_graph_has_the_cascade_shape(small_cascade):
    _, counts = small_cascade
    assert counts["documents"] == 1 + 3 + 3 * 4 + 3 * 4 * 6
    assert counts["duties"] > counts["documents"] and counts["nodes"] > 10 * counts["documents"]


def test_agency_network_groups_its_duties_by_document(seed_store):
    """Issue 12: one edge per document giving the agency duties, labelled with how many it leads and partners
    there, the same counts as the agency's duty list."""
    from collections import Counter

    from kg import queries

    agency = URIRef(str(iri.ID["agency/so-cong-thuong-tinh-an-giang"]))
    view = viz.agency_view(seed_store, agency)
    duties = queries.run(seed_store, "agency-duties", {"agency": agency})
    want = Counter((str(r["document"]), str(r["duty_role"])) for r in duties)
    edges = [(src, label) for src, dst, label, kind in view.edges if dst == str(agency) and kind in ("lead", "partner")]
    assert len(edges) == len({doc for doc, _ in want}) >= 1
    for doc, label in edges:
        expected = ", ".join(f"{'chủ trì' if role == 'lead' else 'phối hợp'} ({want[(doc, role)]})"
                             for role in ("lead", "partner") if want[(doc, role)])
        assert label == expected
