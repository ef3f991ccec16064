"""The seed build: one node per real thing, the cascade, provenance, SHACL, determinism."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.namespaces import sparql_prologue

P = sparql_prologue()


def rows(graph, query, **bindings):
    return list(graph.query(P + query, initBindings=bindings))


def doc_by_number(graph, number: str) -> list[URIRef]:
    return [r[0] for r in rows(graph, "SELECT DISTINCT ?d WHERE { ?d eli:id_local ?n }", n=Literal(number))]


def agency_by_label(graph, label: str) -> list[URIRef]:
    return [r[0] for r in rows(graph, "SELECT DISTINCT ?a WHERE { ?a a vnd:Agency ; skos:prefLabel ?l }",
                               l=Literal(label, lang="vi"))]


def tràng_định_plan(graph) -> URIRef:
    found = rows(graph, """SELECT DISTINCT ?d WHERE { ?d eli:passed_by ?a ; eli:type_document ?t .
                           ?a skos:prefLabel "Ủy ban nhân dân huyện Tràng Định"@vi .
                           ?t skos:prefLabel "Kế hoạch"@vi }""")
    assert len(found) == 1, found
    return found[0][0]


def test_build_reads_all_five_seed_documents(seed_build):
    result, out = seed_build
    assert len(result.built) == 5 and result.skipped == []
    for name in ("graph.trig", "graph.ttl", "shacl-report.ttl", "build.json"):
        assert (out / name).stat().st_size > 0


def test_seed_build_conforms_to_shapes(seed_build):
    result, _ = seed_build
    assert result.violations == 0


def test_decision_01_cited_by_three_sources_is_one_node(seed_graph):
    nodes = doc_by_number(seed_graph, "01/QĐ-TTg")
    assert len(nodes) == 1
    citing_sources = rows(seed_graph, """SELECT DISTINCT ?src WHERE {
        ?c cito:hasCitedEntity ?d ; prov:wasDerivedFrom ?s . ?s dct:identifier ?src }""", d=nodes[0])
    names = {str(r[0]) for r in citing_sources}
    assert {"001_cce61f59d9a54a40.txt", "002_4b436b8a86b296d8.txt", "003_595313972f865c7a.txt"} <= names
    (date,) = rows(seed_graph, "SELECT ?x WHERE { ?d eli:date_document ?x }", d=nodes[0])[0]
    assert str(date) == "2023-01-03"


def test_plan_94_described_and_cited_is_one_node_with_both_metadata(seed_graph):
    nodes = doc_by_number(seed_graph, "94/KH-UBND")
    assert len(nodes) == 1
    d = nodes[0]
    described = {str(r[0]) for r in rows(seed_graph, "SELECT ?n WHERE { ?d vnd:describedIn/dct:identifier ?n }", d=d)}
    assert "000_c1303a026aadc4b7.txt" in described
    cited_from = rows(seed_graph, "SELECT ?c WHERE { ?c cito:hasCitedEntity ?d ; prov:wasDerivedFrom/dct:identifier "
                                  "\"001_cce61f59d9a54a40.txt\" }", d=d)
    assert cited_from
    (issuer,) = rows(seed_graph, "SELECT ?l WHERE { ?d eli:passed_by/skos:prefLabel ?l }", d=d)[0]
    assert str(issuer) == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert rows(seed_graph, "ASK { ?d eli:date_document \"2023-04-16\"^^xsd:date ; eli:title ?t }", d=d)[0]


def test_scheme_approved_by_01_is_implemented_by_the_plans(seed_graph):
    (dec,) = doc_by_number(seed_graph, "01/QĐ-TTg")
    schemes = [r[0] for r in rows(seed_graph, "SELECT ?s WHERE { ?d vnd:approves ?s . ?s a vnd:Scheme }", d=dec)]
    assert len(schemes) == 1
    implementers = {r[0] for r in rows(seed_graph, "SELECT ?p WHERE { ?p eli:ensures_implementation_of ?s }",
                                       s=schemes[0])}
    (p94,) = doc_by_number(seed_graph, "94/KH-UBND")
    (p305,) = doc_by_number(seed_graph, "305/KH-UBND")
    assert {p94, p305, tràng_định_plan(seed_graph)} <= implementers


def test_cascade_01_to_94_to_trang_dinh(seed_graph):
    (dec,) = doc_by_number(seed_graph, "01/QĐ-TTg")
    (p94,) = doc_by_number(seed_graph, "94/KH-UBND")
    td = tràng_định_plan(seed_graph)
    assert rows(seed_graph, "ASK { ?td eli:ensures_implementation_of ?p94 . ?p94 eli:ensures_implementation_of ?dec }",
                td=td, p94=p94, dec=dec)[0]


def test_direct_links_are_the_links_with_nothing_between(seed_store):
    """vnd:implementsDirectly (stated by the build) holds exactly the links no other implemented document sits
    under: what the explorer's queries computed before with an OPTIONAL over every link."""
    prefixes = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
                "PREFIX vnd: <https://w3id.org/vn-directives/ontology#>\n")
    stated = {(r["c"], r["p"]) for r in seed_store.select(prefixes + "SELECT ?c ?p WHERE { ?c vnd:implementsDirectly ?p }")}
    computed = {(r["c"], r["p"]) for r in seed_store.select(prefixes + """SELECT DISTINCT ?c ?p WHERE {
        ?c eli:ensures_implementation_of ?p .
        OPTIONAL { ?c eli:ensures_implementation_of ?m . ?m eli:ensures_implementation_of ?p }
        FILTER(!BOUND(?m)) }""")}
    assert stated == computed and len(stated) >= 4
    doc = "https://w3id.org/vn-directives/id/doc/"
    trang_dinh = URIRef(doc + "ke-hoach-uy-ban-nhan-dan-huyen-trang-dinh-6d21e10e86")
    above = {p for c, p in stated if c == trang_dinh}  # the district plan: under its province's plan, not the decision
    assert URIRef(doc + "94-kh-ubnd-tinh-lang-son-2023") in above and URIRef(doc + "01-qd-ttg-2023") not in above


def test_cascade_305_implements_01_and_replaces_748(seed_graph):
    (dec,) = doc_by_number(seed_graph, "01/QĐ-TTg")
    (p305,) = doc_by_number(seed_graph, "305/KH-UBND")
    (p748,) = doc_by_number(seed_graph, "748/KH-UBND")
    assert rows(seed_graph, "ASK { ?a eli:ensures_implementation_of ?b }", a=p305, b=dec)[0]
    assert rows(seed_graph, "ASK { ?a vnd:replaces ?b }", a=p305, b=p748)[0]


def test_cooperative_alliance_plan_implements_01(seed_graph):
    (dec,) = doc_by_number(seed_graph, "01/QĐ-TTg")
    found = rows(seed_graph, """SELECT ?p WHERE { ?p eli:ensures_implementation_of ?dec ;
                                eli:passed_by/skos:prefLabel "Liên minh Hợp tác xã Việt Nam"@vi }""", dec=dec)
    assert len(found) == 1


def test_one_agency_per_jurisdiction(seed_graph):
    assert len(agency_by_label(seed_graph, "Sở Tài chính tỉnh An Giang")) == 1
    assert len(agency_by_label(seed_graph, "Sở Tài chính tỉnh Lạng Sơn")) == 1
    assert agency_by_label(seed_graph, "Sở Tài chính tỉnh An Giang") != agency_by_label(
        seed_graph, "Sở Tài chính tỉnh Lạng Sơn")


def test_department_named_three_ways_is_one_node(seed_graph):
    # 305/KH-UBND writes "Sở Nông nghiệp và Phát triển nông thôn" (a heading of "Tổ chức thực hiện"),
    # "Sở NN&PTNT", "Sở NN và PTNT" and "Sở Nông nghiệp và PTNT" (annex rows)
    ag = agency_by_label(seed_graph, "Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang")
    assert len(ag) == 1
    quotes = [str(r[0]) for r in rows(seed_graph, """SELECT ?q WHERE {
        { ?duty vnd:leadAgency ?a } UNION { ?duty vnd:partnerAgency ?a }
        ?duty vnd:evidence/oa:hasSelector/oa:exact ?q }""", a=ag[0])]
    joined = " ".join(quotes)
    assert "Sở NN&PTNT" in joined and "Sở NN và PTNT" in joined and "Sở Nông nghiệp và PTNT" in joined
    assert any(q.startswith("- Phối hợp Hội Liên hiệp Phụ nữ tỉnh lồng ghép") for q in quotes)
    # agencies the documents name (the successor Sở Nông nghiệp và Môi trường is another body)
    others = rows(seed_graph, """SELECT DISTINCT ?a WHERE { ?a a vnd:Agency ; vnd:jurisdiction ?u ; skos:prefLabel ?l .
        ?u rdfs:label "tỉnh An Giang"@vi . FILTER(CONTAINS(STR(?l), "Nông nghiệp"))
        FILTER EXISTS { ?duty vnd:leadAgency|vnd:partnerAgency ?a } }""")
    assert len(others) == 1


def test_every_duty_and_citation_points_at_its_sentence(seed_graph, seed_build):
    _, out = seed_build
    found = rows(seed_graph, """SELECT ?fact ?name ?start ?end ?exact WHERE {
        VALUES ?cls { vnd:Duty vnd:Citation vnd:Target }
        ?fact a ?cls .
        OPTIONAL { ?fact vnd:evidence ?ev . ?ev oa:hasSource/dct:identifier ?name ;
            oa:hasSelector [ oa:start ?start ; oa:end ?end ] , [ oa:exact ?exact ] } }""")
    assert len(found) > 100
    for fact, name, start, end, exact in found:
        assert name is not None, f"{fact} has no evidence"
        text = (out / "sources" / str(name)).read_text(encoding="utf-8")
        assert text[int(start):int(end)] == str(exact), fact


def test_duties_have_lead_and_partner_from_one_sentence(seed_graph):
    # "Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính, Hội Liên hiệp Phụ nữ tỉnh ..."
    found = rows(seed_graph, """SELECT ?duty WHERE {
        ?duty vnd:leadAgency/skos:prefLabel "Sở Kế hoạch và Đầu tư tỉnh An Giang"@vi ;
              vnd:partnerAgency/skos:prefLabel "Sở Tài chính tỉnh An Giang"@vi . }""")
    assert found


def test_a_task_with_field_lines_is_one_duty_with_one_evidence(tmp_path):
    # "Đơn vị chủ trì: ..." and "Đơn vị phối hợp: ..." under one task: one duty node, lead and partner, SHACL-valid
    from kg.build import build
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kh.txt").write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Số: 12/KH-UBND\n\nBắc Ninh, ngày 10 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nXây dựng pháp luật\n\n"
        "I. NHIỆM VỤ, GIẢI PHÁP\n\n1. Rà soát đội ngũ\n\n- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ.\n\n"
        "Đơn vị chủ trì: Sở Nội vụ.\n\nĐơn vị phối hợp: Sở Tư pháp.\n\nThời gian thực hiện: Quý IV/2025.\n\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An\n", encoding="utf-8")
    result = build([tmp_path / "in"], tmp_path / "out", shacl=True)
    assert result.counts.get("duties") == 1
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    q = """PREFIX vnd: <https://w3id.org/vn-directives/ontology#>
           SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a vnd:Duty ; vnd:evidence ?e ; vnd:leadAgency ?l ;
           vnd:partnerAgency ?p } GROUP BY ?d"""
    assert [int(r.n) for r in g.query(q)] == [1]
