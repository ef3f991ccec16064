#!/usr/bin/env python3
"""Accuracy and speed of the extractor.

Runs the shared scorer (``../shared/tools/score_extraction.py``) with the venv's
``kg extract`` over the shared gold set, over the held-out fixtures of
``tests/fixtures/heldout`` and over the real documents of other provinces,
ministries and years in ``tests/fixtures/realworld``, ``tests/fixtures/unseen2`` and
``tests/fixtures/unseen3``, ``tests/fixtures/unseen4`` and ``tests/fixtures/unseen5`` (full texts with their
"Tổ chức thực hiện" part; see their SOURCES.md; unseen2 to unseen5 were scored before any rule was tuned on them),
prints the per-measure lines and the overall figures, then times the
extraction of the whole corpus (files per second).
Always exits 0: the figures are for reading, the tests are the gate.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
FIXTURES = ROOT / "tests" / "fixtures"
# hand-labelled sets the extractor had not seen when their gold was written: (folder, title)
SETS = [
    (FIXTURES / "heldout", "held-out fixtures"),
    (FIXTURES / "realworld", "real-world documents"),
    (FIXTURES / "unseen2", "unseen real documents, second set"),
    (FIXTURES / "unseen3", "unseen real documents, third set (full texts)"),
    (FIXTURES / "unseen4", "unseen real documents, fourth set (full texts)"),
    (FIXTURES / "unseen5", "unseen real documents, fifth set (full texts)"),
    (FIXTURES / "real40", "40 files drawn at random from the real corpus (portal exports), labelled before tuning"),
    (FIXTURES / "real20b", "a second draw of 20 real files, scored before anyone read them for rules"),
]
MEASURES = ("documents", "citations", "duty_agencies", "duty_roles", "targets", "fields", "errors", "overall")


def _kg() -> str:
    for cand in (ROOT / ".venv" / "bin" / "kg", Path(sys.executable).parent / "kg"):
        if cand.exists():
            return str(cand)
    return "kg"


def score(label: str, gold: Path, corpora: list[Path]) -> None:
    """Run the scorer and print its summary lines under ``label``."""
    cmd = [sys.executable, str(SCORER), "--gold", str(gold), "--corpus", *map(str, corpora),
           "--cmd", f"{_kg()} extract {{path}} --format json"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1200)
    print(f"== {label}: {gold}")
    if out.returncode != 0:
        print(f"scorer failed (exit {out.returncode}): {out.stderr.strip()[-500:]}")
        return
    for line in out.stdout.splitlines():
        if line.startswith(MEASURES):
            print(line)


def timing(corpora: list[Path]) -> None:
    """Extract every corpus file in-process and print files/s."""
    from kg.extract import extract_text
    from kg.reader import SourceError, collect, read_source

    files, _ = collect(corpora)
    files = [f for f in files if f.name != "SOURCES.md"]
    if not files:
        return
    chars = 0
    start = time.perf_counter()
    for f in files:
        try:
            src = read_source(f)
        except SourceError:
            continue
        chars += len(src.text)
        extract_text(src.text, src.name)
    took = time.perf_counter() - start
    print(f"== speed: {len(files)} files, {chars} characters in {took:.2f} s: "
          f"{len(files) / took:.1f} files/s, {chars / took / 1000:.0f} kchar/s")


def main() -> int:
    if not SCORER.exists():
        print("skipped: ../shared not found (no scorer, no gold set)")
        return 0
    corpora = [SHARED / "corpus" / "seeds", SHARED / "corpus" / "extra"]
    score("shared gold (development set)", SHARED / "gold", corpora)
    for folder, title in SETS:
        if folder.is_dir():
            score(title, folder, [folder])
    timing([*corpora, *(folder for folder, _ in SETS)])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # noqa: BLE001 - a benchmark never fails CI
        print(f"benchmark error: {type(exc).__name__}: {exc}")
        sys.exit(0)
