"""`kg build`: read documents, extract, build the dataset, validate, write atomically."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg import atomic
from kg.cache import GraphCache, RecordCache
from kg.graph import (
    ONTOLOGY_DIR,
    Claims,
    GraphBuilder,
    direct_implementation,
    escape_controls,
    ontology_graph,
    serialize_turtle,
)
from kg.iri import STATISTICS_GRAPH
from kg.namespaces import ELI, NAMESPACES, VND, bind_all
from kg.reader import NoDocumentError, Source, SourceError, collect, read_source
from kg.records import Record
from kg.resolve import RecordHead
from kg.store import StoreError

DEFAULT_OUT = Path("data/build")
TRIG, TURTLE, REPORT, MANIFEST = "graph.trig", "graph.ttl", "shacl-report.ttl", "build.json"
STORE, STORE_STAMP = "store", "store.json"  # the persistent Oxigraph store of graph.trig, and what it was loaded from
# a rebuild whose graphs differ from the last build's by at most this many bytes of TriG updates a copy of
# the last build's store (those graphs replaced) instead of loading a new one: one changed plan of a national
# build (7.8 M triples) is then a few graphs of some MB, where loading the whole store takes 40 s
DELTA_MAX_BYTES = 256 * 1024 * 1024


class Laps:
    """lap(stage): the seconds since the last lap (or since made) into `timings[stage]`."""

    def __init__(self, timings: dict[str, float]):
        self.timings, self.clock = timings, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self.clock, 3)
        self.clock = now


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
    up_to_date: bool = False  # the output folder already held the build of these inputs: nothing was written
    graphs_replaced: int | None = None  # graphs replaced in a copy of the last build's store (None: a new store)
    graphs_made: int = 0  # named graphs made by this build
    graphs_kept: int = 0  # named graphs taken from the graph cache as an earlier build made them
    shacl_focus: int | None = None  # focus nodes validated again after a few graphs replaced (None: all)


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


_DOCUMENT_CLASSES = (str(VND.AdministrativeDocument), str(VND.NormativeDocument), str(VND.PartyDocument))
_COUNTED = {"schemes": (str(VND.Scheme), str(VND.Programme)), "citations": (str(VND.Citation),),
            "agencies": (str(VND.Agency),), "duties": (str(VND.Duty),), "targets": (str(VND.Target),)}
_TYPES_KEPT = frozenset(_DOCUMENT_CLASSES).union(*_COUNTED.values())
_ROLES = (VND.leadAgency, VND.partnerAgency)


def build(paths: list[Path], out_dir: Path = DEFAULT_OUT, progress: bool = False,
          shacl: bool = True, log=None, workers: int | None = None, cache: bool = True,
          cache_dir: Path | None = None, shacl_inference: str = "none",
          shacl_engine: str = "sparql") -> BuildResult:
    """Build the graph of every document under `paths` into `out_dir`.

    Files that cannot be read are skipped with a reason; so is a second file
    holding the same text as one already read.  Texts are extracted in
    `workers` processes (default: one per core; 1: in this process), and each
    outcome is kept in the extraction cache (`kg.cache`, by hash of extractor
    version, file name and text) unless `cache` is false, so an unchanged file
    is not extracted again.  The output does not depend on
    `workers` or on the cache.  The graphs are kept as lists of triples (no rdflib graph of the whole build),
    written by Oxigraph's serialisers and bulk-loaded into the store.

    SHACL validation compiles ontology/shapes.ttl into SPARQL queries run on
    the build's persistent store (`shacl_engine="sparql"`, kg.shacl_sparql:
    the results pySHACL gives without RDFS closure, in a tenth of its time);
    `shacl_engine="pyshacl"` runs pySHACL on the merged graph instead, with
    `shacl_inference` "none" (the same violations on the real corpus and on 30
    of the 31 cases of tests/shapes/) or "rdfs" (the RDFS closure first).

    The whole build is written to a temporary folder beside `out_dir`, its
    graphs are parsed back, and it then replaces `out_dir` in one step.  When
    nothing can be built, or the graphs do not parse back, `out_dir` is left
    as it was.

    Raises:
        BuildError: `out_dir` is not a build folder, or the written graphs do not parse back.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr))
    result = BuildResult(Path(out_dir))
    lap = Laps(result.timings)

    target = build_dir(Path(out_dir))
    files, missing = collect(paths)
    for p, reason in missing:
        result.skipped.append((str(p), reason))

    def nothing_to_do() -> BuildResult:
        lap("check_up_to_date")
        for skipped, reason in result.skipped:
            log(f"kg: skipped {skipped}: {reason}")
        log(f"kg: {out_dir}/ is up to date (same files, same code): nothing to do")
        return result

    stat_index = StatIndex(target, cache_dir) if cache else None
    # 0. when every file is as it was when the last build read it (kg.build.StatIndex), the build is up to date
    # without reading them again
    known = stat_index.known(files) if stat_index is not None else None
    if known is not None:
        unread = list(result.skipped)
        listed = _admitted(files, lambda p: known[p], unread)
        inputs = inputs_key(listed, unread, shacl, shacl_engine, shacl_inference)
        if up_to_date(target, inputs, result):
            return nothing_to_do()
    # 1. read every file (in order), dropping unreadable ones, second names and repeated texts
    if stat_index is not None:
        stat_index.start()
    sources: list[Source] = _admitted(files, stat_index.reuse if stat_index is not None else _read, result.skipped)
    lap("read")
    inputs = inputs_key([(s.name, s.path, s.sha256) for s in sources], result.skipped, shacl, shacl_engine,
                        shacl_inference)
    if cache and up_to_date(target, inputs, result):  # without the cache (--no-cache) everything is done again
        if stat_index is not None:
            stat_index.save()
        return nothing_to_do()
    # 2. extract: cached outcomes first, the rest in parallel processes
    outcomes = extract_all(sources, workers=workers, cache=RecordCache(cache_dir) if cache else None,
                           progress=progress, result=result)
    records: list[RecordHead] = []
    built: dict[str, Source] = {}
    for src, (kind, value) in zip(sources, outcomes):
        if kind == "nodoc":
            result.skipped.append((str(src.path), str(value)))
            continue
        record = cast(RecordHead, value)
        record.sha256 = src.sha256
        records.append(record)
        built[record.source] = src
        result.built.append(str(src.path))
    # skips in the order of the files (as a serial build reports them)
    order = {str(p): i for i, p in enumerate(files)}
    result.skipped.sort(key=lambda s: order.get(s[0], -1))
    lap("extract")
    for skipped, reason in result.skipped:
        log(f"kg: skipped {skipped}: {reason}")
    if not result.built:
        if os.path.lexists(target):
            log(f"kg: {out_dir}/ left as it was")
        return result
    # 3. the graphs, each written as it is made (no step holds the triples of the whole build)
    texts = SourceTexts(built)
    # the records and what identity resolution made of them live until the build ends, and hold no reference
    # cycle: they are kept out of the cyclic collector's walks, each of which went through all of them again
    # (2-4 s of a national rebuild after one changed file)
    gc.freeze()
    try:
        builder = GraphBuilder(records, texts)
        gc.freeze()
        write_outputs(target, builder, records, texts, result, shacl=shacl,
                      shacl_engine=shacl_engine, shacl_inference=shacl_inference, inputs=inputs, log=log,
                      graph_cache=GraphCache(cache_dir) if cache else None)
    finally:
        gc.unfreeze()
    if stat_index is not None:
        stat_index.save()
    lap("total_graph_and_write")
    return result


def _read(path: Path) -> tuple[str, str, Source]:
    """(file name, SHA-256 of its NFC text, the source) of a file read."""
    src = read_source(path)
    return src.name, text_sha256(src), src


def text_sha256(src: Source) -> str:
    """The SHA-256 of a source's text (UTF-8)."""
    if not src.text_sha256:
        src.text_sha256 = hashlib.sha256(src.text.encode("utf-8", "surrogatepass")).hexdigest()
    return src.text_sha256


class KnownSource(Source):
    """A file the stat index knows as the last build read it (StatIndex.reuse): its text is read only if
    something asks for it (extraction, evidence of a graph made again, a record not linked)."""

    def __init__(self, path: Path, name: str, sha256: str, text_key: str):
        self.path, self.name, self.sha256, self.text_sha256, self.encoding = path, name, sha256, text_key, ""
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                _, key, src = _read(self.path)
            except SourceError as exc:
                raise BuildError(f"{self.path}: could no longer be read during the build ({exc})") from None
            if key != self.text_sha256:
                raise BuildError(f"{self.path}: changed during the build; run it again")
            self._text, self.encoding = src.text, src.encoding
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value


class SourceTexts(Mapping):
    """The texts of the built sources by file name, each read when asked for (KnownSource)."""

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources

    def __getitem__(self, name: str) -> str:
        return self.sources[name].text

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def sha256(self, name: str) -> str:
        return text_sha256(self.sources[name])


def _admitted(files: list[Path], read, skipped: list[tuple[str, str]]) -> list:
    """What `read(path)` gives ((name, text key, value), or SourceError) for each file in order, but for the files
    it cannot read and those whose name or text (key) an earlier file already has: those into `skipped`."""
    out = []
    names: set[str] = set()
    same_text: dict[str, Path] = {}  # text key -> the first file holding it
    for path in files:
        try:
            name, key, value = read(path)
            if name in names:
                raise SourceError(f"another file named {name} was already read")
            if key in same_text:
                raise SourceError(f"same text as {same_text[key]}")
        except SourceError as exc:
            skipped.append((str(path), str(exc)))
            continue
        same_text[key] = path
        names.add(name)
        out.append(value)
    return out


class StatIndex:
    """What each file read by the last build of a folder was (its name, the SHA-256 of its bytes and of its NFC
    text) when its size, modification and change times and inode were what they are: an unchanged corpus is then
    known to be unchanged without reading it again (national cascade, 9,624 files: 10 s to read).

    Kept in the cache folder (kg.cache.default_dir(), or --cache-dir), one file per build folder.  As git does
    with its index, a file changed less than RACY_NS before it was read is not remembered: a second change within
    the clock's granularity could leave its times as they were.  Files that could not be read are not
    remembered either (their reason may change with the machine: antiword installed, a time limit), so a corpus
    with one is read again.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, target: Path, cache_dir: Path | None = None):
        from kg.cache import default_dir

        folder = Path(cache_dir) if cache_dir is not None else default_dir()
        name = hashlib.sha256(os.path.abspath(target).encode("utf-8", "surrogatepass")).hexdigest()
        self.path = folder / "stat" / f"{name}.json"
        self.entries: dict[str, list] = {}
        self.started = 0
        self._last: dict | None = None

    @staticmethod
    def _stat(path: Path) -> list[int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]

    def _remembered(self) -> dict:
        if self._last is None:
            try:
                last = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                last = {}
            self._last = last if isinstance(last, dict) else {}
        return self._last

    def _entry(self, path: Path) -> list | None:
        """The file as the last build read it, when it is as it was then."""
        entry = self._remembered().get(str(path))
        if not (isinstance(entry, list) and len(entry) == 8) or entry[:5] != self._stat(path):
            return None
        return entry

    def known(self, files: list[Path]) -> dict[Path, tuple[str, str, tuple[str, Path, str]]] | None:
        """For each file, what `_admitted` needs of it and inputs_key of the build, when every one is remembered as
        it is; else None."""
        out = {}
        for path in files:
            entry = self._entry(path)
            if entry is None:
                return None
            name, sha, key = entry[5:]
            out[path] = (name, key, (name, path, sha))
        return out

    def reuse(self, path: Path) -> tuple[str, str, Source]:
        """What `read` gives of a file, without reading it when it is as the last build read it (KnownSource)."""
        entry = self._entry(path)
        if entry is None:
            return self.read(path)
        name, sha, key = entry[5:]
        self.entries[str(path)] = entry
        return name, key, KnownSource(path, name, sha, key)

    def start(self) -> None:
        self.entries, self.started = {}, time.time_ns()

    def read(self, path: Path) -> tuple[str, str, Source]:
        """_read, remembering the file as it was before it was read (if it changes while read, the next build
        finds other times and reads it again)."""
        before = self._stat(path)
        name, key, src = _read(path)
        if before is not None and before[1] < self.started - self.RACY_NS and before[2] < self.started - self.RACY_NS:
            self.entries[str(path)] = [*before, name, src.sha256, key]
        return name, key, src

    def save(self) -> None:
        """Write what was read (a file that cannot be written is no error: the next build reads the files)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(self.path, json.dumps(self.entries, ensure_ascii=False) + "\n")
        except OSError:
            pass


def _record_key(version: str, rec: Record | RecordHead, text_sha: str) -> str:
    """What a record's file and its source's copy in a build depend on: the code (`version`, of
    kg.cache.extractor_version), the file's name, the SHA-256 of its bytes (the record states it) and that of
    the text read from them."""
    h = hashlib.sha256(version.encode("ascii"))
    h.update(b"\0" + rec.source.encode("utf-8", "surrogatepass") + b"\0" + str(rec.sha256).encode("ascii") + b"\0")
    h.update(text_sha.encode("ascii"))
    return h.hexdigest()


def _last_manifest(target: Path) -> dict:
    """The manifest (build.json) of the last build in `target`; empty when there is none or it does not parse."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _last_record_files(manifest: dict, keys: dict[str, str]) -> dict[str, dict[str, str]]:
    """For each source whose record key is the one the last build (its `manifest`) wrote its files under: the
    SHA-256 of those files (records/<source>.json and sources/<source>) as its manifest lists them."""
    last_keys, last_files = manifest.get("record_keys"), manifest.get("files")
    if not isinstance(last_keys, dict) or not isinstance(last_files, dict):
        return {}
    out = {}
    for source, key in keys.items():
        names = (f"records/{source}.json", f"sources/{source}")
        if last_keys.get(source) == key and all(isinstance(last_files.get(n), str) for n in names):
            out[source] = {n: last_files[n] for n in names}
    return out


def _link_all(target: Path, tmp: Path, want: dict[str, str]) -> bool:
    """Hard-link each file of `want` (name -> SHA-256) of the last build into the new one (a build never
    writes a file in place, so two builds can share one); False, with none of them linked, when one cannot be
    or does not hold what the last build's manifest says."""
    done = []
    here, there = f"{target}{os.sep}", f"{tmp}{os.sep}"  # (plain strings: pathlib's joins took most of the time)
    try:
        for name in want:
            os.link(here + name, there + name)
            done.append(there + name)
            with open(there + name, "rb") as fh:
                if hashlib.sha256(fh.read()).hexdigest() != want[name]:
                    raise OSError(f"{name} changed since the last build")  # edited in place: written anew
    except OSError:
        for path in done:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        return False
    return True


def inputs_key(sources: list[tuple[str, Path, str]], unread: list[tuple[str, str]], shacl: bool, engine: str,
               inference: str) -> str:
    """What a build's output depends on: the code and data of the package (kg.cache.extractor_version, and the
    tables of data/ the graph reads), each file read ((name, path, SHA-256 of its bytes)), the files that could
    not be read, and the validation options."""
    from kg.cache import build_version

    h = hashlib.sha256(build_version().encode())
    h.update(json.dumps({"sources": [(name, str(path), sha) for name, path, sha in sources], "unread": unread,
                         "shacl": [shacl, engine, inference]}, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def up_to_date(target: Path, inputs: str, result: BuildResult) -> bool:
    """Whether the build in `target` was made from `inputs` and is whole (its files and its store there); if so,
    `result` says what it built."""
    from kg.store import persistent_store

    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or manifest.get("inputs") != inputs or "built" not in manifest:
        return False
    if persistent_store(target) is None or not all((target / f).is_file() for f in manifest.get("files", {})):
        return False
    result.built = list(manifest["built"])
    result.skipped = [(s["path"], s["reason"]) for s in manifest.get("skipped", [])]
    result.counts = dict(manifest.get("counts", {}))
    result.violations = int(manifest.get("shacl_violations", 0))
    result.up_to_date = True
    return True


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


def _extract_job(job: tuple[str, str]) -> tuple[str, object]:
    """Extract one text (in a worker process, or in this one with one worker): ("record", Record) or
    ("nodoc", reason), within the CPU time limit of kg.limits (KG_TIME_LIMIT): a text whose extraction runs
    over it is skipped with that reason."""
    from kg.limits import extract_job

    return extract_job(job)


def extract_all(sources: list[Source], workers: int | None = None, cache: RecordCache | None = None,
                progress: bool = False, result: BuildResult | None = None) -> list[tuple[str, object]]:
    """The extraction outcome of every source, in order: ("record", its RecordHead) or ("nodoc", reason).

    Outcomes found in `cache` are taken from it; the others are extracted in
    `workers` processes (default os.cpu_count(); 1 or a single text: in this
    process) and stored in it.  A record stored in the cache is held as its head alone, which reads it from
    there when asked (RecordHead.full); without a cache, or when it cannot be written, the head holds it.
    """
    outcomes: list[tuple[str, object] | None] = [None] * len(sources)
    keys: list[str | None] = [None] * len(sources)
    todo: list[int] = []
    for i, src in enumerate(sources):
        if cache is not None:
            keys[i] = key = cache.key_of(src.name, text_sha256(src))
            hit = cache.head(key)
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
        kind, value = outcome
        key = keys[i]
        if kind != "record":
            outcomes[i] = outcome
            if cache is not None and key is not None:  # keys are made whenever there is a cache
                cache.put(key, outcome)
        else:
            record = cast(Record, value)
            head = RecordHead.of(record, keep=False)
            if cache is not None and key is not None and cache.put(key, ("record", head), record):
                outcomes[i] = ("record", head.loader(functools.partial(cache.record, key)))
            else:  # the head holds its record (its documents are then the record's own)
                outcomes[i] = ("record", RecordHead(record.source, record.sha256, record.documents, head.places,
                                                    full=record))
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


BUILD_ENTRIES = {TRIG, TURTLE, REPORT, MANIFEST, STORE, STORE_STAMP, "lookup.json", "records", "sources"}


def build_dir(out_dir: Path) -> Path:
    """The folder a build replaces (a symbolic link's target), after checking that it may be replaced.

    Raises:
        BuildError: it is a file, the current folder, or a folder holding things a build does not write.
    """
    try:
        cwd = Path.cwd().resolve()
    except FileNotFoundError:  # the shell's folder was deleted under it
        raise BuildError("the current folder no longer exists: change to another folder and build again") from None
    target = out_dir.resolve()
    if target == cwd or target in cwd.parents or target.parent == target:
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

    plain = [ox.Triple(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c)) for a, b, c in triples
             if not (isinstance(a, BNode) or isinstance(c, BNode))]
    blank = sorted(t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode))
    # in the order of their N-Triples forms (compared as Python strings: fast, and the same on every build)
    plain.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    declared: dict[str, str] = {}
    parts = []
    if plain:
        data = ox.serialize(plain, format=ox.RdfFormat.TURTLE, prefixes=_OX_PREFIXES)
        assert data is not None  # without an output file, serialize returns the bytes
        parts.append(escape_controls(data.decode("utf-8")))
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


def _trig_graph(name, body: bytes) -> bytes:
    """A named graph's statements (_body, UTF-8) as graph.trig holds them; not indented: a line inside a
    multi-line literal must stay as it is."""
    return b"<" + str(name).encode("utf-8") + b"> {\n" + body + b"\n}\n"


def _prologue(declared: dict[str, str]) -> str:
    extra = sorted(set(declared) - set(NAMESPACES))
    every = {**{p: str(ns) for p, ns in NAMESPACES.items()}, **{p: declared[p] for p in extra}}
    return "".join(f"@prefix {p}: <{every[p]}> .\n" for p in [*sorted(NAMESPACES), *extra])


@dataclass
class Made:
    """A named graph as the build writes it: its Turtle statements (_body, as UTF-8: a kept graph is written
    without being decoded and encoded again) and the prefixes they use beyond
    NAMESPACES, its triples and text digest (text_digest), the SHA-256 of its TriG (_trig_graph), and what the
    build's counts and statistics read of it (as strings): its documents, schemes, citations, agencies, duties
    and targets (class, subject), the agencies of its duties (role, agency, duty), its skos:prefLabel's
    (subject, label) and its implementation links (document, what it implements)."""

    body: bytes
    declared: dict[str, str]
    triples: int
    texts: int
    digest: str
    typed: list[tuple[str, str]]
    duties: list[tuple[str, str, str]]
    labels: list[tuple[str, str]]
    parents: list[tuple[str, str]]


def make_graph(name, triples: list, shared) -> Made:
    """A graph's triples (each once) as the build writes them; `shared`: the namespace manager whose prefixes
    rdflib's serialiser uses (GraphWriter.shared)."""
    text, declared = _body(triples, shared) if triples else ("", {})
    body = text.encode("utf-8")
    typed, duties, labels, parents = [], [], [], []
    for s, p, o in triples:
        if p == RDF.type:
            if str(o) in _TYPES_KEPT:  # (an rdflib term is not equal to its string)
                typed.append((str(o), str(s)))
        elif p in _ROLES:
            duties.append((str(p), str(o), str(s)))
        elif p == SKOS.prefLabel:
            labels.append((str(s), str(o)))
        elif p == ELI.ensures_implementation_of:
            parents.append((str(s), str(o)))
    digest = hashlib.sha256(_trig_graph(name, body)).hexdigest()
    return Made(body, declared, len(triples), text_digest(triples), digest, typed, duties, labels, parents)


class GraphWriter:
    """Writes named graphs one at a time into graph.trig and their union into graph.ttl, counting as it goes.

    Each graph's triples are sorted and written at once (Oxigraph's serialiser; see _body), so only one
    graph is held at a time; the Turtle of the union is the same statements, graph after graph.  The prefixes
    are declared at the top of both files when they are finished.
    """

    def __init__(self, folder: Path, last: dict[str, str] | None = None):
        self.folder = folder
        # the last build's graphs (IRI -> SHA-256 of its TriG statements), when its store may be updated instead of
        # loading a new one: the graphs written otherwise are then kept (see delta)
        self._last = last
        self.digests: dict[str, str] = {}  # graph IRI -> SHA-256 of its TriG statements, as written
        self.changed: dict[str, tuple[bytes, int, int]] = {}  # IRI -> (Turtle statements, triples, text digest)
        self._changed_bytes = 0
        self.prologue = ""  # the @prefix lines of both files, once finished
        self.shared = bind_all(Graph()).namespace_manager  # a prefix rdflib makes up means the same everywhere
        self.declared: dict[str, str] = {}
        # both files are written with the prologue of NAMESPACES at their top, as finished builds have it: when a
        # graph needs another prefix (rdflib's, for a blank node's namespace), `finish` writes them again
        self._guess = (_prologue({}) + "\n").encode("utf-8")
        self.trig_body = open(folder / TRIG, "wb")
        self.ttl_body = open(folder / TURTLE, "wb")
        self._hashes = {TRIG: hashlib.sha256(), TURTLE: hashlib.sha256()}
        for out in (self.trig_body, self.ttl_body):
            out.write(self._guess)
            self._hashes[Path(out.name).name].update(self._guess)
        self.spans: dict[str, tuple[int, int]] = {}  # graph IRI -> (offset, bytes) of its TriG after the prologue
        self.triples, self.texts, self.graphs = 0, 0, 0
        self.typed: dict = {}
        self.duties: dict = {str(VND.leadAgency): {}, str(VND.partnerAgency): {}}  # role -> agency -> its duties
        self.labels: dict = {}  # subject -> its skos:prefLabel (the ranking's last key)
        self.parents: dict = {}  # document -> what it implements (eli:ensures_implementation_of, any graph)

    def add(self, name: URIRef, triples: list) -> None:
        self.put(name, make_graph(name, triples, self.shared))

    def put(self, name: URIRef, made: Made) -> None:
        """Write a graph made by make_graph (in this build or kept from an earlier one)."""
        if not made.triples:
            return
        for p, ns in made.declared.items():
            self.declared.setdefault(p, ns)
        chunk = _trig_graph(name, made.body)
        data = (b"\n" if self.graphs else b"") + chunk
        self.spans[str(name)] = (self.trig_body.tell() - len(self._guess), len(data))
        self.trig_body.write(data)
        self._hashes[TRIG].update(data)
        data = made.body + b"\n"
        self.ttl_body.write(data)
        self._hashes[TURTLE].update(data)
        self.graphs += 1
        self.triples += made.triples
        self.texts = (self.texts + made.texts) % (1 << 64)
        self.digests[str(name)] = made.digest
        if self._last is not None and self._last.get(str(name)) != made.digest:
            self._changed_bytes += len(chunk)
            if self._changed_bytes > DELTA_MAX_BYTES:  # a new store is loaded faster than so much is replaced
                self._last, self.changed = None, {}
            else:
                self.changed[str(name)] = (made.body, made.triples, made.texts)
        for c, s in made.typed:
            self.typed.setdefault(c, set()).add(s)
        for role, agency, duty in made.duties:
            self.duties[role].setdefault(agency, set()).add(duty)
        for s, label in made.labels:
            self.labels.setdefault(s, label)
        for s, o in made.parents:
            self.parents.setdefault(s, set()).add(o)

    def ranking(self) -> list[tuple[int, int, int, str]]:
        """(duties, led, only partner, agency IRI) of every agency with a duty, in the order of its rank: most
        duties first, then most led, then by name (as queries/agencies-by-duties.rq orders)."""
        lead, partner = self.duties[str(VND.leadAgency)], self.duties[str(VND.partnerAgency)]
        figures = []
        for agency in set(lead) | set(partner):
            led, joined = lead.get(agency, set()), partner.get(agency, set())
            figures.append((len(led | joined), len(led), len(joined - led), agency))
        figures.sort(key=lambda f: (-f[0], -f[1], self.labels.get(f[3], ""), f[3]))
        return figures

    def links(self) -> list[tuple[str, str]]:
        """(child, parent) of each link of every graph written so far whose child implements nothing that
        implements its parent (kg.graph.direct_implementation), sorted."""
        return sorted(direct_implementation(self.parents))

    def statistics(self, ranking: list | None = None, links: list | None = None) -> list:
        """The triples of the statistics graph: the duties each agency leads, only partners, and in all
        (vnd:leadDutyCount, vnd:partnerDutyCount, vnd:dutyCount) and its rank by them (vnd:dutyRank), counted once
        here so that ranking agencies reads three numbers per agency instead of joining every duty of the graph;
        and vnd:implementsDirectly for each of `links`, the condition document-children.rq and the cascade
        networks stated as an OPTIONAL over every link below a document (200-480 ms under a national decision),
        one index look-up so.  `ranking` and `links`: those of this writer unless given."""
        out: list[tuple] = []
        for rank, (total, led, joined, name) in enumerate(self.ranking() if ranking is None else ranking, 1):
            agency = URIRef(name)
            out += [(agency, VND.leadDutyCount, Literal(led)), (agency, VND.partnerDutyCount, Literal(joined)),
                    (agency, VND.dutyCount, Literal(total)), (agency, VND.dutyRank, Literal(rank))]
        out += [(URIRef(c), VND.implementsDirectly, URIRef(p)) for c, p in (self.links() if links is None else links)]
        return out

    def put_statistics(self, cache: GraphCache | None = None) -> None:
        """Write the statistics graph; with a `cache`, the one an earlier build made of the same figures."""
        ranking, links = self.ranking(), self.links()
        made, key = None, None
        if cache is not None:
            key = cache.key(str(STATISTICS_GRAPH), repr((ranking, links)).encode("utf-8", "surrogatepass"))
            kept = cache.get(key)
            made = kept[3] if kept is not None else None
        if made is None:
            made = make_graph(STATISTICS_GRAPH, self.statistics(ranking, links), self.shared)
            if cache is not None and key is not None:
                cache.put(key, b"", b"", None, made)
        self.put(STATISTICS_GRAPH, made)

    def counts(self) -> dict[str, int]:
        """Documents, schemes, citations, agencies, duties, targets (typed subjects) and triples written."""
        docs = set().union(*(self.typed.get(c, set()) for c in _DOCUMENT_CLASSES))
        out = {"documents": len(docs)}
        for name, classes in _COUNTED.items():
            out[name] = sum(len(self.typed.get(c, ())) for c in classes)
        out["triples"] = self.triples
        return out

    def finish(self) -> dict[str, str]:
        """Finish graph.trig and graph.ttl (prefixes, then the statements); their SHA-256 by file name."""
        self.prologue = _prologue(self.declared) + "\n"
        prologue = self.prologue.encode("utf-8")
        hashes = {}
        for body, name in ((self.trig_body, TRIG), (self.ttl_body, TURTLE)):
            body.close()
            if prologue == self._guess:
                hashes[name] = self._hashes[name].hexdigest()
                continue
            h = hashlib.sha256(prologue)  # other prefixes: the statements under the prologue they need
            path = self.folder / name
            with open(path.with_name(".new-" + name), "wb") as out, open(path, "rb") as src:
                out.write(prologue)
                src.seek(len(self._guess))
                while chunk := src.read(1 << 20):
                    h.update(chunk)
                    out.write(chunk)
            os.replace(path.with_name(".new-" + name), path)
            hashes[name] = h.hexdigest()
        return hashes

    def close(self) -> None:
        for body in (self.trig_body, self.ttl_body):
            body.close()

    def delta(self) -> tuple[dict[str, tuple[bytes, int, int]], list[str]] | None:
        """(the graphs not written as the last build wrote them: IRI -> (Turtle statements, triples, text digest);
        the last build's graphs no longer written), when the last build's store can be brought to this one by
        replacing those graphs; None when it cannot (no last build given, or more changed than DELTA_MAX_BYTES)."""
        if self._last is None:
            return None
        return self.changed, sorted(set(self._last) - set(self.digests))


def trig_text(graphs) -> str:
    """The TriG a build writes for some graphs: (graph IRI, triples) pairs, or an rdflib Dataset."""
    import tempfile

    if isinstance(graphs, Dataset):
        graphs = [(ctx.identifier, list(ctx)) for ctx in graphs.graphs()]
    with tempfile.TemporaryDirectory() as tmp:
        writer = GraphWriter(Path(tmp))
        for name, triples in graphs:
            writer.add(name, list(triples))
        writer.finish()
        return (Path(tmp) / TRIG).read_text(encoding="utf-8")


_TEXT_TYPES = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _digest_text(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def text_digest(triples) -> int:
    """A digest of the text literals (strings, language-tagged strings) of some rdflib triples, one per triple
    and in no order (a sum modulo 2**64): what a written graph must parse back to.

    Typed literals are left out: a serialiser may write xsd:decimal "1" as 1.0, the same value in another form.
    """
    total = 0
    for *_, o in triples:
        if isinstance(o, Literal) and (o.datatype is None or o.datatype == XSD.string):
            total += _digest_text(str(o))
    return total % (1 << 64)


def check_parses(path: Path, expected_triples: int, expected_texts: int, data: bytes | None = None) -> None:
    """Parse a written graph back with Oxigraph: it must hold as many triples and the same text literals
    (`expected_texts`: their text_digest).  With `data`, those bytes are parsed (a part of the file at `path`, in
    its format).

    Raises:
        BuildError: it does not parse, or it says something else than what was meant.
    """
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
    n, texts = 0, 0
    try:
        for q in ox.parse(data, format=fmt) if data is not None else ox.parse(path=str(path), format=fmt):
            n += 1
            if isinstance(q.object, ox.Literal) and q.object.datatype.value in _TEXT_TYPES:
                texts += _digest_text(q.object.value)
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the {path.name} just written does not parse ({first})") from None
    if n != expected_triples:
        raise BuildError(f"the {path.name} just written does not parse back whole "
                         f"({n} triples read, {expected_triples} written)")
    if texts % (1 << 64) != expected_texts:
        raise BuildError(f"the {path.name} just written does not parse back to the same texts")


def load_store(folder: Path, expected_quads: int):
    """Bulk-load folder/graph.trig into a persistent Oxigraph store, folder/store/, which queries and the web open
    read-only instead of parsing the TriG again (kg.store.LocalStore.from_build); returns the open store.

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
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the store could not be loaded from the {TRIG} just written ({first})") from None
    if n != expected_quads:
        raise BuildError(f"the store holds {n} quads, {expected_quads} were written")
    _stamp_store(folder, n)
    return store


def last_graphs(target: Path, manifest: dict, version: str) -> tuple[dict[str, str], str] | None:
    """The digests of the graphs of the last build in `target` (graph IRI -> SHA-256 of its TriG statements) and of
    its files' @prefix lines, as its `manifest` lists them, when the same code made it and its store is the one
    loaded from its graph.trig; else None."""
    from kg.store import _stamped_quads, persistent_store

    graphs = manifest.get("graphs")
    if not isinstance(graphs, dict) or graphs.get("version") != version or persistent_store(target) is None:
        return None
    digests, prologue, store = graphs.get("digests"), graphs.get("prologue"), manifest.get("store")
    if not isinstance(digests, dict) or not isinstance(prologue, str) or not isinstance(store, dict) \
            or store.get("quads") != _stamped_quads(target):
        return None
    return {str(k): str(v) for k, v in digests.items()}, prologue


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_changed(folder: Path, prologue: str, changed: dict[str, tuple[bytes, int, int]]) -> None:
    """check_parses of the graphs a rebuild wrote otherwise than the last build (GraphWriter.delta), each alone in
    both files' forms; the others are the bytes the last build wrote and checked.

    Raises:
        BuildError: one does not parse back to what was written.
    """
    for name, (body, triples, texts) in changed.items():
        check_parses(folder / TRIG, triples, texts, prologue.encode("utf-8") + _trig_graph(name, body))
        check_parses(folder / TURTLE, triples, texts, prologue.encode("utf-8") + body + b"\n")


def _last_store(folder: Path):
    """The last build's store in `folder`, opened read-only.

    Raises:
        BuildError: it cannot be opened.
    """
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(folder))
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the last build's store could not be read ({problem})") from None


def _search_subjects(store, graphs: list[str]) -> set[str]:
    """The IRIs that are subjects of a triple of `graphs` whose predicate is one the search index reads
    (kg.lookup.SEARCH_PREDICATES); `store` a pyoxigraph Store.

    Raises:
        BuildError: the store cannot be read.
    """
    import pyoxigraph as ox

    from kg.lookup import SEARCH_PREDICATES

    try:
        quads = _quads_of(store, graphs, [ox.NamedNode(p) for p in SEARCH_PREDICATES])
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the last build's store could not be read ({problem})") from None
    return {s.value for s, _, _ in quads if isinstance(s, ox.NamedNode)}


def _quads_of(store, graphs: list[str], predicates) -> set:
    """The (subject, predicate, object) of the quads of `graphs` with one of `predicates` (pyoxigraph terms)."""
    import pyoxigraph as ox

    out = set()
    for g in graphs:
        for p in predicates:
            for q in store.quads_for_pattern(None, p, None, ox.NamedNode(g)):
                out.add((q.subject, q.predicate, q.object))
    return out


def touched_focus(last, report: Path, store, changed: list[str], removed: list[str]) -> set[str] | None:
    """The focus nodes whose SHACL results may differ between the last build (its store `last`, opened, and its
    SHACL `report`) and `store`, its store with the graphs `changed` replaced and `removed` dropped; None when
    that cannot be told (the shapes are not local, the ontology changed, a blank node is touched, or the last
    store or report cannot be read): then every focus node may.

    The results of a focus node depend on its own triples of the predicates the shapes read and on the types
    of their other ends (kg.shacl_sparql.CompiledShapes.local): the nodes of the triples that differ, the
    nodes one such triple away from a node whose types differ, and the focus nodes of the last report (so that
    no result of the last build is kept unchecked).
    """
    import pyoxigraph as ox

    from kg.iri import ONTOLOGY_GRAPH
    from kg.shacl_sparql import _focus_values, compile_shapes

    compiled = compile_shapes()
    if not compiled.local() or str(ONTOLOGY_GRAPH) in changed or str(ONTOLOGY_GRAPH) in removed:
        return None
    predicates = [ox.NamedNode(str(p)) for p in sorted(compiled.predicates())]
    a = ox.NamedNode(str(RDF.type))
    try:
        before = _quads_of(last, [*changed, *removed], predicates)
        old_results = {q.object for q in ox.parse(path=str(report), format=ox.RdfFormat.TURTLE)
                       if q.predicate.value == "http://www.w3.org/ns/shacl#focusNode"}
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None
    differ = before ^ _quads_of(store, changed, predicates)
    focus = set(old_results)
    retyped = set()
    for s, p, o in differ:
        focus.add(s)
        if not isinstance(o, ox.Literal):
            focus.add(o)
        if p == a:
            retyped.add(s)
    for t in retyped:
        for p in predicates:
            focus.update(q.subject for q in store.quads_for_pattern(None, p, t, None))
            focus.update(q.object for q in store.quads_for_pattern(t, p, None, None)
                         if not isinstance(q.object, ox.Literal))
    if not all(isinstance(n, ox.NamedNode) for n in focus):
        return None
    out = {n.value for n in focus}
    try:
        _focus_values(out)  # (an IRI a SPARQL VALUES block cannot hold: every focus node instead)
    except ValueError:
        return None
    return out


def graph_source(store, trig: Path, prologue: bytes, spans: dict[str, tuple[int, int]], focus: set[str]):
    """The function of (predicates, datatypes) that kg.shacl_sparql.validate_store takes as `source` when
    validating `focus` only: the literals of those predicates in the TriG of the graphs (read from the build's
    `trig` at `spans`, GraphWriter.spans) where a node of `focus` has one of those predicates."""
    import pyoxigraph as ox

    from kg.shacl_sparql import _source_literals

    def literals(predicates, datatypes):
        graphs = set()
        for f in sorted(focus):
            for p in predicates:
                graphs.update(q.graph_name.value for q in store.quads_for_pattern(
                    ox.NamedNode(f), ox.NamedNode(str(p)), None, None) if isinstance(q.graph_name, ox.NamedNode))
        parts = [prologue]
        with open(trig, "rb") as fh:
            for g in sorted(graphs):
                offset, size = spans[g]
                fh.seek(len(prologue) + offset)
                parts.append(fh.read(size) + b"\n")
        return _source_literals(b"".join(parts), predicates, datatypes)

    return literals


def _last_index(target: Path, manifest: dict) -> dict | None:
    """The search index of the last build in `target` as its JSON (kg.lookup.Lookup.to_json), when its bytes are
    those its `manifest` lists; else None."""
    from kg.lookup import INDEX_FILE

    try:
        data = (target / INDEX_FILE).read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["files"][INDEX_FILE]:
            return None
        return json.loads(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def update_store(last: Path, folder: Path, prologue: str, changed: dict[str, tuple[bytes, int, int]],
                 removed: list[str], expected_quads: int):
    """The store of the last build in `last`, copied into folder/store/ (a RocksDB checkpoint: hard links to its
    files) with the graphs of `changed` replaced and those of `removed` dropped; stamped as load_store stamps a
    store; returns it open.

    Raises:
        BuildError: it cannot be copied or updated, or does not then hold as many quads as were written.
    """
    import pyoxigraph as ox

    store = None
    try:
        ox.Store.read_only(str(last / STORE)).backup(str(folder / STORE))
        store = ox.Store(str(folder / STORE))
        for name in [*removed, *changed]:
            graph = ox.NamedNode(name)
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
        for name, (body, _, _) in changed.items():
            store.load(prologue.encode("utf-8") + _trig_graph(name, body), format=ox.RdfFormat.TRIG)
        store.flush()
        n = len(store)
        problem = None if n == expected_quads else f"it holds {n} quads, {expected_quads} were written"
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:  # RuntimeError: RocksDB finds it corrupt
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if problem is not None:
        del store  # closed before its folder is removed
        raise BuildError(f"the last build's store could not be updated ({problem})")
    _stamp_store(folder, n)
    return store


def _stamp_store(folder: Path, quads: int) -> None:
    st = (folder / TRIG).stat()
    (folder / STORE_STAMP).write_text(json.dumps({"graph": TRIG, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                                                  "quads": quads}) + "\n", encoding="utf-8")


def shacl_report(store, folder: Path, engine: str = "sparql", inference: str = "none",
                 focus: set[str] | None = None, source=None) -> tuple[int, Graph]:
    """(violations, report graph) of the build in `folder`: SPARQL checks on its store, or pySHACL on its
    merged graph (graph.ttl, parsed).  `focus` and `source`: see kg.shacl_sparql.validate_store (`source`
    defaults to the folder's graph.trig)."""
    if engine == "sparql" and inference == "none":
        from kg.shacl_sparql import validate_store

        report = validate_store(store, source=source if source is not None else str(folder / TRIG), focus=focus)
        return report.violations, report.graph()
    g = bind_all(Graph()).parse(folder / TURTLE, format="turtle")
    n, report_graph = validate(g, inference=inference)
    return n, stable_report(report_graph)


def made_graphs(builder: GraphBuilder, shared, cache: GraphCache | None, record_keys: dict[str, str],
                result: BuildResult):
    """The named graphs of `builder` (GraphBuilder.iter_graphs), one at a time, as (IRI, Made) pairs.

    With a `cache`, a graph whose context (kg.graph.Job; for a source, its record's key too) was met by an
    earlier build is taken from it, when the graphs before it claim the same triples as then (kg.graph.Claims:
    which graph states a shared triple depends on the graphs before it); the rest are made, and kept.  The
    graphs are the same either way.
    """
    claims = Claims()
    for job in builder.jobs():
        key = None
        if cache is not None:
            context = job.context()
            if context is not None:
                if job.source is not None:
                    context = record_keys[job.source].encode("ascii") + b"\0" + context
                key = cache.key(str(job.name), context)
        kept = cache.get(key) if cache is not None and key is not None else None
        if kept is not None:
            keys, claimed, effects, made = kept
            if claims.take(keys, claimed):
                builder.replay(effects)
                result.graphs_kept += 1
                yield job.name, made
                continue
        triples, effects = builder.run(job)
        mine, keys, claimed = claims.mine(triples)
        made = make_graph(job.name, mine, shared)
        del triples, mine
        if cache is not None and key is not None:
            cache.put(key, keys, claimed, effects, made)
        result.graphs_made += 1
        yield job.name, made


def write_outputs(target: Path, builder: GraphBuilder, records: list[RecordHead], texts: SourceTexts,
                  result: BuildResult, shacl: bool = True, shacl_engine: str = "sparql", shacl_inference: str = "none",
                  inputs: str | None = None, log=None, graph_cache: GraphCache | None = None) -> None:
    """Write the build into a new folder beside `target`, check it, and switch it in for `target` in one step.

    `builder`'s graphs are made (or taken from `graph_cache`: made_graphs) and written one at a time;
    `result.counts` is set from them.

    Raises:
        BuildError: a graph written does not parse back; `target` is then left as it was.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr))
    tmp = atomic.temp_dir(target)
    writer = None
    try:
        files: dict[str, str] = {}

        def put(name: str, text: str) -> None:
            data = text.encode("utf-8")
            path = tmp / name
            path.parent.mkdir(exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
            files[name] = hashlib.sha256(data).hexdigest()

        lap = Laps(result.timings)
        (tmp / "records").mkdir(exist_ok=True)
        (tmp / "sources").mkdir(exist_ok=True)
        from kg.cache import extractor_version

        version = extractor_version()
        record_keys = {rec.source: _record_key(version, rec, texts.sha256(rec.source)) for rec in records}
        last_manifest = _last_manifest(target)
        last = _last_record_files(last_manifest, record_keys)
        linked: set[str] = set()
        for rec in records:
            names = (f"records/{rec.source}.json", f"sources/{rec.source}")
            if rec.source in last and _link_all(target, tmp, last[rec.source]):
                # the same record of the same text by the same code: the last build's files, linked, not written
                files.update({n: last[rec.source][n] for n in names})
                linked.update(names)
                continue
            put(names[0], json.dumps(rec.full().to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n")
            put(names[1], texts[rec.source])
        lap("write_records")
        previous = last_graphs(target, last_manifest, version)
        writer = GraphWriter(tmp, previous[0] if previous is not None else None)
        for name, made in made_graphs(builder, writer.shared, graph_cache, record_keys, result):
            writer.put(name, made)
        writer.put_statistics(graph_cache)
        files.update(writer.finish())
        result.counts = writer.counts()
        lap("graph")
        delta = writer.delta()
        store = None
        touched: set[str] | None = None  # the things whose search entries may have changed (None: any)
        focus: set[str] | None = None  # the focus nodes whose SHACL results may have changed (None: any)
        if previous is not None and delta is not None and _sha256(writer.prologue) == previous[1]:
            # the graphs the last build wrote otherwise, checked alone; the last store with them replaced
            changed, removed = delta
            check_changed(tmp, writer.prologue, changed)
            lap("check")
            try:
                last_store = _last_store(target / STORE)
                before = _search_subjects(last_store, [*changed, *removed])
                store = update_store(target, tmp, writer.prologue, changed, removed, writer.triples)
                touched = before | _search_subjects(store, list(changed))
                result.graphs_replaced = len(changed) + len(removed)
                if shacl and shacl_engine == "sparql" and shacl_inference == "none" \
                        and last_manifest.get("validation") == [True, "sparql", "none"]:
                    focus = touched_focus(last_store, target / REPORT, store, list(changed), removed)
                del last_store  # (the last store is read only here)
            except BuildError as exc:  # the last store is not what its stamp says: a new one is loaded
                log(f"kg: {exc}; loading a new store")
                shutil.rmtree(tmp / STORE, ignore_errors=True)
        if store is None:
            # each triple is in one graph only (GraphBuilder.iter_graphs): as many quads in the TriG as triples in
            # the Turtle of their union
            check_parses(tmp / TRIG, writer.triples, writer.texts)
            check_parses(tmp / TURTLE, writer.triples, writer.texts)
            lap("check")
            store = load_store(tmp, writer.triples)
        lap("store")
        # the explorer's search index, read by `kg serve` instead of being made from the store at each start; after
        # a few graphs replaced, the last build's with the entries of the things they speak of read again
        from kg.lookup import INDEX_FILE, SEARCH_KINDS, Lookup, updated_index
        from kg.store import LocalStore

        last_index = _last_index(target, last_manifest) if touched is not None else None
        index = None
        if last_index is not None and touched is not None:
            try:
                index = updated_index(last_index, LocalStore(store), touched, SEARCH_KINDS)
            except (ValueError, KeyError, TypeError, IndexError):  # not an index this code wrote: made anew
                index = None
        if index is None:
            index = Lookup.from_store(LocalStore(store), kinds=SEARCH_KINDS).to_json()
        del last_index
        put(INDEX_FILE, json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n")
        del index
        lap("search_index")
        if shacl:
            source = None
            if focus is not None:
                result.shacl_focus = len(focus)
                source = graph_source(store, tmp / TRIG, writer.prologue.encode("utf-8"), writer.spans, focus)
            result.violations, report = shacl_report(store, tmp, shacl_engine, shacl_inference, focus, source)
            put(REPORT, serialize_turtle(report))
            check_parses(tmp / REPORT, len(report), text_digest(report))
            lap("shacl")
        del store
        files = dict(sorted(files.items()))
        manifest = {"inputs": inputs, "sources": sorted(texts), "built": result.built,
                    "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
                    "counts": result.counts, "shacl_violations": result.violations,
                    "validation": [shacl, shacl_engine, shacl_inference],
                    # binary and not byte-reproducible, so not among "files": checked by opening it
                    "store": {"folder": STORE, "stamp": STORE_STAMP, "quads": writer.triples},
                    "build_id": hashlib.sha256(json.dumps(files, sort_keys=True).encode("utf-8")).hexdigest(),
                    "record_keys": dict(sorted(record_keys.items())),
                    # what a rebuild compares its graphs with, to update this build's store (last_graphs)
                    "graphs": {"version": version, "prologue": _sha256(writer.prologue),
                               "digests": writer.digests},
                    "files": files}
        put(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        atomic.fsync_tree(tmp, durable=frozenset(linked))
        atomic.switch_dir(tmp, target)
        if graph_cache is not None:
            graph_cache.commit()
        lap("sync_and_switch")
    except (BuildError, LookupError) as exc:  # LookupError: a record's cache entry went missing (RecordHead.full)
        if graph_cache is not None:
            graph_cache.discard()
        if writer is not None:
            writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
        kept = f"{target}/ left as it was" if os.path.lexists(target) else "nothing written"
        raise BuildError(f"{exc}; {kept}") from None
    except BaseException:
        if graph_cache is not None:
            graph_cache.discard()
        if writer is not None:
            writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
