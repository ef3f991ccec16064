"""`kg extract` in-process: the JSON record of the spec and the Turtle it becomes."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal

from kg.cli import main
from kg.namespaces import ELI

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"
PLAN_305 = RAW / "002_4b436b8a86b296d8.txt"


def test_extract_json_is_the_spec_record(capsys):
    assert main(["extract", str(PLAN_305), "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["record_version"] == 1 and record["source"] == PLAN_305.name
    (doc,) = [d for d in record["documents"] if d["primary"]]
    assert (doc["number"], doc["type"], doc["issuer"], doc["date"]) == (
        "305/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh An Giang", "2024-03-22")
    relations = {c["number"]: c["relation"] for c in doc["citations"]}
    assert relations["748/KH-UBND"] == "replaces"
    text = PLAN_305.read_text(encoding="utf-8")
    for duty in doc["duties"]:
        span = duty["span"]
        assert text[span["start"]:span["end"]] == span["quote"]


def test_extract_turtle_holds_the_same_document(capsys):
    assert main(["extract", str(PLAN_305), "--format", "turtle"]) == 0
    g = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(list(g.subjects(ELI.id_local, Literal("305/KH-UBND")))) == 1
    assert len(list(g.subjects(ELI.id_local, Literal("01/QĐ-TTg")))) == 1
