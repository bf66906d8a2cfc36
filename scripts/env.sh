# Sourced by scripts/demo.sh and scripts/test.sh: makes .venv (with venv, or virtualenv from PyPI where the
# interpreter has no venv module) and installs the package into it with the extras given in $1.
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        "$PYTHON" -m pip install --quiet --user virtualenv
        "$PYTHON" -m virtualenv --quiet .venv
    fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${1:-}"
