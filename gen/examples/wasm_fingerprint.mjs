// Prints the demo's fingerprints computed in WebAssembly; compare them with
// DEMO_FNV1A in gen/src/tests/mod.rs. See wasm_fingerprint.rs.
import { readFileSync } from "node:fs";

const path = new URL(
  "../../target/wasm32-unknown-unknown/release/examples/wasm_fingerprint.wasm",
  import.meta.url,
);
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const names = ["orders", "products", "customers", "cost_pools"];
for (let i = 0; i < 4; i++) {
  const h = BigInt.asUintN(64, instance.exports.demo_fingerprint(i));
  console.log(`${names[i]}: 0x${h.toString(16).padStart(16, "0")}`);
}
