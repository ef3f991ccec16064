"""`kg build`: read documents, extract, build the dataset, validate, write atomically."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from kg import atomic

from kg.graph import ONTOLOGY_DIR, GraphBuilder, ontology_graph
from kg.namespaces import NAMESPACES, VND, bind_all
from kg.reader import NoDocumentError, SourceError, collect, read_source
from kg.records import Record

DEFAULT_OUT = Path("data/build")
TRIG, TURTLE, REPORT, MANIFEST = "graph.trig", "graph.ttl", "shacl-report.ttl", "build.json"


@dataclass
class BuildResult:
    """What a build read, skipped and wrote."""

    out_dir: Path
    built: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    violations: int = 0


def extract_file(path: Path) -> tuple[Record, str]:
    """Read and extract one file.

    Raises:
        SourceError: unreadable, or no recognisable document in it.
    """
    from kg.extract import extract_text

    src = read_source(path)
    record = extract_text(src.text, src.name)
    if not record.documents:
        record.sha256 = src.sha256
        raise NoDocumentError("no recognisable document (no number, type heading or described document found)",
                              record)
    record.sha256 = src.sha256
    return record, src.text


def validate(data: Graph) -> tuple[int, Graph]:
    """pySHACL with ontology/shapes.ttl; returns (number of violations, report graph)."""
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    _, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference="rdfs",
                                  advanced=True, allow_warnings=True)
    from kg.namespaces import SH
    count = sum(1 for _ in report.subjects(RDF.type, SH.ValidationResult))
    return count, report


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
          shacl: bool = True, log=None) -> BuildResult:
    """Build the graph of every document under `paths` into `out_dir`.

    Files that cannot be read are skipped with a reason; the rest is built.
    Every output file is written atomically.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr))
    result = BuildResult(out_dir)
    files, missing = collect(paths)
    for p, reason in missing:
        result.skipped.append((str(p), reason))
    records: list[Record] = []
    texts: dict[str, str] = {}
    iterator = files
    if progress and len(files) >= 20:
        from tqdm import tqdm
        iterator = tqdm(files, desc="extracting", unit="file", file=sys.stderr)
    for path in iterator:
        try:
            record, text = extract_file(path)
        except SourceError as exc:
            result.skipped.append((str(path), str(exc)))
            continue
        if record.source in texts:
            result.skipped.append((str(path), f"another file named {record.source} was already read"))
            continue
        records.append(record)
        texts[record.source] = text
        result.built.append(str(path))
    for p, reason in result.skipped:
        log(f"kg: skipped {p}: {reason}")
    ds = GraphBuilder(records, texts).dataset()
    g = merged(ds)
    result.counts = count(g)
    report = None
    if shacl:
        result.violations, report = validate(g)
    write_outputs(out_dir, ds, g, records, texts, report, result)
    return result


def trig_text(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order (rdflib's own TriG order varies between runs)."""
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(NAMESPACES.items()))
    blocks = []
    for ctx in sorted((c for c in ds.graphs() if len(c)), key=lambda c: str(c.identifier)):
        g = bind_all(Graph())
        for t in ctx:
            g.add(t)
        body = "\n".join(line for line in g.serialize(format="turtle").splitlines()
                         if not line.startswith("@prefix")).strip("\n")
        # not indented: a line inside a multi-line literal must stay as it is
        blocks.append(f"<{ctx.identifier}> {{\n{body}\n}}\n")
    return prologue + "\n" + "\n".join(blocks)


def write_outputs(out_dir: Path, ds: Dataset, g: Graph, records: list[Record], texts: dict[str, str],
                  report: Graph | None, result: BuildResult) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in list(out_dir.glob(".*.tmp")) + list(out_dir.glob("*/.*.tmp")):
        stale.unlink()  # left by a build that was killed mid-write
    atomic.write_text(out_dir / TRIG, trig_text(ds))
    atomic.write_text(out_dir / TURTLE, g.serialize(format="turtle"))
    keep = set()
    for rec in records:
        keep.add(rec.source)
        atomic.write_text(out_dir / "records" / f"{rec.source}.json",
                          json.dumps(rec.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        atomic.write_text(out_dir / "sources" / rec.source, texts[rec.source])
    for folder, suffix in (("records", ".json"), ("sources", "")):
        for f in (out_dir / folder).glob("*"):
            name = f.name[: -len(suffix)] if suffix and f.name.endswith(suffix) else f.name
            if name not in keep and not f.name.startswith("."):
                f.unlink()
    if report is not None:
        atomic.write_text(out_dir / REPORT, bind_all(report).serialize(format="turtle"))
    manifest = {"sources": sorted(texts), "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
                "counts": result.counts, "shacl_violations": result.violations}
    atomic.write_text(out_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
