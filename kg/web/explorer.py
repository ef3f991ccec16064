"""The graph behind the web explorer: the store, the search index and the figures of the home page."""

from __future__ import annotations

import threading
from pathlib import Path

from rdflib import URIRef

from kg.lookup import Hit, Lookup
from kg.store import LocalStore, StoreError
from kg.web.common import page_path, select, values_block
from kg.web.documents import describe

COUNTS = {
    "documents": """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . VALUES ?c { vnd:AdministrativeDocument
                    vnd:NormativeDocument vnd:PartyDocument } }""",
    "schemes": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . VALUES ?c { vnd:Scheme vnd:Programme } }",
    "agencies": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vnd:Agency }",
    "duties": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vnd:Duty }",
    "targets": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vnd:Target }",
    "citations": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vnd:Citation }",
    "links": "SELECT (COUNT(*) AS ?n) WHERE { ?a eli:ensures_implementation_of ?b }",
}
TOP_DOCS = """SELECT ?s (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c eli:ensures_implementation_of ?s }
GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 8"""
TOP_AGENCIES = """SELECT ?s (COUNT(DISTINCT ?d) AS ?n) WHERE { { ?d vnd:leadAgency ?s } UNION { ?d vnd:partnerAgency ?s } }
GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 8"""
DUTY_DOCS = "SELECT ?duty ?doc WHERE { %s ?doc vnd:assignsDuty ?duty }"
KIND_NAMES = {"document": "Văn bản", "agency": "Cơ quan", "duty": "Nhiệm vụ"}


class Explorer:
    """One build folder, loaded once: the embedded store, the search index and the home page figures."""

    def __init__(self, build_dir: Path, background: bool = False):
        self.build_dir = Path(build_dir)
        self.sources_dir = self.build_dir / "sources"
        self.store = LocalStore.from_build(self.build_dir)
        self._lookup: Lookup | None = None
        self._ready = threading.Event()
        self._counts: dict[str, int] | None = None
        self._top: dict | None = None
        if background:
            threading.Thread(target=self._warm, name="kg-index", daemon=True).start()
        else:
            self._warm()  # the server answers only once its search index is ready

    def _warm(self) -> None:
        try:
            self.counts()
            self.top()
            self._lookup = Lookup.from_store(self.store, kinds=("agency", "document", "duty"))
        finally:
            self._ready.set()

    @property
    def lookup(self) -> Lookup:
        self._ready.wait()
        if self._lookup is None:
            raise StoreError("search index could not be built")
        return self._lookup

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            counts = {k: int(select(self.store, q)[0]["n"]) for k, q in COUNTS.items()}
            counts["statements"] = len(self.store)
            self._counts = counts
        return self._counts

    def top(self) -> dict:
        """The documents most implemented and the agencies with most duties (home page entry points)."""
        if self._top is None:
            docs = [(r["s"], int(r["n"])) for r in select(self.store, TOP_DOCS)]
            agencies = [(r["s"], int(r["n"])) for r in select(self.store, TOP_AGENCIES)]
            refs = describe(self.store, [s for s, _ in docs + agencies])
            self._top = {"docs": [(refs[s], n) for s, n in docs if s in refs],
                         "agencies": [(refs[s], n) for s, n in agencies if s in refs]}
        return self._top

    def search(self, query: str, kind: str | None = None, limit: int = 30) -> dict[str, list[dict]]:
        """Hits grouped by kind, each with the page it opens (a duty opens its document at the duty)."""
        groups: dict[str, list[dict]] = {k: [] for k in KIND_NAMES}
        kinds = [kind] if kind in KIND_NAMES else list(KIND_NAMES)
        duty_hits: list[Hit] = []
        for k in kinds:
            for h in self.lookup.search(query, kind=k, limit=limit):
                if k == "duty":
                    duty_hits.append(h)
                else:
                    groups[k].append({"label": h.label, "path": page_path(h.iri), "iri": str(h.iri)})
        if duty_hits:
            docs = {r["duty"]: r["doc"] for r in select(
                self.store, DUTY_DOCS % values_block("duty", [h.iri for h in duty_hits]))}
            refs = describe(self.store, list(set(docs.values())))
            for h in duty_hits:
                doc = docs.get(h.iri)
                if doc is None:
                    continue
                anchor = "#duty-" + str(h.iri).rsplit("/", 1)[-1]
                groups["duty"].append({"label": h.label, "path": (page_path(doc) or "") + anchor,
                                       "doc": refs[doc].label if doc in refs else str(doc)})
        return groups

    def exists(self, node: URIRef) -> bool:
        return self.store.ask("ASK { ?s ?p ?o }", {"s": node})
