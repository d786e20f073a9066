// One test's world: the static server on 127.0.0.1, a fresh Chromium
// profile, the page object — and, when it closes, the check that nothing
// left 127.0.0.1.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.js";
import { serve } from "./server.js";
import { SegscopeApp } from "./app.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.SEGSCOPE_DIST ?? path.resolve(here, "../../../dist");

/** Requests that are never a leak: inline data and in-memory blobs. */
const isLocalScheme = (url) => url.startsWith("data:") || url.startsWith("blob:");

/**
 * Starts a session. Call `end()` in `after`/`finally`: it closes everything
 * and fails if any request went anywhere but this server.
 */
export async function start(options = {}) {
  assert.ok(
    existsSync(path.join(DIST, "index.html")),
    `no built app in ${DIST}: run \`trunk build --release\` at the repository root first`,
  );
  // `dist`: another build dir to serve (a copy of the build, altered).
  const server = await serve(options.dist ?? DIST);
  const browser = await launch(options);
  const app = new SegscopeApp(browser.page, server.origin);
  return {
    app,
    page: browser.page,
    origin: server.origin,
    requests: browser.requests,
    consoleErrors: browser.consoleErrors,
    context: browser.context,
    /** URLs requested that are not on this server. */
    foreign() {
      const own = `${server.origin}/`;
      return browser.requests
        .map((r) => r.url)
        .filter((u) => !u.startsWith(own) && !isLocalScheme(u));
    },
    async end() {
      const foreign = this.foreign();
      await browser.close();
      await server.close();
      assert.deepEqual(foreign, [], "requests left 127.0.0.1");
    },
  };
}
