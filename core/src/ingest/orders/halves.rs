//! A big orders file read in two halves by two browser workers, which have
//! no threads to share (issue #7): the engine worker reads the first half,
//! a second worker the rest, side by side from the moment the file is
//! dropped, and the engine appends the second half's rows as
//! [`super::parse_in_parts`] appends a part's. The result is the one
//! pass's, bit for bit.
//!
//! 1. Both workers cut the file at the same place ([`halves_cut`]): after the
//!    first LF from the middle on. The engine reads the file up to the cut
//!    ([`FirstHalf::read`]), the second worker its first [`HALVES_HEAD_BYTES`]
//!    (the header, and the sample the delimiter is told from) and the rest
//!    from the cut ([`SecondHalf::read`]). Each holds only its own text.
//! 2. The cut is checked by the first half's reading: a cut inside a
//!    quoted field leaves its last record open ([`Sheet::ends_open`]), and
//!    the file is then read whole. So is a file that is not plain UTF-8,
//!    a file whose header the mapping refuses (the whole read says why),
//!    and one too small to gain from two workers.
//! 3. The second half numbers its lines from the cut; the first half,
//!    which has counted the LFs before it, shifts them at the finish.
//! 4. Duplicate lines across the cut: the engine sends the hashes of its
//!    rows ([`FirstHalf::hashes`]); the second half's rows with one of
//!    those hashes come back with their fields ([`SecondHalf::send`]), and
//!    the engine compares them with its first row of that hash
//!    ([`FirstHalf::finish`]), as [`super::duplicates`] compares the rows
//!    of a later part.
//! 5. The second half's rows travel as bytes ([`super::wire`]); bytes
//!    that do not read back mean the file is read whole.

use super::wire::{self, Candidate, Sent};
use super::{duplicates, duplicates_by, finish, Part, Rows};
use crate::ingest::sheet::{record_fields, record_is, same_records, Counts, Sheet, SheetEnd};
use crate::ingest::text::{self, Decoded};
use crate::ingest::{FileKind, IngestError, LoadOptions, OrderTable, Overrides, Parsed};
use crate::quality::DqReport;
use std::borrow::Cow;

/// Files smaller than this are read whole, by one worker.
pub const HALVES_FROM_BYTES: u64 = 8 << 20;

/// How far past the middle the cut may fall.
const WINDOW: u64 = 1 << 20;

/// How much of the file's start the second half's reader reads for the
/// header: twice the delimiter's sample, so that it sees what the whole
/// file's reader sees (a sample with more text after it).
pub const HALVES_HEAD_BYTES: u64 = 128 << 10;

/// The bytes from the middle of a file of `size` bytes in which [`halves_cut`]
/// looks for the cut, as a range; `None` for a file read whole.
pub fn halves_middle(size: u64) -> Option<(u64, u64)> {
    (size >= HALVES_FROM_BYTES).then(|| (size / 2, (size / 2 + WINDOW).min(size)))
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

/// The second half of an orders file read, on the second worker, waiting
/// for the first half's hashes.
pub struct SecondHalf {
    text: String,
    delimiter: u8,
    rows: Rows,
    counts: Counts,
}

impl SecondHalf {
    /// Reads `bytes`, the file named `name` from the [`halves_cut`] on, under the
    /// header of `head`, the file's first [`HALVES_HEAD_BYTES`] (or all of it).
    ///
    /// # Errors
    /// When the file is to be read whole: not plain UTF-8, or a header the
    /// mapping refuses.
    pub fn read(
        name: &str,
        head: &[u8],
        bytes: Vec<u8>,
        overrides: &Overrides,
    ) -> Result<SecondHalf, String> {
        let decoded = plain_head(head).ok_or("the file does not start as plain UTF-8 text")?;
        let mut report = DqReport::default();
        let sheet = Sheet::open(name, FileKind::Orders, &decoded, overrides, &mut report)
            .map_err(|e| e.to_string())?;
        let head = sheet.head();
        let text = String::from_utf8(bytes).map_err(|e| {
            format!("the second half is not UTF-8 from byte {}", e.utf8_error().valid_up_to())
        })?;
        let sheet = Sheet::rest(name, FileKind::Orders, &text, &head, 0);
        let part = Part::read(sheet, &mut |_| {}, 0);
        let counts = part.sheet.counts();
        let rows = part.rows;
        Ok(SecondHalf { delimiter: head.delimiter(), rows, counts, text })
    }

    /// The rows as bytes for [`FirstHalf::finish`], with those whose hash
    /// `first` holds (the first half's, [`FirstHalf::hashes`]).
    pub fn send(self, first: &[u8]) -> Vec<u8> {
        let first: Vec<u64> =
            first.chunks_exact(8).map(|c| c.try_into().map_or(0, u64::from_le_bytes)).collect();
        let (text, delimiter) = (self.text.as_str(), self.delimiter);
        let skip = self.rows.columns.row_id;
        let mut candidates = Vec::new();
        let mut at = 0;
        let found = duplicates_by(
            &self.rows,
            |a, b| same_records(text, delimiter, a, b, skip),
            // Asked in rising order: one walk through the sorted hashes.
            |hash| {
                while first.get(at).is_some_and(|&h| h < hash) {
                    at += 1;
                }
                (first.get(at) == Some(&hash)).then_some(hash)
            },
            |row, &hash| {
                let fields = record_fields(text, delimiter, row.byte);
                candidates.push(Candidate { hash, line: row.line, fields });
                None
            },
        );
        let SecondHalf { rows, counts, .. } = self;
        wire::write(&Sent { rows, counts, found, candidates })
    }
}

/// The first half of an orders file read, waiting for the second.
pub struct FirstHalf {
    /// The first half's text.
    text: String,
    /// Where the body starts in `text`.
    body: usize,
    /// The findings of opening the file.
    report: DqReport,
    sheet: SheetEnd,
    delimiter: u8,
    /// The LF bytes of the body, which the second half's lines follow.
    newlines: u64,
    rows: Rows,
}

impl FirstHalf {
    /// Reads the rows of `bytes`, the file named `name` up to the [`halves_cut`];
    /// `size` is the whole file's (the columns are sized for its rows, so
    /// that appending the second half does not move them). `None` when the
    /// file is to be read whole: not plain UTF-8, a header the mapping
    /// refuses, or a cut inside a quoted field.
    pub fn read(
        name: &str,
        bytes: Vec<u8>,
        size: u64,
        overrides: &Overrides,
        progress: &mut dyn FnMut(f64),
    ) -> Option<FirstHalf> {
        let encoding = plain_head(&bytes)?.encoding;
        let text = String::from_utf8(bytes).ok()?;
        let after_bom = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let decoded = Decoded { text: Cow::Borrowed(after_bom), encoding, notes: Vec::new() };
        let mut report = DqReport::default();
        let sheet = Sheet::open(name, FileKind::Orders, &decoded, overrides, &mut report).ok()?;
        let body = (sheet.body().as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        let delimiter = sheet.delimiter;
        // The second half's rows, at the first half's bytes per row.
        let share = size.saturating_sub(text.len() as u64) as f64 / text.len().max(1) as f64;
        let more = (sheet.rows_ahead() as f64 * share * 1.05) as usize;
        let mut part = Part::read(sheet, progress, more);
        if part.sheet.ends_open() {
            return None;
        }
        let found = duplicates(std::slice::from_ref(&part), 0);
        part.rows.flag_duplicates(name, found);
        let (sheet, newlines) = (part.sheet.end(), part.sheet.newlines());
        Some(FirstHalf { body, report, sheet, delimiter, newlines, rows: part.rows, text })
    }

    /// The hashes of the first half's rows, each once, for
    /// [`SecondHalf::send`].
    pub fn hashes(&self) -> Vec<u8> {
        let hashes = wire::distinct_hashes(&self.rows.hashed);
        hashes.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// The whole file's table: the first half with `second`, the bytes
    /// from [`SecondHalf::send`], appended. `None` when those bytes do not
    /// read back: the file is then read whole.
    pub fn finish(
        mut self,
        second: Vec<u8>,
        options: &LoadOptions,
        progress: &mut dyn FnMut(f64),
    ) -> Option<Result<Parsed<OrderTable>, IngestError>> {
        let sheet = &self.sheet;
        let Sent { rows: mut theirs, counts, mut found, candidates } =
            wire::read(&second, |field| sheet.column(field)).ok()?;
        drop(second);
        // The second half's lines, counted from the cut, follow the first's.
        let shift = self.newlines;
        let shifted = |line: u64| line.checked_add(shift);
        let lines = &mut theirs.lines.line;
        *lines = lines.iter().map(|&l| super::line32(u64::from(l) + shift)).collect();
        for finding in &mut theirs.report.findings {
            for example in finding.examples.iter_mut().filter(|e| e.line > 0) {
                example.line = shifted(example.line)?;
            }
        }
        for pair in &mut found {
            *pair = (shifted(pair.0)?, shifted(pair.1)?);
        }
        let body = self.text.get(self.body..).unwrap_or_default();
        let skip = self.rows.columns.row_id;
        for c in candidates {
            let Some(first) = self.rows.first_with(c.hash) else { continue };
            if record_is(body, self.delimiter, first.byte, &c.fields, skip) {
                found.push((shifted(c.line)?, first.line));
            }
        }
        found.sort_unstable();
        theirs.flag_duplicates(&self.sheet.name, found);
        self.rows.hashed = Vec::new();
        self.text = String::new();
        self.rows.append(theirs);
        self.sheet.add(counts);
        Some(finish(self.sheet, self.rows, self.report, options, progress))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Order,Date,SKU,Qty,Customer\n";

    fn rows(n: usize) -> String {
        (0..n)
            .map(|i| format!("O{i},2024-01-{:02},S{},1,C{}\n", 1 + i % 28, i % 97, i % 13))
            .collect()
    }

    /// The two halves of `bytes` cut after byte `from`, read as the two
    /// workers read them; `None` when the file is to be read whole.
    fn halves(bytes: &[u8], from: u64) -> Option<(FirstHalf, Result<SecondHalf, String>)> {
        let size = bytes.len() as u64;
        let at = cut_after(from, &bytes[from as usize..], size)? as usize;
        let o = Overrides::new();
        let first = FirstHalf::read("o.csv", bytes[..at].to_vec(), size, &o, &mut |_| {})?;
        let head = &bytes[..bytes.len().min(HALVES_HEAD_BYTES as usize)];
        Some((first, SecondHalf::read("o.csv", head, bytes[at..].to_vec(), &o)))
    }

    #[test]
    fn big_files_are_cut_after_the_middle_and_others_read_whole() {
        let text = format!("{HEADER}{}", rows(330_000));
        let bytes = text.as_bytes();
        let size = bytes.len() as u64;
        assert!(size >= HALVES_FROM_BYTES, "{size}");
        let (from, to) = halves_middle(size).unwrap();
        let at = halves_cut(size, &bytes[from as usize..to as usize]).unwrap() as usize;
        // The first record start after the middle.
        assert!(at > bytes.len() / 2 && bytes[at - 1] == b'\n', "{at}");
        assert!(!bytes[bytes.len() / 2..at - 1].contains(&b'\n'));
        assert_eq!(halves_middle(HALVES_FROM_BYTES - 1), None);

        // The line numbers of the second half go on from the first's.
        let (first, second) = halves(bytes, from).unwrap();
        let sent = second.unwrap().send(&first.hashes());
        let whole = first.finish(sent, &LoadOptions::default(), &mut |_| {}).unwrap().unwrap();
        assert_eq!(whole.table.lines.line.last(), Some(&330_001));

        // Not UTF-8 at the start or after the cut, no header to map, a cut
        // inside a quoted field: read whole.
        let mut latin = bytes.to_vec();
        latin[HEADER.len() + 1] = 0xE9;
        assert!(halves(&latin, from).is_none());
        let mut latin = bytes.to_vec();
        latin[at + 1] = 0xE9;
        assert!(halves(&latin, from).unwrap().1.is_err());
        let no_sku = text.replacen("SKU", "Remark", 1);
        assert!(halves(no_sku.as_bytes(), from).is_none());
        let quoted =
            format!("{HEADER}O1,2024-01-01,\"S\n{}\",1,C1\n{}", "x\n".repeat(100), rows(50));
        assert!(halves(quoted.as_bytes(), HEADER.len() as u64 + 40).is_none());
        assert!(halves(quoted.as_bytes(), HEADER.len() as u64 + 300).is_some());
    }

    #[test]
    fn second_halves_cut_short_or_changed_are_refused_without_a_panic() {
        let text = format!("{HEADER}{}O1,2024-01-02,S1,1,C1\n", rows(2_000));
        let bytes = text.as_bytes();
        let from = bytes.len() as u64 / 2;
        let read = || halves(bytes, from).unwrap();
        let (first, second) = read();
        let sent = second.unwrap().send(&first.hashes());
        let options = LoadOptions::default();
        // Cut short anywhere: refused.
        for len in (0..sent.len()).step_by(97) {
            assert!(
                read().0.finish(sent[..len].to_vec(), &options, &mut |_| {}).is_none(),
                "{len}"
            );
        }
        // Any byte changed: refused or read, never a panic.
        for at in (0..sent.len()).step_by(389) {
            let mut changed = sent.clone();
            changed[at] ^= 0xA5;
            let _ = read().0.finish(changed, &options, &mut |_| {});
        }
        let whole = first.finish(sent, &options, &mut |_| {}).unwrap().unwrap();
        assert_eq!(whole.table.lines.len(), 2_001);
        // The last line repeats line 3 (the second row), across the cut.
        assert_eq!(whole.report.count(crate::quality::Rule::DuplicateLine), 1);
    }
}
