"""A bounded load test of `kg serve` on 127.0.0.1: many clients, pages, search, CSV, network views and /sparql.

    .venv/bin/python benchmarks/bench_load.py [--build DIR] [--clients 50] [--requests 5000] [--heavy 20]
                                              [--processes 1] [--skip KIND,...]

Builds nothing itself: DIR (default data/build) must hold a build (`kg build data/raw` makes one).  Starts
`kg serve --build DIR` on a free 127.0.0.1 port, waits until it answers, picks the URLs from the build (through
its own /sparql: documents with the most duties and others, agencies with the most duties and others, as the
explorer forms their page paths, kg.nodes.page_path), sends one request of each kind untimed (warm-up), then
runs CLIENTS threads (http.client, one keep-alive connection each) that share REQUESTS requests over a fixed
mix:

  home, search (several queries, misspelt ones among them), document pages, agency pages, agency CSV,
  the "Viec can lam" page and its CSV, network views of documents and agencies, small /sparql queries,
  and HEAVY (default 20) heavy /sparql queries (full scans with GROUP BY), spread over the run.

Prints the throughput, p50/p95/p99 and the maximum per kind, per group and overall; the number of errors
(status >= 500 or a connection error); the answers over 1 s (--slow) split into pages (HTML, CSV, search,
network views), small /sparql queries and heavy /sparql queries (no page: they may take seconds); whether every
page answered within 1 s; the slowest URLs; and the machine's load average before and after (other work on the
machine slows the server: read the figures with it).  Then stops the server.  Timings are printed, never
asserted; the exit status is 0 unless the server could not start.

The server keeps the answers of its pages (kg/web/cache.py: a page depends only on the build, the request and
the day): a URL asked again is answered from memory, so the figures mix first answers and kept ones; the slowest
URLs are mostly first answers.  --cache-mb 0 measures the server without it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.nodes import page_path  # noqa: E402
from kg.web.testing import running_server  # noqa: E402

VND = "https://w3id.org/vn-directives/ontology#"
SEARCHES = ["kế hoạch", "Sở Tài chính", "Ủy ban nhân dân", "chuyển đổi số", "hợp tác xã", "nông thôn mới",
            "so tai chinh", "chuyen doi so", "Sỏ Tài chinh", "Uy ban nhan dan tinh", "ke hoach", "báo cáo",
            "Sở Nông nghiệp", "giáo dục", "y tế", "Sở Xây dụng", "Bộ Công thương", "xyzzy không có"]
SMALL_SPARQL = [
    "ASK { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s a <" + VND + "Duty> } LIMIT 10",
    "SELECT ?d ?l WHERE { ?d a <" + VND + "AdministrativeDocument> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    " LIMIT 20",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a <" + VND + "Agency> }",
    "SELECT ?p ?o WHERE { ?s ?p ?o } LIMIT 50",
]
HEAVY_SPARQL = [
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) (COUNT(*) AS ?facts) WHERE { ?s a ?t . ?s ?p ?o } GROUP BY ?t ORDER BY DESC(?n)",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?x . ?x ?q ?y } GROUP BY ?p ORDER BY DESC(?n) LIMIT 100",  # two hops
    "SELECT ?len (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) BIND(STRLEN(STR(?o)) AS ?len) } GROUP BY ?len "
    "ORDER BY DESC(?n) LIMIT 50",
]
# share of the (non-heavy) requests per kind
MIX = {"home": 4, "search": 14, "document": 18, "agency": 14, "agency_csv": 7, "todo": 5, "todo_csv": 4,
       "network_doc": 8, "network_agency": 6, "sparql_small": 20}
# what each kind of request is, for the counts of answers over 1 s: the pages (every kind but /sparql) by what
# they answer, and the /sparql queries apart
GROUPS = {"home": "HTML", "document": "HTML", "agency": "HTML", "todo": "HTML", "agency_csv": "CSV", "todo_csv": "CSV",
          "search": "search", "network_doc": "network", "network_agency": "network",
          "sparql_small": "sparql small", "sparql_heavy": "sparql heavy"}
PAGE_GROUPS = ("HTML", "CSV", "search", "network")


def sparql(base: str, query: str) -> list[dict]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())["results"]["bindings"]


def pick_targets(base: str, rng: random.Random, n: int = 40) -> tuple[list[str], list[str]]:
    """(document page paths, agency page paths): the ones with the most duties and a random sample of the rest."""
    def paths(rows: list[dict], key: str) -> list[str]:
        return [p for p in (page_path(r[key]["value"]) for r in rows) if p]

    top_docs = paths(sparql(base, "SELECT ?d (COUNT(?x) AS ?n) WHERE { ?d <" + VND + "assignsDuty> ?x } GROUP BY ?d "
                            "ORDER BY DESC(?n) LIMIT 10"), "d")
    docs = paths(sparql(base, "SELECT DISTINCT ?d WHERE { ?d <" + VND + "assignsDuty> ?x }"), "d")
    top_agencies = paths(sparql(base, "SELECT ?a (COUNT(?x) AS ?n) WHERE { ?x <" + VND + "leadAgency> ?a } GROUP BY ?a "
                                "ORDER BY DESC(?n) LIMIT 10"), "a")
    agencies = paths(sparql(base, "SELECT DISTINCT ?a WHERE { ?a a <" + VND + "Agency> }"), "a")
    rest_docs = [d for d in docs if d not in top_docs]
    rest_agencies = [a for a in agencies if a not in top_agencies]
    docs = top_docs + rng.sample(rest_docs, min(n, len(rest_docs)))
    agencies = top_agencies + rng.sample(rest_agencies, min(n, len(rest_agencies)))
    return docs, agencies


def make_plan(total: int, heavy: int, docs: list[str], agencies: list[str], rng: random.Random,
              skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(kind, path) of every request, in the order they are handed out; the heavy queries spread over the run."""
    def path_of(kind: str) -> str:
        if kind == "home":
            return "/"
        if kind == "search":
            return "/search?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
        if kind == "document":
            return rng.choice(docs)
        if kind == "agency":
            return rng.choice(agencies)
        if kind == "agency_csv":
            return rng.choice(agencies) + "/duties.csv"
        if kind == "todo":
            return "/viec-can-lam" + rng.choice(["", "?bucket=overdue", "?agency=" + rng.choice(agencies)[1:]])
        if kind == "todo_csv":
            return "/viec-can-lam.csv" + rng.choice(["", "?agency=" + rng.choice(agencies)[1:]])
        if kind == "network_doc":
            return "/network" + rng.choice(docs)
        if kind == "network_agency":
            return "/network" + rng.choice(agencies)
        if kind == "sparql_small":
            return "/sparql?" + urllib.parse.urlencode({"query": rng.choice(SMALL_SPARQL)})
        raise ValueError(kind)

    kinds = [k for k in MIX if k not in skip]
    weights = [MIX[k] for k in kinds]
    plan = [(k, path_of(k)) for k in rng.choices(kinds, weights, k=max(0, total - heavy))]
    for i in range(heavy):  # evenly spread
        at = (i * len(plan)) // max(1, heavy) + i
        q = HEAVY_SPARQL[i % len(HEAVY_SPARQL)]
        plan.insert(at, ("sparql_heavy", "/sparql?" + urllib.parse.urlencode({"query": q})))
    return plan


def run_client(host: str, port: int, work: queue.Queue, results: list, timeout: float, t0: float = 0.0) -> None:
    """Take requests from `work` until it is empty; each result is (kind, status, seconds, error, path, seconds
    from `t0` to the request)."""
    conn = None
    while True:
        try:
            kind, path = work.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        status, error = 0, ""
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: one fresh try
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=timeout)
                conn.request("GET", path, headers={"Accept": "text/html,application/sparql-results+json;q=0.9"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close() if conn else None
                conn = None
                error = f"{type(exc).__name__}"
                if attempt == 2:
                    status = 0
            except (OSError, http.client.HTTPException) as exc:
                if conn:
                    conn.close()
                conn = None
                error, status = f"{type(exc).__name__}: {exc}", 0
                break
        results.append((kind, status, time.perf_counter() - started, error if status == 0 else "", path,
                        started - t0))
    if conn:
        conn.close()


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[i]


def report(results: list, wall: float, slow_limit: float, slowest: int = 10) -> dict:
    """Print the figures of a run (results: run_client's, one per request); return the totals."""
    by_kind: dict[str, list] = defaultdict(list)
    by_group: dict[str, list] = defaultdict(list)
    for r in results:
        by_kind[r[0]].append(r)
        by_group[GROUPS.get(r[0], r[0])].append(r)
    pages = [r for g in PAGE_GROUPS for r in by_group[g]]
    over = f">{slow_limit:g}s"
    print(f"{'kind':<17}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'err':>5}{over:>6}  statuses")

    def slow(rows: list) -> int:
        return sum(1 for r in rows if r[2] > slow_limit)

    def errors(rows: list) -> int:
        return sum(1 for r in rows if r[1] == 0 or r[1] >= 500)

    def line(name: str, rows: list) -> None:
        t = sorted(r[2] for r in rows)
        statuses: dict[int, int] = defaultdict(int)
        for r in rows:
            statuses[r[1]] += 1
        st = " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
        print(f"{name:<17}{len(rows):>6}{pct(t, 50) * 1000:>9.0f}{pct(t, 95) * 1000:>9.0f}{pct(t, 99) * 1000:>9.0f}"
              f"{t[-1] * 1000 if t else 0:>9.0f}{errors(rows):>5}{slow(rows):>6}  {st}")

    for kind in sorted(by_kind, key=lambda k: (list(GROUPS).index(k) if k in GROUPS else len(GROUPS), k)):
        line(kind, by_kind[kind])
    print()
    for group in PAGE_GROUPS:
        line(f"pages: {group}", by_group[group])
    line("pages (all)", pages)
    line("/sparql small", by_group["sparql small"])
    line("/sparql heavy", by_group["sparql heavy"])
    line("overall", results)
    totals: dict[str, float] = {"errors": errors(results), "slow_pages": slow(pages),
                                "slow_sparql_small": slow(by_group["sparql small"]),
                                "slow_sparql_heavy": slow(by_group["sparql heavy"]),
                                "throughput": len(results) / wall if wall else 0.0}
    print(f"\n{len(results)} requests in {wall:.1f} s: {totals['throughput']:.1f} requests/s; "
          f"errors (status >= 500 or connection): {totals['errors']}")
    print(f"answers over {slow_limit:g} s: pages {totals['slow_pages']} of {len(pages)} ("
          + ", ".join(f"{g} {slow(by_group[g])}" for g in PAGE_GROUPS) + "); "
          f"/sparql small {totals['slow_sparql_small']} of {len(by_group['sparql small'])}; "
          f"/sparql heavy {totals['slow_sparql_heavy']} of {len(by_group['sparql heavy'])} (no page)")
    worst_page = max(pages, key=lambda r: r[2], default=None)
    if worst_page is None:
        print("no page was asked")
    elif totals["slow_pages"] == 0:
        print(f"every page answered within {slow_limit:g} s: yes (slowest page {worst_page[2]:.2f} s, {worst_page[4]})")
    else:
        print(f"every page answered within {slow_limit:g} s: NO, {totals['slow_pages']} did not (slowest "
              f"{worst_page[2]:.2f} s, {worst_page[4]})")
    small = by_group["sparql small"]
    if small:
        print(f"every small /sparql query answered within {slow_limit:g} s: "
              + ("yes" if totals["slow_sparql_small"] == 0 else
                 f"no, {totals['slow_sparql_small']} did not (they wait for a query worker a heavy query holds)"))
    for title, rows in (("answers", results), ("pages", pages)):
        print(f"slowest {slowest} {title} (asked at: seconds into the run):")
        for r in sorted(rows, key=lambda r: -r[2])[:slowest]:
            print(f"  {r[2] * 1000:7.0f} ms  at {r[5]:5.1f} s  {r[0]:<15} {r[1]}  {urllib.parse.unquote(r[4])[:100]}")
    for r in [r for r in results if r[1] == 0 or r[1] >= 500][:5]:
        print(f"  error: {r[0]} {r[1]} {r[3]} {r[4][:120]}")
    return totals


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" (1, 5, 15 min; {os.cpu_count()} cores)"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="data/build", help="build folder (default data/build)")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--requests", type=int, default=5000, help="requests in all (default 5000)")
    ap.add_argument("--heavy", type=int, default=20, help="heavy /sparql queries among them (default 20)")
    ap.add_argument("--query-timeout", type=float, default=10.0, help="kg serve --query-timeout (default 10)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a client waits for an answer (default 120)")
    ap.add_argument("--slow", type=float, default=1.0, help="a page answered after this many seconds is slow (1)")
    ap.add_argument("--processes", type=int, default=1, help="kg serve --processes (default 1)")
    ap.add_argument("--cache-mb", type=float, default=None, help="kg serve --cache-mb (default: kg serve's; 0: none)")
    ap.add_argument("--slowest", type=int, default=10, help="slowest answers and pages listed (default 10 of each)")
    ap.add_argument("--skip", default="", help="kinds left out of the mix, comma-separated (e.g. todo_csv)")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    build = Path(args.build)
    if not (build / "graph.trig").is_file():
        print(f"bench_load: no build in {build}/ (graph.trig is missing); make one first, e.g.\n"
              f"  .venv/bin/kg build data/raw --out {build} --quiet", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    cache = [] if args.cache_mb is None else ["--cache-mb", f"{args.cache_mb:g}"]
    print(f"bench_load: kg serve over {build}/ on 127.0.0.1; {args.clients} clients, {args.requests} requests "
          f"({args.heavy} heavy /sparql queries); {args.processes} server process(es)"
          + (f", --cache-mb {args.cache_mb:g}" if cache else ""), flush=True)
    print(f"load average before: {load_average()}", flush=True)
    try:
        server = running_server(build, "--query-timeout", str(args.query_timeout), "--processes", str(args.processes),
                                *cache)
        base = server.__enter__()
    except RuntimeError as exc:
        print(f"bench_load: the server did not start: {exc}", file=sys.stderr)
        return 1
    try:
        docs, agencies = pick_targets(base, rng)
        if not docs or not agencies:
            print("bench_load: the build holds no document or agency with duties", file=sys.stderr)
            return 1
        skip = frozenset(k.strip() for k in args.skip.split(",") if k.strip())
        unknown = skip - set(MIX)
        if unknown:
            print(f"bench_load: unknown kinds {', '.join(sorted(unknown))} (kinds: {', '.join(MIX)})", file=sys.stderr)
            return 2
        plan = make_plan(args.requests, args.heavy, docs, agencies, rng, skip)
        print(f"targets: {len(docs)} documents, {len(agencies)} agencies (the 10 with the most duties of each among "
              f"them)", flush=True)
        host, port = "127.0.0.1", int(base.rsplit(":", 1)[1])
        warm: list = []
        seen: dict[str, str] = {}
        for kind, path in plan:
            seen.setdefault(kind, path)
        warm_q: queue.Queue = queue.Queue()
        for item in seen.items():
            warm_q.put(item)
        run_client(host, port, warm_q, warm, args.timeout)  # one of each kind, untimed
        work: queue.Queue = queue.Queue()
        for item in plan:
            work.put(item)
        results: list = []
        started = time.perf_counter()
        threads = [threading.Thread(target=run_client, args=(host, port, work, results, args.timeout, started),
                                    daemon=True) for _ in range(max(1, args.clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        report(results, wall, args.slow, args.slowest)
        print(f"load average after: {load_average()}")
    finally:
        server.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
