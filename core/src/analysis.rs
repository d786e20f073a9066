//! The whole pipeline as one sequence of stages.

use crate::classify::cluster::{self, Clustering};
use crate::classify::stability::PreviousRun;
use crate::classify::{self, SkuClass};
use crate::config::Config;
use crate::cost::{self, CostToServe};
use crate::dataset::Dataset;
use crate::demand::{self, Demand};
use crate::forecast::{self, SkuForecast};
use crate::policy::working_capital::{self, SegmentPolicySummary};
use crate::policy::{self, Policy, PolicyModel};
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything computed from a dataset for one configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The configuration the results follow.
    pub config: Config,
    /// Demand series and per-SKU figures.
    pub demand: Demand,
    /// Classification per SKU, in the order of `demand.series.skus`.
    pub classes: Vec<SkuClass>,
    /// k-means or hierarchical clusters, when enabled in the configuration.
    pub clustering: Option<Clustering>,
    /// Inventory policy per SKU, in the order of `demand.series.skus`.
    pub policies: Vec<Policy>,
    /// Working capital of the policies per segment, in label order.
    pub segment_policies: Vec<SegmentPolicySummary>,
    /// Forecast and backtest per SKU, in the order of `demand.series.skus`.
    pub forecasts: Vec<SkuForecast>,
    /// Cost-to-serve allocation and customer P&L.
    pub cost: CostToServe,
    /// Notes and findings added by the analytic stages (defaults applied).
    pub report: DqReport,
}

/// Runs every stage for `config` on a loaded dataset.
pub fn analyze(data: &Dataset, config: &Config) -> Analysis {
    analyze_against(data, config, None)
}

/// Runs every stage, keeping classes stable against a previous run's
/// (SPEC §3.6 hysteresis).
pub fn analyze_against(
    data: &Dataset,
    config: &Config,
    previous: Option<&PreviousRun>,
) -> Analysis {
    let mut report = DqReport::default();
    let demand = demand::build(data, config, &mut report);
    let classes = classify::classify(data, &demand, config, previous);
    let clustering = cluster::build(data, &demand, &classes, &config.cluster);
    let policies = policy::build(data, &demand, &classes, config, &mut report);
    let forecasts = forecast::build(&demand, &classes, config);
    let segment_policies = working_capital::summarize(data, &demand, &classes, &policies);
    let cost = cost::build(data, &demand, &classes, config, &mut report);
    Analysis {
        config: config.clone(),
        demand,
        classes,
        clustering,
        policies,
        segment_policies,
        forecasts,
        cost,
        report,
    }
}

/// Sets new target service levels and policy models per segment and
/// recomputes the stages that read them — the policy stage and the working
/// capital per segment — keeping every other stage as it was: demand,
/// classes, clusters, forecasts and cost to serve read neither. The result
/// equals [`analyze`] with the new settings (a test checks it), at the cost
/// of the policy stage alone; the app runs it on every edit of the
/// service-level matrix.
///
/// `service_levels` and `models` replace the configuration's; check the
/// configuration (`Config::validate`) before calling when they come from a
/// person.
pub fn set_policy_targets(
    data: &Dataset,
    analysis: &mut Analysis,
    service_levels: BTreeMap<String, f64>,
    models: BTreeMap<String, PolicyModel>,
) {
    let config = &mut analysis.config;
    config.policy.service_levels = service_levels;
    config.policy.models = models;
    // The stage's only note (default lead times) reads neither setting and
    // is already in the report.
    let mut notes = DqReport::default();
    analysis.policies =
        policy::build(data, &analysis.demand, &analysis.classes, &analysis.config, &mut notes);
    analysis.segment_policies =
        working_capital::summarize(data, &analysis.demand, &analysis.classes, &analysis.policies);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, InputFile, LoadOptions};

    #[test]
    fn new_policy_targets_give_what_a_full_analysis_gives() {
        let mut orders = String::from("order_id,order_date,sku,quantity,unit_price\n");
        for week in 0..30 {
            let day = crate::Date(crate::Date::from_ymd(2024, 1, 1).unwrap().0 + 7 * week);
            orders += &format!("a{week},{day},A,{},10\n", 20 + week % 7);
            if week % 4 == 0 {
                orders += &format!("b{week},{day},B,{},3\n", 5 + week % 3);
            }
        }
        let file = InputFile { name: "orders.csv", bytes: orders.as_bytes() };
        let loaded =
            ingest::load(file, None, None, None, &Default::default(), &LoadOptions::default())
                .unwrap();
        let data = &loaded.dataset;
        let mut a = analyze(data, &Config::default());
        let mut config = Config::default();
        for level in config.policy.service_levels.values_mut() {
            *level = 0.995;
        }
        for segment in a.classes.iter().map(|c| c.segment.clone()) {
            config.policy.models.insert(segment, PolicyModel::Empirical);
        }
        set_policy_targets(
            data,
            &mut a,
            config.policy.service_levels.clone(),
            config.policy.models.clone(),
        );
        assert_eq!(a, analyze(data, &config));
    }
}
