"""Network views of the graph for pyvis / vis-network: a document's cascade, an agency's neighbourhood.

A view never holds more than ``max_nodes`` nodes: children past the budget
are folded into one "+N" node per parent (clicking it opens the network
centred on that parent, i.e. expands it).  Layouts are computed here, in
Python, and physics is off: a cascade is drawn in layers (the top of the
cascade first), a neighbourhood in rings around the agency, so even a view at
the cap opens at once and never wobbles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from pyvis.network import Network
from rdflib import URIRef

from kg import queries
from kg.labels import SEP, label_lines, place_name
from kg.nodes import child_counts, describe, network_path, page_path, run_chunked
from kg.store import LocalStore

MAX_NODES = 300
MAX_DEPTH = 4
LAYER_MAX = 24  # more nodes on one level than this: rings instead of rows

# colours by kind: document types by their slug, then schemes, agencies, folded groups
KIND_COLOURS = {
    "quyet-dinh": "#d64545", "ke-hoach": "#2f6fd6", "cong-van": "#8a8f98", "nghi-quyet": "#8e5cc4",
    "thong-tu": "#a0674b", "nghi-dinh": "#c2185b", "luat": "#6d2e8f", "chi-thi": "#b8860b",
    "thong-bao": "#4aa3c7", "to-trinh": "#17a2a2", "chuong-trinh": "#e58a00", "scheme": "#f29d12",
    "agency": "#2e9d57", "more": "#d9dde3", "cluster": "#dfe8f5",
}
DEFAULT_COLOUR = "#6b7785"
# how each kind of edge is drawn and what the legend calls it (dashes: vis-network's [dash, gap] in pixels)
EDGE_STYLES = {
    "implements": {"name": "thực hiện (nêu trong văn bản)", "color": "#7d8793", "dashes": False, "width": 1.5},
    "inferred": {"name": "thực hiện (suy ra, văn bản không nêu)", "color": "#9aa5b1", "dashes": [8, 6], "width": 1.5},
    "approves": {"name": "phê duyệt đề án", "color": "#d98a00", "dashes": False, "width": 1.5},
    "issued": {"name": "ban hành", "color": "#2f6fd6", "dashes": False, "width": 1.5},
    "lead": {"name": "giao chủ trì", "color": "#1f7a46", "dashes": False, "width": 2},
    "partner": {"name": "giao phối hợp", "color": "#c98a1b", "dashes": [2, 4], "width": 2},
    "peer": {"name": "cùng thực hiện nhiệm vụ", "color": "#b7c0ca", "dashes": [2, 4], "width": 1},
    "more": {"name": "nhóm thu gọn", "color": "#c9d0d8", "dashes": [1, 5], "width": 1},
    "cluster": {"name": "nhóm văn bản thực hiện", "color": "#8fa6c4", "dashes": [4, 4], "width": 1.5},
}
KIND_NAMES = {"scheme": "Đề án / Chương trình", "agency": "Cơ quan", "more": "Nhóm thu gọn (nhấn để mở rộng)",
              "cluster": "Nhóm văn bản theo tỉnh, theo cấp (nhấn để mở)"}

# a cascade too large for one view is grouped: one node per province, and in an opened province one per level
CLUSTER_MIN = 500  # documents below the centre from which a view too large to draw whole is grouped (else "+N")
CLUSTER_SMALL = 12  # a level of an opened province with at most this many documents is drawn document by document
LEVELS = {"CentralLevel": ("tw", "trung ương"), "ProvinceLevel": ("tinh", "cấp tỉnh"),
          "DistrictLevel": ("huyen", "cấp huyện"), "CommuneLevel": ("xa", "cấp xã"), "": ("khac", "cấp khác")}
OTHER_PLACE = "khac"  # the group of documents whose issuer has no province (central bodies, unknown units)
OPEN_KEY = re.compile(r"^[a-z0-9-]{1,80}(~[a-z]{1,8})?$")

# every query is a file of queries/explorer/ (kg.queries.explorer), parameters bound as RDF terms


def _q(store, name: str, values: dict, **page) -> list[dict]:
    return queries.run(store, queries.explorer(name), values, **page)


@dataclass
class VNode:
    id: str
    label: str
    kind: str
    url: str | None
    title: str = ""
    level: int = 0
    hidden: int = 0  # documents below it not drawn
    parent: str = ""  # the node it hangs under in the drawing (cascade views)
    x: float = 0.0
    y: float = 0.0
    centre: bool = False
    name: str = ""  # the full label (kg.labels.document_label for a document)
    kind_name: str = ""  # what the legend calls its kind


@dataclass
class View:
    """Nodes and edges of one network view, with what was left out."""

    title: str
    nodes: dict[str, VNode] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # from, to, label, kind (EDGE_STYLES)
    total: int = 0  # nodes the full view would have
    expand: list[VNode] = field(default_factory=list)  # nodes that can be expanded
    radial: bool = False  # drawn as rings: labels are made larger to stay readable when zoomed out
    clustered: bool = False  # the documents below are grouped by province and level (cluster nodes)
    below: int = 0  # documents below the centre, at any depth
    opened: list[tuple[str, str]] = field(default_factory=list)  # (name, URL closing it) of each opened group

    @property
    def capped(self) -> bool:
        return self.total > len(self.nodes)

    def kinds(self) -> list[tuple[str, str, str]]:
        """(kind, name, colour) of every kind drawn, for the legend."""
        seen: dict[str, str] = {}
        for n in self.nodes.values():
            seen.setdefault(n.kind, KIND_NAMES.get(n.kind) or n.kind_name or n.kind)
        return [(k, seen[k], KIND_COLOURS.get(k, DEFAULT_COLOUR)) for k in sorted(seen, key=lambda k: (k == "more", k))]


def edge_kinds(view: View) -> list[tuple[str, str, dict]]:
    """(kind, name, style) of every kind of edge drawn, for the legend."""
    drawn, seen = set(), set()
    for frm, to, _, k in view.edges:  # as to_pyvis draws them: the first edge of a pair
        if frm in view.nodes and to in view.nodes and (frm, to) not in seen:
            seen.add((frm, to))
            drawn.add(k)
    return [(k, str(st["name"]), st) for k, st in EDGE_STYLES.items() if k in drawn]


def _edge_kind(row) -> str:
    if str(row.get("rel", "")) == "appr":
        return "approves"
    return "implements" if str(row.get("stated", "true")) in ("true", "1") else "inferred"


def _short(label: str, n: int = 32) -> str:
    return label if len(label) <= n else label[: n - 1].rstrip() + "…"


def _add(view: View, refs: dict, node: URIRef, level: int, centre: bool = False) -> VNode:
    """A node for a document, scheme or agency: its listed label on two short lines, in full on hover."""
    ref = refs.get(node)
    label = ref.label if ref else str(node).rsplit("/", 1)[-1]
    kind = ref.kind if ref else "van-ban"
    tname = KIND_NAMES.get(kind) or (ref.type_label if ref and ref.type_label else "Văn bản")
    title = label if kind in ("agency", "scheme") else f"{label}{SEP}{tname}" if tname not in label else label
    v = VNode(str(node), "\n".join(label_lines(label)), kind, page_path(node), title, name=label, kind_name=tname,
              level=level, centre=centre)
    view.nodes[v.id] = v
    return v


def cascade_view(store: LocalStore, doc: URIRef, max_nodes: int = MAX_NODES, open_groups=()) -> View:
    """The document, everything it implements above it, and the plans below it, level by level within the budget.

    When the plans below would not fit in `max_nodes` and are CLUSTER_MIN or more, they are grouped (:func:`_clusters`): one node per province
    with its count, and in each province named in `open_groups` ("tinh-lang-son-fe4b08") one node per level
    ("tinh-lang-son-fe4b08~xa"), small levels and opened ones document by document.
    """
    up = [r["a"] for r in _q(store, "cascade-ancestors", {"doc": doc})]
    refs = describe(store, [doc] + up)
    view = View(title=refs[doc].label if doc in refs else str(doc))
    # levels above: how many of the other ancestors each ancestor sits under ("approves" puts a scheme under its decision)
    above = set(up)
    links = _q(store, "ancestor-links", {"x": tuple(up + [doc]), "y": tuple(up)}) if up else []
    under: dict[str, set[str]] = {}
    link_kind: dict[tuple[str, str], str] = {}
    for r in links:
        under.setdefault(str(r["x"]), set()).add(str(r["y"]))
        link_kind[(str(r["x"]), str(r["y"]))] = _edge_kind(r)
    for a in up:
        _add(view, refs, a, len(under.get(str(a), set()) & {str(u) for u in above}) - len(above))
    centre = _add(view, refs, doc, 0, centre=True)
    for x, ys in under.items():
        for y in _reduce(ys, under):
            view.edges.append((x, y, "", link_kind.get((x, y), "implements")))
    view.below = _descendants(store, doc)
    if len(view.nodes) + view.below > max_nodes and view.below >= CLUSTER_MIN:
        _clusters(store, view, doc, max_nodes, {k for k in open_groups if OPEN_KEY.match(k)})
        view.total = len(up) + 1 + view.below
        _cluster_layout(view)
        return view
    # levels below, breadth first
    frontier = [doc]
    depth = 0
    while frontier and depth < MAX_DEPTH:
        depth += 1
        rows = (run_chunked(store, "approved-schemes", "p", frontier)
                + run_chunked(store, "cascade-children", "p", frontier))
        kids: dict[URIRef, list[URIRef]] = {}
        kind_of_link: dict[tuple[str, str], str] = {}
        for r in rows:
            kind_of_link[(str(r["c"]), str(r["p"]))] = _edge_kind(r)
            if str(r["c"]) in view.nodes:
                view.edges.append((str(r["c"]), str(r["p"]), "", _edge_kind(r)))  # already drawn: just link it
            else:
                kids.setdefault(r["p"], []).append(r["c"])
        new = sum(len(v) for v in kids.values())
        if not new:
            break
        room = max_nodes - len(view.nodes)
        quota = None if new <= room else max(0, room // max(1, len(kids)) - 1)
        picked = {p: (cs if quota is None else cs[:quota]) for p, cs in kids.items()}
        refs = describe(store, list(dict.fromkeys(c for cs in picked.values() for c in cs)))
        next_frontier = []
        for p in frontier:
            for c in picked.get(p, []):
                if str(c) not in view.nodes:
                    _add(view, refs, c, depth).parent = str(p)
                    next_frontier.append(c)
                view.edges.append((str(c), str(p), "", kind_of_link.get((str(c), str(p)), "implements")))
            left = len(kids.get(p, [])) - len(picked.get(p, []))
            if left > 0:
                more = VNode(f"more:{p}", f"+{left} văn bản", "more", network_path(p),
                             f"{left} văn bản khác ở cấp này: nhấn để mở rộng", depth, hidden=left, parent=str(p))
                view.nodes[more.id] = more
                view.edges.append((more.id, str(p), "", "more"))
        if quota is not None:
            break
        frontier = next_frontier
    _mark_hidden(store, view)
    view.total = max(len(view.nodes), len(up) + 1 + view.below)
    per_level: dict[int, int] = {}
    for n in view.nodes.values():
        per_level[n.level] = per_level.get(n.level, 0) + 1
    if max(per_level.values()) <= LAYER_MAX:
        _layer_layout(view)
    else:
        _radial_layout(view, str(doc))
    centre.hidden = 0
    return view


def _open_url(doc: URIRef, keys) -> str:
    """The network of `doc` with the groups `keys` opened."""
    keys = sorted(set(keys))
    return (network_path(doc) or "") + ("?" + urlencode([("mo", k) for k in keys]) if keys else "")


def _clusters(store: LocalStore, view: View, doc: URIRef, max_nodes: int, opened: set[str]) -> None:
    """The documents below `doc` as groups: a node per province (closed) or per level of an opened province, the
    documents themselves for small or opened levels; each group links to the view with it opened."""
    view.clustered = True
    groups: dict[str, dict[str, list[URIRef]]] = {}
    province_iri: dict[str, URIRef] = {}
    for r in queries.run(store, queries.explorer("cascade-groups"), {"doc": doc}):
        prov = str(r.get("province", ""))
        key = prov.rsplit("/", 1)[-1] if prov else OTHER_PLACE
        if prov:
            province_iri[key] = URIRef(prov)
        level = str(r.get("level", "")).rsplit("#", 1)[-1]
        groups.setdefault(key, {}).setdefault(level if level in LEVELS else "", []).append(r["c"])
    places = describe(store, list(province_iri.values()))
    names = {k: place_name(places[i].name, True) if i in places and places[i].name else k
             for k, i in province_iri.items()}
    names[OTHER_PLACE] = "Trung ương và nơi khác"
    opened = {k for k in opened if k.split("~")[0] in groups}  # keys of this view only
    if len(groups) == 1:
        opened = opened | set(groups)  # one province: open at once
    schemes = [r["c"] for r in run_chunked(store, "approved-schemes", "p", [doc])]
    refs = describe(store, schemes)
    for sch in schemes:
        if str(sch) not in view.nodes:
            _add(view, refs, sch, 1)
            view.edges.append((str(sch), str(doc), "", "approves"))
    # the groups hang under the scheme the document approves (its plans carry the scheme out), else under it
    top = str(schemes[0]) if len(schemes) == 1 else str(doc)
    order = sorted(groups, key=lambda k: (k == OTHER_PLACE, names.get(k, k)))
    shown: dict[str, str] = {}  # document -> the node drawing it (itself or its group)
    seq: list[tuple[str, int, VNode | URIRef]] = []  # what an opened province shows, level by level
    samples: dict[str, URIRef] = {}  # a level's group node -> one of its documents (where the group hangs)
    closed = [k for k in order if k not in opened]
    room = max_nodes - len(view.nodes) - len(closed)
    for key in order:
        levels = groups[key]
        count = sum(len(m) for m in levels.values())
        name = names.get(key, key)
        if key in closed:
            nid = f"cluster:{key}"
            parts = " · ".join(f"{len(levels[lv])} {LEVELS[lv][1]}" for lv in LEVELS if lv in levels)
            view.nodes[nid] = VNode(nid, f"{name}\n{count} văn bản", "cluster", _open_url(doc, opened | {key}),
                                    f"{name}: {parts} ({count} văn bản) — nhấn để mở", 1, hidden=count,
                                    name=name, kind_name=KIND_NAMES["cluster"])
            view.edges.append((nid, top, "", "cluster"))
            for members in levels.values():
                shown.update((str(c), nid) for c in members)
            continue
        view.opened.append((name, _open_url(doc, {k for k in opened if k != key and not k.startswith(key + "~")})))
        for depth, lv in enumerate((lv for lv in LEVELS if lv in levels), start=1):
            members = sorted(levels[lv], key=str)
            lkey = f"{key}~{LEVELS[lv][0]}"
            if (len(members) <= CLUSTER_SMALL or lkey in opened) and len(members) <= room - 1:
                seq += [(key, depth, c) for c in members]
                shown.update((str(c), str(c)) for c in members)
                room -= len(members)
                if lkey in opened:
                    view.opened.append((f"{name} · {LEVELS[lv][1]}", _open_url(doc, opened - {lkey})))
                continue
            nid = f"cluster:{lkey}"
            seq.append((key, depth, VNode(nid, f"{name} · {LEVELS[lv][1]}\n{len(members)} văn bản", "cluster",
                                          _open_url(doc, opened | {lkey}),
                                          f"{name}, {LEVELS[lv][1]}: {len(members)} văn bản — nhấn để mở", depth,
                                          hidden=len(members), name=f"{name} · {LEVELS[lv][1]}",
                                          kind_name=KIND_NAMES["cluster"])))
            room -= 1
            shown.update((str(c), nid) for c in members)
            samples[nid] = members[0]
    individual = [c for _, _, c in seq if not isinstance(c, VNode)]
    refs = describe(store, individual)
    for key, depth, item in seq:
        v = item if isinstance(item, VNode) else _add(view, refs, item, depth)
        v.level, v.parent = depth, key  # the layout's band: province, then level
        view.nodes[v.id] = v
    parents: dict[str, list[tuple[str, bool]]] = {}
    for r in run_chunked(store, "direct-parents", "c", individual + list(samples.values())):
        parents.setdefault(str(r["c"]), []).append((str(r["p"]), str(r.get("stated", "true")) == "true"))

    def targets(c: str, own: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for p, stated in parents.get(c, []):
            node = p if p in view.nodes and not p.startswith("cluster:") else shown.get(p)
            if node and node != own and node not in {t for t, _ in out}:
                out.append((node, stated))
        if any(view.nodes[t].kind == "scheme" for t, _ in out):  # under the scheme, not also its decision
            out = [(t, st) for t, st in out if view.nodes[t].kind == "scheme" or t != str(doc)]
        return out or [(top, True)]

    for c in individual:
        for t, stated in targets(str(c), str(c)):
            view.edges.append((str(c), t, "", "implements" if stated else "inferred"))
    # a level's group hangs under its province's first level when that is one document (the province's plan)
    firsts: dict[str, list[VNode]] = {}
    for v in view.nodes.values():
        if v.parent in groups and v.level >= 1:
            if not firsts.get(v.parent) or v.level < firsts[v.parent][0].level:
                firsts[v.parent] = [v]
            elif v.level == firsts[v.parent][0].level:
                firsts[v.parent].append(v)
    for nid in samples:
        v = view.nodes[nid]
        first = firsts.get(v.parent, [])
        up_one = first[0].id if len(first) == 1 and first[0].id != nid and first[0].kind != "cluster" else None
        view.edges.append((nid, up_one or top, "", "cluster"))


def _cluster_layout(view: View, gap: float = 36.0) -> None:
    """A clustered view as a table: the documents above and the centre in rows, the schemes below it, the closed
    provinces in a grid, then each opened province level by level, rows wrapped at the grid's width."""
    rows: list[list[VNode]] = []
    above = sorted((n for n in view.nodes.values() if n.level < 0), key=lambda n: n.level)
    rows += [[n] for n in above]
    rows.append([n for n in view.nodes.values() if n.centre])
    schemes = [n for n in view.nodes.values() if n.kind == "scheme" and n.level == 1]
    if schemes:
        rows.append(schemes)
    closed = [n for n in view.nodes.values() if n.kind == "cluster" and not n.parent]
    rest = [n for n in view.nodes.values() if n.parent and n.level >= 1]

    def cell(n: VNode) -> tuple[float, float]:
        w, h = label_size(view, n)
        return w + gap, h + (0 if n.kind in ("cluster", "more") else 2 * node_size(view, n)) + gap

    width = max([1200.0] + [cell(n)[0] * 4 for n in closed])
    if closed:
        cw = max(cell(n)[0] for n in closed)
        cols = max(1, min(len(closed), math.ceil(math.sqrt(len(closed) * 2.5)), int(width // cw)))
        width = max(width, cols * cw)
        rows += [closed[i:i + cols] for i in range(0, len(closed), cols)]
    # each opened province level by level (the nodes were added in that order), each level wrapped to the width
    band: list[VNode] = []
    for n in rest:
        if band and (n.parent, n.level) != (band[-1].parent, band[-1].level):
            rows += _wrap(band, width, cell)
            band = []
        band.append(n)
    rows += _wrap(band, width, cell)
    y = 0.0
    centre_y = 0.0
    for row in rows:
        if not row:
            continue
        cw = max(cell(n)[0] for n in row)
        h = max(cell(n)[1] for n in row)
        for i, n in enumerate(row):
            n.x = (i - (len(row) - 1) / 2) * cw
            n.y = y
        if any(n.centre for n in row):
            centre_y = y
        y += h + gap
    for n in view.nodes.values():
        n.y -= centre_y


def _wrap(nodes: list[VNode], width: float, cell) -> list[list[VNode]]:
    if not nodes:
        return []
    cw = max(cell(n)[0] for n in nodes)
    per = max(1, int(width // cw), math.ceil(math.sqrt(len(nodes) * 2)))  # a long level: wide rows, not a column
    return [nodes[i:i + per] for i in range(0, len(nodes), per)]


def _reduce(ys: set[str], under: dict[str, set[str]]) -> set[str]:
    """Keep the most specific parents: drop y when another parent sits under y."""
    return {y for y in ys if not any(y in under.get(z, set()) for z in ys if z != y)}


def _descendants(store: LocalStore, doc: URIRef) -> int:
    rows = _q(store, "implementer-count", {"doc": doc})
    return int(rows[0]["n"]) if rows else 0


def _mark_hidden(store: LocalStore, view: View) -> None:
    """Count what lies below each drawn document whose children are not drawn."""
    drawn_parents = {to for frm, to, _, _ in view.edges if frm in view.nodes and view.nodes[frm].level > 0}
    leaves = [URIRef(n.id) for n in view.nodes.values()
              if n.kind != "more" and n.level > 0 and n.id not in drawn_parents]
    if not leaves:
        return
    for s, count in child_counts(store, leaves).items():
        n = view.nodes[str(s)]
        n.hidden = count
        n.label = f"{n.label} (+{n.hidden})"  # on the last line: "An Giang · 22/03/2024 (+12)"
        view.expand.append(n)
    view.expand.sort(key=lambda n: -n.hidden)


# what a label takes on the canvas, estimated generously (vis-network draws 13 px system-ui / DejaVu Sans;
# the browser test measures the real boxes and the page hides any label that would still overlap another)
CHAR_EM = 0.64  # widest average advance of Vietnamese text per character, in em
LINE_EM = 1.3


def font_size(view: View, n: VNode) -> int:
    if view.radial:  # the view opens zoomed out: the inner rings carry the labels one can read
        return 64 if n.centre else 44 if abs(n.level) <= 1 else 26
    return 18 if n.centre else 13


def node_size(view: View, n: VNode) -> int:
    if view.radial:
        return 60 if n.centre else 34 if abs(n.level) <= 1 else 22
    return 26 if n.centre else 14


def label_size(view: View, n: VNode) -> tuple[float, float]:
    """(width, height) in canvas pixels of the node's label block."""
    lines = n.label.split("\n") if n.label else []
    f = font_size(view, n)
    return (max((len(x) for x in lines), default=0) * f * CHAR_EM + 12, len(lines) * f * LINE_EM + 8)


def _layer_layout(view: View, gap: float = 36.0) -> None:
    """Each level on its own row, children in their parent's order, rows centred on the middle.

    Nodes are spaced by the width of the widest label of their row, so labels never touch; a row of more
    than six is staggered (every other node lower by a label's height), which halves its width.
    """
    rows: dict[int, list[VNode]] = {}
    for n in view.nodes.values():
        rows.setdefault(n.level, []).append(n)
    y = 0.0
    tops: dict[int, float] = {}
    extents: dict[int, tuple[float, float, bool]] = {}
    for level in sorted(rows):
        row = rows[level]
        w = max(label_size(view, n)[0] for n in row)
        h = max(label_size(view, n)[1] + 2 * node_size(view, n) for n in row)
        stagger = len(row) > 6
        extents[level] = (w, h, stagger)
    for level in sorted(rows):
        w, h, stagger = extents[level]
        tops[level] = y
        y += (2 * h if stagger else h) + gap * 2.5
    centre_level = 0 if 0 in tops else min(tops)
    for level, row in rows.items():
        w, h, stagger = extents[level]
        dx = (w + gap) / 2 if stagger else w + gap
        dx = max(dx, 90.0)
        width = (len(row) - 1) * dx
        for i, n in enumerate(row):
            n.x = -width / 2 + i * dx
            n.y = tops[level] - tops[centre_level] + (h + gap / 2 if stagger and i % 2 else 0)


def _radial_layout(view: View, root: str, ring: float = 230.0, gap: float = 70.0) -> None:
    """The centre in the middle, each level below it on a wider ring, every subtree in its own angular sector
    (sized by its number of leaves); the documents above it go straight up, in a wedge the rings leave free."""
    kids: dict[str, list[VNode]] = {}
    for n in view.nodes.values():
        if n.level > 0:
            kids.setdefault(n.parent or root, []).append(n)
    leaves: dict[str, int] = {}

    def count(node_id: str) -> int:
        leaves[node_id] = sum(count(k.id) for k in kids.get(node_id, [])) or 1
        return leaves[node_id]

    count(root)
    above = sorted((n for n in view.nodes.values() if n.level < 0), key=lambda n: -n.level)
    free = math.radians(70) if above else 0.0  # the wedge at the top kept for the documents above
    span = 2 * math.pi - free
    per_level: dict[int, int] = {}
    for n in view.nodes.values():
        if n.level > 0:
            per_level[n.level] = per_level.get(n.level, 0) + 1
    # evenly spaced rings, far enough apart for the most crowded ring to keep `gap` pixels between its nodes
    step = max([ring] + [per_level[lv] * gap / span / lv for lv in per_level])
    radius = {lv: lv * step for lv in per_level}
    view.radial = True

    def place(node_id: str, a0: float, a1: float) -> None:
        start = a0
        for k in kids.get(node_id, []):
            width = (a1 - a0) * leaves[k.id] / leaves[node_id]
            mid = start + width / 2
            k.x, k.y = radius[k.level] * math.cos(mid), radius[k.level] * math.sin(mid)
            place(k.id, start, start + width)
            start += width

    top = -math.pi / 2
    place(root, top + free / 2, top + free / 2 + span)
    view.nodes[root].x = view.nodes[root].y = 0.0
    for i, n in enumerate(reversed(above), 1):
        n.x, n.y = 0.0, -i * step * 0.6


def agency_view(store: LocalStore, agency: URIRef, max_nodes: int = MAX_NODES) -> View:
    """The agency, the documents giving it duties or issued by it, and the agencies it works with."""
    refs = describe(store, [agency])
    view = View(title=refs[agency].label if agency in refs else str(agency))
    centre = _add(view, refs, agency, 0, centre=True)
    duty_docs: dict[URIRef, dict[str, int]] = {}
    for r in _q(store, "agency-duty-documents-by-role", {"agency": agency}):
        duty_docs.setdefault(r["doc"], {})[str(r["role"])] = int(r["n"])
    issued = [r["doc"] for r in _q(store, "agency-issued-documents", {"agency": agency})]
    peers = [(r["other"], int(r["n"])) for r in _q(store, "agency-peers", {"agency": agency})]
    docs = list(dict.fromkeys(issued + list(duty_docs)))
    view.total = 1 + len(docs) + len(peers)
    budget = max_nodes - 3
    n_docs = min(len(docs), max(budget // 2, budget - len(peers)))
    n_peers = min(len(peers), budget - n_docs)
    refs = describe(store, docs[:n_docs] + [p for p, _ in peers[:n_peers]])
    ring1 = [_add(view, refs, d, 1) for d in docs[:n_docs]]
    for d in docs[:n_docs]:
        if d in issued:
            view.edges.append((str(agency), str(d), "ban hành", "issued"))
        roles = duty_docs.get(d, {})
        if roles:  # one edge per document: lead when it gives the agency any duty to lead
            label = ", ".join(f"{'chủ trì' if r == 'lead' else 'phối hợp'} ({roles[r]})" for r in ("lead", "partner")
                              if r in roles)
            view.edges.append((str(d), str(agency), label, "lead" if "lead" in roles else "partner"))
    ring2 = [_add(view, refs, p, 2) for p, _ in peers[:n_peers]]
    for (p, n), v in zip(peers[:n_peers], ring2):
        view.edges.append((str(agency), str(p), f"cùng thực hiện ({n})", "peer"))
    path = page_path(agency)
    if len(docs) > n_docs:
        more = VNode("more:docs", f"+{len(docs) - n_docs} văn bản", "more", path,
                     f"{len(docs) - n_docs} văn bản khác: xem trang cơ quan", 1, hidden=len(docs) - n_docs)
        view.nodes[more.id] = more
        view.edges.append((more.id, str(agency), "", "more"))
        ring1.append(more)
    if len(peers) > n_peers:
        more = VNode("more:peers", f"+{len(peers) - n_peers} cơ quan", "more", path,
                     f"{len(peers) - n_peers} cơ quan khác: xem trang cơ quan", 2, hidden=len(peers) - n_peers)
        view.nodes[more.id] = more
        view.edges.append((str(agency), more.id, "", "more"))
        ring2.append(more)
    if len(ring1) <= LAYER_MAX and len(ring2) <= LAYER_MAX:
        # few neighbours: documents in a row above the agency, the agencies it works with in a row below
        for vn in ring1:
            vn.level = -1
        for vn in ring2:
            vn.level = 1
        _layer_layout(view)
        return view
    widest = max([label_size(view, n)[0] for n in view.nodes.values()] + [95.0]) + 16
    r1 = _ring(ring1, max(220.0, (label_size(view, centre)[0] + widest) / 2 + 20), view=view)
    _ring(ring2, r1 + widest, offset=0.5, view=view)
    centre.x = centre.y = 0.0
    return view


def _ring(nodes: list[VNode], radius: float, offset: float = 0.0, gap: float = 95.0,
          view: View | None = None) -> float:
    """Nodes on a circle wide enough to keep neighbours apart; returns the radius used.

    Without `view`, evenly, `gap` pixels apart.  With it, each pair of neighbours gets the room its labels
    need where they stand: side by side at the top and bottom of the circle (their widths), one above the
    other at its left and right (their heights), so wide, short labels pack closely down the sides.
    """
    if not nodes:
        return radius
    count = len(nodes)
    angles = [2 * math.pi * (i + offset) / count - math.pi / 2 for i in range(count)]
    if view is None or count < 2:
        radius = max(radius, count * gap / (2 * math.pi))
    else:
        sizes = [label_size(view, n) for n in nodes]
        for _ in range(3):
            needed = []
            for i in range(count):
                j = (i + 1) % count
                a = angles[i] + ((angles[j] - angles[i]) % (2 * math.pi)) / 2
                w = (sizes[i][0] + sizes[j][0]) / 2 + 16
                h = (sizes[i][1] + sizes[j][1]) / 2 + 2 * node_size(view, nodes[i]) + 12
                needed.append(max(gap, min(w / max(abs(math.sin(a)), 1e-6), h / max(abs(math.cos(a)), 1e-6))))
            total = sum(needed)
            radius = max(radius, total * 1.08 / (2 * math.pi))
            start, angles, acc = angles[0], [], 0.0
            for d in needed:
                angles.append(start + 2 * math.pi * acc / total)
                acc += d
    for n, a in zip(nodes, angles):
        n.x, n.y = radius * math.cos(a), radius * math.sin(a)
    return radius


def _rank(n: VNode) -> int:
    """Which label gives way when two would overlap in the browser (the higher rank is hidden first)."""
    if n.centre:
        return 0
    if n.kind in ("more", "cluster"):
        return 1  # "+N" and the groups are the only way to expand what is folded
    return 2 + abs(n.level) * 2 + (0 if n.hidden else 1)


def to_pyvis(view: View):
    """The view as a pyvis Network (positions fixed, physics off)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="local")
    for n in view.nodes.values():
        colour = KIND_COLOURS.get(n.kind, DEFAULT_COLOUR)
        shape = {"agency": "box", "scheme": "diamond", "more": "box", "cluster": "box"}.get(n.kind, "dot")
        size, font = node_size(view, n), font_size(view, n)
        opts = dict(title=n.title, rank=_rank(n), x=round(n.x, 1), y=round(n.y, 1), physics=False, shape=shape, url=n.url or "",
                    kind=n.kind, size=size, borderWidth=4 if n.centre else 1,
                    font={"size": font, "color": "#1d2733", "background": "rgba(255,255,255,0.85)"})
        if shape == "box":
            opts["font"] = {"size": font, "color": "#ffffff" if n.kind == "agency" else "#1d2733"}
        net.add_node(n.id, label=n.label, color=colour, **opts)
    seen = set()
    for frm, to, label, kind in view.edges:
        if frm in view.nodes and to in view.nodes and (frm, to) not in seen:
            seen.add((frm, to))
            st = EDGE_STYLES.get(kind, EDGE_STYLES["implements"])
            net.add_edge(frm, to, title=label or st["name"], dashes=st["dashes"], kind=kind,
                         color={"color": st["color"], "highlight": "#2f6fd6", "hover": "#2f6fd6"}, width=st["width"])
    return net


OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
              "color": {"color": "#9aa5b1", "highlight": "#2f6fd6", "hover": "#2f6fd6"}, "width": 1},
    "nodes": {"font": {"face": "system-ui, sans-serif"}},
}


def payload(view: View) -> dict:
    """What the page's script draws: pyvis's nodes and edges, and the vis-network options."""
    net = to_pyvis(view)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": OPTIONS}
