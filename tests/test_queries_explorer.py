"""queries/explorer/*.rq: every query the web explorer and kg/viz.py run, under the header, parse and golden tests
of queries/ (tests/test_queries.py); none is written inline in kg/web/ or kg/viz.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.plugins.sparql import prepareQuery
from test_queries import check_golden

from kg import queries
from kg.namespaces import NAMESPACES

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "queries" / "explorer"
ALL = queries.available(queries.EXPLORER_DIR)
CODE = sorted((ROOT / "kg" / "web").glob("*.py")) + [ROOT / "kg" / "viz.py", ROOT / "kg" / "nodes.py"]


def test_there_is_a_file_for_every_query_the_explorer_runs():
    used = set()
    for path in CODE:
        used |= set(re.findall(r'"([a-z][a-z0-9-]+)"', path.read_text(encoding="utf-8"))) & set(ALL)
    assert len(ALL) >= 40 and used == set(ALL), f"files no code runs: {sorted(set(ALL) - used)}"


@pytest.mark.parametrize("path", CODE, ids=lambda p: p.name)
def test_no_sparql_is_written_inline(path):
    body = path.read_text(encoding="utf-8")
    if path.name in ("sparql.py", "remote_sparql.py", "questions.py", "app.py"):  # the endpoint: words, no query
        body = re.sub(r'"""[\s\S]*?"""|#[^\n]*|"[^"\n]*"', "", body)
    assert not re.search(r"\b(SELECT|ASK|CONSTRUCT)\b[^\n]*\bWHERE\b|\bWHERE\s*\{", body), path.name


def test_viz_does_not_import_the_web_package():
    body = (ROOT / "kg" / "viz.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+kg\.web\b", body, re.MULTILINE)


@pytest.mark.parametrize("name", sorted(ALL))
def test_header_says_what_and_which_parameters(name):
    q = ALL[name]
    assert q.summary, "no #+ summary"
    assert "#+ params:" in q.text
    for p in q.params:
        assert p.kind in queries.KINDS or p.choices, p
    missing = [p.name for p in q.params if p.required and p.name not in q.example]
    assert not missing, f"#+ example lacks required parameter(s) {missing}"
    assert queries.load(f"explorer/{name}").text == q.text


@pytest.mark.parametrize("name", sorted(ALL))
def test_prefix_lines_agree_with_the_namespace_table(name):
    for prefix, ns in ALL[name].prefixes.items():
        assert prefix in NAMESPACES, f"PREFIX {prefix}: is not in kg/namespaces.py"
        assert ns == str(NAMESPACES[prefix]), f"PREFIX {prefix}: <{ns}> differs from kg/namespaces.py"


@pytest.mark.parametrize("name", sorted(ALL))
def test_parses_with_rdflib(name):
    q = ALL[name]
    text, _ = queries.bound_text(q, {p.name: (URIRef("http://example.org/x"),) for p in q.params
                                     if p.kind == "IRI list"})
    prepareQuery(text)  # a second SPARQL parser, independent of Oxigraph


# figures of the whole store, which every statement the build learns to make changes: checked against the store
# itself (test_quad_count_is_the_store_size), not against a golden file
MOVING = {"quad-count"}
# the seeds' only dated duty recurs: no dated, non-recurring duty to list (test_web_deadlines.py compares this query's
# pages with the rule's definition on a build that has them)
EMPTY_ON_SEEDS = {"dated-deadline-duties"}


def test_quad_count_is_the_store_size(seed_store):
    rows = queries.run(seed_store, ALL["quad-count"], {})
    assert int(rows[0]["n"]) == len(seed_store) > 10_000


@pytest.mark.parametrize("name", sorted(set(ALL) - MOVING))
def test_runs_on_the_seed_graph_and_matches_golden(name, seed_store, regen_golden):
    check_golden(ALL[name], seed_store, GOLDEN, regen_golden, expect_rows=name not in EMPTY_ON_SEEDS)


def test_a_list_parameter_is_one_values_block_of_checked_terms(seed_store):
    q = queries.explorer("node-labels")
    doc = URIRef("https://w3id.org/vn-directives/id/doc/01-qd-ttg-2023")
    text, rest = queries.bound_text(q, {"s": (doc, doc)})
    assert rest == {} and text.count("VALUES ?s {") == 1
    assert text.index("VALUES ?s") > text.index("WHERE {")
    from kg.store import StoreError
    with pytest.raises(StoreError, match="not a valid IRI"):
        queries.run(seed_store, q, {"s": (URIRef("http://x> } <y"),)})


def test_paging_appends_integers_and_refuses_a_query_with_its_own_limit(seed_store):
    doc = "https://w3id.org/vn-directives/id/doc/01-qd-ttg-2023"
    every = queries.run(seed_store, queries.explorer("document-children"), {"doc": doc})
    pages = [queries.run(seed_store, queries.explorer("document-children"), {"doc": doc}, limit=2, offset=o)
             for o in range(0, len(every) + 2, 2)]
    assert len(every) > 2 and [r for p in pages for r in p] == every
    with pytest.raises(queries.QueryError, match="LIMIT of its own"):
        queries.run(seed_store, queries.explorer("node-exists"), {"s": doc}, limit=5)
