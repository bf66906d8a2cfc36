#!/usr/bin/env bash
# The whole test suite on a fresh machine with Python 3.11 and pip: creates .venv, installs the package
# with its test extras, installs the servers the integration tests start (Oxigraph from PyPI, Virtuoso
# and raptor's rapper from Debian, where apt is usable) and Debian's headless Chromium for the web tests,
# then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh "[test]"
if [ -f scripts/install-servers.sh ]; then
    bash scripts/install-servers.sh || echo "note: some test servers could not be installed; their tests will say why they skip"
fi
if [ -f scripts/install-browser.sh ]; then
    bash scripts/install-browser.sh || echo "note: the browser could not be installed; the browser tests will say why they skip"
fi
exec .venv/bin/python -m pytest -q "$@"
