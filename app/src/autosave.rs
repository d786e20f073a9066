//! The worker's autosave: restores the saved workspace when the worker
//! starts, and saves the workspace a moment after every change (see
//! [`storage`](crate::storage) for where and how).
//!
//! - Saves are debounced ([`DELAY_MS`]) and never overlap: a change during
//!   a save is saved right after it. A save due when an orders file starts
//!   to stream in waits until the file is handled ([`Saver::put_off`]),
//!   whose answer saves.
//! - Two tabs: each remembers the revision it last read or wrote. A save
//!   over a newer revision is refused and the tab is told (the page offers
//!   to reload, or to keep this tab's work); a save announced on the
//!   BroadcastChannel by another tab tells this one at once.
//! - A failed save (storage full) keeps the previous save and the work in
//!   memory, and says what to do.

use crate::blobs::Blobs;
use crate::engine::Engine;
use crate::storage::{self, SaveError};
use crate::worker_api::{Response, SaveStatus};
use segscope_core::workspace;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, IdbDatabase, MessageEvent, WorkerGlobalScope};

/// How long after a change the workspace is saved (ms): several quick
/// changes are saved once.
pub const DELAY_MS: i32 = 400;

/// Sends a response to the page.
pub type Post = Rc<dyn Fn(&Response)>;

/// The autosave of one worker; cheap to clone (shared state).
#[derive(Clone)]
pub struct Saver {
    engine: Rc<RefCell<Engine>>,
    /// The files the engine keeps as blobs, written into the save as they are.
    blobs: Blobs,
    post: Post,
    state: Rc<RefCell<State>>,
}

#[derive(Default)]
struct State {
    db: Option<IdbDatabase>,
    /// Why there is no database (saving is off).
    unavailable: Option<String>,
    /// The revision this tab last read or wrote.
    base: u64,
    timer: Option<i32>,
    saving: bool,
    again: bool,
    /// Saving is held back: another tab's newer work, or a saved copy
    /// that could not be opened. Cleared by the user's choice.
    held: Option<SaveStatus>,
    channel: Option<BroadcastChannel>,
}

impl Saver {
    /// An autosave for `engine`, whose keeper is `blobs`, posting through
    /// `post`.
    pub fn new(engine: Rc<RefCell<Engine>>, blobs: Blobs, post: Post) -> Saver {
        Saver { engine, blobs, post, state: Rc::default() }
    }

    /// Opens the database and restores the saved workspace into the
    /// engine, posting its views; then listens for other tabs' saves.
    pub async fn restore(&self) {
        let db = match storage::open().await {
            Ok(db) => db,
            Err(why) => {
                let reason = format!("this browser does not allow saving here ({why})");
                self.state.borrow_mut().unavailable = Some(reason.clone());
                (self.post)(&Response::SaveStatus(SaveStatus::Failed { reason }));
                return;
            }
        };
        let saved = storage::read(&db).await;
        self.state.borrow_mut().db = Some(db);
        self.listen();
        let status = match saved {
            Ok(None) => SaveStatus::Empty,
            Ok(Some((meta, bytes))) => {
                self.state.borrow_mut().base = meta.revision;
                match workspace::decode(&bytes) {
                    Ok(w) => {
                        let post = self.post.clone();
                        self.engine.borrow_mut().restore(w, &mut |r| post(&r));
                        SaveStatus::Saved { time: local_time(&meta.saved) }
                    }
                    Err(e) => self.hold(SaveStatus::Failed {
                        reason: format!(
                            "the copy saved in this browser could not be opened ({e}). It is \
                             kept as it is until you clear everything or import a workspace."
                        ),
                    }),
                }
            }
            Err(why) => self.hold(SaveStatus::Failed {
                reason: format!("the saved workspace could not be read ({why})"),
            }),
        };
        (self.post)(&Response::SaveStatus(status));
    }

    fn hold(&self, status: SaveStatus) -> SaveStatus {
        self.state.borrow_mut().held = Some(status.clone());
        status
    }

    /// Notes a change: saves a moment later.
    pub fn changed(&self) {
        let mut s = self.state.borrow_mut();
        if let Some(held) = &s.held {
            (self.post)(&Response::SaveStatus(held.clone()));
            return;
        }
        let scope = scope();
        if let Some(t) = s.timer.take() {
            scope.clear_timeout_with_handle(t);
        }
        let this = self.clone();
        let fire = Closure::once_into_js(move || {
            this.state.borrow_mut().timer = None;
            this.save(false);
        });
        s.timer = scope
            .set_timeout_with_callback_and_timeout_and_arguments_0(fire.unchecked_ref(), DELAY_MS)
            .ok();
    }

    /// Puts off a save that is due until the next [`Saver::changed`]: while
    /// an orders file streams in, a save would run on the worker's thread
    /// between its chunks (reading the kept files back, 55 ms after three
    /// files at 1M lines: issue #7). Loading the file is itself a change,
    /// whether the file is taken or refused.
    pub fn put_off(&self) {
        if let Some(t) = self.state.borrow_mut().timer.take() {
            scope().clear_timeout_with_handle(t);
        }
    }

    /// Saves now; with `overwrite`, over another tab's newer save (the
    /// user chose to keep this tab's work). Also ends a hold.
    pub fn save_now(&self, overwrite: bool) {
        self.state.borrow_mut().held = None;
        self.save(overwrite);
    }

    fn save(&self, overwrite: bool) {
        let (db, base) = {
            let mut s = self.state.borrow_mut();
            if let Some(reason) = &s.unavailable {
                let status = SaveStatus::Failed { reason: reason.clone() };
                drop(s);
                (self.post)(&Response::SaveStatus(status));
                return;
            }
            if s.saving {
                s.again = true;
                return;
            }
            let Some(db) = s.db.clone() else { return };
            s.saving = true;
            (db, s.base)
        };
        let saved = now();
        // The file is put together by the browser from the engine's header
        // and the kept files' blobs: no copy of it in the worker's memory.
        let parts = {
            let engine = self.engine.borrow();
            engine
                .snapshot_pieces(&saved)
                .ok_or_else(|| "a loaded file could not be read back from its blob".to_owned())
                .and_then(|(header, pieces)| storage::file_blob(&header, &pieces, &self.blobs))
                .and_then(|file| storage::parts(&file))
        };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = match parts {
                Ok(parts) => storage::write(&db, parts, base, &saved, overwrite).await,
                Err(why) => Err(SaveError::Other(why)),
            };
            let status = match result {
                Ok(meta) => {
                    this.state.borrow_mut().base = meta.revision;
                    this.announce(meta.revision);
                    SaveStatus::Saved { time: local_time(&meta.saved) }
                }
                Err(SaveError::Conflict(meta)) => {
                    this.hold(SaveStatus::Conflict { time: local_time(&meta.saved) })
                }
                Err(SaveError::Full) => SaveStatus::Failed {
                    reason: "the browser's storage for this site is full. Your work is still \
                             open here and the previous save is kept. Export the workspace to \
                             keep it, or remove a file you do not need, then change anything \
                             to save again."
                        .into(),
                },
                Err(SaveError::Other(why)) => SaveStatus::Failed {
                    reason: format!(
                        "the browser refused to save ({why}). Your work is still open here \
                         and the previous save is kept; export the workspace to keep it."
                    ),
                },
            };
            (this.post)(&Response::SaveStatus(status));
            let again = {
                let mut s = this.state.borrow_mut();
                s.saving = false;
                std::mem::take(&mut s.again)
            };
            if again {
                this.changed();
            }
        });
    }

    /// Forgets the saved copy (the engine is cleared by its own request).
    pub fn clear(&self) {
        let db = {
            let mut s = self.state.borrow_mut();
            s.held = None;
            if let Some(t) = s.timer.take() {
                scope().clear_timeout_with_handle(t);
            }
            s.db.clone()
        };
        let Some(db) = db else { return };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let status = match storage::clear(&db, &now()).await {
                Ok(meta) => {
                    this.state.borrow_mut().base = meta.revision;
                    this.announce(meta.revision);
                    SaveStatus::Empty
                }
                Err(why) => SaveStatus::Failed {
                    reason: format!("the saved copy could not be cleared ({why})"),
                },
            };
            (this.post)(&Response::SaveStatus(status));
        });
    }

    /// Tells other tabs' workers that this one saved `revision`.
    fn announce(&self, revision: u64) {
        if let Some(channel) = &self.state.borrow().channel {
            let _ = channel.post_message(&JsValue::from_f64(revision as f64));
        }
    }

    /// Hears other tabs' saves: newer work elsewhere holds this tab's
    /// saving and tells the page.
    fn listen(&self) {
        let Ok(channel) = BroadcastChannel::new(storage::CHANNEL) else { return };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(revision) = ev.data().as_f64() else { return };
            let newer = revision as u64 > this.state.borrow().base;
            if newer {
                let status = this.hold(SaveStatus::Conflict { time: local_time(&now()) });
                (this.post)(&Response::SaveStatus(status));
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The listener lives as long as the worker.
        on_message.forget();
        self.state.borrow_mut().channel = Some(channel);
    }
}

fn scope() -> WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Now, RFC 3339 in UTC (the worker's clock; core has none).
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// `HH:MM` in the user's time zone for an RFC 3339 time.
fn local_time(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return "an unknown time".into();
    }
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
