#!/bin/sh
# Install Debian's chromium for the browser tests (Playwright drives it; it never downloads
# its own browsers):  sh scripts/install-chromium.sh
# Does nothing when `chromium` is already on PATH. Runs apt-get update only when the install
# fails without it. Needs root, or sudo.
set -eu

if command -v chromium >/dev/null; then
    exit 0
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

if ! command -v apt-get >/dev/null; then
    echo "chromium is not installed and apt-get is missing: install chromium by hand" \
        "(the browser tests look for \`chromium\` on PATH)" >&2
    exit 1
fi

install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium
}

echo "installing Debian's chromium for the browser tests" >&2
if ! install; then
    as_root apt-get update -q
    if ! install; then
        echo "could not install chromium with apt-get; the browser tests need it" >&2
        exit 1
    fi
fi

if ! command -v chromium >/dev/null; then
    echo "chromium was installed but is not on PATH" >&2
    exit 1
fi
echo "$(chromium --version 2>/dev/null || echo chromium) installed" >&2
