// The Segments page: the ABC × XYZ matrix, its charts, the SKU table and
// explanations, settings that recompute in the worker, the stress test —
// and the same classes as the command line on a real export.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "./support/session.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SUPERSTORE = path.join(ROOT, "core/tests/data/superstore.csv");
const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const number = (text) => Number(text.replace(/[^0-9.]/g, ""));

/** Opens the app with the demo data loaded and the Segments page shown. */
async function demoSegments() {
  const s = await start();
  await s.app.open();
  await s.app.loadDemo();
  await s.app.goTo("Segments");
  await s.page.getByTestId("matrix").waitFor();
  return s;
}

test("demo data: the 3 × 3 matrix counts every SKU once and the charts are drawn", async () => {
  const s = await demoSegments();
  try {
    const counts = await s.app.matrixCounts();
    await s.app.goTo("Data");
    const skus = number(await s.app.summary("skus"));
    await s.app.goTo("Segments");
    assert.equal(sum(counts), skus, JSON.stringify(counts));
    assert.ok(counts.AX > 0 && counts.CZ > 0, JSON.stringify(counts));
    let shares = 0;
    for (const cell of Object.keys(counts)) {
      shares += number(await s.page.getByTestId(`matrix-${cell}-share`).textContent());
    }
    assert.ok(Math.abs(shares - 100) < 0.6, `revenue shares add up to ${shares} %`);
    for (const chart of ["pareto-chart", "pattern-chart"]) {
      assert.ok((await s.app.chartInk(chart)) > 2000, `${chart} is drawn`);
    }
    assert.match(await s.page.getByTestId("sku-count").textContent(), new RegExp(`^${skus} SKUs$`));
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("70-segments-demo");
    await s.app.screenshotOf("pareto-chart", "70a-pareto-demo");
    await s.app.screenshotOf("pattern-chart", "70b-patterns-demo");
    await s.app.screenshotOf("matrix", "70c-matrix-demo");
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});

test("a table of more SKUs than one message holds is shown with its first rows, then whole", async () => {
  // 10,000 SKUs, two lines each: the Segments view travels as its first
  // 1,024 rows and a slice of the other 8,976 (FIRST_ROWS, ROWS_PER_MESSAGE
  // in app/src/worker_api/rows.rs). The page shows the
  // view with the first rows at once, saying how many are coming, and the
  // whole table once the slice is in: the count line must end whole.
  const dir = mkdtempSync(path.join(os.tmpdir(), "segscope-many-skus-"));
  const file = path.join(dir, "many-skus.csv");
  const rows = ["order_id,order_date,sku,quantity,unit_price,customer_id"];
  for (let i = 0; i < 20000; i++) {
    const month = String(1 + (i % 9)).padStart(2, "0");
    const day = String(1 + (i % 28)).padStart(2, "0");
    rows.push(`O${i},2024-${month}-${day},S${i % 10000},${1 + (i % 7)},${1 + (i % 50)}.5,C${i % 97}`);
  }
  writeFileSync(file, rows.join("\n") + "\n");
  const s = await start();
  try {
    await s.app.open("data");
    // Every text the count line shows, from the drop on.
    await s.page.evaluate(() => {
      window.__skuCounts = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="sku-count"]')?.textContent;
        if (text && window.__skuCounts.at(-1) !== text) window.__skuCounts.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await s.page.getByLabel("Choose orders file…").setInputFiles(file);
    await s.app.goTo("Segments");
    await s.page.waitForFunction(() => window.__skuCounts.includes("10,000 SKUs"), null, { timeout: 60_000 });
    const seen = await s.page.evaluate(() => window.__skuCounts);
    // Whatever showed while the rows came, the table ends whole.
    assert.equal(seen.at(-1), "10,000 SKUs", JSON.stringify(seen));
    assert.ok(
      seen.every((t) => t === "10,000 SKUs" || t === "10,000 SKUs; the other 8,976 are coming"),
      JSON.stringify(seen),
    );
    assert.equal(sum(await s.app.matrixCounts()), 10_000);
    // The whole table answers a filter by code.
    await s.page.getByLabel("Filter SKUs").fill("S9999");
    await s.page.getByTestId("sku-count").filter({ hasText: "Showing 1 of 10,000 SKUs" }).waitFor();
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("lowering the A cut from 80 % to 60 % moves SKUs out of A", async () => {
  const s = await demoSegments();
  try {
    const before = await s.app.matrixCounts();
    await s.app.setSetting("a-cut", "60");
    await s.app.applySettings();
    const after = await s.app.matrixCounts();
    const a = (c) => c.AX + c.AY + c.AZ;
    assert.ok(a(after) < a(before), `A: ${a(before)} → ${a(after)}`);
    assert.equal(sum(after), sum(before));
    assert.equal(await s.page.getByTestId("setting-a-cut").inputValue(), "60");
    // The table follows: in rank order the last A and the first B sit at the new boundary.
    const lastA = a(after);
    await s.page.locator(".sku-scroll").evaluate((el, top) => (el.scrollTop = top), (lastA - 3) * 30);
    const abcOfRank = async (rank) => {
      const row = s.page.locator(`[role="row"][aria-rowindex="${rank + 1}"]`);
      return (await row.locator('[data-col="ABC"]').textContent()).trim();
    };
    assert.equal(await abcOfRank(lastA), "A");
    assert.equal(await abcOfRank(lastA + 1), "B");
    // An invalid cut is refused on the page and never sent.
    await s.app.setSetting("a-cut", "97");
    const answered = await s.app.answered();
    await s.page.getByRole("button", { name: "Apply settings" }).click();
    await s.page.getByText("The A cut must not be above the B cut.").waitFor();
    assert.equal(await s.app.answered(), answered);
    assert.deepEqual(await s.app.matrixCounts(), after);
  } finally {
    await s.end();
  }
});

test("choosing a matrix cell lists only that segment's SKUs", async () => {
  const s = await demoSegments();
  try {
    const counts = await s.app.matrixCounts();
    const cell = Object.keys(counts).find((c) => counts[c] > 0 && counts[c] < 15) ?? "AX";
    await s.page.getByTestId(`matrix-${cell}`).click();
    await s.page.getByTestId("cell-filter").waitFor();
    const rows = await s.app.renderedSkus();
    assert.equal(rows.length, Math.min(counts[cell], 30));
    for (const sku of rows) {
      assert.equal((await s.app.rowCell(sku, "ABC")) + (await s.app.rowCell(sku, "XYZ")), cell, sku);
    }
    assert.match(await s.page.getByTestId("sku-count").textContent(), new RegExp(`Showing ${counts[cell]} of`));
    // The same cell again shows everything.
    await s.page.getByTestId(`matrix-${cell}`).click();
    await s.page.getByTestId("cell-filter").waitFor({ state: "detached" });
  } finally {
    await s.end();
  }
});

test("a SKU's explanation names its cumulative share and the cut", async () => {
  const s = await demoSegments();
  try {
    const [first, second] = await s.app.renderedSkus();
    // From the keyboard: focus the second row and press Enter.
    await s.page.getByTestId(`sku-row-${second}`).focus();
    await s.app.andWait(() => s.page.keyboard.press("Enter"));
    const explanation = s.page.getByTestId("explanation");
    await explanation.getByRole("heading", { name: new RegExp(`Why ${second} is A`) }).waitFor();
    const text = await explanation.textContent();
    assert.match(text, /A: cumulative revenue share before it \d+\.\d % < 80\.0 %/);
    assert.match(text, /[XYZ]: cv \d\.\d{3}/);
    // A click on another row explains that one.
    await s.app.andWait(() => s.page.getByTestId(`sku-row-${first}`).click());
    await explanation.getByRole("heading", { name: new RegExp(`Why ${first} is A`) }).waitFor();
    assert.match(await explanation.textContent(), /share before it 0\.0 % < 80\.0 %/);
    await s.app.screenshotOf("explanation", "74-explanation");
    // New settings explain the chosen SKU again, against the new cut.
    await s.app.setSetting("a-cut", "60");
    await s.app.applySettings();
    await explanation.getByText(/share before it 0\.0 % < 60\.0 %/).waitFor();
  } finally {
    await s.end();
  }
});

/** Superstore's segment counts from the command line, or the known ones. */
function cliCounts() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
  const cli = path.join(target, "debug", "segscope");
  if (!existsSync(cli)) return { AZ: 414, BZ: 489, CZ: 959 };
  const out = mkdtempSync(path.join(os.tmpdir(), "segscope-cli-"));
  try {
    execFileSync(cli, ["run", "--orders", SUPERSTORE, "--out", out], { stdio: "pipe" });
    const [header, ...rows] = readFileSync(path.join(out, "skus.csv"), "utf8").trim().split("\n");
    const column = header.split(",").indexOf("segment");
    const counts = {};
    for (const row of rows) {
      // SKU codes never hold commas in this export; the segment column is plain.
      const segment = row.split(",")[column];
      counts[segment] = (counts[segment] ?? 0) + 1;
    }
    return counts;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test("the Superstore export loaded through the page gives the command line's classes", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", SUPERSTORE);
    await s.app.goTo("Segments");
    await s.page.getByTestId("matrix").waitFor();
    const counts = await s.app.matrixCounts();
    const expected = cliCounts();
    for (const cell of Object.keys(counts)) {
      assert.equal(counts[cell], expected[cell] ?? 0, `${cell}: page ${counts[cell]}, CLI ${expected[cell] ?? 0}`);
    }
    assert.ok((await s.app.chartInk("pareto-chart")) > 2000);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("71-segments-superstore");
    await s.app.screenshotOf("pattern-chart", "71b-patterns-superstore");
    await s.app.screenshotOf("sku-table", "71c-table-superstore");
  } finally {
    await s.end();
  }
});

test("the stress test reports five scenarios with a summary", async () => {
  const s = await demoSegments();
  try {
    await s.app.andWait(() => s.page.getByRole("button", { name: "Run the stress test" }).click());
    const table = s.page.getByTestId("stress-table");
    await table.waitFor();
    const scenarios = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.scenario));
    assert.deepEqual(scenarios, ["noise", "shorter history", "cuts down", "cuts up", "promotion spike"]);
    assert.match(await s.page.getByTestId("stress-summary").textContent(), /^Across the 5 scenarios, [\d.]+ % to [\d.]+ % of SKUs change segment/);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.page.getByTestId("stress-table").scrollIntoViewIfNeeded();
    await s.app.screenshot("72-segments-stress");
  } finally {
    await s.end();
  }
});

test("clustering, turned on in the settings, shows the clusters and their centroids", async () => {
  const s = await demoSegments();
  try {
    await s.page.getByTestId("clusters-off").waitFor();
    await s.page.getByTestId("setting-cluster").check();
    await s.page.getByTestId("setting-k").selectOption("4");
    await s.app.applySettings();
    const rows = s.page.getByTestId("cluster-table").locator("tbody tr");
    assert.equal(await rows.count(), 4);
    let members = 0;
    for (const text of await rows.locator("td:nth-child(2)").allTextContents()) members += number(text);
    assert.equal(members, sum(await s.app.matrixCounts()));
    assert.ok((await s.app.chartInk("cluster-chart")) > 2000);
    // Two different features against each other, the first two.
    const [across, up] = await s.page.getByTestId("cluster-axes").locator("select").all();
    assert.deepEqual([await across.inputValue(), await up.inputValue()], ["0", "1"]);
    // Rows drawn before clustering was on now name their cluster too.
    const [first] = await s.app.renderedSkus();
    assert.match(await s.app.rowCell(first, "Cluster"), /^[1-4] \S/);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshotOf("cluster-chart", "73-clusters-demo");
    await s.app.screenshotOf("sku-table", "73b-table-with-clusters");
  } finally {
    await s.end();
  }
});

test("rules that core refuses are reported with their line and nothing is recomputed", async () => {
  const s = await demoSegments();
  try {
    const before = await s.app.matrixCounts();
    await s.page.getByText("Business rules (JSON)").click();
    await s.page.getByTestId("setting-rules").fill('[\n  {"name": "strategic", "abc_at_lest": "A"}\n]');
    await s.app.applySettings();
    const error = s.page.getByTestId("settings-error");
    await error.waitFor();
    assert.match(await error.textContent(), /^Rules, line 2, column \d+: unknown field `abc_at_lest`/);
    assert.deepEqual(await s.app.matrixCounts(), before);
    // A rule core accepts applies and clears the message.
    await s.page.getByTestId("setting-rules").fill('[{"name": "everything A", "abc_at_least": "A"}]');
    await s.app.applySettings();
    await error.waitFor({ state: "detached" });
    const after = await s.app.matrixCounts();
    assert.equal(after.AX + after.AY + after.AZ, sum(before));
  } finally {
    await s.end();
  }
});
