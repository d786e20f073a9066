//! The files as the user gave them, and where their bytes stay once parsed.
//!
//! A worker's WebAssembly memory never shrinks: bytes held in it after the
//! parse (126 MiB for a million order lines) would raise every later
//! stage's peak by as much (issue #7's memory target). So the engine hands
//! a loaded file's bytes to a [`Keeper`] — the worker's keeps them in the
//! browser's blob store — and reads them back, a chunk at a time, only to
//! hash them for a run or a save, or whole to parse them again under a new
//! mapping. Without a keeper (natively, in tests) the bytes stay here.

use segscope_core::{FileKind, InputRecord};
use std::cell::OnceCell;
use std::rc::Rc;

/// Keeps loaded files' bytes outside the engine's memory.
pub trait Keeper {
    /// Takes a copy of `bytes`, the file of `kind` (replacing any earlier
    /// one); false when it cannot, and the engine keeps them.
    fn keep(&mut self, kind: FileKind, bytes: &[u8]) -> bool;
    /// Calls `each` with the kept bytes of `kind`, in consecutive chunks;
    /// false when they could not all be read.
    fn read(&self, kind: FileKind, each: &mut dyn FnMut(&[u8])) -> bool;
    /// Lets go of the file of `kind`.
    fn forget(&mut self, kind: FileKind);
    /// Called once a request is handled, before its last answer: a keeper
    /// that took a file by reference to where the user keeps it (which the
    /// user may change) makes its own copy now.
    fn settle(&mut self) {}
    /// Takes the file the user picked for the request being handled, of
    /// `size` bytes, as the file of `kind`, as [`Keeper::keep`] takes
    /// bytes; false when it cannot (then the engine reads the file and
    /// hands over its bytes).
    fn keep_picked(&mut self, _kind: FileKind, _size: u64) -> bool {
        false
    }
}

/// A file the user picked, read where it is a chunk at a time (the worker
/// reads it from the disk): an orders file is parsed as it streams in
/// (`segscope_core::ingest::OrdersStream`), never whole in memory.
pub trait Source: std::fmt::Debug {
    /// Its size in bytes.
    fn size(&self) -> u64;
    /// Calls `each` with its bytes, in consecutive chunks; the browser's
    /// words when it cannot read them all.
    fn read(&self, each: &mut dyn FnMut(&[u8])) -> Result<(), String>;
    /// Its bytes from `start` to `end`.
    fn read_range(&self, start: u64, end: u64) -> Option<Vec<u8>>;
}

/// All of `source`'s bytes.
pub(super) fn read_whole(source: &dyn Source) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(source.size()).unwrap_or(usize::MAX))
        .map_err(|_| "the file is larger than this browser tab can hold".to_owned())?;
    source.read(&mut |chunk| bytes.extend_from_slice(chunk))?;
    // Bytes that do not add up to its size are not that file (it changed
    // on disk meanwhile).
    if bytes.len() as u64 != source.size() {
        return Err("the file changed on disk while it was read".to_owned());
    }
    Ok(bytes)
}

/// Where a file's bytes are.
#[derive(Clone, Debug)]
pub(super) enum Content {
    /// In the engine's memory.
    Here(Vec<u8>),
    /// With the keeper, under the file's kind.
    Kept { size: u64 },
    /// Where the user picked it, not read yet.
    Picked(Rc<dyn Source>),
    /// Nowhere: the browser could not read the file the user picked.
    Unread,
}

/// One input file's name and content, as the user gave it.
#[derive(Clone, Debug)]
pub(super) struct RawFile {
    pub(super) name: String,
    pub(super) content: Content,
    /// Its size and SHA-256, computed the first time they are asked for.
    record: OnceCell<InputRecord>,
}

impl RawFile {
    pub(super) fn new(name: String, bytes: Vec<u8>) -> RawFile {
        RawFile { name, content: Content::Here(bytes), record: OnceCell::new() }
    }

    /// A file the user picked, to be read from `source`.
    pub(super) fn picked(name: String, source: Rc<dyn Source>) -> RawFile {
        RawFile { name, content: Content::Picked(source), record: OnceCell::new() }
    }

    /// The size in bytes (0 for a file that could not be read).
    pub(super) fn size(&self) -> u64 {
        match &self.content {
            Content::Here(bytes) => bytes.len() as u64,
            Content::Kept { size } => *size,
            Content::Picked(source) => source.size(),
            Content::Unread => 0,
        }
    }

    /// Where the user picked the file, if it is still there, not read.
    pub(super) fn source(&self) -> Option<&dyn Source> {
        match &self.content {
            Content::Picked(source) => Some(source.as_ref()),
            _ => None,
        }
    }

    /// The bytes held here, if they are.
    pub(super) fn here(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Here(bytes) => Some(bytes),
            Content::Kept { .. } | Content::Picked(_) | Content::Unread => None,
        }
    }

    /// The file with its bytes here if it was picked and not read yet
    /// (unread if the browser cannot read them).
    pub(super) fn read_here(self) -> RawFile {
        match &self.content {
            Content::Picked(source) => {
                let content = read_whole(source.as_ref()).map_or(Content::Unread, Content::Here);
                RawFile { content, ..self }
            }
            _ => self,
        }
    }

    /// Whether the browser could not read the file at all.
    pub(super) fn is_unread(&self) -> bool {
        matches!(self.content, Content::Unread)
    }

    /// Gives the bytes to `keeper` as the file of `kind` when it takes them.
    pub(super) fn keep_with(
        self,
        kind: FileKind,
        keeper: Option<&mut (dyn Keeper + 'static)>,
    ) -> RawFile {
        // A picked file is taken where it is, or else read.
        let mut keeper = keeper;
        let size = self.size();
        let this = match &self.content {
            Content::Picked(_)
                if keeper.as_deref_mut().is_some_and(|k| k.keep_picked(kind, size)) =>
            {
                return RawFile { content: Content::Kept { size }, ..self };
            }
            _ => self.read_here(),
        };
        let kept = match (&this.content, keeper) {
            (Content::Here(bytes), Some(keeper)) => keeper.keep(kind, bytes),
            _ => false,
        };
        match kept {
            true => RawFile { content: Content::Kept { size: this.size() }, ..this },
            false => this,
        }
    }

    /// The file with its bytes here, read back from `keeper` if kept there;
    /// `None` when the keeper cannot read them, or when the file was never
    /// read.
    pub(super) fn fetched(
        &self,
        kind: FileKind,
        keeper: Option<&(dyn Keeper + 'static)>,
    ) -> Option<RawFile> {
        match &self.content {
            Content::Here(_) => return Some(self.clone()),
            Content::Unread => return None,
            Content::Picked(_) => return Some(self.clone().read_here()).filter(|r| !r.is_unread()),
            Content::Kept { .. } => {}
        }
        let mut bytes = Vec::with_capacity(usize::try_from(self.size()).ok()?);
        let complete = keeper?.read(kind, &mut |chunk| bytes.extend_from_slice(chunk));
        (complete && bytes.len() as u64 == self.size()).then(|| RawFile {
            name: self.name.clone(),
            content: Content::Here(bytes),
            record: self.record.clone(),
        })
    }

    /// The file's run record (name, size, SHA-256) as `kind`, hashed once;
    /// `None` when its kept bytes cannot be read.
    pub(super) fn record(
        &self,
        kind: FileKind,
        keeper: Option<&(dyn Keeper + 'static)>,
    ) -> Option<InputRecord> {
        if let Some(record) = self.record.get() {
            return Some(InputRecord { kind, ..record.clone() });
        }
        let record = match &self.content {
            Content::Here(bytes) => InputRecord::new(kind, &self.name, bytes),
            Content::Unread => return None,
            Content::Picked(source) => {
                InputRecord::from_chunks(kind, &self.name, |each| source.read(each).is_ok())?
            }
            Content::Kept { size } => {
                let keeper = keeper?;
                let record =
                    InputRecord::from_chunks(kind, &self.name, |each| keeper.read(kind, each))?;
                // A file that changed size under the keeper is not this one.
                if record.bytes != *size {
                    return None;
                }
                record
            }
        };
        Some(self.record.get_or_init(|| record).clone())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::cell::Cell;
    use std::collections::BTreeMap;
    use std::rc::Rc;

    /// A keeper in memory that reads back in chunks of 5 bytes and counts
    /// its reads, as the worker's reads back from the blob store.
    #[derive(Clone, Default)]
    pub struct TestKeeper {
        pub files: Rc<std::cell::RefCell<BTreeMap<FileKind, Vec<u8>>>>,
        pub reads: Rc<Cell<usize>>,
        /// How many times it was settled.
        pub settles: Rc<Cell<usize>>,
        /// Refuses to keep anything.
        pub full: bool,
    }

    impl Keeper for TestKeeper {
        fn keep(&mut self, kind: FileKind, bytes: &[u8]) -> bool {
            if !self.full {
                self.files.borrow_mut().insert(kind, bytes.to_vec());
            }
            !self.full
        }
        fn read(&self, kind: FileKind, each: &mut dyn FnMut(&[u8])) -> bool {
            self.reads.set(self.reads.get() + 1);
            let files = self.files.borrow();
            let Some(bytes) = files.get(&kind) else { return false };
            bytes.chunks(5).for_each(each);
            true
        }
        fn forget(&mut self, kind: FileKind) {
            self.files.borrow_mut().remove(&kind);
        }
        fn settle(&mut self) {
            self.settles.set(self.settles.get() + 1);
        }
    }

    /// A picked file in memory, read in chunks of 5 bytes; `broken` when
    /// the browser cannot read it.
    #[derive(Debug)]
    pub struct TestSource {
        pub bytes: Vec<u8>,
        pub broken: bool,
    }

    impl Source for TestSource {
        fn size(&self) -> u64 {
            self.bytes.len() as u64
        }
        fn read(&self, each: &mut dyn FnMut(&[u8])) -> Result<(), String> {
            if self.broken {
                return Err("NotReadableError".into());
            }
            self.bytes.chunks(5).for_each(each);
            Ok(())
        }
        fn read_range(&self, start: u64, end: u64) -> Option<Vec<u8>> {
            let range = usize::try_from(start).ok()?..usize::try_from(end).ok()?;
            self.bytes.get(range).filter(|_| !self.broken).map(<[u8]>::to_vec)
        }
    }

    #[test]
    fn a_kept_file_reads_back_and_hashes_as_the_bytes_it_was() {
        let bytes = b"sku,qty\nA,1\nB,22\n".to_vec();
        let mut keeper = TestKeeper::default();
        let raw = RawFile::new("o.csv".into(), bytes.clone())
            .keep_with(FileKind::Orders, Some(&mut keeper));
        assert!(raw.here().is_none());
        assert_eq!(raw.size(), bytes.len() as u64);
        let expected = InputRecord::new(FileKind::Orders, "o.csv", &bytes);
        assert_eq!(raw.record(FileKind::Orders, Some(&keeper)), Some(expected.clone()));
        // Hashed once: the second record reads nothing.
        assert_eq!(raw.record(FileKind::Orders, Some(&keeper)), Some(expected));
        assert_eq!(keeper.reads.get(), 1);
        let fetched = raw.fetched(FileKind::Orders, Some(&keeper)).expect("read back");
        assert_eq!(fetched.here(), Some(bytes.as_slice()));
    }

    #[test]
    fn a_keeper_that_refuses_or_loses_the_bytes_is_noticed() {
        let bytes = b"sku,qty\nA,1\n".to_vec();
        let mut full = TestKeeper { full: true, ..TestKeeper::default() };
        let raw = RawFile::new("o.csv".into(), bytes.clone())
            .keep_with(FileKind::Orders, Some(&mut full));
        assert_eq!(raw.here(), Some(bytes.as_slice()));

        let mut keeper = TestKeeper::default();
        let raw =
            RawFile::new("o.csv".into(), bytes).keep_with(FileKind::Orders, Some(&mut keeper));
        keeper.forget(FileKind::Orders);
        assert!(raw.fetched(FileKind::Orders, Some(&keeper)).is_none());
        assert!(raw.record(FileKind::Orders, Some(&keeper)).is_none());
        assert!(raw.record(FileKind::Orders, None).is_none());
    }

    mod engine {
        use super::{TestKeeper, TestSource};
        use crate::engine::tests::ten_skus;
        use crate::engine::Keeper;
        use crate::engine::{Engine, Piece};
        use crate::worker_api::{Request, Response, WorkspaceView};
        use segscope_core::{workspace, FileKind, IngestError};

        fn run(e: &mut Engine, request: Request, bytes: Option<Vec<u8>>) -> Vec<Response> {
            let mut sent = Vec::new();
            e.handle(request, bytes, &mut |r| sent.push(r));
            sent
        }

        fn last_view(sent: &[Response]) -> WorkspaceView {
            match sent.last() {
                Some(Response::Workspace(v)) => (**v).clone(),
                other => panic!("{other:?}"),
            }
        }

        fn kept_engine() -> (Engine, TestKeeper) {
            let keeper = TestKeeper::default();
            let mut e = Engine::new(None);
            e.set_keeper(Box::new(keeper.clone()));
            let load = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
            run(&mut e, load, Some(ten_skus().into_bytes()));
            (e, keeper)
        }

        #[test]
        fn the_keeper_is_settled_before_the_last_answer_of_each_request() {
            let keeper = TestKeeper::default();
            let settles = keeper.settles.clone();
            let mut e = Engine::new(None);
            e.set_keeper(Box::new(keeper));
            let load = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
            let mut answers = Vec::new();
            e.handle(load, Some(ten_skus().into_bytes()), &mut |r| {
                answers.push((settles.get(), matches!(r, Response::Workspace(_))));
            });
            // The segments, views and run record before it; the workspace
            // view, which ends the request, after it.
            let Some((last, earlier)) = answers.split_last() else { panic!("no answers") };
            assert_eq!(*last, (1, true));
            assert!(earlier.len() > 3 && earlier.iter().all(|&(n, _)| n == 0), "{answers:?}");
        }

        #[test]
        fn a_parsed_file_leaves_the_engine_and_saves_as_if_it_had_stayed() {
            let (kept, keeper) = kept_engine();
            let mut here = Engine::new(None);
            let load = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
            run(&mut here, load, Some(ten_skus().into_bytes()));

            assert!(kept.raw[&FileKind::Orders].here().is_none());
            assert_eq!(keeper.files.borrow()[&FileKind::Orders], ten_skus().into_bytes());
            assert_eq!(kept.view().files[0].size, ten_skus().len() as u64);
            // The run records the same file, hashed from the kept bytes.
            assert_eq!(kept.input_records(), here.input_records());
            // The saved file is the same, byte for byte.
            let (header, pieces) = kept.snapshot_pieces("t").expect("pieces");
            assert_eq!(pieces, vec![Piece::Kept(FileKind::Orders)]);
            let (header_here, _) = here.snapshot_pieces("t").expect("pieces");
            assert_eq!(header, header_here);
            let file = [header, ten_skus().into_bytes()].concat();
            assert_eq!(file, workspace::encode(&here.snapshot("t").expect("snapshot")));
            assert_eq!(kept.snapshot("t"), here.snapshot("t"));
        }

        /// Maps the orders file's quantity to its `Sales` column.
        fn map_quantity_to_sales(e: &mut Engine) -> WorkspaceView {
            let request = Request::SetMapping {
                kind: FileKind::Orders,
                file: "o.csv".into(),
                field: "quantity".into(),
                header: Some("Sales".into()),
            };
            last_view(&run(e, request, None))
        }

        #[test]
        fn a_new_mapping_reads_the_kept_file_back() {
            let (mut e, keeper) = kept_engine();
            let view = map_quantity_to_sales(&mut e);
            assert!(view.rejected.is_empty(), "{:?}", view.rejected);
            let qty = view.files[0].layout.fields.iter().find(|f| f.field == "quantity");
            assert_eq!(qty.and_then(|f| f.header.as_deref()), Some("Sales"));
            assert!(e.raw[&FileKind::Orders].here().is_none());
            assert_eq!(keeper.files.borrow().len(), 1);
        }

        #[test]
        fn a_kept_file_that_is_lost_is_refused_on_remapping_and_not_saved_wrong() {
            let (mut e, mut keeper) = kept_engine();
            keeper.forget(FileKind::Orders);
            // Hashed with the run already, so the pieces name the kept file
            // (which the save then misses, see `storage::file_blob`); its
            // bytes are not to be had.
            assert!(e.snapshot("t").is_none());
            let view = map_quantity_to_sales(&mut e);
            assert!(matches!(view.rejected[0].error, IngestError::Unreadable { .. }));
            // The loaded analysis stays.
            assert_eq!(view.summary.map(|s| s.skus), Some(10));
        }

        #[test]
        fn removing_and_clearing_let_go_of_kept_files() {
            let (mut e, keeper) = kept_engine();
            let load = Request::LoadFile { kind: FileKind::Products, name: "p.csv".into() };
            run(&mut e, load, Some(b"sku,unit_cost\nS1,2\n".to_vec()));
            assert_eq!(keeper.files.borrow().len(), 2);
            run(&mut e, Request::RemoveFile { kind: FileKind::Products }, None);
            assert_eq!(keeper.files.borrow().len(), 1);
            run(&mut e, Request::ClearWorkspace, None);
            assert!(keeper.files.borrow().is_empty());
            // The keeper stays with the engine after a clear.
            let load = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
            run(&mut e, load, Some(ten_skus().into_bytes()));
            assert_eq!(keeper.files.borrow().len(), 1);
        }

        /// Loads `bytes` as a file the user picked, of `kind`, read where it is.
        fn load_picked(
            e: &mut Engine,
            kind: FileKind,
            bytes: Vec<u8>,
            broken: bool,
        ) -> Vec<Response> {
            let mut sent = Vec::new();
            let request = Request::LoadFile { kind, name: "new.csv".into() };
            let source = std::rc::Rc::new(TestSource { bytes, broken });
            e.handle_picked(request, source, &mut |r| sent.push(r));
            sent
        }

        #[test]
        fn a_picked_file_loads_as_its_bytes_do_and_is_kept() {
            let keeper = TestKeeper::default();
            let mut e = Engine::new(None);
            e.set_keeper(Box::new(keeper.clone()));
            let orders = ten_skus().into_bytes();
            let sent = load_picked(&mut e, FileKind::Orders, orders.clone(), false);
            let mut here = Engine::new(None);
            let load = Request::LoadFile { kind: FileKind::Orders, name: "new.csv".into() };
            let expected = run(&mut here, load, Some(orders.clone()));
            let segments = |sent: &[Response]| {
                sent.iter().find_map(|r| match r {
                    Response::Segments(v) => Some(format!("{v:?}")),
                    _ => None,
                })
            };
            assert!(segments(&sent).is_some());
            assert_eq!(segments(&sent), segments(&expected));
            assert_eq!(last_view(&sent).files, last_view(&expected).files);
            assert_eq!(keeper.files.borrow()[&FileKind::Orders], orders);
            assert_eq!(e.input_records(), here.input_records());
            // A products file picked: read whole, kept too.
            let products = b"sku,unit_cost\nS1,2\n".to_vec();
            let view = last_view(&load_picked(&mut e, FileKind::Products, products.clone(), false));
            assert_eq!(view.files.len(), 2);
            assert_eq!(keeper.files.borrow()[&FileKind::Products], products);
        }

        #[test]
        fn an_unreadable_pick_is_refused_and_the_loaded_file_stays() {
            let (mut e, _) = kept_engine();
            let sent = load_picked(&mut e, FileKind::Orders, ten_skus().into_bytes(), true);
            let view = last_view(&sent);
            assert_eq!(view.files[0].layout.name, "o.csv");
            match &view.rejected[0].error {
                IngestError::Unreadable { file, message, .. } => {
                    assert_eq!(file, "new.csv");
                    assert!(message.contains("NotReadableError"), "{message}");
                }
                other => panic!("{other:?}"),
            }
            // A new mapping for the refused file cannot read it either: the
            // refusal stays as the browser gave it (not "no order lines").
            let request = Request::SetMapping {
                kind: FileKind::Orders,
                file: "new.csv".into(),
                field: "quantity".into(),
                header: Some("Sales".into()),
            };
            let view = last_view(&run(&mut e, request, None));
            assert_eq!(view.files[0].layout.name, "o.csv");
            match &view.rejected[0].error {
                IngestError::Unreadable { message, .. } => {
                    assert!(message.contains("NotReadableError"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
