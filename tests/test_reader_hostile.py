"""Odd and hostile input files (issue 11, input side): size and time limits, AES-encrypted PDFs, .docx with
tracked changes.  Each is skipped with one named reason or read correctly; none hangs or crashes a build."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from kg import limits
from kg.reader import SourceError, docx_text, read_source

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "raw" / "seeds" / "002_4b436b8a86b296d8.txt"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- size -----------------------------------------------------------------------------------------

def test_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_FILE_MB", "0.01")  # 10 KB
    f = tmp_path / "big.txt"
    f.write_bytes(GOOD.read_bytes() * 3)
    with pytest.raises(SourceError, match=r"file too large \(.* MB; the limit is 0\.0 MB, KG_MAX_FILE_MB\)"):
        read_source(f)
    monkeypatch.setenv("KG_MAX_FILE_MB", "20")
    assert read_source(f).text


def test_sparse_huge_file_is_refused_from_its_size_without_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:  # 30 MB that take no disk: only stat() may look at it
        fh.truncate(30 * 2**20)
    with pytest.raises(SourceError, match="file too large"):
        read_source(f)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_docx_zip_bomb_is_refused_from_its_uncompressed_size(tmp_path):
    body = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * (22 * 2**20 // 34)
    xml = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
           b'main"><w:body>' + body + b"</w:body></w:document>")
    f = tmp_path / "bomb.docx"
    f.write_bytes(_zip({"word/document.xml": xml}))
    assert f.stat().st_size < 2**20
    with pytest.raises(SourceError, match=r"word/document.xml \(uncompressed\) too large"):
        read_source(f)


# --- time -----------------------------------------------------------------------------------------

def _spin(*args, **kwargs):
    while True:
        pass


def test_time_limit_interrupts_cpu_work():
    started = time.process_time()
    with pytest.raises(SourceError, match="extraction ran over the time limit of 0.2 s of CPU"):
        with limits.time_limit(0.2, "extraction"):
            _spin()
    assert time.process_time() - started < 30  # it stopped (the bound is only a guard against a hang)
    with limits.time_limit(5):  # a block within its limit is untouched, and no timer is left behind
        pass
    import signal
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_time_limit_interrupts_a_catastrophic_regex():
    import re
    with pytest.raises(SourceError, match="time limit"):
        with limits.time_limit(0.2):
            re.match(r"(a+)+$", "a" * 40 + "b")


def test_reading_a_file_has_a_time_limit(tmp_path, monkeypatch):
    import kg.reader

    monkeypatch.setenv("KG_TIME_LIMIT", "0.2")
    monkeypatch.setattr(kg.reader, "html_text", _spin)
    f = tmp_path / "slow.html"
    f.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(SourceError, match="reading the file ran over the time limit"):
        read_source(f)


def test_extract_job_gives_a_named_skip_on_time_out(monkeypatch):
    import kg.extract

    monkeypatch.setenv("KG_TIME_LIMIT", "0.2")
    monkeypatch.setattr(kg.extract, "extract_text", _spin)
    kind, reason = limits.extract_job(("Số: 1/KH-UBND\n", "slow.txt"))
    assert kind == "nodoc" and "extraction ran over the time limit of 0.2 s" in reason


@pytest.mark.parametrize("workers", [1, 2])
def test_build_skips_a_file_whose_extraction_runs_over_the_limit(tmp_path, monkeypatch, workers):
    """With kg.build._extract_job = kg.limits.extract_job (the change proposed for kg/build.py)."""
    import kg.build
    import kg.extract

    real = kg.extract.extract_text

    def slow_for_one(text, source):
        if source == "slow.txt":
            _spin()
        return real(text, source)

    monkeypatch.setenv("KG_TIME_LIMIT", "0.5")
    monkeypatch.setattr(kg.extract, "extract_text", slow_for_one)
    monkeypatch.setattr(kg.build, "_extract_job", limits.extract_job)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    (folder / "slow.txt").write_text(GOOD.read_text(encoding="utf-8") + "\nthêm\n", encoding="utf-8")
    logged: list[str] = []
    result = kg.build.build([folder], tmp_path / "out", workers=workers, cache=False, log=logged.append)
    assert [Path(p).name for p in result.built] == ["good.txt"]
    assert [(Path(p).name, r.split(" (")[0]) for p, r in result.skipped] == [
        ("slow.txt", "extraction ran over the time limit of 0.5 s of CPU")]
    assert any("skipped" in line and "slow.txt" in line and "time limit" in line for line in logged)


# --- AES-encrypted PDFs ------------------------------------------------------------------------------

def _encrypted_pdf(tmp_path: Path, user_password: str, method: str) -> Path:
    fpdf = pytest.importorskip("fpdf")
    from fpdf.enums import EncryptionMethod

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", "Số: 2145/KH-UBND", "KẾ HOẠCH",
                 "Phát triển kinh tế tập thể năm 2024"):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password,
                       encryption_method=getattr(EncryptionMethod, method))
    f = tmp_path / f"{method}-{bool(user_password)}.pdf"
    pdf.output(str(f))
    return f


@pytest.mark.skipif(not DEJAVU.exists(), reason="no DejaVu font to embed Vietnamese text")
@pytest.mark.parametrize("method", ["AES_128", "AES_256", "RC4"])
def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path, method):
    f = _encrypted_pdf(tmp_path, "", method)
    assert b"/Encrypt" in f.read_bytes()
    text = read_source(f).text
    assert "Số: 2145/KH-UBND" in text and "TỈNH QUẢNG NAM" in text


@pytest.mark.skipif(not DEJAVU.exists(), reason="no DejaVu font to embed Vietnamese text")
@pytest.mark.parametrize("method", ["AES_128", "AES_256"])
def test_encrypted_pdf_with_a_real_password_is_skipped_by_name(tmp_path, method):
    f = _encrypted_pdf(tmp_path, "mat-khau", method)
    with pytest.raises(SourceError, match="encrypted PDF that needs a password"):
        read_source(f)


# --- .docx with tracked changes --------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
AUTH = 'w:author="Van thu" w:date="2024-04-15T08:00:00Z"'


def _run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def _tracked_docx() -> bytes:
    paras = [
        f"<w:p>{_run('Số: 2145/KH-UBND')}</w:p>",
        # a word replaced: the old one deleted, the new one inserted
        f"<w:p>{_run('Phát triển kinh tế ')}<w:del w:id=\"1\" {AUTH}>{_run('hộ gia đình', True)}</w:del>"
        f"<w:ins w:id=\"2\" {AUTH}>{_run('tập thể')}</w:ins>{_run(' năm 2024')}</w:p>",
        # a paragraph moved: its old place (moveFrom, plain w:t runs) and its new one (moveTo)
        f"<w:moveFromRangeStart w:id=\"3\" w:name=\"move1\" {AUTH}/><w:p><w:moveFrom w:id=\"4\" {AUTH}>"
        f"{_run('Sở Tài chính bố trí kinh phí.')}</w:moveFrom></w:p><w:moveFromRangeEnd w:id=\"3\"/>",
        f"<w:p>{_run('Sở Kế hoạch và Đầu tư chủ trì.')}</w:p>",
        f"<w:moveToRangeStart w:id=\"5\" w:name=\"move1\" {AUTH}/><w:p><w:moveTo w:id=\"6\" {AUTH}>"
        f"{_run('Sở Tài chính bố trí kinh phí.')}</w:moveTo></w:p><w:moveToRangeEnd w:id=\"5\"/>",
        # a paragraph deleted whole (its text and its mark)
        f"<w:p><w:pPr><w:rPr><w:del w:id=\"7\" {AUTH}/></w:rPr></w:pPr><w:del w:id=\"8\" {AUTH}>"
        f"{_run('Đoạn bị xóa.', True)}</w:del></w:p>",
        # a paragraph inserted whole
        f"<w:p><w:pPr><w:rPr><w:ins w:id=\"9\" {AUTH}/></w:rPr></w:pPr><w:ins w:id=\"10\" {AUTH}>"
        f"{_run('Sở Nội vụ phối hợp.')}</w:ins></w:p>",
        # a table row deleted
        "<w:tbl><w:tr><w:tc><w:p>" + _run("1") + "</w:p></w:tc><w:tc><w:p>" + _run("Giữ lại") + "</w:p></w:tc></w:tr>"
        f"<w:tr><w:trPr><w:del w:id=\"11\" {AUTH}/></w:trPr><w:tc><w:p><w:del w:id=\"12\" {AUTH}>" + _run("2", True)
        + "</w:del></w:p></w:tc><w:tc><w:p><w:del w:id=\"13\" " + AUTH + ">" + _run("Dòng bị xóa", True)
        + "</w:del></w:p></w:tc></w:tr></w:tbl>",
    ]
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{"".join(paras)}</w:body></w:document>'
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": doc.encode("utf-8")})


def test_docx_tracked_changes_read_as_accepted():
    text = docx_text(_tracked_docx())
    lines = [ln for ln in text.split("\n") if ln]
    assert lines == ["Số: 2145/KH-UBND", "Phát triển kinh tế tập thể năm 2024", "Sở Kế hoạch và Đầu tư chủ trì.",
                     "Sở Tài chính bố trí kinh phí.", "Sở Nội vụ phối hợp.", "1 | Giữ lại"]
    assert text.count("Sở Tài chính") == 1, "a moved paragraph appears once, where it was moved to"
    assert "hộ gia đình" not in text and "xóa" not in text
