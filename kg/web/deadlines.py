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
from datetime import date, timedelta
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import ics, queries
from kg.nodes import describe, run_chunked
from kg.store import LocalStore, RemoteStore
from kg.web.common import day_number, local_id, page_path, text, vn_date

BUCKETS = {"overdue": "Quá hạn", "month": "Trong tháng này", "quarter": "Trong quý này", "later": "Sau đó",
           "recurring": "Định kỳ", "none": "Không có thời hạn"}
RECURRENCE = {"yearly": "hằng năm", "quarterly": "hằng quý", "monthly": "hằng tháng"}
PAGE = 50  # rows per bucket on the page
PREVIEW = 5  # rows per bucket on an agency page
EXPORT_CAP = 50_000
# the jurisdiction filter's groups (m8g:level of the unit; "" any other), and how many units it lists before it
# leaves the communes out (they are then chosen through their agencies, or by a unit/ key in the address)
UNIT_LEVELS = (("ProvinceLevel", "Tỉnh, thành phố"), ("DistrictLevel", "Quận, huyện, thị xã"),
               ("CommuneLevel", "Xã, phường, thị trấn"), ("", "Khác"))
UNIT_LIST_CAP = 1_000
DOC_OPTIONS = 300  # the documents with most duties that the document filter offers

# Two steps, each a file of queries/explorer/.  First, how many duties of the scope fall due on each day,
# recurring or not (the *-deadline-days.rq of the scope's kind): these do not depend on today, so they are read once
# per scope and store; the buckets are counted from them here, by bucket_of.  Then the duties of a page: for a dated
# bucket, only the days that hold that page's rows (earliest deadline first); the recurring duties; those with no
# deadline.  Kinds of scope, by where the queries start: the whole graph (all-deadline-days.rq, then the index of
# deadlines: dated-deadline-duties.rq); a scheme alone (its documents); an agency (with a scheme or not); a
# jurisdiction; a document.  tests/fixtures/deadline-rule/ states the whole rule as one SPARQL filter form: the
# definition the tests compare these steps with.
KINDS = {  # kind -> (days query, rows query: None for the index-first steps of the whole graph and of a scheme)
    "all": ("all-deadline-days", None),
    "scheme": ("scheme-deadline-days", None),
    "agency": ("agency-deadline-days", "agency-deadline-duties"),
    "unit": ("unit-deadline-days", "unit-deadline-duties"),
    "document": ("document-deadline-days", "document-deadline-duties"),
}
UNDATED_BATCH = 64  # the newest documents asked first for their duties without a deadline (then all the others)


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

    @property
    def kind(self) -> str:
        """Where its queries start (see KINDS)."""
        if self.doc is not None:
            return "document"
        if self.unit is not None:
            return "unit"
        if self.agency is not None:
            return "agency"
        return "scheme" if self.scheme is not None else "all"

    def filters(self) -> dict:
        """The scope's IRIs as the queries' parameters (today is not one: the queries do not depend on it)."""
        return {name: value for name, value in (("agency", self.agency), ("unit", self.unit), ("doc", self.doc),
                                                ("scheme", self.scheme)) if value is not None}

    def days_of(self, bucket: str) -> tuple[date, date]:
        """The first and last day a duty of a dated bucket can be due on."""
        return {"overdue": (date.min, self.today - timedelta(days=1)), "month": (self.today, self.month_end),
                "quarter": (self.month_end + timedelta(days=1), self.quarter_end),
                "later": (self.quarter_end + timedelta(days=1), date.max)}[bucket]


def _d(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def bucket_of(deadline: date | None, recurrence: str | None, today: date) -> str:
    """The bucket of one duty: a recurring duty is "recurring" whatever its first deadline, one without a deadline
    "none", the others "overdue", "month", "quarter" or "later" by their deadline."""
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


@dataclass(frozen=True)
class Days:
    """How many duties of a scope fall due on each day (not recurring), recur, or have neither."""

    dated: tuple[tuple[date, int], ...]  # earliest first
    recurring: int
    none: int

    def in_bucket(self, scope: Scope, bucket: str) -> list[tuple[date, int]]:
        first, last = scope.days_of(bucket)
        return [(d, n) for d, n in self.dated if first <= d <= last]


_DAYS: dict[tuple, tuple[object, Days]] = {}
_DOCS: dict[tuple, tuple[object, list]] = {}
_MEMO = 256  # scopes remembered per process (each a few thousand numbers at most)


def _remember(memo: dict, key: tuple, store: object, make, over_endpoint: bool = False):
    """make() once per key and store; every time over a SPARQL endpoint, whose graph may change at any time (a
    build's store, opened read-only, does not), unless `over_endpoint` keeps it there too."""
    if isinstance(store, RemoteStore) and not over_endpoint:
        return make()
    found = memo.get(key)
    if found is None or found[0] is not store:
        if len(memo) >= _MEMO:
            memo.clear()
        found = memo[key] = (store, make())
    return found[1]


def days(store: LocalStore, scope: Scope) -> Days:
    """The day counts of the scope (read once per scope and store: the graph a server holds does not change)."""
    return _remember(_DAYS, (id(store), scope.kind, tuple(sorted(scope.filters().items()))), store,
                     lambda: _days(store, scope))


def _days(store: LocalStore, scope: Scope) -> Days:
    dated: dict[date, int] = {}
    recurring = none = 0
    for r in queries.run(store, queries.explorer(KINDS[scope.kind][0]), scope.filters()):
        n = int(r["n"])
        if r.get("recurring") is not None and r["recurring"].toPython() is True:
            recurring += n
        elif r.get("deadline") is None:
            none += n
        else:
            due = date.fromisoformat(str(r["deadline"])[:10])
            dated[due] = dated.get(due, 0) + n
    return Days(tuple(sorted((d, n) for d, n in dated.items() if n > 0)), recurring, max(none, 0))


def counts(store: LocalStore, scope: Scope) -> dict[str, int]:
    found = days(store, scope)
    out = {k: 0 for k in BUCKETS}
    for due, n in found.dated:
        out[bucket_of(due, None, scope.today)] += n
    out["recurring"], out["none"] = found.recurring, found.none
    return out


def _order(r: dict) -> tuple:
    """Earliest deadline first (none first), then newest document, then the document's and the duty's IRIs: the
    order of the rule's definition (tests/fixtures/deadline-rule/deadline-duties.rq)."""
    return (str(r.get("deadline") or ""), -day_number(r.get("docDate")), str(r["doc"]), str(r["duty"]))


def _window(dated: list[tuple[date, int]], offset: int, limit: int) -> tuple[date, date, int] | None:
    """The days that hold rows offset to offset + limit of a dated bucket, and how many rows come before them."""
    before, taken, first, last = 0, 0, None, None
    for due, n in dated:
        if first is None:
            if before + n <= offset:
                before += n
                continue
            first = due
        last, taken = due, taken + n
        if before + taken >= offset + limit:
            break
    return (first, last, before) if first is not None and last is not None else None


def bucket_page(store: LocalStore, scope: Scope, bucket: str, limit: int, offset: int) -> list[dict]:
    """The rows offset to offset + limit of one bucket, in the order of the rule's definition (_order)."""
    found = days(store, scope)
    rows_query = KINDS[scope.kind][1]
    skip = offset
    if bucket in ("recurring", "none"):
        if not (found.recurring if bucket == "recurring" else found.none):
            return []
        if rows_query is not None:
            got = queries.run(store, queries.explorer(rows_query), scope.filters() | {"want": Literal(bucket)})
        elif bucket == "recurring":
            got = queries.run(store, queries.explorer("recurring-deadline-duties"), scope.filters())
        else:
            return _undated(store, scope, limit, offset)
    else:
        window = _window(found.in_bucket(scope, bucket), offset, limit)
        if window is None:
            return []
        first, last, skip = window[0], window[1], offset - window[2]
        params = scope.filters() | {"from": _d(first), "to": _d(last)}
        if rows_query is not None:
            got = queries.run(store, queries.explorer(rows_query), params | {"want": Literal("dated")})
        else:
            got = queries.run(store, queries.explorer("dated-deadline-duties"), params)
    got = sorted(_distinct(got), key=_order)
    return got[skip:skip + limit]


def _distinct(found: list) -> list[dict]:
    """One row per duty (a document has one date, a duty one deadline and one document: the shapes say so)."""
    seen: dict = {}
    for r in found:
        seen.setdefault(r["duty"], r)
    return list(seen.values())


def _undated(store: LocalStore, scope: Scope, limit: int, offset: int) -> list[dict]:
    """The duties without a deadline of the whole graph or a scheme, newest document first: those of the
    UNDATED_BATCH newest documents, each duty looked up; when they do not fill the page, the rest at once, reading
    every deadline of the graph once.  Where most duties have no deadline, as in the real corpus (85 %), the first
    batch fills the page; where few have none, the whole graph is read (national cascade, 763 of 176,340 duties:
    0.35 s; three-fold, 2,288 of 518,991: 1.1 s)."""
    docs = _remember(_DOCS, (id(store), scope.scheme), store, lambda: _documents_by_date(store, scope))
    first = tuple(d for d, _ in docs[:UNDATED_BATCH])
    found = sorted(_distinct(queries.run(store, queries.explorer("undated-deadline-duties"), {"doc": first})),
                   key=_order) if first else []
    if len(found) < offset + limit and len(docs) > UNDATED_BATCH:
        rest = queries.explorer("all-undated-deadline-duties")
        if scope.scheme is None:  # the whole graph (the first batch's rows again among them)
            found = sorted(_distinct(queries.run(store, rest, {})), key=_order)
        else:  # the scheme's other documents, after the newest: together in order
            found += sorted(_distinct(queries.run(store, rest, {"doc": tuple(d for d, _ in docs[UNDATED_BATCH:])})),
                            key=_order)
    return found[offset:offset + limit]


def _documents_by_date(store: LocalStore, scope: Scope) -> list[tuple]:
    if scope.scheme is not None:
        found = queries.run(store, queries.explorer("scheme-documents-by-date"), {"scheme": scope.scheme})
    else:
        found = queries.run(store, queries.explorer("documents-by-date"), {})
    dated = {r["doc"]: r.get("docDate") for r in found}
    return sorted(dated.items(), key=lambda x: (-day_number(x[1]), str(x[0])))


def rows(store: LocalStore, scope: Scope, bucket: str | None = None, limit: int = PAGE, offset: int = 0) -> list[dict]:
    """Duties of one bucket (or of all, bucket by bucket), earliest deadline first (then newest document, then the
    text's order), each with its document and agencies."""
    if bucket is None:
        found: list = []
        left = offset
        for k, n in counts(store, scope).items():
            if len(found) >= limit:
                break
            if left >= n:
                left -= n
                continue
            found += bucket_page(store, scope, k, limit - len(found), left)
            left = 0
    else:
        found = bucket_page(store, scope, bucket, limit, offset)
    found = [{"duty": r["duty"], "d": r["doc"], "due": r.get("deadline"), "docDate": r.get("docDate")}
             for r in found]
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
    # within one bucket, deadline and document, the text's order
    rank = {k: i for i, k in enumerate(BUCKETS)}
    found.sort(key=lambda r: (rank[bucket_of(_day(r["due"]), text(r, "recurrence"), scope.today)],
                              str(r["due"] or ""), -day_number(r["docDate"]), str(r["d"]),
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
        due = _day(r.get("due"))
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


def _day(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value is not None else None


_OPTIONS: dict[tuple, tuple[object, dict]] = {}


def options(store: LocalStore) -> dict:
    """What the filters offer: jurisdictions, schemes, and the documents and agencies with most duties
    (read once per store, over an endpoint too: a list a little behind the graph only offers a choice less)."""
    return _remember(_OPTIONS, (id(store),), store, lambda: _options(store), over_endpoint=True)


def _options(store: LocalStore) -> dict:
    def q(name: str, values: dict | None = None) -> list[dict]:
        return queries.run(store, queries.explorer(name), values or {})

    found = sorted(((str(r.get("level") or "").rsplit("#", 1)[-1], page_key(r["unit"]) or str(r["unit"]),
                     text(r, "label", str(r["unit"]))) for r in q("jurisdictions")), key=lambda u: (u[2], u[1]))
    units = [(key, lbl) for _, key, lbl in found]
    # grouped by level, communes last and only when the whole list stays short (a national graph has 12,676 units)
    groups = []
    named_levels = {level for level, _ in UNIT_LEVELS if level}
    for level, name in UNIT_LEVELS:
        members = [(key, lbl) for lv, key, lbl in found if lv == level or (level == "" and lv not in named_levels)]
        if members and (level != "CommuneLevel" or len(found) <= UNIT_LIST_CAP):
            groups.append((name, members))
    unlisted = len(found) - sum(len(m) for _, m in groups)
    schemes = [r["scheme"] for r in q("schemes")]
    counted = sorted(q("documents-with-most-duties"), key=lambda r: (-int(r["n"]), str(r["doc"])))
    docs = [r["doc"] for r in counted[:DOC_OPTIONS]]
    agencies = [r["agency"] for r in q("agencies-with-most-duties", {"top": 300})]
    refs = describe(store, schemes + docs + agencies)

    def listed(nodes):
        return sorted(((page_key(n), refs[n].label) for n in nodes if n in refs and page_key(n)), key=lambda x: x[1])
    return {"units": units, "unit_groups": groups, "units_unlisted": unlisted,
            "listed_units": {key for _, members in groups for key, _ in members}, "schemes": listed(schemes),
            "docs": listed(docs), "agencies": listed(agencies)}


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
    """Every duty of the scope (at most EXPORT_CAP), bucket by bucket."""
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
