"""One node per real thing: document identity across sources, schemes, inferred cascade.

The extractor reads each file on its own; a document cited by three plans shows
up three times, with more or less metadata each time.  The resolver groups those
mentions by number, issuing jurisdiction and year, picks one value per field
(the document's own file first, then files describing it, then citations), finds
the schemes (Đề án, Chương trình) that decisions approve and plans implement,
and derives implementation links the text implies but does not state.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rdflib import URIRef

from kg import iri
from kg.agency_names import parse as parse_agency, unit_level
from kg.records import Citation, Document, Record
from kg.text import fold, modern_tones, nfc, strip_diacritics

PRIMARY, DESCRIBED, CITED = 0, 1, 2
_YEAR_IN_NUMBER = re.compile(r"/(19|20)\d\d/|/QH\d+|/UBTVQH\d+")
_SCHEME = re.compile(r"(?P<kind>Đề án|Chương trình)\s*[“\"](?P<name>[^”\"]{8,})[”\"]", re.IGNORECASE)
# the verb that opens a title says what the document does with the scheme it names:
# "Phê duyệt Đề án “...”" approves it; "Thực hiện Đề án “...”", "Kế hoạch triển khai Quyết định
# ... phê duyệt Đề án “...”" carry it out; a cited title may still start with its issuer
# ("của Đoàn Chủ tịch ... thực hiện Quyết định số 01/QĐ-TTg ...")
_TITLE_VERB = re.compile(r"^\W*(?:của (?:[^,;“\"]{3,120}?) )?(?:về việc |về |v/v )?"
                         r"(?:kế hoạch |chương trình (?:hành động )?)?"
                         r"(?P<verb>phê duyệt|thực hiện|triển khai)", re.IGNORECASE)
SCHEME_TYPES = ("đề án", "chương trình")
FIELDS = ("number", "type", "issuer", "date", "title", "signer", "signer_post")


@dataclass
class Mention:
    """One place a document is named: a record's document or one of its citations."""

    source: str
    priority: int
    doc: Document | Citation
    key: tuple = ()


@dataclass
class ResolvedDoc:
    """The merged view of one real document."""

    iri: URIRef
    home: str  # source whose named graph holds the merged metadata
    fields: dict = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Scheme:
    iri: URIRef
    kind: str  # "Đề án" | "Chương trình"
    name: str


class RecordHead:
    """What identity resolution and the graphs' contexts read of a record: its file's name and SHA-256, its
    documents without their duties and targets (their fields and citations kept) and the units its places mean
    (Places, as unit ids).  A build holds heads, a few objects per file, and reads the whole record (`full`)
    only to make its graph again or write it: at national size the records took 0.66 GB and 3.7 s to read
    from the extraction cache at every rebuild.

    `of(record)` makes the head of a record in memory (its documents are then the record's own); a head read
    from the extraction cache (kg.cache.RecordCache.head) reads its record from there when asked.
    """

    __slots__ = ("source", "sha256", "documents", "places", "_full", "_load")

    def __init__(self, source: str, sha256: str | None, documents: list[Document],
                 places: dict[tuple[str, str], str], full: Record | None = None,
                 load: Callable[[], Record | None] | None = None):
        self.source, self.sha256, self.documents, self.places = source, sha256, documents, places
        self._full, self._load = full, load

    @classmethod
    def of(cls, record: Record, keep: bool = True) -> "RecordHead":
        """The head of `record`; `keep`: it holds the record (else it is read again through `loader`)."""
        places = {k: u.id for k, u in Resolver.places_of(record).found.items()}
        if keep:
            return cls(record.source, record.sha256, record.documents, places, full=record)
        docs = [replace(d, duties=[], targets=[]) for d in record.documents]
        return cls(record.source, record.sha256, docs, places)

    def __getstate__(self):
        return self.source, self.sha256, self.documents, self.places

    def __setstate__(self, state) -> None:
        self.source, self.sha256, self.documents, self.places = state
        self._full, self._load = None, None

    def loader(self, load: Callable[[], Record | None]) -> "RecordHead":
        """This head, reading its record through `load` (None: the record cannot be read)."""
        self._load = load
        return self

    def full(self) -> Record:
        """The whole record (with this head's SHA-256).

        Raises:
            LookupError: it is neither held nor readable (its cache entry went missing during the build).
        """
        rec = self._full
        if rec is None:
            rec = self._load() if self._load is not None else None
            if rec is None:
                raise LookupError(f"the extraction record of {self.source} is no longer in the cache (removed "
                                  f"during the build?): build again")
        rec.sha256 = self.sha256
        return rec


def place_of(issuer: str | None) -> str | None:
    """Jurisdiction of a local issuer ("Ủy ban nhân dân tỉnh An Giang" -> "tỉnh An Giang")."""
    if not issuer:
        return None
    a = parse_agency(issuer)
    if a.unit_kind and a.level != "central":
        return f"{a.unit_kind} {a.unit_name}"
    return None


def place_parts(name: str | None) -> tuple[str, str] | None:
    """(kind, name) of the jurisdiction of a local body ("Ủy ban nhân dân xã Tân Thành" -> ("xã", "Tân Thành"))."""
    if not name:
        return None
    a = parse_agency(name)
    if a.unit_kind and a.unit_name and a.level != "central":
        return a.unit_kind, a.unit_name
    return None


class Places:
    """The units of data/units/ that the places of one record mean, each read in the light of the others.

    A name alone may mean many units ("xã Tân Thành": three communes of Lạng Sơn, more elsewhere; "huyện
    Châu Thành": ten provinces). A record names its issuer and the issuers of what it cites, which sit above
    it: a commune's plan cites its district's and its province's plans. Candidates are the units of that
    kind and exact name (diacritics kept; without them only when no name matches with them) valid on the
    date of the mention; a place with several is narrowed to those under (or above) a place of the same
    record that names one unit only, until nothing changes.
    """

    def __init__(self, mentions: list[tuple[str, str, str | None]]):
        from kg.units import load

        units = load()
        self.units = units
        cands: dict[tuple[str, str], list] = {}
        for kind, name, date in mentions:
            key = (kind, fold(name))
            found = [u for u in units.candidates(unit_level(kind, name), name) if _same_kind(u.kind, kind)]
            if date:
                found = [u for u in found if u.valid_on(date)] or found
            cands[key] = found if key not in cands else [u for u in cands[key] if u in found] or cands[key]
        changed = True
        while changed:
            changed = False
            sure = {k: c[0] for k, c in cands.items() if len(c) == 1}
            for key, c in cands.items():
                if len(c) < 2:
                    continue
                others = [u for k, u in sure.items() if k != key]
                score = {u.id: sum(1 for o in others if self._related(u, o)) for u in c}
                best = max(score.values())
                near = [u for u in c if score[u.id] == best] if best else []
                if near and len(near) < len(c):
                    cands[key], changed = near, True
        self.found = {k: c[0] for k, c in cands.items() if len(c) == 1}

    @classmethod
    def of_ids(cls, found: dict[tuple[str, str], str]) -> "Places":
        """The places a record's head keeps (RecordHead.places: key -> unit id)."""
        from kg.units import load

        self = cls.__new__(cls)
        self.units = load()
        self.found = {k: u for k, uid in found.items() if (u := self.units.get(uid)) is not None}
        return self

    def _related(self, u, other) -> bool:
        """One of the two units lies within the other."""
        return self._within(u, other) or self._within(other, u)

    def _within(self, u, outer) -> bool:
        while u is not None and u.parent:
            u = self.units.get(u.parent)
            if u is not None and u.id == outer.id:
                return True
        return False

    def unit(self, kind: str, name: str):
        return self.found.get((kind, fold(name)))


def _same_kind(unit_kind: str, kind: str) -> bool:
    return unit_kind == kind or {unit_kind, kind} <= {"tỉnh", "thành phố"}


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and re.match(r"\d{4}-", date) else None


def is_scheme_citation(c: Citation) -> bool:
    """A citation of a scheme by name ("thực hiện Đề án “...”"), not of a numbered document."""
    return not c.number and fold(c.type) in {fold(t) for t in SCHEME_TYPES}


def scheme_key(name: str) -> str:
    return strip_diacritics(name.strip(" “”\"'"))


class Resolver:
    """Resolves every document mention of a set of records to one IRI each."""

    def __init__(self, records: list[Record] | list[RecordHead]):
        self.records: list[Record | RecordHead] = sorted(records, key=lambda r: r.source)
        self._by_obj: dict[int, ResolvedDoc] = {}
        self.places: dict[str, Places] = {
            rec.source: Places.of_ids(rec.places) if isinstance(rec, RecordHead) else self.places_of(rec)
            for rec in self.records}
        self.docs: dict[URIRef, ResolvedDoc] = {}
        self.schemes: dict[str, Scheme] = {}
        self.approves: set[tuple[URIRef, str]] = set()  # (document, scheme key)
        self.implements_scheme: set[tuple[URIRef, str, str]] = set()  # (document, scheme key, source)
        self._resolve_documents()
        self._find_schemes()

    # -- places ------------------------------------------------------------
    @staticmethod
    def places_of(rec: Record) -> Places:
        """The units the issuers of a record's documents and citations, the unit its header names above the
        issuer's ("UBND HUYỆN ĐÔNG ANH / UBND XÃ KIM CHUNG") and its duties' agencies mean."""
        mentions, seen = [], set()
        for d in rec.documents:
            above = [(f"Ủy ban nhân dân {d.issuer_within}", d.date)] if d.issuer_within else []
            for name, date in [(d.issuer, d.date)] + above + [(c.issuer, c.date) for c in d.citations]:
                p = place_parts(name)
                if p and (p, date) not in seen:
                    seen.add((p, date))
                    mentions.append((*p, date))
        issuers = len(mentions)
        for d in rec.documents:
            for duty in d.duties:
                p = place_parts(duty.agency)
                if p and (p, d.date) not in seen:
                    seen.add((p, d.date))
                    mentions.append((*p, d.date))
        places = Places(mentions[:issuers])
        rest = Places(mentions) if len(mentions) > issuers else places
        for key, u in rest.found.items():  # a duty's place: read with the issuers' places, not narrowing them
            places.found.setdefault(key, u)
        return places

    def place_unit(self, source: str, name: str | None) -> str | None:
        """The unit id of the jurisdiction of a local body named in `source`, when the record tells which."""
        p = place_parts(name)
        places = self.places.get(source)
        if not p or places is None:
            return None
        u = places.unit(*p)
        return u.id if u is not None else None

    # -- documents ---------------------------------------------------------
    def _mentions(self) -> list[Mention]:
        out = []
        for rec in self.records:
            for d in rec.documents:
                out.append(Mention(rec.source, PRIMARY if d.primary else DESCRIBED, d))
                for c in d.citations:
                    if not is_scheme_citation(c):
                        out.append(Mention(rec.source, CITED, c))
        return out

    def _resolve_documents(self) -> None:
        mentions = self._mentions()
        keys = {id(m): self._place_key(m) for m in mentions if place_of(m.doc.issuer)}
        # a place a record leaves unresolved is the unit other mentions of the same number and name resolve it to
        units_of: dict[tuple, set] = defaultdict(set)
        for m in mentions:
            k = keys.get(id(m))
            if k and k[1]:
                units_of[(iri.normalize_number(m.doc.number), fold(k[0]))].add(k)
        for m in mentions:
            k = keys.get(id(m))
            if k and not k[1]:
                known = units_of.get((iri.normalize_number(m.doc.number), fold(k[0])), set())
                if len(known) == 1:
                    keys[id(m)] = next(iter(known))
        places: dict[str, set] = defaultdict(set)
        for m in mentions:
            nn = iri.normalize_number(m.doc.number)
            if nn and id(m) in keys:
                places[nn].add(keys[id(m)])
        base_keys = []
        years: dict[tuple, set] = defaultdict(set)
        for m in mentions:
            d = m.doc
            nn = iri.normalize_number(d.number)
            if nn:
                place = keys.get(id(m))
                if place is None and len(places[nn]) == 1:
                    place = next(iter(places[nn]))
                base: tuple = ("n", nn, place)
                year = None if _YEAR_IN_NUMBER.search(nn) else year_of(d.date)
            else:
                base = ("u", fold(d.type), fold(d.issuer), fold(d.title))
                year = year_of(d.date)
            base_keys.append((m, base, year))
            if year:
                years[base].add(year)
        for m, base, year in base_keys:
            if year is None and len(years[base]) == 1:
                year = next(iter(years[base]))
            m.key = base + (year,)
        groups: dict[tuple, list[Mention]] = defaultdict(list)
        for m in mentions:
            groups[m.key].append(m)
        for key, group in groups.items():
            group.sort(key=lambda m: (m.priority, m.source))
            merged = {f: next((getattr(m.doc, f, None) for m in group if getattr(m.doc, f, None)), None)
                      for f in FIELDS}
            if key[0] == "n":
                place, unit_id = key[2] if key[2] else (None, None)
                node = iri.document(key[1], place, key[3], unit_id=unit_id)
            else:
                node = iri.document(None, None, None, merged["type"], merged["issuer"],
                                    f"{merged['title']}|{key[-1] or ''}")
            rd = self.docs.get(node)
            if rd is None:
                rd = self.docs[node] = ResolvedDoc(node, group[0].source, merged, [])
            rd.mentions.extend(group)
            for m in group:
                self._by_obj[id(m.doc)] = rd

    def _place_key(self, m: Mention) -> tuple[str, str | None]:
        """(place, unit id) of a mention's issuer: the unit when its record tells which, else the exact name
        (NFC, modern tone placement) of the place as written."""
        place = place_of(m.doc.issuer)
        assert place is not None  # the only caller takes mentions whose issuer has a place
        unit_id = self.place_unit(m.source, m.doc.issuer)
        if unit_id:
            return place, unit_id
        return modern_tones(nfc(place)), None

    def resolve(self, doc: Document | Citation) -> ResolvedDoc:
        """The merged document a record's document or citation refers to."""
        return self._by_obj[id(doc)]

    def adopt(self, head: RecordHead, record: Record) -> None:
        """`resolve` the documents and citations of `record` as those of its `head` (read from the cache, they are
        other objects in the same places)."""
        if len(head.documents) != len(record.documents):
            raise LookupError(f"the extraction record of {head.source} does not match its head")
        for dh, dr in zip(head.documents, record.documents):
            self._by_obj[id(dr)] = self._by_obj[id(dh)]
            if len(dh.citations) != len(dr.citations):
                raise LookupError(f"the extraction record of {head.source} does not match its head")
            for ch, cr in zip(dh.citations, dr.citations):
                if id(ch) in self._by_obj:
                    self._by_obj[id(cr)] = self._by_obj[id(ch)]

    def forget(self, record: Record) -> None:
        """Undo `adopt` (the record is about to be dropped, and the ids of its objects to be reused)."""
        for d in record.documents:
            self._by_obj.pop(id(d), None)
            for c in d.citations:
                self._by_obj.pop(id(c), None)

    # -- schemes -----------------------------------------------------------
    def _scheme(self, kind: str, name: str) -> str:
        name = nfc(" ".join(name.split())).strip(" “”\"'")
        key = scheme_key(name)
        if key not in self.schemes:
            self.schemes[key] = Scheme(iri.scheme(name), "Chương trình" if fold(kind) == fold("Chương trình")
                                       else "Đề án", name)
        return key

    def _find_schemes(self) -> None:
        for rd in sorted(self.docs.values(), key=lambda r: str(r.iri)):
            titles = {m.doc.title for m in rd.mentions if m.doc.title}
            for title in sorted(titles):
                lead = _TITLE_VERB.match(title)
                if not lead:
                    continue
                for m in _SCHEME.finditer(title):
                    key = self._scheme(m.group("kind"), m.group("name"))
                    if fold(lead.group("verb")) == fold("phê duyệt"):
                        self.approves.add((rd.iri, key))
                    else:
                        self.implements_scheme.add((rd.iri, key, rd.home))
        for rec in self.records:
            for d in rec.documents:
                for c in d.citations:
                    if is_scheme_citation(c) and c.title:
                        found = _SCHEME.search(c.title)
                        name = found.group("name") if found else c.title
                        key = self._scheme(c.type or "Đề án", name)
                        self.implements_scheme.add((self.resolve(d).iri, key, rec.source))

    # -- inference ---------------------------------------------------------
    def inferred_implementation(self, asserted: set[tuple[URIRef, str, URIRef]]) -> set[tuple[URIRef, URIRef]]:
        """Implementation links implied by schemes.

        A plan that implements a scheme implements the decision approving it;
        a plan based on ("Căn cứ") a plan or decision of the same scheme
        implements that document (the district plan under the province plan).

        Args:
            asserted: (citing, relation, cited) triples read from the text.
        """
        approvers: dict[str, set] = defaultdict(set)
        for doc, key in self.approves:
            approvers[key].add(doc)
        members: dict[str, set] = defaultdict(set)
        for doc, key, _ in self.implements_scheme:
            members[key].add(doc)
        for a, rel, b in asserted:  # implementing the approving decision is implementing the scheme
            if rel == "implements":
                for key, docs in approvers.items():
                    if b in docs:
                        members[key].add(a)
        direct = {(a, b) for a, rel, b in asserted if rel == "implements"}
        out = set()
        for key, docs in members.items():
            for a in docs:
                for d in approvers[key]:
                    if a != d:
                        out.add((a, d))
        for a, rel, b in asserted:
            if rel != "based_on":
                continue
            for key, docs in members.items():
                if a in docs and (b in docs or b in approvers[key]) and a != b:
                    out.add((a, b))
        return out - direct
