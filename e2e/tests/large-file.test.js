// A large export is parsed in the engine worker — a big one in two halves,
// the second by a helper worker (app/src/halves.rs) — the page shows
// progress with a percentage and keeps responding while it works.

import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DIST, start } from "./support/session.js";

const LINES = 400_000;

/** Rows repeated at the end of the export: exact duplicates, found far apart. */
const REPEATED = [0, 131_071, 250_000, LINES - 1];

/**
 * A plain orders export of `n` lines (about 17 MB) and the REPEATED rows
 * again, deterministic, with its totals computed here independently (in
 * cents, so exactly). The engine worker reads its first half as it streams
 * in and a helper worker the second (core/src/ingest/orders/halves.rs);
 * the repeated rows, two of them duplicates across the cut, are fetched
 * back from the file to compare them (core/src/ingest/orders/stream.rs).
 * With `note`, a Note column, blank but on the middle row, which holds
 * `note` in quotes.
 */
function bigExport(n, note) {
  const header = "Order ID,Order Date,SKU,Quantity,Unit Price,Customer";
  const rows = [note === undefined ? header : `${header},Note`];
  let cents = 0;
  let units = 0;
  const row = (i) => {
    const qty = 1 + (i % 7);
    cents += qty * (250 + 100 * (i % 13));
    units += qty;
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const date = `2024-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const price = (2.5 + (i % 13)).toFixed(2);
    const line = `SO-${Math.floor(i / 3)},${date},SKU-${i % 997},${qty},${price},CUST-${i % 311}`;
    if (note === undefined) return line;
    return i === Math.floor(n / 2) ? `${line},"${note}"` : `${line},`;
  };
  for (let i = 0; i < n; i++) rows.push(row(i));
  if (note === undefined) for (const i of REPEATED) rows.push(row(i));
  return { text: rows.join("\n") + "\n", cents, units };
}

/** The app's worker scripts requested so far: the engine's and each helper's. */
const workerStarts = (s) => s.requests.filter((r) => r.url.endsWith("/worker_loader.js")).length;

/** Collects the console messages of the page and its workers that say a helper failed. */
function helperFailures(page) {
  const failures = [];
  page.on("console", (m) => {
    if (m.text().includes("the second worker")) failures.push(m.text());
  });
  return failures;
}

const money = (cents) =>
  (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test("a large file shows progress and the page keeps responding while it is parsed", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "segscope-big-"));
  const file = path.join(dir, "big-orders.csv");
  const big = bigExport(LINES);
  await writeFile(file, big.text);
  // Every SKU at a unit cost of 1.00: the margin is the revenue less the units.
  const products = path.join(dir, "big-products.csv");
  const skus = Array.from({ length: 997 }, (_, k) => `SKU-${k},1.00`);
  await writeFile(products, ["SKU,Unit Cost", ...skus].join("\n") + "\n");
  const s = await start();
  const failures = helperFailures(s.page);
  try {
    await s.app.open();
    // The engine and the helper it starts with itself.
    assert.equal(workerStarts(s), 2);
    // Measure the main thread: the longest gap between 16 ms timer ticks.
    await s.page.evaluate(() => {
      window.__gaps = { max: 0, last: performance.now() };
      window.__tick = setInterval(() => {
        const now = performance.now();
        window.__gaps.max = Math.max(window.__gaps.max, now - window.__gaps.last);
        window.__gaps.last = now;
      }, 16);
    });
    const percent = s.page.getByTestId("progress-percent");
    let sawPercent = false;
    await s.app.andWait(async () => {
      await s.page.getByLabel("Choose orders file…").setInputFiles(file);
      await percent.waitFor({ timeout: 30_000 });
      sawPercent = true;
      assert.match(await percent.textContent(), /^\d{1,3}%$/);
      assert.equal(await s.page.locator("progress#work-progress").count(), 1);
      // A file picked while the orders stream in waits its turn in the
      // engine worker (app/src/bin/worker.rs, `Worker::stream_in`).
      await s.page.getByLabel("Choose products file…").setInputFiles(products);
      await s.app.screenshot("40-large-file-progress");
      // The page answers clicks while the worker parses.
      await s.app.goTo("Segments");
      await s.app.goTo("Data");
    });
    assert.ok(sawPercent, "a percentage was shown");
    const maxGap = await s.page.evaluate(() => {
      clearInterval(window.__tick);
      return window.__gaps.max;
    });
    assert.equal(await s.app.summary("lines"), (LINES + REPEATED.length).toLocaleString("en-US"));
    // Duplicates are kept, and flagged.
    assert.equal(await s.app.qualityCount("duplicate_line"), REPEATED.length);
    assert.equal(await s.app.summary("orders"), Math.ceil(LINES / 3).toLocaleString("en-US"));
    assert.equal(await s.app.summary("revenue"), money(big.cents));
    assert.equal(await s.app.summary("quantity"), big.units.toLocaleString("en-US"));
    await s.page.getByTestId("loaded-products").getByText("big-products.csv").waitFor();
    await s.page.waitForFunction(
      (margin) => document.querySelector('[data-testid="summary-margin"]')?.textContent.trim() === margin,
      money(big.cents - 100 * big.units),
      { timeout: 60_000 },
    );
    assert.ok(maxGap < 500, `the main thread was blocked for ${Math.round(maxGap)} ms`);
    // The file was read in halves: the helper that read the second was
    // ended and a fresh one started for the next file, and none failed.
    assert.equal(workerStarts(s), 3);
    assert.deepEqual(failures, []);
    await s.app.screenshot("41-large-file-loaded");
  } finally {
    await s.end();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Loads the big export into a copy of the build that `alter(dist)` changed,
 * checks that it reads as the whole file, then runs `more(s, failures)`.
 */
async function bigFileInBuild(prefix, alter, more = async () => {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const dist = path.join(dir, "dist");
  await cp(DIST, dist, { recursive: true });
  await alter(dist);
  const file = path.join(dir, "big-orders.csv");
  const big = bigExport(LINES);
  await writeFile(file, big.text);
  const s = await start({ dist });
  const failures = helperFailures(s.page);
  try {
    await s.app.open();
    await s.app.upload("orders", file);
    assert.equal(await s.app.summary("lines"), (LINES + REPEATED.length).toLocaleString("en-US"));
    assert.equal(await s.app.qualityCount("duplicate_line"), REPEATED.length);
    assert.equal(await s.app.summary("revenue"), money(big.cents));
    assert.equal(await s.app.summary("quantity"), big.units.toLocaleString("en-US"));
    await more(s, failures);
  } finally {
    await s.end();
    await rm(dir, { recursive: true, force: true });
  }
}

test("without its reading worker the engine reads a picked file itself", async () => {
  // The reading worker (public/file_reader.js) reads a streamed file's
  // chunks on a thread of its own; when its script cannot load (a build
  // served without it), it never says it is ready and the engine worker
  // reads the file itself, rather than wait for an answer forever.
  await bigFileInBuild("segscope-no-reader-", (dist) => rm(path.join(dist, "file_reader.js")));
});

test("without a helper, the engine reads a big file alone, the same", async () => {
  // A build whose helper cannot start (its loader throws before the module
  // loads): the helper never says it runs, and the engine, told so by the
  // error (app/src/halves.rs, `Helper::cut`), reads the whole file itself
  // rather than wait for it.
  const helperFails = 'if (self.name === "segscope-halves") throw new Error("no helper here");\n';
  const alter = async (dist) => {
    const loader = path.join(dist, "worker_loader.js");
    await writeFile(loader, helperFails + (await readFile(loader, "utf8")));
  };
  await bigFileInBuild("segscope-no-helper-", alter, async (s, failures) => {
    // No helper was asked, so none was started for the next file.
    assert.equal(workerStarts(s), 2);
    assert.deepEqual(failures, []);
  });
});

test("a big file cut inside a quoted field is read on by the engine, the same", async () => {
  // The cut, after 0.52 of the file (FIRST_SHARE in
  // core/src/ingest/orders/halves.rs), falls inside the middle row's note,
  // a quoted field of 2 MB with LFs in it: the first half ends inside a
  // record, so the engine refuses the helper's rows and reads the rest
  // itself (OrdersStream::join).
  const dir = await mkdtemp(path.join(os.tmpdir(), "segscope-quoted-cut-"));
  const file = path.join(dir, "noted-orders.csv");
  const big = bigExport(LINES, "see below\n".repeat(200_000));
  const cut = Buffer.byteLength(big.text) * 0.52;
  const note = big.text.indexOf('"see below');
  assert.ok(note < cut && cut < big.text.indexOf('"', note + 1), "the cut is inside the note");
  await writeFile(file, big.text);
  const s = await start();
  const failures = helperFailures(s.page);
  try {
    await s.app.open();
    await s.app.upload("orders", file);
    assert.equal(await s.app.summary("lines"), LINES.toLocaleString("en-US"));
    assert.equal(await s.app.summary("orders"), Math.ceil(LINES / 3).toLocaleString("en-US"));
    assert.equal(await s.app.summary("revenue"), money(big.cents));
    assert.equal(await s.app.summary("quantity"), big.units.toLocaleString("en-US"));
    assert.equal(await s.app.qualityCount("duplicate_line"), 0);
    // The helper was asked (and ended), and did not fail: its rows were
    // refused.
    assert.equal(workerStarts(s), 3);
    assert.deepEqual(failures, []);
  } finally {
    await s.end();
    await rm(dir, { recursive: true, force: true });
  }
});
