//! The engine worker: receives [`Request`]s from the page, runs them on an
//! [`Engine`] and posts [`Response`]s back. It owns the loaded data; the
//! page only ever sees the small views.
//!
//! Loaded by `public/worker_loader.js`, which trunk copies next to this
//! binary's `worker.js` / `worker_bg.wasm`.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use segscope_app::autosave::{self, Saver};
use segscope_app::blobs::{read_chunks, Blobs, Picked, Reader};
use segscope_app::engine::{changes_workspace, Engine};
use segscope_app::halves::{self, Helper, Sent};
use segscope_app::storage;
use segscope_app::worker_api::{
    decode, encode, encode_beside, split_policies, Request, Response, Sender, ROWS_PER_MESSAGE,
};
use segscope_core::ingest::OrdersStream;
use segscope_core::{workspace, Date, FileKind, ENGINE_VERSION};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    // The second worker of a big orders file read in halves.
    if scope().name() == halves::HELPER_NAME {
        std::panic::set_hook(Box::new(console_error_panic_hook::hook));
        halves::serve();
        return;
    }
    // Runs and audit entries are stamped with the browser's clock (UTC).
    segscope_app::engine::set_clock(|| String::from(js_sys::Date::new_0().to_iso_string()));
    std::panic::set_hook(Box::new(|info| {
        // Tell the page before the instance traps, so it can say what
        // happened instead of waiting forever.
        post(&Response::Crashed { message: info.to_string() });
        console_error_panic_hook::hook(info);
    }));
    // Each loaded file's bytes go to the browser's blob store once parsed.
    let blobs = Blobs::default();
    let mut engine = Engine::new(today());
    engine.set_keeper(Box::new(blobs.clone()));
    let engine = Rc::new(RefCell::new(engine));
    let saver = Saver::new(engine.clone(), blobs.clone(), Rc::new(post));
    let restorer = saver.clone();
    let detail = Detail { engine: engine.clone(), scheduled: Rc::new(Cell::new(false)) };
    let restored = detail.clone();
    let worker = Rc::new(Worker {
        engine,
        blobs,
        saver,
        detail,
        streaming: Cell::new(false),
        waiting: RefCell::default(),
        reader: Reader::start(),
        helper: Helper::start(),
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        worker.receive(ev.data());
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // The page waits for Ready before it sends anything, so the saved
    // workspace is back (its views posted) before the first request.
    wasm_bindgen_futures::spawn_local(async move {
        // First a small load on a throwaway engine: the browser optimises
        // the functions of a load before the saved workspace or the user's
        // first file is read (engine::warm), and the heap, still empty,
        // takes its memory back whole.
        segscope_app::engine::warm_up();
        halves::warm_up();
        restorer.restore().await;
        post(&Response::Ready { engine_version: ENGINE_VERSION.to_owned() });
        restored.schedule();
    });
}

/// The engine and what serves it: the page's messages handled one after
/// another.
struct Worker {
    engine: Rc<RefCell<Engine>>,
    blobs: Blobs,
    saver: Saver,
    detail: Detail,
    /// An orders file is being read as it streams in ([`Worker::stream_in`]):
    /// messages wait in `waiting` until it is handled.
    streaming: Cell<bool>,
    waiting: RefCell<VecDeque<JsValue>>,
    /// Reads picked files on a thread of its own.
    reader: Option<Reader>,
    /// Reads the second half of a big orders file ([`halves`]).
    helper: Helper,
}

impl Worker {
    /// Handles a message from the page, or keeps it for later while a file
    /// streams in.
    fn receive(self: &Rc<Self>, data: JsValue) {
        if self.streaming.get() {
            self.waiting.borrow_mut().push_back(data);
        } else {
            self.handle(data);
        }
    }

    fn handle(self: &Rc<Self>, data: JsValue) {
        let Worker { engine, blobs, saver, detail, .. } = self.as_ref();
        // Test only: the page sends this when opened with `?test-hooks`
        // (see `segscope_app::rescue`), to prove that a dead engine is
        // restarted with the user's data.
        if Reflect::get(&data, &"testPanic".into()).ok().and_then(|v| v.as_bool()) == Some(true) {
            panic!("test panic of the engine worker");
        }
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
        // A picked file comes as the File itself, read by the engine where
        // it is, a chunk at a time, and kept as it is until the request is
        // handled (`Keeper::settle`).
        let file = Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok());
        let picked = match (file, &request) {
            (Some(file), Request::LoadFile { kind: FileKind::Orders, name }) => {
                let name = name.clone();
                self.stream_in(request, name, file);
                return;
            }
            (Some(file), Request::LoadFile { .. }) => {
                blobs.picking(Some(file.clone()));
                Some(Rc::new(Picked(file)))
            }
            _ => None,
        };
        match request {
            Request::ExportWorkspace => {
                let saved = autosave::now();
                // The header from the engine, then each file's bytes or kept
                // blob: the file is put together by the browser.
                let file = {
                    let engine = engine.borrow();
                    let pieces = engine.snapshot_pieces(&saved).ok_or_else(|| {
                        "a loaded file could not be read back from the browser's storage".to_owned()
                    });
                    pieces.and_then(|(header, pieces)| storage::file_blob(&header, &pieces, blobs))
                };
                match file {
                    Ok(file) => {
                        let name = workspace::file_name(saved.get(..10).unwrap_or("undated"));
                        post_with(&Response::WorkspaceFile { name }, &file);
                    }
                    Err(why) => post(&Response::WorkspaceRejected {
                        message: format!("The workspace could not be exported: {why}."),
                    }),
                }
            }
            Request::SaveWorkspace { overwrite } => {
                saver.save_now(overwrite);
                post(&Response::Workspace(Box::new(engine.borrow().view())));
            }
            Request::ClearWorkspace => {
                engine.borrow_mut().handle(request, bytes, &mut post_owned);
                saver.clear();
            }
            request => self.answer(request, |engine, request, answer| match picked {
                Some(file) => engine.handle_picked(request, file, answer),
                None => engine.handle(request, bytes, answer),
            }),
        }
        detail.schedule();
    }

    /// Has the engine answer `request` through `handle`, and saves the
    /// workspace if it changed. A refused import, settings, policy or pools
    /// change leaves the workspace as it was: nothing to save.
    fn answer(
        &self,
        request: Request,
        handle: impl FnOnce(&mut Engine, Request, &mut dyn FnMut(Response)),
    ) {
        let mut refused = false;
        let changes = changes_workspace(&request);
        handle(&mut self.engine.borrow_mut(), request, &mut |response: Response| {
            refused |= is_refusal(&response);
            post(&response);
        });
        if changes && !refused {
            self.saver.changed();
        }
    }

    /// Loads the orders file the user picked, `file`, read as it streams
    /// in: the reading worker reads each chunk while the one before is
    /// parsed (`blobs::Reader`). A big file is read in halves: the helper
    /// streams the rest from the cut on while this worker streams the
    /// first half, then its rows are appended ([`halves`]). Messages that
    /// come meanwhile wait, and are handled in turn once the file is.
    fn stream_in(self: &Rc<Self>, request: Request, name: String, file: Blob) {
        self.streaming.set(true);
        // The file's answer saves: loading a file changes the workspace,
        // taken or refused.
        self.saver.put_off();
        self.blobs.picking(Some(file.clone()));
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let size = file.size() as u64;
            let (mut stream, overrides) = {
                let engine = this.engine.borrow();
                (engine.orders_stream(&name, size), engine.orders_overrides().clone())
            };
            let cut = this.helper.cut(&file).await;
            let rest = cut.map(|cut| this.helper.read_rest(&file, &name, cut, &overrides));
            let mut to_page = |response: Response| post(&response);
            let mut progress = Engine::reading(&name, &mut to_page);
            progress(0.0);
            // The share of the file read is this worker's half's: the
            // helper reads the rest at about the same pace.
            let share = cut.map_or(1.0, |cut| cut as f64 / size.max(1) as f64);
            let mut progress = |read: f64| progress(read / share);
            let mut read = this
                .read(&file, 0, cut.unwrap_or(size), &mut |chunk| {
                    feed(&mut stream, chunk, &mut progress)
                })
                .await;
            if let (Some(cut), Some(rest)) = (cut, rest) {
                // The columns' room for the helper's rows, touched while
                // it is still reading them.
                stream.touch_room();
                let joined = match rest.join_to(&mut stream).await {
                    Ok(joined) => joined,
                    Err(why) => {
                        web_sys::console::warn_1(&format!("the second worker: {why}").into());
                        false
                    }
                };
                if read.is_ok() && !joined {
                    let mut feed_rest = |chunk: &Uint8Array| feed(&mut stream, chunk, &mut |_| {});
                    read = this.read(&file, cut, size, &mut feed_rest).await;
                }
            }
            // A file that could not be read as it came is read again by the
            // engine, which says why if it cannot be.
            let fed = read.ok().map(|()| stream);
            let source = Rc::new(Picked(file));
            this.answer(request, |engine, request, answer| {
                engine.handle_streamed(request, source, fed, answer)
            });
            this.helper.renew();
            this.streaming.set(false);
            this.detail.schedule();
            while !this.streaming.get() {
                let Some(data) = this.waiting.borrow_mut().pop_front() else { break };
                this.handle(data);
            }
        });
    }

    /// Reads bytes `start..end` of `file` a chunk at a time into `feed`:
    /// through the reading worker, the next chunk read while `feed` works
    /// on this one, once it runs; else here.
    async fn read(
        &self,
        file: &Blob,
        start: u64,
        end: u64,
        feed: &mut dyn FnMut(&Uint8Array),
    ) -> Result<(), String> {
        let part = file
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|e| segscope_app::storage::describe(&e))?;
        match self.reader.as_ref().filter(|r| r.is_ready()) {
            Some(reader) => reader.read_chunks(&part, feed).await,
            None => read_chunks(&part, &mut |chunk| feed(&chunk)),
        }
    }
}

/// Feeds `chunk` to `stream`, copied once into its room.
fn feed(stream: &mut OrdersStream, chunk: &Uint8Array, progress: &mut dyn FnMut(f64)) {
    stream.feed_from(&Sent(chunk.clone()), progress);
}

/// Adds the informational policy figures a slice of SKUs at a time
/// between messages ([`Engine::add_policy_detail`]): each slice is a task
/// of its own, so a request from the page waits for one slice at most.
#[derive(Clone)]
struct Detail {
    engine: Rc<RefCell<Engine>>,
    /// Whether a slice is already scheduled.
    scheduled: Rc<Cell<bool>>,
}

impl Detail {
    fn schedule(&self) {
        if self.scheduled.get() || !self.engine.borrow().policy_detail_pending() {
            return;
        }
        self.scheduled.set(true);
        let this = self.clone();
        let step = Closure::once_into_js(move || {
            this.scheduled.set(false);
            this.engine.borrow_mut().add_policy_detail(&mut |response| post(&response));
            this.schedule();
        });
        let timer =
            scope().set_timeout_with_callback_and_timeout_and_arguments_0(step.unchecked_ref(), 0);
        if timer.is_err() {
            self.scheduled.set(false);
        }
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    // An export's bytes travel beside the JSON, transferred.
    if let Response::ExportFile(file) = response {
        post_file(response, &file.bytes);
        return;
    }
    // A big SKU table travels in slices, each decoded by the page in a
    // task of its own (worker_api::rows).
    match response {
        Response::Segments(view) if view.table.len() > ROWS_PER_MESSAGE => {
            post_owned(Response::Segments(view.clone()));
        }
        Response::Policies(view) if view.table.len() > ROWS_PER_MESSAGE => {
            post_owned(Response::Policies(view.clone()));
        }
        _ => post_one(response),
    }
}

thread_local! {
    /// What the page has of the last big SKU table (worker_api::rows).
    static SENDER: RefCell<Sender> = RefCell::default();
}

/// [`post`] for an answer the caller gives away: a big Segments view is
/// sent as slices or as the columns that changed, without a copy.
fn post_owned(response: Response) {
    match response {
        Response::Segments(view) if view.table.len() > ROWS_PER_MESSAGE => {
            let messages = SENDER.with(|s| s.borrow_mut().messages(*view));
            for message in messages {
                post_one(&message);
            }
        }
        Response::Policies(view) if view.table.len() > ROWS_PER_MESSAGE => {
            for message in split_policies(*view, ROWS_PER_MESSAGE) {
                post_one(&message);
            }
        }
        other => post(&other),
    }
}

fn post_one(response: &Response) {
    let (text, beside) = encode_beside(response);
    let envelope = Object::new();
    if text.len() < BIG_MESSAGE && beside.is_empty() {
        let _ = Reflect::set(&envelope, &"msg".into(), &text.into());
        if let Err(e) = scope().post_message(&envelope) {
            web_sys::console::error_1(&e);
        }
        return;
    }
    // A big view (a table of every SKU) travels as its UTF-8 bytes and its
    // number columns' bytes beside them (`packed`), transferred: the page
    // reads them into its memory with one copy each instead of converting a
    // JavaScript string.
    let buffer = Uint8Array::from(text.as_bytes()).buffer();
    let beside = Uint8Array::from(beside.as_slice()).buffer();
    let _ = Reflect::set(&envelope, &"json".into(), &buffer);
    let _ = Reflect::set(&envelope, &"beside".into(), &beside);
    let transfer = Array::of2(&buffer, &beside);
    if let Err(e) = scope().post_message_with_transfer(&envelope, &transfer) {
        web_sys::console::error_1(&e);
    }
}

/// The size from which a response travels as bytes (see [`post`]).
const BIG_MESSAGE: usize = 64 * 1024;

/// Whether a response says a request was refused and changed nothing.
fn is_refusal(response: &Response) -> bool {
    matches!(
        response,
        Response::WorkspaceRejected { .. }
            | Response::SettingsRejected { .. }
            | Response::PolicyRejected { .. }
            | Response::PoolsRejected { .. }
    )
}

/// Posts a response with a file's bytes beside it, transferred.
fn post_file(response: &Response, file: &[u8]) {
    post_buffer(response, &Uint8Array::from(file).buffer());
}

/// Posts a response with a blob beside it (passed by reference).
fn post_with(response: &Response, blob: &Blob) {
    let envelope = Object::new();
    let _ = Reflect::set(&envelope, &"msg".into(), &encode(response).into());
    let _ = Reflect::set(&envelope, &"bytes".into(), blob);
    if let Err(e) = scope().post_message(&envelope) {
        web_sys::console::error_1(&e);
    }
}

/// Posts a response with a buffer beside it, transferred.
fn post_buffer(response: &Response, buffer: &ArrayBuffer) {
    let envelope = Object::new();
    let _ = Reflect::set(&envelope, &"msg".into(), &encode(response).into());
    let _ = Reflect::set(&envelope, &"bytes".into(), buffer);
    if let Err(e) = scope().post_message_with_transfer(&envelope, &Array::of1(buffer)) {
        web_sys::console::error_1(&e);
    }
}

/// The load day, from the browser's clock (the engine itself has none).
fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
}
