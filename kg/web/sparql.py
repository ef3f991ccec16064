"""The read-only SPARQL 1.1 Protocol endpoint: content negotiation, a time limit and a row cap.

Why a worker process: an Oxigraph query cannot be interrupted from another
thread, so a runaway query would hold a server thread (and a core) until it
ends.  Queries from ``/sparql`` therefore run in one child process
(``python -m kg.web.sparql``) holding its own copy of the graph; the server waits at most ``timeout`` seconds for
the answer, then kills the child (the query dies with it), answers 503 and
starts a fresh child.  Results are cut at ``max_rows`` rows (the response
says so in the ``X-Result-Truncated`` header).  Queries wait their turn for
the one worker; a request that cannot get it within the time limit is
answered 503 as well.  The pages of the explorer do not go through the
worker: their queries are our own, bound to one IRI, and selective.
"""

from __future__ import annotations

import json
import pickle
import re
import select
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kg.store import persistent_store

JSON_TYPE = "application/sparql-results+json"
XML_TYPE = "application/sparql-results+xml"
CSV_TYPE = "text/csv"
TSV_TYPE = "text/tab-separated-values"
TURTLE_TYPE = "text/turtle"
NTRIPLES_TYPE = "application/n-triples"
RESULT_TYPES = {JSON_TYPE: "json", "application/json": "json", XML_TYPE: "xml", "application/xml": "xml",
                "text/xml": "xml", CSV_TYPE: "csv", TSV_TYPE: "tsv", TURTLE_TYPE: "turtle",
                NTRIPLES_TYPE: "ntriples", "text/plain": "ntriples"}
FORMAT_TYPES = {"json": JSON_TYPE, "xml": XML_TYPE, "csv": CSV_TYPE, "tsv": TSV_TYPE,
                "turtle": TURTLE_TYPE, "ntriples": NTRIPLES_TYPE}

# what to step over when looking at the words of a request: comments, strings, IRIs
_SKIP = re.compile(r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)\s*)*", re.IGNORECASE)
_UPDATE_WORDS = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether a request is a SPARQL Update (the operation after the prologue is an update keyword)."""
    masked = _SKIP.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text)
    return bool(_UPDATE_WORDS.match(_PROLOGUE.sub("", masked, count=1)))


def negotiate(accept: str | None, wanted: str | None = None) -> str | None:
    """Result format from a `format` parameter or the Accept header (q-values honoured); json by default."""
    if wanted:
        wanted = wanted.lower()
        if wanted in FORMAT_TYPES:
            return wanted
        return RESULT_TYPES.get(wanted)
    if not accept:
        return "json"
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        fmt = RESULT_TYPES.get(mime) or ("json" if mime in ("*/*", "application/*") else None)
        if fmt and q > best_q:
            best, best_q = fmt, q
    return best


# -- serialisers (run in the worker, on pyoxigraph terms) ------------------------------------------

def _kind(term) -> str:
    name = type(term).__name__
    return {"NamedNode": "uri", "BlankNode": "bnode", "Literal": "literal"}.get(name, "triple")


def _json_term(term) -> dict:
    k = _kind(term)
    if k == "literal":
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = term.datatype.value
        return d
    if k == "triple":
        return {"type": "literal", "value": str(term)}
    return {"type": k, "value": term.value}


def _xml_term(term) -> str:
    k = _kind(term)
    if k == "literal":
        attr = f" xml:lang={quoteattr(term.language)}" if term.language else (
            "" if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
            else f" datatype={quoteattr(term.datatype.value)}")
        return f"<literal{attr}>{escape(term.value)}</literal>"
    if k == "triple":
        return f"<literal>{escape(str(term))}</literal>"
    return f"<{k}>{escape(term.value)}</{k}>"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    v = ("_:" + term.value) if _kind(term) == "bnode" else (term.value if hasattr(term, "value") else str(term))
    if any(c in v for c in ',"\r\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def _tsv_cell(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_rows(fmt: str, names: list[str], rows: list[list]) -> bytes:
    """SELECT results (rows of pyoxigraph terms or None) in one of the four result formats."""
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        body = "".join("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                            for n, t in zip(names, r) if t is not None) + "</result>" for r in rows)
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>' + head
                + "</head><results>" + body + "</results></sparql>\n").encode()
    if fmt == "csv":
        lines = [",".join(names)] + [",".join(_csv_cell(t) for t in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + n for n in names)] + ["\t".join(_tsv_cell(t) for t in r) for r in rows]
        return ("\n".join(lines) + "\n").encode()
    bindings = [{n: _json_term(t) for n, t in zip(names, r) if t is not None} for r in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


def serialize_boolean(fmt: str, value: bool) -> bytes:
    v = "true" if value else "false"
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{v}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"_askResult\r\n{v}\r\n".encode() if fmt == "csv" else f"?_askResult\n{v}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def run_query(store, query: str, fmt: str, max_rows: int) -> tuple[int, str, bytes, bool]:
    """(status, content type, body, truncated) of one query on a pyoxigraph store."""
    import pyoxigraph as ox

    try:
        res = store.query(query, use_default_graph_as_union=True)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        return 400, "text/plain; charset=utf-8", f"Truy vấn không hợp lệ: {exc}".encode(), False
    try:
        if isinstance(res, (bool, ox.QueryBoolean)):
            fmt = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
            return 200, FORMAT_TYPES[fmt], serialize_boolean(fmt, bool(res)), False
        if isinstance(res, ox.QuerySolutions):
            fmt = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
            names = [v.value for v in res.variables]
            rows, truncated = [], False
            for sol in res:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[n] for n in names])
            return 200, FORMAT_TYPES[fmt], serialize_rows(fmt, names, rows), truncated
        triples, truncated = [], False
        for t in res:
            if len(triples) >= max_rows:
                truncated = True
                break
            triples.append(t)
        rdf_fmt = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        body = ox.serialize(triples, format=rdf_fmt) or b""
        return 200, FORMAT_TYPES["ntriples" if fmt == "ntriples" else "turtle"], body, truncated
    except (OSError, RuntimeError, ValueError) as exc:
        return 500, "text/plain; charset=utf-8", f"Lỗi khi chạy truy vấn: {exc}".encode(), False


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _recv(stream):
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError("worker pipe closed")
    (size,) = struct.unpack(">I", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("worker pipe closed")
    return pickle.loads(data)


def worker_main(trig_path: str) -> None:
    """Child process (`python -m kg.web.sparql TRIG`): load the graph, answer framed messages on stdin/stdout."""
    import pyoxigraph as ox

    out, inp = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # nothing else may write on the message pipe
    path = Path(trig_path)
    disk = persistent_store(path.parent) if path.name == "graph.trig" else None
    if disk is not None:  # the build's persistent store: opened read-only in milliseconds
        store = ox.Store.read_only(str(disk))
    else:
        store = ox.Store()
        store.bulk_load(path=trig_path, format=ox.RdfFormat.TRIG)
    _send(out, "ready")
    while True:
        try:
            query, fmt, max_rows = _recv(inp)
        except EOFError:
            return
        _send(out, run_query(store, query, fmt, max_rows))


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


_TEXT = "text/plain; charset=utf-8"


class QueryService:
    """One worker process answering SPARQL queries, killed and restarted when a query runs too long."""

    def __init__(self, trig_path: str, timeout: float = 10.0, max_rows: int = 10_000, load_timeout: float = 300.0):
        self.trig_path, self.timeout, self.max_rows, self.load_timeout = trig_path, timeout, max_rows, load_timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._ready = False
        self._start()

    def _start(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-m", "kg.web.sparql", self.trig_path],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self._ready = False

    def _kill(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait(10)
            for f in (self._proc.stdin, self._proc.stdout):
                try:
                    f.close()
                except OSError:
                    pass

    def _wait(self, seconds: float) -> bool:
        ready, _, _ = select.select([self._proc.stdout], [], [], seconds)
        return bool(ready)

    def query(self, query: str, fmt: str = "json") -> Answer:
        if not self._lock.acquire(timeout=self.timeout):
            return Answer(503, _TEXT, "Máy chủ đang bận với truy vấn khác, xin thử lại sau.".encode())
        try:
            if not self._ready:
                if not self._wait(self.load_timeout) or _recv(self._proc.stdout) != "ready":
                    raise EOFError("worker did not start")
                self._ready = True
            _send(self._proc.stdin, (query, fmt, self.max_rows))
            if not self._wait(self.timeout):
                self._kill()
                self._start()
                return Answer(503, _TEXT, f"Truy vấn bị dừng: vượt quá giới hạn {self.timeout:g} giây.".encode())
            status, ctype, body, truncated = _recv(self._proc.stdout)
            return Answer(status, ctype, body, truncated)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self._kill()
            self._start()
            return Answer(503, _TEXT, "Bộ xử lý truy vấn vừa khởi động lại, xin thử lại.".encode())
        finally:
            self._lock.release()

    def close(self) -> None:
        self._kill()


if __name__ == "__main__":
    worker_main(sys.argv[1])
