#!/usr/bin/env node
// Serves the built app for people: `node e2e/serve.mjs --dir dist --port 8080`.
// Listens on 127.0.0.1 only; the same server the e2e tests use.

import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import path from "node:path";
import { serve } from "./tests/support/server.js";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "dist" },
    port: { type: "string", default: "8080" },
  },
});
const dir = path.resolve(values.dir);
if (!existsSync(path.join(dir, "index.html"))) {
  console.error(`no index.html in ${dir}: build the app first (trunk build --release)`);
  process.exit(1);
}
const server = await serve(dir, Number(values.port));
console.log(`segscope: serving ${dir} at ${server.origin}/`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
