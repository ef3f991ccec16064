"""Text from documents is shown as text: a document whose title, duties and source hold markup."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from kg.cli import main
from kg.web.testing import make_hostile_build, running_server

HOSTILE = '<script>alert("pwned")</script> "trích" \'dẫn\' <img src=x onerror=alert(1)> & </textarea>'


@pytest.fixture(scope="module")
def hostile_build(seed_build, tmp_path_factory):
    """The seed build plus one document whose every text field carries markup and quotes."""
    return make_hostile_build(seed_build[1], tmp_path_factory.mktemp("hostile-build"), HOSTILE)


@pytest.fixture(scope="module")
def base(hostile_build):
    with running_server(hostile_build) as url:
        yield url


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8")


@pytest.mark.parametrize("path", ["/doc/666-kh-xss-2024", "/agency/so-thu-nghiem", "/search?q=so+thu+nghiem",
                                  "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/network/doc/666-kh-xss-2024",
                                  "/network/agency/so-thu-nghiem", "/query?query=SELECT+(%22%3Cscript%3E%22+AS+?x)+{}",
                                  "/search?q=so+thu+nghiem+script+alert+pwnd", "/search?q=666/KH-XSS",
                                  "/agency/so-thu-nghiem?doc=doc/666-kh-xss-2024",
                                  "/cau-hoi/agency-duties?agency=agency/so-thu-nghiem",
                                  "/cau-hoi/document?doc=doc/666-kh-xss-2024",
                                  "/cau-hoi/agency-duties?agency=%3Cscript%3Ealert(1)%3C/script%3E",
                                  "/cau-hoi/scheme-targets?scheme=01/Q%C4%90-TTg&unit=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
                                  "/viec-can-lam?agency=agency/so-thu-nghiem",
                                  "/viec-can-lam?agency=%3Cscript%3Ealert(1)%3C/script%3E"])
def test_markup_in_the_data_is_escaped(base, path):
    body = get(base + path)
    assert "<script>alert" not in body and "<img src=x" not in body and "</textarea> " not in body
    # our own scripts are the only ones on the page
    assert set(re.findall(r"<script[^>]*>", body)) <= {'<script src="/static/page.js">',
                                                       '<script src="/static/vis/vis-network.min.js">',
                                                       '<script src="/static/network.js">',
                                                       '<script id="network-data" type="application/json">'}


def test_the_text_is_still_shown_as_text(base):
    body = get(base + "/doc/666-kh-xss-2024")
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in body
    assert '<mark class="duty" id="duty-0bad"' in body  # highlighted, and still escaped inside the mark


def test_did_you_mean_and_document_labels_show_markup_as_text(base):
    body = get(base + "/search?q=so+thu+nghiem+script+alert+pwnd")  # a misspelling: suggestions, no hits
    box = re.search(r'<div class="notice suggestions" id="goi-y">(.*?)</div>', body, re.S)[1]
    assert "Sở Thử nghiệm &lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in box
    body = get(base + "/search?q=666/KH-XSS")  # the document's listed label names its issuer
    assert "Văn bản 666/KH-XSS · Sở Thử nghiệm &lt;script&gt;" in body


def test_network_data_cannot_close_its_script_tag(base):
    body = get(base + "/network/doc/666-kh-xss-2024")
    raw = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', body, re.S)[1]
    assert "<" not in raw
    labels = [n["title"] for n in json.loads(raw)["nodes"]]
    assert any('<script>alert("pwned")' in t for t in labels)  # the browser gets the text itself


def test_source_files_are_read_only_from_the_sources_folder(tmp_path):
    from kg.web.documents import read_source

    (tmp_path / "sources").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "sources" / "a.txt").write_text("ok")
    for name in ("../secret.txt", "/etc/passwd", "..", ".", "", "a.txt/../../secret.txt", "sub\\..\\x"):
        assert read_source(tmp_path / "sources", name) is None
    assert read_source(tmp_path / "sources", "a.txt") == "ok"


def test_serve_says_when_no_graph_is_built(tmp_path, capsys):
    assert main(["serve", "--build", str(tmp_path)]) == 1
    assert "no graph built yet" in capsys.readouterr().err
