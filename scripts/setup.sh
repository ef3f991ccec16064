#!/usr/bin/env bash
# The README's first command: install everything, then build the graph of the bundled documents.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/kg build data/raw --out data/build
