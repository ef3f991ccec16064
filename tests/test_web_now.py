"""Issue 10 on the web: duties "now" on the agency page, current holders on a district plan's page, and the
coverage page of a central decision (a table and a grid of the 34 provinces), over a real `kg serve`."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import shutil
import time
import urllib.error
import urllib.request

import pytest

from kg.cli import main
from kg.web.testing import running_server

FIN_AG = "/agency/so-tai-chinh-tinh-an-giang"
KHDT_AG = "/agency/so-ke-hoach-va-dau-tu-tinh-an-giang"
TRANG_DINH_PLAN = "/doc/ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86"
QD_01 = "/doc/01-qd-ttg-2023"
HOSTILE = '<script>alert("pwned")</script> "x" <img src=x onerror=alert(1)> &'


def get(base: str, path: str) -> tuple[int, str]:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            status, text = r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode("utf-8")
    print(f"{path}: {status} in {(time.perf_counter() - t) * 1000:.1f} ms")  # printed, never asserted
    return status, text


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def section(body: str, element_id: str) -> str:
    """The element with this id, up to its closing tag of the same name (no nesting of that tag inside)."""
    m = re.search(r'<(\w+)[^>]*\bid="' + re.escape(element_id) + r'"', body)
    assert m, element_id
    end = body.index(f"</{m.group(1)}>", m.end())
    return body[m.start():end]


def test_finance_department_now_view_holds_the_planning_department_s_duties(base, seed_build):
    status, page = get(base, FIN_AG)
    assert status == 200
    box = section(page, "hien-nay")
    assert "Sở Kế hoạch và Đầu tư tỉnh An Giang" in plain(box) and "45/2025/NĐ-CP" in box
    assert f'href="{FIN_AG}/hien-nay"' in box

    status, now = get(base, FIN_AG + "/hien-nay")
    assert status == 200
    table = section(now, "now-duties")
    rows = re.findall(r'<tr data-held="(own|inherited)">(.*?)</tr>', table, re.S)
    inherited = [plain(r) for kind, r in rows if kind == "inherited"]
    assert inherited and all("Sở Kế hoạch và Đầu tư tỉnh An Giang" in r and "45/2025/NĐ-CP" in r for r in inherited)
    assert f'href="{KHDT_AG}"' in table
    # the same duties as `kg duties ... --now`
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["duties", "Sở Tài chính", "--in", "An Giang", "--now", "--format", "json",
                     "--build", str(seed_build[1])]) == 0
    cli = json.loads(out.getvalue())
    anchors = set(re.findall(r'href="/doc/[^"#]+#(duty-[0-9a-f]+)"', table))
    assert anchors == {"duty-" + r["duty"].rsplit("/", 1)[-1] for r in cli}
    assert len(rows) == len(cli)
    assert sum(1 for kind, _ in rows if kind == "inherited") == sum(1 for r in cli if r["succession"])


def test_abolished_department_names_who_holds_its_duties_now(base):
    status, page = get(base, KHDT_AG)
    assert status == 200
    box = section(page, "hien-nay")
    assert "không còn" in plain(box) and f'href="{FIN_AG}"' in box and "45/2025/NĐ-CP" in box


def test_trang_dinh_plan_names_its_communes_and_province_now(base):
    status, page = get(base, TRANG_DINH_PLAN)
    assert status == 200
    box = plain(section(page, "hien-nay"))
    assert "huyện Tràng Định không còn từ 01/07/2025" in box
    for commune in ("Đoàn Kết", "Quốc Khánh", "Tân Tiến", "Kháng Chiến", "Thất Khê", "Tràng Định", "Quốc Việt"):
        assert f"xã {commune}" in box
    assert "7 xã, phường" in box and "tỉnh Lạng Sơn" in box
    holders = section(page, "hien-nay")
    assert 'href="/agency/uy-ban-nhan-dan-tinh-lang-son"' in holders
    assert len(re.findall(r'href="/agency/uy-ban-nhan-dan-xa-[^"]+"', holders)) == 7
    assert "72/2025/QH15" in holders


def test_coverage_page_of_01_qd_ttg(base):
    status, doc = get(base, QD_01)
    assert status == 200 and f'href="{QD_01}/cac-tinh"' in doc
    status, page = get(base, QD_01 + "/cac-tinh")
    assert status == 200
    start = page.index('id="province-grid"')
    grid = page[start:page.index("<h2", start)]
    cells = re.findall(r'<div class="cell (done|todo)"[^>]*data-code="(\d+)" data-covered="(yes|no)"', grid)
    assert len(cells) == 34 and len({c for _, c, _ in cells}) == 34
    assert {c for kind, c, _ in cells if kind == "done"} == {"20", "91"}  # Lạng Sơn, An Giang of today
    assert all((kind == "done") == (cov == "yes") for kind, _, cov in cells)
    assert grid.count("✓") == 2 and grid.count("✗") == 32  # readable without colour
    for anchor, total in (("bang-hien-nay", 34), ("bang-khi-ban-hanh", 63)):
        table = section(page, anchor)
        issued = [plain(r) for r in re.findall(r'<tr data-covered="yes">(.*?)</tr>', table, re.S)]
        assert len(re.findall(r'<tr data-covered="(?:yes|no)">', table)) == total
        assert len(issued) == 2
        assert any("Tỉnh An Giang" in r for r in issued) and any("Tỉnh Lạng Sơn" in r for r in issued)
    assert "94/KH-UBND" in section(page, "bang-hien-nay")


def test_unknown_pages_are_not_found(base):
    assert get(base, "/agency/khong-co-co-quan-nay/hien-nay")[0] == 404
    assert get(base, "/doc/khong-co-van-ban-nay/cac-tinh")[0] == 404
    assert get(base, "/doc/..%2F..%2Fetc/cac-tinh")[0] == 404


# -- markup in labels is text ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_base(seed_build, tmp_path_factory):
    """The seed build plus a body with a hostile name succeeded by Sở Tài chính tỉnh An Giang (hostile act), owning
    one duty, and a hostile plan of Lạng Sơn implementing 01/QĐ-TTg."""
    seed = seed_build[1]
    dest = tmp_path_factory.mktemp("now-hostile")
    shutil.copytree(seed / "sources", dest / "sources")
    ident, ont = "https://w3id.org/vn-directives/id/", "https://w3id.org/vn-directives/ontology#"
    org, eli = "http://www.w3.org/ns/org#", "http://data.europa.eu/eli/ontology#"

    def lit(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    old, fin = f"<{ident}agency/so-cu-xss>", f"<{ident}agency/so-tai-chinh-tinh-an-giang>"
    event, duty, plan = f"<{ident}succession/0bad>", f"<{ident}duty/0bad1>", f"<{ident}doc/667-kh-xss-2024>"
    triples = [
        (old, "a", f"<{ont}Agency>"), (old, "<http://www.w3.org/2004/02/skos/core#prefLabel>", lit(f"Sở cũ {HOSTILE}")),
        (event, "a", f"<{ont}Succession>"), (event, f"<{org}originalOrganization>", old),
        (event, f"<{org}resultingOrganization>", fin), (event, "<http://purl.org/dc/terms/date>",
                                                       '"2025-03-01"^^<http://www.w3.org/2001/XMLSchema#date>'),
        (event, f"<{ont}actNumber>", lit(f"1/{HOSTILE}")), (old, f"<{ont}succeededBy>", fin),
        (plan, "a", f"<{ont}AdministrativeDocument>"), (plan, "<http://www.w3.org/2000/01/rdf-schema#label>",
                                                        lit(f"Kế hoạch {HOSTILE}")),
        (plan, f"<{eli}id_local>", lit(f"667/{HOSTILE}")),
        (plan, f"<{eli}passed_by>", f"<{ident}agency/uy-ban-nhan-dan-tinh-lang-son>"),
        (plan, f"<{eli}ensures_implementation_of>", f"<{ident}doc/01-qd-ttg-2023>"),
        (plan, f"<{ont}assignsDuty>", duty), (duty, "a", f"<{ont}Duty>"), (duty, f"<{ont}leadAgency>", old),
        (duty, f"<{ont}taskDescription>", lit(f"Nhiệm vụ {HOSTILE}")),
    ]
    trig = (seed / "graph.trig").read_text(encoding="utf-8")
    trig += f"\n<{ident}graph/now-xss> {{\n" + "".join(f"{s} {p} {o} .\n" for s, p, o in triples) + "}\n"
    (dest / "graph.trig").write_text(trig, encoding="utf-8")
    with running_server(dest) as url:
        yield url


@pytest.mark.parametrize("path", [FIN_AG, FIN_AG + "/hien-nay", "/agency/so-cu-xss", "/agency/so-cu-xss/hien-nay",
                                  QD_01 + "/cac-tinh", "/doc/667-kh-xss-2024"])
def test_hostile_labels_are_escaped(hostile_base, path):
    status, body = get(hostile_base, path)
    assert status == 200
    assert "<script>alert" not in body and "<img src=x" not in body
    assert set(re.findall(r"<script[^>]*>", body)) <= {'<script src="/static/page.js">'}
    if path != "/doc/667-kh-xss-2024":
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in body  # shown, as text
