"""The graph as a network (networkx): cascades, busiest agencies, most cited documents, components.

:func:`network` reads the ``network-nodes`` and ``network-edges`` queries into
a ``networkx.MultiDiGraph`` whose nodes are documents, schemes and agencies
(attributes ``kind``, ``label``) and whose edges carry ``relation``
(implements, approves, cites, issued_by, lead, partner), ``detail`` (the
citation relation), ``inferred`` and ``weight`` (number of duties).  Every
other function works on that network, so it runs the same on an embedded
store and on a remote endpoint.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from kg import queries

DOCUMENT_LINKS = ("implements", "approves", "cites")


def network(store) -> nx.MultiDiGraph:
    """Documents, schemes and agencies with every link between them."""
    g = nx.MultiDiGraph()
    for r in queries.run(store, "network-nodes"):
        node = str(r["node"])
        if node not in g or g.nodes[node].get("kind") != "document":  # a document wins over other kinds
            g.add_node(node, kind=str(r["kind"]), label=str(r.get("label", node)))
    for r in queries.run(store, "network-edges"):
        s, t = str(r["source"]), str(r["target"])
        for n in (s, t):
            if n not in g:
                g.add_node(n, kind="other", label=n.rsplit("/", 1)[-1])
        g.add_edge(s, t, key=f"{r['relation']}:{r.get('detail', '')}", relation=str(r["relation"]),
                   detail=str(r.get("detail", "")), inferred=str(r.get("inferred", "false")) == "true",
                   weight=int(r.get("weight", 0)) or 1)
    return g


def label(g: nx.MultiDiGraph, node: str) -> str:
    return g.nodes[node].get("label", node) if node in g else node


def _links(g: nx.MultiDiGraph, relations: tuple[str, ...]) -> nx.DiGraph:
    out = nx.DiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d.get("kind") in ("document", "scheme"))
    for s, t, d in g.edges(data=True):
        if d["relation"] in relations:
            out.add_edge(s, t, **d)
    return out


@dataclass
class Cascade:
    """The documents that carry out one scheme: how deep and how wide the cascade goes."""

    scheme: str
    label: str
    roots: list[str]
    levels: dict[int, list[str]] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return max(self.levels) if self.levels else 0

    @property
    def breadth(self) -> int:
        return max((len(v) for k, v in self.levels.items() if k > 0), default=0)

    @property
    def documents(self) -> int:
        return sum(len(v) for k, v in self.levels.items() if k > 0)


def cascades(g: nx.MultiDiGraph) -> list[Cascade]:
    """One cascade per scheme: the scheme and the decision approving it at level 0, each plan at the
    length of its longest implementation chain up to them."""
    impl = _links(g, ("implements",))
    out = []
    for scheme in sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "scheme"):
        roots = sorted({s for s, t, d in g.in_edges(scheme, data=True) if d["relation"] == "approves"} | {scheme})
        level = {r: 0 for r in roots}
        below = set().union(*(nx.ancestors(impl, r) for r in roots if r in impl)) - set(roots)
        sub = impl.subgraph(below | set(roots))
        try:
            order = list(reversed(list(nx.topological_sort(sub))))  # parents before children
            for n in order:
                if n in level:
                    continue
                ups = [level[p] for p in sub.successors(n) if p in level]
                level[n] = max(ups) + 1 if ups else 1
        except nx.NetworkXUnfeasible:  # a cycle: fall back to the shortest distance
            rev = sub.reverse()
            for r in roots:
                for n, d in nx.single_source_shortest_path_length(rev, r).items():
                    level[n] = min(level.get(n, d), d) if n not in roots else 0
        levels: dict[int, list[str]] = {}
        for n, lv in level.items():
            levels.setdefault(lv, []).append(n)
        out.append(Cascade(scheme, label(g, scheme), roots,
                           {k: sorted(v, key=lambda n: label(g, n)) for k, v in sorted(levels.items())}))
    return out


def agency_duties(g: nx.MultiDiGraph, top: int | None = 10) -> list[tuple[str, str, int, int]]:
    """(agency, label, lead duties, partner duties), most duties first."""
    lead: Counter[str] = Counter()
    partner: Counter[str] = Counter()
    for _, t, d in g.edges(data=True):
        if d["relation"] == "lead":
            lead[t] += d["weight"]
        elif d["relation"] == "partner":
            partner[t] += d["weight"]
    rows = [(a, label(g, a), lead[a], partner[a]) for a in set(lead) | set(partner)]
    rows.sort(key=lambda r: (-(r[2] + r[3]), -r[2], r[1]))
    return rows[:top] if top else rows


def most_cited(g: nx.MultiDiGraph, top: int | None = 10) -> list[tuple[str, str, int]]:
    """(document, label, number of documents citing it), counting every stated citation and implementation."""
    citing: dict[str, set] = {}
    for s, t, d in g.edges(data=True):
        if d["relation"] == "cites" or (d["relation"] == "implements" and not d["inferred"]):
            citing.setdefault(t, set()).add(s)
    rows = sorted(((t, label(g, t), len(s)) for t, s in citing.items()), key=lambda r: (-r[2], r[1]))
    return rows[:top] if top else rows


def components(g: nx.MultiDiGraph) -> list[list[str]]:
    """Connected groups of documents and schemes (through implementation, approval and citation), largest first."""
    docs = _links(g, DOCUMENT_LINKS).to_undirected()
    comps = [sorted(c, key=lambda n: label(g, n)) for c in nx.connected_components(docs)]
    return sorted(comps, key=lambda c: (-len(c), label(g, c[0])))


def summary(g: nx.MultiDiGraph, top: int = 10) -> dict:
    """Everything `kg stats` prints, as plain data."""
    kinds = Counter(d.get("kind") for _, d in g.nodes(data=True))
    comps = components(g)
    return {
        "nodes": dict(sorted(kinds.items())),
        "edges": dict(sorted(Counter(d["relation"] for _, _, d in g.edges(data=True)).items())),
        "cascades": [{"scheme": c.scheme, "label": c.label, "depth": c.depth, "breadth": c.breadth,
                      "documents": c.documents,
                      "levels": {str(k): [label(g, n) for n in v] for k, v in c.levels.items()}}
                     for c in cascades(g)],
        "agencies": [{"agency": a, "label": lbl, "lead": ld, "partner": p, "total": ld + p}
                     for a, lbl, ld, p in agency_duties(g, top)],
        "most_cited": [{"document": d, "label": lbl, "cited_by": n} for d, lbl, n in most_cited(g, top)],
        "components": {"count": len(comps), "sizes": [len(c) for c in comps],
                       "largest": [label(g, n) for n in comps[0]] if comps else []},
    }


def render(s: dict) -> str:
    """The summary as text."""
    out = ["nodes: " + ", ".join(f"{k} {v}" for k, v in s["nodes"].items()),
           "links: " + ", ".join(f"{k} {v}" for k, v in s["edges"].items()), "", "cascades (per scheme):"]
    for c in s["cascades"]:
        out.append(f"  {c['label']}: depth {c['depth']}, breadth {c['breadth']}, {c['documents']} document(s)")
        for lv, names in c["levels"].items():
            out.append(f"    level {lv}: " + "; ".join(names))
    out += ["", "agencies with the most duties (lead + partner):"]
    out += [f"  {a['total']:>4}  ({a['lead']} lead, {a['partner']} partner)  {a['label']}" for a in s["agencies"]]
    out += ["", "documents most cited:"]
    out += [f"  {d['cited_by']:>4}  {d['label']}" for d in s["most_cited"]]
    comp = s["components"]
    out += ["", f"connected components of documents: {comp['count']} (sizes {', '.join(map(str, comp['sizes']))})",
            "  largest: " + "; ".join(comp["largest"])]
    return "\n".join(out)


def compare_targets(rows: list[dict]) -> list[dict]:
    """Rows of the ``scheme-targets`` query side by side: one row per indicator and year, one column
    per jurisdiction holding its "min–max" (several targets joined with "; ")."""
    table: dict[tuple[str, str], dict[str, list[str]]] = {}
    places: set[str] = set()
    for r in rows:
        lo, hi = r.get("min"), r.get("max")
        value = f"{lo}" if hi is None or str(hi) == str(lo) else f"{lo or ''}–{hi}"
        if hi is None and lo is not None:
            value = f"≥{lo}"
        place = str(r.get("jurisdiction", ""))
        places.add(place)
        cell = table.setdefault((str(r["indicator"]), str(r.get("target_year", ""))), {}).setdefault(place, [])
        if value not in cell:
            cell.append(value)
    out = []
    for (indicator, year), cells in sorted(table.items()):
        row = {"indicator": indicator, "year": year}
        row.update({p: "; ".join(cells.get(p, [])) for p in sorted(places)})
        out.append(row)
    return out


def to_pyvis(g: nx.MultiDiGraph, relations: tuple[str, ...] = ("implements", "approves", "cites", "issued_by"),
             height: str = "600px"):
    """A pyvis view of the network (documents, schemes and the agencies linked by `relations`), with its
    JavaScript inlined so that it draws without internet access (``net.generate_html()``)."""
    from pyvis.network import Network

    colors = {"document": "#4c78a8", "scheme": "#f58518", "agency": "#54a24b"}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    edges = [(s, t, d) for s, t, d in g.edges(data=True) if d["relation"] in relations]
    used = {n for s, t, _ in edges for n in (s, t)}
    for n in sorted(used):
        d = g.nodes[n]
        net.add_node(n, label=d.get("label", n)[:40], title=d.get("label", n),
                     color=colors.get(d.get("kind"), "#999999"), shape="dot" if d.get("kind") == "agency" else "box")
    for s, t, d in sorted(edges, key=lambda e: (e[0], e[1], e[2]["relation"])):
        net.add_edge(s, t, title=d["relation"] + (" (inferred)" if d.get("inferred") else ""),
                     dashes=bool(d.get("inferred")))
    return net


def notebook_html(net, height: int = 520) -> str:
    """A pyvis view as an ``<iframe srcdoc>`` for ``IPython.display.HTML`` (self-contained, offline)."""
    import html

    return (f'<iframe srcdoc="{html.escape(net.generate_html())}" width="100%" height="{height}" '
            'style="border:none"></iframe>')
