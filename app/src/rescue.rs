//! When something breaks anyway: the page's panic hook, the automatic
//! restart of an engine worker that died, and the test-only triggers that
//! prove both.
//!
//! A panic in the page leaves the Leptos runtime in an unknown state, so the
//! hook does not render through Leptos: it calls `public/rescue.js`, plain
//! JavaScript that draws a DOM panel and handles its buttons — download the
//! workspace the engine worker autosaved in IndexedDB (database `segscope`,
//! store `workspace`, key `file`; see `storage`), or reload the page.
//! Nothing in the panel needs the WebAssembly any more.
//!
//! A worker that dies after it was ready is restarted once or twice by
//! [`crate::client::EngineClient`]; the fresh worker restores the saved
//! workspace, and [`EngineNotice`] says so.

use crate::client::EngineClient;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Installs the page's panic hook: the message to the console as before,
/// then the rescue panel, which `public/rescue.js` draws (it also draws it
/// for a trap that bypasses the hook, such as exhausted memory).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panel(&info.to_string());
    }));
}

/// Calls `window.segscopeRescue(detail)`; every failure is ignored, as this
/// runs while the page is already broken.
fn show_panel(detail: &str) {
    let Some(window) = web_sys::window() else { return };
    let rescue = js_sys::Reflect::get(&window, &"segscopeRescue".into());
    if let Ok(rescue) = rescue.and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = rescue.call1(&window, &detail.into());
    }
}

/// Test-only triggers, active only when the page was opened with
/// `?test-hooks` in its address: going to `#/__panic-page` panics the page,
/// `#/__panic-worker` makes the engine worker panic. End-to-end tests use
/// them to prove the rescue panel and the worker restart.
pub fn install_test_hooks(client: EngineClient) {
    let search = window().location().search().unwrap_or_default();
    if !search.contains("test-hooks") {
        return;
    }
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        match window().location().hash().unwrap_or_default().as_str() {
            "#/__panic-page" => panic!("test panic of the page (#/__panic-page)"),
            "#/__panic-worker" => client.panic_worker_for_test(),
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
}

/// The notice after the engine was restarted on its own: what happened and
/// whether the work came back.
#[component]
pub fn EngineNotice() -> impl IntoView {
    let client = expect_context::<EngineClient>();
    move || {
        client.restart_notice().get().map(|text| {
            view! {
                <div class="notice warning" role="status" data-testid="engine-restarted">
                    <span>{text}</span>
                    <button class="small" on:click=move |_| client.restart_notice().set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
