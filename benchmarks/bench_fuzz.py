"""Fuzz the whole input path: mutated corpus texts (and random bytes) through reader, extractor, graph, TriG,
Oxigraph and SHACL.

    .venv/bin/python benchmarks/bench_fuzz.py [--cases 10000] [--seed 11] [--graph-every 1] [--time-limit 10]

Each case is a window of a real text of data/raw/ with a few random edits (deletions, repeats, insertions of
corpus words and odd characters: form feed, U+2028, NUL, combining marks, BOM; case changes, swaps), written
as bytes in one of the encodings kg reads (UTF-8, UTF-16, UTF-8 with BOM, Windows-1258) or as random bytes
under a .txt/.html/.docx/.pdf name.  It goes the way of one file through `kg build`:

1. read (kg.reader.read_source) and extracted (kg.build.extract_source) under a CPU time limit;
2. a record with a document (the build skips the others) is turned into the graphs the build makes of it
   (kg.graph.GraphBuilder.iter_graphs: its source graph, the ontology, inferred links, units, successions),
   written by the build's GraphWriter (with the statistics graph) as graph.trig and graph.ttl;
3. both files are parsed back by Oxigraph with the build's own check (kg.build.check_parses: every triple,
   the same text literals), and graph.trig is loaded into an in-memory pyoxigraph Store;
4. the store is validated by the build's default SHACL engine (kg.shacl_sparql.validate_store, the shapes of
   ontology/shapes.ttl compiled to SPARQL, with graph.trig as the source), under a CPU time limit too.

A failure is an exception (SourceError and NoDocumentError are the reader's and extractor's answers, not
failures), a time limit run over, a text that is not NFC, a span that does not quote its text, a TriG or
Turtle file that does not parse back whole, or a SHACL violation.  Prints the counts of each, the first
failure of each kind in full, the SHACL violations by shape and message, and exits 1 if any count is not
zero; every failing input is saved under build/fuzz-failures/ (emptied first; caseN.txt: case N of the seed).
--graph-every N takes only every Nth case past step 1 (0: none).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build import TRIG, TURTLE, BuildError, GraphWriter, check_parses, extract_source  # noqa: E402
from kg.graph import GraphBuilder  # noqa: E402
from kg.iri import STATISTICS_GRAPH  # noqa: E402
from kg.limits import time_limit  # noqa: E402
from kg.reader import NoDocumentError, SourceError, read_source  # noqa: E402
from kg.records import Citation, Document, Duty, Record, Target  # noqa: E402

WORDS = ["Số: 12/KH-UBND", "KẾ HOẠCH", "QUYẾT ĐỊNH:", "Căn cứ Nghị quyết số 66/NQ-CP;", "Điều 1.", "Sở ", "Tài chính",
         "chủ trì, phối hợp với", "Ủy ban nhân dân tỉnh", "UBND huyện", "trước ngày 30/6/2025", "| ", " |", "1.",
         "a)", "- ", "Nơi nhận:", "/QĐ-TTg", "ngày 15 tháng 4 năm 2024", "Quý II/2025", "các Sở, ban, ngành",
         "\n", "\n\n", "\f", "\v", "\x85", "\u2028", "\x00", "\u0301", "\ufeff", "\u200b", "\ud7ff", "9" * 400,
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "<script>x</script>", "&amp;"]

# the kinds of failure, in the order they are printed
KINDS = ("exception", "timeout", "not NFC", "bad span", "unparseable", "SHACL violation")
LABELS = {"exception": "exceptions", "timeout": "timeouts", "not NFC": "non-NFC texts", "bad span": "bad spans",
          "unparseable": "unparseable TriG/Turtle", "SHACL violation": "cases with SHACL violations"}


def mutate(rng: random.Random, texts: list[str]) -> str:
    text = rng.choice(texts)
    if rng.random() < 0.95:  # a window (a whole text one time in twenty: they run to 100k characters)
        start = rng.randrange(max(1, len(text)))
        text = text[start:start + rng.randint(100, 3000)]
    for _ in range(rng.randint(0, 8)):
        if not text:
            text = rng.choice(WORDS)
        i = rng.randint(0, len(text))
        j = min(len(text), i + rng.randint(0, 300))
        op = rng.random()
        if op < 0.2:
            text = text[:i] + text[j:]
        elif op < 0.35:
            text = text[:j] + text[i:j] * rng.randint(1, 30) + text[j:]
        elif op < 0.65:
            text = text[:i] + rng.choice(WORDS) * rng.randint(1, 5) + text[i:]
        elif op < 0.75:
            text = text[:i] + text[i:j].upper() + text[j:]
        elif op < 0.85:
            text = text[:i] + "".join(chr(rng.randint(32, 0x1FFF)) for _ in range(rng.randint(1, 20))) + text[i:]
        else:
            text = text[i:j] + text[:i] + text[j:]
    return text


def encode(rng: random.Random, text: str) -> tuple[bytes, str]:
    r = rng.random()
    if r < 0.06:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 4000))), rng.choice([".txt", ".html", ".docx", ".pdf"])
    enc = rng.choices(["utf-8", "utf-16", "utf-16-le", "utf-8-sig", "cp1258"], [70, 8, 8, 8, 6])[0]
    return text.encode(enc, errors="replace" if enc == "cp1258" else "surrogatepass"), ".txt"


@dataclass
class Outcome:
    """What one case came to: `kind` None (no failure) or one of KINDS, with a one-line `detail`."""

    kind: str | None = None
    detail: str = ""
    stage: str = "read"  # how far it went: read (refused), nodoc, graph (the whole path)
    violations: list[str] = field(default_factory=list)  # SHACL results, each as "shape component: message"


def bad_span(record: Record, text: str) -> str | None:
    """The first span of the record that does not quote the text, described, or None."""
    for doc in record.documents:
        items: list[Document | Citation | Duty | Target] = [doc, *doc.citations, *doc.duties, *doc.targets]
        for item in items:
            span = item.span
            if span is not None and not (0 <= span.start <= span.end <= len(text)
                                         and text[span.start:span.end] == span.quote):
                return f"span {span.start}-{span.end} does not quote the text ({type(item).__name__})"
    return None


def violation_kind(result) -> str:
    """A SHACL result (kg.shacl_sparql.Result) as the kind of violation it is: shape, component, message."""
    from rdflib import URIRef

    shape = result.shape.n3() if isinstance(result.shape, URIRef) else f"[] path {getattr(result.path, 'n3', str)()}"
    message = " / ".join(str(m) for m in result.messages)
    return f"{shape} {result.component}: {message}"


def full_path(record: Record, text: str, limit: float | None = None) -> Outcome:
    """Steps 2-4 of the module docstring for one record (with at least one document) and its text.

    Raises whatever the build's code raises (an exception is a failure), SourceError for the time limit."""
    import pyoxigraph as ox

    from kg.shacl_sparql import validate_store

    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp, time_limit(limit, "graph, TriG and SHACL"):
        folder = Path(tmp)
        writer = GraphWriter(folder)
        try:
            for name, triples in GraphBuilder([record], {record.source: text}).iter_graphs():
                writer.add(name, triples)
            writer.add(STATISTICS_GRAPH, writer.statistics())
            writer.finish()
        finally:
            writer.close()
        try:
            check_parses(folder / TRIG, writer.triples, writer.texts)
            check_parses(folder / TURTLE, writer.triples, writer.texts)
        except BuildError as exc:
            return Outcome("unparseable", str(exc), "graph")
        store = ox.Store()
        store.load(path=str(folder / TRIG), format=ox.RdfFormat.TRIG)
        if len(store) != writer.triples:
            return Outcome("unparseable", f"the store holds {len(store)} quads, {writer.triples} written", "graph")
        report = validate_store(store, source=str(folder / TRIG))
        if report.violations:
            kinds = [violation_kind(r) for r in report.results]
            return Outcome("SHACL violation", kinds[0], "graph", kinds)
    return Outcome(stage="graph")


def run_case(path: Path, data: bytes, graph: bool, limit: float) -> Outcome:
    """The outcome of one input, written to `path` and taken as far as it goes."""
    path.write_bytes(data)
    stage = "read"
    try:
        with time_limit(limit, "fuzz case (reading and extraction)"):
            try:
                src = read_source(path)
            except SourceError as exc:
                return Outcome("timeout", str(exc)) if "time limit" in str(exc) else Outcome()
            if src.text != unicodedata.normalize("NFC", src.text):
                return Outcome("not NFC", "the text read is not NFC")
            try:
                record, text = extract_source(src)
                stage = "record"
            except NoDocumentError as exc:
                record, text = exc.record, src.text
                stage = "nodoc"
            problem = bad_span(record, text)
            if problem:
                return Outcome("bad span", problem, stage)
            record.to_json()
        if graph and stage == "record":
            stage = "graph"
            return full_path(record, text, limit)
    except SourceError as exc:
        if "time limit" in str(exc):
            return Outcome("timeout", str(exc), stage)
        return Outcome("exception", f"SourceError outside reading: {exc}", stage)
    except Exception:  # noqa: BLE001 - every other exception is a failure to report
        return Outcome("exception", traceback.format_exc(limit=-4), stage)
    return Outcome(stage=stage)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--graph-every", type=int, default=1, help="every Nth case goes the whole path (0: none)")
    ap.add_argument("--time-limit", type=float, default=10.0, help="CPU seconds per case and step")
    args = ap.parse_args(argv)
    files = sorted((ROOT / "data" / "raw").glob("*/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    rng = random.Random(args.seed)
    out = ROOT / "build" / "fuzz-failures"
    tmp = ROOT / "build" / "fuzz-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out, ignore_errors=True)  # the failing inputs of this run only
    counts: Counter[str] = Counter()  # failures by kind
    distinct: Counter[str] = Counter()  # failures by kind and last line
    stages: Counter[str] = Counter()
    shacl_kinds: Counter[str] = Counter()  # violations (results) by kind
    shacl_cases: Counter[str] = Counter()  # cases by kind of violation
    started = time.perf_counter()
    for n in range(args.cases):
        data, suffix = encode(rng, mutate(rng, texts))
        graph = bool(args.graph_every) and n % args.graph_every == 0
        outcome = run_case(tmp / f"case{suffix}", data, graph, args.time_limit)
        stages[outcome.stage] += 1
        if outcome.kind is not None:
            counts[outcome.kind] += 1
            last = outcome.detail.strip().splitlines()[-1][:200] if outcome.detail.strip() else ""
            key = f"{outcome.kind}: {re.sub(r'[0-9]+', 'N', last)}"  # failures that differ only in numbers: one
            distinct[key] += 1
            for v in outcome.violations:
                shacl_kinds[v] += 1
            for v in set(outcome.violations):
                shacl_cases[v] += 1
            out.mkdir(parents=True, exist_ok=True)
            (out / f"case{n}{suffix}").write_bytes(data)  # every failing input; the first of each kind printed
            if distinct[key] == 1 or any(shacl_cases[v] == 1 for v in set(outcome.violations)):
                print(f"FAILURE case {n} ({outcome.kind}; {suffix}, saved in {out}/case{n}{suffix}):\n"
                      f"{outcome.detail}", flush=True)
        if (n + 1) % 500 == 0:
            seconds = time.perf_counter() - started
            print(f"  {n + 1} cases, {sum(counts.values())} failures, {stages['graph']} the whole path, "
                  f"{(n + 1) / seconds:.1f} cases/s", flush=True)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(f"fuzz: {args.cases} inputs tried in {seconds:.1f} s = {args.cases / seconds:.1f} cases/s (seed {args.seed}); "
          f"{stages['read']} stopped at reading (refused, or failed there), {stages['nodoc']} without a document, "
          f"{stages['record']} with a document but not taken further, {stages['graph']} the whole path "
          f"(graph, TriG, Oxigraph, SHACL)")
    print("  " + ", ".join(f"{LABELS[kind]} {counts[kind]}" for kind in KINDS))
    for key, count in sorted(distinct.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5} x {key}")
    if shacl_kinds:
        print(f"SHACL violations by kind ({sum(shacl_kinds.values())} results):")
        for kind, count in sorted(shacl_kinds.items(), key=lambda kv: -kv[1]):
            print(f"  {count:5} results in {shacl_cases[kind]:4} cases: {kind}")
    print(f"failures {total}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
