"""A bounded in-process cache of whole answers of the explorer's pages (HTML, CSV, network views).

Why it is right: `kg serve` opens a build read-only and never reloads it, so an explorer page is a function of
the build, the request (path, query string, base URL) and the day (the deadline buckets are relative to it).
Such an answer is computed once per server process and kept, byte for byte (status, headers and body); the next
identical request is answered from memory.  What is cached, and what is not:

* only the routes the application wraps (its pages; never /sparql, /query or the named questions, which run in
  the query workers under a time limit, nor the iCalendar export, whose DTSTAMP is the time of the request);
* only 200 answers, each at most `max_entry` bytes; the whole cache holds at most `max_bytes` bytes (bodies,
  headers and keys) and `max_entries` entries, the least recently used dropped first;
* the key is (method, path, raw query string, base URL, day): two requests share an answer only when everything
  a page reads from its request is the same (the handler reads the day from `request.state.today`, the day of
  the key);
* the build's stamp (size and modification time of graph.trig and store.json) is read at every look-up: when
  a build is rewritten under a running server (`kg build` writes both), the cache empties itself; a restarted
  server starts empty.  (A file of sources/ edited by hand, without a build, is not seen: the pages quoting it
  show the text they were made with until the build changes or the server restarts);
* over a SPARQL endpoint (`kg serve --endpoint`) nothing is cached: that graph may change at any time.

Concurrent requests for an answer being computed wait for it instead of computing it again (one computation
per key at a time), so a burst of requests for the unfiltered deadlines CSV costs one computation, not fifty.
Everything here runs on the server's event loop (one per process): no lock is needed.

The dearest answers that every user of a page starts from (the "Viec can lam" page, about 1.5 s on a national
build; the page, network and provinces of the documents the home page lists as most implemented, about a second
each under a national decision; the "Viec can lam" CSV, up to 50,000 duties: about 19 s there; and the "Viec can
lam" page of each of those documents that is a scheme) are computed as the server starts, through the application itself (`warm`), for the
base URL the server prints, and again after each midnight (their buckets are relative to the day).  The server
answers once they are made, or after WARM_WAIT seconds (a large build: it answers 2 s after its index is read
rather than 10 s, as it did when it waited longer), the computation going on behind; a client asking for one
meanwhile waits for that computation rather than starting another.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kg.web.serve import CACHE_MB as DEFAULT_MB

log = logging.getLogger("kg.web")
WARM_PATHS = ("/viec-can-lam", "/viec-can-lam.csv")
WARM_WAIT = 2.0  # seconds the server waits for them before it answers
CHUNK = 64 << 10  # bytes per body message of a streamed answer
ENTRY_OVERHEAD = 256  # bytes counted per entry beside its body, headers and key (the objects that hold them)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    streamed: bool  # answered as a StreamingResponse (chunked, no Content-Length): replayed the same way
    size: int

    def response(self) -> Response:
        if self.streamed:
            r: Response = StreamingResponse(_chunks(self.body), status_code=self.status)
        else:
            r = Response(self.body, status_code=self.status)
        r.raw_headers = list(self.headers)  # exactly the headers of the answer that was cached
        return r


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    """A body in CHUNK-sized messages, without a thread hop per message."""
    for i in range(0, len(body), CHUNK):
        yield body[i:i + CHUNK]


def streamed(body: str | bytes, media_type: str, headers: dict[str, str] | None = None) -> StreamingResponse:
    """A StreamingResponse of a body already made, sent in CHUNK-sized messages (a streamed answer of one
    message per CSV line cost a thread hop per line)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return StreamingResponse(_chunks(data), media_type=media_type, headers=headers)


def build_stamp(build_dir: Path | None) -> tuple:
    """What changes when a build is rewritten: size and modification time of graph.trig and store.json."""
    if build_dir is None:
        return ()
    out: list = []
    for name in ("graph.trig", "store.json"):
        try:
            st = os.stat(Path(build_dir) / name)
            out.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((name, None, None))
    return tuple(out)


class ResponseCache:
    """Answers kept by key, bounded in bytes and entries (least recently used dropped first), emptied when the
    build's stamp changes; `respond` computes an answer at most once per key at a time."""

    def __init__(self, build_dir: Path | None, max_bytes: int = DEFAULT_MB << 20, max_entry: int | None = None,
                 max_entries: int = 4096):
        self.build_dir = Path(build_dir) if build_dir is not None else None
        self.max_bytes = max(0, max_bytes)
        self.max_entry = min(self.max_bytes, max_entry if max_entry is not None else self.max_bytes // 4)
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._inflight: dict[tuple, asyncio.Future] = {}
        self._stamp = build_stamp(self.build_dir)
        self.hits = self.misses = self.evictions = self.resets = 0

    @property
    def size(self) -> int:
        """Bytes held (bodies, headers, keys and a fixed overhead per entry)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def check_build(self) -> None:
        """Empty the cache when the build was rewritten since the answers were computed."""
        stamp = build_stamp(self.build_dir)
        if stamp != self._stamp:
            self._stamp = stamp
            self.clear()
            self.resets += 1

    def get(self, key: tuple) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: Entry) -> bool:
        """Keep `entry` unless it is too large; drop the least recently used to stay within the bounds."""
        if entry.size > self.max_entry or self.max_entries < 1:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size
            self.evictions += 1
        return True

    async def respond(self, key: tuple, make: Callable[[], Awaitable[Response]]) -> Response:
        """The answer of `key`: from the cache, else from `make()` (kept when it can be), computed once when
        several requests ask for it at the same time."""
        while True:
            self.check_build()
            entry = self.get(key)
            if entry is not None:
                self.hits += 1
                return entry.response()
            pending = self._inflight.get(key)
            if pending is None:
                break
            if not await asyncio.shield(pending):  # computed but not kept (an error, too large): compute it here
                return await make()
        self.misses += 1
        stamp = self._stamp
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        self._inflight[key] = done
        kept = False
        try:
            response = await make()
            entry = await _capture(response, key)
            if entry is None:
                return response
            if self._stamp == stamp:  # not when the build changed while it was being computed
                kept = self.put(key, entry)
            return entry.response()
        finally:
            del self._inflight[key]
            done.set_result(kept)


async def _capture(response: Response, key: tuple) -> Entry | None:
    """The answer as an Entry (its streamed body read), or None when it is not to be kept (not a 200, a
    background task)."""
    if response.status_code != 200 or response.background is not None:
        return None
    if isinstance(response, StreamingResponse):
        parts = []
        async for chunk in response.body_iterator:
            parts.append(chunk if isinstance(chunk, bytes) else bytes(chunk) if isinstance(chunk, memoryview)
                         else chunk.encode(response.charset))
        body, is_streamed = b"".join(parts), True
    else:
        body, is_streamed = bytes(response.body), False
    headers = tuple(response.raw_headers)
    size = len(body) + sum(len(k) + len(v) for k, v in headers) + sum(len(str(x)) for x in key) + ENTRY_OVERHEAD
    return Entry(response.status_code, headers, body, is_streamed, size)


def request_key(request: Request, today: date) -> tuple:
    """Everything an explorer page reads from its request: method, path, raw query string, base URL, day."""
    return (request.method, request.url.path, request.scope.get("query_string", b"").decode("latin-1"),
            str(request.base_url), today.isoformat())


def cached(cache: ResponseCache | None, handler: Callable[[Request], Awaitable[Response]]
           ) -> Callable[[Request], Awaitable[Response]]:
    """`handler` answered through `cache` (as it is when `cache` is None). The day of the key is handed to the
    handler in `request.state.today`, so the answer kept is the one of that day."""
    if cache is None or cache.max_bytes <= 0:
        return handler

    async def through_cache(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return await handler(request)
        today = date.today()
        request.state.today = today
        return await cache.respond(request_key(request, today), lambda: handler(request))

    through_cache.__name__ = getattr(handler, "__name__", "handler")
    return through_cache


async def warm(app, base_url: str, paths=WARM_PATHS) -> int:
    """Ask `app` (the ASGI application, through its middleware and routes) for `paths` as a client of `base_url`
    ("http://127.0.0.1:8000") would, so that the cache keeps their answers; the number answered 200."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or (443 if parts.scheme == "https" else 80)
    done = 0
    for target in paths:
        path, _, query = target.partition("?")
        status: list[int] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message, status=status):
            if message["type"] == "http.response.start":
                status.append(message["status"])

        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
                 "method": "GET", "scheme": parts.scheme or "http", "path": path, "raw_path": path.encode(),
                 "query_string": query.encode("ascii"), "root_path": "", "headers": [(b"host", parts.netloc.encode("idna"))],
                 "server": (host, port), "client": ("127.0.0.1", 0)}
        try:
            await app(scope, receive, send)
        except Exception:  # a page that cannot be made now will be made (and fail) for its first client
            log.exception("precomputing %s", target)
            continue
        done += status[:1] == [200]
    return done


def seconds_to_midnight(now: datetime | None = None) -> float:
    now = now or datetime.now()
    nxt = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    return (nxt - now).total_seconds()


async def keep_warm(app, base_url: str, paths=WARM_PATHS, first: asyncio.Event | None = None) -> None:
    """`warm` now (then set `first`), and again a second after each midnight, for as long as the server runs."""
    while True:
        try:
            await warm(app, base_url, paths)
        finally:
            if first is not None:
                first.set()
        await asyncio.sleep(seconds_to_midnight() + 1)
