//! Activity cost pools sized to the business that was generated.
//!
//! A distributor's cost to serve (order handling, warehouse, freight, sales
//! and finance overhead) typically runs at 8–15 % of revenue. The pools split
//! 11 % of the generated annual revenue among six activities in proportions
//! typical of a distributor, with freight and picking the largest. Their
//! implied rates then scale with the data (about 20 per order and 6 per line
//! for the demo), so cost-to-serve findings look the same at every size.

use crate::orders::Totals;
use crate::write::CsvOut;

/// Cost to serve as a share of revenue.
const COST_TO_SERVE_SHARE: f64 = 0.11;

/// (pool, driver, share of the cost to serve, fixed share).
const POOLS: [(&str, &str, f64, i64); 6] = [
    ("Order processing", "orders", 0.16, 60),
    ("Picking", "lines", 0.20, 30),
    ("Handling", "units", 0.10, 20),
    ("Freight", "weight_kg", 0.32, 10),
    ("Account management", "customers", 0.14, 80),
    ("Credit & collections", "value", 0.08, 50),
];

/// The cost pools file for lines spanning `weeks` weeks.
pub(crate) fn write(totals: &Totals, weeks: u32) -> Vec<u8> {
    let mut out = CsvOut::with_header(512, "pool,annual_cost,driver,fixed_share");
    let annual = 365.25 / (f64::from(weeks.max(1)) * 7.0);
    let revenue = (totals.revenue_cents.max(0) as f64 / 100.0) * annual;
    for (pool, driver, share, fixed_pct) in POOLS {
        // Budgets are round figures: whole hundreds.
        let cost = (revenue * COST_TO_SERVE_SHARE * share / 100.0).round() as i64 * 100;
        out.text(pool);
        out.int(cost);
        out.raw(driver.as_bytes());
        out.fixed(fixed_pct, 2, 1);
        out.end();
    }
    out.buf
}
