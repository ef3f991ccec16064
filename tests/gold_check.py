"""The check shared by the hand-labelled extraction sets of tests/fixtures/: is the gold found?"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from kg.extract import extract_text


def alts(value) -> list:
    """A gold value or its list of acceptable values."""
    return value if isinstance(value, list) else [value]


def fold(text: str) -> str:
    """Case and punctuation folded, for comparing agency names."""
    return re.sub(r"[^\w]+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def assert_gold_found(folder: Path, gold_file: str, *, fields: bool = False, relations: bool = False,
                      all_citations: bool = False, no_extra_targets: bool = False) -> None:
    """Every required duty (agency, role), citation and target of a gold record is extracted.

    Args:
        folder: the fixture folder holding the text and its ``.txt.json`` gold record.
        gold_file: the gold record's file name.
        fields: also check signer, date, type and issuer.
        relations: also check each required citation's relation.
        all_citations: require the optional citations too.
        no_extra_targets: a document whose gold has no target must yield none.
    """
    gold = json.loads((folder / gold_file).read_text(encoding="utf-8"))
    record = extract_text((folder / gold["source"]).read_text(encoding="utf-8"), gold["source"])
    for g in gold["documents"]:
        doc = next(d for d in record.documents
                   if d.number == g["number"] or (g["number"] is None and d.type in alts(g["type"])))
        if fields:
            assert (doc.signer, doc.date, doc.type) == (g["signer"], g["date"], g["type"])
            assert fold(doc.issuer or "") in {fold(a) for a in alts(g["issuer"])}
        pairs = {(fold(d.agency), d.role) for d in doc.duties}
        for d in g["duties"]:
            if not d.get("optional"):
                assert any((fold(a), r) in pairs for a in alts(d["agency"]) for r in alts(d["role"])), d
        relation: dict[str, set[str]] = {}  # one number may be two documents (numbers start again each year)
        for c in doc.citations:
            if c.number:
                relation.setdefault(c.number, set()).add(c.relation)
        for c in g["citations"]:
            if c["number"] and (all_citations or not c.get("optional")):
                assert c["number"] in relation, c
                if relations:
                    assert relation[c["number"]] & set(alts(c["relation"])), c
        got = {(t.year, t.min, t.max) for t in doc.targets}
        for t in g["targets"]:
            if not t.get("optional"):
                assert (t["year"], t["min"], t["max"]) in got, t
        if no_extra_targets and not g["targets"]:
            assert doc.targets == []
