"""Bad input, determinism, re-builds and interrupted builds of `kg build`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "seeds"  # the five seed documents: a small, fast build
GOOD = RAW / "002_4b436b8a86b296d8.txt"


def run_kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    # "Kế hoạch số 12/KH-UBND" saved in the legacy TCVN3 (ABC) font encoding
    (folder / "latin1.txt").write_bytes(b"K\xd5 ho\xb9ch s\xe8 12/KH-UBND v\xd2 vi\xd6c tri\xd3n khai\n")
    (folder / "chatter.txt").write_text("Hôm nay trời đẹp, chúng tôi đi dạo trong công viên và uống cà phê.\n",
                                        encoding="utf-8")
    return folder


def test_bad_files_are_skipped_with_one_clear_line_each(mixed_folder, tmp_path, capsys):
    code = main(["build", str(mixed_folder), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err.splitlines()
    assert code == 3, "exit status says something was skipped"
    reasons = {Path(line.split(": ")[1]).name: line for line in err if line.startswith("kg: skipped")}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin1.txt", "chatter.txt"}
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    # TCVN3 is converted (kg.encodings), and the converted line holds no document
    assert "no recognisable document" in reasons["latin1.txt"]
    assert "no recognisable document" in reasons["chatter.txt"]
    assert not any("Traceback" in line for line in err)
    manifest = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["good.txt"], "the good file is still built"
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert len(g) > 100


def test_missing_path_is_reported_not_raised(tmp_path, capsys):
    code = main(["build", str(tmp_path / "nope"), str(GOOD), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 3
    assert "no such file or folder" in capsys.readouterr().err


def test_extract_bad_file_gives_one_line(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    out = run_kg("extract", str(f), "--format", "json")
    assert out.returncode == 1
    assert out.stderr.strip() == f"kg: {f}: empty file"


def test_two_builds_are_byte_identical_and_do_not_duplicate(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    r1 = run_kg("build", str(RAW), "--out", str(a), "--quiet", env={"PYTHONHASHSEED": "1"})
    r2 = run_kg("build", str(RAW), "--out", str(b), "--quiet", env={"PYTHONHASHSEED": "2"})
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    for name in ("graph.ttl", "graph.trig", "build.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    before = len(Graph().parse(a / "graph.ttl"))
    r3 = run_kg("build", str(RAW), "--out", str(a), "--quiet", env={"PYTHONHASHSEED": "3"})
    assert r3.returncode == 0
    assert len(Graph().parse(a / "graph.ttl")) == before
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes()


def test_trig_holds_one_named_graph_per_source(seed_build):
    _, out = seed_build
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}
    assert {"000-c1303a026aadc4b7-txt", "002-4b436b8a86b296d8-txt", "inferred"} <= names
    merged = Graph().parse(out / "graph.ttl")
    union = set()
    for g in ds.graphs():
        union |= set(g)
    assert len(union) == len(merged)
    # each triple in one graph only: stores that query the union would repeat answers otherwise
    assert sum(len(g) for g in ds.graphs()) == len(merged)


def test_interrupted_build_never_leaves_a_truncated_graph(tmp_path):
    out = tmp_path / "out"
    assert run_kg("build", str(RAW), "--out", str(out), "--quiet").returncode == 0
    complete = (out / "graph.ttl").read_bytes()
    started = time.monotonic()
    assert run_kg("build", str(RAW), "--out", str(tmp_path / "timing"), "--quiet").returncode == 0
    duration = time.monotonic() - started
    for i in range(1, 8):
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(RAW), "--out", str(out), "--quiet"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * i / 8)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert (out / "graph.ttl").read_bytes() == complete
        Dataset().parse(out / "graph.trig", format="trig")


def test_a_folder_readme_is_not_read_as_a_document(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_bytes(GOOD.read_bytes())
    (folder / "SOURCES.md").write_text("| file | document |\n|---|---|\n| plan.txt | Kế hoạch 305/KH-UBND |\n",
                                        encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"]) == 0
    manifest = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["plan.txt"]


def test_a_corrupt_graph_gives_one_line_not_a_traceback(tmp_path, capsys):
    (tmp_path / "graph.trig").write_text("garbage <<\n", encoding="utf-8")
    assert main(["trace", "01/QĐ-TTg", "--build", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: {tmp_path / 'graph.trig'}: not a readable graph") and "\n" not in err
    assert main(["serve", "--build", str(tmp_path), "--port", "0"]) == 1
    assert "not a readable graph" in capsys.readouterr().err


def test_extract_of_a_text_without_document_prints_an_empty_record(tmp_path):
    # an article saved from the portal is readable text, not an official document: the record says so
    f = tmp_path / "article.txt"
    f.write_text("Lễ hội Chùa Hương là một lễ hội truyền thống.\n\nLễ hội diễn ra từ mùng 6 tháng Giêng.\n",
                 encoding="utf-8")
    out = run_kg("extract", str(f), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["documents"] == []
    assert out.stderr.strip() == f"kg: {f}: no recognisable document (no number, type heading or described document found)"


def test_a_build_from_a_deleted_folder_says_so_in_one_line(tmp_path):
    # a shell left in a folder another window deleted: one line, no traceback
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && exec "{sys.executable}" -m kg.cli build "{GOOD}" --out "{tmp_path / "out"}" --quiet'
    r = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=600)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "the current folder no longer exists" in r.stderr and len(r.stderr.strip().splitlines()) == 1
