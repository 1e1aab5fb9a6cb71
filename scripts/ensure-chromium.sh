#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
# Playwright drives it through `executable_path`; it never downloads a browser.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
echo "Chromium is missing at $CHROMIUM; installing Debian's chromium package"
if ! command -v apt-get >/dev/null; then
  echo "error: apt-get not found; install Chromium by hand and set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "error: chromium was installed but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
