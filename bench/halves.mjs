// What the browser would gain by parsing the orders file on two workers
// (BENCHMARKS.md, "What remains"): the engine's load, compiled as the
// worker is (bench/wasm.sh builds STAGES.wasm), run by one warmed-up
// instance on the whole file against two instances side by side, each on
// one half of the order lines (the header line and the three other files
// given to both). The halves are cut at the line end nearest the middle:
// right for generated data, whose cells hold no line breaks. Nothing is
// merged, so the two figures bound the gain and price the memory: each
// instance's WebAssembly memory is reported after its load.
//
//   node bench/halves.mjs STAGES.wasm DATA_DIR [RUNS]
import { readFileSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const FILES = ["orders.csv", "products.csv", "customers.csv", "cost_pools.csv"];
const WARM_UP_LINES = 2000;

/** Bytes of `orders` for `part` ("all", "first" or "second"). */
function ordersPart(orders, part) {
  if (part === "all") return orders;
  const headerEnd = orders.indexOf(10) + 1;
  const middle = orders.indexOf(10, headerEnd + Math.floor((orders.length - headerEnd) / 2)) + 1;
  const rows = part === "first" ? orders.subarray(headerEnd, middle) : orders.subarray(middle);
  return Buffer.concat([orders.subarray(0, headerEnd), rows]);
}

async function worker({ wasm, dir, part }) {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {});
  const e = instance.exports;
  // Warmed up as the app's worker is (app/src/engine/warm.rs); V8 compiles
  // the optimised code in the background meanwhile.
  e.generate(WARM_UP_LINES);
  e.load();
  await new Promise((resolve) => setTimeout(resolve, 200));
  FILES.forEach((name, slot) => {
    const whole = readFileSync(`${dir}/${name}`);
    const bytes = slot === 0 ? ordersPart(whole, part) : whole;
    const at = e.buffer(slot, bytes.length);
    new Uint8Array(e.memory.buffer, at, bytes.length).set(bytes);
  });
  parentPort.postMessage("ready");
  parentPort.once("message", () => {
    const start = performance.now();
    const lines = e.load();
    const ms = performance.now() - start;
    parentPort.postMessage({ ms, lines, mib: e.memory.buffer.byteLength / 2 ** 20 });
  });
}

/** One run: `parts` instances, started together once all are ready. */
async function run(wasm, dir, parts) {
  const workers = parts.map(
    (part) => new Worker(new URL(import.meta.url), { workerData: { wasm, dir, part } }),
  );
  const next = (w) => new Promise((resolve, reject) => (w.once("message", resolve), w.once("error", reject)));
  await Promise.all(workers.map(next));
  const start = performance.now();
  const results = await Promise.all(workers.map((w) => (w.postMessage("go"), next(w))));
  const wall = performance.now() - start;
  await Promise.all(workers.map((w) => w.terminate()));
  return { wall, results };
}

if (!isMainThread) {
  await worker(workerData);
} else {
  const [wasm, dir, runsArg] = process.argv.slice(2);
  if (!wasm || !dir) {
    console.error("usage: node bench/halves.mjs STAGES.wasm DATA_DIR [RUNS]");
    process.exit(2);
  }
  const runs = Number(runsArg ?? 3);
  const rows = { one: [], two: [] };
  for (let i = 0; i < runs; i++) {
    for (const [kind, parts] of [["one", ["all"]], ["two", ["first", "second"]]]) {
      const { wall, results } = await run(wasm, dir, parts);
      rows[kind].push(wall);
      const each = results.map((r) => `${r.lines} lines ${r.ms.toFixed(0)} ms ${r.mib.toFixed(1)} MiB`);
      console.log(`${kind}: ${wall.toFixed(0)} ms  (${each.join("; ")})`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const [one, two] = [median(rows.one), median(rows.two)];
  console.log(`median: one instance ${one.toFixed(0)} ms, two halves side by side ${two.toFixed(0)} ms: ${(one / two).toFixed(2)}×`);
}
