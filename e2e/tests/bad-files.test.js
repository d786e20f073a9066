// Hostile and broken files dropped on the app: each is refused with a clear
// error naming the file, or loads with its data-quality findings — and the
// page stays alive, with the data loaded before a refused file kept. The
// files are the bad-file corpus of core/tests/bad_files/, written by
// `cargo run -p segscope-core --example bad_files` (nothing large is
// committed).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "./support/session.js";
import { ARTIFACTS } from "./support/app.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// A representative set: every way a file can be refused, and the loads that
// stress the page most (the 30 MB cell, 300,000 SKUs, 20,000 columns).
const CHOSEN = [
  "empty.csv", "header_only.csv", "binary.csv", "image.csv", "page.csv", "orders.json",
  "orders.xlsx", "utf16le_no_bom.csv", "nul_bytes.csv", "only_delimiters.csv",
  "columns_20000_no_sku.csv", "missing_sku_column.csv",
  "mixed_encodings.csv", "ragged_rows.csv", "unclosed_quote.csv", "huge_field.csv",
  "columns_20000.csv", "duplicate_headers.csv", "impossible_dates.csv", "excel_serial_dates.csv",
  "sep_semicolon.csv", "nan_inf.csv", "skus_300k.csv", "bidi_identifiers.csv",
  "emoji_identifiers.csv", "formula_injection.csv",
];

let dir;
let index;

/** The summary's line count and revenue, or null when nothing is summarised (no lines kept). */
async function figures(s) {
  if ((await s.page.getByTestId("summary-lines").count()) === 0) return null;
  return { lines: await s.app.summary("lines"), revenue: await s.app.summary("revenue") };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "segscope-bad-files-"));
  const run = spawnSync(
    "cargo",
    ["run", "--quiet", "-p", "segscope-core", "--example", "bad_files", "--", dir],
    { cwd: ROOT, encoding: "utf8", timeout: 900_000 },
  );
  assert.equal(run.status, 0, `the corpus generator failed: ${run.stderr}`);
  index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8"));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("the chosen files cover at least twenty of the corpus, with the largest", () => {
  assert.ok(index.length >= 40, `${index.length} files in the corpus`);
  const names = new Set(index.map((f) => f.name));
  for (const name of CHOSEN) assert.ok(names.has(name), `${name} is not in the corpus`);
  assert.ok(CHOSEN.length >= 20);
});

test("each bad file is refused clearly or loads with findings, and the page lives on", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    let current = await figures(s);
    assert.ok(current, "the demo is summarised");
    for (const name of CHOSEN) {
      const file = index.find((f) => f.name === name);
      const started = Date.now();
      await s.app.upload("orders", path.join(dir, name));
      await s.app.engineReady();
      console.log(`${name}: answered in ${Date.now() - started} ms`);
      const alert = s.page.getByTestId("error-orders");
      if (file.outcome === "refused") {
        await alert.waitFor();
        const text = await alert.textContent();
        assert.ok(text.includes(name), `${name}: the error does not name the file: ${text}`);
        const message = await alert.locator(".error-message").textContent();
        assert.ok(message.length <= 400, `${name}: the error runs to ${message.length} characters`);
        // The data loaded before is still there.
        assert.deepEqual(await figures(s), current, `${name}: a refused file changed the loaded data`);
        if (name === "binary.csv" || name === "columns_20000_no_sku.csv") {
          await s.app.screenshot(`97-bad-file-${name.replace(/\W/g, "-")}`);
        }
        await s.app.andWait(() => alert.getByRole("button", { name: "Dismiss" }).click());
      } else {
        assert.equal(await alert.count(), 0, `${name}: refused, expected a load`);
        await s.page.getByTestId("loaded-orders").getByText(name).waitFor();
        if (file.outcome === "findings") {
          const found = await s.page.getByTestId("quality").locator('[data-testid^="dq-count-"], [data-testid="dq-notes"] li').count();
          assert.ok(found > 0, `${name}: no data-quality finding or note shown`);
        }
        current = await figures(s);
        if (name === "huge_field.csv" || name === "skus_300k.csv") {
          // The visible part only: a full-page capture of a 30 MB cell is
          // the screenshot tool's limit, not the page's.
          await mkdir(ARTIFACTS, { recursive: true });
          const file = path.join(ARTIFACTS, `97-bad-file-${name.replace(/\W/g, "-")}.png`);
          await s.page.screenshot({ path: file });
        }
      }
    }
    // Still a working app: the analysis pages open on the last file.
    await s.app.goTo("Segments");
    await s.app.goTo("Data");
    assert.equal(await s.page.getByTestId("rescue").count(), 0, "no panic panel");
    assert.equal(await s.page.getByTestId("error-engine").count(), 0, "the engine never stopped");
  } finally {
    await s.end();
  }
});
