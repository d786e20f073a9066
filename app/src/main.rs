//! The page's binary; everything else lives in the library.
//!
//! The app is mounted by [`start`], which `public/boot.js` calls one task
//! after the WebAssembly is instantiated, not by `main` during the
//! instantiation: the browser's compilation of the module and the app's
//! first render are then two main-thread tasks, not one (issue #7: no task
//! over 100 ms, measured from the page's first script).

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {}

/// Installs the panic hook and mounts the app.
#[wasm_bindgen]
pub fn start() {
    segscope_app::rescue::install_panic_hook();
    leptos::mount::mount_to_body(segscope_app::App);
}
