#!/usr/bin/env bash
# Builds the graph from data/ (the sample articles) into the default embedded store ./anttkg-store and
# shows what it holds and who is in it. Installs the package into .venv first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh ""
.venv/bin/anttkg build data/
.venv/bin/anttkg query people
