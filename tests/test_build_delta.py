"""Rebuilds: a few changed files update a copy of the last build's store; unchanged files are not read again.

What a user checks: the rebuild is the build a build from nothing makes of the
changed corpus (the same files, byte for byte, and the same quads in the
store), the last build's store is not touched by it, and when the last store
is not whole the rebuild still gives the right store (a new one loaded); an
unchanged corpus is known to be unchanged without reading its files, and any
change to a file, even one that keeps its size and modification time, is seen.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import STORE, BuildError, StatIndex, build, update_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "seeds"
REAL = ROOT / "data" / "raw" / "real"
_BLANK = re.compile(r"_:[0-9a-f]+")
MEETING = "000_c1303a026aadc4b7.txt"  # Lạng Sơn's meeting notice: duties of provincial departments


def snapshot(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.relative_to(folder).as_posix().startswith(("store/", "store.json"))}


def quads(folder: Path) -> list[str]:
    """The quads of a build's store, sorted, blank nodes unnamed (a store names them at random when loading)."""
    store = ox.Store.read_only(str(folder / STORE))
    return sorted(_BLANK.sub("_:", str(q)) for q in store)


pytestmark = pytest.mark.usefixtures("fixed_extractor_version")


def quiet(msg: str) -> None:
    pass




def test_a_rebuild_after_edits_replaces_graphs_and_equals_a_build_from_nothing(corpus, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert first.graphs_replaced is None  # nothing to start from: a new store
    before = quads(out)
    # a duty given to another department, one file removed, one added
    meeting = corpus / MEETING
    text = meeting.read_text(encoding="utf-8")
    assert "Giao Sở Khoa học và Công nghệ chủ trì" in text
    meeting.write_text(text.replace("Giao Sở Khoa học và Công nghệ chủ trì", "Giao Sở Ngoại vụ chủ trì"),
                       encoding="utf-8")
    removed = sorted(corpus.glob("0*.txt"))[-1]
    removed.unlink()
    added = sorted(p.name for p in REAL.glob("*.txt"))[6]
    shutil.copy(REAL / added, corpus / added)
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert again.graphs_replaced is not None and again.graphs_replaced >= 3  # the three sources at least
    fresh = build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert fresh.graphs_replaced is None
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    after = quads(out)
    assert after == quads(tmp_path / "fresh")
    assert after != before
    assert any("Sở Ngoại vụ" in q for q in after) and not any(removed.name in q for q in after)
    assert (again.counts, again.violations) == (fresh.counts, fresh.violations)


def test_a_change_that_leaves_the_documents_as_they_were_replaces_one_graph(corpus, tmp_path):
    """A file whose only change leaves its graph as it was (a note after the signature block read as nothing)
    replaces only what differs: its source graph (the SHA-256 of the file is in it), nothing else."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    plan = corpus / "003_595313972f865c7a.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nGhi chú thêm.\n", encoding="utf-8")
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert again.graphs_replaced == 1
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert quads(out) == quads(tmp_path / "fresh")


def test_a_last_store_missing_its_data_gives_way_to_a_new_one(corpus, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    for f in (out / STORE).glob("*.sst"):  # the store's tables lost, its stamp still there
        f.unlink()
    meeting = corpus / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Sở Tài chính", "Sở Nội vụ"), encoding="utf-8")
    said: list[str] = []
    again = build([corpus], out, workers=1, cache_dir=cache, log=said.append)
    assert again.graphs_replaced is None
    assert any("the last build's store could not be" in m and "loading a new store" in m for m in said)
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert quads(out) == quads(tmp_path / "fresh")


def test_updating_leaves_the_last_store_as_it_was(corpus, tmp_path):
    """A copy of the last store is updated, never the last store, which a server may be reading."""
    out = tmp_path / "out"
    build([corpus], out, workers=1, cache_dir=tmp_path / "cache", log=quiet)
    before = quads(out)
    new = tmp_path / "new"
    new.mkdir()
    (new / "graph.trig").write_text("", encoding="utf-8")  # what the store is stamped with (written before it)
    body = '<http://example.org/plan> <http://www.w3.org/2000/01/rdf-schema#label> "Kế hoạch mới" .'.encode()
    store = update_store(out, new, "", {"http://example.org/g": (body, 1, 0)}, [], len(before) + 1)
    del store
    assert quads(out) == before
    assert sorted(set(quads(new)) - set(before)) == [
        '<http://example.org/plan> <http://www.w3.org/2000/01/rdf-schema#label> "Kế hoạch mới" <http://example.org/g>']
    (tmp_path / "other").mkdir()
    with pytest.raises(BuildError, match="3 were written"):  # what it holds is counted
        update_store(out, tmp_path / "other", "", {}, [], 3)
    assert quads(out) == before


def test_an_unchanged_corpus_is_known_without_reading_it(corpus, tmp_path, monkeypatch):
    """The stat index: the second build of unchanged files does not read them; any change to a file (its text
    at the same size and times restored, or another file under its name) is read again."""
    monkeypatch.setattr(StatIndex, "RACY_NS", 0)  # the files were copied a moment ago
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert again.up_to_date and "read" not in again.timings
    assert (again.built, again.skipped, again.counts) == (first.built, first.skipped, first.counts)
    # the same bytes but one, at the same size, its modification time put back
    meeting = corpus / MEETING
    st = meeting.stat()
    data = meeting.read_bytes()
    meeting.write_bytes(data.replace("Khoa học và Công nghệ chủ trì".encode(), "Khoa học và Công nghệ chủ trí".encode()))
    os.utime(meeting, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert meeting.stat().st_size == st.st_size and meeting.stat().st_mtime_ns == st.st_mtime_ns
    changed = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert not changed.up_to_date and "read" in changed.timings and changed.extracted == 1
    # another file moved in under a file's name
    swap = corpus / "swap.tmp"
    swap.write_bytes(data)
    os.replace(swap, meeting)
    assert not build([corpus], out, workers=1, cache_dir=cache, log=quiet).up_to_date
    assert build([corpus], out, workers=1, cache_dir=cache, log=quiet).up_to_date


def test_a_file_changed_just_before_a_build_is_read_again(corpus, tmp_path):
    """A file changed less than StatIndex.RACY_NS before a build read it is not remembered: a change within the
    clock's granularity could leave its times as they were."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)  # every file copied a moment ago
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert again.up_to_date and "read" in again.timings


def test_after_one_file_changed_only_it_is_read_again(corpus, tmp_path, monkeypatch):
    """The stat index: the files a rebuild knows unchanged are not read (their records, graphs and copies come
    from the cache and the last build); the rebuild is the build a build from nothing makes."""
    import kg.build

    monkeypatch.setattr(StatIndex, "RACY_NS", 0)  # the files were copied a moment ago
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    read: list[str] = []
    real_read = kg.build.read_source
    monkeypatch.setattr(kg.build, "read_source", lambda path: read.append(path.name) or real_read(path))
    meeting = corpus / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Giao Sở Khoa học và Công nghệ chủ trì",
                                                                   "Giao Sở Ngoại vụ chủ trì"), encoding="utf-8")
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert read == [MEETING]
    assert again.extracted == 1 and again.graphs_replaced is not None
    fresh = build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert fresh.built == again.built
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert quads(out) == quads(tmp_path / "fresh")
