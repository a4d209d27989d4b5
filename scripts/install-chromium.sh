#!/bin/sh
# Installs Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own). Called by `make test`; does nothing when Chromium is there.
set -e
CHROMIUM="${TTDN_CHROMIUM:-/usr/bin/chromium}"
# a CJK font too, so that screenshots of Chinese and Japanese pages show characters, not boxes
if [ -x "$CHROMIUM" ] && [ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium: $CHROMIUM is missing and this user cannot install Debian packages;" >&2
    echo "  run as root: apt-get install -y chromium   (or set TTDN_CHROMIUM to a Chromium binary)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
PACKAGES="chromium fonts-wqy-zenhei"
$SUDO apt-get install -y --no-install-recommends $PACKAGES \
    || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends $PACKAGES; }
"$CHROMIUM" --version
