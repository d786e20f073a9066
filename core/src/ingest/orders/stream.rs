//! An orders file read as it streams in, a chunk at a time (issue #7): the
//! browser worker never holds the whole file's text, only the chunk being
//! read, so its memory — which never shrinks — stays lower by the file's
//! size, and no fresh memory is touched for it.
//!
//! 1. Chunks are appended to what is left of the last one; the text up to
//!    the last LF is read into the same [`Rows`] the one pass fills, on a
//!    sheet that goes on from the previous chunk's lines
//!    ([`Sheet::rest`]). A record that runs to the end of that text (an LF
//!    inside a quoted field) is left for the next chunk
//!    ([`Sheet::more_follows`]).
//! 2. The first chunk is read once [`FIRST_BYTES`] have come, so that the
//!    delimiter is told from the sample the whole file's reader sees.
//! 3. Row hashes keep the file's byte offsets; at the end, the rows that
//!    share a hash — duplicates, and rare collisions — are fetched back
//!    from the file ([`OrdersStream::finish`]) and compared as
//!    [`super::duplicates`] compares them.
//! 4. A file that is not plain UTF-8, is order cells, has a header the
//!    mapping refuses or a record longer than [`MOST_LEFT`] is read whole
//!    instead (`None`): the whole read decodes it, or says what is wrong,
//!    as it always has.
//!
//! A big file may be streamed in two halves by two workers: see
//! [`super::halves`] ([`OrdersStream::rest`], [`OrdersStream::send`],
//! [`OrdersStream::join`]).
//!
//! The result is the one pass's, bit for bit (the tests of `orders.rs`).

use super::halves::plain_head;
use super::wire::{read_bytes, Joining, Piece, PieceBytes, Pieces, Sent};
use super::{duplicates_by, finish, read_rows, Rows};
use crate::ingest::cells::looks_like_cells;
use crate::ingest::intern::Interner;
use crate::ingest::sheet::{same_fields, Head, Sheet, SheetEnd};
use crate::ingest::split::Splitter;
use crate::ingest::text::Decoded;
use crate::ingest::{FileKind, IngestError, LoadOptions, OrderTable, Overrides, Parsed};
use crate::quality::DqReport;
use std::borrow::Cow;

/// How much of the file the first chunk's reading waits for: the
/// delimiter's sample with more text after it, as [`super::FirstHalf`].
const FIRST_BYTES: usize = super::HALVES_HEAD_BYTES as usize;

/// Room kept past a chunk for the unread end of a line before it
/// ([`OrdersStream::feed_from`]): a longer one than this needs a new room.
const LEFT_ROOM: usize = 64 << 10;

/// Bytes left waiting for a record's end beyond this: the file is read
/// whole (a quote that is never closed makes the rest of the file one
/// record).
const MOST_LEFT: usize = 64 << 20;

/// How much is fetched back after a row's start to compare it.
const RECORD_WINDOW: u64 = 4 << 10;

/// Rows to fetch back that lie closer than this are fetched together…
const FETCH_GAP: u64 = 64 << 10;

/// …in pieces of at most this.
const FETCH_MOST: u64 = 4 << 20;

/// An orders file being read as it streams in.
pub struct OrdersStream {
    name: String,
    size: u64,
    overrides: Overrides,
    /// Bytes come and not read yet, from a record's start on.
    pending: Vec<u8>,
    /// Where `pending` starts in the file.
    at: u64,
    /// The file's sheet and rows, once its first chunk is read.
    read: Option<Opened>,
    /// The file is to be read whole.
    whole: bool,
    /// How much the first chunk's reading waits for.
    first_bytes: usize,
    /// The rest of the file's rows being appended ([`OrdersStream::join`]).
    joining: Option<Joining>,
}

/// The rows of the rest of a file in pieces ([`OrdersStream::send`]).
pub struct RowPieces(Pieces<Interner>);

impl RowPieces {
    /// The next piece's bytes, for [`OrdersStream::join`]; `None` after the
    /// last.
    pub fn next_piece(&mut self) -> Option<Vec<u8>> {
        self.0.next().map(Piece::into_vec)
    }

    /// The next piece as the parts of its bytes, to be copied once into
    /// whatever carries them; `None` after the last.
    pub fn next_parts(&mut self) -> Option<Piece<'_>> {
        self.0.next()
    }

    /// Joins every piece to `stream` ([`OrdersStream::join`]): whether all
    /// were taken.
    pub fn join_to(mut self, stream: &mut OrdersStream) -> bool {
        while let Some(piece) = self.next_piece() {
            if !stream.join(&piece) {
                return false;
            }
        }
        true
    }
}

/// What the chunks read so far leave for the next.
struct Opened {
    head: Head,
    /// The findings of opening the file.
    report: DqReport,
    sheet: SheetEnd,
    rows: Rows,
    /// The LF bytes of the body before `pending`.
    newlines: u64,
    delimiter: u8,
    /// Where the stream starts in the file (0 but for the rest of a file
    /// read in halves).
    from: u64,
}

impl OrdersStream {
    /// A stream for the orders file `name` of `size` bytes, read under
    /// `overrides`.
    pub fn new(name: &str, size: u64, overrides: &Overrides) -> OrdersStream {
        OrdersStream {
            name: name.to_owned(),
            size,
            overrides: overrides.clone(),
            pending: Vec::new(),
            at: 0,
            read: None,
            whole: false,
            first_bytes: FIRST_BYTES,
            joining: None,
        }
    }

    /// The stream with its first chunk read once `bytes` have come (tests
    /// of chunks smaller than [`FIRST_BYTES`], on files whose delimiter a
    /// short sample tells).
    #[cfg(test)]
    pub(super) fn first_at(mut self, bytes: usize) -> OrdersStream {
        self.first_bytes = bytes;
        self
    }

    /// A stream for the rest of the orders file `name` of `size` bytes from
    /// byte `from` on (a record's start: [`super::halves_cut`]), opened on
    /// `head`, the file's first [`super::HALVES_HEAD_BYTES`] (or all of it),
    /// for [`OrdersStream::send`]. `None` when the file is to be read whole
    /// (see the module's notes).
    pub fn rest(
        name: &str,
        head: &[u8],
        from: u64,
        size: u64,
        overrides: &Overrides,
    ) -> Option<OrdersStream> {
        let head = head.get(..head.len().min(super::HALVES_HEAD_BYTES as usize))?;
        let text = std::str::from_utf8(head.get(..memchr::memrchr(b'\n', head)? + 1)?).ok()?;
        let opened = with_sheet(name, text, overrides, |sheet, _, _| {
            Some(Opened::new(&sheet, size.saturating_sub(from), from))
        })?;
        let mut stream = OrdersStream::new(name, size, overrides);
        (stream.read, stream.at) = (Some(opened), from);
        Some(stream)
    }

    /// Makes the memory kept for rows still to come (a join's) the
    /// process's: the app's engine does it while the helper's half is
    /// still being read, so that the join's copies do not wait for the
    /// system's first touch of each page (at 1M lines, 55 MB of room;
    /// issue #7).
    pub fn touch_room(&mut self) {
        if let Some(opened) = &mut self.read {
            opened.rows.touch_room();
        }
    }

    /// The rows of a stream made by [`OrdersStream::rest`], once every byte
    /// is fed, in pieces for [`OrdersStream::join`]; `None` when the file
    /// is to be read whole.
    pub fn send(mut self) -> Option<RowPieces> {
        let from = self.read.as_ref()?.from;
        if !self.pending.is_empty() {
            self.read_text(self.pending.len(), false, &mut |_| {});
        }
        if self.whole || self.at != self.size {
            return None;
        }
        let Opened { sheet, rows, .. } = self.read?;
        Some(RowPieces(Pieces::new(Sent { from, rows, counts: sheet.counts() })))
    }

    /// Appends the next piece of the rest of the file's rows, from
    /// [`RowPieces::next_piece`] of a stream from where the bytes fed to this one
    /// end. The first piece is refused (`false`), nothing changed, when the
    /// bytes fed end inside a record (a cut inside a quoted field) or it
    /// does not read back: the caller then feeds the rest itself. A later
    /// piece that does not read back leaves the stream to be read whole,
    /// as do bytes fed once the head was taken (a join broken off). Once
    /// the last piece is taken, every byte is fed.
    pub fn join(&mut self, piece: &[u8]) -> bool {
        self.join_from(&piece)
    }

    /// [`OrdersStream::join`] for a piece wherever its bytes lie (the
    /// app's: in the buffer the helper transferred), its columns copied
    /// from there into theirs.
    pub fn join_from(&mut self, piece: &dyn PieceBytes) -> bool {
        let OrdersStream { pending, at, size, read: Some(opened), whole: false, joining, .. } =
            self
        else {
            return false;
        };
        let Some(joining) = joining else {
            if !pending.is_empty() {
                return false;
            }
            // The rest's lines, counted from the cut, follow the first half's.
            let head = read_bytes(piece, 0, piece.len());
            let head = Joining::head(&head, *at, opened.newlines, &mut opened.rows);
            *joining = head.ok();
            return joining.is_some();
        };
        match joining.column(piece, &mut opened.rows) {
            Ok(false) => {}
            Ok(true) => {
                opened.sheet.add(joining.counts);
                *at = *size;
            }
            Err(_) => self.whole = true,
        }
        !self.whole
    }

    /// Reads `chunk`, the bytes that follow those fed so far; `progress` is
    /// called now and then with the share of the file read.
    pub fn feed(&mut self, chunk: &[u8], progress: &mut dyn FnMut(f64)) {
        self.feed_from(&chunk, progress);
    }

    /// [`OrdersStream::feed`] of a chunk wherever it lies (the browser's
    /// buffer), copied once, straight into the room made for it where the
    /// stream keeps what it has not read yet: not into a buffer of its own
    /// first, and not over zeros written first (issue #7: zeroing each
    /// chunk's room, and a new room for each chunk, cost each of the
    /// browser's two workers about 50 ms of a 1M-line file's half).
    pub fn feed_from(&mut self, chunk: &dyn PieceBytes, progress: &mut dyn FnMut(f64)) {
        // Bytes after a join begun: the file is not what the rows joined
        // say (a join broken off, or more bytes than the file's size).
        self.whole |= self.joining.is_some();
        if self.whole {
            return;
        }
        let (start, len) = (self.pending.len(), chunk.len());
        // Room for this chunk and for a longer unread line after it, so
        // that chunks of one size reuse the room: no doubling past it.
        if self.pending.capacity() - start < len {
            self.pending.reserve_exact(len + LEFT_ROOM);
        }
        let Some(room) = self.pending.spare_capacity_mut().get_mut(..len) else {
            self.whole = true;
            return;
        };
        chunk.copy_into(0, room);
        // SAFETY: `copy_into` initialised all `len` bytes of the room after
        // the `start` bytes kept (`PieceBytes`'s contract).
        unsafe { self.pending.set_len(start + len) };
        let come = self.at + self.pending.len() as u64;
        if self.read.is_none() && self.pending.len() < self.first_bytes && come < self.size {
            return;
        }
        match memchr::memrchr(b'\n', &self.pending) {
            Some(lf) => self.read_text(lf + 1, true, progress),
            None => self.whole |= self.pending.len() > MOST_LEFT,
        }
    }

    /// The table once every byte is fed; `fetch` gives the file's bytes
    /// from one offset to another (to compare rows that share a hash).
    /// `None` when the file is to be read whole: see the module's notes.
    pub fn finish(
        mut self,
        fetch: &mut dyn FnMut(u64, u64) -> Option<Vec<u8>>,
        options: &LoadOptions,
        progress: &mut dyn FnMut(f64),
    ) -> Option<Result<Parsed<OrderTable>, IngestError>> {
        if !self.pending.is_empty() {
            self.read_text(self.pending.len(), false, progress);
        }
        if self.whole || self.at != self.size {
            return None;
        }
        let Opened { report, sheet, mut rows, delimiter, .. } = self.read?;
        if let Some(joining) = self.joining {
            joining.complete(&mut rows);
        }
        // Only rows that share a hash matter here: no earlier part to look
        // a hash up in (`duplicates_fetched`).
        segscope_scan::rows::keep_shared(&mut rows.hashed);
        let found = duplicates_fetched(&rows, delimiter, self.size, fetch)?;
        rows.flag_duplicates(&self.name, found);
        rows.hashed = Vec::new();
        Some(finish(sheet, rows, report, options, progress))
    }

    /// Reads the first `len` bytes of `pending` (ending with an LF when
    /// `more_follows`) and keeps what is left unread.
    fn read_text(&mut self, len: usize, more_follows: bool, progress: &mut dyn FnMut(f64)) {
        let OrdersStream { name, size, overrides, pending, at, read, whole, .. } = self;
        let Some(text) = pending.get(..len).and_then(|b| std::str::from_utf8(b).ok()) else {
            *whole = true;
            return;
        };
        let (from, size) = (*at, *size);
        let mut progress = |share: f64| {
            progress(((from as f64 + share * len as f64) / size.max(1) as f64).min(1.0));
        };
        let read_to = match read {
            None => open(name, size, overrides, text, more_follows, &mut progress).map(
                |(opened, read_to)| {
                    *read = Some(opened);
                    read_to
                },
            ),
            Some(opened) => Some(opened.read_chunk(name, from, text, more_follows, &mut progress)),
        };
        match read_to {
            Some(n) => {
                pending.drain(..n);
                *at += n as u64;
                *whole |= pending.len() > MOST_LEFT;
            }
            None => {
                *whole = true;
                *pending = Vec::new();
            }
        }
    }
}

/// Opens the file on `text`, its first chunk, and reads its rows; the
/// rows and how far they were read, `None` when the file is to be read
/// whole.
fn open(
    name: &str,
    size: u64,
    overrides: &Overrides,
    text: &str,
    more_follows: bool,
    progress: &mut dyn FnMut(f64),
) -> Option<(Opened, usize)> {
    with_sheet(name, text, overrides, |mut sheet, body, report| {
        let mut opened = Opened::new(&sheet, size.saturating_sub(body as u64), 0);
        opened.report = report;
        if more_follows {
            sheet.more_follows();
        }
        read_rows(&mut sheet, &mut opened.rows, progress);
        shift_bytes(&mut opened.rows, 0, body as u64);
        let (read_to, newlines) = match sheet.left() {
            Some((start, newlines)) => (body + start, newlines),
            None => (text.len(), sheet.newlines()),
        };
        (opened.sheet, opened.newlines) = (sheet.end(), newlines);
        Some((opened, read_to))
    })
}

/// What `then` makes of the orders sheet of a file that starts with
/// `text` (up to an LF), where its body starts in `text` and the findings
/// of opening it; `None` when the file is to be read whole.
fn with_sheet<R>(
    name: &str,
    text: &str,
    overrides: &Overrides,
    then: impl FnOnce(Sheet<'_>, usize, DqReport) -> Option<R>,
) -> Option<R> {
    if looks_like_cells(text.as_bytes()) {
        return None;
    }
    let encoding = plain_head(text.as_bytes())?.encoding;
    let after_bom = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let decoded = Decoded { text: Cow::Borrowed(after_bom), encoding, notes: Vec::new() };
    let mut report = DqReport::default();
    let sheet = Sheet::open(name, FileKind::Orders, &decoded, overrides, &mut report).ok()?;
    let body = (sheet.body().as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    then(sheet, body, report)
}

impl Opened {
    /// What a stream of `sheet`, just opened, starts with: its columns,
    /// sized once for the `bytes` of rows ahead from the first rows' bytes
    /// per row (the estimate comes from a sample: a little more), as
    /// `Part::read` does.
    fn new(sheet: &Sheet<'_>, bytes: u64, from: u64) -> Opened {
        let rows_ahead = (sheet.rows_per_byte() * bytes as f64).ceil() as usize;
        let mut rows = Rows::empty(|f| sheet.column(f));
        rows.reserve_rows(rows_ahead + rows_ahead / 32, 0);
        Opened {
            head: sheet.head(),
            report: DqReport::default(),
            sheet: sheet.end(),
            rows,
            newlines: 0,
            delimiter: sheet.delimiter,
            from,
        }
    }

    /// Reads the rows of `text`, the chunk from file byte `from` on; how
    /// far they were read.
    fn read_chunk(
        &mut self,
        name: &str,
        from: u64,
        text: &str,
        more_follows: bool,
        progress: &mut dyn FnMut(f64),
    ) -> usize {
        let mut sheet = Sheet::rest(name, FileKind::Orders, text, &self.head, self.newlines);
        if more_follows {
            sheet.more_follows();
        }
        let before = self.rows.hashed.len();
        read_rows(&mut sheet, &mut self.rows, progress);
        shift_bytes(&mut self.rows, before, from);
        self.sheet.add(sheet.counts());
        let (read_to, newlines) = sheet.left().unwrap_or((text.len(), sheet.newlines()));
        self.newlines = newlines;
        read_to
    }
}

/// Makes the byte offsets of the row hashes from `first` on, counted from
/// a chunk's start, the file's: the chunk starts at file byte `by`.
fn shift_bytes(rows: &mut Rows, first: usize, by: u64) {
    for row in rows.hashed.get_mut(first..).unwrap_or_default() {
        row.byte += by;
    }
}

/// The duplicate lines of `rows` (the rows that share a hash, sorted:
/// `segscope_scan::rows::keep_shared`), as
/// [`super::duplicates`] finds them in one part, with the rows that share
/// a hash fetched back from the file (of `size` bytes) by `fetch`; `None`
/// when it cannot give them.
fn duplicates_fetched(
    rows: &Rows,
    delimiter: u8,
    size: u64,
    fetch: &mut dyn FnMut(u64, u64) -> Option<Vec<u8>>,
) -> Option<Vec<(u64, u64)>> {
    let mut wanted: Vec<u64> = rows
        .hashed
        .chunk_by(|a, b| a.hash == b.hash)
        .filter(|same| same.len() > 1)
        .flat_map(|same| same.iter().map(|row| row.byte))
        .collect();
    wanted.sort_unstable();
    let records = fetch_records(&wanted, delimiter, size, fetch)?;
    let record = |byte: u64| {
        let at = records.binary_search_by_key(&byte, |(b, _)| *b).ok()?;
        records.get(at).map(|(_, fields)| fields)
    };
    let skip = rows.columns.row_id;
    let same_records = |a: u64, b: u64| match (record(a), record(b)) {
        (Some(a), Some(b)) => same_fields(a, b, skip),
        _ => false,
    };
    Some(duplicates_by(rows, same_records, |_| None::<()>, |_, _| None))
}

/// The fields of the records that start at the file bytes `wanted`
/// (sorted), with their offsets: fetched in pieces that cover rows close
/// to each other, each piece at most [`FETCH_MOST`] long.
fn fetch_records(
    wanted: &[u64],
    delimiter: u8,
    size: u64,
    fetch: &mut dyn FnMut(u64, u64) -> Option<Vec<u8>>,
) -> Option<Vec<(u64, Vec<String>)>> {
    let mut records = Vec::with_capacity(wanted.len());
    let mut rest = wanted;
    while let Some(&start) = rest.first() {
        let together = rest
            .windows(2)
            .take_while(|w| {
                let [a, b] = [w[0], w[1]];
                b <= a + RECORD_WINDOW + FETCH_GAP && b + RECORD_WINDOW - start <= FETCH_MOST
            })
            .count()
            + 1;
        let (piece, later) = rest.split_at(together);
        rest = later;
        let end = (piece.last().copied().unwrap_or(start) + RECORD_WINDOW).min(size);
        let bytes = fetched(fetch, start, end)?;
        for &at in piece {
            let offset = usize::try_from(at - start).ok()?;
            let fields = match record_in(bytes.get(offset..)?, delimiter, end == size) {
                Some(fields) => fields,
                None => record_alone(at, delimiter, size, fetch)?,
            };
            records.push((at, fields));
        }
    }
    Some(records)
}

/// The fields of the record at file byte `at`, fetched with more and more
/// bytes after it until it ends.
fn record_alone(
    at: u64,
    delimiter: u8,
    size: u64,
    fetch: &mut dyn FnMut(u64, u64) -> Option<Vec<u8>>,
) -> Option<Vec<String>> {
    let mut window = RECORD_WINDOW;
    loop {
        window = window.saturating_mul(4);
        let end = at.saturating_add(window).min(size);
        if let Some(fields) = record_in(&fetched(fetch, at, end)?, delimiter, end == size) {
            return Some(fields);
        }
        if end == size {
            return None;
        }
    }
}

/// `fetch(start, end)`, if it gives that many bytes.
fn fetched(
    fetch: &mut dyn FnMut(u64, u64) -> Option<Vec<u8>>,
    start: u64,
    end: u64,
) -> Option<Vec<u8>> {
    fetch(start, end).filter(|bytes| bytes.len() as u64 == end - start)
}

/// The fields of the record `bytes` start with; `None` when it may go on
/// past them (they do not reach the file's end, `at_end`).
fn record_in(bytes: &[u8], delimiter: u8, at_end: bool) -> Option<Vec<String>> {
    // A piece may end inside a character of a later record.
    let (text, whole) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, at_end),
        Err(e) => (std::str::from_utf8(bytes.get(..e.valid_up_to())?).ok()?, false),
    };
    let mut fields = Vec::new();
    let span = Splitter::new(text, delimiter, 0).next_record(&mut fields)?;
    if span.end >= text.len() && !whole {
        return None;
    }
    Some(fields.into_iter().map(Cow::into_owned).collect())
}
