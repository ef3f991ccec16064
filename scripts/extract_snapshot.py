"""Write `kg extract --format json` of many files into a folder, to compare two versions of the extractor.

    python scripts/extract_snapshot.py OUT_DIR FILE_OR_GLOB ...
    python scripts/extract_snapshot.py --compare DIR_A DIR_B

Each file's output (stdout, stderr and exit status of `kg extract FILE --format json`,
run in this process) goes to OUT_DIR/<parent>__<name>.json.  Run it once with the old
code on the import path (PYTHONPATH=/tmp/old-checkout) and once with the new; `--compare`
then lists every file whose output differs and exits 1 if any does.
"""

from __future__ import annotations

import contextlib
import glob
import io
import sys
from pathlib import Path


def snapshot(out: Path, patterns: list[str]) -> int:
    from kg.cli import main

    out.mkdir(parents=True, exist_ok=True)
    files = sorted({p for pat in patterns for p in (glob.glob(pat) or [pat])})
    for f in files:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            rc = main(["extract", f, "--format", "json"])
        p = Path(f)
        (out / f"{p.parent.name}__{p.name}.json").write_text(
            f"{stdout.getvalue()}\n--- stderr\n{stderr.getvalue()}\n--- exit {rc}\n", encoding="utf-8")
    print(f"{len(files)} file(s) extracted into {out}/ by {sys.modules['kg'].__file__}")
    return 0


def compare(a: Path, b: Path) -> int:
    names_a = {p.name for p in a.iterdir()}
    names_b = {p.name for p in b.iterdir()}
    differ = sorted(n for n in names_a & names_b if (a / n).read_bytes() != (b / n).read_bytes())
    only = sorted(names_a ^ names_b)
    for n in differ:
        print(f"differs: {n}")
    for n in only:
        print(f"only in one: {n}")
    print(f"compared {len(names_a & names_b)} file(s): {len(differ)} differ, {len(only)} in one folder only")
    return 1 if differ or only else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(snapshot(Path(sys.argv[1]), sys.argv[2:]))
