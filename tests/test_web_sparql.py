"""/sparql: the SPARQL 1.1 Protocol, read-only, with a time limit and a row cap; SPARQLWrapper as its client."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.web.sparql import is_update, negotiate
from kg.web.testing import running_server

PREFIXES = "PREFIX vnd: <https://w3id.org/vn-directives/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
AGENCIES = PREFIXES + "SELECT ?a ?name WHERE { ?a a vnd:Agency ; skos:prefLabel ?name } ORDER BY ?a"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^14 rows
MAX_ROWS = 40


@pytest.fixture(scope="module")
def endpoint(seed_build):
    _, out = seed_build
    with running_server(out, "--query-timeout", "2", "--max-rows", str(MAX_ROWS)) as url:
        yield url + "/sparql"


def request(url: str, data: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def client(endpoint: str, query: str, fmt) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def test_sparqlwrapper_json_get_and_post(endpoint):
    for method in ("GET", POST):
        sw = client(endpoint, PREFIXES + "SELECT ?name WHERE { ?a a vnd:Agency ; skos:prefLabel ?name } "
                                         "ORDER BY ?name LIMIT 5", JSON)
        sw.setMethod(method)
        rows = sw.queryAndConvert()["results"]["bindings"]
        assert len(rows) == 5 and all(r["name"]["xml:lang"] == "vi" for r in rows)


def test_sparqlwrapper_xml_csv_tsv(endpoint):
    q = PREFIXES + "SELECT ?a ?name WHERE { ?a a vnd:Agency ; skos:prefLabel ?name } ORDER BY ?a LIMIT 3"
    doc = client(endpoint, q, XML).queryAndConvert()
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(doc.getElementsByTagNameNS(ns[1:-1], "result")) == 3
    rows = list(csv.reader(io.StringIO(client(endpoint, q, CSV).queryAndConvert().decode("utf-8"))))
    assert rows[0] == ["a", "name"] and len(rows) == 4 and rows[1][0].startswith("https://w3id.org/")
    tsv = client(endpoint, q, TSV).queryAndConvert().decode("utf-8").splitlines()
    assert tsv[0] == "?a\t?name" and tsv[1].startswith("<https://w3id.org/") and '"@vi' in tsv[1]


def test_sparqlwrapper_ask_and_construct(endpoint):
    assert client(endpoint, PREFIXES + "ASK { ?d vnd:assignsDuty ?x }", JSON).queryAndConvert()["boolean"] is True
    g = client(endpoint, PREFIXES + "CONSTRUCT { ?a skos:prefLabel ?n } WHERE { ?a a vnd:Agency ; "
                                    "skos:prefLabel ?n } LIMIT 4", TURTLE).queryAndConvert()
    assert b"prefLabel" in g


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_content_negotiation(endpoint, accept, ctype):
    status, headers, body = request(endpoint + "?" + urllib.parse.urlencode({"query": AGENCIES}),
                                    headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    if ctype.endswith("xml"):
        ET.fromstring(body)


def test_post_forms(endpoint):
    status, _, body = request(endpoint, AGENCIES.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["head"]["vars"] == ["a", "name"]
    status, _, body = request(endpoint, urllib.parse.urlencode({"query": AGENCIES}).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and body.startswith("a,name")


@pytest.mark.parametrize("how", ["update-param", "update-body", "query-text", "form"])
def test_updates_are_refused(endpoint, how):
    update = PREFIXES + 'INSERT DATA { <urn:x> skos:prefLabel "x" }'
    if how == "update-param":
        status, _, body = request(endpoint + "?" + urllib.parse.urlencode({"update": update}))
    elif how == "update-body":
        status, _, body = request(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})
    elif how == "query-text":
        status, _, body = request(endpoint + "?" + urllib.parse.urlencode({"query": update}))
    else:
        status, _, body = request(endpoint, urllib.parse.urlencode({"update": update}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and "chỉ cho phép đọc" in body
    _, _, after = request(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { <urn:x> ?p ?o }"}))
    assert json.loads(after)["boolean"] is False


def test_sparqlwrapper_update_fails(endpoint):
    sw = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    sw.setMethod(POST)
    sw.setQuery('INSERT DATA { <urn:y> <urn:p> "y" }')
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        sw.query()


def test_bad_query_and_missing_query(endpoint):
    status, _, body = request(endpoint + "?query=SELEKT+nothing")
    assert status == 400 and "không hợp lệ" in body
    assert request(endpoint)[0] == 400
    assert request(endpoint + "?query=ASK{}", headers={"Accept": "image/png"})[0] == 406


def test_results_are_capped(endpoint):
    status, headers, body = request(endpoint + "?" + urllib.parse.urlencode({"query": AGENCIES}))
    assert status == 200 and headers["X-Result-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


def test_long_query_is_stopped_and_the_endpoint_recovers(endpoint):
    status, _, body = request(endpoint + "?" + urllib.parse.urlencode({"query": SLOW}))
    assert status == 503 and "giới hạn 2 giây" in body
    status, _, body = request(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and json.loads(body)["boolean"] is True


def test_query_page_shows_a_table(endpoint):
    page = endpoint.replace("/sparql", "/query")
    status, _, body = request(page + "?" + urllib.parse.urlencode({"query": AGENCIES}))
    assert status == 200 and '<table id="results">' in body and body.count("<tr>") == MAX_ROWS + 1
    assert 'href="/agency/' in body
    _, _, body = request(page + "?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert "Chỉ cho phép truy vấn đọc" in body


@pytest.mark.parametrize("text,expected", [
    ("INSERT DATA { <a> <b> <c> }", True), ("PREFIX x: <http://x#>\n delete where { ?s ?p ?o }", True),
    ("# INSERT\nSELECT * WHERE { ?s ?p ?o }", False), ('SELECT ("DROP" AS ?x) {}', False),
    ("BASE <http://e/> LOAD <http://e/g>", True), ("ASK {}", False)])
def test_is_update(text, expected):
    assert is_update(text) is expected


def test_negotiate():
    assert negotiate(None) == "json" and negotiate("*/*") == "json"
    assert negotiate("text/csv;q=0.2, text/tab-separated-values") == "tsv"
    assert negotiate("image/png") is None and negotiate(None, "xml") == "xml"
