#!/usr/bin/env bash
# Quick start, second command: installs what the tests need and runs every
# check and test: formatting, clippy on both targets, unit and integration
# tests (real server, real SQLite), and Playwright in headless Chromium.
# Builds the debug profile only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# A CI run builds once from clean: incremental artifacts would only cost
# time and gigabytes of disk there.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

bash scripts/install-tools.sh
bash scripts/install-test-tools.sh

echo "==> formatting"
cargo fmt --check
echo "==> clippy (server and browser)"
cargo clippy --features ssr --all-targets -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
echo "==> unit and integration tests"
cargo test --features ssr
echo "==> end-to-end tests"
cargo leptos build
(cd end2end && npx playwright test)
