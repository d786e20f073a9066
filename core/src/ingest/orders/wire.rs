//! A part's rows as bytes, to travel from the worker that read them to the
//! one that appends them ([`super::halves`]): each column as its values'
//! little-endian bytes, code tables as their names, the findings as JSON.
//! Copying columns costs a fraction of what reading them did; a format
//! that wrote each value as text (the views' JSON) would cost about as
//! much as the reading saved (issue #7).
//!
//! Read back by the build that wrote it (both workers load the same
//! module), so there is no versioning; still, every length is checked and
//! bad bytes are an error, never a panic.

use super::{Hashed, OptDate, OptNumber, OptText, Rows};
use crate::date::Date;
use crate::ingest::dates::DateColumn;
use crate::ingest::intern::Names;
use crate::ingest::number::NumberColumn;
use crate::ingest::sheet::Counts;
use crate::quality::DqReport;

/// The first bytes of a part.
const MAGIC: &[u8; 8] = b"SSPART02";

/// What a part sends: where it starts in the file, its rows (their hashes
/// with them) and its sheet's counts.
pub(super) struct Sent<T> {
    pub from: u64,
    pub rows: Rows<T>,
    pub counts: Counts,
}

/// Writes `sent` as bytes.
pub(super) fn write<T: AsRef<Names>>(sent: &Sent<T>) -> Vec<u8> {
    let rows = &sent.rows;
    let lines = &rows.lines;
    let n = lines.len();
    // About the size: 8 bytes a value for most columns.
    let mut w = Writer { out: Vec::with_capacity(64 * n + (1 << 16)) };
    w.out.extend_from_slice(MAGIC);
    w.u64(sent.from);
    let (kept, blank, trailing) = sent.counts;
    w.u64(kept as u64);
    w.u64(blank);
    w.u64(trailing);
    w.text(&serde_json::to_string(&rows.report).unwrap_or_default());
    w.names(rows.orders.as_ref());
    w.names(rows.skus.as_ref());
    w.names(rows.customers.as_ref());
    w.u32s(&lines.line);
    w.u32s(&lines.order);
    w.dates(&lines.date);
    w.u32s(&lines.sku);
    w.u32s(&lines.customer);
    w.f64s(&lines.quantity);
    w.bools(&lines.promo);
    w.date_reader(&rows.date_reader);
    w.number_reader(&rows.qty_reader);
    for number in &rows.numbers {
        w.number_reader(&number.reader);
        w.f64s(&number.values);
    }
    for text in &rows.texts {
        w.names(text.codes.as_ref());
        w.u32s(&text.values);
    }
    for date in &rows.optional_dates {
        w.date_reader(&date.reader);
        let present: Vec<bool> = date.values.iter().map(Option::is_some).collect();
        let days: Vec<Date> = date.values.iter().map(|d| d.unwrap_or(Date(0))).collect();
        w.bools(&present);
        w.dates(&days);
    }
    let hashed = &rows.hashed;
    w.plain(&hashed.iter().map(|h| h.hash).collect::<Vec<u64>>());
    w.plain(&hashed.iter().map(|h| h.line).collect::<Vec<u64>>());
    w.plain(&hashed.iter().map(|h| h.byte).collect::<Vec<u64>>());
    w.out
}

/// Reads what [`write`] wrote, for a file whose fields are in `columns`
/// (the part's own columns travel with the sheet's mapping, not here).
pub(super) fn read(
    bytes: &[u8],
    columns: impl Fn(&str) -> Option<usize>,
) -> Result<Sent<Names>, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err("not a part of an orders file".into());
    }
    let from = r.u64()?;
    let counts = (r.len()?, r.u64()?, r.u64()?);
    let mut rows: Rows<Names> = Rows::empty(columns);
    rows.report = serde_json::from_str::<DqReport>(&r.text()?).map_err(|e| e.to_string())?;
    rows.orders = r.names()?;
    rows.skus = r.names()?;
    rows.customers = r.names()?;
    let lines = &mut rows.lines;
    lines.line = r.u32s()?;
    lines.order = r.u32s()?;
    lines.date = r.dates()?;
    lines.sku = r.u32s()?;
    lines.customer = r.u32s()?;
    lines.quantity = r.f64s()?;
    lines.promo = r.bools()?;
    rows.date_reader = r.date_reader()?;
    rows.qty_reader = r.number_reader()?;
    for OptNumber { reader, values, .. } in &mut rows.numbers {
        *reader = r.number_reader()?;
        *values = r.f64s()?;
    }
    for OptText { codes, values, .. } in &mut rows.texts {
        *codes = r.names()?;
        *values = r.u32s()?;
    }
    for OptDate { reader, values, .. } in &mut rows.optional_dates {
        *reader = r.date_reader()?;
        let present = r.bools()?;
        let days = r.dates()?;
        if present.len() != days.len() {
            return Err("an optional date column is cut short".into());
        }
        *values = present.into_iter().zip(days).map(|(p, d)| p.then_some(d)).collect();
    }
    let (hash, line, byte) = (r.plain::<u64>()?, r.plain::<u64>()?, r.plain::<u64>()?);
    if hash.len() != rows.lines.line.len() || line.len() != hash.len() || byte.len() != hash.len() {
        return Err("the part's row hashes are cut short".into());
    }
    rows.hashed = hash
        .into_iter()
        .zip(line)
        .zip(byte)
        .map(|((hash, line), byte)| Hashed { hash, line, byte })
        .collect();
    check_lengths(&rows)?;
    if r.at != bytes.len() {
        return Err("bytes left over after the part".into());
    }
    Ok(Sent { from, rows, counts })
}

/// Every column of `rows` as long as the line numbers, or empty where the
/// file has no such column; every code number within its table.
fn check_lengths(rows: &Rows<Names>) -> Result<(), String> {
    let n = rows.lines.line.len();
    let l = &rows.lines;
    let required = [l.order.len(), l.date.len(), l.sku.len(), l.customer.len(), l.quantity.len()];
    let optional = [l.promo.len()]
        .into_iter()
        .chain(rows.numbers.iter().map(|c| c.values.len()))
        .chain(rows.texts.iter().map(|c| c.values.len()))
        .chain(rows.optional_dates.iter().map(|c| c.values.len()));
    if required.iter().any(|&len| len != n) || optional.into_iter().any(|len| len != 0 && len != n)
    {
        return Err("the part's columns differ in length".into());
    }
    let within = |ids: &[u32], names: &Names| ids.iter().all(|&id| (id as usize) < names.len());
    if !within(&l.order, &rows.orders)
        || !within(&l.sku, &rows.skus)
        || !within(&l.customer, &rows.customers)
    {
        return Err("a code number is outside its table".into());
    }
    Ok(())
}

/// Appends values as little-endian bytes, each list after its length.
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.u64(text.len() as u64);
        self.out.extend_from_slice(text.as_bytes());
    }

    fn opt_text(&mut self, text: &Option<String>) {
        match text {
            Some(text) => {
                self.out.push(1);
                self.text(text);
            }
            None => self.out.push(0),
        }
    }

    /// `values` after their count, as their little-endian bytes.
    fn plain<T: Plain>(&mut self, values: &[T]) {
        self.u64(values.len() as u64);
        if cfg!(target_endian = "little") {
            // SAFETY: `Plain` values have no padding, so every byte of the
            // slice is initialised; on a little-endian machine they are the
            // values' little-endian bytes.
            let bytes = unsafe {
                std::slice::from_raw_parts(values.as_ptr().cast::<u8>(), size_of_val(values))
            };
            self.out.extend_from_slice(bytes);
        } else {
            values.iter().for_each(|v| v.write_le(&mut self.out));
        }
    }

    fn u32s(&mut self, values: &[u32]) {
        self.plain(values);
    }

    fn dates(&mut self, values: &[Date]) {
        self.plain(values);
    }

    fn f64s(&mut self, values: &[f64]) {
        self.plain(values);
    }

    fn bools(&mut self, values: &[bool]) {
        self.u64(values.len() as u64);
        self.out.extend(values.iter().map(|&b| u8::from(b)));
    }

    fn names(&mut self, names: &Names) {
        let (text, ends) = names.parts();
        self.text(text);
        self.u64(ends.len() as u64);
        ends.iter().for_each(|&end| self.u64(end as u64));
    }

    fn number_reader(&mut self, c: &NumberColumn) {
        self.u64(c.dot);
        self.u64(c.comma);
        let (rows, values): (Vec<u32>, Vec<f64>) = c.ambiguous.iter().copied().unzip();
        self.u32s(&rows);
        self.f64s(&values);
        self.opt_text(&c.example);
    }

    fn date_reader(&mut self, c: &DateColumn) {
        self.u64(c.day_first);
        self.u64(c.month_first);
        self.u64(c.day_month);
        let (rows, days): (Vec<u32>, Vec<Date>) = c.ambiguous.iter().copied().unzip();
        self.u32s(&rows);
        self.dates(&days);
        c.examples.iter().for_each(|e| self.opt_text(e));
    }
}

/// Reads what a [`Writer`] wrote, checking every length.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let taken = end.and_then(|end| self.bytes.get(self.at..end));
        let taken = taken.ok_or_else(|| format!("the part ends early, at byte {}", self.at))?;
        self.at += n;
        Ok(taken)
    }

    fn word<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let bytes = self.take(N)?;
        <[u8; N]>::try_from(bytes).map_err(|e| e.to_string())
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.word()?))
    }

    fn len(&mut self) -> Result<usize, String> {
        usize::try_from(self.u64()?).map_err(|e| e.to_string())
    }

    /// The bytes of `n` values of `size` bytes each.
    fn values(&mut self, size: usize) -> Result<&'a [u8], String> {
        let n = self.len()?;
        self.take(n.checked_mul(size).ok_or("a list too long")?)
    }

    fn text(&mut self) -> Result<String, String> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
    }

    fn opt_text(&mut self) -> Result<Option<String>, String> {
        match self.take(1)? {
            [0] => Ok(None),
            _ => self.text().map(Some),
        }
    }

    /// Values written by [`Writer::plain`].
    fn plain<T: Plain>(&mut self) -> Result<Vec<T>, String> {
        let bytes = self.values(size_of::<T>())?;
        let n = bytes.len() / size_of::<T>();
        if cfg!(target_endian = "little") {
            let mut values: Vec<T> = Vec::with_capacity(n);
            // SAFETY: the room for `n` values is filled with `n` values'
            // bytes, and every bit pattern is a `Plain` value; on a
            // little-endian machine the bytes are the values as they lie in
            // memory.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    values.as_mut_ptr().cast::<u8>(),
                    bytes.len(),
                );
                values.set_len(n);
            }
            Ok(values)
        } else {
            Ok(bytes.chunks_exact(size_of::<T>()).map(T::read_le).collect())
        }
    }

    fn u32s(&mut self) -> Result<Vec<u32>, String> {
        self.plain()
    }

    fn dates(&mut self) -> Result<Vec<Date>, String> {
        self.plain()
    }

    fn f64s(&mut self) -> Result<Vec<f64>, String> {
        self.plain()
    }

    fn bools(&mut self) -> Result<Vec<bool>, String> {
        Ok(self.values(1)?.iter().map(|&b| b != 0).collect())
    }

    fn names(&mut self) -> Result<Names, String> {
        let text = self.text()?;
        let ends = (0..self.len()?).map(|_| self.len()).collect::<Result<_, String>>()?;
        Names::from_parts(text, ends).ok_or_else(|| "a code table's names are cut wrong".into())
    }

    fn number_reader(&mut self) -> Result<NumberColumn, String> {
        let (dot, comma) = (self.u64()?, self.u64()?);
        let rows = self.u32s()?;
        let values = self.f64s()?;
        if rows.len() != values.len() {
            return Err("a number column's evidence is cut short".into());
        }
        let ambiguous = rows.into_iter().zip(values).collect();
        Ok(NumberColumn { dot, comma, ambiguous, example: self.opt_text()? })
    }

    fn date_reader(&mut self) -> Result<DateColumn, String> {
        let mut c = DateColumn::default();
        (c.day_first, c.month_first, c.day_month) = (self.u64()?, self.u64()?, self.u64()?);
        let rows = self.u32s()?;
        let days = self.dates()?;
        if rows.len() != days.len() {
            return Err("a date column's evidence is cut short".into());
        }
        c.ambiguous = rows.into_iter().zip(days).collect();
        for example in &mut c.examples {
            *example = self.opt_text()?;
        }
        Ok(c)
    }
}

/// Numbers copied as blocks of bytes ([`Writer::plain`]).
///
/// # Safety
/// Only for types without padding whose every bit pattern is a value, laid
/// out in memory as their `to_le_bytes` on a little-endian machine.
unsafe trait Plain: Copy {
    fn write_le(&self, out: &mut Vec<u8>);
    /// From exactly `size_of::<Self>()` bytes.
    fn read_le(bytes: &[u8]) -> Self;
}

// SAFETY: a 4-byte integer.
unsafe impl Plain for u32 {
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> u32 {
        bytes.try_into().map_or(0, u32::from_le_bytes)
    }
}

// SAFETY: an 8-byte integer.
unsafe impl Plain for u64 {
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> u64 {
        bytes.try_into().map_or(0, u64::from_le_bytes)
    }
}

// SAFETY: an 8-byte float, any bits a value (NaNs included).
unsafe impl Plain for f64 {
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> f64 {
        bytes.try_into().map_or(0.0, f64::from_le_bytes)
    }
}

// SAFETY: `Date` is `repr(transparent)` over an `i32`.
unsafe impl Plain for Date {
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> Date {
        Date(bytes.try_into().map_or(0, i32::from_le_bytes))
    }
}
