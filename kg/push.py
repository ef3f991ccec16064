"""`kg push`: load a build into a SPARQL 1.1 store over the Graph Store HTTP Protocol (GSP).

Each named graph of ``graph.trig`` (one per source file, plus ``id/graph/ontology``, ``units``,
``successions``, ``inferred``; triples of the default graph, if any, go to ``id/graph/default``)
is sent with one HTTP ``PUT``, which replaces that graph: pushing the same build twice leaves the
store as it was.  What kg pushed is recorded in a graph of its own (``id/graph/kg-push``, the
manifest): on the next push the graphs it lists that the new build no longer has are deleted with
HTTP ``DELETE``.  Graphs kg did not push are never read, replaced or deleted.

Order, so that an interrupted push loses no record: the manifest is first written as the union of
the old and the new graph lists, then every graph is put, stale graphs deleted, and the manifest
written again with the new list only.

Only the standard library talks HTTP (urllib); the build is read with pyoxigraph.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from kg.iri import ID

MANIFEST_GRAPH = str(ID["graph/kg-push"])
DEFAULT_GRAPH = str(ID["graph/default"])  # where triples of graph.trig's default graph go (a GSP store may
# not hold them apart from the union default graph)
PUSH = "https://w3id.org/vn-directives/push#"  # the manifest's own terms, outside the ontology
CONTENT_TYPES = {"ntriples": "application/n-triples", "turtle": "text/turtle"}  # N-Triples is valid Turtle


class PushError(Exception):
    """The store refused a request or could not be reached (one line naming the URL and the status)."""


@dataclass
class Target:
    """Where to send: the GSP endpoint, the query endpoint (to check the push), credentials."""

    gsp: str
    query: str | None
    graph_param: str = "graph"
    user: str | None = None
    password: str | None = None
    timeout: float = 120.0
    content_type: str = CONTENT_TYPES["ntriples"]

    def graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{sep}{urllib.parse.urlencode({self.graph_param: graph})}"


@dataclass
class PushResult:
    graphs: int = 0
    triples: int = 0
    deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0
    checked: int | None = None  # triples the query endpoint counts in the pushed graphs, if asked


def endpoints(url: str, gsp: str | None = None, query: str | None = None) -> tuple[str, str | None]:
    """(GSP URL, query URL) from a store's base URL or one of its Oxigraph endpoints, unless overridden.

    Oxigraph serves queries at BASE/query, updates at BASE/update and the GSP at BASE/store; a URL
    ending with one of these is read as that server's.  Any other URL is taken as a base.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{url}: not an http(s) URL")
    path = parts.path.rstrip("/")
    for tail in ("/store", "/query", "/update"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return gsp or base + "/store", query or base + "/query"


# -- HTTP --------------------------------------------------------------------------------------------

def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return text[:200]


def request(target: Target, method: str, url: str, data: bytes | None = None, headers: dict | None = None,
            missing_ok: bool = False) -> tuple[int, bytes]:
    """One HTTP request; (status, body).  A 404 is returned when `missing_ok`, any other error raises PushError."""
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if target.user is not None:  # Basic, sent up front (Digest servers: put a proxy or use their own loader)
        token = base64.b64encode(f"{target.user}:{target.password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    what = f"{method} {urllib.parse.unquote(url)}"
    try:
        with urllib.request.urlopen(req, timeout=target.timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        if missing_ok and exc.code == 404:
            return 404, b""
        try:
            body = exc.read(300).decode("utf-8", errors="replace").strip()
        except OSError:
            body = ""
        first = body.splitlines()[0][:160] if body else ""
        raise PushError(f"{what}: HTTP {exc.code} {exc.reason}" + (f" ({first})" if first else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, DNS, timeout, reset, bad URL
        raise PushError(f"{what}: cannot reach the store ({_reason(exc)})") from None
    except Exception as exc:  # http.client's protocol errors (BadStatusLine, IncompleteRead, ...)
        raise PushError(f"{what}: {type(exc).__name__}: {_reason(exc)}") from None


def get_graph(target: Target, graph: str) -> bytes | None:
    """The N-Triples of one graph, or None when the store has no such graph."""
    status, body = request(target, "GET", target.graph_url(graph), headers={"Accept": "application/n-triples"},
                           missing_ok=True)
    return None if status == 404 else body


def put_graph(target: Target, graph: str, ntriples: bytes) -> None:
    request(target, "PUT", target.graph_url(graph), ntriples,
            {"Content-Type": f"{target.content_type}; charset=utf-8"})


def delete_graph(target: Target, graph: str) -> None:
    request(target, "DELETE", target.graph_url(graph), missing_ok=True)


# -- the manifest ------------------------------------------------------------------------------------

def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid N-Triples string for these texts


def manifest_ntriples(graphs: dict[str, int], build_id: str, pushed_at: str) -> bytes:
    """The manifest graph: the graphs kg pushed (with their triple counts), the build and the time."""
    m = f"<{MANIFEST_GRAPH}>"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    lines = [f'{m} <{PUSH}pushedAt> "{pushed_at}"^^<{xsd}dateTime> .',
             f"{m} <{PUSH}buildId> {_lit(build_id)} ."]
    for g, n in sorted(graphs.items()):
        lines.append(f"{m} <{PUSH}graph> <{g}> .")
        lines.append(f'<{g}> <{PUSH}triples> "{n}"^^<{xsd}integer> .')
    return ("\n".join(lines) + "\n").encode("utf-8")


def manifest_graphs(ntriples: bytes | None) -> set[str]:
    """The graphs a manifest lists (empty when there is none)."""
    if not ntriples:
        return set()
    try:
        triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        return {t.object.value for t in triples
                if t.predicate.value == PUSH + "graph" and isinstance(t.object, ox.NamedNode)}
    except (SyntaxError, ValueError) as exc:
        raise PushError(f"the manifest graph <{MANIFEST_GRAPH}> in the store does not parse ({_reason(exc)}); "
                        f"delete it by hand") from None


# -- the build ---------------------------------------------------------------------------------------

def load_build(build_dir: Path) -> tuple[ox.Store, dict[str, int], str]:
    """(in-memory store of graph.trig, triples per graph, build id)."""
    from kg.store import StoreError

    path = Path(build_dir) / "graph.trig"
    if not path.is_file():
        raise StoreError(f"{path}: no graph built yet (run `kg build` first)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: not a readable graph ({_reason(exc)}); run `kg build` again") from None
    counts: dict[str, int] = {}
    for g in store.named_graphs():
        counts[g.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        if DEFAULT_GRAPH in counts:
            raise StoreError(f"{path}: triples in the default graph and in <{DEFAULT_GRAPH}>")
        counts[DEFAULT_GRAPH] = default
    if MANIFEST_GRAPH in counts:
        raise StoreError(f"{path}: holds kg push's own manifest graph <{MANIFEST_GRAPH}>")
    build_id = ""
    try:
        build_id = json.loads((Path(build_dir) / "build.json").read_text(encoding="utf-8")).get("build_id", "")
    except (OSError, ValueError):
        pass
    return store, {g: n for g, n in counts.items() if n}, build_id


def graph_ntriples(store: ox.Store, graph: str) -> bytes:
    name = ox.DefaultGraph() if graph == DEFAULT_GRAPH and not store.contains_named_graph(ox.NamedNode(graph)) \
        else ox.NamedNode(graph)
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""


def count_remote(target: Target, graphs: list[str]) -> int:
    """Triples the query endpoint holds in `graphs` (GRAPH patterns: independent of union-default settings)."""
    from rdflib import URIRef

    from kg.store import RemoteStore, StoreError, sparql_term

    total = 0
    for i in range(0, len(graphs), 200):
        chunk = " ".join(sparql_term(URIRef(g)) for g in graphs[i:i + 200])
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {chunk} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        try:
            rows = RemoteStore(target.query, timeout=int(target.timeout)).select(q)  # type: ignore[arg-type]  # push checks only with a query URL
        except StoreError as exc:
            raise PushError(str(exc)) from None
        total += int(rows[0]["n"]) if rows else 0
    return total


def push(build_dir: Path, target: Target, check: bool = True, log=None) -> PushResult:
    """Put every graph of the build, delete the graphs kg pushed before that the build no longer has."""
    log = log or (lambda msg: None)
    started = time.perf_counter()
    store, counts, build_id = load_build(build_dir)
    old = manifest_graphs(get_graph(target, MANIFEST_GRAPH))
    stale = sorted(old - set(counts) - {MANIFEST_GRAPH})
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    # first record every graph this push may leave in the store, so a push killed half-way loses no record
    put_graph(target, MANIFEST_GRAPH, manifest_ntriples(counts | {g: 0 for g in stale}, build_id, now))
    result = PushResult()
    for i, g in enumerate(sorted(counts), 1):
        put_graph(target, g, graph_ntriples(store, g))
        result.graphs += 1
        result.triples += counts[g]
        if i % 100 == 0:
            log(f"  {i}/{len(counts)} graphs")
    for g in stale:
        delete_graph(target, g)
        result.deleted.append(g)
    put_graph(target, MANIFEST_GRAPH, manifest_ntriples(counts, build_id, now))
    result.seconds = time.perf_counter() - started
    if check and target.query:
        result.checked = count_remote(target, sorted(counts))
    return result


# -- the command -------------------------------------------------------------------------------------

def cmd_push(args: argparse.Namespace) -> int:
    import os

    from kg.store import StoreError

    try:
        gsp, query = endpoints(args.endpoint, args.gsp, args.query)
    except PushError as exc:
        print(f"kg: push: {exc}", file=sys.stderr)
        return 2
    target = Target(gsp=gsp, query=None if args.no_check else query, graph_param=args.graph_param,
                    user=args.user, password=os.environ.get("KG_PUSH_PASSWORD") if args.user else None,
                    timeout=args.timeout, content_type=CONTENT_TYPES[args.content_type])
    build = Path(args.build)
    print(f"kg: pushing {build}/graph.trig to {gsp} ...", file=sys.stderr, flush=True)
    try:
        r = push(build, target, check=not args.no_check, log=lambda m: print(m, file=sys.stderr, flush=True))
    except PushError as exc:
        print(f"kg: push to {args.endpoint} failed: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return 1
    print(f"pushed {r.graphs} graphs ({r.triples:,} triples) to {gsp} in {r.seconds:.1f} s"
          + (f"; deleted {len(r.deleted)} graph(s) no longer in the build" if r.deleted else ""))
    for g in r.deleted:
        print(f"  deleted <{g}>")
    if r.checked is not None:
        if r.checked != r.triples:
            print(f"kg: push to {args.endpoint}: {query} counts {r.checked:,} triples in the pushed graphs, "
                  f"{r.triples:,} were sent", file=sys.stderr)
            return 1
        print(f"checked: {query} counts the same {r.checked:,} triples; query it with --endpoint {query}")
    return 0


def register(sub) -> None:
    """Add the `push` subcommand to the `kg` parser."""
    p = sub.add_parser("push", help="load a build into a SPARQL 1.1 store (Graph Store HTTP Protocol), one named "
                       "graph per source, replacing what kg pushed before")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store: its base URL or an Oxigraph endpoint (http://host:7878, .../store, .../query)")
    p.add_argument("--build", default="data/build", help="build folder to push (default data/build)")
    p.add_argument("--gsp", metavar="URL", help="the Graph Store Protocol endpoint (default BASE/store, Oxigraph's; "
                   "Fuseki: .../DATASET/data, GraphDB: .../repositories/ID/rdf-graphs/service, "
                   "Virtuoso: .../sparql-graph-crud)")
    p.add_argument("--query", metavar="URL", help="the SPARQL query endpoint used to check the push "
                   "(default BASE/query, Oxigraph's)")
    p.add_argument("--graph-param", default="graph", metavar="NAME",
                   help="name of the GSP parameter naming the graph (default graph, as the protocol says)")
    p.add_argument("--content-type", choices=tuple(CONTENT_TYPES), default="ntriples",
                   help="send each graph as application/n-triples (default) or as text/turtle (the same "
                   "N-Triples text, which is valid Turtle, for stores that only take Turtle)")
    p.add_argument("--user", help="user name for HTTP Basic authentication (password from $KG_PUSH_PASSWORD)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per HTTP request (default 120)")
    p.add_argument("--no-check", action="store_true",
                   help="do not count the pushed triples through the query endpoint afterwards")
    p.set_defaults(func=cmd_push)
