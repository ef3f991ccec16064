"""Time `kg build` of a corpus: cold (empty extraction cache), warm (unchanged corpus), one file changed.

    .venv/bin/python benchmarks/bench_build.py [FOLDER ...] [--workers N] [--shacl-inference none|rdfs]

Each build runs `kg build` in a child process, into a temporary folder, with a
temporary cache folder (the user's cache is not touched).  Prints the number
of files, seconds of each build, the stage times `kg build --timings` gives,
triples and SHACL violations, and peak memory: the largest RSS of one process
(getrusage of the waited children, as `/usr/bin/time -v` reports it) and the
largest sum of RSS over the build's process tree (sampled every 0.1 s from
/proc, Linux only).  Default input: data/raw/ (the seeds and the real corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository


def tree_rss(pid: int) -> int:
    """Sum of the RSS (bytes) of `pid` and its descendants, from /proc; 0 where there is no /proc."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_build(inputs: list[Path], out: Path, cache: Path, extra: list[str]) -> dict:
    cmd = [sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out), "--quiet",
           "--cache-dir", str(cache), "--timings", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not stop.is_set():
            peak_tree = max(peak_tree, tree_rss(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1, 3) or not (out / "build.json").is_file():
        sys.exit(f"bench_build: kg build failed ({proc.returncode}):\n{stderr[-2000:]}")
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    stages = re.search(r"extracted (\d+) file\(s\), (\d+) from the cache; (.*)", stderr)
    replaced = re.search(r"store: the last build's, (\d+) graph\(s\) replaced", stderr)
    graphs = re.search(r"graphs: (\d+) made, (\d+) as an earlier build made them", stderr)
    focus = re.search(r"SHACL: (\d+) focus node\(s\)", stderr)
    return {"seconds": seconds, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "max_rss": after.ru_maxrss * 1024, "peak_tree": peak_tree, "status": proc.returncode,
            "extracted": int(stages[1]) if stages else None, "stages": stages[3].strip() if stages else "",
            "replaced": int(replaced[1]) if replaced else None,  # graphs replaced in the last store (None: new)
            "made": int(graphs[1]) if graphs else None, "kept": int(graphs[2]) if graphs else None,  # graph cache
            "focus": int(focus[1]) if focus else None,  # focus nodes validated again (None: all)
            "triples": manifest["counts"].get("triples", 0), "violations": manifest["shacl_violations"],
            "built": len(manifest["sources"]), "skipped": len(manifest["skipped"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "data" / "raw"])
    ap.add_argument("--workers", type=int, help="kg build --workers (default: one per core)")
    ap.add_argument("--shacl-inference", choices=("none", "rdfs"), default="none")
    ap.add_argument("--no-validate", action="store_true")
    args = ap.parse_args()
    extra = ["--shacl-inference", args.shacl_inference]
    if args.workers:
        extra += ["--workers", str(args.workers)]
    if args.no_validate:
        extra.append("--no-validate")
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="kg-bench-build-"))
    try:
        corpus = work / "in"
        corpus.mkdir()
        for i, folder in enumerate(args.inputs):  # a copy, so that one file can be changed
            shutil.copytree(folder, corpus / f"{i}-{folder.name}", symlinks=True)
        cache, out = work / "cache", work / "out"
        rows = [("cold", run_build([corpus], out, cache, extra)), ("warm", run_build([corpus], out, cache, extra))]
        changed = sorted(corpus.rglob("*.txt"))[0]
        with open(changed, "a", encoding="utf-8") as fh:
            fh.write("\nGhi chú của bài đo.\n")
        rows.append(("1 changed", run_build([corpus], out, cache, extra)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = rows[0][1]
    print(f"files: {first['built'] + first['skipped']} ({first['built']} built, {first['skipped']} skipped); "
          f"cores: {os.cpu_count()}; load average before: {load_before:.2f}; "
          f"workers: {args.workers or os.cpu_count()}; SHACL inference: "
          f"{'skipped' if args.no_validate else args.shacl_inference}")
    print(f"{'build':<10} {'seconds':>8} {'cpu s':>7} {'extracted':>9} {'triples':>8} {'violations':>10} "
          f"{'max RSS MB':>10} {'tree RSS MB':>11}  stages")
    for name, r in rows:
        store = "" if r["replaced"] is None else f"; last store, {r['replaced']} graph(s) replaced"
        if r["made"] is not None:
            store += f"; graphs {r['made']} made, {r['kept']} kept"
        if r["focus"] is not None:
            store += f"; SHACL on {r['focus']} focus node(s)"
        print(f"{name:<10} {r['seconds']:>8.1f} {r['cpu']:>7.1f} {r['extracted']:>9} {r['triples']:>8} "
              f"{r['violations']:>10} {r['max_rss'] / 2**20:>10.0f} {r['peak_tree'] / 2**20:>11.0f}  {r['stages']}"
              f"{store}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
