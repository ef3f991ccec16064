"""A build holds a persistent Oxigraph store that queries open read-only instead of parsing graph.trig again."""

from __future__ import annotations

import shutil

import pyoxigraph as ox

from kg.store import PROLOGUE, LocalStore, persistent_store

DOCS = PROLOGUE + """SELECT ?doc ?n WHERE { ?doc eli:id_local ?n } ORDER BY ?doc"""


def test_the_store_is_the_build_graph(seed_build):
    _, out = seed_build
    assert persistent_store(out) == out / "store"
    disk = LocalStore.from_build(out)
    memory = ox.Store()
    memory.bulk_load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    assert len(disk) == len(memory) > 10_000
    assert len(disk) == len(disk.store)  # the count the build stamped (read, not counted) is the store's
    assert disk.select(DOCS) == LocalStore(memory).select(DOCS)

    def named(store):
        return {q for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}

    assert named(disk.store) == named(memory)  # blank nodes (the ontology's lists) get new labels on each load


def test_a_graph_edited_after_the_build_is_read_instead_of_the_store(seed_build, tmp_path):
    """A graph.trig changed by hand (or copied without its store) is what queries see."""
    _, out = seed_build
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    trig = copy / "graph.trig"
    trig.write_text(trig.read_text(encoding="utf-8") + '\n<urn:x:g> { <urn:x:doc> '
                    '<http://data.europa.eu/eli/ontology#id_local> "999/KH-TEST" . }\n', encoding="utf-8")
    assert persistent_store(copy) is None
    numbers = {str(r["n"]) for r in LocalStore.from_build(copy).select(DOCS)}
    assert "999/KH-TEST" in numbers
    shutil.rmtree(copy / "store")
    (copy / "store.json").unlink()
    assert "999/KH-TEST" in {str(r["n"]) for r in LocalStore.from_build(copy).select(DOCS)}


def test_two_readers_open_the_store_at_once(seed_build):
    """The explorer's pages and its SPARQL worker (another process) read the same store."""
    _, out = seed_build
    a, b = LocalStore.from_build(out), LocalStore.from_build(out)
    assert a.select(DOCS) == b.select(DOCS)


def test_the_build_writes_the_search_index_the_explorer_reads(seed_build, tmp_path):
    """lookup.json finds what a look-up made from the store finds; a graph edited after the build is not
    searched through the old index."""
    from kg.lookup import SEARCH_KINDS, Lookup, load_index

    _, out = seed_build
    saved = load_index(out)
    made = Lookup.from_store(LocalStore.from_build(out), kinds=SEARCH_KINDS)
    assert saved is not None and saved.entries == made.entries and saved._labels == made._labels
    for query, kind in (("so tai chinh an giang", "agency"), ("Uỷ ban nhân dân tỉnh Lạng Sơn", "agency"),
                        ("01/QĐ-TTg", "document"), ("hợp tác xã", "duty")):
        assert saved.search(query, kind=kind) == made.search(query, kind=kind) != []
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    (copy / "graph.trig").write_text((copy / "graph.trig").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_index(copy) is None
