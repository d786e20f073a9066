//! A big orders file read in halves by two workers (issue #7; core's
//! `ingest::halves`): WebAssembly in the browser has no threads, so the
//! machine's second core parses in a second worker — the engine worker's
//! own module, started under the name [`HELPER_NAME`] (`bin/worker.rs`).
//!
//! The engine worker starts it with itself ([`Helper::start`]), so that no
//! script is fetched when a file is dropped. For a big picked orders file
//! it asks the helper to stream the file from the cut on
//! ([`Helper::read_rest`]) while it streams the first half itself, then
//! takes the helper's rows a column at a time into its own columns
//! ([`Rest::join_to`]): the helper holds its rows until asked for each
//! piece, so that no second copy of them is ever made whole (issue #7's
//! memory). The helper's memory only grows, so each helper serves one
//! file: it is then ended, its memory with it, and a fresh one started for
//! the next once the file is analysed ([`Helper::renew`]).
//!
//! Anything that goes wrong on the helper's side (it never started, it
//! failed, the file is to be read whole) only costs time: the engine then
//! streams the rest itself.

use crate::blobs::{ask, data, keep_errors, message, read_chunks, Picked};
use crate::engine::Source;
use js_sys::{Array, ArrayBuffer, Function, Promise, Uint8Array};
use segscope_core::ingest::{
    halves_cut, halves_middle, OrdersStream, Overrides, Piece, PieceBytes, RowPieces,
    HALVES_HEAD_BYTES,
};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::mem::MaybeUninit;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions};

/// Lines of the generated orders file [`warm_up`] reads in halves: enough
/// for the first half to pass the stream's first chunk (128 KiB).
const WARM_UP_LINES: usize = 4_000;

/// Times [`warm_up`] reads that file in halves. The browser optimises a
/// function only once it has run for a while (`engine::warm`), and a call
/// already running keeps its baseline code until it returns: the finish,
/// called once per file, ran as baseline code through a 1M-line load after
/// one round of 4,000 lines (14 ms longer, issue #7).
const WARM_UP_ROUNDS: usize = 8;

/// The name the helper runs under, which tells `bin/worker.rs` its role.
pub const HELPER_NAME: &str = "segscope-halves";

/// The engine worker's side: the helper that will read the next big file.
pub struct Helper {
    next: RefCell<Option<Started>>,
}

/// A helper started, and whether it has said it runs.
struct Started {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    /// Resolves when it has said whether it runs (its first message).
    said: Promise,
}

/// How long a big file waits for a helper that has not said yet whether
/// it runs (its module compiling, its warm-up: tens of milliseconds after
/// the engine's start): reading the other half alone costs about as long
/// as reading the first.
const READY_WAIT_MS: i32 = 2_000;

impl Helper {
    /// Starts the first helper.
    pub fn start() -> Helper {
        Helper { next: RefCell::new(spawn()) }
    }

    /// Where `file`, picked, is cut for two workers, if it is big enough
    /// and a helper is ready to read its rest. A helper still starting is
    /// waited for, up to [`READY_WAIT_MS`].
    pub async fn cut(&self, file: &Blob) -> Option<u64> {
        let size = file.size() as u64;
        let (from, to) = halves_middle(size)?;
        let said = self.next.borrow().as_ref().map(|h| h.said.clone())?;
        let _ = JsFuture::from(within(&said, READY_WAIT_MS)).await;
        let ready = self.next.borrow().as_ref().is_some_and(|h| h.ready.get());
        if !ready {
            return None;
        }
        let around = Picked(file.clone()).read_range(from, to)?;
        halves_cut(size, &around)
    }

    /// Has the helper stream `file`, named `name`, from byte `cut` on,
    /// under the orders mapping `overrides`, at once; the next file's
    /// helper is started by [`Helper::renew`].
    pub fn read_rest(&self, file: &Blob, name: &str, cut: u64, overrides: &Overrides) -> Rest {
        let helper = self.next.borrow_mut().take();
        let asked = helper.as_ref().ok_or_else(|| "no helper".to_owned()).and_then(|h| {
            let overrides = serde_json::to_string(overrides).map_err(|e| e.to_string())?;
            let request = message(&[
                ("file", file.into()),
                ("name", name.into()),
                ("cut", (cut as f64).into()),
                ("overrides", overrides.into()),
            ])?;
            ask(&h.worker, &request)
        });
        Rest { worker: helper.map(|h| h.worker), asked }
    }

    /// Starts a helper for the next file, if the last one was taken: once
    /// the file is analysed, so that its start-up (its module, its warm-up)
    /// does not take the two cores from the halves' parse (issue #7).
    pub fn renew(&self) {
        let mut next = self.next.borrow_mut();
        if next.is_none() {
            *next = spawn();
        }
    }
}

/// The rest of a file being read by a helper ([`Helper::read_rest`]).
pub struct Rest {
    worker: Option<Worker>,
    asked: Result<JsFuture, String>,
}

impl Rest {
    /// Waits for the helper's rows and joins them to `stream` a piece at a
    /// time (`OrdersStream::join`); the helper is then ended. Whether every
    /// piece was taken: if not, the caller feeds `stream` the rest itself.
    ///
    /// # Errors
    /// Why the helper gave no rows (its stream asked for a whole read, it
    /// failed): `stream` is then as it was; or why it stopped giving them,
    /// which leaves `stream` to be read whole.
    pub async fn join_to(mut self, stream: &mut OrdersStream) -> Result<bool, String> {
        let worker = self.worker.take().ok_or("no helper")?;
        let _ends = Ends(worker.clone());
        let asked = std::mem::replace(&mut self.asked, Err(String::new()));
        let answer = data(&asked?.await.map_err(|e| crate::storage::describe(&e))?);
        if js_sys::Reflect::get(&answer, &"rows".into()).ok().and_then(|r| r.as_bool())
            != Some(true)
        {
            return Err(js_sys::Reflect::get(&answer, &"error".into())
                .ok()
                .and_then(|e| e.as_string())
                .unwrap_or_else(|| "the helper did not answer with rows".to_owned()));
        }
        let next = message(&[("next", true.into())])?;
        // Pieces are asked for [`PIECES_AHEAD`] ahead of the one joined:
        // the helper writes and posts the next ones meanwhile, and the
        // next is there when this one is joined.
        let asker = Asker::new(&worker);
        let mut asked: VecDeque<JsFuture> =
            (0..PIECES_AHEAD).map(|_| asker.ask(&next)).collect::<Result<_, _>>()?;
        while let Some(piece) = asked.pop_front() {
            let piece = piece.await.map_err(|e| crate::storage::describe(&e))?;
            let Some(bytes) = data(&piece).dyn_into::<Uint8Array>().ok() else {
                // `{ done }`: every piece sent.
                return Ok(true);
            };
            asked.push_back(asker.ask(&next)?);
            let sent = Sent(bytes);
            if !stream.join_from(&sent) {
                return Ok(false);
            }
            // The buffer goes back to carry a later piece.
            let buffer = sent.0.buffer();
            let _ = worker.post_message_with_transfer(&buffer, &Array::of1(&buffer));
        }
        // Not reached: a piece is asked for as each one is taken.
        Ok(false)
    }
}

/// The helper's pieces asked for before the one being joined arrives. At
/// 1M lines the engine waited 23–34 ms of its join of 23 pieces for them
/// when the next was asked for only once the last had come (one piece
/// ahead: the helper idle while the ask travelled); each piece in flight
/// is at most a column of the helper's rows (3.8 MiB at 1M lines).
const PIECES_AHEAD: usize = 2;

/// Asks a worker one question after another without waiting for the
/// answers: the worker answers in the order asked, so each message it
/// posts answers the earliest question still waiting ([`crate::blobs::ask`]
/// has one question out at a time).
struct Asker {
    worker: Worker,
    /// The waiting questions' resolve and reject functions, in order.
    waiting: Rc<RefCell<VecDeque<(Function, Function)>>>,
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Asker {
    fn new(worker: &Worker) -> Asker {
        let waiting: Rc<RefCell<VecDeque<(Function, Function)>>> = Rc::default();
        let queue = waiting.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let first = queue.borrow_mut().pop_front();
            if let Some((resolve, _)) = first {
                let _ = resolve.call1(&JsValue::NULL, &event);
            }
        });
        let queue = waiting.clone();
        // A worker that fails answers nothing more: every question fails.
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let all: Vec<_> = queue.borrow_mut().drain(..).collect();
            for (_, reject) in all {
                let _ = reject.call1(&JsValue::NULL, &event);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Asker { worker: worker.clone(), waiting, _on_message: on_message, _on_error: on_error }
    }

    /// Posts `message`: its answer, the worker's message after those that
    /// answer the questions before it.
    fn ask(&self, message: &JsValue) -> Result<JsFuture, String> {
        let answer = Promise::new(&mut |resolve, reject| {
            self.waiting.borrow_mut().push_back((resolve, reject));
        });
        self.worker.post_message(message).map_err(|e| crate::storage::describe(&e))?;
        Ok(JsFuture::from(answer))
    }
}

impl Drop for Asker {
    /// The handlers go with the closures they call.
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
    }
}

/// Ends a helper when dropped.
struct Ends(Worker);

impl Drop for Ends {
    fn drop(&mut self) {
        self.0.terminate();
    }
}

/// Starts a helper: `None` when the browser cannot.
fn spawn() -> Option<Started> {
    let options = WorkerOptions::new();
    options.set_name(HELPER_NAME);
    let worker = Worker::new_with_options("./worker_loader.js", &options).ok()?;
    keep_errors(&worker);
    let ready = Rc::new(Cell::new(false));
    // Resolved by its first message, { ready: true } or the loader's word
    // that the module could not load, or by an error (its script not
    // found): it has said whether it runs.
    let said = Promise::new(&mut |resolve, _| {
        worker.set_onerror(Some(&resolve));
        let runs = ready.clone();
        let on_ready = Closure::once_into_js(move |event: MessageEvent| {
            let ready = js_sys::Reflect::get(&event.data(), &"ready".into());
            runs.set(ready.ok().and_then(|r| r.as_bool()) == Some(true));
            let _ = resolve.call0(&JsValue::NULL);
        });
        worker.set_onmessage(Some(on_ready.unchecked_ref()));
    });
    Some(Started { worker, ready, said })
}

/// `promise`, or after `ms` milliseconds a promise resolved with nothing,
/// whichever comes first.
fn within(promise: &Promise, ms: i32) -> Promise {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let late = Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    Promise::race(&Array::of2(promise, &late))
}

/// Reads a small generated orders file in two halves, joined and finished
/// as a big file's are, [`WARM_UP_ROUNDS`] times, so that the browser has
/// optimised that code before the user's file (see `engine::warm`: a
/// loop's first call runs as baseline code throughout; the helper, started
/// cold, parsed its half a fifth slower than the engine its own). Whether
/// the halves were joined every time.
pub fn warm_up() -> bool {
    let params = segscope_gen::Params::scaled(WARM_UP_LINES, 1);
    let bytes = segscope_gen::generate(&params).orders;
    (0..WARM_UP_ROUNDS).all(|_| read_in_halves(&bytes))
}

/// Reads `bytes`, an orders file, in halves as [`warm_up`] does once: cut
/// after the first LF from the middle on, joined and finished. Whether the
/// halves were joined and the file read.
fn read_in_halves(bytes: &[u8]) -> bool {
    let (size, overrides) = (bytes.len() as u64, Overrides::new());
    let middle = bytes.len() / 2;
    let Some(lf) = bytes.get(middle..).and_then(|b| b.iter().position(|&c| c == b'\n')) else {
        return false;
    };
    let cut = middle + lf + 1;
    let (first, second) = bytes.split_at(cut);
    let name = "warm-up.csv";
    let Some(mut rest) = OrdersStream::rest(name, bytes, cut as u64, size, &overrides) else {
        return false;
    };
    rest.feed_from(&carry::chunk(second), &mut |_| {});
    let Some(mut pieces) = rest.send() else { return false };
    let mut stream = OrdersStream::new(name, size, &overrides);
    stream.feed_from(&carry::chunk(first), &mut |_| {});
    let mut joined = true;
    while let Some(piece) = pieces.next_parts() {
        joined &= stream.join_from(&carry::piece(&piece));
    }
    let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
    let options = segscope_core::LoadOptions::default();
    let read = stream.finish(&mut fetch, &options, &mut |_| {});
    joined && read.is_some_and(|r| r.is_ok())
}

/// Bytes as [`warm_up`] carries them from one half to the other. In the
/// browser as a load's travel, in a browser's buffer ([`Sent`]): V8
/// optimises a call through `dyn PieceBytes` for the types it has seen, and
/// throws that code away for one it has not — the join, warmed up on
/// slices, went back to baseline code twice in a 1M-line load (issue #7).
#[cfg(target_arch = "wasm32")]
mod carry {
    use super::{carried, Sent};
    use js_sys::Uint8Array;
    use segscope_core::ingest::Piece;

    /// A chunk of the file, as the reading worker gives it.
    pub fn chunk(bytes: &[u8]) -> Sent {
        Sent(Uint8Array::from(bytes))
    }

    /// A piece of the helper's rows, as it transfers them.
    pub fn piece(piece: &Piece<'_>) -> Sent {
        Sent(carried(piece, &mut Vec::new()))
    }
}

/// Bytes as [`warm_up`] carries them from one half to the other, outside a
/// browser (the tests): slices.
#[cfg(not(target_arch = "wasm32"))]
mod carry {
    use segscope_core::ingest::Piece;

    /// A chunk of the file.
    pub fn chunk(bytes: &[u8]) -> &[u8] {
        bytes
    }

    /// A piece of the helper's rows, in one vector.
    pub fn piece(piece: &Piece<'_>) -> Vec<u8> {
        piece.parts().concat()
    }
}

/// Runs this worker as the helper: answers the request of
/// [`Helper::read_rest`] with `{ rows }` once the rest of the file is read
/// (or `{ error }`), then each `{ next }` with the next piece of its rows,
/// transferred, until `{ done }`.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let pieces: RefCell<Option<RowPieces>> = RefCell::new(None);
    let buffers: RefCell<Vec<ArrayBuffer>> = RefCell::default();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let request = event.data();
        if let Some(buffer) = request.dyn_ref::<ArrayBuffer>() {
            // A buffer back from the engine, to carry the next pieces.
            buffers.borrow_mut().push(buffer.clone());
            return;
        }
        let posted = if js_sys::Reflect::get(&request, &"next".into()).is_ok_and(|n| n.is_truthy())
        {
            let mut sending = pieces.borrow_mut();
            match sending.as_mut().and_then(RowPieces::next_parts) {
                Some(piece) => {
                    let bytes = carried(&piece, &mut buffers.borrow_mut());
                    drop(piece);
                    scope.post_message_with_transfer(&bytes, &Array::of1(&bytes.buffer()))
                }
                None => post(&scope, &[("done", true.into())]),
            }
        } else {
            match read_rest(&request) {
                Ok(read) => {
                    *pieces.borrow_mut() = Some(read);
                    post(&scope, &[("rows", true.into())])
                }
                Err(why) => post(&scope, &[("error", why.into())]),
            }
        };
        if let Err(e) = posted {
            web_sys::console::error_1(&e);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    warm_up();
    if let Err(e) = post(&scope, &[("ready", true.into())]) {
        web_sys::console::error_1(&e);
    }
}

/// A piece's bytes copied once, into the array that carries them: in a
/// buffer the engine gave back if one is long enough, else in a new one.
/// At 1M lines 24 pieces carry 59 MB: in new buffers, each page's first
/// touch cost the helper more than the copy (issue #7).
fn carried(piece: &Piece<'_>, buffers: &mut Vec<ArrayBuffer>) -> Uint8Array {
    let len = piece.len() as u32;
    let reused =
        buffers.iter().position(|b| b.byte_length() >= len).map(|i| buffers.swap_remove(i));
    let buffer = reused.unwrap_or_else(|| ArrayBuffer::new(len));
    let array = Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len);
    let mut at = 0;
    for part in piece.parts() {
        let end = at + part.len() as u32;
        array.subarray(at, end).copy_from(part);
        at = end;
    }
    array
}

/// Bytes in a browser's buffer — a piece as it came from the helper, a
/// chunk of a file read — copied from there straight into the engine's
/// memory (`OrdersStream::join_from`, `OrdersStream::feed_from`).
pub struct Sent(pub Uint8Array);

// SAFETY: `copy_into` writes every byte of `to`: the piece's bytes, and
// zeros for any past its end.
unsafe impl PieceBytes for Sent {
    fn len(&self) -> usize {
        self.0.length() as usize
    }

    fn copy_into(&self, from: usize, to: &mut [MaybeUninit<u8>]) {
        let (len, start) = (self.0.length(), from.min(u32::MAX as usize) as u32);
        let end = start.saturating_add(to.len().min(u32::MAX as usize) as u32).min(len);
        let source = self.0.subarray(start.min(end), end);
        let (copied, zeros) = to.split_at_mut((end - start.min(end)) as usize);
        source.copy_to_uninit(copied);
        zeros.fill(MaybeUninit::new(0));
    }
}

/// Posts a message of `fields`.
fn post(scope: &DedicatedWorkerGlobalScope, fields: &[(&str, JsValue)]) -> Result<(), JsValue> {
    scope.post_message(&message(fields)?)
}

/// The helper's work: the request's file read from its cut on.
fn read_rest(request: &JsValue) -> Result<RowPieces, String> {
    let field = |key: &str| js_sys::Reflect::get(request, &key.into()).unwrap_or_default();
    let file: Blob = field("file").dyn_into().map_err(|_| "no file to read")?;
    let name = field("name").as_string().unwrap_or_default();
    let cut = field("cut").as_f64().ok_or("no cut")? as u64;
    let overrides = field("overrides").as_string().unwrap_or_default();
    let overrides: Overrides = serde_json::from_str(&overrides).map_err(|e| e.to_string())?;
    let size = file.size() as u64;
    let head = Picked(file.clone())
        .read_range(0, size.min(HALVES_HEAD_BYTES))
        .ok_or("the file's start could not be read")?;
    let mut stream = OrdersStream::rest(&name, &head, cut, size, &overrides)
        .ok_or("the file is to be read whole")?;
    let rest = file
        .slice_with_f64_and_f64(cut as f64, size as f64)
        .map_err(|e| crate::storage::describe(&e))?;
    read_chunks(&rest, &mut |chunk| stream.feed_from(&Sent(chunk), &mut |_| {}))?;
    stream.send().ok_or_else(|| "the file is to be read whole".to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_warm_up_reads_a_file_in_halves_and_joins_them() {
        assert!(super::warm_up());
    }
}
