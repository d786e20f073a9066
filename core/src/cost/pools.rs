//! Cost pools a person edits: checking them, and a workshop template to
//! start from.
//!
//! The cost-pools file is checked row by row as it is read
//! ([`crate::ingest::parse_cost_pools`] skips a bad row and reports it).
//! Pools typed in an editor are taken or refused as a whole instead:
//! [`check_pools`] names every problem, each with the pool and the field it
//! is about, so that the editor can show it beside the field and change
//! nothing until all are fixed. The rules are the file's: a name, unique;
//! an annual cost of zero or more; a fixed share between 0 and 1. The
//! driver is a [`Driver`], so it is always one SPEC §1.4 knows.
//!
//! [`workshop_template`] gives six pools typical of a distributor, sized
//! from the data, so that a workshop starts from figures of the right
//! order rather than from a blank sheet.

use crate::dataset::{CostPool, Driver};
use serde::{Deserialize, Serialize};

/// The field of a pool a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolField {
    /// The pool's name.
    Pool,
    /// Its annual cost.
    AnnualCost,
    /// Its fixed share.
    FixedShare,
}

/// One problem of an edited set of pools.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolProblem {
    /// Position of the pool in the set (0 = first).
    pub index: usize,
    /// The field that is wrong.
    pub field: PoolField,
    /// What is wrong and what to write instead, as a sentence.
    pub message: String,
}

/// Every problem of a set of pools, in pool order; empty when the set can
/// replace the dataset's cost pools. Names are compared after trimming
/// spaces, and exactly otherwise, as the cost-pools file compares them.
///
/// ```
/// use segscope_core::cost::pools::{check_pools, PoolField};
/// use segscope_core::{CostPool, Driver};
///
/// let pool = |name: &str, annual_cost, fixed_share| CostPool {
///     pool: name.into(), annual_cost, driver: Driver::Orders, fixed_share,
/// };
/// assert!(check_pools(&[pool("Picking", 1000.0, 0.3)]).is_empty());
/// let problems = check_pools(&[pool("Picking", 1000.0, 1.5)]);
/// assert_eq!(problems[0].field, PoolField::FixedShare);
/// assert!(problems[0].message.contains("between 0 and 1"));
/// ```
pub fn check_pools(pools: &[CostPool]) -> Vec<PoolProblem> {
    let mut problems = Vec::new();
    let mut problem = |index, field, message: String| {
        problems.push(PoolProblem { index, field, message });
    };
    for (i, p) in pools.iter().enumerate() {
        let name = p.pool.trim();
        if name.is_empty() {
            problem(i, PoolField::Pool, format!("Pool {} needs a name.", i + 1));
        } else if let Some(first) = pools[..i].iter().position(|q| q.pool.trim() == name) {
            problem(
                i,
                PoolField::Pool,
                format!(
                    "`{name}` is already the name of pool {}: give each pool its own.",
                    first + 1
                ),
            );
        }
        let label = if name.is_empty() { format!("pool {}", i + 1) } else { format!("`{name}`") };
        if !p.annual_cost.is_finite() {
            problem(
                i,
                PoolField::AnnualCost,
                format!("The annual cost of {label} must be a number."),
            );
        } else if p.annual_cost < 0.0 {
            problem(
                i,
                PoolField::AnnualCost,
                format!(
                    "The annual cost of {label} is negative ({}): enter 0 or more.",
                    p.annual_cost
                ),
            );
        }
        if !(p.fixed_share.is_finite() && (0.0..=1.0).contains(&p.fixed_share)) {
            problem(
                i,
                PoolField::FixedShare,
                format!(
                    "The fixed share of {label} must be between 0 and 1 (got {}): write 0.3 for \
                     30 % fixed.",
                    p.fixed_share
                ),
            );
        }
    }
    problems
}

/// Cost to serve as a share of revenue the template is sized to: a
/// distributor's order handling, warehouse, freight, sales and finance
/// overhead typically run at 8–15 % of revenue; the template takes 11 %.
pub const TEMPLATE_COST_SHARE: f64 = 0.11;

/// The template's pools: name, driver, share of the cost to serve, fixed
/// share. Freight and picking are the largest, as at most distributors;
/// account management and order processing are mostly fixed, handling
/// and freight mostly variable. (The demo generator's pools follow the same
/// proportions.)
pub const TEMPLATE: [(&str, Driver, f64, f64); 6] = [
    ("Order processing", Driver::Orders, 0.16, 0.6),
    ("Picking", Driver::Lines, 0.20, 0.3),
    ("Handling", Driver::Units, 0.10, 0.2),
    ("Freight", Driver::WeightKg, 0.32, 0.1),
    ("Account management", Driver::Customers, 0.14, 0.8),
    ("Credit & collections", Driver::Value, 0.08, 0.5),
];

/// The workshop template for data whose net revenue over a horizon of
/// `horizon_days` days is `revenue`: the [`TEMPLATE`] pools with annual
/// costs that add up to [`TEMPLATE_COST_SHARE`] of the annualised revenue
/// (`revenue × 365.25 / horizon_days`), each rounded to whole hundreds like
/// a budget line. Without positive revenue or horizon every cost is 0.
///
/// ```
/// use segscope_core::cost::pools::workshop_template;
///
/// // 2 M of revenue over two years is 1 M a year: 110,000 of cost to serve.
/// let pools = workshop_template(2_000_000.0, 730.5);
/// assert_eq!(pools.len(), 6);
/// assert_eq!(pools.iter().map(|p| p.annual_cost).sum::<f64>(), 110_000.0);
/// ```
pub fn workshop_template(revenue: f64, horizon_days: f64) -> Vec<CostPool> {
    let annual = if revenue > 0.0 && horizon_days > 0.0 && revenue.is_finite() {
        revenue * 365.25 / horizon_days
    } else {
        0.0
    };
    TEMPLATE
        .iter()
        .map(|&(pool, driver, share, fixed_share)| CostPool {
            pool: pool.to_owned(),
            annual_cost: (annual * TEMPLATE_COST_SHARE * share / 100.0).round() * 100.0,
            driver,
            fixed_share,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(name: &str, annual_cost: f64, fixed_share: f64) -> CostPool {
        CostPool { pool: name.into(), annual_cost, driver: Driver::Lines, fixed_share }
    }

    /// The (index, field) of each problem of `pools`.
    fn check(pools: &[CostPool], expected: &[(usize, PoolField)]) {
        let found: Vec<_> = check_pools(pools).iter().map(|p| (p.index, p.field)).collect();
        assert_eq!(found, expected, "{pools:?}");
    }

    #[test]
    fn valid_pools_have_no_problems() {
        check(&[], &[]);
        check(&[pool("a", 0.0, 0.0), pool("b", 1e9, 1.0), pool("c", 5.5, 0.25)], &[]);
    }

    #[test]
    fn each_bad_field_is_named() {
        use PoolField::*;
        check(&[pool(" ", 1.0, 0.0)], &[(0, Pool)]);
        check(&[pool("a", 1.0, 0.0), pool(" a ", 1.0, 0.0)], &[(1, Pool)]);
        check(&[pool("a", -1.0, 0.0)], &[(0, AnnualCost)]);
        check(&[pool("a", f64::NAN, 0.0)], &[(0, AnnualCost)]);
        check(&[pool("a", f64::INFINITY, 0.0)], &[(0, AnnualCost)]);
        check(&[pool("a", 1.0, 1.01)], &[(0, FixedShare)]);
        check(&[pool("a", 1.0, -0.1)], &[(0, FixedShare)]);
        check(&[pool("a", 1.0, f64::NAN)], &[(0, FixedShare)]);
        // Several problems at once, in pool order.
        check(
            &[pool("", -1.0, 2.0), pool("b", 1.0, 0.5)],
            &[(0, Pool), (0, AnnualCost), (0, FixedShare)],
        );
    }

    #[test]
    fn messages_say_what_to_write() {
        let p = check_pools(&[pool("Freight", 1.0, 0.0), pool("Freight", -5.0, 1.5)]);
        let messages: Vec<&str> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`Freight` is already the name of pool 1: give each pool its own.",
                "The annual cost of `Freight` is negative (-5): enter 0 or more.",
                "The fixed share of `Freight` must be between 0 and 1 (got 1.5): write 0.3 for \
                 30 % fixed.",
            ]
        );
        assert_eq!(check_pools(&[pool("", 1.0, 0.0)])[0].message, "Pool 1 needs a name.");
    }

    #[test]
    fn the_template_is_eleven_percent_of_annual_revenue() {
        // 500,000 over half a year is 1 M a year: 110,000 split 16/20/10/32/14/8 %.
        let pools = workshop_template(500_000.0, 182.625);
        let costs: Vec<f64> = pools.iter().map(|p| p.annual_cost).collect();
        assert_eq!(costs, [17_600.0, 22_000.0, 11_000.0, 35_200.0, 15_400.0, 8_800.0]);
        let drivers: Vec<&str> = pools.iter().map(|p| p.driver.name()).collect();
        assert_eq!(drivers, ["orders", "lines", "units", "weight_kg", "customers", "value"]);
        assert!(check_pools(&pools).is_empty());
        // Costs are whole hundreds.
        for p in workshop_template(123_456.0, 365.25) {
            assert_eq!(p.annual_cost % 100.0, 0.0, "{p:?}");
        }
        let shares: f64 = TEMPLATE.iter().map(|t| t.2).sum();
        assert!((shares - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_template_without_revenue_costs_nothing() {
        for (revenue, days) in [(0.0, 365.25), (-10.0, 365.25), (1000.0, 0.0), (f64::NAN, 7.0)] {
            let pools = workshop_template(revenue, days);
            assert!(pools.iter().all(|p| p.annual_cost == 0.0), "{revenue} {days}");
            assert_eq!(pools.len(), 6);
        }
    }
}
