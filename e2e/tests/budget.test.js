// Issue #7's size budget: the app's WebAssembly (the page's and the engine
// worker's), gzipped, at most 1.5 MB. The bench reports the same figure
// (e2e/bench/browser.mjs, zlib level 9); this test keeps a change from
// crossing the line unnoticed. It reads the build the other tests drive.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { DIST } from "./support/session.js";

const BUDGET = 1_500_000;

test("the page's and the worker's wasm, gzipped, fit in 1.5 MB", () => {
  const files = readdirSync(DIST).filter((f) => f.endsWith(".wasm")).sort();
  assert.equal(files.length, 2, `two wasm files in ${DIST}: ${files.join(", ")}`);
  assert.ok(files.includes("worker_bg.wasm"), "the worker's wasm");
  const sizes = files.map((f) => gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const detail = files.map((f, i) => `${f} ${sizes[i]} B`).join(", ");
  assert.ok(total <= BUDGET, `gzipped wasm ${total} B > ${BUDGET} B (${detail})`);
});
