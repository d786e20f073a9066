//! The `cost` section of the configuration (SPEC §8 lets features add
//! their own keys): profitability tiers, pool budgets and the what-if
//! scenarios the run computes.
//!
//! ```json
//! "cost": {
//!   "tiers": [ { "name": "Platinum", "up_to": 0.5 },
//!              { "name": "Gold",     "up_to": 0.8 },
//!              { "name": "Silver",   "up_to": 1.0 } ],
//!   "loss_tier": "Loss-making",
//!   "budget": { "Warehouse": 120000 },
//!   "variance_threshold": 0.10,
//!   "what_if": { "premium_delivery": { "tier": "Platinum", "cost_per_order": 12 },
//!                "min_order_surcharge": { "min_order_value": 100, "fee": 15 },
//!                "consolidate": { "period": "week", "tier": null },
//!                "drop_least_profitable_tier": true }
//! }
//! ```

use crate::config::Bucket;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One profitability tier of profitable customers: those whose cumulative
/// share of profit *before* them is below `up_to` (see [`super::tiers`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierCut {
    /// The name shown to the sales team.
    pub name: String,
    /// Cumulative profit share this tier reaches, in (0, 1]; the last tier's
    /// must be 1.
    pub up_to: f64,
}

/// Premium delivery for one tier: every order costs more to serve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremiumDelivery {
    /// The tier moved to premium delivery.
    pub tier: String,
    /// Extra cost per order, in currency units.
    pub cost_per_order: f64,
}

/// A minimum-order surcharge: orders below a value pay a fee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinOrderSurcharge {
    /// Orders whose value (Σ revenue of their positive lines) is below this
    /// pay the fee.
    pub min_order_value: f64,
    /// The fee per small order, in currency units.
    pub fee: f64,
}

/// Consolidated deliveries: each customer's orders merged per period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Consolidate {
    /// Orders of one customer in the same day, week or month become one.
    pub period: Bucket,
    /// Only this tier's customers consolidate; `None` = every customer.
    pub tier: Option<String>,
}

impl Default for Consolidate {
    fn default() -> Self {
        Consolidate { period: Bucket::Week, tier: None }
    }
}

/// Which what-if scenarios a run computes (see [`super::what_if`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhatIfConfig {
    /// Premium delivery for a tier; not run when `None` (the default: the
    /// extra cost depends on the currency and the carrier).
    pub premium_delivery: Option<PremiumDelivery>,
    /// Minimum-order surcharge; not run when `None` (the default).
    pub min_order_surcharge: Option<MinOrderSurcharge>,
    /// Consolidated deliveries; default weekly for every customer.
    pub consolidate: Option<Consolidate>,
    /// Drop the tier with the lowest total profit (default true).
    pub drop_least_profitable_tier: bool,
}

impl Default for WhatIfConfig {
    fn default() -> Self {
        WhatIfConfig {
            premium_delivery: None,
            min_order_surcharge: None,
            consolidate: Some(Consolidate::default()),
            drop_least_profitable_tier: true,
        }
    }
}

/// Cost-to-serve settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostConfig {
    /// Tiers of customers with profit ≥ 0, most profitable first. Default:
    /// Platinum (the customers making the first 50 % of profit), Gold (up
    /// to 80 %), Silver (the rest with profit ≥ 0).
    pub tiers: Vec<TierCut>,
    /// The tier of customers with profit < 0 (default `Loss-making`).
    pub loss_tier: String,
    /// Annual budget per pool name, compared with the pool's cost over the
    /// horizon after scaling to the horizon.
    pub budget: BTreeMap<String, f64>,
    /// A pool is flagged when |actual − budget| / budget exceeds this
    /// (default 0.10, i.e. 10 %).
    pub variance_threshold: f64,
    /// The what-if scenarios to compute.
    pub what_if: WhatIfConfig,
}

impl Default for CostConfig {
    fn default() -> Self {
        let tier = |name: &str, up_to| TierCut { name: name.to_owned(), up_to };
        CostConfig {
            tiers: vec![tier("Platinum", 0.5), tier("Gold", 0.8), tier("Silver", 1.0)],
            loss_tier: "Loss-making".to_owned(),
            budget: BTreeMap::new(),
            variance_threshold: 0.10,
            what_if: WhatIfConfig::default(),
        }
    }
}

impl CostConfig {
    /// Every tier name in tier order, the loss-making tier last.
    pub fn tier_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tiers.iter().map(|t| t.name.as_str()).collect();
        names.push(&self.loss_tier);
        names
    }

    /// The index of a tier by name (in [`CostConfig::tier_names`] order).
    pub fn tier_index(&self, name: &str) -> Option<usize> {
        self.tier_names().iter().position(|n| *n == name)
    }

    /// What is wrong with the settings, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.tiers.is_empty() {
            problems.push("cost.tiers must name at least one tier".to_owned());
        }
        let names = self.tier_names();
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                problems.push("cost tier names must not be empty".to_owned());
            } else if names[..i].contains(name) {
                problems.push(format!("cost tier name `{name}` is used twice"));
            }
        }
        let mut previous = 0.0;
        for t in &self.tiers {
            if !(t.up_to > previous && t.up_to <= 1.0) {
                problems.push(format!(
                    "cost.tiers up_to must increase within (0, 1] (got {} for {})",
                    t.up_to, t.name
                ));
            }
            previous = t.up_to;
        }
        if let Some(last) = self.tiers.last() {
            if last.up_to != 1.0 {
                problems.push(format!(
                    "the last cost tier ({}) takes every remaining profitable customer: its \
                     up_to must be 1 (got {})",
                    last.name, last.up_to
                ));
            }
        }
        for (pool, &budget) in &self.budget {
            if !(budget >= 0.0 && budget.is_finite()) {
                problems.push(format!(
                    "cost.budget.{pool} must be a non-negative number (got {budget})"
                ));
            }
        }
        if !(self.variance_threshold >= 0.0 && self.variance_threshold.is_finite()) {
            problems.push(format!(
                "cost.variance_threshold must be a non-negative number (got {})",
                self.variance_threshold
            ));
        }
        let w = &self.what_if;
        let known = |tier: &str| names.contains(&tier);
        if let Some(p) = &w.premium_delivery {
            if !known(&p.tier) {
                problems.push(format!(
                    "cost.what_if.premium_delivery.tier `{}` is not one of {}",
                    p.tier,
                    names.join(", ")
                ));
            }
            if !(p.cost_per_order >= 0.0 && p.cost_per_order.is_finite()) {
                problems.push(format!(
                    "cost.what_if.premium_delivery.cost_per_order must be a non-negative number \
                     (got {})",
                    p.cost_per_order
                ));
            }
        }
        if let Some(s) = &w.min_order_surcharge {
            let ok = |v: f64| v >= 0.0 && v.is_finite();
            if !(ok(s.min_order_value) && ok(s.fee)) {
                problems.push(format!(
                    "cost.what_if.min_order_surcharge needs non-negative min_order_value and fee \
                     (got {} and {})",
                    s.min_order_value, s.fee
                ));
            }
        }
        if let Some(tier) = w.consolidate.as_ref().and_then(|c| c.tier.as_deref()) {
            if !known(tier) {
                problems.push(format!(
                    "cost.what_if.consolidate.tier `{tier}` is not one of {}",
                    names.join(", ")
                ));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Bucket, Config, ConfigError};

    #[test]
    fn cost_section_parses_over_defaults() {
        let c = Config::from_json(
            r#"{"cost": {"tiers": [{"name": "Key", "up_to": 0.6}, {"name": "Core", "up_to": 1}],
                         "budget": {"Warehouse": 1000},
                         "what_if": {"premium_delivery": {"tier": "Key", "cost_per_order": 12.5},
                                     "consolidate": {"period": "month"}}}}"#,
            "c",
        )
        .unwrap();
        assert_eq!(c.cost.tier_names(), ["Key", "Core", "Loss-making"]);
        assert_eq!(c.cost.tier_index("Core"), Some(1));
        assert_eq!(c.cost.budget["Warehouse"], 1000.0);
        assert_eq!(c.cost.variance_threshold, 0.10);
        let w = &c.cost.what_if;
        assert_eq!(w.premium_delivery.as_ref().map(|p| p.cost_per_order), Some(12.5));
        assert_eq!(
            w.consolidate.as_ref().map(|c| (c.period, c.tier.clone())),
            Some((Bucket::Month, None))
        );
        assert!(w.drop_least_profitable_tier && w.min_order_surcharge.is_none());
        assert_eq!(Config::from_json(&c.to_json(), "c").unwrap(), c);
    }

    #[test]
    fn cost_values_out_of_range_or_unknown_are_refused() {
        for text in [
            r#"{"cost": {"tiers": []}}"#,
            r#"{"cost": {"tiers": [{"name": "A", "up_to": 0.5}]}}"#,
            r#"{"cost": {"tiers": [{"name": "A", "up_to": 0.8}, {"name": "B", "up_to": 0.5}]}}"#,
            r#"{"cost": {"tiers": [{"name": "A", "up_to": 1}], "loss_tier": "A"}}"#,
            r#"{"cost": {"loss_tier": " "}}"#,
            r#"{"cost": {"budget": {"Warehouse": -1}}}"#,
            r#"{"cost": {"variance_threshold": -0.1}}"#,
            r#"{"cost": {"what_if": {"premium_delivery": {"tier": "Diamond", "cost_per_order": 1}}}}"#,
            r#"{"cost": {"what_if": {"premium_delivery": {"tier": "Gold", "cost_per_order": -1}}}}"#,
            r#"{"cost": {"what_if": {"min_order_surcharge": {"min_order_value": 50, "fee": -5}}}}"#,
            r#"{"cost": {"what_if": {"consolidate": {"tier": "Bronze"}}}}"#,
        ] {
            let e = Config::from_json(text, "c").unwrap_err();
            assert!(
                matches!(e, ConfigError::Invalid { .. }) && e.to_string().contains("cost"),
                "{text}: {e}"
            );
        }
        for (text, named) in [
            (r#"{"cost": {"tier": []}}"#, "tier"),
            (r#"{"cost": {"tiers": [{"name": "A", "upto": 1}]}}"#, "upto"),
            (r#"{"cost": {"what_if": {"drop": true}}}"#, "drop"),
            (r#"{"cost": {"what_if": {"consolidate": {"period": "year"}}}}"#, "year"),
        ] {
            let e = Config::from_json(text, "c").unwrap_err();
            assert!(
                matches!(e, ConfigError::Syntax { .. }) && e.to_string().contains(named),
                "{e}"
            );
        }
    }
}
