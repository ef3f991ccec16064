"""Nodes of the graph as the explorer and the network views show them: page paths and identifying labels.

Shared by the web explorer (``kg/web/``) and ``kg/viz.py``, which must not import each other: the
page of a document, scheme or agency (``/doc/305-kh-ubnd-...``), its network (``/network/doc/...``),
and :func:`describe`, the labels, dates and kinds of many nodes in one query
(``queries/explorer/node-labels.rq``), documents with the label of :func:`kg.labels.document_label`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from kg import queries
from kg.labels import document_label, place_name, short_date
from kg.namespaces import ID

# kinds of things that have a page, by the first segment of their IRI under id/
PAGE_KINDS = ("doc", "scheme", "agency")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,250}$")
_ID = str(ID)
CHUNK = 400  # IRIs per VALUES block


def split_iri(node: Node | str) -> tuple[str, str] | None:
    """(kind, slug) of an IRI minted by kg.iri, else None."""
    s = str(node)
    if not s.startswith(_ID):
        return None
    kind, _, slug = s[len(_ID):].partition("/")
    if not SLUG.match(slug):
        return None
    return kind, slug


def page_path(node: Node | str) -> str | None:
    """Path of the page of a document, scheme or agency ("/doc/305-kh-ubnd-...")."""
    parts = split_iri(node)
    if not parts or parts[0] not in PAGE_KINDS:
        return None
    return f"/{parts[0]}/{parts[1]}"


def network_path(node: Node | str) -> str | None:
    path = page_path(node)
    return "/network" + path if path else None


def text(row: dict, name: str, default: str = "") -> str:
    v = row.get(name)
    return default if v is None else str(v)


@dataclass
class Ref:
    """A link to another node: its IRI, label, page path and kind (for colour)."""

    iri: URIRef
    label: str
    path: str | None
    kind: str = "doc"
    date: str = ""
    note: str = ""
    count: int = 0
    inferred: bool = False
    type_label: str = ""
    name: str = ""  # the stored label (rdfs:label / skos:prefLabel); `label` is the one lists show


def kind_of(row: dict) -> str:
    """Node kind for colours and legends: the document type slug, "scheme" or "agency"."""
    cls = str(row.get("cls", ""))
    if cls.endswith("#Agency"):
        return "agency"
    if cls.endswith("#Scheme") or cls.endswith("#Programme"):
        return "scheme"
    t = str(row.get("type", ""))
    return t.rsplit("/", 1)[-1] if "/document-type/" in t else "van-ban"


def listed_label(row: dict) -> str:
    """The label a list shows for a row of node-labels.rq: documents by :func:`kg.labels.document_label`."""
    kind = kind_of(row)
    name = text(row, "label", str(row["s"]).rsplit("/", 1)[-1])
    if kind in ("agency", "scheme"):
        return name
    place = place_name(text(row, "unitLabel"), text(row, "provinceLevel") == "true")
    return document_label(name, text(row, "number"), text(row, "typeLabel"), place, text(row, "issuerLabel"),
                          text(row, "date"))


def run_chunked(store, name: str, var: str, nodes: list, **values) -> list[dict]:
    """An explorer query whose IRI list `var` is `nodes`, run CHUNK of them at a time."""
    q = queries.explorer(name)
    nodes = list(dict.fromkeys(nodes))
    rows: list[dict] = []
    for i in range(0, len(nodes), CHUNK):
        rows += queries.run(store, q, {var: tuple(nodes[i:i + CHUNK]), **values})
    return rows


def describe(store, nodes: list[URIRef]) -> dict[URIRef, Ref]:
    """Labels, dates and kinds of many nodes in one query (documents with their identifying label)."""
    out: dict[URIRef, Ref] = {}
    for r in run_chunked(store, "node-labels", "s", nodes):
        out[r["s"]] = Ref(r["s"], listed_label(r), page_path(r["s"]), kind_of(r), short_date(r.get("date", "")),
                          type_label=text(r, "typeLabel"), name=text(r, "label"))
    return out


def child_counts(store, nodes: list[URIRef]) -> dict[URIRef, int]:
    """How many documents implement each node (the closure is stated, so one hop counts all)."""
    return {r["s"]: int(r["n"]) for r in run_chunked(store, "implementer-counts", "s", nodes)}
