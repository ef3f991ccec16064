"""The network of :func:`kg.analytics.network` as files for Gephi (GraphML, GEXF) and spreadsheets (CSV)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from kg.atomic import write_text

FORMATS = ("graphml", "gexf", "csv")
NODE_FIELDS = ("id", "kind", "label")
EDGE_FIELDS = ("source", "target", "relation", "detail", "inferred", "weight")


def _plain(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are strings, ints or bools only (what GraphML and GEXF accept)."""
    out = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in d.items() if isinstance(v, (str, int, bool))})
    for s, t, k, d in g.edges(keys=True, data=True):
        out.add_edge(s, t, key=k, **{a: v for a, v in d.items() if isinstance(v, (str, int, bool))})
    return out


def export(g: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    """Write `g` in `fmt`; returns the files written.

    GraphML and GEXF go to one file `out`; CSV to `out` as a folder holding
    ``nodes.csv`` and ``edges.csv`` (the node and edge lists Gephi imports).
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = out / "nodes.csv", out / "edges.csv"
        write_text(nodes, _csv([NODE_FIELDS] + [(n, d.get("kind", ""), d.get("label", ""))
                                                for n, d in sorted(g.nodes(data=True))]))
        rows = sorted((s, t, d["relation"], d.get("detail", ""), str(d.get("inferred", False)).lower(),
                       d.get("weight", 1)) for s, t, d in g.edges(data=True))
        write_text(edges, _csv([EDGE_FIELDS] + rows))
        return [nodes, edges]
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = nx.generate_graphml(_plain(g)) if fmt == "graphml" else nx.generate_gexf(_plain(g))
    write_text(out, "\n".join(lines) + "\n")
    return [out]


def _csv(rows: list) -> str:
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
