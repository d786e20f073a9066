// Times the engine's stages compiled as the browser's worker is (see
// bench/wasm.sh), cold or after a warm-up load of 2,000 generated lines
// (the worker's, app/src/engine/warm.rs), the two kinds alternating. Each
// run is a process of its own: V8 shares a module's optimised code with
// every later compilation of the same bytes.
//
//   node bench/wasm.mjs STAGES.wasm DATA_DIR [RUNS]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const WARM_UP_LINES = 2000;
const [wasmPath, dir, third] = process.argv.slice(2);

const time = (f) => {
  const start = performance.now();
  const result = f();
  return [performance.now() - start, result];
};

async function one(warm) {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
  const e = instance.exports;
  let warmUp = 0;
  if (warm) {
    e.generate(WARM_UP_LINES);
    [warmUp] = time(() => (e.load(), e.demand(), e.classify()));
    // The optimised code is compiled in the background meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  ["orders.csv", "products.csv", "customers.csv", "cost_pools.csv"].forEach((name, slot) => {
    const bytes = readFileSync(`${dir}/${name}`);
    const at = e.buffer(slot, bytes.length);
    new Uint8Array(e.memory.buffer, at, bytes.length).set(bytes);
  });
  const [load, lines] = time(() => e.load());
  const [demand, skus] = time(() => e.demand());
  const [classify] = time(() => e.classify());
  return { warm, warmUp, load, demand, classify, lines, skus };
}

if (third === "--cold" || third === "--warm") {
  console.log(JSON.stringify(await one(third === "--warm")));
  process.exit(0);
}

const runs = Number(third ?? 3);
const script = fileURLToPath(import.meta.url);
const results = [];
for (let i = 0; i < runs; i++) {
  for (const kind of ["--cold", "--warm"]) {
    const out = execFileSync(process.execPath, [script, wasmPath, dir, kind], { encoding: "utf8" });
    results.push(JSON.parse(out));
  }
}
const ms = (x) => x.toFixed(0).padStart(6);
const total = (r) => r.load + r.demand + r.classify;
console.log(`${results[0].lines} order lines, ${results[0].skus} SKUs; milliseconds`);
console.log("engine  warm-up    load (parse + join)  demand  classify   total");
for (const r of results) {
  const kind = r.warm ? "warm  " : "cold  ";
  console.log(`${kind} ${ms(r.warmUp)}  ${ms(r.load)}${" ".repeat(15)}${ms(r.demand)}  ${ms(r.classify)}  ${ms(total(r))}`);
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const warm of [false, true]) {
  const of = results.filter((r) => r.warm === warm);
  const m = (f) => median(of.map(f)).toFixed(0);
  const kind = warm ? "warm" : "cold";
  console.log(
    `median ${kind}: load ${m((r) => r.load)}, demand ${m((r) => r.demand)}, ` +
      `classify ${m((r) => r.classify)}, total ${m(total)} ms`,
  );
}
