// Files can be dropped on their zone as well as picked.
//
// With e2e/fixtures/bestellungen-win1252.csv loaded, a products file giving
// unit costs A-100 = 80 and B-200 = 30 changes the net margin, by hand:
//   revenue 1,851.84 − 15 × 80 = 651.84
//   B-200: revenue 44.95 − (2 − 1) × 30 = 14.95 (the return gives back its cost)
//   C-300: not in products, cost = price × 0.6: 0.4 × 2,507.50 = 1,003.00
//   total 1,669.79.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { FIXTURES } from "./support/app.js";

const PRODUCTS = "SKU,Description,Unit Cost\nA-100,Widget,80\nB-200,Gadget,30\n";

test("a products file dropped on its zone is loaded and joined to the orders", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", path.join(FIXTURES, "bestellungen-win1252.csv"));
    assert.equal(await s.app.summary("margin"), "1,761.72");

    const zone = s.page.getByTestId("drop-products");
    const dataTransfer = await s.page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "artikel.csv", { type: "text/csv" }));
      return dt;
    }, PRODUCTS);
    await zone.dispatchEvent("dragover", { dataTransfer });
    assert.match(await zone.getAttribute("class"), /dragging/);
    await s.app.andWait(() => zone.dispatchEvent("drop", { dataTransfer }));

    await s.page.getByTestId("loaded-products").getByText("artikel.csv").waitFor();
    assert.doesNotMatch(await zone.getAttribute("class"), /dragging/);
    assert.equal(await s.app.mappedHeader("products", "unit_cost"), "Unit Cost");
    assert.equal(await s.app.summary("margin"), "1,669.79");
    assert.ok((await s.app.qualityCount("sku_not_in_products")) >= 1);
    await s.app.screenshot("50-products-dropped");
  } finally {
    await s.end();
  }
});
