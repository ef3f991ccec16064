"""kg.reader on plain texts in the encodings offices have: UTF-16, UTF-8 with BOM, Windows-1258, TCVN3 (ABC,
.VnTime fonts) and VNI-Windows (VNI-Times fonts); mojibake refused, never extracted.

The legacy bytes are made here from the tables of data/encodings/ read backwards, the way the old fonts'
keyboard drivers wrote them (uppercase toned letters of TCVN3 as lowercase codes in an uppercase font).
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from kg.build import extract_file
from kg.encodings import decode_text, is_syllable
from kg.reader import SourceError, read_source

DATA = Path(__file__).resolve().parents[1] / "data" / "encodings"

# a real-looking plan of a provincial committee, in NFC
PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM
Số: 2145/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Nam, ngày 15 tháng 4 năm 2024

KẾ HOẠCH
Phát triển kinh tế tập thể năm 2024

Căn cứ Quyết định số 1318/QĐ-TTg ngày 22/7/2021 của Thủ tướng Chính phủ về việc phê duyệt Kế hoạch phát triển kinh tế tập thể;

Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau:

I. MỤC TIÊU
Phấn đấu đến cuối năm 2024 thành lập mới 50 hợp tác xã.

II. TỔ CHỨC THỰC HIỆN
1. Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính hướng dẫn thành lập hợp tác xã; hoàn thành trước ngày 30/6/2024.
2. Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Liên minh Hợp tác xã tỉnh hỗ trợ hợp tác xã nông nghiệp ứng dụng công nghệ cao.
"""


def _rows(name):
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def to_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 bytes as the ABC driver typed them; toned capitals as lowercase codes (.VnTimeH)."""
    table = {chr(int(r["unicode"][2:], 16)): int(r["byte"], 16) for r in _rows("tcvn3.csv")}
    vn3 = {c: b for c, b in table.items() if not (c.isupper() and unicodedata.decomposition(c).count(" ") >= 1
                                                   and c not in "ĂÂÊÔƠƯĐ")}
    out = bytearray()
    for ch in text:
        if ch.isascii():
            out.append(ord(ch))
        elif ch in vn3:
            out.append(vn3[ch])
        elif ch.lower() in vn3:  # an uppercase toned letter: the lowercase code, drawn capital by .VnTimeH
            out.append(vn3[ch.lower()])
        else:
            raise ValueError(ch)
    return bytes(out)


def to_vni(text: str) -> bytes:
    """Unicode -> VNI-Windows bytes (each letter of vni.csv as its byte sequence)."""
    table = {r["char"]: bytes.fromhex(r["vni_bytes"]) for r in _rows("vni.csv")}
    return b"".join(table[ch] if ch in table else ch.encode("cp1252") for ch in text)


def to_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 as Windows writes it: base letters with combining tone marks."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tone = next(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", d.replace(tone, ""))
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


ENCODINGS = {
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf-16-bom-le": lambda t: t.encode("utf-16"),  # Python writes the BOM, little-endian here
    "utf-16-bom-be": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
    "utf-8-nfd": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "cp1258": to_cp1258,
    "tcvn3": to_tcvn3,
    "vni": to_vni,
}


def test_tables_are_whole():
    tcvn = _rows("tcvn3.csv")
    assert len({r["byte"] for r in tcvn}) == len(tcvn) == 95  # 0xA1-0xFF
    vni = _rows("vni.csv")
    assert len({r["vni_text"] for r in vni}) == len(vni)
    letters = set("àảãáạăằẳẵắặâầẩẫấậèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵđ")
    for name in ("tcvn3.csv", "vni.csv"):  # every Vietnamese lowercase letter can be written
        have = {r["char"] for r in _rows(name)} | {chr(int(r["unicode"][2:6], 16)) for r in _rows(name)}
        assert letters - have <= {"í", "ì"} if name == "vni.csv" else not letters - have, name


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_plan_in_each_encoding_reads_as_the_unicode_plan(tmp_path, encoding):
    f = tmp_path / f"kh-{encoding}.txt"
    data = ENCODINGS[encoding](PLAN)
    f.write_bytes(data)
    src = read_source(f)
    assert src.text == unicodedata.normalize("NFC", src.text)
    want = PLAN
    if encoding == "utf-8-nfd":
        want = unicodedata.normalize("NFC", PLAN)
    assert src.text == want, encoding
    record, text = extract_file(f)
    doc = record.documents[0]
    assert doc.number == "2145/KH-UBND"
    assert doc.issuer == "Ủy ban nhân dân tỉnh Quảng Nam"
    leads = {d.agency for d in doc.duties if d.role == "lead"}
    assert "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam" in leads
    for item in (*doc.duties, *doc.citations, *doc.targets):
        assert text[item.span.start:item.span.end] == item.span.quote


def test_encodings_are_named():
    assert decode_text(to_tcvn3(PLAN))[1] == "tcvn3"
    assert decode_text(to_vni(PLAN))[1] == "vni"
    assert decode_text(to_cp1258(PLAN))[1] == "cp1258"
    assert decode_text(PLAN.encode("utf-16-le"))[1] == "utf-16-le"
    assert decode_text(PLAN.encode("utf-8"))[1] == "utf-8"


def test_tcvn3_uppercase_font_restored_only_next_to_capitals():
    text, _ = decode_text(to_tcvn3("KẾ HOẠCH\nĐỀ ÁN 06\nSố: 12/KH-UBND về việc triển khai\n"))
    assert text == "KẾ HOẠCH\nĐỀ ÁN 06\nSố: 12/KH-UBND về việc triển khai\n"


def test_short_tcvn3_line_of_the_old_test():
    # "Kế hoạch số 12/KH-UBND về việc triển khai" typed with .VnTime (tests/test_build_input.py)
    text, enc = decode_text(b"K\xd5 ho\xb9ch s\xe8 12/KH-UBND v\xd2 vi\xd6c tri\xd3n khai\n")
    assert (text, enc) == ("Kế hoạch số 12/KH-UBND về việc triển khai\n", "tcvn3")


@pytest.mark.parametrize("data, reason", [
    (bytes(range(0x80, 0x100)) * 4, "not UTF-8"),  # every high byte: no encoding gives Vietnamese words
    ("Ïðàâèòåëüñòâî ïîñòàíîâëÿåò".encode("cp1252"), "not UTF-8"),  # Russian in Windows-1251 bytes
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"\xff\xfe" + b"\x00\xd8" * 10, "invalid UTF-16"),  # lone surrogates after a BOM
], ids=["all-high-bytes", "cyrillic-8bit", "png", "bad-utf16"])
def test_undecodable_bytes_are_refused_by_name(tmp_path, data, reason):
    f = tmp_path / "x.txt"
    f.write_bytes(data)
    with pytest.raises(SourceError, match=reason):
        read_source(f)


def test_mojibake_in_utf8_is_repaired_or_refused(tmp_path):
    # a .VnTime text pasted into a Unicode editor: TCVN3 bytes shown as Windows-1252 characters, saved as UTF-8
    pasted = to_tcvn3(PLAN).decode("cp1252").encode("utf-8")
    f = tmp_path / "pasted.txt"
    f.write_bytes(pasted)
    src = read_source(f)
    assert src.text == PLAN and "TCVN3" in src.encoding
    # UTF-8 read as Windows-1252 and saved again (double-encoded)
    misread = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in PLAN.encode("utf-8"))
    f.write_bytes(misread.encode("utf-8"))
    src = read_source(f)
    assert src.text == PLAN and "double-encoded" in src.encoding
    # the same with the undefined bytes lost (U+FFFD): cannot be repaired, refused
    f.write_bytes(PLAN.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    with pytest.raises(SourceError, match="mojibake"):
        read_source(f)
    # accents that no encoding makes Vietnamese: refused, not extracted
    f.write_bytes(("Kë höäçh sø tÿ 12 " * 40 + "Sở Tài chính\n").encode("utf-8"))
    with pytest.raises(SourceError, match="mojibake"):
        read_source(f)


def test_unicode_texts_of_other_scripts_are_not_called_mojibake(tmp_path):
    f = tmp_path / "zh.txt"
    f.write_text("越南政府 " * 50 + "\nSố: 12/KH-UBND\n", encoding="utf-8")
    assert "越南政府" in read_source(f).text


def test_corpus_is_read_unchanged():
    # every real text is UTF-8 and read exactly as before (no repair fires on Vietnamese)
    root = Path(__file__).resolve().parents[1] / "data" / "raw"
    files = sorted(root.glob("*/*.txt"))
    assert len(files) > 400
    for f in files:
        text, enc = decode_text(f.read_bytes())
        assert enc in ("utf-8", "utf-8-sig"), f
        assert text == unicodedata.normalize("NFC", f.read_bytes().decode("utf-8-sig")), f


@pytest.mark.parametrize("word, ok", [("nghiêng", True), ("Quyết", True), ("HOẠCH", True), ("khuya", True),
                                      ("hoạch", True), ("céng", True), ("hoµ", False), ("Ñaø", False),
                                      ("aỡ", False), ("tiếếng", False), ("ngoằn", True), ("vườn", True),
                                      ("uơơ", False), ("µ", False)])
def test_syllables(word, ok):
    assert is_syllable(word) is ok
