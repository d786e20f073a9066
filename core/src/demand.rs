//! Demand series and per-SKU value figures (SPEC §2, with SPEC §4's line
//! unit costs).
//!
//! The horizon runs from the bucket of the earliest order date to the bucket
//! of the latest, over every valid line (returns included). Each SKU with at
//! least one valid line gets a series over the whole horizon, zero buckets
//! included; a bucket's demand is the sum of the SKU's positive quantities
//! in it. Value figures are net: returns subtract from revenue and margin.

use crate::cache::prefetch;
use crate::config::{Bucket, Config};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::quality::DqReport;
use crate::stats::mean_std_of_rows;
use serde::{Deserialize, Serialize};

/// The SKU × bucket demand matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemandSeries {
    /// Bucket size.
    pub bucket: Bucket,
    /// First day of the first bucket.
    pub start: Date,
    /// Number of buckets `n` (0 when there are no lines).
    pub n: usize,
    /// The SKUs with at least one valid line, as [`Dataset::skus`] numbers,
    /// in order of first appearance.
    pub skus: Vec<u32>,
    /// Gross demand, row-major: row `i` (length `n`) belongs to `skus[i]`.
    pub demand: Vec<f64>,
}

impl DemandSeries {
    /// The demand row of the `i`-th SKU of [`DemandSeries::skus`].
    pub fn row(&self, i: usize) -> &[f64] {
        &self.demand[i * self.n..(i + 1) * self.n]
    }

    /// The bucket index of a date inside the horizon.
    pub fn bucket_of(&self, date: Date) -> usize {
        let t = match self.bucket {
            Bucket::Day => date.0 - self.start.0,
            Bucket::Week => (date.week_start().0 - self.start.0) / 7,
            Bucket::Month => date.month_index() - self.start.month_index(),
        };
        t as usize
    }

    /// For every SKU number of the dataset, its row in this series
    /// (`u32::MAX` for SKUs without lines).
    pub fn rows_by_sku(&self, sku_count: usize) -> Vec<u32> {
        let mut rows = vec![u32::MAX; sku_count];
        for (row, &sku) in self.skus.iter().enumerate() {
            rows[sku as usize] = row as u32;
        }
        rows
    }

    /// The first day of bucket `t`.
    pub fn bucket_start(&self, t: usize) -> Date {
        match self.bucket {
            Bucket::Day => Date(self.start.0 + t as i32),
            Bucket::Week => Date(self.start.0 + 7 * t as i32),
            Bucket::Month => Date::from_month_index(self.start.month_index() + t as i32),
        }
    }
}

/// Value and volume figures of one SKU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuSummary {
    /// SKU number in [`Dataset::skus`].
    pub sku: u32,
    /// Net revenue: sum of line revenue, returns subtract.
    pub revenue: f64,
    /// Net margin: revenue − Σ quantity × line unit cost.
    pub margin: f64,
    /// Gross demand: sum of positive quantities.
    pub quantity: f64,
    /// Number of lines with positive quantity.
    pub order_lines: u64,
    /// The SKU's unit cost: the products file's, else the quantity-weighted
    /// mean of its positive lines' unit costs (`None` if neither exists).
    pub unit_cost: Option<f64>,
    /// `d`: mean bucket demand over the horizon.
    pub mean_demand: f64,
    /// `σd`: population standard deviation of bucket demand.
    ///
    /// With `mean_demand`, `stats::mean_std` of the SKU's series row, to
    /// the bit: the classification reads them as the XYZ moments of a
    /// series it reads as it is (`classify::classify_reusing`).
    pub std_demand: f64,
}

/// The demand stage's output: series, per-SKU figures and per-line unit
/// costs (which cost-to-serve and customer profit reuse).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    /// The bucket series.
    pub series: DemandSeries,
    /// One summary per SKU, in the order of `series.skus`.
    pub skus: Vec<SkuSummary>,
    /// Unit cost of every order line (SPEC §4's order of sources); `None`
    /// where no source gives one.
    pub line_unit_cost: Vec<Option<f64>>,
}

/// Where a line's unit cost came from, in SPEC §4's order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    /// The line's `unit_cost`.
    UnitCost,
    /// The line's `line_cost` / quantity.
    LineCost,
    /// (The line's revenue − `line_margin`) / quantity.
    LineMargin,
    /// The products file's unit cost.
    Products,
    /// Price × `cost_ratio`.
    CostRatio,
}

/// A line's unit cost, from the first source that gives one (SPEC §4): its
/// `unit_cost`; its `line_cost` / quantity; (its revenue − `line_margin`) /
/// quantity; the products file's unit cost; its price × `cost_ratio`, where
/// price falls back to line revenue / quantity. The derived forms need a
/// non-zero quantity.
pub fn line_unit_cost(
    data: &Dataset,
    product_cost: &[Option<f64>],
    cost_ratio: f64,
    i: usize,
) -> Option<(f64, CostSource)> {
    let lines = &data.lines;
    let q = lines.quantity[i];
    let per_unit = |total: Option<f64>| total.filter(|_| q != 0.0).map(|t| t / q);
    let tag = |source| move |cost| (cost, source);
    lines
        .unit_cost
        .get(i)
        .map(tag(CostSource::UnitCost))
        .or_else(|| per_unit(lines.line_cost.get(i)).map(tag(CostSource::LineCost)))
        .or_else(|| {
            per_unit(lines.line_margin.get(i).map(|m| lines.revenue(i) - m))
                .map(tag(CostSource::LineMargin))
        })
        .or_else(|| product_cost[lines.sku[i] as usize].map(tag(CostSource::Products)))
        .or_else(|| {
            let price = lines.unit_price.get(i).or_else(|| per_unit(lines.line_revenue.get(i)));
            price.map(|p| (p * cost_ratio, CostSource::CostRatio))
        })
}

/// Whether [`build`] gives the same demand for both configurations: it
/// reads the bucket and the cost ratio and nothing else of them. Keep in
/// step with [`build`]; `analysis::segment` reuses a demand on it.
pub fn reads_same(a: &Config, b: &Config) -> bool {
    a.bucket == b.bucket && a.policy.cost_ratio.to_bits() == b.policy.cost_ratio.to_bits()
}

/// A SKU's running sums in [`build`], in line order.
#[derive(Clone, Copy, Default)]
struct Sums {
    revenue: f64,
    margin: f64,
    quantity: f64,
    order_lines: u64,
    /// Σ quantity × unit cost and Σ quantity over the positive lines with
    /// a unit cost.
    cost: f64,
    costed_quantity: f64,
}

/// The cell of a line that adds no demand ([`add_to_cells`]).
const NO_CELL: usize = usize::MAX;

/// Adds each line's quantity to its cell of the SKU × bucket matrix, in
/// line order. The cells lie at random in a matrix far bigger than the
/// processor's cache (41 MB at 1M lines): a loop that does nothing else
/// keeps many of its reads waiting for memory at once, where the demand
/// stage's main loop, with a line's sums and costs to work out too, kept
/// few (issue #7: the browser cannot prefetch). Natively the cells
/// `AHEAD` lines on are fetched meanwhile.
fn add_to_cells(demand: &mut [f64], cells: &[usize], quantity: &[f64]) {
    const AHEAD: usize = 16;
    for (i, (&cell, &q)) in cells.iter().zip(quantity).enumerate() {
        if let Some(&ahead) = cells.get(i + AHEAD) {
            prefetch(demand.get(ahead));
        }
        if let Some(d) = demand.get_mut(cell) {
            *d += q;
        }
    }
}

/// The demand stage. Adds a note to `report` when unit costs had to come
/// from price × `cost_ratio`.
pub fn build(data: &Dataset, config: &Config, report: &mut DqReport) -> Demand {
    let lines = &data.lines;
    let bucket = config.bucket;
    let (first, last) = match (lines.date.iter().min(), lines.date.iter().max()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => (Date(0), Date(0)),
    };
    let start = match bucket {
        Bucket::Day => first,
        Bucket::Week => first.week_start(),
        Bucket::Month => Date::from_month_index(first.month_index()),
    };
    let mut series = DemandSeries { bucket, start, n: 0, skus: Vec::new(), demand: Vec::new() };
    let n = if lines.is_empty() { 0 } else { series.bucket_of(last) + 1 };

    // SKU rows in order of first appearance among the lines.
    let mut row_of = vec![u32::MAX; data.skus.len()];
    let mut skus = Vec::new();
    for &s in &lines.sku {
        if row_of[s as usize] == u32::MAX {
            row_of[s as usize] = skus.len() as u32;
            skus.push(s);
        }
    }

    let product_index = data.product_index();
    let product_cost: Vec<Option<f64>> =
        product_index.iter().map(|p| p.and_then(|p| data.products[p as usize].unit_cost)).collect();

    let mut demand = vec![0.0; skus.len() * n];
    // Each SKU's running sums side by side, so that a line reads and writes
    // one place besides its demand bucket: the summaries and the cost sums
    // apart were two cache misses a line where the browser cannot prefetch
    // (issue #7).
    let mut sums = vec![Sums::default(); skus.len()];
    let mut line_unit_costs = Vec::with_capacity(lines.len());
    // Each line's demand cell (`NO_CELL` for a line that adds no demand),
    // added to the matrix in a loop of its own below.
    let mut cells = Vec::with_capacity(lines.len());
    let mut ratio_lines = 0u64;
    // What the line `AHEAD` further on will add to is fetched meanwhile
    // (`cache::prefetch`): at 5M lines the sums are 10 MB, read at the
    // SKU of each line.
    const AHEAD: usize = 16;
    for i in 0..lines.len() {
        if let Some(&sku) = lines.sku.get(i + AHEAD) {
            let row = row_of.get(sku as usize).map_or(0, |&r| r as usize);
            prefetch(sums.get(row));
            prefetch(product_cost.get(sku as usize));
        }
        let row = row_of[lines.sku[i] as usize] as usize;
        let q = lines.quantity[i];
        let revenue = lines.revenue(i);
        let costed = line_unit_cost(data, &product_cost, config.policy.cost_ratio, i);
        if matches!(costed, Some((_, CostSource::CostRatio))) {
            ratio_lines += lines.line_count(i);
        }
        let unit_cost = costed.map(|(cost, _)| cost);
        line_unit_costs.push(unit_cost);
        let s = &mut sums[row];
        s.revenue += revenue;
        s.margin += revenue - q * unit_cost.unwrap_or(0.0);
        if q > 0.0 {
            s.quantity += q;
            s.order_lines += lines.line_count(i);
            cells.push(row * n + series.bucket_of(lines.date[i]));
            if let Some(c) = unit_cost {
                s.cost += q * c;
                s.costed_quantity += q;
            }
        } else {
            cells.push(NO_CELL);
        }
    }
    add_to_cells(&mut demand, &cells, &lines.quantity);
    drop(cells);
    let moments = mean_std_of_rows(&demand, n);
    let summaries: Vec<SkuSummary> = skus
        .iter()
        .zip(&sums)
        .enumerate()
        .map(|(row, (&sku, s))| {
            // The products file's cost, else the positive lines' mean.
            let unit_cost = product_cost[sku as usize]
                .or_else(|| (s.costed_quantity > 0.0).then(|| s.cost / s.costed_quantity));
            // The row's `mean_std`, without weights.
            let (mean_demand, std_demand) =
                moments.get(row).copied().flatten().unwrap_or((0.0, 0.0));
            SkuSummary {
                sku,
                revenue: s.revenue,
                margin: s.margin,
                quantity: s.quantity,
                order_lines: s.order_lines,
                unit_cost,
                mean_demand,
                std_demand,
            }
        })
        .collect();
    if ratio_lines > 0 {
        report.note(
            None,
            format!(
                "{ratio_lines} order lines have no cost in any file: their unit cost is \
                 price × cost_ratio ({}).",
                config.policy.cost_ratio
            ),
        );
    }
    series.n = n;
    series.skus = skus;
    series.demand = demand;
    Demand { series, skus: summaries, line_unit_cost: line_unit_costs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NumColumn;
    use crate::testing;

    /// A line for test datasets: (sku, date, quantity, line revenue).
    type L = (&'static str, (i32, u32, u32), f64, f64);

    fn dataset(lines: &[L]) -> Dataset {
        testing::dataset(lines.iter().map(|&(sku, (y, m, d), quantity, revenue)| testing::Line {
            sku,
            date: testing::day(y, m, d),
            quantity,
            revenue: Some(revenue),
            ..Default::default()
        }))
    }

    fn build_default(d: &Dataset) -> Demand {
        build(d, &Config::default(), &mut DqReport::default())
    }

    #[test]
    fn horizon_spans_first_to_last_week_inclusive() {
        // Tue 2024-01-02 (week of Mon 01-01) to Sun 2024-01-21 (week of 01-15): 3 weeks.
        let d = dataset(&[("A", (2024, 1, 2), 1.0, 1.0), ("B", (2024, 1, 21), 1.0, 1.0)]);
        let s = build_default(&d).series;
        assert_eq!(s.n, 3);
        assert_eq!(s.start, Date::from_ymd(2024, 1, 1).unwrap());
        assert_eq!(s.bucket_start(2), Date::from_ymd(2024, 1, 15).unwrap());
    }

    #[test]
    fn every_sku_spans_the_whole_horizon_with_zero_buckets() {
        let d = dataset(&[
            ("A", (2024, 1, 1), 4.0, 40.0),
            ("A", (2024, 1, 3), 2.0, 20.0),
            ("B", (2024, 1, 22), 5.0, 5.0),
        ]);
        let demand = build_default(&d);
        assert_eq!(demand.series.row(0), &[6.0, 0.0, 0.0, 0.0]);
        assert_eq!(demand.series.row(1), &[0.0, 0.0, 0.0, 5.0]);
        // d = 6 / 4 weeks; σd = population std of 6, 0, 0, 0.
        assert_eq!(demand.skus[0].mean_demand, 1.5);
        assert!((demand.skus[0].std_demand - (6.75f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn returns_subtract_revenue_but_are_not_demand() {
        let d = dataset(&[("A", (2024, 1, 1), 10.0, 100.0), ("A", (2024, 1, 8), -3.0, -30.0)]);
        let demand = build_default(&d);
        let a = &demand.skus[0];
        assert_eq!((a.revenue, a.quantity, a.order_lines), (70.0, 10.0, 1));
        assert_eq!(demand.series.row(0), &[10.0, 0.0]);
        // No cost anywhere: unit cost = price × 0.6 = 6; margin = 70 − 7 × 6.
        assert!((a.margin - 28.0).abs() < 1e-9);
        assert_eq!(a.unit_cost, Some(6.0));
    }

    #[test]
    fn months_and_days_bucket_by_calendar() {
        let d = dataset(&[("A", (2024, 1, 31), 1.0, 1.0), ("A", (2024, 3, 1), 2.0, 1.0)]);
        let mut config = Config { bucket: Bucket::Month, ..Config::default() };
        let s = build(&d, &config, &mut DqReport::default()).series;
        assert_eq!((s.n, s.row(0)), (3, &[1.0, 0.0, 2.0][..]));
        config.bucket = Bucket::Day;
        let s = build(&d, &config, &mut DqReport::default()).series;
        assert_eq!(s.n, 31); // 2024 is a leap year: Jan 31 .. Mar 1.
    }

    #[test]
    fn unit_cost_sources_follow_spec_precedence() {
        // One line per source, each SKU distinct (SPEC §4's order).
        let mut d = dataset(&[
            ("unit", (2024, 1, 1), 2.0, 20.0),
            ("linecost", (2024, 1, 1), 2.0, 20.0),
            ("margin", (2024, 1, 1), 2.0, 20.0),
            ("product", (2024, 1, 1), 2.0, 20.0),
            ("ratio", (2024, 1, 1), 2.0, 20.0),
        ]);
        d.lines.unit_cost = NumColumn(vec![3.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN]);
        d.lines.line_cost = NumColumn(vec![100.0, 8.0, f64::NAN, f64::NAN, f64::NAN]);
        d.lines.line_margin = NumColumn(vec![1.0, 1.0, 6.0, f64::NAN, f64::NAN]);
        let product = d.skus.get("product").unwrap();
        d.products.push(crate::dataset::Product {
            sku: product,
            unit_cost: Some(7.0),
            ..Default::default()
        });
        let demand = build_default(&d);
        let costs: Vec<_> = demand.line_unit_cost.iter().map(|c| c.unwrap()).collect();
        // 3; 8/2; (20−6)/2; products 7; price 10 × 0.6.
        assert_eq!(costs, vec![3.0, 4.0, 7.0, 7.0, 6.0]);
        let margins: Vec<_> = demand.skus.iter().map(|s| s.margin).collect();
        assert_eq!(margins, vec![14.0, 12.0, 6.0, 6.0, 8.0]);
    }

    #[test]
    fn derived_costs_need_a_nonzero_quantity() {
        let mut d = dataset(&[("A", (2024, 1, 1), 0.0, 10.0)]);
        d.lines.line_cost = NumColumn(vec![5.0]);
        let demand = build_default(&d);
        assert_eq!(demand.line_unit_cost[0], None);
        assert_eq!(demand.skus[0].unit_cost, None);
        assert_eq!(demand.skus[0].order_lines, 0);
    }

    #[test]
    fn sku_cost_is_quantity_weighted_over_positive_lines() {
        let mut d = dataset(&[
            ("A", (2024, 1, 1), 1.0, 10.0),
            ("A", (2024, 1, 2), 3.0, 30.0),
            ("A", (2024, 1, 3), -1.0, -10.0),
        ]);
        d.lines.unit_cost = NumColumn(vec![2.0, 6.0, 100.0]);
        let a = &build_default(&d).skus[0];
        assert_eq!(a.unit_cost, Some((2.0 + 18.0) / 4.0));
        // margin = 30 − (2 + 18 − 100).
        assert_eq!(a.margin, 30.0 - (2.0 + 18.0 - 100.0));
    }

    #[test]
    fn cost_ratio_fallback_is_noted() {
        let d = dataset(&[("A", (2024, 1, 1), 1.0, 10.0)]);
        let mut report = DqReport::default();
        build(&d, &Config::default(), &mut report);
        assert!(report.notes[0].message.contains("cost_ratio"), "{:?}", report.notes);
    }

    #[test]
    fn no_lines_gives_an_empty_series() {
        let demand = build_default(&Dataset::default());
        assert_eq!((demand.series.n, demand.skus.len()), (0, 0));
    }
}
