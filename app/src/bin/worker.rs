//! The engine worker: receives [`Request`]s from the page, runs them on an
//! [`Engine`] and posts [`Response`]s back. It owns the loaded data; the
//! page only ever sees the small views.
//!
//! Loaded by `public/worker_loader.js`, which trunk copies next to this
//! binary's `worker.js` / `worker_bg.wasm`.

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use segscope_app::engine::Engine;
use segscope_app::worker_api::{decode, encode, Request, Response};
use segscope_core::{Date, ENGINE_VERSION};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    // Runs and audit entries are stamped with the browser's clock (UTC).
    segscope_app::engine::set_clock(|| String::from(js_sys::Date::new_0().to_iso_string()));
    std::panic::set_hook(Box::new(|info| {
        // Tell the page before the instance traps, so it can say what
        // happened instead of waiting forever.
        post(&Response::Crashed { message: info.to_string() });
        console_error_panic_hook::hook(info);
    }));
    let engine = RefCell::new(Engine::new(today()));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let text = Reflect::get(&data, &"msg".into()).ok().and_then(|v| v.as_string());
        let request = match text.as_deref().map(decode::<Request>) {
            Some(Ok(r)) => r,
            other => {
                let message = format!("unexpected message from the page: {other:?}");
                web_sys::console::error_1(&message.clone().into());
                return;
            }
        };
        let bytes = Reflect::get(&data, &"bytes".into())
            .ok()
            .and_then(|b| b.dyn_into::<ArrayBuffer>().ok())
            .map(|b| Uint8Array::new(&b).to_vec());
        engine.borrow_mut().handle(request, bytes, &mut |response| post(&response));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&Response::Ready { engine_version: ENGINE_VERSION.to_owned() });
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    let envelope = Object::new();
    let _ = Reflect::set(&envelope, &"msg".into(), &encode(response).into());
    if let Err(e) = scope().post_message(&envelope) {
        web_sys::console::error_1(&e);
    }
}

/// The load day, from the browser's clock (the engine itself has none).
fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
}
