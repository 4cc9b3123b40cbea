#!/usr/bin/env bash
# Builds the production bundle: an optimized server binary and a wasm
# shrunk by wasm-opt. wasm-opt comes from the npm package `binaryen` (its
# Debian package writes a wasm that breaks hydration), installed locally
# under tools/ here. Run the result with target/release/sangtao.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

BINARYEN_VERSION=132.0.0
bash scripts/install-tools.sh
if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  echo "==> installing wasm-opt (npm binaryen $BINARYEN_VERSION) under tools/"
  mkdir -p tools
  (cd tools && npm install --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION")
fi
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo leptos build --release
ls -l target/release/sangtao target/site/pkg/
