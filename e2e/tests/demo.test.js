// "Load demo data": the worker generates the four files and loads them like
// uploads; the Data page shows what a person needs to trust the load.

import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./support/session.js";

const number = (text) => Number(text.replace(/,/g, ""));

test("Load demo data loads four files and fills the summary, mapping and quality report", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.loadDemo();
    for (const [kind, name] of [
      ["orders", "demo-orders.csv"],
      ["products", "demo-products.csv"],
      ["customers", "demo-customers.csv"],
      ["cost-pools", "demo-cost-pools.csv"],
    ]) {
      await s.page.getByTestId(`loaded-${kind}`).getByText(name).waitFor();
      await s.page.getByTestId(`mapping-${kind}`).waitFor();
    }
    assert.ok(number(await s.app.summary("lines")) > 1000);
    assert.ok(number(await s.app.summary("skus")) > 50);
    assert.ok(number(await s.app.summary("customers")) > 10);
    assert.ok(number(await s.app.summary("revenue")) > 0);
    assert.match(await s.app.summary("horizon"), /^\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d · \d+ weeks$/);
    await s.page.getByTestId("quality").waitFor();
    assert.equal(await s.page.getByTestId("top-skus").locator("tbody tr").count(), 10);
    assert.deepEqual(s.consoleErrors, []);
    await s.app.screenshot("30-demo-data");
    await s.app.goTo("Segments");
    assert.match(await s.page.getByTestId("basis").textContent(), /Computed from demo-orders\.csv/);
    await s.app.screenshot("31-segments-with-data");
  } finally {
    await s.end();
  }
});
