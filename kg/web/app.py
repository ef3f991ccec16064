"""The web explorer: a Starlette application over one build folder (see `kg serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from anyio import CapacityLimiter, to_thread
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kg import ics, queries, viz
from kg.web import agencies, coverage_grid, deadlines, documents, now, questions
from kg.web.cache import DEFAULT_MB, WARM_PATHS, WARM_WAIT, ResponseCache, cached, keep_warm, streamed
from kg.web.common import as_int, iri_for, network_path, page_path, unit_for, vn_date, vn_number
from kg.web.explorer import KIND_NAMES, Explorer
from kg.web.sparql import QueryService, is_update, negotiate, read_request

if TYPE_CHECKING:
    from kg.web.remote_sparql import RemoteQueryService

HERE = Path(__file__).resolve().parent
log = logging.getLogger("kg.web")

SECURITY_HEADERS = {
    # only our own scripts and styles: no CDN, no inline script
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware: SECURITY_HEADERS on every response that does not set them itself (/sparql answers,
    static files, CSV and iCalendar downloads, redirects, errors), so no answer is sniffed into HTML."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                            if k.lower().encode() not in present]
                message = message | {"headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def vis_dir() -> Path:
    """vis-network's JS and CSS as shipped inside the pyvis package (served at /static/vis/)."""
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def _page_threads() -> int:
    try:
        return max(1, int(os.environ.get("KG_PAGE_THREADS", "2")))
    except ValueError:
        return 2


def _on_threads(tokens: int):
    """An awaitable runner of blocking functions on at most `tokens` threads of their own (made in the event loop
    at first use: an anyio limiter belongs to one)."""
    limiter: list[CapacityLimiter] = []

    async def run(func, *args):
        if not limiter:
            limiter.append(CapacityLimiter(tokens))
        return await to_thread.run_sync(func, *args, limiter=limiter[0])
    return run


def create_app(build_dir: Path | None, query_timeout: float = 10.0, max_rows: int = 10_000,
               sparql_worker: bool = True, endpoint: str | None = None, cache_mb: float = DEFAULT_MB,
               warm_url: str | None = None) -> Starlette:
    """The application over `build_dir` (which must hold graph.trig and sources/), or over the SPARQL `endpoint`
    (source texts from `build_dir` if given; /sparql forwarded to the endpoint, kg/web/remote_sparql.py).

    `cache_mb`: megabytes of page answers kept in memory (kg/web/cache.py; 0: none); never over an endpoint.
    `warm_url`: the base URL the server is reached at ("http://127.0.0.1:8000"): with a cache, the dearest default
    pages (kg.web.cache.WARM_PATHS) are computed for it at start-up (the server answers once they are made, or
    after WARM_WAIT seconds), and after each midnight."""
    ex = Explorer(build_dir, background=True, endpoint=endpoint)  # pages answer while the search index is read
    cache = ResponseCache(build_dir, int(cache_mb * (1 << 20))) if build_dir is not None and not endpoint \
        and cache_mb > 0 else None
    # /sparql, /query and the named questions wait for a query worker (up to the time limit) on threads of their
    # own, so a burst of slow queries does not take the threads that compute the pages
    in_sparql_thread = _on_threads(40)
    # a page's queries on at most $KG_PAGE_THREADS threads: they hold the GIL, so more threads at once only make
    # every cold page wait for all the others (50 clients: pages of 50 ms alone answered after 1 s on 40 threads)
    in_page_thread = _on_threads(_page_threads())
    service: QueryService | RemoteQueryService | None
    if endpoint:
        from kg.web.remote_sparql import RemoteQueryService

        service = RemoteQueryService(endpoint, query_timeout, max_rows) if sparql_worker else None
    else:
        service = QueryService(str(Path(build_dir) / "graph.trig"),  # type: ignore[arg-type]  # no endpoint: a build
                               query_timeout, max_rows) if sparql_worker else None
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape is on for .html
    env = templates.env
    env.filters.update(vn_date=vn_date, vn_number=vn_number)
    env.globals.update(kind_names=KIND_NAMES, colours=viz.KIND_COLOURS, default_colour=viz.DEFAULT_COLOUR,
                       network_path=network_path, page_path=page_path)

    def page(request: Request, name: str, status: int = 200, **context) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status, headers=SECURITY_HEADERS)

    def not_found(request: Request, what: str = "Không tìm thấy trang này.") -> Response:
        return page(request, "404.html", 404, message=what)

    async def home(request: Request) -> Response:
        counts, top = await in_page_thread(lambda: (ex.counts(), ex.top()))
        return page(request, "home.html", counts=counts, top=top)

    async def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()[:200]
        kind = request.query_params.get("kind") or None

        def load():
            groups = ex.search(q, kind)
            # "did you mean" when no agency or document was found (duties match loose words of a long text)
            suggest = [] if groups.get("agency") or groups.get("document") or kind == "duty" else ex.suggestions(q)
            return groups, suggest

        groups, suggest = await in_page_thread(load) if q else ({}, [])
        return page(request, "search.html", q=q, search_q=q, kind=kind, groups=groups, suggestions=suggest,
                    total=sum(len(v) for v in groups.values()))

    async def document(request: Request) -> Response:
        kind, slug = request.url.path.split("/")[1], request.path_params["slug"]
        doc = iri_for(kind, slug)
        if doc is None:
            return not_found(request)
        offset = as_int(request.query_params.get("from"), 0, 0, 10**7)
        all_citations = request.query_params.get("all") == "1"

        def load():
            meta = documents.metadata(ex.store, doc)
            if meta is None:
                return None
            sources = documents.source_texts(ex.store, doc, ex.sources_dir) if ex.sources_dir else []
            return dict(meta=meta, cascade=documents.cascade(ex.store, doc, offset),
                        citations=documents.citations(
                            ex.store, doc, documents.CITATIONS_ALL if all_citations else documents.INCOMING_CAP),
                        duties=documents.duties_in_order(ex.store, doc, sources),
                        targets=documents.targets(ex.store, doc), sources=sources,
                        toc=sources[0].sections if sources else [], place_now=now.place_now(ex.store, doc))

        data = await in_page_thread(load)
        if data is None:
            return not_found(request, "Không có văn bản nào với địa chỉ này.")
        return page(request, "document.html", doc=str(doc), network=network_path(doc),
                    texts_available=ex.sources_dir is not None, **data)

    def _agency_filters(request: Request):
        qp = request.query_params
        role = qp.get("role", "") if qp.get("role", "") in agencies.ROLE_LABEL else ""
        doc_key = qp.get("doc", "")
        kind, _, slug = doc_key.partition("/")
        doc = iri_for(kind, slug) if kind in ("doc", "scheme") else None
        year = qp.get("year", "") if qp.get("year", "").isdigit() and len(qp.get("year", "")) == 4 else ""
        return role, doc, doc_key if doc is not None else "", year

    async def agency(request: Request) -> Response:
        node = iri_for("agency", request.path_params["slug"])
        if node is None:
            return not_found(request)
        role, doc, doc_slug, year = _agency_filters(request)
        offset = as_int(request.query_params.get("from"), 0, 0, 10**7)
        today = _today(request)

        def load():
            meta = agencies.metadata(ex.store, node)
            if meta is None:
                return None
            all_counts = agencies.counts(ex.store, node)
            filtered = agencies.counts(ex.store, node, role, doc, year) if (role or doc or year) else all_counts
            scope = deadlines.Scope(today, agency=node)
            due = deadlines.counts(ex.store, scope)
            soon = [r for k in ("overdue", "month") for r in deadlines.rows(ex.store, scope, k, limit=deadlines.PREVIEW)]
            return dict(meta=meta, rows=agencies.duty_rows(ex.store, node, role, doc, year, offset=offset),
                        due=due, soon=soon, today=today, bucket_names=deadlines.BUCKETS,
                        counts=filtered, all_counts=all_counts,
                        options=agencies.filter_options(ex.store, node), issued=agencies.issued(ex.store, node),
                        reorg=now.summary(ex.store, node))

        data = await in_page_thread(load)
        if data is None:
            return not_found(request, "Không có cơ quan nào với địa chỉ này.")
        filters = {k: v for k, v in (("role", role), ("doc", doc_slug), ("year", year)) if v}
        return page(request, "agency.html", agency=str(node), network=network_path(node), filters=filters,
                    query=urlencode(filters), offset=offset, page_size=agencies.PAGE,
                    role_labels=agencies.ROLE_LABEL, **data)

    async def agency_now(request: Request) -> Response:
        """The "hien nay" view: the agency's own duties and those inherited through the 2025 reorganisation."""
        node = iri_for("agency", request.path_params["slug"])
        if node is None:
            return not_found(request)
        offset = as_int(request.query_params.get("from"), 0, 0, 10**7)

        def load():
            meta = agencies.metadata(ex.store, node)
            if meta is None:
                return None
            return dict(meta=meta, now=now.duty_rows(ex.store, node, meta["label"]), holders=now.holders(ex.store, node))

        data = await in_page_thread(load)
        if data is None:
            return not_found(request, "Không có cơ quan nào với địa chỉ này.")
        rows = data["now"]["rows"]
        return page(request, "agency_now.html", agency_path=f"/agency/{request.path_params['slug']}",
                    rows=rows[offset:offset + now.PAGE], total=len(rows), offset=offset, page_size=now.PAGE,
                    cap=now.NOW_CAP, role_labels=agencies.ROLE_LABEL, **data)

    async def document_coverage(request: Request) -> Response:
        """Which provinces issued a document implementing this one, against the units of its date and of today."""
        kind, slug = request.url.path.split("/")[1], request.path_params["slug"]
        doc = iri_for(kind, slug)
        if doc is None:
            return not_found(request)

        def load():
            meta = documents.metadata(ex.store, doc)
            if meta is None:
                return None
            return dict(meta=meta, cov=coverage_grid.page_data(ex.store, doc))

        data = await in_page_thread(load)
        if data is None:
            return not_found(request, "Không có văn bản nào với địa chỉ này.")
        return page(request, "coverage.html", doc_path=f"/{kind}/{slug}", **data)

    async def agency_csv(request: Request) -> Response:
        node = iri_for("agency", request.path_params["slug"])
        if node is None:
            return not_found(request)
        role, doc, _, year = _agency_filters(request)

        def load():  # one trip to a thread: under load, each trip waits for its turn on the event loop
            return "".join(agencies.csv_lines(ex.store, node, role, doc, year)) if ex.exists(node) else None

        body = await in_page_thread(load)
        if body is None:
            return not_found(request)
        name = f"nhiem-vu-{request.path_params['slug'][:80]}.csv"
        return streamed(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    def _today(request: Request) -> date:
        try:
            return date.fromisoformat(request.query_params.get("today", "")[:10])
        except ValueError:  # the day of the cache key when the answer is kept (kg/web/cache.py)
            return getattr(request.state, "today", None) or date.today()

    def _todo_scope(request: Request):
        """The day and filters of the "Việc cần làm" page and its exports, from the query string."""
        qp = request.query_params
        today = _today(request)
        filters, chosen, problems = {}, {}, []
        agency, msg, cands = ex.resolve(qp.get("agency", ""), "agency")
        if msg:
            problems.append({"field": "agency", "message": msg, "candidates": cands})
        doc, msg, cands = ex.resolve(qp.get("doc", ""), "document")
        if msg:
            problems.append({"field": "doc", "message": msg, "candidates": cands})
        scheme = None
        unit = unit_for(qp.get("unit", ""))
        s_kind, _, s_slug = qp.get("scheme", "").partition("/")
        if s_kind in ("scheme", "doc"):
            scheme = iri_for(s_kind, s_slug)
        for name, node in (("agency", agency), ("doc", doc), ("unit", unit), ("scheme", scheme)):
            if node is not None:
                filters[name] = deadlines.page_key(node)
                chosen[name] = node
        bucket = qp.get("bucket", "") if qp.get("bucket", "") in deadlines.BUCKETS else ""
        if "today" in qp and qp.get("today", "")[:10] == today.isoformat():
            filters["today"] = today.isoformat()
        scope = deadlines.Scope(today, agency, unit, doc, scheme)
        return scope, filters, chosen, problems, bucket

    async def todo(request: Request) -> Response:
        scope, filters, chosen, problems, bucket = _todo_scope(request)
        offset = as_int(request.query_params.get("from"), 0, 0, 10**7)

        def load():
            counts = deadlines.counts(ex.store, scope)
            shown = [bucket] if bucket else [k for k in deadlines.BUCKETS if counts[k]]
            groups = {k: deadlines.rows(ex.store, scope, k, limit=deadlines.PAGE,
                                        offset=offset if bucket else 0) for k in shown}
            refs = documents.describe(ex.store, [n for k, n in chosen.items() if k != "unit"])
            labels = {k: refs[n].label if n in refs else deadlines.page_key(n) for k, n in chosen.items()}
            if "unit" in chosen:
                labels["unit"] = next((lbl for key, lbl in deadlines.options(ex.store)["units"]
                                       if key == filters["unit"]), filters["unit"])
            return dict(counts=counts, groups=groups, labels=labels, options=deadlines.options(ex.store))

        data = await in_page_thread(load)
        query = urlencode(filters)
        return page(request, "todo.html", scope=scope, filters=filters, query=query, problems=problems,
                    bucket=bucket, offset=offset, page_size=deadlines.PAGE, bucket_names=deadlines.BUCKETS,
                    form=dict(request.query_params), **data)

    def _base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    async def todo_csv(request: Request) -> Response:
        scope, _, _, _, bucket = _todo_scope(request)
        body = await in_page_thread(
            lambda: "".join(deadlines.csv_lines(ex.store, scope, _base_url(request), bucket or None)))
        return streamed(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="viec-can-lam.csv"'})

    async def todo_ics(request: Request) -> Response:
        scope, filters, chosen, _, bucket = _todo_scope(request)

        def load():
            found = deadlines.all_rows(ex.store, scope, bucket or None)
            name = "Việc cần làm"
            if "agency" in chosen:
                ref = documents.describe(ex.store, [chosen["agency"]]).get(chosen["agency"])
                name += " · " + (ref.label if ref else filters["agency"])
            stamp = (datetime(scope.today.year, scope.today.month, scope.today.day, tzinfo=timezone.utc)
                     if "today" in filters else None)
            return ics.calendar(deadlines.events(found, _base_url(request)), name=name, stamp=stamp)

        body = await in_page_thread(load)
        return Response(body.encode("utf-8"), media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="viec-can-lam.ics"'})

    def _named(request: Request):
        return queries.available().get(request.path_params["name"])

    def _lookup_options() -> dict:
        opts = deadlines.options(ex.store)
        return {"agency": opts["agencies"], "document": opts["docs"] + opts["schemes"]}

    async def questions_list(request: Request) -> Response:
        listed = [{"name": n, "question": questions.question_of(q), "summary": q.summary,
                   "params": [questions.PARAM_LABEL.get(p.name, p.name) for p in q.params]}
                  for n, q in queries.available().items()]
        return page(request, "questions.html", queries=listed)

    async def question(request: Request) -> Response:
        q = _named(request)
        if q is None:
            return not_found(request, "Không có câu hỏi nào với tên này.")
        qp = request.query_params
        form = questions.fields(q, {k: v for k, v in qp.items()})
        asked = "chay" in qp or any(f.value for f in form)

        def load():
            result = None
            if asked:
                terms = questions.bind(ex, q, form)
                if terms is not None:
                    cols, rows, truncated, error = questions.run(ex, q, terms, questions.MAX_ROWS, service)
                    iris = list({v for r in rows for v in r.values() if isinstance(v, URIRef) and page_path(v)})
                    refs = documents.describe(ex.store, iris) if iris else {}
                    table = []
                    for r in rows:
                        line = []
                        for c in cols:
                            cell = questions.cell(r.get(c))
                            if cell["path"] and r.get(c) in refs:
                                cell["text"] = refs[r[c]].label
                            line.append(cell)
                        table.append(line)
                    result = dict(cols=cols, rows=table, truncated=truncated, error=error)
            return result, _lookup_options()

        result, options = await in_sparql_thread(load)
        filled = {f.name: f.value for f in form if f.value}
        for f in form:  # a candidate replaces what was typed in its field
            for c in f.candidates:
                c["href"] = f"/cau-hoi/{request.path_params['name']}?" + urlencode(
                    {k: v for k, v in filled.items() if k != f.name} | {f.name: c["key"], "chay": "1"})
        return page(request, "question.html", qname=request.path_params["name"], q=q,
                    question=questions.question_of(q), form=form, result=result, options=options, asked=asked,
                    query=urlencode(filled), max_rows=questions.MAX_ROWS, column_labels=questions.COLUMN_LABEL, sparql_link="/query?" + urlencode({"query": q.text}))

    async def question_csv(request: Request) -> Response:
        q = _named(request)
        if q is None:
            return not_found(request)
        form = questions.fields(q, dict(request.query_params))

        def load():
            terms = questions.bind(ex, q, form)
            if terms is None:
                return None
            cols, rows, truncated, error = questions.run(ex, q, terms, questions.EXPORT_ROWS, service)
            return None if error else (questions.csv_text(cols, rows), truncated)

        done = await in_sparql_thread(load)
        if done is None:
            errors = "; ".join(f"{f.label}: {f.error}" for f in form if f.error) or "Không chạy được câu hỏi."
            return PlainTextResponse(errors, 400)
        body, truncated = done
        name = request.path_params["name"]
        return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"',
                                 "X-Result-Truncated": "true" if truncated else "false"})

    async def question_sparql(request: Request) -> Response:
        q = _named(request)
        if q is None:
            return not_found(request)
        return PlainTextResponse(q.text, headers={"X-Content-Type-Options": "nosniff"})

    async def network(request: Request) -> Response:
        kind, slug = request.path_params["kind"], request.path_params["slug"]
        node = iri_for(kind, slug)
        if node is None:
            return not_found(request)
        # groups of a large cascade opened by a click ("mo": open), checked by viz.OPEN_KEY
        opened = [k for k in request.query_params.getlist("mo")[:100] if viz.OPEN_KEY.match(k)]

        def load():  # one trip to a thread: under load, each trip waits for its turn on the event loop
            if not ex.exists(node):
                return None
            view = viz.agency_view(ex.store, node) if kind == "agency" else \
                viz.cascade_view(ex.store, node, viz.MAX_NODES, opened)
            return view, viz.payload(view)

        found = await in_page_thread(load)
        if found is None:
            return not_found(request)
        view, data = found
        return page(request, "network.html", view=view, data=data, kind=kind, node_path=f"/{kind}/{slug}",
                    edge_kinds=viz.edge_kinds(view),
                    max_nodes=viz.MAX_NODES)

    async def sparql(request: Request) -> Response:
        if service is None:
            return PlainTextResponse("Điểm truy vấn SPARQL không được bật.", 503)
        params = await read_request(request)  # within the limits on query string and body
        if isinstance(params, tuple):
            return PlainTextResponse(params[1], params[0])
        query, update, fmt_param = params["query"], params["update"], params["format"]
        if update or (query and is_update(query)):
            return PlainTextResponse("Điểm truy vấn này chỉ cho phép đọc: SPARQL Update (INSERT, DELETE, LOAD, "
                                     "CLEAR, DROP...) bị từ chối.", 403)
        if not query:
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse("/query", 303)
            return PlainTextResponse("Thiếu tham số query (SPARQL 1.1 Protocol).", 400)
        fmt = negotiate(request.headers.get("accept"), fmt_param)
        if fmt is None:
            return PlainTextResponse("Không có định dạng kết quả phù hợp với Accept: dùng JSON, XML, CSV hoặc TSV "
                                     "của SPARQL 1.1.", 406)
        answer = await in_sparql_thread(service.query, query, fmt)
        headers = {"X-Result-Truncated": "true" if answer.truncated else "false",
                   "X-Result-Limit": str(service.max_rows), "Vary": "Accept"}
        return Response(answer.body, answer.status, headers=headers, media_type=answer.content_type)

    async def query_page(request: Request) -> Response:
        q = request.query_params.get("query", "")
        result, error, truncated = None, "", False
        if q.strip() and service is None:
            error = "Điểm truy vấn SPARQL không được bật."
        elif q.strip():
            if is_update(q):
                error = "Chỉ cho phép truy vấn đọc (SELECT, ASK, CONSTRUCT, DESCRIBE)."
            else:
                assert service is not None  # None is answered above
                answer = await in_sparql_thread(service.query, q, "json")
                truncated = answer.truncated
                if answer.status != 200:
                    error = answer.body.decode("utf-8", errors="replace")
                elif answer.content_type.startswith("application/sparql-results+json"):
                    result = json.loads(answer.body)
                else:
                    result = {"text": answer.body.decode("utf-8", errors="replace")}
        return page(request, "query.html", q=q, result=result, error=error, truncated=truncated,
                    max_rows=service.max_rows if service else 0, timeout=service.timeout if service else 0)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return not_found(request)
        return PlainTextResponse(str(exc.detail), exc.status_code)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error on %s", request.url.path)
        return page(request, "404.html", 500, message="Đã có lỗi khi tạo trang này. Xin thử lại sau.",
                    title="Lỗi máy chủ")

    async def favicon(request: Request) -> Response:
        return RedirectResponse("/static/favicon.svg", 301)

    def c(handler):  # a page whose answer depends only on the build, the request and the day: kept
        return cached(cache, handler)

    routes = [
        Route("/", c(home)), Route("/favicon.ico", favicon), Route("/search", c(search)),
        Route("/doc/{slug}", c(document)), Route("/scheme/{slug}", c(document)),
        Route("/doc/{slug}/cac-tinh", c(document_coverage)), Route("/scheme/{slug}/cac-tinh", c(document_coverage)),
        Route("/agency/{slug}", c(agency)), Route("/agency/{slug}/duties.csv", c(agency_csv)),
        Route("/agency/{slug}/hien-nay", c(agency_now)),
        Route("/network/{kind}/{slug}", c(network)),
        Route("/cau-hoi", questions_list), Route("/cau-hoi/{name}.csv", question_csv),
        Route("/cau-hoi/{name}.rq", question_sparql), Route("/cau-hoi/{name}", question),
        # not the iCalendar export: its DTSTAMP is the time of the request
        Route("/viec-can-lam", c(todo)), Route("/viec-can-lam.csv", c(todo_csv)), Route("/viec-can-lam.ics", todo_ics),
        Route("/sparql", sparql, methods=["GET", "POST"]), Route("/query", query_page),
        Mount("/static/vis", StaticFiles(directory=str(vis_dir())), name="vis"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        warming = None
        if cache is not None and warm_url:
            first = asyncio.Event()
            # the deadline page first (what officials open every day; about 1.5 s on a national build), then
            # the heavy document pages (about a second each there), the deadline CSV (up to 50,000 duties:
            # about 19 s there) and the deadline pages of the most implemented schemes (about 3 s each there)
            paths = WARM_PATHS[:1] + ex.heavy_paths() + WARM_PATHS[1:] + ex.scheme_todo_paths()
            warming = asyncio.create_task(keep_warm(app, warm_url, paths, first=first))
            try:
                await asyncio.wait_for(first.wait(), WARM_WAIT)
            except asyncio.TimeoutError:  # a large build: answer now, the pages are made behind
                pass
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()

    # Starlette types a handler as taking Exception; http_error takes the HTTPException it is registered for
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, 404: http_error,  # type: ignore[dict-item]
                                                      Exception: server_error},
                    middleware=[Middleware(SecurityHeaders)], lifespan=lifespan)
    app.state.explorer, app.state.sparql, app.state.cache = ex, service, cache
    return app
