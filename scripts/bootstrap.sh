#!/bin/sh
# Create the virtualenv and install Earful into it, with what a fresh Debian/Ubuntu lacks.
set -eu
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

if ! command -v "$PYTHON" >/dev/null; then
    as_root apt-get update -q && as_root apt-get install -y -q python3 python3-venv
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Earful needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version)" >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        as_root apt-get update -q
        as_root apt-get install -y -q python3-venv
        "$PYTHON" -m venv "$VENV"
    fi
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[dev]'
