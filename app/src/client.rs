//! The page's end of the engine worker: starts it, posts requests (picked
//! files as their `File`, which the worker reads; a workspace file's bytes
//! as a transferred `ArrayBuffer`) and feeds its answers into
//! [`AppState`].
//!
//! Requests made before the worker reports ready wait in a queue, so a file
//! dropped while the engine is still loading is not lost.

use crate::state::{AppState, EngineStatus};
use crate::worker_api::{decode, decode_beside, encode, Assembly, Request, Response};
use js_sys::{Array, ArrayBuffer, Object, Reflect};
use leptos::prelude::*;
use segscope_core::FileKind;
use std::collections::VecDeque;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The script that loads the worker's WebAssembly (copied by trunk from
/// `public/`).
const WORKER_SCRIPT: &str = "./worker_loader.js";

/// A message waiting to be posted: JSON text and optional file bytes.
/// A request and what travels beside it: a workspace file's bytes
/// (transferred) or a picked file (the `File` itself, which the worker
/// reads).
type Outgoing = (String, Option<JsValue>);

/// A handle to the engine worker; `Copy`, for use in event handlers.
#[derive(Clone, Copy)]
pub struct EngineClient {
    worker: StoredValue<Option<Worker>, LocalStorage>,
    queue: StoredValue<Vec<Outgoing>, LocalStorage>,
    state: AppState,
    /// Automatic restarts left for this page (see [`EngineClient::recover`]).
    restarts_left: StoredValue<u32, LocalStorage>,
    /// Whether the worker starting now replaces one that died.
    recovering: StoredValue<bool, LocalStorage>,
    /// What the page says after an automatic restart.
    notice: RwSignal<Option<String>>,
    /// Answers decoded but not yet applied, oldest first (see
    /// [`EngineClient::defer`]).
    pending: StoredValue<VecDeque<Response>, LocalStorage>,
    /// A Segments view whose table is still arriving in slices.
    assembly: StoredValue<Assembly, LocalStorage>,
}

/// How many times a page restarts a dead engine on its own; after that the
/// alert panel's "Restart engine" is left to the user, so a workspace whose
/// restore itself crashes cannot loop.
const AUTO_RESTARTS: u32 = 2;

impl EngineClient {
    /// Starts the worker and wires its messages to `state`.
    pub fn start(state: AppState) -> EngineClient {
        let client = EngineClient {
            worker: StoredValue::new_local(None),
            queue: StoredValue::new_local(Vec::new()),
            state,
            restarts_left: StoredValue::new_local(AUTO_RESTARTS),
            recovering: StoredValue::new_local(false),
            notice: RwSignal::new(None),
            pending: StoredValue::new_local(VecDeque::new()),
            assembly: StoredValue::new_local(Assembly::default()),
        };
        client.spawn();
        client
    }

    fn spawn(self) {
        let worker = match Worker::new(WORKER_SCRIPT) {
            Ok(w) => w,
            Err(e) => {
                let why = format!("The engine could not start: {}", js_text(&e));
                self.state.engine.set(EngineStatus::Failed(why));
                return;
            }
        };
        let this = worker.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if !self.is_current(&this) {
                return;
            }
            // Small answers come as text, big views as UTF-8 bytes with
            // their number columns' bytes beside them.
            let data = ev.data();
            let text = Reflect::get(&data, &"msg".into()).ok().and_then(|v| v.as_string());
            let bytes = |key: &str| {
                let buffer: ArrayBuffer = Reflect::get(&data, &key.into()).ok()?.dyn_into().ok()?;
                Some(js_sys::Uint8Array::new(&buffer).to_vec())
            };
            let big = text.is_none();
            let decoded = match text {
                Some(text) => Some(decode::<Response>(&text)),
                None => bytes("json").map(|json| {
                    decode_beside::<Response>(&json, bytes("beside").unwrap_or_default())
                }),
            };
            match decoded {
                Some(Ok(response)) => {
                    if let Response::WorkspaceFile { name } = &response {
                        let bytes = Reflect::get(&ev.data(), &"bytes".into()).unwrap_or_default();
                        crate::components::download(name, &bytes, "application/octet-stream");
                    }
                    if let Response::ExportFile(file) = &response {
                        let bytes = Reflect::get(&ev.data(), &"bytes".into()).unwrap_or_default();
                        crate::components::download(&file.name, &bytes, &file.mime);
                    }
                    // A big view (sent as bytes, or whole once its last
                    // slice came) is applied in a task of its own, after
                    // this one decoded it, so that decoding and rendering
                    // 49,256 rows are two tasks, not one long one (issue #7);
                    // answers behind it wait their turn. A Segments view
                    // with rows to come is shown with its first rows in the
                    // task that decoded them, before its slices' tasks.
                    let Some(response) =
                        self.assembly.try_update_value(|a| a.accept(response)).flatten()
                    else {
                        return;
                    };
                    let first_rows = matches!(&response, Response::Segments(v) if v.more_rows);
                    let big = (big && !first_rows) || response.has_big_table();
                    if big || self.pending.with_value(|p| !p.is_empty()) {
                        self.defer(response);
                    } else {
                        self.deliver(response);
                    }
                }
                Some(Err(e)) => {
                    // An answer the page cannot read (a figure that overflowed
                    // to infinity is sent as `null`) must not leave it waiting.
                    web_sys::console::error_1(
                        &format!("segscope: unreadable message from the engine: {e}").into(),
                    );
                    self.state.abandon(format!(
                        "The engine's answer could not be read ({e}). A figure may be too \
                         large to compute with (such as 1e308 in an amount or quantity): \
                         check the file's numbers and load it again."
                    ));
                }
                None => web_sys::console::error_1(
                    &"segscope: a message from the engine without text".into(),
                ),
            }
        });
        let this = worker.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            if !self.is_current(&this) {
                return;
            }
            // A trap without a panic message (memory exhausted) in a worker
            // that was running: restart it like a panic.
            if matches!(self.state.engine.get_untracked(), EngineStatus::Ready(_)) {
                let why = format!("The engine stopped: {}", ev.message());
                self.state.apply(Response::Crashed { message: why });
                self.recover();
                return;
            }
            // A panic is reported by the worker itself; this catches what
            // happens before its panic hook runs (a script that fails to load).
            if !matches!(self.state.engine.get_untracked(), EngineStatus::Failed(_)) {
                let why = format!("The engine stopped: {}", ev.message());
                self.state.apply(Response::Crashed { message: why });
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The handlers live as long as the page.
        on_message.forget();
        on_error.forget();
        self.worker.set_value(Some(worker));
    }

    /// Applies an answer to the page's state, and what it means for the
    /// worker's life (ready: post what waited; crashed: restart).
    fn deliver(self, response: Response) {
        let ready = matches!(response, Response::Ready { .. });
        let crashed = matches!(response, Response::Crashed { .. });
        let was_ready = matches!(self.state.engine.get_untracked(), EngineStatus::Ready(_));
        self.state.apply(response);
        if ready {
            self.recovered();
            self.flush();
        }
        if crashed && was_ready {
            self.recover();
        }
    }

    /// Queues an answer to be delivered in a later task; the queue is
    /// drained one answer per task, in order.
    fn defer(self, response: Response) {
        let idle = self.pending.try_update_value(|p| {
            p.push_back(response);
            p.len() == 1
        });
        if idle == Some(true) {
            self.deliver_next_later();
        }
    }

    fn deliver_next_later(self) {
        set_timeout(
            move || {
                let Some(next) = self.pending.try_update_value(|p| p.pop_front()).flatten() else {
                    return;
                };
                self.deliver(next);
                if self.pending.with_value(|p| !p.is_empty()) {
                    self.deliver_next_later();
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// Stops a failed worker and starts a fresh one, which restores the
    /// workspace saved in the browser.
    pub fn restart(self) {
        if let Some(w) = self.worker.get_value() {
            w.terminate();
        }
        self.queue.update_value(Vec::clear);
        self.pending.update_value(VecDeque::clear);
        self.assembly.set_value(Assembly::default());
        self.state.engine.set(EngineStatus::Starting);
        self.state.workspace.set(Default::default());
        self.state.segments.set(None);
        self.state.policies.set(None);
        // A fresh worker counts its views from the start again.
        self.state.what_if.set(None);
        self.state.sku_detail.set(None);
        self.state.cost.set(None);
        self.state.dashboard.set(None);
        self.spawn();
        // The fresh worker starts as the consultant; tell it the page's role.
        let role = self.state.role.get_untracked();
        if role != segscope_core::roles::Role::default() {
            self.send(Request::SetRole { role });
        }
    }

    /// Whether `worker` is the current worker (a terminated one's late
    /// events are ignored).
    fn is_current(self, worker: &Worker) -> bool {
        self.worker.with_value(|w| w.as_ref() == Some(worker))
    }

    /// Restarts a worker that died after it was ready, while automatic
    /// restarts are left; the fresh worker restores the saved workspace.
    fn recover(self) {
        let left = self.restarts_left.get_value();
        if left == 0 {
            return;
        }
        self.restarts_left.set_value(left - 1);
        self.recovering.set_value(true);
        self.restart();
    }

    /// Called when a worker is ready: after an automatic restart, says what
    /// came back.
    fn recovered(self) {
        if !self.recovering.get_value() {
            return;
        }
        self.recovering.set_value(false);
        let restored = self.state.workspace.with_untracked(|w| w.has_data());
        self.notice.set(Some(if restored {
            "The engine stopped and was restarted; your data was restored.".into()
        } else {
            "The engine stopped and was restarted. Nothing had been loaded yet.".into()
        }));
    }

    /// The notice shown after an automatic restart (see
    /// [`crate::rescue::EngineNotice`]).
    pub fn restart_notice(self) -> RwSignal<Option<String>> {
        self.notice
    }

    /// Test only (`?test-hooks`, see [`crate::rescue`]): makes the worker
    /// panic, as a bug in the engine would.
    pub fn panic_worker_for_test(self) {
        if let Some(worker) = self.worker.get_value() {
            let envelope = Object::new();
            let _ = Reflect::set(&envelope, &"testPanic".into(), &JsValue::TRUE);
            let _ = worker.post_message(&envelope);
        }
    }

    /// Sends a request without file bytes.
    pub fn send(self, request: Request) {
        self.state.begin(stage_of(&request));
        self.post(encode(&request), None);
    }

    /// Reads a workspace file the user picked and sends it to replace the
    /// workspace (the worker refuses one it cannot read).
    pub fn send_workspace(self, file: web_sys::File) {
        let name = file.name();
        self.state.workspace_error.set(None);
        self.state.begin(format!("Opening {name}"));
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let request = Request::ImportWorkspace { name };
                    self.post(encode(&request), Some(buffer));
                }
                Err(e) => self
                    .state
                    .abandon(format!("The browser could not read {name}: {}", js_text(&e))),
            }
        });
    }

    /// Sends a file the user picked or dropped as `kind`: the worker reads
    /// it, so that the page never holds its bytes.
    pub fn send_file(self, kind: FileKind, file: web_sys::File) {
        let name = file.name();
        self.state.page_error.set(None);
        self.state.begin(format!("Reading {name}"));
        let request = Request::LoadFile { kind, name };
        self.post(encode(&request), Some(file.into()));
    }

    fn post(self, msg: String, bytes: Option<JsValue>) {
        if matches!(self.state.engine.get_untracked(), EngineStatus::Ready(_)) {
            self.post_now(msg, bytes);
        } else {
            self.queue.update_value(|q| q.push((msg, bytes)));
        }
    }

    fn flush(self) {
        let queued = self.queue.try_update_value(std::mem::take).unwrap_or_default();
        for (msg, bytes) in queued {
            self.post_now(msg, bytes);
        }
    }

    fn post_now(self, msg: String, bytes: Option<JsValue>) {
        let Some(worker) = self.worker.get_value() else { return };
        let envelope = Object::new();
        // Setting properties on a fresh plain object cannot fail.
        let _ = Reflect::set(&envelope, &"msg".into(), &msg.into());
        let sent = match bytes {
            Some(buffer) if buffer.is_instance_of::<ArrayBuffer>() => {
                let _ = Reflect::set(&envelope, &"bytes".into(), &buffer);
                worker.post_message_with_transfer(&envelope, &Array::of1(&buffer))
            }
            // A File is passed by reference: its bytes stay on disk until
            // the worker reads them.
            Some(file) => {
                let _ = Reflect::set(&envelope, &"file".into(), &file);
                worker.post_message(&envelope)
            }
            None => worker.post_message(&envelope),
        };
        if let Err(e) = sent {
            self.state.abandon(format!("Could not reach the engine: {}", js_text(&e)));
        }
    }
}

/// What the progress line says while a request waits for its first report.
fn stage_of(request: &Request) -> String {
    match request {
        Request::LoadFile { name, .. } => format!("Reading {name}"),
        Request::LoadDemo => "Generating the demo data".into(),
        Request::SetMapping { file, .. } => format!("Re-reading {file} with the new mapping"),
        Request::RemoveFile { .. } | Request::Dismiss { .. } => "Updating".into(),
        Request::Analyze { .. } => "Recomputing the segmentation".into(),
        Request::Explain { sku } => format!("Explaining {sku}"),
        Request::Stress => "Stress-testing the segmentation".into(),
        Request::SetPolicy { .. } => "Recomputing the inventory policies".into(),
        Request::WhatIf { segment, .. } => format!("What if {segment} had another service level"),
        Request::SkuDetail { sku } => format!("Looking up {sku}"),
        Request::SetPools { .. } => "Recomputing the cost to serve".into(),
        Request::CustomerDetail { customer } => format!("Listing the orders of {customer}"),
        Request::CostWhatIf { .. } => "Running the what-if".into(),
        Request::SetRole { role } => format!("Showing the {} view", role.label()),
        Request::Runs => "Listing the runs".into(),
        Request::SetRunNote { run, .. } => format!("Saving the note of run {run}"),
        Request::CompareRuns { from, to } => format!("Comparing run {from} with run {to}"),
        Request::OverrideSku { sku, .. } => format!("Overriding the segment of {sku}"),
        Request::RemoveOverride { sku, .. } => format!("Removing the override of {sku}"),
        Request::ImportWorkspace { name } => format!("Opening {name}"),
        Request::ExportWorkspace => "Writing the workspace file".into(),
        Request::ClearWorkspace => "Clearing everything".into(),
        Request::SaveWorkspace { .. } => "Saving".into(),
        Request::ExportView => "Listing the tables".into(),
        Request::Export { .. } => "Writing the files".into(),
        Request::SetConfig { source, .. } => format!("Applying the settings {}", source.label()),
    }
}

/// The text of a JS error value.
fn js_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
