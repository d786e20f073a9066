// Privacy: the whole workflow runs on this machine. No request may leave
// 127.0.0.1, and once the app has loaded, only the app's own files may be
// fetched — never data, fonts, analytics or updates. The walk covers every
// step a workshop takes: demo data and a file of one's own, every page, a
// settings change, service levels, edited cost pools and a what-if,
// dashboards, downloads (a table, the workbook, the workspace), a role
// switch, and a reload that opens the saved work.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { FIXTURES } from "./support/app.js";
import { openMenu, waitForSave } from "./support/saved.js";

/** The app's own files: the page's hashed bundle and the worker's files. */
const OWN_ASSET = /^(index\.html|boot\.js|rescue\.js|worker_loader\.js|file_reader\.js|worker\.js|worker_bg\.wasm|segscope-app-[0-9a-f]+(_bg\.wasm|\.js)|main-[0-9a-f]+\.css)?$/;

test("the whole workflow requests nothing but the app's own files from its own server", async () => {
  const s = await start({ acceptDownloads: true });
  const download = async (click) => {
    const [file] = await Promise.all([s.page.waitForEvent("download"), click()]);
    return file.suggestedFilename();
  };
  try {
    await s.app.open();
    const startup = s.requests.length;

    // Data: the demo, then files of one's own (one good, one refused).
    await s.app.loadDemo();
    await waitForSave(s.page, 0);
    await s.app.upload("orders", path.join(FIXTURES, "bestellungen-win1252.csv"));
    await s.app.upload("orders", path.join(FIXTURES, "orders-no-sku.csv"));
    await s.app.loadDemo();

    // Segments: a settings change.
    await s.app.goTo("Segments");
    await s.app.setSetting("a-cut", "70");
    await s.app.applySettings();

    // Policies: a service level.
    await s.app.goTo("Policies");
    const level = s.page.getByTestId("sl-AX");
    await level.fill("99");
    await s.app.andWait(() => level.press("Enter"));

    // Cost to serve: edited pools and a what-if.
    await s.app.goTo("Cost to serve");
    const freight = s.page.getByTestId("pool-cost-Freight");
    const annual = Number((await freight.inputValue()).replace(/,/g, ""));
    await freight.fill(String(annual + 1000));
    await s.app.andWait(() => s.page.getByRole("button", { name: "Apply pools" }).click());
    await s.page.getByTestId("what-if-scenario").selectOption("consolidate");
    await s.app.andWait(() => s.page.getByRole("button", { name: "Run what-if" }).click());

    // Dashboards, Export (a CSV table and the workbook), History.
    await s.app.goTo("Dashboards");
    await s.app.goTo("Export");
    await s.page.getByTestId("export-row-skus").waitFor();
    assert.match(await download(() => s.page.getByTestId("export-csv-skus").click()), /\.csv$/);
    assert.match(await download(() => s.page.getByTestId("export-xlsx").click()), /\.xlsx$/);
    await s.app.goTo("History");

    // The workspace file, a role switch, and a reload of the saved work.
    await openMenu(s.page);
    assert.match(await download(() => s.page.getByTestId("workspace-export").click()), /\.segscope$/);
    await s.app.andWait(() => s.page.getByTestId("role-switch").selectOption("finance"));
    await s.app.goTo("Dashboards");
    await s.app.andWait(() => s.page.getByTestId("role-switch").selectOption("sales"));
    await s.app.goTo("Customers");
    await s.app.goTo("Data");
    await s.page.reload();
    await s.app.engineReady();
    await s.page.getByTestId("summary-lines").waitFor();

    assert.deepEqual(s.foreign(), [], "requests to anywhere but this server");
    const own = `${s.origin}/`;
    const late = s.requests
      .slice(startup)
      .map((r) => r.url)
      .filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"))
      .filter((u) => !(u.startsWith(own) && OWN_ASSET.test(u.slice(own.length).replace(/[?#].*$/, ""))));
    assert.deepEqual(late, [], "requests after start-up other than the app's own files");
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

test("the Content-Security-Policy allows nothing but the app's own origin", async () => {
  const s = await start();
  try {
    await s.app.open();
    const csp = await s.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute("content");
    const directives = Object.fromEntries(
      csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
    );
    assert.deepEqual(directives["default-src"], ["'self'"]);
    assert.deepEqual(directives["connect-src"], ["'self'"]);
    assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives["worker-src"], ["'self'"]);
    assert.deepEqual(directives["font-src"], ["'self'"]);
    assert.deepEqual(directives["object-src"], ["'none'"]);
    assert.deepEqual(directives["form-action"], ["'none'"]);
    // No source anywhere names another host or a scheme that reaches one.
    for (const [name, values] of Object.entries(directives)) {
      for (const v of values) {
        assert.ok(!/^(https?:|wss?:|\*|[\w-]+\.[\w.-]+)/.test(v), `${name} allows ${v}`);
      }
    }
    // And the page loads no script, style or font from elsewhere.
    const external = await s.page.evaluate(() =>
      [...document.querySelectorAll("script[src], link[href]")]
        .map((e) => e.src || e.href)
        .filter((u) => !u.startsWith(location.origin) && !u.startsWith("data:")),
    );
    assert.deepEqual(external, []);
  } finally {
    await s.end();
  }
});
