"""Finding agencies and documents by what a person types.

Look-up forgives case, missing diacritics and both tone placements:
"so cong thuong an giang", "Sở Công thương An Giang" and "SỞ CÔNG THƯƠNG tỉnh
An Giang" all find "Sở Công Thương tỉnh An Giang".  Each label is indexed by a
key with every diacritic removed; a query matches a label when each of its
words starts a word of the label, in order-free fashion; exact matches rank
first, then the closest by diacritics, then the shortest label.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import gc
import heapq
from dataclasses import dataclass

from rdflib import URIRef

from kg.store import PROLOGUE
from kg.text import fold, strip_diacritics

SEARCH_KINDS = ("agency", "document", "duty")  # what the explorer's search finds (and the build indexes)
INDEX_FILE = "lookup.json"  # a build's search index (see Lookup.to_json, load_index)

# words a person may add or leave out without changing what they mean
_NOISE = {"tinh", "huyen", "thanh", "pho", "xa", "cua", "so", "va", "&"}
# above this many labels, suggestions first keep the labels sharing words with the query (at most _PREFILTER_KEEP)
_PREFILTER_FROM, _PREFILTER_KEEP = 5000, 3000
_KIND_QUERY = {
    "agency": """SELECT ?s ?label ?pref WHERE { ?s a vnd:Agency ; skos:prefLabel ?pref .
                 { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label } }""",
    "document": """SELECT ?s ?label ?pref WHERE { ?s a ?c ; rdfs:label ?pref . VALUES ?c { vnd:AdministrativeDocument
                   vnd:NormativeDocument vnd:PartyDocument vnd:Scheme vnd:Programme }
                   { ?s rdfs:label ?label } UNION { ?s eli:id_local ?label } UNION { ?s eli:title ?label } }""",
    # a duty is found by the words of its task ("nhiệm vụ"); not searched unless asked for
    "duty": """SELECT ?s ?label ?pref WHERE { ?s a vnd:Duty ; vnd:taskDescription ?label . BIND(?label AS ?pref) }""",
}
# the same, for a few things bound by a VALUES block (_entries): Oxigraph joins the document query's VALUES of
# classes with the bound things after reading every document (0.9 s on the national cascade for 120 things),
# while a FILTER on the class reads only the things' own triples (15 ms); over the whole store it is the other
# way round (0.8 s with VALUES, 18 s with the FILTER)
_BOUND_QUERY = {**_KIND_QUERY,
                "document": """SELECT ?s ?label ?pref WHERE { ?s a ?c ; rdfs:label ?pref .
                   FILTER(?c IN (vnd:AdministrativeDocument, vnd:NormativeDocument, vnd:PartyDocument, vnd:Scheme,
                                 vnd:Programme))
                   { ?s rdfs:label ?label } UNION { ?s eli:id_local ?label } UNION { ?s eli:title ?label } }"""}


# what an entry of the index says of a thing: its types and the labels of _KIND_QUERY (a rebuild reads the
# entries again of the things whose triples of these predicates changed: Lookup.updated)
SEARCH_PREDICATES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2004/02/skos/core#prefLabel",
                     "http://www.w3.org/2004/02/skos/core#altLabel", "http://www.w3.org/2000/01/rdf-schema#label",
                     "http://data.europa.eu/eli/ontology#id_local", "http://data.europa.eu/eli/ontology#title",
                     "https://w3id.org/vn-directives/ontology#taskDescription")


def _entry_order(entry: tuple) -> tuple:
    return entry[1], str(entry[0]), entry[2]


def _entries(store, kinds: tuple[str, ...], things: list[str] | None = None) -> tuple[set, dict]:
    """The (IRI, kind, label) entries of `kinds` in `store` and the label each IRI is shown by; of `things` only,
    when given (bound 500 at a time)."""
    entries: set = set()
    preferred: dict = {}
    batches = [None] if things is None else [things[i:i + 500] for i in range(0, len(things), 500)]
    for kind in kinds:
        for batch in batches:
            query = _KIND_QUERY[kind] if batch is None else _BOUND_QUERY[kind]
            if batch is not None:
                if not batch:
                    continue
                # IRIs of the store's own terms, written as SPARQL IRIs (no character of them needs escaping:
                # they came out of the store)
                values = " ".join(f"<{t}>" for t in batch)
                query = query.replace("WHERE {", f"WHERE {{ VALUES ?s {{ {values} }}", 1)
            for s, label, pref in store.select_values(PROLOGUE + query):
                entries.add((s, kind, label))
                preferred[s] = min(preferred.get(s, pref), pref)
    return entries, preferred


@contextlib.contextmanager
def _gc_paused():
    """The cyclic garbage collector held off while a large index of plain strings and lists (no cycles) is made:
    without it, the collector walks the growing index again and again (1.9 s -> 1.1 s to read a national
    build's index)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(frozen=True)
class Hit:
    """One candidate: its IRI, kind, label and how well it matched (lower is better)."""

    iri: URIRef
    kind: str
    label: str
    rank: tuple


def key(text: str) -> list[str]:
    """Words of `text` without diacritics, case or punctuation ("Sở NN&PTNT" -> ["so", "nn", "ptnt"])."""
    return strip_diacritics(text).split()


class Lookup:
    """An index of labels of one kind (agencies or documents) read from a store."""

    def __init__(self, entries: list[tuple[str, str, str]], preferred: dict[str, str] | None = None):
        # (iri, kind, label): every label a thing can be found by; IRIs as plain strings (an rdflib URIRef is
        # made for a hit only: making 355,000 of them took 1.7 s of the explorer's start on a national build)
        self.entries = [(str(n), k, label) for n, k, label in entries]
        self._keys = [key(label) for _, _, label in entries]
        self._folds = [fold(label) for _, _, label in entries]
        self._labels: dict[str, str] = {str(n): label for n, label in (preferred or {}).items()}  # the label to show
        for node, _, label in self.entries:
            self._labels.setdefault(node, label)
        self._vocab: list[str] | None = None  # sorted distinct words, built on first search
        self._postings: dict[str, list[int]] = {}
        self._suggest_cache: dict = {}  # kinds -> suggestion_index(kinds)

    def prepare(self, suggest_kinds: tuple[str, ...] | None = None) -> None:
        """Build the word index of `search` and the suggestion index of `suggest_kinds` now rather than at the
        first search (0.9 s on a national build)."""
        with _gc_paused():
            if self._vocab is None:
                self._build_index()
            self.suggestion_index(suggest_kinds)

    def _build_index(self) -> None:
        postings: dict[str, list[int]] = {}
        for i, lkey in enumerate(self._keys):
            for w in set(lkey):
                postings.setdefault(w, []).append(i)
        self._postings = postings
        self._vocab = sorted(postings)

    def _candidates(self, words: list[str]) -> list[int]:
        """Entries having, for each query word, a word that starts with it (prefix ranges of the sorted vocabulary)."""
        if self._vocab is None:
            self._build_index()
        vocab = self._vocab or []
        found: set[int] | None = None
        for q in sorted(set(words), key=len, reverse=True):
            hits: set[int] = set()
            i = bisect.bisect_left(vocab, q)
            while i < len(vocab) and vocab[i].startswith(q):
                hits.update(self._postings[vocab[i]])
                i += 1
            found = hits if found is None else found & hits
            if not found:
                return []
        return sorted(found or ())

    def to_json(self) -> dict:
        """What from_json needs to make this look-up again without a query or a fold (plain JSON: a build folder
        holds no code to run): one flat list per column, each IRI written once and entries naming it by its
        position (a national build's index of 355,000 entries parses in a fraction of the time nested lists
        took: 3.4 s of the explorer's start)."""
        return _columns([(n, k, label, " ".join(words), f)
                         for (n, k, label), words, f in zip(self.entries, self._keys, self._folds)], self._labels)

    @classmethod
    def from_json(cls, data: dict) -> "Lookup":
        """The look-up to_json wrote.

        Raises:
            ValueError: not what to_json writes.
        """
        columns = _checked_columns(data)
        with _gc_paused():
            return cls._from_columns(data, columns)

    @classmethod
    def _from_columns(cls, data: dict, columns: list[list]) -> "Lookup":
        self = cls.__new__(cls)
        iris, kinds = data["iris"], data["kinds"]
        nodes, kind_of, labels, keys, folds = columns
        self.entries = [(iris[n], kinds[k], label) for n, k, label in zip(nodes, kind_of, labels)]
        self._keys, self._folds = [k.split() for k in keys], folds
        self._labels = {n: label for n, label in zip(iris, data["shown"]) if label is not None}
        self._vocab, self._postings, self._suggest_cache = None, {}, {}
        return self

    @classmethod
    def from_store(cls, store, kinds: tuple[str, ...] = ("agency", "document")) -> "Lookup":
        entries, preferred = _entries(store, kinds)
        return cls(sorted(entries, key=_entry_order), preferred)

    def search(self, query: str, kind: str | None = None, limit: int | None = 20) -> list[Hit]:
        """Every entry whose label contains each query word as a word prefix, best first, one per IRI (the first
        `limit`; None: all)."""
        words = key(query)
        if not words:
            return []
        qfold = fold(query)
        best: dict[str, Hit] = {}
        for i in self._candidates(words):
            (node, k, label), lkey, lfold = self.entries[i], self._keys[i], self._folds[i]
            if kind and k != kind:
                continue
            exact = lkey == words
            diacritics = 0 if qfold in lfold else 1  # the query's own diacritics agree
            rank = (0 if exact else 1, diacritics, len(lkey) - len(words), len(label), label)
            if node not in best or rank < best[node].rank:
                best[node] = Hit(URIRef(node), k, self._labels[node], rank)
        return sorted(best.values(), key=lambda h: h.rank)[:limit]

    def suggest(self, query: str, kind: str | None = None, n: int = 3) -> list[str]:
        """Closest labels for a query that found nothing (one per thing)."""
        return [h.label for h in self.suggest_hits(query, (kind,) if kind else None, n)]

    def suggest_hits(self, query: str, kinds: tuple[str, ...] | None = None, n: int = 3) -> list[Hit]:
        """The things whose labels are closest to `query` (difflib, words a person may drop left out), best first.

        Each thing is offered once, under the label it is shown by, even when several of its labels are close.
        On a large graph difflib compares the query only with the labels sharing at least half of its words,
        each word spelt the same or nearly (a word-level prefilter; see :meth:`suggestion_index`).
        """
        target = " ".join(w for w in key(query) if w not in _NOISE) or " ".join(key(query))
        if not target:
            return []
        choices, postings, by_length = self.suggestion_index(kinds)
        words = set(target.split())
        if len(choices) > _PREFILTER_FROM:
            score: dict[int, int] = {}
            for w in words:
                near = {v for d in range(-2, 3) for v in by_length.get(len(w) + d, ())
                        if v.startswith(w) or w.startswith(v)} if len(w) > 1 else {w}
                near.update(difflib.get_close_matches(
                    w, [v for d in range(-2, 3) for v in by_length.get(len(w) + d, ())], n=20, cutoff=0.7))
                for i in set().union(*(postings.get(v, ()) for v in near)) if near else ():
                    score[i] = score.get(i, 0) + 1
            need = max(1, (len(words) + 1) // 2)
            pool = sorted((i for i, c in score.items() if c >= need), key=lambda i: (-score[i], i))[:_PREFILTER_KEEP]
            keys = [choices[i][0] for i in sorted(pool)]
        else:
            keys = [c[0] for c in choices]
        index = {c[0]: c for c in choices}
        out: dict[str, Hit] = {}
        for rank, c in enumerate(difflib.get_close_matches(target, keys, n=max(n * 4, 12), cutoff=0.4)):
            _, node, k = index[c]
            if node not in out:
                out[node] = Hit(URIRef(node), k, self._labels.get(node, c), (rank,))
        return list(out.values())[:n]

    def suggestion_index(self, kinds: tuple[str, ...] | None):
        """(choices, postings, words by length) for suggestions among `kinds`, built once per set of kinds.

        A choice is a label's key without the words people drop (one per key, the first entry's thing);
        postings map each word to the choices holding it.
        """
        kinds = tuple(sorted(kinds)) if kinds else None
        cache = self._suggest_cache
        if kinds not in cache:
            seen: dict[str, tuple[str, str, str]] = {}
            for (node, k, _label), lkey in zip(self.entries, self._keys):
                if kinds and k not in kinds:
                    continue
                c = " ".join(w for w in lkey if w not in _NOISE)
                seen.setdefault(c, (c, node, k))
            choices = list(seen.values())
            postings: dict[str, list[int]] = {}
            if len(choices) > _PREFILTER_FROM:
                for i, (c, _, _) in enumerate(choices):
                    for w in set(c.split()):
                        postings.setdefault(w, []).append(i)
            by_length: dict[int, list[str]] = {}
            for w in postings:
                by_length.setdefault(len(w), []).append(w)
            cache[kinds] = (choices, postings, by_length)
        return cache[kinds]


class LookupError_(Exception):
    """A name that found nothing, or too much; `candidates` says what to choose from."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


def resolve_one(lookup: Lookup, query: str, kind: str) -> Hit:
    """Exactly one entry for `query`, or a LookupError_ listing candidates or suggestions.

    An exact match (every word, no more) wins over longer labels that merely contain the query.
    """
    hits = lookup.search(query, kind=kind, limit=50)
    if not hits:
        raise LookupError_(f"no {kind} matches “{query}”", lookup.suggest(query, kind))
    exact = [h for h in hits if h.rank[0] == 0]
    if len(exact) == 1:
        return exact[0]
    if len(hits) == 1:
        return hits[0]
    raise LookupError_(f"“{query}” matches {len(hits)} {kind} names", [h.label for h in hits])


def _checked_columns(data: dict) -> list[list]:
    """The entry columns (node, kind, label, key, fold) of a look-up's JSON (Lookup.to_json).

    Raises:
        ValueError: `data` is not what to_json writes.
    """
    if not isinstance(data, dict) or data.get("format") != 2:
        raise ValueError("not a look-up index of this version")
    columns = [data[c] for c in ("node", "kind", "label", "key", "fold")]
    if len({len(c) for c in columns}) != 1 or len(data["shown"]) != len(data["iris"]):
        raise ValueError("look-up index of uneven lengths")
    return columns


def _columns(rows: list[tuple[str, str, str, str, str]], shown: dict[str, str]) -> dict:
    """The JSON of a look-up (Lookup.to_json) of its `rows`, (IRI, kind, label, words joined by spaces, folded
    label) in the entries' order, and the label each IRI is `shown` by."""
    iris: dict[str, int] = {}
    for row in rows:
        iris.setdefault(row[0], len(iris))
    for node in shown:
        iris.setdefault(node, len(iris))
    kinds = sorted({row[1] for row in rows})
    kind_at = {k: i for i, k in enumerate(kinds)}
    return {"format": 2, "iris": list(iris), "kinds": kinds,
            "node": [iris[r[0]] for r in rows], "kind": [kind_at[r[1]] for r in rows],
            "label": [r[2] for r in rows], "key": [r[3] for r in rows], "fold": [r[4] for r in rows],
            "shown": [shown.get(n) for n in iris]}


def updated_index(data: dict, store, things: set[str], kinds: tuple[str, ...]) -> dict:
    """The JSON of a look-up (Lookup.to_json) `data` with the entries of `things` (IRIs) read again from `store`,
    the others kept as they are, column by column (neither made into a Lookup nor folded again): what
    Lookup.from_store(store, kinds).to_json() gives when, since `data` was made, only triples about `things` of
    SEARCH_PREDICATES have changed.

    Raises:
        ValueError: `data` is not what to_json writes.
    """
    columns = _checked_columns(data)
    iris, kind_names = data["iris"], data["kinds"]
    fresh, preferred = _entries(store, kinds, sorted(things))
    made = Lookup(sorted(fresh, key=_entry_order), preferred)  # folds the words of these entries only
    with _gc_paused():  # (hundreds of thousands of tuples made at once)
        gone = [n in things for n in iris]
        kept = ((iris[n], kind_names[k], label, words, f) for n, k, label, words, f in zip(*columns) if not gone[n])
        new = ((n, k, label, " ".join(words), f)
               for (n, k, label), words, f in zip(made.entries, made._keys, made._folds))
        # both in the entries' order (_entry_order: kind, IRI, label): merged, not sorted again
        rows = list(heapq.merge(kept, new, key=lambda r: (r[1], r[0], r[2])))
        shown = {n: label for n, label in zip(iris, data["shown"]) if label is not None and n not in things}
        shown.update(made._labels)
        return _columns(rows, shown)


def load_index(build_dir) -> "Lookup | None":
    """The search index a build wrote (lookup.json), when the build is as it was written (its persistent store
    stamped on its graph.trig: kg.store.persistent_store); else None, and the index is made from the store."""
    import json
    from pathlib import Path

    from kg.store import persistent_store

    build_dir = Path(build_dir)
    if persistent_store(build_dir) is None:
        return None
    try:
        return Lookup.from_json(json.loads((build_dir / INDEX_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
