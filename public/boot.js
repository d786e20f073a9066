// Starts the app's WebAssembly. It lives in a file rather than inline in
// index.html so that the Content-Security-Policy can forbid inline scripts.
// Trunk writes the hashed file names into this script tag (see Trunk.toml).
//
// The app is mounted a task after the module is instantiated (app/src/
// main.rs): compiling the module and the first render are then two tasks,
// each well under the 100 ms of a long task, instead of one.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init, start } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
await new Promise((resolve) => setTimeout(resolve, 0));
start();
