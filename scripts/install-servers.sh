#!/usr/bin/env bash
# Installs what the integration tests start or call, and does nothing for what is already there:
#   - the `oxigraph` server binary (PyPI package `oxigraph`, into the project's .venv);
#   - Virtuoso Open Source (Debian package virtuoso-opensource: /usr/bin/virtuoso-t);
#   - raptor's `rapper` (Debian package raptor2-utils), the independent parser used by the export tests.
# Where something cannot be installed (no apt, not root, no network) it prints why and carries on: the
# tests that need it skip with that reason. This script never fails the test command.
# Nothing is started or configured here; the tests run private servers on 127.0.0.1 only.
set -u
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

note() { echo "install-servers: $*"; }

# --- Oxigraph server (PyPI) ---------------------------------------------------------------------
oxigraph_bin="$(dirname "$PYTHON")/oxigraph"
if [ -x "$oxigraph_bin" ] || command -v oxigraph >/dev/null 2>&1; then
    note "oxigraph server present"
elif "$PYTHON" -m pip install --quiet --disable-pip-version-check oxigraph; then
    note "oxigraph server installed with pip"
else
    note "could not pip install oxigraph; the Oxigraph server tests will skip"
fi

# --- Debian packages ----------------------------------------------------------------------------
missing=()
command -v virtuoso-t >/dev/null 2>&1 || [ -x /usr/bin/virtuoso-t ] || missing+=(virtuoso-opensource)
command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)

if [ ${#missing[@]} -eq 0 ]; then
    note "virtuoso-t and rapper present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    note "apt-get is not available; not installing ${missing[*]} (their tests will skip)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        note "not root and no password-less sudo; not installing ${missing[*]} (their tests will skip)"
        exit 0
    fi
else
    SUDO=""
fi

export DEBIAN_FRONTEND=noninteractive
# Virtuoso's package asks for a DBA password through debconf; the tests use private databases with
# their own defaults, so the question is answered empty and the packaged service is never used.
if [[ " ${missing[*]} " == *" virtuoso-opensource "* ]] && command -v debconf-set-selections >/dev/null 2>&1; then
    printf '%s\n' \
        "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password" \
        "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password" \
        | $SUDO debconf-set-selections 2>/dev/null || true
fi
log=$(mktemp)
if ! $SUDO apt-get update -qq >"$log" 2>&1; then
    note "apt-get update failed; not installing ${missing[*]}: $(tail -n 2 "$log" | tr '\n' ' ')"
    rm -f "$log"
    exit 0
fi
# policy-rc.d keeps the package from starting its own system-wide Virtuoso service during install.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ] && [ -z "$SUDO" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
if $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    note "installed ${missing[*]}"
else
    note "could not install ${missing[*]}; their tests will skip: $(tail -n 2 "$log" | tr '\n' ' ')"
fi
[ "$made_policy" -eq 1 ] && rm -f "$policy"
rm -f "$log"
exit 0
