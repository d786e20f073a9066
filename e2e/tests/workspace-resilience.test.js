// Nothing lost: storage full keeps the previous save and says what to do;
// two tabs never silently overwrite each other's newer work; a reload in
// the middle of an analysis loses nothing already saved; a file picked
// just before a refused orders file is saved all the same.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { FIXTURES } from "./support/app.js";
import { start } from "./support/session.js";
import { savedRevision, savedWorkspace, waitForSave } from "./support/saved.js";

/** Changes the A cut on the Segments page and applies it. */
async function setCut(app, percent) {
  await app.goTo("Segments");
  await app.setSetting("a-cut", String(percent));
  await app.applySettings();
}

test("storage full: a clear message, the work stays open and the previous save is kept", async () => {
  const s = await start();
  try {
    // Chromium's own quota override (DevTools protocol), set before the
    // app stores anything (Chromium keeps the space it found at the first
    // write): room for one save of the demo workspace (≈ 3.9 MB, stored
    // as blobs, uncompressed) but not for the next beside it (a save
    // writes the new copy before the old one goes).
    const QUOTA = 6_000_000;
    const cdp = await s.context.newCDPSession(s.page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: s.origin, quotaSize: QUOTA });
    await s.app.open();
    await s.app.loadDemo();
    const revision = await waitForSave(s.page, 0);
    const saved = await savedWorkspace(s.page);
    assert.ok(saved.size > 2_000_000, `the demo workspace is ${saved.size} bytes`);
    await s.app.goTo("Segments");
    const matrix = await s.app.matrixCounts();

    await setCut(s.app, 60);
    const problem = s.page.getByTestId("save-problem");
    await problem.waitFor({ timeout: 30_000 });
    assert.match(
      await problem.textContent(),
      /Not saved: the browser's storage for this site is full\. Your work is still open here and the previous save is kept\. Export the workspace to keep it, or remove a file/,
    );
    assert.equal(await s.page.getByTestId("save-status").textContent(), "Not saved");
    assert.equal(await s.page.getByTestId("setting-a-cut").inputValue(), "60", "the work in memory stays");
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("94-workspace-storage-full");
    const after = await savedWorkspace(s.page);
    assert.equal(after.meta.revision, revision, "the failed save changed nothing");
    assert.equal(after.sha256, saved.sha256);

    // The saved copy is the last one that fit: a reload opens it.
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: s.origin });
    await s.page.reload();
    await s.app.engineReady();
    await s.app.goTo("Segments");
    assert.equal(await s.page.getByTestId("setting-a-cut").inputValue(), "80");
    assert.deepEqual(await s.app.matrixCounts(), matrix);
  } finally {
    await s.end();
  }
});

test("two tabs: the older tab is told of newer work, saves nothing over it, and reloads to it", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    await waitForSave(s.page, 0);

    const second = await s.context.newPage();
    const { SegscopeApp } = await import("./support/app.js");
    const other = new SegscopeApp(second, s.origin);
    await other.open("segments");
    assert.equal(await second.getByTestId("setting-a-cut").inputValue(), "80");

    // The first tab changes the cut and saves: the second is told at once.
    const revision = (await savedWorkspace(s.page)).meta.revision;
    await setCut(s.app, 70);
    const newer = await waitForSave(s.page, revision);
    const conflict = second.getByTestId("save-conflict");
    await conflict.waitFor({ timeout: 10_000 });
    assert.match(await conflict.textContent(), /Another tab saved newer work at \d\d:\d\d/);
    await second.setViewportSize({ width: 1280, height: 720 });
    await other.screenshot("95-workspace-two-tabs");

    // A change in the second tab is not saved over the first tab's work.
    await setCut(other, 60);
    await second.waitForTimeout(1500);
    assert.equal((await savedWorkspace(second)).meta.revision, newer);
    assert.equal(await second.getByTestId("save-status").getAttribute("data-state"), "conflict");
    assert.equal(await second.getByTestId("save-status").textContent(), "Not saved");

    // Reloading the second tab shows the first tab's work.
    await second.getByRole("button", { name: "Reload with the newer work" }).click();
    await other.engineReady();
    await other.goTo("Segments");
    assert.equal(await second.getByTestId("setting-a-cut").inputValue(), "70");
    await second.close();
  } finally {
    await s.end();
  }
});

test("a reload while an analysis is running loses nothing that was saved", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    await waitForSave(s.page, 0);
    const lines = await s.app.summary("lines");
    const revenue = await s.app.summary("revenue");
    await s.app.goTo("Segments");
    await s.app.setSetting("a-cut", "65");
    await s.page.getByRole("button", { name: "Apply settings" }).click();
    // Reload at once, while the worker recomputes.
    await s.page.reload();
    await s.app.engineReady();
    assert.match(await s.page.getByTestId("save-status").textContent(), /^Saved \d\d:\d\d$/);
    await s.app.goTo("Data");
    assert.equal(await s.app.summary("lines"), lines);
    assert.equal(await s.app.summary("revenue"), revenue);
    await s.app.goTo("Segments");
    const cut = await s.page.getByTestId("setting-a-cut").inputValue();
    assert.ok(["80", "65"].includes(cut), `the cut is the saved one or the new one, not ${cut}`);

  } finally {
    await s.end();
  }
});

test("a file picked just before a refused orders file is saved all the same", async () => {
  // A save is due a moment after each change; an orders file that starts
  // to stream in puts it off until the file is handled (the save would run
  // between its chunks), and must not lose it when the file is refused.
  const s = await start();
  try {
    await s.app.open();
    const before = await savedRevision(s.page);
    const products = { name: "my-products.csv", mimeType: "text/csv", buffer: Buffer.from("sku,unit_cost\nA,2\nB,3\n") };
    await s.app.upload("products", products);
    // At once: the products' save is still due.
    await s.app.upload("orders", path.join(FIXTURES, "orders-no-sku.csv"));
    await s.page.getByTestId("error-orders").waitFor();
    await waitForSave(s.page, before);
    await s.page.reload();
    await s.app.engineReady();
    const files = await s.page.locator('[data-testid^="loaded-"]').allTextContents();
    assert.ok(files.some((f) => f.includes("my-products.csv")), `restored: ${files.join(" | ")}`);
  } finally {
    await s.end();
  }
});
