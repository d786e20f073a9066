#!/bin/sh
# The engine's load, demand and classification compiled as the browser's
# worker is, timed under node's V8 (bench/wasm/, bench/wasm.mjs): a cold
# engine against one warmed up by a load of 2,000 generated lines, as the
# worker warms itself up (app/src/engine/warm.rs). Issue #7.
#
#   bench/wasm.sh [LINES] [RUNS]     # default: 1000000 lines, 3 runs of each
#
# Needs ./x setup (wasm32 target, wasm-opt in e2e/node_modules).
set -eu
cd "$(dirname "$0")/.."
lines=${1:-1000000}
runs=${2:-3}
data=bench/data/$lines
if [ ! -f "$data/orders.csv" ]; then
  cargo run --quiet --release -p segscope-cli -- demo --lines "$lines" --seed 42 --out "$data"
fi
out=target/wasm-bench
CARGO_TARGET_DIR=$out cargo build --quiet --release --target wasm32-unknown-unknown \
  --manifest-path bench/wasm/Cargo.toml
# As trunk does for the app (index.html: data-wasm-opt="z").
e2e/node_modules/.bin/wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
  "$out/wasm32-unknown-unknown/release/segscope_wasm_bench.wasm" -o "$out/stages.wasm"
exec node bench/wasm.mjs "$out/stages.wasm" "$data" "$runs"
