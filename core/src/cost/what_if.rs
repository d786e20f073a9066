//! What-if scenarios on the customer P&L, with fixed against variable cost.
//!
//! Each scenario changes customers' revenue, an extra cost outside the
//! pools, or the driver quantities customers consume; the pools are then
//! re-spread. SPEC §5: a pool's `fixed_share` does not move when volume
//! drops, the variable share scales with the driver. A pool of cost `C`
//! whose driver total goes from `D` to `D'` therefore costs
//! `C' = C × (fixed + (1 − fixed) × D' / D)`, allocated at the new rate
//! `C' / D'`: only the variable share of the volume that goes is saved, and
//! the fixed share the rest keep paying is spread over the remaining volume
//! (so customers a scenario does not touch can see their cost rise). A pool
//! left without any driver quantity keeps its fixed share as unallocated
//! cost, which the total still counts.
//!
//! The four scenarios:
//!
//! - [`premium_delivery`]: a tier's orders each cost a fixed amount more
//!   (no pool changes);
//! - [`minimum_order_surcharge`]: orders whose value (Σ revenue of their
//!   positive lines) is below a minimum pay a fee, which adds to revenue;
//!   customers are assumed to keep ordering as before, and the fee is not
//!   line revenue, so `value`-driven pools do not move;
//! - [`consolidate`]: a customer's orders within one day, week or month
//!   are merged: the same lines in fewer orders, so only `orders`-driven
//!   pools change;
//! - [`drop_least_profitable_tier`]: the tier with the lowest total profit
//!   goes with its revenue, COGS and every driver quantity.
//!
//! Each returns the change in revenue, COGS, cost to serve and profit per
//! tier, the change in unallocated cost and the total change in profit
//! (Σ tiers − Δ unallocated).

use super::allocate::{CostToServe, CustomerPnl};
use super::seen_orders::SeenOrders;
use crate::config::Bucket;
use crate::dataset::{Dataset, Driver};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The change a scenario makes to one tier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TierDelta {
    /// Tier name.
    pub tier: String,
    /// Δ revenue.
    pub revenue: f64,
    /// Δ cost of goods sold.
    pub cogs: f64,
    /// Δ cost to serve (pools and any extra cost).
    pub cost_to_serve: f64,
    /// Δ profit = Δ revenue − Δ COGS − Δ cost to serve.
    pub profit: f64,
}

/// One scenario's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// Short machine name (`premium_delivery`, `min_order_surcharge`,
    /// `consolidate`, `drop_tier`).
    pub name: String,
    /// What the scenario does, in one line.
    pub description: String,
    /// Per tier, in [`CostToServe::tiers`] order.
    pub tiers: Vec<TierDelta>,
    /// Δ cost no customer carries any more (fixed shares of pools left
    /// without driver quantity).
    pub unallocated: f64,
    /// Δ profit overall: Σ tiers' Δ profit − Δ unallocated.
    pub total: f64,
}

/// Per-customer changes, in the order of [`CostToServe::customers`].
struct Change {
    revenue: Vec<f64>,
    cogs: Vec<f64>,
    extra_cost: Vec<f64>,
    /// Driver quantity per customer and pool, after the change.
    drivers: Vec<Vec<f64>>,
}

impl Change {
    fn none(cts: &CostToServe) -> Change {
        let n = cts.customers.len();
        Change {
            revenue: vec![0.0; n],
            cogs: vec![0.0; n],
            extra_cost: vec![0.0; n],
            drivers: cts.customers.iter().map(|c| drivers(cts, c)).collect(),
        }
    }
}

/// A customer's driver quantity per pool: its allocated cost / the rate (0
/// for unallocated pools).
fn drivers(cts: &CostToServe, c: &CustomerPnl) -> Vec<f64> {
    cts.pools
        .iter()
        .zip(&c.cost_by_pool)
        .map(|(p, &cost)| p.rate.filter(|&r| r > 0.0).map_or(0.0, |r| cost / r))
        .collect()
}

/// Re-spreads the pools over the changed driver quantities and adds up the
/// changes per tier.
fn evaluate(cts: &CostToServe, change: &Change, name: &str, description: String) -> WhatIf {
    let before: Vec<Vec<f64>> = cts.customers.iter().map(|c| drivers(cts, c)).collect();
    let mut cost_delta = change.extra_cost.clone();
    let mut unallocated = 0.0;
    for (k, pool) in cts.pools.iter().enumerate() {
        if pool.rate.is_none() || (0..before.len()).all(|c| before[c][k] == change.drivers[c][k]) {
            continue;
        }
        let moved: f64 = (0..before.len()).map(|c| change.drivers[c][k] - before[c][k]).sum();
        let total_after = (pool.driver_total + moved).max(0.0);
        let scale = if pool.driver_total > 0.0 { total_after / pool.driver_total } else { 0.0 };
        let cost_after = pool.cost * (pool.fixed_share + (1.0 - pool.fixed_share) * scale);
        if total_after > 0.0 {
            for (c, customer) in cts.customers.iter().enumerate() {
                let after = cost_after * change.drivers[c][k] / total_after;
                cost_delta[c] += after - customer.cost_by_pool[k];
            }
        } else {
            for (c, customer) in cts.customers.iter().enumerate() {
                cost_delta[c] -= customer.cost_by_pool[k];
            }
            unallocated += cost_after;
        }
    }
    let mut tiers: Vec<TierDelta> = cts
        .tiers
        .iter()
        .map(|t| TierDelta { tier: t.name.clone(), ..TierDelta::default() })
        .collect();
    let mut total = -unallocated;
    for (c, customer) in cts.customers.iter().enumerate() {
        let profit = change.revenue[c] - change.cogs[c] - cost_delta[c];
        total += profit;
        if let Some(t) = tiers.get_mut(customer.tier) {
            t.revenue += change.revenue[c];
            t.cogs += change.cogs[c];
            t.cost_to_serve += cost_delta[c];
            t.profit += profit;
        }
    }
    WhatIf { name: name.to_owned(), description, tiers, unallocated, total }
}

/// The name of tier `tier`, or `tier n` when there is no such tier.
fn tier_name(cts: &CostToServe, tier: usize) -> String {
    cts.tiers.get(tier).map_or_else(|| format!("tier {tier}"), |t| t.name.clone())
}

/// Whether a customer is in scope (`None` = every customer).
fn in_scope(c: &CustomerPnl, tier: Option<usize>) -> bool {
    tier.is_none_or(|t| c.tier == t)
}

/// The customers of `tier` move to premium delivery: each of their orders
/// costs `cost_per_order` more to serve.
pub fn premium_delivery(cts: &CostToServe, tier: usize, cost_per_order: f64) -> WhatIf {
    let mut change = Change::none(cts);
    let mut orders = 0;
    for (c, customer) in cts.customers.iter().enumerate().filter(|(_, c)| c.tier == tier) {
        change.extra_cost[c] = cost_per_order * customer.orders as f64;
        orders += customer.orders;
    }
    let description = format!(
        "{} customers move to premium delivery at {cost_per_order} more per order \
         ({orders} orders)",
        tier_name(cts, tier)
    );
    evaluate(cts, &change, "premium_delivery", description)
}

/// Each customer's position in `cts.customers`, by customer number.
fn positions(data: &Dataset, cts: &CostToServe) -> Vec<Option<usize>> {
    let mut at = vec![None; data.customers.len()];
    for (i, c) in cts.customers.iter().enumerate() {
        if let Some(slot) = at.get_mut(c.customer as usize) {
            *slot = Some(i);
        }
    }
    at
}

/// Orders whose value (Σ revenue of their positive lines) is below
/// `min_order_value` pay `fee`, for the customers of `tier` (`None` = all).
/// An order is one customer's positive lines under one order id, as in
/// [`CustomerPnl::orders`].
pub fn minimum_order_surcharge(
    data: &Dataset,
    cts: &CostToServe,
    min_order_value: f64,
    fee: f64,
    tier: Option<usize>,
) -> WhatIf {
    let lines = &data.lines;
    let mut value: HashMap<(u32, u32), f64> = HashMap::new();
    for i in (0..lines.len()).filter(|&i| lines.quantity[i] > 0.0) {
        *value.entry((lines.customer[i], lines.order[i])).or_insert(0.0) += lines.revenue(i);
    }
    let at = positions(data, cts);
    let mut change = Change::none(cts);
    let (mut small, mut all) = (0u64, 0u64);
    for (&(customer, _), &v) in &value {
        let Some(c) = at.get(customer as usize).copied().flatten() else { continue };
        if !in_scope(&cts.customers[c], tier) {
            continue;
        }
        all += 1;
        if v < min_order_value {
            small += 1;
            change.revenue[c] += fee;
        }
    }
    let scope = tier.map_or_else(String::new, |t| format!(" of {} customers", tier_name(cts, t)));
    let description = format!(
        "Orders{scope} below {min_order_value} pay a fee of {fee}: {small} of {all} orders"
    );
    evaluate(cts, &change, "min_order_surcharge", description)
}

/// The period an order date falls in.
fn period(date: Date, bucket: Bucket) -> i32 {
    match bucket {
        Bucket::Day => date.days(),
        Bucket::Week => date.week_start().days(),
        Bucket::Month => date.month_index(),
    }
}

/// The customers of `tier` (`None` = all) merge their orders per `period`:
/// the same lines in fewer orders. An order's period is that of its first
/// positive line. Each customer's `orders` driver quantity shrinks in
/// proportion (orders → periods with orders), so only pools driven by
/// orders change, and only by their variable share.
pub fn consolidate(
    data: &Dataset,
    cts: &CostToServe,
    period_length: Bucket,
    tier: Option<usize>,
) -> WhatIf {
    let lines = &data.lines;
    // The (customer, period) of each order; a customer's orders mostly
    // follow one another in time, so a period repeating the customer's
    // previous one is left out before sorting out the rest.
    let mut seen_orders = SeenOrders::new(data.orders.len());
    let mut last: Vec<Option<i32>> = vec![None; data.customers.len()];
    let mut periods: Vec<(u32, i32)> = Vec::new();
    for i in (0..lines.len()).filter(|&i| lines.quantity[i] > 0.0) {
        let customer = lines.customer[i];
        if seen_orders.insert(customer, lines.order[i]) {
            let p = period(lines.date[i], period_length);
            match last.get_mut(customer as usize) {
                Some(last) if *last == Some(p) => {}
                Some(last) => {
                    *last = Some(p);
                    periods.push((customer, p));
                }
                None => periods.push((customer, p)),
            }
        }
    }
    periods.sort_unstable();
    periods.dedup();
    let mut merged = vec![0u64; data.customers.len()];
    for &(customer, _) in &periods {
        if let Some(m) = merged.get_mut(customer as usize) {
            *m += 1;
        }
    }
    let mut change = Change::none(cts);
    let (mut before, mut after) = (0u64, 0u64);
    for (c, customer) in cts.customers.iter().enumerate() {
        let now = merged.get(customer.customer as usize).copied().unwrap_or(0);
        if !in_scope(customer, tier) || customer.orders == 0 {
            before += customer.orders;
            after += customer.orders;
            continue;
        }
        before += customer.orders;
        after += now;
        let factor = now as f64 / customer.orders as f64;
        for (k, pool) in cts.pools.iter().enumerate() {
            if pool.driver == Driver::Orders {
                change.drivers[c][k] *= factor;
            }
        }
    }
    let scope = tier.map_or_else(|| "every".to_owned(), |t| tier_name(cts, t));
    let description = format!(
        "Orders of {scope} customer merged per {}: {before} → {after} orders; order-driven \
         pools save only their variable share",
        period_length.name()
    );
    evaluate(cts, &change, "consolidate", description)
}

/// Drops the tier with the lowest total profit (of the tiers with
/// customers; the lower-ranked tier on a tie): its revenue, COGS and the
/// variable share of its cost to serve go, and the fixed share it carried
/// is re-spread over the remaining customers.
pub fn drop_least_profitable_tier(cts: &CostToServe) -> WhatIf {
    let worst = cts
        .tiers
        .iter()
        .enumerate()
        .filter(|(_, t)| t.customers > 0)
        .min_by(|(i, a), (j, b)| a.profit.total_cmp(&b.profit).then(j.cmp(i)))
        .map(|(i, _)| i);
    let mut change = Change::none(cts);
    let Some(worst) = worst else {
        return evaluate(cts, &change, "drop_tier", "No customers to drop".to_owned());
    };
    let mut dropped = 0;
    for (c, customer) in cts.customers.iter().enumerate().filter(|(_, c)| c.tier == worst) {
        change.revenue[c] = -customer.revenue;
        change.cogs[c] = -customer.cogs;
        change.drivers[c].iter_mut().for_each(|d| *d = 0.0);
        dropped += 1;
    }
    let description = format!(
        "Drop the {} tier ({dropped} customers): its revenue, COGS and the variable share of its \
         cost to serve go; its fixed share is re-spread over the rest",
        tier_name(cts, worst)
    );
    evaluate(cts, &change, "drop_tier", description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::cost::settings::CostConfig;
    use crate::dataset::{CostPool, NumColumn};
    use crate::quality::DqReport;

    /// (order, customer, date in January 2024, revenue, unit cost); quantity 1.
    const LINES: [(&str, &str, u32, f64, f64); 9] = [
        ("A1", "A", 1, 400.0, 160.0),
        ("A1", "A", 1, 200.0, 80.0),
        ("A2", "A", 2, 200.0, 80.0),
        ("A3", "A", 8, 200.0, 80.0),
        ("B1", "B", 1, 200.0, 50.0),
        ("B2", "B", 9, 250.0, 50.0),
        ("C1", "C", 3, 20.0, 10.0),
        ("C2", "C", 4, 20.0, 10.0),
        ("C3", "C", 5, 20.0, 10.0),
    ];

    /// The hand case every scenario starts from. Two weekly buckets (the
    /// weeks of Mon 1 and Mon 8 January), allocated over 365.25 days, so
    /// pool cost = annual cost:
    ///
    /// - delivery: 800 by orders, half fixed: 8 orders at 100;
    /// - picking: 450 by lines, all variable: 9 lines at 50.
    ///
    /// | customer | orders | lines | revenue | COGS | CTS             | profit | tier        |
    /// |----------|--------|-------|---------|------|-----------------|--------|-------------|
    /// | A        | 3      | 4     | 1000    | 400  | 300 + 200 = 500 | 100    | Platinum    |
    /// | B        | 2      | 2     | 450     | 100  | 200 + 100 = 300 | 50     | Gold        |
    /// | C        | 3      | 3     | 60      | 30   | 300 + 150 = 450 | −420   | Loss-making |
    ///
    /// Positive profit 150: A starts at share 0 (Platinum), B at 100/150 =
    /// .67 (Gold); Silver is empty.
    fn case() -> (Dataset, CostToServe) {
        let mut d = Dataset::default();
        for (i, &(order, customer, day, revenue, unit_cost)) in LINES.iter().enumerate() {
            let l = &mut d.lines;
            l.line.push(i as u32 + 2);
            l.order.push(d.orders.intern(order));
            l.customer.push(d.customers.intern(customer));
            l.sku.push(d.skus.intern("S"));
            l.date.push(Date::from_ymd(2024, 1, day).unwrap());
            l.quantity.push(1.0);
            l.line_revenue.0.push(revenue);
            l.unit_cost.0.push(unit_cost);
        }
        d.lines.weight_kg = NumColumn::default();
        d.cost_pools = vec![
            CostPool {
                pool: "delivery".into(),
                annual_cost: 800.0,
                driver: Driver::Orders,
                fixed_share: 0.5,
            },
            CostPool {
                pool: "picking".into(),
                annual_cost: 450.0,
                driver: Driver::Lines,
                fixed_share: 0.0,
            },
        ];
        let mut report = DqReport::default();
        let demand = crate::demand::build(&d, &Config::default(), &mut report);
        assert_eq!(demand.series.n, 2);
        let mut cts = super::super::allocate(&d, &demand, 365.25 / 2.0, &mut report);
        cts.tiers =
            super::super::tiers::assign(&mut cts.customers, &d.customers, &CostConfig::default());
        let profits: Vec<f64> = cts.customers.iter().map(|c| c.profit).collect();
        assert_eq!(profits, [100.0, 50.0, -420.0]);
        assert_eq!(cts.customers.iter().map(|c| c.tier).collect::<Vec<_>>(), [0, 1, 3]);
        (d, cts)
    }

    /// Δ profit per tier (Platinum, Gold, Silver, Loss-making) and in total.
    fn check(w: &WhatIf, tiers: [f64; 4], total: f64) {
        let got: Vec<f64> = w.tiers.iter().map(|t| t.profit).collect();
        for (g, e) in got.iter().zip(tiers) {
            assert!((g - e).abs() < 1e-9, "{}: {got:?} ≠ {tiers:?}", w.name);
        }
        assert!((w.total - total).abs() < 1e-9, "{}: total {} ≠ {total}", w.name, w.total);
    }

    #[test]
    fn premium_delivery_costs_the_tier_its_orders_times_the_extra() {
        let (_, cts) = case();
        // Platinum = A with 3 orders: 3 × 15 = 45 more cost to serve.
        let w = premium_delivery(&cts, 0, 15.0);
        check(&w, [-45.0, 0.0, 0.0, 0.0], -45.0);
        assert_eq!(w.tiers[0].cost_to_serve, 45.0);
        assert!(w.description.contains("Platinum") && w.description.contains("3 orders"));
    }

    #[test]
    fn minimum_order_surcharge_adds_the_fee_of_small_orders_to_revenue() {
        let (d, cts) = case();
        // Order values A1 600, A2 200, A3 200, B1 200, B2 250, C1–C3 20:
        // below 100 are C's three orders, 3 × 10 = 30 more revenue.
        let w = minimum_order_surcharge(&d, &cts, 100.0, 10.0, None);
        check(&w, [0.0, 0.0, 0.0, 30.0], 30.0);
        assert_eq!(w.tiers[3].revenue, 30.0);
        assert!(w.description.contains("3 of 8 orders"), "{}", w.description);
        // Below 210, A2, A3 and B1 pay too; limited to Gold, only B1.
        let w = minimum_order_surcharge(&d, &cts, 210.0, 10.0, Some(1));
        check(&w, [0.0, 10.0, 0.0, 0.0], 10.0);
    }

    #[test]
    fn consolidation_saves_only_the_variable_share_of_order_driven_pools() {
        let (d, cts) = case();
        // Weekly: A's orders A1, A2 (week 1) and A3 (week 2) become 2; B's
        // stay 2 (one per week); C's three (3, 4, 5 January) become 1.
        // Orders 8 → 5. Delivery costs 800 × (0.5 + 0.5 × 5/8) = 650, now
        // 130 per order: A 2 × 130 = 260 (was 300), B 260 (was 200),
        // C 130 (was 300). Picking does not move.
        let w = consolidate(&d, &cts, Bucket::Week, None);
        check(&w, [40.0, -60.0, 0.0, 170.0], 150.0);
        // Saved: the variable half of 3 orders at 100.
        assert!(w.description.contains("8 → 5 orders"), "{}", w.description);
        // Only the loss-makers consolidate: 8 → 6 orders, delivery
        // 800 × (0.5 + 0.5 × 6/8) = 700 over 6 orders: A pays 3 × 700/6 =
        // 350 (+50), B 2 × 700/6 (+33.3), C 700/6 (−183.3); saved 100.
        let w = consolidate(&d, &cts, Bucket::Week, Some(3));
        check(&w, [-50.0, -(1400.0 / 6.0 - 200.0), 0.0, 300.0 - 700.0 / 6.0], 100.0);
        // Monthly, every customer's orders merge into one: 8 → 3, delivery
        // 800 × (0.5 + 0.5 × 3/8) = 550, 550/3 per order; saved 0.5 × 5 × 100.
        let w = consolidate(&d, &cts, Bucket::Month, None);
        let per_order = 550.0 / 3.0;
        check(&w, [300.0 - per_order, 200.0 - per_order, 0.0, 300.0 - per_order], 250.0);
    }

    #[test]
    fn dropping_the_worst_tier_keeps_its_fixed_costs() {
        let (_, cts) = case();
        // Loss-making (C, −420) goes: +420 there. Delivery loses 3 of 8
        // orders: 800 × (0.5 + 0.5 × 5/8) = 650 over 5 orders at 130, so
        // A pays 390 (+90) and B 260 (+60). Picking is all variable: 6 of 9
        // lines cost 300, still 50 a line. Total 420 − 150 = 270: C's
        // profit back less the fixed half of its delivery cost.
        let w = drop_least_profitable_tier(&cts);
        check(&w, [-90.0, -60.0, 0.0, 420.0], 270.0);
        assert_eq!(
            (w.tiers[3].revenue, w.tiers[3].cogs, w.tiers[3].cost_to_serve),
            (-60.0, -30.0, -450.0)
        );
        assert_eq!(w.unallocated, 0.0);
        assert!(w.description.contains("Loss-making tier (1 customers)"), "{}", w.description);
    }

    #[test]
    fn dropping_everyone_leaves_the_fixed_costs_unallocated() {
        let (_, mut cts) = case();
        // Everyone in one tier: dropping it gives back the −270 of profit but
        // leaves delivery's fixed half, 400, with no one to carry it.
        for c in &mut cts.customers {
            c.tier = 0;
        }
        cts.tiers = super::super::tiers::summarize(&cts.customers, &CostConfig::default());
        let w = drop_least_profitable_tier(&cts);
        assert_eq!(w.unallocated, 400.0);
        check(&w, [270.0, 0.0, 0.0, 0.0], 270.0 - 400.0);
    }
}
