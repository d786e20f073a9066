// Starts the app's WebAssembly. It lives in a file rather than inline in
// index.html so that the Content-Security-Policy can forbid inline scripts.
// Trunk writes the hashed file names into this script tag (see Trunk.toml).
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
