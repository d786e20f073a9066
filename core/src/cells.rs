//! Order cells: order lines already added up where the data lives.
//!
//! For histories no browser can hold, the heavy first step of the pipeline —
//! order lines into SKU × bucket demand and per-customer driver totals — can
//! run as SQL in the warehouse (`sql/duckdb/`, `sql/spark/`), which writes
//! one row per *order cell*: the order lines that share a SKU, a customer, a
//! demand bucket, a ship mode, warehouse, region and channel, a promotion
//! flag, whether their quantity is positive, and where their unit cost and
//! weight come from (`docs/aggregates.md` defines every column).
//!
//! [`crate::ingest::parse_cells`] reads such a file into [`OrderLines`] —
//! one row per cell, its quantity, revenue, cost and weight being the cell's
//! sums — plus these [`CellMeasures`], which say how many order lines and
//! orders each row stands for. Every stage then runs unchanged on the rows;
//! the few places that count lines or orders ask [`OrderLines::line_count`],
//! [`OrderLines::order_share`], [`OrderLines::driver_value`] and
//! [`OrderLines::cell_orders`] instead of counting rows. For order lines
//! (no cells) these give exactly what counting rows gives.
//!
//! What a cell cannot say, because it has no order ids: the value of each
//! order (the minimum-order surcharge), a customer's orders per period
//! (consolidation) and a customer's order list (drill-down). Those stay
//! with order lines; [`OrderLines::has_cells`] tells the stages.

use crate::dataset::OrderLines;
use serde::{Deserialize, Serialize};

/// Per row of [`OrderLines`], what an order cell stands for. Empty columns
/// (the default) mean every row is one order line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CellMeasures {
    /// Order lines in the cell.
    pub lines: Vec<u64>,
    /// Orders counted in the cell: each (customer, order id) with a positive
    /// line is counted in exactly one cell, the one of its first positive
    /// line, so that a customer's cells add up to its distinct orders.
    pub orders: Vec<u64>,
    /// SPEC §5's `orders` driver summed over the cell's lines: Σ 1 /
    /// (positive lines of the line's order id).
    pub order_share: Vec<f64>,
    /// SPEC §5's `value` driver summed over the cell's lines: Σ max(line
    /// revenue, 0) over lines with positive quantity.
    pub value: Vec<f64>,
    /// The bucket the cells were added up by (`None` for order lines).
    pub bucket: Option<crate::config::Bucket>,
}

impl CellMeasures {
    /// The measures of `rows`, in that order (empty stays empty).
    pub fn select(&self, rows: &[usize]) -> CellMeasures {
        fn pick<T: Copy>(column: &[T], rows: &[usize]) -> Vec<T> {
            rows.iter().filter_map(|&i| column.get(i).copied()).collect()
        }
        CellMeasures {
            lines: pick(&self.lines, rows),
            orders: pick(&self.orders, rows),
            order_share: pick(&self.order_share, rows),
            value: pick(&self.value, rows),
            bucket: self.bucket,
        }
    }
}

impl OrderLines {
    /// Whether the rows are order cells rather than order lines.
    pub fn has_cells(&self) -> bool {
        !self.cells.lines.is_empty()
    }

    /// How many order lines row `i` stands for: 1 for an order line.
    pub fn line_count(&self, i: usize) -> u64 {
        self.cells.lines.get(i).copied().unwrap_or(1)
    }

    /// The `value` driver of row `i` (SPEC §5): max(revenue, 0) of a
    /// positive order line; a cell's sum of it over its positive lines.
    pub fn driver_value(&self, i: usize) -> f64 {
        if self.quantity[i] <= 0.0 {
            return 0.0;
        }
        match self.cells.value.get(i) {
            Some(&v) => v,
            None => self.revenue(i).max(0.0),
        }
    }

    /// For cells, the `orders` driver summed over the cell's lines; `None`
    /// for order lines, whose share the order ids give.
    pub fn order_share(&self, i: usize) -> Option<f64> {
        self.cells.order_share.get(i).copied()
    }

    /// For cells, the orders first seen in the cell (see
    /// [`CellMeasures::orders`]); `None` for order lines.
    pub fn cell_orders(&self, i: usize) -> Option<u64> {
        self.cells.orders.get(i).copied()
    }
}

/// Notes in `report` the order-level what-if scenarios of `settings` that
/// order cells cannot answer (the cost stage leaves them out).
pub(crate) fn note_order_scenarios(
    data: &crate::dataset::Dataset,
    settings: &crate::cost::CostConfig,
    report: &mut crate::quality::DqReport,
) {
    if !data.lines.has_cells() {
        return;
    }
    let w = &settings.what_if;
    let asked = [
        (w.min_order_surcharge.is_some(), "minimum-order surcharge"),
        (w.consolidate.is_some(), "consolidation"),
    ];
    for (_, name) in asked.iter().filter(|(on, _)| *on) {
        report.note(
            None,
            format!(
                "The {name} what-if needs each order's lines; order cells do not keep them, so \
                 it is left out. Load the order lines to run it."
            ),
        );
    }
}

/// Checks that order cells suit the configuration's bucket: cells by day
/// suit every bucket, cells by week or month only their own (a week's cell
/// cannot be split between two months). `file` names the cells file in the
/// message.
///
/// # Errors
/// A message naming both buckets and what to do.
pub fn check_bucket(
    lines: &OrderLines,
    config: &crate::config::Config,
    file: &str,
) -> Result<(), String> {
    use crate::config::Bucket;
    match lines.cells.bucket {
        Some(cells) if cells != Bucket::Day && cells != config.bucket => Err(format!(
            "{file}: the order cells are by {} but the analysis buckets by {}; run the SQL \
             again with bucket = '{}' (or 'day'), or set the configuration's bucket to `{}`",
            cells.name(),
            config.bucket.name(),
            config.bucket.name(),
            cells.name()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Bucket, Config};
    use crate::ingest::{self, InputFile, LoadOptions};
    use crate::quality::Rule;
    use crate::{analyze, tables, Dataset};

    const ORDERS: &str =
        "order_id,order_date,sku,quantity,customer_id,unit_price,unit_cost,ship_mode\n\
        o1,2024-01-01,A,2,c1,10,6,Air\n\
        o1,2024-01-02,B,1,c1,4,2.5,Air\n\
        o5,2024-01-02,A,2,c1,10,6,Air\n\
        o2,2024-01-03,A,3,c2,10,6,Ground\n\
        o3,2024-01-09,A,-1,c2,10,6,Ground\n\
        o4,2024-01-10,B,4,,4,2.5,Air\n";

    /// The cells of `ORDERS` by week, worked out by hand as the SQL groups
    /// them: o1 and o5 share the first cell (2 lines, 2 orders first seen
    /// there; o1's two positive lines carry ½ order each).
    const CELLS: &str = "bucket,bucket_start,sku,customer_id,ship_mode,lines,orders,order_share,\
        quantity,revenue,value,cost,price_value,weight\n\
        week,2024-01-01,A,c1,Air,2,2,1.5,4,40,40,24,,\n\
        week,2024-01-01,A,c2,Ground,1,1,1,3,30,30,18,,\n\
        week,2024-01-01,B,c1,Air,1,0,0.5,1,4,4,2.5,,\n\
        week,2024-01-08,A,c2,Ground,1,0,0,-1,-10,0,-6,,\n\
        week,2024-01-08,B,(unknown),Air,1,1,1,4,16,16,10,,\n";

    const POOLS: &str = "pool,annual_cost,driver,fixed_share\n\
        Picking,1461,lines,0\nDesk,730.5,orders,0\nAccounts,365.25,customers,0\n";

    fn load(cells: bool, text: &str) -> Dataset {
        let pools = Some(InputFile { name: "pools.csv", bytes: POOLS.as_bytes() });
        let options = LoadOptions::default();
        let mapping = Default::default();
        let loaded = if cells {
            let file = InputFile { name: "cells.csv", bytes: text.as_bytes() };
            ingest::load_cells(file, None, None, pools, &mapping, &options)
        } else {
            let file = InputFile { name: "orders.csv", bytes: text.as_bytes() };
            ingest::load(file, None, None, pools, &mapping, &options)
        };
        loaded.unwrap().dataset
    }

    fn results(data: &Dataset) -> Vec<Vec<u8>> {
        let a = analyze(data, &Config::default());
        vec![
            tables::sku_table(data, &a).to_csv(),
            tables::customer_table(data, &a).to_csv(),
            tables::pool_table(&a).to_csv(),
            tables::breakdown_table(&a).to_csv(),
            tables::policy_table(&a).to_csv(),
        ]
    }

    #[test]
    fn hand_made_cells_give_the_order_lines_results() {
        let (lines, cells) = (load(false, ORDERS), load(true, CELLS));
        assert!(cells.lines.has_cells() && !lines.lines.has_cells());
        assert_eq!(cells.lines.len(), 5);
        assert_eq!(results(&cells), results(&lines));
    }

    #[test]
    fn a_customer_counts_the_orders_first_seen_in_its_cells() {
        let data = load(true, CELLS);
        let a = analyze(&data, &Config::default());
        let c1 = data.customers.get("c1").unwrap();
        let pnl = a.cost.customers.iter().find(|c| c.customer == c1).unwrap();
        // o1 and o5 over three lines; o1's second line (SKU B) is in
        // another cell, which counts no order of its own.
        assert_eq!((pnl.orders, pnl.lines), (2, 3));
    }

    #[test]
    fn weekly_cells_refuse_a_monthly_analysis_but_daily_cells_suit_any() {
        let data = load(true, CELLS);
        let monthly = Config { bucket: Bucket::Month, ..Config::default() };
        let error = super::check_bucket(&data.lines, &monthly, "cells.csv").unwrap_err();
        assert!(error.contains("by week") && error.contains("bucket = 'month'"), "{error}");
        assert!(super::check_bucket(&data.lines, &Config::default(), "cells.csv").is_ok());
        let daily = load(true, &CELLS.replace("week,", "day,"));
        assert!(super::check_bucket(&daily.lines, &monthly, "cells.csv").is_ok());
    }

    #[test]
    fn bad_cells_are_skipped_with_their_line() {
        let header = CELLS.lines().next().unwrap();
        let text = format!(
            "{header}\nweek,2024-01-02,A,c1,Air,1,1,1,1,1,1,,,\n\
             week,2024-01-01,A,c1,Air,0,0,0,1,1,1,,,\n\
             month,2024-01-01,A,c1,Air,1,1,1,1,1,1,,,\n\
             week,2024-01-01,A,c1,Air,2,1,1,3,30,30,,,\n"
        );
        let file = InputFile { name: "cells.csv", bytes: text.as_bytes() };
        let parsed =
            ingest::parse_cells(file, &Default::default(), &LoadOptions::default()).unwrap();
        assert_eq!(parsed.table.lines.len(), 1);
        let finding = &parsed.report.findings[0];
        assert_eq!(finding.rule, Rule::RequiredFieldInvalid);
        let lines: Vec<u64> = finding.examples.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 2, 3]);
        assert!(finding.examples[1].detail.contains("Monday"), "{:?}", finding.examples);
    }

    #[test]
    fn cells_are_told_from_order_lines_by_their_header() {
        assert!(ingest::looks_like_cells(CELLS.as_bytes()));
        assert!(ingest::looks_like_cells(
            b"\xef\xbb\xbfBucket;Bucket Start;SKU;Lines;Order Share\n"
        ));
        assert!(!ingest::looks_like_cells(ORDERS.as_bytes()));
    }
}
