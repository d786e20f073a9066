//! Profitability tiers: names a sales team uses for its accounts.
//!
//! Customers are ranked by profit, descending (ties by customer code). The
//! profitable ones (profit ≥ 0) are cut like ABC classes (SPEC §3.1) on
//! their cumulative share of the profit that profitable customers make:
//! with the default cuts, **Platinum** are the customers making the first
//! 50 % of it, **Gold** take it to 80 %, **Silver** are the rest with profit
//! ≥ 0; customers with profit < 0 are **Loss-making**. As for ABC, a
//! customer belongs to the first tier whose cut lies above the share of the
//! customers *before* it, so the customer crossing a cut stays in the
//! higher tier and the most profitable customer is always in the first
//! tier; customers with equal profit share a tier.
//!
//! The share is of the profit of the profitable customers (Σ max(profit,
//! 0)), not of the net total: the net total can be small, zero or negative
//! when loss-makers eat the profit (the whale curve), and a tier must not
//! change because some other customer lost more. When no customer makes a
//! profit, every customer with profit 0 is in the last profitable tier and
//! the rest are loss-making.

use super::allocate::CustomerPnl;
use super::settings::CostConfig;
use crate::dataset::Codes;
use serde::{Deserialize, Serialize};

/// The totals of one tier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TierSummary {
    /// Tier name.
    pub name: String,
    /// Whether this is the tier of customers with profit < 0.
    pub loss_making: bool,
    /// Customers in the tier.
    pub customers: u64,
    /// Their net revenue.
    pub revenue: f64,
    /// Their cost of goods sold.
    pub cogs: f64,
    /// Their cost to serve.
    pub cost_to_serve: f64,
    /// Their profit.
    pub profit: f64,
    /// Their orders.
    pub orders: u64,
    /// Their positive order lines.
    pub lines: u64,
    /// Share of all customers (0..1).
    pub customer_share: f64,
    /// Share of total profit; `None` when total profit is not positive.
    pub profit_share: Option<f64>,
}

/// Puts every customer in a tier (setting [`CustomerPnl::tier`]) and
/// returns the tiers' totals, in [`CostConfig::tier_names`] order.
/// `names` gives customer codes for breaking ties.
pub fn assign(
    customers: &mut [CustomerPnl],
    names: &Codes,
    config: &CostConfig,
) -> Vec<TierSummary> {
    let cuts = &config.tiers;
    let loss = cuts.len();
    let last_profitable = loss.saturating_sub(1);
    let mut ranked: Vec<usize> = (0..customers.len()).collect();
    ranked.sort_by(|&a, &b| {
        let (a, b) = (&customers[a], &customers[b]);
        b.profit
            .total_cmp(&a.profit)
            .then_with(|| names.name(a.customer).cmp(names.name(b.customer)))
    });
    let positive: f64 = customers.iter().map(|c| c.profit.max(0.0)).sum();
    let mut cumulative = 0.0;
    let mut previous: Option<(f64, usize)> = None;
    for &i in &ranked {
        let profit = customers[i].profit;
        let tier = match previous {
            _ if profit < 0.0 => loss,
            Some((p, tier)) if p == profit => tier,
            _ => {
                let before = if positive > 0.0 { cumulative / positive } else { 1.0 };
                cuts.iter().position(|t| before < t.up_to).unwrap_or(last_profitable)
            }
        };
        previous = Some((profit, tier));
        cumulative += profit.max(0.0);
        customers[i].tier = tier;
    }
    summarize(customers, config)
}

/// The totals per tier of customers whose tiers are set.
pub fn summarize(customers: &[CustomerPnl], config: &CostConfig) -> Vec<TierSummary> {
    let names = config.tier_names();
    let mut tiers: Vec<TierSummary> = names
        .iter()
        .enumerate()
        .map(|(i, name)| TierSummary {
            name: name.to_string(),
            loss_making: i + 1 == names.len(),
            ..TierSummary::default()
        })
        .collect();
    for c in customers {
        if let Some(t) = tiers.get_mut(c.tier) {
            t.customers += 1;
            t.revenue += c.revenue;
            t.cogs += c.cogs;
            t.cost_to_serve += c.cost_to_serve;
            t.profit += c.profit;
            t.orders += c.orders;
            t.lines += c.lines;
        }
    }
    let total: f64 = customers.iter().map(|c| c.profit).sum();
    let n = customers.len();
    for t in &mut tiers {
        t.customer_share = if n == 0 { 0.0 } else { t.customers as f64 / n as f64 };
        t.profit_share = (total > 0.0).then(|| t.profit / total);
    }
    tiers
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiers (by name) of customers with these profits under the default cuts.
    fn tiers_of(profits: &[f64]) -> Vec<String> {
        let mut names = Codes::default();
        let mut customers: Vec<CustomerPnl> = profits
            .iter()
            .enumerate()
            .map(|(i, &profit)| CustomerPnl {
                customer: names.intern(&format!("c{i:02}")),
                revenue: 0.0,
                cogs: 0.0,
                cost_by_pool: vec![],
                cost_to_serve: 0.0,
                profit,
                orders: 1,
                lines: 1,
                tier: 0,
            })
            .collect();
        let config = CostConfig::default();
        let summary = assign(&mut customers, &names, &config);
        assert_eq!(summary.iter().map(|t| t.customers).sum::<u64>(), profits.len() as u64);
        customers.iter().map(|c| summary[c.tier].name.clone()).collect()
    }

    fn check(profits: &[f64], expected: &[&str]) {
        assert_eq!(tiers_of(profits), expected, "{profits:?}");
    }

    #[test]
    fn tiers_follow_cumulative_profit_share() {
        // Positive profit 100: shares before 0, .4, .7, .85, .95, 1 (profit 0).
        check(
            &[40.0, 30.0, 15.0, 10.0, 5.0, 0.0, -8.0],
            &["Platinum", "Platinum", "Gold", "Silver", "Silver", "Silver", "Loss-making"],
        );
        // The top customer is Platinum even when it makes everything.
        check(&[100.0, 0.0, -1.0], &["Platinum", "Silver", "Loss-making"]);
        // Input order does not matter; 30 starts at 40 / 80 = .5, not below the cut.
        check(&[10.0, 40.0, 30.0], &["Silver", "Platinum", "Gold"]);
        // Equal profits share the tier of the first of them: 25 × 4, the
        // third starts at .5 but ties with the second.
        check(&[25.0, 25.0, 25.0, 25.0], &["Platinum"; 4]);
    }

    #[test]
    fn losses_do_not_move_profitable_tiers() {
        // Net total is −910, yet the profitable customers keep their tiers.
        check(&[60.0, 30.0, 10.0, -1000.0], &["Platinum", "Gold", "Silver", "Loss-making"]);
    }

    #[test]
    fn without_any_profit_zero_is_silver_and_losses_loss_making() {
        check(&[0.0, -5.0, 0.0], &["Silver", "Loss-making", "Silver"]);
        check(&[], &[]);
    }

    #[test]
    fn tier_totals_add_up() {
        let mut names = Codes::default();
        let mut customers: Vec<CustomerPnl> = [(100.0, 70.0), (50.0, 40.0), (10.0, 25.0)]
            .iter()
            .enumerate()
            .map(|(i, &(revenue, cost))| CustomerPnl {
                customer: names.intern(&format!("c{i}")),
                revenue,
                cogs: cost / 2.0,
                cost_by_pool: vec![cost / 2.0],
                cost_to_serve: cost / 2.0,
                profit: revenue - cost,
                orders: 2,
                lines: 3,
                tier: 0,
            })
            .collect();
        let tiers = assign(&mut customers, &names, &CostConfig::default());
        // Profits 30, 10, −15 = 25 in total: positive 40, shares before 0, .75.
        assert_eq!(tiers[0].profit, 30.0);
        assert_eq!(tiers[1].profit, 10.0);
        assert_eq!(tiers[2].customers, 0);
        assert_eq!((tiers[3].profit, tiers[3].loss_making), (-15.0, true));
        assert_eq!(tiers[3].profit_share, Some(-15.0 / 25.0));
        assert_eq!(tiers[0].customer_share, 1.0 / 3.0);
        assert_eq!((tiers[1].orders, tiers[1].lines), (2, 3));
    }
}
