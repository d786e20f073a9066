//! A big orders file read in two halves by two browser workers, which have
//! no threads to share (issue #7): the engine worker reads the first half,
//! a second worker the rest, side by side, and the engine appends the
//! second half's rows as [`super::parse_in_parts`] appends a part's. The
//! result is the one pass's, bit for bit.
//!
//! 1. The engine reads the file's first [`halves_prefix`] bytes and plans
//!    the cut ([`plan_halves`]): the first record start after the middle
//!    that the parts' reading could cut at, with the header the second
//!    half is read under. A file that is not plain UTF-8 at its start, or
//!    whose header the mapping refuses, is read whole (which says why).
//! 2. The second worker reads the file from the cut
//!    ([`SecondHalf::read`]) while the engine reads the rows before it
//!    ([`FirstHalf::read`]). Each half holds only its own text.
//! 3. Duplicate lines across the cut: the engine sends the hashes of its
//!    rows ([`FirstHalf::hashes`]); the second half's rows with one of
//!    those hashes come back with their fields, and the engine compares
//!    them with its first row of that hash ([`FirstHalf::finish`]), as
//!    [`super::duplicates`] compares the rows of a later part.
//! 4. The second half's rows travel as bytes ([`super::wire`]); bytes that
//!    do not read back, or a second half that is not UTF-8, mean the file
//!    is read whole.

use super::wire::{self, Candidate, Sent};
use super::{duplicates, duplicates_by, finish, Part, Rows};
use crate::ingest::sheet::{record_fields, record_is, same_records, Counts, Head, Sheet, SheetEnd};
use crate::ingest::text::{self, Decoded};
use crate::ingest::{FileKind, IngestError, LoadOptions, OrderTable, Overrides, Parsed};
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Files smaller than this are read whole, by one worker.
pub const HALVES_FROM_BYTES: u64 = 8 << 20;

/// How far past the middle the cut may fall: the first worker reads this
/// much more than half of the file before it plans.
const WINDOW: u64 = 1 << 20;

/// Where the second half of an orders file starts and what reading it
/// needs; sent to the second worker as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HalfPlan {
    /// The file's name.
    pub name: String,
    /// Where the second half starts, in bytes from the start of the file.
    pub start: u64,
    head: Head,
}

/// How many bytes of a file of `size` bytes to read for [`plan_halves`];
/// `None` for a file read whole.
pub fn halves_prefix(size: u64) -> Option<u64> {
    (size >= HALVES_FROM_BYTES).then(|| (size / 2 + WINDOW).min(size))
}

/// The plan for reading an orders file of `size` bytes, whose first bytes
/// are `prefix` (see [`halves_prefix`]), in two halves; `None` when it is
/// read whole.
pub fn plan_halves(
    name: &str,
    prefix: &[u8],
    size: u64,
    overrides: &Overrides,
) -> Option<HalfPlan> {
    halves_prefix(size)?;
    plan_at(name, prefix, size / 2, overrides)
}

/// [`plan_halves`] with the cut after file byte `middle`, for any size.
pub(super) fn plan_at(
    name: &str,
    prefix: &[u8],
    middle: u64,
    overrides: &Overrides,
) -> Option<HalfPlan> {
    // Whole lines only: a character may be cut at the prefix's end.
    let lines = prefix.get(..memchr::memrchr(b'\n', prefix)? + 1)?;
    let decoded = text::decode(lines).ok()?;
    if !matches!(decoded.text, Cow::Borrowed(_)) || !decoded.notes.is_empty() {
        return None;
    }
    let mut report = DqReport::default();
    let sheet = Sheet::open(name, FileKind::Orders, &decoded, overrides, &mut report).ok()?;
    let body = offset(lines, sheet.body())?;
    let target = usize::try_from(middle).ok()?.checked_sub(body)?;
    let (cut, head) = sheet.cut_after(target)?;
    Some(HalfPlan { name: name.to_owned(), start: (body + cut) as u64, head })
}

/// Where `inner`, a slice of `outer`, starts in it.
fn offset(outer: &[u8], inner: &str) -> Option<usize> {
    (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize).filter(|&at| at <= outer.len())
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
    /// Reads the rows of `bytes`, the file's from [`HalfPlan::start`] on.
    ///
    /// # Errors
    /// When the bytes are not UTF-8: the file is then read whole.
    pub fn read(plan: &HalfPlan, bytes: Vec<u8>) -> Result<SecondHalf, String> {
        let text = String::from_utf8(bytes).map_err(|e| {
            format!("the second half is not UTF-8 from byte {}", e.utf8_error().valid_up_to())
        })?;
        let sheet = Sheet::rest(&plan.name, FileKind::Orders, &text, &plan.head);
        let part = Part::read(sheet, &mut |_| {}, 0);
        let counts = part.sheet.counts();
        let rows = part.rows;
        Ok(SecondHalf { delimiter: plan.head.delimiter(), rows, counts, text })
    }

    /// The rows as bytes for [`FirstHalf::finish`], with those whose hash
    /// `first` holds (the first half's, [`FirstHalf::hashes`]).
    pub fn send(self, first: &[u8]) -> Vec<u8> {
        let first: Vec<u64> =
            first.chunks_exact(8).map(|c| c.try_into().map_or(0, u64::from_le_bytes)).collect();
        let (text, delimiter) = (self.text.as_str(), self.delimiter);
        let skip = self.rows.columns.row_id;
        let mut candidates = Vec::new();
        let found = duplicates_by(
            &self.rows,
            |a, b| same_records(text, delimiter, a, b, skip),
            |hash| first.binary_search(&hash).is_ok().then_some(hash),
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
    rows: Rows,
}

impl FirstHalf {
    /// Reads the rows before [`HalfPlan::start`]: `bytes` are the file's
    /// first `plan.start` bytes, `size` the file's size (the columns are
    /// sized for the whole file's rows, so that appending the second half
    /// does not move them).
    ///
    /// # Errors
    /// As [`crate::ingest::parse_orders`] (the header is read as
    /// [`plan_halves`] read it, so these are for a file changed since).
    pub fn read(
        bytes: Vec<u8>,
        plan: &HalfPlan,
        size: u64,
        overrides: &Overrides,
        progress: &mut dyn FnMut(f64),
    ) -> Result<FirstHalf, IngestError> {
        let name = plan.name.as_str();
        let text = String::from_utf8(bytes)
            .map_err(|_| crate::ingest::sheet::unreadable(name, 1, "not UTF-8"))?;
        // The prefix was checked as text by `plan_halves`.
        let after_bom = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let decoded =
            Decoded { text: Cow::Borrowed(after_bom), encoding: "UTF-8", notes: Vec::new() };
        let mut report = DqReport::default();
        let sheet = Sheet::open(name, FileKind::Orders, &decoded, overrides, &mut report)?;
        let body = offset(text.as_bytes(), sheet.body()).unwrap_or(0);
        let delimiter = sheet.delimiter;
        // The second half's rows, at the first half's bytes per row.
        let share = size.saturating_sub(plan.start) as f64 / plan.start.max(1) as f64;
        let more = (sheet.rows_ahead() as f64 * share * 1.05) as usize;
        let mut part = Part::read(sheet, progress, more);
        let found = duplicates(std::slice::from_ref(&part), 0);
        part.rows.flag_duplicates(name, found);
        let sheet = part.sheet.end();
        Ok(FirstHalf { body, report, sheet, delimiter, rows: part.rows, text })
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
        let body = self.text.get(self.body..).unwrap_or_default();
        let skip = self.rows.columns.row_id;
        for c in candidates {
            let Some(first) = self.rows.first_with(c.hash) else { continue };
            if record_is(body, self.delimiter, first.byte, &c.fields, skip) {
                found.push((c.line, first.line));
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

    #[test]
    fn big_utf8_files_are_cut_after_the_middle_and_others_read_whole() {
        let text = format!("{HEADER}{}", rows(330_000));
        let size = text.len() as u64;
        assert!(size >= HALVES_FROM_BYTES, "{size}");
        let prefix = halves_prefix(size).unwrap();
        let bytes = text.as_bytes();
        let plan =
            plan_halves("o.csv", &bytes[..prefix as usize], size, &Overrides::new()).unwrap();
        // The first record start after the middle.
        let start = plan.start as usize;
        assert!(start > bytes.len() / 2 && bytes[start - 1] == b'\n', "{start}");
        assert!(!bytes[bytes.len() / 2..start - 1].contains(&b'\n'));
        // The line numbers of the second half go on from the first's.
        let lines_before = bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
        let sent = SecondHalf::read(&plan, bytes[start..].to_vec()).unwrap().send(&[]);
        let sent = wire::read(&sent, |_| None).unwrap();
        assert_eq!(sent.rows.lines.line.first(), Some(&(lines_before as u32 + 1)));

        // Small, or not UTF-8 at the start, or no header to map: read whole.
        assert_eq!(halves_prefix(HALVES_FROM_BYTES - 1), None);
        let small = format!("{HEADER}{}", rows(10));
        assert_eq!(
            plan_halves("o.csv", small.as_bytes(), small.len() as u64, &Overrides::new()),
            None
        );
        let mut latin = bytes[..prefix as usize].to_vec();
        latin[HEADER.len() + 1] = 0xE9;
        assert_eq!(plan_halves("o.csv", &latin, size, &Overrides::new()), None);
        let no_sku = text.replacen("SKU", "Remark", 1);
        assert_eq!(plan_halves("o.csv", no_sku.as_bytes(), size, &Overrides::new()), None);
        // A second half that is not UTF-8 is refused, and read whole.
        let mut bad = bytes[start..].to_vec();
        bad[10] = 0xFF;
        assert!(SecondHalf::read(&plan, bad).is_err());
    }

    #[test]
    fn second_halves_cut_short_or_changed_are_refused_without_a_panic() {
        let text = format!("{HEADER}{}O1,2024-01-02,S1,1,C1\n", rows(2_000));
        let bytes = text.as_bytes();
        let plan = plan_at("o.csv", bytes, bytes.len() as u64 / 2, &Overrides::new()).unwrap();
        let (first, second) = bytes.split_at(plan.start as usize);
        let read = || {
            FirstHalf::read(
                first.to_vec(),
                &plan,
                bytes.len() as u64,
                &Overrides::new(),
                &mut |_| {},
            )
        };
        let sent =
            SecondHalf::read(&plan, second.to_vec()).unwrap().send(&read().unwrap().hashes());
        let options = LoadOptions::default();
        // Cut short anywhere: refused.
        for len in (0..sent.len()).step_by(97) {
            assert!(
                read().unwrap().finish(sent[..len].to_vec(), &options, &mut |_| {}).is_none(),
                "{len}"
            );
        }
        // Any byte changed: refused or read, never a panic.
        for at in (0..sent.len()).step_by(389) {
            let mut changed = sent.clone();
            changed[at] ^= 0xA5;
            let _ = read().unwrap().finish(changed, &options, &mut |_| {});
        }
        let whole = read().unwrap().finish(sent, &options, &mut |_| {}).unwrap().unwrap();
        assert_eq!(whole.table.lines.len(), 2_001);
        // The last line repeats line 2, across the cut.
        assert_eq!(whole.report.count(crate::quality::Rule::DuplicateLine), 1);
    }
}
