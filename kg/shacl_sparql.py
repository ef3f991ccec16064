"""SHACL validation compiled into SPARQL and run on an Oxigraph store.

The shapes of ontology/shapes.ttl (SHACL Core, the constraint components that
file uses and a few more) are compiled into SPARQL SELECT queries, one per
shape and constraint component, and run on a pyoxigraph Store with the union
of its graphs as the default graph (the build's store: one named graph per
source file, the ontology and the inferred links).  The results are those
pySHACL gives without RDFS inference on the merged graph (kg.build.validate
with inference="none"); tests/test_shacl_sparql.py compares the two.

Class membership is SHACL's: rdf:type/rdfs:subClassOf* in the data, of which
the ontology graph is a part.

Anything of a shape this module does not compile raises UnsupportedShapeError
naming it: a constraint is never silently skipped.

One thing the store cannot answer alone: Oxigraph keeps a literal of an
xsd:integer sub-type ("5"^^xsd:nonNegativeInteger, "5"^^xsd:int) as an
xsd:integer, so "5"^^xsd:integer and "5"^^xsd:nonNegativeInteger are the same
term in the store.  sh:datatype with such a datatype is therefore checked in
two parts: in the store, every value that is not an integer of the datatype's
range; in `source`, the RDF the store was loaded from (graph.trig, or an
rdflib Graph), the literals of the path's predicates whose datatype is another
integer type.  Without `source` such a shape raises UnsupportedShapeError.

    report = validate_store(ox.Store.read_only("data/build/store"), source="data/build/graph.trig")
    report.violations, report.conforms, report.turtle()

`source` may also be the rdflib Graph the store was loaded from (the build's merged graph): then nothing is
parsed.  validate_graph(graph) validates an rdflib Graph (loaded with the ontology into an in-memory store).

Speed: class tests and qualified counts are sub-queries joined to the values (Oxigraph evaluates a FILTER
EXISTS once per value, 25 times slower here).  On the build of data/raw (170,789 triples) the 76 queries and
the read of the source take 1-2 s, where pySHACL (inference "none") takes 16-18 s, on 2 busy cores.

Values are those of the store, except numbers, which the store may write otherwise ("30.0"^^xsd:decimal as
"30"): with `source` the value reported is the source's literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg.store import (
    to_oxigraph as _from_rdflib,  # the store's conversions of terms
    to_rdflib as _to_rdflib,
)

SH_NS = "http://www.w3.org/ns/shacl#"
DEFAULT_SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


def SH(name: str) -> URIRef:
    return URIRef(SH_NS + name)


class UnsupportedShapeError(ValueError):
    """A construct of the shapes graph that this validator does not compile (or cannot check on the store)."""


# --- what a shape may say ------------------------------------------------------------------------

# sh: predicates that do not constrain anything (or are read where they matter)
_NON_VALIDATING = {SH(n) for n in ("message", "name", "description", "order", "group", "severity",
                                   "deactivated", "defaultValue")}
# sh: predicates compiled on any shape
_VALUE_PARAMS = {SH(n) for n in ("class", "datatype", "nodeKind", "in", "pattern", "flags", "minLength",
                                 "maxLength", "languageIn", "or", "and", "not", "hasValue",
                                 "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")}
# sh: predicates compiled on a property shape only
_PROPERTY_PARAMS = {SH(n) for n in ("path", "minCount", "maxCount", "lessThan", "lessThanOrEquals",
                                    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
                                    "qualifiedValueShapesDisjoint")}
_TARGET_PARAMS = {SH("targetClass")}
_NODE_PARAMS = {SH("property")}

# literals the store keeps as xsd:integer; the range of each (None: unbounded)
_INTEGER_TYPES = {
    XSD.integer: (None, None), XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
    XSD.long: (-2**63, 2**63 - 1), XSD.int: (-2**31, 2**31 - 1), XSD.short: (-2**15, 2**15 - 1),
    XSD.byte: (-2**7, 2**7 - 1), XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 2**8 - 1),
}
# datatypes whose well-formedness the store checks by a cast of the lexical form
_CAST_TYPES = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime,
               XSD.time, XSD.gYear, XSD.gYearMonth, XSD.duration}
_NODE_KINDS = {
    SH("IRI"): "isIRI(?v)", SH("BlankNode"): "isBlank(?v)", SH("Literal"): "isLiteral(?v)",
    SH("BlankNodeOrIRI"): "!isLiteral(?v)", SH("BlankNodeOrLiteral"): "!isIRI(?v)",
    SH("IRIOrLiteral"): "!isBlank(?v)",
}
_COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "in": "InConstraintComponent",
    "pattern": "PatternConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "languageIn": "LanguageInConstraintComponent",
    "or": "OrConstraintComponent", "and": "AndConstraintComponent", "not": "NotConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent", "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent", "lessThan": "LessThanConstraintComponent",
    "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
}


def _sparql_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _term(t) -> str:
    """A shapes-graph term in SPARQL syntax."""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        lex = _sparql_string(str(t))
        if t.language:
            return f"{lex}@{t.language}"
        return f"{lex}^^<{t.datatype or XSD.string}>"
    raise UnsupportedShapeError(f"a blank node ({t}) where a constant is expected")


# --- compiled checks ----------------------------------------------------------------------------


@dataclass
class Check:
    """One constraint of one shape: the SPARQL that finds its violations, and what a result says."""

    shape: Node  # the source shape (URIRef or BNode of the shapes graph)
    component: str  # local name of the constraint component
    query: str  # SELECT ?f [?v] ...: one row per validation result
    path: Node | None = None  # the shape's sh:path (None for a node shape)
    has_value: bool = True  # ?v of a row is the result's sh:value
    integer_type: URIRef | None = None  # sh:datatype of an integer sub-type: also checked in the source
    predicates: tuple = ()  # the path's predicates (integer_type checks)
    focus: str = ""  # the focus-node pattern: "{ SELECT DISTINCT ?f WHERE { ... } }"
    qualified: tuple = ()  # (qualifiedMinCount, qualifiedMaxCount) of a qualified check; rows give ?n


@dataclass
class CompiledShapes:
    graph: Graph
    checks: list[Check] = field(default_factory=list)

    def needs_source(self) -> list[Check]:
        return [c for c in self.checks if c.integer_type is not None]

    def predicates(self) -> set[URIRef]:
        """Every predicate the checks read: those of the paths, of sh:lessThan(OrEquals), rdf:type and
        rdfs:subClassOf (class tests).  A triple of another predicate changes no result."""
        g = self.graph
        out = {RDF.type, RDFS.subClassOf}
        todo = [o for p in (SH("path"), SH("lessThan"), SH("lessThanOrEquals")) for o in g.objects(None, p)]
        while todo:
            node = todo.pop()
            if isinstance(node, URIRef):
                if node != RDF.nil:
                    out.add(node)
            elif isinstance(node, BNode):
                todo.extend(o for p, o in g.predicate_objects(node) if p != RDF.rest or o != RDF.nil)
        return out

    def local(self) -> bool:
        """Whether the results of a focus node depend only on its own triples (as subject or object) of
        `predicates` and on the types of their other ends: every path one step (an IRI, its inverse, or an
        alternative of those).  Value tests read the value itself and its types only (shape_test allows no
        path in a nested shape).  Then a validation may be restricted to the focus nodes a change touches
        (validate_store's `focus`)."""
        g = self.graph

        def one_step(node) -> bool:
            if isinstance(node, URIRef):
                return True
            inverse = g.value(node, SH("inversePath"))
            if inverse is not None:
                return isinstance(inverse, URIRef)
            alternatives = g.value(node, SH("alternativePath"))
            return alternatives is not None and all(one_step(n) for n in Collection(g, alternatives))

        return all(one_step(path) for path in g.objects(None, SH("path")))


def _name(g: Graph, node) -> str:
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - any IRI rdflib cannot shorten is written whole
            return f"<{node}>"
    return f"blank node shape {node}"


class _Compiler:
    def __init__(self, g: Graph):
        self.g = g
        self.checks: list[Check] = []
        self.clauses: list[str] = []  # graph patterns the expressions being compiled need (class tests)
        self.classes = 0

    def class_test(self, c) -> str:
        """An expression true when ?v is an instance of c.

        The instances are found once by a sub-query joined to the values (OPTIONAL ... BOUND): much faster in
        Oxigraph than FILTER EXISTS, which it evaluates for every value.
        """
        self.classes += 1
        var = f"?isa{self.classes}"
        self.clauses.append(f"OPTIONAL {{ SELECT DISTINCT ?v (true AS {var}) WHERE {{ "
                            f"?v <{RDF.type}>/<{RDFS.subClassOf}>* {_term(c)} }} }}")  # (_CLASS_CLAUSE reads it)
        return f"BOUND({var})"

    def fail(self, shape, what: str) -> NoReturn:
        raise UnsupportedShapeError(f"{_name(self.g, shape)}: {what} is not supported by kg.shacl_sparql")

    def one(self, shape, p):
        values = list(self.g.objects(shape, p))
        if len(values) != 1:
            self.fail(shape, f"{len(values)} values of {_name(self.g, p)}")
        return values[0]

    def items(self, shape, lst) -> list:
        try:
            return list(Collection(self.g, lst))
        except Exception:  # noqa: BLE001
            self.fail(shape, f"a malformed RDF list {lst}")

    def check_predicates(self, shape, allowed: set) -> None:
        for p in set(self.g.predicates(shape, None)):
            if p in allowed or p in _NON_VALIDATING or p == RDF.type:
                continue
            if str(p).startswith(SH_NS):
                self.fail(shape, _name(self.g, p))
        for t in self.g.objects(shape, RDF.type):
            if t in (RDFS.Class, OWL.Class):
                self.fail(shape, "an implicit class target (a shape that is also a class)")
        for p in (SH("targetNode"), SH("targetSubjectsOf"), SH("targetObjectsOf"), SH("target")):
            if (shape, p, None) in self.g:
                self.fail(shape, _name(self.g, p))

    # paths ----------------------------------------------------------------------------------------

    def path(self, shape, node) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>"
        if not isinstance(node, BNode):
            self.fail(shape, f"the path {node}")
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(shape, n) for n in self.items(shape, node)) + ")"
        preds = set(g.predicates(node, None))
        if len(preds) != 1:
            self.fail(shape, "a path node with several predicates")
        (p,) = preds
        inner = self.one(node, p)
        if p == SH("inversePath"):
            return f"^{self.path(shape, inner)}"
        if p == SH("alternativePath"):
            return "(" + "|".join(self.path(shape, n) for n in self.items(shape, inner)) + ")"
        ops: dict[Node, str] = {SH("zeroOrMorePath"): "*", SH("oneOrMorePath"): "+", SH("zeroOrOnePath"): "?"}
        if p in ops:
            return f"({self.path(shape, inner)}){ops[p]}"
        self.fail(shape, f"the path construct {_name(g, p)}")

    def forward_predicates(self, shape, node) -> tuple:
        """The predicates of a path that is an IRI or an alternative of IRIs (integer datatype checks)."""
        if isinstance(node, URIRef):
            return (node,)
        alts = list(self.g.objects(node, SH("alternativePath")))
        if len(alts) == 1 and all(isinstance(n, URIRef) for n in self.items(shape, alts[0])):
            return tuple(self.items(shape, alts[0]))
        self.fail(shape, "sh:datatype of an integer sub-type on a path other than IRIs or their alternatives")

    # value expressions ----------------------------------------------------------------------------

    def value_tests(self, shape) -> list[tuple[str, str, URIRef | None, str]]:
        """Per value constraint: (component, SPARQL expression true when ?v conforms, integer datatype or None,
        the graph patterns the expression needs after ?v is bound)."""
        tests, start = [], len(self.clauses)
        for comp, expr, integer_type in self._value_tests(shape):
            tests.append((comp, expr, integer_type, " ".join(self.clauses[start:])))
            start = len(self.clauses)
        return tests

    def _value_tests(self, shape):
        g = self.g
        for c in g.objects(shape, SH("class")):
            yield "class", self.class_test(c), None
        dts = list(g.objects(shape, SH("datatype")))
        if len(dts) > 1:
            self.fail(shape, "several sh:datatype")
        for dt in dts:
            yield ("datatype", *self.datatype_test(shape, dt))
        for kind in g.objects(shape, SH("nodeKind")):
            if kind not in _NODE_KINDS:
                self.fail(shape, f"sh:nodeKind {kind}")
            yield "nodeKind", _NODE_KINDS[kind], None
        for lst in g.objects(shape, SH("in")):
            members = self.items(shape, lst)
            expr = " || ".join(f"sameTerm(?v, {_term(m)})" for m in members) or "false"
            yield "in", f"({expr})", None
        if (shape, SH("hasValue"), None) in g:
            self.fail(shape, "sh:hasValue")  # "some value is", not a test of each value
        patterns = list(g.objects(shape, SH("pattern")))
        flags = list(g.objects(shape, SH("flags")))
        if len(flags) > 1 or (flags and not patterns):
            self.fail(shape, "sh:flags without one sh:pattern")
        for pat in patterns:
            fl = f", {_sparql_string(str(flags[0]))}" if flags else ""
            yield "pattern", f"(!isBlank(?v) && REGEX(STR(?v), {_sparql_string(str(pat))}{fl}))", None
        for n in g.objects(shape, SH("minLength")):
            yield "minLength", f"(!isBlank(?v) && STRLEN(STR(?v)) >= {int(n)})", None
        for n in g.objects(shape, SH("maxLength")):
            yield "maxLength", f"(!isBlank(?v) && STRLEN(STR(?v)) <= {int(n)})", None
        for op, name in (("<=", "minInclusive"), (">=", "maxInclusive"), ("<", "minExclusive"),
                         (">", "maxExclusive")):
            for bound in g.objects(shape, SH(name)):
                yield name, f"COALESCE({_term(bound)} {op} ?v, false)", None
        for lst in g.objects(shape, SH("languageIn")):
            tags = self.items(shape, lst)
            if not all(isinstance(t, Literal) for t in tags):
                self.fail(shape, "sh:languageIn with a member that is not a string")
            expr = " || ".join(f"langMatches(lang(?v), {_sparql_string(str(t))})" for t in tags) or "false"
            yield "languageIn", f"(isLiteral(?v) && ({expr}))", None
        for lst in g.objects(shape, SH("or")):
            yield "or", "(" + " || ".join(self.shape_test(s) for s in self.items(shape, lst)) + ")", None
        for lst in g.objects(shape, SH("and")):
            yield "and", "(" + " && ".join(self.shape_test(s) for s in self.items(shape, lst)) + ")", None
        for s in g.objects(shape, SH("not")):
            yield "not", f"!{self.shape_test(s)}", None

    def datatype_test(self, shape, dt) -> tuple[str, URIRef | None]:
        if not isinstance(dt, URIRef):
            self.fail(shape, f"sh:datatype {dt}")
        is_dt = f"(isLiteral(?v) && sameTerm(datatype(?v), <{dt}>)"
        if dt == XSD.string or dt == RDF.langString:
            return is_dt + ")", None
        if dt in _INTEGER_TYPES and dt != XSD.integer:
            # in the store an integer of the range; the datatype itself is read from the source
            lo, hi = _INTEGER_TYPES[dt]
            rng = "".join([f" && ?v >= {lo}" if lo is not None else "", f" && ?v <= {hi}" if hi is not None else ""])
            return f"(isLiteral(?v) && sameTerm(datatype(?v), <{XSD.integer}>){rng})", dt
        if dt in _CAST_TYPES:
            return is_dt + f" && COALESCE(isLiteral(<{dt}>(STR(?v))), false))", None
        self.fail(shape, f"sh:datatype {_name(self.g, dt)} (no check of its lexical forms)")

    def shape_test(self, shape) -> str:
        """A SPARQL expression true when ?v conforms to a shape made of value constraints only."""
        self.check_predicates(shape, _VALUE_PARAMS)
        tests = []
        for comp, expr, integer_type in self._value_tests(shape):  # class tests leave their clauses
            if integer_type is not None:
                self.fail(shape, "sh:datatype of an integer sub-type inside sh:or/sh:and/sh:not/qualified shapes")
            tests.append(expr)
        return "(" + (" && ".join(tests) or "true") + ")"

    # shapes ---------------------------------------------------------------------------------------

    def compile(self) -> list[Check]:
        g = self.g
        for p in (SH("targetNode"), SH("targetSubjectsOf"), SH("targetObjectsOf"), SH("target")):
            for s in g.subjects(p, None):
                self.fail(s, _name(g, p))
        for s in set(g.subjects(RDF.type, SH("SPARQLConstraint"))) | set(g.subjects(SH("sparql"), None)):
            self.fail(s, "a SPARQL-based constraint")
        for shape in sorted(set(g.subjects(SH("targetClass"), None)), key=str):
            if self.deactivated(shape):
                continue
            classes = list(g.objects(shape, SH("targetClass")))
            focus = "{ SELECT DISTINCT ?f WHERE { " + " UNION ".join(
                f"{{ ?f <{RDF.type}>/<{RDFS.subClassOf}>* {_term(c)} }}" for c in classes) + " } }"
            start = len(self.checks)
            if (shape, SH("path"), None) in g:
                self.property_shape(shape, focus)
            else:
                self.node_shape(shape, focus)
            for check in self.checks[start:]:
                check.focus = focus
        return self.checks

    def deactivated(self, shape) -> bool:
        return any(str(v).lower() == "true" for v in self.g.objects(shape, SH("deactivated")))

    def node_shape(self, shape, focus: str) -> None:
        self.check_predicates(shape, _VALUE_PARAMS | _TARGET_PARAMS | _NODE_PARAMS)
        for comp, expr, integer_type, clauses in self.value_tests(shape):
            if integer_type is not None:
                self.fail(shape, "sh:datatype of an integer sub-type on a node shape")
            self.checks.append(Check(shape, _COMPONENT[comp], (
                f"SELECT DISTINCT ?f ?v WHERE {{ {focus} BIND(?f AS ?v) {clauses} FILTER(!{expr}) }}")))
        for prop in sorted(self.g.objects(shape, SH("property")), key=str):
            if not self.deactivated(prop):
                self.property_shape(prop, focus)

    def property_shape(self, shape, focus: str) -> None:
        g = self.g
        self.check_predicates(shape, _VALUE_PARAMS | _PROPERTY_PARAMS | _TARGET_PARAMS)
        path_node = self.one(shape, SH("path"))
        path = self.path(shape, path_node)
        add = self.checks.append
        for comp, expr, integer_type, clauses in self.value_tests(shape):
            check = Check(shape, _COMPONENT[comp],
                          f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {path} ?v . {clauses} FILTER(!{expr}) }}",
                          path_node)
            if integer_type is not None:
                check.integer_type = integer_type
                check.predicates = self.forward_predicates(shape, path_node)
            add(check)
        for n in g.objects(shape, SH("minCount")):
            n = int(n)  # type: ignore[call-overload]  # rdflib types objects as Node; sh:minCount is a Literal
            if n == 1:
                q = f"SELECT ?f WHERE {{ {focus} FILTER NOT EXISTS {{ ?f {path} ?v }} }}"
            else:
                q = (f"SELECT ?f WHERE {{ {focus} OPTIONAL {{ ?f {path} ?v }} }} "
                     f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})")
            if n > 0:
                add(Check(shape, _COMPONENT["minCount"], q, path_node, has_value=False))
        for n in g.objects(shape, SH("maxCount")):
            add(Check(shape, _COMPONENT["maxCount"],
                      f"SELECT ?f WHERE {{ {focus} ?f {path} ?v }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {int(n)})",  # type: ignore[call-overload]  # a Literal
                      path_node, has_value=False))
        for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in g.objects(shape, SH(name)):
                if not isinstance(other, URIRef):
                    self.fail(shape, f"sh:{name} with a value that is not an IRI")
                # one result per pair of values that are not in order (or cannot be compared)
                add(Check(shape, _COMPONENT[name],
                          f"SELECT ?f ?v ?o WHERE {{ {{ SELECT DISTINCT ?f ?v ?o WHERE {{ {focus} ?f {path} ?v . "
                          f"?f <{other}> ?o . FILTER(!COALESCE(?v {op} ?o, false)) }} }} }}", path_node))
        qvs = list(g.objects(shape, SH("qualifiedValueShape")))
        if qvs:
            if len(qvs) > 1:
                self.fail(shape, "several sh:qualifiedValueShape")
            if any(str(v).lower() == "true" for v in g.objects(shape, SH("qualifiedValueShapesDisjoint"))):
                self.fail(shape, "sh:qualifiedValueShapesDisjoint true")
            start = len(self.clauses)
            test = self.shape_test(qvs[0])
            clauses = " ".join(self.clauses[start:])
            bounds = {}
            for name in ("qualifiedMinCount", "qualifiedMaxCount"):
                values = list(g.objects(shape, SH(name)))
                if len(values) > 1:
                    self.fail(shape, f"several sh:{name}")
                bounds[name] = int(values[0]) if values else None  # type: ignore[call-overload]  # a Literal
            lo, hi = bounds["qualifiedMinCount"], bounds["qualifiedMaxCount"]
            having = " || ".join(x for x in (f"?n < {lo}" if lo is not None else "",
                                             f"?n > {hi}" if hi is not None else "") if x)
            if having:
                # one query for both bounds: the count says which one is broken
                add(Check(shape, "qualified",
                          f"SELECT ?f ?n WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} OPTIONAL "
                          f"{{ SELECT ?f ?v WHERE {{ {focus} ?f {path} ?v . {clauses} FILTER({test}) }} }} }} "
                          f"GROUP BY ?f }} FILTER({having}) }}",
                          path_node, has_value=False, qualified=(lo, hi)))
        elif any((shape, SH(n), None) in g for n in ("qualifiedMinCount", "qualifiedMaxCount")):
            self.fail(shape, "sh:qualifiedMinCount/MaxCount without sh:qualifiedValueShape")


_CACHE: dict[tuple[str, int, int], CompiledShapes] = {}


def compile_shapes(shapes_path: Path | str | None = None) -> CompiledShapes:
    """The checks of a shapes file (cached by path, size and modification time).

    Raises:
        UnsupportedShapeError: a construct of a shape is not compiled.
    """
    path = Path(shapes_path or DEFAULT_SHAPES)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        g = Graph().parse(path, format="turtle")
        _CACHE[key] = CompiledShapes(g, _Compiler(g).compile())
    return _CACHE[key]


# --- results and report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    focus: Node  # rdflib term
    path: Node | None  # the sh:path node of the shapes graph (None for a node shape)
    value: Node | None  # rdflib term or None
    component: str
    shape: Node
    messages: tuple
    severity: URIRef


class Report:
    """The validation results; `graph()` / `turtle()` give the sh:ValidationReport."""

    def __init__(self, results: list[Result], shapes: Graph, seconds: float = 0.0):
        self.results = sorted(results, key=lambda r: (str(r.shape), r.component, str(r.focus), str(r.value)))
        self.shapes = shapes
        self.seconds = seconds

    @property
    def violations(self) -> int:
        return len(self.results)

    @property
    def conforms(self) -> bool:
        return not self.results

    def graph(self) -> Graph:
        from kg.namespaces import bind_all

        g = bind_all(Graph())
        g.bind("sh", SH_NS)
        g.bind("vnsh", "https://w3id.org/vn-directives/shapes#")
        rep = BNode("report")
        g.add((rep, RDF.type, SH("ValidationReport")))
        g.add((rep, SH("conforms"), Literal(self.conforms)))
        copied: dict = {}
        for i, r in enumerate(self.results):
            node = BNode(f"r{i:07d}")
            g.add((rep, SH("result"), node))
            g.add((node, RDF.type, SH("ValidationResult")))
            g.add((node, SH("focusNode"), r.focus))
            if r.path is not None:
                g.add((node, SH("resultPath"), self._copy(g, r.path, copied)))
            if r.value is not None:
                g.add((node, SH("value"), r.value))
            for m in r.messages:
                g.add((node, SH("resultMessage"), m))
            g.add((node, SH("resultSeverity"), r.severity))
            g.add((node, SH("sourceConstraintComponent"), SH(r.component)))
            g.add((node, SH("sourceShape"), self._copy(g, r.shape, copied)))
        return g

    def _copy(self, g: Graph, node, copied: dict):
        """A shapes-graph node in the report: IRIs as they are, blank nodes with their structure."""
        if not isinstance(node, BNode):
            return node
        if node not in copied:
            new = copied[node] = BNode(f"s{len(copied):05d}")
            for p, o in self.shapes.predicate_objects(node):
                g.add((new, p, self._copy(g, o, copied)))
        return copied[node]

    def turtle(self) -> str:
        from kg.graph import serialize_turtle

        return serialize_turtle(self.graph())


def _source_literals(source, predicates: set, datatypes: set | None = None) -> list[tuple]:
    """(subject, predicate, literal) of `source` whose predicate is one of `predicates` (and whose datatype is one
    of `datatypes`, if given), as rdflib terms."""
    if isinstance(source, Graph):
        return [(s, p, o) for p in predicates for s, o in source.subject_objects(p)
                if isinstance(o, Literal) and (datatypes is None or o.datatype in datatypes)]
    if callable(source):
        return list(source(predicates, datatypes))
    import pyoxigraph as ox

    wanted = {ox.NamedNode(str(p)) for p in predicates}
    types = None if datatypes is None else {ox.NamedNode(str(d)) for d in datatypes}
    out = []
    if isinstance(source, bytes):  # TriG
        quads = ox.parse(input=source, format=ox.RdfFormat.TRIG)
    else:
        path = Path(source)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TRIG
        quads = ox.parse(path=str(path), format=fmt)
    for q in quads:
        if q.predicate in wanted:
            o = q.object
            if isinstance(o, ox.Literal) and (types is None or o.datatype in types):
                out.append((_to_rdflib(q.subject), URIRef(q.predicate.value), _to_rdflib(o)))
    return out


def _integer_lexical(lit: Literal):
    """The integer a literal of an integer type stands for in the store, or None (ill-formed: kept verbatim)."""
    if lit.datatype not in _INTEGER_TYPES or not re.fullmatch(r"[+-]?[0-9]+", str(lit)):
        return None
    return int(str(lit))


def validate_store(store, shapes_path: Path | str | None = None, source=None, focus=None) -> Report:
    """Validate the union of the graphs of a pyoxigraph Store against a shapes file (default ontology/shapes.ttl).

    `source` is the RDF the store was loaded from (a .trig/.ttl/.nt path, its bytes, an rdflib Graph, or a
    function of (predicates, datatypes) giving its (subject, predicate, literal) triples of those, as
    _source_literals does): needed only by sh:datatype of an xsd:integer sub-type, which the store cannot tell
    from xsd:integer.  `focus`: IRIs (strings); only the results of these focus nodes are looked for (all
    of them, when None).

    Raises:
        UnsupportedShapeError: a construct of a shape is not compiled, or `source` is needed and missing.
    """
    import time

    started = time.perf_counter()
    compiled = compile_shapes(shapes_path)
    g = compiled.graph
    severities: dict = {}
    messages: dict = {}
    for check in compiled.checks:
        if check.shape not in severities:
            severities[check.shape] = next(iter(g.objects(check.shape, SH("severity"))), SH("Violation"))
            messages[check.shape] = tuple(sorted(g.objects(check.shape, SH("message")), key=str)) or None
    need_source = compiled.needs_source()
    if need_source and source is None:
        c = need_source[0]
        raise UnsupportedShapeError(
            f"{_name(g, c.shape)}: sh:datatype {_name(g, c.integer_type)} cannot be checked on an Oxigraph store "
            "alone (it keeps xsd:integer sub-types as xsd:integer): pass source=, the RDF the store was loaded from")

    def result(check: Check, focus, value) -> Result:
        msgs = messages[check.shape] or (Literal(f"{check.component} of {_name(g, check.shape)}"),)
        return Result(focus, check.path, value if check.has_value else None, check.component, check.shape,
                      msgs, severities[check.shape])

    restrict = _focus_values(focus)

    def focused(query: str, pattern: str) -> str:
        """A check's query with its focus nodes limited to `focus`, and its class tests made per value."""
        if restrict is None:
            return query
        return _per_value(query.replace(pattern, pattern.replace(_FOCUS_START, _FOCUS_START + restrict, 1)))

    found: list[tuple[Check, object, object]] = []  # (check, focus, value) as the store gives them
    for check in compiled.checks:
        for row in store.query(focused(check.query, check.focus), use_default_graph_as_union=True):
            which = _qualified_result(check, int(row["n"].value)) if check.qualified else check
            found.append((which, _to_rdflib(row["f"]), _to_rdflib(row["v"]) if which.has_value else None))
    # the literals of the source that the store may have rewritten: integer sub-types for the checks that need
    # them, numbers reported as values (the store writes "30.0"^^xsd:decimal as "30", "5"^^xsd:int as an integer)
    # numbers reported as values may be written otherwise in the source: the store writes "30.0"^^xsd:decimal
    # as "30" and "5"^^xsd:int as an xsd:integer; the value reported is the source's literal
    preds = set()
    if source is not None:
        for check, _, value in found:
            if _rewritten(value) and check.path is not None:
                preds |= set(_forward_predicates(g, check.path))
    literals: dict[tuple, list[Literal]] = {}
    if preds:
        for s, p, o in _source_literals(source, preds):
            literals.setdefault((s, p), []).append(o)
    results: list[Result] = []
    for check, focus, value in found:
        originals = []
        if _rewritten(value) and check.path is not None and literals:
            originals = [o for p in _forward_predicates(g, check.path) for o in literals.get((focus, p), [])
                         if _same_number(o, value)]  # type: ignore[arg-type]  # _rewritten: a Literal
        for v in dict.fromkeys(originals) or [value]:
            results.append(result(check, focus, v))
    if need_source:
        # values the store shows as integers of the datatype's range: in the source, those of another integer
        # type break the constraint
        required = {c.integer_type for c in need_source}
        other_types = set(_INTEGER_TYPES) - (required if len(required) == 1 else set())
        candidates = _source_literals(source, {p for c in need_source for p in c.predicates}, other_types)
        for check in need_source:
            lo, hi = _INTEGER_TYPES[check.integer_type]  # type: ignore[index]  # need_source: integer_type set
            mine = [(s, o) for s, p, o in candidates if p in check.predicates and o.datatype != check.integer_type]
            if not mine:
                continue
            focus_nodes = {_to_rdflib(r["f"]) for r in store.query(
                focused(f"SELECT ?f WHERE {check.focus}", check.focus), use_default_graph_as_union=True)}
            for s, o in dict.fromkeys(mine):
                n = _integer_lexical(o)
                if s not in focus_nodes or n is None or (lo is not None and n < lo) or (hi is not None and n > hi):
                    continue  # not a focus node, or not an integer of the range in the store: the query found it
                results.append(result(check, s, o))
    return Report(results, g, time.perf_counter() - started)


_FOCUS_START = "{ SELECT DISTINCT ?f WHERE { "
# a class test as _Compiler.class_test writes it: the instances of the class found once and joined to the values
_CLASS_CLAUSE = re.compile(r"OPTIONAL \{ SELECT DISTINCT \?v \(true AS (\?isa\d+)\) WHERE \{ (\?v \S+ \S+) \} \}")


def _per_value(query: str) -> str:
    """`query` with each class test asked of its values one by one (FILTER EXISTS) instead of joining them with
    every instance of the class: for a few focus nodes, 1.2 s -> milliseconds per check on a national store (where
    the join is the faster way to check every node)."""
    for m in list(_CLASS_CLAUSE.finditer(query)):
        var, pattern = m.group(1), m.group(2)
        query = query.replace(m.group(0), "", 1).replace(f"BOUND({var})", f"EXISTS {{ {pattern} }}")
    return query


def _focus_values(focus) -> str | None:
    """A VALUES clause binding ?f to the IRIs of `focus` (None: no restriction)."""
    if focus is None:
        return None
    iris = []
    for f in sorted(str(x) for x in focus):
        if any(c in f for c in '<>"{}|^`\\ ') or not f:
            raise ValueError(f"not an IRI: {f!r}")
        iris.append(f"<{f}>")
    return "VALUES ?f { " + " ".join(iris) + " } "


def _qualified_result(check: Check, n: int) -> Check:
    lo, _ = check.qualified
    component = "QualifiedMinCountConstraintComponent" if lo is not None and n < lo else \
        "QualifiedMaxCountConstraintComponent"
    return Check(check.shape, component, check.query, check.path, has_value=False)


_NUMBERS = {XSD.integer, XSD.decimal, XSD.double, XSD.float}


def _rewritten(value) -> bool:
    """A value the store may hold in another lexical form or datatype than the source."""
    return isinstance(value, Literal) and value.datatype in _NUMBERS


def _same_number(original: Literal, stored: Literal) -> bool:
    if stored.datatype == XSD.integer:
        if original.datatype not in _INTEGER_TYPES:
            return False
    elif original.datatype != stored.datatype:
        return False
    try:
        return original.value is not None and original.value == stored.value
    except TypeError:
        return False


def _forward_predicates(g: Graph, node) -> tuple:
    """The predicates of a path that is an IRI or an alternative of IRIs; () for other paths."""
    if isinstance(node, URIRef):
        return (node,)
    alts = list(g.objects(node, SH("alternativePath")))
    if len(alts) == 1:
        members = list(Collection(g, alts[0]))
        if all(isinstance(n, URIRef) for n in members):
            return tuple(members)
    return ()


def load_graph(data: Graph, ontology: bool = True):
    """An in-memory Store holding `data` (blank nodes keep their ids) and, in its own graph, the ontology."""
    import pyoxigraph as ox

    store = ox.Store()
    name = ox.NamedNode("urn:kg:data")
    store.extend(ox.Quad(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o), name) for s, p, o in data)
    if ontology:
        from kg.graph import ontology_graph

        onto = ox.NamedNode("urn:kg:ontology")
        store.extend(ox.Quad(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o), onto)
                     for s, p, o in ontology_graph())
    return store


def validate_graph(data: Graph, shapes_path: Path | str | None = None, ontology: bool = True) -> Report:
    """Validate an rdflib Graph: loaded into an in-memory Store with the ontology (as in the build's store)."""
    return validate_store(load_graph(data, ontology), shapes_path, source=data)


# --- comparing reports --------------------------------------------------------------------------


def _path_key(g: Graph, node):
    if node is None or isinstance(node, URIRef):
        return None if node is None else str(node)
    if (node, RDF.first, None) in g:
        return ("seq", tuple(_path_key(g, n) for n in Collection(g, node)))
    (p, o), = list(g.predicate_objects(node))
    if p == SH("alternativePath"):
        return ("alt", tuple(_path_key(g, n) for n in Collection(g, o)))
    return (str(p).rsplit("#", 1)[-1], _path_key(g, o))


def result_set(report: Graph) -> set[tuple]:
    """A report graph (pySHACL's or this module's) as a set of (focus, path, component, shape, value).

    Paths are compared by structure, blank-node shapes by their messages, "x"^^xsd:string as "x" (the same
    term in RDF 1.1, two in rdflib).
    """
    def plain(t):
        return Literal(str(t)) if isinstance(t, Literal) and t.datatype == XSD.string else t

    out = set()
    for r in report.subjects(RDF.type, SH("ValidationResult")):
        shape: object = report.value(r, SH("sourceShape"))
        if isinstance(shape, BNode):
            shape = ("shape", tuple(sorted(str(m) for m in report.objects(r, SH("resultMessage")))))
        out.add((plain(report.value(r, SH("focusNode"))), _path_key(report, report.value(r, SH("resultPath"))),
                 str(report.value(r, SH("sourceConstraintComponent"))), shape, plain(report.value(r, SH("value")))))
    return out
