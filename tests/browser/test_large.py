"""On a generated graph of 100,000+ nodes, every kind of view opens in Chromium, complete and capped.

The browser's own timing (navigation timing's loadEventEnd, or for a network view the moment
vis-network has drawn it) is printed, never asserted: CI machines are shared and slow at random,
so speed is measured by scripts/bench_web.py, which prints medians.
"""

from __future__ import annotations

import pytest

from kg import iri
from kg.synth import generate
from kg.web.common import network_path, page_path
from kg.web.testing import measure, running_server

pytestmark = pytest.mark.large


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    out = tmp_path_factory.mktemp("large-graph")
    counts = generate(out)
    assert counts["nodes"] >= 100_000 and counts["documents"] >= 10_000
    with running_server(out, ready_timeout=600) as url:
        yield url, counts


def views() -> list[tuple[str, str, bool]]:
    decision = iri.document("01/QĐ-TTg", None, 2023)
    province = iri.document("135/KH-UBND", "tỉnh Lạng Sơn", 2023)
    hub = iri.agency("Ngân hàng Chính sách xã hội Việt Nam")  # a partner in 9,702 duties
    women = iri.agency("Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn")
    return [("home", "/", False), ("search", "/search?q=hoi+lien+hiep+phu+nu+lang+son", False),
            ("decision", page_path(decision), False), ("province-plan", page_path(province), False),
            ("agency-hub", page_path(hub), False), ("agency-hub-filtered", page_path(hub) + "?year=2024&from=900", False),
            ("agency-province", page_path(women), False),
            ("network-decision", network_path(decision), True), ("network-province", network_path(province), True),
            ("network-agency-hub", network_path(hub), True), ("network-agency", network_path(women), True),
            ("todo", "/viec-can-lam?today=2024-06-15", False),
            ("todo-agency-hub", "/viec-can-lam?today=2024-06-15&agency=" + page_path(hub)[1:], False),
            ("questions", "/cau-hoi", False),
            ("question-agency-duties", "/cau-hoi/agency-duties?chay=1&agency=" + page_path(women)[1:], False),
            ("question-agencies-by-duties", "/cau-hoi/agencies-by-duties?chay=1", False),
            ("sparql-page", "/query", False)]


@pytest.mark.parametrize("name,path,network", views(), ids=[v[0] for v in views()])
def test_view_opens_complete(page, large, shots, name, path, network):
    base, counts = large
    timing = measure(page, base + path, network=network)
    print(f"{name}: {timing['total']:.0f} ms (ttfb {timing['ttfb']:.0f} ms) on {counts['nodes']:,} nodes")
    page.screenshot(path=str(shots / f"large-{name}.png"), full_page=False)
    assert timing["load"] > 0, f"{path} never finished loading"
    assert page.locator("main").count() == 1 and page.locator("main").inner_text().strip(), f"{path} shows nothing"
    if name.startswith("question-"):  # an answer, or the worker's "stopped after N seconds": never a hung server
        assert page.locator("#ket-qua, .error").count() >= 1
    if network:
        assert 0 < page.evaluate("window.kgNodes.length") <= 300


def test_calendar_of_the_busiest_agency(large):
    import urllib.request

    base, _ = large
    hub = page_path(iri.agency("Ngân hàng Chính sách xã hội Việt Nam"))[1:]
    with urllib.request.urlopen(f"{base}/viec-can-lam.ics?today=2024-06-15&agency={hub}", timeout=600) as r:
        raw = r.read().decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert raw.count("BEGIN:VEVENT") > 100
    assert all(len(line.encode("utf-8")) <= 75 for line in raw.split("\r\n"))
