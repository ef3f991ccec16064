"""A real Oxigraph server (the `oxigraph` binary of the PyPI package `oxigraph`, a test dependency) on 127.0.0.1.

Shared by tests/test_queries_remote.py and tests/test_push.py.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest


def oxigraph_exe() -> str | None:
    """The server binary installed beside this Python (the venv's), else one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_oxigraph() -> str:
    exe = oxigraph_exe()
    if exe is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph, a test dependency)")
    return exe


def load(location: Path, trig: Path) -> None:
    """`oxigraph load`: the offline bulk loader, into a store folder no server has open."""
    subprocess.run([require_oxigraph(), "load", "--location", str(location), "--file", str(trig)],
                   check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def running_oxigraph(location: Path, ready_timeout: float = 30.0) -> Iterator[str]:
    """`oxigraph serve --union-default-graph` over the store folder `location`; yields its base URL
    (queries at BASE/query, the Graph Store Protocol at BASE/store).  Stopped on exit."""
    exe = require_oxigraph()
    port = free_port()
    server = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    if server.poll() is None:  # its stderr can be read to the end only once it has stopped
                        server.kill()
                        server.wait()
                    pytest.fail(f"oxigraph server did not start: {server.stderr.read().decode()[:500]}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
