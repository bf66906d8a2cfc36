#!/usr/bin/env bash
# Installs what the browser tests of `anttkg serve` drive, and does nothing for what is already there:
#   - Debian's headless Chromium and its WebDriver (packages chromium and chromium-driver);
#   - selenium (PyPI, into the project's .venv; the [test] extra lists it too).
# Where something cannot be installed (no apt, not root, no network) it prints why and carries on: the
# browser tests skip with that reason. This script never fails the test command.
set -u
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

note() { echo "install-browser: $*"; }

if ! "$PYTHON" -c "import selenium" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check selenium \
        || note "could not pip install selenium; the browser tests will skip"
fi

have_browser() {
    { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } \
        && { command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ]; }
}
if have_browser; then
    note "chromium and chromedriver present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    note "apt-get is not available; not installing chromium (the browser tests will skip)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        note "not root and no password-less sudo; not installing chromium (the browser tests will skip)"
        exit 0
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! $SUDO apt-get update -qq >"$log" 2>&1; then
    note "apt-get update failed; not installing chromium: $(tail -n 2 "$log" | tr '\n' ' ')"
    rm -f "$log"
    exit 0
fi
# fonts-noto-core carries Vietnamese glyphs, so screenshots show the text and not boxes.
if $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-core \
        >"$log" 2>&1; then
    note "installed chromium, chromium-driver and fonts-noto-core"
else
    note "could not install chromium; the browser tests will skip: $(tail -n 2 "$log" | tr '\n' ' ')"
fi
rm -f "$log"
exit 0
