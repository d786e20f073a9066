// The Policies page: working capital per segment and the efficient
// frontier, service levels and models that recompute in the worker, the
// what-if panel, and a SKU's history, forecast and backtest.

import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./support/session.js";

/** A figure as shown ("12,345", "−56", "98.50 %", "+0.35 pp") as a number. */
const number = (text) => Number(text.trim().replace(/−/g, "-").replace(/[^0-9.+-]/g, ""));

/** Opens the app with the demo data loaded and the Policies page shown. */
async function demoPolicies() {
  const s = await start();
  await s.app.open();
  await s.app.loadDemo();
  await s.app.goTo("Policies");
  await s.page.getByTestId("wc-table").waitFor();
  await s.page.setViewportSize({ width: 1280, height: 720 });
  return s;
}

/** The text of a figure by test id. */
async function figure(s, testid) {
  return (await s.page.getByTestId(testid).textContent()).trim();
}

/** The segments listed in the working-capital table. */
async function segments(s) {
  return s.page
    .getByTestId("wc-table")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => r.dataset.testid.replace(/^wc-/, "")));
}

test("demo data: working capital per segment adds up and the frontier is drawn", async () => {
  const s = await demoPolicies();
  try {
    const labels = await segments(s);
    assert.ok(labels.includes("AX") && labels.includes("CZ"), labels.join(" "));
    let inventory = 0;
    for (const label of labels) {
      const value = number(await figure(s, `wc-${label}-inventory-value`));
      const safety = number(await figure(s, `wc-${label}-safety-value`));
      assert.ok(Number.isFinite(value) && Number.isFinite(safety), label);
      assert.match(await figure(s, `wc-${label}-service-level`), /^\d+\.\d %$/);
      inventory += value;
    }
    // Each segment is rounded to whole currency units.
    const total = number(await figure(s, "wc-total-inventory-value"));
    assert.ok(total > 0, `total inventory value ${total}`);
    assert.ok(Math.abs(total - inventory) <= labels.length, `${total} vs Σ ${inventory}`);
    assert.match(await figure(s, "wc-AX-fill-rate"), /^\d+\.\d\d %$/);
    // The demo's products give stock on hand: cash released or needed.
    assert.match(await s.page.getByTestId("wc-totals").textContent(), /Stock on hand: cash (released|needed)/);
    assert.ok((await s.app.chartInk("frontier-chart")) > 2000, "the frontier is drawn");
    assert.equal(await s.page.getByTestId("sl-AX").inputValue(), "98");
    await s.app.screenshot("90-policies-demo");
    await s.app.screenshotOf("frontier-chart", "90a-frontier-demo");
    await s.app.screenshotOf("policy-table", "90b-policy-table");
    await s.app.screenshotOf("wc-table", "90c-working-capital");
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});

test("raising AX's service level from 98 % to 99.5 % adds safety stock and changes its fill rate", async () => {
  const s = await demoPolicies();
  try {
    const safety = number(await figure(s, "wc-AX-safety-value"));
    const fill = await figure(s, "wc-AX-fill-rate");
    const field = s.page.getByTestId("sl-AX");
    await field.fill("99.5");
    await s.app.andWait(() => field.press("Enter"));
    await s.page.getByTestId("wc-AX-service-level").filter({ hasText: "99.5 %" }).waitFor();
    const safetyAfter = number(await figure(s, "wc-AX-safety-value"));
    const fillAfter = await figure(s, "wc-AX-fill-rate");
    assert.ok(safetyAfter > safety, `AX safety stock value ${safety} → ${safetyAfter}`);
    assert.notEqual(fillAfter, fill, `AX fill rate ${fill} → ${fillAfter}`);
    assert.ok(number(fillAfter) >= number(fill), `AX fill rate ${fill} → ${fillAfter}`);
    assert.equal(await field.inputValue(), "99.5");
    await s.app.screenshotOf("service-levels", "91-service-levels");
    // A level outside 50–99.9 % is refused on the page and never sent.
    const answered = await s.app.answered();
    await field.fill("100");
    await field.press("Enter");
    await s.page.getByTestId("sl-errors").getByText("AX: Use a level from 50 % to 99.9 %.").waitFor();
    await s.page.waitForTimeout(400);
    assert.equal(await s.app.answered(), answered);
    assert.equal(await field.getAttribute("aria-invalid"), "true");
  } finally {
    await s.end();
  }
});

test("switching a lumpy segment (CZ) to the empirical model changes its policies", async () => {
  const s = await demoPolicies();
  try {
    const slow = await figure(s, "wc-CZ-slow");
    assert.match(slow, /^[\d,]+ → [\d,]+$/, "CZ's slow movers show both models");
    const safety = await figure(s, "wc-CZ-safety-value");
    const inventory = await figure(s, "wc-CZ-inventory-value");
    await s.app.andWait(() => s.page.getByTestId("model-CZ").selectOption("empirical"));
    await s.page.waitForFunction(
      (before) => document.querySelector('[data-testid="wc-CZ-safety-value"]')?.textContent.trim() !== before,
      safety,
    );
    const safetyAfter = await figure(s, "wc-CZ-safety-value");
    assert.notEqual(safetyAfter, safety, "CZ safety stock value changes");
    assert.notEqual(await figure(s, "wc-CZ-inventory-value"), inventory, "CZ inventory value changes");
    assert.equal(await s.page.getByTestId("model-CZ").inputValue(), "empirical");
    // The SKU table says which model each CZ SKU now uses.
    await s.page.getByTestId("policy-segment-filter").selectOption("CZ");
    const models = await s.page
      .getByTestId("policy-table")
      .locator('[role="row"][data-sku] [data-col="model"]')
      .allTextContents();
    assert.ok(models.length > 0);
    for (const m of models) assert.match(m, /^(empirical|run-out)\*?$/);
    await s.page.getByTestId("wc-table").scrollIntoViewIfNeeded();
    await s.app.screenshot("92-policies-cz-empirical");
    // A CZ SKU's view shows both models, the empirical one in use.
    const row = s.page.getByTestId("policy-table").locator('[role="row"][data-sku]').filter({ hasText: "empirical" }).first();
    await s.app.andWait(() => row.click());
    const table = s.page.getByTestId("sku-detail-models");
    await table.getByText("Empirical (in use)").waitFor();
    const both = await table.locator("tbody tr").first().locator("td").allTextContents();
    assert.equal(both.length, 2);
    for (const cell of both) assert.match(cell, /^-?[\d,]+(\.\d)?$/, `safety stock ${both}`);
    await s.app.screenshotOf("sku-detail", "92a-sku-view-empirical");
  } finally {
    await s.end();
  }
});

test("the what-if panel shows the change in inventory value, fill rate and stockouts", async () => {
  const s = await demoPolicies();
  try {
    await s.page.getByTestId("tradeoff-segment").selectOption("AX");
    const level = s.page.getByTestId("what-if-level");
    await level.fill("99.5");
    await s.app.andWait(() => level.press("Enter"));
    const panel = s.page.getByTestId("what-if");
    await panel.getByTestId("what-if-table").waitFor();
    const inventory = await figure(s, "what-if-delta-inventory");
    const fill = await figure(s, "what-if-delta-fill-rate");
    const stockouts = await figure(s, "what-if-delta-stockouts");
    assert.match(inventory, /^\+[\d,]+$/, `Δ inventory value ${inventory}`);
    assert.match(fill, /^\+\d+\.\d\d pp$/, `Δ fill rate ${fill}`);
    assert.match(stockouts, /^−\d+\.\d$/, `Δ stockouts ${stockouts}`);
    assert.equal(await figure(s, "what-if-delta-level"), "+1.50 pp");
    // The slider follows the typed level; the frontier marks the what-if.
    assert.equal(await s.page.getByTestId("what-if-slider").inputValue(), "99.5");
    assert.match(await s.page.getByTestId("frontier-chart").getAttribute("aria-label"), /^AX: inventory value/);
    // From the keyboard: the slider down one step and let go asks again.
    await s.page.getByTestId("what-if-slider").focus();
    await s.app.andWait(() => s.page.keyboard.press("ArrowLeft"));
    await s.page.getByTestId("what-if-delta-level").filter({ hasText: "+1.40 pp" }).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await s.app.screenshot("93-policies-what-if");
    await s.app.screenshotOf("what-if", "93a-what-if-panel");
  } finally {
    await s.end();
  }
});

test("a SKU's view shows its history chart, forecast method and MASE", async () => {
  const s = await demoPolicies();
  try {
    const first = s.page.getByTestId("policy-table").locator('[role="row"][data-sku]').first();
    const sku = await first.getAttribute("data-sku");
    await s.app.andWait(() => first.click());
    const view = s.page.getByTestId("sku-detail");
    await view.getByTestId("sku-detail-heading").filter({ hasText: sku }).waitFor();
    assert.ok((await s.app.chartInk("history-chart")) > 1500, "the history is drawn");
    assert.match(await figure(s, "sku-detail-method"), /^(SES|SBA|Holt|Croston|seasonal naive) \(/);
    assert.match(await figure(s, "sku-detail-mase"), /^\d+\.\d\d$/);
    assert.match(await figure(s, "sku-detail-mae"), /^\d+\.\d\d units \/ week$/);
    const models = await view.getByTestId("sku-detail-models").textContent();
    assert.match(models, /Normal \(in use\)/);
    assert.match(models, /Safety stock \(units\)/);
    // From the keyboard: the next row, Enter.
    await first.focus();
    await s.page.keyboard.press("ArrowDown");
    const second = await s.page.evaluate(() => document.activeElement?.dataset.sku);
    assert.ok(second && second !== sku);
    await s.app.andWait(() => s.page.keyboard.press("Enter"));
    await view.getByTestId("sku-detail-heading").filter({ hasText: second }).waitFor();
    await view.scrollIntoViewIfNeeded();
    await s.app.screenshot("94-policies-sku-view");
    await s.app.screenshotOf("sku-detail", "94a-sku-view");
  } finally {
    await s.end();
  }
});
