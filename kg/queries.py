"""The queries of ``queries/*.rq``: find them, read their headers, bind parameters, run them.

Each file holds one SPARQL SELECT query with a grlc-style header::

    #+ summary: Every duty of an agency ...
    #+ params: agency (IRI, required), role (lead|partner, optional)
    #+ example: agency=Sở Công Thương tỉnh An Giang

A parameter kind is ``IRI``, ``literal``, ``date``, ``integer``, ``IRI list``
or a list of allowed words (``lead|partner``).  What a user types becomes one RDF term
(:func:`to_term`): an IRI parameter takes a full IRI, or a document number /
agency name found through :mod:`kg.lookup`; the store binds the term as a
value, never as query text.

An ``IRI list`` parameter (the nodes a page asks about at once: labels of 400
documents, counts below each of them) is bound as a VALUES block of one
variable and many rows, each IRI written by :func:`kg.store.sparql_term`, at
the top of the query's outermost WHERE group like the other parameters.  A
query run page by page (``run(..., limit=, offset=)``) ends without LIMIT: the
integers are appended.

``#+ order: parent, child`` names the columns a query's rows are sorted on here, after the store has
answered, where the store's ORDER BY of long IRIs would cost more than the rest of the query; a paged run
appends that ORDER BY instead, so that a page is the same on every run.

``#+ keys: month = months(from, to)`` (or ``deadline = days(from, to)``, ``rank = ranks(top)``) names an
index key that the query's filters imply: when its parameters are given, the key variable is bound to every
value it can take (each month from one date's to the other's; each day from one date to the other; the ranks 1
to top) as a VALUES block, so that the store looks the rows
up by key instead of scanning every row to filter it (Oxigraph does not push a filter on a variable bound by
VALUES into its index scans: "deadlines" of one month 750 ms scanning, 2 ms by key, on the national
cascade).  The query keeps its filter, so the answer is the same with the key unbound (more than
MAX_KEY_VALUES values, or a parameter not given).

``queries/`` holds the questions offered to users (``kg query --list``, the
"Câu hỏi" page); ``queries/explorer/`` holds every query the web explorer and
``kg/viz.py`` run, under the same header (``load("explorer/document-meta")``,
``kg query explorer/document-meta --param doc=01/QĐ-TTg``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.lookup import Lookup, LookupError_, resolve_one
from kg.store import Row
from kg.text import modern_tones

QUERY_DIR = Path(__file__).resolve().parents[1] / "queries"
EXPLORER_DIR = QUERY_DIR / "explorer"
KINDS = ("IRI", "literal", "date", "month", "integer", "IRI list", "name")  # name: a Vietnamese label, @vi
# which look-up an IRI parameter uses, by its name
LOOKUP_KIND = {"agency": "agency", "issuer": "agency", "doc": "document", "document": "document",
               "scheme": "document"}
_PARAM = re.compile(r"(\w+)\s*\(\s*([^,()]+?)\s*,\s*(required|optional)\s*\)")
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
_KEY = re.compile(r"^\??([A-Za-z_]\w*)\s*=\s*(months|days|ranks)\s*\(\s*(\w+(?:\s*,\s*\w+)*)\s*\)$")
# the kinds of the parameters of each key function
KEY_FUNCTIONS = {"months": ("date", "date"), "days": ("date", "date"), "ranks": ("integer",)}
MAX_KEY_VALUES = 100_000  # a key with more values is left unbound (the query's filter alone answers)


class QueryError(Exception):
    """A query that cannot be found, or a parameter that cannot be bound."""


@dataclass(frozen=True)
class Param:
    """One parameter of a query."""

    name: str
    kind: str  # IRI | literal | date | integer | "a|b|c" (allowed words)
    required: bool

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.kind.split("|")) if self.kind not in KINDS else ()


@dataclass
class Query:
    """One ``.rq`` file: its name, header and text."""

    name: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    example: dict[str, str] = field(default_factory=dict)
    # ``#+ order: a, b``: the rows are sorted on these columns here rather than by the store (its ORDER BY of
    # long IRIs can cost more than the rest of a query); a paged run asks the store instead
    order: list[str] = field(default_factory=list)
    # ``#+ keys: month = months(from, to)``: (variable, function, parameters) of each index key (see above)
    keys: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"{self.name}: no parameter “{name}” (parameters: "
                         f"{', '.join(p.name for p in self.params) or 'none'})")

    @property
    def prefixes(self) -> dict[str, str]:
        """The PREFIX lines of the file, prefix -> namespace."""
        return dict(re.findall(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", self.text, re.MULTILINE | re.IGNORECASE))


def parse(path: Path) -> Query:
    """Read one ``.rq`` file and its ``#+`` header."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    q = Query(path.stem, path, text)
    last = None
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            last, value = m.group(1).lower(), m.group(2).strip()
        elif last and line.startswith("#+ ") and not _HEADER.match(line):
            value = line[3:].strip()  # continuation line of the previous key
            if last == "description":
                q.description += " " + value
            elif last == "summary":
                q.summary += " " + value
            continue
        else:
            if not line.startswith("#"):
                last = None
            continue
        if last == "summary":
            q.summary = value
        elif last == "description":
            q.description = value
        elif last == "params":
            if value.lower() not in ("", "none"):
                q.params = [Param(n, k.strip(), r == "required") for n, k, r in _PARAM.findall(value)]
                if not q.params:
                    raise QueryError(f"{path.name}: cannot read “#+ params: {value}”")
        elif last == "order":
            q.order = [v.strip().lstrip("?") for v in value.split(",") if v.strip()]
            if not all(re.fullmatch(r"[A-Za-z_]\w*", v) for v in q.order):
                raise QueryError(f"{path.name}: cannot read “#+ order: {value}”")
        elif last == "keys":
            q.keys = [_key(path, q, part.strip()) for part in value.split(";") if part.strip()]
        elif last == "example":
            for pair in re.split(r",\s*(?=\w+=)", value):
                if "=" in pair:
                    k, v = pair.split("=", 1)
                    q.example[k.strip()] = v.strip()
    return q


def _key(path: Path, q: Query, text: str) -> tuple[str, str, tuple[str, ...]]:
    """One ``variable = function(parameters)`` of a ``#+ keys:`` line, checked against the declared parameters
    (``#+ params:`` comes first)."""
    m = _KEY.match(text)
    if not m:
        raise QueryError(f"{path.name}: cannot read “#+ keys: {text}” (months(from, to), days(from, to) or ranks(top))")
    var, func, args = m.group(1), m.group(2), tuple(a.strip() for a in m.group(3).split(","))
    kinds = {p.name: p.kind for p in q.params}
    if var in kinds:
        raise QueryError(f"{path.name}: key “{var}” is also a parameter")
    if tuple(kinds.get(a) for a in args) != KEY_FUNCTIONS[func]:
        raise QueryError(f"{path.name}: {func} takes parameters of kinds {', '.join(KEY_FUNCTIONS[func])}: "
                         f"“{text}”")
    return var, func, args


def key_values(func: str, args: list) -> tuple[Literal, ...] | None:
    """The values of an index key from its parameters' terms; None when there are more than MAX_KEY_VALUES
    (or the range is empty: the query's filter then finds nothing by itself)."""
    if func in ("months", "days"):
        start, end = (a.toPython() for a in args)
        if not (isinstance(start, date) and isinstance(end, date)) or start > end:
            return None
        if func == "days":
            if end.toordinal() - start.toordinal() + 1 > MAX_KEY_VALUES:
                return None
            return tuple(Literal(date.fromordinal(d).isoformat(), datatype=XSD.date)
                         for d in range(start.toordinal(), end.toordinal() + 1))
        first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
        if last - first + 1 > MAX_KEY_VALUES:
            return None
        return tuple(Literal(f"{m // 12:04d}-{m % 12 + 1:02d}", datatype=XSD.gYearMonth)
                     for m in range(first, last + 1))
    top = int(args[0])  # ranks
    if top < 1 or top > MAX_KEY_VALUES:
        return None
    return tuple(Literal(r) for r in range(1, top + 1))


def available(directory: Path | None = None) -> dict[str, Query]:
    """Every query of the folder (default ``queries/``), by name."""
    folder = Path(directory or QUERY_DIR)
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}


def load(name_or_file: str, directory: Path | None = None) -> Query:
    """A query by name ("agency-duties") or by path to a ``.rq`` file."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return parse(path)
    if directory is None and "/" in name_or_file and path.suffix != ".rq":
        sub = QUERY_DIR / f"{name_or_file}.rq"  # "explorer/document-meta"
        if sub.resolve().parent.parent == QUERY_DIR and sub.is_file():
            return parse(sub)
    queries = available(directory)
    name = path.stem if path.suffix == ".rq" else name_or_file
    if name not in queries:
        raise QueryError(f"no query “{name_or_file}” (queries: {', '.join(queries)})")
    return queries[name]


@functools.lru_cache(maxsize=None)
def explorer(name: str) -> Query:
    """A query of ``queries/explorer/`` by name, read once (the explorer runs them on every page)."""
    path = EXPLORER_DIR / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no explorer query “{name}”")
    return parse(path)


def to_term(param: Param, value, lookup: Lookup | None = None):
    """What a user typed for `param` as one RDF term (a tuple of IRIs for an ``IRI list``: given as a list,
    or as text with ";" between the items).

    Raises:
        QueryError: the value does not fit the kind (bad date, word not allowed).
        kg.lookup.LookupError_: an IRI parameter's name matches nothing or several things.
    """
    if param.kind == "IRI list":
        items = value.split(";") if isinstance(value, str) else list(value)
        one = Param(param.name, "IRI", param.required)
        return tuple(to_term(one, v, lookup) for v in items if isinstance(v, Node) or str(v).strip())
    if isinstance(value, (URIRef, Literal)):
        return value
    text = str(value).strip()
    if param.choices:
        if text not in param.choices:
            raise QueryError(f"{param.name}: “{text}” is not one of {', '.join(param.choices)}")
        return Literal(text)
    if param.kind == "date":
        try:
            return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"{param.name}: “{text}” is not a date (YYYY-MM-DD)") from None
    if param.kind == "month":  # YYYY-MM, bound as xsd:gYearMonth (what vnd:deadlineMonth holds)
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
            raise QueryError(f"{param.name}: “{text}” is not a month (YYYY-MM)")
        return Literal(text, datatype=XSD.gYearMonth)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise QueryError(f"{param.name}: “{text}” is not an integer")
        return Literal(int(text))
    if param.kind == "IRI":
        if re.match(r"^https?://\S+$", text):
            return URIRef(text)
        if lookup is None:
            raise QueryError(f"{param.name}: give a full IRI (no look-up available for “{text}”)")
        if param.name in LOOKUP_KIND:
            return resolve_one(lookup, text, LOOKUP_KIND[param.name]).iri
        return _resolve_any(lookup, text)
    if param.kind == "name":  # as the graph's labels are written: NFC, canonical tone placement, tagged @vi
        return Literal(modern_tones(text), lang="vi")
    return Literal(modern_tones(text))  # NFC, tone marks placed as the graph's labels place them


def _resolve_any(lookup: Lookup, text: str) -> URIRef:
    hits = lookup.search(text, limit=50)
    if len(hits) == 1 or (hits and sum(h.rank[0] == 0 for h in hits) == 1):
        return next(h for h in hits if h.rank[0] == 0 or len(hits) == 1).iri
    if not hits:
        raise LookupError_(f"nothing matches “{text}”", lookup.suggest(text))
    raise LookupError_(f"“{text}” matches {len(hits)} names", [h.label for h in hits])


def bind_params(query: Query, values: Mapping[str, Any], lookup: Lookup | None = None) -> dict[str, Any]:
    """The RDF terms for a query's parameters; checks required ones and unknown names."""
    params = {name: query.param(name) for name in values}  # unknown names fail first
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing:
        raise QueryError(f"{query.name}: missing parameter(s) {', '.join(missing)}")
    return {name: to_term(params[name], value, lookup) for name, value in values.items()}


def _needs_lookup(query: Query, values: Mapping[str, Any]) -> bool:
    """Whether some IRI parameter is given by name (not as an IRI), so that the look-up must be read."""
    def named(v) -> bool:
        return not isinstance(v, Node) and not str(v).strip().startswith(("http://", "https://"))

    for k, v in values.items():
        kind = query.param(k).kind
        if kind == "IRI" and named(v):
            return True
        if kind == "IRI list" and any(named(x) for x in (v.split(";") if isinstance(v, str) else v)):
            return True
    return False


def bound_text(query: Query, terms: Mapping[str, Any], limit: int | None = None,
               offset: int | None = None) -> tuple[str, dict[str, Node]]:
    """The query's text with its ``IRI list`` parameters as VALUES blocks (and LIMIT / OFFSET appended when
    given), and the one-term parameters the store binds."""
    from kg.store import sparql_term  # the store's own writer of terms: IRIs checked, literals escaped

    text = query.text
    lists = {k: v for k, v in terms.items() if isinstance(v, tuple)}
    for var, func, args in query.keys:
        if all(a in terms for a in args):
            keyed = key_values(func, [terms[a] for a in args])
            if keyed is not None:
                lists[var] = keyed
    if lists:
        block = "".join(f"\nVALUES ?{k} {{ " + " ".join(sparql_term(t) for t in lists[k]) + " }"
                        for k in sorted(lists) if re.fullmatch(r"[A-Za-z_]\w*", k)) + "\n"
        text = _insert_in_where(text, block)
    if limit is not None or offset is not None:
        if query.order:  # a page must be the same page on every run: the store sorts
            text += "\nORDER BY " + " ".join(f"?{v}" for v in query.order)
        if re.search(r"\bLIMIT\s+\d+\s*(OFFSET\s+\d+\s*)?$", _strip_comments(text), re.IGNORECASE):
            raise QueryError(f"{query.name}: has a LIMIT of its own; it cannot be paged")
        text += f"\nLIMIT {int(limit if limit is not None else 10**9)}" + (f" OFFSET {int(offset)}" if offset else "")
    return text, {k: v for k, v in terms.items() if not isinstance(v, tuple)}


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).rstrip()


def _insert_in_where(text: str, block: str) -> str:
    """`block` placed first in the outermost WHERE group, where kg.store.bind places one-row VALUES blocks."""
    from kg.store import StoreError, insert_in_where

    try:
        return insert_in_where(text, block)
    except StoreError as exc:
        raise QueryError(str(exc)) from None


def run(store, query: Query | str, values: Mapping[str, object] | None = None,
        lookup: Lookup | None = None, limit: int | None = None, offset: int | None = None) -> list[Row]:
    """Run a query (object, name or file) on a store with parameters bound as RDF terms; `limit` and `offset`
    page a query that has no LIMIT of its own."""
    if not isinstance(query, Query):
        query = load(query)
    values = dict(values or {})
    if lookup is None and _needs_lookup(query, values):
        lookup = lookup_for(store)
    text, terms = bound_text(query, bind_params(query, values, lookup), limit, offset)
    rows = store.select(text, terms)
    return in_order(query, rows) if limit is None and offset is None else rows


def in_order(query: Query, rows: list[Row]) -> list[Row]:
    """The rows sorted on the query's ``#+ order:`` columns (as they are, when it has none)."""
    if query.order:
        rows.sort(key=lambda r: tuple(_order_key(r.get(v)) for v in query.order))
    return rows


def _order_key(term) -> tuple:
    """A sort key in SPARQL's order of kinds (unbound, blank node, IRI, literal), then by text: the store's
    ORDER BY for IRIs and plain strings (numbers and dates would need their values: no ``order`` line names
    such a column)."""
    if term is None:
        return (0, "")
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    return (3, str(term))


_LOOKUPS: dict[int, tuple[object, Lookup]] = {}


def lookup_for(store) -> Lookup:
    """The name look-up of a store (read once per store object)."""
    cached = _LOOKUPS.get(id(store))
    if cached is None or cached[0] is not store:
        cached = _LOOKUPS[id(store)] = (store, Lookup.from_store(store))
    return cached[1]


def columns(query: Query) -> list[str]:
    """The projected variable names of a query, in order (for table and CSV headers)."""
    body = re.sub(r"#[^\n]*", "", query.text)
    m = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\b", body, re.IGNORECASE | re.DOTALL)
    if not m:
        return []
    out, depth, group = [], 0, ""
    for token in re.findall(r"\(|\)|\?\w+|[^()?]+", m.group(1)):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                alias = re.search(r"\bAS\s+\?(\w+)\s*$", group, re.IGNORECASE)
                out += [alias.group(1)] if alias else []
                group = ""
        elif depth == 0 and token.startswith("?"):
            out.append(token[1:])
        elif depth:
            group += token
    return out


def find(store, text: str, kind: str = "document") -> URIRef:
    """The IRI of the one document (kind "document") or agency (kind "agency") `text` names.

    Raises:
        kg.lookup.LookupError_: nothing or several things match; its `candidates` say what.
    """
    if re.match(r"^https?://\S+$", text.strip()):
        return URIRef(text.strip())
    return resolve_one(lookup_for(store), text, kind).iri
