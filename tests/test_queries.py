"""queries/*.rq: headers, prefixes, parameters bound as terms, results against golden files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg import queries
from kg.lookup import LookupError_
from kg.namespaces import NAMESPACES
from kg.store import StoreError, bind

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
GOLDEN = Path(__file__).parent / "golden" / "queries"
ALL = queries.available()
REQUIRED = {"implementation-tree", "implementation-chain", "agency-duties", "document-agencies",
            "documents-by-issuer", "citations", "deadlines", "scheme-targets", "agencies-by-duties"}


def as_csv(rows: list[dict], cols: list[str]) -> str:
    """Rows as CSV text with a header, sorted so that the file does not depend on engine order."""
    body = sorted([["" if r.get(c) is None else str(r[c]) for c in cols] for r in rows])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([cols] + body)
    return buf.getvalue()


def test_the_issue_s_queries_exist():
    assert REQUIRED <= set(ALL)


@pytest.mark.parametrize("name", sorted(ALL))
def test_header_says_what_and_which_parameters(name):
    q = ALL[name]
    assert q.summary, "no #+ summary"
    assert "#+ params:" in q.text
    for p in q.params:
        assert p.kind in queries.KINDS or p.choices, p
    missing = [p.name for p in q.params if p.required and p.name not in q.example]
    assert not missing, f"#+ example lacks required parameter(s) {missing}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_prefix_lines_agree_with_the_namespace_table(name):
    prefixes = ALL[name].prefixes
    assert prefixes, "each file carries its own PREFIX lines"
    for prefix, ns in prefixes.items():
        assert prefix in NAMESPACES, f"PREFIX {prefix}: is not in kg/namespaces.py"
        assert ns == str(NAMESPACES[prefix]), f"PREFIX {prefix}: <{ns}> differs from kg/namespaces.py"


@pytest.mark.parametrize("name", sorted(ALL))
def test_parses_with_rdflib(name):
    prepareQuery(ALL[name].text)  # a second SPARQL parser, independent of Oxigraph


@pytest.mark.parametrize("name", sorted(ALL))
def test_runs_on_the_seed_graph_and_matches_golden(name, seed_store, regen_golden):
    check_golden(ALL[name], seed_store, GOLDEN, regen_golden)


def check_golden(q, store, golden: Path, regen_golden: bool, expect_rows: bool = True) -> None:
    """The query's example run on `store` gives the rows of golden/<name>.csv (written, and failed, when missing)."""
    name = q.name
    rows = queries.run(store, q, q.example)
    cols = queries.columns(q)
    assert cols and all(set(r) <= set(cols) for r in rows), "columns() must name every projected variable"
    got = as_csv(rows, cols)
    path = golden / f"{name}.csv"
    if regen_golden or not path.exists():
        golden.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        if not regen_golden:
            pytest.fail(f"{path} did not exist; written now, check it and rerun")
    want = path.read_text(encoding="utf-8")
    if got != want:
        only_want = sorted(set(want.splitlines()) - set(got.splitlines()))
        only_got = sorted(set(got.splitlines()) - set(want.splitlines()))
        pytest.fail(f"{name}: results differ from {path.name} (regenerate with --regen-golden)\n"
                    f"only in golden: {only_want[:5]}\nonly in results: {only_got[:5]}")
    assert rows or not expect_rows, f"{name}: the example returns no rows on the seed graph"


def test_agency_duties_of_so_cong_thuong_an_giang(seed_store):
    rows = queries.run(seed_store, "agency-duties", {"agency": "so cong thuong an giang"})
    assert len(rows) == 8
    assert {str(r["document_label"]) for r in rows} == {"Kế hoạch 305/KH-UBND"}
    assert all(r["source_quote"] and int(r["end"]) > int(r["start"]) for r in rows)
    lead_only = queries.run(seed_store, "agency-duties", {"agency": "so cong thuong an giang", "role": "lead"})
    partner_only = queries.run(seed_store, "agency-duties", {"agency": "so cong thuong an giang", "role": "partner"})
    assert len(lead_only) + len(partner_only) == len(rows)


def test_deadline_range_includes_both_ends(seed_store):
    day = {"from": "2024-10-30", "to": "2024-10-30"}
    assert [str(r["deadline"]) for r in queries.run(seed_store, "deadlines", day)] == ["2024-10-30"]
    assert queries.run(seed_store, "deadlines", {"from": "2024-10-31", "to": "2025-12-31"}) == []


def test_scheme_targets_by_decision_or_by_scheme_agree(seed_store):
    by_decision = queries.run(seed_store, "scheme-targets", {"scheme": "01/QĐ-TTg"})
    scheme = seed_store.select("PREFIX vnd: <https://w3id.org/vn-directives/ontology#> "
                               "SELECT ?s WHERE { ?d vnd:approves ?s }")[0]["s"]
    by_scheme = queries.run(seed_store, "scheme-targets", {"scheme": scheme})
    assert as_csv(by_decision, ["target"]) == as_csv(by_scheme, ["target"])
    places = {str(r["jurisdiction"]) for r in by_decision}
    assert {"tỉnh An Giang", "tỉnh Lạng Sơn", "huyện Tràng Định"} <= places
    coop = queries.run(seed_store, "scheme-targets", {"scheme": "01/QĐ-TTg", "unit": "Hợp Tác Xã", "year": "2025"})
    assert coop and {str(r["indicator"]) for r in coop} == {"hợp tác xã"}


# -- parameters -------------------------------------------------------------------
def test_parameters_become_typed_terms(seed_store):
    q = ALL["deadlines"]
    terms = queries.bind_params(q, {"from": "2024-01-01", "to": "2024-12-31"})
    assert terms["from"] == Literal("2024-01-01", datatype=XSD_DATE)
    iri = "https://w3id.org/vn-directives/id/doc/01-qd-ttg-2023"
    assert queries.bind_params(ALL["document"], {"doc": iri}) == {"doc": URIRef(iri)}


@pytest.mark.parametrize("name,values,message", [
    ("deadlines", {"from": "30/10/2024", "to": "2024-12-31"}, "not a date"),
    ("deadlines", {"from": "2024-01-01"}, "missing parameter"),
    ("agency-duties", {"agency": "https://w3id.org/x", "role": "boss"}, "not one of"),
    ("document", {"doc": "x", "nope": "1"}, "no parameter"),
], ids=["bad-date", "missing-required", "word-not-allowed", "unknown-parameter"])
def test_bad_parameters_are_refused(name, values, message, seed_store):
    with pytest.raises(queries.QueryError, match=message):
        queries.run(seed_store, name, values)


def test_unknown_and_ambiguous_names(seed_store):
    with pytest.raises(LookupError_) as unknown:
        queries.run(seed_store, "agency-duties", {"agency": "so cong thuongg"})
    assert "Sở Công Thương tỉnh An Giang" in unknown.value.candidates
    with pytest.raises(LookupError_) as ambiguous:
        queries.run(seed_store, "agency-duties", {"agency": "Sở Công Thương"})
    assert set(ambiguous.value.candidates) == {"Sở Công Thương tỉnh An Giang", "Sở Công Thương tỉnh Lạng Sơn"}


def test_user_text_is_a_value_never_query_text(seed_store):
    evil = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o '
    assert queries.run(seed_store, "scheme-targets", {"scheme": "01/QĐ-TTg", "unit": evil}) == []
    bound = bind("SELECT ?s WHERE { ?s ?p ?u }", {"u": Literal(evil + "\n\\")})
    assert prepareQuery(bound) is not None
    with pytest.raises(StoreError, match="not a valid IRI"):
        seed_store.select("SELECT ?p WHERE { ?s ?p ?o }", {"s": URIRef("http://x> } <y")})


def test_bind_places_values_in_the_outermost_where_group():
    q = '# WHERE { in a comment\nPREFIX a: <http://a/{x}#>\nSELECT ?x WHERE { ?x a:p "{ WHERE" FILTER(?x = ?v) }'
    out = bind(q, {"v": Literal(1)})
    assert out.index("VALUES") > out.index('SELECT ?x WHERE {')
    assert out.count("VALUES") == 1 and '"{ WHERE"' in out


def test_filters_see_parameters_on_the_embedded_store(seed_store):
    """Regression: Oxigraph substitutions refused parameters that are not projected."""
    q = ("PREFIX vnd: <https://w3id.org/vn-directives/ontology#> "
         "SELECT ?d WHERE { ?d vnd:deadline ?x FILTER(?x >= ?from) }")
    assert len(seed_store.select(q, {"from": Literal("2024-01-01", datatype=XSD_DATE)})) == 1


def test_load_by_file_and_list(tmp_path):
    f = tmp_path / "mine.rq"
    f.write_text("#+ summary: all types\n#+ params: none\nSELECT ?t WHERE { ?s a ?t }\n", encoding="utf-8")
    assert queries.load(str(f)).name == "mine"
    with pytest.raises(queries.QueryError, match="no query"):
        queries.load("no-such-query")


def test_kind_duties_spans_provinces_and_forgives_tone_placement(seed_store):
    """Every Sở Tài chính's duties, whichever province, and "Uỷ" finds what "Ủy" finds."""
    q = ALL["kind-duties"]
    rows = queries.run(seed_store, q, {"kind": "Sở Tài chính"})
    assert {str(r["agency_label"]) for r in rows} == {"Sở Tài chính tỉnh An Giang", "Sở Tài chính tỉnh Lạng Sơn"}
    old = queries.run(seed_store, q, {"kind": "Uỷ ban nhân dân"})
    new = queries.run(seed_store, q, {"kind": "Ủy ban nhân dân"})
    assert old == new and len(new) > 10
    assert queries.run(seed_store, q, {"kind": "Sở Tài chính", "role": "partner"}) == [
        r for r in rows if str(r["duty_role"]) == "partner"]


def test_agencies_by_duties_ranks_every_agency_without_top(seed_store):
    """The build's precomputed rank orders agencies as the counts do; without `top` every agency with a duty."""
    q = ALL["agencies-by-duties"]
    rows = queries.run(seed_store, q, {})
    keys = [(-int(r["total"]), -int(r["lead"]), str(r["agency_label"])) for r in rows]
    assert keys == sorted(keys) and len(rows) > 20
    duties = queries.run(seed_store, ALL["agency-duties"], {"agency": rows[0]["agency"]})
    assert len({r["duty"] for r in duties}) == int(rows[0]["total"])
    assert queries.run(seed_store, q, {"top": "5"}) == rows[:5]


def test_deadlines_month_is_the_range_of_that_month(seed_store):
    """The month key the build states gives the duties the date range of that month gives; a bad month is refused."""
    by_month = queries.run(seed_store, ALL["deadlines-month"], {"month": "2024-10"})
    by_range = queries.run(seed_store, ALL["deadlines"], {"from": "2024-10-01", "to": "2024-10-31"})
    assert by_month == by_range and len(by_month) == 1
    assert queries.run(seed_store, ALL["deadlines-month"], {"month": "2024-11"}) == []
    with pytest.raises(queries.QueryError):
        queries.run(seed_store, ALL["deadlines-month"], {"month": "2024-13"})


def test_an_order_line_sorts_the_rows_here_and_a_paged_run_asks_the_store(seed_store):
    q = ALL["implementation-tree"]
    assert q.order == ["parent", "child"]
    assert "ORDER BY" not in "".join(line for line in q.text.splitlines(True) if not line.startswith("#"))
    rows = queries.run(seed_store, q, q.example)
    keys = [(str(r["parent"]), str(r["child"])) for r in rows]
    assert len(rows) > 1 and keys == sorted(keys)
    text, _ = queries.bound_text(q, queries.bind_params(q, q.example, queries.lookup_for(seed_store)), limit=2)
    assert text.rstrip().endswith("ORDER BY ?parent ?child\nLIMIT 2")
    paged = queries.run(seed_store, q, q.example, limit=2) + queries.run(seed_store, q, q.example, limit=10**6, offset=2)
    assert [(str(r["parent"]), str(r["child"])) for r in paged] == keys


def test_an_order_line_names_columns(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: x\n#+ params: none\n#+ order: parent; DROP\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(queries.QueryError, match="order"):
        queries.parse(bad)


def _without_keys(q: queries.Query) -> queries.Query:
    """The same query with its index keys left unbound: what its filters alone answer."""
    return queries.Query(q.name, q.path, q.text, q.summary, q.description, q.params, q.example, q.order, keys=[])


@pytest.mark.parametrize("name, values", [
    ("deadlines", {"from": "2024-01-01", "to": "2026-12-31"}),
    ("deadlines", {"from": "2024-10-30", "to": "2024-10-30"}),
    ("deadlines", {"from": "2023-12-15", "to": "2025-01-15"}),  # across a year's end
    ("deadlines", {"from": "2025-01-01", "to": "2024-01-01"}),  # an empty range
    ("agencies-by-duties", {"top": "7"}),
    ("agencies-by-duties", {"top": "0"}),
    ("agencies-by-duties", {"top": "100000000"}),  # more ranks than may be bound: the filter alone
])
def test_index_keys_give_the_answer_the_filters_give(name, values, seed_store):
    q = ALL[name]
    assert q.keys, "the query binds an index key"
    rows = queries.run(seed_store, q, values)
    assert rows == queries.run(seed_store, _without_keys(q), values)
    if name == "deadlines" and values["from"] <= values["to"]:
        assert rows and all(values["from"] <= str(r["deadline"]) <= values["to"] for r in rows)


def test_key_values_are_every_month_or_day_of_the_range_and_every_rank_to_top():
    months = queries.key_values("months", [Literal("2024-11-20", datatype=XSD_DATE),
                                           Literal("2025-02-01", datatype=XSD_DATE)])
    assert [str(m) for m in months] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert all(str(m.datatype).endswith("#gYearMonth") for m in months)
    days = queries.key_values("days", [Literal("2024-02-27", datatype=XSD_DATE),
                                       Literal("2024-03-02", datatype=XSD_DATE)])
    assert [str(d) for d in days] == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]
    assert all(str(d.datatype).endswith("#date") for d in days)
    assert queries.key_values("days", [Literal("2024-03-02", datatype=XSD_DATE),
                                       Literal("2024-03-01", datatype=XSD_DATE)]) is None  # an empty range
    assert queries.key_values("days", [Literal("1700-01-01", datatype=XSD_DATE),
                                       Literal("2024-03-01", datatype=XSD_DATE)]) is None  # over MAX_KEY_VALUES
    assert [int(r) for r in queries.key_values("ranks", [Literal(3)])] == [1, 2, 3]
    assert queries.key_values("ranks", [Literal(0)]) is None
    assert queries.key_values("ranks", [Literal(queries.MAX_KEY_VALUES + 1)]) is None
    text, _ = queries.bound_text(ALL["agencies-by-duties"], {"top": Literal(3)})
    assert "VALUES ?rank { 1 2 3 }" in text.replace('"', "").replace("^^<http://www.w3.org/2001/XMLSchema#integer>", "")


@pytest.mark.parametrize("line, message", [
    ("rank = ranks(top", "cannot read"),
    ("rank = sort(top)", "cannot read"),
    ("top = ranks(top)", "also a parameter"),
    ("rank = ranks(from)", "kinds integer"),
    ("month = months(from)", "kinds date, date"),
])
def test_a_keys_line_is_checked_against_the_parameters(line, message, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: x\n#+ params: top (integer, optional), from (date, optional)\n"
                   f"#+ keys: {line}\nSELECT * WHERE {{ ?s ?p ?o }}\n")
    with pytest.raises(queries.QueryError, match=message):
        queries.parse(bad)
