//! Builders for the small hand-made datasets of unit tests, so that each
//! test states only the lines that matter to it.

use crate::dataset::Dataset;
use crate::date::Date;

/// One order line of a test dataset; unset optional figures stay empty.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    pub order: &'a str,
    pub customer: &'a str,
    pub sku: &'a str,
    pub date: Date,
    pub quantity: f64,
    pub revenue: Option<f64>,
    pub price: Option<f64>,
    pub unit_cost: Option<f64>,
    pub weight: Option<f64>,
}

impl Default for Line<'_> {
    fn default() -> Self {
        Line {
            order: "O",
            customer: "C",
            sku: "S",
            date: week(0),
            quantity: 1.0,
            revenue: None,
            price: None,
            unit_cost: None,
            weight: None,
        }
    }
}

/// A calendar day (panics on an impossible date: tests only).
pub(crate) fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("a valid test date")
}

/// The Monday `n` weeks after Monday 2024-01-01.
pub(crate) fn week(n: usize) -> Date {
    Date(day(2024, 1, 1).0 + 7 * n as i32)
}

/// Appends a line to `d`, interning its codes. Every optional numeric column
/// gets a cell (empty when unset) so the columns stay aligned.
pub(crate) fn push(d: &mut Dataset, line: Line<'_>) {
    let l = &mut d.lines;
    l.line.push(l.len() as u32 + 2);
    l.order.push(d.orders.intern(line.order));
    l.customer.push(d.customers.intern(line.customer));
    l.sku.push(d.skus.intern(line.sku));
    l.date.push(line.date);
    l.quantity.push(line.quantity);
    let nan = f64::NAN;
    l.line_revenue.0.push(line.revenue.unwrap_or(nan));
    l.unit_price.0.push(line.price.unwrap_or(nan));
    l.unit_cost.0.push(line.unit_cost.unwrap_or(nan));
    l.weight_kg.0.push(line.weight.unwrap_or(nan));
}

/// A dataset of the given lines.
pub(crate) fn dataset<'a>(lines: impl IntoIterator<Item = Line<'a>>) -> Dataset {
    let mut d = Dataset::default();
    for line in lines {
        push(&mut d, line);
    }
    d
}
