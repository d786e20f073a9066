// When the engine cannot start, the page says so instead of waiting forever.

import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./support/session.js";

test("an engine that cannot load is reported in the alert panel with a way to restart", async () => {
  const s = await start();
  try {
    // Make the worker's WebAssembly unavailable, as a broken install would.
    await s.page.route("**/worker_bg.wasm", (route) => route.fulfill({ status: 404, body: "" }));
    await s.page.goto(`${s.origin}/#/data`);
    await s.page.locator('[data-testid="engine-status"][data-state="failed"]').waitFor();
    const alert = s.page.getByTestId("error-engine");
    assert.match(await alert.textContent(), /The engine stopped\..*could not load/s);
    assert.ok(await s.page.getByRole("button", { name: "Load demo data" }).isDisabled());
    await s.app.screenshot("60-engine-failed");

    // Once the file is there again, "Restart engine" brings it back.
    await s.page.unroute("**/worker_bg.wasm");
    await s.page.getByRole("button", { name: "Restart engine" }).click();
    await s.app.engineReady();
    assert.equal(await s.page.getByTestId("error-engine").count(), 0);
  } finally {
    await s.end();
  }
});
