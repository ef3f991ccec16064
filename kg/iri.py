"""The only place IRIs are minted.

Every IRI is an ASCII slug under ``https://w3id.org/vn-directives/id/``, built
from the thing's identifying facts so that two builds of the same input mint
the same IRIs and the same real thing read from two sources gets one IRI.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from kg.namespaces import ID, VOCAB
from kg.text import fold, slugify, strip_diacritics


def digest(*parts: object, length: int = 12) -> str:
    """A short stable hash of the parts (for facts that have no natural key)."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def normalize_number(number: str | None) -> str:
    """Number key: spaces removed, upper case, "Đ" as "D" ("01/QĐ-TTg" -> "01/QD-TTG")."""
    if not number:
        return ""
    return re.sub(r"\s+", "", number).upper().replace("Đ", "D")


def document(number: str | None, place: str | None, year: int | None,
             doc_type: str | None = None, issuer: str | None = None, title: str | None = None) -> URIRef:
    """IRI of a document.

    Numbered: ``doc/<number>[-<place>][-<year>]`` (place only for local issuers,
    whose ký hiệu such as "KH-UBND" repeats in every province). Unnumbered:
    ``doc/<type>-<issuer>-<hash of title>``.
    """
    if number:
        parts = [slugify(number.replace("Đ", "D").replace("đ", "d"), 60)]
        if place:
            parts.append(slugify(place, 40))
        if year:
            parts.append(str(year))
        return ID["doc/" + "-".join(parts)]
    key = digest(fold(doc_type), fold(issuer), fold(title), length=10)
    return ID[f"doc/{slugify(doc_type, 20)}-{slugify(issuer, 50)}-{key}"]


def scheme(name: str) -> URIRef:
    """IRI of a scheme or programme (Đề án, Chương trình) from its name."""
    key = strip_diacritics(name)
    return ID[f"scheme/{slugify(key, 60)}-{digest(key, length=6)}"]


def agency(canonical_name: str) -> URIRef:
    """IRI of an agency from its canonical name (jurisdiction included)."""
    return ID["agency/" + slugify(canonical_name, 120)]


def admin_unit(kind: str, name: str) -> URIRef:
    """IRI of an administrative unit ("tỉnh", "An Giang" -> unit/tinh-an-giang)."""
    return ID["unit/" + slugify(f"{kind} {name}", 80)]


def person(name: str) -> URIRef:
    return ID["person/" + slugify(name, 60)]


def post(agency_name: str, title: str) -> URIRef:
    return ID["post/" + slugify(f"{title} {agency_name}", 120)]


def source(name: str) -> URIRef:
    return ID["source/" + slugify(name, 100)]


def source_graph(name: str) -> URIRef:
    """Named graph holding what one source file says."""
    return ID["graph/" + slugify(name, 100)]


INFERRED_GRAPH = ID["graph/inferred"]
ONTOLOGY_GRAPH = ID["graph/ontology"]


def fact(kind: str, *key: object) -> URIRef:
    """IRI of a duty, target, citation or evidence (kind is the path segment)."""
    return ID[f"{kind}/{digest(*key)}"]


def extraction(version: str) -> URIRef:
    return ID["activity/extraction-" + slugify(version)]


def document_type(name: str) -> URIRef:
    """Concept of the document-type scheme ("Quyết định" -> .../document-type/quyet-dinh)."""
    return VOCAB["document-type/" + slugify(name)]


def agency_kind(slug: str) -> URIRef:
    return VOCAB["agency-kind/" + slug]


UNITS_GRAPH = ID["graph/units"]
SUCCESSIONS_GRAPH = ID["graph/successions"]


def unit(uid: str) -> URIRef:
    """IRI of an administrative unit of data/units/units.csv by its id ("province-20" -> unit/province-20)."""
    return ID["unit/" + uid]


def succession(original: str, resulting: str) -> URIRef:
    """IRI of the succession of one body or unit by one successor (keys: their IRIs)."""
    return ID[f"succession/{digest(original, resulting)}"]
