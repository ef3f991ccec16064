"""/sparql under hostile queries and requests (issue 11): SERVICE, a slow query among others, multipart forms,
deep nesting, huge bodies, security headers, control characters in XML results.  Real servers (kg serve)."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from kg.web.sparql import MAX_BODY, MAX_DEPTH, MAX_QUERY_CHARS, MAX_QUERY_STRING, check_query
from kg.web.testing import make_hostile_build, running_server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^14 rows
ASK = "ASK { ?s ?p ?o }"
CONTROL = "đầu\x00\x01\x08\x0b\x0c\x0e\x1fgiữa\tcuối"  # from \x00-\x08, \x0b, \x0c, \x0e-\x1f; tab is allowed
SAFE_HEADERS = ("X-Content-Type-Options", "Content-Security-Policy")


@pytest.fixture(scope="module")
def control_build(seed_build, tmp_path_factory):
    """The seed build plus a document whose title, label and agency name hold control characters."""
    return make_hostile_build(seed_build[1], tmp_path_factory.mktemp("control-build"), CONTROL)


@pytest.fixture(scope="module")
def base(control_build):
    with running_server(control_build, "--query-timeout", "3") as url:
        yield url


@pytest.fixture
def recorder():
    """A local HTTP server recording every request it gets: (its URL, the list of paths asked)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "stolen"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/", hits
    finally:
        srv.shutdown()
        srv.server_close()


def request(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 120):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def get(base: str, query: str, accept: str | None = None):
    return request(base + "/sparql?" + urllib.parse.urlencode({"query": query}),
                   headers={"Accept": accept} if accept else None)


def post(base: str, query: str):
    return request(base + "/sparql", query.encode(), {"Content-Type": "application/sparql-query"})


def in_background(base: str, query: str) -> tuple[threading.Thread, dict]:
    """A thread sending `query`; its answer in the dict under "r" when it comes (or "error")."""
    out: dict = {}

    def run():
        try:
            out["r"] = get(base, query)
        except OSError as exc:  # the server stopped under it
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def answered(base: str) -> bool:
    status, _, body = get(base, ASK)
    return status == 200 and json.loads(body)["boolean"] is True


# -- 1. SERVICE ------------------------------------------------------------------------------------------

def service_queries(url: str) -> list[str]:
    return [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"select ?x where {{ service silent <{url}> {{ ?x ?p ?o }} }}",
            f"PREFIX r: <{url}>\nSELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
            f"SELECT * {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
            f"SELECT * {{ ?s <{url}x> ?o }} # a comment\n; SELECT * {{ SERVICE <{url}> {{}} }}",
            # `<` is less-than inside the FILTER: what follows is a SERVICE and a comment, not an IRI
            f"SELECT * {{ ?s <urn:x#> ?o FILTER(?o<1)SERVICE#>\n<{url}>{{ ?s ?p ?o }} }}",
            f"SELECT * {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
            f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
            # keywords glued to SERVICE: Oxigraph's parser reads `trueSERVICE` as true, SERVICE
            f"SELECT * {{ ?s ?p trueSERVICE<{url}>{{ ?s ?p ?o }} }}",
            f"SELECT * {{ ?s ?p true.SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"PREFIX ex: <urn:ex:>\nSELECT * {{ ?s ?p ex:.service <{url}> {{ ?s ?p ?o }} }}",
            # a SERVICE keyword glued to a prefixed name: read as SERVICE r:
            f"PREFIX r: <{url}>\nSELECT * {{ SERVICEr: {{ ?s ?p ?o }} }}"]


def test_service_is_refused_and_nothing_is_fetched(base, recorder):
    url, hits = recorder
    for q in service_queries(url):
        for send in (get, post):
            status, _, body = send(base, q)
            assert status == 400 and "SERVICE bị từ chối" in body, q
    assert hits == []
    assert answered(base)


def test_service_in_every_protocol_form(base, recorder):
    url, hits = recorder
    q = service_queries(url)[0]
    forms = [(urllib.parse.urlencode({"query": q}).encode(), "application/x-www-form-urlencoded"),
             multipart({"query": (q, False)}), multipart({"query": (q, True)})]
    for data, ctype in forms:
        status, _, body = request(base + "/sparql", data, {"Content-Type": ctype})
        assert status == 400 and "SERVICE" in body
    page = request(base + "/query?" + urllib.parse.urlencode({"query": q}))[2]
    assert "SERVICE bị từ chối" in page
    assert hits == []


def test_service_back_to_the_server_itself_is_refused_at_once(base):
    status, _, body = get(base, f"SELECT * {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 400 and "SERVICE" in body  # not a 503 after the time limit: nothing waited on itself
    assert answered(base)


@pytest.mark.parametrize("query", [
    'SELECT ("SERVICE <http://x/> {}" AS ?x) {}', "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "# SERVICE <http://x/> {}\nASK {}", "PREFIX SERVICE: <urn:s:>\nSELECT * { SERVICE:a ?p SERVICE:b }",
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1", "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) } LIMIT 1",
    "SELECT * { ?s <urn:p> ?o . ?o (<urn:a>|^<urn:b>)* ?z FILTER(?s<?o) } LIMIT 1"])
def test_the_word_service_elsewhere_is_not_refused(base, query):
    status, _, body = get(base, query)
    assert status == 200, body


def test_workers_cannot_open_network_sockets(recorder):
    """Behind the query check: a worker's seccomp filter refuses sockets, so a SERVICE it runs fetches nothing."""
    url, hits = recorder
    code = ("import socket, pyoxigraph as ox\n"
            "from kg.web.sparql import forbid_network\n"
            "assert forbid_network()\n"
            "try:\n    socket.socket(socket.AF_INET)\n    print('inet allowed')\nexcept OSError:\n    print('inet refused')\n"
            "a, b = socket.socketpair()\n"
            f"try:\n    print(list(ox.Store().query('SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}')))\n"
            "except OSError as e:\n    print('service failed', e)\n")
    if not sys.platform.startswith("linux"):
        pytest.skip("the seccomp filter is Linux only")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "inet refused" in out.stdout and "service failed" in out.stdout
    assert hits == []


# -- 2. one slow query does not hold the others ------------------------------------------------------------

def test_a_slow_query_does_not_block_the_others(seed_build):
    with running_server(seed_build[1], "--query-timeout", "120") as url:
        t, slow = in_background(url, SLOW)
        assert answered(url)  # by the other worker, while the slow query holds one
        for q in ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "ASK { ?s a ?t }"):
            assert get(url, q)[0] == 200
        assert t.is_alive() and "r" not in slow  # the slow one was still running all along
    # leaving the block stops the server; the worker running the slow query goes with it


def test_killing_a_timed_out_worker_leaves_the_other_queries(base):
    t, slow = in_background(base, SLOW)
    statuses = []
    while t.is_alive():  # queries on the other worker before, while and after the slow one is killed
        statuses.append(get(base, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2")[0])
    t.join()
    assert slow["r"][0] == 503 and "giới hạn 3 giây" in slow["r"][2]
    assert statuses and set(statuses) == {200}
    assert answered(base) and answered(base)


# -- 3. multipart/form-data ----------------------------------------------------------------------------------

def multipart(fields: dict[str, tuple[str, bool]], boundary: str = "kg-boundary-7") -> tuple[bytes, str]:
    """A multipart/form-data body: name -> (value, sent as a file)."""
    parts = []
    for name, (value, as_file) in fields.items():
        disp = f'form-data; name="{name}"' + ('; filename="q.rq"' if as_file else "")
        extra = "Content-Type: application/sparql-query\r\n" if as_file else ""
        parts.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n{extra}\r\n{value}\r\n")
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("as_file", [False, True])
def test_multipart_query_is_answered(base, as_file):
    data, ctype = multipart({"query": (ASK, as_file), "format": ("xml", False)})
    status, headers, body = request(base + "/sparql", data, {"Content-Type": ctype})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize("data,ctype", [
    (b"--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nASK {}", "multipart/form-data; boundary=x"),
    (b"garbage without boundary", "multipart/form-data"),
    (b"--x\r\nno headers at all\r\n--x--\r\n", "multipart/form-data; boundary=x"),
    (multipart({"other": ("1", False)})[0], multipart({})[1]),
    (multipart({"update": ("DROP ALL", True)})[0], multipart({})[1]),
    (b"query=" + b"%ZZ%" * 10, "application/x-www-form-urlencoded"),
    (b"ASK {}", "text/plain")])
def test_malformed_or_odd_forms_never_give_500(base, data, ctype):
    status, _, body = request(base + "/sparql", data, {"Content-Type": ctype})
    assert status in (200, 400, 403, 415) and "Traceback" not in body
    assert answered(base)


# -- 4. deep nesting, long expressions ----------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
    "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    "SELECT * WHERE { ?s ?p " + "[?p" * 20_000 + "1" + "]" * 20_000 + " }",
    "SELECT * WHERE { ?s ?p " + "(" * 20_000 + "1" + ")" * 20_000 + " }",
    "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)])
def test_deep_nesting_is_a_clean_400_and_the_worker_lives(base, query):
    status, _, body = post(base, query)
    assert status == 400 and "lồng quá sâu" in body
    assert answered(base) and answered(base)  # both workers


def test_nesting_within_the_limit_is_answered(base):
    depth = MAX_DEPTH - 2
    status, _, body = post(base, "SELECT * WHERE " + "{" * depth + "}" * depth)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { FILTER(1" + " + 1" * 24_000 + " > 0) }",
    "SELECT * WHERE { FILTER(" + "!" * 40_000 + "true) }",
    "SELECT * WHERE { {}" + " UNION {}" * 10_000 + " }"])
def test_long_flat_expressions_do_not_break_the_endpoint(base, query):
    """Long chains recurse without nesting brackets: answered, refused with 400 if they end their worker, or
    stopped at the time limit; never a 500, and the endpoint answers the next queries."""
    assert len(query) < MAX_QUERY_CHARS
    status, _, body = post(base, query)
    assert status in (200, 400, 503), body
    assert status != 503 or "giới hạn" in body
    assert answered(base) and answered(base)


# -- 5. size limits --------------------------------------------------------------------------------------

def raw_http(base: str, head: str, body_chunks) -> tuple[int, str]:
    """Send a request over a socket (head, then body chunks, stopping if the server closes): (status, answer)."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port or 80
    with socket.create_connection((host, port), timeout=120) as s:
        s.sendall(head.encode())
        try:
            for chunk in body_chunks:
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while True:  # the whole answer: the server closes the connection after it
                got = s.recv(65536)
                if not got:
                    break
                data += got
        except ConnectionResetError:
            pass
    status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
    return int(status_line.split()[1]) if status_line.startswith("HTTP/") else 0, data.decode("utf-8", "replace")


def test_a_50_mb_body_is_refused_before_it_is_read(base):
    size = 50 * 1024 * 1024
    head = (f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n")
    # no byte of the body is sent: the answer comes from the announced length alone (and sending bytes the server
    # will not read could make its close a reset that loses the answer)
    status, text = raw_http(base, head, [])
    assert status == 413 and "quá lớn" in text
    assert answered(base)


@pytest.mark.parametrize("ctype", ["application/sparql-query", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x"])
def test_a_chunked_body_is_cut_at_the_limit(base, ctype):
    head = (f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
            f"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    chunk = b"#" * 65536
    # just past the limit, and no more (the server reads all that is sent: its close is not a reset)
    chunks = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"] * (MAX_BODY // len(chunk) + 1)
    status, text = raw_http(base, head, chunks)
    assert status == 413
    assert answered(base)


def test_a_long_query_is_refused(base):
    query = "ASK { " + "?s ?p ?o . " * (MAX_QUERY_CHARS // 11 + 10) + "}"
    status, _, body = post(base, query)
    assert status == 413 and "quá dài" in body
    long_get = base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {} #" + "x" * (MAX_QUERY_STRING + 10)})
    try:
        status = request(long_get)[0]
    except (ConnectionError, urllib.error.URLError):
        status = 400  # the HTTP server itself may drop a request line this long
    assert status in (400, 414)  # uvicorn refuses request lines over its limit (400) before /sparql does (414)
    assert answered(base)


def test_the_query_string_limit_of_the_endpoint():
    """The 414 of read_request itself, under HTTP servers that accept longer request lines than uvicorn."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from starlette.requests import Request

    from kg.web.sparql import read_request

    def run(coro):
        # in a thread of its own: the browser tests' driver may hold an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    long = urllib.parse.urlencode({"query": "ASK {} #" + "x" * MAX_QUERY_STRING}).encode()
    scope = {"type": "http", "method": "GET", "path": "/sparql", "query_string": long, "headers": []}
    assert run(read_request(Request(scope)))[0] == 414
    scope["query_string"] = b"query=ASK+%7B%7D"
    assert run(read_request(Request(scope)))["query"] == "ASK {}"


# -- 6. headers ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/sparql?query=ASK%7B%7D", "/sparql?query=SELEKT", "/sparql", "/static/style.css", "/static/page.js",
    "/static/vis/vis-network.min.js", "/agency/so-thu-nghiem/duties.csv", "/viec-can-lam.csv",
    "/viec-can-lam.ics", "/cau-hoi/agency-duties.csv?agency=agency/so-thu-nghiem", "/cau-hoi/agency-duties.rq",
    "/favicon.ico", "/khong-co-trang-nay", "/"])
def test_security_headers_on_every_response(base, path):
    status, headers, _ = request(base + path, headers={"Accept": "application/sparql-results+json"})
    assert status < 500
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in headers["Content-Security-Policy"]
    assert len(headers.get_all("Content-Security-Policy")) == 1  # pages keep their own, not a second one


# -- 7. control characters in XML results ------------------------------------------------------------------

TITLE = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
         "SELECT ?t WHERE { <https://w3id.org/vn-directives/id/doc/666-kh-xss-2024> eli:title ?t }")


def test_control_characters_keep_xml_results_well_formed(base):
    status, headers, body = get(base, TITLE, "application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = ET.fromstring(body.encode()).find(f"{ns}results/{ns}result/{ns}binding/{ns}literal")
    assert literal.text == "đầu" + "\ufffd" * 7 + "giữa\tcuối"  # each character XML 1.0 cannot hold: U+FFFD
    _, _, body = get(base, TITLE)  # JSON keeps the text as it is
    assert json.loads(body)["results"]["bindings"][0]["t"]["value"] == CONTROL


def test_control_characters_made_by_a_query(base):
    status, _, body = get(base, 'SELECT ?x ?y ?z WHERE { BIND("a\\u0001b\\u001Fc" AS ?x) BIND(STRLANG("\\u000C", '
                                '"vi") AS ?y) BIND("d\\r\\ne" AS ?z) }', "application/sparql-results+xml")
    assert status == 200
    root = ET.fromstring(body.encode())
    values = [e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert values == ["a\ufffdb\ufffdc", "\ufffd", "d\r\ne"]  # CR kept (as &#13;: a raw CR would read as LF)


def test_check_query_unit():
    assert check_query("SELECT * { ?s ?p ?o }") is None
    assert check_query("x" * (MAX_QUERY_CHARS + 1))[0] == 413
    assert check_query("ASK { SERVICE <urn:x> {} }")[0] == 400
    assert check_query('ASK { ?s ?p """SERVICE <urn:x> {}""" }') is None
    assert check_query("ASK { ?s ?p '''\n' SERVICE <urn:x> {} '''}") is None


# -- 8. SERVICE allow-list (kg serve --sparql-service-allow, $KG_SPARQL_SERVICE_ALLOW) -----------------------

def test_service_allow_list_unit():
    from kg.web.sparql import service_hosts

    allow = service_hosts("127.0.0.1, Example.org [::1]")
    assert allow == {"127.0.0.1", "example.org", "::1"}
    u = "http://127.0.0.1:5000/sparql"
    for q in (f"SELECT * {{ SERVICE <{u}> {{ ?s ?p ?o }} }}", f"SELECT * {{ service silent <{u}> {{ ?s ?p ?o }} }}",
              f"SELECT * {{ SERVICESILENT<{u}> {{ ?s ?p ?o }} }}", f"PREFIX r: <{u}>\nSELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
              f"PREFIX r: <{u}>\nSELECT * {{ SERVICEr: {{ ?s ?p ?o }} }}",
              "SELECT * { SERVICE <\\u0068ttp://127.0.0.1/> { ?s ?p ?o } }",
              "SELECT * { SERVICE <https://EXAMPLE.org/q> { ?s ?p ?o } }", "SELECT * { SERVICE <http://[::1]:7/> {} }"):
        assert check_query(q, allow) is None, q
        assert check_query(q)[0] == 400, q  # no allow-list: refused
    for q, named in (("SELECT * { SERVICE <http://evil.org/> { ?s ?p ?o } }", "evil.org"),
                     ("SELECT * { SERVICE <http://127.0.0.1@evil.org/> { ?s ?p ?o } }", "evil.org"),
                     ("SELECT * { SERVICE <https://example.org.evil/q> { ?s ?p ?o } }", "example.org.evil"),
                     (f"PREFIX r: <{u}>\nPREFIX r: <http://evil/>\nSELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}", "evil"),
                     ("SELECT * { SERVICE <\\u0068ttp://evil/> { ?s ?p ?o } }", "evil"),
                     ("SELECT * { SERVICE <ftp://127.0.0.1/> { ?s ?p ?o } }", "ftp://127.0.0.1/"),
                     ("BASE <http://127.0.0.1/> SELECT * { SERVICE <x> { ?s ?p ?o } }", "<x>"),
                     ("SELECT * { VALUES ?u { <http://127.0.0.1/> } SERVICE ?u { ?s ?p ?o } }", "?u"),
                     ("SELECT * { SERVICE undeclared: { ?s ?p ?o } }", "undeclared:"),
                     (f"PREFIX SILENTr: <{u}>\nSELECT * {{ SERVICE SILENTr: {{ ?s ?p ?o }} }}", "SILENTr:")):
        status, message = check_query(q, allow)
        assert status == 400 and "SERVICE bị từ chối" in message and named in message, (q, message)
    # a prefix named SERVICE is still a prefix; a SERVICE keyword glued to a prefixed name is still a SERVICE
    assert check_query("PREFIX SERVICE: <urn:s:>\nSELECT * { SERVICE:a ?p SERVICE:b }") is None
    assert check_query(f"PREFIX r: <{u}>\nSELECT * {{ SERVICEr: {{ ?s ?p ?o }} }}")[0] == 400


def test_service_allowed_host_is_answered_others_refused(control_build, recorder):
    url, hits = recorder
    with running_server(control_build, "--query-timeout", "30", "--sparql-service-allow", "127.0.0.1") as base:
        status, _, body = get(base, f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}")
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "literal", "value": "stolen"}}]
        assert len(hits) == 1
        port = url.rsplit(":", 1)[1]
        for other, named in ((f"http://localhost:{port}", "localhost"), ("http://example.invalid/", "example.invalid")):
            status, _, body = get(base, f"SELECT ?x WHERE {{ SERVICE <{other}> {{ ?x ?p ?o }} }}")
            assert status == 400 and "SERVICE bị từ chối" in body and named in body
        status, _, body = post(base, f"SELECT * {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}")
        assert status == 400
        assert len(hits) == 1
        assert answered(base)


def test_service_allow_list_from_the_environment(control_build, recorder, monkeypatch):
    from kg.web.sparql import QueryService

    url, hits = recorder
    monkeypatch.setenv("KG_SPARQL_SERVICE_ALLOW", "127.0.0.1")
    service = QueryService(str(control_build / "graph.trig"), timeout=60, workers=1)
    try:
        assert service.service_allow == {"127.0.0.1"}
        answer = service.query(f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}")
        assert answer.status == 200 and b"stolen" in answer.body and len(hits) == 1
        assert service.query("ASK { SERVICE <http://example.invalid/> {} }").status == 400
    finally:
        service.close()
    monkeypatch.delenv("KG_SPARQL_SERVICE_ALLOW")
    service = QueryService(str(control_build / "graph.trig"), timeout=60, workers=1)
    try:  # no allow-list: refused by the check, and the worker could not fetch anyway
        assert service.service_allow == frozenset()
        assert service.query(f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}").status == 400
        assert service.query(ASK).status == 200
    finally:
        service.close()
    assert len(hits) == 1


# -- 9. several server processes (kg serve --processes N) ------------------------------------------------

def test_several_server_processes_answer_with_the_same_limits(control_build, recorder):
    url, hits = recorder
    with running_server(control_build, "--processes", "2", "--query-timeout", "30") as base:
        for _ in range(4):  # requests spread over the processes
            assert answered(base)
            status, headers, _ = request(base + "/")
            assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
        status, _, body = get(base, f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert status == 400 and "SERVICE bị từ chối" in body
        assert post(base, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")[0] == 403
    assert hits == []
