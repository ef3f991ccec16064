#!/usr/bin/env bash
# The README's first command: install everything, build the graph of the bundled documents, then serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/kg build data/raw --out data/build
# the web explorer, in the foreground: it prints "Open http://127.0.0.1:8000/" once ready (Ctrl+C to stop)
exec .venv/bin/kg serve --build data/build --host 127.0.0.1 --port "${KG_PORT:-8000}"
