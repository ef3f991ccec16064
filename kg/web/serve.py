"""`kg serve`: the web explorer over a build folder, on a real HTTP server (uvicorn)."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

CACHE_MB = 64  # default megabytes of page answers a server process keeps (kg/web/cache.py)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def cmd_serve(args: argparse.Namespace) -> int:
    endpoint = args.endpoint
    build = Path(args.build) if args.build else None if endpoint else Path("data/build")
    if endpoint and build is not None and not (build / "sources").is_dir():
        print(f"kg: {build}/ holds no sources/ folder: --build with --endpoint names the build folder whose "
              f"source texts the pages show", file=sys.stderr)
        return 1
    if not endpoint and build is not None and not (build / "graph.trig").is_file():
        print(f"kg: no graph built yet in {build}/ (graph.trig is missing): run `kg build` first, "
              f"or point --build at a build folder", file=sys.stderr)
        return 1
    import os

    import uvicorn

    from kg.web import create_app

    if args.sparql_service_allow is not None:  # read by the query service (kg/web/sparql.py) of create_app
        os.environ["KG_SPARQL_SERVICE_ALLOW"] = args.sparql_service_allow
    allowed = os.environ.get("KG_SPARQL_SERVICE_ALLOW", "").strip()
    if allowed and not endpoint:
        print(f"kg: /sparql queries may use SERVICE towards: {allowed} (the query workers may open network "
              f"connections)", file=sys.stderr, flush=True)

    port = args.port or free_port(args.host)
    host = f"[{args.host}]" if ":" in args.host else args.host
    if args.processes > 1:
        return _serve_processes(args, build, endpoint, port, host)
    print(f"kg: querying {endpoint} ..." if endpoint else f"kg: opening {build}/ ...", file=sys.stderr, flush=True)
    from kg.store import StoreError

    try:
        app = create_app(build, query_timeout=args.query_timeout, max_rows=args.max_rows, endpoint=endpoint,
                         cache_mb=args.cache_mb, warm_url=f"http://{host}:{port}")
    except StoreError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return 1
    print(f"Open http://{host}:{port}/  (SPARQL endpoint http://{host}:{port}/sparql; Ctrl+C to stop)", flush=True)
    config = uvicorn.Config(app, host=args.host, port=port, log_level=args.log_level, access_log=False,
                            timeout_graceful_shutdown=3)
    uvicorn.Server(config).run()
    service = app.state.sparql
    if service is not None:
        service.close()
    return 0


def app_from_env():
    """The application of one server process of `kg serve --processes N`: uvicorn imports this module and calls it
    in each process it starts; the options come in $KG_SERVE_* (set by _serve_processes)."""
    import atexit
    import os

    from kg.web import create_app

    build = os.environ.get("KG_SERVE_BUILD") or None
    app = create_app(Path(build) if build else None, query_timeout=float(os.environ.get("KG_SERVE_QUERY_TIMEOUT", "10")),
                     max_rows=int(os.environ.get("KG_SERVE_MAX_ROWS", "10000")),
                     endpoint=os.environ.get("KG_SERVE_ENDPOINT") or None,
                     cache_mb=float(os.environ.get("KG_SERVE_CACHE_MB", str(CACHE_MB))),
                     warm_url=os.environ.get("KG_SERVE_URL") or None)
    if app.state.sparql is not None:  # its query workers also stop by themselves when this process is gone
        atexit.register(app.state.sparql.close)
    return app


def _serve_processes(args: argparse.Namespace, build: Path | None, endpoint: str | None, port: int, host: str) -> int:
    """`kg serve --processes N`: N server processes sharing one listening socket (uvicorn's supervisor), each with
    its own handle on the graph and its own pool of query workers; pages are rendered in parallel."""
    import os

    import uvicorn

    os.environ.update(KG_SERVE_BUILD=str(build) if build else "", KG_SERVE_ENDPOINT=endpoint or "",
                      KG_SERVE_QUERY_TIMEOUT=str(args.query_timeout), KG_SERVE_MAX_ROWS=str(args.max_rows),
                      KG_SERVE_CACHE_MB=str(args.cache_mb), KG_SERVE_URL=f"http://{host}:{port}")
    what = f"querying {endpoint}" if endpoint else f"opening {build}/"
    print(f"kg: {what} in {args.processes} server processes ...", file=sys.stderr, flush=True)
    print(f"Open http://{host}:{port}/  (SPARQL endpoint http://{host}:{port}/sparql; Ctrl+C to stop)", flush=True)
    uvicorn.run("kg.web.serve:app_from_env", factory=True, workers=args.processes, host=args.host, port=port,
                log_level=args.log_level, access_log=False, timeout_graceful_shutdown=3)
    return 0


def register(sub) -> None:
    """Add the `serve` subcommand to the `kg` parser."""
    s = sub.add_parser("serve", help="serve the graph as a web application (pages, networks, SPARQL endpoint)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    s.add_argument("--build", help="build folder holding graph.trig (default data/build); with --endpoint, the "
                   "folder whose sources/ the pages show (default: none, the pages say the text is not available)")
    s.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of a build (its default "
                   "graph the union of the named graphs, e.g. after `kg push`); /sparql forwards queries to it")
    s.add_argument("--query-timeout", type=float, default=10.0, help="seconds a /sparql query may run (default 10)")
    s.add_argument("--max-rows", type=int, default=10_000, help="rows a /sparql answer may hold (default 10000)")
    s.add_argument("--sparql-service-allow", metavar="HOST[,HOST...]",
                   help="let /sparql queries use SERVICE towards these hosts only (exact host of an http or https "
                   "IRI; default $KG_SPARQL_SERVICE_ALLOW, else none: SERVICE is refused and the query workers "
                   "cannot open network connections)")
    s.add_argument("--processes", type=int, default=1, metavar="N",
                   help="server processes rendering pages in parallel (default 1); each holds its own handle on "
                   "the graph and its own pool of /sparql query workers ($KG_SPARQL_WORKERS, default 2) and "
                   "computes at most $KG_PAGE_THREADS pages at once (default 2)")
    s.add_argument("--cache-mb", type=float, default=CACHE_MB, metavar="MB",
                   help=f"megabytes of page answers each server process keeps in memory (default {CACHE_MB}; 0: "
                   "none): a page depends only on the build, which a running server does not reload, the request "
                   "and the day, so it is computed once; emptied when the build is rewritten; never with --endpoint")
    s.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    s.set_defaults(func=cmd_serve)
