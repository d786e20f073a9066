// The app shell: it starts, its engine worker answers, and every workflow
// page says what it is for.

import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./support/session.js";

test("the app opens on the Data page and its engine worker reports ready", async () => {
  const s = await start();
  try {
    await s.app.open();
    await s.page.getByRole("heading", { level: 1, name: "Data" }).waitFor();
    const status = await s.page.getByTestId("engine-status").textContent();
    assert.match(status, /Engine ready · v\d+\.\d+\.\d+/);
    assert.ok(await s.page.getByRole("button", { name: "Load demo data" }).isEnabled());
    for (const kind of ["orders", "products", "customers", "cost pools"]) {
      assert.equal(await s.page.getByLabel(`Choose ${kind} file…`).count(), 1, kind);
    }
    await s.app.screenshot("01-data-empty");
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.end();
  }
});

test("each analysis page describes its figures and links back to Data while nothing is loaded", async () => {
  const s = await start();
  try {
    await s.app.open();
    const pages = [
      ["Segments", "segments"],
      ["Policies", "policies"],
      ["Cost to serve", "cost"],
      ["Dashboards", "dashboards"],
      ["Export", "export"],
    ];
    for (const [title, slug] of pages) {
      await s.app.goTo(title);
      assert.equal(new URL(s.page.url()).hash, `#/${slug}`);
      const notice = s.page.getByTestId("no-data");
      assert.match(
        await notice.textContent(),
        /Load your orders export or the demo data on the Data page first\./,
      );
      const items = s.page.getByRole("heading", { name: "What this page will show" });
      await items.waitFor();
      assert.ok((await s.page.locator(".planned li").count()) >= 3, title);
      assert.doesNotMatch(await s.page.locator("main").textContent(), /TODO/i);
      await s.app.screenshot(`02-${slug}-empty`);
    }
    await s.page.getByTestId("no-data").getByRole("link", { name: "Data page" }).click();
    await s.page.getByRole("heading", { level: 1, name: "Data" }).waitFor();
  } finally {
    await s.end();
  }
});

test("the workflow navigation works from the keyboard and marks the current page", async () => {
  const s = await start();
  try {
    await s.app.open();
    const nav = s.page.getByRole("navigation", { name: "Workflow" });
    await nav.getByRole("link", { name: "Data" }).focus();
    // Tab moves to the next step; Enter follows it.
    await s.page.keyboard.press("Tab");
    const focused = await s.page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.match(focused, /Segments/);
    const outline = await s.page.evaluate(
      () => getComputedStyle(document.activeElement).outlineStyle,
    );
    assert.notEqual(outline, "none", "focus is visible");
    await s.page.keyboard.press("Enter");
    await s.page.getByRole("heading", { level: 1, name: "Segments" }).waitFor();
    const current = nav.locator('[aria-current="page"]');
    assert.match(await current.textContent(), /Segments/);
    await s.app.screenshot("03-keyboard-focus");
    // The back button returns to Data: routes live in the URL hash.
    await s.page.goBack();
    await s.page.getByRole("heading", { level: 1, name: "Data" }).waitFor();
  } finally {
    await s.end();
  }
});
