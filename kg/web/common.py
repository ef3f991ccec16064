"""Helpers shared by the web explorer: IRIs <-> page paths (kg.nodes), display formats."""

from __future__ import annotations

import re
from datetime import date
from typing import Mapping

from rdflib import URIRef
from rdflib.term import Node

from kg.namespaces import ID
from kg.nodes import PAGE_KINDS, SLUG, network_path, page_path, split_iri, text  # noqa: F401 (the web's imports)
from kg.store import PROLOGUE, LocalStore, Row

# every query the explorer runs is a file of queries/explorer/, run by kg.queries (parameters bound as terms);
# `select` is left for tests and one-off scripts that bring their own query

_SLUG = SLUG


def iri_for(kind: str, slug: str) -> URIRef | None:
    """IRI of a page's subject from its URL parts, or None if they cannot name one."""
    if kind not in PAGE_KINDS or not _SLUG.match(slug or ""):
        return None
    return ID[f"{kind}/{slug}"]


def unit_for(key: str) -> URIRef | None:
    """IRI of a jurisdiction (vnd:AdminUnit) from its key "unit/tinh-an-giang", or None."""
    kind, _, slug = key.partition("/")
    return ID[f"unit/{slug}"] if kind == "unit" and _SLUG.match(slug) else None


def local_id(node: Node | str) -> str:
    """A short HTML-id-safe key for a fact IRI ("duty/3f2a..." -> "duty-3f2a...")."""
    parts = split_iri(node)
    return f"{parts[0]}-{parts[1]}" if parts else re.sub(r"[^A-Za-z0-9-]", "-", str(node))[-40:]


def select(store: LocalStore, query: str, params: Mapping[str, Node] | None = None) -> list[Row]:
    """A SELECT with the shared prefixes, parameters bound as RDF terms by the store."""
    return store.select(PROLOGUE + query, params or None)


def day_number(value) -> int:
    """A date (or the date at the start of a dateTime) as a number of days, 0 when there is none or it is not a
    date: a key to sort on."""
    try:
        return date.fromisoformat(str(value)[:10]).toordinal() if value is not None else 0
    except ValueError:
        return 0


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
