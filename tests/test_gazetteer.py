"""The agency catalogue as data: ontology/vocab/agencies.ttl and number-abbreviations.ttl.

* both vocabularies parse with rdflib and every entry has its label, pattern
  (or abbreviations), position and dct:source (an act, or "usage in the corpus");
* every pattern compiles the way kg/extract/agencies.py compiles it;
* kg/extract/gazetteer.json is what scripts/gen_gazetteer.py makes of the Turtle;
* the lists keep their matching order (a longer name before the shorter one it contains);
* the graph's ontology (kg.graph.ontology_graph, the dataset's ontology graph) includes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kg.extract import gazetteer
from kg.namespaces import VND

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "ontology" / "vocab"
BASE = "https://w3id.org/vn-directives/vocab/"
AGENCY_SCHEMES = [URIRef(BASE + f"agency/{s}") for s in ("fields", "offices", "bodies", "unit-heads")]
ABBR_SCHEMES = [URIRef(BASE + f"number-abbreviation/{s}") for s in ("types", "issuers")]
USAGE = Literal("usage in the corpus", lang="en")
# a source is an act (law, resolution, decree, constitution, party statute) or the honest "usage in the corpus"
ACT = re.compile(r"^(Nghị định \d+/\d{4}/NĐ-CP(, Phụ lục [IVX]+)?|Nghị quyết \d+/\d{4}/QH\d+|Luật( [^\d]+)? \d+/\d{4}/QH\d+"
                 r"|Hiến pháp \d{4}|Điều lệ Đảng Cộng sản Việt Nam \(\d{4}\))$")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    g = Graph()
    for name in gazetteer.VOCAB_FILES:
        g.parse(VOCAB / name)
    return g


def members(g: Graph, schemes: list[URIRef]) -> list[URIRef]:
    return sorted(c for s in schemes for c in g.subjects(SKOS.inScheme, s))


@pytest.mark.parametrize("name", gazetteer.VOCAB_FILES)
def test_vocabulary_parses_with_rdflib(name):
    g = Graph().parse(VOCAB / name)
    assert len(g) > 500


def test_every_agency_entry_has_label_pattern_position_and_source(vocab):
    concepts = members(vocab, AGENCY_SCHEMES)
    assert len(concepts) >= 130
    problems = []
    for c in concepts:
        labels = [o for o in vocab.objects(c, SKOS.prefLabel) if o.language == "vi"]
        if len(labels) != 1:
            problems.append(f"{c}: {len(labels)} skos:prefLabel@vi")
        if len(list(vocab.objects(c, VND.namePattern))) != 1:
            problems.append(f"{c}: not one vnd:namePattern")
        if vocab.value(c, VND.position) is None:
            problems.append(f"{c}: no vnd:position")
        if not list(vocab.objects(c, DCTERMS.source)):
            problems.append(f"{c}: no dct:source")
        if (c, RDF.type, SKOS.Concept) not in vocab or (c, RDF.type, OWL.NamedIndividual) not in vocab:
            problems.append(f"{c}: not a skos:Concept and owl:NamedIndividual")
    assert problems == []


def test_every_abbreviation_entry_has_label_abbreviations_and_source(vocab):
    concepts = members(vocab, ABBR_SCHEMES)
    assert len(concepts) >= 50
    for c in concepts:
        assert len([o for o in vocab.objects(c, SKOS.prefLabel) if o.language == "vi"]) == 1, c
        assert list(vocab.objects(c, VND.abbreviation)), c
        assert list(vocab.objects(c, DCTERMS.source)), c


def test_sources_name_an_act_or_say_usage_in_the_corpus(vocab):
    bad = sorted({str(s) for c in members(vocab, AGENCY_SCHEMES) + members(vocab, ABBR_SCHEMES)
                  for s in vocab.objects(c, DCTERMS.source) if s != USAGE and not ACT.match(str(s))})
    assert bad == []


def test_the_acts_of_the_brief_are_cited(vocab):
    sources = {str(s) for s in vocab.objects(None, DCTERMS.source)}
    for act in ("Nghị định 24/2014/NĐ-CP", "Nghị định 107/2020/NĐ-CP", "Nghị định 45/2025/NĐ-CP",
                "Nghị định 150/2025/NĐ-CP", "Nghị định 37/2014/NĐ-CP", "Nghị quyết 176/2025/QH15",
                "Nghị định 30/2020/NĐ-CP, Phụ lục III", "Luật 97/2025/QH15"):
        assert act in sources


def test_every_entry_is_in_exactly_one_list(vocab):
    assert sorted(map(str, AGENCY_SCHEMES + ABBR_SCHEMES)) == sorted(gazetteer._LISTS)
    for c in members(vocab, AGENCY_SCHEMES) + members(vocab, ABBR_SCHEMES):
        assert len(list(vocab.objects(c, SKOS.inScheme))) == 1, c


def test_patterns_compile_as_the_extractor_compiles_them():
    def sp(p: str) -> str:  # kg/extract/agencies.py:_sp
        return p.replace(" ", r"\s+")

    patterns = [p for _, p in gazetteer.FIELDS] + [p for _, p in gazetteer.OFFICES]
    patterns += [b[1] for b in gazetteer.BODIES] + list(gazetteer.UNIT_HEADS)
    for p in patterns:
        re.compile(rf"(?:{sp(p)})\b", re.I)


def test_the_json_the_extractor_loads_is_what_the_turtle_says():
    # if this fails: python scripts/gen_gazetteer.py
    assert gazetteer.JSON_PATH.read_text(encoding="utf-8") == gazetteer.dump(gazetteer.compile_vocabulary())


def test_the_extractor_sees_the_same_tables():
    from kg.extract import header

    assert header.TYPE_ABBR is gazetteer.TYPE_ABBR and header.ISSUER_ABBR is gazetteer.ISSUER_ABBR
    assert all(isinstance(t, tuple) and len(t) == 2 for t in gazetteer.FIELDS + gazetteer.OFFICES)
    assert all(isinstance(t, tuple) and len(t) == 4 for t in gazetteer.BODIES)
    assert gazetteer.UNIT_HEADS[:3] == ("Tổng cục", "Chi cục", "Cục")  # "Tổng cục" is not read as "Cục"
    assert gazetteer.TYPE_ABBR["QĐ"] == "Quyết định" and gazetteer.TYPE_ABBR["KH"] == "Kế hoạch"
    assert gazetteer.ISSUER_ABBR["TTg"] == ("Thủ tướng Chính phủ", False)
    assert gazetteer.ISSUER_ABBR["UBND"] == ("Ủy ban nhân dân", True)
    assert gazetteer.ISSUER_ABBR["BCT"] == ("Bộ Công Thương", False)  # "05/2018/TT-BCT"; the Politburo is "-NQ/TW"
    assert {s for _, _, s, _ in gazetteer.BODIES} <= {"central", "province", "district", "issuer", "explicit",
                                                      "dual", "unit"}
    assert {k for _, _, _, k in gazetteer.BODIES} <= {"state", "front", "party", "mass"}


@pytest.mark.parametrize("name", ["FIELDS", "OFFICES", "BODIES"])
def test_a_longer_name_comes_before_the_shorter_one_it_contains(name):
    # the extractor takes the first pattern that fits: each canonical name must be read as itself,
    # except "X Việt Nam" after a "dual" X, whose scope makes " Việt Nam" central
    entries = getattr(gazetteer, name)
    compiled = [(e, re.compile(rf"(?:{e[1].replace(' ', chr(92) + 's+')})\b", re.I)) for e in entries]
    for e in entries:
        first = next(f for f, r in compiled if r.match(e[0]))
        if first[0] != e[0]:
            assert name == "BODIES" and first[2] == "dual" and e[0] == f"{first[0]} Việt Nam", (e[0], first[0])


def test_the_graph_includes_the_vocabularies():
    from kg import iri
    from kg.graph import GraphBuilder, ontology_graph

    onto = ontology_graph()
    tthg = URIRef(BASE + "agency/body-thu-tuong-chinh-phu")
    for scheme in AGENCY_SCHEMES + ABBR_SCHEMES:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    assert (tthg, SKOS.prefLabel, Literal("Thủ tướng Chính phủ", lang="vi")) in onto
    assert len(members(onto, AGENCY_SCHEMES)) == (
        len(gazetteer.FIELDS) + len(gazetteer.OFFICES) + len(gazetteer.BODIES) + len(gazetteer.UNIT_HEADS))
    ds = GraphBuilder([], {}).dataset()
    assert (tthg, VND.namePattern, None) in ds.graph(iri.ONTOLOGY_GRAPH)


def test_provinces_and_cities_come_from_the_unit_data():
    # no hand-typed list: the 63 legacy and 34 current units of data/units/units.csv, and the former "Thừa Thiên Huế"
    import csv
    from pathlib import Path

    rows = list(csv.DictReader((Path(__file__).parents[1] / "data" / "units" / "units.csv").open(encoding="utf-8")))
    assert gazetteer.PROVINCES == {r["name"] for r in rows if r["level"] == "province"} | {"Thừa Thiên Huế"}
    assert gazetteer.CITIES == {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
