"""Fuzz the input side: mutated corpus texts (and random bytes) through reader, extractor and graph.

    .venv/bin/python benchmarks/bench_fuzz.py [--cases 10000] [--seed 11] [--graph-every 20] [--time-limit 10]

Each case is a window of a real text of data/raw/ with a few random edits (deletions, repeats, insertions of
corpus words and odd characters: form feed, U+2028, NUL, combining marks, BOM; case changes, swaps), written
as bytes in one of the encodings kg reads (UTF-8, UTF-16, UTF-8 with BOM, Windows-1258) or as random bytes
under a .txt/.html/.docx/.pdf name.  It is read by kg.reader.read_source and extracted under a CPU time limit;
a failure is any exception but SourceError, a text that is not NFC, a span that does not quote its text, or
the time limit.  Every --graph-every'th record is also turned into its TriG and parsed back by Oxigraph
(0: never).  Prints cases/s and every failure (input saved under build/fuzz-failures/), exits 1 if any.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build import extract_source  # noqa: E402
from kg.limits import time_limit  # noqa: E402
from kg.reader import NoDocumentError, SourceError, read_source  # noqa: E402

WORDS = ["Số: 12/KH-UBND", "KẾ HOẠCH", "QUYẾT ĐỊNH:", "Căn cứ Nghị quyết số 66/NQ-CP;", "Điều 1.", "Sở ", "Tài chính",
         "chủ trì, phối hợp với", "Ủy ban nhân dân tỉnh", "UBND huyện", "trước ngày 30/6/2025", "| ", " |", "1.",
         "a)", "- ", "Nơi nhận:", "/QĐ-TTg", "ngày 15 tháng 4 năm 2024", "Quý II/2025", "các Sở, ban, ngành",
         "\n", "\n\n", "\f", "\v", "\x85", "\u2028", "\x00", "\u0301", "\ufeff", "\u200b", "\ud7ff", "9" * 400,
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "<script>x</script>", "&amp;"]


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


def check_graph(record, text: str) -> None:
    import pyoxigraph as ox

    from kg.graph import GraphBuilder

    ds = GraphBuilder([record], {record.source: text}).dataset()
    data = ds.serialize(format="trig")
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    list(ox.parse(data, format=ox.RdfFormat.TRIG))


def run_case(path: Path, data: bytes, graph: bool, limit: float) -> str | None:
    """None, or what went wrong."""
    path.write_bytes(data)
    try:
        with time_limit(limit, "fuzz case"):
            try:
                src = read_source(path)
            except SourceError as exc:
                return "timeout" if "time limit" in str(exc) else None
            if src.text != unicodedata.normalize("NFC", src.text):
                return "text not NFC"
            try:
                record, text = extract_source(src)
            except NoDocumentError as exc:
                record, text = exc.record, src.text
            for doc in record.documents:
                for item in (doc, *doc.citations, *doc.duties, *doc.targets):
                    if item.span is not None and text[item.span.start:item.span.end] != item.span.quote:
                        return f"span {item.span.start}-{item.span.end} does not quote the text"
            record.to_json()
            if graph and record.documents:
                check_graph(record, text)
    except SourceError as exc:
        return "timeout" if "time limit" in str(exc) else f"SourceError outside reading: {exc}"
    except Exception:  # noqa: BLE001 - every other exception is a failure to report
        return traceback.format_exc(limit=-3)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--graph-every", type=int, default=20)
    ap.add_argument("--time-limit", type=float, default=10.0, help="CPU seconds per case")
    args = ap.parse_args(argv)
    files = sorted((ROOT / "data" / "raw").glob("*/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    rng = random.Random(args.seed)
    out = ROOT / "build" / "fuzz-failures"
    tmp = ROOT / "build" / "fuzz-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    failures: dict[str, int] = {}
    timeouts = read_ok = graphs = 0
    started = time.perf_counter()
    for n in range(args.cases):
        data, suffix = encode(rng, mutate(rng, texts))
        graph = bool(args.graph_every) and n % args.graph_every == 0
        graphs += graph
        problem = run_case(tmp / f"case{suffix}", data, graph, args.time_limit)
        if (n + 1) % 1000 == 0:
            print(f"  {n + 1} cases, {sum(failures.values()) + (problem is not None)} failures", flush=True)
        if problem is None:
            read_ok += 1
            continue
        if problem == "timeout":
            timeouts += 1
        key = problem.strip().splitlines()[-1][:200]
        failures[key] = failures.get(key, 0) + 1
        if failures[key] == 1:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"case{n}{suffix}").write_bytes(data)
            print(f"FAILURE case {n} ({suffix}, saved in {out}/case{n}{suffix}):\n{problem}", flush=True)
    seconds = time.perf_counter() - started
    total = sum(failures.values())
    print(f"fuzz: {args.cases} cases in {seconds:.1f} s = {args.cases / seconds:.0f} cases/s; "
          f"{graphs} also to TriG and parsed by Oxigraph; failures {total} (timeouts {timeouts}, "
          f"exceptions or bad output {total - timeouts})")
    for key, count in sorted(failures.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5} x {key}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
