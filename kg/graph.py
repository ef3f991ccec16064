"""Records to triples: one named graph per source file, plus inferred links.

Only this module (with ``kg.iri``) knows about RDF.  Each source's graph holds
what that file says: its documents (the merged metadata of a document lives in
the graph of its "home" source, so the union of the graphs states each field
once), its citations, duties and targets with their evidence, and the agencies
they name.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import cast

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg import iri
from kg.agency_names import parse as parse_agency, short_forms, unit_level
from kg.namespaces import CITO, ELI, M8G, OA, ODRL, ORG, SCHEMA, VND, bind_all
from kg.records import Duty, Record, Span
from kg.resolve import RecordHead, ResolvedDoc, Resolver, is_scheme_citation
from kg.succession import default as succession_table
from kg.text import fold, modern_tones

EXTRACTOR_VERSION = "kg-extract-1"
ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"

RELATION_PROPERTY = {
    "based_on": ELI.based_on,
    "implements": ELI.ensures_implementation_of,
    "replaces": VND.replaces,
    "repeals": ELI.repeals,
    "amends": ELI.amends,
    "responds_to": VND.respondsTo,
    "mentions": ELI.cites,
}
RELATION_CONCEPT = {
    "based_on": VND.BasedOn, "implements": VND.Implements, "replaces": VND.Replaces,
    "repeals": VND.Repeals, "amends": VND.Amends, "responds_to": VND.RespondsTo, "mentions": VND.Mentions,
}
LEVEL_CONCEPT = {"central": VND.CentralLevel, "province": VND.ProvinceLevel,
                 "district": VND.DistrictLevel, "commune": VND.CommuneLevel}
CAPACITY_CONCEPT = {"TM.": VND.OnBehalfOf, "KT.": VND.ForHead, "Q.": VND.Acting,
                    "TL.": VND.ByOrder, "TUQ.": VND.ByAuthorisation}
_PARTY_NUMBER = re.compile(r"^\d+-[A-ZĐa-zđ]+/")
_NORMATIVE_NUMBER = re.compile(r"/(19|20)\d\d/|/QH\d+|/UBTVQH\d+")
_NORMATIVE_TYPES = {fold(t) for t in ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh", "Nghị định", "Thông tư",
                                      "Thông tư liên tịch", "Lệnh")}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and its vocabularies (every .ttl under ontology/ except the shapes), parsed once.

    Callers must not modify the returned graph: it is shared.
    """
    g = Graph()
    for f in sorted(ONTOLOGY_DIR.rglob("*.ttl")):
        if f.name != "shapes.ttl":
            g.parse(f)
    return g


# Characters a Turtle string may hold raw but that line-based tools (str.splitlines, editors, JSON
# readers of JavaScript) take for line ends or choke on: C0 controls but tab and LF, DEL, NEL,
# LINE and PARAGRAPH SEPARATOR.  They can only stand inside literals (or IRIs) of rdflib's output,
# where the escape \uXXXX means the same character, so escaping them in the whole text is safe.
_ESCAPE = {c: f"\\u{c:04X}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x2028, 0x2029]}
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in _ESCAPE) + "]")


def escape_controls(turtle: str) -> str:
    """Turtle/TriG text with every line-breaking or control character of its literals written as \\uXXXX."""
    if not _CONTROLS.search(turtle):  # the usual case, found by one scan (translate copies the whole text)
        return turtle
    return turtle.translate(_ESCAPE)


def serialize_turtle(g: Graph) -> str:
    """Turtle of `g`, every literal on the lines rdflib gives it (see `escape_controls`)."""
    return escape_controls(g.serialize(format="turtle"))


def decimal_literal(value: float | int | None) -> Literal | None:
    """xsd:decimal of a finite number, else None (xsd:decimal has no INF or NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return Literal(Decimal(str(value)).normalize(), datatype=XSD.decimal)


def vi(text: str) -> Literal:
    return Literal(text, lang="vi")


class TypeVocabulary:
    """Document-type concepts read from ontology/vocab/document-types.ttl."""

    def __init__(self, path: Path | None = None):
        g = Graph().parse(path or ONTOLOGY_DIR / "vocab" / "document-types.ttl")
        self.by_label: dict[str, URIRef] = {}
        self.by_notation: dict[str, URIRef] = {}
        for concept, label in g.subject_objects(SKOS.prefLabel):
            if getattr(label, "language", None) == "vi":
                self.by_label[fold(str(label))] = cast(URIRef, concept)
        for concept, notation in g.subject_objects(SKOS.notation):
            self.by_notation[str(notation).upper()] = cast(URIRef, concept)

    def concept(self, type_name: str | None, number: str | None) -> URIRef:
        """The type concept from the type name, else from the number's ký hiệu, else "Văn bản"."""
        if type_name and fold(type_name) in self.by_label:
            return self.by_label[fold(type_name)]
        if number:
            m = re.search(r"[/-]([A-Za-zĐđ]+)[-/]", number.replace(" ", "") + "/")
            if m and m.group(1).upper() in self.by_notation:
                return self.by_notation[m.group(1).upper()]
        return iri.document_type("Văn bản")


def document_class(type_name: str | None, number: str | None, issuer: str | None) -> URIRef:
    """vnd:NormativeDocument, vnd:PartyDocument, a policy initiative or vnd:AdministrativeDocument."""
    t = fold(type_name)
    if number and _PARTY_NUMBER.match(number.replace(" ", "")):
        return VND.PartyDocument
    if t in _NORMATIVE_TYPES or (number and _NORMATIVE_NUMBER.search(number)):
        return VND.NormativeDocument
    if issuer and parse_agency(issuer).kind == "party-organ":
        return VND.PartyDocument
    if t == fold("Đề án"):
        return VND.Scheme
    if t == fold("Chương trình"):
        return VND.Programme
    return VND.AdministrativeDocument


# IRIs of facts (kg.iri.fact: their key holds the source file's name), and of their evidence's selectors: only the
# graph of their source states anything of them, so they need not be remembered across graphs
_FACTS = tuple(str(iri.ID[f"{kind}/"]) for kind in ("duty", "target", "citation", "evidence"))


def _term_key(t) -> str:
    if isinstance(t, Literal):
        return f"L{t}\x1e{t.language or ''}\x1e{t.datatype or ''}"
    return f"{'B' if isinstance(t, BNode) else 'U'}{t}"


def triple_key(t) -> bytes:
    """A 128-bit digest of a triple, equal for equal triples (rdflib's term equality: same kind, same lexical
    form, language and datatype)."""
    text = "\x1f".join(_term_key(x) for x in t)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Triples:
    """The triples of one source's graph, in the order added, each once (a source graph is only added to and
    read through: an rdflib Graph's indexes would cost a third of a build)."""

    def __init__(self, identifier: URIRef):
        self.identifier = identifier
        self._triples: dict = {}

    def add(self, triple) -> None:
        s, p, o = triple
        if not isinstance(s, Node) or not isinstance(p, Node) or not isinstance(o, Node):
            raise TypeError(f"not an RDF triple: {triple!r}")
        self._triples[triple] = None

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple) -> bool:
        return triple in self._triples


Sink = Graph | Triples  # what the builder adds triples to


class Effects:
    """What making one graph added to a GraphBuilder beyond its triples: the citations read (citing, relation,
    cited), the canonical names of the agencies described, the units of their jurisdictions and the IRIs given
    to names (canonical name, IRI).  A graph kept from an earlier build adds them again (GraphBuilder.replay)."""

    __slots__ = ("asserted", "labels", "units", "nodes")

    def __init__(self):
        self.asserted: set[tuple[URIRef, str, URIRef]] = set()
        self.labels: set[str] = set()
        self.units: set[str] = set()
        self.nodes: set[tuple[str, URIRef]] = set()

    def __getstate__(self):
        return ([(str(a), r, str(b)) for a, r, b in sorted(self.asserted)], sorted(self.labels),
                sorted(self.units), sorted((label, str(n)) for label, n in self.nodes))

    def __setstate__(self, state) -> None:
        asserted, labels, units, nodes = state
        self.asserted = {(URIRef(a), r, URIRef(b)) for a, r, b in asserted}
        self.labels, self.units = set(labels), set(units)
        self.nodes = {(label, URIRef(n)) for label, n in nodes}


class Job:
    """One named graph to make: its IRI, `context()` (bytes naming what its triples depend on besides the code,
    the data and the graphs made before it; None when that is not known) and `make()` (its triples)."""

    __slots__ = ("name", "context", "make", "source")

    def __init__(self, name: URIRef, context, make, source: str | None = None):
        self.name, self.context, self.make, self.source = name, context, make, source  # source: its file's name


class Claims:
    """The triples stated by the graphs made so far (16-byte digests: the triples themselves would hold ~1 KB
    each), so that each triple is stated by the first graph saying it (GraphBuilder.iter_graphs).  The facts a
    source mints (_FACTS) are only ever in the graph of that source and are not remembered."""

    def __init__(self):
        self.seen: set[bytes] = set()

    def mine(self, triples) -> tuple[list, bytes, bytes]:
        """(the triples no graph before stated, the digests of every triple that could be stated before, one
        after the other, the digest of those that were): the last two tell whether a graph kept from an earlier
        build (kg.build) states the same triples again (`claimed`)."""
        out, keys, taken = [], [], []
        for t in triples:  # order is of no matter: the files are written sorted (kg.build)
            if str(t[0]).startswith(_FACTS):  # minted from its source: in that source's graph only
                out.append(t)
                continue
            k = triple_key(t)
            keys.append(k)
            if k in self.seen:
                taken.append(k)
            else:
                self.seen.add(k)
                out.append(t)
        return out, b"".join(keys), _digest_keys(taken)

    def take(self, keys: bytes, claimed: bytes) -> bool:
        """For a graph kept from an earlier build, which may state the triples of `keys` and found those of
        `claimed` stated before it (as `mine` gave them): whether the graphs before it state the same ones now; if
        so, its triples are taken as stated."""
        split = _split_keys(keys)
        seen = self.seen
        if _digest_keys([k for k in split if k in seen]) != claimed:
            return False
        seen.update(split)
        return True


def _split_keys(keys: bytes) -> list[bytes]:
    return [keys[i:i + 16] for i in range(0, len(keys), 16)]


def _digest_keys(keys: list[bytes]) -> bytes:
    return hashlib.blake2b(b"".join(sorted(keys)), digest_size=16).digest()


def _digest_lines(lines: list[str]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for line in lines:
        h.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return h.digest()


class GraphBuilder:
    """Builds the dataset (named graphs) of a set of records."""

    def __init__(self, records: list[Record] | list[RecordHead], texts: Mapping[str, str]):
        # the heads of the records (a record in memory is held by its head): identity resolution and the graphs'
        # contexts read heads only, and a graph made reads its record (source_graph)
        self.records = sorted((r if isinstance(r, RecordHead) else RecordHead.of(r) for r in records),
                              key=lambda r: r.source)
        self.texts = texts
        self.resolver = Resolver(self.records)
        self.types = TypeVocabulary()
        self.asserted: set[tuple[URIRef, str, URIRef]] = set()
        self.successions = succession_table()
        self.agency_labels: set[str] = set()  # canonical names of every agency described
        self.unit_ids: set[str] = set()  # units that are some agency's jurisdiction
        self.agency_nodes: dict[str, set[URIRef]] = {}  # canonical name -> the agency IRIs it was given
        self.fx = Effects()  # what the graph being made adds to the four above (see Job)
        self._described: dict[tuple, tuple[URIRef, list]] = {}  # (name, unit, source) -> agency IRI, triples
        self._grouped: tuple[dict, dict, dict] | None = None  # see _by_source

    # -- helpers -------------------------------------------------------------
    def _agency_node(self, a, unit_id: str | None = None, source: str | None = None, note: bool = True):
        """(IRI, unit of its jurisdiction or None) of a parsed agency name; ``source``: the file naming it,
        whose other places tell which unit a name borne by several means ("xã Tân Thành" under "huyện Hữu
        Lũng"); ``note``: remember the IRI given to the name (agency_nodes)."""
        units = self.successions.units
        named = self.successions.unit_of(a.label)  # the era a name means (current, unless abolished before)
        uid = self.resolver.place_unit(source, a.label) if source is not None else None
        ctx = units.get(uid) if uid else None
        if named is None:
            known = units.get(unit_id) if unit_id else ctx
        elif ctx is not None and (units.shares_slug(ctx.id) or ctx.label != named.label
                                  or _province_name(units, ctx) != _province_name(units, named)
                                  or not units.continues(ctx.id, named.id)):
            known = ctx  # another place than the one the name alone gives: the one the file's places tell
        else:
            known = named  # one IRI for the name: the unit of the era names mean
        node = iri.agency(a.label, known.id if known is not None else None)
        if note:
            self.agency_nodes.setdefault(a.label, set()).add(node)
            self.fx.nodes.add((a.label, node))
        return node, known

    def agency_iri(self, name: str, source: str | None = None, note: bool = True) -> URIRef:
        """The IRI `agency` gives a name, without describing it (`note`: see _agency_node)."""
        return self._agency_node(parse_agency(name), None, source, note)[0]

    def agency(self, g: Sink, name: str, unit_id: str | None = None, source: str | None = None) -> URIRef:
        """The agency node of a canonical name; its jurisdiction resolved to a unit of data/units/.

        ``unit_id``: the unit when the name alone does not give it ("Ủy ban nhân dân xã Tân Tiến, tỉnh
        Lạng Sơn", a successor named by kg.succession).
        """
        key = (name, unit_id, source)
        done = self._described.get(key)
        if done is None:  # a plan names its departments again and again: parse and resolve once per source
            done = self._describe_agency(name, unit_id, source)
            self._described[key] = done
        node, triples = done
        for t in triples:
            g.add(t)
        return node

    def _describe_agency(self, name: str, unit_id: str | None, source: str | None) -> tuple[URIRef, list]:
        """(IRI, describing triples) of an agency name, as `agency` states them."""
        out: list = []
        a = parse_agency(name)
        node, known = self._agency_node(a, unit_id, source)
        self.agency_labels.add(a.label)
        self.fx.labels.add(a.label)
        out.append((node, RDF.type, VND.Agency))
        if a.collective:
            out.append((node, RDF.type, VND.CollectiveAgency))
        out.append((node, SKOS.prefLabel, vi(a.label)))
        out.append((node, RDFS.label, vi(a.label)))
        for alt in short_forms(a.label):
            out.append((node, SKOS.altLabel, vi(alt)))
        out.append((node, ORG.classification, iri.agency_kind(a.kind)))
        if a.base:
            out.append((node, VND.baseName, vi(a.base)))  # "Sở Tài chính": every province's, in one index look-up
        if a.level:
            out.append((node, VND.level, LEVEL_CONCEPT[a.level]))
        if known is not None:
            out.append((node, VND.jurisdiction, iri.unit(known.id)))
            self.unit_ids.add(known.id)
            self.fx.units.add(known.id)
        elif a.unit_kind and a.unit_name:  # a place the unit table does not know (or not uniquely)
            unit = iri.admin_unit(a.unit_kind, a.unit_name)
            out.append((node, VND.jurisdiction, unit))
            out.append((unit, RDF.type, VND.AdminUnit))
            out.append((unit, RDFS.label, vi(f"{a.unit_kind} {a.unit_name}")))
            out.append((unit, M8G.level, LEVEL_CONCEPT[unit_level(a.unit_kind, a.unit_name)]))
        return node, out

    @staticmethod
    def cite(g: Sink, fact: URIRef, ev: URIRef) -> None:
        """`fact` was read at `ev` (an evidence made by `evidence`): vnd:evidence, and the shortcuts to its two
        selectors (vnd:quoteSelector, vnd:positionSelector: what queries read, in two steps where
        vnd:evidence/oa:hasSelector/oa:exact takes three, which Oxigraph evaluates over every fact of the
        graph inside an OPTIONAL)."""
        g.add((fact, VND.evidence, ev))
        g.add((fact, VND.quoteSelector, URIRef(f"{ev}-quote")))
        g.add((fact, VND.positionSelector, URIRef(f"{ev}-position")))

    def evidence(self, g: Sink, source: str, span: Span | None, text: str) -> URIRef | None:
        """oa:SpecificResource with position and quote selectors; finds the span when missing."""
        full = self.texts.get(source, "")
        if span is None or full[span.start:span.end] != span.quote:
            probe = (text or "").split(" ... ")[0].strip()
            at = full.find(probe) if probe else -1
            if at < 0:
                return None
            span = Span(at, at + len(probe), probe)
        node = iri.fact("evidence", source, span.start, span.end)
        src = iri.source(source)
        pos, quote = URIRef(f"{node}-position"), URIRef(f"{node}-quote")
        g.add((node, RDF.type, OA.SpecificResource))
        g.add((node, OA.hasSource, src))
        g.add((node, OA.hasSelector, pos))
        g.add((node, OA.hasSelector, quote))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(span.quote)))
        return node

    def describe_document(self, g: Sink, rd: ResolvedDoc) -> None:
        """The merged metadata of a document (only in its home source's graph)."""
        f = rd.fields
        node = rd.iri
        g.add((node, RDF.type, document_class(f["type"], f["number"], f["issuer"])))
        g.add((node, PROV.wasDerivedFrom, iri.source(rd.home)))
        g.add((node, ELI.type_document, self.types.concept(f["type"], f["number"])))
        if f["number"]:
            g.add((node, ELI.id_local, Literal(f["number"].replace(" ", ""))))
            g.add((node, VND.normalizedNumber, Literal(iri.normalize_number(f["number"]))))
        if f["date"]:
            g.add((node, ELI.date_document, Literal(f["date"], datatype=XSD.date)))
        if f["title"]:
            g.add((node, ELI.title, vi(modern_tones(f["title"]))))
        label = " ".join(x for x in (f["type"], f["number"]) if x) or (f["title"] or "")[:80]
        if not f["number"] and f["issuer"]:
            label = f"{f['type'] or 'Văn bản'} của {modern_tones(f['issuer'])}"
        g.add((node, RDFS.label, vi(modern_tones(label))))
        if f["issuer"]:
            g.add((node, ELI.passed_by, self.agency(g, f["issuer"], source=rd.home)))
        if f["signer"]:
            person = iri.person(f["signer"])
            g.add((node, VND.signedBy, person))
            g.add((person, RDF.type, FOAF.Person))
            g.add((person, FOAF.name, Literal(f["signer"])))
            if f["signer_post"]:
                self._post(g, node, person, f, rd.home)

    def _post(self, g: Sink, doc: URIRef, person: URIRef, f: dict, doc_home: str | None = None) -> None:
        raw = " ".join(f["signer_post"].split())
        cap = next((c for c in sorted(CAPACITY_CONCEPT, key=len, reverse=True) if raw.upper().startswith(c)), None)
        if cap:
            g.add((doc, VND.signingCapacity, CAPACITY_CONCEPT[cap]))
        title = raw.split("\n")[-1]
        title = re.sub(r"^(TM|KT|Q|TL|TUQ)\.\s*\S.*?\s(?=(PHÓ |CHỦ |BỘ |THỦ |GIÁM |CHÁNH ))", "", title)
        title = title.strip().capitalize()
        if f["issuer"] and title:
            p = iri.post(f["issuer"], title)
            g.add((p, RDF.type, ORG.Post))
            g.add((p, RDFS.label, vi(title)))
            g.add((p, ORG.heldBy, person))
            g.add((p, ORG.postIn, self.agency_iri(f["issuer"], doc_home)))

    # -- per source -----------------------------------------------------------
    def source_graph(self, head: RecordHead) -> Triples:
        rec = head.full()
        if rec.documents is not head.documents:  # read from the cache: other objects than the head's
            self.resolver.adopt(head, rec)
            try:
                return self._source_graph(rec)
            finally:
                self.resolver.forget(rec)
        return self._source_graph(rec)

    def _source_graph(self, rec: Record) -> Triples:
        # Triples has the part of Graph the describe methods use (add, iteration)
        g = Triples(iri.source_graph(rec.source))
        src = iri.source(rec.source)
        g.add((src, RDF.type, VND.SourceFile))
        g.add((src, DCTERMS.identifier, Literal(rec.source)))
        if rec.sha256:
            g.add((src, VND.sha256, Literal(rec.sha256)))
        for d in rec.documents:
            rd = self.resolver.resolve(d)
            g.add((rd.iri, VND.describedIn, src))
            for c in d.citations:
                self._citation(g, rec.source, rd, c)
            for duty_group in _group_duties(d.duties):
                self._duty(g, rec.source, rd, duty_group)
            for t in d.targets:
                self._target(g, rec.source, rd, t)
        homes, implements, approves = self._by_source()
        for rd in homes.get(rec.source, ()):
            self.describe_document(g, rd)
        for doc, key in implements.get(rec.source, ()):
            g.add((doc, ELI.ensures_implementation_of, self._scheme(g, key, src)))
        for doc, key in approves.get(rec.source, ()):
            g.add((doc, VND.approves, self._scheme(g, key, src)))
        return g

    def _by_source(self) -> tuple[dict, dict, dict]:
        """The resolver's documents, scheme implementations and approvals grouped by the source whose graph
        states them, in the order the graphs have always stated them; made once (looking through all of them
        for each source made the build quadratic: 20 minutes of 25 at 9,624 plans)."""
        if self._grouped is None:
            homes: dict[str, list] = {}
            for rd in self.resolver.docs.values():
                homes.setdefault(rd.home, []).append(rd)
            implements: dict[str, list] = {}
            for doc, key, source in sorted(self.resolver.implements_scheme):
                implements.setdefault(source, []).append((doc, key))
            approves: dict[str, list] = {}
            for doc, key in sorted(self.resolver.approves):
                approves.setdefault(self.resolver.docs[doc].home, []).append((doc, key))
            self._grouped = (homes, implements, approves)
        return self._grouped

    def _scheme(self, g: Sink, key: str, src: URIRef) -> URIRef:
        s = self.resolver.schemes[key]
        g.add((s.iri, PROV.wasDerivedFrom, src))
        g.add((s.iri, RDF.type, VND.Scheme if s.kind == "Đề án" else VND.Programme))
        g.add((s.iri, ELI.type_document, iri.document_type(s.kind)))
        g.add((s.iri, ELI.title, vi(modern_tones(s.name))))
        g.add((s.iri, RDFS.label, vi(f"{s.kind} “{modern_tones(s.name)}”")))
        return s.iri

    def _citation(self, g: Sink, source: str, citing: ResolvedDoc, c) -> None:
        if is_scheme_citation(c):
            return  # handled with the schemes
        cited = self.resolver.resolve(c)
        if cited.iri == citing.iri:
            return
        rel = c.relation if c.relation in RELATION_PROPERTY else "mentions"
        g.add((citing.iri, RELATION_PROPERTY[rel], cited.iri))
        self.asserted.add((citing.iri, rel, cited.iri))
        self.fx.asserted.add((citing.iri, rel, cited.iri))
        node = iri.fact("citation", source, citing.iri, cited.iri, rel, c.span.start if c.span else "")
        g.add((node, RDF.type, VND.Citation))
        g.add((node, CITO.hasCitingEntity, citing.iri))
        g.add((node, CITO.hasCitedEntity, cited.iri))
        g.add((node, VND.relation, RELATION_CONCEPT[rel]))
        g.add((node, PROV.wasDerivedFrom, iri.source(source)))
        ev = self.evidence(g, source, c.span, c.number or c.title or "")
        if ev is not None:
            self.cite(g, node, ev)

    def _duty(self, g: Sink, source: str, doc: ResolvedDoc, duties: list[Duty]) -> None:
        first = duties[0]
        start = first.span.start if first.span else None
        node = iri.fact("duty", source, doc.iri, start, first.text)
        g.add((doc.iri, VND.assignsDuty, node))
        g.add((node, RDF.type, VND.Duty))
        for d in duties:
            prop = VND.leadAgency if d.role == "lead" else VND.partnerAgency
            g.add((node, prop, self.agency(g, d.agency, source=source)))
        g.add((node, VND.modality, VND.Request if any(d.modality == "request" for d in duties) else VND.Assign))
        deadline = next((d.deadline for d in duties if d.deadline), None)
        if deadline:
            g.add((node, VND.deadline, Literal(deadline, datatype=XSD.date)))
            # the month, as a key a query binds ("2025-03"): a month's duties are one index look-up
            g.add((node, VND.deadlineMonth, Literal(deadline[:7], datatype=XSD.gYearMonth)))
        recurring = next((d.recurring for d in duties if d.recurring), None)
        if recurring:
            g.add((node, VND.recurrence, Literal(recurring)))
        if first.text:
            g.add((node, VND.taskDescription, vi(first.text)))
        if doc.fields.get("issuer"):
            g.add((node, ODRL.assigner, self.agency_iri(doc.fields["issuer"], doc.home)))
        g.add((node, PROV.wasDerivedFrom, iri.source(source)))
        span = max((d.span for d in duties if d.span), key=lambda sp: sp.end, default=None)
        ev = self.evidence(g, source, span, first.text)
        if ev is not None:
            self.cite(g, node, ev)

    def _target(self, g: Sink, source: str, doc: ResolvedDoc, t) -> None:
        node = iri.fact("target", source, doc.iri, t.span.start if t.span else None, t.year, t.min, t.max, t.unit)
        g.add((doc.iri, VND.setsTarget, node))
        g.add((node, RDF.type, VND.Target))
        for prop, value in ((SCHEMA.minValue, t.min), (SCHEMA.maxValue, t.max)):
            lit = decimal_literal(value)
            if lit is not None:
                g.add((node, prop, lit))
        if t.unit:
            g.add((node, SCHEMA.unitText, vi(t.unit)))
        if t.year:
            g.add((node, VND.targetYear, Literal(str(t.year), datatype=XSD.gYear)))
        if t.text:
            g.add((node, VND.indicator, vi(t.text)))
        g.add((node, PROV.wasDerivedFrom, iri.source(source)))
        ev = self.evidence(g, source, t.span, t.text)
        if ev is not None:
            self.cite(g, node, ev)

    # -- whole dataset ----------------------------------------------------------
    def jobs(self):
        """The named graphs to make, in order, one at a time: one per source file, the ontology with its
        vocabularies, the inferred links, the successions and the units (written in that order: the successions
        add the units of successors).  A job's `context` is read when the jobs before it are done."""
        for rec in self.records:
            yield Job(iri.source_graph(rec.source), lambda rec=rec: self.source_context(rec),
                      lambda rec=rec: self.source_graph(rec), rec.source)
        yield Job(iri.ONTOLOGY_GRAPH, lambda: b"", ontology_graph)
        yield Job(iri.INFERRED_GRAPH, lambda: None,
                  lambda: [(a, ELI.ensures_implementation_of, b)
                           for a, b in self.resolver.inferred_implementation(self.asserted)])
        yield Job(iri.SUCCESSIONS_GRAPH, self._succession_context, self.succession_graph)
        yield Job(iri.UNITS_GRAPH, lambda: _digest_lines(sorted(self.unit_ids)), self.units_graph)

    def run(self, job: Job) -> tuple[list, Effects]:
        """A job's triples, and what making them added to the builder's agencies, units and citations."""
        self.fx = Effects()
        self._described.clear()  # its keys name one source: no other graph asks for them again
        try:
            triples = list(job.make())
        finally:
            self._described.clear()
        fx, self.fx = self.fx, Effects()
        return triples, fx

    def replay(self, fx: Effects) -> None:
        """What a graph made by an earlier build added to the builder (`run`), added again without making it."""
        self.asserted |= fx.asserted
        self.agency_labels |= fx.labels
        self.unit_ids |= fx.units
        for label, node in fx.nodes:
            self.agency_nodes.setdefault(label, set()).add(node)

    def source_context(self, rec: RecordHead) -> bytes | None:
        """What the graph of a source depends on besides its file and the code: the documents its documents and
        citations were resolved to (IRIs, and the fields of those whose metadata its graph states), the IRI of
        each issuer as an assigner, and the schemes it implements or approves.  None when the record does not
        state the SHA-256 of its file."""
        if not rec.sha256:
            return None
        homes, implements, approves = self._by_source()
        parts: list = [rec.source, rec.sha256]
        for d in rec.documents:
            rd = self.resolver.resolve(d)
            issuer = rd.fields.get("issuer")
            parts.append(("d", str(rd.iri), rd.home, str(self.agency_iri(issuer, rd.home, note=False)) if issuer else None))
            parts.extend(("c", str(self.resolver.resolve(c).iri)) for c in d.citations if not is_scheme_citation(c))
        for rd in homes.get(rec.source, ()):
            parts.append(("h", str(rd.iri), rd.home, sorted(rd.fields.items())))
        for tag, pairs in (("i", implements), ("a", approves)):
            for doc, key in pairs.get(rec.source, ()):
                sch = self.resolver.schemes[key]
                parts.append((tag, str(doc), str(sch.iri), sch.kind, sch.name))
        return repr(parts).encode("utf-8", "surrogatepass")

    def _succession_context(self) -> bytes:
        """What the successions graph depends on besides the code and data: the agencies described so far and
        the IRIs each name was given."""
        nodes = sorted(f"{label}\x1f{node}" for label, minted in self.agency_nodes.items() for node in minted)
        return _digest_lines(sorted(self.agency_labels)) + _digest_lines(nodes)

    def iter_graphs(self):
        """All named graphs (`jobs`) with their triples, one at a time.

        Each triple is stated in one graph only: the first source (in file-name
        order) that says it.  An agency named by five plans is described in the
        graph of the first; SPARQL stores that query the union of the named
        graphs (Oxigraph among them) return a triple once per graph holding it,
        so a triple repeated across graphs would repeat every answer.
        """
        claims = Claims()
        for job in self.jobs():
            triples, _ = self.run(job)
            yield job.name, claims.mine(triples)[0]

    def graphs(self) -> list[tuple[URIRef, list]]:
        """`iter_graphs` as a list."""
        return list(self.iter_graphs())

    def dataset(self) -> Dataset:
        """The named graphs of `graphs` as an rdflib Dataset."""
        ds = bind_all(Dataset())
        for graph_iri, triples in self.graphs():
            target = ds.graph(graph_iri)
            for t in triples:
                target.add(t)
        return ds

    # -- the 2025 reorganisation --------------------------------------------------
    def succession_graph(self) -> Triples:
        """Successions of every agency of the graph to the bodies holding its duties now (kg.succession).

        Each step is a vnd:Succession (org:ChangeEvent) with one original and one
        resulting organisation, its date, act and whether the successor is one of
        several, plus the shortcut ``vnd:succeededBy``; bodies met on the way are
        described as agencies (with their jurisdiction).
        """
        g = Triples(iri.SUCCESSIONS_GRAPH)  # only added to: an rdflib Graph's indexes cost 10% of a national build
        done: set[str] = set()
        todo = sorted(self.agency_labels)
        while todo:
            label = todo.pop(0)
            if label in done:
                continue
            done.add(label)
            for step in self.successions.steps(label):
                if fold(step.successor) == fold(step.predecessor):
                    continue
                label = parse_agency(step.predecessor).label
                minted = self.agency_nodes.get(label, set())
                before = next(iter(minted)) if len(minted) == 1 else self.agency_iri(label)
                after = self.agency(g, step.successor, step.successor_unit)
                self._succession(g, before, after, step.share, step.date, step.act, step.sources)
                todo.append(parse_agency(step.successor).label)
        return g

    def _succession(self, g: Triples, before: URIRef, after: URIRef, share: str, date: str, act: str,
                    sources: str | None, ends: bool = True) -> None:
        event = iri.succession(str(before), str(after))
        g.add((event, RDF.type, VND.Succession))
        g.add((event, ORG.originalOrganization, before))
        g.add((event, ORG.resultingOrganization, after))
        g.add((event, DCTERMS.date, Literal(date, datatype=XSD.date)))
        g.add((event, VND.actNumber, Literal(act)))
        if sources:
            g.add((event, VND.legalBasis, Literal(sources)))
        if share == "part":
            g.add((event, VND.oneOfSeveral, Literal(True)))
        g.add((before, VND.succeededBy, after))
        if ends:  # (a commune that gave part of its land away goes on)
            g.add((before, PROV.invalidatedAtTime, Literal(f"{date}T00:00:00", datatype=XSD.dateTime)))

    def units_graph(self) -> Triples:
        """Every province (both eras) and district of data/units/, the communes agencies of the graph
        name or that now hold the territory of a district they name, and the changes between them."""
        units = self.successions.units
        g = Triples(iri.UNITS_GRAPH)
        keep = {u.id for u in units if u.level in ("province", "district")}
        named = set(self.unit_ids)
        for uid in sorted(named):
            for u in units.current_units(uid):
                keep.add(u.id)
            keep.add(uid)
        for uid in sorted(keep):
            u = units.by_id[uid]
            node = iri.unit(u.id)
            g.add((node, RDF.type, VND.AdminUnit))
            g.add((node, SKOS.notation, Literal(u.code)))
            g.add((node, RDFS.label, vi(u.label)))
            g.add((node, SKOS.prefLabel, vi(u.full_name)))
            g.add((node, M8G.level, LEVEL_CONCEPT[u.level]))
            if u.parent:
                g.add((node, SCHEMA.containedInPlace, iri.unit(u.parent)))
            if u.valid_from:
                g.add((node, PROV.generatedAtTime, Literal(f"{u.valid_from}T00:00:00", datatype=XSD.dateTime)))
            if u.valid_until:
                g.add((node, PROV.invalidatedAtTime, Literal(f"{u.valid_until}T00:00:00", datatype=XSD.dateTime)))
        # changes: the provinces' merger; for units agencies name, every change up to the units of today
        changes = [c for c in units.changes if units.by_id[c.original].level == "province" or c.original in named]
        for c in changes:
            if c.original in keep and c.resulting in keep:
                self._succession(g, iri.unit(c.original), iri.unit(c.resulting), c.share, c.date, c.act, None,
                                 ends=not units.by_id[c.original].current)
        return g


def direct_implementation(parents: dict) -> list[tuple]:
    """(child, parent) for each link of `parents` (a document -> what it implements, stated or inferred) such
    that the child implements nothing that implements that parent: the most specific parents, which the build
    states as vnd:implementsDirectly."""
    return [(child, parent) for child, above in parents.items() for parent in above
            if not any(parent in parents.get(mid, ()) for mid in above)]


def _province_name(units, u) -> str | None:
    p = units.province_of(u.id)
    return p.name if p is not None else None


def _group_duties(duties: list[Duty]) -> list[list[Duty]]:
    """Duties of one task (evidence starting at the same place, or the same text) become one duty node.

    A task's lead and partners may be read from one sentence or from the field lines under it
    ("Đơn vị chủ trì: ...", "Đơn vị phối hợp: ..."), whose evidence runs from the task to each line.
    """
    groups: "OrderedDict[tuple, list[Duty]]" = OrderedDict()
    for d in duties:
        if not d.agency:
            continue
        key = (d.span.start,) if d.span else ("text", d.text)
        groups.setdefault(key, []).append(d)
    return list(groups.values())
