//! The reconciliation every cost-to-serve result must pass, as figures to
//! show: what the lines carry plus what could not be allocated is what the
//! pools cost (SPEC §5's conservation).

use super::allocate::CostToServe;
use serde::{Deserialize, Serialize};

/// allocated + unallocated = pool total, with the difference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Total cost of the pools over the horizon.
    pub pool_total: f64,
    /// Cost the order lines carry.
    pub allocated: f64,
    /// Cost of the pools with nothing to allocate to.
    pub unallocated: f64,
    /// `allocated + unallocated − pool_total`: zero up to rounding.
    pub difference: f64,
}

impl Reconciliation {
    /// Whether the difference is within SPEC §5's tolerance (relative error
    /// ≤ 1e-9 of the pool total, or 1e-9 absolute below a total of 1).
    pub fn holds(&self) -> bool {
        self.difference.abs() <= 1e-9 * self.pool_total.abs().max(1.0)
    }
}

impl CostToServe {
    /// The reconciliation of this result.
    pub fn reconciliation(&self) -> Reconciliation {
        let (pool_total, allocated, unallocated) =
            (self.pool_cost(), self.allocated(), self.unallocated());
        Reconciliation {
            pool_total,
            allocated,
            unallocated,
            difference: allocated + unallocated - pool_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::cost::allocate;
    use crate::dataset::{CostPool, Driver};
    use crate::quality::DqReport;
    use crate::testing::{dataset, Line};

    #[test]
    fn allocated_plus_unallocated_is_the_pool_total() {
        // Weights are unknown, so the weight pool is all unallocated.
        let mut d = dataset([
            Line { order: "1", revenue: Some(30.0), ..Line::default() },
            Line { order: "2", quantity: 3.0, revenue: Some(10.0), ..Line::default() },
        ]);
        let pool = |name: &str, annual_cost, driver| CostPool {
            pool: name.into(),
            annual_cost,
            driver,
            fixed_share: 0.0,
        };
        d.cost_pools =
            vec![pool("picking", 700.0, Driver::Lines), pool("freight", 200.0, Driver::WeightKg)];
        let mut report = DqReport::default();
        let demand = crate::demand::build(&d, &Config::default(), &mut report);
        let cts = allocate(&d, &demand, 365.25, &mut report);
        let r = cts.reconciliation();
        assert_eq!((r.pool_total, r.unallocated), (900.0, 200.0));
        assert!((r.allocated - 700.0).abs() < 1e-9, "{r:?}");
        assert!(r.holds(), "{r:?}");
        let off = Reconciliation { difference: 1e-6, pool_total: 100.0, ..r };
        assert!(!off.holds());
        assert!(CostToServe::default().reconciliation().holds());
    }
}
