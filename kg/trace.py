"""The implementation cascade of one document as a tree: down to the plans below it, or up to its roots.

The queries ``implementation-tree`` and ``implementation-chain`` return every
``eli:ensures_implementation_of`` link below or above a document, stated or
inferred; a document that implements a district plan often also implements
(by inference) the province plan and the decision above it.  To draw a tree,
each document is put under its *most specific* parents:

1. a link to a scheme (Đề án) is dropped when the document also implements a
   document (the decision approving the scheme, or a plan carrying it out);
2. a link to a parent P is dropped when another parent of the same document
   implements P, at any depth (transitive reduction): the Tràng Định plan
   implements 94/KH-UBND and 01/QĐ-TTg, 94/KH-UBND implements 01/QĐ-TTg, so
   it is shown under 94/KH-UBND only.

3. where a document still has several parents, those issued by the same kind of
   body as the document (a district committee's plan under the province
   committee's plan), and of the nearest level above it, are kept: the
   Tràng Định plan is based on both 94/KH-UBND (Lạng Sơn's committee) and
   235/KH-ĐCT (the Women's Union), and is shown under 94/KH-UBND.

A document left with two parents after that is shown under both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from rdflib import URIRef

from kg import queries
from kg.agency_names import parse as parse_agency

_LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}


@dataclass
class TreeNode:
    """One document of the tree; `inferred` says whether its link to the node above was inferred."""

    iri: str
    label: str = ""
    number: str = ""
    date: str = ""
    issuer: str = ""
    inferred: bool = False
    now: str = ""  # for a document of a unit abolished in 2025: the units holding that place now (annotate_now)
    children: list["TreeNode"] = field(default_factory=list)

    def walk(self, depth: int = 0, parent: str = "") -> Iterator[tuple[int, str, "TreeNode"]]:
        """(depth, parent IRI, node) for this node and everything below it, depth first."""
        yield depth, parent, self
        for c in self.children:
            yield from c.walk(depth + 1, self.iri)

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "number": self.number, "date": self.date,
                "issuer": self.issuer, "inferred": self.inferred, "now": self.now,
                "children": [c.to_json() for c in self.children]}


def reduce_links(links: set[tuple[str, str]], schemes: set[str]) -> set[tuple[str, str]]:
    """Keep each child's most specific parents (rules 1 and 2 of the module docstring)."""
    parents: dict[str, set[str]] = {}
    for child, parent in links:
        parents.setdefault(child, set()).add(parent)
    for child, ps in parents.items():
        if ps - schemes:
            ps -= schemes

    def above(node: str) -> set[str]:
        seen, todo = set(), list(parents.get(node, ()))
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(parents.get(n, ()))
        return seen

    out = set()
    for child, ps in parents.items():
        for p in ps:
            if not any(p in above(q) for q in ps if q != p):
                out.add((child, p))
    return out


def prefer_same_line(links: set[tuple[str, str]], issuer: dict[str, str]) -> set[tuple[str, str]]:
    """Rule 3: among several parents, keep those of the child's own line of bodies and nearest level."""
    parents: dict[str, set[str]] = {}
    for child, parent in links:
        parents.setdefault(child, set()).add(parent)
    out = set()
    for child, ps in parents.items():
        if len(ps) > 1 and issuer.get(child):
            mine = parse_agency(issuer[child])
            same = {p for p in ps if issuer.get(p) and parse_agency(issuer[p]).kind == mine.kind} or ps
            if mine.level in _LEVEL_RANK:
                def gap(p: str) -> int:
                    level = parse_agency(issuer[p]).level if issuer.get(p) else None
                    return _LEVEL_RANK[mine.level] - _LEVEL_RANK[level] if level in _LEVEL_RANK else 99  # type: ignore[index]  # in it
                above = [p for p in same if gap(p) >= 0]
                if above:
                    nearest = min(gap(p) for p in above)
                    same = {p for p in above if gap(p) == nearest}
            ps = same
        out |= {(child, p) for p in ps}
    return out


def _node(iri: str, info: dict[str, dict], inferred: bool = False) -> TreeNode:
    i = info.get(iri, {})
    return TreeNode(iri, i.get("label", ""), i.get("number", ""), i.get("date", ""), i.get("issuer", ""), inferred)


def _grow(root: TreeNode, below: dict[str, list[str]], info, inferred: set[tuple[str, str]], down: bool,
          path: frozenset = frozenset()) -> TreeNode:
    for other in sorted(below.get(root.iri, ()), key=lambda n: (info.get(n, {}).get("label", ""), n)):
        if other in path or other == root.iri:
            continue  # a cycle in the data: show each document once per branch
        link = (other, root.iri) if down else (root.iri, other)
        child = _node(other, info, link in inferred)
        root.children.append(_grow(child, below, info, inferred, down, path | {root.iri}))
    return root


def describe(store, doc: URIRef | str) -> dict[str, str]:
    """Label, number, date and issuer of one document (the ``document`` query)."""
    rows = queries.run(store, "document", {"doc": URIRef(str(doc))})
    return {k: str(v) for k, v in rows[0].items()} if rows else {}


def tree(store, doc: URIRef | str, down: bool = True) -> TreeNode:
    """The implementation tree below `doc` (down) or the chain above it (up), shaped as a tree.

    Args:
        store: a LocalStore or RemoteStore.
        doc: the document's IRI.
        down: True for the plans implementing `doc`, False for what `doc` implements.
    """
    doc = URIRef(str(doc))
    name = "implementation-tree" if down else "implementation-chain"
    rows = queries.run(store, name, {"doc": doc})
    side = "child" if down else "parent"
    info: dict[str, dict] = {str(doc): describe(store, doc)}
    links, schemes, inferred = set(), set(), set()
    for r in rows:
        child, parent = str(r["child"]), str(r["parent"])
        links.add((child, parent))
        if str(r.get("inferred")) == "true":
            inferred.add((child, parent))
        if str(r.get("parent_scheme")) == "true":
            schemes.add(parent)
        info.setdefault(str(r[side]), {k: str(r[f"{side}_{k}"]) for k in ("label", "number", "date", "issuer")
                                       if f"{side}_{k}" in r})
    if str(doc) in schemes:
        schemes.discard(str(doc))  # tracing the scheme itself: its implementers are what we want
    below: dict[str, list[str]] = {}
    issuers = {n: i.get("issuer", "") for n, i in info.items()}
    for child, parent in prefer_same_line(reduce_links(links, schemes), issuers):
        if down:
            below.setdefault(parent, []).append(child)
        else:
            below.setdefault(child, []).append(parent)
    return _grow(_node(str(doc), info), below, info, inferred, down)


_PROVINCE = "https://w3id.org/vn-directives/ontology#ProvinceLevel"


def place_now(store, doc: URIRef | str) -> str:
    """Who holds the place of a document's issuer now, when that unit was abolished in the 2025 reorganisation:
    "huyện Tràng Định (đến 2025-07-01) → tỉnh Lạng Sơn; 7 xã, phường: xã Kháng Chiến, ..." ("" for a unit that
    still exists); the ``explorer/document-place-now`` query."""
    rows = queries.run(store, "explorer/document-place-now", {"doc": URIRef(str(doc))})
    parts = []
    for unit in dict.fromkeys(str(r["unit"]) for r in rows):
        mine = [r for r in rows if str(r["unit"]) == unit]
        label, ended = str(mine[0].get("unitLabel", unit)), str(mine[0].get("ended", ""))[:10]
        provinces = sorted({str(r["nowLabel"]) for r in mine if "nowLabel" in r and str(r.get("nowLevel")) == _PROVINCE})
        others = sorted({str(r["nowLabel"]) for r in mine if "nowLabel" in r and str(r.get("nowLevel")) != _PROVINCE})
        held = "; ".join(x for x in ("; ".join(provinces),
                                      f"{len(others)} xã, phường: {', '.join(others)}" if others else "") if x)
        parts.append(f"{label} (đến {ended}) → {held or 'không rõ'}")
    return " | ".join(parts)


def annotate_now(store, root: TreeNode) -> None:
    """Set `now` on every node of the tree whose issuer's unit no longer exists (one bound query per node)."""
    for _, _, node in root.walk():
        node.now = place_now(store, node.iri)


def render(root: TreeNode) -> str:
    """The tree as indented text with box-drawing branches."""
    lines = [_line(root)] + ([f"    hiện nay: {root.now}"] if root.now else [])

    def walk(node: TreeNode, prefix: str) -> None:
        for i, c in enumerate(node.children):
            last = i == len(node.children) - 1
            below = prefix + ("    " if last else "│   ")
            lines.append(prefix + ("└── " if last else "├── ") + _line(c))
            if c.now:
                lines.append(below + ("│   " if c.children else "    ") + f"hiện nay: {c.now}")
            walk(c, below)

    walk(root, "")
    return "\n".join(lines)


def _line(n: TreeNode) -> str:
    extra = ", ".join(x for x in (n.date, n.issuer) if x and x not in n.label)
    return (n.label or n.iri) + (f" ({extra})" if extra else "") + (" [inferred]" if n.inferred else "")


def rows(root: TreeNode) -> list[dict[str, object]]:
    """The tree as flat rows (depth, document, parent, label, number, date, issuer, inferred)."""
    return [{"depth": d, "document": n.iri, "parent": p, "label": n.label, "number": n.number, "date": n.date,
             "issuer": n.issuer, "inferred": n.inferred, "now": n.now} for d, p, n in root.walk()]
