"""Helpers shared by the web explorer: IRIs <-> page paths, bound queries, display formats."""

from __future__ import annotations

import re
from typing import Mapping

from rdflib import URIRef
from rdflib.term import Node

from kg.namespaces import ID
from kg.store import PROLOGUE, LocalStore, Row, sparql_term

# kinds of things that have a page, by the first segment of their IRI under id/
PAGE_KINDS = ("doc", "scheme", "agency")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,250}$")
_ID = str(ID)


def iri_for(kind: str, slug: str) -> URIRef | None:
    """IRI of a page's subject from its URL parts, or None if they cannot name one."""
    if kind not in PAGE_KINDS or not _SLUG.match(slug or ""):
        return None
    return ID[f"{kind}/{slug}"]


def unit_for(key: str) -> URIRef | None:
    """IRI of a jurisdiction (vnd:AdminUnit) from its key "unit/tinh-an-giang", or None."""
    kind, _, slug = key.partition("/")
    return ID[f"unit/{slug}"] if kind == "unit" and _SLUG.match(slug) else None


def split_iri(node: Node | str) -> tuple[str, str] | None:
    """(kind, slug) of an IRI minted by kg.iri, else None."""
    s = str(node)
    if not s.startswith(_ID):
        return None
    kind, _, slug = s[len(_ID):].partition("/")
    if not _SLUG.match(slug):
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


def local_id(node: Node | str) -> str:
    """A short HTML-id-safe key for a fact IRI ("duty/3f2a..." -> "duty-3f2a...")."""
    parts = split_iri(node)
    return f"{parts[0]}-{parts[1]}" if parts else re.sub(r"[^A-Za-z0-9-]", "-", str(node))[-40:]


def select(store: LocalStore, query: str, params: Mapping[str, Node] | None = None) -> list[Row]:
    """A SELECT with the shared prefixes, parameters bound as RDF terms by the store."""
    return store.select(PROLOGUE + query, params or None)


def values_block(var: str, nodes: list[Node]) -> str:
    """A VALUES block over IRIs read from the graph (each checked and written by sparql_term)."""
    return f"VALUES ?{var} {{ " + " ".join(sparql_term(n) for n in nodes) + " }"


def text(row: Row, name: str, default: str = "") -> str:
    v = row.get(name)
    return default if v is None else str(v)


def vn_date(value: object) -> str:
    """"2024-03-05" -> "05/03/2024" (anything else unchanged)."""
    s = str(value or "")
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else s


def vn_number(value: object) -> str:
    """Thousands with dots, the Vietnamese way (12345 -> "12.345")."""
    try:
        n = float(str(value))
    except ValueError:
        return str(value)
    if n == int(n):
        return f"{int(n):,}".replace(",", ".")
    return f"{n:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".").rstrip("0").rstrip(",")


def as_int(value: object, default: int = 0, lo: int = 0, hi: int = 10**9) -> int:
    try:
        return max(lo, min(hi, int(str(value))))
    except (TypeError, ValueError):
        return default
