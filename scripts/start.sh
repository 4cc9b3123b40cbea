#!/usr/bin/env bash
# Quick start, first command: installs what is missing, builds, creates the
# SQLite database under ./data, loads the demo edition, prints the demo
# sign-ins and serves the app on http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/install-tools.sh
echo "==> building (debug profile)"
cargo leptos build

export SANGTAO_DATA_DIR="${SANGTAO_DATA_DIR:-./data}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
./target/debug/sangtao migrate
./target/debug/sangtao demo
echo "==> serving on http://$LEPTOS_SITE_ADDR (Ctrl-C to stop)"
exec ./target/debug/sangtao
