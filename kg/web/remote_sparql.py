"""The /sparql page of `kg serve --endpoint URL`: queries forwarded to the remote SPARQL endpoint.

Same interface as kg.web.sparql.QueryService (``query(text, fmt) -> Answer``, ``timeout``,
``max_rows``, ``close()``), so the routes of kg.web.app do not change.  SELECT and ASK results are
asked of the endpoint as SPARQL JSON, cut at ``max_rows`` rows and written in the format the client
wants by the serialisers of kg.web.sparql; CONSTRUCT and DESCRIBE answers are passed on as the
endpoint sends them (at most ``max_bytes``).  The server waits at most ``timeout`` seconds for an
answer; the remote store may go on running the query (give it its own limit, e.g.
``oxigraph serve --timeout-s``).  Updates never reach this module: the routes refuse them first.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from kg.web.sparql import FORMAT_TYPES, JSON_TYPE, Answer, serialize_boolean, serialize_rows

_TEXT = "text/plain; charset=utf-8"
_RDF_ACCEPT = {"turtle": "text/turtle", "ntriples": "application/n-triples"}


def _ox_term(v: dict):
    """A SPARQL JSON term as a pyoxigraph term (what the serialisers of kg.web.sparql take)."""
    import pyoxigraph as ox

    t = v.get("type")
    if t == "uri":
        return ox.NamedNode(v["value"])
    if t == "bnode":
        try:
            return ox.BlankNode(v["value"])
        except (ValueError, TypeError):  # a label Oxigraph does not take: a fresh node
            return ox.BlankNode()
    if "xml:lang" in v:
        return ox.Literal(v["value"], language=v["xml:lang"])
    if v.get("datatype"):
        return ox.Literal(v["value"], datatype=ox.NamedNode(v["datatype"]))
    return ox.Literal(v.get("value", ""))


class RemoteQueryService:
    """Forwards read-only queries to a SPARQL 1.1 endpoint, with a time limit, a row cap and a size cap."""

    def __init__(self, endpoint: str, timeout: float = 10.0, max_rows: int = 10_000,
                 max_bytes: int = 64 * 1024 * 1024, parallel: int = 4):
        self.endpoint, self.timeout, self.max_rows, self.max_bytes = endpoint, timeout, max_rows, max_bytes
        self._slots = threading.Semaphore(parallel)

    def _fetch(self, query: str, accept: str) -> tuple[int, str, bytes]:
        data = urllib.parse.urlencode({"query": query}).encode("utf-8")
        req = urllib.request.Request(self.endpoint, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        deadline = time.monotonic() + self.timeout
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                chunks, size = [], 0
                while True:
                    if time.monotonic() > deadline:
                        raise TimeoutError
                    chunk = resp.read(1 << 16)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        return 413, _TEXT, (f"Kết quả lớn hơn {self.max_bytes // (1 << 20)} MB: xin thêm LIMIT "
                                            f"vào truy vấn.").encode()
                    chunks.append(chunk)
                return resp.status, resp.headers.get("Content-Type", ""), b"".join(chunks)
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read(2000)
            except OSError:
                body = b""
            status = exc.code if 400 <= exc.code < 500 else 502
            return status, _TEXT, (f"Điểm SPARQL {self.endpoint} trả lời HTTP {exc.code}: ".encode()
                                   + body.strip()[:2000])
        except (TimeoutError, OSError) as exc:
            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                return 503, _TEXT, f"Truy vấn bị dừng: vượt quá giới hạn {self.timeout:g} giây.".encode()
            reason = getattr(exc, "reason", exc)
            return 502, _TEXT, f"Không kết nối được điểm SPARQL {self.endpoint} ({reason}).".encode()
        except Exception as exc:  # http.client's protocol errors
            return 502, _TEXT, f"Điểm SPARQL {self.endpoint} trả lời không hợp lệ ({type(exc).__name__}).".encode()

    def query(self, query: str, fmt: str = "json") -> Answer:
        if not self._slots.acquire(timeout=self.timeout):
            return Answer(503, _TEXT, "Máy chủ đang bận với truy vấn khác, xin thử lại sau.".encode())
        try:
            rdf = _RDF_ACCEPT.get(fmt, "text/turtle")
            status, ctype, body = self._fetch(query, f"{JSON_TYPE}, {rdf};q=0.9")
            if status != 200:
                return Answer(status, ctype or _TEXT, body)
            mime = ctype.split(";")[0].strip().lower()
            if mime not in (JSON_TYPE, "application/json"):  # CONSTRUCT / DESCRIBE: the graph as sent
                return Answer(200, ctype or "text/turtle", body)
            try:
                result = json.loads(body)
            except ValueError:
                return Answer(502, _TEXT, f"Điểm SPARQL {self.endpoint} trả lời JSON không đọc được.".encode())
            out_fmt = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
            if "boolean" in result:
                return Answer(200, FORMAT_TYPES[out_fmt], serialize_boolean(out_fmt, bool(result["boolean"])))
            names = list(result.get("head", {}).get("vars", []))
            bindings = result.get("results", {}).get("bindings", [])
            truncated = len(bindings) > self.max_rows
            rows = [[_ox_term(b[n]) if n in b else None for n in names] for b in bindings[:self.max_rows]]
            return Answer(200, FORMAT_TYPES[out_fmt], serialize_rows(out_fmt, names, rows), truncated)
        finally:
            self._slots.release()

    def close(self) -> None:
        """Nothing to stop (no worker process)."""
