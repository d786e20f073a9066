//! The Policies page's views: working capital per segment, the efficient
//! frontier, the per-SKU policy table as columns, a what-if and one SKU's
//! history, forecast and policy. Built by the worker (`engine::policies`)
//! from one `Analysis`; core's own result types travel where they exist.
//!
//! Units: quantities in units, lead times and days of supply in days,
//! demand in units per bucket, values in the currency of the unit costs,
//! service levels and fill rates as shares in [0, 1].

use super::rows::{slices, Part};
use super::Response;
use super::Texts;
use segscope_core::forecast::backtest::Backtest;
use segscope_core::policy::working_capital::{
    FrontierPoint, OnHandComparison, SegmentPolicySummary, WhatIf,
};
use segscope_core::policy::{Policy, PolicyModel};
use segscope_core::{Bucket, Date};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// The policy models in the order the table's `model` column indexes them.
pub const MODELS: [PolicyModel; 3] =
    [PolicyModel::Normal, PolicyModel::Empirical, PolicyModel::RunOut];

/// The index of a model in [`MODELS`].
pub fn model_index(model: PolicyModel) -> u8 {
    MODELS.iter().position(|m| *m == model).unwrap_or(0) as u8
}

/// A model's name on the page.
pub fn model_label(model: PolicyModel) -> &'static str {
    match model {
        PolicyModel::Normal => "normal",
        PolicyModel::Empirical => "empirical",
        PolicyModel::RunOut => "run-out",
    }
}

/// Everything the Policies page shows, sent after every analysis and every
/// change of service levels or models.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoliciesView {
    /// Increases with every policies view, so the page can tell whether a
    /// what-if or a SKU view belongs to the figures shown.
    pub revision: u64,
    /// The demand bucket: the unit of time of mean demand and forecasts.
    pub bucket: Bucket,
    /// Target cycle service level per segment, as configured.
    pub service_levels: BTreeMap<String, f64>,
    /// SPEC §4's default levels ("Back to defaults").
    pub default_service_levels: BTreeMap<String, f64>,
    /// The model per segment, as configured (absent = normal).
    pub models: BTreeMap<String, PolicyModel>,
    /// One row per segment with SKUs, in core's label order.
    pub segments: Vec<SegmentPolicyRow>,
    /// Sums over all segments.
    pub totals: PolicyTotals,
    /// The configuration's defaults for SKUs the products file is silent on.
    pub defaults: PolicyDefaults,
    /// One entry per SKU, in ABC rank order.
    pub table: PolicyColumns,
    /// The slow movers' informational empirical figures are still being
    /// computed: the worker adds them after its views are sent and sends
    /// the view again when they are all there.
    #[serde(default)]
    pub empirical_pending: bool,
    /// Whether the table's other rows follow in [`Response::PolicyRows`]
    /// (a big table, sent in slices as the Segments view's; see
    /// `worker_api::rows`).
    #[serde(default)]
    pub more_rows: bool,
}

/// A slice of the SKU table of the Policies view sent just before it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyRows {
    /// The view's revision.
    pub revision: u64,
    /// The rows, in table order after those already sent.
    pub columns: PolicyColumns,
    /// Whether this is the view's last slice.
    pub last: bool,
}

/// Calls `$m!` with every column of [`PolicyColumns`]: the one list that
/// cutting and joining tables go by.
macro_rules! each_policy_column {
    ($m:ident) => {
        $m!(
            sku,
            segment,
            pattern,
            model,
            service_level,
            normal_safety_stock,
            empirical_safety_stock,
            reorder_point,
            order_qty,
            max,
            safety_stock_value,
            avg_inventory_value,
            days_of_supply,
            fill_rate,
            stockouts_per_year,
            low_confidence
        )
    };
}

impl PolicyColumns {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.sku.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.sku.is_empty()
    }

    /// A copy of the rows in `range` (a column the role does not see, left
    /// empty, stays empty).
    pub fn rows(&self, range: Range<usize>) -> PolicyColumns {
        macro_rules! rows {
            ($($field:ident),*) => {
                PolicyColumns { $($field: self.$field.part(&range)),* }
            };
        }
        each_policy_column!(rows)
    }

    /// Appends the rows of `more`.
    pub fn append(&mut self, mut more: PolicyColumns) {
        macro_rules! append {
            ($($field:ident),*) => {$(
                self.$field.append(&mut more.$field);
            )*};
        }
        each_policy_column!(append);
    }
}

/// The messages that carry `view`: itself when its table is small, else
/// the view with its first `per` rows followed by the other rows in slices
/// of `per`, each decoded by the page in a task of its own (and copied as
/// it is taken, see [`super::rows::split`]).
pub fn split_policies(mut view: PoliciesView, per: usize) -> impl Iterator<Item = Response> {
    let (revision, per) = (view.revision, per.max(1));
    let len = view.table.len();
    let whole = if len > per {
        let first = view.table.rows(0..per);
        view.more_rows = true;
        std::mem::replace(&mut view.table, first)
    } else {
        PolicyColumns::default()
    };
    let rows = slices(whole, len, per, per, PolicyColumns::rows, move |columns, last| {
        Response::PolicyRows(Box::new(PolicyRows { revision, columns, last }))
    });
    std::iter::once(Response::Policies(Box::new(view))).chain(rows)
}

impl PoliciesView {
    /// The row of a segment.
    pub fn segment(&self, label: &str) -> Option<&SegmentPolicyRow> {
        self.segments.iter().find(|s| s.summary.segment == label)
    }

    /// The configured model of a segment.
    pub fn model(&self, label: &str) -> PolicyModel {
        self.models.get(label).copied().unwrap_or_default()
    }

    /// The number of SKUs with a policy.
    pub fn skus(&self) -> usize {
        self.table.sku.len()
    }
}

/// One segment's working capital, model and efficient frontier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentPolicyRow {
    /// Core's summary of the segment's policies.
    pub summary: SegmentPolicySummary,
    /// The model the segment's policies use (run-out items aside).
    pub model: PolicyModel,
    /// The slow movers' safety stock under both models.
    pub slow: SlowMovers,
    /// The segment's figures at each of core's frontier service levels.
    pub frontier: Vec<FrontierPoint>,
}

/// The intermittent and lumpy SKUs of a segment (not run-out), whose safety
/// stock both models give: sums over those with a unit cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlowMovers {
    /// Slow movers with both models' figures.
    pub skus: usize,
    /// Σ safety stock value under the normal model.
    pub normal_safety_stock_value: f64,
    /// Σ safety stock value under the empirical model.
    pub empirical_safety_stock_value: f64,
}

/// Sums of the segments' figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyTotals {
    /// SKUs with a policy.
    pub skus: usize,
    /// Σ safety stock value.
    pub safety_stock_value: f64,
    /// Σ average inventory value.
    pub avg_inventory_value: f64,
    /// Σ expected stockout events per year.
    pub stockouts_per_year: f64,
    /// SKUs without a unit cost (left out of the values).
    pub skus_without_cost: usize,
    /// On hand against target over every segment that has a comparison.
    pub on_hand: Option<OnHandComparison>,
}

/// The configuration's policy defaults, for the page's notes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyDefaults {
    /// Lead time in days where products has none.
    pub lead_time_days: f64,
    /// Its standard deviation in days.
    pub lead_time_sd_days: f64,
    /// Annual holding rate where products has none.
    pub holding_rate: f64,
    /// Cost per replenishment order.
    pub ordering_cost: f64,
    /// Bootstrap samples of the empirical model.
    pub bootstrap_samples: usize,
}

/// The per-SKU policy table as columns, in ABC rank order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyColumns {
    /// SKU code.
    pub sku: Texts,
    /// Segment label.
    pub segment: Texts,
    /// Demand pattern, index into [`crate::worker_api::PATTERNS`].
    #[serde(with = "super::packed::bytes")]
    pub pattern: Vec<u8>,
    /// The model that set the policy, index into [`MODELS`].
    #[serde(with = "super::packed::bytes")]
    pub model: Vec<u8>,
    /// Target cycle service level.
    #[serde(with = "super::packed::f64s")]
    pub service_level: Vec<f64>,
    /// Safety stock in units under the normal model (0 for run-out).
    #[serde(with = "super::packed::f64s")]
    pub normal_safety_stock: Vec<f64>,
    /// Safety stock in units under the empirical model, where computed
    /// (slow movers and empirical segments).
    #[serde(with = "super::packed::opt_f64s")]
    pub empirical_safety_stock: Vec<Option<f64>>,
    /// Reorder point (min) in units, of the model in use.
    #[serde(with = "super::packed::f64s")]
    pub reorder_point: Vec<f64>,
    /// Order quantity in units.
    #[serde(with = "super::packed::opt_f64s")]
    pub order_qty: Vec<Option<f64>>,
    /// Max (order-up-to level) in units.
    #[serde(with = "super::packed::opt_f64s")]
    pub max: Vec<Option<f64>>,
    /// Safety stock value.
    #[serde(with = "super::packed::opt_f64s")]
    pub safety_stock_value: Vec<Option<f64>>,
    /// Average inventory value.
    #[serde(with = "super::packed::opt_f64s")]
    pub avg_inventory_value: Vec<Option<f64>>,
    /// Days of supply of the average inventory.
    #[serde(with = "super::packed::opt_f64s")]
    pub days_of_supply: Vec<Option<f64>>,
    /// Fill rate.
    #[serde(with = "super::packed::opt_f64s")]
    pub fill_rate: Vec<Option<f64>>,
    /// Expected stockout events per year.
    #[serde(with = "super::packed::opt_f64s")]
    pub stockouts_per_year: Vec<Option<f64>>,
    /// Too little history: variability borrowed from the category.
    #[serde(with = "super::packed::bools")]
    pub low_confidence: Vec<bool>,
}

/// The answer to a what-if: one segment at another service level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIfView {
    /// The segment asked about.
    pub segment: String,
    /// The service level asked about.
    pub service_level: f64,
    /// Core's before/after figures, or why there are none.
    pub result: Result<WhatIf, String>,
    /// The [`PoliciesView::revision`] it was computed on.
    pub revision: u64,
}

/// One SKU: its demand history, forecast, backtest and policy under both
/// models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuDetailView {
    /// SKU code.
    pub sku: String,
    /// The [`PoliciesView::revision`] it was computed on.
    pub revision: u64,
    /// `None` when the SKU is not in the analysis.
    pub detail: Option<Box<SkuDetail>>,
}

/// The figures of one SKU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuDetail {
    /// Segment label.
    pub segment: String,
    /// Demand pattern name.
    pub pattern: String,
    /// The bucket of the history.
    pub bucket: Bucket,
    /// The first day of each bucket.
    pub bucket_starts: Vec<Date>,
    /// Gross demand per bucket, in units.
    pub history: Vec<f64>,
    /// One-step-ahead forecast of each bucket from the buckets before it.
    pub fitted: Vec<Option<f64>>,
    /// The forecast of the next bucket, in units.
    pub next: Option<f64>,
    /// The first day of the next bucket.
    pub next_start: Option<Date>,
    /// The forecasting method's name (`ses`, `sba`, …).
    pub method: String,
    /// Whether the segment's configuration chose the method.
    pub method_overridden: bool,
    /// The backtest over the last buckets.
    pub backtest: Backtest,
    /// The policy in use (model, figures, inputs, adjustments).
    pub policy: Policy,
    /// The normal model's figures at the same inputs.
    pub normal: Policy,
    /// The empirical model's safety stock value, where its figures and a
    /// unit cost exist.
    pub empirical_safety_stock_value: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::{decode, encode, Request, Response};

    #[test]
    fn policy_messages_round_trip_through_json() {
        let requests = [
            Request::SetPolicy {
                service_levels: [("AX".to_string(), 0.995)].into(),
                models: [("CZ".to_string(), PolicyModel::Empirical)].into(),
            },
            Request::WhatIf { segment: "AX".into(), service_level: 0.99 },
            Request::SkuDetail { sku: "A-1".into() },
        ];
        for r in requests {
            assert_eq!(decode::<Request>(&encode(&r)).unwrap(), r);
        }
        let responses = [
            Response::Policies(Box::default()),
            Response::PolicyRejected { message: "no".into() },
            Response::WhatIf(Box::new(WhatIfView {
                segment: "AX".into(),
                service_level: 0.99,
                result: Err("no SKU".into()),
                revision: 3,
            })),
            Response::SkuDetail(Box::new(SkuDetailView {
                sku: "A".into(),
                revision: 1,
                detail: None,
            })),
        ];
        for r in responses {
            assert_eq!(decode::<Response>(&encode(&r)).unwrap(), r);
        }
    }

    #[test]
    fn model_indices_follow_the_model_list() {
        for m in MODELS {
            assert_eq!(MODELS[model_index(m) as usize], m);
        }
    }
}
