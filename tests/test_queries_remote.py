"""The same queries through SPARQLWrapper against a real Oxigraph server on 127.0.0.1 give the embedded results."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg import queries
from kg.cli import main
from kg.store import RemoteStore, StoreError
from test_queries import ALL, as_csv


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(seed_build, tmp_path_factory):
    """An `oxigraph serve --union-default-graph` holding the seed graph; yields its query URL."""
    exe = _oxigraph()
    if exe is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph, a test dependency)")
    _, out = seed_build
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([exe, "load", "--location", str(location), "--file", str(out / "graph.trig")],
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph server did not start: {server.stderr.read().decode()[:500]}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(StoreError):
        RemoteStore(url, timeout=3).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert main(["query", "agencies-by-duties", "--endpoint", url]) == 1
    assert url in capsys.readouterr().err
