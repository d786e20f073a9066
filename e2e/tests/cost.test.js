// The Cost to serve page: pools, reconciliation, whale curve and tiers on
// the demo data; editing a pool moves customers and the curve while the
// totals still reconcile; what-ifs; refused pools; a customer's orders.

import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./support/session.js";

/** An amount as the page writes it (`-1,234.56`) in cents. */
const cents = (text) => Math.round(Number(text.trim().replace(/,/g, "")) * 100);

/** Opens the app with the demo data loaded and the Cost to serve page shown. */
async function demoCost() {
  const s = await start();
  await s.app.open();
  await s.app.loadDemo();
  await s.app.goTo("Cost to serve");
  await s.page.getByTestId("reconciliation").waitFor();
  return s;
}

/** The text of an element by test id. */
async function text(s, testid) {
  return (await s.page.getByTestId(testid).textContent()).trim();
}

/** allocated + unallocated = pools total, as the page shows them, to the cent. */
async function assertReconciles(s) {
  const allocated = cents(await text(s, "cts-total"));
  const unallocated = cents(await text(s, "unallocated-total"));
  const pools = cents(await text(s, "pools-total"));
  assert.equal(allocated + unallocated, pools, `${allocated} + ${unallocated} ≠ ${pools} (cents)`);
  assert.match(await text(s, "reconciliation"), /✓ reconciles/);
  return { allocated, unallocated, pools };
}

/** The pool rows of the editor, by their names. */
async function poolNames(s) {
  return s.page
    .locator('[data-testid^="pool-row-"]')
    .evaluateAll((rows) => rows.map((r) => r.dataset.testid.slice("pool-row-".length)));
}

/** The customer codes of the rendered rows, top to bottom. */
async function renderedCustomers(s) {
  return s.page
    .getByTestId("customer-table")
    .locator('[role="row"][data-customer]')
    .evaluateAll((rows) =>
      rows.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((r) => r.dataset.customer),
    );
}

/** One cell of a customer's row (by column title), filtering the table to it first. */
async function customerCell(s, code, column) {
  await s.page.getByTestId("customer-filter").fill(code);
  const row = s.page.getByTestId(`customer-row-${code}`);
  return (await row.locator(`[data-col="${column}"]`).textContent()).trim();
}

const whaleImage = (s) =>
  s.page.locator('canvas[data-testid="whale-chart"][data-drawn="true"]').evaluate((c) => c.toDataURL());

test("demo data: pools, tiers and the whale curve are shown and the totals reconcile", async () => {
  const s = await demoCost();
  try {
    assert.deepEqual(await poolNames(s), [
      "Order processing",
      "Picking",
      "Handling",
      "Freight",
      "Account management",
      "Credit & collections",
    ]);
    assert.match(await text(s, "pools-source"), /demo-cost-pools\.csv/);
    const tiers = await s.page
      .getByTestId("tier-table")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.dataset.tier));
    assert.deepEqual(tiers, ["Platinum", "Gold", "Silver", "Loss-making"]);
    assert.ok((await s.app.chartInk("whale-chart")) > 2000, "the whale curve is drawn");
    assert.ok((await s.app.chartInk("cost-bars-tier")) > 2000, "the bars per tier are drawn");
    assert.ok((await s.app.chartInk("cost-bars-group")) > 2000, "the bars per segment are drawn");
    assert.match(await text(s, "whale-peak"), /^Peak \d+ % of profit at [\d.]+ % of customers/);
    const { allocated, pools } = await assertReconciles(s);
    assert.ok(allocated > 0 && pools > 0);
    assert.match(await text(s, "customer-count"), /^\d+ customers$/);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("80-cost-demo");
    await s.app.screenshotOf("whale-chart", "80a-whale-demo");
    await s.app.screenshotOf("cost-bars-tier", "80b-cost-bars-tier");
    await s.app.screenshotOf("cost-bars-group", "80c-cost-bars-segment");
    await s.app.screenshotOf("pool-table", "80d-pools");
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});

test("doubling Freight moves a customer's cost and profit and the whale curve, and still reconciles", async () => {
  const s = await demoCost();
  try {
    const before = await assertReconciles(s);
    const [top] = await renderedCustomers(s);
    const cts = cents(await customerCell(s, top, "Cost to serve"));
    const profit = cents(await customerCell(s, top, "Profit"));
    const image = await whaleImage(s);
    const peak = await text(s, "whale-peak");
    const freight = s.page.getByTestId("pool-cost-Freight");
    const annual = Number((await freight.inputValue()).replace(/,/g, ""));
    assert.ok(annual > 0);
    await freight.fill(String(annual * 2));
    await s.app.andWait(() => s.page.getByRole("button", { name: "Apply pools" }).click());
    assert.match(await text(s, "pools-source"), /edited on this page/);
    assert.equal(Number((await freight.inputValue()).replace(/,/g, "")), annual * 2);
    const after = await assertReconciles(s);
    assert.ok(after.pools > before.pools, `pools ${before.pools} → ${after.pools}`);
    const ctsAfter = cents(await customerCell(s, top, "Cost to serve"));
    const profitAfter = cents(await customerCell(s, top, "Profit"));
    assert.ok(ctsAfter > cts, `${top}: cost to serve ${cts} → ${ctsAfter}`);
    assert.equal(profitAfter - profit, -(ctsAfter - cts), "profit falls by what cost to serve rises");
    await s.page.waitForFunction(
      (old) => document.querySelector('canvas[data-testid="whale-chart"]')?.toDataURL() !== old,
      image,
    );
    assert.notEqual(await text(s, "whale-peak"), peak);
    await s.page.getByTestId("customer-filter").fill("");
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.app.screenshot("81-cost-freight-doubled");
  } finally {
    await s.end();
  }
});

test("consolidating deliveries weekly shows the change in profit per tier", async () => {
  const s = await demoCost();
  try {
    await s.page.getByTestId("what-if-scenario").selectOption("consolidate");
    await s.page.getByTestId("what-if-period").selectOption("week");
    await s.app.andWait(() => s.page.getByRole("button", { name: "Run what-if" }).click());
    const result = s.page.getByTestId("what-if-result");
    await result.waitFor();
    assert.match(await text(s, "what-if-description"), /merged per week: [\d,]+ → [\d,]+ orders/);
    const tiers = await result.locator("tbody tr[data-tier]").evaluateAll((rows) => rows.map((r) => r.dataset.tier));
    assert.deepEqual(tiers, ["Platinum", "Gold", "Silver", "Loss-making"]);
    const total = cents(await text(s, "what-if-total"));
    assert.notEqual(total, 0, "merging orders saves handling");
    assert.ok(total > 0, `Δ profit ${total}`);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await result.scrollIntoViewIfNeeded();
    await s.app.screenshot("82-cost-what-if");
    await s.app.screenshotOf("what-if-result", "82a-what-if-result");
  } finally {
    await s.end();
  }
});

test("a pool with a fixed share above 1 is refused beside the field and nothing changes", async () => {
  const s = await demoCost();
  try {
    const before = await assertReconciles(s);
    const peak = await text(s, "whale-peak");
    await s.page.getByRole("button", { name: "Add pool" }).click();
    const row = s.page.locator('[data-testid^="pool-row-"]').last();
    await row.getByLabel("Pool name").fill("Returns desk");
    await row.getByLabel("Annual cost").fill("5000");
    await row.getByLabel("Fixed share").fill("1.5");
    await s.app.andWait(() => s.page.getByRole("button", { name: "Apply pools" }).click());
    const error = s.page.getByTestId("pool-error");
    await error.waitFor();
    assert.equal(
      (await error.textContent()).trim(),
      "The fixed share of `Returns desk` must be between 0 and 1 (got 1.5): write 0.3 for 30 % fixed.",
    );
    const share = s.page.getByTestId("pool-fixed-Returns desk");
    assert.equal(await share.getAttribute("aria-invalid"), "true");
    assert.deepEqual(await assertReconciles(s), before, "the totals stay");
    assert.equal(await text(s, "whale-peak"), peak);
    assert.match(await text(s, "pools-source"), /demo-cost-pools\.csv/);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await s.page.getByTestId("pool-table").scrollIntoViewIfNeeded();
    await s.app.screenshotOf("pool-table", "83-cost-invalid-pool");
  } finally {
    await s.end();
  }
});

test("a customer's drill-down lists its orders, whose cost to serve adds up to the customer's", async () => {
  const s = await demoCost();
  try {
    const [, second] = await renderedCustomers(s);
    const cts = await customerCell(s, second, "Cost to serve");
    await s.app.andWait(() => s.page.getByTestId(`customer-row-${second}`).click());
    const detail = s.page.getByTestId("customer-detail");
    await detail.getByRole("heading", { name: new RegExp(`^Orders of ${second}`) }).waitFor();
    const cells = await detail.locator('[data-testid="detail-orders"] td[data-col="cts"]').allTextContents();
    assert.ok(cells.length > 1, `${cells.length} orders`);
    const sum = cells.reduce((total, c) => total + cents(c), 0);
    // Each order is rounded to the cent: the sum may drift by half a cent an order.
    assert.ok(Math.abs(sum - cents(cts)) <= cells.length / 2, `Σ orders ${sum} vs ${cents(cts)}`);
    assert.equal(await text(s, "detail-orders-cts"), cts);
    assert.equal(await text(s, "detail-cts"), cts);
    await s.page.setViewportSize({ width: 1280, height: 720 });
    await detail.scrollIntoViewIfNeeded();
    await s.app.screenshot("84-cost-customer-detail");
    await s.app.screenshotOf("customer-detail", "84a-customer-detail");
  } finally {
    await s.end();
  }
});
