"""Fuzzing the input side (issue 11): random and mutated real texts, as bytes in a file, through kg.reader and
the extractor.  Whatever the input: no exception but the reader's named SourceError (NoDocumentError included),
NFC text, and every span of the record quotes the text it points into.

Deterministic (derandomized, no example database) so that CI sees the same cases on every run;
benchmarks/bench_fuzz.py runs many more."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.build import extract_source
from kg.reader import NoDocumentError, SourceError, read_source

ROOT = Path(__file__).resolve().parents[1]
REAL = sorted((ROOT / "data" / "raw" / "real").glob("*.txt"))[::23] + sorted((ROOT / "data" / "raw" / "seeds").glob("*.txt"))
TEXTS = [f.read_text(encoding="utf-8") for f in REAL]

ALPHABET = ("abcdeghiklmnopqrstuvxyĐđăâêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
            "ABCDEGHIKLMNOPQRSTUVXYÀÁẠẢÃĂÂÊÔƠƯỦỌ0123456789 .,;:-–/()|*\"'“”\n\t\r\f\v\x85\u2028\u00a0\ufeff\u0301\u0323")
WORDS = ["Số:", "KẾ HOẠCH", "QUYẾT ĐỊNH:", "Căn cứ", "Điều 1.", "Sở ", "Tài chính", "chủ trì", "phối hợp với",
         "Ủy ban nhân dân tỉnh", "UBND huyện", "trước ngày 30/6/2025", "| ", " |", "1.", "a)", "- ", "Nơi nhận:",
         "/QĐ-TTg", "/KH-UBND", "ngày 15 tháng 4 năm 2024", "Quý II/2025", "các Sở, ban, ngành", "\n", "\n\n"]

piece = st.one_of(st.text(alphabet=ALPHABET, max_size=40), st.sampled_from(WORDS))


@st.composite
def mutated(draw):
    """A window of a real text with a few edits: deletions, repeats, insertions, case changes."""
    text = draw(st.sampled_from(TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    text = text[start:start + draw(st.integers(200, 6000))] if draw(st.booleans()) else text
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 200)))
        op = draw(st.sampled_from(["delete", "repeat", "insert", "upper", "lower", "swap"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "repeat":
            text = text[:j] + text[i:j] * draw(st.integers(1, 20)) + text[j:]
        elif op == "insert":
            text = text[:i] + draw(piece) + text[i:]
        elif op == "upper":
            text = text[:i] + text[i:j].upper() + text[j:]
        elif op == "lower":
            text = text[:i] + text[i:j].lower() + text[j:]
        else:
            text = text[i:j] + text[:i] + text[j:]
    return text


def check(data: bytes, tmp: Path, name: str = "fuzz.txt") -> None:
    f = tmp / name
    f.write_bytes(data)
    try:
        src = read_source(f)
    except SourceError:
        return
    assert src.text == unicodedata.normalize("NFC", src.text)
    try:
        record, text = extract_source(src)
    except NoDocumentError as exc:
        record, text = exc.record, src.text
    for doc in record.documents:
        items = [doc, *doc.citations, *doc.duties, *doc.targets]
        for item in items:
            if item.span is not None:
                assert 0 <= item.span.start <= item.span.end <= len(text)
                assert text[item.span.start:item.span.end] == item.span.quote, item
    record.to_json()


FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(text=st.lists(piece, max_size=60).map("".join))
def test_random_texts(tmp_path_factory, text):
    check(text.encode("utf-8"), tmp_path_factory.mktemp("f"))


@FUZZ
@given(text=mutated())
def test_mutated_real_texts(tmp_path_factory, text):
    check(text.encode("utf-8"), tmp_path_factory.mktemp("f"))


@FUZZ
@given(text=mutated(), enc=st.sampled_from(["utf-16", "utf-16-le", "utf-8-sig", "cp1258", "latin-1"]))
def test_mutated_real_texts_in_other_encodings(tmp_path_factory, text, enc):
    check(text.encode(enc, errors="replace"), tmp_path_factory.mktemp("f"))


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf"]))
def test_random_bytes_in_every_format(tmp_path_factory, data, suffix):
    check(data, tmp_path_factory.mktemp("f"), "fuzz" + suffix)
