"""The only place IRIs are minted.

Every IRI is an ASCII slug under ``https://w3id.org/vn-directives/id/``, built
from the thing's identifying facts so that two builds of the same input mint
the same IRIs and the same real thing read from two sources gets one IRI.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import URIRef

from kg.namespaces import ID, VOCAB
from kg.text import fold, modern_tones, nfc, slugify, strip_diacritics


def digest(*parts: object, length: int = 12) -> str:
    """A short stable hash of the parts (for facts that have no natural key)."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def normalize_number(number: str | None) -> str:
    """Number key: spaces removed, upper case, "Đ" as "D" ("01/QĐ-TTg" -> "01/QD-TTG")."""
    if not number:
        return ""
    return re.sub(r"\s+", "", number).upper().replace("Đ", "D")


@lru_cache(maxsize=65536)
def place_part(place: str, unit_id: str | None = None) -> str:
    """The place part of a local document's or agency's IRI ("tỉnh Lạng Sơn" -> "tinh-lang-son").

    One real unit, one IRI part: the slug of the place, followed by the unit's id of data/units/units.csv
    (its official code: "xa-tan-thanh-legacy-commune-06442") when another unit folds to the same slug
    (kg.units.Units.shares_slug). A place no unit of the data is known to be (``unit_id`` None and the name
    naming no single unit) keeps its exact spelling: the slug and a short hash of its NFC name with the
    modern tone placement ("xã Hoằng Sơn" and "xã Hoàng Sơn" stay two).
    """
    from kg import units

    table = units.load()
    if unit_id is None:
        kind, name = _split_place(place)
        found = table.find(kind, name) if kind else None
        unit_id = found.id if found is not None and fold(found.name) == fold(name) else None
    slug = slugify(place, 40)
    if unit_id is not None and table.get(unit_id) is not None:
        return f"{slug}-{unit_id}" if table.shares_slug(unit_id) else slug
    return f"{slug}-{digest(modern_tones(nfc(' '.join(place.split()))), length=6)}"


def _split_place(place: str) -> tuple[str | None, str]:
    for kind in ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường"):
        if place.startswith(kind + " "):
            return kind, place[len(kind) + 1:]
    return None, place


def document(number: str | None, place: str | None, year: int | None,
             doc_type: str | None = None, issuer: str | None = None, title: str | None = None,
             unit_id: str | None = None) -> URIRef:
    """IRI of a document.

    Numbered: ``doc/<number>[-<place>][-<year>]`` (place only for local issuers,
    whose ký hiệu such as "KH-UBND" repeats in every province; ``place_part``:
    with the unit's id when ``unit_id`` or the name gives a unit whose slug is
    shared). Unnumbered: ``doc/<type>-<issuer>-<hash of title>``.
    """
    if number:
        parts = [slugify(number.replace("Đ", "D").replace("đ", "d"), 60)]
        if place:
            parts.append(place_part(place, unit_id))
        if year:
            parts.append(str(year))
        return ID["doc/" + "-".join(parts)]
    key = digest(fold(doc_type), fold(issuer), fold(title), length=10)
    return ID[f"doc/{slugify(doc_type, 20)}-{slugify(issuer, 50)}-{key}"]


def scheme(name: str) -> URIRef:
    """IRI of a scheme or programme (Đề án, Chương trình) from its name."""
    key = strip_diacritics(name)
    return ID[f"scheme/{slugify(key, 60)}-{digest(key, length=6)}"]


@lru_cache(maxsize=131072)
def agency(canonical_name: str, unit_id: str | None = None) -> URIRef:
    """IRI of an agency from its canonical name (jurisdiction included) and the unit of its jurisdiction.

    The slug of the name, with the unit's id when another unit folds to the same slug, or, for a place
    no unit is known to be, a short hash of the exact name (see ``place_part``): "Ủy ban nhân dân xã
    Tân Thành" of Hữu Lũng and of Cao Lộc, and "... xã Tân Thanh", are three agencies.
    """
    from kg.agency_names import parse

    a = parse(canonical_name)
    slug = slugify(canonical_name, 120)
    if a.unit_kind and a.unit_name and a.level != "central":
        if unit_id is not None:  # the unit counts only when it is the unit the name's place names
            from kg import units
            u = units.load().get(unit_id)
            if u is None or fold(u.name) != fold(a.unit_name):
                unit_id = None
        elif a.province_name:  # "Ủy ban nhân dân xã Tân Thạnh, tỉnh Tây Ninh": the commune of that province
            from kg import units

            found = units.load().find(a.unit_kind, a.unit_name, province=a.province_name)
            unit_id = found.id if found is not None and fold(found.name) == fold(a.unit_name) else None
        if a.province_name:  # the slug holds the province's name too: only a unit of that province can share it
            from kg import units

            shared = unit_id is not None and units.load().shares_slug_in_province(unit_id)
            return ID["agency/" + slug + (f"-{unit_id}" if shared else "")]
        part = place_part(f"{a.unit_kind} {a.unit_name}", unit_id)
        extra = part[len(slugify(f"{a.unit_kind} {a.unit_name}", 40)):]
        return ID["agency/" + slug + extra]
    return ID["agency/" + slug]


def admin_unit(kind: str, name: str) -> URIRef:
    """IRI of an administrative unit the unit data does not know (or not as one unit): the slug and a short
    hash of its exact name ("xã Hoằng Sơn" -> unit/xa-hoang-son-<hash>); units of the data: ``unit``."""
    return ID["unit/" + slugify(f"{kind} {name}", 80) + "-" + digest(modern_tones(nfc(f"{kind} {name}")), length=6)]


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
STATISTICS_GRAPH = ID["graph/statistics"]  # what the build derives once for queries (duties per agency, direct links)
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
