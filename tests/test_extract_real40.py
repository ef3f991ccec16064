"""The real40 set (tests/fixtures/real40, see its SOURCES.md): 40 files drawn at random from the real corpus.

Every document's header, as a user checks it on the document page: number, type, issuer, date and
signer equal the hand-written gold. Duties, citations and targets are scored by
scripts/bench_extraction.py (their first score, before any rule was tuned, is kept in SOURCES.md).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from gold_check import alts, fold

from kg.extract import extract_text

REAL40 = Path(__file__).parent / "fixtures" / "real40"
GOLD = sorted(p.name for p in REAL40.glob("*.txt.json"))


def test_the_set_is_the_stated_draw():
    assert len(GOLD) == 40 and all((REAL40 / g[:-5]).exists() for g in GOLD)


@pytest.mark.parametrize("gold_file", GOLD)
def test_header_of_every_document(gold_file):
    gold = json.loads((REAL40 / gold_file).read_text(encoding="utf-8"))
    text = unicodedata.normalize("NFC", (REAL40 / gold["source"]).read_text(encoding="utf-8"))
    record = extract_text(text, gold["source"])
    if not gold["documents"]:  # an article, not an official document
        assert record.documents == []
        return
    for g in gold["documents"]:
        doc = next((d for d in record.documents if d.number == g["number"]), None)
        assert doc is not None, f"{g['number']} not found"
        assert doc.type in alts(g["type"])
        assert doc.date in alts(g["date"])
        assert doc.signer in alts(g["signer"])
        assert fold(doc.issuer or "") in {fold(a) for a in alts(g["issuer"])}
