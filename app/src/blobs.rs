//! The worker's [`Keeper`]: each loaded file's bytes as a `Blob`, which the
//! browser keeps in its blob store, outside the worker's WebAssembly
//! memory (see `engine::raw` for why). The autosave and the workspace
//! export put these blobs into the saved file as they are; the engine
//! reads one back, a chunk at a time, only to hash it or to parse it again.
//!
//! A file the user picked is kept at first as the picked file itself,
//! which costs nothing: copying a million lines into the blob store takes
//! 0.05–0.4 s, which the Segments view would wait for (issue #7). The copy
//! is made when the engine first reads the file back (the run record's
//! hash, after the dashboard), or at the latest before the last answer to
//! the request that loaded it ([`Keeper::settle`]): a picked file is read
//! from the disk, and the user may change it there afterwards.

use crate::engine::{Keeper, Source};
use js_sys::{Array, Uint8Array};
use segscope_core::FileKind;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync};

/// How much of a kept file is read back at once.
const CHUNK: u64 = 16 << 20;

/// The first chunk of a file read ahead ([`Reader::read_chunks`]).
const FIRST_CHUNK: u64 = 1 << 20;

/// A kept file.
#[derive(Clone)]
struct Kept {
    blob: Blob,
    /// Whether `blob` is the picked file itself, not yet copied.
    picked: bool,
}

/// The kept files; cheap to clone (shared), so the engine keeps through
/// one clone while the autosave reads the blobs through another.
#[derive(Clone, Default)]
pub struct Blobs {
    kept: Rc<RefCell<BTreeMap<FileKind, Kept>>>,
    /// The file the user picked for the request being handled, kept as it
    /// is if its bytes are the ones the engine keeps ([`Blobs::picking`]).
    picked: Rc<RefCell<Option<Blob>>>,
}

impl Blobs {
    /// The kept file of `kind`.
    pub fn get(&self, kind: FileKind) -> Option<Blob> {
        self.kept.borrow().get(&kind).map(|k| k.blob.clone())
    }

    /// Names the file the user picked for the request about to be handled
    /// (until [`Keeper::settle`]).
    pub fn picking(&self, file: Option<Blob>) {
        *self.picked.borrow_mut() = file;
    }

    /// Reads the kept file of `kind` like [`Keeper::read`], but in the
    /// chunks as read; a picked file is copied into the blob store on the
    /// way, a chunk at a time, and the copy kept in its place.
    fn read_copying(&self, kind: FileKind, each: &mut dyn FnMut(&Uint8Array)) -> bool {
        let Some(kept) = self.kept.borrow().get(&kind).cloned() else { return false };
        let copies = Array::new();
        let read = read_chunks(&kept.blob, &mut |chunk| {
            each(&chunk);
            if kept.picked {
                // A blob of each chunk, so that no more than one chunk at a
                // time is held in the worker's JavaScript memory.
                if let Ok(copy) = Blob::new_with_u8_array_sequence(&Array::of1(&chunk)) {
                    copies.push(&copy);
                }
            }
        });
        if read.is_err() {
            return false;
        }
        if kept.picked {
            // Put together from the chunks' blobs by reference: no copy.
            match Blob::new_with_blob_sequence(&copies) {
                Ok(copy) if copy.size() == kept.blob.size() => {
                    self.kept.borrow_mut().insert(kind, Kept { blob: copy, picked: false });
                }
                _ => {}
            }
        }
        true
    }
}

impl Keeper for Blobs {
    fn keep(&mut self, kind: FileKind, bytes: &[u8]) -> bool {
        // The picked file itself, when these are its bytes.
        if self.keep_picked(kind, bytes.len() as u64) {
            return true;
        }
        // SAFETY: the view of the module's memory is read by the Blob
        // constructor, which copies it, before anything here can allocate
        // (and so move that memory).
        let view = unsafe { Uint8Array::view(bytes) };
        match Blob::new_with_u8_array_sequence(&Array::of1(&view)) {
            Ok(blob) if blob.size() as usize == bytes.len() => {
                self.kept.borrow_mut().insert(kind, Kept { blob, picked: false });
                true
            }
            _ => false,
        }
    }

    fn read(&self, kind: FileKind, each: &mut dyn FnMut(&[u8])) -> bool {
        self.read_copying(kind, &mut |chunk| each(&chunk.to_vec()))
    }

    fn forget(&mut self, kind: FileKind) {
        self.kept.borrow_mut().remove(&kind);
    }

    fn keep_picked(&mut self, kind: FileKind, size: u64) -> bool {
        let picked = self.picked.borrow_mut().take();
        match picked.filter(|f| f.size() == size as f64) {
            Some(file) => {
                self.kept.borrow_mut().insert(kind, Kept { blob: file, picked: true });
                true
            }
            None => false,
        }
    }

    /// Copies every kept file that is still the picked file into the blob
    /// store. A file that cannot be read any more (changed on disk since)
    /// stays as it is, and the engine finds it lost when it reads it back.
    fn settle(&mut self) {
        self.picking(None);
        let picked: Vec<FileKind> =
            self.kept.borrow().iter().filter(|(_, k)| k.picked).map(|(&kind, _)| kind).collect();
        for kind in picked {
            self.read_copying(kind, &mut |_| {});
        }
    }
}

/// Reads `blob` (a kept file, or a file the user picked) a chunk at a
/// time, so that it never exists whole in JavaScript memory.
///
/// # Errors
/// The browser's words when it cannot read the file (a picked file that
/// was changed or deleted on disk since).
pub fn read_chunks(blob: &Blob, each: &mut dyn FnMut(Uint8Array)) -> Result<(), String> {
    let reader = FileReaderSync::new().map_err(|e| crate::storage::describe(&e))?;
    let size = blob.size() as u64;
    let mut at = 0;
    while at < size {
        let end = (at + CHUNK).min(size);
        let slice = blob
            .slice_with_f64_and_f64(at as f64, end as f64)
            .map_err(|e| crate::storage::describe(&e))?;
        let buffer =
            reader.read_as_array_buffer(&slice).map_err(|e| crate::storage::describe(&e))?;
        each(Uint8Array::new(&buffer));
        at = end;
    }
    Ok(())
}

/// A worker that reads slices of picked files for the engine worker on a
/// thread of its own (`public/file_reader.js`): a read in the engine
/// worker moves its data on the engine's thread, which is busy parsing
/// (issue #7: 0.2 s of waits between chunks at 1M lines). Started with the
/// engine, so that no script is fetched once the app has loaded.
pub struct Reader {
    worker: web_sys::Worker,
    /// Whether the worker has said it runs (its script loaded).
    ready: Rc<Cell<bool>>,
}

impl Reader {
    /// Starts the worker; `None` when the browser cannot.
    pub fn start() -> Option<Reader> {
        let worker = web_sys::Worker::new("./file_reader.js").ok()?;
        keep_errors(&worker);
        let ready = Rc::new(Cell::new(false));
        let said = ready.clone();
        let on_ready = Closure::once_into_js(move || said.set(true));
        worker.set_onmessage(Some(on_ready.unchecked_ref()));
        Some(Reader { worker, ready })
    }

    /// Whether the worker has said it runs: until then the engine reads
    /// for itself.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Bytes `start..end` of `file`, read by the worker.
    fn read(&self, file: &Blob, start: f64, end: f64) -> Result<JsFuture, String> {
        let request = message(&[
            ("file", JsValue::from(file)),
            ("start", start.into()),
            ("end", end.into()),
        ])?;
        ask(&self.worker, &request)
    }

    /// Reads `file` a chunk at a time as [`read_chunks`] does, the next
    /// chunk read by the worker while `each` works on this one (an orders
    /// file parsed as it streams in). The first chunk is [`FIRST_CHUNK`]
    /// long and each next one twice the last, up to [`CHUNK`]: `each`
    /// starts as soon as the first has come.
    ///
    /// # Errors
    /// As [`read_chunks`].
    pub async fn read_chunks(
        &self,
        file: &Blob,
        each: &mut dyn FnMut(&Uint8Array),
    ) -> Result<(), String> {
        // A worker that never said it runs would never answer.
        if !self.ready.get() {
            return Err("the reading worker is not running".to_owned());
        }
        let size = file.size();
        let mut length = FIRST_CHUNK as f64;
        let read = |at: f64, length: f64| {
            let end = (at + length).min(size);
            self.read(file, at, end).map(|answer| (answer, end))
        };
        let mut next = if size > 0.0 { Some(read(0.0, length)?) } else { None };
        while let Some((answer, end)) = next.take() {
            let event = answer.await.map_err(|e| crate::storage::describe(&e))?;
            let data = data(&event);
            let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() else {
                let error =
                    js_sys::Reflect::get(&data, &"error".into()).ok().and_then(|e| e.as_string());
                return Err(error.unwrap_or_else(|| "the file could not be read".to_owned()));
            };
            length = (2.0 * length).min(CHUNK as f64);
            if end < size {
                next = Some(read(end, length)?);
            }
            each(&Uint8Array::new(buffer));
        }
        Ok(())
    }
}

/// A message of `fields`.
pub(crate) fn message(fields: &[(&str, JsValue)]) -> Result<JsValue, String> {
    let message = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&message, &(*key).into(), value)
            .map_err(|e| crate::storage::describe(&e))?;
    }
    Ok(message.into())
}

/// Keeps the errors of `worker`, started by the engine worker, to the
/// engine: an error the engine does not cancel goes on to the page as the
/// engine's own, and the page restarts the engine. A helper or a reading
/// worker that fails only costs time (the engine reads on itself).
pub(crate) fn keep_errors(worker: &web_sys::Worker) {
    let cancel = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
    let _ = worker.add_event_listener_with_callback("error", cancel.as_ref().unchecked_ref());
    // As long as the worker lives: it may fail at any time.
    cancel.forget();
}

/// Posts `message` to `worker`: its answer, the next message event (or the
/// error event of a worker that fails).
pub(crate) fn ask(worker: &web_sys::Worker, message: &JsValue) -> Result<JsFuture, String> {
    let answer = js_sys::Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    worker.post_message(message).map_err(|e| crate::storage::describe(&e))?;
    Ok(JsFuture::from(answer))
}

/// The `data` of a message event.
pub(crate) fn data(event: &JsValue) -> JsValue {
    js_sys::Reflect::get(event, &"data".into()).unwrap_or_default()
}

/// A file the user picked, read where it is: a chunk at a time, or the
/// bytes of a range (see [`Source`]).
#[derive(Debug)]
pub struct Picked(pub Blob);

impl Source for Picked {
    fn size(&self) -> u64 {
        self.0.size() as u64
    }

    fn read(&self, each: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        read_chunks(&self.0, &mut |chunk| each(&chunk.to_vec()))
    }

    fn read_range(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        let reader = FileReaderSync::new().ok()?;
        let slice = self.0.slice_with_f64_and_f64(start as f64, end as f64).ok()?;
        let buffer = reader.read_as_array_buffer(&slice).ok()?;
        Some(Uint8Array::new(&buffer).to_vec())
    }
}
