"""The graph cache: a rebuild takes the named graphs of unchanged files as an earlier build made them.

What a user checks: the rebuild is, byte for byte, the build a build from
nothing makes of the changed corpus, even when the change moves a shared
statement (an agency's description) from a later file's graph into an earlier
file's; most graphs are not made again; and a cache whose entries cannot be
read costs time, never a wrong graph.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import STORE, BuildError, build
from tests.test_build_delta import MEETING, quads, quiet, snapshot

pytestmark = pytest.mark.usefixtures("fixed_extractor_version")

AGENCY = "https://w3id.org/vn-directives/ontology#Agency"
MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
LATER = "01bf9d04a5b9e2c8.txt"  # a Lai Châu plan that names the ministry; no file before it in name order does




def describing(folder: Path, label: str) -> set[str]:
    """The named graphs (file part of their IRI) that state an agency with this skos:prefLabel."""
    store = ox.Store.read_only(str(folder / STORE))
    label_of = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    rows = store.quads_for_pattern(None, label_of, ox.Literal(label, language="vi"), None)
    a, agency = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(AGENCY)
    return {q.graph_name.value.rsplit("/", 1)[-1] for q in rows
            if any(store.quads_for_pattern(q.subject, a, agency, q.graph_name))}


def test_an_earlier_file_naming_an_agency_takes_its_description_from_a_later_files_kept_graph(corpus, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    graphs = first.graphs_made
    assert first.graphs_kept == 0 and graphs >= 12  # 11 files, the ontology, inferred links, units, successions
    assert (corpus / LATER).is_file() and describing(out, MINISTRY) == {"01bf9d04a5b9e2c8-txt"}
    # the first file in name order now gives a duty to the ministry: its description moves to that file's graph
    meeting = corpus / MEETING
    text = meeting.read_text(encoding="utf-8")
    assert "Giao Sở Khoa học và Công nghệ chủ trì" in text
    meeting.write_text(text.replace("Giao Sở Khoa học và Công nghệ chủ trì", f"Giao {MINISTRY} chủ trì"),
                       encoding="utf-8")
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    fresh = build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert quads(out) == quads(tmp_path / "fresh")
    assert describing(out, MINISTRY) == {"000-c1303a026aadc4b7-txt"}
    # made again: the edited file, the later file that gave the description up, the inferred links (never kept)
    # and the successions (the agencies named changed); every other graph is the one kept
    assert again.graphs_made + again.graphs_kept == graphs
    assert again.graphs_made <= 4
    assert fresh.graphs_kept == 0


def test_unreadable_cache_entries_are_made_again(corpus, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    entries = sorted((cache / "graphs").rglob("*.pickle"))
    assert len(entries) >= first.graphs_made - 1  # every graph but the inferred links is kept
    for i, entry in enumerate(entries):  # cut short, or replaced by another entry's bytes
        entry.write_bytes(entry.read_bytes()[:40] if i % 2 else entries[i - 1].read_bytes())
    (corpus / LATER).unlink()
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert again.graphs_kept == 0
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert quads(out) == quads(tmp_path / "fresh")


def test_a_build_that_fails_keeps_no_graph(corpus, tmp_path, monkeypatch):
    """Graphs a failed build made (here written broken) are not kept: the next build makes them again."""
    import kg.build

    out, cache = tmp_path / "out", tmp_path / "cache"
    with monkeypatch.context() as m:
        m.setattr(kg.build, "_body", lambda triples, shared: ("<a> <b> \"broken\n literal\" .", {}))
        with pytest.raises(BuildError, match="does not parse"):
            build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert not [p for p in (cache / "graphs").rglob("*") if p.is_file()]
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert again.graphs_kept == 0
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_what_a_killed_build_left_pending_is_removed_by_the_next(corpus, tmp_path):
    """A build killed before it could commit leaves its graphs under graphs/pending/: the next build on this
    machine removes them (not those of a build still running)."""
    import subprocess

    from kg import cache as kg_cache

    out, cache = tmp_path / "out", tmp_path / "cache"
    gone = subprocess.Popen(["true"])  # a process that ran and is no more
    gone.wait()
    dead = cache / "graphs" / "pending" / f"{kg_cache._HOST}-{gone.pid}-0123456789ab"
    alive = cache / "graphs" / "pending" / f"{kg_cache._HOST}-{os.getpid()}-ba9876543210"
    other = cache / "graphs" / "pending" / f"otherhost-{os.getpid() + 1}-0123456789ab"
    for folder in (dead, alive, other):
        folder.mkdir(parents=True)
        (folder / "entry").write_bytes(b"x" * 1000)
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert not dead.exists()
    assert (alive / "entry").is_file() and (other / "entry").is_file()


def test_a_record_gone_from_the_cache_during_a_build_stops_it_and_leaves_the_last_build(corpus, tmp_path,
                                                                                       monkeypatch):
    """A build holds the heads of the records and reads a record from the cache only to make its graph or
    write it: when its entry has gone meanwhile (a user cleaning the cache), the build names the file and keeps
    the last build."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    before = snapshot(out)
    meeting = corpus / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Giao Sở Khoa học và Công nghệ chủ trì",
                                                                   f"Giao {MINISTRY} chủ trì"), encoding="utf-8")
    monkeypatch.setattr("kg.cache.RecordCache.record", lambda self, key: None)
    with pytest.raises(BuildError, match=f"record of {MEETING} is no longer in the cache.*left as it was"):
        build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert snapshot(out) == before
    monkeypatch.undo()
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert describing(out, MINISTRY) == {"000-c1303a026aadc4b7-txt"} and again.graphs_made <= 4


def test_a_cache_that_cannot_be_written_gives_the_same_build(corpus, tmp_path, monkeypatch):
    """When a record cannot be written to the cache, its head holds it: the build is the build without a cache."""
    monkeypatch.setattr("kg.cache.RecordCache.put", lambda self, key, outcome, record=None: False)
    done = build([corpus], tmp_path / "out", workers=1, cache_dir=tmp_path / "cache", log=quiet)
    assert done.extracted == len(done.built) > 10
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")
