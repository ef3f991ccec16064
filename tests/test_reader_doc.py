"""Legacy Word (.doc) files: read through Debian's antiword, or skipped with a reason that names the file.

tests/fixtures/doc/ke-hoach-305-an-giang.doc is a genuine Word 97-2003 binary file, an excerpt of a real
provincial plan (plan 305/KH-UBND of An Giang province, from data/raw/seeds/) that LibreOffice converted from the
HTML next to it (tests/fixtures/doc/README.md says how, to make it again); the .docx next to it was made from
the same HTML by the same LibreOffice.  The tests on it run the real antiword (.ci/run installs it and sets
KG_REQUIRE_ANTIWORD, which turns its absence into a failure instead of a skip).  The paths antiword cannot
take (missing, failing, hanging, or its DocBook output unusable) run a stand-in ``antiword`` script put first
on PATH that prints known text and records its arguments.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kg import reader
from kg.cli import main
from kg.reader import SourceError, collect, read_source

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "data" / "raw" / "seeds" / "003_595313972f865c7a.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "doc" / "ke-hoach-305-an-giang.doc"
FIXTURE_DOCX = FIXTURE.with_suffix(".docx")  # made from the same HTML by the same LibreOffice
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TITLE = "KẾ HOẠCH Triển khai thực hiện"


def fake_antiword(folder: Path, body: str) -> Path:
    """An executable `antiword` in `folder` running the shell `body`; its arguments go to folder/args."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "antiword"
    exe.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/args"\n{body}\n', encoding="utf-8")
    exe.chmod(0o755)
    return exe


def require_antiword() -> None:
    """Skip the test when antiword is not installed, or fail it when KG_REQUIRE_ANTIWORD is set (.ci/run)."""
    if shutil.which("antiword") is None:
        missing = pytest.fail if os.environ.get("KG_REQUIRE_ANTIWORD") else pytest.skip
        missing("antiword is not installed (apt-get install antiword)")


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
    require_antiword()
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


# --- the genuine .doc fixture, read by the real antiword ------------------------------------------

def test_the_fixture_is_a_word_97_binary_file_antiword_reads_in_utf8():
    require_antiword()
    assert FIXTURE.read_bytes()[:8] == OLE_MAGIC  # an OLE compound file, not a renamed .docx or text file
    done = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(FIXTURE)], capture_output=True, check=True)
    out = done.stdout.decode("utf-8")
    for words in ("|ỦY BAN NHÂN DÂN ", "|Số: 305/KH-UBND ", "\nKẾ HOẠCH\n", "Ủy ban nhân dân tỉnh ban hành Kế hoạch",
                  "Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính", "|Nguyễn Thị Minh Thúy "):
        assert words in out


def test_the_genuine_doc_is_read_as_nfc_text_with_its_header_and_signature_rows():
    require_antiword()
    source = read_source(FIXTURE)
    assert source.encoding == "" and source.name == "ke-hoach-305-an-giang.doc"
    assert source.text == unicodedata.normalize("NFC", source.text)
    lines = [line for line in source.text.split("\n") if line.strip()]
    # the header table: one line per row, a cell's paragraphs joined by a space, cells by " | "
    assert lines[:4] == [
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Số: 305/KH-UBND | An Giang, ngày 22 tháng 3 năm 2024",
        "KẾ HOẠCH",
        "THỰC HIỆN ĐỀ ÁN “HỖ TRỢ HỢP TÁC XÃ DO PHỤ NỮ THAM GIA QUẢN LÝ, TẠO VIỆC LÀM CHO LAO ĐỘNG NỮ ĐẾN NĂM 2030”, "
        "GIAI ĐOẠN I: 2023 - 2025",
    ]
    assert lines[4].startswith("Căn cứ Quyết định số 01/QĐ-TTg ngày 03 tháng 01 năm 2023 của Thủ tướng Chính phủ")
    assert "1. Hội Liên hiệp Phụ nữ tỉnh" in lines and "3. Sở Tài chính" in lines
    assert lines[-1] == ("Nơi nhận: - Hội Liên hiệp Phụ nữ tỉnh; - Sở: KHĐT, TC; - Lưu: VT. | "
                         "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Minh Thúy")
    assert not any(line.startswith("|") for line in lines)  # no padded "|cell   |" lines of the text mode


def test_the_genuine_doc_reads_as_the_docx_made_from_the_same_source():
    require_antiword()

    def lines(path: Path) -> list[str]:
        return [line for line in read_source(path).text.split("\n") if line.strip()]

    assert lines(FIXTURE) == lines(FIXTURE_DOCX)


def test_kg_extract_of_the_genuine_doc_reads_the_plan(capsys):
    require_antiword()
    assert main(["extract", str(FIXTURE)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["source"] == "ke-hoach-305-an-giang.doc"
    doc = record["documents"][0]
    # what the document's header and signature say: its number, its place and date (22 March 2024), its issuer
    # (the province's people's committee), its signer (a vice-chair, signing for the chair)
    assert (doc["type"], doc["number"], doc["date"]) == ("Kế hoạch", "305/KH-UBND", "2024-03-22")
    assert (doc["issuer"], doc["place"]) == ("Ủy ban nhân dân tỉnh An Giang", "An Giang")
    assert (doc["signer"], doc["signer_post"]) == ("Nguyễn Thị Minh Thúy", "Phó Chủ tịch")
    assert doc["title"].startswith("Thực hiện Đề án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý")
    based_on = [(c["number"], c["issuer"], c["date"]) for c in doc["citations"] if c["relation"] == "based_on"]
    assert based_on == [("01/QĐ-TTg", "Thủ tướng Chính phủ", "2023-01-03")]  # its one "based on" paragraph
    # item 2: the planning department leads, with the finance department and the women's union as partners
    plan_duty = [d for d in doc["duties"] if d["text"].startswith("Sở Kế hoạch và Đầu tư chủ trì")]
    assert {(d["agency"], d["role"]) for d in plan_duty} == {
        ("Sở Kế hoạch và Đầu tư tỉnh An Giang", "lead"),
        ("Sở Tài chính tỉnh An Giang", "partner"),
        ("Hội Liên hiệp Phụ nữ tỉnh An Giang", "partner"),
    }
    leads = {d["agency"] for d in doc["duties"] if d["role"] == "lead"}
    assert {"Hội Liên hiệp Phụ nữ tỉnh An Giang", "Sở Tài chính tỉnh An Giang"} <= leads  # items 1 and 3
    # the closing paragraph: a yearly report due before 30 October
    assert any(d["deadline"] == "2024-10-30" and d["recurring"] == "yearly" for d in doc["duties"])
    quoted = next(d for d in plan_duty if d["role"] == "lead")["span"]
    assert quoted["quote"] == read_source(FIXTURE).text[quoted["start"]:quoted["end"]]


def test_kg_build_of_a_folder_with_the_genuine_doc_and_a_txt_builds_both(tmp_path, capsys):
    require_antiword()
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(FIXTURE, folder / FIXTURE.name)
    shutil.copyfile(SMALL, folder / "lien-minh-htx.txt")
    out = tmp_path / "out"
    code = main(["build", str(folder), "--out", str(out), "--quiet", "--no-validate"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "built 2 file(s)" in captured.out and "(0 skipped)" in captured.out
    assert "kg: skipped" not in captured.err
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert sorted(manifest["sources"]) == ["ke-hoach-305-an-giang.doc", "lien-minh-htx.txt"]
    record = json.loads((out / "records" / "ke-hoach-305-an-giang.doc.json").read_text(encoding="utf-8"))
    assert record["documents"][0]["number"] == "305/KH-UBND" and record["documents"][0]["duties"]


# --- antiword's DocBook output, which gives the rows of a table, is used only when it agrees ------

TABLE_TEXT = ("\n|ỦY BAN NHÂN DÂN    |Hà Nam, ngày 2 tháng 1 năm 2025 |\n|TỈNH HÀ NAM        |                                |\n"
              "\nKẾ HOẠCH\n")


@pytest.mark.parametrize("docbook", [
    "exit 1",  # antiword fails on -x db
    "echo '<book><informaltable'",  # XML that does not parse
    "echo '<book><informaltable><row><entry>Số: 99/KH-UBND</entry></row></informaltable></book>'",  # other text
    "echo '<book/>'",  # no table
], ids=["fails", "broken-xml", "other-text", "no-table"])
def test_a_table_stays_as_antiword_printed_it_when_its_docbook_output_cannot_be_used(tmp_path, doc_file,
                                                                                     monkeypatch, docbook):
    text_file = tmp_path / "out.txt"
    text_file.write_text(TABLE_TEXT, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    fake_antiword(bin_dir, f'if [ "$1" = "-x" ]; then {docbook}; else cat "{text_file}"; fi')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert read_source(doc_file).text == TABLE_TEXT
    assert (bin_dir / "args").read_text(encoding="utf-8").splitlines()[:2] == ["-x", "db"]  # it was asked


def test_a_table_is_written_as_its_docbook_rows_when_they_hold_the_same_text(tmp_path, doc_file, monkeypatch):
    text_file = tmp_path / "out.txt"
    text_file.write_text(TABLE_TEXT, encoding="utf-8")
    xml = ("<book><informaltable><tgroup><tbody>"
           "<row><entry>\nỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\n</entry><entry>\nHà Nam, ngày 2 tháng 1 năm 2025\n</entry></row>"
           "</tbody></tgroup></informaltable></book>")
    bin_dir = tmp_path / "bin"
    fake_antiword(bin_dir, f'if [ "$1" = "-x" ]; then printf "%s" "{xml}"; else cat "{text_file}"; fi')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert read_source(doc_file).text == "\nỦY BAN NHÂN DÂN TỈNH HÀ NAM | Hà Nam, ngày 2 tháng 1 năm 2025\n\nKẾ HOẠCH\n"
