"""Duties "now": an agency's own duties and those of every body it succeeded.

The graph states each succession of the 2025 reorganisation (``vnd:Succession``,
an ``org:ChangeEvent`` from one original to one resulting organisation, with its
date, act and ``vnd:oneOfSeveral`` when the successor took only part of the
duties; see ``kg.succession``).  ``rows`` walks them backwards from an agency and
lists, for each predecessor, the duties of ``queries/agency-duties.rq`` with the
body they were assigned to and the chain of successions that brought them.
"""

from __future__ import annotations

from collections import deque

from rdflib import URIRef

# columns added to those of agency-duties.rq
NOW_COLUMNS = ["held_by", "held_by_label", "succession", "one_of_several"]


def _edge(r: dict) -> dict:
    return {"before": URIRef(str(r["before"])), "after": URIRef(str(r["after"])),
            "before_label": str(r["beforeLabel"]), "after_label": str(r["afterLabel"]),
            "date": str(r["date"])[:10], "act": str(r["act"]),
            "part": bool(r.get("part") is not None and str(r["part"]).lower() in ("true", "1"))}


def predecessors(store, agency: URIRef) -> list[tuple[URIRef, str, list[dict]]]:
    """(predecessor, its label, path of successions from it to `agency`) for every body `agency` succeeded,
    nearest first; each body once (by its shortest path)."""
    from kg import queries

    back: dict[URIRef, list[dict]] = {}
    # the successions that lead to `agency`, at any depth (a bound query: not every succession of the graph)
    for r in queries.run(store, queries.explorer("agency-predecessor-edges"), {"agency": agency}):
        e = _edge(r)
        back.setdefault(e["after"], []).append(e)
    return [(b, path[0]["before_label"], path) for b, path in shortest_paths(agency, back).items()]


def shortest_paths(agency: URIRef, back: dict) -> dict[URIRef, list[dict]]:
    """Every body `agency` succeeded, nearest first, with its shortest path of successions (edges, from it to
    `agency`); `back`: succession edges by the body they lead to (e["after"])."""
    found: dict[URIRef, list[dict]] = {}
    queue: deque[tuple[URIRef, list[dict]]] = deque([(agency, [])])
    while queue:
        node, path = queue.popleft()
        for e in sorted(back.get(node, []), key=lambda e: (e["before_label"], str(e["before"]))):
            b = e["before"]
            if b == agency or b in found:
                continue
            found[b] = [e] + path
            queue.append((b, [e] + path))
    return found


def describe(path: list[dict]) -> str:
    """"Sở KH&ĐT tỉnh Kiên Giang → Sở Tài chính tỉnh Kiên Giang (45/2025/NĐ-CP, 2025-03-01) → ..."."""
    if not path:
        return ""
    parts = [path[0]["before_label"]]
    for e in path:
        share = ", một trong nhiều đơn vị kế thừa" if e["part"] else ""
        parts.append(f"{e['after_label']} ({e['act']}, {e['date']}{share})")
    return " → ".join(parts)


def rows(store, agency: URIRef, label: str, role: str | None = None) -> list[dict]:
    """The agency's own duties, then those of each predecessor, with NOW_COLUMNS filled in."""
    from kg import queries

    q = queries.load("agency-duties")
    out: list[dict] = []
    holders: list[tuple[URIRef, str, list[dict]]] = [(agency, label, [])] + predecessors(store, agency)
    for held_by, held_label, path in holders:
        values = {"agency": held_by} | ({"role": role} if role else {})
        for row in queries.run(store, q, values):
            r: dict = dict(row)
            r["held_by"] = held_by
            r["held_by_label"] = held_label
            r["succession"] = describe(path)
            r["one_of_several"] = any(e["part"] for e in path)
            out.append(r)
    return out
