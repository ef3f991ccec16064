"""Check a build of a generated national corpus against its manifest, with the checks of tests/test_national.py:
every plan one document node at its right depth under the central decision (stated and inferred implementation
links), no phantom document, and each plan's issuer in the unit the manifest gives.

    python -m kg.national /tmp/nat --schemes 1 --seed 7 --suffix .txt
    mv /tmp/nat/manifest.json /tmp/nat-manifest.json      # kg build reads every file of the folder
    kg build /tmp/nat --out /tmp/nat-build
    python benchmarks/check_national.py /tmp/nat-manifest.json /tmp/nat-build
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

CHECKS = ("test_every_plan_is_one_node_at_its_depth", "test_issuers_are_the_units_of_the_manifest")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest", type=Path)
    ap.add_argument("build", type=Path)
    args = ap.parse_args(argv)
    import test_national as checks

    from kg.store import LocalStore

    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))["files"]
    built = json.loads((args.build / "build.json").read_text(encoding="utf-8"))
    result = types.SimpleNamespace(built=built["built"])
    national = (manifest, result, LocalStore.from_build(args.build), args.build)
    failed = 0
    print(f"{len(manifest)} plans, {len(built['built'])} built, {built['counts']['documents']} documents, "
          f"{built['counts']['triples']:,} triples, {built['shacl_violations']} SHACL violations")
    for name in CHECKS:
        try:
            getattr(checks, name)(national)
            print(f"{name}: ok")
        except AssertionError as exc:
            failed += 1
            print(f"{name}: FAILED\n{exc}")
    return 1 if failed or built["shacl_violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
