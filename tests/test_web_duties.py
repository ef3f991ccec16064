"""One count of duties (agency page, home page, `kg duties`), no duty twice; long documents navigable."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import urllib.request

from rdflib import URIRef

from kg.cli import main
from kg.web.common import select
from kg.web.sections import find_sections, section_at

ID = "https://w3id.org/vn-directives/id/"
PLAN_305 = "/doc/305-kh-ubnd-tinh-an-giang-2024"
STARTS = """SELECT ?d (MIN(?st) AS ?s) WHERE {
  ?doc vnd:assignsDuty ?d . ?d vnd:evidence/oa:hasSelector/oa:start ?st } GROUP BY ?d"""


def body(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.read().decode("utf-8")


def cli_duties(seed_build, *argv: str) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["duties", *argv, "--format", "json", "--build", str(seed_build[1])]) == 0
    return json.loads(out.getvalue())


def duty_starts(store) -> dict[str, int]:
    """Where each duty of 305/KH-UBND starts in its source text, by the anchor the page gives it."""
    rows = select(store, STARTS, {"doc": URIRef(ID + "doc/305-kh-ubnd-tinh-an-giang-2024")})
    return {"duty-" + str(r["d"]).rsplit("/", 1)[-1]: int(r["s"]) for r in rows}


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def page_count(page: str) -> int:
    return int(re.search(r'<div class="stat"><b>([\d.]+)</b>nhiệm vụ</div>', page)[1].replace(".", ""))


def page_rows(page: str) -> list[tuple[str, str]]:
    """(role, duty anchor) of every row of the agency page's duty table."""
    rows = re.findall(r'<tr data-role="(\w+)">.*?href="/(?:doc|scheme)/[^"#]+#(duty-[0-9a-f]+)"', page, re.S)
    return rows


# -- (c) one count of duties ----------------------------------------------------------------------------------
def test_the_agency_that_both_leads_and_partners_a_duty_counts_it_once(base, seed_build, seed_store):
    # the seed build holds one duty naming Sở Công Thương tỉnh An Giang as lead and as partner
    agency = URIRef(ID + "agency/so-cong-thuong-tinh-an-giang")
    both = select(seed_store, "SELECT ?d WHERE { ?d vnd:leadAgency ?a ; vnd:partnerAgency ?a }", {"a": agency})
    assert len(both) == 1
    page = body(base, "/agency/so-cong-thuong-tinh-an-giang")
    rows = page_rows(page)
    cli = cli_duties(seed_build, "Sở Công Thương tỉnh An Giang")
    assert page_count(page) == len(rows) == len(cli) == 8
    assert len({a for _, a in rows}) == len(rows), "a duty is listed twice"
    twice = "duty-" + str(both[0]["d"]).rsplit("/", 1)[-1]
    assert [r for r, a in rows if a == twice] == ["lead"]
    assert "(chủ trì 8, phối hợp 0)" in page
    home = body(base, "/")
    assert re.search(r'href="/agency/so-cong-thuong-tinh-an-giang">Sở Công Thương tỉnh An Giang</a> — 8 nhiệm vụ', home)


def test_every_agency_page_agrees_with_kg_duties_and_lists_each_duty_once(base, seed_build, seed_store):
    agencies = select(seed_store, """SELECT ?a ?label (COUNT(DISTINCT ?d) AS ?n) WHERE { ?a skos:prefLabel ?label .
        { ?d vnd:leadAgency ?a } UNION { ?d vnd:partnerAgency ?a } } GROUP BY ?a ?label""")
    assert len(agencies) > 20
    for r in agencies:
        slug, n = str(r["a"]).rsplit("/", 1)[-1], int(r["n"])
        page = body(base, f"/agency/{slug}")
        rows = page_rows(page)
        cli = cli_duties(seed_build, str(r["label"]))
        assert page_count(page) == len(rows) == len({a for _, a in rows}) == len(cli) == n, slug
        lead = sum(1 for x in cli if x["duty_role"] == "lead")
        assert f"(chủ trì {lead}, phối hợp {n - lead})" in page, slug
        assert {a for _, a in rows} == {"duty-" + x["duty"].rsplit("/", 1)[-1] for x in cli}, slug


def test_home_page_counts_are_the_agency_pages_counts(base):
    home = body(base, "/")
    top = re.findall(r'<a href="(/agency/[^"]+)">[^<]+</a> — (\d+) nhiệm vụ', home)
    assert len(top) >= 5
    for path, n in top:
        assert page_count(body(base, path)) == int(n), path


def test_agency_network_counts_each_duty_once(base):
    page = body(base, "/network/agency/so-cong-thuong-tinh-an-giang")
    data = json.loads(re.search(r'<script id="network-data" type="application/json">(.*?)</script>', page, re.S)[1])
    titles = [e.get("title", "") for e in data["edges"]]
    assert "chủ trì (8)" in titles and not any(t.startswith("phối hợp") for t in titles)


def test_document_page_lists_each_duty_once_with_one_count(base, seed_build, seed_store):
    page = body(base, PLAN_305)
    rows = re.findall(r'<tr data-duty="(duty-[0-9a-f]+)">', page)
    n = int(select(seed_store, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?doc vnd:assignsDuty ?d }",
                   {"doc": URIRef(ID + "doc/305-kh-ubnd-tinh-an-giang-2024")})[0]["n"])
    assert len(rows) == len(set(rows)) == n
    assert f"Nhiệm vụ theo thứ tự trong văn bản <span class=\"muted\">({n})</span>" in page
    # the per-agency summary counts what `kg duties` counts on this document
    cli = [x for x in cli_duties(seed_build, "Sở Công Thương tỉnh An Giang")
           if x["document"].endswith("305-kh-ubnd-tinh-an-giang-2024")]
    row = re.search(r'<a href="/agency/so-cong-thuong-tinh-an-giang">Sở Công Thương tỉnh An Giang</a></td>(.*?)</tr>',
                    page, re.S)[1]
    assert f"chủ trì {len(cli)}" in row and "phối hợp" not in row


# -- (d) long documents navigable ------------------------------------------------------------------------------
def test_document_page_has_a_table_of_contents_of_its_sections(base):
    page = body(base, PLAN_305)
    toc = re.search(r'<nav class="toc card" id="muc-luc".*?</nav>', page, re.S)[0]
    entries = [(a, html.unescape(t)) for a, t in re.findall(r'<a href="#(muc-\d+)"[^>]*>([^<]+)</a>', toc)]
    titles = [t for _, t in entries]
    for expected in ("I. MỤC ĐÍCH, YÊU CẦU", "IV. NỘI DUNG THỰC HIỆN",
                     "5.1. Thực hiện tốt công tác phối hợp triển khai Đề án 01", "VI. TỔ CHỨC THỰC HIỆN",
                     "7. Sở Công Thương", "13. Ủy ban nhân dân các huyện, thị xã, thành phố"):
        assert expected in titles
    order = [titles.index(t) for t in ("I. MỤC ĐÍCH, YÊU CẦU", "VI. TỔ CHỨC THỰC HIỆN", "7. Sở Công Thương")]
    assert order == sorted(order)
    # every entry opens its heading in the source text, and the heading is there
    source = re.search(r'<pre class="source">(.*?)</pre>', page, re.S)[1]
    for anchor, title in entries:
        m = re.search(rf'<span class="anchor" id="{anchor}"></span>|<span id="{anchor}"></span>', source)
        assert m, anchor
        following = html.unescape(re.sub(r"<[^>]+>", "", source[m.end():m.end() + 600]))
        # compare words only: a table row's "I\n\nHoạt động" is listed as "I. Hoạt động"
        head = words(title.split(":")[0].rstrip("…"))[:40]
        assert words(following).startswith(head), (anchor, title, following[:60])
    # sections holding duties link to them in the duty list
    for anchor in re.findall(r'<a class="toc-count" href="#(nv-muc-\d+)"', toc):
        assert f'id="{anchor}"' in page


def test_duties_are_listed_in_the_plan_s_order(base, seed_store):
    page = body(base, PLAN_305)
    rows = re.findall(r'<tr data-duty="(duty-[0-9a-f]+)">', page)
    starts = duty_starts(seed_store)
    assert [starts[r] for r in rows] == sorted(starts[r] for r in rows)
    # and the same order as their highlights in the source text
    marks = re.findall(r'<mark class="duty" id="(duty-[0-9a-f]+)"', page)
    assert [m for m in marks if m in rows] == [r for r in rows if r in marks]


def test_duties_are_grouped_under_the_section_that_holds_them(base, seed_build, seed_store):
    page = body(base, PLAN_305)
    text = (seed_build[1] / "sources" / "002_4b436b8a86b296d8.txt").read_text(encoding="utf-8")
    sections = find_sections(text)
    starts = duty_starts(seed_store)
    table = re.search(r'<table id="duties" class="duties">(.*?)</table>', page, re.S)[1]
    heading, seen = None, 0
    rows = r'<tr class="section-row"><th colspan="6">(.*?)</th></tr>|<tr data-duty="(duty-[0-9a-f]+)">'
    for m in re.finditer(rows, table):
        if m.group(1) is not None:
            heading = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split(" › ")[-1]
        else:
            seen += 1
            sec = section_at(sections, starts[m.group(2)])
            assert heading == (sec.title if sec else "Phần mở đầu"), m.group(2)
    assert seen == len(starts)
    assert "VI. TỔ CHỨC THỰC HIỆN › 7. Sở Công Thương" in page


def test_a_text_without_headings_lists_its_duties_without_sections(base):
    page = body(base, "/doc/1644-vp-kt-tinh-lang-son-2023")
    assert "Các phần của văn bản" not in page and 'class="section-row"' not in page
    assert len(re.findall(r'<tr data-duty="duty-[0-9a-f]+">', page)) >= 2


def test_sections_are_read_from_numbered_headings():
    text = ("ỦY BAN NHÂN DÂN\n\nKẾ HOẠCH\n\nI. MỤC ĐÍCH\n\nNội dung.\n\n1. Sở Tài chính: bố trí kinh phí.\n\n"
            "1.1. Việc con\n\nII. TỔ CHỨC THỰC HIỆN\n\n2. Sở Y tế\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
            "PHỤ LỤC\n\nDANH MỤC NHIỆM VỤ\n\nI\n\nHoạt động chỉ đạo\n\n1\n\nXây dựng kế hoạch\n")
    secs = find_sections(text)
    assert [(s.level, s.title) for s in secs] == [
        (1, "I. MỤC ĐÍCH"), (2, "1. Sở Tài chính"), (3, "1.1. Việc con"), (1, "II. TỔ CHỨC THỰC HIỆN"),
        (2, "2. Sở Y tế"), (1, "PHỤ LỤC: DANH MỤC NHIỆM VỤ"), (2, "I. Hoạt động chỉ đạo")]
    assert all(text[s.start:].startswith(s.title.split(":")[0].split(".")[0]) for s in secs)
    assert section_at(secs, text.index("bố trí")).title == "1. Sở Tài chính"
    assert section_at(secs, 0) is None and find_sections("Một đoạn văn.\n\nĐoạn khác.") == []
