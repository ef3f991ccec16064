#!/usr/bin/env python3
"""What the extractor reads out of a whole corpus of real documents (no gold needed).

Prints, over every file of the folders given (default: ``data/raw/``, the bundled
real corpus): the share of files whose own (primary) document was found, whose
full header (number, type, issuer, date, signer) was found, each header field on
its own, duties per document, the share of duties with a deadline, the files that
gave no document, and the agency names of duties that the agency catalogue does
not know (the top 30, to read).  Always exits 0: the figures are for reading.

Usage: bench_corpus.py [FOLDER ...] [--exclude LIST] [--show-missing FIELD]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("number", "type", "issuer", "date", "signer")


def main(argv: list[str] | None = None) -> int:
    from kg.extract import extract_text
    from kg.extract.catalogue import catalogue
    from kg.reader import SourceError, collect, read_source

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path, default=[ROOT / "data" / "raw"])
    ap.add_argument("--exclude", type=Path, help="a file listing file names to leave out (one per line)")
    ap.add_argument("--show-missing", choices=[*FIELDS, "document"], help="list the files missing this field")
    a = ap.parse_args(argv)
    skip = set(a.exclude.read_text(encoding="utf-8").split()) if a.exclude else set()
    files, _ = collect(a.folders)
    files = [f for f in files if f.name not in skip]
    known = catalogue()
    n = found = full = duties = with_deadline = 0
    per_field = collections.Counter()
    unknown: collections.Counter[str] = collections.Counter()
    nothing: list[str] = []
    missing: list[str] = []
    chars, start = 0, time.perf_counter()
    for f in files:
        try:
            src = read_source(f)
        except SourceError as exc:
            nothing.append(f"{f.name}: {exc}")
            n += 1
            continue
        n += 1
        chars += len(src.text)
        rec = extract_text(src.text, src.name)
        primary = next((d for d in rec.documents if d.primary), None)
        if primary is None:
            nothing.append(f"{f.name}: no primary document")
            if a.show_missing:
                missing.append(f.name)
            continue
        found += 1
        got = {k: bool(getattr(primary, k)) for k in FIELDS}
        per_field.update(k for k, v in got.items() if v)
        full += all(got.values())
        if a.show_missing and a.show_missing != "document" and not got[a.show_missing]:
            missing.append(f.name)
        for d in rec.documents:
            for du in d.duties:
                duties += 1
                with_deadline += bool(du.deadline)
                if not known.knows(du.agency):
                    unknown[du.agency] += 1
    took = time.perf_counter() - start
    pct = lambda x, y: f"{100 * x / y:.1f} %" if y else "-"  # noqa: E731
    print(f"== corpus: {n} files ({', '.join(str(p) for p in a.folders)}), {chars:,} characters, {took:.1f} s")
    print(f"primary document found   {found}/{n} ({pct(found, n)})")
    print(f"full header              {full}/{n} ({pct(full, n)})")
    print("fields                   " + " ".join(f"{k}={pct(per_field[k], n)}" for k in FIELDS))
    print(f"duties                   {duties} ({duties / max(found, 1):.1f} per document found)")
    print(f"duties with a deadline   {with_deadline} ({pct(with_deadline, duties)})")
    print(f"files without a document {len(nothing)}")
    for line in nothing[:20]:
        print("   " + line)
    print(f"agency names not in the catalogue: {sum(unknown.values())} mentions, {len(unknown)} names; top 30:")
    for name, count in unknown.most_common(30):
        print(f"  {count:5d}  {name}")
    if missing:
        print(f"missing {a.show_missing}: " + " ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
