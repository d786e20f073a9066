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

mod allocate;
pub mod breakdown;
pub mod budget;
pub mod settings;
pub mod tiers;
pub mod whale;
pub mod what_if;

pub use allocate::{allocate, driver_quantities, CostToServe, CustomerPnl, PoolAllocation};
pub use breakdown::{Breakdown, Dimension};
pub use budget::BudgetLine;
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
    if let Some(s) = &w.min_order_surcharge {
        out.push(what_if::minimum_order_surcharge(data, cts, s.min_order_value, s.fee, None));
    }
    if let Some(c) = &w.consolidate {
        let scope = c.tier.as_deref().and_then(tier);
        out.push(what_if::consolidate(data, cts, c.period, scope));
    }
    if w.drop_least_profitable_tier {
        out.push(what_if::drop_least_profitable_tier(cts));
    }
    out
}
