//! The one configuration document (SPEC §8), shared by the app, the command
//! line and the run record.
//!
//! Every key is optional and takes SPEC's default; an unknown key is an error
//! naming it, so that a typo never silently falls back to a default. A parsed
//! document is checked once by [`Config::validate`]; stages may then rely on
//! its invariants (cuts ordered and within (0, 1], service levels in (0, 1)).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The configuration version this engine writes and reads.
pub const CONFIG_VERSION: u32 = 1;

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
    /// Business rules applied after classification, in order.
    pub rules: Vec<crate::classify::rules::Rule>,
    /// Hysteresis bands against a previous run.
    pub stability: crate::classify::stability::StabilityConfig,
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
            rules: Vec::new(),
            stability: Default::default(),
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
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.name.trim().is_empty() {
                problems.push(format!("rules[{i}] needs a name (it is shown as the reason)"));
            }
        }
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
        let mut c = Config::default();
        c.bucket = Bucket::Month;
        c.xyz.half_life = Some(26.0);
        assert_eq!(Config::from_json(&c.to_json(), "c").unwrap(), c);
    }

    #[test]
    fn buckets_per_year() {
        assert_eq!(Bucket::Week.per_year(), 365.25 / 7.0);
        assert_eq!(Bucket::Month.per_year(), 12.0);
        assert_eq!(Bucket::Day.per_year(), 365.25);
    }
}
