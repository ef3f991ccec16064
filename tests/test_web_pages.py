"""The explorer's pages over the seed build, through a real `kg serve` (HTTP on 127.0.0.1)."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest


def get(base: str, path: str, accept: str | None = None) -> tuple[int, object, str]:
    req = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", errors="replace")


def test_home_shows_counts_and_search_box(base, seed_build):
    status, headers, body = get(base, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'lang="vi"' in body and 'action="/search"' in body
    counts = seed_build[0].counts
    assert re.search(rf"<b>{counts['duties']}</b>\s*nhiệm vụ", body)
    assert re.search(rf"<b>{counts['agencies']}</b>\s*cơ quan", body)
    assert "/doc/01-qd-ttg-2023" in body  # the most implemented document is an entry point


@pytest.mark.parametrize("query", ["so tai chinh lang son", "SỞ TÀI CHÍNH tỉnh Lạng Sơn", "Sở tài chính Lạng Sơn"])
def test_search_forgives_case_and_diacritics(base, query):
    _, _, body = get(base, "/search?" + urllib.parse.urlencode({"q": query}))
    assert 'href="/agency/so-tai-chinh-tinh-lang-son"' in body


@pytest.mark.parametrize("query", ["Uỷ ban nhân dân huyện Tràng Định", "Ủy ban nhân dân huyện Tràng Định"])
def test_search_forgives_both_tone_placements(base, query):
    _, _, body = get(base, "/search?" + urllib.parse.urlencode({"q": query}))
    assert 'href="/agency/uy-ban-nhan-dan-huyen-trang-dinh"' in body


def test_search_finds_duties_and_documents(base):
    _, _, body = get(base, "/search?q=thu+hoi+von+tam+ung")
    assert 'data-kind="duty"' in body and re.search(r'href="/doc/[a-z0-9-]+#duty-[0-9a-f]+"', body)
    _, _, body = get(base, "/search?q=94/KH-UBND")
    assert 'href="/doc/94-kh-ubnd-tinh-lang-son-2023"' in body


def test_document_page(base):
    status, _, body = get(base, "/doc/94-kh-ubnd-tinh-lang-son-2023")
    assert status == 200
    for text in ("94/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "16/04/2023",
                 "Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý"):
        assert text in body
    # the cascade: above (the decision, inferred) and below (the district plan)
    assert 'href="/doc/01-qd-ttg-2023"' in body and "suy luận" in body
    assert 'href="/doc/ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"' in body
    # cited by the district plan, with the quoted sentence
    assert "Được dẫn chiếu bởi" in body and "căn cứ" in body
    # every target is highlighted in the source text, and its row links to the highlight
    anchors = re.findall(r'<a href="#(target-[0-9a-f]+)">', body)
    assert anchors and all(f'id="{a}"' in body for a in anchors)
    assert '<mark class="target"' in body and '<pre class="source">' in body


def test_document_page_groups_duties_by_agency(base):
    _, _, body = get(base, "/doc/305-kh-ubnd-tinh-an-giang-2024")
    assert body.count('class="badge lead"') > 5 and 'class="badge partner"' in body
    assert 'href="/agency/hoi-lien-hiep-phu-nu-tinh-an-giang"' in body
    assert '<mark class="duty"' in body


def test_decision_page_lists_its_plans_and_approved_scheme(base):
    _, _, body = get(base, "/doc/01-qd-ttg-2023")
    assert "được phê duyệt" in body and 'href="/scheme/' in body
    assert 'href="/doc/305-kh-ubnd-tinh-an-giang-2024"' in body
    assert "chỉ được nhắc đến trong văn bản khác" in body  # no source text of its own


def test_agency_page_duties_filters_and_issued_documents(base):
    _, _, body = get(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    assert "Hội Liên hiệp Phụ nữ tỉnh An Giang" in body
    lead = body.count('data-role="lead"')
    partner = body.count('data-role="partner"')
    assert lead > 10 and partner > 0
    _, _, only_partner = get(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang?role=partner")
    assert only_partner.count('data-role="partner"') == partner and 'data-role="lead"' not in only_partner
    _, _, by_year = get(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang?year=1999")
    assert "Không có nhiệm vụ nào khớp bộ lọc" in by_year
    _, _, issuer = get(base, "/agency/uy-ban-nhan-dan-tinh-lang-son")
    assert 'href="/doc/94-kh-ubnd-tinh-lang-son-2023"' in issuer


def test_agency_page_filters_by_document(base):
    key = "doc/305-kh-ubnd-tinh-an-giang-2024"
    _, _, body = get(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang?doc=" + urllib.parse.quote(key))
    rows = re.findall(r'<tr data-role="\w+">.*?</tr>', body, re.S)
    assert rows and all('href="/doc/305-kh-ubnd-tinh-an-giang-2024#duty-' in r for r in rows)


def test_agency_duties_export_to_csv(base):
    status, headers, body = get(base, "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang/duties.csv?role=lead")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["vai_tro", "nhiem_vu", "van_ban"]
    assert len(rows) > 10 and {r[0] for r in rows[1:]} == {"Chủ trì"}


def test_network_page_serves_its_own_javascript(base):
    status, _, body = get(base, "/network/doc/01-qd-ttg-2023")
    assert status == 200
    assert '<script src="/static/vis/vis-network.min.js">' in body and '<script src="/static/network.js">' in body
    data = json.loads(re.search(r'<script id="network-data" type="application/json">(.*?)</script>', body, re.S)[1])
    ids = {n["id"] for n in data["nodes"]}
    assert "https://w3id.org/vn-directives/id/doc/01-qd-ttg-2023" in ids
    assert all(n["url"].startswith("/") for n in data["nodes"] if n["url"])
    assert data["options"]["physics"]["enabled"] is False
    assert get(base, "/static/vis/vis-network.min.js")[0] == 200


def test_agency_network(base):
    _, _, body = get(base, "/network/agency/hoi-lien-hiep-phu-nu-tinh-an-giang")
    data = json.loads(re.search(r'<script id="network-data" type="application/json">(.*?)</script>', body, re.S)[1])
    kinds = {n["kind"] for n in data["nodes"]}
    assert "agency" in kinds and "ke-hoach" in kinds and len(data["nodes"]) <= 300


PAGES = ["/", "/search?q=ke+hoach", "/doc/94-kh-ubnd-tinh-lang-son-2023", "/doc/01-qd-ttg-2023",
         "/agency/hoi-lien-hiep-phu-nu-tinh-an-giang", "/network/doc/01-qd-ttg-2023",
         "/network/agency/so-tai-chinh-tinh-lang-son", "/query", "/query?query=ASK+%7B%7D", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_anything_from_another_site(base, path):
    _, headers, body = get(base, path)
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', body)
    assert "cdn" not in body.lower()
    assert "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/nowhere", "/doc/no-such-document", "/doc/BAD%20slug", "/agency/x/../../etc",
                                  "/network/person/abc", "/network/doc/no-such", "/agency/nobody/duties.csv",
                                  "/scheme/<script>"])
def test_unknown_pages_give_a_404_page(base, path):
    status, headers, body = get(base, path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "Không tìm thấy" in body and "Traceback" not in body


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static/..%2f..%2fweb%2fapp.py", "/static/vis/..%2f..%2f..%2fnetwork.py",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/vis/%2e%2e/%2e%2e/network.py"])
def test_no_path_outside_the_application_files_can_be_read(base, path):
    status, _, body = get(base, path)
    assert status == 404
    assert "root:" not in body and "def " not in body and "[project]" not in body


def test_a_document_cited_more_often_than_the_list_holds_still_lists_what_it_cites():
    """Each direction has its own cap: before, one capped list sorted "in" before "out", so a decision cited by
    more plans than the page lists showed none of the documents it cites itself."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from kg.store import LocalStore
    from kg.web import documents

    id_ = "https://w3id.org/vn-directives/id/"
    lines = []
    for n, (citing, cited, day) in enumerate([("d", "x", "2020-01-01"), ("d", "y", "2021-05-06"),
                                              ("a", "d", "2024-01-01"), ("b", "d", "2024-02-01"),
                                              ("c", "d", "2023-03-01")]):
        other = cited if citing == "d" else citing
        lines.append(f"<{id_}citation/{n}> <http://purl.org/spar/cito/hasCitingEntity> <{id_}doc/{citing}> ; "
                     f"<http://purl.org/spar/cito/hasCitedEntity> <{id_}doc/{cited}> .")
        lines.append(f'<{id_}doc/{other}> <http://data.europa.eu/eli/ontology#date_document> "{day}"'
                     "^^<http://www.w3.org/2001/XMLSchema#date> .")
    store = ox.Store()
    store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    doc = URIRef(id_ + "doc/d")
    full = documents.citations(LocalStore(store), doc)
    assert (full["out_total"], full["in_total"]) == (2, 3)
    # every citation under the cap, the newest documents first
    assert [c["ref"].iri.rsplit("/", 1)[1] for c in full["out"]] == ["y", "x"]
    assert [c["ref"].iri.rsplit("/", 1)[1] for c in full["in"]] == ["b", "a", "c"]
    capped = documents.citations(LocalStore(store), doc, cap=2)
    assert len(capped["in"]) == 2 and len(capped["out"]) == 2
    assert (capped["out_total"], capped["in_total"]) == (2, 3)
