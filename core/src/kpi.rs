//! Key figures per segment for the role dashboards.
//!
//! Every figure is a sum or ratio of figures the pipeline already computed
//! (SPEC §2 for revenue and margin, §4 for the policies, §5 for the cost to
//! serve); where SPEC names no KPI the definition is written on
//! [`Kpi::formula`], which is also the help text the app shows beside the
//! figure, so the two cannot drift apart.
//!
//! Conventions (also in the README):
//!
//! - **inventory turns** = annual cost of goods sold / average inventory
//!   value, over the SKUs that have an average inventory value (an order
//!   quantity and a unit cost, SPEC §4). Annual COGS of a SKU is its annual
//!   demand `D` × unit cost, the same demand the policy is sized for, so a
//!   SKU's turns are `D / (safety_stock + order_qty / 2)`.
//! - **target fill rate** = the policies' fill rate weighted by annual
//!   demand (as in the Policies page's working capital).
//! - **on-time rate** = order lines with positive quantity, a promised and a
//!   delivered date, delivered on or before the promised day, over all such
//!   lines. Absent where no line has both dates.
//! - **cost per order** = the segment's cost to serve / its orders, where an
//!   order spanning segments counts 1 / (its positive lines) per line
//!   (SPEC §5's `orders` driver, as in the cost breakdown). Absent without
//!   cost pools.

use crate::analysis::Analysis;
use crate::cost::breakdown::Dimension;
use crate::dataset::Dataset;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A dashboard figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
    /// SKUs in the segment.
    Skus,
    /// Net revenue (SPEC §2).
    Revenue,
    /// Net margin (SPEC §2).
    Margin,
    /// Margin / revenue.
    MarginPct,
    /// Cost to serve per order (SPEC §5).
    CostPerOrder,
    /// Average inventory value of the policies (SPEC §4).
    InventoryValue,
    /// Annual COGS / average inventory value.
    InventoryTurns,
    /// Mean target cycle service level.
    ServiceLevel,
    /// Demand-weighted fill rate at the target service levels.
    FillRate,
    /// Expected stockout events per year.
    StockoutsPerYear,
    /// Lines delivered on or before the promised day.
    OnTimeRate,
}

/// How a figure is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiFormat {
    /// A whole count.
    Count,
    /// An amount of money.
    Money,
    /// A share shown as a percentage.
    Percent,
    /// A plain ratio or rate with one decimal.
    Ratio,
}

impl Kpi {
    /// Every KPI, in dashboard order.
    pub const ALL: [Kpi; 11] = [
        Kpi::Skus,
        Kpi::Revenue,
        Kpi::Margin,
        Kpi::MarginPct,
        Kpi::CostPerOrder,
        Kpi::InventoryValue,
        Kpi::InventoryTurns,
        Kpi::ServiceLevel,
        Kpi::FillRate,
        Kpi::StockoutsPerYear,
        Kpi::OnTimeRate,
    ];

    /// The column name (as in result tables; `roles` decides on it).
    pub fn key(self) -> &'static str {
        match self {
            Kpi::Skus => "skus",
            Kpi::Revenue => "revenue",
            Kpi::Margin => "margin",
            Kpi::MarginPct => "margin_pct",
            Kpi::CostPerOrder => "cost_per_order",
            Kpi::InventoryValue => "avg_inventory_value",
            Kpi::InventoryTurns => "inventory_turns",
            Kpi::ServiceLevel => "service_level",
            Kpi::FillRate => "fill_rate",
            Kpi::StockoutsPerYear => "stockouts_per_year",
            Kpi::OnTimeRate => "on_time_rate",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Kpi::Skus => "SKUs",
            Kpi::Revenue => "Revenue",
            Kpi::Margin => "Margin",
            Kpi::MarginPct => "Margin %",
            Kpi::CostPerOrder => "Cost per order",
            Kpi::InventoryValue => "Inventory value",
            Kpi::InventoryTurns => "Inventory turns",
            Kpi::ServiceLevel => "Target service level",
            Kpi::FillRate => "Target fill rate",
            Kpi::StockoutsPerYear => "Stockouts per year",
            Kpi::OnTimeRate => "On-time rate",
        }
    }

    /// How the figure is written.
    pub fn format(self) -> KpiFormat {
        match self {
            Kpi::Skus => KpiFormat::Count,
            Kpi::Revenue | Kpi::Margin | Kpi::CostPerOrder | Kpi::InventoryValue => {
                KpiFormat::Money
            }
            Kpi::MarginPct | Kpi::ServiceLevel | Kpi::FillRate | Kpi::OnTimeRate => {
                KpiFormat::Percent
            }
            Kpi::InventoryTurns | Kpi::StockoutsPerYear => KpiFormat::Ratio,
        }
    }

    /// The formula behind the figure, in words (the dashboard's help text).
    pub fn formula(self) -> &'static str {
        match self {
            Kpi::Skus => "Number of SKUs with at least one valid order line in the segment.",
            Kpi::Revenue => {
                "Σ line revenue of the segment's SKUs (line_revenue, else quantity × unit_price); \
                 returns subtract."
            }
            Kpi::Margin => "Revenue − Σ quantity × unit cost over the segment's lines.",
            Kpi::MarginPct => "Margin / revenue.",
            Kpi::CostPerOrder => {
                "Cost to serve of the segment's lines / its orders; an order spanning segments \
                 counts 1 / (its positive lines) per line."
            }
            Kpi::InventoryValue => {
                "Σ average inventory × unit cost, average inventory = safety stock + order \
                 quantity / 2."
            }
            Kpi::InventoryTurns => {
                "Annual COGS / average inventory value = Σ annual demand × unit cost / Σ \
                 (safety stock + order quantity / 2) × unit cost, over SKUs with an order quantity."
            }
            Kpi::ServiceLevel => "Mean target cycle service level (CSL) of the segment's SKUs.",
            Kpi::FillRate => {
                "Σ annual demand × fill rate / Σ annual demand, fill rate = 1 − σLT × G(z) / \
                 order quantity at the target service level."
            }
            Kpi::StockoutsPerYear => {
                "Σ expected stockout events per year = (annual demand / order quantity) × \
                 (1 − CSL)."
            }
            Kpi::OnTimeRate => {
                "Order lines delivered on or before the promised date / order lines with both a \
                 promised and a delivered date."
            }
        }
    }
}

/// Lines with both a promised and a delivered date, and how many of them
/// arrived in time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnTime {
    /// Lines with positive quantity and both dates.
    pub lines: u64,
    /// Of them, delivered on or before the promised day.
    pub on_time: u64,
}

impl OnTime {
    /// `on_time / lines`; `None` without lines.
    pub fn rate(self) -> Option<f64> {
        (self.lines > 0).then(|| self.on_time as f64 / self.lines as f64)
    }
}

/// The KPIs of one segment (or of all SKUs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentKpis {
    /// Segment label, or `All SKUs` for the total.
    pub segment: String,
    /// SKUs.
    pub skus: usize,
    /// Net revenue.
    pub revenue: f64,
    /// Net margin.
    pub margin: f64,
    /// Cost to serve of its lines (0 without pools).
    pub cost_to_serve: f64,
    /// Orders, fractional where an order spans segments.
    pub orders: f64,
    /// Σ annual demand × unit cost of SKUs with an average inventory value.
    pub annual_cogs: f64,
    /// Σ average inventory value.
    pub inventory_value: f64,
    /// Sum of the SKUs' target service levels (for the mean).
    service_level_sum: f64,
    /// Σ annual demand × fill rate, and Σ annual demand, over SKUs with a
    /// fill rate.
    fill_weighted: f64,
    fill_weight: f64,
    /// Σ expected stockout events per year.
    pub stockouts_per_year: f64,
    /// Delivery dates of its lines.
    pub on_time: OnTime,
}

impl SegmentKpis {
    /// The value of one KPI; `None` where it is undefined (no revenue for a
    /// margin %, no orders or no pools for a cost per order, no inventory
    /// value for turns, no fill rate, no delivery dates).
    pub fn value(&self, kpi: Kpi, has_pools: bool) -> Option<f64> {
        let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
        match kpi {
            Kpi::Skus => Some(self.skus as f64),
            Kpi::Revenue => Some(self.revenue),
            Kpi::Margin => Some(self.margin),
            Kpi::MarginPct => ratio(self.margin, self.revenue),
            Kpi::CostPerOrder => {
                has_pools.then(|| ratio(self.cost_to_serve, self.orders)).flatten()
            }
            Kpi::InventoryValue => Some(self.inventory_value),
            Kpi::InventoryTurns => ratio(self.annual_cogs, self.inventory_value),
            Kpi::ServiceLevel => ratio(self.service_level_sum, self.skus as f64),
            Kpi::FillRate => ratio(self.fill_weighted, self.fill_weight),
            Kpi::StockoutsPerYear => Some(self.stockouts_per_year),
            Kpi::OnTimeRate => self.on_time.rate(),
        }
    }

    fn add(&mut self, other: &SegmentKpis) {
        self.skus += other.skus;
        self.revenue += other.revenue;
        self.margin += other.margin;
        self.cost_to_serve += other.cost_to_serve;
        self.orders += other.orders;
        self.annual_cogs += other.annual_cogs;
        self.inventory_value += other.inventory_value;
        self.service_level_sum += other.service_level_sum;
        self.fill_weighted += other.fill_weighted;
        self.fill_weight += other.fill_weight;
        self.stockouts_per_year += other.stockouts_per_year;
        self.on_time.lines += other.on_time.lines;
        self.on_time.on_time += other.on_time.on_time;
    }
}

/// The KPIs of every segment and of all SKUs together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// Per segment, in label order.
    pub segments: Vec<SegmentKpis>,
    /// All SKUs.
    pub total: SegmentKpis,
    /// Whether cost pools were loaded (else there is no cost per order).
    pub has_pools: bool,
    /// Whether any order line has a promised and a delivered date.
    pub has_delivery_dates: bool,
}

/// Computes the KPIs of `analysis`, per segment, from its per-SKU figures,
/// policies, cost breakdown and the dataset's delivery dates.
pub fn build(data: &Dataset, analysis: &Analysis) -> Kpis {
    let rows = || analysis.demand.skus.iter().zip(&analysis.classes).zip(&analysis.policies);
    // Segments numbered in label order: each SKU's and each line's totals
    // are found by index, not by comparing labels a million times.
    let labels: BTreeSet<&str> = rows().map(|((_, class), _)| class.segment.as_str()).collect();
    let number: BTreeMap<&str, usize> = labels.iter().enumerate().map(|(i, &l)| (l, i)).collect();
    let mut by_segment = vec![SegmentKpis::default(); labels.len()];
    let mut segment_of = vec![None; data.skus.len()];
    for ((s, class), policy) in rows() {
        let Some(&n) = number.get(class.segment.as_str()) else { continue };
        if let Some(slot) = segment_of.get_mut(s.sku as usize) {
            *slot = Some(n);
        }
        let Some(k) = by_segment.get_mut(n) else { continue };
        k.skus += 1;
        k.revenue += s.revenue;
        k.margin += s.margin;
        k.service_level_sum += policy.service_level;
        if let (Some(value), Some(cost)) = (policy.avg_inventory_value, s.unit_cost) {
            k.inventory_value += value;
            k.annual_cogs += policy.annual_demand * cost;
        }
        if let Some(f) = policy.fill_rate {
            k.fill_weighted += policy.annual_demand * f;
            k.fill_weight += policy.annual_demand;
        }
        k.stockouts_per_year += policy.stockouts_per_year.unwrap_or(0.0);
    }
    let segment_groups =
        analysis.cost.breakdowns.iter().find(|b| b.dimension == Dimension::Segment);
    for g in segment_groups.map(|b| b.groups.as_slice()).unwrap_or_default() {
        if let Some(k) = number.get(g.name.as_str()).and_then(|&n| by_segment.get_mut(n)) {
            k.cost_to_serve = g.cost_to_serve;
            k.orders = g.orders;
        }
    }
    let lines = &data.lines;
    let mut has_delivery_dates = false;
    for i in 0..lines.len() {
        let promised = lines.promised_date.get(i).copied().flatten();
        let delivered = lines.delivered_date.get(i).copied().flatten();
        let (Some(promised), Some(delivered)) = (promised, delivered) else { continue };
        has_delivery_dates = true;
        if lines.quantity.get(i).is_none_or(|&q| q <= 0.0) {
            continue;
        }
        let segment = lines.sku.get(i).and_then(|&s| segment_of.get(s as usize)).copied().flatten();
        if let Some(k) = segment.and_then(|n| by_segment.get_mut(n)) {
            k.on_time.lines += 1;
            k.on_time.on_time += u64::from(delivered <= promised);
        }
    }
    let mut total = SegmentKpis { segment: "All SKUs".into(), ..SegmentKpis::default() };
    let segments: Vec<SegmentKpis> = labels
        .into_iter()
        .zip(by_segment)
        .map(|(label, mut k)| {
            k.segment = label.to_owned();
            total.add(&k);
            k
        })
        .collect();
    Kpis { segments, total, has_pools: !analysis.cost.pools.is_empty(), has_delivery_dates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dataset, push, week, Line};
    use crate::{analyze, Config, CostPool, Date, Driver};

    /// Two SKUs over four weeks. S1: 10 units a week at price 10, cost 6.
    /// S2: 4 units in week 0 only, price 5, cost 3. Orders: one per line.
    fn two_skus() -> Dataset {
        let mut d = dataset([]);
        for w in 0..4 {
            let order = ["O1", "O2", "O3", "O4"][w];
            let s1 = Line {
                order,
                sku: "S1",
                date: week(w),
                quantity: 10.0,
                price: Some(10.0),
                unit_cost: Some(6.0),
                ..Line::default()
            };
            push(&mut d, s1);
        }
        let s2 = Line {
            order: "O5",
            sku: "S2",
            date: week(0),
            quantity: 4.0,
            price: Some(5.0),
            unit_cost: Some(3.0),
            ..Line::default()
        };
        push(&mut d, s2);
        d
    }

    fn kpis(d: &Dataset) -> Kpis {
        build(d, &analyze(d, &Config::default()))
    }

    #[test]
    fn revenue_and_margin_add_up_per_segment_and_in_total() {
        let d = two_skus();
        let k = kpis(&d);
        // S1: 40 units × 10 = 400 revenue, margin 400 − 40 × 6 = 160.
        // S2: 4 × 5 = 20 revenue, margin 20 − 4 × 3 = 8.
        assert_eq!(k.total.value(Kpi::Revenue, false), Some(420.0));
        assert_eq!(k.total.value(Kpi::Margin, false), Some(168.0));
        assert_eq!(k.total.value(Kpi::MarginPct, false), Some(168.0 / 420.0));
        assert_eq!(k.total.skus, 2);
        let sum: f64 = k.segments.iter().map(|s| s.revenue).sum();
        assert_eq!(sum, 420.0);
    }

    #[test]
    fn inventory_turns_are_annual_cogs_over_average_inventory_value() {
        let d = two_skus();
        let a = analyze(&d, &Config::default());
        let k = build(&d, &a);
        // S1 demand is constant: d = 10 a week, σd = 0, σL = 0 → safety
        // stock 0; D = 10 × 365.25 / 7 = 521.79; H = 0.25 × 6 = 1.5; S = 50;
        // eoq = sqrt(2 × 521.79 × 50 / 1.5) = 186.50 → order_qty 187;
        // average inventory 93.5 units = 561 at cost; annual COGS 3130.71;
        // turns = 521.79 / 93.5 = 5.5807.
        // S1 is an AX item (95 % of revenue, constant demand), alone in it.
        let ax = k.segments.iter().find(|s| s.segment == "AX").unwrap();
        assert_eq!(ax.skus, 1);
        let turns = ax.value(Kpi::InventoryTurns, false).unwrap();
        assert!((turns - 5.5806).abs() < 1e-4, "{turns}");
        assert!((turns - (10.0 * 365.25 / 7.0) / 93.5).abs() < 1e-9);
        assert!((ax.value(Kpi::InventoryValue, false).unwrap() - 561.0).abs() < 1e-9);
        // Whatever the segments, the total is Σ COGS / Σ value of both SKUs.
        let p = &a.policies;
        let cogs = p[0].annual_demand * 6.0 + p[1].annual_demand * 3.0;
        let value = p[0].avg_inventory_value.unwrap() + p[1].avg_inventory_value.unwrap();
        assert_eq!(k.total.value(Kpi::InventoryTurns, false), Some(cogs / value));
    }

    #[test]
    fn fill_rate_is_demand_weighted_as_in_the_working_capital() {
        let d = two_skus();
        let a = analyze(&d, &Config::default());
        let k = build(&d, &a);
        for s in &k.segments {
            let summary = a.segment_policies.iter().find(|p| p.segment == s.segment).unwrap();
            let ours = s.value(Kpi::FillRate, false);
            match (ours, summary.fill_rate) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-12),
                (x, y) => assert_eq!(x, y),
            }
            assert!((s.stockouts_per_year - summary.stockouts_per_year).abs() < 1e-12);
            let level = s.value(Kpi::ServiceLevel, false).unwrap();
            assert!((level - summary.service_level).abs() < 1e-12);
        }
    }

    #[test]
    fn stockouts_follow_spec_4() {
        let d = two_skus();
        let a = analyze(&d, &Config::default());
        let k = build(&d, &a);
        // (D / order_qty) × (1 − CSL) per SKU, summed.
        let expected: f64 = a
            .policies
            .iter()
            .map(|p| p.order_qty.map_or(0.0, |q| p.annual_demand / q * (1.0 - p.service_level)))
            .sum();
        assert!((k.total.stockouts_per_year - expected).abs() < 1e-12);
        assert!(expected > 0.0);
    }

    #[test]
    fn on_time_counts_lines_with_both_dates_delivered_by_the_promise() {
        let mut d = two_skus();
        let day = |n: i32| Some(Date(week(0).0 + n));
        // Line 1 late by a day, line 2 on the day, line 3 early, line 4 no
        // delivery date, S2's line without any date.
        d.lines.promised_date = vec![day(3), day(10), day(17), day(24), None];
        d.lines.delivered_date = vec![day(4), day(10), day(15), None, None];
        let k = kpis(&d);
        assert!(k.has_delivery_dates);
        assert_eq!(k.total.on_time, OnTime { lines: 3, on_time: 2 });
        assert_eq!(k.total.value(Kpi::OnTimeRate, false), Some(2.0 / 3.0));
        let s2 = k.segments.iter().filter(|s| s.on_time.lines == 0).count();
        assert!(s2 <= 1);
    }

    #[test]
    fn without_delivery_dates_or_pools_those_kpis_are_absent() {
        let d = two_skus();
        let k = kpis(&d);
        assert!(!k.has_delivery_dates && !k.has_pools);
        assert_eq!(k.total.value(Kpi::OnTimeRate, k.has_pools), None);
        assert_eq!(k.total.value(Kpi::CostPerOrder, k.has_pools), None);
    }

    #[test]
    fn cost_per_order_is_the_segments_cost_over_its_orders() {
        let mut d = two_skus();
        // 1 000 a year on the orders driver over 4 weeks (28 days):
        // 1000 × 28 / 365.25 = 76.66 spread over 5 orders.
        d.cost_pools = vec![CostPool {
            pool: "picking".into(),
            annual_cost: 1000.0,
            driver: Driver::Orders,
            fixed_share: 0.0,
        }];
        let k = kpis(&d);
        assert!(k.has_pools);
        let horizon = 1000.0 * 28.0 / 365.25;
        let per_order = k.total.value(Kpi::CostPerOrder, true).unwrap();
        assert!((per_order - horizon / 5.0).abs() < 1e-9, "{per_order}");
        for s in &k.segments {
            let v = s.value(Kpi::CostPerOrder, true).unwrap();
            assert!((v - horizon / 5.0).abs() < 1e-9);
        }
    }

    #[test]
    fn every_kpi_has_a_distinct_key_a_label_and_a_formula() {
        let keys: std::collections::BTreeSet<_> = Kpi::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys.len(), Kpi::ALL.len());
        for k in Kpi::ALL {
            assert!(!k.label().is_empty() && k.formula().ends_with('.'), "{k:?}");
        }
    }
}
