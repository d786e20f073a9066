// Exports: CSV (BOM, `;`) and XLSX downloads parse and match the tables on
// screen, and hold exactly the role's columns; charts download as PNG;
// settings round-trip as a JSON file and as a link; the printable report.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { start } from "./support/session.js";
import { ARTIFACTS } from "./support/app.js";

/** RFC 4180 CSV → rows of fields (quotes, doubled quotes, CR/LF inside). */
function parseCsv(text, delimiter) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const unescapeXml = (s) =>
  s
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");

/** Column letters → index: A → 0, AA → 26. */
const columnIndex = (letters) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/**
 * An XLSX file → { sheets: [{ name, rows }] } where a cell is a number, a
 * string or undefined; `formulas` counts <f> elements (there must be none).
 */
function parseXlsx(bytes) {
  const files = unzipSync(new Uint8Array(bytes));
  const book = strFromU8(files["xl/workbook.xml"]);
  const names = [...book.matchAll(/<sheet name="([^"]*)" sheetId="(\d+)"/g)].map((m) => unescapeXml(m[1]));
  const sheets = names.map((name, i) => {
    const xml = strFromU8(files[`xl/worksheets/sheet${i + 1}.xml`]);
    const rows = [];
    for (const m of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*)>(.*?)<\/c>/g)) {
      const [, col, r, attrs, inner] = m;
      const row = (rows[Number(r) - 1] ??= []);
      const c = columnIndex(col);
      if (attrs.includes('t="inlineStr"')) {
        row[c] = unescapeXml(inner.match(/<t[^>]*>([\s\S]*?)<\/t>/)[1]);
      } else {
        row[c] = Number(inner.match(/<v>([^<]*)<\/v>/)[1]);
      }
    }
    return { name, rows, frozen: xml.includes('state="frozen"'), boldHeader: xml.includes('<c r="A1" s="1"') };
  });
  const formulas = Object.entries(files)
    .filter(([p]) => p.startsWith("xl/worksheets/"))
    .reduce((n, [, b]) => n + (strFromU8(b).match(/<f[ >]/g) ?? []).length, 0);
  return { sheets, formulas };
}

/** Clicks and returns the download's name and bytes. */
async function downloadOf(page, click) {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

// Columns no Sales export may hold (core/src/roles.rs, COST_COLUMNS and
// cts_*): costs, margins, values at cost.
const COST = [
  "margin", "unit_cost", "cogs", "cost_to_serve", "profit", "margin_pct", "profit_share",
  "cost_per_order", "cost_per_line", "avg_inventory_value", "safety_stock_value", "on_hand_value",
  "on_hand_target_value", "cash_released", "cost", "rate", "unallocated", "budget", "variance",
];
const isCost = (c) => COST.includes(c) || c.startsWith("cts_");

async function exportPage(app) {
  await app.goTo("Export");
  await app.page.getByTestId("export-row-skus").waitFor();
}

/** The tables the page lists: { stem: { columns, rows } }. */
async function listed(page) {
  return page.getByTestId("export-tables").locator("tbody tr").evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((r) => {
        const stem = r.dataset.testid.replace("export-row-", "");
        const columns = r.querySelector(`[data-testid="export-columns-${stem}"]`).textContent.split(", ");
        const count = Number(r.querySelector("td.num").textContent);
        const title = r.querySelector("label").textContent;
        return [stem, { columns, rows: count, title }];
      }),
    ),
  );
}

async function setRole(app, role) {
  await app.andWait(() => app.page.getByTestId("role-switch").selectOption(role));
  await app.page.waitForFunction(
    (role) => document.querySelector('[data-testid="export-role"]')?.textContent.includes(role),
    role === "sales" ? "Sales" : "Consultant",
  );
  // The list is the worker's answer for the new role: wait for it.
  const pools = app.page.getByTestId("export-row-pools");
  await pools.waitFor({ state: role === "sales" ? "detached" : "attached" });
}

test("CSV and XLSX downloads match the tables and hold exactly the role's columns", async () => {
  const s = await start({ acceptDownloads: true });
  try {
    const { app, page } = s;
    await app.open();
    await app.loadDemo();

    // What the SKU table on the Segments page shows for its first rows.
    await app.goTo("Segments");
    const skus = (await app.renderedSkus()).slice(0, 5);
    assert.equal(skus.length, 5);
    const onScreen = [];
    for (const sku of skus) {
      onScreen.push({
        sku,
        revenue: await app.rowCell(sku, "Net revenue"),
        segment: await app.rowCell(sku, "Segment"),
      });
    }

    await exportPage(app);
    const consultant = await listed(page);
    assert.deepEqual(Object.keys(consultant), [
      "skus", "policies", "frontier", "customers", "pools", "tiers", "cost_breakdown", "what_if",
      "forecast_exceptions", "audit", "runs",
    ]);

    // CSV with a BOM and `;`.
    await page.getByTestId("csv-semicolon").check();
    assert.ok(await page.getByTestId("csv-bom").isChecked(), "the BOM is on by default");
    const csv = await downloadOf(page, () => page.getByTestId("export-csv-skus").click());
    assert.equal(csv.name, "skus.csv");
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.bytes.subarray(3).toString("utf8"), ";");
    assert.deepEqual(rows[0], consultant.skus.columns, "the CSV holds the listed columns");
    assert.equal(rows.length - 1, consultant.skus.rows);
    const col = (name) => rows[0].indexOf(name);
    for (const shown of onScreen) {
      const row = rows.find((r) => r[col("sku")] === shown.sku);
      assert.ok(row, `${shown.sku} is in the CSV`);
      assert.equal(row[col("segment")], shown.segment, shown.sku);
      const revenue = Number(row[col("revenue")]);
      assert.equal(revenue.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }), shown.revenue);
    }

    // The workbook: one sheet per listed table, the same cells as the CSV.
    const xlsx = await downloadOf(page, () => page.getByTestId("export-xlsx").click());
    assert.equal(xlsx.name, "segscope-results.xlsx");
    await writeFile(path.join(ARTIFACTS, "export-consultant.xlsx"), xlsx.bytes);
    const book = parseXlsx(xlsx.bytes);
    assert.equal(book.formulas, 0, "no cell is a formula");
    assert.deepEqual(book.sheets.map((sh) => sh.name), Object.values(consultant).map((t) => t.title));
    const sheet = book.sheets[0];
    assert.ok(sheet.frozen && sheet.boldHeader, "bold, frozen header");
    assert.deepEqual(sheet.rows[0], consultant.skus.columns);
    assert.equal(sheet.rows.length, rows.length);
    for (let r = 1; r < rows.length; r++) {
      for (let c = 0; c < rows[0].length; c++) {
        const cell = sheet.rows[r][c];
        const text = rows[r][c];
        if (text === "") assert.equal(cell, undefined, `${r},${c}`);
        else if (typeof cell === "number") assert.equal(cell, Number(text), `${rows[0][c]} of ${rows[r][0]}`);
        else assert.equal(cell, text, `${rows[0][c]} of ${rows[r][0]}`);
      }
    }
    assert.equal(typeof sheet.rows[1][col("revenue")], "number", "numbers are numbers");
    assert.equal(typeof sheet.rows[1][col("segment")], "string", "text is text");

    // Sales: fewer tables, no cost columns, in both formats.
    await setRole(app, "sales");
    const sales = await listed(page);
    for (const hidden of ["pools", "cost_breakdown", "what_if", "audit", "runs"]) {
      assert.ok(!(hidden in sales), `sales lists ${hidden}`);
    }
    for (const [stem, t] of Object.entries(sales)) {
      assert.deepEqual(t.columns, consultant[stem].columns.filter((c) => !isCost(c)), stem);
    }
    assert.ok(sales.customers.columns.includes("tier"));
    await page.getByTestId("csv-comma").check();
    await page.getByTestId("csv-bom").uncheck();
    const salesCsv = await downloadOf(page, () => page.getByTestId("export-csv-customers").click());
    assert.equal(salesCsv.name, "customers.csv");
    assert.notEqual(salesCsv.bytes[0], 0xef, "no BOM when it is off");
    const salesRows = parseCsv(salesCsv.bytes.toString("utf8"), ",");
    assert.deepEqual(salesRows[0], sales.customers.columns);
    assert.ok(!salesRows[0].some(isCost), salesRows[0].join());
    const salesBook = parseXlsx((await downloadOf(page, () => page.getByTestId("export-xlsx").click())).bytes);
    assert.deepEqual(salesBook.sheets.map((sh) => sh.name), Object.values(sales).map((t) => t.title));
    for (const [i, t] of Object.values(sales).entries()) {
      assert.deepEqual(salesBook.sheets[i].rows[0], t.columns, t.title);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, "export-sales.png"), fullPage: true });
  } finally {
    await s.end();
  }
});

test("a chart downloads as a PNG named after it", async () => {
  const s = await start({ acceptDownloads: true });
  try {
    const { app, page } = s;
    await app.open();
    await app.loadDemo();
    await app.goTo("Segments");
    await page.locator('canvas[data-testid="pareto-chart"][data-drawn="true"]').waitFor();
    const png = await downloadOf(page, () => page.getByTestId("pareto-chart-png").click());
    assert.equal(png.name, "pareto-chart.png");
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height of the canvas.
    assert.equal(png.bytes.readUInt32BE(16), 500);
    assert.equal(png.bytes.readUInt32BE(20), 360);
    await writeFile(path.join(ARTIFACTS, "export-pareto.png"), png.bytes);
  } finally {
    await s.end();
  }
});

/** Loads a settings file through the Export page's file chooser. */
async function loadSettings(app, name, text) {
  const file = { name, mimeType: "application/json", buffer: Buffer.from(text) };
  await app.andWait(() => app.page.getByTestId("settings-file").setInputFiles(file));
}

/** The settings the Export page downloads, parsed. */
async function savedSettings(page) {
  const saved = await downloadOf(page, () => page.getByTestId("settings-save").click());
  return JSON.parse(saved.bytes.toString("utf8"));
}

test("settings round-trip as a JSON file; a bad file names the field and changes nothing", async () => {
  const s = await start({ acceptDownloads: true });
  try {
    const { app, page } = s;
    await app.open();
    await app.loadDemo();
    await exportPage(app);
    const saved = await downloadOf(page, () => page.getByTestId("settings-save").click());
    assert.equal(saved.name, "segscope-settings.json");
    const config = JSON.parse(saved.bytes.toString("utf8"));
    assert.equal(config.abc.a_cut, 0.8);
    const mapped = Object.values(config.mapping ?? {}).flatMap((m) => Object.keys(m));
    assert.deepEqual(mapped, [], "the settings never carry the files' column mapping");
    const before = await page.getByTestId("export-row-skus").textContent();

    config.abc.a_cut = 0.7;
    await loadSettings(app, "workshop.json", JSON.stringify(config));
    await page.getByTestId("settings-notice").getByText("The settings from the file were applied.").waitFor();
    const again = await savedSettings(page);
    assert.equal(again.abc.a_cut, 0.7);
    assert.equal((await page.getByTestId("export-row-skus").textContent()), before, "same SKUs listed");

    await loadSettings(app, "typo.json", '{"abc": {"a_cutt": 0.6}}');
    const notice = page.getByTestId("settings-notice");
    await notice.getByText("were not applied").waitFor();
    assert.match(await notice.textContent(), /a_cutt/);
    const kept = await savedSettings(page);
    assert.equal(kept.abc.a_cut, 0.7, "a refused file changes nothing");
  } finally {
    await s.end();
  }
});

test("a settings link opens segscope with a changed cut; a damaged one keeps the defaults", async () => {
  let link;
  const a = await start({ acceptDownloads: true });
  try {
    const { app, page } = a;
    await app.open();
    await app.loadDemo();
    await app.goTo("Segments");
    await page.getByTestId("setting-a-cut").fill("70");
    await app.applySettings();
    await exportPage(app);
    link = await page.getByTestId("settings-link").inputValue();
    assert.match(link, /#\/segments\?settings=[A-Za-z0-9_-]+$/);
  } finally {
    await a.end();
  }

  const b = await start();
  try {
    const { app, page } = b;
    const path_ = link.slice(link.indexOf("#"));
    await page.goto(`${b.origin}/${path_}`);
    await app.engineReady();
    await page.getByTestId("settings-notice").getByText("The settings from the link were applied.").waitFor();
    assert.equal(await page.evaluate(() => location.hash), "#/segments", "the settings leave the address");
    await app.goTo("Data");
    await app.loadDemo();
    await app.goTo("Segments");
    assert.equal(await page.getByTestId("setting-a-cut").inputValue(), "70");
    await page.screenshot({ path: path.join(ARTIFACTS, "export-link-applied.png") });

    await page.goto(`${b.origin}/#/segments?settings=%%%not-base64`);
    await page.reload();
    await app.engineReady();
    const notice = page.getByTestId("settings-notice");
    await notice.getByText("were not applied").waitFor();
    assert.match(await notice.textContent(), /damaged/);
  } finally {
    await b.end();
  }
});

test("the printable report shows the role's figures and prints without navigation", async () => {
  const s = await start();
  try {
    const { app, page } = s;
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.open();
    await app.loadDemo();
    await exportPage(app);
    await page.getByTestId("open-report").click();
    await page.getByRole("heading", { level: 1, name: "segscope — workshop report" }).waitFor();
    await page.locator('canvas[data-testid="report-pareto"][data-drawn="true"]').waitFor();
    await page.locator('canvas[data-testid="report-whale"][data-drawn="true"]').waitFor();
    await page.getByTestId("report-inputs").locator("tbody tr").first().waitFor();
    assert.equal(await page.getByTestId("report-inputs").locator("tbody tr").count(), 4);
    assert.match(await page.getByTestId("report-inputs").textContent(), /[0-9a-f]{64}/);
    assert.match(await page.getByTestId("report-config").textContent(), /"a_cut": 0.8/);
    assert.ok(await page.getByTestId("report-margin").isVisible());
    assert.ok(await page.getByTestId("report-print").isVisible());
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, "report.png") });
    await page.screenshot({ path: path.join(ARTIFACTS, "report-full.png"), fullPage: true });

    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".topbar").isVisible(), false, "no header in print");
    assert.equal(await page.getByTestId("report-print").isVisible(), false, "no buttons in print");
    assert.equal(await page.getByRole("navigation", { name: "Workflow" }).isVisible(), false);
    await page.screenshot({ path: path.join(ARTIFACTS, "report-print.png"), fullPage: true });
    await page.pdf({ path: path.join(ARTIFACTS, "report.pdf"), format: "A4", printBackground: false });
    await page.emulateMedia({ media: "screen" });

    await app.andWait(() => page.getByTestId("role-switch").selectOption("sales"));
    await page.getByTestId("report-meta").getByText("For the Sales role").waitFor();
    assert.equal(await page.getByTestId("report-margin").count(), 0, "sales sees no margin");
    assert.equal(await page.getByTestId("report-whale").count(), 0, "sales sees no profit curve");
    assert.doesNotMatch(await page.getByTestId("report-tiers").textContent(), /Profit|Cost to serve/);
    // The run section follows the worker's answer for the new role.
    await page.getByTestId("report-config").waitFor({ state: "detached" });
    await page.screenshot({ path: path.join(ARTIFACTS, "report-sales.png"), fullPage: true });
  } finally {
    await s.end();
  }
});
