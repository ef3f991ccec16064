"""`kg build`: read documents, extract, build the dataset, validate, write atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, XSD

from kg import atomic
from kg.cache import RecordCache
from kg.graph import ONTOLOGY_DIR, GraphBuilder, escape_controls, ontology_graph, serialize_turtle
from kg.namespaces import NAMESPACES, VND, bind_all
from kg.reader import NoDocumentError, Source, SourceError, collect, read_source
from kg.records import Record
from kg.store import StoreError

DEFAULT_OUT = Path("data/build")
TRIG, TURTLE, REPORT, MANIFEST = "graph.trig", "graph.ttl", "shacl-report.ttl", "build.json"
STORE, STORE_STAMP = "store", "store.json"  # the persistent Oxigraph store of graph.trig, and what it was loaded from


@dataclass
class BuildResult:
    """What a build read, skipped and wrote."""

    out_dir: Path
    built: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    violations: int = 0
    extracted: int = 0  # files extracted by this build
    cached: int = 0  # files whose extraction came from the cache
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def extract_file(path: Path) -> tuple[Record, str]:
    """Read and extract one file.

    Raises:
        SourceError: unreadable, or no recognisable document in it.
    """
    return extract_source(read_source(path))


def extract_source(src: Source) -> tuple[Record, str]:
    """Extract a file already read.

    Raises:
        NoDocumentError: no recognisable document in it.
    """
    from kg.extract import extract_text

    record = extract_text(src.text, src.name)
    record.sha256 = src.sha256
    if not record.documents:
        raise NoDocumentError("no recognisable document (no number, type heading or described document found)",
                              record)
    return record, src.text


def validate(data: Graph, inference: str = "rdfs") -> tuple[int, Graph]:
    """pySHACL with ontology/shapes.ttl; returns (number of violations, report graph).

    `inference` is pySHACL's: "rdfs" (the RDFS closure of data and ontology first) or "none".
    """
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    _, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference=inference,
                                  advanced=True, allow_warnings=True)
    from kg.namespaces import SH
    count = sum(1 for _ in report.subjects(RDF.type, SH.ValidationResult))
    return count, report


def stable_report(report: Graph) -> Graph:
    """The report with blank nodes named from their content (rdflib.compare's canonical labels).

    pySHACL names each result with a random blank node, and Turtle writes blank nodes in the order of their
    names: without this, two builds finding the same violations would write them in different orders.
    """
    from rdflib.compare import to_canonical_graph

    stable = bind_all(Graph())
    for t in to_canonical_graph(report):
        stable.add(t)
    return stable


def merged(ds: Dataset) -> Graph:
    g = bind_all(Graph())
    for ctx in ds.graphs():
        for t in ctx:
            g.add(t)
    return g


def count(g: Graph) -> dict[str, int]:
    def n(cls) -> int:
        return len(set(g.subjects(RDF.type, cls)))
    docs = set()
    for cls in (VND.AdministrativeDocument, VND.NormativeDocument, VND.PartyDocument):
        docs |= set(g.subjects(RDF.type, cls))
    return {"documents": len(docs), "schemes": n(VND.Scheme) + n(VND.Programme), "citations": n(VND.Citation),
            "agencies": n(VND.Agency), "duties": n(VND.Duty), "targets": n(VND.Target), "triples": len(g)}


def build(paths: list[Path], out_dir: Path = DEFAULT_OUT, progress: bool = False,
          shacl: bool = True, log=None, workers: int | None = None, cache: bool = True,
          cache_dir: Path | None = None, shacl_inference: str = "none") -> BuildResult:
    """Build the graph of every document under `paths` into `out_dir`.

    Files that cannot be read are skipped with a reason; so is a second file
    holding the same text as one already read.  Texts are extracted in
    `workers` processes (default: one per core; 1: in this process), and each
    outcome is kept in the extraction cache (`kg.cache`, by hash of extractor
    version, file name and text) unless `cache` is false, so an unchanged file
    is not extracted again.  SHACL validation and the merged Turtle run in
    forked processes while the TriG is written.  The output does not depend on
    `workers` or on the cache.

    SHACL validation runs without the RDFS closure by default
    (`shacl_inference="none"`: the same violations on the real corpus and on
    30 of the 31 cases of tests/shapes/, in a third of the time; see the
    README); "rdfs" runs pySHACL's RDFS inference first.

    The whole build is written to a temporary folder beside `out_dir`, its
    graphs are parsed back, and it then replaces `out_dir` in one step.  When
    nothing can be built, or the graphs do not parse back, `out_dir` is left
    as it was.

    Raises:
        BuildError: `out_dir` is not a build folder, or the written graphs do not parse back.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr))
    result = BuildResult(Path(out_dir))
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[stage] = round(now - clock, 3)
        clock = now

    target = build_dir(Path(out_dir))
    files, missing = collect(paths)
    for p, reason in missing:
        result.skipped.append((str(p), reason))
    # 1. read every file (in order), dropping unreadable ones, second names and repeated texts
    sources: list[Source] = []
    names: set[str] = set()
    same_text: dict[str, Path] = {}  # sha256 of the NFC text -> the first file holding it
    for path in files:
        try:
            src = read_source(path)
            if src.name in names:
                raise SourceError(f"another file named {src.name} was already read")
            key = hashlib.sha256(src.text.encode("utf-8", "surrogatepass")).hexdigest()
            if key in same_text:
                raise SourceError(f"same text as {same_text[key]}")
        except SourceError as exc:
            result.skipped.append((str(path), str(exc)))
            continue
        same_text[key] = path
        names.add(src.name)
        sources.append(src)
    lap("read")
    # 2. extract: cached outcomes first, the rest in parallel processes
    outcomes = extract_all(sources, workers=workers, cache=RecordCache(cache_dir) if cache else None,
                           progress=progress, result=result)
    records: list[Record] = []
    texts: dict[str, str] = {}
    for src, (kind, value) in zip(sources, outcomes):
        if kind == "nodoc":
            result.skipped.append((str(src.path), value))
            continue
        value.sha256 = src.sha256
        records.append(value)
        texts[value.source] = src.text
        result.built.append(str(src.path))
    # skips in the order of the files (as a serial build reports them)
    order = {str(p): i for i, p in enumerate(files)}
    result.skipped.sort(key=lambda s: order.get(s[0], -1))
    lap("extract")
    for p, reason in result.skipped:
        log(f"kg: skipped {p}: {reason}")
    if not result.built:
        if os.path.lexists(target):
            log(f"kg: {out_dir}/ left as it was")
        return result
    ds = GraphBuilder(records, texts).dataset()
    g = merged(ds)
    result.counts = count(g)
    lap("graph")
    # SHACL and the merged Turtle run in forked processes while this one writes the TriG (same bytes as in
    # this process: the children work on copies of the same graph)
    with Background(g, workers) as background:
        report = background.submit(_shacl_job, shacl_inference) if shacl else None
        turtle = background.submit(_turtle_job)
        write_outputs(target, ds, g, records, texts, report, result, turtle=turtle)
    lap("write")
    return result


def _die_with_parent() -> None:
    """In a worker process (Linux): be killed when the build is, so that a killed build leaves no worker behind."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _fork_context():
    """The "fork" start method where it is safe and cheap (Linux), else None."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


_SHARED: dict[str, Graph] = {}  # the merged graph, inherited by the forked background processes


def _shacl_job(inference: str) -> tuple[int, str, int, set[str], float]:
    """Validate the merged graph: (violations, report Turtle, report triples, report texts, seconds)."""
    started = time.perf_counter()
    n, report = validate(_SHARED["graph"], inference=inference)
    report = stable_report(report)
    return n, serialize_turtle(report), len(report), _texts(report), time.perf_counter() - started


def _turtle_job() -> str:
    return turtle_text(_SHARED["graph"])


class _Now:
    """A job run when its result is asked for, in this process."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def result(self):
        return self.fn(*self.args)


class Background:
    """Jobs on the merged graph: in forked processes (Linux, workers > 1), else run in this process when needed."""

    def __init__(self, graph: Graph, workers: int | None):
        workers = workers if workers is not None else (os.cpu_count() or 1)
        self.context = _fork_context() if workers > 1 else None
        self.graph, self.pool = graph, None

    def __enter__(self) -> "Background":
        _SHARED["graph"] = self.graph
        if self.context is not None:
            self.pool = ProcessPoolExecutor(max_workers=2, mp_context=self.context, initializer=_die_with_parent)
        return self

    def submit(self, fn, *args):
        if self.pool is None:
            return _Now(fn, args)
        return self.pool.submit(fn, *args)

    def __exit__(self, *exc) -> None:
        _SHARED.clear()
        if self.pool is not None:
            if exc[0] is not None:  # a failed build does not wait for validation
                for proc in list(getattr(self.pool, "_processes", {}).values()):
                    proc.kill()
            self.pool.shutdown(wait=True, cancel_futures=True)


def _extract_job(job: tuple[str, str]) -> tuple[str, object]:
    """Extract one text (in a worker process): ("record", Record) or ("nodoc", reason)."""
    text, name = job
    try:
        record, _ = extract_source(Source(Path(name), name, text, ""))
    except NoDocumentError as exc:
        return "nodoc", str(exc)
    return "record", record


def extract_all(sources: list[Source], workers: int | None = None, cache: RecordCache | None = None,
                progress: bool = False, result: BuildResult | None = None) -> list[tuple[str, object]]:
    """The extraction outcome of every source, in order: ("record", Record) or ("nodoc", reason).

    Outcomes found in `cache` are taken from it; the others are extracted in
    `workers` processes (default os.cpu_count(); 1 or a single text: in this
    process) and stored in it.
    """
    outcomes: list[tuple[str, object] | None] = [None] * len(sources)
    keys: list[str | None] = [None] * len(sources)
    todo: list[int] = []
    for i, src in enumerate(sources):
        if cache is not None:
            keys[i] = cache.key(src.name, src.text)
            hit = cache.get(keys[i])
            if hit is not None:
                outcomes[i] = hit
                continue
        todo.append(i)
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    bar = None
    if progress and len(todo) >= 20:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), desc="extracting", unit="file", file=sys.stderr)
    def store(i: int, outcome: tuple[str, object]) -> None:
        outcomes[i] = outcome
        if cache is not None:
            cache.put(keys[i], outcome)
        if bar is not None:
            bar.update()

    try:
        if workers == 1 or len(todo) < 2:
            for i in todo:
                store(i, _extract_job((sources[i].text, sources[i].name)))
        else:
            with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=_fork_context(),
                                     initializer=_die_with_parent) as pool:
                # long texts first, so that no worker is left alone with a long one at the end
                order = sorted(todo, key=lambda i: -len(sources[i].text))
                futures = {pool.submit(_extract_job, (sources[i].text, sources[i].name)): i for i in order}
                try:
                    for fut in as_completed(futures):
                        store(futures[fut], fut.result())
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
    finally:
        if bar is not None:
            bar.close()
    if result is not None:
        result.extracted = len(todo)
        result.cached = len(sources) - len(todo)
    return outcomes  # type: ignore[return-value]


class BuildError(StoreError):
    """The build cannot be written: `kg` prints the message on one line and exits with status 1.

    A StoreError, so that the command line reports it as it reports an unreadable graph.
    """


BUILD_ENTRIES = {TRIG, TURTLE, REPORT, MANIFEST, STORE, STORE_STAMP, "records", "sources"}


def build_dir(out_dir: Path) -> Path:
    """The folder a build replaces (a symbolic link's target), after checking that it may be replaced.

    Raises:
        BuildError: it is a file, the current folder, or a folder holding things a build does not write.
    """
    target = out_dir.resolve()
    if target == Path.cwd().resolve() or target in Path.cwd().resolve().parents or target.parent == target:
        raise BuildError(f"{out_dir}: the output folder cannot be the current folder or one above it")
    atomic.recover_dir(target)
    if target.is_dir():
        try:
            foreign = sorted(e.name for e in target.iterdir()
                             if e.name not in BUILD_ENTRIES and not e.name.startswith("."))
        except OSError as exc:
            raise BuildError(f"{out_dir}: cannot read the output folder ({exc.strerror or exc})") from None
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise BuildError(f"{out_dir}/ is not a build folder (it holds {shown}); a build replaces the whole "
                             f"folder, so choose another --out")
    elif os.path.lexists(target):
        raise BuildError(f"{out_dir}: not a folder")
    return target


# Oxigraph writes "id:agency\/x" for an IRI under a prefix whose rest holds a "/": such IRIs are written whole
_OX_PREFIXES = {p: str(ns) for p, ns in NAMESPACES.items() if p not in ("id", "vocab")}


def _body(triples: list, shared) -> tuple[str, dict[str, str]]:
    """Turtle statements of `triples` (already in order) without @prefix lines, and the prefixes they use
    beyond NAMESPACES.

    Triples without blank nodes are written by Oxigraph (fast: the bulk of a build); those with a blank node
    (the ontology's lists) by rdflib, which writes them inline as ``( ... )`` and ``[ ... ]``, so that no
    blank node label (random in rdflib) reaches the file and the bytes are the same on every build.
    """
    import pyoxigraph as ox
    from rdflib import BNode

    from kg.store import to_oxigraph

    plain = [t for t in triples if not (isinstance(t[0], BNode) or isinstance(t[2], BNode))]
    blank = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    declared: dict[str, str] = {}
    parts = []
    if plain:
        text = ox.serialize([ox.Triple(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c)) for a, b, c in plain],
                            format=ox.RdfFormat.TURTLE, prefixes=_OX_PREFIXES)
        parts.append(escape_controls(text.decode("utf-8")))
    if blank:
        g = Graph()
        g.namespace_manager = shared
        for t in blank:
            g.add(t)
        parts.append(serialize_turtle(g))
    bodies = []
    for text in parts:
        # the prefixes come first: leave them out (a TriG file declares them once, at its top); split on LF
        # only (str.splitlines() also breaks at FF, NEL, U+2028 ...), and look only at the leading lines
        lines = text.split("\n")
        start = 0
        while start < len(lines) and (lines[start].startswith("@prefix") or not lines[start].strip()):
            if lines[start].startswith("@prefix"):
                name, iri_ = lines[start][len("@prefix "):].split(": ", 1)
                declared[name] = iri_.strip().rstrip(".").strip().strip("<>")
            start += 1
        bodies.append("\n".join(lines[start:]).strip("\n"))
    return "\n".join(b for b in bodies if b), declared


def _prologue(declared: dict[str, str]) -> str:
    extra = sorted(set(declared) - set(NAMESPACES))
    every = {**{p: str(ns) for p, ns in NAMESPACES.items()}, **{p: declared[p] for p in extra}}
    return "".join(f"@prefix {p}: <{every[p]}> .\n" for p in [*sorted(NAMESPACES), *extra])


def trig_text(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order and each graph's triples sorted (the same bytes every build)."""
    shared = bind_all(Graph()).namespace_manager  # a prefix rdflib makes up means the same in every block
    declared: dict[str, str] = {}
    blocks = []
    for ctx in sorted((c for c in ds.graphs() if len(c)), key=lambda c: str(c.identifier)):
        body, used = _body(sorted(ctx), shared)
        for p, ns in used.items():
            declared.setdefault(p, ns)
        # not indented: a line inside a multi-line literal must stay as it is
        blocks.append(f"<{ctx.identifier}> {{\n{body}\n}}\n")
    return _prologue(declared) + "\n" + "\n".join(blocks)


def turtle_text(g: Graph) -> str:
    """Turtle of a graph, its triples sorted (the same bytes every build)."""
    body, declared = _body(sorted(g), bind_all(Graph()).namespace_manager)
    return _prologue(declared) + "\n" + body + "\n"


def _texts(triples) -> set[str]:
    """The text literals (strings, language-tagged strings) of some triples.

    Typed literals are left out: rdflib writes xsd:decimal "1" as 1.0, the same value in another form.
    """
    return {str(o) for *_, o in triples
            if isinstance(o, Literal) and (o.datatype is None or o.datatype == XSD.string)}


def check_parses(path: Path, expected_triples: int, expected_texts: set[str]) -> None:
    """Parse a written graph back with Oxigraph: it must hold as many triples and the same text literals.

    Raises:
        BuildError: it does not parse, or it says something else than what was meant.
    """
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
    text_types = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
    n, texts = 0, set()
    try:
        for q in ox.parse(path=str(path), format=fmt):
            n += 1
            if isinstance(q.object, ox.Literal) and q.object.datatype.value in text_types:
                texts.add(q.object.value)
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the {path.name} just written does not parse ({first})") from None
    if n != expected_triples:
        raise BuildError(f"the {path.name} just written does not parse back whole "
                         f"({n} triples read, {expected_triples} written)")
    if texts != expected_texts:
        diff = sorted(expected_texts ^ texts)[0]
        raise BuildError(f"the {path.name} just written does not parse back to the same texts ({diff[:60]!r})")


def load_store(folder: Path, expected_quads: int) -> int:
    """Bulk-load folder/graph.trig into a persistent Oxigraph store, folder/store/, which queries and the web open
    read-only instead of parsing the TriG again (kg.store.LocalStore.from_build).

    folder/store.json records the size and modification time of the graph.trig it was loaded from: a store
    beside another graph.trig (a graph edited or copied by hand) is not used.

    Raises:
        BuildError: the store does not hold as many quads as were written.
    """
    import pyoxigraph as ox

    trig = folder / TRIG
    try:
        store = ox.Store(str(folder / STORE))
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        store.flush()
        n = len(store)
        del store
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the store could not be loaded from the {TRIG} just written ({first})") from None
    if n != expected_quads:
        raise BuildError(f"the store holds {n} quads, {expected_quads} were written")
    st = trig.stat()
    (folder / STORE_STAMP).write_text(json.dumps({"graph": TRIG, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                                                  "quads": n}) + "\n", encoding="utf-8")
    return n


def write_outputs(target: Path, ds: Dataset, g: Graph, records: list[Record], texts: dict[str, str],
                  report, result: BuildResult, turtle=None) -> None:
    """Write the build into a new folder beside `target`, check it, and switch it in for `target` in one step.

    `report` is None (no validation) or a job (a future) giving what `_shacl_job` gives; `turtle` a job giving
    the Turtle of `g` (default: serialised here).

    Raises:
        BuildError: a graph written does not parse back; `target` is then left as it was.
    """
    tmp = atomic.temp_dir(target)
    try:
        files: dict[str, str] = {}

        def put(name: str, text: str) -> None:
            data = text.encode("utf-8")
            path = tmp / name
            path.parent.mkdir(exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
            files[name] = hashlib.sha256(data).hexdigest()

        put(TRIG, trig_text(ds))
        for rec in records:
            put(f"records/{rec.source}.json",
                json.dumps(rec.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n")
            put(f"sources/{rec.source}", texts[rec.source])
        (tmp / "records").mkdir(exist_ok=True)
        (tmp / "sources").mkdir(exist_ok=True)
        quads = [q for ctx in ds.graphs() for q in ctx]
        check_parses(tmp / TRIG, len(quads), _texts(quads))
        store_quads = load_store(tmp, len(quads))
        del quads
        put(TURTLE, turtle.result() if turtle is not None else turtle_text(g))
        check_parses(tmp / TURTLE, len(g), _texts(g))
        if report is not None:
            started = time.perf_counter()
            result.violations, report_text, report_len, report_texts, seconds = report.result()
            result.timings["shacl"] = round(seconds, 3)
            result.timings["shacl_wait"] = round(time.perf_counter() - started, 3)
            put(REPORT, report_text)
            check_parses(tmp / REPORT, report_len, report_texts)
        files = dict(sorted(files.items()))
        manifest = {"sources": sorted(texts), "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
                    "counts": result.counts, "shacl_violations": result.violations,
                    # binary and not byte-reproducible, so not among "files": checked by opening it
                    "store": {"folder": STORE, "stamp": STORE_STAMP, "quads": store_quads},
                    "build_id": hashlib.sha256(json.dumps(files, sort_keys=True).encode("utf-8")).hexdigest(),
                    "files": files}
        put(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        atomic.fsync_tree(tmp)
        atomic.switch_dir(tmp, target)
    except BuildError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        kept = f"{target}/ left as it was" if os.path.lexists(target) else "nothing written"
        raise BuildError(f"{exc}; {kept}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
