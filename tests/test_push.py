"""`kg push` into a real Oxigraph server (empty store, 127.0.0.1) over the Graph Store HTTP Protocol, then the
queries, `kg trace`, `kg duties` and `kg serve --endpoint` over it.

Every server is started by a fixture and stopped at its end.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import free_port, require_oxigraph, running_oxigraph
from test_queries import ALL, as_csv

from kg import queries
from kg.cli import main
from kg.push import MANIFEST_GRAPH
from kg.store import RemoteStore
from kg.web.testing import running_server

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"
FOREIGN = "http://example.org/not-kg"  # a graph kg did not push: never to be touched


def graphs_of(trig: Path) -> dict[str, int]:
    """Triples per named graph of a TriG file."""
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}


def remote_graphs(query_url: str) -> dict[str, int]:
    rows = RemoteStore(query_url).select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(r["g"]): int(r["n"]) for r in rows}


def push(capsys, build: Path, *argv: str) -> tuple[int, str, str]:
    status = main(["push", "--build", str(build), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An empty `oxigraph serve --union-default-graph --location <new folder>`; yields its base URL."""
    require_oxigraph()
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-push")) as base:
        yield base


@pytest.fixture(scope="module")
def pushed(server, seed_build):
    """The seed build pushed once (before any test of this module reads the store); yields the query URL."""
    _, out = seed_build
    status = main(["push", "--endpoint", server, "--build", str(out)])
    assert status == 0
    yield f"{server}/query"


def test_push_holds_every_graph_of_the_build(pushed, seed_build):
    _, out = seed_build
    expected = graphs_of(out / "graph.trig")
    found = remote_graphs(pushed)
    manifest = found.pop(MANIFEST_GRAPH)
    assert found == expected
    assert manifest == 2 * len(expected) + 2  # one line per graph, its count, the build id and the time


@pytest.mark.parametrize("name", sorted(ALL))
def test_queries_over_the_pushed_store_answer_as_the_build(name, pushed, seed_store):
    q = ALL[name]
    cols = queries.columns(q)
    assert as_csv(queries.run(RemoteStore(pushed), q, q.example), cols) == \
        as_csv(queries.run(seed_store, q, q.example), cols)


@pytest.mark.parametrize("argv", [
    ["trace", "01/QĐ-TTg", "--down"],
    ["trace", "ke hoach huyen trang dinh", "--up", "--format", "json"],
    ["duties", "so cong thuong", "--in", "an giang"],
    ["duties", "Sở Tài chính", "--in", "An Giang", "--now", "--format", "csv"],
    ["coverage", "01/QĐ-TTg"],
], ids=["trace-down", "trace-up-json", "duties", "duties-now-csv", "coverage"])
def test_commands_over_the_pushed_store_print_what_the_build_prints(argv, pushed, seed_build, capsys):
    _, out = seed_build
    assert main(argv + ["--build", str(out)]) == 0
    embedded = capsys.readouterr().out
    assert main(argv + ["--endpoint", pushed]) == 0
    assert capsys.readouterr().out == embedded


def test_second_push_replaces_and_adds_nothing(pushed, server, seed_build, capsys):
    _, out = seed_build
    before = remote_graphs(pushed)
    status, stdout, err = push(capsys, out, "--endpoint", f"{server}/query")  # the query URL names the server too
    assert status == 0, err
    assert remote_graphs(pushed) == before
    n = sum(v for g, v in before.items() if g != MANIFEST_GRAPH)
    assert f"({n:,} triples)" in stdout and "deleted" not in stdout
    assert f"counts the same {n:,} triples" in stdout


def test_a_smaller_build_removes_the_graphs_it_no_longer_has(seed_build, tmp_path, capsys):
    """Own server: the store is changed.  A graph kg did not push is left alone."""
    from kg.build import build

    _, full = seed_build
    files = sorted(RAW.glob("*.txt"))
    subset = tmp_path / "subset"
    build(files[:-1], subset, log=lambda msg: None, shacl=False)
    full_graphs, sub_graphs = graphs_of(full / "graph.trig"), graphs_of(subset / "graph.trig")
    gone = set(full_graphs) - set(sub_graphs)
    assert gone, "the subset build should lack the graph of the file left out"
    with running_oxigraph(tmp_path / "store") as base:
        foreign = urllib.request.Request(f"{base}/store?" + urllib.parse.urlencode({"graph": FOREIGN}), method="PUT",
                                         data=b"<http://example.org/a> <http://example.org/b> \"c\" .\n",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(foreign, timeout=10).read()
        assert push(capsys, full, "--endpoint", base)[0] == 0
        status, stdout, err = push(capsys, subset, "--endpoint", base)
        assert status == 0, err
        found = remote_graphs(f"{base}/query")
        assert found.pop(FOREIGN) == 1
        found.pop(MANIFEST_GRAPH)
        assert found == sub_graphs
        assert not gone & set(found)
        assert f"deleted {len(gone)} graph(s) no longer in the build" in stdout
        for g in gone:
            assert f"deleted <{g}>" in stdout


def test_unreachable_store_is_one_clear_line(seed_build, capsys):
    _, out = seed_build
    url = f"http://127.0.0.1:{free_port()}"
    status, stdout, err = push(capsys, out, "--endpoint", url, "--timeout", "5")
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"kg: push to {url} failed:") and "cannot reach the store" in lines[-1]
    assert "Traceback" not in err and not stdout


def test_refused_request_names_the_status(server, seed_build, capsys):
    _, out = seed_build
    status, stdout, err = push(capsys, out, "--endpoint", server, "--gsp", f"{server}/no-such-service")
    assert status == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"kg: push to {server} failed: PUT {server}/no-such-service") and "HTTP 404" in last
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def web(pushed):
    """`kg serve --endpoint` (no build folder) on a free port; yields its base URL."""
    with running_server(None, "--endpoint", pushed) as base:
        yield base


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read().decode("utf-8")


def test_serve_endpoint_pages_come_from_the_store(web, seed_store):
    status, home = _get(web + "/")
    assert status == 200 and "01/QĐ-TTg" in home
    status, doc = _get(web + "/doc/94-kh-ubnd-tinh-lang-son-2023")  # a seed document, with its own text
    assert status == 200 and "94/KH-UBND" in doc and "/doc/01-qd-ttg-2023" in doc
    assert "Nguyên văn không có sẵn" in doc and '<pre class="source">' not in doc  # no --build: no source texts


def test_serve_endpoint_forwards_sparql(web, seed_store):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/vn-directives/ontology#Duty> }"
    status, body = _get(web + "/sparql?" + urllib.parse.urlencode({"query": q}))
    expected = seed_store.select(q)[0]["n"]
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(expected)
    try:
        urllib.request.urlopen(web + "/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}), timeout=10)
        raise AssertionError("an update went through")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403


def test_serve_endpoint_with_build_shows_source_texts(pushed, seed_build):
    _, out = seed_build
    with running_server(out, "--endpoint", pushed) as base:
        status, doc = _get(base + "/doc/94-kh-ubnd-tinh-lang-son-2023")
    assert status == 200 and "<mark class=\"target\"" in doc and "<pre class=\"source\">" in doc
    assert "Nguyên văn không có sẵn" not in doc


def test_serve_endpoint_deadline_counts_follow_what_is_pushed(seed_build, tmp_path, capsys):
    """Own server: the store is changed under `kg serve --endpoint`.  The deadline page's day counts are kept for
    a build's store, which does not change; over an endpoint they are read again for every page."""
    import re

    from kg.build import build

    _, full = seed_build
    files = sorted(RAW.glob("*.txt"))
    subset = tmp_path / "subset"
    build(files[:1], subset, log=lambda msg: None, shacl=False)

    def total(base: str) -> int:
        html = _get(base + "/viec-can-lam")[1]
        return sum(int(n.replace(".", "")) for n in re.findall(r'data-bucket="\w+" href="[^"]*"><b>([\d.]+)</b>', html))

    with running_oxigraph(tmp_path / "store") as store_base:
        assert push(capsys, full, "--endpoint", store_base)[0] == 0
        want_full = len(RemoteStore(f"{store_base}/query").select(
            "SELECT ?d WHERE { ?doc <https://w3id.org/vn-directives/ontology#assignsDuty> ?d }"))
        with running_server(None, "--endpoint", f"{store_base}/query") as base:
            assert total(base) == want_full > 0
            assert push(capsys, subset, "--endpoint", store_base)[0] == 0
            want_subset = len(RemoteStore(f"{store_base}/query").select(
                "SELECT ?d WHERE { ?doc <https://w3id.org/vn-directives/ontology#assignsDuty> ?d }"))
            assert want_subset < want_full
            assert total(base) == want_subset
