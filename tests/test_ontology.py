"""The ontology, its vocabularies and the SHACL shapes.

* every Turtle file under ontology/ parses;
* every own term (vnd:) has rdfs:label in Vietnamese and English and a
  skos:definition, every concept of the vocab/ schemes has skos:prefLabel in
  both languages and a skos:definition;
* the names the graph builder relies on exist, with their mappings;
* every case under tests/shapes/ validates as its header says.

A shape case is one self-contained Turtle file whose comment header says what
pySHACL must report (after pySHACL's dash_tests)::

    # expect: conforms
    # expect: violation vnsh:Duty-deadline sh:DatatypeConstraintComponent

A violation line names a shape (sh:sourceShape) or a predicate (sh:resultPath)
and optionally the constraint component.  Every result of the report must
match one expect line and every expect line must match a result, so a case
cannot pass because of some other breakage.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import CITO, ELI, M8G, NAMESPACES, OA, ODRL, ORG, SCHEMA, SH, VND, VOCAB as VOCAB_NS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
SHAPE_CASES = ROOT / "tests" / "shapes"

VOCAB = str(VOCAB_NS)
PROV = NAMESPACES["prov"]
DCT = NAMESPACES["dct"]

DOCUMENT_TYPE_SCHEME = URIRef(VOCAB + "document-type")
AGENCY_KIND_SCHEME = URIRef(VOCAB + "agency-kind")

ONTOLOGY_FILES = sorted(ONTOLOGY.rglob("*.ttl"))
CASE_FILES = sorted(SHAPE_CASES.glob("*.ttl"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- graphs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """Every ontology file except the shapes, merged: what the builder passes as ont_graph."""
    g = Graph()
    for f in ONTOLOGY_FILES:
        if f.name != "shapes.ttl":
            g.parse(f)
    return g


@pytest.fixture(scope="module")
def directives() -> Graph:
    return Graph().parse(ONTOLOGY / "directives.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


@pytest.fixture(scope="module")
def document_types() -> Graph:
    return Graph().parse(ONTOLOGY / "vocab" / "document-types.ttl")


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=rel)
def test_ontology_file_parses(path: Path):
    g = Graph().parse(path)
    assert len(g) > 0


def test_ontology_folder_has_the_expected_files():
    names = {rel(p) for p in ONTOLOGY_FILES}
    assert {"ontology/directives.ttl", "ontology/shapes.ttl", "ontology/vocab/document-types.ttl",
            "ontology/vocab/agency-kinds.ttl"} <= names
    for p in ONTOLOGY_FILES:
        assert re.fullmatch(r"[a-z0-9-]+\.ttl", p.name), f"{p.name}: ASCII kebab-case file names"


# --- labels and definitions --------------------------------------------------


def languages(g: Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


def missing_labels(g: Graph, s, label_property) -> list[str]:
    problems = []
    langs = languages(g, s, label_property)
    for lang in ("vi", "en"):
        if lang not in langs:
            problems.append(f"{s}: no {g.qname(label_property)}@{lang}")
    if not any(True for _ in g.objects(s, SKOS.definition)):
        problems.append(f"{s}: no skos:definition")
    return problems


def concept_classes(g: Graph) -> set:
    """skos:Concept and every class declared under it (vnd:DocumentType, ...)."""
    return {SKOS.Concept} | set(g.transitive_subjects(RDFS.subClassOf, SKOS.Concept))


def concepts(g: Graph) -> set:
    found = set(g.subjects(SKOS.inScheme, None))
    for cls in concept_classes(g):
        found |= set(g.subjects(RDF.type, cls))
    return found


def test_every_own_term_has_labels_in_vi_and_en_and_a_definition(ontology):
    own = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(VND))}
    assert len(own) > 50
    problems = [p for s in sorted(own) for p in missing_labels(ontology, s, RDFS.label)]
    assert problems == []


def test_every_concept_scheme_and_collection_has_labels_and_a_definition(ontology):
    nodes = concepts(ontology) | set(ontology.subjects(RDF.type, SKOS.ConceptScheme)) \
        | set(ontology.subjects(RDF.type, SKOS.Collection))
    assert len(nodes) > 80
    problems = [p for s in sorted(nodes) for p in missing_labels(ontology, s, SKOS.prefLabel)]
    assert problems == []


def test_every_concept_is_a_named_individual_so_pyshacl_mixes_it_in(ontology):
    # pySHACL copies only classes, properties and owl:NamedIndividuals from
    # ont_graph: a concept without it fails every sh:class check on its class.
    missing = [c for c in concepts(ontology) if (c, RDF.type, OWL.NamedIndividual) not in ontology]
    assert sorted(missing) == []


def test_no_link_leads_from_a_scheme_or_collection_back_to_a_named_individual(ontology):
    # Regression: pySHACL deep-copies each owl:NamedIndividual of ont_graph by
    # following links without a visited set (depth 10); with skos:hasTopConcept
    # the loop concept -> scheme -> 24 concepts made one validation run for hours.
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    back_links = [(s, p, o) for s in schemes | individuals for p, o in ontology.predicate_objects(s)
                  if o in individuals and p != RDF.type]
    assert back_links == []


def test_every_vnd_term_used_anywhere_is_declared(directives, ontology, shapes):
    declared = {s for s in directives.subjects(RDF.type, None) if str(s).startswith(str(VND))}
    used = set()
    for g in (ontology, shapes):
        for triple in g:
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(VND))}
    assert sorted(used - declared) == []


def test_no_two_concepts_of_a_scheme_share_a_vi_label_or_a_notation(ontology):
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        for prop, lang in ((SKOS.prefLabel, "vi"), (SKOS.prefLabel, "en"), (SKOS.notation, None)):
            seen: dict[str, URIRef] = {}
            for m in members:
                for o in ontology.objects(m, prop):
                    if lang and o.language != lang:
                        continue
                    key = str(o).casefold()
                    assert key not in seen, f"{scheme}: {m} and {seen[key]} share {prop} {o!r}"
                    seen[key] = m


# --- the names the graph builder uses -----------------------------------------

CLASSES = {
    VND.Document: [ELI.LegalResource],
    VND.AdministrativeDocument: [VND.Document],
    VND.NormativeDocument: [VND.Document],
    VND.PartyDocument: [VND.Document],
    VND.PolicyInitiative: [VND.Document],
    VND.Scheme: [VND.PolicyInitiative],
    VND.Programme: [VND.PolicyInitiative],
    VND.DocumentType: [SKOS.Concept],
    VND.Agency: [M8G.PublicOrganisation, ORG.Organization],
    VND.CollectiveAgency: [VND.Agency],
    VND.AgencyKind: [SKOS.Concept],
    VND.AdministrativeLevel: [SKOS.Concept],
    VND.AdminUnit: [M8G.AdminUnit],
    VND.Duty: [ODRL.Duty],
    VND.Modality: [SKOS.Concept],
    VND.Target: [SCHEMA.QuantitativeValue],
    VND.Citation: [CITO.Citation],
    VND.CitationRelation: [SKOS.Concept],
    VND.SourceFile: [PROV.Entity],
    VND.Extraction: [PROV.Activity],
    VND.SigningCapacity: [SKOS.Concept],
}

# property: (kind, super-properties, domain, range); None = not checked
PROPERTIES = {
    VND.approves: (OWL.ObjectProperty, [], VND.Document, VND.PolicyInitiative),
    VND.replaces: (OWL.ObjectProperty, [ELI.repeals], VND.Document, VND.Document),
    VND.respondsTo: (OWL.ObjectProperty, [ELI.cites], VND.Document, VND.Document),
    VND.signedBy: (OWL.ObjectProperty, [], VND.Document, URIRef("http://xmlns.com/foaf/0.1/Person")),
    VND.signingCapacity: (OWL.ObjectProperty, [], VND.Document, VND.SigningCapacity),
    VND.assignsDuty: (OWL.ObjectProperty, [], VND.Document, VND.Duty),
    VND.leadAgency: (OWL.ObjectProperty, [ODRL.assignee], VND.Duty, VND.Agency),
    VND.partnerAgency: (OWL.ObjectProperty, [ODRL.function], VND.Duty, VND.Agency),
    VND.modality: (OWL.ObjectProperty, [], VND.Duty, VND.Modality),
    VND.setsTarget: (OWL.ObjectProperty, [], VND.Document, VND.Target),
    VND.level: (OWL.ObjectProperty, [], VND.Agency, VND.AdministrativeLevel),
    VND.jurisdiction: (OWL.ObjectProperty, [DCT.spatial], VND.Agency, VND.AdminUnit),
    VND.relation: (OWL.ObjectProperty, [], VND.Citation, VND.CitationRelation),
    VND.evidence: (OWL.ObjectProperty, [], None, OA.SpecificResource),
    VND.describedIn: (OWL.ObjectProperty, [], VND.Document, VND.SourceFile),
    VND.deadline: (OWL.DatatypeProperty, [], VND.Duty, URIRef("http://www.w3.org/2001/XMLSchema#date")),
    VND.recurrence: (OWL.DatatypeProperty, [], VND.Duty, None),
    VND.taskDescription: (OWL.DatatypeProperty, [], VND.Duty, RDF.langString),
    VND.targetYear: (OWL.DatatypeProperty, [], VND.Target, URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    VND.indicator: (OWL.DatatypeProperty, [], VND.Target, RDF.langString),
    VND.sha256: (OWL.DatatypeProperty, [], VND.SourceFile, None),
    VND.extractorVersion: (OWL.DatatypeProperty, [], VND.Extraction, None),
    VND.abbreviation: (OWL.DatatypeProperty, [], None, None),
    VND.normalizedNumber: (OWL.DatatypeProperty, [], VND.Document, None),
}

# individual: (class, scheme slug, notation or None, closeMatch or None)
INDIVIDUALS = {
    VND.Assign: (VND.Modality, "modality", "assign", None),
    VND.Request: (VND.Modality, "modality", "request", None),
    VND.BasedOn: (VND.CitationRelation, "citation-relation", "based_on", ELI.based_on),
    VND.Implements: (VND.CitationRelation, "citation-relation", "implements", ELI.ensures_implementation_of),
    VND.Replaces: (VND.CitationRelation, "citation-relation", "replaces", ELI.repeals),
    VND.Repeals: (VND.CitationRelation, "citation-relation", "repeals", ELI.repeals),
    VND.Amends: (VND.CitationRelation, "citation-relation", "amends", ELI.amends),
    VND.RespondsTo: (VND.CitationRelation, "citation-relation", "responds_to", VND.respondsTo),
    VND.Mentions: (VND.CitationRelation, "citation-relation", "mentions", ELI.cites),
    VND.CentralLevel: (VND.AdministrativeLevel, "level", None, None),
    VND.ProvinceLevel: (VND.AdministrativeLevel, "level", None, None),
    VND.DistrictLevel: (VND.AdministrativeLevel, "level", None, None),
    VND.CommuneLevel: (VND.AdministrativeLevel, "level", None, None),
    VND.OnBehalfOf: (VND.SigningCapacity, "signing-capacity", "TM.", None),
    VND.ForHead: (VND.SigningCapacity, "signing-capacity", "KT.", None),
    VND.Acting: (VND.SigningCapacity, "signing-capacity", "Q.", None),
    VND.ByOrder: (VND.SigningCapacity, "signing-capacity", "TL.", None),
    VND.ByAuthorisation: (VND.SigningCapacity, "signing-capacity", "TUQ.", None),
}


def local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def test_the_ontology_is_declared(directives):
    assert (URIRef("https://w3id.org/vn-directives/ontology"), RDF.type, OWL.Ontology) in directives


@pytest.mark.parametrize("cls", CLASSES, ids=local)
def test_class_is_declared_with_its_super_classes(directives, cls):
    assert (cls, RDF.type, OWL.Class) in directives
    assert set(CLASSES[cls]) <= set(directives.objects(cls, RDFS.subClassOf))


@pytest.mark.parametrize("prop", PROPERTIES, ids=local)
def test_property_is_declared_with_super_property_domain_and_range(directives, prop):
    kind, supers, domain, range_ = PROPERTIES[prop]
    assert (prop, RDF.type, kind) in directives
    assert set(supers) <= set(directives.objects(prop, RDFS.subPropertyOf))
    if domain is not None:
        assert directives.value(prop, RDFS.domain) == domain
    if range_ is not None:
        assert directives.value(prop, RDFS.range) == range_


@pytest.mark.parametrize("individual", INDIVIDUALS, ids=local)
def test_individual_is_a_concept_of_its_scheme(directives, individual):
    cls, scheme, notation, match = INDIVIDUALS[individual]
    assert (individual, RDF.type, cls) in directives
    assert (individual, SKOS.inScheme, URIRef(VOCAB + scheme)) in directives
    assert (URIRef(VOCAB + scheme), RDF.type, SKOS.ConceptScheme) in directives
    if notation is not None:
        assert [str(n) for n in directives.objects(individual, SKOS.notation)] == [notation]
    if match is not None:
        assert list(directives.objects(individual, SKOS.closeMatch)) == [match]


def test_citation_relations_are_exactly_the_relations_of_the_extraction_record(directives):
    notations = {str(directives.value(c, SKOS.notation)) for c in directives.subjects(RDF.type, VND.CitationRelation)}
    assert notations == {"based_on", "implements", "replaces", "repeals", "amends", "responds_to", "mentions"}


# --- document types -------------------------------------------------------------

ADMINISTRATIVE_TYPES = {  # NĐ 30/2020 Điều 7 -> Phụ lục III abbreviation (None: has none)
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công văn": None, "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB", "Thư công": None,
}
NORMATIVE_TYPES = {"Hiến pháp": None, "Bộ luật": None, "Luật": None, "Pháp lệnh": None, "Nghị định": "NĐ",
                   "Thông tư": "TT", "Thông tư liên tịch": "TTLT"}
REQUIRED_TYPES = ["Quyết định", "Kế hoạch", "Công văn", "Nghị quyết", "Thông tư", "Chỉ thị", "Tờ trình",
                  "Báo cáo", "Thông báo", "Kết luận", "Chương trình", "Luật", "Nghị định", "Đề án", "Hướng dẫn",
                  "Quy định", "Quy chế", "Công điện", "Pháp lệnh", "Hiến pháp"]


def slug(name: str) -> str:
    """ASCII slug of a Vietnamese name: "Quyết định" -> "quyet-dinh"."""
    s = name.replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return s.lower().replace(" ", "-")


def type_concepts(g: Graph) -> dict[str, URIRef]:
    """Vietnamese label -> concept of the document-type scheme."""
    return {str(label): c
            for c in g.subjects(SKOS.inScheme, DOCUMENT_TYPE_SCHEME)
            for label in g.objects(c, SKOS.prefLabel) if label.language == "vi"}


def test_document_type_iris_are_slugs_of_their_vietnamese_names(document_types):
    by_label = type_concepts(document_types)
    assert len(by_label) >= 40
    for label, concept in by_label.items():
        assert str(concept) == f"{DOCUMENT_TYPE_SCHEME}/{slug(label)}"
        assert (concept, RDF.type, VND.DocumentType) in document_types


@pytest.mark.parametrize("name", REQUIRED_TYPES, ids=slug)
def test_required_document_type_exists(document_types, name):
    assert name in type_concepts(document_types)


@pytest.mark.parametrize("table, collection", [(ADMINISTRATIVE_TYPES, "administrative"),
                                               (NORMATIVE_TYPES, "normative")])
def test_document_types_have_their_official_abbreviation(document_types, table, collection):
    by_label = type_concepts(document_types)
    members = set(document_types.objects(URIRef(f"{DOCUMENT_TYPE_SCHEME}/{collection}"), SKOS.member))
    for name, abbreviation in table.items():
        concept = by_label[name]
        notations = [str(n) for n in document_types.objects(concept, SKOS.notation)]
        assert notations == ([abbreviation] if abbreviation else []), name
        assert concept in members, f"{name} not in the {collection} collection"
    if collection == "administrative":
        assert len(members) == 29


def test_every_document_type_is_in_some_collection(document_types):
    members = set(document_types.objects(None, SKOS.member))
    generic = URIRef("https://w3id.org/vn-directives/vocab/document-type/van-ban")  # type unknown: no system
    assert generic not in members
    assert set(type_concepts(document_types).values()) - {generic} <= members


def test_agency_kinds_the_builder_uses_exist(ontology):
    kinds = {local(c) for c in ontology.subjects(SKOS.inScheme, AGENCY_KIND_SCHEME)
             if (c, RDF.type, VND.AgencyKind) in ontology}
    assert {"government", "prime-minister", "ministry", "ministry-level-body", "government-agency",
            "national-assembly", "party-organ", "mass-organisation", "cooperative-alliance",
            "peoples-committee", "peoples-council", "department", "division", "board", "centre", "office",
            "inspectorate", "bank", "treasury", "police", "military", "customs", "social-insurance",
            "other"} <= kinds


# --- shape cases -----------------------------------------------------------------

EXPECT = re.compile(r"^#\s*expect:\s*(.+?)\s*$", re.MULTILINE)


def expectations(text: str) -> list[list[str]]:
    """The expect lines of a case header, each split into words."""
    return [line.split() for line in EXPECT.findall(text)]


def prefixes(*graphs: Graph) -> dict[str, str]:
    table: dict[str, str] = {}
    for g in graphs:
        table.update({p: str(ns) for p, ns in g.namespaces()})
    return table


def expand(curie: str, table: dict[str, str]) -> URIRef:
    prefix, _, name = curie.partition(":")
    assert prefix in table, f"unknown prefix in header: {curie}"
    return URIRef(table[prefix] + name)


def results(report: Graph) -> list[dict]:
    return [{"shape": report.value(r, SH.sourceShape), "path": report.value(r, SH.resultPath),
             "component": report.value(r, SH.sourceConstraintComponent),
             "focus": report.value(r, SH.focusNode), "message": report.value(r, SH.resultMessage)}
            for r in report.subjects(RDF.type, SH.ValidationResult)]


def matches(result: dict, spec: tuple[URIRef, URIRef | None]) -> bool:
    target, component = spec
    return target in (result["shape"], result["path"]) and component in (None, result["component"])


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_shape_case(case: Path, shapes: Graph, ontology: Graph):
    text = case.read_text(encoding="utf-8")
    header = expectations(text)
    assert header, f"{case.name}: no '# expect:' line"
    data = Graph().parse(data=text, format="turtle")
    conforms, report, report_text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                             inference="rdfs", advanced=True)
    found = results(report)
    if header == [["conforms"]]:
        assert conforms, report_text
        return
    table = prefixes(shapes, data)
    specs = []
    for words in header:
        assert words[0] == "violation" and 2 <= len(words) <= 3, f"{case.name}: bad header {words}"
        specs.append((expand(words[1], table), expand(words[2], table) if len(words) == 3 else None))
    assert not conforms, f"{case.name}: expected a violation, the data conforms"
    unexpected = [r for r in found if not any(matches(r, s) for s in specs)]
    assert unexpected == [], report_text
    unmet = [s for s in specs if not any(matches(r, s) for r in found)]
    assert unmet == [], report_text


def test_there_are_shape_cases_of_both_kinds():
    heads = [expectations(p.read_text(encoding="utf-8")) for p in CASE_FILES]
    assert sum(h == [["conforms"]] for h in heads) >= 2
    assert sum(h != [["conforms"]] for h in heads) >= 7
