#!/usr/bin/env bash
# Installs Debian's headless Chromium, which the HTML report tests drive through puppeteer-core.
# Idempotent: does nothing when a Chromium binary is already there (or HEAPGATE_CHROMIUM names one).
set -euo pipefail

if [ -n "${HEAPGATE_CHROMIUM:-}" ] && [ -x "${HEAPGATE_CHROMIUM}" ]; then
  exit 0
fi
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no Chromium found and no apt-get to install it; install Chromium and set HEAPGATE_CHROMIUM" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-browser: installing Chromium needs root (or password-less sudo); install the 'chromium' package and rerun" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
