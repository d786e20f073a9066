// Privacy: the whole workflow runs on this machine. No request may leave
// 127.0.0.1, and once the app has loaded, only the engine worker's own
// files may be fetched — never data, fonts, analytics or updates.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { FIXTURES } from "./support/app.js";

test("nothing is requested from anywhere but the app's own server, and nothing after start-up but the worker", async () => {
  const s = await start();
  try {
    await s.app.open();
    const startup = s.requests.length;
    await s.app.loadDemo();
    await s.app.upload("orders", path.join(FIXTURES, "bestellungen-win1252.csv"));
    await s.app.upload("orders", path.join(FIXTURES, "orders-no-sku.csv"));
    for (const title of ["Segments", "Policies", "Cost to serve", "Dashboards", "Export", "Data"]) {
      await s.app.goTo(title);
    }
    assert.deepEqual(s.foreign(), []);
    const own = `${s.origin}/`;
    const worker = /^(worker_loader\.js|worker\.js|worker_bg\.wasm)$/;
    const late = s.requests
      .slice(startup)
      .map((r) => r.url)
      .filter((u) => !(u.startsWith(own) && worker.test(u.slice(own.length))));
    assert.deepEqual(late, [], "requests after start-up");
    // The recorder sees the worker's own fetches too, so the checks above
    // cover the engine as well as the page.
    assert.ok(
      s.requests.some((r) => r.url === `${own}worker_bg.wasm`),
      "the worker's requests are recorded",
    );
  } finally {
    await s.end();
  }
});
