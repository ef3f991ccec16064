"""kg.reader on the forms in which offices publish: .docx, text-layer .pdf, portal .html pages."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from kg.build import extract_file
from kg.reader import SourceError, collect, read_source

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

HEADER = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", "Số: 2145/KH-UBND", "Quảng Nam, ngày 15 tháng 4 năm 2024",
          "KẾ HOẠCH", "Phát triển kinh tế tập thể năm 2024",
          "Căn cứ Quyết định số 1318/QĐ-TTg ngày 22/7/2021 của Thủ tướng Chính phủ;",
          "IV. TỔ CHỨC THỰC HIỆN", "1. Sở NN&PTNT",
          "Chủ trì, phối hợp với Liên minh HTX tỉnh hướng dẫn phát triển hợp tác xã nông nghiệp."]
TABLE = [["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"],
         ["1", "Rà soát hợp tác xã", "Sở Kế hoạch và Đầu tư", "Liên minh HTX tỉnh"]]


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal but valid Word document written with the standard library."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def para(text: str) -> str:
        return f"<w:p><w:r><w:t xml:space=\"preserve\">{text.replace('&', '&amp;')}</w:t></w:r></w:p>"

    body = "".join(para(p) for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{body}</w:body></w:document>'
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("word/document.xml", doc.encode("utf-8"))
    return buf.getvalue()


def _ascii_pdf(lines: list[str]) -> bytes:
    """A hand-written one-page PDF whose text layer holds ``lines`` (Helvetica, ASCII only)."""
    content = "BT /F1 12 Tf 50 780 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_docx_paragraphs_and_table_rows(tmp_path):
    f = tmp_path / "kh.docx"
    f.write_bytes(_docx(HEADER, TABLE))
    src = read_source(f)
    assert src.text == unicodedata.normalize("NFC", src.text)
    assert "Số: 2145/KH-UBND" in src.text
    assert "1 | Rà soát hợp tác xã | Sở Kế hoạch và Đầu tư | Liên minh HTX tỉnh" in src.text
    record, text = extract_file(f)
    doc = record.documents[0]
    assert doc.number == "2145/KH-UBND"
    assert ("Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Nam", "lead") in {(d.agency, d.role) for d in doc.duties}
    for d in doc.duties:  # spans index the text the build writes to sources/
        assert text[d.span.start:d.span.end] == d.span.quote


def test_docx_decomposed_text_comes_out_nfc(tmp_path):
    f = tmp_path / "nfd.docx"
    f.write_bytes(_docx([unicodedata.normalize("NFD", "Kế hoạch số 12/KH-UBND")]))
    assert "Kế hoạch" in read_source(f).text


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 this is not really a zip", "corrupt .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "encrypted .docx"),
], ids=["truncated-zip", "ole-encrypted"])
def test_bad_docx_gives_one_reason(tmp_path, data, reason):
    f = tmp_path / "bad.docx"
    f.write_bytes(data)
    with pytest.raises(SourceError, match=reason.split()[0]):
        read_source(f)


def test_docx_zip_without_document_xml(tmp_path):
    f = tmp_path / "other.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(SourceError, match="without word/document.xml"):
        read_source(f)


def test_pdf_text_layer_hand_written(tmp_path):
    f = tmp_path / "cv.pdf"
    f.write_bytes(_ascii_pdf(["So: 15/2019/TT-BYT", "Can cu Luat Kham benh"]))
    assert "15/2019/TT-BYT" in read_source(f).text


@pytest.mark.skipif(not DEJAVU.exists(), reason="no DejaVu font to embed Vietnamese text")
def test_pdf_vietnamese_text_layer(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    for line in HEADER:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    f = tmp_path / "kh.pdf"
    pdf.output(str(f))
    src = read_source(f)
    assert "Số: 2145/KH-UBND" in src.text
    assert src.text == unicodedata.normalize("NFC", src.text)
    record, _ = extract_file(f)
    assert record.documents[0].number == "2145/KH-UBND"
    assert record.documents[0].issuer == "Ủy ban nhân dân tỉnh Quảng Nam"


def test_pdf_without_text_layer(tmp_path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(_ascii_pdf([]))
    with pytest.raises(SourceError, match="without a text layer"):
        read_source(f)


def test_corrupt_pdf(tmp_path):
    f = tmp_path / "broken.pdf"
    f.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(SourceError, match="PDF"):
        read_source(f)


@pytest.mark.skipif(not DEJAVU.exists(), reason="no font for fpdf2")
def test_encrypted_pdf(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 8, "So: 12/KH-UBND")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    f = tmp_path / "locked.pdf"
    try:
        pdf.output(str(f))
    except Exception as exc:  # noqa: BLE001 - encryption needs the cryptography package
        pytest.skip(f"fpdf2 cannot encrypt here: {exc}")
    with pytest.raises(SourceError, match="encrypted PDF"):
        read_source(f)


PORTAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng TTĐT</title>
<style>body{color:red}</style><script>var x = "Số: 999/KH-UBND";</script></head>
<body><nav><a href="/">Trang chủ</a> <a href="/dn">Đăng nhập</a></nav>
<header>Cổng thông tin điện tử tỉnh Quảng Nam</header>
<div class="content">
<p>ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NAM</p><p>Số: 2145/KH-UBND</p>
<p>Quảng Nam, ngày 15 tháng 4 năm 2024</p><p><b>KẾ HOẠCH</b></p><p>Phát triển kinh tế tập thể năm 2024</p>
<p>IV. TỔ CHỨC THỰC HIỆN</p>
<table><tr><th>TT</th><th>Nội dung nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th></tr>
<tr><td>1</td><td>Rà soát hợp tác xã</td><td>Sở Kế hoạch và Đầu tư</td><td>Liên minh HTX tỉnh</td></tr></table>
<p>Ngân hàng &amp; Kho bạc&nbsp;tỉnh</p>
</div><footer>© 2024 Bản quyền</footer></body></html>"""


def test_html_portal_page(tmp_path):
    f = tmp_path / "kh.html"
    f.write_text(PORTAL, encoding="utf-8")
    text = read_source(f).text
    assert "Số: 2145/KH-UBND" in text and "999/KH-UBND" not in text, "scripts are dropped"
    assert "Trang chủ" not in text and "Bản quyền" not in text, "navigation, header and footer are dropped"
    assert "1 | Rà soát hợp tác xã | Sở Kế hoạch và Đầu tư | Liên minh HTX tỉnh" in text
    assert "Ngân hàng & Kho bạc tỉnh" in text
    assert "ỦY BAN NHÂN DÂN\n\nTỈNH QUẢNG NAM" in text, "<br> and paragraphs keep their line breaks"
    record, _ = extract_file(f)
    assert record.documents[0].number == "2145/KH-UBND"


def test_collect_includes_office_formats(tmp_path):
    for name in ("a.txt", "b.docx", "c.pdf", "d.html", "e.htm", "f.png"):
        (tmp_path / name).write_bytes(b"x")
    files, _ = collect([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.docx", "c.pdf", "d.html", "e.htm"]
