//! The whale curve (SPEC §5) and its peak.
//!
//! Customers ranked by profit, descending; the curve plots the cumulative
//! share of customers against cumulative profit as a share of total profit.
//! It climbs while customers make money, peaks after the last profitable
//! one — often well above 100 % — and falls back to 100 % as the
//! loss-makers eat into it. The height of the peak is the profit the
//! loss-makers cost; where it sits says how many customers carry the rest.

use super::allocate::CustomerPnl;
use serde::{Deserialize, Serialize};

/// The top of the whale curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhalePeak {
    /// How many of the most profitable customers reach the peak.
    pub customers: usize,
    /// … as a share of all customers (0..1).
    pub customer_share: f64,
    /// Their cumulative profit: the most profit any top-`k` group makes.
    pub profit: f64,
    /// That profit as a share of total profit (1.2 = 120 %); `None` when
    /// total profit is not positive, where a share of it would read upside
    /// down.
    pub profit_share: Option<f64>,
}

/// Profits, most profitable first.
fn ranked_profits(customers: &[CustomerPnl]) -> Vec<f64> {
    let mut profits: Vec<f64> = customers.iter().map(|c| c.profit).collect();
    profits.sort_by(|a, b| b.total_cmp(a));
    profits
}

/// The whale curve (SPEC §5): customers by profit descending; point `i` is
/// (cumulative share of customers, cumulative profit / total profit) after
/// the first `i + 1` customers, starting from (0, 0). Empty when total profit
/// is 0.
pub fn whale_curve(customers: &[CustomerPnl]) -> Vec<(f64, f64)> {
    let total: f64 = customers.iter().map(|c| c.profit).sum();
    if total == 0.0 || customers.is_empty() {
        return Vec::new();
    }
    let profits = ranked_profits(customers);
    let n = profits.len() as f64;
    let mut cumulative = 0.0;
    let mut points = vec![(0.0, 0.0)];
    for (i, p) in profits.iter().enumerate() {
        cumulative += p;
        points.push(((i + 1) as f64 / n, cumulative / total));
    }
    points
}

/// The peak of the whale curve: the largest cumulative profit over the
/// top-`k` customers (`k` from 0, the first `k` where several tie), i.e.
/// the profit after the last customer who makes money. `None` without
/// customers. When every customer loses money the peak is at `k = 0` with
/// profit 0.
pub fn whale_peak(customers: &[CustomerPnl]) -> Option<WhalePeak> {
    if customers.is_empty() {
        return None;
    }
    let profits = ranked_profits(customers);
    let total: f64 = profits.iter().sum();
    let (mut best_k, mut best) = (0, 0.0);
    let mut cumulative = 0.0;
    for (i, p) in profits.iter().enumerate() {
        cumulative += p;
        if cumulative > best {
            (best_k, best) = (i + 1, cumulative);
        }
    }
    Some(WhalePeak {
        customers: best_k,
        customer_share: best_k as f64 / profits.len() as f64,
        profit: best,
        profit_share: (total > 0.0).then(|| best / total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(profit: f64) -> CustomerPnl {
        CustomerPnl {
            customer: 0,
            revenue: 0.0,
            cogs: 0.0,
            cost_by_pool: vec![],
            cost_to_serve: 0.0,
            profit,
            orders: 0,
            lines: 0,
            tier: 0,
        }
    }

    #[test]
    fn whale_curve_starts_at_zero_and_ends_at_one() {
        let curve = whale_curve(&[p(-20.0), p(100.0), p(20.0)]);
        // 100 total: 100 % after one customer, 120 % peak after two, 100 % at the end.
        assert_eq!(curve, [(0.0, 0.0), (1.0 / 3.0, 1.0), (2.0 / 3.0, 1.2), (1.0, 1.0)]);
    }

    #[test]
    fn whale_peak_is_after_the_last_profitable_customer() {
        let peak = whale_peak(&[p(-20.0), p(100.0), p(20.0), p(-5.0)]).unwrap();
        // Total 95; the top two make 120 = 126.3 % of it, 2 of 4 customers.
        assert_eq!((peak.customers, peak.customer_share, peak.profit), (2, 0.5, 120.0));
        assert_eq!(peak.profit_share, Some(120.0 / 95.0));
    }

    #[test]
    fn whale_peak_without_positive_total_has_no_share() {
        // Total −10: the peak (50 after one customer) exists, its share does not.
        let peak = whale_peak(&[p(50.0), p(-60.0)]).unwrap();
        assert_eq!((peak.customers, peak.profit, peak.profit_share), (1, 50.0, None));
        let all_losses = whale_peak(&[p(-1.0), p(-2.0)]).unwrap();
        assert_eq!((all_losses.customers, all_losses.profit), (0, 0.0));
        assert_eq!(whale_peak(&[]), None);
    }
}
