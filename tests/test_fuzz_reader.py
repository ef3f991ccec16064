"""Fuzzing the input side (issue 11): random and mutated real texts, as bytes in a file, through kg.reader and
the extractor.  Whatever the input: no exception but the reader's named SourceError (NoDocumentError included),
NFC text, and every span of the record quotes the text it points into.  A few mutated texts also go the rest of
the build's way (benchmarks/bench_fuzz.py full_path): graph, TriG and Turtle parsed back by Oxigraph, SHACL
(kg.shacl_sparql) with no violation.

Deterministic (derandomized, no example database) so that CI sees the same cases on every run;
benchmarks/bench_fuzz.py runs many more."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings, strategies as st

from kg.build import extract_source
from kg.extract import extract_text
from kg.extract.layout import layout
from kg.reader import NoDocumentError, SourceError, read_source
from kg.records import Citation, Document, Duty, Record, Target

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


def spans_inside(record: Record, text: str) -> None:
    """Every span of the record lies inside the text and quotes it."""
    for doc in record.documents:
        items: list[Document | Citation | Duty | Target] = [doc, *doc.citations, *doc.duties, *doc.targets]
        for item in items:
            if item.span is not None:
                assert 0 <= item.span.start <= item.span.end <= len(text), item
                assert text[item.span.start:item.span.end] == item.span.quote, item


def check(data: bytes, tmp: Path, name: str = "fuzz.txt") -> tuple[Record, str] | None:
    """Read and extract `data` as the file `name`; the record and its text if it holds a document."""
    f = tmp / name
    f.write_bytes(data)
    try:
        src = read_source(f)
    except SourceError:
        return None
    assert src.text == unicodedata.normalize("NFC", src.text)
    found = True
    try:
        record, text = extract_source(src)
    except NoDocumentError as exc:
        record, text, found = exc.record, src.text, False
    spans_inside(record, text)
    record.to_json()
    return (record, text) if found else None


@lru_cache(maxsize=1)
def bench_fuzz():
    """benchmarks/bench_fuzz.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_fuzz", ROOT / "benchmarks" / "bench_fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def check_full_path(record: Record, text: str) -> None:
    """The build's way for one record: graph, TriG and Turtle parsed back by Oxigraph, SHACL with no violation."""
    outcome = bench_fuzz().full_path(record, text)
    assert outcome.kind is None, f"{outcome.kind}: {outcome.detail}\n" + "\n".join(sorted(set(outcome.violations)))


FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_a_span_ending_with_the_file_on_a_table_row_stays_inside_the_text():
    """Found by benchmarks/bench_fuzz.py (seed 11, case 61): a text ending in a row of a pipe table, without a
    final newline.  The layout closes the row with " |" and a newline, characters it adds at the end of the
    original's last line, i.e. at len(text); a span ending on them was mapped back to len(text) + 1 (its quote,
    a slice, one character shorter than the span)."""
    text = ("|\nSTT\n|\nTên thủ tục\n|\nVăn bản\n|\n|\n01\n|\nThủ tục xác định nhiệm vụ\n|\n"
            "Nghị định số 267/2025/NĐ-CP ngày 14/10/2025 của Chính phủ quy định chi tiết")
    record = extract_text(text, "fuzz.txt")
    assert record.documents
    spans_inside(record, text)
    assert record.documents[0].span.end == len(text)
    lay = layout("Điều 1. Sở Tài chính")  # the newline the layout adds after the last line
    assert lay.to_original(0, len(lay.text)) == (0, 20)


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


@settings(FUZZ, max_examples=12)
@given(text=mutated())
def test_mutated_real_texts_through_graph_trig_and_shacl(tmp_path_factory, text):
    found = check(text.encode("utf-8"), tmp_path_factory.mktemp("f"))
    if found is not None:
        event("a document: the whole path")
        check_full_path(*found)
