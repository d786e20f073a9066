// Runs and governance: every analysis is a run on the History page; two
// runs compared after changing the A cut give a migration matrix whose
// rows and columns are the Segments page's counts before and after, and
// the changed SKUs with the cut that moved them; a manual override needs a
// reason, shows in the SKU's explanation and in the audit trail.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start } from "./support/session.js";

const count = (text) => Number(text.replace(/[^0-9]/g, ""));
const SEGMENTS = ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"];

test("comparing the runs before and after a lower A cut", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.goTo("History");
    await s.page.getByTestId("runs-empty").waitFor();
    assert.match(await s.page.getByTestId("runs-empty").textContent(), /No runs yet/);

    await s.app.goTo("Data");
    await s.app.loadDemo();
    await s.app.goTo("Segments");
    await s.page.getByTestId("matrix").waitFor();
    const before = await s.app.matrixCounts();
    await s.app.setSetting("a-cut", "60");
    await s.app.applySettings();
    const after = await s.app.matrixCounts();
    assert.notDeepEqual(after, before);

    await s.app.goTo("History");
    const runs = s.page.getByTestId("runs");
    await runs.waitFor();
    assert.equal(await runs.locator("tbody tr").count(), 2);
    const newest = await s.page.getByTestId("run-2").textContent();
    assert.match(newest, /A 60\.0 %/);
    assert.match(newest, /demo-orders\.csv [0-9a-f]{8}/);
    assert.match(newest, /segscope-core \d+\.\d+\.\d+/);

    // A note, saved with Enter.
    const note = s.page.getByTestId("run-2-note");
    await note.fill("A cut at 60 % for the workshop");
    await s.app.andWait(() => note.press("Enter"));
    assert.equal(await s.page.getByTestId("run-2-note").inputValue(), "A cut at 60 % for the workshop");

    assert.equal(await s.page.getByTestId("compare-from").inputValue(), "1");
    assert.equal(await s.page.getByTestId("compare-to").inputValue(), "2");
    await s.app.andWait(() => s.page.getByTestId("compare-runs").click());
    await s.page.getByTestId("migration").waitFor();
    // Rows are the first run's segments, columns the second's: their totals
    // are the matrix counts the Segments page showed before and after.
    for (const seg of SEGMENTS) {
      const row = s.page.getByTestId(`migration-${seg}-total`);
      const column = s.page.getByTestId(`migration-total-${seg}`);
      assert.equal((await row.count()) ? count(await row.textContent()) : 0, before[seg], `row ${seg}`);
      assert.equal(
        (await column.count()) ? count(await column.textContent()) : 0,
        after[seg],
        `column ${seg}`,
      );
    }
    // Only A SKUs can move when only the A cut went down, and only to B.
    let moved = 0;
    for (const from of SEGMENTS) {
      for (const to of SEGMENTS) {
        const cell = s.page.getByTestId(`migration-${from}-${to}`);
        const n = (await cell.count()) ? count(await cell.textContent()) : 0;
        if (from !== to && n > 0) {
          assert.equal(from[0] + to[0], "AB", `${from} → ${to}: ${n}`);
          assert.equal(from[1], to[1]);
          moved += n;
        }
      }
    }
    const a = (c) => c.AX + c.AY + c.AZ;
    assert.equal(moved, a(before) - a(after));
    assert.equal(count(await s.page.getByTestId("changed-count").textContent()), moved);
    assert.match(await s.page.getByTestId("comparison-changes").textContent(), /A cut 80\.0 % → 60\.0 %/);
    const reasons = await s.page.getByTestId("changed-skus").locator("tbody tr td:last-child").allTextContents();
    assert.equal(reasons.length, Math.min(moved, 200));
    for (const r of reasons) {
      assert.match(r, /^ABC A → B: A cut 80\.0 % → 60\.0 %, cumulative revenue share before it \d+\.\d %$/);
    }
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("90-history-compare");
    await s.app.screenshotOf("comparison", "90a-migration");
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});

test("an override needs a reason, then shows in the explanation and the audit trail", async () => {
  const s = await start({ acceptDownloads: true });
  try {
    await s.app.open();
    await s.app.loadDemo();
    await s.app.goTo("Segments");
    await s.page.getByTestId("matrix").waitFor();
    const before = await s.app.matrixCounts();
    const [sku] = await s.app.renderedSkus();
    await s.app.andWait(() => s.page.getByTestId(`sku-row-${sku}`).click());
    const form = s.page.getByTestId("sku-override");
    await form.waitFor();
    const segment = (await s.page.getByTestId("explanation").locator("h3").textContent()).slice(-2);
    assert.ok(SEGMENTS.includes(segment), segment);

    // Without a reason the engine refuses, and nothing changes.
    await s.page.getByTestId("override-segment").selectOption("CZ");
    await s.app.andWait(() => s.page.getByTestId("override-submit").click());
    assert.match(await s.page.getByTestId("override-error").textContent(), /needs a reason/);
    assert.deepEqual(await s.app.matrixCounts(), before);

    // With a reason, from the keyboard.
    await s.page.getByTestId("override-segment").selectOption("CZ");
    const reason = s.page.getByTestId("override-reason");
    await reason.fill("Discontinued next quarter");
    await s.app.andWait(() => reason.press("Enter"));
    const lines = s.page.getByTestId("explanation-lines");
    await lines.getByText(`overridden by Discontinued next quarter: ${segment} to CZ`).waitFor();
    const after = await s.app.matrixCounts();
    assert.equal(after.CZ, before.CZ + 1);
    assert.equal(after[segment], before[segment] - 1);
    assert.match(await s.page.getByTestId("override-in-force").textContent(), /Overridden to CZ/);
    await s.app.screenshotOf("sku-override", "91-override-form");
    await s.app.screenshotOf("explanation", "91a-override-explained");

    await s.app.goTo("History");
    const audit = s.page.getByTestId("audit");
    await audit.waitFor();
    const rows = await audit.locator("tbody tr").allTextContents();
    assert.equal(rows.length, 1);
    assert.match(rows[0], new RegExp(`UTC${sku}${segment}CZDiscontinued next quarter2$`));
    assert.match(await s.page.getByTestId(`override-${sku}`).textContent(), /CZDiscontinued next quarter/);
    // Sales sees no governance, on this page either.
    await s.app.andWait(() => s.page.getByTestId("role-switch").selectOption("sales"));
    await s.page.getByTestId("runs-hidden").waitFor();
    assert.equal(await s.page.getByTestId("audit").count(), 0);
    await s.app.andWait(() => s.page.getByTestId("role-switch").selectOption("consultant"));
    await audit.waitFor();
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("92-history-audit");

    // The audit trail is exported with the results.
    await s.app.goTo("Export");
    const button = s.page.getByTestId("export-csv-audit");
    await button.waitFor();
    const [download] = await Promise.all([s.page.waitForEvent("download"), button.click()]);
    assert.equal(download.suggestedFilename(), "audit.csv");
    const text = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
    const [header, line] = text.trim().split("\n");
    assert.equal(header, "time,sku,from_segment,to_segment,reason,run");
    assert.match(line, new RegExp(`,${sku},${segment},CZ,Discontinued next quarter,2$`));
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});
