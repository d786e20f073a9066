// A German ERP export: semicolons, decimal commas with thousands dots,
// day-first dates (dotted and slashed), Windows-1252 bytes, CRLF lines.
//
// e2e/fixtures/bestellungen-win1252.csv, by hand:
//   lines 6, orders 5 (10001 twice), SKUs 3 (A-100, B-200, C-300),
//   customers 3 (Müller GmbH, Café Crème SARL, Bäckerei Schön);
//   net revenue 1,234.56 + 89.90 + 617.28 + 2,500.00 − 44.95 + 7.50 = 4,404.29;
//   units ordered (positive quantities) 10 + 2 + 5 + 100 + 3 = 120, one return line;
//   no cost column, so unit cost = price × 0.6 and net margin = 0.4 × 4,404.29 = 1,761.72;
//   dates: 13/04/2024 proves the slashed cells day-first, so 05/04/2024 is 5 April;
//   horizon 2024-03-25 (Mon) → 2024-04-13 (Sat): weeks of 25 Mar, 1 Apr, 8 Apr = 3.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { FIXTURES } from "./support/app.js";

const FILE = path.join(FIXTURES, "bestellungen-win1252.csv");

test("a semicolon, decimal-comma, day-first Windows-1252 export is mapped and totalled", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.app.upload("orders", FILE);

    await s.page.getByTestId("loaded-orders").getByText("bestellungen-win1252.csv").waitFor();
    const format = await s.page.getByTestId("mapping-orders-format").textContent();
    assert.match(format, /windows-1252/i);
    assert.match(format, /semicolon/);
    assert.match(format, /6 rows · 7 columns/);

    const expected = {
      order_id: "Belegnummer",
      order_date: "Datum",
      sku: "Artikel",
      quantity: "Menge",
      line_revenue: "Umsatz",
      customer_id: "Kunde",
    };
    for (const [field, header] of Object.entries(expected)) {
      assert.equal(await s.app.mappedHeader("orders", field), header, field);
      assert.equal(await s.app.matchedBy("orders", field), "synonym", field);
    }
    // The Windows-1252 header decodes to "Währung", offered as a column.
    const options = await s.page
      .getByTestId("map-orders-sku")
      .locator("option")
      .allTextContents();
    assert.ok(options.includes("Währung"), `headers offered: ${options.join(" | ")}`);

    assert.equal(await s.app.summary("lines"), "6");
    assert.equal(await s.app.summary("orders"), "5");
    assert.equal(await s.app.summary("skus"), "3");
    assert.equal(await s.app.summary("customers"), "3");
    assert.equal(await s.app.summary("revenue"), "4,404.29");
    assert.equal(await s.app.summary("margin"), "1,761.72");
    assert.equal(await s.app.summary("quantity"), "120");
    assert.equal(await s.app.summary("returns"), "1");
    assert.equal(await s.app.summary("horizon"), "2024-03-25 → 2024-04-13 · 3 weeks");

    assert.equal(await s.app.qualityCount("return"), 1);
    // The example names the file and the line a person would open: the
    // return (10004) is the fifth data row, line 6 after the header.
    const finding = s.page.locator('tr[data-rule="return"]');
    await finding.getByText("1 example").click();
    const example = finding.locator("table.examples tbody tr").first();
    await example.waitFor();
    const cells = await example.locator("td").allTextContents();
    assert.equal(cells[0], "bestellungen-win1252.csv");
    assert.equal(cells[1], "6");
    assert.equal(await s.app.qualityCount("required_field_invalid"), 0);
    await s.app.screenshot("10-european-export");
  } finally {
    await s.end();
  }
});
