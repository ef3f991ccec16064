"""Duties by deadline ("Việc cần làm"): overdue, this month, this quarter, later, recurring, no deadline.

The buckets are relative to a day (today, or `?today=` for tests): a duty with a recurrence
(hằng năm, hằng quý, hằng tháng) is "recurring" whatever its first deadline; one without a
deadline is "none"; the others fall by their deadline.  The filters (agency, jurisdiction,
document, scheme) are optional parameters of the queries (queries/explorer/*deadline*.rq), bound
as RDF terms by the store.
"""

from __future__ import annotations

import calendar
import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import ics, queries
from kg.nodes import describe, run_chunked
from kg.store import LocalStore
from kg.web.common import day_number, local_id, page_path, text, vn_date

BUCKETS = {"overdue": "Quá hạn", "month": "Trong tháng này", "quarter": "Trong quý này", "later": "Sau đó",
           "recurring": "Định kỳ", "none": "Không có thời hạn"}
RECURRENCE = {"yearly": "hằng năm", "quarterly": "hằng quý", "monthly": "hằng tháng"}
PAGE = 50  # rows per bucket on the page
PREVIEW = 5  # rows per bucket on an agency page
EXPORT_CAP = 50_000

# every query is a file of queries/explorer/: deadline-counts.rq and deadline-duties.rq start from the documents
# (one when a document is chosen), agency-deadline-*.rq from an agency, unit-deadline-*.rq from a jurisdiction,
# scheme-deadline-*.rq from the documents of a scheme; the filter values are bound as ?agency,
# ?unit, ?doc, ?scheme, the day and the ends of its month and quarter as ?today, ?monthEnd, ?quarterEnd


@dataclass(frozen=True)
class Scope:
    """Which duties: every filter is an IRI or None; `today` fixes the buckets."""

    today: date
    agency: URIRef | None = None
    unit: URIRef | None = None
    doc: URIRef | None = None
    scheme: URIRef | None = None

    @property
    def month_end(self) -> date:
        return self.today.replace(day=calendar.monthrange(self.today.year, self.today.month)[1])

    @property
    def quarter_end(self) -> date:
        month = (self.today.month - 1) // 3 * 3 + 3
        return date(self.today.year, month, calendar.monthrange(self.today.year, month)[1])

    def queries(self) -> tuple[str, str]:
        """The explorer queries of the scope: (bucket counts, duties of a bucket)."""
        if self.agency is not None and self.doc is None and self.unit is None and self.scheme is None:
            return "agency-deadline-counts", "agency-deadline-duties"
        if self.unit is not None and self.doc is None:
            return "unit-deadline-counts", "unit-deadline-duties"
        if self.scheme is not None and self.doc is None:
            return "scheme-deadline-counts", "scheme-deadline-duties"
        return "deadline-counts", "deadline-duties"

    def params(self) -> dict:
        out: dict = {"today": _d(self.today), "monthEnd": _d(self.month_end), "quarterEnd": _d(self.quarter_end)}
        for name, value in (("agency", self.agency), ("unit", self.unit), ("doc", self.doc),
                            ("scheme", self.scheme)):
            if value is not None:
                out[name] = value
        return out


def _d(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def bucket_of(deadline: date | None, recurrence: str | None, today: date) -> str:
    """The bucket of one duty (the same rule as the query's, for the CLI and tests)."""
    s = Scope(today)
    if recurrence:
        return "recurring"
    if deadline is None:
        return "none"
    if deadline < today:
        return "overdue"
    if deadline <= s.month_end:
        return "month"
    return "quarter" if deadline <= s.quarter_end else "later"


def counts(store: LocalStore, scope: Scope) -> dict[str, int]:
    found = {str(r["bucket"]): int(r["n"])
             for r in queries.run(store, queries.explorer(scope.queries()[0]), scope.params())}
    return {k: found.get(k, 0) for k in BUCKETS}


def rows(store: LocalStore, scope: Scope, bucket: str | None = None, limit: int = PAGE, offset: int = 0) -> list[dict]:
    """Duties of one bucket (or all), earliest deadline first (then newest document, then the text's order),
    each with its document and agencies."""
    params = scope.params() | ({"want": Literal(bucket)} if bucket else {})
    found, seen = [], set()
    for r in queries.run(store, queries.explorer(scope.queries()[1]), params, limit=limit, offset=offset):
        if r["duty"] not in seen:
            seen.add(r["duty"])
            found.append({"duty": r["duty"], "d": r["doc"], "due": r.get("deadline"), "docDate": r.get("docDate")})
    if not found:
        return []
    ids = [r["duty"] for r in found]
    details: dict = {}
    for r in run_chunked(store, "duty-details", "duty", ids):
        d = details.setdefault(r["duty"], {})
        for k, v in r.items():  # the least value of each, as MIN would
            if k != "duty" and (k not in d or (int(v) < int(d[k]) if k == "start" else str(v) < str(d[k]))):
                d[k] = v
    for r in found:
        r.update(details.get(r["duty"], {}))
    # within one deadline and document, the text's order
    found.sort(key=lambda r: (str(r["due"] or ""), -day_number(r["docDate"]), str(r["d"]),
                              int(r["start"]) if r.get("start") is not None else 0, str(r["duty"])))
    refs = describe(store, list({r["d"] for r in found}))
    agencies: dict[URIRef, dict[str, list[tuple[str, str | None]]]] = {}
    named = run_chunked(store, "duty-agencies", "duty", ids)
    for r in sorted(named, key=lambda r: (text(r, "label"), str(r["agency"]))):
        slot = agencies.setdefault(r["duty"], {"lead": [], "partner": []})
        entry = (text(r, "label", str(r["agency"])), page_path(r["agency"]))
        if str(r["role"]) == "partner" and entry in slot["lead"]:
            continue
        if entry not in slot[str(r["role"])]:
            slot[str(r["role"])].append(entry)
    out = []
    for r in found:
        due = date.fromisoformat(str(r["due"])[:10]) if r.get("due") is not None else None
        rec = text(r, "recurrence")
        ref = refs.get(r["d"])
        doc_path = page_path(r["d"]) or ""
        out.append({
            "duty": r["duty"], "anchor": local_id(r["duty"]), "due": due, "deadline": vn_date(due or ""),
            "recurrence": rec, "recurrence_label": RECURRENCE.get(rec, rec),
            "bucket": bucket_of(due, rec, scope.today), "task": text(r, "taskText"),
            "quote": text(r, "quoteText") or text(r, "taskText"), "doc": r["d"],
            "doc_label": ref.label if ref else str(r["d"]), "doc_path": doc_path,
            "path": f"{doc_path}#{local_id(r['duty'])}" if doc_path else "",
            "agencies": agencies.get(r["duty"], {"lead": [], "partner": []}),
        })
    return out


_OPTIONS: dict[int, tuple[object, dict]] = {}


def options(store: LocalStore) -> dict:
    """What the filters offer: jurisdictions, schemes, and the documents and agencies with most duties
    (read once per store: the graph a server holds does not change)."""
    cached = _OPTIONS.get(id(store))
    if cached is None or cached[0] is not store:
        cached = _OPTIONS[id(store)] = (store, _options(store))
    return cached[1]


def _options(store: LocalStore) -> dict:
    def q(name: str, values: dict | None = None) -> list[dict]:
        return queries.run(store, queries.explorer(name), values or {})

    units = [(page_key(r["unit"]) or str(r["unit"]), text(r, "label", str(r["unit"]))) for r in q("jurisdictions")]
    schemes = [r["scheme"] for r in q("schemes")]
    docs = [r["doc"] for r in q("documents-with-most-duties")]
    agencies = [r["agency"] for r in q("agencies-with-most-duties", {"top": 300})]
    refs = describe(store, schemes + docs + agencies)

    def listed(nodes):
        return sorted(((page_key(n), refs[n].label) for n in nodes if n in refs and page_key(n)), key=lambda x: x[1])
    return {"units": units, "schemes": listed(schemes), "docs": listed(docs), "agencies": listed(agencies)}


def page_key(node) -> str:
    """"agency/so-tai-chinh-..." for a page's IRI, "unit/tinh-an-giang" for a jurisdiction."""
    s = str(node)
    marker = "/id/"
    return s.split(marker, 1)[1] if marker in s else ""


# -- exports ------------------------------------------------------------------------------------------------------
CSV_HEADER = ["nhom_thoi_han", "han", "dinh_ky", "co_quan_chu_tri", "co_quan_phoi_hop", "nhiem_vu", "van_ban",
              "cau_goc", "trang", "iri_nhiem_vu", "iri_van_ban"]


def _cell(value: str) -> str:
    """A spreadsheet cannot take a cell that starts with a formula sign for a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def all_rows(store: LocalStore, scope: Scope, bucket: str | None = None) -> Iterator[dict]:
    """Every duty of the scope (at most EXPORT_CAP), in one ordered query (paging would sort them again and again)."""
    yield from rows(store, scope, bucket, limit=EXPORT_CAP)


def csv_lines(store: LocalStore, scope: Scope, base_url: str, bucket: str | None = None) -> Iterator[str]:
    """The duties as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese)."""
    buf = io.StringIO()
    csv.writer(buf).writerow(CSV_HEADER)
    yield "\ufeff" + buf.getvalue()
    for r in all_rows(store, scope, bucket):
        buf = io.StringIO()
        csv.writer(buf).writerow([_cell(x) for x in (
            BUCKETS[r["bucket"]], r["due"].isoformat() if r["due"] else "", r["recurrence_label"],
            "; ".join(lbl for lbl, _ in r["agencies"]["lead"]), "; ".join(lbl for lbl, _ in r["agencies"]["partner"]),
            r["task"], r["doc_label"], r["quote"], base_url + r["path"] if r["path"] else "",
            str(r["duty"]), str(r["doc"]))])
        yield buf.getvalue()


def summary_of(r: dict) -> str:
    """SUMMARY of a duty's event: its lead agencies (else partners), then its task."""
    names = [lbl for lbl, _ in r["agencies"]["lead"]] or [lbl for lbl, _ in r["agencies"]["partner"]]
    who = "; ".join(names)
    task = " ".join(r["task"].split())
    if len(task) > 160:
        task = task[:159] + "…"
    return f"{who}: {task}" if who else task


def events(found: Iterator[dict], base_url: str) -> Iterator[ics.Event]:
    for r in found:
        if r["due"] is None:
            continue  # an event needs a day
        desc = "\n".join(" ".join(line.split()) for line in r["quote"].splitlines() if line.strip())
        desc += f"\n\nVăn bản: {r['doc_label']}"
        if r["recurrence_label"]:
            desc += f"\nĐịnh kỳ: {r['recurrence_label']}"
        yield ics.Event(uid_source=str(r["duty"]), deadline=r["due"], summary=summary_of(r), description=desc,
                        url=base_url + r["path"] if r["path"] else str(r["duty"]), recurrence=r["recurrence"])
