// Launches Debian's Chromium through playwright-core, in a fresh profile,
// and records every request the page and its worker make.

import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  // Belt and braces: even if the app tried, no host name would resolve.
  // The request would still be recorded and fail the test.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

/**
 * A browser with one page, recording requests.
 * @param {{ acceptDownloads?: boolean }} [options] downloads are refused unless asked for
 * @returns {Promise<{ context, page, requests: {url: string, at: number}[], close: () => Promise<void> }>}
 */
export async function launch({ acceptDownloads = false } = {}) {
  const profile = await mkdtemp(path.join(os.tmpdir(), "segscope-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    acceptDownloads,
  });
  const requests = [];
  const record = (request) => requests.push({ url: request.url(), at: Date.now() });
  context.on("request", record);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  return {
    context,
    page,
    requests,
    consoleErrors,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
