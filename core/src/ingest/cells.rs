//! The order cells file: order lines added up where the data lives, by the
//! SQL of `sql/duckdb/` or `sql/spark/` (see [`crate::cells`] and
//! `docs/aggregates.md` for the columns and their meaning).
//!
//! Each row becomes one row of [`OrderLines`]: its date is the bucket's first
//! day, its quantity, revenue, cost and weight the cell's sums, written so
//! that SPEC §4's order of unit-cost sources picks the same source the
//! cell's lines had: `cost` (the lines' own cost) becomes the row's
//! `line_cost`; `price_value` (lines costed from their price) becomes a
//! unit price of `price_value / quantity`; neither leaves the products file
//! or nothing. The cell's counts go to [`CellMeasures`].
//!
//! Like every loader it never fails on a bad row: a row without a readable
//! key or count is skipped and reported with its line number; a file whose
//! rows name different buckets keeps the first row's bucket.

use super::dates::DateColumn;
use super::intern::Interner;
use super::mapping::{FieldSpec, FieldType};
use super::number::{Decimal, NumberColumn};
use super::sheet::{decide_dates, decide_numbers, unreadable, Sheet};
use super::text;
use super::Finish;
use super::{FileKind, IngestError, InputFile, LoadOptions, OrderTable, Overrides, Parsed};
use crate::cells::CellMeasures;
use crate::config::Bucket;
use crate::dataset::{NumColumn, OrderLines, TextColumn, UNKNOWN_CUSTOMER};
use crate::date::Date;
use crate::quality::{DqReport, Rule};

const fn field(
    name: &'static str,
    required: bool,
    ty: FieldType,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec { name, required, ty, synonyms }
}

/// The canonical fields of an order cells file, as the SQL names them.
pub(crate) const FIELDS: [FieldSpec; 18] = [
    field("bucket", true, FieldType::Text, &["bucket", "bucketsize"]),
    field("bucket_start", true, FieldType::Date, &["bucketstart", "periodstart"]),
    field("sku", true, FieldType::Text, &["sku"]),
    field("customer_id", false, FieldType::Text, &["customerid", "customer"]),
    field("ship_mode", false, FieldType::Text, &["shipmode"]),
    field("warehouse", false, FieldType::Text, &["warehouse"]),
    field("region", false, FieldType::Text, &["region"]),
    field("channel", false, FieldType::Text, &["channel"]),
    field("promo", false, FieldType::Bool, &["promo"]),
    field("lines", true, FieldType::Number, &["lines", "orderlines"]),
    field("orders", true, FieldType::Number, &["orders"]),
    field("order_share", true, FieldType::Number, &["ordershare"]),
    field("quantity", true, FieldType::Number, &["quantity"]),
    field("revenue", true, FieldType::Number, &["revenue"]),
    field("value", true, FieldType::Number, &["value"]),
    field("cost", false, FieldType::Number, &["cost"]),
    field("price_value", false, FieldType::Number, &["pricevalue"]),
    field("weight", false, FieldType::Number, &["weight", "weightkg"]),
];

/// The number columns, in the order of [`Cell::numbers`].
const NUMBERS: [&str; 9] = [
    "lines",
    "orders",
    "order_share",
    "quantity",
    "revenue",
    "value",
    "cost",
    "price_value",
    "weight",
];
const LINES: usize = 0;
const ORDERS: usize = 1;
const SHARE: usize = 2;
const QUANTITY: usize = 3;
const REVENUE: usize = 4;
const VALUE: usize = 5;
const COST: usize = 6;
const PRICE_VALUE: usize = 7;
const WEIGHT: usize = 8;
/// How many of [`NUMBERS`] are required.
const REQUIRED_NUMBERS: usize = 6;

/// The text columns kept per row besides SKU and customer.
const LABELS: [&str; 4] = ["ship_mode", "warehouse", "region", "channel"];

/// One row as read, before the decimal marks and day/month order of the
/// whole file are decided.
struct Cell {
    line: u64,
    bucket_start: Date,
    sku: u32,
    customer: u32,
    labels: [u32; 4],
    promo: bool,
    /// `NaN` where blank.
    numbers: [f64; 9],
}

/// The bucket a `bucket` cell names.
fn bucket_named(text: &str) -> Option<Bucket> {
    match text.trim().to_ascii_lowercase().as_str() {
        "day" => Some(Bucket::Day),
        "week" => Some(Bucket::Week),
        "month" => Some(Bucket::Month),
        _ => None,
    }
}

/// Whether `date` is the first day of a bucket.
fn starts_bucket(bucket: Bucket, date: Date) -> bool {
    match bucket {
        Bucket::Day => true,
        Bucket::Week => date.week_start() == date,
        Bucket::Month => Date::from_month_index(date.month_index()) == date,
    }
}

/// Parses an order cells file (see [`super::parse_cells`]).
pub(crate) fn parse(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<Parsed<OrderTable>, IngestError> {
    let decoded = text::decode(file.bytes).map_err(|m| unreadable(file.name, 1, m))?;
    let mut report = DqReport::default();
    let mut sheet = Sheet::open(file.name, FileKind::Cells, &decoded, overrides, &mut report)?;
    let c_bucket = sheet.column("bucket");
    let c_start = sheet.column("bucket_start");
    let c_sku = sheet.column("sku");
    let c_customer = sheet.column("customer_id");
    let c_promo = sheet.column("promo");
    let c_labels = LABELS.map(|name| sheet.column(name));
    let c_numbers = NUMBERS.map(|name| sheet.column(name));
    let mut readers: Vec<NumberColumn> = NUMBERS.iter().map(|_| NumberColumn::default()).collect();
    let mut date_reader = DateColumn::default();
    let (mut skus, mut customers) = (Interner::default(), Interner::default());
    let mut labels: [Interner; 4] = Default::default();
    let mut bucket: Option<Bucket> = None;
    let mut cells: Vec<Cell> = Vec::new();

    while let Some(row) = sheet.next_row(&mut report) {
        let skip = |report: &mut DqReport, column: Option<usize>, why: String| {
            report.flag_with(Rule::RequiredFieldInvalid, || row.example(column, why));
        };
        let index = cells.len() as u32;
        let Some(sku) = row.text(c_sku) else {
            skip(&mut report, c_sku, format!("`{}` is blank; row skipped", row.header(c_sku)));
            continue;
        };
        let named = row.text(c_bucket).and_then(bucket_named);
        let Some(named) = named else {
            let why = format!("{} is not day, week or month; row skipped", row.quoted(c_bucket));
            skip(&mut report, c_bucket, why);
            continue;
        };
        if bucket.is_some_and(|b| b != named) {
            let first = bucket.map_or("", Bucket::name);
            let why =
                format!("bucket `{}` differs from the file's `{first}`; row skipped", named.name());
            skip(&mut report, c_bucket, why);
            continue;
        }
        bucket = Some(named);
        let Some(start) = row.date(c_start, &mut date_reader, index, &mut report) else {
            let why = format!("`{}` is blank or not a date; row skipped", row.header(c_start));
            skip(&mut report, c_start, why);
            continue;
        };
        let mut numbers = [f64::NAN; 9];
        let mut readable = true;
        for (k, slot) in numbers.iter_mut().enumerate() {
            let value = row.number(c_numbers[k], &mut readers[k], index, false, &mut report);
            *slot = value.unwrap_or(f64::NAN);
            readable &= k >= REQUIRED_NUMBERS || value.is_some();
        }
        if !readable {
            let why = "a count or sum (lines, orders, order_share, quantity, revenue, value) is \
                       blank or not a number; row skipped";
            skip(&mut report, None, why.to_owned());
            continue;
        }
        let customer = row.text(c_customer).unwrap_or(UNKNOWN_CUSTOMER);
        let mut ids = [TextColumn::MISSING; 4];
        for ((id, interner), &column) in ids.iter_mut().zip(&mut labels).zip(&c_labels) {
            if let Some(text) = row.text(column) {
                *id = interner.intern(text);
            }
        }
        cells.push(Cell {
            line: row.line,
            bucket_start: start,
            sku: skus.intern(sku),
            customer: customers.intern(customer),
            labels: ids,
            promo: row.boolean(c_promo, &mut report).unwrap_or(false),
            numbers,
        });
    }
    if cells.is_empty() && sheet.rows == 0 {
        return Err(unreadable(
            file.name,
            2,
            "the file has a header row but no order cells; run the SQL of sql/duckdb or \
             sql/spark again and export its rows as well",
        ));
    }

    // Decisions over whole columns, as for order lines.
    let headers: Vec<String> = c_numbers.iter().map(|&c| sheet.header(c).to_owned()).collect();
    let named: Vec<(&str, &NumberColumn)> = headers
        .iter()
        .zip(&readers)
        .zip(&c_numbers)
        .filter(|(_, c)| c.is_some())
        .map(|((h, r), _)| (h.as_str(), r))
        .collect();
    let mut decisions = decide_numbers(&named, sheet.delimiter, file.name, &mut report).into_iter();
    for (k, reader) in readers.iter().enumerate().filter(|&(k, _)| c_numbers[k].is_some()) {
        if decisions.next() == Some(Decimal::Comma) {
            for &(i, alt) in &reader.ambiguous {
                if let Some(cell) = cells.get_mut(i as usize) {
                    cell.numbers[k] = alt;
                }
            }
        }
    }
    if decide_dates(sheet.header(c_start), &date_reader, file.name, &mut report) {
        for &(i, alt) in &date_reader.ambiguous {
            if let Some(cell) = cells.get_mut(i as usize) {
                cell.bucket_start = alt;
            }
        }
    }

    let bucket = bucket.unwrap_or_default();
    let context = Context { file: file.name, sheet: &sheet, options, bucket };
    let kept: Vec<Cell> = cells.into_iter().filter(|c| context.check(c, &mut report)).collect();
    let labels = labels.map(<Interner as Finish>::finish);
    let table =
        build(kept, skus.finish(), customers.finish(), labels, &c_labels, c_promo, &c_numbers);
    let mut table = table;
    table.lines.cells.bucket = Some(bucket);
    let layout = sheet.finish(&mut report);
    Ok(Parsed { table, layout, report })
}

/// What checking a row needs besides the row.
struct Context<'a> {
    file: &'a str,
    sheet: &'a Sheet<'a>,
    options: &'a LoadOptions,
    bucket: Bucket,
}

impl Context<'_> {
    /// Checks a row's counts and dates (SPEC §6 as far as a cell can tell);
    /// `false` skips it. Every finding counts the order lines of the cell.
    fn check(&self, cell: &Cell, report: &mut DqReport) -> bool {
        let example = |column: &str, detail: String| crate::quality::Example {
            file: self.file.to_owned(),
            line: cell.line,
            column: self.sheet.column(column).map(|c| self.sheet.header(Some(c)).to_owned()),
            detail,
        };
        let n = &cell.numbers;
        let lines = n[LINES];
        let counts_ok = lines >= 1.0
            && lines.fract() == 0.0
            && n[ORDERS] >= 0.0
            && n[ORDERS].fract() == 0.0
            && n[ORDERS] <= lines
            && n[SHARE] >= 0.0
            && n[SHARE] <= lines * (1.0 + 1e-9);
        if !counts_ok {
            let detail = format!(
                "lines {lines}, orders {}, order_share {}: lines must be a whole number ≥ 1, \
                 orders a whole number from 0 to lines, order_share from 0 to lines; row skipped",
                n[ORDERS], n[SHARE]
            );
            report.flag(Rule::RequiredFieldInvalid, example("lines", detail));
            return false;
        }
        if !starts_bucket(self.bucket, cell.bucket_start) {
            let first = match self.bucket {
                Bucket::Day => "a day",
                Bucket::Week => "a week (a Monday)",
                Bucket::Month => "a month",
            };
            let detail = format!(
                "{} is not the first day of {first}; group by the bucket's first day; row skipped",
                cell.bucket_start
            );
            report.flag(Rule::RequiredFieldInvalid, example("bucket_start", detail));
            return false;
        }
        let count = lines as u64;
        let (year, _, _) = cell.bucket_start.ymd();
        let late = self.options.today.is_some_and(|t| cell.bucket_start > t);
        if year < 1990 || late {
            let detail =
                format!("bucket {} is before 1990 or after today; kept", cell.bucket_start);
            report.flag_many(Rule::DateOutOfRange, count, example("bucket_start", detail));
        }
        if n[QUANTITY] < 0.0 {
            let detail =
                format!("{count} lines with quantity {} in all; kept as returns", n[QUANTITY]);
            report.flag_many(Rule::Return, count, example("quantity", detail));
        }
        true
    }
}

/// The order table of the kept cells.
fn build(
    cells: Vec<Cell>,
    skus: crate::dataset::Codes,
    customers: crate::dataset::Codes,
    labels: [crate::dataset::Codes; 4],
    c_labels: &[Option<usize>; 4],
    c_promo: Option<usize>,
    c_numbers: &[Option<usize>; 9],
) -> OrderTable {
    let mut orders = Interner::default();
    let mut lines = OrderLines::default();
    let optional =
        |k: usize| c_numbers[k].is_some() && cells.iter().any(|c| !c.numbers[k].is_nan());
    let (with_cost, with_price, with_weight) =
        (optional(COST), optional(PRICE_VALUE), optional(WEIGHT));
    let mut cost = Vec::new();
    let mut price = Vec::new();
    let mut weight = Vec::new();
    let per_unit = |total: f64, q: f64| if q != 0.0 { total / q } else { f64::NAN };
    let mut text: [Vec<u32>; 4] = Default::default();
    let mut measures = CellMeasures::default();
    for cell in &cells {
        let n = &cell.numbers;
        let q = n[QUANTITY];
        // A customer's drill-down lists its cells by bucket: the bucket is
        // the cell's "order".
        lines.order.push(orders.intern(&cell.bucket_start.to_string()));
        lines.line.push(u32::try_from(cell.line).unwrap_or(u32::MAX));
        lines.date.push(cell.bucket_start);
        lines.sku.push(cell.sku);
        lines.customer.push(cell.customer);
        lines.quantity.push(q);
        lines.line_revenue.0.push(n[REVENUE]);
        cost.push(n[COST]);
        // A cell with its own cost keeps it first (SPEC §4); its price only
        // matters without one.
        price.push(if n[COST].is_nan() { per_unit(n[PRICE_VALUE], q) } else { f64::NAN });
        weight.push(per_unit(n[WEIGHT], q));
        for (column, &id) in text.iter_mut().zip(&cell.labels) {
            column.push(id);
        }
        if c_promo.is_some() {
            lines.promo.push(cell.promo);
        }
        measures.lines.push(n[LINES] as u64);
        measures.orders.push(n[ORDERS] as u64);
        measures.order_share.push(n[SHARE]);
        measures.value.push(n[VALUE]);
    }
    if with_cost {
        lines.line_cost = NumColumn(cost);
    }
    if with_price {
        lines.unit_price = NumColumn(price);
    }
    if with_weight {
        lines.weight_kg = NumColumn(weight);
    }
    let [ship_mode, warehouse, region, channel] = labels;
    let [t_ship, t_warehouse, t_region, t_channel] = text;
    let column = |codes, values, c: Option<usize>| match c {
        Some(_) => TextColumn { codes, values },
        None => TextColumn::default(),
    };
    lines.ship_mode = column(ship_mode, t_ship, c_labels[0]);
    lines.warehouse = column(warehouse, t_warehouse, c_labels[1]);
    lines.region = column(region, t_region, c_labels[2]);
    lines.channel = column(channel, t_channel, c_labels[3]);
    lines.cells = measures;
    OrderTable { skus, customers, orders: orders.finish(), lines }
}

/// Whether `bytes` look like an order cells file: its header names the
/// cell columns `bucket_start`, `lines` and `order_share` (as the SQL writes
/// them), which no order-line export has together. The app routes a file
/// dropped on the orders zone by this.
pub fn looks_like_cells(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap_or_default();
    let names: Vec<String> = header
        .split([',', ';', '\t', '|'])
        .map(|h| super::mapping::normalise(h.trim().trim_matches('"')))
        .collect();
    ["bucketstart", "lines", "ordershare"].iter().all(|n| names.iter().any(|h| h == n))
}

#[cfg(test)]
mod properties {
    use super::super::{parse_cells, InputFile, LoadOptions};
    use proptest::prelude::*;

    const HEADER: &str = "bucket,bucket_start,sku,customer_id,lines,orders,order_share,\
                          quantity,revenue,value,cost,price_value,weight\n";

    proptest! {
        /// Whatever the cells say, reading them never panics (user data never
        /// reaches a panic) and every kept row has a whole number of lines.
        #[test]
        fn any_cells_file_reads_without_panicking(
            rows in prop::collection::vec(
                prop::collection::vec(
                    prop_oneof![
                        Just(String::new()),
                        Just("week".to_owned()),
                        Just("2024-01-01".to_owned()),
                        Just("1e400".to_owned()),
                        Just("-1".to_owned()),
                        "[0-9]{1,3}(\\.[0-9]{1,2})?",
                        "[a-z,;\"]{0,4}",
                    ],
                    0..15,
                ),
                0..8,
            ),
        ) {
            let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
            let text = format!("{HEADER}{}", body.join("\n"));
            let file = InputFile { name: "cells.csv", bytes: text.as_bytes() };
            if let Ok(parsed) = parse_cells(file, &Default::default(), &LoadOptions::default()) {
                let lines = &parsed.table.lines;
                prop_assert_eq!(lines.cells.lines.len(), lines.len());
                prop_assert!(lines.cells.lines.iter().all(|&n| n >= 1));
            }
        }
    }
}
