"""The graph behind one small interface: an embedded Oxigraph store or a remote SPARQL endpoint.

Query parameters are always bound as RDF terms: through Oxigraph's
substitutions for the embedded store, through a trailing ``VALUES`` clause
(terms written by rdflib's N3 serialiser, which escapes them) for a remote
endpoint.  Nothing a user types is pasted into query text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import sparql_prologue

Row = dict[str, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(Exception):
    """A query could not be run (bad query, unreachable endpoint, missing graph)."""


def to_rdflib(term) -> Node | None:
    """pyoxigraph term -> rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node):
    """rdflib term (or plain Python value) -> pyoxigraph term."""
    if not isinstance(term, (URIRef, BNode, Literal)):
        term = Literal(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class LocalStore:
    """An in-memory Oxigraph store loaded from a build (graph.trig); the default graph is the union."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store or ox.Store()

    @classmethod
    def from_build(cls, build_dir: Path) -> "LocalStore":
        path = Path(build_dir) / "graph.trig"
        if not path.exists():
            raise StoreError(f"{path}: no graph built yet (run `kg build` first)")
        s = ox.Store()
        s.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        return cls(s)

    def select(self, query: str, params: Mapping[str, Node] | None = None) -> list[Row]:
        """Run a SELECT query with `params` bound to variables (name without "?")."""
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (params or {}).items()}
        try:
            res = self.store.query(query, use_default_graph_as_union=True, substitutions=subs or None)
        except SyntaxError as exc:
            raise StoreError(f"bad query: {exc}") from None
        if isinstance(res, bool) or not hasattr(res, "variables"):
            raise StoreError("not a SELECT query")
        names = [v.value for v in res.variables]
        return [{n: to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in res]

    def ask(self, query: str, params: Mapping[str, Node] | None = None) -> bool:
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (params or {}).items()}
        try:
            return bool(self.store.query(query, use_default_graph_as_union=True, substitutions=subs or None))
        except SyntaxError as exc:
            raise StoreError(f"bad query: {exc}") from None

    def __len__(self) -> int:
        return len(self.store)


def values_clause(params: Mapping[str, Node]) -> str:
    """A trailing VALUES clause binding each parameter to one RDF term."""
    if not params:
        return ""
    names = sorted(params)
    terms = []
    for n in names:
        v = params[n]
        if not isinstance(v, (URIRef, BNode, Literal)):
            v = Literal(v)
        terms.append(v.n3())
    return "\nVALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(terms) + ") }\n"


class RemoteStore:
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: int = 30):
        self.endpoint = endpoint
        self.timeout = timeout

    def _run(self, query: str):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        sw = SPARQLWrapper(self.endpoint)
        sw.setQuery(query)
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.setTimeout(self.timeout)
        try:
            return sw.queryAndConvert()
        except Exception as exc:  # SPARQLWrapper raises many kinds (URLError, QueryBadFormed, ...)
            raise StoreError(f"{self.endpoint}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}") from None

    def select(self, query: str, params: Mapping[str, Node] | None = None) -> list[Row]:
        data = self._run(query + values_clause(params or {}))
        return [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]

    def ask(self, query: str, params: Mapping[str, Node] | None = None) -> bool:
        return bool(self._run(query + values_clause(params or {}))["boolean"])


def _json_term(v: dict) -> Node:
    t = v["type"]
    if t == "uri":
        return URIRef(v["value"])
    if t == "bnode":
        return BNode(v["value"])
    if "xml:lang" in v:
        return Literal(v["value"], lang=v["xml:lang"])
    if "datatype" in v and v["datatype"] != _XSD_STRING:
        return Literal(v["value"], datatype=URIRef(v["datatype"]))
    return Literal(v["value"])


def open_store(build_dir: Path | None = None, endpoint: str | None = None) -> LocalStore | RemoteStore:
    """The remote endpoint when given, else the embedded store of a build folder."""
    if endpoint:
        return RemoteStore(endpoint)
    return LocalStore.from_build(build_dir or Path("data/build"))


PROLOGUE = sparql_prologue()


def iter_values(rows: Iterable[Row], name: str) -> list[Node]:
    return [r[name] for r in rows if name in r]
