//! The input files of a run and their records for `run.json`, hashed in a
//! core the parse leaves idle.

use segscope_core::ingest::FileKind;
use segscope_core::InputRecord;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

/// A file read for the run: its kind, its name as given, its bytes.
pub type File = (FileKind, String, Vec<u8>);

/// How much of a file is hashed between looks at whether to stop.
const CHUNK: usize = 4 << 20;

/// Runs `work` while a thread of the lowest priority hashes `files`
/// (`priority::lowest`: it gets a core only when `work` leaves one idle,
/// as the parse does in its single-threaded last steps). Returns what
/// `work` returned and the files' records, in their order.
///
/// A thread of the lowest priority may get no core at all on a busy
/// machine: if it has not finished when `work` has, it is told to stop and
/// the files are hashed here instead, as they would be without it.
pub fn hashed_beside<R>(files: &Arc<Vec<File>>, work: impl FnOnce() -> R) -> (R, Vec<InputRecord>) {
    let stop = Arc::new(AtomicBool::new(false));
    let (done, finished) = mpsc::channel();
    let (theirs, their_stop) = (Arc::clone(files), Arc::clone(&stop));
    // Without the thread (the system refused one), the files are hashed below.
    let _ = std::thread::Builder::new().name("hash inputs".into()).spawn(move || {
        crate::priority::lowest();
        let records: Option<Vec<InputRecord>> = theirs
            .iter()
            .map(|(kind, name, bytes)| {
                InputRecord::from_chunks(*kind, name, |take| {
                    bytes.chunks(CHUNK).all(|chunk| {
                        take(chunk);
                        !their_stop.load(Ordering::Relaxed)
                    })
                })
            })
            .collect();
        let _ = done.send(records);
    });
    let result = work();
    let records = match finished.try_recv() {
        Ok(Some(records)) => records,
        _ => {
            stop.store(true, Ordering::Relaxed);
            files.iter().map(|(kind, name, bytes)| InputRecord::new(*kind, name, bytes)).collect()
        }
    };
    (result, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Arc<Vec<File>> {
        let big: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        Arc::new(vec![
            (FileKind::Orders, "orders.csv".into(), big),
            (FileKind::Products, "products.csv".into(), b"sku\nA\n".to_vec()),
            (FileKind::Customers, "customers.csv".into(), Vec::new()),
        ])
    }

    fn expected(files: &[File]) -> Vec<InputRecord> {
        files.iter().map(|(kind, name, bytes)| InputRecord::new(*kind, name, bytes)).collect()
    }

    /// Whether the thread finishes first or is stopped, the records are
    /// the files' own, in order.
    #[test]
    fn the_records_are_the_files_whoever_hashes_them() {
        let files = files();
        // Work that ends at once: the thread has (almost surely) not finished.
        let (answer, records) = hashed_beside(&files, || 42);
        assert_eq!(answer, 42);
        assert_eq!(records, expected(&files));
        // Work that waits long enough for the thread to finish.
        let (_, records) =
            hashed_beside(&files, || std::thread::sleep(std::time::Duration::from_millis(500)));
        assert_eq!(records, expected(&files));
    }
}
