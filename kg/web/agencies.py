"""What the agency page shows: its duties across documents (filtered, paged, CSV) and the documents it issued."""

from __future__ import annotations

import csv
import io
from typing import Iterator

from rdflib import Literal, URIRef

from kg import queries
from kg.nodes import describe, run_chunked
from kg.store import LocalStore
from kg.web.common import local_id, page_path, text, vn_date

PAGE = 100
CSV_CAP = 100_000
ROLE_LABEL = {"lead": "Chủ trì", "partner": "Phối hợp"}

# every query is a file of queries/explorer/ (kg.queries.explorer), parameters bound as RDF terms


def _q(name: str, store, values: dict, **page) -> list[dict]:
    return queries.run(store, queries.explorer(name), values, **page)


def metadata(store: LocalStore, agency: URIRef) -> dict | None:
    rows = _q("agency-meta", store, {"agency": agency})
    if not rows:
        return None
    r0 = rows[0]
    alts = sorted({str(r["alt"]) for r in rows if "alt" in r} - {str(r0["label"])})
    return {"label": str(r0["label"]), "alt": alts, "kind": text(r0, "kindLabel"), "level": text(r0, "levelLabel"),
            "unit": text(r0, "unitLabel"), "collective": text(r0, "collective") == "true"}


def _params(agency: URIRef, role: str, doc: URIRef | None, year: str) -> dict:
    params: dict = {"agency": agency}
    if role in ROLE_LABEL:
        params["role"] = Literal(role)
    if doc is not None:
        params["doc"] = doc
    if year:
        params["year"] = Literal(year)
    return params


def duty_rows(store: LocalStore, agency: URIRef, role: str = "", doc: URIRef | None = None, year: str = "",
              limit: int = PAGE, offset: int = 0) -> list[dict]:
    """The agency's duties (newest document first), each with its document and the other agencies on it."""
    rows = _q("agency-duty-list", store, _params(agency, role, doc, year), limit=limit, offset=offset)
    refs = describe(store, [r["doc"] for r in rows])
    others: dict[URIRef, dict[str, list]] = {}
    if rows:
        leads = set()
        found = run_chunked(store, "duty-agencies", "duty", [r["duty"] for r in rows])
        for r in found:
            if str(r["role"]) == "lead":
                leads.add((r["duty"], r["agency"]))
        for r in sorted(found, key=lambda r: (str(r.get("label", "")), str(r["agency"]))):
            role = str(r["role"])
            if r["agency"] == agency or (role == "partner" and (r["duty"], r["agency"]) in leads):
                continue  # an agency both leading and partnering a duty is listed once, as lead
            entry = (text(r, "label", str(r["agency"])), page_path(r["agency"]))
            bucket = others.setdefault(r["duty"], {"lead": [], "partner": []})[role]
            if entry not in bucket:
                bucket.append(entry)
    out = []
    for r in rows:
        ref = refs.get(r["doc"])
        out.append({"duty": r["duty"], "anchor": local_id(r["duty"]), "role": str(r["dutyRole"]),
                    "role_label": ROLE_LABEL[str(r["dutyRole"])], "task": text(r, "task"),
                    "deadline": vn_date(r.get("deadline", "")), "date": vn_date(r.get("date", "")),
                    "doc_label": ref.label if ref else str(r["doc"]), "doc_path": page_path(r["doc"]),
                    "doc": r["doc"], "others": others.get(r["duty"], {"lead": [], "partner": []})})
    return out


def counts(store: LocalStore, agency: URIRef, role: str = "", doc: URIRef | None = None, year: str = "") -> dict:
    rows = _q("agency-duty-counts", store, _params(agency, role, doc, year))
    c = {str(r["dutyRole"]): int(r["n"]) for r in rows}
    return {"lead": c.get("lead", 0), "partner": c.get("partner", 0), "total": sum(c.values())}


def filter_options(store: LocalStore, agency: URIRef) -> dict:
    docs = _q("agency-duty-documents", store, {"agency": agency})
    refs = describe(store, [r["doc"] for r in docs])
    options = []
    for r in docs:
        ref = refs.get(r["doc"])
        path = page_path(r["doc"]) or ""
        options.append({"key": path[1:], "label": ref.label if ref else str(r["doc"]), "n": int(r["n"])})
    years = [str(r["y"]) for r in _q("agency-duty-years", store, {"agency": agency}) if "y" in r]
    return {"docs": options, "years": years}


def issued(store: LocalStore, agency: URIRef, limit: int = PAGE, offset: int = 0) -> dict:
    rows = _q("agency-issued", store, {"agency": agency}, limit=limit, offset=offset)
    refs = describe(store, [r["doc"] for r in rows])
    docs = [refs[r["doc"]] for r in rows if r["doc"] in refs]
    total = int(_q("agency-issued-count", store, {"agency": agency})[0]["n"])
    return {"docs": docs, "total": total}


CSV_HEADER = ["vai_tro", "nhiem_vu", "van_ban", "ngay_van_ban", "han", "co_quan_chu_tri_khac",
              "co_quan_phoi_hop_khac", "iri_nhiem_vu", "iri_van_ban"]


def _cell(value: str) -> str:
    """A spreadsheet cannot take a cell that starts with a formula sign for a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_lines(store: LocalStore, agency: URIRef, role: str = "", doc: URIRef | None = None,
              year: str = "") -> Iterator[str]:
    """The filtered duties as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese), page by page."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    yield "\ufeff" + buf.getvalue()
    offset, batch = 0, 2000
    while offset < CSV_CAP:
        rows = duty_rows(store, agency, role, doc, year, limit=batch, offset=offset)
        buf = io.StringIO()
        w = csv.writer(buf)
        for r in rows:
            w.writerow([_cell(x) for x in (
                r["role_label"], r["task"], r["doc_label"], r["date"], r["deadline"],
                "; ".join(lbl for lbl, _ in r["others"]["lead"]), "; ".join(lbl for lbl, _ in r["others"]["partner"]),
                str(r["duty"]), str(r["doc"]))])
        yield buf.getvalue()
        if len(rows) < batch:
            break
        offset += batch
