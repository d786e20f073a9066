//! Result tables as rows of cells, defined once for every front door: the
//! command line writes them as CSV (SPEC §7), the app shows and exports them.

use crate::analysis::Analysis;
use crate::classify::stability::{self, PreviousRun};
use crate::classify::stress::Scenario;
use crate::dataset::Dataset;
use crate::governance::{AuditEntry, Comparison, Run};
use serde::{Deserialize, Serialize};

/// One cell of a result table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text (codes, class labels).
    Text(String),
    /// A number; written with `.` and enough digits to round-trip an f64.
    Number(f64),
    /// No value exists (e.g. no cv when the mean is 0).
    Empty,
}

impl Cell {
    /// The cell as CSV text (before quoting).
    pub fn to_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(v) => format_number(*v),
            Cell::Empty => String::new(),
        }
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

/// Formats a number as SPEC §7 asks: `.` decimal separator, no thousands
/// separators, the shortest digits that round-trip the f64 (Rust's `Display`
/// guarantees this), never an exponent, `-0` written as `0`. Non-finite values
/// (which the engine never produces) are written empty.
pub fn format_number(v: f64) -> String {
    let mut text = String::new();
    push_number(&mut text, v);
    text
}

/// Appends `v` to `out` as [`format_number`] writes it.
fn push_number(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    if v.is_finite() {
        // `-0` as `0`; writing to a String cannot fail.
        let _ = write!(out, "{}", if v == 0.0 { 0.0 } else { v });
    }
}

/// A CSV writer with `options`' delimiter and `\n` line ends.
fn csv_writer<W: std::io::Write>(options: &CsvOptions, out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Writes `rows` as CSV records; numbers are formatted into one reused
/// buffer.
fn write_rows<W: std::io::Write>(
    rows: &[Vec<Cell>],
    options: &CsvOptions,
    w: &mut csv::Writer<W>,
) -> std::io::Result<()> {
    let mut number = String::new();
    for row in rows {
        for cell in row {
            match cell {
                Cell::Text(s) => w.write_field(text_field(s, options).as_bytes())?,
                Cell::Number(v) => {
                    number.clear();
                    push_number(&mut number, *v);
                    w.write_field(number.as_bytes())?;
                }
                Cell::Empty => w.write_field([])?,
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    Ok(())
}

/// A text cell as written: neutralised if `options` ask for it.
fn text_field<'s>(text: &'s str, options: &CsvOptions) -> std::borrow::Cow<'s, str> {
    if options.neutralize_formulas {
        std::borrow::Cow::Owned(neutralize(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// How to write a table as CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// Field delimiter (`b','` or `b';'` for spreadsheets set to a
    /// decimal-comma locale).
    pub delimiter: u8,
    /// Start with a UTF-8 byte-order mark, so Excel reads UTF-8.
    pub bom: bool,
    /// Neutralise text cells that a spreadsheet would run as a formula.
    pub neutralize_formulas: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { delimiter: b',', bom: false, neutralize_formulas: false }
    }
}

impl CsvOptions {
    /// The settings for a file a person opens in a spreadsheet.
    pub fn for_spreadsheet(delimiter: u8) -> CsvOptions {
        CsvOptions { delimiter, bom: true, neutralize_formulas: true }
    }
}

/// A text cell made safe for spreadsheets (OWASP, "CSV Injection"): a value
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
/// with a single quote, so it is shown as text instead of being run. Numbers
/// are never text cells, so `-5` stays a number.
pub fn neutralize(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A result table: named columns and rows of cells.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Column names (SPEC §7 names where SPEC fixes them).
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as RFC 4180 CSV with a header row and `\n` line endings,
    /// exactly as the engine computed it (the command line's files, read by
    /// scripts).
    pub fn to_csv(&self) -> Vec<u8> {
        self.to_csv_with(&CsvOptions::default())
    }

    /// The table as CSV for people: optional `;` delimiter and UTF-8 BOM for
    /// spreadsheets, and text cells that a spreadsheet would execute as a
    /// formula neutralised (see [`neutralize`]).
    pub fn to_csv_with(&self, options: &CsvOptions) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail; a failure would only lose the table.
        let _ = self.write_csv(options, &mut out);
        out
    }

    /// Writes the table as [`Table::to_csv_with`] makes it, row by row into
    /// `out` (the command line's files: no copy of a large table's text is
    /// put together first). Where there are threads, a long table's rows
    /// are formatted a block at a time side by side and written in order:
    /// the same bytes.
    pub fn write_csv(
        &self,
        options: &CsvOptions,
        mut out: impl std::io::Write,
    ) -> std::io::Result<()> {
        if options.bom {
            out.write_all(&[0xEF, 0xBB, 0xBF])?;
        }
        let mut w = csv_writer(options, out);
        for name in &self.columns {
            w.write_field(text_field(name, options).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
        const BLOCK: usize = 4096;
        if crate::parallel::threads() == 1 || self.rows.len() <= BLOCK {
            write_rows(&self.rows, options, &mut w)?;
            return w.flush();
        }
        let mut out = w.into_inner().map_err(|e| e.into_error())?;
        // Two blocks per thread at a time: the text waiting to be written
        // stays a few megabytes.
        let blocks = self.rows.chunks(BLOCK).collect::<Vec<_>>();
        for group in blocks.chunks(2 * crate::parallel::threads()) {
            let texts = crate::parallel::map_each(group.to_vec(), |rows| {
                let mut block = csv_writer(options, Vec::new());
                write_rows(rows, options, &mut block)?;
                block.into_inner().map_err(|e| e.into_error())
            });
            for text in texts {
                out.write_all(&text?)?;
            }
        }
        out.flush()
    }

    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// The per-SKU table (SPEC §7 `skus.csv`), one row per SKU with at least one
/// valid order line, in ABC rank order (criterion descending, ties by code).
pub fn sku_table(data: &Dataset, analysis: &Analysis) -> Table {
    let columns = [
        "sku",
        "revenue",
        "margin",
        "quantity",
        "order_lines",
        "unit_cost",
        "abc",
        "mean_demand",
        "cv",
        "xyz",
        "adi",
        "cv2",
        "pattern",
        "segment",
        "cluster",
        "rule",
        "reason",
        "service_level",
        "safety_stock",
        "reorder_point",
        "order_qty",
        "min",
        "max",
        "avg_inventory_value",
        "fill_rate",
        "stockouts_per_year",
        "policy_model",
        "forecast_method",
        "forecast",
        "mase",
        "forecast_bias",
    ];
    let rows = crate::classify::rank_order(&analysis.classes)
        .into_iter()
        .map(|r| {
            let s = &analysis.demand.skus[r];
            let c = &analysis.classes[r];
            let p = &analysis.policies[r];
            let f = &analysis.forecasts[r];
            vec![
                Cell::from(data.skus.name(s.sku)),
                s.revenue.into(),
                s.margin.into(),
                s.quantity.into(),
                (s.order_lines as f64).into(),
                s.unit_cost.into(),
                Cell::Text(c.abc.class.to_string()),
                s.mean_demand.into(),
                c.cv.into(),
                Cell::Text(c.xyz.to_string()),
                c.pattern.adi.into(),
                c.pattern.cv2.into(),
                Cell::from(c.pattern.pattern.name()),
                Cell::Text(c.segment.clone()),
                cluster_label(analysis, r),
                c.rule.as_deref().map_or(Cell::Empty, Cell::from),
                c.reason.as_deref().map_or(Cell::Empty, Cell::from),
                p.service_level.into(),
                p.safety_stock.into(),
                p.reorder_point.into(),
                p.order_qty.into(),
                p.reorder_point.into(),
                p.max.into(),
                p.avg_inventory_value.into(),
                p.fill_rate.into(),
                p.stockouts_per_year.into(),
                Cell::from(p.model.name()),
                Cell::from(f.method.name()),
                f.next.into(),
                f.backtest.mase.into(),
                f.backtest.bias.into(),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The cluster label of row `r`, empty when clustering is off.
fn cluster_label(analysis: &Analysis, r: usize) -> Cell {
    analysis.clustering.as_ref().map_or(Cell::Empty, |c| {
        c.assignments
            .get(r)
            .and_then(|&k| c.clusters.get(k))
            .map_or(Cell::Empty, |k| Cell::from(k.label.as_str()))
    })
}

/// The working capital of the policies per segment (`policies.csv`), in
/// label order: SKUs, mean target service level, safety stock and average
/// inventory value, fill rate weighted by annual demand, expected stockouts
/// per year; where products give `on_hand`, the SKUs compared, their stock
/// value, their target value and the cash released (+) or needed (−); and
/// the SKUs left out of every value for want of a unit cost. See
/// [`crate::policy::working_capital`] for the definitions.
pub fn policy_table(analysis: &Analysis) -> Table {
    let columns = [
        "segment",
        "skus",
        "service_level",
        "safety_stock_value",
        "avg_inventory_value",
        "fill_rate",
        "stockouts_per_year",
        "on_hand_skus",
        "on_hand_value",
        "on_hand_target_value",
        "cash_released",
        "skus_without_cost",
    ];
    let rows = analysis
        .segment_policies
        .iter()
        .map(|s| {
            let on_hand = s.on_hand.as_ref();
            vec![
                Cell::from(s.segment.as_str()),
                (s.skus as f64).into(),
                s.service_level.into(),
                s.safety_stock_value.into(),
                s.avg_inventory_value.into(),
                s.fill_rate.into(),
                s.stockouts_per_year.into(),
                (on_hand.map_or(0, |c| c.skus) as f64).into(),
                on_hand.map(|c| c.current_value).into(),
                on_hand.map(|c| c.target_value).into(),
                on_hand.map(|c| c.cash_released).into(),
                (s.skus_without_cost as f64).into(),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The efficient frontier of every segment (`frontier.csv`): one row per
/// segment and service level of
/// [`FRONTIER_LEVELS`](crate::policy::working_capital::FRONTIER_LEVELS),
/// with the segment's safety stock value, average inventory value, fill
/// rate and expected stockouts per year were every SKU of it at that level.
/// Column names are those of [`policy_table`].
pub fn frontier_table(data: &Dataset, analysis: &Analysis) -> Table {
    let columns = [
        "segment",
        "service_level",
        "safety_stock_value",
        "avg_inventory_value",
        "fill_rate",
        "stockouts_per_year",
    ];
    // The segments' frontiers side by side where there are threads.
    let segments: Vec<&str> =
        analysis.segment_policies.iter().map(|s| s.segment.as_str()).collect();
    let frontiers = crate::parallel::map_each(segments.clone(), |segment| {
        crate::policy::working_capital::frontier(data, analysis, segment)
    });
    let mut rows = Vec::new();
    for (segment, frontier) in segments.into_iter().zip(frontiers) {
        for p in frontier {
            rows.push(vec![
                Cell::from(segment),
                p.csl.into(),
                p.safety_stock_value.into(),
                p.inventory_value.into(),
                p.fill_rate.into(),
                p.stockouts.into(),
            ]);
        }
    }
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// `true` / `false` as table text.
fn flag(value: bool) -> Cell {
    Cell::from(if value { "true" } else { "false" })
}

/// The per-customer table (SPEC §7 `customers.csv`): one row per customer
/// with at least one valid line, most profitable first (ties by code), with
/// margin % (empty where revenue is not positive), profitability tier, cost
/// per order and per line, and the cost to serve of each pool in a column
/// of its own.
pub fn customer_table(data: &Dataset, analysis: &Analysis) -> Table {
    let cost = &analysis.cost;
    let mut columns: Vec<String> = [
        "customer_id",
        "revenue",
        "cogs",
        "cost_to_serve",
        "profit",
        "margin_pct",
        "tier",
        "orders",
        "lines",
        "cost_per_order",
        "cost_per_line",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    columns.extend(cost.pools.iter().map(|p| format!("cts_{}", p.pool)));
    let mut customers: Vec<_> = cost.customers.iter().collect();
    customers.sort_by(|a, b| {
        b.profit
            .total_cmp(&a.profit)
            .then_with(|| data.customers.name(a.customer).cmp(data.customers.name(b.customer)))
    });
    let rows = customers
        .into_iter()
        .map(|c| {
            let tier = cost.tiers.get(c.tier).map_or(Cell::Empty, |t| Cell::from(t.name.as_str()));
            let mut row = vec![
                Cell::from(data.customers.name(c.customer)),
                c.revenue.into(),
                c.cogs.into(),
                c.cost_to_serve.into(),
                c.profit.into(),
                c.margin_pct().into(),
                tier,
                (c.orders as f64).into(),
                (c.lines as f64).into(),
                c.cost_per_order().into(),
                c.cost_per_line().into(),
            ];
            row.extend(c.cost_by_pool.iter().map(|&v| Cell::Number(v)));
            row
        })
        .collect();
    Table { columns, rows }
}

/// The per-pool table (`pools.csv`): one row per cost pool in input order,
/// with its cost over the horizon, driver total, rate (empty when the
/// driver total is 0, and the whole cost unallocated), and the budget
/// scaled to the horizon with its variance (actual − budget) and whether
/// it is flagged (all three empty for pools without a budget).
pub fn pool_table(analysis: &Analysis) -> Table {
    let cost = &analysis.cost;
    let columns = [
        "pool",
        "driver",
        "fixed_share",
        "cost",
        "driver_total",
        "rate",
        "unallocated",
        "budget",
        "variance",
        "flagged",
    ];
    let rows = cost
        .pools
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let budget = cost.budget.get(k).filter(|b| b.budget.is_some());
            vec![
                Cell::from(p.pool.as_str()),
                Cell::from(p.driver.name()),
                p.fixed_share.into(),
                p.cost.into(),
                p.driver_total.into(),
                p.rate.into(),
                p.unallocated.into(),
                budget.and_then(|b| b.budget).into(),
                budget.and_then(|b| b.variance).into(),
                budget.map_or(Cell::Empty, |b| flag(b.flagged)),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// Cost to serve by SKU segment, channel, region and ship mode
/// (`cost_breakdown.csv`): one row per dimension and group; each
/// dimension's rows add up to the allocated cost. `orders` are fractional
/// where an order spans groups.
pub fn breakdown_table(analysis: &Analysis) -> Table {
    let cost = &analysis.cost;
    let mut columns: Vec<String> = [
        "dimension",
        "group",
        "orders",
        "lines",
        "revenue",
        "cost_to_serve",
        "cost_per_order",
        "cost_per_line",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    columns.extend(cost.pools.iter().map(|p| format!("cts_{}", p.pool)));
    let mut rows = Vec::new();
    for b in &cost.breakdowns {
        for g in &b.groups {
            let mut row = vec![
                Cell::from(b.dimension.name()),
                Cell::from(g.name.as_str()),
                g.orders.into(),
                (g.lines as f64).into(),
                g.revenue.into(),
                g.cost_to_serve.into(),
                g.cost_per_order().into(),
                g.cost_per_line().into(),
            ];
            row.extend(g.cost_by_pool.iter().map(|&v| Cell::Number(v)));
            rows.push(row);
        }
    }
    Table { columns, rows }
}

/// The profitability tiers (`tiers.csv`), most profitable first, the
/// loss-making tier last; `profit_share` is empty when total profit is not
/// positive.
pub fn tier_table(analysis: &Analysis) -> Table {
    let columns = [
        "tier",
        "customers",
        "customer_share",
        "revenue",
        "cogs",
        "cost_to_serve",
        "profit",
        "profit_share",
        "orders",
        "lines",
    ];
    let rows = analysis
        .cost
        .tiers
        .iter()
        .map(|t| {
            vec![
                Cell::from(t.name.as_str()),
                (t.customers as f64).into(),
                t.customer_share.into(),
                t.revenue.into(),
                t.cogs.into(),
                t.cost_to_serve.into(),
                t.profit.into(),
                t.profit_share.into(),
                (t.orders as f64).into(),
                (t.lines as f64).into(),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The what-if scenarios (`what_if.csv`): per scenario one row per tier
/// with the change in revenue, COGS, cost to serve and profit, then a
/// `(total)` row whose cost to serve includes any change in unallocated
/// cost.
pub fn what_if_table(analysis: &Analysis) -> Table {
    let columns = ["scenario", "description", "tier", "revenue", "cogs", "cost_to_serve", "profit"];
    let mut rows = Vec::new();
    for w in &analysis.cost.what_ifs {
        let row = |tier: &str, revenue: f64, cogs: f64, cts: f64, profit: f64| {
            vec![
                Cell::from(w.name.as_str()),
                Cell::from(w.description.as_str()),
                Cell::from(tier),
                revenue.into(),
                cogs.into(),
                cts.into(),
                profit.into(),
            ]
        };
        for t in &w.tiers {
            rows.push(row(&t.tier, t.revenue, t.cogs, t.cost_to_serve, t.profit));
        }
        let sum =
            |f: fn(&crate::cost::what_if::TierDelta) -> f64| w.tiers.iter().map(f).sum::<f64>();
        let cts = sum(|t| t.cost_to_serve) + w.unallocated;
        rows.push(row("(total)", sum(|t| t.revenue), sum(|t| t.cogs), cts, w.total));
    }
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The migration matrix against a previous run as a long table: one row per
/// (previous segment, new segment) pair with its SKU count; `(none)` marks
/// SKUs new in this run or gone from it.
pub fn migration_table(data: &Dataset, analysis: &Analysis, previous: &PreviousRun) -> Table {
    let current = analysis
        .demand
        .series
        .skus
        .iter()
        .zip(&analysis.classes)
        .map(|(&sku, c)| (data.skus.name(sku), c.segment.as_str()));
    let matrix = stability::migration_matrix(previous, current);
    migration_rows(matrix.into_iter().map(|((from, to), n)| (from, to, n)))
}

/// The stress test as a long table: one row per scenario and baseline
/// segment, with the SKUs in the segment and how many change segment.
pub fn stress_table(scenarios: &[Scenario]) -> Table {
    let columns = ["scenario", "description", "segment", "skus", "changed", "changed_share"];
    let mut rows = Vec::new();
    for s in scenarios {
        for (segment, &(skus, changed)) in &s.by_segment {
            rows.push(vec![
                Cell::from(s.name.as_str()),
                Cell::from(s.description.as_str()),
                Cell::from(segment.as_str()),
                Cell::Number(skus as f64),
                Cell::Number(changed as f64),
                Cell::Number(if skus == 0 { 0.0 } else { changed as f64 / skus as f64 }),
            ]);
        }
    }
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The forecast-bias exceptions of A items (SKU code, segment, method,
/// bias, mean demand, relative bias, backtest origins), largest first.
pub fn forecast_exception_table(data: &Dataset, analysis: &Analysis) -> Table {
    let abc: Vec<_> = analysis.classes.iter().map(|c| c.abc.class).collect();
    let threshold = analysis.config.forecast.bias_threshold;
    let list = crate::forecast::bias_exceptions(&analysis.forecasts, &abc, threshold);
    let columns =
        ["sku", "segment", "forecast_method", "bias", "mean_demand", "relative_bias", "origins"];
    Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: list
            .iter()
            .map(|e| {
                vec![
                    Cell::from(data.skus.name(e.sku)),
                    Cell::from(e.segment.as_str()),
                    Cell::from(e.method.name()),
                    e.bias.into(),
                    e.mean_demand.into(),
                    e.relative_bias.into(),
                    Cell::Number(e.origins as f64),
                ]
            })
            .collect(),
    }
}

/// The audit trail of manual overrides, oldest first: when, which SKU,
/// from and to which segment, why, and the run that first applied it.
pub fn audit_table(audit: &[AuditEntry]) -> Table {
    let columns = ["time", "sku", "from_segment", "to_segment", "reason", "run"];
    let rows = audit
        .iter()
        .map(|e| {
            vec![
                Cell::from(e.time.as_str()),
                Cell::from(e.sku.as_str()),
                Cell::from(e.from.as_str()),
                Cell::from(e.to.as_str()),
                Cell::from(e.reason.as_str()),
                Cell::Number(f64::from(e.run)),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The run history, oldest first: each run's record (time, note, engine,
/// the settings that decide segments, inputs with their SHA-256).
pub fn run_history_table(runs: &[Run]) -> Table {
    let columns = [
        "run",
        "created",
        "note",
        "engine",
        "tool",
        "criterion",
        "a_cut",
        "b_cut",
        "x_cut",
        "y_cut",
        "bucket",
        "rules",
        "overrides",
        "inputs",
    ];
    let rows = runs
        .iter()
        .map(|r| {
            let c = &r.record.config;
            let overrides = c.rules.iter().filter(|x| x.override_reason.is_some()).count();
            let inputs: Vec<String> = r
                .record
                .inputs
                .iter()
                .map(|i| format!("{} {} sha256:{}", i.kind.label(), i.name, i.sha256))
                .collect();
            vec![
                Cell::Number(f64::from(r.id)),
                Cell::from(r.record.created.as_str()),
                Cell::from(r.record.note.as_str()),
                Cell::from(r.record.engine.as_str()),
                Cell::from(r.record.tool.as_str()),
                Cell::from(crate::classify::explain::criterion_name(c.abc.criterion)),
                Cell::Number(c.abc.a_cut),
                Cell::Number(c.abc.b_cut),
                Cell::Number(c.xyz.x_cut),
                Cell::Number(c.xyz.y_cut),
                Cell::from(c.bucket.name()),
                Cell::Number((c.rules.len() - overrides) as f64),
                Cell::Number(overrides as f64),
                Cell::Text(inputs.join("; ")),
            ]
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The SKUs that changed segment between two compared runs, with why.
pub fn run_changes_table(comparison: &Comparison) -> Table {
    let columns = ["sku", "from_segment", "to_segment", "reason"];
    let rows = comparison
        .changed
        .iter()
        .map(|c| {
            [c.sku.as_str(), c.from.as_str(), c.to.as_str(), c.reason.as_str()]
                .map(Cell::from)
                .to_vec()
        })
        .collect();
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
}

/// The migration matrix between two compared runs, in the long form of
/// [`migration_table`].
pub fn run_migration_table(comparison: &Comparison) -> Table {
    migration_rows(comparison.matrix.iter().map(|m| (m.from.clone(), m.to.clone(), m.skus)))
}

/// `previous_segment, segment, skus` rows of a migration matrix.
fn migration_rows(cells: impl Iterator<Item = (String, String, usize)>) -> Table {
    Table {
        columns: vec!["previous_segment".into(), "segment".into(), "skus".into()],
        rows: cells
            .map(|(from, to, n)| vec![Cell::Text(from), Cell::Text(to), Cell::Number(n as f64)])
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_without_exponent_or_grouping() {
        for v in [0.1 + 0.2, 1e-7, 123456789.125, -2.5, 1e21, f64::MIN_POSITIVE] {
            let text = format_number(v);
            assert!(!text.contains(['e', 'E', ',']), "{text}");
            assert_eq!(text.parse::<f64>().unwrap(), v);
        }
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(f64::NAN), "");
    }

    /// A table longer than the blocks `write_csv` formats side by side
    /// comes out as one pass would write it: header once, rows in order.
    #[test]
    fn long_tables_are_written_row_by_row_in_order() {
        let rows = 10_000;
        let t = Table {
            columns: vec!["sku".into(), "qty".into(), "cv".into()],
            rows: (0..rows)
                .map(|i| {
                    let sku = Cell::Text(format!("s{i},\"q\""));
                    vec![sku, Cell::Number(i as f64 / 8.0), Cell::Empty]
                })
                .collect(),
        };
        let mut expected = String::from("sku,qty,cv\n");
        for i in 0..rows {
            expected.push_str(&format!("\"s{i},\"\"q\"\"\",{},\n", format_number(i as f64 / 8.0)));
        }
        assert_eq!(String::from_utf8(t.to_csv()).unwrap(), expected);
        let options = CsvOptions::for_spreadsheet(b';');
        let mut written = Vec::new();
        t.write_csv(&options, &mut written).unwrap();
        assert_eq!(written, t.to_csv_with(&options));
        assert!(written.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), rows + 1);
    }

    #[test]
    fn spreadsheet_csv_neutralises_formulas_but_not_numbers() {
        let t = Table {
            columns: vec!["sku".into(), "qty".into()],
            rows: vec![
                vec![Cell::from("=HYPERLINK(\"x\")"), Cell::Number(-5.0)],
                vec![Cell::from("+1"), Cell::Number(1.5)],
                vec![Cell::from("@SUM(A1)"), Cell::Empty],
                vec![Cell::from("\tx"), Cell::Empty],
                vec![Cell::from("-A7"), Cell::Empty],
                vec![Cell::from("plain"), Cell::Empty],
            ],
        };
        let csv = t.to_csv_with(&CsvOptions::for_spreadsheet(b';'));
        assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "sku;qty\n\"'=HYPERLINK(\"\"x\"\")\";-5\n'+1;1.5\n'@SUM(A1);\n'\tx;\n'-A7;\nplain;\n"
        );
        // The command line's files stay exactly as computed.
        assert!(String::from_utf8(t.to_csv()).unwrap().starts_with("sku,qty\n\"=HYPERLINK"));
    }

    /// OWASP, "CSV Injection"
    /// (https://owasp.org/www-community/attacks/CSV_Injection): fields
    /// starting with `=`, `+`, `-`, `@`, tab (0x09) or carriage return (0x0D)
    /// are prefixed with a single quote; anything else is left alone.
    #[test]
    fn neutralize_prefixes_every_owasp_trigger() {
        for (value, safe) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@A1", "'@A1"),
            ("\tA", "'\tA"),
            ("\rA", "'\rA"),
            ("A=1", "A=1"),
            ("", ""),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(neutralize(value), safe, "{value:?}");
        }
        let t = Table { columns: vec!["c".into()], rows: vec![vec![Cell::from("\r=1")]] };
        let csv = t.to_csv_with(&CsvOptions::for_spreadsheet(b','));
        assert_eq!(&csv[3..], b"c\n\"'\r=1\"\n");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let t = Table {
            columns: vec!["sku".into(), "revenue".into()],
            rows: vec![
                vec![Cell::from("A,1"), Cell::Number(2.5)],
                vec![Cell::from("B"), Cell::Empty],
            ],
        };
        assert_eq!(String::from_utf8(t.to_csv()).unwrap(), "sku,revenue\n\"A,1\",2.5\nB,\n");
    }

    /// Rows of one empty cell are written as `""` (as `csv`'s `write_record`
    /// writes them), so that a reader does not take them for blank lines;
    /// numbers go through the same formatting as [`format_number`].
    #[test]
    fn streamed_csv_keeps_empty_rows_and_number_text() {
        let t = Table {
            columns: vec!["v".into()],
            rows: vec![
                vec![Cell::Empty],
                vec![Cell::Number(-0.0)],
                vec![Cell::Number(0.1 + 0.2)],
                vec![Cell::Number(1e21)],
            ],
        };
        let text = String::from_utf8(t.to_csv()).unwrap();
        assert_eq!(text, "v\n\"\"\n0\n0.30000000000000004\n1000000000000000000000\n");
    }

    /// A writer that refuses every byte, like a full disk.
    struct Full;

    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::other("disk full"))
        }
    }

    #[test]
    fn a_failing_writer_is_an_error_not_a_short_file() {
        let t = Table { columns: vec!["c".into()], rows: vec![vec![Cell::from("x")]] };
        let error = t.write_csv(&CsvOptions::default(), Full).unwrap_err();
        assert_eq!(error.to_string(), "disk full");
    }
}
