"""Coverage of a cascade: which provinces have issued a document implementing a decision, and which have not.

Every document below the decision (``eli:ensures_implementation_of``, stated or
inferred, at any depth) counts for the province of its issuer's jurisdiction
(a district's or commune's plan for its province).  The answer is given against
two official lists (``kg.units``): the provinces on the day the decision was
issued (63 before 1/7/2025) and the provinces of today (34), a legacy province's
plan counting for the province that now holds its territory (Kiên Giang's for An
Giang).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from kg.namespaces import ID
from kg.units import CUTOVER, Unit, Units, load

IMPLEMENTERS = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX vnd: <https://w3id.org/vn-directives/ontology#>
SELECT ?doc (MIN(STR(?n)) AS ?number) (MIN(STR(?l)) AS ?label) (MIN(STR(?d)) AS ?date) (MIN(STR(?u)) AS ?unit)
WHERE {
  ?doc eli:ensures_implementation_of+ ?root .
  FILTER(?doc != ?root)
  OPTIONAL { ?doc eli:id_local ?n }
  OPTIONAL { ?doc rdfs:label ?l }
  OPTIONAL { ?doc eli:date_document ?d }
  OPTIONAL { ?doc eli:passed_by/vnd:jurisdiction ?u }
}
GROUP BY ?doc
"""
ROOT_DATE = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT (MIN(STR(?d)) AS ?date) WHERE { ?root eli:date_document ?d }
"""
_UNIT_PREFIX = str(ID["unit/"])


@dataclass
class ProvinceRow:
    unit: Unit
    documents: list[dict] = field(default_factory=list)  # {"doc", "number", "label", "date", "place"}
    # (provinces of today) its communes whose bodies issued an implementing document: commune id -> documents
    communes: dict[str, list[dict]] = field(default_factory=dict)
    commune_total: int = 0  # how many communes the province has today

    @property
    def covered(self) -> bool:
        return bool(self.documents)


@dataclass
class Coverage:
    root: URIRef
    date: str | None  # the decision's date (ISO), when the graph has it
    then: list[ProvinceRow]  # provinces on the decision's date
    now: list[ProvinceRow]  # provinces of today
    elsewhere: list[dict]  # implementing documents with no province (central bodies, unknown places)

    def to_json(self) -> dict:
        def rows(rs):
            return [{"code": r.unit.code, "province": r.unit.full_name, "covered": r.covered,
                     "documents": r.documents,
                     **({"communes_total": r.commune_total,
                         "communes": [{"id": cid, "documents": docs} for cid, docs in r.communes.items()]}
                        if r.commune_total else {})} for r in rs]
        return {"document": str(self.root), "date": self.date, "then": rows(self.then), "now": rows(self.now),
                "elsewhere": self.elsewhere}


def coverage(store, root: URIRef, units: Units | None = None) -> Coverage:
    units = units or load()
    date_rows = store.select(ROOT_DATE, {"root": root})
    date = str(date_rows[0]["date"])[:10] if date_rows and date_rows[0].get("date") is not None else None
    then_list = units.provinces(date or "2025-06-30")
    now_list = units.provinces()
    then = {u.id: ProvinceRow(u) for u in then_list}
    now = {u.id: ProvinceRow(u) for u in now_list}
    elsewhere = []
    for r in sorted(store.select(IMPLEMENTERS, {"root": root}), key=lambda r: (str(r.get("date", "")), str(r["doc"]))):
        uri = str(r.get("unit", ""))
        unit = units.get(uri[len(_UNIT_PREFIX):]) if uri.startswith(_UNIT_PREFIX) else None
        province = units.province_of(unit.id) if unit else None
        info = {"doc": str(r["doc"]), "number": str(r.get("number", "")), "label": str(r.get("label", "")),
                "date": str(r.get("date", ""))[:10], "place": unit.label if unit else ""}
        if province is None:
            elsewhere.append(info)
            continue
        province = units.as_of(province.id, info["date"] or None)  # the province of the document's day
        if province.id in then:
            then[province.id].documents.append(info)
        if province.id not in then or (info["date"] and info["date"] >= CUTOVER):
            for c in units.predecessors(province.id):  # issued after the merger: for each province merged in
                if c.original in then and info not in then[c.original].documents:
                    then[c.original].documents.append(info)
        for p in ([province] if province.current else units.current_units(province.id, "province")):
            if p.id in now:
                now[p.id].documents.append(info)
        if unit is not None and unit.level == "commune":  # where the corpus has communes' plans: today's communes
            for commune in ([unit] if unit.current else units.current_units(unit.id, "commune")):
                holder = units.province_of(commune.id)
                if holder is not None and holder.id in now:
                    docs = now[holder.id].communes.setdefault(commune.id, [])
                    if info not in docs:
                        docs.append(info)
    for row in now.values():
        row.commune_total = sum(1 for u in units.children(row.unit.id) if u.level == "commune" and u.current)
    return Coverage(root, date, list(then.values()), list(now.values()), elsewhere)


def units_label(uid: str) -> str:
    u = load().get(uid)
    return u.label if u else uid


def render(c: Coverage, label: str) -> str:
    """Two tables (then, now) of provinces with their implementing documents; the uncovered listed too."""
    out = [label]
    for title, rows in ((f"provinces on {c.date}" if c.date else "provinces before 1/7/2025", c.then),
                        ("provinces today", c.now)):
        done = [r for r in rows if r.covered]
        out.append(f"\n{title}: {len(done)} of {len(rows)} have issued an implementing document")
        for r in done:
            docs = "; ".join(f"{d['number'] or d['label']}" + (f" ({d['place']})" if d["place"] else "")
                             for d in r.documents)
            out.append(f"  ✓ {r.unit.code} {r.unit.full_name}: {docs}")
            if r.communes:
                names = sorted(units_label(cid) for cid in r.communes)
                out.append(f"      xã, phường: {len(r.communes)} of {r.commune_total} have issued one: "
                           + ", ".join(names))
        missing = [r.unit.full_name for r in rows if not r.covered]
        if missing:
            out.append(f"  ✗ not yet ({len(missing)}): " + ", ".join(missing))
    if c.elsewhere:
        out.append(f"\nimplementing documents of no province ({len(c.elsewhere)}): "
                   + "; ".join(d["number"] or d["label"] for d in c.elsewhere))
    return "\n".join(out)
