//! One CSV file opened for reading: decoded, split, header mapped, and its
//! rows handed out one by one with their line numbers; plus the cell readers
//! that every kind of file shares.
//!
//! A row with more fields than the header is skipped and reported, unless
//! the extra fields are all blank (many exports end every row with a stray
//! delimiter); a row with fewer is padded with blank cells and reported; a
//! row whose every cell is blank is passed over and counted in a note.

use super::boundaries;
use super::dates::{DateCell, DateColumn};
use super::delimiter;
use super::mapping::{map_headers, normalise, shorten, Mapping};
use super::number::{self, Decimal, Num, NumberColumn};
use super::split::{record_at, Span, Splitter};
use super::text::Decoded;
use super::words;
use super::{FileKind, FileLayout, IngestError, MappedField, Overrides};
use crate::date::Date;
use crate::quality::{DqReport, Example, Rule};
use std::borrow::Cow;

/// An open file.
pub(crate) struct Sheet<'t> {
    /// File name.
    pub name: &'t str,
    kind: FileKind,
    splitter: Splitter<'t>,
    body: &'t str,
    /// The fields of the current record.
    fields: Vec<Cow<'t, str>>,
    /// Headers as written.
    pub headers: Vec<String>,
    /// The column of each canonical field.
    pub mapping: Mapping,
    /// The delimiter.
    pub delimiter: u8,
    encoding: &'static str,
    lines_before: u64,
    total_bytes: usize,
    /// Data rows read, blank ones excepted.
    pub rows: usize,
    blank_rows: u64,
    trailing_extras: u64,
    /// Where the last record read ends.
    last_end: usize,
    /// Whether more of the file follows the text (a chunk of a file read as
    /// it streams in): a record that runs to the text's end is then not
    /// read but left for the next chunk ([`Sheet::left`]).
    more_follows: bool,
    /// The record left unread, when more follows.
    left: Option<Span>,
}

/// One row of an open file.
pub(crate) struct Row<'r> {
    /// The physical line where the record starts (header = 1).
    pub line: u64,
    /// Byte offset in the CSV body where the record starts.
    pub byte: u64,
    fields: &'r [Cow<'r, str>],
    /// The record as written, and the file's delimiter.
    written: &'r str,
    delimiter: u8,
    headers: &'r [String],
    file: &'r str,
}

/// Notes each mapped header that the file has more than once: only the
/// first such column is read, and the user should know the others are not.
fn note_repeated_headers(name: &str, headers: &[String], mapping: &Mapping, report: &mut DqReport) {
    for field in &mapping.fields {
        let Some(column) = field.column else { continue };
        let Some(header) = headers.get(column) else { continue };
        let wanted = normalise(header);
        let count = headers.iter().filter(|h| normalise(h) == wanted).count();
        if count > 1 {
            report.note(
                Some(name),
                format!(
                    "The header `{}` appears {count} times; column {} was read as `{}` and \
                     the others were left out. Rename or remove the extra columns if that \
                     is not the one you meant.",
                    shorten(header, 60),
                    column + 1,
                    field.field
                ),
            );
        }
    }
}

/// Whether two records have the same fields, field `skip` aside.
pub(crate) fn same_fields(
    a: &[impl AsRef<str>],
    b: &[impl AsRef<str>],
    skip: Option<usize>,
) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .enumerate()
            .all(|(i, (a, b))| Some(i) == skip || a.as_ref() == b.as_ref())
}

/// Whether the records that start at bytes `a` and `b` of `body` have the
/// same fields, field `skip` aside.
pub(crate) fn same_records(body: &str, delimiter: u8, a: u64, b: u64, skip: Option<usize>) -> bool {
    same_fields(&record_from(body, delimiter, a), &record_from(body, delimiter, b), skip)
}

/// The fields of the record that starts at byte `at` of `body`, as read.
fn record_from(body: &str, delimiter: u8, at: u64) -> Vec<Cow<'_, str>> {
    record_at(body, delimiter, usize::try_from(at).unwrap_or(usize::MAX))
}

/// `IngestError::Unreadable` for a file.
pub(crate) fn unreadable(file: &str, line: u64, message: impl Into<String>) -> IngestError {
    IngestError::Unreadable { file: file.to_owned(), line, message: message.into() }
}

impl<'t> Sheet<'t> {
    /// Opens decoded text: detects the delimiter, reads and maps the header.
    ///
    /// # Errors
    /// `Unreadable` for an empty file or a blank header row; the mapping's
    /// errors otherwise.
    pub fn open(
        name: &'t str,
        kind: FileKind,
        decoded: &'t Decoded<'t>,
        overrides: &Overrides,
        report: &mut DqReport,
    ) -> Result<Sheet<'t>, IngestError> {
        for note in &decoded.notes {
            report.note(Some(name), note.clone());
        }
        let text: &str = &decoded.text;
        if text.trim().is_empty() {
            return Err(unreadable(
                name,
                1,
                format!(
                    "the file is empty; export the {} again, with a header row, and load it",
                    kind.label()
                ),
            ));
        }
        let dialect = delimiter::detect(text);
        let body = text.get(dialect.start..).unwrap_or_default();
        let mut splitter = Splitter::new(body, dialect.delimiter, 0);
        let mut fields = Vec::new();
        let header_line = match splitter.next_record(&mut fields) {
            Some(span) => span.newlines + 1 + dialect.lines_before,
            None => {
                return Err(unreadable(
                    name,
                    1 + dialect.lines_before,
                    "the file has no header row; the first line must name the columns",
                ))
            }
        };
        let headers: Vec<String> = fields.iter().map(|h| h.to_string()).collect();
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(unreadable(
                name,
                header_line,
                "the header row is blank; the first line must name the columns",
            ));
        }
        let mapping = map_headers(name, kind, &headers, overrides)?;
        note_repeated_headers(name, &headers, &mapping, report);
        Ok(Sheet {
            name,
            kind,
            splitter,
            body,
            fields,
            headers,
            mapping,
            delimiter: dialect.delimiter,
            encoding: decoded.encoding,
            lines_before: dialect.lines_before,
            total_bytes: body.len().max(1),
            rows: 0,
            blank_rows: 0,
            trailing_extras: 0,
            last_end: 0,
            more_follows: false,
            left: None,
        })
    }

    /// The column of a canonical field.
    pub fn column(&self, field: &str) -> Option<usize> {
        self.mapping.column(field)
    }

    /// The header of a column, as written.
    pub fn header(&self, column: Option<usize>) -> &str {
        header_of(&self.headers, column)
    }

    /// A sheet that reads `text`, the rest of a file from a record's start
    /// on, as the sheet of the whole file would from there, under `head`,
    /// that sheet's header and mapping ([`Sheet::head`]). Byte offsets are
    /// counted from the start of `text`, line numbers after `newlines` LF
    /// bytes of the body before it.
    pub fn rest(
        name: &'t str,
        kind: FileKind,
        text: &'t str,
        head: &Head,
        newlines: u64,
    ) -> Sheet<'t> {
        Sheet {
            name,
            kind,
            splitter: Splitter::resume(text, head.delimiter, 0, newlines),
            body: text,
            fields: Vec::new(),
            headers: head.headers.clone(),
            mapping: Mapping { fields: head.fields.clone() },
            delimiter: head.delimiter,
            encoding: "UTF-8",
            lines_before: head.lines_before,
            total_bytes: text.len().max(1),
            rows: 0,
            blank_rows: 0,
            trailing_extras: 0,
            last_end: 0,
            more_follows: false,
            left: None,
        }
    }

    /// Says that more of the file follows the text: a record that runs to
    /// its end (inside a quoted field) is left unread ([`Sheet::left`]).
    /// The text must end with an LF, so that a record that does not run
    /// to its end has ended.
    pub fn more_follows(&mut self) {
        self.more_follows = true;
    }

    /// Where the record left unread starts, and the LF bytes of the body
    /// before it (as [`Sheet::rest`] takes them), once the rows are read.
    pub fn left(&self) -> Option<(usize, u64)> {
        self.left.map(|span| (span.start, span.newlines))
    }

    /// What a reader of the rest of the file from a record's start on
    /// needs of this sheet ([`Sheet::rest`]).
    pub fn head(&self) -> Head {
        Head {
            headers: self.headers.clone(),
            fields: self.mapping.fields.clone(),
            delimiter: self.delimiter,
            lines_before: self.lines_before,
        }
    }

    /// The LF bytes of the body read so far.
    pub fn newlines(&self) -> u64 {
        self.splitter.newlines()
    }

    /// The body: the text the sheet was opened on from its header row on
    /// (past an Excel `sep=` line); a slice of that text.
    pub fn body(&self) -> &'t str {
        self.body
    }

    /// What is left of the sheet once its rows are read.
    pub fn end(&self) -> SheetEnd {
        SheetEnd {
            name: self.name.to_owned(),
            kind: self.kind,
            headers: self.headers.clone(),
            mapping: self.mapping.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding,
            rows: self.rows,
            blank_rows: self.blank_rows,
            trailing_extras: self.trailing_extras,
        }
    }

    /// The rows still to read as up to `parts` sheets, each reading the
    /// records from one start to the next (see [`boundaries`]): read one
    /// after another, they hand out the rows, line numbers and findings
    /// that this sheet would, and their counts add up to its own.
    pub fn into_parts(self, parts: usize) -> Vec<Sheet<'t>> {
        let from = self.splitter.position();
        let starts = boundaries::record_starts(self.body, from, self.delimiter, parts);
        if starts.len() < 2 {
            return vec![self];
        }
        let bytes = self.body.as_bytes();
        let ends = starts.iter().skip(1).copied().chain([bytes.len()]);
        let spans: Vec<(usize, usize)> = starts.iter().copied().zip(ends).collect();
        // The LFs in each part, counted side by side.
        let counts = crate::parallel::map_rows(spans.len(), |i| {
            let part = spans.get(i).and_then(|&(start, end)| bytes.get(start..end));
            part.map_or(0, |part| memchr::memchr_iter(b'\n', part).count() as u64)
        });
        let mut newlines = self.splitter.newlines();
        let mut sheets = Vec::with_capacity(spans.len());
        for (&(start, end), count) in spans.iter().zip(counts) {
            let text = self.body.get(..end).unwrap_or(self.body);
            sheets.push(Sheet {
                name: self.name,
                kind: self.kind,
                splitter: Splitter::resume(text, self.delimiter, start, newlines),
                body: self.body,
                fields: Vec::new(),
                headers: self.headers.clone(),
                mapping: self.mapping.clone(),
                delimiter: self.delimiter,
                encoding: self.encoding,
                lines_before: self.lines_before,
                total_bytes: self.total_bytes,
                rows: 0,
                blank_rows: 0,
                trailing_extras: 0,
                last_end: 0,
                more_follows: false,
                left: None,
            });
            newlines += count;
        }
        // Rows read before the parts are the first part's.
        if let Some(first) = sheets.first_mut() {
            (first.rows, first.blank_rows) = (self.rows, self.blank_rows);
            first.trailing_extras = self.trailing_extras;
        }
        sheets
    }

    /// Adds the row counts of `other`, a later part of the same file (see
    /// [`Sheet::into_parts`]), to this one's; reading goes on where it ended.
    pub fn append(&mut self, other: Sheet<'t>) {
        self.rows += other.rows;
        self.blank_rows += other.blank_rows;
        self.trailing_extras += other.trailing_extras;
        self.splitter = other.splitter;
    }

    /// The sheet's row counts so far.
    pub fn counts(&self) -> Counts {
        (self.rows, self.blank_rows, self.trailing_extras)
    }

    /// Whether the records that start at bytes `a` and `b` have the same
    /// fields, field `skip` aside.
    pub fn same_records(&self, a: u64, b: u64, skip: Option<usize>) -> bool {
        same_records(self.body, self.delimiter, a, b, skip)
    }

    /// About how many rows are left to read, from the line lengths of the
    /// next 64 KiB: to size tables once instead of growing them row by row
    /// (a growing hash table of a million rows rehashed 200 ms in wasm).
    pub fn rows_ahead(&self) -> usize {
        let rest = self.splitter.rest();
        let rate = self.rows_per_byte();
        if rate == 0.0 {
            return 1;
        }
        ((rest.len() as f64 * rate).ceil() as usize).min(rest.len() / 2 + 1)
    }

    /// Lines per byte in the next 64 KiB (0 when it has none).
    pub fn rows_per_byte(&self) -> f64 {
        let rest = self.splitter.rest();
        let sample = rest.get(..64 * 1024).unwrap_or(rest);
        let lines = memchr::memchr_iter(b'\n', sample).count();
        lines as f64 / sample.len().max(1) as f64
    }

    /// The share of the file read so far.
    pub fn fraction_read(&self) -> f64 {
        (self.splitter.position() as f64 / self.total_bytes as f64).min(1.0)
    }

    /// The next row worth parsing; flags rows with too many or too few fields.
    pub fn next_row(&mut self, report: &mut DqReport) -> Option<Row<'_>> {
        let width = self.headers.len();
        loop {
            let span = self.splitter.next_record(&mut self.fields)?;
            if self.more_follows && span.end >= self.body.len() {
                self.left = Some(span);
                return None;
            }
            self.last_end = span.end;
            let line = span.newlines + 1 + self.lines_before;
            if self.fields.iter().all(|f| f.as_bytes().trim_ascii().is_empty()) {
                self.blank_rows += 1;
                continue;
            }
            self.rows += 1;
            let n = self.fields.len();
            if n > width {
                if self.fields.iter().skip(width).all(|f| f.as_bytes().trim_ascii().is_empty()) {
                    self.trailing_extras += 1;
                } else {
                    let delimiter = char::from(self.delimiter);
                    report.flag_with(Rule::TooManyFields, || Example {
                        file: self.name.to_owned(),
                        line,
                        column: None,
                        detail: format!(
                            "{n} fields where the header has {width}; a text field probably \
                             contains `{}` without quotes",
                            if delimiter == '\t' {
                                "TAB".to_owned()
                            } else {
                                delimiter.to_string()
                            }
                        ),
                    });
                    continue;
                }
            } else if n < width {
                report.flag_with(Rule::TooFewFields, || Example {
                    file: self.name.to_owned(),
                    line,
                    column: None,
                    detail: format!("{n} fields where the header has {width}; padded with blanks"),
                });
            }
            return Some(Row {
                line,
                byte: span.start as u64,
                fields: &self.fields,
                written: self.splitter.record_text(span),
                delimiter: self.delimiter,
                headers: &self.headers,
                file: self.name,
            });
        }
    }

    /// Adds the notes about passed-over rows and returns the file's layout.
    pub fn finish(&self, report: &mut DqReport) -> FileLayout {
        self.end().finish(report)
    }
}

/// The header of `column` in `headers`, as written ("" for none).
fn header_of(headers: &[String], column: Option<usize>) -> &str {
    column.and_then(|c| headers.get(c)).map_or("", String::as_str)
}

/// What a reader of the rest of a file needs of its sheet ([`Sheet::head`],
/// [`Sheet::rest`]).
pub struct Head {
    headers: Vec<String>,
    fields: Vec<MappedField>,
    delimiter: u8,
    lines_before: u64,
}

/// A sheet once its rows are read ([`Sheet::end`]): what names its columns
/// and describes the file, without the text.
pub(crate) struct SheetEnd {
    pub name: String,
    kind: FileKind,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub delimiter: u8,
    encoding: &'static str,
    /// Data rows read, blank ones excepted.
    pub rows: usize,
    blank_rows: u64,
    trailing_extras: u64,
}

/// The row counts of a sheet: rows read, blank rows, rows with blank
/// fields beyond the header.
pub(crate) type Counts = (usize, u64, u64);

impl SheetEnd {
    /// The column of a canonical field.
    pub fn column(&self, field: &str) -> Option<usize> {
        self.mapping.column(field)
    }

    /// The header of a column, as written.
    pub fn header(&self, column: Option<usize>) -> &str {
        header_of(&self.headers, column)
    }

    /// The counts of the rows read (see [`Sheet::counts`]).
    pub fn counts(&self) -> Counts {
        (self.rows, self.blank_rows, self.trailing_extras)
    }

    /// Adds the counts of a later part of the file (see [`Sheet::counts`]).
    pub fn add(&mut self, (rows, blank_rows, trailing_extras): Counts) {
        self.rows += rows;
        self.blank_rows += blank_rows;
        self.trailing_extras += trailing_extras;
    }

    /// Adds the notes about passed-over rows and returns the file's layout.
    pub fn finish(&self, report: &mut DqReport) -> FileLayout {
        if self.blank_rows > 0 {
            report.note(
                Some(&self.name),
                format!("{} blank row(s) were passed over.", self.blank_rows),
            );
        }
        if self.trailing_extras > 0 {
            report.note(
                Some(&self.name),
                format!(
                    "{} row(s) end with blank fields beyond the header's {}; they were ignored.",
                    self.trailing_extras,
                    self.headers.len()
                ),
            );
        }
        FileLayout {
            name: self.name.clone(),
            kind: self.kind,
            encoding: self.encoding.to_owned(),
            delimiter: char::from(self.delimiter),
            headers: self.headers.clone(),
            fields: self.mapping.fields.clone(),
            rows: self.rows,
        }
    }
}

impl<'r> Row<'r> {
    /// The cell of a column as written (blank when unmapped or padded).
    pub fn cell(&self, column: Option<usize>) -> &'r str {
        column.and_then(|c| self.fields.get(c)).map_or("", |f| f.as_ref())
    }

    /// The trimmed cell, `None` when blank.
    pub fn text(&self, column: Option<usize>) -> Option<&'r str> {
        Some(super::cell::trim(self.cell(column))).filter(|s| !s.is_empty())
    }

    /// The header of a column, as written.
    pub fn header(&self, column: Option<usize>) -> &'r str {
        column.and_then(|c| self.headers.get(c)).map_or("", String::as_str)
    }

    /// The hash that finds duplicate lines: of every field but `skip`
    /// ([`super::intern::record_hash`]).
    pub fn hash(&self, skip: Option<usize>) -> u64 {
        super::intern::record_hash(self.fields, skip, self.written, self.delimiter)
    }

    /// A finding about this row.
    pub fn example(&self, column: Option<usize>, detail: String) -> Example {
        Example {
            file: self.file.to_owned(),
            line: self.line,
            column: column.and_then(|c| self.headers.get(c)).cloned(),
            detail,
        }
    }

    /// Flags a cell of an optional field that could not be read.
    pub fn flag_optional(&self, report: &mut DqReport, column: Option<usize>, expected: &str) {
        report.flag_with(Rule::OptionalFieldInvalid, || {
            self.example(
                column,
                format!("{} is not {expected}; treated as blank", self.quoted(column)),
            )
        });
    }

    /// The cell quoted for a message, shortened.
    pub fn quoted(&self, column: Option<usize>) -> String {
        format!("\"{}\"", shorten(self.cell(column).trim(), 40))
    }

    /// Reads an optional number (a share if `fraction`: `25%` is 0.25),
    /// records it in its column as row `index`, flags it if unreadable.
    pub fn number(
        &self,
        column: Option<usize>,
        acc: &mut NumberColumn,
        index: u32,
        fraction: bool,
        report: &mut DqReport,
    ) -> Option<f64> {
        let cell = self.cell(column);
        match number::parse(cell) {
            Num::Empty => None,
            Num::Value { percent: true, .. } if !fraction => {
                self.flag_optional(report, column, "a number");
                None
            }
            Num::Invalid => {
                self.flag_optional(report, column, if fraction { "a share" } else { "a number" });
                None
            }
            Num::Value { value, alt, mark, percent } => {
                let k = if percent { 100.0 } else { 1.0 };
                let num = Num::Value { value: value / k, alt: alt.map(|a| a / k), mark, percent };
                acc.record(index, cell, &num);
                Some(value / k)
            }
        }
    }

    /// Reads an optional date, records it in its column as row `index`,
    /// flags it if unreadable.
    pub fn date(
        &self,
        column: Option<usize>,
        acc: &mut DateColumn,
        index: u32,
        report: &mut DqReport,
    ) -> Option<Date> {
        let cell = self.cell(column);
        match acc.parse(cell) {
            DateCell::Empty => None,
            DateCell::Invalid => {
                self.flag_optional(report, column, "a date");
                None
            }
            parsed @ DateCell::Value { date, .. } => {
                acc.record(index, cell, &parsed);
                Some(date)
            }
        }
    }

    /// Reads an optional yes/no cell, flags it if unreadable.
    pub fn boolean(&self, column: Option<usize>, report: &mut DqReport) -> Option<bool> {
        words::parse_bool(self.cell(column)).unwrap_or_else(|()| {
            self.flag_optional(report, column, "yes/no (true/false, yes/no, y/n, 1/0, x/blank)");
            None
        })
    }
}

/// Decides the decimal mark of every number column of a file (each given by
/// header and reader) and adds the notes; returns one decision per column.
pub(crate) fn decide_numbers(
    columns: &[(&str, &NumberColumn)],
    delimiter: u8,
    file: &str,
    report: &mut DqReport,
) -> Vec<Decimal> {
    let file_dot = columns.iter().map(|(_, c)| c.dot).sum();
    let file_comma = columns.iter().map(|(_, c)| c.comma).sum();
    columns
        .iter()
        .map(|(header, col)| {
            let decision = col.decide(file_dot, file_comma, delimiter);
            for note in col.notes(header, decision) {
                report.note(Some(file), note);
            }
            decision.0
        })
        .collect()
}

/// Adds the note about a date column's day/month order; returns whether its
/// ambiguous cells are day-first.
pub(crate) fn decide_dates(
    header: &str,
    col: &DateColumn,
    file: &str,
    report: &mut DqReport,
) -> bool {
    if let Some(note) = col.note(header) {
        report.note(Some(file), note);
    }
    col.day_first()
}
