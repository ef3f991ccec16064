"""What the document page shows: metadata, cascade, citations, duties by agency, targets, source text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from rdflib import URIRef

from kg.iri import INFERRED_GRAPH
from kg.store import LocalStore
from kg.web.common import local_id, page_path, select, text, values_block, vn_date
from kg.web.labels import document_label, place_name
from kg.web.sections import Section, count_duties, find_sections, path_to, section_at

CHILDREN_PAGE = 50  # documents listed at once under "below in the cascade"
INCOMING_CAP = 25  # citations listed at once (all=1: up to CITATIONS_ALL)
CITATIONS_ALL = 1000

META = """SELECT DISTINCT ?label ?number ?typeLabel ?type ?date ?title ?issuer ?issuerLabel ?signer ?cls WHERE {
  ?doc a ?cls . FILTER(?cls IN (vnd:AdministrativeDocument, vnd:NormativeDocument, vnd:PartyDocument,
                               vnd:Scheme, vnd:Programme))
  OPTIONAL { ?doc rdfs:label ?label }
  OPTIONAL { ?doc eli:id_local ?number }
  OPTIONAL { ?doc eli:type_document ?type . OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER(lang(?typeLabel) = "vi") } }
  OPTIONAL { ?doc eli:date_document ?date }
  OPTIONAL { ?doc eli:title ?title }
  OPTIONAL { ?doc eli:passed_by ?issuer . OPTIONAL { ?issuer skos:prefLabel ?issuerLabel } }
  OPTIONAL { ?doc vnd:signedBy ?p . ?p foaf:name ?signer }
} LIMIT 50"""

ABOVE = """SELECT DISTINCT ?other ?rel ?inferred WHERE {
  { ?doc eli:ensures_implementation_of ?other . BIND("implements" AS ?rel) }
  UNION { ?other vnd:approves ?doc . BIND("approved_by" AS ?rel) }
  BIND(EXISTS { GRAPH INFERRED { ?doc eli:ensures_implementation_of ?other } } AS ?inferred)
} LIMIT 500""".replace("INFERRED", f"<{INFERRED_GRAPH}>")

# direct children: implementers of ?doc that do not implement another implementer of ?doc
# (OPTIONAL + !BOUND rather than FILTER NOT EXISTS: Oxigraph runs the latter ~300x slower here)
_DIRECT = """?other eli:ensures_implementation_of ?doc .
  OPTIONAL { ?other eli:ensures_implementation_of ?mid . ?mid eli:ensures_implementation_of ?doc }
  FILTER(!BOUND(?mid))"""
BELOW = """SELECT DISTINCT ?other WHERE { %s } ORDER BY ?other LIMIT %%d OFFSET %%d""" % _DIRECT
BELOW_COUNT = """SELECT (COUNT(DISTINCT ?other) AS ?n) WHERE { %s }""" % _DIRECT

DESCENDANTS = """SELECT (COUNT(DISTINCT ?other) AS ?n) WHERE { ?other eli:ensures_implementation_of ?doc }"""

APPROVES = """SELECT DISTINCT ?other WHERE { ?doc vnd:approves ?other }"""

LABELS = """SELECT ?s (SAMPLE(?l) AS ?label) (MIN(?d) AS ?date) (MIN(STR(?t)) AS ?typeLabel) (SAMPLE(?ty) AS ?type)
  (SAMPLE(?c) AS ?cls) (MIN(STR(?num)) AS ?number) (MIN(STR(?il)) AS ?issuerLabel) (MIN(STR(?ul)) AS ?unitLabel)
  (MAX(?prov) AS ?provinceLevel) WHERE {
  %s
  OPTIONAL { ?s rdfs:label ?l } OPTIONAL { ?s skos:prefLabel ?l }
  OPTIONAL { ?s eli:date_document ?d }
  OPTIONAL { ?s eli:type_document ?ty . OPTIONAL { ?ty skos:prefLabel ?t FILTER(lang(?t) = "vi") } }
  OPTIONAL { ?s a ?c FILTER(?c IN (vnd:Scheme, vnd:Programme, vnd:Agency)) }
  OPTIONAL { ?s eli:id_local ?num }
  OPTIONAL { ?s eli:passed_by ?iss . ?iss skos:prefLabel ?il
             OPTIONAL { ?iss vnd:jurisdiction ?u . ?u rdfs:label ?ul
                        BIND(EXISTS { ?u m8g:level vnd:ProvinceLevel } AS ?prov) } }
} GROUP BY ?s"""

CHILD_COUNTS = """SELECT ?s (COUNT(DISTINCT ?g) AS ?n) WHERE { %s ?g eli:ensures_implementation_of ?s } GROUP BY ?s"""

CITATIONS = """SELECT DISTINCT ?c ?other ?relLabel ?quote ?dir WHERE {
  { ?c cito:hasCitingEntity ?doc ; cito:hasCitedEntity ?other . BIND("out" AS ?dir) }
  UNION { ?c cito:hasCitedEntity ?doc ; cito:hasCitingEntity ?other . BIND("in" AS ?dir) }
  OPTIONAL { ?c vnd:relation ?rel . ?rel rdfs:label ?relLabel FILTER(lang(?relLabel) = "vi") }
  OPTIONAL { ?c vnd:evidence/oa:hasSelector/oa:exact ?quote }
} ORDER BY ?dir ?other LIMIT %d"""

CITATION_COUNT = """SELECT ?dir (COUNT(DISTINCT ?c) AS ?n) WHERE {
  { ?c cito:hasCitingEntity ?doc . BIND("out" AS ?dir) } UNION { ?c cito:hasCitedEntity ?doc . BIND("in" AS ?dir) }
} GROUP BY ?dir"""

DUTIES = """SELECT DISTINCT ?duty ?role ?agency ?agencyLabel ?task ?deadline ?recurrence WHERE {
  ?doc vnd:assignsDuty ?duty .
  { ?duty vnd:leadAgency ?agency . BIND("lead" AS ?role) } UNION { ?duty vnd:partnerAgency ?agency . BIND("partner" AS ?role) }
  OPTIONAL { ?agency skos:prefLabel ?agencyLabel }
  OPTIONAL { ?duty vnd:taskDescription ?task }
  OPTIONAL { ?duty vnd:deadline ?deadline }
  OPTIONAL { ?duty vnd:recurrence ?recurrence }
} LIMIT 20000"""
# where each duty's sentence starts (a query of its own: as an OPTIONAL, Oxigraph reads every evidence of the store)
DUTY_STARTS = """SELECT ?duty (MIN(?s) AS ?start) (MIN(STR(?f)) AS ?file) WHERE { %s
  ?duty vnd:evidence ?ev . ?ev oa:hasSource/dct:identifier ?f ; oa:hasSelector/oa:start ?s } GROUP BY ?duty"""

TARGETS = """SELECT DISTINCT ?t ?min ?max ?unit ?year ?indicator WHERE {
  ?doc vnd:setsTarget ?t .
  OPTIONAL { ?t schema:minValue ?min } OPTIONAL { ?t schema:maxValue ?max } OPTIONAL { ?t schema:unitText ?unit }
  OPTIONAL { ?t vnd:targetYear ?year } OPTIONAL { ?t vnd:indicator ?indicator }
} ORDER BY ?year ?t LIMIT 1000"""

EVIDENCE = """SELECT DISTINCT ?fact ?kind ?start ?end ?file WHERE {
  { ?doc vnd:assignsDuty ?fact . BIND("duty" AS ?kind) } UNION { ?doc vnd:setsTarget ?fact . BIND("target" AS ?kind) }
  UNION { ?fact cito:hasCitingEntity ?doc . BIND("citation" AS ?kind) }
  ?fact vnd:evidence ?ev . ?ev oa:hasSource ?src ; oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end . ?src dct:identifier ?file
} LIMIT 5000"""

HOME_FILES = """SELECT DISTINCT ?file WHERE { ?doc vnd:describedIn ?src . ?src dct:identifier ?file } LIMIT 20"""


@dataclass
class Ref:
    """A link to another node: its IRI, label, page path and kind (for colour)."""

    iri: URIRef
    label: str
    path: str | None
    kind: str = "doc"
    date: str = ""
    note: str = ""
    count: int = 0
    inferred: bool = False
    type_label: str = ""
    name: str = ""  # the stored label (rdfs:label / skos:prefLabel); `label` is the one lists show


@dataclass
class Span:
    start: int
    end: int
    kind: str
    anchor: str
    extra: list[str] = field(default_factory=list)  # anchors of spans this one swallowed


@dataclass
class SourceText:
    """A source file cut into plain pieces and highlighted pieces."""

    name: str
    pieces: list[tuple[str, Span | None]] = field(default_factory=list)
    highlights: int = 0
    sections: list[Section] = field(default_factory=list)  # its headings (kg.web.sections)


def kind_of(row: dict) -> str:
    """Node kind for colours and legends: the document type slug, "scheme" or "agency"."""
    cls = str(row.get("cls", ""))
    if cls.endswith("#Agency"):
        return "agency"
    if cls.endswith("#Scheme") or cls.endswith("#Programme"):
        return "scheme"
    t = str(row.get("type", ""))
    return t.rsplit("/", 1)[-1] if "/document-type/" in t else "van-ban"


def listed_label(row: dict) -> str:
    """The label a list shows for a row of LABELS: documents by :func:`kg.web.labels.document_label`."""
    kind = kind_of(row)
    name = text(row, "label", str(row["s"]).rsplit("/", 1)[-1])
    if kind in ("agency", "scheme"):
        return name
    place = place_name(text(row, "unitLabel"), text(row, "provinceLevel") == "true")
    return document_label(name, text(row, "number"), text(row, "typeLabel"), place, text(row, "issuerLabel"),
                          text(row, "date"))


def describe(store: LocalStore, nodes: list[URIRef]) -> dict[URIRef, Ref]:
    """Labels, dates and kinds of many nodes in one query (documents with their identifying label)."""
    out: dict[URIRef, Ref] = {}
    for i in range(0, len(nodes), 400):
        chunk = list(dict.fromkeys(nodes[i:i + 400]))
        for r in select(store, LABELS % values_block("s", chunk)):
            out[r["s"]] = Ref(r["s"], listed_label(r), page_path(r["s"]), kind_of(r), vn_date(r.get("date", "")),
                              type_label=text(r, "typeLabel"), name=text(r, "label"))
    return out


def child_counts(store: LocalStore, nodes: list[URIRef]) -> dict[URIRef, int]:
    """How many documents implement each node (the closure is stated, so one hop counts all)."""
    if not nodes:
        return {}
    rows = select(store, CHILD_COUNTS % values_block("s", nodes))
    return {r["s"]: int(r["n"]) for r in rows}


def direct_children(store: LocalStore, doc: URIRef, limit: int, offset: int = 0) -> list[URIRef]:
    return [r["other"] for r in select(store, BELOW % (limit, offset), {"doc": doc})]


def metadata(store: LocalStore, doc: URIRef) -> dict | None:
    rows = select(store, META, {"doc": doc})
    if not rows:
        return None
    first = {}
    for r in rows:
        for k, v in r.items():
            first.setdefault(k, v)
    meta = {k: str(v) for k, v in first.items()}
    meta["kind"] = kind_of(first)
    meta["date_vn"] = vn_date(meta.get("date", ""))
    meta["issuer_path"] = page_path(first["issuer"]) if "issuer" in first else None
    meta["signers"] = sorted({str(r["signer"]) for r in rows if "signer" in r})
    meta["is_scheme"] = meta["kind"] == "scheme"
    ref = describe(store, [doc]).get(doc)
    meta["listed"] = ref.label if ref else meta.get("label", str(doc))  # the label lists show
    return meta


def cascade(store: LocalStore, doc: URIRef, offset: int = 0) -> dict:
    """Above: what it implements or who approved it; below: its direct implementers and approved schemes."""
    above_rows = select(store, ABOVE, {"doc": doc})
    refs = describe(store, [r["other"] for r in above_rows])
    above = []
    for r in above_rows:
        ref = refs.get(r["other"]) or Ref(r["other"], str(r["other"]), page_path(r["other"]))
        ref.note = "phê duyệt" if str(r["rel"]) == "approved_by" else "thực hiện"
        ref.inferred = str(r.get("inferred", "false")) == "true"
        above.append(ref)
    above.sort(key=lambda x: (x.kind != "scheme", x.date[-4:], x.label))
    children = direct_children(store, doc, CHILDREN_PAGE, offset)
    approved = [r["other"] for r in select(store, APPROVES, {"doc": doc})]
    refs = describe(store, children + approved)
    counts = child_counts(store, children + approved)
    below = []
    for n in approved + children:
        ref = refs.get(n) or Ref(n, str(n), page_path(n))
        ref.note = "được phê duyệt" if n in approved else "thực hiện"
        ref.count = counts.get(n, 0)
        below.append(ref)
    total_children = int(select(store, BELOW_COUNT, {"doc": doc})[0]["n"])
    descendants = int(select(store, DESCENDANTS, {"doc": doc})[0]["n"])
    return {"above": above, "below": below, "children_total": total_children, "descendants": descendants,
            "offset": offset, "page": CHILDREN_PAGE}


def citations(store: LocalStore, doc: URIRef, cap: int = INCOMING_CAP) -> dict:
    rows = select(store, CITATIONS % cap, {"doc": doc})
    refs = describe(store, [r["other"] for r in rows])
    out: dict[str, list] = {"out": [], "in": []}
    for r in rows:
        ref = refs.get(r["other"]) or Ref(r["other"], str(r["other"]), page_path(r["other"]))
        out[str(r["dir"])].append({"ref": ref, "relation": text(r, "relLabel", "trích dẫn"),
                                   "quote": text(r, "quote"), "anchor": local_id(r["c"])})
    counts = {str(r["dir"]): int(r["n"]) for r in select(store, CITATION_COUNT, {"doc": doc})}
    return {"out": out["out"], "in": out["in"], "out_total": counts.get("out", 0), "in_total": counts.get("in", 0)}


def _duty_facts(store: LocalStore, doc: URIRef) -> dict[URIRef, dict]:
    """Each duty of the document once: task, deadline, where it starts in which source file, its agencies.

    An agency named both to lead and to partner on one duty leads it (as `kg duties` counts it).
    """
    duties: dict[URIRef, dict] = {}
    for r in select(store, DUTIES, {"doc": doc}):
        d = duties.setdefault(r["duty"], {"anchor": local_id(r["duty"]), "task": text(r, "task"),
                                          "deadline": vn_date(r.get("deadline", "")),
                                          "recurrence": text(r, "recurrence"), "lead": [], "partner": [],
                                          "file": "", "start": None, "iri": str(r["duty"])})
        entry = (r["agency"], text(r, "agencyLabel", str(r["agency"])), page_path(r["agency"]))
        if entry not in d[str(r["role"])]:
            d[str(r["role"])].append(entry)
    nodes = list(duties)
    for i in range(0, len(nodes), 400):
        for r in select(store, DUTY_STARTS % values_block("duty", nodes[i:i + 400])):
            if "start" in r:
                duties[r["duty"]]["start"], duties[r["duty"]]["file"] = int(r["start"]), text(r, "file")
    for d in duties.values():
        leads = {a for a, _, _ in d["lead"]}
        d["partner"] = [e for e in d["partner"] if e[0] not in leads]
        d["lead"].sort(key=lambda e: e[1])
        d["partner"].sort(key=lambda e: e[1])
    return duties


def duties_in_order(store: LocalStore, doc: URIRef, sources: list[SourceText] | None = None) -> dict:
    """The document's duties in the order its text gives them, grouped by the section that holds each.

    Order: source file (as the page shows them), character offset of the duty's sentence, then the
    duty's IRI (two duties read from one sentence).  Sections come from the headings of that file
    (:mod:`kg.web.sections`); a duty before the first heading, or in a text without headings, has none.
    Also returns one line per agency (duties it leads / partners on, each duty counted once).
    """
    duties = _duty_facts(store, doc)
    sources = sources or []
    file_rank = {s.name: i for i, s in enumerate(sources)}
    by_file = {s.name: s for s in sources}
    ordered = sorted(duties.values(), key=lambda d: (file_rank.get(d["file"], len(sources)), d["file"],
                                                     d["start"] if d["start"] is not None else 10**12, d["iri"]))
    groups: list[dict] = []
    placed: set[str] = set()  # sections whose place in the list has an anchor ("nv-muc-3")
    for d in ordered:
        src = by_file.get(d["file"])
        sec = section_at(src.sections, d["start"]) if src and d["start"] is not None else None
        key = (d["file"], sec.anchor if sec else "")
        if not groups or groups[-1]["key"] != key:
            path = path_to(src.sections, sec) if sec else []
            anchors = ["nv-" + x.anchor for x in path if x.anchor not in placed]
            placed.update(x.anchor for x in path)
            groups.append({"key": key, "path": [x.title for x in path], "anchors": anchors,
                           "heading": sec.anchor if sec else "", "sectioned": bool(src and src.sections),
                           "duties": []})
        groups[-1]["duties"].append(d)
    for s in sources:
        count_duties(s.sections, [d["start"] for d in ordered if d["file"] == s.name and d["start"] is not None])
    agencies: dict[URIRef, dict] = {}
    for d in ordered:
        for role in ("lead", "partner"):
            for agency, label, path in d[role]:
                a = agencies.setdefault(agency, {"agency": label, "path": path, "lead": 0, "partner": 0,
                                                 "filter": (path + "?" + urlencode({"doc": (page_path(doc) or "/")[1:]})
                                                            + "#nhiem-vu") if path else None})
                a[role] += 1
    return {"groups": groups, "total": len(ordered),
            "agencies": sorted(agencies.values(), key=lambda a: (-a["lead"], -a["partner"], a["agency"]))}


def targets(store: LocalStore, doc: URIRef) -> list[dict]:
    out = []
    for r in select(store, TARGETS, {"doc": doc}):
        out.append({"anchor": local_id(r["t"]), "min": text(r, "min"), "max": text(r, "max"),
                    "unit": text(r, "unit"), "year": text(r, "year"), "indicator": text(r, "indicator")})
    return out


def source_texts(store: LocalStore, doc: URIRef, sources_dir: Path, max_chars: int = 400_000) -> list[SourceText]:
    """The source files holding this document's facts, each cut at its highlighted spans."""
    spans: dict[str, list[Span]] = {}
    for r in select(store, EVIDENCE, {"doc": doc}):
        spans.setdefault(str(r["file"]), []).append(
            Span(int(r["start"]), int(r["end"]), str(r["kind"]), local_id(r["fact"])))
    for r in select(store, HOME_FILES, {"doc": doc}):
        spans.setdefault(str(r["file"]), [])
    out = []
    for i, name in enumerate(sorted(spans, key=lambda n: (-len(spans[n]), n))):
        body = read_source(sources_dir, name)
        if body is None:
            continue
        sections = find_sections(body, "muc" if not out else f"muc{len(out) + 1}")
        st = cut(name, body[:max_chars], spans[name], [(x.start, x.anchor) for x in sections])
        st.sections = sections
        out.append(st)
    return out


def read_source(sources_dir: Path, name: str) -> str | None:
    """The text of one source file, only if `name` is a plain file name inside the sources folder."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    root = sources_dir.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace")


def cut(name: str, body: str, spans: list[Span], anchors: list[tuple[int, str]] | None = None) -> SourceText:
    """Split `body` into pieces; overlapping spans are clipped so each character is shown once.

    A span swallowed by an earlier one (two targets read from one sentence) keeps its anchor, as an
    extra anchor of the highlight that holds it.  `anchors` (offset, id) are empty points to link to
    (section headings): a piece of kind "anchor", or an extra anchor of the highlight they fall in.
    """
    st = SourceText(name)
    pos = 0
    seen: set[str] = set()
    last: Span | None = None
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(s.start, pos), min(s.end, len(body))
        if end <= start:
            if last is not None and s.anchor not in seen and s.start < last.end:
                last.extra.append(s.anchor)
                seen.add(s.anchor)
            continue
        if start > pos:
            st.pieces.append((body[pos:start], None))
        last = Span(start, end, s.kind, s.anchor if s.anchor not in seen else "")
        seen.add(s.anchor)
        st.pieces.append((body[start:end], last))
        st.highlights += 1
        pos = end
    if pos < len(body):
        st.pieces.append((body[pos:], None))
    if anchors:
        st.pieces = _with_anchors(st.pieces, sorted(anchors))
    return st


def _with_anchors(pieces: list[tuple[str, Span | None]], anchors: list[tuple[int, str]]) -> list:
    out: list[tuple[str, Span | None]] = []
    pos, i = 0, 0
    for piece, span in pieces:
        end = pos + len(piece)
        if span is not None:
            while i < len(anchors) and anchors[i][0] < end:
                span.extra.append(anchors[i][1])
                i += 1
        else:
            at = pos
            while i < len(anchors) and anchors[i][0] < end:
                off = max(anchors[i][0], at)
                if off > at:
                    out.append((piece[at - pos:off - pos], None))
                out.append(("", Span(off, off, "anchor", anchors[i][1])))
                at = off
                i += 1
            piece = piece[at - pos:]
            if not piece:
                pos = end
                continue
        out.append((piece, span))
        pos = end
    out.extend(("", Span(pos, pos, "anchor", a)) for _, a in anchors[i:])
    return out
