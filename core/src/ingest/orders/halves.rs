//! A big orders file read in two halves by two browser workers, which have
//! no threads to share (issue #7): the engine worker streams the first
//! half, a second worker the rest, side by side from the moment the file
//! is dropped, and the engine appends the second half's rows before it
//! finishes. The result is the one pass's, bit for bit.
//!
//! 1. Both workers cut the file at the same place ([`halves_cut`]): after the
//!    first LF from [`FIRST_SHARE`] of the file on. The engine feeds the bytes
//!    before the cut to its [`super::OrdersStream`]; the second worker feeds the rest
//!    to one of its own ([`super::OrdersStream::rest`]), opened on the file's first
//!    [`HALVES_HEAD_BYTES`] (the header, and the sample the delimiter is
//!    told from). Neither holds more than a chunk of the text.
//! 2. The second half's rows travel as bytes ([`super::OrdersStream::send`],
//!    [`super::wire`]), their row hashes with their file offsets; the engine
//!    appends them ([`super::OrdersStream::join`]) and finishes as if it had read
//!    every chunk itself: duplicate lines across the cut are found with the
//!    others, the rows that share a hash fetched back from the file.
//! 3. The second half numbers its lines from the cut; the join shifts them
//!    by the LFs the first half counted.
//! 4. The cut is checked by the join: a cut inside a quoted field leaves a
//!    record open at the first half's end, and the engine then feeds the
//!    rest itself. So it does when the bytes do not read back, or the
//!    second worker fails; a file the stream reads whole is read whole.

use crate::ingest::text::{self, Decoded};
use std::borrow::Cow;

/// Files smaller than this are read by one worker.
pub const HALVES_FROM_BYTES: u64 = 8 << 20;

/// The share of the file before the cut: the engine's half, read ahead of
/// its parse by the reading worker, goes faster than the second worker's,
/// which reads its chunks on the thread that parses them. In Chromium at
/// 1M lines, with the cut at the middle the engine had read its half
/// 56–150 ms before the helper, with 0.53 the helper 19–95 ms before the
/// engine (three loads each, BENCHMARKS.md, session 19).
const FIRST_SHARE: f64 = 0.52;

/// How far past [`FIRST_SHARE`] the cut may fall.
const WINDOW: u64 = 1 << 20;

/// How much of the file's start the second half's stream reads for the
/// header: twice the delimiter's sample, so that it sees what the whole
/// file's reader sees (a sample with more text after it).
pub const HALVES_HEAD_BYTES: u64 = 128 << 10;

/// The bytes of a file of `size` bytes in which [`halves_cut`] looks for the
/// cut, as a range; `None` for a file read by one worker.
pub fn halves_middle(size: u64) -> Option<(u64, u64)> {
    let from = (size as f64 * FIRST_SHARE) as u64;
    (size >= HALVES_FROM_BYTES).then(|| (from, (from + WINDOW).min(size)))
}

/// Where a file of `size` bytes is cut: after the first LF of `around`,
/// its bytes in the range [`halves_middle`] gives; `None` when there is none.
pub fn halves_cut(size: u64, around: &[u8]) -> Option<u64> {
    let (from, _) = halves_middle(size)?;
    cut_after(from, around, size)
}

/// The byte after the first LF of `around`, which starts at file byte
/// `from`, if that is before `size`.
pub(super) fn cut_after(from: u64, around: &[u8], size: u64) -> Option<u64> {
    let at = from + memchr::memchr(b'\n', around)? as u64 + 1;
    (at < size).then_some(at)
}

/// The decoded start of a file, up to its last LF: `None` unless it is
/// plain UTF-8 and text (the checks of the whole file's decoding that look
/// at its start only).
pub(super) fn plain_head(bytes: &[u8]) -> Option<Decoded<'_>> {
    let head = bytes.get(..bytes.len().min(HALVES_HEAD_BYTES as usize))?;
    let lines = head.get(..memchr::memrchr(b'\n', head)? + 1)?;
    let decoded = text::decode(lines).ok()?;
    (matches!(decoded.text, Cow::Borrowed(_)) && decoded.notes.is_empty()).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::OrdersStream;
    use crate::ingest::{LoadOptions, Overrides};

    const HEADER: &str = "Order,Date,SKU,Qty,Customer\n";

    fn rows(n: usize) -> String {
        (0..n)
            .map(|i| format!("O{i},2024-01-{:02},S{},1,C{}\n", 1 + i % 28, i % 97, i % 13))
            .collect()
    }

    /// The first half of `bytes`, cut at `at`, with the second half's rows
    /// joined as the two workers join them; `None` where the second half's
    /// stream asks for a whole read.
    fn joined(bytes: &[u8], at: usize) -> Option<(OrdersStream, bool)> {
        let (size, o) = (bytes.len() as u64, Overrides::new());
        let head = &bytes[..bytes.len().min(HALVES_HEAD_BYTES as usize)];
        let mut rest = OrdersStream::rest("o.csv", head, at as u64, size, &o)?;
        rest.feed(&bytes[at..], &mut |_| {});
        let pieces = rest.send()?;
        // Small files: the first half is read even if shorter than the
        // production's first chunk.
        let mut first = OrdersStream::new("o.csv", size, &o).first_at(1);
        first.feed(&bytes[..at], &mut |_| {});
        let joined = pieces.join_to(&mut first);
        Some((first, joined))
    }

    #[test]
    fn big_files_are_cut_after_the_middle_and_others_read_by_one_worker() {
        let text = format!("{HEADER}{}", rows(330_000));
        let bytes = text.as_bytes();
        let size = bytes.len() as u64;
        assert!(size >= HALVES_FROM_BYTES, "{size}");
        let (from, to) = halves_middle(size).unwrap();
        let at = halves_cut(size, &bytes[from as usize..to as usize]).unwrap() as usize;
        // The first record start after the share.
        assert!(at > from as usize && bytes[at - 1] == b'\n', "{at}");
        assert!(!bytes[from as usize..at - 1].contains(&b'\n'));
        assert_eq!(halves_middle(HALVES_FROM_BYTES - 1), None);

        // The line numbers of the second half go on from the first's.
        let (first, took) = joined(bytes, at).unwrap();
        assert!(took);
        let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
        let whole = first.finish(&mut fetch, &LoadOptions::default(), &mut |_| {});
        assert_eq!(whole.unwrap().unwrap().table.lines.line.last(), Some(&330_001));

        // Not UTF-8 after the cut, no header to map: the second worker's
        // stream asks for a whole read.
        let mut latin = bytes.to_vec();
        latin[at + 1] = 0xE9;
        assert!(joined_or_none(&latin, at));
        let no_sku = text.replacen("SKU", "Remark", 1);
        assert!(joined_or_none(no_sku.as_bytes(), at));
        // A cut inside a quoted field: the first half does not take the
        // second's rows (its caller then feeds the rest itself).
        let quoted =
            format!("{HEADER}O1,2024-01-01,\"S\n{}\",1,C1\n{}", "x\n".repeat(100), rows(50));
        let inside = HEADER.len() + 40;
        assert_eq!(joined(quoted.as_bytes(), inside).map(|j| j.1), Some(false));
        let after =
            cut_after(HEADER.len() as u64 + 300, &quoted.as_bytes()[HEADER.len() + 300..], 1 << 20);
        assert_eq!(joined(quoted.as_bytes(), after.unwrap() as usize).map(|j| j.1), Some(true));
    }

    /// Whether the second half of `bytes` from `at` asks for a whole read.
    fn joined_or_none(bytes: &[u8], at: usize) -> bool {
        joined(bytes, at).is_none()
    }

    /// `bytes` cut after its middle: where, the pieces of the rest, and
    /// a stream fed the first half.
    fn in_halves(bytes: &[u8]) -> (usize, Vec<Vec<u8>>, impl Fn() -> OrdersStream + '_) {
        let (size, o) = (bytes.len() as u64, Overrides::new());
        let at = cut_after(size / 2, &bytes[bytes.len() / 2..], size).unwrap() as usize;
        let mut rest = OrdersStream::rest("o.csv", bytes, at as u64, size, &o).unwrap();
        rest.feed(&bytes[at..], &mut |_| {});
        let mut pieces = rest.send().unwrap();
        let sent: Vec<Vec<u8>> = std::iter::from_fn(|| pieces.next_piece()).collect();
        let first = move || {
            let mut first = OrdersStream::new("o.csv", size, &o).first_at(1);
            first.feed(&bytes[..at], &mut |_| {});
            first
        };
        (at, sent, first)
    }

    fn join(stream: &mut OrdersStream, pieces: &[Vec<u8>]) -> bool {
        pieces.iter().all(|piece| stream.join(piece))
    }

    #[test]
    fn code_numbers_outside_the_helpers_tables_are_refused() {
        let text = format!("{HEADER}{}", rows(2_000));
        let (_, sent, first) = in_halves(text.as_bytes());
        assert!(join(&mut first(), &sent));
        // The orders', SKUs' and customers' pieces (after the head, the
        // lines' and before and after the dates'): the first value, after
        // the count, made a number past any table's.
        for piece in [2, 4, 5] {
            let mut changed = sent.clone();
            changed[piece][8..12].copy_from_slice(&7_000u32.to_le_bytes());
            assert!(!join(&mut first(), &changed), "piece {piece}");
        }
    }

    #[test]
    fn second_halves_cut_short_or_changed_are_refused_without_a_panic() {
        let text = format!("{HEADER}{}O1,2024-01-02,S1,1,C1\n", rows(2_000));
        let bytes = text.as_bytes();
        let (size, o) = (bytes.len() as u64, Overrides::new());
        let (at, sent, first) = in_halves(bytes);
        let options = LoadOptions::default();
        let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
        for (i, piece) in sent.iter().enumerate() {
            // Any piece cut short: refused. The head leaves the stream as it
            // was, to be fed the rest; a later piece, to be read whole.
            for len in (0..piece.len()).step_by(97) {
                let mut first = first();
                let mut cut = sent.clone();
                cut[i].truncate(len);
                assert!(!join(&mut first, &cut), "piece {i} at {len}");
                first.feed(&bytes[at..], &mut |_| {});
                let read = first.finish(&mut fetch, &options, &mut |_| {});
                assert_eq!(read.is_none(), i > 0, "piece {i} at {len}");
            }
            // Any byte changed: refused or read, never a panic.
            for at in (0..piece.len()).step_by(389) {
                let mut changed = sent.clone();
                changed[i][at] ^= 0xA5;
                let mut first = first();
                if join(&mut first, &changed) {
                    let _ = first.finish(&mut fetch, &options, &mut |_| {});
                }
            }
        }
        // Pieces missing at the end: the stream is not fed whole; and the
        // rest fed after a join broken off is not read into it.
        let mut short = first();
        assert!(join(&mut short, &sent[..sent.len() - 1]));
        assert!(short.finish(&mut fetch, &options, &mut |_| {}).is_none());
        let mut broken = first();
        assert!(join(&mut broken, &sent[..3]));
        broken.feed(&bytes[at..], &mut |_| {});
        assert!(broken.finish(&mut fetch, &options, &mut |_| {}).is_none());
        // From another offset: refused.
        let mut other = OrdersStream::rest("o.csv", bytes, at as u64 + 1, size, &o).unwrap();
        other.feed(&bytes[at + 1..], &mut |_| {});
        assert!(!other.send().unwrap().join_to(&mut first()));
        let mut whole = first();
        assert!(join(&mut whole, &sent));
        let whole = whole.finish(&mut fetch, &options, &mut |_| {}).unwrap().unwrap();
        assert_eq!(whole.table.lines.len(), 2_001);
        // The last line repeats line 3 (the second row), across the cut.
        assert_eq!(whole.report.count(crate::quality::Rule::DuplicateLine), 1);
    }
}
