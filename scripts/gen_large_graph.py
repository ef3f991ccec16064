#!/usr/bin/env python
"""Write a synthetic build folder (1 decision -> 63 province -> ~700 district -> ~10,000 commune plans).

    .venv/bin/python scripts/gen_large_graph.py build/large      # then: kg serve --build build/large
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.synth import generate


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", nargs="?", default="build/large", help="output folder (default build/large)")
    p.add_argument("--provinces", type=int, default=63)
    p.add_argument("--districts", type=int, default=11, help="districts per province (default 11)")
    p.add_argument("--communes", type=int, default=14, help="communes per district (default 14)")
    args = p.parse_args()
    t = time.perf_counter()
    counts = generate(Path(args.out), args.provinces, args.districts, args.communes)
    print(f"wrote {args.out}/graph.trig in {time.perf_counter() - t:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
