"""The read-only SPARQL 1.1 Protocol endpoint: content negotiation, a time limit, a row cap and a pool of workers.

Why worker processes: an Oxigraph query cannot be interrupted from another
thread, so a runaway query would hold a server thread (and a core) until it
ends.  Queries from ``/sparql`` therefore run in child processes
(``python -m kg.web.sparql``), a small pool of them (``workers``, default 2,
or ``$KG_SPARQL_WORKERS``), each holding its own handle on the graph (the
build's persistent store opened read-only, else graph.trig bulk-loaded).  A
query takes an idle worker; the server waits at most ``timeout`` seconds for
the answer, then kills that worker alone (the query dies with it, the other
workers' queries run on), answers 503 and starts a fresh one.  So one slow
query holds one worker, and the other queries are answered by the others; a
request that cannot get a worker within the time limit is answered 503.
Results are cut at ``max_rows`` rows (the response says so in the
``X-Result-Truncated`` header).  The pages of the explorer do not go through
the workers: their queries are our own, bound to one IRI, and selective.
The workers run at a lower scheduling priority than the server (nice
``WORKER_NICE``, or ``$KG_SPARQL_NICE``; 0: the same): heavy queries take
the processor time the pages leave, so a few full scans do not slow every
page of the site (in benchmarks/bench_load.py on 2 cores, 50 clients and 20
heavy queries, the pages' median fell from about 30 ms to about 7 ms); a
query waits longer for a busy worker instead.

What a query may not do (checked before a worker sees it, ``check_query``):
hold a ``SERVICE`` clause (the server would fetch any URL it names: request
forgery, and a SERVICE back at this server waits on itself) unless an
allow-list names its host (``kg serve --sparql-service-allow HOST,...`` or
``$KG_SPARQL_SERVICE_ALLOW``: an absolute http(s) IRI whose host is listed,
written out or as a declared prefix; a variable, a relative IRI or another
host is refused), nest brackets
deeper than ``MAX_DEPTH`` (the parser recurses) or be longer than
``MAX_QUERY_CHARS``.  The check reads the query with a SPARQL tokenizer
(comments, strings, IRIs and the ``<`` operator told apart; pyoxigraph
exposes no parser); behind it, each worker runs under a seccomp filter
(Linux x86-64 and arm64) that refuses to open any network socket, so a
SERVICE the tokenizer missed fails instead of fetching.  With an allow-list
the workers need the network, so the filter is left out and the query
check is the only guard.  Queries run on a
thread with a large stack, and a worker that dies on a query anyway (a
parser or evaluator recursing on a very long expression) is restarted and
the query answered 400.

XML results: XML 1.0 cannot hold the control characters U+0000-U+0008,
U+000B, U+000C, U+000E-U+001F (not even as character references), which
literals may hold: they are replaced by U+FFFD in XML results (JSON, CSV
and TSV keep them, escaped where the format escapes).
"""

from __future__ import annotations

import json
import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
import time
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


# -- what a query may hold (checked in the server, before a worker sees the query) --------------------

MAX_QUERY_CHARS = 100_000  # characters of one query
MAX_DEPTH = 100  # brackets { ( [ open at once; the queries of queries/ nest a few levels deep
MAX_BODY = 1 << 20  # bytes of a POST body (a form-encoded query of MAX_QUERY_CHARS fits)
MAX_QUERY_STRING = 64 << 10  # bytes of the query string of a GET (longer queries: POST)

_WS = re.compile(r"\s+")
_COMMENT = re.compile(r"#[^\r\n]*")
_STRINGS = {'"""': re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'),
            "'''": re.compile(r"'{3}(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'{3}"),
            '"': re.compile(r'"(?:[^"\\\r\n]|\\.)*"'), "'": re.compile(r"'(?:[^'\\\r\n]|\\.)*'")}
_IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')  # with UCHAR escapes
_VAR = re.compile(r"[?$][0-9A-Za-z_\u00b7\u00c0-\U000effff]+")
_BNODE = re.compile(r"_:[0-9A-Za-z_\-.\u00b7\u00c0-\U000effff]*")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# a keyword, a function name, or a prefixed name (prefix:local, with the local part's escapes)
_PLX = r"|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_NAME = re.compile(r"(?:[A-Za-z_\u00c0-\U000effff][0-9A-Za-z_\-.\u00b7\u00c0-\U000effff]*)?"  # the local part starts
                   r"(?::(?:(?:[0-9A-Za-z_:\u00c0-\U000effff]" + _PLX + r")"  # with neither '.' nor '-'
                   r"(?:[0-9A-Za-z_\-.:\u00b7\u00c0-\U000effff]" + _PLX + r")*)?)?")
_OPERAND_END = {"var", "string", "number", "iri", "pname", "langtag", "bnode", ")", "]"}
_CLAUSE_WORDS = {"SELECT", "ORDER", "GROUP", "HAVING"}  # in a group, a subquery: each '(' opens an expression


def _match_end(rx, text: str, i: int) -> int:
    """Where `rx` matching at `i` ends (at `i + 1` if it does not: the callers test the first character)."""
    m = rx.match(text, i)
    return m.end() if m else i + 1


def tokens(text: str):
    """(kind, text, depth) of each token of a SPARQL request, comments and white space left out.  kind is one of
    word (a keyword or function name, upper-cased), pname, var, iri, string, number, bnode, langtag, or the
    character itself; depth counts the brackets { ( [ open after the token.  `<` is read as a SPARQL parser
    reads it: an IRI where a term may stand, the less-than operator after an operand inside an expression (so
    `FILTER(?a<1)SERVICE#>` holds a SERVICE and no IRI)."""
    # frames: "clause" (outside any group, or a subquery: every '(' opens an expression), "triples" (a group,
    # a [ ], a collection or a path), "expr" (inside the parentheses of an expression)
    frames: list[str] = []
    prev: list[tuple[str, str]] = [("", ""), ("", "")]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i = _match_end(_WS, text, i)
            continue
        if c == "#":
            i = _match_end(_COMMENT, text, i)
            continue
        mode = frames[-1] if frames else "clause"
        kind, end = c, i + 1
        if c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in _STRINGS else c
            m = _STRINGS[quote].match(text, i)
            kind, end = "string", m.end() if m else n  # an unclosed string: the rest is the string
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m and not (mode == "expr" and prev[-1][0] in _OPERAND_END):
                kind, end = "iri", m.end()
        elif c in "?$" and _VAR.match(text, i):
            kind, end = "var", _match_end(_VAR, text, i)
        elif c == "_" and text.startswith("_:", i):
            kind, end = "bnode", _match_end(_BNODE, text, i)
        elif c == "@" and _LANGTAG.match(text, i):
            kind, end = "langtag", _match_end(_LANGTAG, text, i)
        elif c.isdigit() or (c == "." and text[i + 1:i + 2].isdigit()):
            kind, end = "number", _match_end(_NUMBER, text, i)
        else:
            m = _NAME.match(text, i)
            if m and m.end() > i:
                word = m.group(0)
                while word.endswith(".") and ":" in word:  # a prefixed name does not end with a dot
                    word = word[:-1]
                kind, end = ("pname" if ":" in word else "word"), i + len(word)
        value = text[i:end]
        if kind == "word":
            value = value.upper()
            if value in _CLAUSE_WORDS and frames:
                frames[-1] = "clause"
        elif kind in ("{", "["):
            frames.append("triples")
        elif kind == "(":
            p1, p2 = prev[-1], prev[-2]
            if mode in ("clause", "expr"):
                frames.append("expr")
            elif p1[0] == "word" and p1[1] not in ("A", "TRUE", "FALSE"):  # FILTER(, BIND(, regex(, ...
                frames.append("expr")
            elif p1[0] in ("iri", "pname") and p2 == ("word", "FILTER"):  # FILTER ex:f(...)
                frames.append("expr")
            else:
                frames.append("triples")  # a collection or a property path
        elif kind in (")", "]", "}") and frames:
            frames.pop()
        yield kind, value, len(frames)
        prev = [prev[-1], (kind, value)]
        i = end


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_SERVICE_REFUSED = ("Truy vấn có mệnh đề SERVICE bị từ chối: điểm truy vấn này không gửi truy vấn tới "
                    "máy chủ khác (SERVICE <...>). Xin bỏ mệnh đề SERVICE.")


def _iri_text(token: str) -> str:
    """The IRI of an IRIREF token (<...>), its \\u and \\U escapes decoded as a SPARQL parser decodes them."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def _split_service(value: str) -> tuple[bool, str] | None:
    """For a word or prefixed name holding SERVICE: (SILENT given, what is glued after it) when it reads as the
    SERVICE keyword (Oxigraph's parser reads `trueSERVICE`, `SERVICESILENT<...>` and `SERVICEr:` as keywords), else
    None."""
    upper = value.upper()
    at = upper.rfind("SERVICE")
    if at < 0:
        return None
    rest = value[at + len("SERVICE"):]
    silent = rest.upper().startswith("SILENT")
    return silent, rest[6:] if silent else rest


def service_hosts(allow: str | None) -> frozenset[str]:
    """The host names of an allow-list ("host1,host2" or separated by spaces), lower-cased, IPv6 without brackets."""
    hosts = set()
    for item in re.split(r"[\s,]+", allow or ""):
        item = item.strip().lower()
        if item.startswith("[") and item.endswith("]"):
            item = item[1:-1]
        if item:
            hosts.add(item)
    return frozenset(hosts)


def _service_host(target: str) -> tuple[str | None, str]:
    """(host, what to name in a refusal) of a SERVICE target IRI: the host when it is an absolute http(s) IRI with
    one, else None."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(target)
        host = parts.hostname
    except ValueError:
        return None, target
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None, target
    return host.lower(), host.lower()


def check_query(text: str, allow: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """(status, message) when a query may not be run here, else None: too long (413), brackets nested deeper than
    MAX_DEPTH (400), or a SERVICE clause (400) -- unless `allow` names its host: then a SERVICE whose IRI (written
    out, or a prefixed name of a declared prefix) is an absolute http or https IRI whose host is in `allow` is let
    through.  A SERVICE to a variable, a relative IRI, another scheme or another host is refused, naming it."""
    if len(text) > MAX_QUERY_CHARS:
        return 413, f"Truy vấn quá dài: tối đa {MAX_QUERY_CHARS} ký tự."
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    for i, (kind, value, depth) in enumerate(toks):
        if depth > MAX_DEPTH:
            return 400, (f"Truy vấn lồng quá sâu: quá {MAX_DEPTH} cấp ngoặc {{ ( [ lồng nhau. "
                         "Xin viết lại truy vấn cho gọn hơn.")
        if kind == "word" and value == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" \
                and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].split(":", 1)[0]] = _iri_text(toks[i + 2][1])
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "", 0)
        if kind == "word" and "SERVICE" in value:  # a PEG parser reads `trueSERVICE` as true, SERVICE
            split = _split_service(value)
            glued = split[1] if split else "?"
            target = nxt if glued == "" else ("?", glued, 0)
            if glued == "" and split is not None and not split[0] and nxt[:2] == ("word", "SILENT"):
                target = toks[i + 2] if i + 2 < len(toks) else ("?", "", 0)
        elif kind == "pname" and "SERVICE" in value.split(":", 1)[0].upper() and nxt[0] == "{":
            # `SERVICEr:{...}` is read as SERVICE r:{...}; `SERVICE:a ?p ?o` (a prefix named SERVICE) is a triple
            split = _split_service(value.split(":", 1)[0])
            target = ("pname", split[1] + ":" + value.split(":", 1)[1], 0) if split else ("?", value, 0)
        else:
            continue
        if not allow:
            return 400, _SERVICE_REFUSED
        if target[0] == "iri":
            iri = _iri_text(target[1])
        elif target[0] == "pname" and not target[1].upper().startswith("SILENT"):  # SILENTr: may read SILENT r:
            prefix, local = target[1].split(":", 1)
            if prefix not in prefixes:
                return 400, f"Truy vấn có mệnh đề SERVICE bị từ chối: tiền tố {prefix}: chưa được khai báo."
            iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        else:
            return 400, (f"Truy vấn có mệnh đề SERVICE bị từ chối: chỉ cho phép SERVICE tới một địa chỉ "
                         f"http(s) viết rõ, thuộc các máy chủ {', '.join(sorted(allow))} (không phải {target[1]}).")
        host, name = _service_host(iri)
        if host is None:
            return 400, (f"Truy vấn có mệnh đề SERVICE bị từ chối: <{name}> không phải địa chỉ http(s) tuyệt đối; "
                         f"chỉ cho phép SERVICE tới các máy chủ {', '.join(sorted(allow))}.")
        if host not in allow:
            return 400, (f"Truy vấn có mệnh đề SERVICE bị từ chối: máy chủ {name} không nằm trong danh sách "
                         f"được phép ({', '.join(sorted(allow))}); chỉ cho phép địa chỉ http(s) tới các máy chủ đó.")
    return None


async def read_request(request) -> dict | tuple[int, str]:
    """The SPARQL 1.1 Protocol parameters of a /sparql request (a Starlette Request) as a dict with the keys query,
    update and format (each a str or None), or (status, message) when it cannot be read: a query string over
    MAX_QUERY_STRING bytes (414), a body over MAX_BODY bytes (413, refused from its Content-Length before it is
    read, else as soon as it grows past the limit), an unsupported Content-Type (415), a malformed form (400).
    The query may come from the query string, a application/sparql-query body, or a field of a form
    (application/x-www-form-urlencoded or multipart/form-data, a part with a file name included)."""
    from urllib.parse import parse_qsl

    if len(request.scope.get("query_string", b"")) > MAX_QUERY_STRING:
        return 414, (f"Địa chỉ quá dài (quá {MAX_QUERY_STRING // 1024} KB): gửi truy vấn dài bằng POST "
                     "(application/sparql-query).")
    qp = request.query_params
    params = {"query": qp.get("query"), "update": qp.get("update"), "format": qp.get("format") or qp.get("output")}
    if request.method != "POST":
        return params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        return params | {"update": "1"}  # refused whatever it holds: not read
    if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded", "multipart/form-data"):
        return 415, ("Content-Type không được hỗ trợ: dùng application/sparql-query, "
                     "application/x-www-form-urlencoded hoặc multipart/form-data.")
    too_big = 413, f"Yêu cầu quá lớn: nội dung gửi lên tối đa {MAX_BODY // 1024} KB."
    length = request.headers.get("content-length", "")
    if length.strip().isdigit() and int(length) > MAX_BODY:
        return too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return too_big
        chunks.append(chunk)
    body = b"".join(chunks)
    if ctype == "application/sparql-query":
        return params | {"query": body.decode("utf-8", errors="replace")}
    bad_form = 400, "Biểu mẫu gửi lên không đọc được (multipart/form-data hoặc x-www-form-urlencoded hỏng)."
    fields: dict[str, str] = {}
    if ctype == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True, encoding="utf-8", errors="replace",
                              max_num_fields=1000)
        except ValueError:
            return bad_form
        for k, v in pairs:
            fields.setdefault(k, v)
    else:
        from starlette.datastructures import UploadFile
        from starlette.formparsers import MultiPartException, MultiPartParser

        async def once():
            yield body
            yield b""

        try:
            form = await MultiPartParser(request.headers, once(), max_files=10, max_fields=100,
                                         max_part_size=MAX_BODY).parse()
        except (MultiPartException, ValueError, KeyError):
            return bad_form
        try:
            for k, part in form.multi_items():
                if k not in fields:
                    if isinstance(part, UploadFile):  # a part sent as a file (curl -F query=@q.rq)
                        fields[k] = (await part.read()).decode("utf-8", errors="replace")
                    else:
                        fields[k] = part
        finally:
            await form.close()
    return {"query": fields.get("query") or params["query"], "update": fields.get("update") or params["update"],
            "format": fields.get("format") or fields.get("output") or params["format"]}


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


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: str) -> str:
    """Text escaped for XML 1.0, whose characters exclude the C0 controls but tab, LF and CR (even as character
    references), U+FFFE, U+FFFF and lone surrogates: each of those becomes U+FFFD."""
    return escape(_XML_FORBIDDEN.sub("\ufffd", value), {"\r": "&#13;"})  # a raw CR would be read as LF


def _xml_attr(value: str) -> str:
    return quoteattr(_XML_FORBIDDEN.sub("\ufffd", value))


def _xml_term(term) -> str:
    k = _kind(term)
    if k == "literal":
        attr = f" xml:lang={_xml_attr(term.language)}" if term.language else (
            "" if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
            else f" datatype={_xml_attr(term.datatype.value)}")
        return f"<literal{attr}>{_xml_text(term.value)}</literal>"
    if k == "triple":
        return f"<literal>{_xml_text(str(term))}</literal>"
    return f"<{k}>{_xml_text(term.value)}</{k}>"


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
        head = "".join(f"<variable name={_xml_attr(n)}/>" for n in names)
        body = "".join("<result>" + "".join(f"<binding name={_xml_attr(n)}>{_xml_term(t)}</binding>"
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
            rows: list[list] = []
            truncated = False
            for sol in res:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[n] for n in names])
            return 200, FORMAT_TYPES[fmt], serialize_rows(fmt, names, rows), truncated
        triples: list = []
        truncated = False
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


# seccomp: (AUDIT_ARCH, socket syscall, seccomp syscall) of the machines the filter knows
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41, 317), "amd64": (0xC000003E, 41, 317), "aarch64": (0xC00000B7, 198, 277),
                 "arm64": (0xC00000B7, 198, 277)}


def forbid_network() -> bool:
    """Make this process (all its threads) unable to open any socket but a Unix one: socket(2) of another
    family fails with EACCES, so a SERVICE clause cannot reach any host.  A seccomp filter (Linux x86-64 and
    arm64; irreversible); False where it cannot be installed."""
    import ctypes
    import platform

    arch = _SECCOMP_ARCH.get(platform.machine().lower())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, nr_socket, nr_seccomp = arch

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
    prog = b"".join([
        op(ld, 0, 0, 4), op(jeq, 1, 0, audit_arch), op(ret, 0, 0, allow),  # another ABI: not filtered
        op(ld, 0, 0, 0), op(jge, 3, 0, 0x40000000),  # the x32 ABI: denied
        op(jeq, 0, 3, nr_socket),  # not socket(2): allowed
        op(ld, 0, 0, 16), op(jeq, 1, 0, 1),  # socket(AF_UNIX, ...): allowed
        op(ret, 0, 0, deny), op(ret, 0, 0, allow)])

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = SockFprog(len(prog) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, needed to install a filter without privileges
        return False
    # seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, prog): every thread of the process
    return libc.syscall(nr_seccomp, 1, 1, ctypes.byref(fprog)) == 0


WORKER_NICE = 10  # scheduling priority of the query workers below the server's ($KG_SPARQL_NICE; 0: the same)
QUERY_STACK = 512 << 20  # bytes of stack of the thread that runs queries (address space; touched pages only)


def worker_main(trig_path: str, network: bool = False) -> None:
    """Child process (`python -m kg.web.sparql TRIG [--network]`): load the graph, answer framed messages on
    stdin/stdout.  Without `network` (no SERVICE allow-list) the process is first made unable to open sockets."""
    import os
    import time

    import pyoxigraph as ox

    out, inp = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # nothing else may write on the message pipe
    parent = os.getppid()

    def orphaned() -> None:  # a server killed outright: do not go on running its query alone
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=orphaned, name="parent-watch", daemon=True).start()
    try:  # below the pages: a heavy query takes the processors the server does not use, not the server's share
        os.nice(int(os.environ.get("KG_SPARQL_NICE", str(WORKER_NICE))))
    except (ValueError, OSError):
        pass
    path = Path(trig_path)
    disk = persistent_store(path.parent) if path.name == "graph.trig" else None
    if disk is not None:  # the build's persistent store: opened read-only in milliseconds
        store = ox.Store.read_only(str(disk))
    else:
        store = ox.Store()
        store.bulk_load(path=trig_path, format=ox.RdfFormat.TRIG)
    if not network and not forbid_network():
        print("kg sparql worker: no seccomp filter on this system; SERVICE is refused by the query check only",
              file=sys.stderr)

    def serve() -> None:
        _send(out, "ready")
        while True:
            try:
                query, fmt, max_rows = _recv(inp)
            except EOFError:
                return
            _send(out, run_query(store, query, fmt, max_rows))

    # the parser and the evaluator recurse: a large stack lets deep queries end in an answer, not a crash
    try:
        threading.stack_size(QUERY_STACK)
        thread = threading.Thread(target=serve, name="sparql-queries")
        thread.start()
    except (ValueError, RuntimeError):  # an address space too small for it (ulimit -v): the default stack
        threading.stack_size(0)
        thread = threading.Thread(target=serve, name="sparql-queries")
        thread.start()
    thread.join()


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


_TEXT = "text/plain; charset=utf-8"


class _Worker:
    """One child process and whether it said it was ready."""

    def __init__(self, trig_path: str, network: bool = False):
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.web.sparql", trig_path] + (["--network"] if network else []),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self.ready = False

    def wait(self, seconds: float) -> bool:
        assert self.proc.stdout is not None  # started with stdout=PIPE
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds)
        return bool(ready)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            if f is None:
                continue
            try:
                f.close()
            except OSError:
                pass


class QueryService:
    """A pool of worker processes answering SPARQL queries, one query at a time each; a worker whose query runs
    too long is killed and replaced, the others are left alone."""

    def __init__(self, trig_path: str, timeout: float = 10.0, max_rows: int = 10_000, load_timeout: float = 300.0,
                 workers: int | None = None, service_allow: str | None = None):
        """`service_allow`: the hosts a SERVICE clause may name ("host1,host2"; default $KG_SPARQL_SERVICE_ALLOW,
        else none: SERVICE refused, and the workers cannot open network sockets)."""
        import os

        self.trig_path, self.timeout, self.max_rows, self.load_timeout = trig_path, timeout, max_rows, load_timeout
        if service_allow is None:
            service_allow = os.environ.get("KG_SPARQL_SERVICE_ALLOW", "")
        self.service_allow = service_hosts(service_allow)
        if workers is None:
            try:
                workers = int(os.environ.get("KG_SPARQL_WORKERS", "2"))
            except ValueError:
                workers = 2
        self.workers = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._guard = threading.Lock()
        self._closed = False
        for _ in range(self.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self.trig_path, network=bool(self.service_allow))
        with self._guard:
            self._all.add(w)
        return w

    def _replace(self, w: _Worker) -> _Worker:
        w.kill()
        with self._guard:
            self._all.discard(w)
        return self._spawn()

    def query(self, query: str, fmt: str = "json") -> Answer:
        refused = check_query(query, self.service_allow)
        if refused:
            return Answer(refused[0], _TEXT, refused[1].encode())
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer(503, _TEXT, "Máy chủ đang bận với truy vấn khác, xin thử lại sau.".encode())
        try:
            if w.proc.poll() is not None:  # died while idle
                w = self._replace(w)
            if not w.ready:
                if not w.wait(self.load_timeout) or _recv(w.proc.stdout) != "ready":
                    w = self._replace(w)
                    return Answer(503, _TEXT, "Bộ xử lý truy vấn chưa khởi động được, xin thử lại.".encode())
                w.ready = True
            sent = time.monotonic()
            _send(w.proc.stdin, (query, fmt, self.max_rows))
            # over the limit when no answer came within it, or when it is seen only after it (this thread held
            # up by others): the limit is the time from sending to answer, whatever kept this thread waiting
            if not w.wait(self.timeout) or time.monotonic() - sent > self.timeout:
                w = self._replace(w)
                return Answer(503, _TEXT, f"Truy vấn bị dừng: vượt quá giới hạn {self.timeout:g} giây.".encode())
            try:
                status, ctype, body, truncated = _recv(w.proc.stdout)
            except EOFError:  # the worker died on this query (a parser or evaluator out of stack, memory...)
                w = self._replace(w)
                return Answer(400, _TEXT, ("Truy vấn làm bộ xử lý dừng bất thường (có thể vì quá phức tạp: biểu "
                                           "thức quá dài hoặc lồng quá sâu). Xin viết lại truy vấn cho gọn hơn."
                                           ).encode())
            return Answer(status, ctype, body, truncated)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            w = self._replace(w)
            return Answer(503, _TEXT, "Bộ xử lý truy vấn vừa khởi động lại, xin thử lại.".encode())
        finally:
            if self._closed:
                w.kill()
            else:
                self._idle.put(w)

    def close(self) -> None:
        self._closed = True
        with self._guard:
            workers = list(self._all)
        for w in workers:
            w.kill()


if __name__ == "__main__":
    worker_main(sys.argv[1], network="--network" in sys.argv[2:])
