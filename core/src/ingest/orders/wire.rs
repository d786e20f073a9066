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

use super::{Hashed, Rows};
use crate::dataset::TextColumn;
use crate::date::Date;
use crate::ingest::dates::DateColumn;
use crate::ingest::intern::Names;
use crate::ingest::number::NumberColumn;
use crate::ingest::sheet::Counts;
use crate::quality::DqReport;
use std::mem::MaybeUninit;

/// The first bytes of a part.
const MAGIC: &[u8; 8] = b"SSPART02";

/// What a part sends: where it starts in the file, its rows (their hashes
/// with them) and its sheet's counts.
pub(super) struct Sent<T> {
    pub from: u64,
    pub rows: Rows<T>,
    pub counts: Counts,
}

/// The pieces a part's rows travel in, one after another
/// ([`Pieces::next`]): first the head — where the part starts, its counts,
/// findings and code tables, the number and date readers' evidence — then
/// each column on its own. The worker that appends them takes one column
/// at a time into columns made for the whole file ([`Joining`]), so that
/// neither worker holds a second copy of the rows (issue #7's memory).
pub(super) struct Pieces<T> {
    sent: Sent<T>,
    next: usize,
}

impl<T: AsRef<Names>> Pieces<T> {
    pub fn new(sent: Sent<T>) -> Pieces<T> {
        Pieces { sent, next: 0 }
    }

    /// The next piece; `None` after the last.
    pub fn next(&mut self) -> Option<Piece<'_>> {
        let piece = self.next;
        self.next += 1;
        let rows = &self.sent.rows;
        let mut w = Writer { out: Vec::new() };
        if piece == 0 {
            write_head(&self.sent, &mut w);
            return Some(Piece { written: w.out, values: &[] });
        }
        let lines = &rows.lines;
        match column_of(rows, piece)? {
            Column::Line => return Some(Piece::plain(&lines.line)),
            Column::Order => return Some(Piece::plain(&lines.order)),
            Column::Date => return Some(Piece::plain(&lines.date)),
            Column::Sku => return Some(Piece::plain(&lines.sku)),
            Column::Customer => return Some(Piece::plain(&lines.customer)),
            Column::Quantity => return Some(Piece::plain(&lines.quantity)),
            Column::Number(i) => return Some(Piece::plain(&rows.numbers.get(i)?.values)),
            Column::Text(i) => return Some(Piece::plain(&rows.texts.get(i)?.values)),
            Column::Promo => w.bools(&lines.promo),
            Column::OptionalDate(i) => {
                let values = &rows.optional_dates.get(i)?.values;
                let present: Vec<bool> = values.iter().map(Option::is_some).collect();
                let days: Vec<Date> = values.iter().map(|d| d.unwrap_or(Date(0))).collect();
                w.bools(&present);
                w.dates(&days);
            }
            Column::Hash => w.plain(&rows.hashed.iter().map(|h| h.hash).collect::<Vec<u64>>()),
            Column::HashLine => w.plain(&rows.hashed.iter().map(|h| h.line).collect::<Vec<u64>>()),
            Column::HashByte => w.plain(&rows.hashed.iter().map(|h| h.byte).collect::<Vec<u64>>()),
        }
        Some(Piece { written: w.out, values: &[] })
    }
}

/// A piece's bytes: those written for it, then those of the column it
/// lends as they lie (a column of plain values: its count written, its
/// values lent), so that a piece is copied once on its way out, into
/// whatever carries it (issue #7).
pub struct Piece<'a> {
    written: Vec<u8>,
    values: &'a [u8],
}

impl<'a> Piece<'a> {
    /// The piece of a column of plain values: their count, then their bytes.
    fn plain<T: Plain>(values: &'a [T]) -> Piece<'a> {
        let mut w = Writer { out: Vec::new() };
        if cfg!(target_endian = "little") {
            w.u64(values.len() as u64);
            Piece { written: w.out, values: plain_bytes(values) }
        } else {
            w.plain(values);
            Piece { written: w.out, values: &[] }
        }
    }

    /// How many bytes the piece has.
    pub fn len(&self) -> usize {
        self.written.len() + self.values.len()
    }

    /// Whether it has none (no piece is empty).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its bytes, in two parts to be put one after the other.
    pub fn parts(&self) -> [&[u8]; 2] {
        [&self.written, self.values]
    }

    /// Its bytes in one vector.
    pub fn into_vec(self) -> Vec<u8> {
        let mut bytes = self.written;
        bytes.extend_from_slice(self.values);
        bytes
    }
}

/// The bytes of plain values as they lie in memory.
fn plain_bytes<T: Plain>(values: &[T]) -> &[u8] {
    // SAFETY: `Plain` values have no padding, so every byte of the slice
    // is initialised.
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<u8>(), size_of_val(values)) }
}

/// A piece's bytes wherever they lie (in a buffer another thread sent):
/// how many, and a copy of any stretch of them. A column's bytes are
/// copied from there straight into the room at the column's end.
///
/// # Safety
/// [`PieceBytes::copy_into`] initialises every byte of `to`.
pub unsafe trait PieceBytes {
    /// How many bytes there are.
    fn len(&self) -> usize;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies the bytes from `from` on into the whole of `to`, which the
    /// caller keeps within the piece (`from + to.len() <= len`).
    fn copy_into(&self, from: usize, to: &mut [MaybeUninit<u8>]);
}

// SAFETY: every byte of `to` is written, zeros past the end.
unsafe impl PieceBytes for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn copy_into(&self, from: usize, to: &mut [MaybeUninit<u8>]) {
        let source = self.get(from..).unwrap_or_default();
        let n = to.len().min(source.len());
        // SAFETY: `n` bytes of `source` into the first `n` of `to`, which
        // do not overlap (`to` is uninitialised room).
        unsafe { std::ptr::copy_nonoverlapping(source.as_ptr(), to.as_mut_ptr().cast::<u8>(), n) };
        to.get_mut(n..).unwrap_or_default().fill(MaybeUninit::new(0));
    }
}

// SAFETY: as the slice's.
unsafe impl PieceBytes for Vec<u8> {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn copy_into(&self, from: usize, to: &mut [MaybeUninit<u8>]) {
        self.as_slice().copy_into(from, to);
    }
}

/// Appends the `n` values of `piece`, a column of plain values (their
/// count, then their bytes), to `to`, copied straight into its room; then
/// `fix` on each value appended, which may change it, and one `false`
/// refuses the piece.
fn append_from<T: Plain>(
    piece: &dyn PieceBytes,
    n: usize,
    to: &mut Vec<T>,
    fix: impl FnMut(&mut T) -> bool,
) -> Result<(), String> {
    const COUNT: usize = size_of::<u64>();
    // Checked: a head's count times 8 overflows 32 bits in WebAssembly.
    let size = n.checked_mul(size_of::<T>()).and_then(|size| size.checked_add(COUNT));
    if size != Some(piece.len()) || !cfg!(target_endian = "little") {
        let bytes = read_bytes(piece, 0, piece.len());
        return Reader { bytes: &bytes, at: 0 }.append_then(n, to, fix);
    }
    let count = read_bytes(piece, 0, COUNT);
    if (Reader { bytes: &count, at: 0 }).len()? != n {
        return Err("a column differs in length".into());
    }
    let start = to.len();
    to.reserve(n);
    let room = to.spare_capacity_mut().get_mut(..n).ok_or("no room for the column")?;
    // SAFETY: room for `n` values seen as its bytes (`MaybeUninit` has no
    // validity to keep); `copy_into` initialises all of them, and every bit
    // pattern is a `Plain` value, laid out as its little-endian bytes here.
    unsafe {
        let bytes = std::slice::from_raw_parts_mut(
            room.as_mut_ptr().cast::<MaybeUninit<u8>>(),
            size_of_val(room),
        );
        piece.copy_into(COUNT, bytes);
        to.set_len(start + n);
    }
    let appended = to.get_mut(start..).unwrap_or_default();
    if appended.iter_mut().all(fix) {
        Ok(())
    } else {
        Err("a value out of its range".into())
    }
}

/// Bytes `from..from + n` of `piece` (the caller keeps them within it).
pub(super) fn read_bytes(piece: &dyn PieceBytes, from: usize, n: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(n);
    piece.copy_into(from, bytes.spare_capacity_mut().get_mut(..n).unwrap_or_default());
    // SAFETY: `copy_into` initialised the first `n` bytes of the room.
    unsafe { bytes.set_len(n) };
    bytes
}

/// A column of [`Rows`], as its piece travels.
#[derive(Clone, Copy)]
enum Column {
    Line,
    Order,
    Date,
    Sku,
    Customer,
    Quantity,
    Promo,
    Number(usize),
    Text(usize),
    OptionalDate(usize),
    /// The row hashes' hashes, lines and byte offsets.
    Hash,
    HashLine,
    HashByte,
}

/// The column piece `piece` (from 1, after the head) holds, for rows with
/// the columns of `rows`; `None` past the last.
fn column_of<T>(rows: &Rows<T>, piece: usize) -> Option<Column> {
    const FIXED: [Column; 7] = [
        Column::Line,
        Column::Order,
        Column::Date,
        Column::Sku,
        Column::Customer,
        Column::Quantity,
        Column::Promo,
    ];
    let i = piece.checked_sub(1)?;
    if let Some(&c) = FIXED.get(i) {
        return Some(c);
    }
    let i = i - FIXED.len();
    let (numbers, texts, dates) = (rows.numbers.len(), rows.texts.len(), rows.optional_dates.len());
    Some(match i {
        i if i < numbers => Column::Number(i),
        i if i < numbers + texts => Column::Text(i - numbers),
        i if i < numbers + texts + dates => Column::OptionalDate(i - numbers - texts),
        i if i == numbers + texts + dates => Column::Hash,
        i if i == numbers + texts + dates + 1 => Column::HashLine,
        i if i == numbers + texts + dates + 2 => Column::HashByte,
        _ => return None,
    })
}

fn write_head<T: AsRef<Names>>(sent: &Sent<T>, w: &mut Writer) {
    let rows = &sent.rows;
    w.out.extend_from_slice(MAGIC);
    w.u64(sent.from);
    let (kept, blank, trailing) = sent.counts;
    w.u64(kept as u64);
    w.u64(blank);
    w.u64(trailing);
    w.u64(rows.lines.len() as u64);
    w.text(&serde_json::to_string(&rows.report).unwrap_or_default());
    w.names(rows.orders.as_ref());
    w.names(rows.skus.as_ref());
    w.names(rows.customers.as_ref());
    rows.texts.iter().for_each(|text| w.names(text.codes.as_ref()));
    w.date_reader(&rows.date_reader);
    w.number_reader(&rows.qty_reader);
    rows.numbers.iter().for_each(|number| w.number_reader(&number.reader));
    rows.optional_dates.iter().for_each(|date| w.date_reader(&date.reader));
}

/// A part's rows being appended to the rows before it a piece at a time
/// ([`Joining::head`], then [`Joining::column`] for each column piece), as
/// [`Rows::append`] appends a part read here.
pub(super) struct Joining {
    /// The next piece.
    next: usize,
    /// The rows before the part's, and the part's.
    before: usize,
    rows: usize,
    /// The LFs of the body before the part: its lines, counted from its
    /// start, follow them.
    shift: u64,
    pub counts: Counts,
    /// The part's code tables: orders, SKUs, customers, then each optional
    /// text column's. Its code numbers are appended as they are, and made
    /// the rows' once every piece is in ([`Joining::complete`]): the rows'
    /// tables grow then, after the worker that sent them has ended.
    tables: Vec<Names>,
}

impl Joining {
    /// Reads `bytes`, the head piece of the part that starts at file byte
    /// `at`, whose body has `shift` LFs before it, and appends its code
    /// tables, readers' evidence and findings to `rows`.
    ///
    /// # Errors
    /// When the head does not read back or the part starts elsewhere:
    /// `rows` is then as it was.
    pub fn head(bytes: &[u8], at: u64, shift: u64, rows: &mut Rows) -> Result<Joining, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a part of an orders file".into());
        }
        if r.u64()? != at {
            return Err("the part starts elsewhere".into());
        }
        let counts = (r.len()?, r.u64()?, r.u64()?);
        let n = r.len()?;
        let mut report = serde_json::from_str::<DqReport>(&r.text()?).map_err(|e| e.to_string())?;
        for finding in &mut report.findings {
            for example in finding.examples.iter_mut().filter(|e| e.line > 0) {
                example.line = example.line.checked_add(shift).ok_or("a line past the range")?;
            }
        }
        let tables = (0..3 + rows.texts.len()).map(|_| r.names()).collect::<Result<Vec<_>, _>>()?;
        let date_reader = r.date_reader()?;
        let qty_reader = r.number_reader()?;
        let numbers =
            rows.numbers.iter().map(|_| r.number_reader()).collect::<Result<Vec<_>, _>>()?;
        let dates =
            rows.optional_dates.iter().map(|_| r.date_reader()).collect::<Result<Vec<_>, _>>()?;
        r.end()?;
        let before = rows.lines.len();
        let base = u32::try_from(before).map_err(|e| e.to_string())?;
        u32::try_from(before + n).map_err(|e| e.to_string())?;
        // Read back whole: now appended, in `Rows::append`'s order.
        rows.date_reader.append(date_reader, base);
        rows.qty_reader.append(qty_reader, base);
        for (mine, theirs) in rows.numbers.iter_mut().zip(numbers) {
            mine.reader.append(theirs, base);
        }
        for (mine, theirs) in rows.optional_dates.iter_mut().zip(dates) {
            mine.reader.append(theirs, base);
        }
        rows.report.merge(report);
        Ok(Joining { next: 1, before, rows: n, shift, counts, tables })
    }

    /// Appends the column in `piece`, the next piece, to `rows`; whether it
    /// was the last. A column of plain values is copied from the piece
    /// straight into the room at the column's end.
    ///
    /// # Errors
    /// When the piece does not read back: `rows` may then hold part of it.
    pub fn column(&mut self, piece: &dyn PieceBytes, rows: &mut Rows) -> Result<bool, String> {
        let at = self.next;
        self.next += 1;
        let column = column_of(rows, at).ok_or("a piece past the last")?;
        let n = self.rows;
        // Optional columns the file lacks are empty.
        let expected = |present: bool| if present { n } else { 0 };
        let (shift, tables) = (self.shift, &self.tables);
        // A code number is one of its table's.
        let known = |table: usize| {
            let len = tables.get(table).map_or(0, Names::len);
            move |id: &mut u32| (*id as usize) < len
        };
        let lines = &mut rows.lines;
        match column {
            Column::Line => append_from(piece, n, &mut lines.line, |line| {
                u64::from(*line).checked_add(shift).map(|l| *line = super::line32(l)).is_some()
            })?,
            Column::Order => append_from(piece, n, &mut lines.order, known(0))?,
            Column::Date => append_from(piece, n, &mut lines.date, |_| true)?,
            Column::Sku => append_from(piece, n, &mut lines.sku, known(1))?,
            Column::Customer => append_from(piece, n, &mut lines.customer, known(2))?,
            Column::Quantity => append_from(piece, n, &mut lines.quantity, |_| true)?,
            Column::Number(i) => {
                let c = rows.numbers.get_mut(i).ok_or("no such number column")?;
                append_from(piece, expected(c.column.is_some()), &mut c.values, |_| true)?;
            }
            Column::Text(i) => {
                let c = rows.texts.get_mut(i).ok_or("no such text column")?;
                // TextColumn::MISSING (a blank cell) is no code.
                let known = known(3 + i);
                let id = |id: &mut u32| known(id) || *id == TextColumn::MISSING;
                append_from(piece, expected(c.column.is_some()), &mut c.values, id)?;
            }
            _ => {
                let bytes = read_bytes(piece, 0, piece.len());
                let mut r = Reader { bytes: &bytes, at: 0 };
                self.read_column(column, &mut r, rows)?;
                r.end()?;
            }
        }
        let last = column_of(rows, at + 1).is_none();
        if last && (rows.lines.len() != self.before + n || rows.hashed.len() != self.before + n) {
            return Err("the part's rows were not all appended".into());
        }
        Ok(last)
    }

    /// Appends a column that is not plain values, read by `r`.
    fn read_column(
        &self,
        column: Column,
        r: &mut Reader<'_>,
        rows: &mut Rows,
    ) -> Result<(), String> {
        let n = self.rows;
        let expected = |present: bool| if present { n } else { 0 };
        let shift = self.shift;
        match column {
            Column::Promo => {
                let n = expected(rows.columns.promo.is_some());
                let bools = r.values(1)?;
                if bools.len() != n {
                    return Err("the promo column differs in length".into());
                }
                rows.lines.promo.extend(bools.iter().map(|&b| b != 0));
            }
            Column::OptionalDate(i) => {
                let c = rows.optional_dates.get_mut(i).ok_or("no such date column")?;
                let n = expected(c.column.is_some());
                let present = r.values(1)?;
                let days = r.plain::<Date>()?;
                if present.len() != n || days.len() != n {
                    return Err("an optional date column differs in length".into());
                }
                c.values.extend(present.iter().zip(days).map(|(&p, d)| (p != 0).then_some(d)));
            }
            Column::Hash => {
                r.each(n, &mut rows.hashed, |hash| Some(Hashed { hash, line: 0, byte: 0 }))?
            }
            Column::HashLine => {
                let appended = rows.hashed.get_mut(self.before..).unwrap_or_default();
                r.fill(appended, |row, line: u64| {
                    row.line = line.checked_add(shift)?;
                    Some(())
                })?;
            }
            Column::HashByte => {
                let appended = rows.hashed.get_mut(self.before..).unwrap_or_default();
                r.fill(appended, |row, byte: u64| {
                    row.byte = byte;
                    Some(())
                })?;
            }
            _ => return Err("a column of plain values read as another".into()),
        }
        Ok(())
    }

    /// Once every piece is in: the part's code tables added to the rows',
    /// and the part's code numbers made the rows'.
    pub fn complete(self, rows: &mut Rows) {
        let Joining { before, tables, .. } = self;
        let mine = [&mut rows.orders, &mut rows.skus, &mut rows.customers]
            .into_iter()
            .chain(rows.texts.iter_mut().map(|t| &mut t.codes));
        let ids: Vec<Vec<u32>> =
            mine.zip(&tables).map(|(mine, theirs)| mine.absorb(theirs)).collect();
        drop(tables);
        let lines = &mut rows.lines;
        let columns = [&mut lines.order, &mut lines.sku, &mut lines.customer]
            .into_iter()
            .chain(rows.texts.iter_mut().map(|t| &mut t.values));
        for (values, ids) in columns.zip(&ids) {
            // A number `absorb` does not know (TextColumn::MISSING) is kept.
            for id in values.get_mut(before..).unwrap_or_default() {
                *id = ids.get(*id as usize).copied().unwrap_or(*id);
            }
        }
    }
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
    /// Every byte read.
    fn end(&self) -> Result<(), String> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err("bytes left over after the piece".into())
        }
    }

    /// Appends `n` values written by [`Writer::plain`] to `to`, as they are.
    fn append<T: Plain>(&mut self, n: usize, to: &mut Vec<T>) -> Result<(), String> {
        let bytes = self.values(size_of::<T>())?;
        // Checked: a head's count times 8 overflows 32 bits in WebAssembly.
        if n.checked_mul(size_of::<T>()) != Some(bytes.len()) {
            return Err("a column differs in length".into());
        }
        if cfg!(target_endian = "little") {
            to.reserve(n);
            // SAFETY: as in `plain`, the room for `n` more values is filled
            // with `n` values' bytes, written in place (one copy, issue #7).
            unsafe {
                let room = to.as_mut_ptr().add(to.len());
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), room.cast::<u8>(), bytes.len());
                to.set_len(to.len() + n);
            }
        } else {
            to.extend(bytes.chunks_exact(size_of::<T>()).map(T::read_le));
        }
        Ok(())
    }

    /// [`Reader::append`], then `fix` on each value appended, which may
    /// change it; one `false` refuses the piece. A copy of the values, then
    /// a pass over them, rather than a value at a time (issue #7).
    fn append_then<T: Plain>(
        &mut self,
        n: usize,
        to: &mut Vec<T>,
        fix: impl FnMut(&mut T) -> bool,
    ) -> Result<(), String> {
        let start = to.len();
        self.append(n, to)?;
        let appended = to.get_mut(start..).unwrap_or_default();
        if appended.iter_mut().all(fix) {
            Ok(())
        } else {
            Err("a value out of its range".into())
        }
    }

    /// Hands each of `to` a value written by [`Writer::plain`], as many as
    /// there are of them (`None` from `set`: the piece is refused).
    fn fill<T: Plain, R>(
        &mut self,
        to: &mut [R],
        set: impl Fn(&mut R, T) -> Option<()>,
    ) -> Result<(), String> {
        let bytes = self.values(size_of::<T>())?;
        if bytes.len() != to.len() * size_of::<T>() {
            return Err("a column differs in length".into());
        }
        for (row, value) in to.iter_mut().zip(bytes.chunks_exact(size_of::<T>())) {
            set(row, T::read_le(value)).ok_or("a value out of its range")?;
        }
        Ok(())
    }

    /// Appends `n` values written by [`Writer::plain`] to `to`, each made
    /// what `map` makes of it (`None`: the piece is refused).
    fn each<T: Plain, U>(
        &mut self,
        n: usize,
        to: &mut Vec<U>,
        map: impl Fn(T) -> Option<U>,
    ) -> Result<(), String> {
        let bytes = self.values(size_of::<T>())?;
        // Checked: a head's count times 8 overflows 32 bits in WebAssembly.
        if n.checked_mul(size_of::<T>()) != Some(bytes.len()) {
            return Err("a column differs in length".into());
        }
        to.reserve(n);
        for value in bytes.chunks_exact(size_of::<T>()) {
            to.push(map(T::read_le(value)).ok_or("a value out of its range")?);
        }
        Ok(())
    }

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
