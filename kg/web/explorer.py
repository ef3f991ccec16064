"""The graph behind the web explorer: the store, the search index and the figures of the home page."""

from __future__ import annotations

import gc
import re
import threading
from pathlib import Path
from urllib.parse import urlencode

from rdflib import URIRef

from kg import queries
from kg.lookup import SEARCH_KINDS, Hit, Lookup, load_index
from kg.nodes import describe, run_chunked
from kg.store import LocalStore, RemoteStore, StoreError
from kg.web.common import network_path, page_path


def _q(store, name: str, values: dict | None = None, **page) -> list[dict]:
    """An explorer query (queries/explorer/NAME.rq) with parameters bound as RDF terms."""
    return queries.run(store, queries.explorer(name), values or {}, **page)


COUNTS = ("documents", "schemes", "agencies", "duties", "targets", "citations", "links")  # of graph-counts.rq
KIND_NAMES = {"document": "Văn bản", "agency": "Cơ quan", "duty": "Nhiệm vụ"}
SUGGEST_KINDS = ("agency", "document")  # what "did you mean" offers (a duty's words are no name to misspell)
# a document number as written: "305/KH-UBND", "01/QĐ-TTg", "111/2024/QH15", "06-CTr/TU", "19-NQ/TW"
_NUMBER = re.compile(r"(?<![\w/])\d{1,5}(?:[-/]\d{4})?(?:/\d{4})?[-/][^\W\d_][\w]*(?:[-/.][\w]+)*", re.UNICODE)


class Explorer:
    """One build folder, loaded once: the embedded store, the search index and the home page figures.

    With `background`, the search index is read on a thread of its own: `lookup` waits for it.

    With `endpoint` the graph is that SPARQL endpoint's (kg.store.RemoteStore); source texts then come from
    `build_dir` if given, else there are none (`sources_dir` is None).
    """

    def __init__(self, build_dir: Path | None, background: bool = False, endpoint: str | None = None):
        self.build_dir = Path(build_dir) if build_dir is not None else None
        self.sources_dir = self.build_dir / "sources" if self.build_dir is not None else None
        self.remote = bool(endpoint)
        # kg.web annotates its stores as LocalStore; a RemoteStore answers the same select() calls
        self.store: LocalStore = (RemoteStore(endpoint) if endpoint  # type: ignore[assignment]
                                  else LocalStore.from_build(self.build_dir))  # type: ignore[arg-type]  # no endpoint: a build
        self._lookup: Lookup | None = None
        self._ready = threading.Event()
        self._counts: dict[str, int] | None = None
        self._top: dict | None = None
        # the home page's figures first; then the search index, read behind when `background` (the server answers
        # pages meanwhile, and a search waits for it: 2.9 s of a national build's start), else before returning
        self.counts()
        self.top()
        if background:
            threading.Thread(target=self._warm, name="kg-index", daemon=True).start()
        else:
            self._warm()

    def _warm(self) -> None:
        try:
            # the index the build wrote (read in a fraction of the time it takes to make), else made here
            found = load_index(self.build_dir) if self.build_dir is not None and not self.remote else None
            self._lookup = found or Lookup.from_store(self.store, kinds=SEARCH_KINDS)
            self._lookup.prepare(SUGGEST_KINDS)  # the first search and "did you mean" answer at once
            # what start-up made lives as long as the server: out of the cyclic collector's sight, so that a full
            # collection, which any request may set off, does not walk the millions of objects of the index
            # (a search over a national build: 400 ms -> 60 ms)
            gc.freeze()
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
            row = _q(self.store, "graph-counts")[0]
            counts = {k: int(row[k]) for k in COUNTS}
            counts["statements"] = (len(self.store) if isinstance(self.store, LocalStore)
                                    else int(_q(self.store, "quad-count")[0]["n"]))
            self._counts = counts
        return self._counts

    def top(self) -> dict:
        """The documents most implemented and the agencies with most duties (home page entry points)."""
        if self._top is None:
            docs = [(r["s"], int(r["n"])) for r in _q(self.store, "most-implemented")]
            agencies = [(r["agency"], int(r["n"])) for r in _q(self.store, "agencies-with-most-duties", {"top": 8})]
            refs = describe(self.store, [s for s, _ in docs + agencies])
            self._top = {"docs": [(refs[s], n) for s, n in docs if s in refs],
                         "agencies": [(refs[s], n) for s, n in agencies if s in refs]}
        return self._top

    def heavy_paths(self, n: int = 3) -> tuple[str, ...]:
        """The page, cascade network and provinces of the `n` documents the home page lists as most implemented:
        the pages that read every plan below a decision (about a second each under a national one)."""
        out: list[str] = []
        for ref, _ in self.top()["docs"][:n]:
            network = network_path(ref.iri)
            if ref.path and network:
                out += [ref.path, network, ref.path + "/cac-tinh"]
        return tuple(out)

    def scheme_todo_paths(self, n: int = 3) -> tuple[str, ...]:
        """"Việc cần làm" of each scheme among the `n` documents most implemented: its duties are those of every
        plan of the scheme (their counts by day take about 2 s on a national cascade, then are kept)."""
        return tuple("/viec-can-lam?" + urlencode({"scheme": ref.path.lstrip("/")})
                     for ref, _ in self.top()["docs"][:n] if ref.path and ref.path.startswith("/scheme/"))

    def search(self, query: str, kind: str | None = None, limit: int = 30) -> dict[str, list[dict]]:
        """Hits grouped by kind, each with the page it opens (a duty opens its document at the duty).

        A document whose number the query holds ("kế hoạch số 305/KH-UBND") comes first, marked `exact`,
        whatever other words the query has.  Documents are shown by their identifying label.
        """
        groups: dict[str, list[dict]] = {k: [] for k in KIND_NAMES}
        kinds = [kind] if kind in KIND_NAMES else list(KIND_NAMES)
        hits: dict[str, list[Hit]] = {k: self.lookup.search(query, kind=k, limit=limit) for k in kinds}
        if "document" in hits:
            numbered = self.number_hits(query)
            seen = {h.iri for h in numbered}
            rest = [h for h in hits["document"] if h.iri not in seen]
            hits["document"] = numbered + rest[:max(0, limit - len(numbered))]
            exact = seen
        else:
            exact = set()
        duty_hits = hits.pop("duty", [])
        refs = describe(self.store, [h.iri for k in hits for h in hits[k]])
        for k, found in hits.items():
            for h in found:
                groups[k].append({"label": refs[h.iri].label if h.iri in refs else h.label, "path": page_path(h.iri),
                                  "iri": str(h.iri), "exact": h.iri in exact})
        if duty_hits:
            docs = {r["duty"]: r["doc"] for r in run_chunked(self.store, "duty-documents", "duty",
                                                             [h.iri for h in duty_hits])}
            refs = describe(self.store, list(set(docs.values())))
            for h in duty_hits:
                doc = docs.get(h.iri)
                if doc is None:
                    continue
                anchor = "#duty-" + str(h.iri).rsplit("/", 1)[-1]
                groups["duty"].append({"label": h.label, "path": (page_path(doc) or "") + anchor,
                                       "doc": refs[doc].label if doc in refs else str(doc)})
        return groups

    def number_hits(self, query: str) -> list[Hit]:
        """Documents whose number is written in the query, exactly (case, diacritics and spaces forgiven)."""
        out: list[Hit] = []
        for number in dict.fromkeys(m.group(0) for m in _NUMBER.finditer(query)):
            for h in self.lookup.search(number, kind="document", limit=50):
                if h.rank[0] == 0 and h.iri not in {x.iri for x in out}:
                    out.append(h)
        return out

    def suggestions(self, query: str, n: int = 5) -> list[dict]:
        """"Did you mean": the agencies and documents closest to a query that found none (as `kg duties` suggests)."""
        found = self.lookup.suggest_hits(query, SUGGEST_KINDS, n)
        refs = describe(self.store, [h.iri for h in found])
        return [{"label": refs[h.iri].label if h.iri in refs else h.label, "path": page_path(h.iri),
                 "kind": KIND_NAMES.get(h.kind, h.kind)} for h in found]

    def exists(self, node: URIRef) -> bool:
        return bool(_q(self.store, "node-exists", {"s": node}))

    def resolve(self, value: str, kind: str) -> tuple[URIRef | None, str, list[dict]]:
        """What a form field names: a page key ("agency/so-...", "doc/..."), a full IRI of this graph, or a name
        found by the forgiving look-up (kind "agency" or "document").

        Returns (IRI or None, a message when nothing or several things match, the candidates as
        {"label", "key"}).
        """
        from kg.lookup import LookupError_, resolve_one
        from kg.web.common import iri_for, split_iri

        value = value.strip()[:300]
        if not value:
            return None, "", []
        kinds = ("agency",) if kind == "agency" else ("doc", "scheme")
        parts = split_iri(value) if value.startswith("http") else tuple(value.split("/", 1)) if "/" in value else None
        if parts and len(parts) == 2 and parts[0] in kinds:
            node = iri_for(parts[0], parts[1])
            if node is not None and self.exists(node):
                return node, "", []
        try:
            return resolve_one(self.lookup, value, kind).iri, "", []
        except LookupError_ as exc:
            hits = []
            for label in exc.candidates[:10]:
                found = self.lookup.search(label, kind=kind, limit=1)
                if found and (path := page_path(found[0].iri)):
                    hits.append({"label": found[0].label, "key": path[1:]})
            what = "cơ quan" if kind == "agency" else "văn bản"
            if str(exc).startswith(("no ", "nothing")):
                return None, f"Không tìm thấy {what} nào tên “{value}”.", hits
            return None, f"“{value}” khớp với nhiều {what}; xin chọn một.", hits
