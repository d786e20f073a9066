// Saved workspaces: a reload brings back files, mapping, settings and
// pools; a workspace exported in one browser profile opens with the same
// figures in a fresh one; a corrupt or foreign file is refused without
// touching the saved work; "Clear everything" forgets it all.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { start } from "./support/session.js";
import { MAGIC, openMenu, savedRevision, savedWorkspace, waitForSave } from "./support/saved.js";

/** Demo data with a mapping override, a 70 % A cut and Freight doubled. */
async function workedOn(s) {
  await s.app.open();
  await s.app.loadDemo();
  await s.app.mapField("orders", "region", "warehouse");
  await s.app.goTo("Segments");
  await s.app.setSetting("a-cut", "70");
  await s.app.applySettings();
  await s.app.goTo("Cost to serve");
  const freight = s.page.getByTestId("pool-cost-Freight");
  const annual = Number((await freight.inputValue()).replace(/,/g, ""));
  await freight.fill(String(annual * 2));
  await s.app.andWait(() => s.page.getByRole("button", { name: "Apply pools" }).click());
  return { freight: annual * 2 };
}

/** What the user would check: files, mapping, cut, matrix, pools, totals. */
async function figures(s) {
  await s.app.goTo("Data");
  const files = await s.page.locator('[data-testid^="loaded-"]').allTextContents();
  const region = await s.app.mappedHeader("orders", "region");
  const lines = await s.app.summary("lines");
  const revenue = await s.app.summary("revenue");
  await s.app.goTo("Segments");
  const cut = await s.page.getByTestId("setting-a-cut").inputValue();
  const matrix = await s.app.matrixCounts();
  await s.app.goTo("Cost to serve");
  await s.page.getByTestId("reconciliation").waitFor();
  const freight = await s.page.getByTestId("pool-cost-Freight").inputValue();
  const pools = (await s.page.getByTestId("pools-total").textContent()).trim();
  const source = (await s.page.getByTestId("pools-source").textContent()).trim();
  return { files, region, lines, revenue, cut, matrix, freight, pools, source };
}

/**
 * An orders export: `header`, then `count` lines from `line(i, date)`, the
 * dates running through the days of one year.
 */
function orderRows(header, count, line) {
  const rows = [header];
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0");
    rows.push(line(i, `2024-${month}-${day}`));
  }
  return rows;
}

test("a reload restores the files, the mapping override, a changed cut and edited pools", async () => {
  const s = await start();
  try {
    const { freight } = await workedOn(s);
    await waitForSave(s.page, 0);
    const before = await figures(s);
    assert.equal(before.region, "warehouse");
    assert.equal(before.cut, "70");
    assert.equal(Number(before.freight.replace(/,/g, "")), freight);
    assert.match(before.source, /edited on this page/);

    await s.page.reload();
    await s.app.engineReady();
    assert.match(await s.page.getByTestId("save-status").textContent(), /^Saved \d\d:\d\d$/);
    assert.deepEqual(await figures(s), before);
    assert.equal(await s.app.matchedBy("orders", "region").catch(() => "override"), "override");
    await s.app.goTo("Data");
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await openMenu(s.page);
    await s.app.screenshot("90-workspace-menu-after-reload");
  } finally {
    await s.end();
  }
});

test("a workspace exported in one profile opens in a fresh one with the same figures", async () => {
  const a = await start({ acceptDownloads: true });
  let file;
  let before;
  try {
    await workedOn(a);
    before = await figures(a);
    await openMenu(a.page);
    const [download] = await Promise.all([
      a.page.waitForEvent("download"),
      a.page.getByTestId("workspace-export").click(),
    ]);
    assert.match(download.suggestedFilename(), /^segscope-workspace-\d{4}-\d\d-\d\d\.segscope$/);
    file = await readFile(await download.path());
    assert.equal(file.subarray(0, MAGIC.length).toString("latin1"), MAGIC);
  } finally {
    await a.end();
  }

  const b = await start();
  try {
    await b.app.open();
    assert.equal(await savedRevision(b.page), 0, "a fresh profile has nothing saved");
    await openMenu(b.page);
    await b.app.andWait(() =>
      b.page
        .getByTestId("workspace-import-input")
        .setInputFiles({ name: "from-a.segscope", mimeType: "application/octet-stream", buffer: file }),
    );
    assert.equal(await b.page.getByTestId("workspace-rejected").count(), 0);
    assert.deepEqual(await figures(b), before);
    // The import is saved in the new profile too.
    await waitForSave(b.page, 0);
    await b.app.goTo("Segments");
    await b.page.setViewportSize({ width: 1280, height: 720 });
    await b.app.screenshot("91-workspace-imported-in-fresh-profile");
  } finally {
    await b.end();
  }
});

test("a foreign or damaged workspace file is refused and the saved work stays", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    const revision = await waitForSave(s.page, 0);
    const saved = await savedWorkspace(s.page, { withFile: true });
    const lines = await s.app.summary("lines");
    const importing = (name, buffer) =>
      s.app.andWait(async () => {
        await openMenu(s.page);
        await s.page
          .getByTestId("workspace-import-input")
          .setInputFiles({ name, mimeType: "application/octet-stream", buffer });
      });
    const refusal = () => s.page.getByTestId("workspace-rejected").textContent();

    await importing("orders.csv", Buffer.from("Order ID,Date,SKU,Qty\n1,2024-01-01,A,1\n"));
    assert.match(
      await refusal(),
      /orders\.csv: This is not a segscope workspace: it looks like a text file starting "Order ID,Date,SKU,Qty"/,
    );
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("92-workspace-import-foreign");

    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    await importing("photo.segscope", png);
    assert.match(await refusal(), /photo\.segscope: This is not a segscope workspace: it looks like a PNG image/);

    const damaged = Buffer.from(saved.bytes);
    damaged[damaged.length - 10] ^= 0xff;
    await importing("damaged.segscope", damaged);
    assert.match(await refusal(), /damaged\.segscope: This workspace file is damaged \(the content of demo-cost-pools\.csv does not match its checksum\)/);

    const cut = saved.bytes.subarray(0, saved.bytes.length - 1000);
    await importing("cut.segscope", cut);
    assert.match(await refusal(), /cut\.segscope: This workspace file is incomplete: it should be \d+ bytes but is \d+/);
    assert.match(await refusal(), /Nothing was changed/);

    assert.equal(await s.app.summary("lines"), lines, "the work in memory is untouched");
    await s.page.waitForTimeout(1000);
    const after = await savedWorkspace(s.page);
    assert.equal(after.meta.revision, revision, "nothing was saved over the work");
    assert.equal(after.sha256, saved.sha256);

    await s.page.reload();
    await s.app.engineReady();
    assert.equal(await s.app.summary("lines"), lines);
  } finally {
    await s.end();
  }
});

test("clear everything forgets the files and the saved copy, after a confirmation", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    await waitForSave(s.page, 0);
    await openMenu(s.page);
    await s.page.getByTestId("workspace-clear").click();
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("93-workspace-clear-confirm");
    await s.app.andWait(() => s.page.getByTestId("workspace-clear-confirm").click());
    await s.page.getByTestId("save-status").filter({ hasText: "Nothing saved" }).waitFor();
    assert.equal(await s.page.getByTestId("summary-lines").count(), 0);
    const saved = await savedWorkspace(s.page);
    assert.equal(saved.size, null, "the saved file is gone");
    assert.ok(saved.meta.revision > 0);

    await s.page.reload();
    await s.app.engineReady();
    await s.page.getByTestId("save-status").filter({ hasText: "Nothing saved" }).waitFor();
    assert.equal(await s.page.getByTestId("summary-lines").count(), 0);
    await s.page.getByRole("button", { name: "Load demo data" }).waitFor();
  } finally {
    await s.end();
  }
});

test("a picked file changed on disk after it was loaded is re-read, saved and restored as loaded", async () => {
  // The worker keeps a picked file by reference until the load is
  // answered, then as its own copy (app/src/blobs.rs): what the user does
  // to the file on disk afterwards changes nothing that was loaded.
  const dir = await mkdtemp(path.join(os.tmpdir(), "segscope-changed-"));
  const file = path.join(dir, "orders.csv");
  const rows = orderRows(
    "order_id,order_date,sku,quantity,unit_price,customer_id,region,warehouse",
    600,
    (i, date) => `SO-${i},${date},SKU-${i % 40},${1 + (i % 5)},9.50,C-${i % 30},North,WH-${i % 3}`,
  );
  await writeFile(file, rows.join("\n") + "\n");
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", file);
    assert.equal(await s.app.summary("lines"), "600");
    const revision = await savedRevision(s.page);

    // Another export over the same file: shorter, other codes.
    await writeFile(file, rows.slice(0, 11).join("\n").replace(/SKU-/g, "ITEM-") + "\n");
    // A new mapping parses the kept copy again.
    await s.app.mapField("orders", "region", "warehouse");
    assert.equal(await s.app.mappedHeader("orders", "region"), "warehouse");
    assert.equal(await s.app.summary("lines"), "600");
    assert.equal(await s.page.locator(".error-item").count(), 0);
    await waitForSave(s.page, revision);

    await s.page.reload();
    await s.app.engineReady();
    assert.match(await s.page.getByTestId("save-status").textContent(), /^Saved \d\d:\d\d$/);
    assert.equal(await s.app.summary("lines"), "600");
    assert.equal(await s.app.mappedHeader("orders", "region"), "warehouse");
  } finally {
    await s.end();
    await rm(dir, { recursive: true, force: true });
  }
});

test("a workspace larger than one IndexedDB record is saved in parts and restored", async () => {
  // Chromium refuses one value over about 127 MiB; the worker stores the
  // file in parts of 64 MiB. A 73 MB orders file makes two.
  const dir = await mkdtemp(path.join(os.tmpdir(), "segscope-big-"));
  const file = path.join(dir, "orders-big.csv");
  const rows = orderRows("order_id,order_date,sku,quantity,unit_price,customer_id", 950_000, (i, date) => {
    const sku = `WIDGET-ASSEMBLY-${String(i % 4000).padStart(5, "0")}`;
    const price = (5 + (i % 50) * 0.25).toFixed(2);
    return `ORDER-${i},${date},${sku},${1 + (i % 9)},${price},CUSTOMER-ACCOUNT-${i % 700}`;
  });
  await writeFile(file, rows.join("\n") + "\n");
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", file);
    await waitForSave(s.page, 0);
    const saved = await savedWorkspace(s.page);
    assert.ok(saved.size > 64 * 2 ** 20, `a file over one part: ${saved.size}`);
    assert.equal(saved.meta.parts, 2);
    assert.equal(saved.meta.size, saved.size);
    const lines = await s.app.summary("lines");
    assert.equal(lines, "950,000");

    await s.page.reload();
    await s.app.engineReady();
    assert.match(await s.page.getByTestId("save-status").textContent(), /^Saved \d\d:\d\d$/);
    assert.equal(await s.app.summary("lines"), lines);
  } finally {
    await s.end();
    await rm(dir, { recursive: true, force: true });
  }
});
