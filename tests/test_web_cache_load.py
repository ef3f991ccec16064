"""What keeps the pages answering beside heavy /sparql queries (benchmarks/bench_load.py measures it): the query
workers run below the server's scheduling priority."""

from __future__ import annotations

import os

import pytest

from kg.web.sparql import WORKER_NICE, QueryService


def worker_nice(service: QueryService) -> int:
    answer = service.query("ASK { ?s ?p ?o }")  # the worker is up and has answered
    assert answer.status == 200
    (worker,) = list(service._all)
    return os.getpriority(os.PRIO_PROCESS, worker.proc.pid)


@pytest.mark.parametrize("setting, expected", [(None, WORKER_NICE), ("0", 0), ("3", 3)])
def test_query_workers_run_below_the_server(seed_build, monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("KG_SPARQL_NICE", raising=False)
    else:
        monkeypatch.setenv("KG_SPARQL_NICE", setting)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    service = QueryService(str(seed_build[1] / "graph.trig"), timeout=60, workers=1)
    try:
        assert worker_nice(service) == min(19, own + expected)
    finally:
        service.close()
