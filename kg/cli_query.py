"""The question-answering subcommands of `kg`: trace, duties, coverage, query, stats, export.

Registered on the `kg` parser by :func:`register`.  Every command reads the
embedded store of a build folder (``--build``, default ``data/build``) or, with
``--endpoint URL``, any SPARQL 1.1 endpoint; names typed by the user are found
through :mod:`kg.lookup` and bound as RDF terms.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from rdflib import Literal, URIRef

from kg.lookup import LookupError_, resolve_one
from kg.namespaces import NAMESPACES
from kg.store import StoreError, open_store

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
FORMATS = ("table", "json", "csv")
_WIDTH = 60


def _err(msg: str) -> None:
    print(f"kg: {msg}", file=sys.stderr)


def _lookup_failed(exc: LookupError_) -> int:
    _err(str(exc))
    if exc.candidates:
        head = "did you mean:" if str(exc).startswith("no ") or str(exc).startswith("nothing") else "candidates:"
        print(f"  {head}", file=sys.stderr)
        for c in exc.candidates[:20]:
            print(f"    {c}", file=sys.stderr)
    return EXIT_ERROR


# -- output ---------------------------------------------------------------------
def plain(value) -> object:
    """An RDF term (or Python value) as JSON-friendly data: numbers and booleans typed, the rest text."""
    if isinstance(value, Literal):
        v = value.toPython()
        return v if isinstance(v, (bool, int, float)) else str(value) if not hasattr(v, "isoformat") else v.isoformat()
    if isinstance(value, URIRef):
        return str(value)
    return value


def compact(value) -> str:
    """A cell for a table: IRIs shortened with the prefix table (``id:doc/01-qd-ttg-2023``)."""
    if isinstance(value, URIRef):
        s = str(value)
        for prefix, ns in NAMESPACES.items():
            if s.startswith(str(ns)) and len(s) > len(str(ns)):
                return f"{prefix}:{s[len(str(ns)):]}"
        return s
    return "" if value is None else " ".join(str(plain(value)).split())


def write_rows(rows: list[dict], cols: list[str], fmt: str, out=None) -> None:
    """Rows as an aligned text table, JSON (list of objects) or CSV."""
    out = out or sys.stdout
    cols = cols or sorted({k for r in rows for k in r})
    if fmt == "json":
        json.dump([{c: plain(r[c]) for c in cols if c in r} for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else plain(r[c]) for c in cols])
    else:
        cells = [[_cut(compact(r.get(c))) for c in cols] for r in rows]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
        out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for row in cells:
            out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _cut(s: str) -> str:
    return s if len(s) <= _WIDTH else s[:_WIDTH - 1] + "…"


def _store(args):
    return open_store(Path(args.build) if args.build else None, args.endpoint)


# -- commands -------------------------------------------------------------------
def cmd_trace(args: argparse.Namespace) -> int:
    from kg import queries, trace

    store = _store(args)
    hit = resolve_one(queries.lookup_for(store), args.document, "document")
    root = trace.tree(store, hit.iri, down=not args.up)
    if args.now:
        trace.annotate_now(store, root)
    if args.format == "json":
        print(json.dumps(root.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        write_rows(trace.rows(root), list(trace.rows(root)[0]), "csv")
    else:
        print(trace.render(root))
        if not root.children:
            print("  (no document implements it)" if not args.up else "  (it implements no document)")
    return EXIT_OK


def find_agency(lookup, name: str, place: str | None):
    """One agency for `name`, narrowed to labels that also contain every word of `place`."""
    if not place:
        return resolve_one(lookup, name, "agency")
    # the place's words are more words of the search: every agency whose label has them all, however many
    # agencies bear the name elsewhere (no cap: at national size "Ủy ban nhân dân xã" names ten thousand bodies)
    hits = lookup.search(f"{name} {place}", kind="agency", limit=None)
    if not hits:
        raise LookupError_(f"no agency matches “{name}” in “{place}”", lookup.suggest(f"{name} {place}", "agency"))
    exact = [h for h in hits if h.rank[0] == 0]
    if len(hits) == 1 or len(exact) == 1:
        return exact[0] if exact else hits[0]
    raise LookupError_(f"“{name}” in “{place}” matches {len(hits)} agency names", [h.label for h in hits])


def cmd_duties(args: argparse.Namespace) -> int:
    from kg import queries

    store = _store(args)
    hit = find_agency(queries.lookup_for(store), args.agency, args.place)
    q = queries.load("agency-duties")
    values = {"agency": hit.iri} | ({"role": args.role} if args.role else {})
    cols = queries.columns(q)
    if args.now:  # its own duties and those of every body it succeeded (kg/duties_now.py)
        from kg.duties_now import NOW_COLUMNS, rows as now_rows

        rows = now_rows(store, hit.iri, hit.label, args.role)
        cols = cols + NOW_COLUMNS
    else:
        rows = queries.run(store, q, values)
    if args.due_before:
        rows = [r for r in rows if r.get("deadline") is not None and str(r["deadline"])[:10] < args.due_before]
    if args.format == "ics":
        text = duties_calendar(hit.label, rows)
        if hasattr(sys.stdout, "buffer"):  # CRLF line ends as RFC 5545 wants, whatever the platform
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return EXIT_OK
    if args.format != "table":
        write_rows(rows, cols, args.format)
        return EXIT_OK
    print(f"{hit.label}: {len(rows)} duty(ies)" + (f" as {args.role}" if args.role else "")
          + (f", {sum(1 for r in rows if r['succession'])} inherited" if args.now else ""))
    for r in rows:
        when = compact(r.get("deadline")) or compact(r.get("recurrence"))
        print(f"\n[{r['duty_role']}] {compact(r.get('document_label'))} ({compact(r.get('assigner'))})"
              + (f" — deadline {when}" if when else ""))
        if args.now and r.get("succession"):
            print(f"  assigned to {r['held_by_label']}" + (" (now one of several holders)" if r["one_of_several"] else ""))
            print(f"  via {r['succession']}")
        print(f"  {compact(r.get('description'))}")
        if r.get("source"):
            print(f"  source: {r['source']} [{r.get('start')}:{r.get('end')}]"
                  + (f", document sets {r['targets']} target(s)" if int(r.get("targets", 0)) else ""))
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Which provinces have issued a document implementing a decision (kg/coverage.py)."""
    from kg import coverage, queries

    store = _store(args)
    hit = resolve_one(queries.lookup_for(store), args.document, "document")
    c = coverage.coverage(store, hit.iri)
    if args.format == "json":
        print(json.dumps(c.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        rows = [{"list": name, "code": r.unit.code, "province": r.unit.full_name, "covered": r.covered,
                 "documents": "; ".join(d["number"] or d["label"] for d in r.documents)}
                for name, rs in (("then", c.then), ("now", c.now)) for r in rs]
        write_rows(rows, ["list", "code", "province", "covered", "documents"], "csv")
    else:
        print(coverage.render(c, hit.label))
    return EXIT_OK


def duties_calendar(agency: str, rows: list[dict]) -> str:
    """The duties with a deadline as an iCalendar (one VEVENT each; URL the duty's IRI)."""
    from datetime import date

    from kg import ics

    events = []
    for r in rows:
        if r.get("deadline") is None:
            continue
        task = " ".join(str(r.get("description") or "").split())
        quote = str(r.get("source_quote") or task)
        desc = "\n".join(" ".join(line.split()) for line in quote.splitlines() if line.strip())
        desc += f"\n\nVăn bản: {r.get('document_label') or r.get('document')}"
        events.append(ics.Event(uid_source=str(r["duty"]), deadline=date.fromisoformat(str(r["deadline"])[:10]),
                                summary=f"{agency}: {task[:159] + '…' if len(task) > 160 else task}",
                                description=desc, url=str(r["duty"]), recurrence=str(r.get("recurrence") or "")))
    return ics.calendar(events, name=agency)


def _iso_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _param_pairs(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise ValueError(f"--param wants NAME=VALUE, not “{p}”")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


def cmd_query(args: argparse.Namespace) -> int:
    from kg import queries

    if args.list:
        for name, q in queries.available().items():
            params = ", ".join(f"{p.name} ({p.kind}, {'required' if p.required else 'optional'})" for p in q.params)
            print(f"{name}: {q.summary}" + (f"\n    params: {params}" if params else ""))
        return EXIT_OK
    if not args.name:
        _err("name a query (or --list)")
        return EXIT_USAGE
    q = queries.load(args.name)
    try:
        values = _param_pairs(args.param)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    store = _store(args)
    rows = queries.run(store, q, values)
    write_rows(rows, queries.columns(q), args.format)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from kg import analytics

    s = analytics.summary(analytics.network(_store(args)), top=args.top)
    print(json.dumps(s, ensure_ascii=False, indent=2) if args.format == "json" else analytics.render(s))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from kg import analytics, export

    default = {"graphml": "kg-network.graphml", "gexf": "kg-network.gexf", "csv": "kg-network"}[args.format]
    files = export.export(analytics.network(_store(args)), args.format, Path(args.out or default))
    for f in files:
        print(f"wrote {f}")
    return EXIT_OK


def _guard(func):
    """Turn look-up, query and store errors into one message and exit status 1."""
    def run(args: argparse.Namespace) -> int:
        from kg.queries import QueryError

        try:
            return func(args)
        except LookupError_ as exc:
            return _lookup_failed(exc)
        except (QueryError, StoreError) as exc:
            _err(str(exc))
            return EXIT_ERROR
    return run


def _source_args(p: argparse.ArgumentParser, endpoint: bool = True) -> None:
    p.add_argument("--build", help="build folder to read (default data/build)")
    if endpoint:
        p.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of the build")


def register(sub) -> None:
    """Add trace, duties, query, stats and export to the `kg` subparsers."""
    t = sub.add_parser("trace", help="the implementation tree of a document (down) or its chain up to the root")
    t.add_argument("document", help="number (01/QĐ-TTg), label or IRI of the document")
    way = t.add_mutually_exclusive_group()
    way.add_argument("--down", action="store_true", help="plans implementing it, at any depth (default)")
    way.add_argument("--up", action="store_true", help="what it implements, up to the root")
    t.add_argument("--now", action="store_true",
                   help="for each document of a district or commune abolished in 2025, the units holding its place "
                   "now (its communes and province)")
    t.add_argument("--format", choices=FORMATS, default="table")
    _source_args(t)
    t.set_defaults(func=_guard(cmd_trace))

    d = sub.add_parser("duties", help="the duties of an agency (lead and partner)")
    d.add_argument("agency", help="agency name; case, diacritics and tone placement are forgiven")
    d.add_argument("--in", dest="place", metavar="PLACE", help="jurisdiction (\"An Giang\", \"Tràng Định\")")
    d.add_argument("--role", choices=("lead", "partner"))
    d.add_argument("--due-before", metavar="DATE", type=_iso_date,
                   help="only duties whose deadline is before DATE (YYYY-MM-DD, DATE itself excluded)")
    d.add_argument("--now", action="store_true",
                   help="also the duties of every body it succeeded in the 2025 reorganisation, each with the "
                   "body it was assigned to and the successions that brought it")
    d.add_argument("--format", choices=FORMATS + ("ics",), default="table",
                   help="table, json, csv, or ics (iCalendar: one event per duty with a deadline)")
    _source_args(d)
    d.set_defaults(func=_guard(cmd_duties))

    c = sub.add_parser("coverage", help="which provinces have issued a document implementing a decision, "
                       "against the provinces of its date (63) and of today (34)")
    c.add_argument("document", help="number (01/QĐ-TTg), label or IRI of the decision")
    c.add_argument("--format", choices=FORMATS, default="table")
    _source_args(c)
    c.set_defaults(func=_guard(cmd_coverage))

    q = sub.add_parser("query", help="run a query of queries/ (by name) or a .rq file")
    q.add_argument("name", nargs="?", help="query name (see --list) or path to a .rq file")
    q.add_argument("--param", action="append", metavar="NAME=VALUE", help="a parameter (repeatable)")
    q.add_argument("--list", action="store_true", help="list the queries and their parameters")
    q.add_argument("--format", choices=FORMATS, default="table")
    _source_args(q)
    q.set_defaults(func=_guard(cmd_query))

    s = sub.add_parser("stats", help="cascade depth and breadth, busiest agencies, most cited documents, components")
    s.add_argument("--top", type=int, default=10, help="rows per ranking (default 10)")
    s.add_argument("--format", choices=("table", "json"), default="table")
    _source_args(s)
    s.set_defaults(func=_guard(cmd_stats))

    e = sub.add_parser("export", help="the network for Gephi (graphml, gexf) or spreadsheets (csv)")
    e.add_argument("--format", choices=("graphml", "gexf", "csv"), default="graphml")
    e.add_argument("--out", help="output file (graphml, gexf) or folder (csv)")
    _source_args(e)
    e.set_defaults(func=_guard(cmd_export))
