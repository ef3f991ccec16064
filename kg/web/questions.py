"""The "Câu hỏi" page: the named queries of queries/ as forms generated from their headers.

Each ``#+ params`` entry becomes a field (a list of words a drop-down, a date a date field, an IRI
of a document or agency a text field with name look-up); what is typed is turned into one RDF term
(kg.queries.to_term, kg.web.explorer.Explorer.resolve) and bound by the store, never pasted into
the query text.  ``#+ question:`` gives the Vietnamese question a query answers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import queries
from kg.lookup import LookupError_
from kg.queries import Param, Query, QueryError
from kg.store import StoreError, bind as bind_terms
from kg.web.common import page_path, vn_date

MAX_ROWS = 1000  # rows shown on the page (CSV: EXPORT_ROWS)
EXPORT_ROWS = 100_000
PARAM_LABEL = {"agency": "Cơ quan", "issuer": "Cơ quan ban hành", "doc": "Văn bản", "document": "Văn bản",
               "scheme": "Đề án (hoặc quyết định phê duyệt)", "from": "Từ ngày", "to": "Đến ngày", "month": "Tháng",
               "role": "Vai trò", "unit": "Chỉ tiêu (đơn vị tính)", "year": "Năm"}
COLUMN_LABEL = {"duty": "nhiệm vụ", "duty_role": "vai trò", "document": "văn bản", "document_label": "tên văn bản",
                "assigner": "cơ quan giao", "deadline": "thời hạn", "recurrence": "định kỳ", "description": "nội dung",
                "targets": "số chỉ tiêu", "source_quote": "câu gốc", "start": "vị trí đầu", "end": "vị trí cuối",
                "source": "tệp nguồn", "agency": "cơ quan", "label": "tên", "lead": "chủ trì", "partner": "phối hợp",
                "total": "tổng", "role": "vai trò", "duties": "số nhiệm vụ", "date": "ngày", "number": "số hiệu",
                "title": "trích yếu", "issuer": "cơ quan ban hành", "type": "loại", "relation": "quan hệ",
                "quote": "trích dẫn", "direction": "chiều", "other": "văn bản khác", "other_label": "tên văn bản khác",
                "indicator": "chỉ tiêu", "target_year": "năm", "jurisdiction": "địa bàn", "min": "tối thiểu",
                "max": "tối đa", "target": "chỉ tiêu (IRI)", "text": "nội dung chỉ tiêu", "kind": "loại",
                "parent": "văn bản cấp trên", "child": "văn bản cấp dưới", "inferred": "suy ra", "depth": "cấp",
                "lead_name": "cơ quan chủ trì"}
CHOICE_LABEL = {"lead": "Chủ trì", "partner": "Phối hợp"}
_QUESTION = re.compile(r"^#\+\s*question\s*:\s*(.*)$", re.MULTILINE)


def question_of(q: Query) -> str:
    m = _QUESTION.search(q.text)
    return m.group(1).strip() if m else q.summary


def lookup_kind(p: Param) -> str | None:
    """"agency" or "document" for an IRI parameter looked up by name, else None."""
    if p.kind != "IRI":
        return None
    return queries.LOOKUP_KIND.get(p.name) and ("agency" if queries.LOOKUP_KIND[p.name] == "agency" else "document")


@dataclass
class Field:
    """One form field of a query parameter."""

    name: str
    label: str
    kind: str  # select | date | number | lookup-agency | lookup-document | text
    required: bool
    value: str = ""
    example: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    candidates: list[dict] = field(default_factory=list)


def fields(q: Query, values: dict[str, str]) -> list[Field]:
    out = []
    for p in q.params:
        kind = ("select" if p.choices else "date" if p.kind == "date" else "month" if p.kind == "month"
                else "number" if p.kind == "integer"
                else f"lookup-{lookup_kind(p)}" if lookup_kind(p) else "text")
        out.append(Field(p.name, PARAM_LABEL.get(p.name, p.name), kind, p.required, values.get(p.name, "")[:300],
                         q.example.get(p.name, ""), [(c, CHOICE_LABEL.get(c, c)) for c in p.choices]))
    return out


def bind(ex, q: Query, form: list[Field]) -> dict[str, Node] | None:
    """The RDF terms of the filled fields, or None when one cannot be bound (its Field carries the error)."""
    terms: dict[str, Node] = {}
    ok = True
    for f in form:
        value = f.value.strip()
        if not value:
            if f.required:
                f.error, ok = "Cần điền.", False
            continue
        p = q.param(f.name)
        try:
            if f.kind.startswith("lookup-"):
                node, message, candidates = ex.resolve(value, f.kind.split("-", 1)[1])
                if node is None:
                    f.error, f.candidates, ok = message, candidates, False
                    continue
                terms[f.name] = node
            elif p.kind == "IRI":
                if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                    raise QueryError("Cần một IRI đầy đủ (http://… hoặc https://…).")
                terms[f.name] = URIRef(value)
            else:
                terms[f.name] = queries.to_term(p, value)
        except QueryError as exc:
            f.error, ok = _vi_error(str(exc), p), False
        except LookupError_ as exc:
            f.error, ok = str(exc), False
    return terms if ok else None


def _vi_error(message: str, p: Param) -> str:
    if p.kind == "date":
        return "Ngày không hợp lệ (dạng năm-tháng-ngày, ví dụ 2024-12-31)."
    if p.kind == "month":
        return "Tháng không hợp lệ (dạng năm-tháng, ví dụ 2024-12)."
    if p.kind == "integer":
        return "Cần một số nguyên."
    if p.choices:
        return "Chỉ được chọn: " + ", ".join(CHOICE_LABEL.get(c, c) for c in p.choices) + "."
    return message


def run(ex, q: Query, terms: dict[str, Node], limit: int, service=None) -> tuple[list[str], list[dict], bool, str]:
    """(columns, rows, truncated, error) of a query with bound terms.

    With the SPARQL worker (`service`, kg.web.sparql.QueryService) the query runs in its child process, stopped
    after the server's --query-timeout and cut at --max-rows, so that a question costly on a large graph cannot
    hold the server; the terms are bound by kg.store.bind, as the embedded store binds them.
    """
    truncated = False
    try:
        # its index keys and IRI lists as VALUES blocks, as `kg query` runs it (kg.queries.bound_text)
        text, rest = queries.bound_text(q, terms or {})
        if service is not None:
            answer = service.query(bind_terms(text, rest or None), "json")
            if answer.status != 200:
                return [], [], False, answer.body.decode("utf-8", errors="replace")
            rows = from_json(json.loads(answer.body))
            truncated = answer.truncated
        else:
            rows = ex.store.select(text, rest or None)
    except (StoreError, QueryError, ValueError) as exc:
        return [], [], False, f"Không chạy được câu hỏi: {exc}"
    rows = queries.in_order(q, rows)
    cols = queries.columns(q) or sorted({k for r in rows for k in r})
    return cols, rows[:limit], truncated or len(rows) > limit, ""


def from_json(result: dict) -> list[dict[str, Node]]:
    """SPARQL 1.1 JSON results as rows of rdflib terms."""
    out = []
    for b in result.get("results", {}).get("bindings", []):
        row: dict[str, Node] = {}
        for name, v in b.items():
            if v.get("type") == "uri":
                row[name] = URIRef(v["value"])
            elif v.get("type") in ("literal", "typed-literal"):
                row[name] = Literal(v["value"], lang=v.get("xml:lang"),
                                    datatype=URIRef(v["datatype"]) if v.get("datatype") else None)
            else:
                row[name] = Literal(v.get("value", ""))
        out.append(row)
    return out


def cell(value: Node | None) -> dict:
    """A result cell for the page: text, and the page it opens when it is a document, scheme or agency."""
    if value is None:
        return {"text": "", "path": None}
    if isinstance(value, URIRef):
        return {"text": str(value), "path": page_path(value), "iri": True}
    if isinstance(value, Literal) and value.datatype and str(value.datatype).endswith("#date"):
        return {"text": vn_date(value), "path": None}
    return {"text": str(value), "path": None}


def _csv_cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(cols: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in rows:
        w.writerow([_csv_cell("" if r.get(c) is None else str(r[c])) for c in cols])
    return "\ufeff" + buf.getvalue()
