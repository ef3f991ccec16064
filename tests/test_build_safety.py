"""The last good build is sacred: what `kg build` writes, what it refuses, what survives a kill.

Issue 11: unparseable TriG from control characters, a failed build replacing the
previous one, torn builds after kill -9, files of mode 0600, a 400-digit target
becoming Infinity, silent skips, the same text built twice.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "seeds"  # the five seed documents: a small, fast build
GOOD = RAW / "002_4b436b8a86b296d8.txt"
SMALL = RAW / "003_595313972f865c7a.txt"
SENTENCE = "phối hợp các sở, ban, ngành"  # inside a duty sentence of GOOD


def run_kg(*args: str, umask: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600, preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def _store_file(name: str) -> bool:
    """A file of the persistent store (binary, not byte-reproducible: checked by opening it, see check_whole)."""
    return name == "store.json" or name.startswith("store/")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder` with its bytes and mode, but for the persistent store's."""
    return {str(f.relative_to(folder)): (f.read_bytes(), f.stat().st_mode)
            for f in sorted(folder.rglob("*")) if f.is_file() and not _store_file(str(f.relative_to(folder)))}


def quads(path: Path) -> list:
    fmt = pyoxigraph.RdfFormat.TRIG if path.suffix == ".trig" else pyoxigraph.RdfFormat.TURTLE
    return list(pyoxigraph.parse(path=str(path), format=fmt))


def check_whole(out: Path) -> dict:
    """The build folder holds exactly the files its build.json lists, with their hashes, its graphs parse, and
    its persistent store opens on this graph.trig with as many quads."""
    from kg.store import LocalStore, persistent_store

    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    listed = manifest["files"]
    present = {str(f.relative_to(out)) for f in out.rglob("*") if f.is_file()} - {"build.json"}
    assert {p for p in present if not _store_file(p)} == set(listed), f"files not of this build: {present ^ set(listed)}"
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, f"{name} is from another build"
    trig = quads(out / "graph.trig")
    assert trig and quads(out / "graph.ttl")
    assert persistent_store(out) == out / "store", "the store was not loaded from this graph.trig"
    assert len(LocalStore.from_build(out)) == len(trig) == manifest["store"]["quads"]
    return manifest


# -- 1. literals: every graph written parses back ----------------------------------------------------

@pytest.mark.parametrize("char", ["\x0c", "\x0b", "\x85", "\u2028", "\u2029", "\x1c", "\r", "\x00"],
                         ids=["FF", "VT", "NEL", "LS", "PS", "FS", "CR", "NUL"])
def test_line_breaking_characters_in_a_sentence_give_a_parseable_graph(char, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    assert SENTENCE in text
    (folder / "plan.txt").write_text(text.replace(SENTENCE, SENTENCE.replace(", ban", f",{char}ban")),
                                     encoding="utf-8", newline="")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--quiet", "--no-validate"]) == 0
    for name in ("graph.trig", "graph.ttl"):
        assert quads(out / name), name
    Dataset().parse(out / "graph.trig", format="trig")
    # the quote keeps the character and the offsets still point at it in the saved source
    source = (out / "sources" / "plan.txt").read_bytes().decode("utf-8")
    store = pyoxigraph.Store()
    store.bulk_load(path=str(out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    rows = list(store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?start ?end ?exact WHERE { GRAPH ?g {
          ?r oa:hasSelector ?p, ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact } }"""))
    assert rows
    with_char = [r for r in rows if char in r["exact"].value]
    assert with_char, "the quote holding the character is in the graph"
    for r in rows:
        assert source[int(r["start"].value):int(r["end"].value)] == r["exact"].value


def test_trig_keeps_a_literal_line_that_looks_like_a_prefix_and_prefixes_rdflib_makes_up():
    from rdflib import Literal, URIRef

    from kg.build import trig_text

    ds = Dataset()
    text = "một\n@prefix x: <http://x/> .\nhai\u2028ba"
    ds.graph(URIRef("http://g/1")).add((URIRef("http://a/s"), URIRef("http://a/p"), Literal(text)))
    ds.graph(URIRef("http://g/2")).add((URIRef("http://a/s"), URIRef("http://b/q"), Literal("y")))
    parsed = list(pyoxigraph.parse(trig_text(ds).encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG))
    assert sorted((q.predicate.value, q.object.value) for q in parsed) == [("http://a/p", text), ("http://b/q", "y")]


def test_a_graph_that_does_not_parse_back_never_replaces_the_build(tmp_path, monkeypatch, capsys):
    import kg.build

    out = tmp_path / "out"
    assert main(["build", str(SMALL), "--out", str(out), "--quiet", "--no-validate"]) == 0
    before = snapshot(out)
    capsys.readouterr()
    # a serialiser writing a literal with a raw line break where one line is needed
    monkeypatch.setattr(kg.build, "_body", lambda triples, shared: ("<a> <b> \"broken\n literal\" .", {}))
    code = main(["build", str(GOOD), "--out", str(out), "--quiet", "--no-validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert "graph.trig" in err and "does not parse" in err and "Traceback" not in err
    assert snapshot(out) == before, "the previous build is kept"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no temporary folder left behind"


# -- 2. nothing built: nothing touched ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["mistyped", "empty", "only-bad"])
def test_a_build_that_finds_nothing_leaves_the_previous_build_as_it_was(kind, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(SMALL), "--out", str(out), "--quiet", "--no-validate"]) == 0
    before = snapshot(out)
    source = tmp_path / "in"
    if kind != "mistyped":
        source.mkdir()
    if kind == "only-bad":
        (source / "empty.txt").write_bytes(b"")
    assert main(["build", str(source), "--out", str(out), "--quiet", "--no-validate"]) == 1
    assert "nothing was built" in capsys.readouterr().err
    assert snapshot(out) == before


# -- 3. kill -9 at random moments: always one whole build --------------------------------------------

def test_killed_builds_always_leave_one_whole_build(tmp_path):
    """kill -9 at random moments of builds that alternate between two inputs: the folder is always one of the two."""
    out = tmp_path / "out"
    inputs = [[str(SMALL), str(RAW / "004_eca081be624e73e1.txt")], [str(SMALL)]]
    wholes = []
    started = time.monotonic()
    for files in inputs:
        done = run_kg("build", *files, "--out", str(out), "--quiet")
        assert done.returncode == 0, done.stderr
        wholes.append({name: data for name, (data, _) in snapshot(out).items()})
    duration = (time.monotonic() - started) / len(inputs)
    assert wholes[0] != wholes[1]
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    kills = rounds = 0
    while kills < 32 and rounds < 120:  # every fourth build runs to its end, so the folder changes between kills
        i, rounds = rounds, rounds + 1
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", *inputs[i % 2], "--out", str(out),
                                 "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 4 != 3:
            time.sleep(rng.uniform(0.0, duration))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        proc.wait()
        now = {name: data for name, (data, _) in snapshot(out).items()}
        assert now in wholes, (f"seed {seed}, round {i}: a torn build: "
                               f"{sorted(n for n in set(now) | set(wholes[0]) if now.get(n) != wholes[0].get(n))}")
        check_whole(out)
    assert kills >= 30, f"seed {seed}: only {kills} builds were killed in {rounds} rounds"
    assert run_kg("build", *inputs[0], "--out", str(out), "--quiet").returncode == 0
    check_whole(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "killed builds' folders are cleaned up"


def test_switch_without_an_atomic_exchange_and_recovery(tmp_path, monkeypatch):
    """Where the system cannot swap two names, two renames; a folder moved aside by a killed build is put back."""
    from kg import atomic

    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    target = tmp_path / "out"
    target.mkdir()
    (target / "graph.trig").write_text("old", encoding="utf-8")
    new = atomic.temp_dir(target)
    (new / "graph.trig").write_text("new", encoding="utf-8")
    atomic.switch_dir(new, target)
    assert (target / "graph.trig").read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    # killed between the two renames: the old folder is aside, the new one beside it, `out` missing
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    os.rename(target, tmp_path / f".out.old-{dead}-abc")
    (tmp_path / f".out.new-{dead}-def").mkdir()
    atomic.recover_dir(target)
    assert (target / "graph.trig").read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_build_json_names_every_file_with_its_hash(seed_build):
    _, out = seed_build
    manifest = check_whole(out)
    assert manifest["build_id"] == hashlib.sha256(json.dumps(manifest["files"], sort_keys=True)
                                                  .encode("utf-8")).hexdigest()


def test_a_folder_that_is_not_a_build_is_refused(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    assert main(["build", str(SMALL), "--out", str(out), "--quiet", "--no-validate"]) == 1
    assert "notes.txt" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


# -- 4. file modes follow the umask ------------------------------------------------------------------

@pytest.mark.parametrize("umask,file_mode,dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_output_files_follow_the_umask(umask, file_mode, dir_mode, tmp_path):
    out = tmp_path / "out"
    done = run_kg("build", str(SMALL), "--out", str(out), "--quiet", "--no-validate", umask=umask)
    assert done.returncode == 0, done.stderr
    for p in [out, *out.rglob("*")]:
        want = dir_mode if p.is_dir() else file_mode
        assert p.stat().st_mode & 0o777 == want, f"{p}: {oct(p.stat().st_mode & 0o777)}"


def test_atomic_write_follows_the_umask(tmp_path):
    from kg import atomic

    old = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


# -- 5. numbers ---------------------------------------------------------------------------------------

def test_a_400_digit_number_is_not_a_target(tmp_path):
    from kg.extract.targets import targets_in

    assert targets_in("phấn đấu đạt " + "9" * 400 + " hộ gia đình", 2025) == []
    assert targets_in("phấn đấu đạt " + "1" * 16 + " hộ gia đình", 2025) == []
    assert targets_in("phấn đấu đạt 1.000.000 hộ gia đình", 2025)[0][2] == 1_000_000
    folder = tmp_path / "in"
    folder.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    assert "ít nhất 10 HTX" in text
    (folder / "plan.txt").write_text(text.replace("ít nhất 10 HTX", "ít nhất " + "9" * 400 + " HTX"),
                                     encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--quiet", "--no-validate"]) == 0

    def refuse(name):
        raise AssertionError(f"{name} in the record")

    record = json.loads((out / "records" / "plan.txt.json").read_text(encoding="utf-8"), parse_constant=refuse)
    values = [t[k] for d in record["documents"] for t in d["targets"] for k in ("min", "max")]
    assert all(v is None or math.isfinite(v) for v in values)
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert "INF" not in trig and "NaN" not in trig


def test_a_non_finite_target_value_is_not_written_to_the_graph():
    from kg.graph import GraphBuilder
    from kg.records import Document, Record, Target

    doc = Document(primary=True, number="12/KH-UBND", type="Kế hoạch", issuer="Ủy ban nhân dân tỉnh An Giang",
                   date="2024-01-02", signer=None, title="Kế hoạch thử",
                   targets=[Target(year=2025, min=float("inf"), max=float("nan"), unit="hộ", text="x")])
    ds = GraphBuilder([Record(source="a.txt", documents=[doc])], {"a.txt": "x"}).dataset()
    from kg.build import trig_text

    text = trig_text(ds)
    assert "INF" not in text and "NaN" not in text
    assert list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG))


# -- 6. nothing skipped silently ---------------------------------------------------------------------

def skipped_lines(err: str) -> dict[str, str]:
    """{path: line} of the "kg: skipped PATH: REASON" lines."""
    return {line[len("kg: skipped "):].split(": ")[0]: line for line in err.splitlines()
            if line.startswith("kg: skipped ")}


def test_files_of_other_formats_in_a_folder_are_reported(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SMALL, folder / "plan.txt")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (folder / "blob.bin").write_bytes(bytes(range(256)))
    (folder / "README.md").write_text("notes\n", encoding="utf-8")  # a folder's notes: not a document
    code = main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"])
    captured = capsys.readouterr()
    assert code == 3
    lines = skipped_lines(captured.err)
    assert set(lines) == {str(folder / "old.doc"), str(folder / "blob.bin")}
    assert "not a supported format" in lines[str(folder / "blob.bin")]
    assert ".doc" in lines[str(folder / "old.doc")]
    assert "(2 skipped)" in captured.out


def test_an_unreadable_subfolder_is_reported(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SMALL, folder / "plan.txt")
    shutil.copy(GOOD, folder / "locked" / "other.txt")
    (folder / "locked").chmod(0)
    if os.geteuid() == 0:  # root reads any folder: make this one fail as it would for a user
        real = os.scandir

        def scandir(path="."):
            if Path(path) == folder / "locked":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        monkeypatch.setattr(os, "scandir", scandir)
    try:
        code = main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"])
    finally:
        (folder / "locked").chmod(0o755)
    lines = skipped_lines(capsys.readouterr().err)
    assert code == 3
    assert set(lines) == {str(folder / "locked")}
    assert "cannot read folder" in lines[str(folder / "locked")]
    assert "Permission denied" in lines[str(folder / "locked")]


def test_symlinks_inside_are_followed_outside_are_reported(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(GOOD, outside / "plan.txt")
    shutil.copy(SMALL, folder / "sub" / "small.txt")
    (folder / "inside.txt").symlink_to(folder / "sub" / "small.txt")      # a second name of a file read anyway
    (folder / "outside.txt").symlink_to(outside / "plan.txt")             # points out of the folder
    (folder / "linkdir").symlink_to(outside, target_is_directory=True)    # a folder out of the folder
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    code = main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"])
    captured = capsys.readouterr()
    lines = skipped_lines(captured.err)
    assert code == 3
    assert set(lines) == {str(folder / n) for n in ("inside.txt", "outside.txt", "linkdir", "broken.txt")}
    assert "same file as" in lines[str(folder / "inside.txt")]
    assert "symlink outside the input folder" in lines[str(folder / "outside.txt")]
    assert "symlink outside the input folder" in lines[str(folder / "linkdir")]
    assert "broken symlink" in lines[str(folder / "broken.txt")]
    manifest = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["small.txt"]


def test_a_symlink_to_a_file_inside_the_folder_is_read(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / ".store").mkdir(parents=True)  # hidden folders are not walked, but a link into one is followed
    shutil.copy(SMALL, folder / ".store" / "small.txt")
    (folder / "plan.txt").symlink_to(folder / ".store" / "small.txt")
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"]) == 0
    manifest = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["plan.txt"]


# -- 7. the same text twice ---------------------------------------------------------------------------

def test_the_same_text_under_two_names_is_built_once(tmp_path, capsys):
    single = tmp_path / "single"
    assert main(["build", str(GOOD), "--out", str(single), "--quiet", "--no-validate"]) == 0
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "a.txt")
    # the same text, its letters decomposed (NFD): the same after NFC
    (folder / "b.txt").write_text(unicodedata.normalize("NFD", GOOD.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    code = main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"])
    captured = capsys.readouterr()
    assert code == 3
    lines = skipped_lines(captured.err)
    assert set(lines) == {str(folder / "b.txt")}
    assert lines[str(folder / "b.txt")].endswith(f"same text as {folder / 'a.txt'}")
    one = json.loads((single / "build.json").read_text(encoding="utf-8"))["counts"]
    two = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))["counts"]
    assert two["duties"] == one["duties"]
