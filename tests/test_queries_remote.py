"""The same queries through SPARQLWrapper against a real Oxigraph server on 127.0.0.1 give the embedded results."""

from __future__ import annotations

import pytest
from oxigraph_server import free_port, load, require_oxigraph, running_oxigraph
from test_queries import ALL, as_csv

from kg import queries
from kg.cli import main
from kg.store import RemoteStore, StoreError


@pytest.fixture(scope="module")
def endpoint(seed_build, tmp_path_factory):
    """An `oxigraph serve --union-default-graph` holding the seed graph (bulk-loaded); yields its query URL."""
    require_oxigraph()
    _, out = seed_build
    location = tmp_path_factory.mktemp("oxigraph")
    load(location, out / "graph.trig")
    with running_oxigraph(location) as base:
        yield f"{base}/query"


@pytest.mark.parametrize("name", sorted(ALL))
def test_remote_results_equal_embedded_results(name, endpoint, seed_store):
    q = ALL[name]
    cols = queries.columns(q)
    remote = queries.run(RemoteStore(endpoint), q, q.example)
    local = queries.run(seed_store, q, q.example)
    assert as_csv(remote, cols) == as_csv(local, cols)


@pytest.mark.parametrize("argv", [
    ["trace", "01/QĐ-TTg", "--down"],
    ["trace", "ke hoach huyen trang dinh", "--up", "--format", "json"],
    ["query", "agency-duties", "--param", "agency=so cong thuong an giang", "--format", "csv"],
    ["query", "deadlines", "--param", "from=2024-01-01", "--param", "to=2024-12-31"],
], ids=["trace-down", "trace-up-json", "query-duties-csv", "query-deadlines"])
def test_cli_with_endpoint_prints_what_the_build_prints(argv, endpoint, seed_build, capsys):
    _, out = seed_build
    assert main(argv + ["--build", str(out)]) == 0
    embedded = capsys.readouterr().out
    assert main(argv + ["--endpoint", endpoint]) == 0
    assert capsys.readouterr().out == embedded


def test_unreachable_endpoint_is_one_clear_error(capsys):
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError):
        RemoteStore(url, timeout=3).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert main(["query", "agencies-by-duties", "--endpoint", url]) == 1
    assert url in capsys.readouterr().err
