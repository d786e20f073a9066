// Order cells — the order lines added up by sql/duckdb/order_cells.sql where
// the data lives — dropped on the orders zone give the order lines' figures
// and segments (docs/aggregates.md).
//
// The cells are computed at test time from the Superstore export by DuckDB,
// in the venv that `./x setup` makes (target/sql-venv, sql/requirements.txt).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "./support/session.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SUPERSTORE = path.join(ROOT, "core/tests/data/superstore.csv");
const PYTHON = path.join(ROOT, "target/sql-venv/bin/python");

/** Superstore's weekly order cells, written by the DuckDB SQL. */
function superstoreCells(dir) {
  const out = path.join(dir, "superstore-cells.csv");
  execFileSync(PYTHON, [path.join(ROOT, "sql/check.py"), "--work", dir, "--superstore-cells", out]);
  return out;
}

/** The Data page's headline figures and the Segments matrix. */
async function figures(app) {
  await app.goTo("Data");
  const summary = {};
  for (const id of ["lines", "orders", "skus", "customers", "revenue", "margin", "quantity", "returns"]) {
    summary[id] = await app.summary(id);
  }
  await app.goTo("Segments");
  await app.page.getByTestId("matrix").waitFor();
  return { summary, matrix: await app.matrixCounts() };
}

test("Superstore's order cells give the order lines' figures and segment counts", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "segscope-cells-"));
  const s = await start();
  try {
    const cells = superstoreCells(dir);
    await s.app.open();
    await s.app.upload("orders", SUPERSTORE);
    const direct = await figures(s.app);
    assert.equal(direct.summary.lines, "9,994");

    await s.app.goTo("Data");
    await s.app.upload("orders", cells);
    await s.page.getByTestId("loaded-orders").getByText("superstore-cells.csv").waitFor();
    const viaCells = await figures(s.app);
    assert.deepEqual(viaCells, direct);

    await s.app.goTo("Data");
    await s.app.screenshot("aggregates-data-page");
  } finally {
    await s.end();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("weekly order cells are refused for a monthly analysis, with what to do", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "segscope-cells-"));
  const s = await start();
  try {
    const cells = superstoreCells(dir);
    await s.app.open();
    await s.app.upload("orders", cells);
    await s.app.goTo("Segments");
    await s.page.getByTestId("setting-bucket").selectOption("month");
    await s.app.applySettings();
    const error = s.page.getByTestId("settings-error");
    await error.waitFor();
    assert.match(await error.textContent(), /by week but the analysis buckets by month.*bucket = 'month'/);
    await s.app.screenshot("aggregates-bucket-refused");
  } finally {
    await s.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
