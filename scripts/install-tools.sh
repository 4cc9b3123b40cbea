#!/usr/bin/env bash
# Installs the build tools the app needs, skipping any already present at the
# right version. Safe to run again. See README.md "Quick start".
set -euo pipefail

LEPTOS_VERSION=0.3.11
# Must match the `wasm-bindgen` crate pinned with `=` in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

pids=()
if ! cargo-leptos --version 2>/dev/null | grep -q "$LEPTOS_VERSION"; then
  echo "==> installing cargo-leptos $LEPTOS_VERSION (about 10 minutes)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$LEPTOS_VERSION" --locked \
    --ignore-rust-version --features no_downloads &
  pids+=($!)
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force &
  pids+=($!)
fi
for pid in "${pids[@]}"; do
  wait "$pid"
done
