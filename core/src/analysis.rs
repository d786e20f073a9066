//! The whole pipeline as one sequence of stages.

use crate::classify::cluster::{self, Clustering};
use crate::classify::stability::PreviousRun;
use crate::classify::{self, SkuClass};
use crate::config::Config;
use crate::cost::PoolProblem;
use crate::cost::{self, CostToServe};
use crate::dataset::{CostPool, Dataset};
use crate::demand::{self, Demand};
use crate::forecast::{self, SkuForecast};
use crate::policy::working_capital::{self, SegmentPolicySummary};
use crate::policy::{self, Policy, PolicyModel};
use crate::quality::{DqReport, Rule};
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
    /// How many of `report.notes`, from the first, the demand stage wrote:
    /// a settings change that reuses the demand series keeps those.
    #[serde(skip)]
    demand_notes: usize,
    /// Where the cost stage's notes start in `report.notes` (every finding
    /// is the cost stage's): a settings change that keeps the allocation
    /// keeps those.
    #[serde(skip)]
    cost_notes: usize,
    /// Whether the policies have the informational empirical figures.
    #[serde(skip)]
    detail: policy::Detail,
    /// How many rows, from the first, [`Analysis::add_policy_detail`] has
    /// gone through.
    #[serde(skip)]
    detail_rows: usize,
}

impl Analysis {
    /// Whether the policies have the informational empirical figures of
    /// every normal-model slow mover ([`policy::Detail::Full`]).
    pub fn detail(&self) -> policy::Detail {
        self.detail
    }

    /// Adds the informational empirical figures to the policies of the next
    /// `rows` SKUs ([`policy::add_informational`]) of an analysis run with
    /// [`policy::Detail::PolicyOnly`]; once every SKU is done the analysis
    /// is [`analyze`]'s and its detail is full. Returns whether SKUs remain.
    pub fn add_policy_detail(&mut self, rows: usize) -> bool {
        if self.detail == policy::Detail::Full {
            return false;
        }
        let (start, n) = (self.detail_rows, self.policies.len());
        let end = start.saturating_add(rows).min(n);
        policy::add_informational(
            &self.demand,
            &self.classes,
            &self.config,
            &mut self.policies,
            start..end,
        );
        self.detail_rows = end;
        if end >= n {
            self.detail = policy::Detail::Full;
        }
        end < n
    }
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
    analyze_observed(data, config, previous, policy::Detail::Full, &mut |_| {})
}

/// A stage of [`analyze`], in the order they run; [`analyze_observed`]
/// names each one as it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Demand series and per-SKU figures.
    Demand,
    /// ABC, XYZ, demand pattern, rules, hysteresis.
    Classify,
    /// k-means or hierarchical clusters (nothing when disabled).
    Cluster,
    /// Inventory policy per SKU.
    Policy,
    /// Forecasts and backtests.
    Forecast,
    /// Working capital per segment.
    WorkingCapital,
    /// Cost-to-serve allocation and customer P&L.
    Cost,
}

impl Stage {
    /// The stage's name in timings: `demand`, `classify`, … `cost`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Demand => "demand",
            Stage::Classify => "classify",
            Stage::Cluster => "cluster",
            Stage::Policy => "policy",
            Stage::Forecast => "forecast",
            Stage::WorkingCapital => "working_capital",
            Stage::Cost => "cost",
        }
    }
}

/// [`analyze_against`], calling `ended(stage)` as each stage ends: the
/// caller (which has a clock; the engine has none) can time the stages or
/// report progress. With [`policy::Detail::Full`] the results are those of
/// [`analyze_against`]; [`policy::Detail::PolicyOnly`] leaves out only the
/// informational empirical figures of normal-model slow movers, which no
/// result file shows (the CLI's choice: a test checks its files are the same).
pub fn analyze_observed(
    data: &Dataset,
    config: &Config,
    previous: Option<&PreviousRun>,
    detail: policy::Detail,
    ended: &mut dyn FnMut(Stage),
) -> Analysis {
    segment(data, config, previous, None, ended).complete(data, detail, ended)
}

/// The stages the Segments page reads — demand, classify, cluster — run
/// ahead of the rest ([`segment`]), so that the app can show the segments
/// while [`Segmentation::complete`] runs the policy, forecast and cost
/// stages.
pub struct Segmentation {
    /// The configuration the results follow.
    pub config: Config,
    /// Demand series and per-SKU figures.
    pub demand: Demand,
    /// Classification per SKU, in the order of `demand.series.skus`.
    pub classes: Vec<SkuClass>,
    /// k-means or hierarchical clusters, when enabled in the configuration.
    pub clustering: Option<Clustering>,
    /// The demand stage's notes.
    report: DqReport,
    /// What the analysis this one replaces computed on the same demand.
    prior: Option<Prior>,
}

/// What the segments read, borrowed from a [`Segmentation`] or a whole
/// [`Analysis`]: the app builds its Segments view from either.
#[derive(Clone, Copy)]
pub struct SegmentsRef<'a> {
    /// The configuration the results follow.
    pub config: &'a Config,
    /// Demand series and per-SKU figures.
    pub demand: &'a Demand,
    /// Classification per SKU, in the order of `demand.series.skus`.
    pub classes: &'a [SkuClass],
    /// The clusters, when enabled.
    pub clustering: Option<&'a Clustering>,
}

impl<'a> SegmentsRef<'a> {
    fn of(
        config: &'a Config,
        demand: &'a Demand,
        classes: &'a [SkuClass],
        clustering: &'a Option<Clustering>,
    ) -> Self {
        SegmentsRef { config, demand, classes, clustering: clustering.as_ref() }
    }
}

impl Segmentation {
    /// The segments, borrowed.
    pub fn segments(&self) -> SegmentsRef<'_> {
        SegmentsRef::of(&self.config, &self.demand, &self.classes, &self.clustering)
    }
}

impl Analysis {
    /// The segments, borrowed.
    pub fn segments(&self) -> SegmentsRef<'_> {
        SegmentsRef::of(&self.config, &self.demand, &self.classes, &self.clustering)
    }
}

/// The stages of an earlier analysis that [`Segmentation::complete`] may
/// reuse, with the settings they followed.
struct Prior {
    config: Config,
    classes: Vec<SkuClass>,
    clustering: Option<Clustering>,
    policies: Vec<Policy>,
    detail: policy::Detail,
    cost: CostToServe,
    /// The cost stage's findings and notes.
    cost_report: DqReport,
}

/// Runs demand, classify and cluster for `config`, reusing what `prior` —
/// the last analysis of the same dataset — computed for settings that read
/// the same: its demand series when the bucket and cost ratio are the
/// same, its clustering when the clustering settings and every SKU's
/// features are. [`Segmentation::complete`] reuses its policies SKU by
/// SKU ([`policy::build_reusing`]) and its cost-to-serve allocation when
/// the cost settings are the same. The results equal those without
/// `prior` (a test checks it); a change of the ABC cut then costs the
/// classification and the SKUs that changed segment.
pub fn segment(
    data: &Dataset,
    config: &Config,
    previous: Option<&PreviousRun>,
    prior: Option<Analysis>,
    ended: &mut dyn FnMut(Stage),
) -> Segmentation {
    let prior = prior.filter(|p| demand::reads_same(&p.config, config));
    let (demand, report, prior) = match prior {
        Some(p) => {
            let Analysis { config, demand, classes, clustering, policies, cost, report, .. } = p;
            let DqReport { findings, mut notes } = report;
            let cost_report =
                DqReport { findings, notes: notes.split_off(p.cost_notes.min(notes.len())) };
            notes.truncate(p.demand_notes);
            let report = DqReport { findings: Vec::new(), notes };
            let detail = p.detail;
            let prior = Prior { config, classes, clustering, policies, detail, cost, cost_report };
            (demand, report, Some(prior))
        }
        None => {
            let mut report = DqReport::default();
            (demand::build(data, config, &mut report), report, None)
        }
    };
    ended(Stage::Demand);
    // Each SKU's variability figures hold while the series (reused above
    // only when it reads the same), the half-life and the capping do.
    let reuse = prior.as_ref().filter(|p| {
        p.config.xyz.half_life == config.xyz.half_life
            && p.config.xyz.cap_outliers == config.xyz.cap_outliers
    });
    let classes = classify::classify_reusing(
        data,
        &demand,
        config,
        previous,
        reuse.map(|p| p.classes.as_slice()),
    );
    ended(Stage::Classify);
    let reusable = prior.as_ref().and_then(|p| {
        let same = p.config.cluster == config.cluster
            && cluster::inputs(&demand, &p.classes) == cluster::inputs(&demand, &classes);
        same.then(|| p.clustering.clone())
    });
    let clustering =
        reusable.unwrap_or_else(|| cluster::build(data, &demand, &classes, &config.cluster));
    ended(Stage::Cluster);
    Segmentation { config: config.clone(), demand, classes, clustering, report, prior }
}

impl Segmentation {
    /// Runs the stages after the segments — policy, forecast, working
    /// capital and cost to serve — and gives the whole analysis, as
    /// [`analyze_observed`] would for the same settings.
    pub fn complete(
        self,
        data: &Dataset,
        detail: policy::Detail,
        ended: &mut dyn FnMut(Stage),
    ) -> Analysis {
        let Segmentation { config, demand, classes, clustering, mut report, prior } = self;
        let demand_notes = report.notes.len();
        let policy_prior = prior.as_ref().map(|p| policy::Prior {
            config: &p.config,
            classes: &p.classes,
            policies: &p.policies,
            detail: p.detail,
        });
        let policies = policy::build_reusing(
            data,
            &demand,
            &classes,
            &config,
            detail,
            policy_prior,
            &mut report,
        );
        ended(Stage::Policy);
        let forecasts = forecast::build(&demand, &classes, &config);
        ended(Stage::Forecast);
        let segment_policies = working_capital::summarize(data, &demand, &classes, &policies);
        ended(Stage::WorkingCapital);
        let n = policies.len();
        let cost_notes = report.notes.len();
        // The allocation, tiers, budget and what-ifs read the cost settings
        // and the bucket alone; only the breakdowns by segment read classes.
        let cost = match prior.filter(|p| p.config.cost == config.cost) {
            Some(Prior { cost, cost_report, .. }) => {
                report.merge(cost_report);
                cost::reclassify(cost, data, &demand, &classes)
            }
            None => cost::build(data, &demand, &classes, &config, &mut report),
        };
        ended(Stage::Cost);
        Analysis {
            config,
            demand,
            classes,
            clustering,
            policies,
            segment_policies,
            forecasts,
            cost,
            report,
            demand_notes,
            cost_notes,
            detail,
            detail_rows: if detail == policy::Detail::Full { n } else { 0 },
        }
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
    analysis.policies = policy::build_with(
        data,
        &analysis.demand,
        &analysis.classes,
        &analysis.config,
        analysis.detail,
        &mut notes,
    );
    analysis.detail_rows = match analysis.detail {
        policy::Detail::Full => analysis.policies.len(),
        policy::Detail::PolicyOnly => 0,
    };
    analysis.segment_policies =
        working_capital::summarize(data, &analysis.demand, &analysis.classes, &analysis.policies);
}

/// Replaces the dataset's cost pools and recomputes the cost-to-serve
/// stage, keeping every other stage as it was: no stage before it reads the
/// pools. The pools are checked first ([`cost::check_pools`]): refused
/// pools change nothing. The report keeps the other stages' findings and
/// takes the cost stage's new ones in place of the old — missing weights
/// (which only the cost stage flags) and budgets naming no pool. The result
/// equals [`analyze`] on the dataset with the new pools (a test checks it);
/// the app runs it on every edit of the pools.
///
/// # Errors
/// Every problem of `pools`, each naming the pool and field.
pub fn set_cost_pools(
    data: &mut Dataset,
    analysis: &mut Analysis,
    pools: Vec<CostPool>,
) -> Result<(), Vec<PoolProblem>> {
    let problems = cost::check_pools(&pools);
    if !problems.is_empty() {
        return Err(problems);
    }
    // The old stage's budget notes, rebuilt to be taken out again.
    let settings = &analysis.config.cost;
    let mut old = DqReport::default();
    cost::budget::compare(
        &analysis.cost.pools,
        &settings.budget,
        analysis.cost.horizon_days,
        settings.variance_threshold,
        &mut old,
    );
    let report = &mut analysis.report;
    report.findings.retain(|f| f.rule != Rule::MissingWeight);
    for note in old.notes.iter().rev() {
        if let Some(i) = report.notes.iter().rposition(|n| n == note) {
            report.notes.remove(i);
        }
    }
    data.cost_pools = pools;
    let mut fresh = DqReport::default();
    analysis.cost =
        cost::build(data, &analysis.demand, &analysis.classes, &analysis.config, &mut fresh);
    analysis.report.merge(fresh);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, InputFile, LoadOptions};

    /// A weekly fast mover (A) and a SKU sold every fourth week (B,
    /// intermittent) over `weeks` weeks from 2024-01-01.
    fn weekly_and_intermittent(weeks: i32) -> ingest::Loaded {
        let mut orders = String::from("order_id,order_date,sku,quantity,unit_price\n");
        for week in 0..weeks {
            let day = crate::Date(crate::Date::from_ymd(2024, 1, 1).unwrap().0 + 7 * week);
            orders += &format!("a{week},{day},A,{},10\n", 20 + week % 7);
            if week % 4 == 0 {
                orders += &format!("b{week},{day},B,{},3\n", 5 + week % 3);
            }
        }
        let file = InputFile { name: "orders.csv", bytes: orders.as_bytes() };
        ingest::load(file, None, None, None, &Default::default(), &LoadOptions::default()).unwrap()
    }

    #[test]
    fn new_policy_targets_give_what_a_full_analysis_gives() {
        let loaded = weekly_and_intermittent(30);
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

    #[test]
    fn policy_only_detail_leaves_out_only_the_informational_bootstrap() {
        let loaded = weekly_and_intermittent(40);
        let data = &loaded.dataset;
        let config = Config::default();
        let full = analyze(data, &config);
        let mut stages = Vec::new();
        let lean = analyze_observed(data, &config, None, policy::Detail::PolicyOnly, &mut |s| {
            stages.push(s.name())
        });
        let names =
            ["demand", "classify", "cluster", "policy", "forecast", "working_capital", "cost"];
        assert_eq!(stages, names);
        let slow = full.policies.iter().filter(|p| p.empirical.is_some()).count();
        assert_eq!(slow, 1, "the intermittent SKU has the empirical figures in full");
        assert!(lean.policies.iter().all(|p| p.empirical.is_none()));
        let without = |a: &Analysis| {
            let mut a = a.clone();
            a.policies.iter_mut().for_each(|p| p.empirical = None);
            a.detail = policy::Detail::PolicyOnly;
            a.detail_rows = 0;
            a
        };
        assert_eq!(without(&full), lean);
        for (f, l) in [
            (crate::tables::sku_table(data, &full), crate::tables::sku_table(data, &lean)),
            (crate::tables::policy_table(&full), crate::tables::policy_table(&lean)),
            (
                crate::tables::frontier_table(data, &full),
                crate::tables::frontier_table(data, &lean),
            ),
        ] {
            assert_eq!(f.to_csv(), l.to_csv());
        }
    }

    #[test]
    fn new_cost_pools_give_what_a_full_analysis_gives() {
        use crate::dataset::Driver;
        // No weights anywhere: a weight-driven pool flags every line.
        let orders = "order_id,order_date,sku,quantity,unit_price,customer_id\n\
                      1,2024-01-01,A,2,10,c1\n2,2024-01-02,B,1,30,c2\n3,2024-01-09,A,5,10,c1\n";
        let pools = "pool,annual_cost,driver,fixed_share\nPicking,1000,lines,0.2\n";
        let load = |pools: &str| {
            let file = InputFile { name: "orders.csv", bytes: orders.as_bytes() };
            let pools = InputFile { name: "pools.csv", bytes: pools.as_bytes() };
            ingest::load(
                file,
                None,
                None,
                Some(pools),
                &Default::default(),
                &LoadOptions::default(),
            )
            .unwrap()
            .dataset
        };
        let mut config = Config::default();
        config.cost.budget.insert("Freight".into(), 500.0);
        config.cost.budget.insert("Ghost".into(), 1.0);
        let mut data = load(pools);
        let mut a = analyze(&data, &config);
        assert!(a.report.notes.iter().any(|n| n.message.contains("`Freight`")));
        let new = vec![
            CostPool {
                pool: "Picking".into(),
                annual_cost: 2000.0,
                driver: Driver::Lines,
                fixed_share: 0.2,
            },
            CostPool {
                pool: "Freight".into(),
                annual_cost: 700.0,
                driver: Driver::WeightKg,
                fixed_share: 0.1,
            },
        ];
        set_cost_pools(&mut data, &mut a, new.clone()).unwrap();
        let expected = analyze(&data, &config);
        assert_eq!(a, expected);
        assert_eq!(a.report.count(Rule::MissingWeight), 3);
        assert!(!a.report.notes.iter().any(|n| n.message.contains("`Freight`")));
        // And back: the flags and the note go again.
        set_cost_pools(&mut data, &mut a, load(pools).cost_pools).unwrap();
        assert_eq!(a, analyze(&data, &config));
        assert_eq!(a.report.count(Rule::MissingWeight), 0);
        // Refused pools change nothing.
        let before = a.clone();
        let bad = vec![CostPool { fixed_share: 1.5, ..new[0].clone() }];
        let problems = set_cost_pools(&mut data, &mut a, bad).unwrap_err();
        assert_eq!(problems[0].field, crate::cost::PoolField::FixedShare);
        assert_eq!((a, &data.cost_pools), (before, &load(pools).cost_pools));
    }
}
