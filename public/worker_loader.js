// Loads the engine worker (app/src/bin/worker.rs). Trunk builds worker.js and
// worker_bg.wasm next to this file, without hashes in their names.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((e) => {
  // Tell the page in the worker protocol's own words (worker_api::Response).
  postMessage({
    msg: JSON.stringify({ crashed: { message: "The engine could not load: " + e } }),
  });
});
