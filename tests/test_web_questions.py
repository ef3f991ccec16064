"""Questions without SPARQL: the named queries of queries/ as forms generated from their headers, with name
look-up, table, CSV and the SPARQL text; values bound, never pasted (issue 12, point 4)."""

from __future__ import annotations

import csv
import html
import io
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg import queries
from kg.web.testing import running_server

ALL = queries.available()


def fetch(base: str, path: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def ask(name: str, **values: str) -> str:
    return f"/cau-hoi/{name}?" + urllib.parse.urlencode({**values, "chay": "1"})


def table_rows(page: str) -> int:
    table = re.search(r'<table id="ket-qua">(.*?)</table>', page, re.S)
    return len(re.findall(r"<tr>", table[1])) - 1 if table else -1


def test_questions_page_lists_every_named_query(base):
    status, _, page = fetch(base, "/cau-hoi")
    assert status == 200
    listed = re.findall(r'<li data-query="([\w-]+)"><a href="/cau-hoi/([\w-]+)" title="[^"]*"><b>([^<]+)</b>', page)
    assert [n for n, _, _ in listed] == list(ALL)
    for name, _, question in listed:
        assert question.strip() and not question.startswith(ALL[name].summary[:20]), "a Vietnamese question"
    nav = re.search(r"<nav>(.*?)</nav>", page, re.S)[1]
    assert 'href="/cau-hoi"' in nav and "/query" not in nav and "SPARQL" not in nav


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_form_is_generated_from_the_header(base, name):
    status, _, page = fetch(base, f"/cau-hoi/{name}")
    assert status == 200
    form = re.search(r'<form class="filters card" method="get" action="/cau-hoi/' + name + '" id="hoi">(.*?)</form>',
                     page, re.S)[1]
    fields = re.findall(r'<(input|select) id="f-(\w+)"(?: type="(\w+)")?', form)
    assert [f[1] for f in fields] == [p.name for p in ALL[name].params]
    for (tag, pname, typ), p in zip(fields, ALL[name].params):
        if p.choices:
            assert tag == "select"
            assert all(f'<option value="{c}"' in form for c in p.choices)
        elif p.kind == "date":
            assert typ == "date"
        elif p.kind == "IRI":
            assert typ == "text" and 'list="ds-lookup-' in form
    assert f'href="/cau-hoi/{name}.rq"' in page
    assert html.escape(ALL[name].text.splitlines()[-1], quote=False).strip() in page  # the SPARQL shown on demand


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_example_answers_as_the_cli_does(base, name, seed_store):
    q = ALL[name]
    want = queries.run(seed_store, q, q.example)
    status, _, page = fetch(base, ask(name, **q.example))
    assert status == 200
    assert table_rows(page) == min(len(want), 1000)
    status, headers, body = fetch(base, f"/cau-hoi/{name}.csv?" + urllib.parse.urlencode(q.example))
    assert status == 200 and headers["content-type"].startswith("text/csv") and body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == queries.columns(q) and len(rows) - 1 == len(want)
    # the same rows in the same order (a query's `#+ order:` columns sorted, its `#+ keys:` bound, as by the CLI)
    if q.order:
        assert rows[1:] == [[str(w.get(c, "")) if w.get(c) is not None else "" for c in rows[0]] for w in want]


def test_names_are_looked_up_forgiving_diacritics_and_keys_work(base):
    _, _, by_name = fetch(base, ask("agency-duties", agency="so cong thuong an giang"))
    _, _, by_key = fetch(base, ask("agency-duties", agency="agency/so-cong-thuong-tinh-an-giang"))
    _, _, by_iri = fetch(base, ask("agency-duties",
                                   agency="https://w3id.org/vn-directives/id/agency/so-cong-thuong-tinh-an-giang"))
    assert table_rows(by_name) == table_rows(by_key) == table_rows(by_iri) == 8
    _, _, lead = fetch(base, ask("agency-duties", agency="so cong thuong an giang", role="lead"))
    assert table_rows(lead) == 8
    # documents in the result open their page, shown by their identifying label
    assert '<a href="/doc/305-kh-ubnd-tinh-an-giang-2024">Kế hoạch 305/KH-UBND · An Giang · 22/03/2024</a>' in by_name


def test_an_ambiguous_or_unknown_name_offers_candidates(base):
    _, _, page = fetch(base, ask("agency-duties", agency="so tai chinh"))
    notice = re.search(r'<div class="notice" data-field="agency">(.*?)</div>', page, re.S)[1]
    assert "nhiều cơ quan" in notice
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', notice)]
    assert "/cau-hoi/agency-duties?agency=agency%2Fso-tai-chinh-tinh-lang-son&chay=1" in links  # replaces the name
    assert table_rows(page) == -1
    _, _, page = fetch(base, ask("citations", doc="305/KH-UBDN"))  # a typo in the number
    assert 'data-field="doc"' in page and "Không tìm thấy văn bản" in page


def test_a_required_field_left_empty_or_a_bad_date_is_said(base):
    _, _, page = fetch(base, ask("deadlines", **{"from": "2024-01-01"}))
    assert re.search(r'data-field="to"><b>Đến ngày:</b> Cần điền', page)
    _, _, page = fetch(base, ask("deadlines", **{"from": "hôm qua", "to": "2024-12-31"}))
    assert 'data-field="from"' in page and "Ngày không hợp lệ" in page
    status, _, _ = fetch(base, "/cau-hoi/deadlines.csv?from=x&to=y")
    assert status == 400


def test_the_sparql_text_is_a_link_away(base):
    status, headers, body = fetch(base, "/cau-hoi/agency-duties.rq")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert body == ALL["agency-duties"].text
    _, _, page = fetch(base, "/cau-hoi/agency-duties")
    link = html.unescape(re.search(r'<a href="(/query\?query=[^"]+)">Mở trong trang truy vấn SPARQL', page)[1])
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["query"][0] == ALL["agency-duties"].text
    assert fetch(base, "/cau-hoi/khong-co")[0] == 404
    assert fetch(base, "/cau-hoi/..%2Fkg%2Fcli.rq")[0] == 404


# -- injection: what a form field holds is bound as one RDF term, never pasted into the query text -----------------
INJECTIONS = [
    ('"} } ; DROP ALL ; #', "text"),
    ("> } INSERT DATA { <http://x> <http://y> <http://z> } #", "text"),
    ("https://w3id.org/vn-directives/id/agency/x> } UNION { ?duty ?p ?o } #", "iri"),
    ("lead\" || true || \"", "choice"),
    ('2024-01-01"^^xsd:date || true) #', "date"),
]


@pytest.mark.parametrize("value,what", INJECTIONS)
def test_injected_text_in_any_field_is_a_value_not_query_text(base, value, what):
    before = table_rows(fetch(base, ask("network-edges"))[2])
    cases = [ask("agency-duties", agency=value), ask("agency-duties", agency="so cong thuong an giang", role=value),
             ask("deadlines", **{"from": value, "to": "2030-01-01"}), ask("citations", doc=value),
             ask("scheme-targets", scheme="01/QĐ-TTg", unit=value), ask("scheme-targets", scheme="01/QĐ-TTg", year=value)]
    for path in cases:
        status, _, page = fetch(base, path)
        assert status == 200, path
        # never more rows than the honest question gives: a pasted "|| true" would return everything
        assert table_rows(page) <= 0, path
        assert "<script" not in page.split("<main", 1)[1].split("<footer", 1)[0]
        status, _, _ = fetch(base, path.replace("?", ".csv?", 1))
        assert status in (200, 400)
    # the graph is unchanged: the unit and year literals matched no target, nothing was inserted or dropped
    status, _, page = fetch(base, ask("agency-duties", agency="so cong thuong an giang"))
    assert table_rows(page) == 8
    assert table_rows(fetch(base, ask("network-edges"))[2]) == before > 0


def test_a_question_runs_in_the_query_worker_with_its_limits(seed_build):
    # a costly question cannot hold the server: it runs where /sparql queries run, cut at --max-rows and
    # stopped after --query-timeout (here a limit no query meets)
    with running_server(seed_build[1], "--max-rows", "3") as url:
        _, _, page = fetch(url, ask("network-nodes"))
        assert table_rows(page) == 3 and "kết quả đã bị cắt" in page
        status, headers, body = fetch(url, "/cau-hoi/network-nodes.csv")
        assert status == 200 and headers["x-result-truncated"] == "true" and len(body.splitlines()) == 4
    with running_server(seed_build[1], "--query-timeout", "0.000001") as url:
        status, _, page = fetch(url, ask("agencies-by-duties"))
        assert status == 200 and re.search(r'<div class="error">[^<]*giây', page)
