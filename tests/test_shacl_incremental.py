"""SHACL after a few graphs replaced: only the focus nodes the change touches are validated again.

What a user checks: the report of the rebuild is, byte for byte, the report of a
build from nothing of the changed corpus, with violations appearing, going and
staying; and far fewer focus nodes are validated than the build holds.  The
shapes are made stricter than ontology/shapes.ttl so that the corpus breaks
them in many places: a duty's text of at most 80 characters, a duty led by a
collective body (a test of the types of its values), an agency leading at most
two duties (a count over an inverse path, which a duty given to another
department changes for both).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kg import shacl_sparql
from kg.build import REPORT, STORE, build
from kg.namespaces import SH
from tests.test_build_delta import MEETING, quiet, snapshot

ROOT = Path(__file__).resolve().parents[1]
STRICT = """
vnsh:StrictDutyShape a sh:NodeShape ;
    sh:targetClass vnd:Duty ;
    sh:property [ sh:path vnd:taskDescription ; sh:maxLength 80 ; sh:message "test: a short task"@en ] ,
        [ sh:path vnd:leadAgency ; sh:class vnd:CollectiveAgency ; sh:message "test: led by a body"@en ] .

vnsh:StrictAgencyShape a sh:NodeShape ;
    sh:targetClass vnd:Agency ;
    sh:property [ sh:path [ sh:inversePath vnd:leadAgency ] ; sh:maxCount 2 ;
                  sh:message "test: at most two duties led"@en ] .
"""

pytestmark = pytest.mark.usefixtures("fixed_extractor_version")


@pytest.fixture()
def strict_shapes(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text((ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8") + STRICT, encoding="utf-8")
    monkeypatch.setattr(shacl_sparql, "DEFAULT_SHAPES", path)
    return path




def results(folder: Path) -> set[tuple[str, str, str]]:
    """(focus node, message, value) of each result of a build's report."""
    g = Graph().parse(folder / REPORT)
    return {(str(g.value(r, SH.focusNode)), str(next(iter(g.objects(r, SH.resultMessage)))),
             str(g.value(r, SH.value))) for r in g.subjects(RDF.type, SH.ValidationResult)}


def test_a_rebuild_validates_the_touched_focus_nodes_and_reports_what_a_full_validation_reports(
        strict_shapes, corpus, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    assert first.shacl_focus is None  # a new store: everything validated
    before = results(out)
    assert first.violations == len(before) and first.violations > 50
    meeting = corpus / MEETING
    text = meeting.read_text(encoding="utf-8")
    assert "Giao Sở Khoa học và Công nghệ chủ trì" in text
    # to the department of agriculture, which led two duties of this file: three now, a new result of an agency
    # whose own description (in this file's graph) is as it was
    meeting.write_text(text.replace("Giao Sở Khoa học và Công nghệ chủ trì",
                                    "Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì"), encoding="utf-8")
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    fresh = build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert fresh.shacl_focus is None
    assert snapshot(out) == snapshot(tmp_path / "fresh")  # shacl-report.ttl among them
    after = results(out)
    assert again.violations == fresh.violations == len(after)
    assert before - after and after - before and before & after  # results gone, new, and kept
    agriculture = "https://w3id.org/vn-directives/id/agency/so-nong-nghiep-va-phat-trien-nong-thon-tinh-lang-son"
    assert {r for r in after - before if r[0] == agriculture} == {(agriculture, "test: at most two duties led",
                                                                   "None")}
    # the nodes of the last report and those the replaced graphs touch (365), of the 2,749 typed
    store = ox.Store.read_only(str(out / STORE))
    typed = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None, None)}
    assert again.shacl_focus is not None and len({f for f, _, _ in before}) < again.shacl_focus < len(typed) / 5


def test_a_result_the_last_report_states_is_checked_again(strict_shapes, corpus, tmp_path):
    """A focus node of the last report is validated again even when no change touches it: a result that no longer
    holds is not carried over."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    report = out / REPORT
    stale = "<https://w3id.org/vn-directives/id/doc/not-a-document>"
    report.write_text(report.read_text(encoding="utf-8") + f"\n[] a sh:ValidationResult ; sh:focusNode {stale} .\n",
                      encoding="utf-8")
    (corpus / sorted(p.name for p in corpus.glob("0*.txt"))[-1]).unlink()
    again = build([corpus], out, workers=1, cache_dir=cache, log=quiet)
    build([corpus], tmp_path / "fresh", workers=1, cache=False, log=quiet)
    assert again.shacl_focus is not None
    assert (out / REPORT).read_bytes() == (tmp_path / "fresh" / REPORT).read_bytes()
