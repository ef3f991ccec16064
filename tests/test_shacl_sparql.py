"""kg.shacl_sparql: the shapes compiled into SPARQL give the results pySHACL gives.

Compared as sets of (focus node, path, component, source shape, value) and by
count, against kg.build.validate with inference "none" (pySHACL on the merged
graph, the ontology mixed in):

* every case of tests/shapes/;
* the seed build (its store/ and graph.trig), and the seed graph with defects
  put in, so that the comparison is made on many results at once;
* a construct the compiler does not know raises, naming it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.namespaces import OA, SKOS, VND
from kg.shacl_sparql import UnsupportedShapeError, result_set, validate_graph, validate_store

ROOT = Path(__file__).resolve().parents[1]
SHAPE_CASES = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))
SH = "http://www.w3.org/ns/shacl#"


def pyshacl_results(data: Graph) -> tuple[int, set]:
    from kg.build import validate

    n, report = validate(data, inference="none")
    return n, result_set(report)


@pytest.mark.parametrize("case", SHAPE_CASES, ids=lambda p: p.stem)
def test_each_shape_case_gives_what_pyshacl_gives(case: Path):
    data = Graph().parse(case)
    n, expected = pyshacl_results(data)
    report = validate_graph(data)
    assert result_set(report.graph()) == expected
    assert report.violations == n
    assert report.conforms == (n == 0)


def test_the_seed_build_store_gives_what_pyshacl_gives(seed_build):
    import pyoxigraph as ox

    _, out = seed_build
    n, expected = pyshacl_results(Graph().parse(out / "graph.ttl"))
    report = validate_store(ox.Store.read_only(str(out / "store")), source=out / "graph.trig")
    assert result_set(report.graph()) == expected
    assert report.violations == n


def _with_defects(g: Graph) -> Graph:
    """The seed graph with one defect of each kind a few times over."""
    bad = Graph()
    for t in g:
        bad.add(t)
    starts = sorted(bad.subject_objects(OA.start))[:3]
    for s, o in starts:  # offsets written as plain integers; one start after its end
        bad.remove((s, OA.start, o))
        bad.add((s, OA.start, Literal(int(o), datatype=XSD.integer)))
    s, o = sorted(bad.subject_objects(OA.start))[-1]
    bad.remove((s, OA.start, o))
    bad.add((s, OA.start, Literal(10**9, datatype=XSD.nonNegativeInteger)))
    for agency, label in sorted(bad.subject_objects(SKOS.prefLabel))[:2]:  # no Vietnamese name; two
        bad.remove((agency, SKOS.prefLabel, label))
    agency = sorted(bad.subjects(RDF.type, VND.Agency))[-1]
    bad.add((agency, SKOS.prefLabel, Literal("Ten khac", lang="vi")))
    for duty in sorted(bad.subjects(RDF.type, VND.Duty))[:3]:  # a third modality, a date that is a string
        bad.add((duty, VND.modality, VND.Decide))
        bad.add((duty, VND.deadline, Literal("2024-13-40")))
    doc = sorted(bad.subjects(VND.assignsDuty, None))[0]
    bad.add((doc, URIRef("http://data.europa.eu/eli/ontology#passed_by"), BNode("nobody")))
    for target in sorted(bad.subjects(RDF.type, VND.Target))[:2]:
        bad.add((target, URIRef("https://schema.org/minValue"), Literal("30.0", datatype=XSD.decimal)))
        bad.add((target, URIRef("https://schema.org/maxValue"), Literal("5", datatype=XSD.integer)))
    return bad


def test_the_seed_graph_with_defects_gives_what_pyshacl_gives(seed_graph):
    bad = _with_defects(seed_graph)
    n, expected = pyshacl_results(bad)
    report = validate_graph(bad)
    found = result_set(report.graph())
    assert found == expected
    assert report.violations == n
    components = {c.rsplit("#", 1)[-1] for _, _, c, _, _ in found}
    assert {"DatatypeConstraintComponent", "LessThanConstraintComponent", "QualifiedMinCountConstraintComponent",
            "QualifiedMaxCountConstraintComponent", "InConstraintComponent", "MaxCountConstraintComponent",
            "NodeKindConstraintComponent", "ClassConstraintComponent",
            "LessThanOrEqualsConstraintComponent"} <= components


def test_the_report_is_a_shacl_validation_report():
    data = Graph().parse(ROOT / "tests" / "shapes" / "document-type-as-text.ttl")
    report = validate_graph(data)
    g = Graph().parse(data=report.turtle(), format="turtle")
    results = list(g.subjects(RDF.type, URIRef(SH + "ValidationResult")))
    assert len(results) == report.violations == 2
    for r in results:
        for p in ("focusNode", "resultMessage", "resultSeverity", "sourceConstraintComponent", "sourceShape",
                  "resultPath"):
            assert g.value(r, URIRef(SH + p)) is not None, p
    assert (None, URIRef(SH + "conforms"), Literal(False)) in g
    assert report.turtle() == validate_graph(data).turtle()


UNSUPPORTED = {
    "sh:closed": "sh:closed true",
    "sh:hasValue": "sh:property [ sh:path ex:p ; sh:hasValue ex:v ]",
    "sh:node": "sh:property [ sh:path ex:p ; sh:node ex:Other ]",
    "sh:equals": "sh:property [ sh:path ex:p ; sh:equals ex:q ]",
    "sh:uniqueLang": "sh:property [ sh:path ex:p ; sh:uniqueLang true ]",
    "sh:datatype xsd:anyURI": "sh:property [ sh:path ex:p ; sh:datatype xsd:anyURI ]",
    "sh:targetNode": "sh:targetNode ex:a",
    "sh:qualifiedValueShapesDisjoint": ("sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; "
                                        "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ]"),
    "sh:property": ("sh:property [ sh:path ex:p ; sh:or ( [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ) ]"),
    "a SPARQL-based constraint": "sh:sparql [ sh:select \"SELECT $this WHERE { }\" ]",
}


@pytest.mark.parametrize("construct", sorted(UNSUPPORTED))
def test_a_construct_it_does_not_compile_raises_and_names_it(construct, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"ex:Shape a sh:NodeShape ; sh:targetClass ex:C ; {UNSUPPORTED[construct]} .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShapeError) as exc:
        validate_graph(Graph(), shapes_path=shapes, ontology=False)
    assert construct in str(exc.value)


def test_an_integer_subtype_needs_the_source_the_store_was_loaded_from():
    """The store keeps "5"^^xsd:nonNegativeInteger as "5"^^xsd:integer: without the source it cannot say which."""
    from kg.shacl_sparql import load_graph

    store = load_graph(Graph().parse(ROOT / "tests" / "shapes" / "evidence-offset-plain-integer.ttl"))
    with pytest.raises(UnsupportedShapeError, match="nonNegativeInteger"):
        validate_store(store)
