//! Activity-based cost-to-serve and customer profitability (SPEC §5).
//!
//! The stage reads as a sequence ([`build`]):
//!
//! 1. [`allocate`] — each pool's cost over the horizon spread over the order
//!    lines by its driver; the customer P&L ([`CustomerPnl`]: revenue, COGS,
//!    cost to serve per pool, profit).
//! 2. [`tiers`] — profitability tiers a sales team understands (Platinum,
//!    Gold, Silver, Loss-making by default), and their totals.
//! 3. [`whale`] — the whale curve and its peak.
//! 4. [`breakdown`] — cost to serve by SKU segment, channel, region and
//!    ship mode.
//! 5. [`budget`] — each pool against its budget, flagged past a threshold.
//! 6. [`what_if`] — the configured scenarios (premium delivery, minimum
//!    order surcharge, consolidated deliveries, dropping the least
//!    profitable tier), with only the variable share of pools avoidable.
//!
//! The settings live in the configuration's `cost` section ([`CostConfig`]).
//!
//! Around the stage: [`reconcile`] states the conservation check as figures
//! (allocated + unallocated = pool total); [`orders`] drills a customer
//! down to its orders; [`pools`] checks pools typed in an editor and sizes
//! a workshop template from the data.

mod allocate;
pub mod breakdown;
pub mod budget;
pub mod orders;
pub mod pools;
pub mod reconcile;
mod seen_orders;
pub mod settings;
pub mod tiers;
pub mod whale;
pub mod what_if;

pub use allocate::{allocate, CostToServe, CustomerPnl, PoolAllocation};
pub use breakdown::{Breakdown, Dimension};
pub use budget::BudgetLine;
pub use orders::{customer_orders, OrderCost};
pub use pools::{check_pools, workshop_template, PoolField, PoolProblem};
pub use reconcile::Reconciliation;
pub use settings::CostConfig;
pub use tiers::TierSummary;
pub use whale::{whale_curve, whale_peak, WhalePeak};
pub use what_if::WhatIf;

use crate::classify::SkuClass;
use crate::config::Config;
use crate::dataset::Dataset;
use crate::demand::Demand;
use crate::quality::DqReport;

/// The cost-to-serve stage: allocation, tiers, whale peak, breakdowns,
/// budget comparison and the what-if scenarios of `config.cost`.
pub fn build(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    report: &mut DqReport,
) -> CostToServe {
    let settings = &config.cost;
    let mut cts = allocate(data, demand, config.bucket.days(), report);
    cts.tiers = tiers::assign(&mut cts.customers, &data.customers, settings);
    cts.whale_peak = whale_peak(&cts.customers);
    cts.breakdowns = breakdown::build(data, demand, classes, &cts);
    cts.budget = budget::compare(
        &cts.pools,
        &settings.budget,
        cts.horizon_days,
        settings.variance_threshold,
        report,
    );
    cts.what_ifs = what_ifs(data, &cts, settings);
    crate::cells::note_order_scenarios(data, settings, report);
    cts
}

/// [`build`]'s result for new classes of the same SKUs: of the whole stage
/// only the breakdowns by segment read the classes (keep in step with
/// [`build`]), so a settings change that keeps the cost settings and the
/// demand series rebuilds those alone.
pub fn reclassify(
    mut cts: CostToServe,
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
) -> CostToServe {
    cts.breakdowns = breakdown::build(data, demand, classes, &cts);
    cts
}

/// The scenarios `settings.what_if` asks for, in the order of its keys.
fn what_ifs(data: &Dataset, cts: &CostToServe, settings: &CostConfig) -> Vec<WhatIf> {
    let w = &settings.what_if;
    let tier = |name: &str| settings.tier_index(name);
    let mut out = Vec::new();
    if let Some(p) = &w.premium_delivery {
        if let Some(t) = tier(&p.tier) {
            out.push(what_if::premium_delivery(cts, t, p.cost_per_order));
        }
    }
    // Order cells have no orders to value or merge (see `crate::cells`).
    let orders = !data.lines.has_cells();
    if let Some(s) = w.min_order_surcharge.as_ref().filter(|_| orders) {
        out.push(what_if::minimum_order_surcharge(data, cts, s.min_order_value, s.fee, None));
    }
    if let Some(c) = w.consolidate.as_ref().filter(|_| orders) {
        let scope = c.tier.as_deref().and_then(tier);
        out.push(what_if::consolidate(data, cts, c.period, scope));
    }
    if w.drop_least_profitable_tier {
        out.push(what_if::drop_least_profitable_tier(cts));
    }
    out
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::dataset::{CostPool, Driver, TextColumn};
    use crate::date::Date;
    use proptest::prelude::*;

    /// (order, customer, sku, quantity, revenue, weight, day, ship mode)
    type Line = (usize, usize, usize, f64, f64, f64, u32, usize);

    fn dataset(lines: &[Line], pools: &[(f64, f64)]) -> Dataset {
        let mut d = Dataset::default();
        let mut ship = TextColumn::default();
        for (i, &(order, customer, sku, q, revenue, weight, day, mode)) in lines.iter().enumerate()
        {
            let l = &mut d.lines;
            l.line.push(i as u32 + 2);
            l.order.push(d.orders.intern(&format!("o{order}")));
            l.customer.push(d.customers.intern(&format!("c{customer}")));
            l.sku.push(d.skus.intern(&format!("s{sku}")));
            l.date.push(Date::from_ymd(2024, 1, day).unwrap_or(Date(0)));
            l.quantity.push(q);
            l.line_revenue.0.push(revenue);
            l.weight_kg.0.push(weight);
            l.unit_cost.0.push(1.0);
            ship.values.push(if mode == 0 {
                TextColumn::MISSING
            } else {
                ship.codes.intern(&format!("m{mode}"))
            });
        }
        d.lines.ship_mode = ship;
        d.cost_pools = pools
            .iter()
            .zip(Driver::ALL)
            .enumerate()
            .map(|(i, (&(annual_cost, fixed_share), driver))| CostPool {
                pool: format!("pool{i}"),
                annual_cost,
                driver,
                fixed_share,
            })
            .collect();
        d
    }

    fn analyze(d: &Dataset) -> CostToServe {
        let config = Config::default();
        let mut report = DqReport::default();
        let demand = crate::demand::build(d, &config, &mut report);
        let classes = crate::classify::classify(d, &demand, &config, None);
        build(d, &demand, &classes, &config, &mut report)
    }

    fn close(a: f64, b: f64, scale: f64) -> bool {
        (a - b).abs() <= 1e-9 * scale.abs().max(1.0)
    }

    fn lines() -> impl Strategy<Value = Vec<Line>> {
        prop::collection::vec(
            (
                0..6usize,
                0..5usize,
                0..6usize,
                -3.0..20.0f64,
                -10.0..500.0f64,
                0.0..3.0f64,
                1..29u32,
                0..3usize,
            ),
            1..40,
        )
    }

    proptest! {
        #[test]
        fn breakdowns_and_tiers_add_up_to_the_allocation(
            lines in lines(),
            pools in prop::collection::vec((1.0..1e6f64, 0.0..=1.0f64), 6),
        ) {
            let cts = analyze(&dataset(&lines, &pools));
            let allocated = cts.allocated();
            prop_assert!(close(allocated, cts.pool_cost() - cts.unallocated(), cts.pool_cost()));
            for b in &cts.breakdowns {
                let total: f64 = b.groups.iter().map(|g| g.cost_to_serve).sum();
                prop_assert!(
                    close(total, allocated, allocated),
                    "{:?}: {} ≠ {}", b.dimension, total, allocated
                );
            }
            let tier_profit: f64 = cts.tiers.iter().map(|t| t.profit).sum();
            let profit: f64 = cts.customers.iter().map(|c| c.profit).sum();
            prop_assert!(close(tier_profit, profit, profit));
            let tiered: u64 = cts.tiers.iter().map(|t| t.customers).sum();
            prop_assert_eq!(tiered, cts.customers.len() as u64);
        }

        #[test]
        fn with_variable_pools_dropping_a_tier_loses_exactly_its_profit(
            lines in lines(),
            costs in prop::collection::vec(1.0..1e6f64, 6),
        ) {
            let pools: Vec<(f64, f64)> = costs.iter().map(|&c| (c, 0.0)).collect();
            let cts = analyze(&dataset(&lines, &pools));
            let w = what_if::drop_least_profitable_tier(&cts);
            let revenue: f64 = cts.customers.iter().map(|c| c.revenue.abs()).sum();
            let scale = cts.pool_cost() + revenue;
            // Σ Δ profit = −(the dropped tier's profit); nobody else moves.
            let worst = cts
                .tiers
                .iter()
                .filter(|t| t.customers > 0)
                .map(|t| t.profit)
                .fold(f64::INFINITY, f64::min);
            prop_assert!(close(w.total, -worst, scale), "{} vs {}", w.total, -worst);
            prop_assert_eq!(w.unallocated, 0.0);
        }

        #[test]
        fn with_fixed_pools_consolidation_only_moves_cost(
            lines in lines(),
            costs in prop::collection::vec(1.0..1e6f64, 6),
        ) {
            let fixed: Vec<(f64, f64)> = costs.iter().map(|&c| (c, 1.0)).collect();
            let cts = analyze(&dataset(&lines, &fixed));
            let d = dataset(&lines, &fixed);
            let w = what_if::consolidate(&d, &cts, crate::config::Bucket::Month, None);
            prop_assert!(close(w.total, 0.0, cts.pool_cost()), "{}", w.total);
            // All variable: merging orders can only save.
            let variable: Vec<(f64, f64)> = costs.iter().map(|&c| (c, 0.0)).collect();
            let d = dataset(&lines, &variable);
            let cts = analyze(&d);
            let w = what_if::consolidate(&d, &cts, crate::config::Bucket::Month, None);
            prop_assert!(w.total >= -1e-9 * cts.pool_cost(), "{}", w.total);
        }

        #[test]
        fn orders_and_merged_orders_count_each_customers_orders_and_days_once(
            lines in lines(),
            costs in prop::collection::vec(1.0..1e6f64, 6),
        ) {
            // The lines come in any order of days and customers; counted
            // with hash sets, an order is a customer's positive lines under
            // one order id, dated by its first positive line.
            let pools: Vec<(f64, f64)> = costs.iter().map(|&c| (c, 0.5)).collect();
            let d = dataset(&lines, &pools);
            let cts = analyze(&d);
            let mut orders = std::collections::HashSet::new();
            let mut days = std::collections::HashSet::new();
            for &(order, customer, _, _, _, _, day, _) in lines.iter().filter(|l| l.3 > 0.0) {
                if orders.insert((customer, order)) {
                    days.insert((customer, day));
                }
            }
            prop_assert_eq!(cts.orders(), orders.len() as u64);
            let w = what_if::consolidate(&d, &cts, crate::config::Bucket::Day, None);
            let merged = format!("{} → {} orders", orders.len(), days.len());
            prop_assert!(w.description.contains(&merged), "{} ≠ {}", w.description, merged);
        }
    }
}
