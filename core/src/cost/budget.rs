//! Budget against actual per pool.
//!
//! Budgets are annual, like the pools; both are compared over the horizon:
//! the pool's cost over the horizon (SPEC §5) against
//! `budget × horizon days / 365.25`. The variance is actual − budget
//! (positive = over budget); a pool is flagged when |variance| / budget
//! exceeds the threshold, and a zero budget is flagged whenever the pool
//! costs anything.

use super::allocate::PoolAllocation;
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One pool's budget comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// Pool name.
    pub pool: String,
    /// The pool's cost over the horizon.
    pub actual: f64,
    /// The budget scaled to the horizon; `None` when the pool has none.
    pub budget: Option<f64>,
    /// `actual − budget`; `None` without a budget.
    pub variance: Option<f64>,
    /// `variance / budget`; `None` without a budget or when it is 0.
    pub variance_share: Option<f64>,
    /// Whether |variance| / budget exceeds the threshold.
    pub flagged: bool,
}

/// Compares every pool with its annual budget (by pool name) over a horizon
/// of `horizon_days`. Budgets naming no pool are noted in `report`: a
/// misspelt pool name must not pass silently.
pub fn compare(
    pools: &[PoolAllocation],
    budgets: &BTreeMap<String, f64>,
    horizon_days: f64,
    threshold: f64,
    report: &mut DqReport,
) -> Vec<BudgetLine> {
    for name in budgets.keys().filter(|name| !pools.iter().any(|p| &p.pool == *name)) {
        report.note(
            None,
            format!("the budget for pool `{name}` matches no pool in the cost pools file"),
        );
    }
    pools
        .iter()
        .map(|p| {
            let budget = budgets.get(&p.pool).map(|annual| annual * horizon_days / 365.25);
            let variance = budget.map(|b| p.cost - b);
            let variance_share = budget.zip(variance).filter(|(b, _)| *b > 0.0).map(|(b, v)| v / b);
            let flagged = match (variance_share, variance) {
                (Some(share), _) => share.abs() > threshold,
                (None, Some(v)) => v != 0.0,
                (None, None) => false,
            };
            BudgetLine {
                pool: p.pool.clone(),
                actual: p.cost,
                budget,
                variance,
                variance_share,
                flagged,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Driver;

    fn pool(name: &str, cost: f64) -> PoolAllocation {
        PoolAllocation {
            pool: name.into(),
            driver: Driver::Lines,
            fixed_share: 0.0,
            cost,
            driver_total: 1.0,
            rate: Some(cost),
            unallocated: 0.0,
        }
    }

    #[test]
    fn variance_is_flagged_above_the_threshold() {
        // A 91.3125-day horizon is a quarter of 365.25: annual budgets of
        // 400, 400, 0 and 100 become 100, 100, 0 and 25.
        let pools = [pool("a", 110.0), pool("b", 111.0), pool("c", 5.0), pool("d", 0.0)];
        let budgets: BTreeMap<String, f64> =
            [("a", 400.0), ("b", 400.0), ("c", 0.0), ("d", 100.0), ("typo", 1.0)]
                .iter()
                .map(|&(n, b)| (n.to_owned(), b))
                .collect();
        let mut report = DqReport::default();
        let lines = compare(&pools, &budgets, 91.3125, 0.10, &mut report);
        let seen: Vec<_> = lines.iter().map(|l| (l.budget, l.variance, l.flagged)).collect();
        assert_eq!(
            seen,
            [
                (Some(100.0), Some(10.0), false), // exactly 10 % is not above it
                (Some(100.0), Some(11.0), true),
                (Some(0.0), Some(5.0), true), // any cost against a zero budget
                (Some(25.0), Some(-25.0), true), // under budget counts too
            ]
        );
        assert_eq!(lines[0].variance_share, Some(0.1));
        assert_eq!(lines[2].variance_share, None);
        assert!(report.notes[0].message.contains("`typo`"));
        let none = compare(&pools[..1], &BTreeMap::new(), 365.25, 0.1, &mut report);
        assert_eq!((none[0].budget, none[0].flagged), (None, false));
    }
}
