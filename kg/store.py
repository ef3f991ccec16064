"""The graph behind one small interface: an embedded Oxigraph store or a remote SPARQL endpoint.

Query parameters are always bound as RDF terms, the same way for both
stores: a one-row ``VALUES`` block placed first in the query's outermost
``WHERE`` group, each term written by :func:`sparql_term` (IRIs checked,
literals escaped).  Nothing a user types is pasted into query text as syntax.

Why not Oxigraph's ``substitutions``: it refuses a parameter that the query
does not project, and ``BOUND(?param)`` is false on a substituted variable;
why not a trailing ``VALUES`` clause: it is joined after the ``WHERE`` group,
so a ``FILTER`` inside the group sees the parameter unbound.  A block at the
top of the group is seen by every ``FILTER`` and ``OPTIONAL`` of the query
(not by sub-``SELECT`` s, which must not use parameters), on any endpoint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import sparql_prologue

# a result row: variable -> rdflib term (URIRef, Literal, BNode). Any, not Node: rdflib's Node has none of the
# methods the rows are read with (int() and str() of a Literal, a URIRef as a dict key of URIRef)
Row = dict[str, Any]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _first_line(exc: BaseException, limit: int = 200) -> str:
    """An error's first line, cut to `limit` characters (parser errors list every expected token)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[:limit] + " …"


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


def persistent_store(build_dir: Path) -> Path | None:
    """build_dir/store/ when it was loaded from the build's graph.trig as it is now (see kg.build.load_store)."""
    import json

    build_dir = Path(build_dir)
    store, stamp, trig = build_dir / "store", build_dir / "store.json", build_dir / "graph.trig"
    try:
        meta = json.loads(stamp.read_text(encoding="utf-8"))
        st = trig.stat()
    except (OSError, ValueError):
        return None
    if not store.is_dir() or not isinstance(meta, dict):
        return None
    if meta.get("size") != st.st_size or meta.get("mtime_ns") != st.st_mtime_ns:
        return None
    return store


def _stamped_quads(build_dir: Path) -> int | None:
    """The number of quads build_dir/store.json says the build's store was loaded with (kg.build.load_store
    checks it), if it says."""
    import json

    try:
        quads = json.loads((Path(build_dir) / "store.json").read_text(encoding="utf-8")).get("quads")
    except (OSError, ValueError, AttributeError):
        return None
    return quads if isinstance(quads, int) and not isinstance(quads, bool) and quads >= 0 else None


class LocalStore:
    """An Oxigraph store of a build (its persistent store/, else graph.trig in memory); the default graph is the
    union of the named graphs."""

    def __init__(self, store: ox.Store | None = None, quads: int | None = None):
        self.store = store or ox.Store()
        self._quads = quads  # how many quads the store holds, when its build's stamp says (counting them: 1.6 s
        # on a national build of 7.8 M quads)

    @classmethod
    def from_build(cls, build_dir: Path) -> "LocalStore":
        """The build's persistent store (store/, opened read-only: milliseconds at any size), or, when the
        build has none or it was loaded from another graph.trig than the one beside it, graph.trig parsed
        into memory."""
        build_dir = Path(build_dir)
        path = build_dir / "graph.trig"
        if not path.exists():
            raise StoreError(f"{path}: no graph built yet (run `kg build` first)")
        disk = persistent_store(build_dir)
        if disk is not None:
            try:
                return cls(ox.Store.read_only(str(disk)), quads=_stamped_quads(build_dir))
            except OSError:
                pass  # unreadable store: the TriG is the reference
        s = ox.Store()
        try:
            s.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"{path}: not a readable graph ({_first_line(exc)}); run `kg build` again") from None
        return cls(s)

    def _query(self, query: str, params: Mapping[str, Node] | None):
        try:
            return self.store.query(bind(query, params), use_default_graph_as_union=True)
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            raise StoreError(f"bad query: {_first_line(exc)}") from None

    def _solutions(self, query: str, params: Mapping[str, Node] | None):
        """(variable names, solutions) of a SELECT query."""
        res = self._query(query, params)
        if isinstance(res, bool) or not hasattr(res, "variables"):
            raise StoreError("not a SELECT query")
        return [v.value for v in res.variables], res

    def select(self, query: str, params: Mapping[str, Node] | None = None) -> list[Row]:
        """Run a SELECT query with `params` bound to variables (name without "?")."""
        names, res = self._solutions(query, params)
        # each term converted once: rdflib's Literal checks its lexical form on creation, and a result repeats
        # its terms (the parents of an implementation tree, true/false, a type): 240 ms of 2,027 rows
        # of eight columns without the memo, 30 ms with it
        memo: dict = {}

        def conv(term):
            found = memo.get(term)
            if found is None:
                found = memo[term] = to_rdflib(term)
            return found
        return [{n: conv(v) for n in names if (v := sol[n]) is not None} for sol in res]

    def select_values(self, query: str) -> list[tuple[str | None, ...]]:
        """The lexical values of a SELECT's columns, row by row (None where unbound), without rdflib terms:
        what a caller wanting strings only reads (the search index of a national build: 355,000 rows)."""
        names, res = self._solutions(query, None)
        return [tuple(v.value if (v := sol[n]) is not None else None for n in names) for sol in res]

    def ask(self, query: str, params: Mapping[str, Node] | None = None) -> bool:
        return bool(self._query(query, params))

    def __len__(self) -> int:
        return self._quads if self._quads is not None else len(self.store)


_IRI_OK = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')
_VAR_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: Node | object) -> str:
    """One RDF term in SPARQL syntax; IRIs are checked, literals escaped (never raw user text)."""
    if not isinstance(term, (URIRef, BNode, Literal)):
        term = Literal(term)
    if isinstance(term, URIRef):
        if not _IRI_OK.match(str(term)):
            raise StoreError(f"not a valid IRI: {str(term)[:80]!r}")
        return f"<{term}>"
    if isinstance(term, BNode):
        raise StoreError("a blank node cannot be a query parameter")
    body = '"' + "".join(_LITERAL_ESCAPES.get(c, c) for c in str(term)) + '"'
    if term.language:
        if not re.match(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$", term.language):
            raise StoreError(f"not a language tag: {term.language!r}")
        return f"{body}@{term.language}"
    if term.datatype and str(term.datatype) != _XSD_STRING:
        return f"{body}^^{sparql_term(URIRef(str(term.datatype)))}"
    return body


def values_clause(params: Mapping[str, Node]) -> str:
    """A VALUES block binding each parameter to one RDF term (one row)."""
    if not params:
        return ""
    names = sorted(params)
    for n in names:
        if not _VAR_OK.match(n):
            raise StoreError(f"not a variable name: {n!r}")
    terms = [sparql_term(params[n]) for n in names]
    return "\nVALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(terms) + ") }\n"


# what to step over when looking for the WHERE group: comments, strings, IRIs
_SKIP = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


def bind(query: str, params: Mapping[str, Node] | None) -> str:
    """`query` with `params` as a VALUES block opening its outermost WHERE group."""
    if not params:
        return query
    return insert_in_where(query, values_clause(params))


def insert_in_where(query: str, block: str) -> str:
    """`block` placed first in the outermost WHERE group of `query` (comments, strings and IRIs stepped over).

    Raises:
        StoreError: the query has no WHERE group.
    """
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), query)
    where = _WHERE.search(masked)
    brace = masked.find("{", where.end() if where else 0)
    if brace < 0:
        raise StoreError("no WHERE group to bind parameters in")
    return query[:brace + 1] + block + query[brace + 1:]


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
        data = self._run(bind(query, params))
        return [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]

    def select_values(self, query: str) -> list[tuple[str | None, ...]]:
        """LocalStore.select_values over the endpoint."""
        data = self._run(query)
        names = data["head"]["vars"]
        return [tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"]]

    def ask(self, query: str, params: Mapping[str, Node] | None = None) -> bool:
        return bool(self._run(bind(query, params))["boolean"])


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

