"""The `kg` command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def _err(msg: str) -> None:
    print(f"kg: {msg}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.build import extract_file
    from kg.reader import NoDocumentError, SourceError

    path = Path(args.file)
    try:
        record, text = extract_file(path)
    except NoDocumentError as exc:
        # a readable text that holds no document: its record is empty, which is an answer, not a failure
        _err(f"{path}: {exc}")
        if args.format == "json":
            print(json.dumps(exc.record.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    except SourceError as exc:
        _err(f"{path}: {exc}")
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
    else:
        from kg.build import merged
        from kg.graph import GraphBuilder

        ds = GraphBuilder([record], {record.source: text}).dataset()
        sys.stdout.write(merged(ds).serialize(format="turtle"))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import DEFAULT_OUT, build

    paths = [Path(p) for p in args.paths] or [Path("data/raw")]
    out = Path(args.out) if args.out else DEFAULT_OUT
    if args.workers is not None and args.workers < 1:
        _err("--workers must be 1 or more")
        return EXIT_USAGE
    result = build(paths, out, progress=not args.quiet, shacl=not args.no_validate, workers=args.workers,
                   cache=not args.no_cache, cache_dir=Path(args.cache_dir) if args.cache_dir else None,
                   shacl_inference=args.shacl_inference, shacl_engine=args.shacl_engine)
    c = result.counts
    print(f"built {len(result.built)} file(s) into {out}/ ({len(result.skipped)} skipped)")
    if args.timings:
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
        print(f"  extracted {result.extracted} file(s), {result.cached} from the cache; {stages}", file=sys.stderr)
        if result.graphs_made or result.graphs_kept:
            print(f"  graphs: {result.graphs_made} made, {result.graphs_kept} as an earlier build made them",
                  file=sys.stderr)
        if result.graphs_replaced is not None:
            print(f"  store: the last build's, {result.graphs_replaced} graph(s) replaced", file=sys.stderr)
        if result.shacl_focus is not None:
            print(f"  SHACL: {result.shacl_focus} focus node(s) the replaced graphs touch validated again",
                  file=sys.stderr)
    print(f"  documents {c.get('documents', 0)}, schemes {c.get('schemes', 0)}, citations {c.get('citations', 0)}, "
          f"agencies {c.get('agencies', 0)}, duties {c.get('duties', 0)}, targets {c.get('targets', 0)}, "
          f"triples {c.get('triples', 0)}")
    if args.no_validate:
        print("  SHACL validation skipped")
    else:
        print(f"  SHACL violations {result.violations}"
              + (f" (see {out}/shacl-report.ttl)" if result.violations else ""))
    if not result.built:
        _err("nothing was built: no readable document in the input")
        return EXIT_ERROR
    if result.skipped:
        return EXIT_SKIPPED
    return EXIT_ERROR if result.violations else EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graph of Vietnamese government directives.")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="print what the extractor reads out of one document")
    e.add_argument("file")
    e.add_argument("--format", choices=("json", "turtle"), default="json")
    e.set_defaults(func=cmd_extract)

    b = sub.add_parser("build", help="build the RDF graph of documents (files or folders; default data/raw)")
    b.add_argument("paths", nargs="*")
    b.add_argument("--out", help="output folder (default data/build)")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--workers", type=int, help="extraction processes (default: one per core; 1: no child process)")
    b.add_argument("--no-cache", action="store_true", help="extract every file, neither reading nor writing the "
                   "extraction cache")
    b.add_argument("--cache-dir", help="extraction cache folder (default $KG_CACHE_DIR, else ~/.cache/kg)")
    b.add_argument("--shacl-engine", choices=("sparql", "pyshacl"), default="sparql",
                   help="how ontology/shapes.ttl is checked: sparql (default: the shapes compiled into SPARQL "
                   "queries run on the build's store) or pyshacl (pySHACL on the merged graph, ten times slower)")
    b.add_argument("--shacl-inference", choices=("none", "rdfs"), default="none",
                   help="pySHACL's inference before validating (default none; rdfs: the RDFS closure of data and "
                   "ontology first, three times slower than pySHACL without; implies --shacl-engine pyshacl)")
    b.add_argument("--timings", action="store_true", help="print the time of each stage on stderr")
    b.set_defaults(func=cmd_build)

    from kg.cli_query import register as register_query_commands  # trace, duties, query, stats, export

    register_query_commands(sub)

    from kg.web.serve import register as register_serve  # serve: the web explorer

    register_serve(sub)

    from kg.push import register as register_push  # push: load a build into a SPARQL store (GSP)

    register_push(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from kg.store import StoreError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
