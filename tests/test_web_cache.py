"""The explorer's cache of page answers (kg/web/cache.py): a kept answer is the bytes a fresh computation gives,
another request (filter, day, host) another answer, bounded in memory, emptied when the build is rewritten,
computed once for concurrent requests; /sparql, /query and the iCalendar export are never kept."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kg.web.cache import Entry, ResponseCache, build_stamp, seconds_to_midnight, warm
from kg.web.testing import DEADLINE_DOC, DEADLINE_TODAY, make_deadline_build, running_server

TODAY = "today=" + DEADLINE_TODAY
AGENCY = "agency/so-tai-chinh-tinh-an-giang"
# answers of every kind the cache keeps, with and without filters
PATHS = ["/", "/search?q=so+tai+chinh", "/" + DEADLINE_DOC, "/" + AGENCY, f"/{AGENCY}?role=lead",
         f"/{AGENCY}/duties.csv", f"/{AGENCY}/hien-nay", "/network/" + AGENCY, "/network/" + DEADLINE_DOC,
         "/viec-can-lam", "/viec-can-lam?" + TODAY, "/viec-can-lam.csv", "/viec-can-lam.csv?" + TODAY,
         f"/viec-can-lam.csv?{TODAY}&agency={AGENCY}", f"/viec-can-lam.csv?{TODAY}&bucket=overdue",
         f"/viec-can-lam?{TODAY}&doc={DEADLINE_DOC}", "/" + DEADLINE_DOC + "/cac-tinh", "/doc/no-such-document"]


@pytest.fixture(scope="module")
def deadline_build(seed_build, tmp_path_factory):
    return make_deadline_build(seed_build[1], tmp_path_factory.mktemp("cache-build"))


@pytest.fixture(scope="module")
def two_servers(deadline_build):
    """(with the cache, without it) over the same build; one hash seed, so that both order sets alike."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONHASHSEED", "0")
        with running_server(deadline_build) as cached, running_server(deadline_build, "--cache-mb", "0") as fresh:
            yield cached, fresh


def fetch(base: str, path: str) -> tuple[int, list, bytes]:
    """Status, headers (but Date and Server) and body, the server's own address in the body replaced by HOST."""
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            status, headers, body = r.status, r.getheaders(), r.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers.items(), e.read()
    kept = sorted((k.lower(), v) for k, v in headers if k.lower() not in ("date", "server"))
    return status, kept, body.replace(base.split("//", 1)[1].encode(), b"HOST")


def test_a_kept_answer_is_the_bytes_of_a_fresh_one(two_servers):
    cached, fresh = two_servers
    for path in PATHS:
        first, again, uncached = fetch(cached, path), fetch(cached, path), fetch(fresh, path)
        assert first == uncached, path  # status, headers and body
        assert again == uncached, path  # the second answer comes from the cache
    csv_all = fetch(cached, "/viec-can-lam.csv?" + TODAY)
    assert csv_all[0] == 200 and ("transfer-encoding", "chunked") in csv_all[1]  # streamed, as before
    assert not any(k == "content-length" for k, _ in csv_all[1])


def test_another_request_gets_another_answer(two_servers):
    cached, _ = two_servers
    every = fetch(cached, "/viec-can-lam.csv?" + TODAY)[2]
    one_agency = fetch(cached, f"/viec-can-lam.csv?{TODAY}&agency={AGENCY}")[2]
    overdue = fetch(cached, f"/viec-can-lam.csv?{TODAY}&bucket=overdue")[2]
    other_day = fetch(cached, "/viec-can-lam.csv?today=2025-03-05")[2]
    assert len({every, one_agency, overdue, other_day}) == 4
    assert every.count(b"\n") > one_agency.count(b"\n") > 1 and b"han-lang-son" not in one_agency
    assert "Quá hạn".encode() in overdue and "Trong tháng này".encode() not in overdue
    # the same day asked again: the same answer
    assert fetch(cached, "/viec-can-lam.csv?" + TODAY)[2] == every


# -- in the process: the application driven through ASGI ---------------------------------------------------------
def run_async(coro):
    """asyncio.run on a thread of its own: the browser tests' Playwright keeps an event loop running in the main
    thread for the whole session, and asyncio.run refuses to start inside a running loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def asgi_get(app, path: str, host: str = "testserver") -> tuple[int, bytes]:
    return run_async(_get(app, path, host))


async def _get(app, path: str, host: str = "testserver") -> tuple[int, bytes]:
    raw, _, query = path.partition("?")
    out: dict = {"body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": raw, "raw_path": raw.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", host.encode())], "server": (host, 80), "client": ("127.0.0.1", 1)}
    await app(scope, receive, send)
    return out["status"], out["body"]


@pytest.fixture
def app_over(deadline_build, tmp_path):
    """create_app over a copy of the deadline build (its graph.trig may be touched), without query workers."""
    import shutil

    from kg.web import create_app

    def make(**kwargs):
        copy = tmp_path / "build"
        if not copy.exists():
            shutil.copytree(deadline_build, copy)
        return create_app(copy, sparql_worker=False, **kwargs), copy

    return make


def test_kept_by_request_and_day_emptied_when_the_build_is_rewritten(app_over):
    app, build = app_over()
    cache = app.state.cache
    first = asgi_get(app, "/viec-can-lam.csv?" + TODAY)
    assert first[0] == 200 and cache.misses == 1 and cache.hits == 0 and len(cache) == 1
    assert asgi_get(app, "/viec-can-lam.csv?" + TODAY) == first and cache.hits == 1
    assert asgi_get(app, "/viec-can-lam.csv?" + TODAY, host="other.example:8080") != first  # links hold the host
    assert cache.misses == 2
    # a rewritten build: the next answer is computed again (the same here: the store the server opened is the same)
    stat = (build / "graph.trig").stat()
    os.utime(build / "graph.trig", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert asgi_get(app, "/viec-can-lam.csv?" + TODAY) == first
    assert cache.resets == 1 and cache.misses == 3 and len(cache) == 1


def test_errors_sparql_and_calendars_are_not_kept(app_over):
    app, _ = app_over()
    cache = app.state.cache
    assert asgi_get(app, "/doc/no-such-document")[0] == 404
    assert asgi_get(app, "/viec-can-lam.ics?" + TODAY)[0] == 200
    assert asgi_get(app, "/sparql?query=ASK%7B%7D")[0] == 503  # no query workers here; never through the cache
    assert asgi_get(app, "/query")[0] == 200
    assert len(cache) == 0 and cache.hits == 0


def test_bounded_in_bytes(app_over):
    app, _ = app_over(cache_mb=0.25)  # 256 KiB: a quarter at most for one answer
    cache = app.state.cache
    for path in PATHS[:10]:
        asgi_get(app, path)
    assert 0 < len(cache) and cache.size <= cache.max_bytes == 256 << 10
    big = asgi_get(app, "/viec-can-lam.csv?" + TODAY)
    assert big[0] == 200 and len(big[1]) > cache.max_entry  # answered, but too large to keep
    assert all(e.size <= cache.max_entry for e in cache._entries.values())
    assert asgi_get(app, "/viec-can-lam.csv?" + TODAY) == big


def test_no_cache_when_asked_or_over_an_endpoint(app_over):
    app, _ = app_over(cache_mb=0)
    assert app.state.cache is None and asgi_get(app, "/")[0] == 200


def test_concurrent_requests_compute_once(app_over):
    app, _ = app_over()
    cache = app.state.cache

    async def burst():
        return await asyncio.gather(*[_get(app, "/viec-can-lam?" + TODAY) for _ in range(6)])

    answers = run_async(burst())
    assert len(set(answers)) == 1 and answers[0][0] == 200
    assert cache.misses == 1 and cache.hits == 5


def test_warm_keeps_the_default_deadline_pages(app_over):
    app, _ = app_over()
    cache = app.state.cache
    assert run_async(warm(app, "http://127.0.0.1:8123")) == 2 and len(cache) == 2
    status, body = asgi_get(app, "/viec-can-lam.csv", host="127.0.0.1:8123")
    assert status == 200 and cache.hits == 1 and b"http://127.0.0.1:8123/doc/" in body
    assert re.search(rb"Vi\xe1\xbb\x87c c\xe1\xba\xa7n l\xc3\xa0m", asgi_get(app, "/viec-can-lam", "127.0.0.1:8123")[1])
    assert cache.hits == 2


def test_the_server_answers_once_the_default_pages_are_made(app_over):
    app, _ = app_over(warm_url="http://127.0.0.1:8123")

    async def start():
        async with app.router.lifespan_context(app):  # what uvicorn runs before it answers
            return sorted(key[1] for key in app.state.cache._entries)

    heavy = app.state.explorer.heavy_paths()
    # the most implemented document's page, network and provinces, beside the deadline pages
    assert {"/doc/01-qd-ttg-2023", "/network/doc/01-qd-ttg-2023", "/doc/01-qd-ttg-2023/cac-tinh"} <= set(heavy)
    assert len(heavy) == 9
    # and the deadline page of each scheme among them, made with its query string
    schemes = app.state.explorer.scheme_todo_paths()
    assert schemes and all(p.startswith("/viec-can-lam?scheme=scheme%2F") for p in schemes)
    kept = run_async(start())
    assert kept == sorted(["/viec-can-lam", "/viec-can-lam.csv", *heavy, *(p.split("?")[0] for p in schemes)])
    assert sorted(key[2] for key in app.state.cache._entries if key[2]) == sorted(p.split("?")[1] for p in schemes)


def test_warmed_again_after_midnight():
    from datetime import datetime

    assert seconds_to_midnight(datetime(2025, 2, 10, 23, 59, 30)) == 30
    assert seconds_to_midnight(datetime(2025, 12, 31, 0, 0, 0)) == 86400


# -- the cache itself -------------------------------------------------------------------------------------------
def entry(n: int) -> Entry:
    return Entry(200, (), b"x" * n, False, n)


def test_least_recently_used_dropped_first(tmp_path: Path):
    c = ResponseCache(tmp_path, max_bytes=1000, max_entry=600)
    assert c.put(("a",), entry(400)) and c.put(("b",), entry(400))
    assert c.get(("a",)) is not None  # a used: b is now the oldest
    assert c.put(("c",), entry(400))
    assert c.get(("b",)) is None and c.get(("a",)) is not None and c.get(("c",)) is not None
    assert c.size == 800 and c.evictions == 1
    assert not c.put(("d",), entry(601)) and c.get(("d",)) is None  # too large for one entry
    many = ResponseCache(tmp_path, max_bytes=10**6, max_entries=3)
    for i in range(5):
        many.put((i,), entry(10))
    assert len(many) == 3 and many.get((0,)) is None


def test_build_stamp_follows_graph_and_store_files(tmp_path: Path):
    empty = build_stamp(tmp_path)
    (tmp_path / "graph.trig").write_text("x", encoding="utf-8")
    one = build_stamp(tmp_path)
    assert one != empty
    (tmp_path / "store.json").write_text("{}", encoding="utf-8")
    assert build_stamp(tmp_path) != one
    c = ResponseCache(tmp_path, max_bytes=1000)
    c.put(("k",), entry(10))
    c.check_build()
    assert len(c) == 1
    (tmp_path / "graph.trig").write_text("xy", encoding="utf-8")
    c.check_build()
    assert len(c) == 0 and c.resets == 1
