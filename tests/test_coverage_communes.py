"""Issue 10, coverage "where the corpus has them, communes": a decision's coverage names, for each province of
today, which of its communes and wards have issued an implementing plan, against how many it has."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rdflib import URIRef

from kg import coverage
from kg.build import build
from kg.store import LocalStore
from kg.units import load

ROOT = Path(__file__).resolve().parents[1]


def test_coverage_counts_the_communes_that_implemented(tmp_path):
    corpus = tmp_path / "in"
    subprocess.run([sys.executable, "-m", "kg.national", str(corpus), "--schemes", "1", "--seed", "3",
                    "--provinces", "2", "--communes-per-district", "3", "--era", "post2025", "--suffix", ".txt"],
                   check=True, cwd=ROOT, capture_output=True)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]
    (corpus / "manifest.json").unlink()
    result = build([corpus], tmp_path / "out", workers=1, cache=False, log=lambda m: None)
    assert result.violations == 0
    store = LocalStore.from_build(tmp_path / "out")
    decision = next(f for f in manifest.values() if f["level"] == "central")
    root = store.select("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE { ?d eli:id_local ?n }",
                        {"n": decision["number"]})
    c = coverage.coverage(store, URIRef(str(root[0]["d"])))
    units = load()
    want: dict[str, set[str]] = {}  # province of today -> communes that issued (from the manifest)
    for f in manifest.values():
        if f["level"] == "commune":
            want.setdefault(units.province_of(f["unit_id"]).id, set()).add(f["unit_id"])
    got = {r.unit.id: set(r.communes) for r in c.now if r.communes}
    assert got == want and len(want) == 2
    for r in c.now:
        if r.communes:
            assert r.commune_total == sum(1 for u in units.children(r.unit.id) if u.level == "commune") > len(r.communes)
    text = coverage.render(c, "x")
    assert text.count("xã, phường: 3 of ") == 2
