"""National scale: build and query times of the real corpus and of generated national cascades.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1,3,10] [--provinces N] [--districts N] [--era pre2025|post2025]
                                               [--rounds 20] [--rdflib-max-triples 2000000] [--no-real]

For the real corpus (data/raw/) and for a national corpus of plan texts
(kg.national) of 1x, 3x, 10x one scheme (`--sizes`; `--provinces N` keeps the
first N provinces, which CI uses to stay small), it prints:

- documents, triples, build seconds from scratch (empty extraction cache),
  documents/s, seconds per document, peak memory (largest RSS of one process
  and largest sum over the build's process tree), the unchanged rebuild and
  the rebuild after one changed file, SHACL violations;
- p50 / p95 of each used-by query on the build's persistent store (Oxigraph,
  opened read-only as `kg` opens it), over `--rounds` runs, and the same
  queries on plain rdflib in memory (the build's graph.trig parsed into a
  Dataset, default graph the union) at the largest size whose triples are at
  most `--rdflib-max-triples`, with the ratio per query;
- the time `kg serve` needs to open the build and build its search index;
- the explorer's pages over HTTP from `kg serve` on the build (home, search, the decision, a plan, a leaf plan,
  an agency, the networks of the decision and of the agency, the deadlines, the decision's provinces): the
  first answer of each (nothing computed yet) and the p50 of the next `--page-rounds`.

`--build DIR` (repeatable) measures queries, start and pages on builds made before (the whole national
cascade takes longer than a benchmark run should), without building anything.

Every figure is printed, none is asserted: CI machines are shared and slow at random.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import run_build  # noqa: E402

# the used-by queries: (label, query file of queries/, parameters as a function of the build's sample terms)
QUERIES = [
    ("implementation tree of the central decision", "implementation-tree", lambda t: {"doc": t["decision"]}),
    ("chain of one commune plan up to the root", "implementation-chain", lambda t: {"doc": t["leaf"]}),
    ("one document", "document", lambda t: {"doc": t["leaf"]}),
    ("agencies of one document (its network)", "document-agencies", lambda t: {"doc": t["plan"]}),
    ("duties of one agency", "agency-duties", lambda t: {"agency": t["agency"]}),
    ("duties of an agency kind across the country", "kind-duties", lambda t: {"kind": t["kind"]}),
    ("deadlines in a date range of a month", "deadlines", lambda t: {"from": t["month"][0], "to": t["month"][1]}),
    ("deadlines in a month (month key)", "deadlines-month", lambda t: {"month": t["month_key"]}),
    ("agencies ranked by duties (top 50)", "agencies-by-duties", lambda t: {"top": 50}),
    ("documents of one issuer", "documents-by-issuer", lambda t: {"issuer": t["issuer"]}),
]

SAMPLES = """
SELECT ?decision WHERE { ?plan eli:ensures_implementation_of ?decision . ?decision eli:id_local ?n }
GROUP BY ?decision ORDER BY DESC(COUNT(?plan)) ?decision LIMIT 1
"""
DEEPEST = """
SELECT ?leaf WHERE { ?leaf eli:ensures_implementation_of/eli:ensures_implementation_of ?x ; eli:id_local ?n .
  FILTER NOT EXISTS { ?y eli:ensures_implementation_of ?leaf } } ORDER BY ?leaf LIMIT 1
"""
PLAN = """
SELECT ?plan WHERE { ?plan vnd:assignsDuty ?d ; eli:ensures_implementation_of ?p } GROUP BY ?plan
ORDER BY DESC(COUNT(?d)) ?plan LIMIT 1
"""
AGENCY = """
SELECT ?agency ?kind WHERE { ?d vnd:leadAgency ?agency . ?agency vnd:baseName ?kind }
GROUP BY ?agency ?kind ORDER BY DESC(COUNT(?d)) ?agency LIMIT 1
"""
ISSUER = "SELECT ?issuer WHERE { ?doc eli:passed_by ?issuer } GROUP BY ?issuer ORDER BY DESC(COUNT(?doc)) ?issuer LIMIT 1"
MONTH = "SELECT (MIN(?d) AS ?first) WHERE { ?duty vnd:deadline ?d }"


def sample_terms(store) -> dict:
    """Terms to query with, chosen from the build: the most implemented decision, a leaf plan, ..."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.store import PROLOGUE

    def one(q: str, var: str):
        rows = store.select(PROLOGUE + q)
        return rows[0][var] if rows and var in rows[0] else None

    first = one(MONTH, "first")
    year, month = (int(str(first)[:4]), int(str(first)[5:7])) if first is not None else (2025, 1)
    nxt = (year + (month == 12), month % 12 + 1)
    agency_rows = store.select(PROLOGUE + AGENCY)
    return {"decision": one(SAMPLES, "decision"), "leaf": one(DEEPEST, "leaf"), "plan": one(PLAN, "plan"),
            "agency": agency_rows[0]["agency"] if agency_rows else None,
            "kind": agency_rows[0].get("kind") if agency_rows else None, "issuer": one(ISSUER, "issuer"),
            "month_key": Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth),
            "month": (Literal(f"{year:04d}-{month:02d}-01", datatype=XSD.date),
                      Literal(f"{nxt[0]:04d}-{nxt[1]:02d}-01", datatype=XSD.date))}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def time_queries(run, terms: dict, rounds: int) -> dict[str, tuple[float, float, int]]:
    """{label: (p50 ms, p95 ms, rows)} of each query; `run(query_text, params)` returns rows."""
    from kg.queries import bind_params, bound_text, load

    out = {}
    for label, name, params in QUERIES:
        try:
            q = load(name)
        except Exception:  # a query file this version does not have
            continue
        bound = params(terms)
        if any(v is None for v in bound.values()):
            continue
        # as `kg query` runs it: parameters as RDF terms, index keys (#+ keys) bound
        text, bound = bound_text(q, bind_params(q, bound))
        times, rows = [], 0
        try:
            for _ in range(rounds):
                started = time.perf_counter()
                rows = len(run(text, bound))
                times.append((time.perf_counter() - started) * 1000)
        except Exception as exc:  # rdflib fails on some queries (MIN over unbound values): printed, not fatal
            print(f"  {label}: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        out[label] = (statistics.median(times), percentile(times, 95), rows)
    return out


def rdflib_runner(trig: Path):
    """(seconds to load, run function) of plain rdflib: graph.trig parsed into a Dataset, the union as default."""
    from rdflib import Dataset

    from kg.store import bind

    started = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(trig, format="trig")
    load = time.perf_counter() - started

    def run(text: str, params: dict) -> list:
        return list(ds.query(bind(text, params)))
    return load, run


def serve_ready(build: Path) -> tuple[float, float]:
    """(seconds until the explorer has opened a build and read its search index, seconds until `kg serve` answers
    a request): the second is what a user waits for; it includes the start of the warm-up of the dearest pages
    (kg.web.cache.WARM_WAIT) and is measured to the 0.2 s of kg.web.testing's polling."""
    from kg.web.testing import running_server

    code = ("import sys, time; t = time.perf_counter(); from kg.web.explorer import Explorer; "
            "Explorer(sys.argv[1]); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code, str(build)], capture_output=True, text=True, cwd=ROOT,
                          timeout=1800)
    started = time.perf_counter()
    with running_server(build, ready_timeout=1800):
        answers = time.perf_counter() - started
    return float(done.stdout.strip() or "nan"), answers


def time_pages(build: Path, terms: dict, rounds: int) -> dict[str, tuple[float, float, float, int]]:
    """{page: (ms to compute it, first answer ms, p50 ms of the next `rounds`, bytes)}.

    "To compute" is the first answer of a `kg serve --cache-mb 0` (every answer computed); the first answer and
    p50 are those of a default `kg serve` (its cache, with the dearest pages computed at start: what users get),
    asked once it answers."""
    import urllib.request

    from kg.web.common import network_path, page_path
    from kg.web.testing import running_server

    pages = {"home": "/", "search": "/search?q=uy+ban+nhan+dan", "deadlines": "/viec-can-lam"}
    for label, key in (("decision", "decision"), ("plan", "plan"), ("leaf plan", "leaf"), ("agency", "agency")):
        if terms.get(key) is not None:
            pages[label] = page_path(terms[key])
    for label, key in (("network of the decision", "decision"), ("network of the agency", "agency")):
        if terms.get(key) is not None:
            pages[label] = network_path(terms[key])
    if terms.get("decision") is not None:
        pages["provinces of the decision"] = page_path(terms["decision"]) + "/cac-tinh"

    def fetch(base: str, path: str) -> tuple[float, int]:
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=900) as r:
            size = len(r.read())
        return 1000 * (time.perf_counter() - started), size

    computed = {}
    with running_server(build, "--cache-mb", "0", ready_timeout=1800) as base:
        for label, path in pages.items():
            computed[label] = fetch(base, path)[0]
    out = {}
    with running_server(build, ready_timeout=1800) as base:
        for label, path in pages.items():
            times, size = [], 0
            for _ in range(1 + rounds):
                ms, size = fetch(base, path)
                times.append(ms)
            out[label] = (computed[label], times[0], statistics.median(times[1:]) if rounds else times[0], size)
    return out


def report_pages(pages: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"  {'page':<40} {'compute ms':>10} {'first ms':>9} {'p50 ms':>8} {'KB':>7}")
    for label, (computed, first, p50, size) in pages.items():
        print(f"  {label:<40} {computed:>10.1f} {first:>9.1f} {p50:>8.1f} {size / 1024:>7.0f}")
    slow = [label for label, (_, first, _, _) in pages.items() if first > 500]
    dear = [label for label, (computed, _, _, _) in pages.items() if computed > 500]
    print(f"  pages whose first answer took over 500 ms: {', '.join(slow) if slow else 'none'}")
    print(f"  pages that take over 500 ms to compute: {', '.join(dear) if dear else 'none'}")


def measure_built(build: Path, rounds: int, page_rounds: int) -> None:
    """Queries, start and pages on a build made before (`--build`)."""
    from kg.store import LocalStore

    manifest = json.loads((build / "build.json").read_text(encoding="utf-8"))
    counts = manifest.get("counts", {})
    print(f"\n## the build in {build}: {len(manifest.get('built', []))} documents built, "
          f"{counts.get('triples', 0):,} triples, {manifest.get('shacl_violations')} SHACL violations")
    store = LocalStore.from_build(build)
    terms = sample_terms(store)
    m = {"queries": time_queries(lambda text, params: store.select(text, params), terms, rounds)}
    opened, answers = serve_ready(build)
    print(f"  kg serve: store opened and search index read in {opened:.1f} s; answers {answers:.1f} s after start")
    report_queries(m, None, None)
    report_pages(time_pages(build, terms, page_rounds))


def measure(name: str, corpus: Path, work: Path, rounds: int, changed: Path | None) -> dict:
    from kg.store import LocalStore

    out, cache = work / f"out-{name}", work / f"cache-{name}"
    cold = run_build([corpus], out, cache, [])
    warm = run_build([corpus], out, cache, [])
    if changed is not None:
        with open(changed, "a", encoding="utf-8") as fh:
            fh.write("\nGhi chú của bài đo.\n")
    one = run_build([corpus], out, cache, [])
    store = LocalStore.from_build(out)
    terms = sample_terms(store)
    queries = time_queries(lambda text, params: store.select(text, params), terms, rounds)
    return {"name": name, "cold": cold, "warm": warm, "one": one, "queries": queries, "terms": terms,
            "out": out, "serve": serve_ready(out)}


def report_build(m: dict) -> None:
    c = m["cold"]
    docs = c["built"]
    print(f"\n## {m['name']}: {docs} documents built ({c['skipped']} skipped), {c['triples']:,} triples, "
          f"{c['violations']} SHACL violations")
    print(f"  from scratch {c['seconds']:.1f} s ({docs / c['seconds']:.1f} documents/s, "
          f"{1000 * c['seconds'] / max(docs, 1):.1f} ms per document); peak RSS {c['max_rss'] / 2**20:.0f} MB "
          f"(process tree {c['peak_tree'] / 2**20:.0f} MB)")
    replaced = m["one"].get("replaced")
    print(f"  unchanged rebuild {m['warm']['seconds']:.2f} s; one changed file {m['one']['seconds']:.1f} s "
          f"({m['one']['extracted']} extracted; "
          f"{'a new store' if replaced is None else f'{replaced} graph(s) replaced in the last store'}; "
          f"graphs {m['one'].get('made')} made, {m['one'].get('kept')} kept; SHACL on "
          f"{'every' if m['one'].get('focus') is None else m['one']['focus']} focus node(s))")
    print(f"  stages after one changed file: {m['one']['stages']}")
    print(f"  kg serve: store opened and search index read in {m['serve'][0]:.1f} s; answers "
          f"{m['serve'][1]:.1f} s after start")
    print(f"  stages from scratch: {c['stages']}")


def report_queries(m: dict, rdf: dict | None, rdf_load: float | None) -> None:
    print(f"  {'query':<48} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}" + (
        f" {'rdflib p50':>11} {'ratio':>7}" if rdf else ""))
    ratios = []
    for label, (p50, p95, rows) in m["queries"].items():
        line = f"  {label:<48} {p50:>8.1f} {p95:>8.1f} {rows:>6}"
        if rdf and label in rdf:
            r50 = rdf[label][0]
            ratios.append(r50 / p50 if p50 else float("inf"))
            line += f" {r50:>11.1f} {ratios[-1]:>6.1f}x"
        print(line)
    if rdf:
        print(f"  rdflib in memory: graph.trig parsed in {rdf_load:.1f} s; median speed-up of the store "
              f"{statistics.median(ratios):.1f}x, smallest {min(ratios):.1f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,3,10", help="national corpora: multiples of one scheme (default 1,3,10)")
    ap.add_argument("--provinces", type=int, help="only the first N provinces of each national corpus")
    ap.add_argument("--districts", type=int, help="only the first N districts of each province (pre2025)")
    ap.add_argument("--era", choices=("pre2025", "post2025"), default="pre2025")
    ap.add_argument("--rounds", type=int, default=20, help="runs of each query (default 20)")
    ap.add_argument("--rdflib-max-triples", type=int, default=2_000_000,
                    help="compare with rdflib at the largest size with at most this many triples")
    ap.add_argument("--no-real", action="store_true", help="leave out the real corpus (data/raw/)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--page-rounds", type=int, default=5, help="answers of each page after the first (default 5)")
    ap.add_argument("--build", type=Path, action="append", default=[],
                    help="measure queries, start and pages on this build only (repeatable); nothing is built")
    args = ap.parse_args()
    if args.build:
        print(f"cores: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}; rounds per query: {args.rounds}")
        for build in args.build:
            measure_built(build, args.rounds, args.page_rounds)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"cores: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}; rounds per query: {args.rounds}")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    measured = []
    try:
        if not args.no_real:
            corpus = work / "real"
            shutil.copytree(ROOT / "data" / "raw", corpus)
            measured.append(measure("real corpus (data/raw)", corpus, work, args.rounds,
                                    sorted(corpus.rglob("*.txt"))[0]))
            report_build(measured[-1])
            report_queries(measured[-1], None, None)
            report_pages(time_pages(measured[-1]["out"], measured[-1]["terms"], args.page_rounds))
        for k in sizes:
            corpus = work / f"national-{k}"
            cmd = [sys.executable, "-m", "kg.national", str(corpus), "--schemes", str(k), "--seed", str(args.seed),
                   "--era", args.era, "--suffix", ".txt"]
            if args.provinces:
                cmd += ["--provinces", str(args.provinces)]
            if args.districts:
                cmd += ["--districts-per-province", str(args.districts)]
            started = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, timeout=3600)
            made = time.perf_counter() - started
            manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
            (corpus / "manifest.json").rename(work / f"manifest-{k}.json")  # not a document to build
            files = manifest["files"]
            name = (f"national {args.era} x{k}" + (f", first {args.provinces} provinces" if args.provinces else "")
                    + (f", first {args.districts} districts of each" if args.districts else "")
                    + f" ({len(files)} texts generated in {made:.1f} s)")
            changed = sorted(p for p in corpus.rglob("*.txt"))[-1]
            measured.append(measure(name, corpus, work, args.rounds, changed))
            report_build(measured[-1])
            report_queries(measured[-1], None, None)
            report_pages(time_pages(measured[-1]["out"], measured[-1]["terms"], args.page_rounds))
        # rdflib beside the store, at the largest size it can load
        fit = [m for m in measured if m["cold"]["triples"] <= args.rdflib_max_triples]
        if fit:
            m = max(fit, key=lambda m: m["cold"]["triples"])
            load, run = rdflib_runner(m["out"] / "graph.trig")
            rdf = time_queries(run, m["terms"], max(2, args.rounds // 5))
            print(f"\n## store and plain rdflib on the largest build rdflib is given: {m['name']}")
            report_queries(m, rdf, load)
        national = [m for m in measured if m["name"].startswith("national")]
        if len(national) >= 2:
            a, b = national[0], national[-1]
            per = [m["cold"]["seconds"] / max(m["cold"]["built"], 1) for m in (a, b)]
            print(f"\nbuild time per document: {1000 * per[0]:.1f} ms at the smallest national size, "
                  f"{1000 * per[1]:.1f} ms at the largest ({per[1] / per[0]:.2f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
