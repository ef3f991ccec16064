"""The 2025 reorganisation on the explorer's pages: who holds a body's duties now.

* the agency page's "hiện nay" view: the agency's own duties and those of every
  body it succeeded (the rows of ``kg duties AGENCY --now``, kg/duties_now.py),
  each with the body it was assigned to and the successions that brought it;
* the page of an abolished body: the bodies that hold its duties now;
* a document page: the units that now hold the place of an abolished issuer
  (a district's communes and province).

Every query is a file of queries/explorer/ with the agency or document bound, and
walks only the successions reachable from it (never every succession of the graph).
"""

from __future__ import annotations

from collections import deque

from rdflib import URIRef

from kg import queries
from kg.duties_now import shortest_paths
from kg.nodes import describe
from kg.web.common import local_id, page_path, text, vn_date

NOW_CAP = 2000  # rows of the "hiện nay" view read at most (paged by PAGE on the page)
PAGE = 100
LEVEL_NAMES = {"CommuneLevel": "xã, phường", "ProvinceLevel": "tỉnh, thành phố", "DistrictLevel": "huyện"}


def _q(name: str, store, values: dict, **page) -> list[dict]:
    return queries.run(store, queries.explorer(name), values, **page)


def _edge(r: dict) -> dict:
    part = r.get("part")
    return {"before": r["before"], "after": r["after"], "before_label": str(r["beforeLabel"]),
            "after_label": str(r["afterLabel"]), "date": str(r["date"])[:10], "date_vn": vn_date(r["date"]),
            "act": str(r["act"]), "part": part is not None and str(part).lower() in ("true", "1"),
            "before_path": page_path(r["before"]), "after_path": page_path(r["after"])}


def predecessors(store, agency: URIRef) -> dict[URIRef, dict]:
    """Every body `agency` succeeded: {iri: {"label", "path": [edges from it to agency], "part"}}, nearest first,
    each body once by its shortest path (as kg.duties_now.predecessors)."""
    back: dict[URIRef, list[dict]] = {}
    for r in _q("agency-predecessor-edges", store, {"agency": agency}):
        e = _edge(r)
        back.setdefault(e["after"], []).append(e)
    return {b: {"iri": b, "label": path[0]["before_label"], "path": path, "page": path[0]["before_path"],
                "part": any(x["part"] for x in path)} for b, path in shortest_paths(agency, back).items()}


def holders(store, agency: URIRef) -> list[dict]:
    """The bodies that hold an abolished agency's duties now (those with no successor), each with its path of
    successions from `agency`; empty when the agency still exists."""
    forward: dict[URIRef, list[dict]] = {}
    for r in _q("agency-successor-edges", store, {"agency": agency}):
        e = _edge(r)
        forward.setdefault(e["before"], []).append(e)
    out: dict[URIRef, dict] = {}
    queue: deque[tuple[URIRef, list[dict]]] = deque([(agency, [])])
    seen = {agency}
    while queue:
        node, path = queue.popleft()
        nxt = sorted(forward.get(node, []), key=lambda e: (e["after_label"], str(e["after"])))
        if not nxt and path:
            out.setdefault(node, {"iri": node, "label": path[-1]["after_label"], "page": path[-1]["after_path"],
                                  "path": path, "part": any(x["part"] for x in path)})
        for e in nxt:
            if e["after"] in seen or len(path) > 8:
                continue
            seen.add(e["after"])
            queue.append((e["after"], path + [e]))
    return sorted(out.values(), key=lambda h: (len(h["path"]), h["label"]))


def summary(store, agency: URIRef) -> dict:
    """What the agency page says of the reorganisation: the bodies it succeeded and, if it was abolished,
    the bodies holding its duties now."""
    preds = predecessors(store, agency)
    return {"predecessors": list(preds.values()), "holders": holders(store, agency)}


def duty_rows(store, agency: URIRef, label: str) -> dict:
    """The "hiện nay" rows: the agency's own duties, then those of each predecessor (nearest first), each
    with `held_by` (the body it was assigned to) and `path` (the successions that brought it).

    One bound query per body (queries/explorer/agency-duty-list.rq): one query over the closure of
    vnd:succeededBy joined with the duties took seconds at national size, the per-body queries milliseconds.
    """
    preds = predecessors(store, agency)
    raw: list[tuple[URIRef, dict]] = []
    truncated = False
    for held in [agency, *preds]:
        left = NOW_CAP - len(raw)
        if left <= 0:
            truncated = True
            break
        found = _q("agency-duty-list", store, {"agency": held}, limit=left + 1)
        if len(found) > left:
            truncated = True
        raw.extend((held, r) for r in found[:left])
    refs = describe(store, list({r["doc"] for _, r in raw}))
    out = []
    for held, r in raw:
        p = preds.get(held)
        ref = refs.get(r["doc"])
        out.append({"duty": r["duty"], "anchor": local_id(r["duty"]), "role": str(r["dutyRole"]),
                    "task": text(r, "task"), "deadline": vn_date(r.get("deadline", "")),
                    "date": vn_date(r.get("date", "")), "doc_label": ref.label if ref else str(r["doc"]),
                    "doc_path": page_path(r["doc"]), "held_by": held,
                    "held_by_label": p["label"] if p else label, "held_by_path": page_path(held),
                    "path": p["path"] if p else [], "part": p["part"] if p else False,
                    "inherited": p is not None})
    own = sum(1 for x in out if not x["inherited"])
    return {"rows": out, "own": own, "inherited": len(out) - own, "truncated": truncated,
            "predecessors": list(preds.values())}


def place_now(store, doc: URIRef) -> list[dict]:
    """For a document whose issuer's unit no longer exists: that unit, when it ended, and the units (communes,
    province) and bodies that hold it now."""
    places: dict[URIRef, dict] = {}
    for r in _q("document-place-now", store, {"doc": doc}):
        unit = r["unit"]
        p = places.setdefault(unit, {"unit": text(r, "unitLabel", str(unit)), "ended": vn_date(r["ended"]),
                                     "issuer": r["issuer"], "communes": [], "provinces": [], "others": []})
        if "now" not in r:
            continue
        level = text(r, "nowLevel").rsplit("#", 1)[-1]
        entry = {"label": text(r, "nowLabel", str(r["now"])), "code": text(r, "nowCode")}
        bucket = {"CommuneLevel": "communes", "ProvinceLevel": "provinces"}.get(level, "others")
        if entry not in p[bucket]:
            p[bucket].append(entry)
    out = []
    for p in places.values():
        for k in ("communes", "provinces", "others"):
            p[k].sort(key=lambda e: e["label"])
        p["holders"] = holders(store, p["issuer"])
        out.append(p)
    return out
