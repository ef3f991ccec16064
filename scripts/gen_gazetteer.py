"""Compile ontology/vocab/agencies.ttl and number-abbreviations.ttl into kg/extract/gazetteer.json.

    python scripts/gen_gazetteer.py          # write the JSON
    python scripts/gen_gazetteer.py --check  # exit 1 if the JSON is not what the Turtle says

Run it after editing either vocabulary; tests/test_gazetteer.py fails until you do.
"""

from __future__ import annotations

import sys

from kg.extract.gazetteer import JSON_PATH, compile_vocabulary, dump


def main(argv: list[str]) -> int:
    text = dump(compile_vocabulary())
    if "--check" in argv:
        same = JSON_PATH.exists() and JSON_PATH.read_text(encoding="utf-8") == text
        print(f"{JSON_PATH}: {'up to date' if same else 'out of date, run scripts/gen_gazetteer.py'}")
        return 0 if same else 1
    JSON_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {JSON_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
