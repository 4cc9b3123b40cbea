#!/usr/bin/env bash
# Installs what the tests need beyond the build tools: Debian's Chromium
# for Playwright, the npm packages of end2end/, and aiosmtpd (a real SMTP
# server the mail tests send through). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing Chromium from Debian's packages"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules ]; then
  echo "==> installing the npm packages of end2end/"
  # Playwright must not fetch a browser of its own: it drives Debian's.
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  echo "==> installing aiosmtpd from PyPI"
  python3 -m pip install --quiet "aiosmtpd==1.4.6"
fi
