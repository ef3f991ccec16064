"""Search on the web forgives typos as `kg duties` does, ranks exact numbers first, keeps the header box for search."""

from __future__ import annotations

import contextlib
import html
import io
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.cli import main


def get(base: str, path: str) -> tuple[int, object, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", errors="replace")


def search(base: str, q: str) -> str:
    return get(base, "/search?" + urllib.parse.urlencode({"q": q}))[2]


def links(fragment: str) -> list[tuple[str, str]]:
    return [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', fragment)]


def suggestions(body: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="notice suggestions" id="goi-y">(.*?)</div>', body, re.S)
    return links(box[1]) if box else []


def results(body: str, kind: str) -> list[tuple[str, str]]:
    box = re.search(rf'<ul class="plain" data-kind="{kind}">(.*?)</ul>', body, re.S)
    return links(box[1]) if box else []


def cli_suggestions(seed_build, *argv: str) -> list[str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--build", str(seed_build[1])]) == 1
    lines = err.getvalue().splitlines()
    return [x.strip() for x in lines[lines.index("  did you mean:") + 1:]]


def test_misspelt_unaccented_agency_gets_the_cli_s_suggestions(base, seed_build):
    body = search(base, "so cong thong an giang")
    assert "Có phải bạn muốn tìm" in body
    found = suggestions(body)
    assert found[0] == ("/agency/so-cong-thuong-tinh-an-giang", "Sở Công Thương tỉnh An Giang")
    # the same closest names `kg duties` offers, in the same order
    cli = cli_suggestions(seed_build, "duties", "so cong thong an giang")
    assert [label for _, label in found if _.startswith("/agency/")][:len(cli)] == cli


def test_misspelt_document_number_suggests_the_document(base, seed_build):
    found = suggestions(search(base, "305/KH-UBD"))
    assert found and found[0][0] == "/doc/305-kh-ubnd-tinh-an-giang-2024"
    assert found[0][1] == "Kế hoạch 305/KH-UBND · An Giang · 22/03/2024"
    assert cli_suggestions(seed_build, "trace", "305/KH-UBD")[0] == "Kế hoạch 305/KH-UBND"


def test_a_search_that_finds_things_suggests_nothing(base):
    body = search(base, "so cong thuong an giang")
    assert "Có phải bạn muốn tìm" not in body
    assert results(body, "agency")[0][0] == "/agency/so-cong-thuong-tinh-an-giang"


@pytest.mark.parametrize("query", ["01/QĐ-TTg", "01/qd-ttg", "Quyết định số 01/QĐ-TTg của Thủ tướng"])
def test_an_exact_document_number_ranks_first(base, query):
    docs = results(search(base, query), "document")
    assert docs[0][0] == "/doc/01-qd-ttg-2023"


def test_a_number_with_other_words_still_finds_the_document_first(base):
    body = search(base, "kế hoạch số 305/KH-UBND An Giang")
    docs = results(body, "document")
    assert docs[0] == ("/doc/305-kh-ubnd-tinh-an-giang-2024", "Kế hoạch 305/KH-UBND · An Giang · 22/03/2024")
    assert 'class="badge exact"' in body


def test_header_box_holds_the_search_never_the_sparql(base):
    sparql = "SELECT ?s WHERE { ?s a ?c } LIMIT 1"
    _, _, body = get(base, "/query?" + urllib.parse.urlencode({"query": sparql}))
    header = re.search(r'<header.*?</header>', body, re.S)[0]
    assert re.search(r'<input type="search" name="q" value=""', header)
    assert "SELECT" not in header
    _, _, body = get(base, "/search?q=ho+tro")
    header = re.search(r'<header.*?</header>', body, re.S)[0]
    assert 'value="ho tro"' in header


def test_suggestions_on_a_large_index_find_what_the_full_comparison_finds(monkeypatch):
    """Over 5,000 labels, difflib only sees labels sharing words with the query; the best suggestion stays the same."""
    from rdflib import URIRef

    import kg.lookup as lk

    provinces = ["An Giang", "Lạng Sơn", "Long An", "Hà Giang", "Bắc Giang", "Tiền Giang", "Hậu Giang", "Sơn La",
                 "Lào Cai", "Cao Bằng", "Bắc Kạn", "Thái Nguyên", "Phú Thọ", "Hòa Bình", "Nghệ An", "Hà Tĩnh"]
    bodies = ["Sở Tài chính", "Sở Công Thương", "Sở Y tế", "Sở Nội vụ", "Sở Tư pháp", "Hội Liên hiệp Phụ nữ",
              "Hội Nông dân", "Liên minh Hợp tác xã", "Ban Dân tộc", "Sở Xây dựng"]
    entries = [(URIRef(f"urn:a:{p}:{b}:{i}"), "agency", f"{b} {'tỉnh' if i == 0 else f'huyện Số {i}'} {p}")
               for p in provinces for b in bodies for i in range(40)]
    assert len(entries) > lk._PREFILTER_FROM
    index = lk.Lookup(entries)
    for query, expected in [("so tai chnh lang son", "Sở Tài chính tỉnh Lạng Sơn"),
                            ("hoi lien hiep phu nu an giag", "Hội Liên hiệp Phụ nữ tỉnh An Giang"),
                            ("so cong thong tien giang", "Sở Công Thương tỉnh Tiền Giang")]:
        fast = [h.label for h in index.suggest_hits(query, ("agency",), 3)]
        monkeypatch.setattr(lk, "_PREFILTER_FROM", 10**9)
        index._suggest_cache.clear()
        full = [h.label for h in index.suggest_hits(query, ("agency",), 3)]
        monkeypatch.undo()
        index._suggest_cache.clear()
        assert fast[0] == full[0] == expected, (query, fast, full)
