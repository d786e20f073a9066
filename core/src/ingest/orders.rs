//! The orders file: one pass over the rows into columns, then the decisions
//! that need the whole file (decimal marks, day/month order) and the rules
//! that depend on values (dates out of range, cost above price, quantity
//! outliers).
//!
//! Rows whose required fields are blank or unreadable are skipped; every
//! other problem keeps the row and is flagged (SPEC §6). Exact duplicates
//! are found by hashing every cell of a row except a row counter column
//! (`Row ID`, see [`super::fields`]), since two copies of a line exported
//! with a running number differ in nothing else.
//!
//! A large file is read in parts side by side where there are threads
//! ([`Sheet::into_parts`]): each [`Part`] reads its rows as the one pass
//! would, with its own code numbers and row indices; [`duplicates`] then
//! compares repeated rows with the file's first row of their hash, and the
//! parts are appended in file order ([`Part::append`]) before the decisions
//! over whole columns. The result does not depend on the number of parts.

use super::dates::{DateCell, DateColumn};
use super::intern::{Interner, Names};
use super::number::{self, Decimal, Num, NumberColumn};
use super::outlier;
use super::sheet::{decide_dates, decide_numbers, Row, Sheet, SheetEnd};
use super::text;
use super::Finish;
use super::{InputFile, LoadOptions, OrderTable, Overrides, Parsed};
use crate::dataset::{Codes, NumColumn, OrderLines, TextColumn, UNKNOWN_CUSTOMER};
use crate::date::Date;
use crate::parallel;
use crate::quality::{DqReport, Example, Rule};

mod halves;
mod stream;
mod wire;

pub use halves::{halves_cut, halves_middle, HALVES_HEAD_BYTES};
pub use stream::{OrdersStream, RowPieces};
pub use wire::{Piece, PieceBytes};

/// Rows between two progress calls.
const PROGRESS_EVERY: usize = 1 << 14;

/// An optional number column being read.
struct OptNumber {
    column: Option<usize>,
    reader: NumberColumn,
    values: Vec<f64>,
}

/// An optional text column being read (its codes as [`Names`] once a part
/// read elsewhere is decoded, see [`Rows`]).
struct OptText<T = Interner> {
    column: Option<usize>,
    codes: T,
    values: Vec<u32>,
}

impl OptText {
    fn read(&mut self, row: &Row<'_>) {
        if self.column.is_some() {
            let id = row.text(self.column).map_or(TextColumn::MISSING, |t| self.codes.intern(t));
            push(&mut self.values, id);
        }
    }

    fn finish(self) -> TextColumn {
        TextColumn { codes: self.codes.finish(), values: self.values }
    }
}

/// An optional date column being read.
struct OptDate {
    column: Option<usize>,
    reader: DateColumn,
    values: Vec<Option<Date>>,
}

/// The optional number columns, in [`OrderLines`] order; the price and
/// revenue columns are also looked at while reading.
const UNIT_PRICE: usize = 0;
const LINE_REVENUE: usize = 1;
const NUMBER_FIELDS: [&str; 6] =
    ["unit_price", "line_revenue", "unit_cost", "line_cost", "line_margin", "weight_kg"];

/// The error for a file with a header row and no rows.
fn no_lines(file: &str) -> super::IngestError {
    super::sheet::unreadable(
        file,
        2,
        "the file has a header row but no order lines; export the order lines as well",
    )
}

/// The columns of the fields every row is read for.
#[derive(Clone, Copy)]
struct Columns {
    order: Option<usize>,
    date: Option<usize>,
    sku: Option<usize>,
    qty: Option<usize>,
    customer: Option<usize>,
    promo: Option<usize>,
    row_id: Option<usize>,
}

use segscope_scan::column::push;
use segscope_scan::rows::RowHash as Hashed;

/// One part of the file as read (see [`Sheet::into_parts`]): the sheet it
/// was read from and its rows.
struct Part<'t> {
    sheet: Sheet<'t>,
    rows: Rows,
}

/// A part's rows in columns, with codes numbered and row indices counted
/// within the part. Holds no text of the file: a part read on another
/// worker travels as its rows ([`wire`]), with its code tables as their
/// names (`T` = [`Names`]).
struct Rows<T = Interner> {
    /// The findings of the part's rows, duplicates aside.
    report: DqReport,
    columns: Columns,
    orders: T,
    skus: T,
    customers: T,
    lines: OrderLines,
    date_reader: DateColumn,
    qty_reader: NumberColumn,
    numbers: Vec<OptNumber>,
    texts: [OptText<T>; 4],
    optional_dates: [OptDate; 2],
    /// Every kept row's hash, line and byte offset; sorted by hash, then
    /// line, once the part is read. A sorted array rather than a hash
    /// table: 24 bytes a row instead of about 50 (issue #7's memory).
    hashed: Vec<Hashed>,
}

/// A line number as [`OrderLines::line`] holds it.
fn line32(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

impl Columns {
    fn of(column: impl Fn(&str) -> Option<usize>) -> Columns {
        Columns {
            order: column("order_id"),
            date: column("order_date"),
            sku: column("sku"),
            qty: column("quantity"),
            customer: column("customer_id"),
            promo: column("promo"),
            row_id: column("row_id"),
        }
    }
}

impl<T: Default> Rows<T> {
    /// No rows yet, for a file whose fields are in `column`.
    fn empty(column: impl Fn(&str) -> Option<usize>) -> Rows<T> {
        let text = |field: &str| OptText {
            column: column(field),
            codes: T::default(),
            values: Vec::new(),
        };
        let date = |field: &str| OptDate {
            column: column(field),
            reader: DateColumn::default(),
            values: Vec::new(),
        };
        Rows {
            numbers: NUMBER_FIELDS
                .iter()
                .map(|f| OptNumber {
                    column: column(f),
                    reader: NumberColumn::default(),
                    values: Vec::new(),
                })
                .collect(),
            texts: [text("ship_mode"), text("warehouse"), text("region"), text("channel")],
            optional_dates: [date("promised_date"), date("delivered_date")],
            report: DqReport::default(),
            columns: Columns::of(column),
            orders: T::default(),
            skus: T::default(),
            customers: T::default(),
            lines: OrderLines::default(),
            date_reader: DateColumn::default(),
            qty_reader: NumberColumn::default(),
            hashed: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    /// Flags the part's duplicate lines found by [`duplicates`] (in `file`).
    fn flag_duplicates(&mut self, file: &str, found: Vec<(u64, u64)>) {
        for (line, first) in found {
            self.report.flag_with(Rule::DuplicateLine, || Example {
                file: file.to_owned(),
                line,
                column: None,
                detail: format!("identical to line {}; kept", line32(first)),
            });
        }
    }
}

impl<'t> Part<'t> {
    /// Reads the rows of `sheet`, calling `progress` now and then, with
    /// room for `more` rows beyond the sheet's own estimate (rows to be
    /// appended, see [`halves`]).
    fn read(sheet: Sheet<'t>, progress: &mut dyn FnMut(f64), more: usize) -> Part<'t> {
        let rows_ahead = sheet.rows_ahead();
        let mut part = Part { rows: Rows::empty(|f| sheet.column(f)), sheet };
        // The estimate comes from a sample: a little more.
        part.rows.reserve_rows(rows_ahead + rows_ahead / 32, more);
        read_rows(&mut part.sheet, &mut part.rows, progress);
        segscope_scan::rows::sort(&mut part.rows.hashed);
        part
    }

    /// Appends `other`, the part of the file that follows this one.
    fn append(&mut self, other: Part<'t>) {
        self.rows.append(other.rows);
        self.sheet.append(other.sheet);
    }
}

/// The one pass over the rows of `sheet` into `rows`, in stretches that
/// fit the columns.
fn read_rows(sheet: &mut Sheet<'_>, rows: &mut Rows, progress: &mut dyn FnMut(f64)) {
    while read_rows_while_room(sheet, rows, progress) {
        rows.reserve_rows(rows.lines.len() / 8 + 1024, 0);
    }
}

/// Reads rows until the sheet ends (`false`) or the columns are full
/// (`true`).
fn read_rows_while_room(
    sheet: &mut Sheet<'_>,
    rows: &mut Rows,
    progress: &mut dyn FnMut(f64),
) -> bool {
    let Rows {
        report,
        columns: c,
        orders,
        skus,
        customers,
        lines,
        date_reader,
        qty_reader,
        numbers,
        texts,
        optional_dates,
        hashed,
    } = rows;
    let c = *c;
    let mut since_progress = 0usize;
    loop {
        if lines.line.len() == lines.line.capacity() {
            return true;
        }
        since_progress += 1;
        if since_progress == PROGRESS_EVERY {
            since_progress = 0;
            progress(sheet.fraction_read());
        }
        let Some(row) = sheet.next_row(report) else { return false };
        let line = line32(row.line);

        // Required fields: any problem skips the row.
        let order = row.text(c.order);
        let sku = row.text(c.sku);
        let customer = row.text(c.customer);
        // The codes' table slots are fetched while the rest of the row
        // is read (`Interner::look_ahead`).
        let order_ahead = order.map(|code| orders.look_ahead(code));
        let sku_ahead = sku.map(|code| skus.look_ahead(code));
        let customer_ahead = customers.look_ahead(customer.unwrap_or(UNKNOWN_CUSTOMER));
        let date_cell = row.cell(c.date);
        let date = date_reader.parse(date_cell);
        let qty_cell = row.cell(c.qty);
        let qty = number::parse(qty_cell);
        let problem = if order.is_none() {
            Some((c.order, "is blank".to_owned()))
        } else if let DateCell::Empty = date {
            Some((c.date, "is blank".to_owned()))
        } else if let DateCell::Invalid = date {
            Some((c.date, format!("{} is not a date", row.quoted(c.date))))
        } else if sku.is_none() {
            Some((c.sku, "is blank".to_owned()))
        } else if let Num::Empty = qty {
            Some((c.qty, "is blank".to_owned()))
        } else if let Num::Invalid | Num::Value { percent: true, .. } = qty {
            Some((c.qty, format!("{} is not a number", row.quoted(c.qty))))
        } else {
            None
        };
        if let Some((column, what)) = problem {
            report.flag_with(Rule::RequiredFieldInvalid, || {
                row.example(column, format!("`{}` {what}; row skipped", row.header(column)))
            });
            continue;
        }
        let (
            Some((order, order_ahead)),
            Some((sku, sku_ahead)),
            DateCell::Value { date: day, .. },
            Num::Value { value: quantity, .. },
        ) = (order.zip(order_ahead), sku.zip(sku_ahead), date, qty)
        else {
            continue;
        };

        let index = lines.line.len() as u32;
        push(&mut lines.line, line);
        push(&mut lines.date, day);
        date_reader.record(index, date_cell, &date);
        push(&mut lines.quantity, quantity);
        qty_reader.record(index, qty_cell, &qty);
        if quantity < 0.0 {
            report.flag_with(Rule::Return, || {
                row.example(c.qty, format!("quantity {quantity} kept as a return"))
            });
        }

        let customer = match customer {
            Some(code) => code,
            None => {
                if c.customer.is_some() {
                    report.flag_with(Rule::MissingCustomer, || {
                        row.example(c.customer, format!("blank; kept as {UNKNOWN_CUSTOMER}"))
                    });
                }
                UNKNOWN_CUSTOMER
            }
        };

        for n in numbers.iter_mut().filter(|n| n.column.is_some()) {
            let value = row.number(n.column, &mut n.reader, index, false, report);
            push(&mut n.values, value.unwrap_or(f64::NAN));
        }
        let value_of = |i: usize| numbers[i].values.last().copied().filter(|v| !v.is_nan());
        let price = value_of(UNIT_PRICE);
        let revenue = value_of(LINE_REVENUE);
        if let Some(p) = price.filter(|&p| p <= 0.0) {
            report.flag_with(Rule::NonPositivePrice, || {
                row.example(numbers[UNIT_PRICE].column, format!("unit price {p}"))
            });
        } else if let Some(r) = revenue.filter(|&r| r <= 0.0 && quantity > 0.0) {
            report.flag_with(Rule::NonPositivePrice, || {
                row.example(
                    numbers[LINE_REVENUE].column,
                    format!("revenue {r} for quantity {quantity}"),
                )
            });
        }

        for t in texts.iter_mut() {
            t.read(&row);
        }
        for d in optional_dates.iter_mut().filter(|d| d.column.is_some()) {
            let value = row.date(d.column, &mut d.reader, index, report);
            push(&mut d.values, value);
        }
        if c.promo.is_some() {
            push(&mut lines.promo, row.boolean(c.promo, report).unwrap_or(false));
        }

        // Rows with equal hashes are compared cell by cell by
        // [`duplicates`], so a collision never reports two different
        // lines as duplicates.
        let hash = row.hash(c.row_id);
        push(hashed, Hashed { hash, line: row.line, byte: row.byte });

        push(&mut lines.order, orders.intern_ahead(order, order_ahead));
        push(&mut lines.sku, skus.intern_ahead(sku, sku_ahead));
        push(&mut lines.customer, customers.intern_ahead(customer, customer_ahead));
    }
}

impl Rows {
    /// Writes a byte in every page of the room the columns keep for rows
    /// to come ([`touch_room`]).
    fn touch_room(&mut self) {
        let lines = &mut self.lines;
        touch_room(&mut lines.line);
        touch_room(&mut lines.order);
        touch_room(&mut lines.date);
        touch_room(&mut lines.sku);
        touch_room(&mut lines.customer);
        touch_room(&mut lines.quantity);
        touch_room(&mut lines.promo);
        self.numbers.iter_mut().for_each(|n| touch_room(&mut n.values));
        self.texts.iter_mut().for_each(|t| touch_room(&mut t.values));
        self.optional_dates.iter_mut().for_each(|d| touch_room(&mut d.values));
        touch_room(&mut self.hashed);
    }

    /// Makes room for `additional` more rows in every column being filled
    /// (those the file has) and in the row hashes: exactly that many, where
    /// a full vector would double. The columns are sized once from the row
    /// estimate and, if it was short, grown an eighth at a time: doubling
    /// them together left their abandoned halves in the browser worker's
    /// memory, which never shrinks (issue #7: 315.6 against 298.6 MiB for
    /// 1M lines). The columns get room for `more` rows besides, rows of a
    /// later part to be appended ([`halves`]).
    fn reserve_rows(&mut self, rows: usize, more: usize) {
        self.hashed.reserve_exact(rows);
        let additional = rows + more;
        let lines = &mut self.lines;
        lines.line.reserve_exact(additional);
        lines.order.reserve_exact(additional);
        lines.date.reserve_exact(additional);
        lines.sku.reserve_exact(additional);
        lines.customer.reserve_exact(additional);
        lines.quantity.reserve_exact(additional);
        if self.columns.promo.is_some() {
            lines.promo.reserve_exact(additional);
        }
        for n in self.numbers.iter_mut().filter(|n| n.column.is_some()) {
            n.values.reserve_exact(additional);
        }
        for t in self.texts.iter_mut().filter(|t| t.column.is_some()) {
            t.values.reserve_exact(additional);
        }
        for d in self.optional_dates.iter_mut().filter(|d| d.column.is_some()) {
            d.values.reserve_exact(additional);
        }
    }

    /// The part's first row with `hash`.
    fn first_with(&self, hash: u64) -> Option<Hashed> {
        let at = self.hashed.partition_point(|h| h.hash < hash);
        self.hashed.get(at).filter(|h| h.hash == hash).copied()
    }

    /// Appends `other`, the rows of the part of the file that follows this
    /// one: renumbers its codes after this part's and its row indices after
    /// this part's rows, and adds up findings and evidence in file order.
    fn append<T: AsRef<Names>>(&mut self, other: Rows<T>) {
        let rows = self.lines.len() as u32;
        // A number `absorb` does not know (TextColumn::MISSING) is kept.
        let renumber = |numbers: &[u32], id: u32| numbers.get(id as usize).copied().unwrap_or(id);
        let ids = self.orders.absorb(other.orders.as_ref());
        self.lines.order.extend(other.lines.order.iter().map(|&id| renumber(&ids, id)));
        let ids = self.skus.absorb(other.skus.as_ref());
        self.lines.sku.extend(other.lines.sku.iter().map(|&id| renumber(&ids, id)));
        let ids = self.customers.absorb(other.customers.as_ref());
        self.lines.customer.extend(other.lines.customer.iter().map(|&id| renumber(&ids, id)));
        self.lines.line.extend(other.lines.line);
        self.lines.date.extend(other.lines.date);
        self.lines.quantity.extend(other.lines.quantity);
        self.lines.promo.extend(other.lines.promo);
        self.date_reader.append(other.date_reader, rows);
        self.qty_reader.append(other.qty_reader, rows);
        for (mine, theirs) in self.numbers.iter_mut().zip(other.numbers) {
            mine.values.extend(theirs.values);
            mine.reader.append(theirs.reader, rows);
        }
        for (mine, theirs) in self.texts.iter_mut().zip(other.texts) {
            let ids = mine.codes.absorb(theirs.codes.as_ref());
            mine.values.extend(theirs.values.iter().map(|&id| renumber(&ids, id)));
        }
        for (mine, theirs) in self.optional_dates.iter_mut().zip(other.optional_dates) {
            mine.values.extend(theirs.values);
            mine.reader.append(theirs.reader, rows);
        }
        self.report.merge(other.report);
    }
}

/// The duplicate lines of part `i` of `parts`: each row with the same
/// fields (row counter aside) as an earlier row of the file, with the line
/// of the first such row in the file, in line order. Rows are compared
/// with the file's first row of their hash, as one pass from the top
/// compares them: an earlier part's if one has the hash, else the part's own.
fn duplicates(parts: &[Part<'_>], i: usize) -> Vec<(u64, u64)> {
    let Some((part, earlier)) = parts.get(..=i).and_then(<[Part<'_>]>::split_last) else {
        return Vec::new();
    };
    let skip = part.rows.columns.row_id;
    let same_records = |a: u64, b: u64| part.sheet.same_records(a, b, skip);
    duplicates_by(
        &part.rows,
        same_records,
        |hash| earlier.iter().find_map(|p| p.rows.first_with(hash)),
        |row, earliest| same_records(row.byte, earliest.byte).then_some(earliest.line),
    )
}

/// The duplicate lines of a part with rows `part` as [`duplicates`] finds
/// them: `same_records` compares two of its rows by their bytes; the parts
/// before it are known through `earlier`, which gives what stands for
/// their first row of a hash, if any (asked in rising hash order), and
/// `same`, which gives the line of that row if a row of `part` has its
/// fields.
fn duplicates_by<E>(
    part: &Rows,
    same_records: impl Fn(u64, u64) -> bool,
    mut earlier: impl FnMut(u64) -> Option<E>,
    mut same: impl FnMut(&Hashed, &E) -> Option<u64>,
) -> Vec<(u64, u64)> {
    let mut found = Vec::new();
    for rows in part.hashed.chunk_by(|a, b| a.hash == b.hash) {
        let Some((first, rest)) = rows.split_first() else { continue };
        match earlier(first.hash) {
            Some(earliest) => {
                found.extend(rows.iter().filter_map(|row| Some((row.line, same(row, &earliest)?))));
            }
            None => found.extend(
                rest.iter()
                    .filter(|row| same_records(row.byte, first.byte))
                    .map(|row| (row.line, first.line)),
            ),
        }
    }
    found.sort_unstable();
    found
}

/// Bodies shorter than this are read in one part: below it, threads cost
/// more than they save.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Parses an orders file (see [`super::parse_orders`]).
pub(crate) fn parse(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed<OrderTable>, super::IngestError> {
    parse_in_parts(file, overrides, options, progress, None)
}

/// [`parse`] with the rows read in up to `parts` parts of the file side by
/// side (see [`Sheet::into_parts`]); `None` takes one per thread for a
/// large file, else one. The result is the same for any number of parts:
/// each part numbers its own codes and counts its own findings, and the
/// parts are appended in file order, renumbering their codes and row
/// indices as one reading from the top would have numbered them.
pub(crate) fn parse_in_parts(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
    progress: &mut dyn FnMut(f64),
    parts: Option<usize>,
) -> Result<Parsed<OrderTable>, super::IngestError> {
    let decoded =
        text::decode(file.bytes).map_err(|m| super::sheet::unreadable(file.name, 1, m))?;
    let mut report = DqReport::default();
    let sheet = Sheet::open(file.name, super::FileKind::Orders, &decoded, overrides, &mut report)?;
    progress(0.0);

    let parts = parts.unwrap_or(if decoded.text.len() < PARALLEL_FROM_BYTES {
        1
    } else {
        parallel::threads()
    });
    let sheets = sheet.into_parts(parts);
    let mut parts = if sheets.len() == 1 {
        sheets.into_iter().map(|sheet| Part::read(sheet, progress, 0)).collect()
    } else {
        parallel::map_each(sheets, |sheet| Part::read(sheet, &mut |_| {}, 0))
    };
    let found = parallel::map_rows(parts.len(), |i| duplicates(&parts, i));
    for (part, found) in parts.iter_mut().zip(found) {
        part.rows.flag_duplicates(file.name, found);
        part.rows.hashed = Vec::new();
    }
    let whole = parts.into_iter().reduce(|mut whole, part| {
        whole.append(part);
        progress(whole.sheet.fraction_read());
        whole
    });
    let Some(Part { sheet, rows }) = whole else {
        return Err(no_lines(file.name));
    };
    finish(sheet.end(), rows, report, options, progress)
}

/// The orders table from the rows of the whole file, read in parts and
/// appended: the decisions over whole columns and the rules that need
/// them. `report` holds the findings of opening the file.
fn finish(
    sheet: SheetEnd,
    rows: Rows,
    mut report: DqReport,
    options: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed<OrderTable>, super::IngestError> {
    let Rows {
        report: rows_report,
        columns: Columns { date: c_date, qty: c_qty, customer: c_customer, .. },
        orders,
        skus,
        customers,
        mut lines,
        date_reader,
        qty_reader,
        mut numbers,
        texts,
        mut optional_dates,
        ..
    } = rows;
    let name = sheet.name.clone();
    report.merge(rows_report);
    let (orders, (skus, customers)) =
        parallel::join(|| orders.finish(), || (skus.finish(), customers.finish()));

    if lines.is_empty() && sheet.rows == 0 {
        return Err(no_lines(&name));
    }

    // Decisions over whole columns.
    let header = |c: Option<usize>| sheet.header(c).to_owned();
    let mut columns: Vec<(String, &NumberColumn)> = vec![(header(c_qty), &qty_reader)];
    columns.extend(
        numbers.iter().filter(|n| n.column.is_some()).map(|n| (header(n.column), &n.reader)),
    );
    let named: Vec<(&str, &NumberColumn)> = columns.iter().map(|(h, c)| (h.as_str(), *c)).collect();
    let decisions = decide_numbers(&named, sheet.delimiter, &name, &mut report);
    let mut decisions = decisions.into_iter();
    if decisions.next() == Some(Decimal::Comma) {
        for &(i, alt) in &qty_reader.ambiguous {
            if let Some(q) = lines.quantity.get_mut(i as usize) {
                *q = alt;
            }
        }
    }
    for n in numbers.iter_mut().filter(|n| n.column.is_some()) {
        if decisions.next() == Some(Decimal::Comma) {
            for &(i, alt) in &n.reader.ambiguous {
                if let Some(v) = n.values.get_mut(i as usize) {
                    *v = alt;
                }
            }
        }
    }
    if decide_dates(sheet.header(c_date), &date_reader, &name, &mut report) {
        for &(i, alt) in &date_reader.ambiguous {
            if let Some(d) = lines.date.get_mut(i as usize) {
                *d = alt;
            }
        }
    }
    for d in &mut optional_dates {
        if d.column.is_some() && decide_dates(sheet.header(d.column), &d.reader, &name, &mut report)
        {
            for &(i, alt) in &d.reader.ambiguous {
                if let Some(v) = d.values.get_mut(i as usize) {
                    *v = Some(alt);
                }
            }
        }
    }

    let [promised, delivered] = optional_dates;
    let [ship_mode, warehouse, region, channel] = texts;
    let mut numbers = numbers.into_iter().map(|n| NumColumn(n.values));
    let mut next_number = || numbers.next().unwrap_or_default();
    lines.unit_price = next_number();
    lines.line_revenue = next_number();
    lines.unit_cost = next_number();
    lines.line_cost = next_number();
    lines.line_margin = next_number();
    lines.weight_kg = next_number();
    lines.ship_mode = ship_mode.finish();
    lines.warehouse = warehouse.finish();
    lines.region = region.finish();
    lines.channel = channel.finish();
    lines.promised_date = promised.values;
    lines.delivered_date = delivered.values;

    let col = |field: &str| {
        let c = sheet.column(field);
        c.map(|c| sheet.header(Some(c)).to_owned())
    };
    {
        let flag = line_flag(&name, &lines);
        check_dates(&lines, options, &mut report, &col, &flag);
        check_cost_above_price(&lines, &mut report, &col, &flag);
        if !options.later_findings {
            check_quantity_outliers(&lines, &skus, &mut report, &col, &flag);
        }
    }

    if c_customer.is_none() && !lines.is_empty() {
        report.flag_many(
            Rule::MissingCustomer,
            lines.len() as u64,
            Example {
                file: name.clone(),
                line: 0,
                column: None,
                detail: format!(
                    "the file has no customer column; every line is {UNKNOWN_CUSTOMER}"
                ),
            },
        );
    }
    if !lines.unit_price.is_present() && !lines.line_revenue.is_present() {
        report.note(
            Some(&name),
            "No unit price or line revenue column was found, so revenue and margin figures \
             are zero; map one in the column mapping if the file has it.",
        );
    }

    let layout = sheet.finish(&mut report);
    progress(1.0);
    Ok(Parsed { table: OrderTable { skus, customers, orders, lines }, layout, report })
}

/// Flags a rule at row `i`: the column and the detail are made into an
/// example only while the report keeps examples of the rule (a file may
/// have tens of thousands of hits).
type Flag<'a> = dyn Fn(&mut DqReport, Rule, usize, &Option<String>, &dyn Fn() -> String) + 'a;

/// Dates before 1990 or after the load day (order and delivery dates;
/// promised dates may lie ahead, so only the 1990 bound applies to them).
fn check_dates(
    lines: &OrderLines,
    options: &LoadOptions,
    report: &mut DqReport,
    col: &dyn Fn(&str) -> Option<String>,
    flag: &Flag<'_>,
) {
    let Some(earliest) = Date::from_ymd(1990, 1, 1) else { return };
    let out_of_range = |d: Date, future_allowed: bool| {
        if d < earliest {
            Some(format!("{d} is before {earliest}"))
        } else {
            options
                .today
                .filter(|&t| d > t && !future_allowed)
                .map(|t| format!("{d} is after the load day {t}"))
        }
    };
    let order_column = col("order_date");
    let promised_column = col("promised_date");
    let delivered_column = col("delivered_date");
    for i in 0..lines.len() {
        if let Some(why) = lines.date.get(i).and_then(|&d| out_of_range(d, false)) {
            flag(report, Rule::DateOutOfRange, i, &order_column, &|| why.clone());
        }
        if let Some(why) =
            lines.promised_date.get(i).copied().flatten().and_then(|d| out_of_range(d, true))
        {
            flag(report, Rule::DateOutOfRange, i, &promised_column, &|| why.clone());
        }
        if let Some(why) =
            lines.delivered_date.get(i).copied().flatten().and_then(|d| out_of_range(d, false))
        {
            flag(report, Rule::DateOutOfRange, i, &delivered_column, &|| why.clone());
        }
    }
}

/// Unit cost above unit price, from the line's own columns: price is
/// `unit_price` or `line_revenue / quantity`, cost is `unit_cost` or
/// `line_cost / quantity`. A negative `line_margin` alone is not flagged: a
/// sale below cost is a business fact, while a cost column above the price
/// column is more often a unit or column mix-up worth checking.
fn check_cost_above_price(
    lines: &OrderLines,
    report: &mut DqReport,
    col: &dyn Fn(&str) -> Option<String>,
    flag: &Flag<'_>,
) {
    if !lines.unit_cost.is_present() && !lines.line_cost.is_present() {
        return;
    }
    let cost_column = col("unit_cost").or_else(|| col("line_cost"));
    for i in 0..lines.len() {
        let q = lines.quantity.get(i).copied().unwrap_or(0.0);
        let per_unit = |v: f64| (q != 0.0).then(|| v / q);
        let price =
            lines.unit_price.get(i).or_else(|| lines.line_revenue.get(i).and_then(per_unit));
        let cost = lines.unit_cost.get(i).or_else(|| lines.line_cost.get(i).and_then(per_unit));
        if let (Some(p), Some(c)) = (price, cost) {
            if p > 0.0 && c > p * (1.0 + 1e-9) {
                flag(report, Rule::CostAbovePrice, i, &cost_column, &|| {
                    format!("unit cost {c} is above unit price {p}")
                });
            }
        }
    }
}

/// [`check_quantity_outliers`] of the lines of the orders file of
/// `layout`, once loaded ([`super::later_findings`]).
pub(super) fn quantity_outliers(
    lines: &OrderLines,
    skus: &Codes,
    layout: &super::FileLayout,
    report: &mut DqReport,
) {
    let col = |field: &str| {
        layout.fields.iter().find(|f| f.field == field).and_then(|f| f.header.clone())
    };
    check_quantity_outliers(lines, skus, report, &col, &line_flag(&layout.name, lines));
}

/// [`Flag`] for the rows of `lines`, read from the file named `file`.
fn line_flag<'a>(
    file: &'a str,
    lines: &'a OrderLines,
) -> impl Fn(&mut DqReport, Rule, usize, &Option<String>, &dyn Fn() -> String) + 'a {
    move |report, rule, i, column, detail| {
        let line = u64::from(lines.line.get(i).copied().unwrap_or(0));
        report.flag_with(rule, || Example {
            file: file.to_owned(),
            line,
            column: column.clone(),
            detail: detail(),
        });
    }
}

/// Quantity far above the SKU's usual line size (see [`outlier`]).
fn check_quantity_outliers(
    lines: &OrderLines,
    skus: &Codes,
    report: &mut DqReport,
    col: &dyn Fn(&str) -> Option<String>,
    flag: &Flag<'_>,
) {
    // The positive quantities grouped by SKU: a counting sort over the SKU
    // numbers (linear, where sorting the lines by SKU grew faster than the
    // file), then each SKU's limit from its group, then the lines above
    // their SKU's limit in line order. Plain loops over the columns: in
    // the browser's build, compiled for size, iterator adapters are calls.
    let (sku_of, quantity) = (&lines.sku, &lines.quantity);
    let rows = sku_of.len().min(quantity.len());
    let codes = skus.len();
    // `starts[s]`: where SKU `s`'s group starts in `grouped`; the last
    // entry is where the last group ends.
    let mut starts = vec![0usize; codes + 1];
    for i in 0..rows {
        let s = sku_of[i] as usize;
        if quantity[i] > 0.0 && s < codes {
            starts[s + 1] += 1;
        }
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    let mut next = starts.clone();
    let mut grouped = vec![0.0; starts[codes]];
    for i in 0..rows {
        let (s, q) = (sku_of[i] as usize, quantity[i]);
        if q > 0.0 && s < codes {
            grouped[next[s]] = q;
            next[s] += 1;
        }
    }
    // No limit (infinity) for a SKU with too few positive lines.
    let mut limits = vec![f64::INFINITY; codes];
    for s in 0..codes {
        if let Some(limit) = outlier::limit(&mut grouped[starts[s]..starts[s + 1]]) {
            limits[s] = limit;
        }
    }
    // Limits are positive: only positive lines are ever above them.
    let column = col("quantity");
    for i in 0..rows {
        let (s, q) = (sku_of[i] as usize, quantity[i]);
        let Some(&limit) = limits.get(s).filter(|&&limit| q > limit) else { continue };
        flag(report, Rule::QuantityOutlier, i, &column, &|| {
            format!(
                "quantity {q} of SKU `{}` is above {}, far above its usual line size",
                skus.name(s as u32),
                (limit * 1e4).round() / 1e4
            )
        });
    }
}

/// Writes a byte in each page of `values`'s room beyond its values. Memory
/// a WebAssembly instance has not touched yet costs the system a page
/// fault at its first write, about 0.3 ms a MiB on the machine of issue
/// #7: a worker that writes the room ahead of the rows, while it would
/// otherwise wait, writes the rows faster (an instance's memory never
/// shrinks, so the room stays the instance's).
fn touch_room<T>(values: &mut Vec<T>) {
    const PAGE: usize = 4096;
    let room = values.spare_capacity_mut();
    let (start, bytes) = (room.as_mut_ptr().cast::<u8>(), size_of_val(room));
    for offset in (0..bytes).step_by(PAGE) {
        // SAFETY: within the room, which is uninitialised: any byte may be
        // written there. Volatile, or the write to memory never read
        // would be left out.
        unsafe { start.add(offset).write_volatile(0) };
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_orders, IngestError, InputFile, LoadOptions, OrderTable, Parsed};
    use super::{halves, OrdersStream};
    use crate::date::Date;
    use crate::quality::Rule;

    fn options() -> LoadOptions {
        LoadOptions { today: Date::from_ymd(2024, 6, 30), ..LoadOptions::default() }
    }

    fn parse_bytes(bytes: &[u8]) -> Result<Parsed<OrderTable>, IngestError> {
        let file = InputFile { name: "orders.csv", bytes };
        parse_orders(file, &Default::default(), &options(), &mut |_| {})
    }

    fn parse(text: &str) -> Parsed<OrderTable> {
        parse_bytes(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    /// The lines of the examples of `rule`.
    fn lines_of(parsed: &Parsed<OrderTable>, rule: Rule) -> Vec<u64> {
        parsed
            .report
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .flat_map(|f| f.examples.iter().map(|e| e.line))
            .collect()
    }

    const HEADER: &str = "Order,Date,SKU,Qty,Customer,Price,Revenue,Unit Cost\n";
    const OK: &str = "O1,2024-01-02,A,1,C1,5,5,3\n";

    /// Parses `HEADER`, then `rows`, and checks the lines `rule` hit and the
    /// number of lines kept.
    fn check(rows: &str, rule: Rule, lines: &[u64], kept: usize) {
        let parsed = parse(&format!("{HEADER}{rows}"));
        assert_eq!(lines_of(&parsed, rule), lines, "{rule:?} in {rows:?}");
        assert_eq!(parsed.table.lines.len(), kept, "kept lines of {rows:?}");
    }

    #[test]
    fn every_orders_rule_on_a_small_file() {
        use Rule::*;
        check(OK, RequiredFieldInvalid, &[], 1);
        check(",2024-01-02,A,1,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,,A,1,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,someday,A,1,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02, ,1,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02,A,,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02,A,two,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02,A,NaN,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02,A,50%,C1,5,5,3\n", RequiredFieldInvalid, &[2], 0);
        check("O1,2024-01-02,A,1,C1,5,5,3,extra\n", TooManyFields, &[2], 0);
        check("O1,2024-01-02,A,1,C1,5,5,3,,\n", TooManyFields, &[], 1);
        check("O1,2024-01-02,A,1\n", TooFewFields, &[2], 1);
        check("O1,2024-01-02,A,1\n", MissingCustomer, &[2], 1);
        check("O1,2024-01-02,A,1,,5,5,3\n", MissingCustomer, &[2], 1);
        check("O1,2024-01-02,A,1,C1,x,5,3\n", OptionalFieldInvalid, &[2], 1);
        check("O1,2024-01-02,A,1,C1,inf,5,3\n", OptionalFieldInvalid, &[2], 1);
        check("O1,2024-01-02,A,-2,C1,5,-10,3\n", Return, &[2], 1);
        check("O1,2024-01-02,A,-2,C1,5,-10,3\n", NonPositivePrice, &[], 1);
        check("O1,2024-01-02,A,1,C1,0,,\n", NonPositivePrice, &[2], 1);
        check("O1,2024-01-02,A,1,C1,-5,,\n", NonPositivePrice, &[2], 1);
        check("O1,2024-01-02,A,1,C1,,0,\n", NonPositivePrice, &[2], 1);
        check(&format!("{OK}{OK}O2,2024-01-02,A,1,C1,5,5,3\n{OK}"), DuplicateLine, &[3, 5], 4);
        check("O1,1989-12-31,A,1,C1,5,5,3\n", DateOutOfRange, &[2], 1);
        check("O1,2024-07-01,A,1,C1,5,5,3\n", DateOutOfRange, &[2], 1);
        check("O1,1990-01-01,A,1,C1,5,5,3\n", DateOutOfRange, &[], 1);
        check("O1,2024-06-30,A,1,C1,5,5,3\n", DateOutOfRange, &[], 1);
        check("O1,2024-01-02,A,1,C1,5,5,6\n", CostAbovePrice, &[2], 1);
        check("O1,2024-01-02,A,2,C1,,10,6\n", CostAbovePrice, &[2], 1);
        check("O1,2024-01-02,A,2,C1,,10,5\n", CostAbovePrice, &[], 1);
        let usual = "O1,2024-01-02,A,2,C1,5,,\n".repeat(5);
        check(&format!("{usual}O2,2024-01-03,A,11,C1,5,,\n"), QuantityOutlier, &[7], 6);
        check(&format!("{usual}O2,2024-01-03,A,10,C1,5,,\n"), QuantityOutlier, &[], 6);
        check(
            &"O1,2024-01-02,A,2,C1,5,,\nO2,2024-01-02,A,50,C1,5,,\n".repeat(2),
            QuantityOutlier,
            &[],
            4,
        );
        // Two SKUs' lines interleaved, a return among them: each SKU is
        // judged on its own positive lines (A: limit 5 × 2 = 10; B: 5 × 3 = 15).
        let both: String = (0..5)
            .map(|k| format!("O{k},2024-01-02,A,2,C1,5,,\nO{k},2024-01-02,B,3,C1,5,,\n"))
            .collect();
        let tail =
            "O9,2024-01-03,B,40,C1,5,,\nO9,2024-01-03,A,-30,C1,5,,\nO9,2024-01-03,A,11,C1,5,,\n";
        check(&format!("{both}{tail}"), QuantityOutlier, &[12, 14], 13);
    }

    /// `text` as UTF-16 with a byte order mark.
    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    }

    #[test]
    fn every_encoding_and_delimiter_gives_the_same_table() {
        let text = "Order;Date;SKU;Qty;Customer;Price\n1;2024-01-02;Crème;2;Zoë;1,5\n";
        let expected = parse(text).table;
        assert_eq!(expected.skus.names(), ["Crème"]);
        assert_eq!(expected.lines.unit_price.0, [1.5]);
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let cases: Vec<(Vec<u8>, &str, char)> = vec![
            (text.as_bytes().to_vec(), "UTF-8", ';'),
            ([b"\xEF\xBB\xBF", text.as_bytes()].concat(), "UTF-8", ';'),
            (utf16(text, false), "UTF-16LE", ';'),
            (utf16(text, true), "UTF-16BE", ';'),
            (latin1, "windows-1252", ';'),
            (text.replace(';', "\t").as_bytes().to_vec(), "UTF-8", '\t'),
            (text.replace(';', "|").as_bytes().to_vec(), "UTF-8", '|'),
            (text.replace("1,5", "\"1,5\"").replace(';', ",").into_bytes(), "UTF-8", ','),
            (format!("sep=;\n{text}").into_bytes(), "UTF-8", ';'),
        ];
        for (bytes, encoding, delimiter) in cases {
            let parsed = parse_bytes(&bytes).unwrap();
            assert_eq!(
                (parsed.layout.encoding.as_str(), parsed.layout.delimiter),
                (encoding, delimiter),
                "{bytes:?}"
            );
            let mut table = parsed.table;
            // A `sep=` line moves the data one line down.
            if table.lines.line == [3] {
                table.lines.line = vec![2];
            }
            assert_eq!(table, expected, "{bytes:?}");
        }
    }

    #[test]
    fn line_numbers_count_crlf_and_blank_lines() {
        let text = format!(
            "\r\n{}{}\r\n\r\n{}",
            HEADER.replace('\n', "\r\n"),
            OK.replace('\n', "\r\n"),
            OK
        );
        let parsed = parse(&text);
        assert_eq!(parsed.table.lines.line, [3, 6]);
        assert_eq!(lines_of(&parsed, Rule::DuplicateLine), [6]);
    }

    #[test]
    fn line_numbers_are_physical_lines_where_records_start() {
        let text = format!("{HEADER}O1,2024-01-02,\"A\nsecond line\",1,C1,5,5,3\n\n,bad,,,\n");
        let parsed = parse(&text);
        assert_eq!(parsed.table.lines.line, [2]);
        assert_eq!(parsed.table.skus.names(), ["A\nsecond line"]);
        assert_eq!(lines_of(&parsed, Rule::RequiredFieldInvalid), [5]);
        let parsed = parse(&format!("sep=,\n{HEADER},x,,,\n"));
        assert_eq!(lines_of(&parsed, Rule::RequiredFieldInvalid), [3]);
    }

    #[test]
    fn findings_name_the_column_and_quote_the_value() {
        let parsed = parse(&format!("{HEADER}O1,2024-01-02,A,two,C1,5,5,3\n"));
        let example = &parsed.report.findings[0].examples[0];
        assert_eq!(example.column.as_deref(), Some("Qty"));
        assert!(example.detail.contains("\"two\""), "{}", example.detail);
    }

    #[test]
    fn identifiers_are_trimmed_and_keep_their_case() {
        let parsed = parse(&format!("{HEADER} o-1 ,2024-01-02, Ab ,1, c1 ,5,5,3\n"));
        let t = &parsed.table;
        assert_eq!(
            (t.orders.names(), t.skus.names(), t.customers.names()),
            (&["o-1".to_owned()][..], &["Ab".to_owned()][..], &["c1".to_owned()][..])
        );
    }

    #[test]
    fn a_file_without_customer_column_is_all_unknown() {
        let parsed = parse("order;date;sku;qty\n1;2.1.2024;A;1\n2;3.1.2024;B;1\n");
        assert_eq!(parsed.table.customers.names(), ["(unknown)"]);
        assert_eq!(parsed.report.count(Rule::MissingCustomer), 2);
        assert!(parsed.report.notes.iter().any(|n| n.message.contains("No unit price")));
    }

    #[test]
    fn columns_grow_past_a_short_row_estimate() {
        // The first 64 KiB, which the row estimate samples, hold long rows
        // and the rest short ones: the columns are sized for about 250
        // rows and must grow, in stretches, to 30,000.
        let long = "x".repeat(600);
        let mut text = String::from("order,date,sku,qty,ship mode,promised date,promo,weight\n");
        for i in 0..30_000 {
            let mode = if i < 200 { long.as_str() } else { "Air" };
            let day = 1 + i % 28;
            text += &format!(
                "O{i},2024-01-{day:02},S{},{},{mode},2024-02-{day:02},yes,{i}.5\n",
                i % 7,
                i + 1
            );
        }
        let parsed = parse(&text);
        let l = &parsed.table.lines;
        assert_eq!(parsed.table.orders.len(), 30_000);
        assert!(l.quantity.iter().enumerate().all(|(i, &q)| q == (i + 1) as f64));
        assert!((0..30_000).all(|i| l.weight_kg.get(i) == Some(i as f64 + 0.5)));
        assert!((0..30_000).all(|i| l.sku[i] == (i % 7) as u32 && l.order[i] == i as u32));
        let mode = |i: usize| l.ship_mode.get(i);
        assert_eq!(
            (mode(199), mode(200), mode(29_999)),
            (Some(long.as_str()), Some("Air"), Some("Air"))
        );
        let day = |i: usize| Date::from_ymd(2024, 2, 1 + i as u32 % 28);
        assert!((0..30_000).all(|i| l.promised_date[i] == day(i) && l.promo[i]));
        assert_eq!(l.line.last(), Some(&30_001));
    }

    #[test]
    fn optional_columns_are_filled_or_left_empty() {
        let text = "order,date,sku,qty,ship mode,warehouse,region,channel,promised date,\
                    delivery date,promo,weight,cogs,profit\n\
                    1,2024-01-02,A,1,Air,W1,North,Web,2024-01-05,2024-01-06,yes,1.5,2,3\n\
                    2,2024-01-02,A,1,,,,,,,,,,\n";
        let l = parse(text).table.lines;
        assert_eq!(l.ship_mode.get(0), Some("Air"));
        assert_eq!(l.ship_mode.get(1), None);
        assert_eq!(
            (l.warehouse.get(0), l.region.get(0), l.channel.get(0)),
            (Some("W1"), Some("North"), Some("Web"))
        );
        assert_eq!(l.promised_date, [Date::from_ymd(2024, 1, 5), None]);
        assert_eq!(l.delivered_date, [Date::from_ymd(2024, 1, 6), None]);
        assert_eq!(l.promo, [true, false]);
        assert_eq!(
            (l.weight_kg.get(0), l.line_cost.get(0), l.line_margin.get(0)),
            (Some(1.5), Some(2.0), Some(3.0))
        );
        assert_eq!(l.weight_kg.get(1), None);
        assert!(!l.unit_price.is_present());
    }

    #[test]
    fn number_columns_decide_their_decimal_mark() {
        // `1,234` alone is ambiguous; the column's `2,5` proves decimal comma.
        let parsed = parse("order;date;sku;qty;price\n1;2.1.2024;A;1;1,234\n2;2.1.2024;A;1;2,5\n");
        assert_eq!(parsed.table.lines.unit_price.0, [1.234, 2.5]);
        // Here `3.5` proves decimal point.
        let parsed =
            parse("order,date,sku,qty,price\n1,2024-01-02,A,1,\"1,234\"\n2,2024-01-02,A,1,3.5\n");
        assert_eq!(parsed.table.lines.unit_price.0, [1234.0, 3.5]);
        // Nothing proves anything: `;` means decimal comma, and a note says so.
        let parsed = parse("order;date;sku;qty\n1;2.1.2024;A;1,500\n");
        assert_eq!(parsed.table.lines.quantity, [1.5]);
        assert!(parsed.report.notes.iter().any(|n| n.message.contains("`1,500`")));
    }

    #[test]
    fn date_columns_decide_their_day_month_order() {
        let parsed = parse("order,date,sku,qty\n1,4/5/2024,A,1\n2,25/5/2024,A,1\n");
        let days: Vec<String> = parsed.table.lines.date.iter().map(|d| d.to_string()).collect();
        assert_eq!(days, ["2024-05-04", "2024-05-25"]);
        let parsed = parse("order,date,sku,qty\n1,4/5/2024,A,1\n");
        assert_eq!(parsed.table.lines.date[0].to_string(), "2024-04-05");
        assert!(parsed.report.notes.iter().any(|n| n.message.contains("assumed")));
    }

    #[test]
    fn unreadable_files_are_errors_with_line_and_advice() {
        let cases: [(&[u8], u64, &str); 6] = [
            (b"", 1, "empty"),
            (b"  \r\n \n", 1, "empty"),
            (b"Order,Date,SKU,Qty\n", 2, "no order lines"),
            (b",,,\n1,2,3\n", 1, "header row is blank"),
            (b"PK\x03\x04garbage", 1, "Excel"),
            (b"Order,Date\0,SKU,Qty\n", 1, "NUL"),
        ];
        for (bytes, line, hint) in cases {
            match parse_bytes(bytes) {
                Err(IngestError::Unreadable { line: l, message, file }) => {
                    assert_eq!((l, file.as_str()), (line, "orders.csv"), "{bytes:?}");
                    assert!(message.contains(hint), "{bytes:?}: {message}");
                }
                other => panic!("{bytes:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_required_field_names_it_and_lists_the_headers() {
        let e = parse_bytes(b"Order,Date,Qty\n1,2024-01-02,3\n").unwrap_err();
        assert_eq!(
            e,
            IngestError::MissingField {
                file: "orders.csv".into(),
                field: "sku".into(),
                headers: vec!["Order".into(), "Date".into(), "Qty".into()],
            }
        );
    }

    /// Parses `bytes` with the rows read in `parts` parts.
    fn parse_parts(
        bytes: &[u8],
        parts: usize,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Parsed<OrderTable>, IngestError> {
        let file = InputFile { name: "orders.csv", bytes };
        super::parse_in_parts(file, &Default::default(), &options(), progress, Some(parts))
    }

    /// How many parts the rows of `bytes` are cut into when `parts` are asked for.
    fn parts_cut(bytes: &[u8], parts: usize) -> usize {
        let decoded = super::text::decode(bytes).unwrap();
        let mut report = crate::quality::DqReport::default();
        let kind = super::super::FileKind::Orders;
        let sheet =
            super::Sheet::open("o.csv", kind, &decoded, &Default::default(), &mut report).unwrap();
        sheet.into_parts(parts).len()
    }

    /// The bits of every number column of `lines`, column by column.
    fn number_bits(lines: &crate::dataset::OrderLines) -> Vec<Vec<u64>> {
        let columns = [
            &lines.quantity,
            &lines.unit_price.0,
            &lines.line_revenue.0,
            &lines.unit_cost.0,
            &lines.line_cost.0,
            &lines.line_margin.0,
            &lines.weight_kg.0,
        ];
        columns.iter().map(|c| c.iter().map(|v| v.to_bits()).collect()).collect()
    }

    /// Reads `bytes` in two halves cut after the first LF from byte
    /// `middle` on, as two browser workers do: each streamed in chunks of
    /// `chunk` bytes, the second's rows through the bytes that travel
    /// between them (the first's first chunk read at once: a small file's
    /// first half may be shorter than the production's first chunk);
    /// `None` where the file is read whole. With it, whether the second
    /// half's rows were joined (not when the cut is inside a record).
    fn parse_halves(
        bytes: &[u8],
        middle: u64,
        chunk: usize,
    ) -> Option<(Result<Parsed<OrderTable>, IngestError>, bool)> {
        let size = bytes.len() as u64;
        let at = halves::cut_after(middle, bytes.get(middle as usize..)?, size)? as usize;
        let (first, second) = bytes.split_at(at);
        let o = Default::default();
        let head = &bytes[..bytes.len().min(super::HALVES_HEAD_BYTES as usize)];
        let mut rest = OrdersStream::rest("orders.csv", head, at as u64, size, &o)?;
        second.chunks(chunk).for_each(|piece| rest.feed(piece, &mut |_| {}));
        let mut stream = OrdersStream::new("orders.csv", size, &o).first_at(1);
        first.chunks(chunk).for_each(|piece| stream.feed(piece, &mut |_| {}));
        let joined = rest.send()?.join_to(&mut stream);
        if !joined {
            // A cut inside a quoted field: the rest is fed as it comes.
            second.chunks(chunk).for_each(|piece| stream.feed(piece, &mut |_| {}));
        }
        let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
        Some((stream.finish(&mut fetch, &options(), &mut |_| {})?, joined))
    }

    /// Reads `bytes` as they stream in, `chunk` bytes at a time, the first
    /// chunk read once `first` bytes have come (the production's when
    /// `None`), as the browser worker does; `None` where the file is read
    /// whole.
    fn parse_stream(
        bytes: &[u8],
        chunk: usize,
        first: Option<usize>,
    ) -> Option<Result<Parsed<OrderTable>, IngestError>> {
        let stream = OrdersStream::new("orders.csv", bytes.len() as u64, &Default::default());
        let mut stream = match first {
            Some(first) => stream.first_at(first),
            None => stream,
        };
        for piece in bytes.chunks(chunk) {
            stream.feed(piece, &mut |_| {});
        }
        let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
        stream.finish(&mut fetch, &options(), &mut |_| {})
    }

    /// Asserts that reading `bytes` in 2, 3 and 7 parts, in two halves cut
    /// at a third, the middle and two thirds, and as it streams in, in
    /// chunks of several sizes, gives, bit for bit, what reading it in one
    /// does: table, layout, report or error.
    fn same_in_any_parts(what: &str, bytes: &[u8]) {
        let whole = parse_parts(bytes, 1, &mut |_| {});
        let len = bytes.len() as u64;
        let cuts = [2, 3, 7]
            .map(|parts| (format!("{parts} parts"), Some(parse_parts(bytes, parts, &mut |_| {}))));
        let halves = [len / 3, len / 2, 2 * len / 3].map(|middle| {
            let chunk = (bytes.len() / 5).max(4096);
            (format!("halves at {middle}"), parse_halves(bytes, middle, chunk).map(|(p, _)| p))
        });
        // Small chunks on small files only: each is a sheet of its own.
        let chunks = [7, 4096, 65_549].into_iter().filter(|&c| c >= bytes.len() / 20_000);
        let streams = chunks.flat_map(|chunk| {
            [None, Some(1)].map(|first| {
                (format!("chunks of {chunk} from {first:?}"), parse_stream(bytes, chunk, first))
            })
        });
        for (parts, cut) in cuts.into_iter().chain(halves).chain(streams) {
            let Some(cut) = cut else { continue };
            let (whole, cut) = match (&whole, cut) {
                (Ok(whole), Ok(cut)) => (whole, cut),
                (whole, cut) => {
                    assert_eq!(whole.as_ref().err(), cut.as_ref().err(), "{what} in {parts}");
                    continue;
                }
            };
            assert_eq!(number_bits(&cut.table.lines), number_bits(&whole.table.lines));
            // With the numbers compared as bits, NaN (a blank cell) aside.
            let without_numbers = |t: &OrderTable| {
                let mut t = t.clone();
                t.lines.quantity.clear();
                for c in [
                    &mut t.lines.unit_price,
                    &mut t.lines.line_revenue,
                    &mut t.lines.unit_cost,
                    &mut t.lines.line_cost,
                    &mut t.lines.line_margin,
                    &mut t.lines.weight_kg,
                ] {
                    c.0.clear();
                }
                t
            };
            let (a, b) = (without_numbers(&cut.table), without_numbers(&whole.table));
            assert!(a == b, "{what} in {parts} parts: the tables differ");
            assert_eq!(cut.layout, whole.layout, "{what} in {parts} parts");
            assert_eq!(cut.report, whole.report, "{what} in {parts} parts");
        }
    }

    /// An orders file with a bit of everything, `rows` rows long: a row
    /// counter, CRLF and LF line ends, quoted newlines and delimiters,
    /// duplicates far apart, blank, ragged and bad rows, `1,234` prices,
    /// ambiguous dates and `1,250` weights (read with a decimal comma) only
    /// from row `ambiguous_from` on.
    fn mixed(rows: usize, ambiguous_from: usize) -> String {
        let mut text = String::from(
            "Row ID,Order,Date,SKU,Qty,Customer,Price,Revenue,Ship Mode,Promised,Promo,Weight\r\n",
        );
        for i in 0..rows {
            // Every 13th row repeats the row 37 before it, and every 41st
            // the third row, their counters aside.
            let k = match i {
                _ if i % 41 == 40 => 2,
                _ if i % 13 == 12 && i >= 37 => i - 37,
                _ => i,
            };
            // Ambiguous dates, a few proving day/month.
            let date = if k >= ambiguous_from {
                format!("{}/5/2024", if k % 10 == 7 { 25 } else { 1 + k % 12 })
            } else {
                format!("2024-0{}-1{}", 1 + k % 9, k % 10)
            };
            let price = if k >= ambiguous_from && k % 2 == 0 {
                "\"1,234\"".to_owned()
            } else {
                format!("{}.{}", k % 50, k % 10)
            };
            let sku = match k % 7 {
                0 => format!("\"S\n{}\"", k % 5),
                1 => format!("\"S,{}\"\"x\"\"\"", k % 3),
                _ => format!("S{}", k % 11),
            };
            // Revenues only in the ambiguous rows, each one ambiguous;
            // weights there too, with a few proving `,`.
            let revenue = if k >= ambiguous_from && k % 3 == 1 {
                format!("\"{},{}50\"", 1 + k % 9, k % 10)
            } else {
                String::new()
            };
            let weight = match k {
                _ if k < ambiguous_from => "",
                _ if k % 5 == 0 => "\"0,5\"",
                _ => "\"1,250\"",
            };
            let customer = if k % 17 == 3 { String::new() } else { format!("C{}", k % 23) };
            let end = if k % 3 == 0 { "\r\n" } else { "\n" };
            let row = match k % 29 {
                5 => format!(",2024-01-02,{sku},1,{customer},1,1,Air,,no"),
                9 => format!("O{k},someday,{sku},1,{customer},1,1,Air,,no"),
                14 => format!("O{k},{date},{sku},1"),
                19 => format!("O{k},{date},{sku},1,{customer},1,1,Air,,no,,extra"),
                21 => format!("O{k},{date},{sku},-2,{customer},{price},,Sea,,,,"),
                23 => ",,,,".to_owned(),
                _ => format!(
                    "O{},{date},{sku},{},{customer},{price},{revenue},{},{date},{},{weight}",
                    k / 3,
                    1 + k % 4,
                    ["Air", "Sea", ""][k % 3],
                    ["yes", "no", "maybe", ""][k % 4]
                ),
            };
            if row == ",,,," {
                text.push_str(&format!("{row}{end}"));
            } else {
                text.push_str(&format!("{i},{row}{end}"));
            }
            if k % 31 == 30 {
                text.push_str("\n\r\n");
            }
        }
        text
    }

    #[test]
    fn parts_read_as_the_whole_file() {
        let text = mixed(400, 250);
        assert_eq!([2, 3, 7].map(|n| parts_cut(text.as_bytes(), n)), [2, 3, 7]);
        assert_eq!(
            parse_halves(text.as_bytes(), text.len() as u64 / 2, 4096).map(|h| h.1),
            Some(true)
        );
        let parsed = parse(&text);
        for rule in [
            Rule::RequiredFieldInvalid,
            Rule::TooManyFields,
            Rule::TooFewFields,
            Rule::OptionalFieldInvalid,
            Rule::MissingCustomer,
            Rule::DuplicateLine,
            Rule::Return,
        ] {
            assert!(parsed.report.count(rule) > 0, "{rule:?}");
        }
        assert!(parsed.report.count(Rule::DuplicateLine) > 20);
        let notes = ["blank row(s)", "beyond the header", "day/month/year", "such as `8,050`"];
        for note in notes {
            let notes = &parsed.report.notes;
            assert!(notes.iter().any(|n| n.message.contains(note)), "{note}: {notes:?}");
        }
        assert!(parsed.table.lines.weight_kg.0.contains(&1.25));
        same_in_any_parts("mixed", text.as_bytes());
        for chunk in [1, 64, 4096] {
            assert!(parse_stream(text.as_bytes(), chunk, Some(1)).is_some(), "{chunk}");
        }
        // Ambiguous cells only in the last part, or in none.
        same_in_any_parts("mixed, ambiguous at the end", mixed(400, 390).as_bytes());
        same_in_any_parts("mixed, nothing ambiguous", mixed(400, 400).as_bytes());
        // A quote inside a field stops the cutting where it stands.
        let odd = format!("{}{}", mixed(300, 100), "999,O1,2024-01-02,a\"b,1\n");
        same_in_any_parts("mixed, odd quote", mixed(300, 100).as_bytes());
        same_in_any_parts("mixed, odd quote at the end", odd.as_bytes());
        let odd = text.replacen("O1,", "O\"1,", 1);
        assert_eq!(parts_cut(odd.as_bytes(), 7), 1);
        same_in_any_parts("mixed, odd quote at the top", odd.as_bytes());
        // Errors are the same too.
        same_in_any_parts("header only", b"Order,Date,SKU,Qty\n\n\r\n");
        same_in_any_parts("no sku", b"Order,Date,Qty\n1,2024-01-02,3\n2,2024-01-02,3\n");
    }

    #[test]
    fn streams_that_cannot_be_read_as_they_come_are_read_whole() {
        let text = mixed(6000, 3000);
        let bytes = text.as_bytes();
        assert!(bytes.len() > 2 * super::HALVES_HEAD_BYTES as usize, "{}", bytes.len());
        assert!(parse_stream(bytes, 4096, None).is_some());
        // Not UTF-8 after the first chunk: the whole read decodes it.
        let mut latin = bytes.to_vec();
        let at = latin.len() - 10;
        latin[at] = 0xE9;
        assert!(parse_stream(&latin, 4096, None).is_none());
        // The rows that share a hash cannot be fetched back.
        let stream = || {
            let mut stream =
                OrdersStream::new("orders.csv", bytes.len() as u64, &Default::default());
            stream.feed(bytes, &mut |_| {});
            stream
        };
        assert!(stream().finish(&mut |_, _| None, &options(), &mut |_| {}).is_none());
        let mut short = |a: u64, b: u64| bytes.get(a as usize..b as usize - 1).map(<[u8]>::to_vec);
        assert!(stream().finish(&mut short, &options(), &mut |_| {}).is_none());
        // Fewer bytes than the file's size.
        let mut cut = OrdersStream::new("orders.csv", bytes.len() as u64 + 1, &Default::default());
        cut.feed(bytes, &mut |_| {});
        let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);
        assert!(cut.finish(&mut fetch, &options(), &mut |_| {}).is_none());
        // A quote never closed: the rest of the file is one record.
        let middle = text[text.len() / 2..].find('\n').unwrap() + text.len() / 2 + 1;
        let open = format!("{}7777,\"O1,{}", &text[..middle], &text[middle..]);
        same_in_any_parts("mixed, a quote never closed", open.as_bytes());
    }

    #[test]
    fn the_demo_and_the_fixtures_read_the_same_in_parts() {
        let demo = segscope_gen::generate(&segscope_gen::Params::demo()).orders;
        assert_eq!(parts_cut(&demo, 7), 7);
        assert_eq!(parse_halves(&demo, demo.len() as u64 / 2, 1 << 20).map(|h| h.1), Some(true));
        same_in_any_parts("the demo", &demo);
        let superstore = include_bytes!("../../tests/data/superstore.csv");
        assert_eq!(parts_cut(superstore, 7), 7);
        same_in_any_parts("superstore.csv", superstore);
        same_in_any_parts(
            "orders_de_1252.csv",
            include_bytes!("../../tests/data/orders_de_1252.csv"),
        );
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/orders");
        let mut seeds = 0;
        for entry in std::fs::read_dir(corpus).unwrap() {
            let path = entry.unwrap().path();
            same_in_any_parts(&path.display().to_string(), &std::fs::read(&path).unwrap());
            seeds += 1;
        }
        assert!(seeds >= 5);
    }

    /// Rows for random orders files: good and bad rows, duplicates,
    /// quoted line ends, blank lines, ambiguous numbers and dates.
    const PIECES: [&str; 14] = [
        "1,O1,2024-01-02,A,1,C1,5,5,Air,,yes\n",
        "2,O1,2024-01-02,A,1,C1,5,5,Air,,yes\n",
        "3,O2,4/5/2024,\"B\n2\",2,C2,\"1,234\",,Sea,4/6/2024,no\r\n",
        "4,O3,25/5/2024,B,\"2,5\",,3.5,,,,\n",
        "5,O4,2024-01-03,\"C,\"\"x\"\"\",3,C1,-1,,Air,someday,1\n",
        "6,,2024-01-02,A,1,C1,5,5,Air,,yes\n",
        "7,O5,2024-01-02,A\n",
        "8,O6,2024-01-02,A,1,C1,5,5,Air,,yes,extra\n",
        "9,O6,2024-01-02,A,1,C1,5,5,Air,,yes,,\n",
        "\n\r\n",
        ",,,\r\n",
        "10,O7,5/4/2024,D,\"1,500\",C3,,\"2,000\",Sea,,x\n",
        "11,O2,4/5/2024,\"B\n2\",2,C2,\"1,234\",,Sea,4/6/2024,no\r\n",
        "12,O8,2024-02-30,E,1.5,C4,1.234,,,,\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn random_files_read_the_same_in_parts(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60),
            row_id in proptest::bool::ANY,
        ) {
            let header = if row_id { "Row ID" } else { "Line" };
            let mut text = format!("{header},Order,Date,SKU,Qty,Customer,Price,Revenue,Ship Mode,Promised,Promo\n");
            for p in picks {
                text.push_str(PIECES[p]);
            }
            same_in_any_parts(&text, text.as_bytes());
        }
    }

    #[test]
    fn progress_in_parts_runs_from_zero_to_one() {
        let text = mixed(400, 250);
        let mut seen = Vec::new();
        parse_parts(text.as_bytes(), 3, &mut |p| seen.push(p)).unwrap();
        assert_eq!(seen.first(), Some(&0.0));
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.len() > 3 && seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    }

    #[test]
    fn progress_runs_from_zero_to_one() {
        let text = format!("{HEADER}{}", OK.repeat(40_000));
        let mut seen = Vec::new();
        let file = InputFile { name: "o.csv", bytes: text.as_bytes() };
        parse_orders(file, &Default::default(), &options(), &mut |p| seen.push(p)).unwrap();
        assert_eq!(seen.first(), Some(&0.0));
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.len() > 2 && seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    }
}
