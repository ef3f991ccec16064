"""Shared fixtures: the seed build, made once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "seeds"  # the five seed documents: a small, fast build


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


# -- golden files of query results (tests/golden/queries/) ------------------------
# pytest has one pytest_addoption per conftest: add further options here.
def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite the golden files (tests/golden/) from the current results")


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    """True when golden files are to be rewritten (`pytest --regen-golden` or KG_REGEN_GOLDEN=1)."""
    import os

    return bool(request.config.getoption("--regen-golden") or os.environ.get("KG_REGEN_GOLDEN"))


@pytest.fixture(scope="session")
def seed_store(seed_build):
    """The embedded store of the seed build (kg.store.LocalStore), loaded once."""
    from kg.store import LocalStore

    _, out = seed_build
    return LocalStore.from_build(out)


@pytest.fixture(scope="session")
def base(seed_build):
    """URL of one `kg serve` of the seed build, shared by the web and browser tests (read-only)."""
    from kg.web.testing import running_server

    with running_server(seed_build[1]) as url:
        yield url


@pytest.fixture
def kg(seed_build, capsys):
    """Run `kg ARGS --build <seed build>` in process; returns (status, stdout, stderr)."""
    from kg.cli import main

    _, out = seed_build

    def run(*argv: str):
        status = main([*argv, "--build", str(out)])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return run


@pytest.fixture()
def fixed_extractor_version(monkeypatch):
    """One extractor version for the whole test: the sources of kg/ may be edited while the tests run (a build's
    inputs and cache keys hash them)."""
    from kg import cache as kg_cache

    version = kg_cache.extractor_version()
    monkeypatch.setattr(kg_cache, "extractor_version", lambda: version)


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """A small corpus to edit: the seeds and the first six real documents, copied (tests of rebuilds)."""
    root = ROOT / "data" / "raw"
    folder = tmp_path / "in"
    shutil.copytree(root / "seeds", folder)
    for name in sorted(p.name for p in (root / "real").glob("*.txt"))[:6]:
        shutil.copy(root / "real" / name, folder / name)
    return folder
