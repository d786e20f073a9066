//! The browser's saved copy of the workspace, in IndexedDB, from the engine
//! worker (which holds the files' bytes).
//!
//! One database, [`DB_NAME`] (version 1), with one object store, [`STORE`],
//! holding two records:
//!
//! - [`FILE_KEY`] (and `file.1`, `file.2`, … for a file over [`PART_SIZE`]):
//!   the workspace file exactly as "Export workspace" writes it
//!   (`segscope_core::workspace`), as `Blob`s (`ArrayBuffer`s in saves
//!   of earlier versions) to be joined in key order — so anything that can
//!   read IndexedDB can hand the user their work as a file. Parts, because
//!   a browser refuses one value over about 127 MiB (Chromium), which a
//!   year of a million order lines exceeds;
//! - [`META_KEY`]: `{ revision, saved, size, format, parts }` — a counter
//!   that grows with every save or clear (so two tabs never silently
//!   overwrite each other's newer work), the save time (RFC 3339, UTC), the
//!   file's size in bytes, the format version and the number of parts
//!   (absent: one).
//!
//! A save reads the revision, checks it and writes both records in one
//! read-write transaction: IndexedDB applies all of it or none, so a save
//! that fails (storage full, a closed tab) leaves the previous save as it
//! was — the old record is never deleted first.

use crate::blobs::Blobs;
use crate::engine::Piece;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode, WorkerGlobalScope,
};

/// The IndexedDB database.
pub const DB_NAME: &str = "segscope";
/// Its one object store.
pub const STORE: &str = "workspace";
/// The record holding the workspace file's bytes.
pub const FILE_KEY: &str = "file";
/// The largest part of the file in one record (see the module's comment).
pub const PART_SIZE: usize = 64 << 20;

/// The key of part `i` of the file: [`FILE_KEY`], then `file.1`, `file.2`, …
fn part_key(i: u64) -> JsValue {
    match i {
        0 => FILE_KEY.into(),
        i => format!("{FILE_KEY}.{i}").into(),
    }
}

/// The record holding the revision, save time, size and format.
pub const META_KEY: &str = "meta";
/// The BroadcastChannel on which a worker announces a save.
pub const CHANNEL: &str = "segscope-workspace";

/// What the meta record says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// Grows by one with every save and clear.
    pub revision: u64,
    /// When (RFC 3339, UTC).
    pub saved: String,
    /// The workspace file's size in bytes (0 after a clear).
    pub size: u64,
    /// How many records the file is stored in.
    pub parts: u64,
}

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveError {
    /// Another tab saved (or cleared) since this one last read or wrote.
    Conflict(Meta),
    /// The browser's storage quota is used up.
    Full,
    /// Anything else, in the browser's words.
    Other(String),
}

/// Opens (creating on first use) the database.
pub async fn open() -> Result<IdbDatabase, String> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let factory = scope
        .indexed_db()
        .map_err(|e| describe(&e))?
        .ok_or("this browser offers no IndexedDB here (a private window?)")?;
    let request = factory.open_with_u32(DB_NAME, 1).map_err(|e| describe(&e))?;
    let for_upgrade = request.clone();
    let on_upgrade = Closure::once_into_js(move |_: JsValue| {
        if let Ok(db) = for_upgrade.result() {
            // Version 1 is the first: the store cannot exist yet.
            let _ = db.unchecked_into::<IdbDatabase>().create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = settle(&request).await.map_err(|e| describe(&e))?;
    Ok(db.unchecked_into())
}

/// The saved workspace file and its meta record, if any.
pub async fn read(db: &IdbDatabase) -> Result<Option<(Meta, Vec<u8>)>, String> {
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)
        .map_err(|e| describe(&e))?;
    let store = tx.object_store(STORE).map_err(|e| describe(&e))?;
    let meta = store.get(&META_KEY.into()).map_err(|e| describe(&e))?;
    let meta = parse_meta(&settle(&meta).await.map_err(|e| describe(&e))?).unwrap_or_default();
    // Presized from the meta record, which is ours but could be damaged:
    // never more than 1 GiB up front.
    let mut bytes = Vec::with_capacity(meta.size.min(1 << 30) as usize);
    for i in 0..meta.parts.max(1) {
        let part = store.get(&part_key(i)).map_err(|e| describe(&e))?;
        let part = settle(&part).await.map_err(|e| describe(&e))?;
        match (i, part.is_undefined() || part.is_null()) {
            (0, true) => return Ok(None),
            (_, true) => return Err(format!("part {i} of the saved workspace is missing")),
            (_, false) => {
                // Straight into the file's buffer: no copy of the part first.
                let mut append = |part: Uint8Array| {
                    let at = bytes.len();
                    bytes.resize(at + part.length() as usize, 0);
                    if let Some(to) = bytes.get_mut(at..) {
                        part.copy_to(to);
                    }
                };
                // Saves since the files were kept as blobs store blobs;
                // earlier ones, `ArrayBuffer`s.
                match part.dyn_into::<Blob>() {
                    Ok(blob) => crate::blobs::read_chunks(&blob, &mut append)?,
                    Err(buffer) => append(Uint8Array::new(&buffer)),
                }
            }
        }
    }
    Ok(Some((meta, bytes)))
}

/// The workspace file — `header`, then each of `pieces`: bytes of the
/// engine's memory, copied, or a kept file's blob as it is — as one blob,
/// put together by the browser: the file never exists whole in the
/// worker's memory.
///
/// # Errors
/// When a kept file is missing or the browser refuses the blob.
pub fn file_blob(header: &[u8], pieces: &[Piece<'_>], blobs: &Blobs) -> Result<Blob, String> {
    let parts = Array::new();
    parts.push(&Uint8Array::from(header));
    for piece in pieces {
        match piece {
            Piece::Bytes(bytes) => parts.push(&Uint8Array::from(*bytes)),
            Piece::Kept(kind) => match blobs.get(*kind) {
                Some(blob) => parts.push(&blob),
                None => return Err(format!("the {} file is no longer at hand", kind.label())),
            },
        };
    }
    Blob::new_with_blob_sequence(&parts).map_err(|e| describe(&e))
}

/// `file` ([`file_blob`]) as the records [`write`] stores: slices of at
/// most [`PART_SIZE`] (the browser stores them without reading them into
/// this worker), and the file's size.
pub fn parts(file: &Blob) -> Result<(Vec<Blob>, u64), String> {
    let size = file.size() as u64;
    let part = PART_SIZE as u64;
    let parts = (0..size.div_ceil(part).max(1))
        .map(|i| {
            let (start, end) = (i * part, ((i + 1) * part).min(size));
            file.slice_with_f64_and_f64(start as f64, end as f64).map_err(|e| describe(&e))
        })
        .collect::<Result<_, _>>()?;
    Ok((parts, size))
}

/// Saves the workspace file in `parts` ([`parts`]: `size` bytes in all) as
/// the new workspace if the saved revision is still `base` (or whatever it
/// is, with `overwrite`). All or nothing: on any error the previous save
/// stays.
pub async fn write(
    db: &IdbDatabase,
    (parts, size): (Vec<Blob>, u64),
    base: u64,
    saved: &str,
    overwrite: bool,
) -> Result<Meta, SaveError> {
    let other = |e: JsValue| SaveError::Other(describe(&e));
    let tx =
        db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(other)?;
    let done = finished(&tx);
    let store = tx.object_store(STORE).map_err(other)?;
    let current = store.get(&META_KEY.into()).map_err(other)?;
    let current = parse_meta(&settle(&current).await.map_err(other)?).unwrap_or_default();
    if current.revision != base && !overwrite {
        let _ = tx.abort();
        let _ = done.await;
        return Err(SaveError::Conflict(current));
    }
    let count = parts.len() as u64;
    let meta = Meta { revision: current.revision + 1, saved: saved.to_owned(), size, parts: count };
    for (i, part) in (0..).zip(&parts) {
        store.put_with_key(part, &part_key(i)).map_err(other)?;
    }
    // Parts of a larger earlier save that this one does not overwrite.
    for i in count..current.parts {
        store.delete(&part_key(i)).map_err(other)?;
    }
    store.put_with_key(&meta_object(&meta), &META_KEY.into()).map_err(other)?;
    match done.await {
        Ok(_) => Ok(meta),
        Err(e) if error_name(&e) == "QuotaExceededError" => Err(SaveError::Full),
        Err(e) => Err(other(e)),
    }
}

/// Forgets the saved workspace: the file record goes, the meta record
/// says "nothing" with the next revision (so another tab's older copy is
/// not written back over the clear). Returns the new revision.
pub async fn clear(db: &IdbDatabase, saved: &str) -> Result<Meta, String> {
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| describe(&e))?;
    let done = finished(&tx);
    let store = tx.object_store(STORE).map_err(|e| describe(&e))?;
    let current = store.get(&META_KEY.into()).map_err(|e| describe(&e))?;
    let current =
        parse_meta(&settle(&current).await.map_err(|e| describe(&e))?).unwrap_or_default();
    let meta = Meta { revision: current.revision + 1, saved: saved.to_owned(), size: 0, parts: 0 };
    for i in 0..current.parts.max(1) {
        store.delete(&part_key(i)).map_err(|e| describe(&e))?;
    }
    store.put_with_key(&meta_object(&meta), &META_KEY.into()).map_err(|e| describe(&e))?;
    done.await.map_err(|e| describe(&e))?;
    Ok(meta)
}

fn meta_object(meta: &Meta) -> JsValue {
    let o = Object::new();
    // Setting properties on a fresh plain object cannot fail.
    let _ = Reflect::set(&o, &"revision".into(), &(meta.revision as f64).into());
    let _ = Reflect::set(&o, &"saved".into(), &meta.saved.as_str().into());
    let _ = Reflect::set(&o, &"size".into(), &(meta.size as f64).into());
    let _ = Reflect::set(&o, &"format".into(), &segscope_core::workspace::VERSION.into());
    let _ = Reflect::set(&o, &"parts".into(), &(meta.parts as f64).into());
    o.into()
}

fn parse_meta(value: &JsValue) -> Option<Meta> {
    if !value.is_object() {
        return None;
    }
    let number = |key: &str| Reflect::get(value, &key.into()).ok().and_then(|v| v.as_f64());
    Some(Meta {
        revision: number("revision").unwrap_or(0.0).max(0.0) as u64,
        saved: Reflect::get(value, &"saved".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        size: number("size").unwrap_or(0.0).max(0.0) as u64,
        // Saves from before parts were one record.
        parts: number("parts").unwrap_or(1.0).max(0.0) as u64,
    })
}

/// A request's result once it succeeds (its error if it fails).
fn settle(request: &IdbRequest) -> JsFuture {
    let request = request.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &ok.result().unwrap_or_default());
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or_default();
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// Resolves when the transaction commits; rejects with its error when it
/// aborts.
fn finished(tx: &IdbTransaction) -> JsFuture {
    let tx = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let aborted = tx.clone();
        let on_abort = Closure::once_into_js(move |_: JsValue| {
            let error = aborted.error().map(JsValue::from).unwrap_or_default();
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise)
}

fn error_name(value: &JsValue) -> String {
    value.dyn_ref::<web_sys::DomException>().map(|e| e.name()).unwrap_or_default()
}

/// A browser error in words: its name and message.
pub fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the browser's storage did not answer".into())
}
