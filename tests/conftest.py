"""Shared fixtures: the seed build, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """`kg build data/raw` into a fresh folder: (BuildResult, out_dir)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    result = build([RAW], out, log=lambda msg: None)
    return result, out


@pytest.fixture(scope="session")
def seed_graph(seed_build) -> Graph:
    _, out = seed_build
    return Graph().parse(out / "graph.ttl")


@pytest.fixture(scope="session")
def seed_dataset(seed_build) -> Dataset:
    _, out = seed_build
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return ds
