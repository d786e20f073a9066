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
use crate::policy::{self, Policy};
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};

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
