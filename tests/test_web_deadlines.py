"""Deadlines as a tool: "Việc cần làm" by deadline bucket, filters, CSV and iCalendar exports, the agency page's
section, and `kg duties --due-before / --format ics` (issue 12, point 1)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from kg import ics
from kg.cli import main
from kg.web.deadlines import bucket_of
from kg.web.testing import DEADLINE_DOC, DEADLINE_DOC_LS, DEADLINE_TODAY, make_deadline_build, running_server

TODAY = "today=" + DEADLINE_TODAY
# the rule of the buckets stated as one SPARQL filter form: the definition the pages are compared with
RULE = Path(__file__).parent / "fixtures" / "deadline-rule"


@pytest.fixture(scope="module")
def deadline_build(seed_build, tmp_path_factory):
    return make_deadline_build(seed_build[1], tmp_path_factory.mktemp("deadline-build"))


@pytest.fixture(scope="module")
def base(deadline_build):
    with running_server(deadline_build) as url:
        yield url


def fetch(base: str, path: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def page(base: str, path: str) -> str:
    status, _, body = fetch(base, path)
    assert status == 200, (path, status)
    return body.decode("utf-8")


def buckets(html: str) -> dict[str, list[str]]:
    """The fixture's duties ("duty-han-...") listed under each bucket section of the page."""
    out = {}
    for name, section in re.findall(r'<section class="bucket" id="nhom-(\w+)".*?>(.*?)</section>', html, re.S):
        out[name] = re.findall(r'data-duty="(duty-han-[\w-]+)"', section)
    return out


def counts(html: str) -> dict[str, int]:
    return {k: int(n.replace(".", "")) for k, n in re.findall(r'data-bucket="(\w+)" href="[^"]*"><b>([\d.]+)</b>', html)}


# -- buckets ---------------------------------------------------------------------------------------------------------
def test_bucket_rule():
    today = date(2025, 2, 10)
    assert bucket_of(date(2025, 2, 9), None, today) == "overdue"
    assert bucket_of(date(2025, 2, 10), None, today) == "month"
    assert bucket_of(date(2025, 2, 28), None, today) == "month"
    assert bucket_of(date(2025, 3, 1), None, today) == "quarter"
    assert bucket_of(date(2025, 3, 31), None, today) == "quarter"
    assert bucket_of(date(2025, 4, 1), None, today) == "later"
    assert bucket_of(date(2025, 1, 1), "yearly", today) == "recurring"
    assert bucket_of(None, None, today) == "none"
    assert bucket_of(date(2025, 12, 31), None, date(2025, 12, 31)) == "month"  # last month of the year


def test_todo_page_sorts_duties_into_buckets_relative_to_today(base):
    html = page(base, "/viec-can-lam?" + TODAY)
    got = buckets(html)
    assert got["overdue"] == ["duty-han-qua"]  # (the seed's dated duties have no "duty-han-" anchor)
    assert got["month"] == ["duty-han-lang-son", "duty-han-thang"]  # earliest deadline first
    assert got["quarter"] == ["duty-han-quy"]
    assert got["later"] == ["duty-han-sau"]
    assert "duty-han-dinh-ky" in got["recurring"]
    assert "duty-han-khong" in got["none"]
    c = counts(html)
    # the seed's own duties may gain deadlines as the extractor improves: count the fixture's plans alone
    for doc, want in ((DEADLINE_DOC, (1, 1, 1, 1, 1, 1)), (DEADLINE_DOC_LS, (0, 1, 0, 0, 0, 0))):
        c = counts(page(base, "/viec-can-lam?" + TODAY + "&doc=" + doc))
        assert tuple(c[k] for k in ("overdue", "month", "quarter", "later", "recurring", "none")) == want, doc
    assert ">10/02/2025<" in html
    # another day, other buckets
    got = buckets(page(base, "/viec-can-lam?today=2025-03-05"))
    assert set(got["overdue"]) == {"duty-han-qua", "duty-han-thang", "duty-han-lang-son"}
    assert got["month"] == ["duty-han-quy"] and got.get("quarter", []) == []


def test_one_bucket_is_listed_alone_and_paged(base):
    html = page(base, "/viec-can-lam?" + TODAY + "&bucket=none")
    assert list(buckets(html)) == ["none"]
    assert 'class="pager"' in html


def test_filters_by_agency_name_jurisdiction_document_and_scheme(base):
    by_name = buckets(page(base, "/viec-can-lam?" + TODAY + "&agency=" + urllib.parse.quote("so tai chinh an giang")))
    dated = {d for k in ("overdue", "month", "quarter", "later") for d in by_name.get(k, [])}
    assert dated == {"duty-han-qua", "duty-han-thang", "duty-han-sau"}
    by_key = page(base, "/viec-can-lam?" + TODAY + "&agency=agency/so-tai-chinh-tinh-an-giang")
    assert buckets(by_key) == by_name and "Cơ quan: Sở Tài chính tỉnh An Giang" in by_key
    unit = re.search(r'<option value="(unit/[^"]+)">tỉnh Lạng Sơn</option>', page(base, "/viec-can-lam"))[1]
    lang_son = buckets(page(base, "/viec-can-lam?" + TODAY + "&unit=" + unit))
    assert lang_son["month"] == ["duty-han-lang-son"] and "overdue" not in lang_son
    doc = buckets(page(base, "/viec-can-lam?" + TODAY + "&doc=" + DEADLINE_DOC))
    assert "duty-han-lang-son" not in str(doc) and doc["overdue"] == ["duty-han-qua"]
    by_number = buckets(page(base, "/viec-can-lam?" + TODAY + "&doc=" + urllib.parse.quote("88/KH-UBND")))
    assert by_number == doc
    scheme_key = re.search(r'<option value="(scheme/[^"]+)"', page(base, "/viec-can-lam"))[1]
    scheme = buckets(page(base, "/viec-can-lam?" + TODAY + "&scheme=" + scheme_key))
    assert set(scheme["month"]) == {"duty-han-thang", "duty-han-lang-son"}


def test_an_ambiguous_or_unknown_name_asks_which_one(base):
    html = page(base, "/viec-can-lam?agency=" + urllib.parse.quote("so tai chinh"))
    notice = re.search(r'<div class="notice" data-field="agency">(.*?)</div>', html, re.S)[1]
    assert "khớp với nhiều cơ quan" in notice
    assert 'href="/viec-can-lam?agency=agency/so-tai-chinh-tinh-lang-son"' in notice
    html = page(base, "/viec-can-lam?agency=" + urllib.parse.quote("so cong thong an giang"))
    assert "Không tìm thấy cơ quan" in html and "agency=agency/so-cong-thuong-tinh-an-giang" in html


@pytest.mark.parametrize("query", [
    "agency=%22%20%7D%20DROP%20ALL%20%23", "doc=%3E%20%7D%20INSERT%20DATA%20%7B%20%3Cx%3E%20%3Cy%3E%20%3Cz%3E%20%7D",
    "unit=unit/%22%3E%3Cscript%3E", "scheme=scheme/..%2F..%2Fetc", "today=2025-13-45", "today=%3Cscript%3E",
    "bucket=%3Cscript%3E", "from=-5", "agency=http://example.org/x%3E%20%7D"])
def test_hostile_filter_values_are_bound_or_refused_never_pasted(base, query):
    status, _, body = fetch(base, "/viec-can-lam?" + query)
    html = body.decode("utf-8")
    assert status == 200 and "<script>" not in html.split("<main", 1)[1]
    for export in ("/viec-can-lam.csv?", "/viec-can-lam.ics?"):
        assert fetch(base, export + query)[0] == 200
    assert "Không có nhiệm vụ nào" not in html or "khớp bộ lọc" in html


# -- exports ---------------------------------------------------------------------------------------------------------
def test_csv_export(base):
    status, headers, body = fetch(base, "/viec-can-lam.csv?" + TODAY + "&agency=agency/so-tai-chinh-tinh-an-giang")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    by_duty = {r["iri_nhiem_vu"].rsplit("/", 1)[-1]: r for r in rows}
    assert by_duty["han-qua"]["nhom_thoi_han"] == "Quá hạn" and by_duty["han-qua"]["han"] == "2025-01-15"
    assert by_duty["han-dinh-ky"]["dinh_ky"] == "hằng năm"
    assert by_duty["han-qua"]["trang"].endswith(DEADLINE_DOC.replace("doc/", "/doc/") + "#duty-han-qua")
    assert "(dòng thứ hai" in by_duty["han-qua"]["cau_goc"]
    assert "han-lang-son" not in by_duty


def test_ics_export_one_event_per_dated_duty_folded_and_escaped(base):
    status, headers, body = fetch(base, "/viec-can-lam.ics?" + TODAY + "&agency=agency/so-tai-chinh-tinh-an-giang")
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    raw = body.decode("utf-8")
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    for physical in raw.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    lines = ics.unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines and "VERSION:2.0" in lines
    events = [e.split("\r\n") for e in "\r\n".join(lines).split("BEGIN:VEVENT\r\n")[1:]]
    # han-qua, han-thang, han-sau, han-dinh-ky have deadlines; han-khong has none: no event
    mine = [e for e in events if any(ln.startswith("URL:") and "#duty-han-" in ln for ln in e)]
    assert len(mine) == 4 and "#duty-han-khong" not in raw.replace("\r\n ", "")
    events = mine
    first = {ln.split(":", 1)[0]: ln.split(":", 1)[1] for ln in events[0] if ":" in ln}
    assert first["DTSTART;VALUE=DATE"] == "20250115"
    assert first["SUMMARY"] == r"Sở Tài chính tỉnh An Giang: Tổng hợp\, báo cáo kết quả\; rà soát số liệu \\ quý IV"
    assert r"(dòng thứ hai\, có dấu phẩy\, chấm phẩy\; và gạch \\ ngược)" in first["DESCRIPTION"]
    assert r"15/01/2025.\n(dòng thứ hai" in first["DESCRIPTION"]  # the source sentence keeps its line break
    assert first["URL"] == base + "/doc/88-kh-ubnd-tinh-an-giang-2025#duty-han-qua"
    assert 'id="duty-han-qua"' in page(base, "/doc/88-kh-ubnd-tinh-an-giang-2025")
    assert first["DTSTAMP"] == "20250210T000000Z"
    uids = [ln for e in events for ln in e if ln.startswith("UID:")]
    assert len(set(uids)) == 4
    recurring = next(e for e in events if "DTSTART;VALUE=DATE:20251215" in e)
    assert "RRULE:FREQ=YEARLY" in recurring


def test_ics_folding_never_splits_a_character():
    line = "DESCRIPTION:" + ics.escape_text("Ủy ban nhân dân tỉnh, thành phố; các Sở\\ngành\n" * 8)
    folded = ics.fold(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in folded.split("\r\n"))
    assert ics.unfold(folded) == [line, ""]
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == r"a\,b\;c\\d\ne\nf"


# -- the agency page -------------------------------------------------------------------------------------------------
def test_agency_page_shows_its_deadlines(base):
    html = page(base, "/agency/so-tai-chinh-tinh-an-giang?" + TODAY)
    section = html.split('id="thoi-han"', 1)[1].split('id="nhiem-vu"', 1)[0]
    c = counts(section)
    # at least the fixture's (the seed's duties of this agency may have deadlines of their own)
    assert all(c[k] >= n for k, n in {"overdue": 1, "month": 1, "later": 1, "recurring": 1}.items())
    total = int(re.search(r'<div class="stat"><b>([\d.]+)</b>nhiệm vụ</div>', html)[1].replace(".", ""))
    assert sum(c.values()) == total  # every duty of the agency in exactly one bucket
    soon = re.findall(r'<tr data-bucket="(\w+)">.*?#(duty-[\w-]+)"', section, re.S)
    assert ("overdue", "duty-han-qua") in soon and ("month", "duty-han-thang") in soon
    assert [b for b, _ in soon] == sorted((b for b, _ in soon), key=["overdue", "month"].index)
    assert 'href="/viec-can-lam.ics?agency=agency/so-tai-chinh-tinh-an-giang&amp;today=2025-02-10"' in section


def test_todo_page_is_in_the_main_navigation_and_sparql_is_not(base):
    html = page(base, "/")
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)[1]
    assert 'href="/viec-can-lam"' in nav and "/query" not in nav
    assert 'href="/query"' in html.split("<footer", 1)[1]


# -- the CLI ---------------------------------------------------------------------------------------------------------
def cli(deadline_build, *argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["duties", *argv, "--build", str(deadline_build)]) == 0
    return out.getvalue()


def test_cli_due_before(deadline_build):
    import json

    def due(*argv):
        rows = json.loads(cli(deadline_build, "so tai chinh an giang", *argv, "--format", "json"))
        assert all(r["deadline"] < argv[-1] for r in rows)
        return sorted(r["deadline"] for r in rows if "/duty/han-" in r["duty"])  # the fixture's

    assert due("--due-before", "2025-02-28") == ["2025-01-15"]  # the day itself is excluded
    assert due("--due-before", "2025-03-01") == ["2025-01-15", "2025-02-28"]
    with pytest.raises(SystemExit):
        main(["duties", "so tai chinh an giang", "--due-before", "mai", "--build", str(deadline_build)])


def test_cli_ics(deadline_build):
    raw = cli(deadline_build, "so tai chinh an giang", "--format", "ics", "--due-before", "2026-01-01")
    lines = ics.unfold(raw)
    assert lines.count("URL:https://w3id.org/vn-directives/id/duty/han-qua") == 1
    assert sum(ln.startswith("URL:https://w3id.org/vn-directives/id/duty/han-") for ln in lines) == 4
    assert "DTSTART;VALUE=DATE:20250930" in lines
    assert r"SUMMARY:Sở Tài chính tỉnh An Giang: Tổng hợp\, báo cáo kết quả\; rà soát số liệu \\ quý IV" in lines
    assert "URL:https://w3id.org/vn-directives/id/duty/han-qua" in lines
    assert all(len(p.encode("utf-8")) <= 75 for p in raw.split("\r\n"))


@pytest.mark.parametrize("batch", [64, 2])  # 2: the duties without a deadline come from the rest of the documents
def test_buckets_counted_from_days_and_paged_by_days_are_those_of_the_rules_definition(deadline_build, batch,
                                                                                      monkeypatch):
    """The page counts each scope's duties per day once (*-deadline-days.rq) and sorts the days into buckets in
    Python, then reads a bucket's page from the days that hold it (or the recurring duties, or the newest
    documents' duties without a deadline).  For every kind of scope (the whole graph; each document, alone and
    with an agency or a jurisdiction; each jurisdiction alone and with an agency or a scheme; each scheme alone
    and with an agency; an agency alone) and three days, the counts are those of deadline-counts.rq, and the
    pages of every bucket (2 rows at a time, and all at once) list what deadline-duties.rq lists, in its order."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from kg import queries
    from kg.store import LocalStore
    from kg.web import deadlines

    monkeypatch.setattr(deadlines, "UNDATED_BATCH", batch)
    store = LocalStore.from_build(deadline_build)
    units = [r["unit"] for r in queries.run(store, queries.explorer("jurisdictions"), {})]
    schemes = [r["scheme"] for r in queries.run(store, queries.explorer("schemes"), {})]
    docs = [r["doc"] for r in queries.run(store, queries.explorer("documents-with-most-duties"), {})]
    docs = sorted(docs, key=str)
    agency = queries.run(store, queries.explorer("agencies-with-most-duties"), {"top": 1})[0]["agency"]
    dated_agency = URIRef("https://w3id.org/vn-directives/id/agency/so-tai-chinh-tinh-an-giang")  # the fixture's
    assert len(units) >= 5 and schemes and len(docs) >= 3
    kinds, compared = set(), set()
    for today in (date.fromisoformat(DEADLINE_TODAY), date(2025, 3, 5), date(2023, 6, 1)):
        scopes = [deadlines.Scope(today), deadlines.Scope(today, agency=agency), deadlines.Scope(today, agency=dated_agency),
                  deadlines.Scope(today, agency=dated_agency, scheme=schemes[0])]
        scopes += [deadlines.Scope(today, doc=d, **extra) for d in docs
                   for extra in ({}, {"agency": agency}, {"unit": units[0]}, {"scheme": schemes[0]})]
        scopes += [deadlines.Scope(today, unit=u, **extra) for u in units
                   for extra in ({}, {"agency": agency}, {"scheme": schemes[0]})]
        scopes += [deadlines.Scope(today, scheme=sc, **extra) for sc in schemes for extra in ({}, {"agency": agency})]
        for scope in scopes:
            kinds.add(scope.kind)
            rule = {"today": Literal(scope.today.isoformat(), datatype=XSD.date),
                    "monthEnd": Literal(scope.month_end.isoformat(), datatype=XSD.date),
                    "quarterEnd": Literal(scope.quarter_end.isoformat(), datatype=XSD.date), **scope.filters()}
            want_counts = {str(r["bucket"]): int(r["n"])
                           for r in queries.run(store, RULE / "deadline-counts.rq", rule)}
            assert deadlines.counts(store, scope) == {k: want_counts.get(k, 0) for k in deadlines.BUCKETS}, scope
            for bucket in deadlines.BUCKETS:
                want = [r["duty"] for r in queries.run(store, RULE / "deadline-duties.rq",
                                                       rule | {"want": bucket})]
                whole = [r["duty"] for r in deadlines.bucket_page(store, scope, bucket, 10_000, 0)]
                paged = [r["duty"] for offset in range(0, len(want) + 2, 2)
                         for r in deadlines.bucket_page(store, scope, bucket, 2, offset)]
                assert whole == want and paged == want, (scope, bucket)
                if want:
                    compared.add((scope.kind, bucket))
    assert kinds == set(deadlines.KINDS)
    # answers with duties in them, not only empty ones: every bucket of the whole graph, a dated one of each kind
    assert {b for k, b in compared if k == "all"} == set(deadlines.BUCKETS)
    assert {k for k, b in compared if b in ("overdue", "month", "quarter", "later")} == set(deadlines.KINDS)


def test_jurisdiction_filter_lists_provinces_and_districts_first_and_leaves_communes_out_of_a_long_list(
        deadline_build, monkeypatch):
    """On a national graph (12,676 units) the filter listed the first 500 names in alphabetical order, which are
    "huyện ..." names: no province could be chosen.  It now groups units by level, and when the whole list is
    long, lists provinces and districts and leaves the communes to their agencies."""
    from kg.store import LocalStore
    from kg.web import deadlines

    store = LocalStore.from_build(deadline_build)
    opts = deadlines._options(store)
    groups = dict(opts["unit_groups"])
    assert list(groups)[:2] == ["Tỉnh, thành phố", "Quận, huyện, thị xã"]
    assert ("unit/province-20", "tỉnh Lạng Sơn") in groups["Tỉnh, thành phố"]
    communes = groups["Xã, phường, thị trấn"]
    assert communes and all(lbl.startswith("xã ") for _, lbl in communes) and opts["units_unlisted"] == 0
    monkeypatch.setattr(deadlines, "UNIT_LIST_CAP", len(opts["units"]) - 1)
    short = deadlines._options(store)
    assert "Xã, phường, thị trấn" not in dict(short["unit_groups"])
    assert short["units_unlisted"] == len(communes) and short["units"] == opts["units"]
    assert dict(short["unit_groups"])["Tỉnh, thành phố"] == groups["Tỉnh, thành phố"]


def test_a_commune_chosen_by_its_key_is_shown_selected(base):
    html = page(base, "/viec-can-lam")
    key = re.search(r'<option value="(unit/commune-[^"]+)">', html)[1]
    chosen = page(base, "/viec-can-lam?" + TODAY + "&unit=" + key)
    assert re.search(rf'<option value="{key}"[^>]* selected>', chosen)
