//! The Cost to serve page's views and the payloads of its requests.
//!
//! The worker builds them from one `Analysis` (`engine/cost.rs`); every
//! figure in them is core's or a sum of core's per-customer figures. Charts
//! get small view-models (the whale curve is downsampled to at most
//! [`MAX_CURVE_POINTS`](super::MAX_CURVE_POINTS) points); the customer table comes as columns, most
//! profitable first.

use super::Texts;
use segscope_core::config::Bucket;
use segscope_core::cost::{Reconciliation, TierSummary, WhalePeak, WhatIf};
use segscope_core::{CostPool, Date, Driver};
use serde::{Deserialize, Serialize};

/// Everything the Cost to serve page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostView {
    /// The analysis generation it was built from.
    pub generation: u64,
    /// Days in the horizon the annual pools were scaled to.
    pub horizon_days: f64,
    /// Where the pools come from.
    pub source: PoolSource,
    /// Every pool, allocated or not, in input order.
    pub pools: Vec<PoolRow>,
    /// Totals over the customers.
    pub totals: CostTotals,
    /// allocated + unallocated = pool total (core's).
    pub reconciliation: Reconciliation,
    /// Profitability tiers, most profitable first, the loss-making tier last.
    pub tiers: Vec<TierSummary>,
    /// The whale curve.
    pub whale: WhaleView,
    /// Cost to serve by pool per tier, then per segment, channel, region and
    /// ship mode.
    pub bars: Vec<BarsView>,
    /// One entry per customer with a valid line, most profitable first.
    pub customers: CustomerColumns,
    /// The workshop template sized from these data (core's).
    pub template: Vec<CostPool>,
}

impl CostView {
    /// The bars of one grouping, by its key (`tier`, `segment`, …).
    pub fn bars(&self, key: &str) -> Option<&BarsView> {
        self.bars.iter().find(|b| b.key == key)
    }
}

/// Where the cost pools come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolSource {
    /// No cost pools: nothing is allocated.
    #[default]
    None,
    /// The loaded cost-pools file.
    File {
        /// Its name.
        name: String,
    },
    /// Pools edited on the Cost to serve page.
    Edited,
}

/// One pool and how it was allocated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolRow {
    /// Pool name.
    pub pool: String,
    /// Driver.
    pub driver: Driver,
    /// Share that does not move with volume (0..1).
    pub fixed_share: f64,
    /// Annual cost, as entered.
    pub annual_cost: f64,
    /// Cost over the horizon.
    pub cost: f64,
    /// Total driver quantity.
    pub driver_total: f64,
    /// Cost per driver unit; `None` when nothing carries the driver.
    pub rate: Option<f64>,
    /// Cost the lines carry.
    pub allocated: f64,
    /// Cost nothing carries (the whole pool when the driver total is 0).
    pub unallocated: f64,
    /// The budget over the horizon, when the configuration has one.
    pub budget: Option<f64>,
    /// actual − budget.
    pub variance: Option<f64>,
    /// Whether the variance is past the configured threshold.
    pub flagged: bool,
}

/// Totals over all customers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostTotals {
    /// Customers with a valid line.
    pub customers: usize,
    /// Orders with a positive line (per customer placing them).
    pub orders: u64,
    /// Lines with positive quantity.
    pub lines: u64,
    /// Net revenue.
    pub revenue: f64,
    /// Cost of goods sold.
    pub cogs: f64,
    /// Cost to serve (allocated).
    pub cost_to_serve: f64,
    /// revenue − cogs − cost to serve.
    pub profit: f64,
    /// Cost to serve per order.
    pub cost_per_order: Option<f64>,
    /// Cost to serve per line.
    pub cost_per_line: Option<f64>,
    /// Customers with profit < 0.
    pub loss_making: usize,
    /// Cost to serve / revenue; `None` without positive revenue.
    pub cost_share_of_revenue: Option<f64>,
}

/// The whale curve: customers by profit descending on x, cumulative profit
/// as a share of total profit on y.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhaleView {
    /// `(share of customers, cumulative profit / total profit)` from (0, 0),
    /// at most [`MAX_CURVE_POINTS`](super::MAX_CURVE_POINTS), the peak always among them; empty when
    /// total profit is not positive (the shares would read upside down).
    pub points: Vec<(f64, f64)>,
    /// Where the curve peaks (core's).
    pub peak: Option<WhalePeak>,
    /// Customers on the curve.
    pub customers: usize,
    /// Total profit after cost to serve.
    pub total_profit: f64,
    /// The profit the customers past the peak take away: peak profit −
    /// total profit (0 without a peak).
    pub eroded: f64,
}

/// Stacked bars: cost to serve by pool for each group of one grouping.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BarsView {
    /// `tier`, `segment`, `channel`, `region` or `ship_mode`.
    pub key: String,
    /// What the bars are per, in words ("tier", "ship mode").
    pub per: String,
    /// Group names, one bar each.
    pub groups: Vec<String>,
    /// Pool names, one stack layer each.
    pub pools: Vec<String>,
    /// Cost to serve per group (outer) and pool (inner).
    pub values: Vec<Vec<f64>>,
}

/// The customer table as columns, most profitable first (ties by code), the
/// order of `customers.csv`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerColumns {
    /// Customer code.
    pub customer: Texts,
    /// Name from the customers file (empty when unknown).
    pub name: Texts,
    /// Tier index into [`CostView::tiers`].
    #[serde(with = "super::packed::bytes")]
    pub tier: Vec<u8>,
    /// Net revenue.
    #[serde(with = "super::packed::f64s")]
    pub revenue: Vec<f64>,
    /// Cost of goods sold.
    #[serde(with = "super::packed::f64s")]
    pub cogs: Vec<f64>,
    /// Cost to serve.
    #[serde(with = "super::packed::f64s")]
    pub cost_to_serve: Vec<f64>,
    /// Profit after cost to serve.
    #[serde(with = "super::packed::f64s")]
    pub profit: Vec<f64>,
    /// profit / revenue × 100; `None` without positive revenue.
    #[serde(with = "super::packed::opt_f64s")]
    pub margin_pct: Vec<Option<f64>>,
    /// Orders.
    pub orders: Vec<u64>,
    /// Positive lines.
    pub lines: Vec<u64>,
    /// Cost to serve per order.
    #[serde(with = "super::packed::opt_f64s")]
    pub cost_per_order: Vec<Option<f64>>,
}

impl CustomerColumns {
    /// The number of customers.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// One customer's orders, on request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetailView {
    /// The analysis generation it was computed for.
    pub generation: u64,
    /// Customer code.
    pub customer: String,
    /// Whether the customer is in the analysis (nothing else is filled
    /// otherwise).
    pub found: bool,
    /// Name from the customers file (empty when unknown).
    pub name: String,
    /// Tier name.
    pub tier: String,
    /// Net revenue.
    pub revenue: f64,
    /// Cost of goods sold.
    pub cogs: f64,
    /// Cost to serve (core's customer figure).
    pub cost_to_serve: f64,
    /// Profit.
    pub profit: f64,
    /// The orders, earliest first.
    pub orders: Vec<OrderRow>,
    /// Σ of the orders' cost to serve (equals `cost_to_serve` up to
    /// rounding: every line is in one order).
    pub orders_cost_to_serve: f64,
    /// Σ of the orders' revenue.
    pub orders_revenue: f64,
    /// Orders with return or cancellation lines only (not counted in the
    /// customer's orders, which need a positive line).
    pub return_only: usize,
}

/// One order in a customer's drill-down.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    /// Order id.
    pub order: String,
    /// Its earliest line date.
    pub date: Date,
    /// Lines with positive quantity.
    pub lines: u64,
    /// Return or cancellation lines.
    pub returns: u64,
    /// Net units.
    pub units: f64,
    /// Net revenue.
    pub revenue: f64,
    /// Cost to serve.
    pub cost_to_serve: f64,
}

/// A what-if scenario with its inputs (see `segscope_core::cost::what_if`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhatIfScenario {
    /// A tier's orders each cost more to serve.
    PremiumDelivery {
        /// Tier name.
        tier: String,
        /// Extra cost per order.
        cost_per_order: f64,
    },
    /// Orders below a value pay a fee.
    MinOrderSurcharge {
        /// Orders below this value pay.
        min_order_value: f64,
        /// The fee per small order.
        fee: f64,
    },
    /// Each customer's orders merged per period.
    Consolidate {
        /// Day, week or month.
        period: Bucket,
        /// Only this tier's customers; `None` = everyone.
        tier: Option<String>,
    },
    /// Drop the tier with the lowest total profit.
    DropLeastProfitableTier,
}

/// The answer to a what-if request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostWhatIfView {
    /// The analysis generation it was computed for.
    pub generation: u64,
    /// What was asked.
    pub scenario: WhatIfScenario,
    /// Core's result: Δ per tier, description, total.
    pub result: Option<WhatIf>,
    /// Why the scenario could not be run (core's validation).
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::super::{decode, encode};
    use super::*;

    #[test]
    fn cost_payloads_round_trip_through_json() {
        let view = CostView {
            source: PoolSource::File { name: "pools.csv".into() },
            whale: WhaleView { points: vec![(0.0, 0.0), (1.0, 1.0)], ..WhaleView::default() },
            ..CostView::default()
        };
        assert_eq!(decode::<CostView>(&encode(&view)).unwrap(), view);
        for s in [
            WhatIfScenario::PremiumDelivery { tier: "Gold".into(), cost_per_order: 12.0 },
            WhatIfScenario::MinOrderSurcharge { min_order_value: 100.0, fee: 15.0 },
            WhatIfScenario::Consolidate { period: Bucket::Month, tier: None },
            WhatIfScenario::DropLeastProfitableTier,
        ] {
            assert_eq!(decode::<WhatIfScenario>(&encode(&s)).unwrap(), s);
        }
    }
}
