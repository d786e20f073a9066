//! The one configuration document (SPEC §8), shared by the app, the command
//! line and the run record.
//!
//! Every key is optional and takes SPEC's default; an unknown key is an error
//! naming it, so that a typo never silently falls back to a default. A parsed
//! document is checked once by [`Config::validate`]; stages may then rely on
//! its invariants (cuts ordered and within (0, 1], service levels in (0, 1)).

use crate::forecast::Method;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The configuration version this engine writes and reads.
pub const CONFIG_VERSION: u32 = 1;

/// The longest lead time (and lead-time standard deviation) taken at face
/// value: ten years. A longer one is a typo or a placeholder (`99999`), and
/// the empirical model would resample that many buckets of demand per draw;
/// the configuration refuses it and a products file's cell reads as blank.
pub const MAX_LEAD_TIME_DAYS: f64 = 3650.0;

/// Time bucket of the demand series (SPEC §2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// Calendar days.
    Day,
    /// Weeks starting on Monday.
    #[default]
    Week,
    /// Calendar months.
    Month,
}

impl Bucket {
    /// Days per bucket: day 1, week 7, month 30.4375.
    pub fn days(self) -> f64 {
        match self {
            Bucket::Day => 1.0,
            Bucket::Week => 7.0,
            Bucket::Month => 30.4375,
        }
    }

    /// Buckets per year: 365.25 / days per bucket.
    pub fn per_year(self) -> f64 {
        365.25 / self.days()
    }

    /// The configuration name.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

/// What ABC ranks SKUs by (SPEC §3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Net revenue.
    #[default]
    Revenue,
    /// Net margin.
    Margin,
    /// Gross demand quantity.
    Quantity,
    /// Number of positive order lines.
    OrderLines,
}

/// ABC settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AbcConfig {
    /// Ranking criterion.
    pub criterion: Criterion,
    /// Items whose cumulative share before them is below this are A.
    pub a_cut: f64,
    /// … and below this, B; the rest C.
    pub b_cut: f64,
}

impl Default for AbcConfig {
    fn default() -> Self {
        AbcConfig { criterion: Criterion::Revenue, a_cut: 0.80, b_cut: 0.95 }
    }
}

/// XYZ and demand-series settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct XyzConfig {
    /// X if cv ≤ x_cut.
    pub x_cut: f64,
    /// Y if cv ≤ y_cut, else Z.
    pub y_cut: f64,
    /// Time-decay half-life in buckets; `None` = no decay.
    pub half_life: Option<f64>,
    /// Cap outliers (and leave promo lines out) before XYZ and patterns.
    pub cap_outliers: bool,
}

impl Default for XyzConfig {
    fn default() -> Self {
        XyzConfig { x_cut: 0.5, y_cut: 1.0, half_life: None, cap_outliers: false }
    }
}

/// The nine segments of the default ABC × XYZ table, in table order.
pub const SEGMENTS: [&str; 9] = ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"];

/// Inventory policy settings (SPEC §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// Target cycle service level per segment. Segments a document leaves
    /// out keep their default level.
    #[serde(deserialize_with = "service_levels_over_defaults")]
    pub service_levels: BTreeMap<String, f64>,
    /// Cost of placing one replenishment order.
    pub ordering_cost: f64,
    /// Annual holding cost as a fraction of unit cost, where products has none.
    pub holding_rate: f64,
    /// Unit cost as a fraction of price where no cost is known.
    pub cost_ratio: f64,
    /// Lead time in days where products has none.
    pub lead_time_days: f64,
    /// Lead-time standard deviation in days where products has none.
    pub lead_time_sd_days: f64,
    /// Which model drives the policy per segment (`normal` by default;
    /// `empirical` uses the bootstrapped lead-time demand).
    pub models: BTreeMap<String, crate::policy::PolicyModel>,
    /// Bootstrap samples of lead-time demand per SKU for the empirical model.
    pub bootstrap_samples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// A SKU whose first sale lies within this many buckets of the end of
    /// the horizon (or whose lifecycle is `new`) has too little history: its
    /// policy is flagged low-confidence and uses its category's variability.
    pub new_item_buckets: usize,
    /// Manual min / max per SKU code, replacing the computed ones.
    pub overrides: BTreeMap<String, crate::policy::MinMaxOverride>,
}

/// SPEC §4's default cycle service levels, in [`SEGMENTS`] order.
const DEFAULT_SERVICE_LEVELS: [f64; 9] = [0.98, 0.97, 0.95, 0.96, 0.95, 0.92, 0.93, 0.90, 0.85];

fn default_service_levels() -> BTreeMap<String, f64> {
    SEGMENTS.iter().map(|s| s.to_string()).zip(DEFAULT_SERVICE_LEVELS).collect()
}

fn service_levels_over_defaults<'de, D>(d: D) -> Result<BTreeMap<String, f64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let mut levels = default_service_levels();
    levels.extend(BTreeMap::<String, f64>::deserialize(d)?);
    Ok(levels)
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            service_levels: default_service_levels(),
            ordering_cost: 50.0,
            holding_rate: 0.25,
            cost_ratio: 0.6,
            lead_time_days: 14.0,
            lead_time_sd_days: 0.0,
            models: BTreeMap::new(),
            bootstrap_samples: 1000,
            seed: 1,
            new_item_buckets: 13,
            overrides: BTreeMap::new(),
        }
    }
}

/// Column mapping overrides per input file: canonical field → header.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MappingConfig {
    /// Orders file.
    pub orders: BTreeMap<String, String>,
    /// Products file.
    pub products: BTreeMap<String, String>,
    /// Customers file.
    pub customers: BTreeMap<String, String>,
    /// Cost pools file.
    pub cost_pools: BTreeMap<String, String>,
}

/// Forecasting settings (see [`crate::forecast`]): method overrides per
/// segment, the backtest holdout, the methods' fixed constants and the
/// bias-exception threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastConfig {
    /// Method per segment label (`"AX": "holt"`), overriding the default of
    /// each SKU's demand pattern ([`crate::forecast::default_method`]).
    /// Method names: `ses`, `holt`, `seasonal_naive`, `croston`, `sba`.
    pub methods: BTreeMap<String, Method>,
    /// Buckets at the end of the series over which forecasts are backtested
    /// one step ahead (default 13, a quarter of weekly buckets); at least 1.
    pub holdout: usize,
    /// SES smoothing constant and Holt's level constant, in (0, 1]
    /// (default 0.2).
    pub alpha: f64,
    /// Holt's trend constant, in [0, 1] (default 0.1).
    pub beta: f64,
    /// Croston's and SBA's constant for sizes and intervals, in (0, 1]
    /// (default 0.1, R forecast's `croston` default).
    pub croston_alpha: f64,
    /// An A item is a bias exception when |backtest bias| / mean demand
    /// exceeds this (default 0.2, i.e. 20 %); non-negative.
    pub bias_threshold: f64,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        ForecastConfig {
            methods: BTreeMap::new(),
            holdout: 13,
            alpha: 0.2,
            beta: 0.1,
            croston_alpha: 0.1,
            bias_threshold: 0.2,
        }
    }
}

/// A clustering feature (SPEC §3.5), computed per SKU.
///
/// "Log" features are `sign(x) · ln(1 + |x|)`, which is SPEC's `log(1 + x)`
/// for non-negative figures and stays defined for net-negative ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Log of net revenue.
    LogRevenue,
    /// Log of net margin.
    LogMargin,
    /// Log of gross demand quantity.
    LogQuantity,
    /// Log of the number of positive order lines.
    LogOrderLines,
    /// Net margin / net revenue, clamped to [−1, 1].
    MarginRate,
    /// Coefficient of variation of bucket demand (SPEC §3.2).
    Cv,
    /// Squared cv of the non-zero buckets (SPEC §3.3).
    Cv2,
    /// Average demand interval (SPEC §3.3).
    Adi,
}

impl Feature {
    /// The configuration name.
    pub fn name(self) -> &'static str {
        match self {
            Feature::LogRevenue => "log_revenue",
            Feature::LogMargin => "log_margin",
            Feature::LogQuantity => "log_quantity",
            Feature::LogOrderLines => "log_order_lines",
            Feature::MarginRate => "margin_rate",
            Feature::Cv => "cv",
            Feature::Cv2 => "cv2",
            Feature::Adi => "adi",
        }
    }

    /// What a centroid value in original units is, for a column heading.
    pub fn original_name(self) -> &'static str {
        match self {
            Feature::LogRevenue => "revenue",
            Feature::LogMargin => "margin",
            Feature::LogQuantity => "quantity",
            Feature::LogOrderLines => "order lines",
            Feature::MarginRate => "margin rate",
            Feature::Cv => "cv",
            Feature::Cv2 => "cv²",
            Feature::Adi => "ADI",
        }
    }
}

/// The clustering algorithm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterMethod {
    /// k-means (linfa), k-means++ seeding.
    #[default]
    Kmeans,
    /// Agglomerative clustering (kodama), the tree cut at k.
    Hierarchical,
}

/// How agglomerative clustering measures the distance between clusters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Linkage {
    /// Ward: merge the pair that least increases the within-cluster sum of
    /// squares.
    #[default]
    Ward,
    /// Average (UPGMA): the mean distance between the clusters' members.
    Average,
}

/// Clustering settings (SPEC §3.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// Whether to cluster at all (default false).
    pub enabled: bool,
    /// The features, z-scored; at least one, each at most once. Default:
    /// log revenue, log order lines, cv, ADI.
    pub features: Vec<Feature>,
    /// The number of clusters, 2 to 8; `None` chooses it by the best mean
    /// silhouette over 2..=8.
    pub k: Option<usize>,
    /// Seed of every random choice, so that a run can be repeated exactly.
    pub seed: u64,
    /// The algorithm.
    pub method: ClusterMethod,
    /// The linkage of the hierarchical method.
    pub linkage: Linkage,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            enabled: false,
            features: vec![Feature::LogRevenue, Feature::LogOrderLines, Feature::Cv, Feature::Adi],
            k: None,
            seed: 42,
            method: ClusterMethod::Kmeans,
            linkage: Linkage::Ward,
        }
    }
}

impl ClusterConfig {
    /// What is wrong with the settings, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(k) = self.k {
            if !(2..=8).contains(&k) {
                problems.push(format!("cluster.k must be between 2 and 8, or null (got {k})"));
            }
        }
        if self.features.is_empty() {
            problems.push("cluster.features must name at least one feature".to_owned());
        }
        for (i, f) in self.features.iter().enumerate() {
            if self.features[..i].contains(f) {
                problems.push(format!("cluster.features lists {} more than once", f.name()));
            }
        }
        problems
    }
}

/// The whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Document version; must be [`CONFIG_VERSION`].
    pub version: u32,
    /// Demand bucket.
    pub bucket: Bucket,
    /// ABC settings.
    pub abc: AbcConfig,
    /// XYZ settings.
    pub xyz: XyzConfig,
    /// Inventory policy settings.
    pub policy: PolicyConfig,
    /// Column mapping overrides.
    pub mapping: MappingConfig,
    /// Clustering settings.
    pub cluster: ClusterConfig,
    /// Forecasting settings.
    pub forecast: ForecastConfig,
    /// Business rules applied after classification, in order.
    pub rules: Vec<crate::classify::rules::Rule>,
    /// Hysteresis bands against a previous run.
    pub stability: crate::classify::stability::StabilityConfig,
    /// Stress-test scenarios.
    pub stress: crate::classify::stress::StressConfig,
    /// Cost to serve: profitability tiers, pool budgets, what-if scenarios.
    pub cost: crate::cost::CostConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: CONFIG_VERSION,
            bucket: Bucket::Week,
            abc: AbcConfig::default(),
            xyz: XyzConfig::default(),
            policy: PolicyConfig::default(),
            mapping: MappingConfig::default(),
            cluster: ClusterConfig::default(),
            forecast: ForecastConfig::default(),
            rules: Vec::new(),
            stability: Default::default(),
            stress: Default::default(),
            cost: Default::default(),
        }
    }
}

/// Why a configuration document was refused.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// Not JSON, an unknown key, or a value of the wrong type.
    #[error("configuration {source_name}: {message} (line {line}, column {column})")]
    Syntax {
        /// Where the document came from (a file name).
        source_name: String,
        /// serde's explanation, naming the key.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Well-formed but not meaningful.
    #[error("configuration {source_name}: {message}")]
    Invalid {
        /// Where the document came from.
        source_name: String,
        /// What is wrong and what is allowed.
        message: String,
    },
}

impl Config {
    /// Parses and validates a configuration document.
    ///
    /// # Errors
    /// [`ConfigError::Syntax`] for malformed JSON or unknown keys, with the
    /// line and column; [`ConfigError::Invalid`] for values out of range.
    ///
    /// # Example
    /// ```
    /// use segscope_core::Config;
    /// let c = Config::from_json("{\"abc\": {\"a_cut\": 0.7}}", "cfg.json").unwrap();
    /// assert_eq!(c.abc.a_cut, 0.7);
    /// assert_eq!(c.abc.b_cut, 0.95);
    /// let typo = Config::from_json("{\"abc\": {\"a_cutt\": 0.7}}", "cfg.json");
    /// assert!(typo.unwrap_err().to_string().contains("a_cutt"));
    /// ```
    pub fn from_json(text: &str, source_name: &str) -> Result<Config, ConfigError> {
        let config: Config = serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
            source_name: source_name.to_owned(),
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            source_name: source_name.to_owned(),
            message,
        })?;
        Ok(config)
    }

    /// The document as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the invariants the stages rely on; the message says what is
    /// wrong and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.version != CONFIG_VERSION {
            problems.push(format!(
                "version is {}, this engine reads version {CONFIG_VERSION}",
                self.version
            ));
        }
        let a = &self.abc;
        if !(a.a_cut > 0.0 && a.a_cut <= a.b_cut && a.b_cut <= 1.0) {
            problems.push(format!(
                "abc cuts must satisfy 0 < a_cut ≤ b_cut ≤ 1 (got a_cut {}, b_cut {})",
                a.a_cut, a.b_cut
            ));
        }
        let x = &self.xyz;
        if !(x.x_cut >= 0.0 && x.x_cut <= x.y_cut && x.y_cut.is_finite()) {
            problems.push(format!(
                "xyz cuts must satisfy 0 ≤ x_cut ≤ y_cut (got x_cut {}, y_cut {})",
                x.x_cut, x.y_cut
            ));
        }
        if let Some(h) = x.half_life {
            if !(h > 0.0 && h.is_finite()) {
                problems.push(format!(
                    "xyz.half_life must be a positive number of buckets or null (got {h})"
                ));
            }
        }
        let p = &self.policy;
        for (segment, level) in &p.service_levels {
            if !(*level > 0.0 && *level < 1.0) {
                problems.push(format!(
                    "policy.service_levels.{segment} must lie strictly between 0 and 1 (got {level})"
                ));
            }
        }
        let non_negative = [
            ("ordering_cost", p.ordering_cost),
            ("holding_rate", p.holding_rate),
            ("cost_ratio", p.cost_ratio),
            ("lead_time_days", p.lead_time_days),
            ("lead_time_sd_days", p.lead_time_sd_days),
        ];
        for (name, value) in non_negative {
            if !(value >= 0.0 && value.is_finite()) {
                problems.push(format!("policy.{name} must be a non-negative number (got {value})"));
            }
        }
        for (name, value) in
            [("lead_time_days", p.lead_time_days), ("lead_time_sd_days", p.lead_time_sd_days)]
        {
            if value > MAX_LEAD_TIME_DAYS {
                problems.push(format!(
                    "policy.{name} must be at most {MAX_LEAD_TIME_DAYS} days, ten years (got {value})"
                ));
            }
        }
        let f = &self.forecast;
        if f.holdout == 0 {
            problems.push("forecast.holdout must be at least 1 bucket".to_owned());
        }
        let unit = [
            ("alpha", f.alpha, f.alpha > 0.0 && f.alpha <= 1.0, "0 < alpha ≤ 1"),
            ("beta", f.beta, (0.0..=1.0).contains(&f.beta), "0 ≤ beta ≤ 1"),
            (
                "croston_alpha",
                f.croston_alpha,
                f.croston_alpha > 0.0 && f.croston_alpha <= 1.0,
                "0 < croston_alpha ≤ 1",
            ),
        ];
        for (name, value, ok, range) in unit {
            if !ok {
                problems.push(format!("forecast.{name} must satisfy {range} (got {value})"));
            }
        }
        if !(f.bias_threshold >= 0.0 && f.bias_threshold.is_finite()) {
            problems.push(format!(
                "forecast.bias_threshold must be a non-negative number (got {})",
                f.bias_threshold
            ));
        }
        if f.methods.keys().any(|segment| segment.trim().is_empty()) {
            problems.push("forecast.methods needs a segment label for every method".to_owned());
        }
        if !(1..=100_000).contains(&p.bootstrap_samples) {
            problems.push(format!(
                "policy.bootstrap_samples must lie in 1..=100000 (got {})",
                p.bootstrap_samples
            ));
        }
        let st = &self.stability;
        if !(st.abc_band >= 0.0
            && st.abc_band < 1.0
            && st.xyz_band >= 0.0
            && st.xyz_band.is_finite())
        {
            problems.push(format!(
                "stability bands must be non-negative (abc_band < 1); got abc_band {}, xyz_band {}",
                st.abc_band, st.xyz_band
            ));
        }
        let sc = &self.stress;
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        let stress_ok = in_unit(sc.noise)
            && sc.window_share > 0.0
            && in_unit(sc.window_share)
            && (0.0..1.0).contains(&sc.cut_shift)
            && in_unit(sc.spike_top_share)
            && sc.spike_factor > 0.0
            && sc.spike_factor.is_finite();
        if !stress_ok {
            problems.push(
                "stress: noise, window_share and spike_top_share must lie in 0..1, cut_shift in \
                 0..1 and spike_factor be positive"
                    .to_owned(),
            );
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.name.trim().is_empty() {
                problems.push(format!("rules[{i}] needs a name (it is shown as the reason)"));
            }
        }
        problems.extend(self.cluster.problems());
        problems.extend(self.cost.problems());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// The target service level of a segment; segments outside the table
    /// (clusters, rules) take the lowest level in the table.
    pub fn service_level(&self, segment: &str) -> f64 {
        self.policy.service_levels.get(segment).copied().unwrap_or_else(|| {
            self.policy.service_levels.values().copied().fold(f64::NAN, f64::min)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_document_is_all_defaults() {
        assert_eq!(Config::from_json("{}", "c").unwrap(), Config::default());
    }

    #[test]
    fn spec_example_document_parses() {
        // The example of SPEC §8, verbatim.
        let text = r#"{
          "version": 1,
          "bucket": "week",
          "abc":    { "criterion": "revenue", "a_cut": 0.80, "b_cut": 0.95 },
          "xyz":    { "x_cut": 0.5, "y_cut": 1.0, "half_life": null, "cap_outliers": false },
          "policy": { "service_levels": { "AX": 0.98, "AY": 0.97, "AZ": 0.95,
                                          "BX": 0.96, "BY": 0.95, "BZ": 0.92,
                                          "CX": 0.93, "CY": 0.90, "CZ": 0.85 },
                      "ordering_cost": 50, "holding_rate": 0.25, "cost_ratio": 0.6,
                      "lead_time_days": 14, "lead_time_sd_days": 0 },
          "mapping": { "orders": { "order_id": "Invoice No" } }
        }"#;
        let c = Config::from_json(text, "spec").unwrap();
        assert_eq!(c.mapping.orders["order_id"], "Invoice No");
        let mut expected = Config::default();
        expected.mapping.orders.insert("order_id".into(), "Invoice No".into());
        assert_eq!(c, expected);
    }

    #[test]
    fn partial_service_levels_keep_the_other_defaults() {
        let c = Config::from_json(r#"{"policy": {"service_levels": {"AX": 0.99}}}"#, "c").unwrap();
        assert_eq!(c.service_level("AX"), 0.99);
        assert_eq!(c.service_level("CZ"), 0.85);
        assert_eq!(c.policy.service_levels.len(), 9);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Config::from_json(r#"{"xyz": {"xcut": 0.4}}"#, "c.json").unwrap_err();
        assert!(e.to_string().contains("xcut"), "{e}");
        let e = Config::from_json(r#"{"bukket": "day"}"#, "c.json").unwrap_err();
        assert!(e.to_string().contains("bukket"), "{e}");
    }

    #[test]
    fn out_of_range_values_are_refused() {
        for text in [
            r#"{"abc": {"a_cut": 0.96}}"#,
            r#"{"abc": {"b_cut": 1.5}}"#,
            r#"{"xyz": {"x_cut": 2}}"#,
            r#"{"xyz": {"half_life": 0}}"#,
            r#"{"policy": {"service_levels": {"AX": 1.0}}}"#,
            r#"{"policy": {"holding_rate": -1}}"#,
            r#"{"version": 2}"#,
        ] {
            assert!(
                matches!(Config::from_json(text, "c"), Err(ConfigError::Invalid { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn round_trips_through_json() {
        let mut c = Config { bucket: Bucket::Month, ..Config::default() };
        c.xyz.half_life = Some(26.0);
        assert_eq!(Config::from_json(&c.to_json(), "c").unwrap(), c);
    }

    #[test]
    fn buckets_per_year() {
        assert_eq!(Bucket::Week.per_year(), 365.25 / 7.0);
        assert_eq!(Bucket::Month.per_year(), 12.0);
        assert_eq!(Bucket::Day.per_year(), 365.25);
    }

    #[test]
    fn forecast_section_parses_over_defaults() {
        let c = Config::from_json(
            r#"{"forecast": {"methods": {"AX": "holt", "CZ": "croston"}, "holdout": 8}}"#,
            "c",
        )
        .unwrap();
        assert_eq!(c.forecast.methods["AX"], Method::Holt);
        assert_eq!(c.forecast.methods["CZ"], Method::Croston);
        assert_eq!((c.forecast.holdout, c.forecast.croston_alpha), (8, 0.1));
        assert_eq!(Config::from_json(&c.to_json(), "c").unwrap(), c);
    }

    #[test]
    fn lead_times_beyond_ten_years_are_refused() {
        // The config fuzzer's stall (fuzz/open/config/extreme_accepted.json):
        // a lead time of 1e300 days was accepted and the empirical model then
        // resampled that many buckets per draw.
        for text in [
            r#"{"policy": {"lead_time_days": 1e300}}"#,
            r#"{"policy": {"lead_time_sd_days": 3650.5}}"#,
        ] {
            let e = Config::from_json(text, "c").unwrap_err();
            assert!(e.to_string().contains("at most 3650 days"), "{e}");
        }
        assert!(Config::from_json(r#"{"policy": {"lead_time_days": 3650}}"#, "c").is_ok());
    }

    #[test]
    fn forecast_values_out_of_range_or_unknown_are_refused() {
        for text in [
            r#"{"forecast": {"holdout": 0}}"#,
            r#"{"forecast": {"alpha": 0}}"#,
            r#"{"forecast": {"beta": 1.5}}"#,
            r#"{"forecast": {"croston_alpha": -0.1}}"#,
            r#"{"forecast": {"bias_threshold": -1}}"#,
            r#"{"forecast": {"methods": {" ": "ses"}}}"#,
        ] {
            assert!(
                matches!(Config::from_json(text, "c"), Err(ConfigError::Invalid { .. })),
                "{text}"
            );
        }
        for (text, named) in [
            (r#"{"forecast": {"methods": {"AX": "arima"}}}"#, "arima"),
            (r#"{"forecast": {"horizon": 4}}"#, "horizon"),
        ] {
            let e = Config::from_json(text, "c").unwrap_err();
            assert!(
                matches!(e, ConfigError::Syntax { .. }) && e.to_string().contains(named),
                "{e}"
            );
        }
    }

    #[test]
    fn cluster_section_parses_and_is_checked() {
        let c = Config::from_json(
            r#"{"cluster": {"enabled": true, "features": ["log_revenue", "cv2"], "k": 3,
                            "method": "hierarchical", "linkage": "average"}}"#,
            "c",
        )
        .unwrap();
        assert_eq!(c.cluster.features, [Feature::LogRevenue, Feature::Cv2]);
        assert_eq!((c.cluster.k, c.cluster.seed), (Some(3), 42));
        assert_eq!(
            (c.cluster.method, c.cluster.linkage),
            (ClusterMethod::Hierarchical, Linkage::Average)
        );
        assert_eq!(Config::from_json(&c.to_json(), "c").unwrap(), c);
        for text in [
            r#"{"cluster": {"k": 1}}"#,
            r#"{"cluster": {"k": 9}}"#,
            r#"{"cluster": {"features": []}}"#,
            r#"{"cluster": {"features": ["cv", "adi", "cv"]}}"#,
        ] {
            let e = Config::from_json(text, "c").unwrap_err();
            assert!(
                matches!(e, ConfigError::Invalid { .. }) && e.to_string().contains("cluster."),
                "{text}: {e}"
            );
        }
        let e = Config::from_json(r#"{"cluster": {"featurs": ["cv"]}}"#, "c").unwrap_err();
        assert!(e.to_string().contains("featurs"), "{e}");
        let e = Config::from_json(r#"{"cluster": {"features": ["volume"]}}"#, "c").unwrap_err();
        assert!(e.to_string().contains("volume"), "{e}");
    }
}
