// Files the engine cannot use are refused with an error that says why,
// and never replace data that is already loaded.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { FIXTURES } from "./support/app.js";

const GOOD = path.join(FIXTURES, "bestellungen-win1252.csv");
const NO_SKU = path.join(FIXTURES, "orders-no-sku.csv");
const UNKNOWN_SKU_HEADER = path.join(FIXTURES, "orders-unknown-sku-header.csv");

test("a file without a SKU column is refused naming the field, and the earlier data stays loaded", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", GOOD);
    assert.equal(await s.app.summary("lines"), "6");

    await s.app.upload("orders", NO_SKU);
    const alert = s.page.getByTestId("error-orders");
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /orders-no-sku\.csv/);
    assert.match(text, /`sku`/);
    assert.match(text, /headers found: Order ID, Order Date, Quantity, Sales, Customer/);
    assert.match(text, /The earlier orders file, bestellungen-win1252\.csv, stays loaded\./);
    assert.equal(await s.app.alerts().count(), 1);

    // Everything shown is still the earlier file's.
    assert.equal(await s.app.summary("lines"), "6");
    assert.equal(await s.app.summary("revenue"), "4,404.29");
    await s.page.getByTestId("loaded-orders").getByText("bestellungen-win1252.csv").waitFor();
    await s.app.screenshot("20-no-sku-refused");

    await s.app.andWait(() => alert.getByRole("button", { name: "Dismiss" }).click());
    assert.equal(await s.page.getByTestId("error-orders").count(), 0);
    assert.equal(await s.app.summary("lines"), "6");
  } finally {
    await s.end();
  }
});

test("a refused file is rescued by mapping the missing field to one of its columns", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", UNKNOWN_SKU_HEADER);
    const alert = s.page.getByTestId("error-orders");
    await alert.waitFor();
    assert.match(await alert.textContent(), /No orders file is loaded\./);

    await s.app.andWait(() => s.page.getByTestId("fix-orders").selectOption("Teil"));
    assert.equal(await s.page.getByTestId("error-orders").count(), 0);
    assert.equal(await s.app.mappedHeader("orders", "sku"), "Teil");
    assert.equal(await s.app.matchedBy("orders", "sku"), "override");
    assert.equal(await s.app.summary("lines"), "3");
    assert.equal(await s.app.summary("skus"), "2");
    assert.equal(await s.app.summary("revenue"), "135.00");
    await s.app.screenshot("21-rescued-by-mapping");
  } finally {
    await s.end();
  }
});

test("overriding a mapped column re-reads the file with the new mapping", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", GOOD);
    assert.equal(await s.app.summary("customers"), "3");
    // Map the customer to the currency column: one "customer" (EUR) remains.
    await s.app.mapField("orders", "customer_id", "Währung");
    assert.equal(await s.app.mappedHeader("orders", "customer_id"), "Währung");
    assert.equal(await s.app.matchedBy("orders", "customer_id"), "override");
    assert.equal(await s.app.summary("customers"), "1");
    // Back to automatic: the synonym match returns.
    await s.app.andWait(() =>
      s.page.getByTestId("map-orders-customer_id").selectOption({ index: 0 }),
    );
    assert.equal(await s.app.mappedHeader("orders", "customer_id"), "Kunde");
    assert.equal(await s.app.summary("customers"), "3");
  } finally {
    await s.end();
  }
});
