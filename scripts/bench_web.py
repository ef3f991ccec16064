#!/usr/bin/env python
"""Time the explorer's views in Debian's Chromium on a large graph (figures only, no pass/fail).

    .venv/bin/python scripts/bench_web.py                 # generates build/large if missing
    .venv/bin/python scripts/bench_web.py --build DIR --rounds 3

Each figure is the browser's navigation timing (loadEventEnd), or for a network view the moment
vis-network has drawn it; "ttfb" is the server's share.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg import iri
from kg.synth import generate
from kg.web.common import network_path, page_path
from kg.web.testing import find_chromium, launch_chromium, measure, running_server


def views() -> list[tuple[str, str, bool]]:
    decision = iri.document("01/QĐ-TTg", None, 2023)
    province = iri.document("135/KH-UBND", "tỉnh Lạng Sơn", 2023)
    hub = iri.agency("Ngân hàng Chính sách xã hội Việt Nam")
    return [("home", "/", False), ("search", "/search?q=so+tai+chinh+lang+son", False),
            ("document: decision (10,455 below)", page_path(decision), False),
            ("document: province plan", page_path(province), False),
            ("agency: 9,702 duties", page_path(hub), False),
            ("network: decision cascade", network_path(decision), True),
            ("network: province cascade", network_path(province), True),
            ("network: agency neighbourhood", network_path(hub), True)]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build/large", help="build folder (generated there when missing)")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    if not find_chromium():
        print("bench_web: Debian's chromium is not installed; nothing measured", file=sys.stderr)
        return 0
    from playwright.sync_api import sync_playwright

    build = Path(args.build)
    if not (build / "graph.trig").exists():
        t = time.perf_counter()
        counts = generate(build)
        print(f"generated {build}: {counts['nodes']:,} nodes in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    with running_server(build, ready_timeout=600) as base, sync_playwright() as pw, \
            tempfile.TemporaryDirectory() as profile:
        print(f"server ready in {time.perf_counter() - t:.1f} s (graph loaded, search index built)")
        ctx = launch_chromium(pw, Path(profile))
        page = ctx.new_page()
        results: dict[str, list[dict]] = {}
        for _ in range(args.rounds):
            for name, path, network in views():
                results.setdefault(name, []).append(measure(page, base + path, network=network))
        ctx.close()
    print(f"{'view':38} {'first':>8} {'median':>8} {'ttfb':>8}   (ms, {args.rounds} rounds, Chromium)")
    for name, runs in results.items():
        print(f"{name:38} {runs[0]['total']:8.0f} {statistics.median(r['total'] for r in runs):8.0f} "
              f"{statistics.median(r['ttfb'] for r in runs):8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
