"""What the document page shows: metadata, cascade, citations, duties by agency, targets, source text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from rdflib import URIRef

from kg import queries
from kg.nodes import CHUNK, Ref, child_counts, describe, kind_of, listed_label, run_chunked  # noqa: F401
from kg.store import LocalStore
from kg.web.common import day_number, local_id, page_path, text, vn_date
from kg.web.sections import Section, count_duties, find_sections, path_to, section_at

CHILDREN_PAGE = 50  # documents listed at once under "below in the cascade"
INCOMING_CAP = 25  # citations listed at once (all=1: up to CITATIONS_ALL)
CITATIONS_ALL = 1000

# every query is a file of queries/explorer/ (kg.queries.explorer), parameters bound as RDF terms


def _q(name: str, store, values: dict, **page) -> list[dict]:
    return queries.run(store, queries.explorer(name), values, **page)


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


def direct_children(store: LocalStore, doc: URIRef, limit: int, offset: int = 0) -> list[URIRef]:
    return [r["other"] for r in _q("document-children", store, {"doc": doc}, limit=limit, offset=offset)]


def metadata(store: LocalStore, doc: URIRef) -> dict | None:
    rows = _q("document-meta", store, {"doc": doc})
    if not rows:
        return None
    first: dict = {}
    for r in rows:
        for k, v in r.items():
            first.setdefault(k, v)
    meta: dict = {k: str(v) for k, v in first.items()}
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
    above_rows = _q("document-above", store, {"doc": doc})
    refs = describe(store, [r["other"] for r in above_rows])
    above = []
    for r in above_rows:
        ref = refs.get(r["other"]) or Ref(r["other"], str(r["other"]), page_path(r["other"]))
        ref.note = "phê duyệt" if str(r["rel"]) == "approved_by" else "thực hiện"
        ref.inferred = str(r.get("inferred", "false")) == "true"
        above.append(ref)
    above.sort(key=lambda x: (x.kind != "scheme", x.date[-4:], x.label))
    children = direct_children(store, doc, CHILDREN_PAGE, offset)
    approved = [r["other"] for r in _q("document-approves", store, {"doc": doc})]
    refs = describe(store, children + approved)
    counts = child_counts(store, children + approved)
    below = []
    for n in approved + children:
        ref = refs.get(n) or Ref(n, str(n), page_path(n))
        ref.note = "được phê duyệt" if n in approved else "thực hiện"
        ref.count = counts.get(n, 0)
        below.append(ref)
    total_children = int(_q("document-children-count", store, {"doc": doc})[0]["n"])
    descendants = int(_q("implementer-count", store, {"doc": doc})[0]["n"])
    return {"above": above, "below": below, "children_total": total_children, "descendants": descendants,
            "offset": offset, "page": CHILDREN_PAGE}


def citations(store: LocalStore, doc: URIRef, cap: int = INCOMING_CAP) -> dict:
    """What the document cites ("out") and what cites it ("in"): up to `cap` of each (the store's first ones, not
    sorted there: see queries/explorer/document-cited-by.rq), the newest first."""
    rows = {d: _q(name, store, {"doc": doc}, limit=cap)
            for d, name in (("out", "document-cites"), ("in", "document-cited-by"))}
    refs = describe(store, [r["other"] for d in rows for r in rows[d]])
    out: dict[str, list] = {"out": [], "in": []}
    for d in rows:
        once = {r["c"]: r for r in reversed(rows[d])}  # one row per citation (its first)
        for r in sorted(once.values(), key=lambda r: (-day_number(r.get("date")), str(r["other"]), str(r["c"]))):
            ref = refs.get(r["other"]) or Ref(r["other"], str(r["other"]), page_path(r["other"]))
            out[d].append({"ref": ref, "relation": text(r, "relLabel", "trích dẫn"),
                           "quote": text(r, "quote"), "anchor": local_id(r["c"])})
    counts = {str(r["dir"]): int(r["n"]) for r in _q("document-citation-counts", store, {"doc": doc})}
    return {"out": out["out"], "in": out["in"], "out_total": counts.get("out", 0), "in_total": counts.get("in", 0)}


def _duty_facts(store: LocalStore, doc: URIRef) -> dict[URIRef, dict]:
    """Each duty of the document once: task, deadline, where it starts in which source file, its agencies.

    An agency named both to lead and to partner on one duty leads it (as `kg duties` counts it).
    """
    duties: dict[URIRef, dict] = {}
    for r in _q("document-duties", store, {"doc": doc}):
        d = duties.setdefault(r["duty"], {"anchor": local_id(r["duty"]), "task": text(r, "task"),
                                          "deadline": vn_date(r.get("deadline", "")),
                                          "recurrence": text(r, "recurrence"), "lead": [], "partner": [],
                                          "file": "", "start": None, "iri": str(r["duty"])})
        entry = (r["agency"], text(r, "agencyLabel", str(r["agency"])), page_path(r["agency"]))
        if entry not in d[str(r["role"])]:
            d[str(r["role"])].append(entry)
    nodes = list(duties)
    for r in run_chunked(store, "duty-starts", "duty", nodes):
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
            path = path_to(src.sections, sec) if sec else []  # type: ignore[union-attr]  # sec: src is there
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
    for r in _q("document-targets", store, {"doc": doc}):
        out.append({"anchor": local_id(r["t"]), "min": text(r, "min"), "max": text(r, "max"),
                    "unit": text(r, "unit"), "year": text(r, "year"), "indicator": text(r, "indicator")})
    return out


def source_texts(store: LocalStore, doc: URIRef, sources_dir: Path, max_chars: int = 400_000) -> list[SourceText]:
    """The source files holding this document's facts, each cut at its highlighted spans."""
    spans: dict[str, list[Span]] = {}
    for r in _q("document-evidence", store, {"doc": doc}):
        spans.setdefault(str(r["file"]), []).append(
            Span(int(r["start"]), int(r["end"]), str(r["kind"]), local_id(r["fact"])))
    for r in _q("document-files", store, {"doc": doc}):
        spans.setdefault(str(r["file"]), [])
    out: list = []
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
