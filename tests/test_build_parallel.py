"""`kg build` in parallel processes with the extraction cache: same bytes as a serial build, nothing re-extracted.

* a build with 2 worker processes and a cold cache, then with a warm cache,
  writes byte-identical files to a serial build without cache;
* a rebuild of unchanged files extracts nothing; a changed file is extracted
  again, alone; a new extractor version makes every entry stale; a broken
  cache entry is extracted again;
* a text holding no document is reported with the same reason from the cache;
* the default input (data/raw/) holds the real corpus and the seeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import cache as kg_cache
from kg.build import build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "seeds"
REAL = ROOT / "data" / "raw" / "real"
ARTICLE = REAL / "e99b8b67f31952d9.txt"  # a legal Q&A article: readable text, no document


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a build but the persistent store's (binary, not byte-reproducible; see test_build_safety)."""
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.relative_to(folder).as_posix().startswith(("store/", "store.json"))}


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """The seeds, one real plan and one article without a document, copied so that they can be changed."""
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder


pytestmark = pytest.mark.usefixtures("fixed_extractor_version")


def quiet(msg: str) -> None:
    pass


def test_parallel_and_cached_builds_write_the_bytes_of_a_serial_build(corpus, tmp_path):
    serial = build([corpus], tmp_path / "serial", workers=1, cache=False, log=quiet)
    cold = build([corpus], tmp_path / "cold", workers=2, cache_dir=tmp_path / "cache", log=quiet)
    warm = build([corpus], tmp_path / "warm", workers=2, cache_dir=tmp_path / "cache", log=quiet)
    assert (serial.extracted, cold.extracted, warm.extracted) == (6, 6, 0)
    assert warm.cached == 6
    want = snapshot(tmp_path / "serial")
    assert snapshot(tmp_path / "cold") == want
    assert snapshot(tmp_path / "warm") == want
    assert serial.skipped == cold.skipped == warm.skipped
    assert [(Path(p).name, r) for p, r in warm.skipped] == [
        (ARTICLE.name, "no recognisable document (no number, type heading or described document found)")]


def test_a_changed_file_alone_is_extracted_again(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = build([corpus], tmp_path / "a", workers=2, cache_dir=cache, log=quiet)
    assert first.extracted == 6
    plan = corpus / "003_595313972f865c7a.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nGhi chú thêm.\n", encoding="utf-8")
    second = build([corpus], tmp_path / "b", workers=2, cache_dir=cache, log=quiet)
    assert (second.extracted, second.cached) == (1, 5)
    # and the result is the serial build of the changed corpus
    build([corpus], tmp_path / "c", workers=1, cache=False, log=quiet)
    assert snapshot(tmp_path / "b") == snapshot(tmp_path / "c")
    assert snapshot(tmp_path / "b") != snapshot(tmp_path / "a")


def test_a_rebuild_links_the_files_of_unchanged_records_and_writes_the_rest(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, workers=1, cache_dir=tmp_path / "cache", log=quiet)
    plan, other = "003_595313972f865c7a.txt", "002_4b436b8a86b296d8.txt"
    inode = {f.name: f.stat().st_ino for f in (out / "records").iterdir()}
    edited = out / "records" / f"{other}.json"  # a file of the last build changed in place (by hand)
    edited.write_bytes(edited.read_bytes().replace(b'"record_version"', b'"record_version" '))
    (corpus / plan).write_text((corpus / plan).read_text(encoding="utf-8") + "\nGhi chú thêm.\n", encoding="utf-8")
    build([corpus], out, workers=1, cache_dir=tmp_path / "cache", log=quiet)
    now = {f.name: f.stat().st_ino for f in (out / "records").iterdir()}
    assert now[f"{plan}.json"] != inode[f"{plan}.json"]  # a changed text: written anew
    assert now[f"{other}.json"] != inode[f"{other}.json"]  # not what the last manifest says: written anew
    kept = [n for n in now if n not in (f"{plan}.json", f"{other}.json")]
    assert kept and all(now[n] == inode[n] for n in kept)  # the others: the same files, linked
    # and the build is the one a build from nothing makes
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_an_unchanged_corpus_is_not_built_again(corpus, tmp_path):
    """Same files, same code, same options: the build folder is already the answer and is left untouched."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=2, cache_dir=cache, log=quiet)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    said: list[str] = []
    again = build([corpus], out, workers=2, cache_dir=cache, log=said.append)
    assert again.up_to_date and not first.up_to_date
    assert (again.extracted, again.cached) == (0, 0)
    assert (again.built, again.skipped, again.counts) == (first.built, first.skipped, first.counts)
    assert any("up to date" in m for m in said) and any("skipped" in m for m in said)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
    # an option that changes the output, a changed file, a removed store, or --no-cache: built again
    assert not build([corpus], out, workers=2, cache_dir=cache, log=quiet, shacl=False).up_to_date
    assert build([corpus], out, workers=2, cache_dir=cache, log=quiet).up_to_date is False  # validation is back
    plan = corpus / "003_595313972f865c7a.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nGhi chú thêm.\n", encoding="utf-8")
    changed = build([corpus], out, workers=2, cache_dir=cache, log=quiet)
    assert not changed.up_to_date and (changed.extracted, changed.cached) == (1, 5)
    shutil.rmtree(out / "store")
    assert not build([corpus], out, workers=2, cache_dir=cache, log=quiet).up_to_date
    assert not build([corpus], out, workers=2, cache=False, log=quiet).up_to_date


def test_a_new_extractor_version_makes_every_entry_stale(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert build([corpus], tmp_path / "a", workers=1, cache_dir=cache, log=quiet).extracted == 6
    monkeypatch.setattr(kg_cache, "extractor_version", lambda: "another version")
    assert build([corpus], tmp_path / "a", workers=1, cache_dir=cache, log=quiet).extracted == 6
    assert build([corpus], tmp_path / "a", workers=1, cache_dir=cache, log=quiet).extracted == 0


def test_the_version_hashes_the_extractor_sources(monkeypatch):
    monkeypatch.undo()
    version = kg_cache.extractor_version()
    assert len(version) == 64 and version == kg_cache.extractor_version()
    c = kg_cache.RecordCache(Path("/nonexistent"))
    assert c.key("a.txt", "x") != c.key("b.txt", "x") != c.key("a.txt", "y")


def test_a_broken_cache_entry_is_extracted_again(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], tmp_path / "a", workers=1, cache_dir=cache, log=quiet)
    entries = sorted((cache / "records").rglob("*.pickle"))
    assert len(entries) == 6
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(b"")
    again = build([corpus], tmp_path / "b", workers=1, cache_dir=cache, log=quiet)
    assert (again.extracted, again.cached) == (2, 4)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_cli_build_options(corpus, tmp_path, capsys):
    from kg.cli import main

    def args(out: str) -> list[str]:
        return ["build", str(corpus), "--out", str(tmp_path / out), "--quiet", "--no-validate",
                "--cache-dir", str(tmp_path / "cache"), "--timings"]

    assert main(args("out")) == 3  # the article is skipped
    err = capsys.readouterr().err
    assert "extracted 6 file(s), 0 from the cache" in err and f"skipped {corpus / ARTICLE.name}" in err
    assert main(args("other") + ["--workers", "1"]) == 3
    assert "extracted 0 file(s), 6 from the cache" in capsys.readouterr().err
    assert main(args("other")) == 3
    err = capsys.readouterr().err
    assert "is up to date" in err and f"skipped {corpus / ARTICLE.name}" in err
    assert main(args("other") + ["--no-cache"]) == 3
    assert "extracted 6 file(s), 0 from the cache" in capsys.readouterr().err
    assert main(args("out") + ["--workers", "0"]) == 2


def test_the_default_input_holds_the_real_corpus_and_the_seeds():
    from kg.reader import collect

    files, problems = collect([ROOT / "data" / "raw"])
    assert problems == []
    assert len([f for f in files if f.parent == REAL]) == 453
    assert sorted(f.name for f in files if f.parent == SEEDS) == sorted(p.name for p in SEEDS.glob("*.txt"))
    extra = ROOT / "data" / "raw" / "extra"  # the Công báo texts of central decisions
    assert len([f for f in files if f.parent == extra]) == 7
    assert len(files) == 465
    assert (REAL / "SOURCES.md").is_file() and (extra / "SOURCES.md").is_file()


# -- SHACL: without the RDFS closure by default; reports written in a stable order ----------------------

SHAPE_CASES = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))


def _results(report) -> list[tuple[str, str]]:
    from rdflib.namespace import RDF

    from kg.namespaces import SH

    return sorted((str(report.value(r, SH.sourceShape)).rsplit("#", 1)[-1],
                   str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1])
                  for r in report.subjects(RDF.type, SH.ValidationResult))


def test_validation_without_rdfs_closure_finds_what_it_finds_with_it():
    """The choice documented in the README: every shape case breaks the same rules without the RDFS closure,
    except a dangling lead agency, still a violation, reported by the duty's sh:class instead of the agency's
    label (the closure types the IRI a vnd:Agency from the property's range)."""
    from rdflib import Graph

    from kg.build import validate

    differ = {}
    for case in SHAPE_CASES:
        data = Graph().parse(case)
        (n_none, none), (n_rdfs, rdfs) = validate(data, inference="none"), validate(data, inference="rdfs")
        assert (n_none == 0) == (n_rdfs == 0), case.name
        if _results(none) != _results(rdfs):
            differ[case.name] = (_results(rdfs), _results(none))
    assert differ == {"duty-lead-agency-dangling.ttl": (
        [("Agency-prefLabel", "QualifiedMinCountConstraintComponent")],
        [("Duty-agency", "ClassConstraintComponent")])}


def test_a_report_with_violations_is_written_in_the_same_order_every_time():
    from rdflib import Graph

    from kg.build import stable_report, validate
    from kg.graph import serialize_turtle

    data = Graph().parse(ROOT / "tests" / "shapes" / "document-type-as-text.ttl")
    texts = set()
    for _ in range(3):
        n, report = validate(data, inference="none")
        assert n == 2
        texts.add(serialize_turtle(stable_report(report)))
    assert len(texts) == 1
