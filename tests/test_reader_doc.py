"""Legacy Word (.doc) files: read through Debian's antiword, or skipped with a reason that names the file.

No genuine .doc file can be made offline here (no LibreOffice, no Python library writes the Word 97 binary
format), so the success path runs a stand-in ``antiword`` script put first on PATH that prints known text and
records its arguments; the refusal of a file antiword cannot read runs the real antiword (.ci/run installs it
and sets KG_REQUIRE_ANTIWORD, which turns its absence into a failure instead of a skip).
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from kg import reader
from kg.cli import main
from kg.reader import SourceError, collect, read_source

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "data" / "raw" / "seeds" / "003_595313972f865c7a.txt"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TITLE = "KẾ HOẠCH Triển khai thực hiện"


def fake_antiword(folder: Path, body: str) -> Path:
    """An executable `antiword` in `folder` running the shell `body`; its arguments go to folder/args."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "antiword"
    exe.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/args"\n{body}\n', encoding="utf-8")
    exe.chmod(0o755)
    return exe


@pytest.fixture
def doc_file(tmp_path):
    path = tmp_path / "in" / "ke-hoach.doc"
    path.parent.mkdir()
    path.write_bytes(OLE_MAGIC + b"\x00" * 600)
    return path


def test_a_doc_file_is_read_through_antiword_as_nfc_utf8(tmp_path, doc_file, monkeypatch):
    text_file = tmp_path / "out.txt"
    text_file.write_bytes(unicodedata.normalize("NFD", TITLE + "\r\nPhân công\n").encode("utf-8"))
    bin_dir = tmp_path / "bin"
    fake_antiword(bin_dir, f'cat "{text_file}"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    source = read_source(doc_file)
    assert source.text == unicodedata.normalize("NFC", TITLE + "\nPhân công\n")
    assert source.encoding == ""
    args = (bin_dir / "args").read_text(encoding="utf-8").splitlines()
    assert args[:4] == ["-m", "UTF-8.txt", "-w", "0"]  # UTF-8 mapping, one line per paragraph
    assert args[4] == str(doc_file.resolve())


def test_without_antiword_a_doc_file_is_refused_by_name(doc_file, monkeypatch):
    monkeypatch.setattr(reader.shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(SourceError) as err:
        read_source(doc_file)
    assert "ke-hoach.doc" in str(err.value) and "antiword is not installed" in str(err.value)


def test_a_doc_file_antiword_fails_on_is_refused_with_its_reason(tmp_path, doc_file, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_antiword(bin_dir, 'echo "$5 is not a Word Document." >&2\nexit 1')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(SourceError) as err:
        read_source(doc_file)
    message = str(err.value)
    assert message.startswith("antiword cannot read ke-hoach.doc")
    assert "ke-hoach.doc is not a Word Document." in message
    assert str(doc_file.parent) not in message  # the file's name, not its full path twice


def test_antiword_that_hangs_is_stopped(tmp_path, doc_file, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_antiword(bin_dir, "exec sleep 60")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KG_TIME_LIMIT", "1")
    monkeypatch.setattr(reader, "DOC_TIMEOUT_FLOOR", 0.5)
    with pytest.raises(SourceError, match="antiword did not finish reading ke-hoach.doc in time"):
        read_source(doc_file)


def test_the_real_antiword_refuses_a_file_that_is_not_a_word_document(doc_file):
    if shutil.which("antiword") is None:
        missing = pytest.fail if os.environ.get("KG_REQUIRE_ANTIWORD") else pytest.skip  # .ci/run requires it
        missing("antiword is not installed (apt-get install antiword)")
    with pytest.raises(SourceError) as err:
        read_source(doc_file)
    assert str(err.value).startswith("antiword cannot read ke-hoach.doc (old Word format .doc): ")


def test_a_folder_with_doc_files_builds_them_and_reports_the_rest(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.doc").write_bytes(OLE_MAGIC + b"\x01" * 600)
    (folder / "broken.doc").write_bytes(OLE_MAGIC + b"\x02" * 600)
    bin_dir = tmp_path / "bin"  # prints the seed plan for plan.doc, fails on any other file
    fake_antiword(bin_dir, f'case "$5" in *plan.doc) cat "{SMALL}";; *) echo "$5 is not a Word Document." >&2; '
                           "exit 1;; esac")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert collect([folder]) == ([folder / "broken.doc", folder / "plan.doc"], [])
    code = main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-validate"])
    captured = capsys.readouterr()
    assert code == 3  # built, with a file skipped
    skipped = [line for line in captured.err.splitlines() if line.startswith("kg: skipped ")]
    assert skipped == [f"kg: skipped {folder / 'broken.doc'}: antiword cannot read broken.doc "
                       "(old Word format .doc): broken.doc is not a Word Document."]
    assert "(1 skipped)" in captured.out
    record = json.loads((tmp_path / "out" / "records" / "plan.doc.json").read_text(encoding="utf-8"))
    assert record["source"] == "plan.doc" and record["documents"][0]["duties"]  # the seed plan read from the .doc
