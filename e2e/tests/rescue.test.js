// No panic reaches the user as a dead page. A panic in the page shows the
// rescue panel, whose plain-JavaScript button downloads the workspace saved
// in IndexedDB; an engine worker that dies is restarted on its own and
// restores the saved work. The panics are real: the page is opened with
// `?test-hooks`, which arms two test-only routes (app/src/rescue.rs).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start } from "./support/session.js";
import { MAGIC, savedWorkspace, waitForSave } from "./support/saved.js";

/** Opens the app with the test hooks armed, loads the demo, waits for its save. */
async function demoSaved(s) {
  await s.page.goto(`${s.origin}/?test-hooks=1#/data`);
  await s.app.engineReady();
  await s.app.loadDemo();
  await waitForSave(s.page, 0);
  return { lines: await s.app.summary("lines"), revenue: await s.app.summary("revenue") };
}

test("an engine that panics is restarted on its own and the loaded data comes back", async () => {
  const s = await start();
  try {
    const before = await demoSaved(s);
    await s.page.evaluate(() => {
      location.hash = "#/__panic-worker";
    });
    const notice = s.page.getByTestId("engine-restarted");
    await notice.waitFor({ timeout: 60_000 });
    assert.match(await notice.textContent(), /The engine stopped and was restarted; your data was restored\./);
    await s.app.engineReady();
    assert.equal(await s.page.getByTestId("error-engine").count(), 0, "no dead-engine alert");
    assert.deepEqual(
      { lines: await s.app.summary("lines"), revenue: await s.app.summary("revenue") },
      before,
    );
    await s.app.screenshot("95-engine-restarted");
    // The restarted engine answers requests.
    await s.app.goTo("Segments");
    await s.page.getByTestId("matrix-AX-count").waitFor();
    await notice.getByRole("button", { name: "Dismiss" }).click();
    assert.equal(await notice.count(), 0);
  } finally {
    await s.end();
  }
});

test("a page that panics shows the rescue panel, which downloads the saved workspace", async () => {
  const s = await start({ acceptDownloads: true });
  try {
    const before = await demoSaved(s);
    await s.page.evaluate(() => {
      location.hash = "#/__panic-page";
    });
    const panel = s.page.getByRole("alertdialog", { name: "segscope stopped working" });
    await panel.waitFor();
    const download = panel.getByRole("button", { name: "Download saved workspace" });
    assert.ok(await download.evaluate((b) => b === document.activeElement), "the button has focus");
    await s.app.screenshot("96-rescue-panel");

    const [file] = await Promise.all([s.page.waitForEvent("download"), download.click()]);
    assert.match(file.suggestedFilename(), /^segscope-workspace-\d{4}-\d\d-\d\d\.segscope$/);
    const bytes = await readFile(await file.path());
    assert.equal(bytes.subarray(0, MAGIC.length).toString("latin1"), MAGIC);
    const saved = await savedWorkspace(s.page, { withFile: true });
    assert.ok(bytes.equals(Buffer.from(saved.bytes)), "byte for byte the saved workspace");
    await panel.getByText(/^Downloaded segscope-workspace-/).waitFor();

    // Reloading opens the saved work again.
    await panel.getByRole("button", { name: "Reload the page" }).click();
    await s.app.engineReady();
    await s.page.getByTestId("summary-lines").waitFor();
    assert.deepEqual(
      { lines: await s.app.summary("lines"), revenue: await s.app.summary("revenue") },
      before,
    );
    assert.equal(await s.page.getByTestId("rescue").count(), 0);
  } finally {
    await s.end();
  }
});

test("without ?test-hooks the panic routes do nothing", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.page.evaluate(() => {
      location.hash = "#/__panic-page";
    });
    await s.page.evaluate(() => {
      location.hash = "#/__panic-worker";
    });
    await s.app.goTo("Segments");
    assert.equal(await s.page.getByTestId("rescue").count(), 0);
    assert.equal(await s.page.getByTestId("engine-restarted").count(), 0);
    assert.equal(await s.page.getByTestId("error-engine").count(), 0);
  } finally {
    await s.end();
  }
});
