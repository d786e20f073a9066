//! Inventory policy per SKU (SPEC §4): safety stock with lead-time
//! variability, reorder point, EOQ rounded to MOQ and order multiples,
//! min/max, average inventory, fill rate and expected stockouts.
//!
//! All quantities are in units and all times in buckets of the demand series,
//! except days of supply (days) and values (currency).

use crate::classify::pattern::Pattern;
use crate::classify::SkuClass;
use crate::config::Config;
use crate::dataset::{Dataset, Lifecycle, Product};
use crate::demand::{Demand, SkuSummary};
use crate::normal;
use crate::quality::DqReport;
use crate::stats::{median, quantile_sorted, uniform};
use serde::{Deserialize, Serialize};

pub mod working_capital;

/// Which model sets a SKU's safety stock and reorder point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyModel {
    /// SPEC §4's normal lead-time demand.
    #[default]
    Normal,
    /// The bootstrapped (empirical) lead-time demand distribution.
    Empirical,
    /// End of life: no reorder, no safety stock; sell what is left.
    RunOut,
}

impl PolicyModel {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            PolicyModel::Normal => "normal",
            PolicyModel::Empirical => "empirical",
            PolicyModel::RunOut => "run_out",
        }
    }
}

/// A manual min and/or max for one SKU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MinMaxOverride {
    /// Replaces the reorder point (min).
    pub min: Option<f64>,
    /// Replaces the max.
    pub max: Option<f64>,
}

/// The policy figures of the empirical model: lead-time demand resampled
/// from the SKU's own buckets instead of assumed normal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmpiricalPolicy {
    /// The CSL-quantile of the bootstrapped lead-time demand.
    pub reorder_point: f64,
    /// Reorder point − d × L.
    pub safety_stock: f64,
    /// `1 − E[(LTD − ROP)⁺] / Q`, where an order quantity exists.
    pub fill_rate: Option<f64>,
}

/// What a policy is computed from, for one SKU.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyInputs {
    /// Target cycle service level (CSL).
    pub service_level: f64,
    /// `d`: mean demand per bucket.
    pub mean_demand: f64,
    /// `σd`: population standard deviation of demand per bucket.
    pub std_demand: f64,
    /// `L`: lead time in buckets.
    pub lead_time: f64,
    /// `σL`: lead-time standard deviation in buckets.
    pub lead_time_sd: f64,
    /// Buckets per year.
    pub buckets_per_year: f64,
    /// Unit cost (`None` when unknown: no holding cost, no EOQ).
    pub unit_cost: Option<f64>,
    /// Annual holding rate.
    pub holding_rate: f64,
    /// `S`: cost per replenishment order.
    pub ordering_cost: f64,
    /// Minimum order quantity.
    pub moq: f64,
    /// Order multiple (≥ 1 after the ≤ 0 → 1 rule).
    pub order_multiple: f64,
}

/// The policy of one SKU. Figures that need an order quantity are `None`
/// when there is no EOQ (annual demand or holding cost is 0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// What the policy was computed from: the products file's figures or the
    /// configuration's defaults, and for new items their category's
    /// variability.
    pub inputs: PolicyInputs,
    /// Target cycle service level.
    pub service_level: f64,
    /// `z = Φ⁻¹(CSL)`.
    pub z: f64,
    /// `σLT = sqrt(L σd² + d² σL²)`.
    pub sigma_lead_time_demand: f64,
    /// `z × σLT`.
    pub safety_stock: f64,
    /// `d × L + safety stock`; also the policy's min.
    pub reorder_point: f64,
    /// `D = d × buckets per year`.
    pub annual_demand: f64,
    /// `sqrt(2 D S / H)`.
    pub eoq: Option<f64>,
    /// `max(moq, ceil(eoq / multiple) × multiple)`.
    pub order_qty: Option<f64>,
    /// `reorder point + order quantity`.
    pub max: Option<f64>,
    /// `safety stock + order quantity / 2`, in units.
    pub avg_inventory: Option<f64>,
    /// Average inventory × unit cost.
    pub avg_inventory_value: Option<f64>,
    /// Safety stock × unit cost.
    pub safety_stock_value: Option<f64>,
    /// `average inventory / (D / 365.25)`.
    pub days_of_supply: Option<f64>,
    /// `1 − σLT × G(z) / order quantity`.
    pub fill_rate: Option<f64>,
    /// `(D / order quantity) × (1 − CSL)`.
    pub stockouts_per_year: Option<f64>,
    /// The model that set safety stock and reorder point.
    pub model: PolicyModel,
    /// The empirical model's figures, computed for intermittent and lumpy
    /// SKUs and wherever the segment's model is empirical.
    pub empirical: Option<EmpiricalPolicy>,
    /// Too little history: variability taken from the SKU's category.
    pub low_confidence: bool,
    /// Adjustments applied after the model, in words (shelf-life cap, manual
    /// min/max).
    pub adjustments: Vec<String>,
}

/// Computes one policy from its inputs (SPEC §4).
///
/// # Example
/// ```
/// use segscope_core::policy::{compute, PolicyInputs};
/// // inventorize's reorder point example: d = 50/day, σd = 5, L = 6 days, CSL 0.90.
/// let p = compute(&PolicyInputs {
///     service_level: 0.90, mean_demand: 50.0, std_demand: 5.0, lead_time: 6.0,
///     lead_time_sd: 0.0, buckets_per_year: 365.25, unit_cost: None,
///     holding_rate: 0.25, ordering_cost: 50.0, moq: 1.0, order_multiple: 1.0,
/// });
/// assert!((p.reorder_point - 315.6957370732461).abs() < 1e-9);
/// ```
pub fn compute(i: &PolicyInputs) -> Policy {
    let (z, loss) = normal::safety_factor(i.service_level);
    let (d, l) = (i.mean_demand, i.lead_time);
    let sigma = (l * i.std_demand.powi(2) + d * d * i.lead_time_sd.powi(2)).sqrt();
    let safety_stock = z * sigma;
    let reorder_point = d * l + safety_stock;
    let annual_demand = d * i.buckets_per_year;
    let holding = i.unit_cost.map_or(0.0, |c| i.holding_rate * c);
    let eoq = (annual_demand > 0.0 && holding > 0.0)
        .then(|| (2.0 * annual_demand * i.ordering_cost / holding).sqrt());
    let multiple = if i.order_multiple > 0.0 { i.order_multiple } else { 1.0 };
    let order_qty = eoq.map(|q| i.moq.max((q / multiple).ceil() * multiple));
    // A zero order quantity (EOQ 0 with no MOQ) cannot define a cycle.
    let order_qty = order_qty.filter(|q| *q > 0.0);
    let avg_inventory = order_qty.map(|q| safety_stock + q / 2.0);
    Policy {
        inputs: *i,
        service_level: i.service_level,
        z,
        sigma_lead_time_demand: sigma,
        safety_stock,
        reorder_point,
        annual_demand,
        eoq,
        order_qty,
        max: order_qty.map(|q| reorder_point + q),
        avg_inventory,
        avg_inventory_value: avg_inventory.zip(i.unit_cost).map(|(a, c)| a * c),
        safety_stock_value: i.unit_cost.map(|c| safety_stock * c),
        days_of_supply: avg_inventory.map(|a| a / (annual_demand / 365.25)),
        fill_rate: order_qty.map(|q| 1.0 - sigma * loss / q),
        stockouts_per_year: order_qty.map(|q| annual_demand / q * (1.0 - i.service_level)),
        model: PolicyModel::Normal,
        empirical: None,
        low_confidence: false,
        adjustments: Vec::new(),
    }
}

/// The empirical model (issue: slow movers): lead-time demand is resampled
/// `samples` times from the SKU's own bucket series — ⌊L⌋ whole buckets plus
/// the fraction of one more, with L itself drawn from a normal (L, σL)
/// truncated at 0 when σL > 0 — and the reorder point is the CSL-quantile of
/// those sums. Deterministic for a seed; `None` for an empty series.
pub fn empirical(
    series: &[f64],
    i: &PolicyInputs,
    order_qty: Option<f64>,
    samples: usize,
    seed: u64,
) -> Option<EmpiricalPolicy> {
    empirical_from(&lead_time_demand(series, i, samples, seed)?, i, order_qty)
}

/// The bootstrapped lead-time demand of [`empirical`], sorted ascending.
/// It depends on the lead time but not on the service level, so one sample
/// serves every service level of a what-if or an efficient frontier.
fn lead_time_demand(
    series: &[f64],
    i: &PolicyInputs,
    samples: usize,
    seed: u64,
) -> Option<Vec<f64>> {
    if series.is_empty() || samples == 0 {
        return None;
    }
    let mut draw = 0u64;
    let mut next = || {
        draw += 1;
        uniform(seed, draw)
    };
    let pick = |u: f64| series[((u * series.len() as f64) as usize).min(series.len() - 1)];
    let mut sums: Vec<f64> = (0..samples)
        .map(|_| {
            let lead = if i.lead_time_sd > 0.0 {
                let u = next().clamp(1e-12, 1.0 - 1e-12);
                (i.lead_time + i.lead_time_sd * normal::inverse_cdf(u)).max(0.0)
            } else {
                i.lead_time
            };
            let whole = lead.floor() as usize;
            let mut sum: f64 = (0..whole).map(|_| pick(next())).sum();
            sum += (lead - whole as f64) * pick(next());
            sum
        })
        .collect();
    // Unstable is the same order here: under `total_cmp` equal means identical bits.
    sums.sort_unstable_by(f64::total_cmp);
    Some(sums)
}

/// The empirical figures at `i.service_level` from sorted lead-time demand.
fn empirical_from(
    sorted: &[f64],
    i: &PolicyInputs,
    order_qty: Option<f64>,
) -> Option<EmpiricalPolicy> {
    let reorder_point = quantile_sorted(sorted, i.service_level)?;
    // Only the samples above the reorder point fall short; they are the
    // sorted tail, so the sum skips the rest (the same sum: the skipped
    // terms are zeros), which makes each level of a frontier cheap.
    let above = sorted.partition_point(|x| *x <= reorder_point);
    let shortage =
        sorted.get(above..).unwrap_or_default().iter().map(|x| x - reorder_point).sum::<f64>()
            / sorted.len() as f64;
    Some(EmpiricalPolicy {
        reorder_point,
        safety_stock: reorder_point - i.mean_demand * i.lead_time,
        fill_rate: order_qty.map(|q| 1.0 - shortage / q),
    })
}

impl Policy {
    /// Lets the empirical model set safety stock, reorder point and the
    /// figures that follow from them.
    fn use_empirical(&mut self, e: EmpiricalPolicy, unit_cost: Option<f64>) {
        self.model = PolicyModel::Empirical;
        self.safety_stock = e.safety_stock;
        self.reorder_point = e.reorder_point;
        self.max = self.order_qty.map(|q| e.reorder_point + q);
        self.avg_inventory = self.order_qty.map(|q| (e.safety_stock + q / 2.0).max(q / 2.0));
        self.avg_inventory_value = self.avg_inventory.zip(unit_cost).map(|(a, c)| a * c);
        self.safety_stock_value = unit_cost.map(|c| e.safety_stock * c);
        self.days_of_supply = self.avg_inventory.map(|a| a / (self.annual_demand / 365.25));
        self.fill_rate = e.fill_rate;
    }

    /// The end-of-life policy: nothing reordered, nothing held in reserve.
    fn run_out(&mut self, unit_cost: Option<f64>) {
        self.model = PolicyModel::RunOut;
        self.safety_stock = 0.0;
        self.reorder_point = 0.0;
        self.eoq = None;
        self.order_qty = None;
        self.max = None;
        self.avg_inventory = None;
        self.avg_inventory_value = None;
        self.safety_stock_value = unit_cost.map(|_| 0.0);
        self.days_of_supply = None;
        self.fill_rate = None;
        self.stockouts_per_year = None;
    }
}

/// The policy stage: one policy per SKU of `demand.skus`, with lead times,
/// MOQ, multiples and holding rates from the products file where given and
/// the configuration's defaults otherwise (noted in `report`). Then, per SKU:
/// the empirical model for slow movers (and wherever the segment asks for
/// it), the run-out policy for `eol` products, category variability for
/// items with too little history, the shelf-life cap for perishables and the
/// manual min/max overrides.
pub fn build(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    report: &mut DqReport,
) -> Vec<Policy> {
    build_with(data, demand, classes, config, Detail::Full, report)
}

/// [`build`] with the informational empirical figures of normal-model slow
/// movers ([`Policy::empirical`]) left out under [`Detail::PolicyOnly`];
/// every other figure is the same.
pub fn build_with(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    detail: Detail,
    report: &mut DqReport,
) -> Vec<Policy> {
    build_reusing(data, demand, classes, config, detail, None, report)
}

/// A policy stage's results that [`build_reusing`] may take over: those of
/// the same dataset and demand series, with the classes and settings they
/// were computed for.
pub struct Prior<'a> {
    /// The settings they followed.
    pub config: &'a Config,
    /// The classes they were computed for, per row.
    pub classes: &'a [SkuClass],
    /// The policies, per row.
    pub policies: &'a [Policy],
    /// Whether they have the informational empirical figures.
    pub detail: Detail,
}

/// [`build_with`], taking over from `prior` the policy of every SKU whose
/// own inputs are unchanged — the same segment model, service level and
/// slow-mover flag under the same other policy settings — instead of
/// computing it again. A settings change that moves a few SKUs between
/// segments then costs those SKUs' bootstrap alone. The result is
/// [`build_with`]'s (a test checks it): a SKU's policy reads nothing else.
pub fn build_reusing(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    detail: Detail,
    prior: Option<Prior<'_>>,
    report: &mut DqReport,
) -> Vec<Policy> {
    let stage = Stage::new(data, demand, config);
    // A prior with the informational figures serves either detail (its
    // policies keep them: more than `PolicyOnly` asks, never less).
    let prior = prior.filter(|p| {
        (p.detail == detail || p.detail == Detail::Full) && same_but_targets(p.config, config)
    });
    // Segment model, service level and whether the SKU is a slow mover: all
    // a SKU's policy reads of its class and of the per-segment settings.
    let key = |config: &Config, class: &SkuClass| {
        let model = config.policy.models.get(&class.segment).copied().unwrap_or_default();
        let slow = matches!(class.pattern.pattern, Pattern::Intermittent | Pattern::Lumpy);
        (model, config.service_level(&class.segment).to_bits(), slow)
    };
    // SKUs are independent (the slow movers' bootstrap is most of the
    // stage): natively they are spread over the cores, in row order.
    let rows = demand.skus.len().min(classes.len());
    let policies: Vec<Policy> = crate::parallel::map_rows(rows, |row| {
        let (s, class) = (&demand.skus[row], &classes[row]);
        let kept = prior.as_ref().and_then(|p| {
            let (old_class, old) = (p.classes.get(row)?, p.policies.get(row)?);
            (key(p.config, old_class) == key(config, class)).then(|| old.clone())
        });
        kept.unwrap_or_else(|| {
            let sku = stage.prepare(row, s, class, stage.inputs(row, s), detail);
            stage.finish(&sku, config.service_level(&class.segment))
        })
    });
    let default_lead_time = demand
        .skus
        .iter()
        .filter(|s| stage.product(s).and_then(|p| p.lead_time_days).is_none())
        .count();
    if default_lead_time > 0 {
        let p = &config.policy;
        report.note(
            None,
            format!(
                "{default_lead_time} SKUs have no lead time in a products file: they use \
                 {} days (σ {} days) from the configuration.",
                p.lead_time_days, p.lead_time_sd_days
            ),
        );
    }
    policies
}

/// Adds, to the policies of `rows`, the informational empirical figures
/// that [`Detail::Full`] gives normal-model slow movers and
/// [`Detail::PolicyOnly`] leaves out; policies that have them, or are not
/// normal-model slow movers, are left alone. The app adds them a slice of
/// rows at a time after its views are sent, so that the bootstrap of tens
/// of thousands of slow movers never holds up the page. Over every row,
/// policies built under [`Detail::PolicyOnly`] become [`build`]'s (a test
/// checks it): the figures read only the SKU's series and policy inputs.
pub fn add_informational(
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    policies: &mut [Policy],
    rows: std::ops::Range<usize>,
) {
    let p = &config.policy;
    for row in rows {
        let (Some(s), Some(class), Some(policy)) =
            (demand.skus.get(row), classes.get(row), policies.get_mut(row))
        else {
            break;
        };
        let slow = matches!(class.pattern.pattern, Pattern::Intermittent | Pattern::Lumpy);
        let model = p.models.get(&class.segment).copied().unwrap_or_default();
        if !slow || model != PolicyModel::Normal || policy.empirical.is_some() {
            continue;
        }
        // As `Stage::prepare` and `Stage::finish` do: the same seed, and the
        // order quantity before any adjustment.
        let seed = p.seed ^ u64::from(s.sku).wrapping_mul(0x9E37_79B9);
        let inputs = policy.inputs;
        policy.empirical =
            lead_time_demand(demand.series.row(row), &inputs, p.bootstrap_samples, seed)
                .and_then(|sums| empirical_from(&sums, &inputs, compute(&inputs).order_qty));
    }
}

/// Whether two configurations give every SKU the same policy for the same
/// segment model and service level: the same bucket and policy settings
/// apart from the per-segment targets.
fn same_but_targets(a: &Config, b: &Config) -> bool {
    let untargeted = |c: &Config| crate::config::PolicyConfig {
        service_levels: Default::default(),
        models: Default::default(),
        ..c.policy.clone()
    };
    a.bucket == b.bucket && untargeted(a) == untargeted(b)
}

/// Recomputes the policies of the SKUs in `segment` at each service level
/// of `levels`, exactly as [`build`] would with that level configured for
/// the segment, and hands each to `visit(level index, row, policy)` — SKU
/// by SKU, every level of a SKU before the next SKU, rows ascending.
///
/// `policies` are [`build`]'s for the same data and configuration: their
/// [`Policy::inputs`] spare a new look at the products file and the
/// category variability of new items (which reads every SKU's series). The
/// bootstrap, where the segment's model is empirical, runs once per SKU for
/// all levels. The empirical figures that [`build`] adds for information to
/// normal-model slow movers ([`Policy::empirical`]) are left out: they
/// change none of the policy's own figures.
#[allow(clippy::too_many_arguments)]
pub(crate) fn for_segment_at(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    policies: &[Policy],
    config: &Config,
    segment: &str,
    levels: &[f64],
    mut visit: impl FnMut(usize, usize, Policy),
) {
    let stage = Stage::new(data, demand, config);
    let n = demand.skus.len().min(classes.len()).min(policies.len());
    let rows: Vec<usize> = (0..n).filter(|&row| classes[row].segment == segment).collect();
    // Natively the SKUs (their bootstrap, where the model is empirical) are
    // spread over the cores a chunk at a time, so that only one chunk's
    // policies wait to be visited; the visits stay in row order.
    for chunk in rows.chunks(SEGMENT_CHUNK) {
        let finished = crate::parallel::map_rows(chunk.len(), |j| {
            let row = chunk[j];
            let (s, class, analysed) = (&demand.skus[row], &classes[row], &policies[row]);
            let inputs = (analysed.inputs, analysed.low_confidence);
            let sku = stage.prepare(row, s, class, inputs, Detail::PolicyOnly);
            levels.iter().map(|&level| stage.finish(&sku, level)).collect::<Vec<Policy>>()
        });
        for (&row, at_levels) in chunk.iter().zip(finished) {
            for (k, policy) in at_levels.into_iter().enumerate() {
                visit(k, row, policy);
            }
        }
    }
}

/// SKUs prepared together by [`for_segment_at`].
const SEGMENT_CHUNK: usize = 256;

/// Whether to add the informational empirical figures to normal-model slow
/// movers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything [`build`] shows, for the app's Policies page.
    #[default]
    Full,
    /// Only what sets the policy's figures: all that the CLI's files (and
    /// the frontier) read. The slow movers' bootstrap, most of the stage's
    /// time, then runs only where a segment's model is empirical.
    PolicyOnly,
}

/// What the policy stage looks up once for all SKUs.
struct Stage<'a> {
    data: &'a Dataset,
    demand: &'a Demand,
    config: &'a Config,
    /// Row in `data.products` of each SKU number.
    products: Vec<Option<u32>>,
    /// [`category_variability`], computed at the first new item that needs it.
    /// (A `OnceLock`, so that the stage can be shared by threads.)
    category_cv: std::sync::OnceLock<std::collections::HashMap<String, f64>>,
}

/// A SKU's policy inputs with the service level still open.
struct PreparedSku<'a> {
    /// The inputs; `service_level` is replaced by [`Stage::finish`].
    inputs: PolicyInputs,
    sku: u32,
    product: Option<&'a Product>,
    low_confidence: bool,
    model: PolicyModel,
    /// Sorted bootstrapped lead-time demand, where the empirical figures are
    /// wanted.
    lead_time_demand: Option<Vec<f64>>,
}

impl<'a> Stage<'a> {
    fn new(data: &'a Dataset, demand: &'a Demand, config: &'a Config) -> Self {
        Stage {
            data,
            demand,
            config,
            products: data.product_index(),
            category_cv: Default::default(),
        }
    }

    fn product(&self, s: &SkuSummary) -> Option<&'a Product> {
        let data = self.data;
        self.products
            .get(s.sku as usize)
            .copied()
            .flatten()
            .and_then(|i| data.products.get(i as usize))
    }

    /// Too little history: lifecycle `new`, or the first sale within the
    /// last `new_item_buckets` buckets.
    fn new_item(&self, row: usize, s: &SkuSummary) -> bool {
        let series = &self.demand.series;
        let first_sale = series.row(row).iter().position(|x| *x > 0.0).unwrap_or(0);
        self.product(s).and_then(|p| p.lifecycle) == Some(Lifecycle::New)
            || series.n.saturating_sub(first_sale) <= self.config.policy.new_item_buckets
    }

    /// A SKU's policy inputs (the service level left open) and whether it
    /// has too little history, in which case its variability is its
    /// category's.
    fn inputs(&self, row: usize, s: &SkuSummary) -> (PolicyInputs, bool) {
        let p = &self.config.policy;
        let days = self.config.bucket.days();
        let product = self.product(s);
        let field = |get: fn(&Product) -> Option<f64>| product.and_then(get);
        let low_confidence = self.new_item(row, s);
        let std_demand = if low_confidence {
            let category = product.and_then(|p| p.category.as_deref()).unwrap_or("");
            let category_cv = self.category_cv.get_or_init(|| {
                category_variability(self.demand, &|s| self.product(s), &|row, s| {
                    self.new_item(row, s)
                })
            });
            category_cv
                .get(category)
                .or(category_cv.get(ALL))
                .map_or(s.std_demand, |cv| cv * s.mean_demand)
        } else {
            s.std_demand
        };
        let inputs = PolicyInputs {
            service_level: f64::NAN,
            mean_demand: s.mean_demand,
            std_demand,
            lead_time: field(|p| p.lead_time_days).unwrap_or(p.lead_time_days) / days,
            lead_time_sd: field(|p| p.lead_time_sd_days).unwrap_or(p.lead_time_sd_days) / days,
            buckets_per_year: self.config.bucket.per_year(),
            unit_cost: s.unit_cost,
            holding_rate: field(|p| p.holding_rate).unwrap_or(p.holding_rate),
            ordering_cost: p.ordering_cost,
            moq: field(|p| p.moq).unwrap_or(1.0),
            order_multiple: field(|p| p.order_multiple).unwrap_or(1.0),
        };
        (inputs, low_confidence)
    }

    /// Everything of one SKU's policy except the service level, from its
    /// inputs.
    fn prepare(
        &self,
        row: usize,
        s: &SkuSummary,
        class: &SkuClass,
        (inputs, low_confidence): (PolicyInputs, bool),
        detail: Detail,
    ) -> PreparedSku<'a> {
        let p = &self.config.policy;
        let product = self.product(s);
        let segment = class.segment.as_str();
        let model = p.models.get(segment).copied().unwrap_or_default();
        let slow = matches!(class.pattern.pattern, Pattern::Intermittent | Pattern::Lumpy);
        let wanted = model == PolicyModel::Empirical || (slow && detail == Detail::Full);
        let lead_time_demand = wanted
            .then(|| {
                let seed = p.seed ^ u64::from(s.sku).wrapping_mul(0x9E37_79B9);
                lead_time_demand(self.demand.series.row(row), &inputs, p.bootstrap_samples, seed)
            })
            .flatten();
        PreparedSku { inputs, sku: s.sku, product, low_confidence, model, lead_time_demand }
    }

    /// The SKU's policy at `service_level`.
    fn finish(&self, sku: &PreparedSku<'a>, service_level: f64) -> Policy {
        let inputs = PolicyInputs { service_level, ..sku.inputs };
        let unit_cost = inputs.unit_cost;
        let mut policy = compute(&inputs);
        policy.low_confidence = sku.low_confidence;
        policy.empirical = sku
            .lead_time_demand
            .as_deref()
            .and_then(|sums| empirical_from(sums, &inputs, policy.order_qty));
        if let (PolicyModel::Empirical, Some(e)) = (sku.model, policy.empirical) {
            policy.use_empirical(e, unit_cost);
        }
        let product = sku.product;
        if product.and_then(|p| p.lifecycle) == Some(Lifecycle::Eol) {
            policy.run_out(unit_cost);
        }
        let shelf_life =
            product.filter(|p| p.perishable == Some(true)).and_then(|p| p.shelf_life_days);
        if let (Some(days_of_life), Some(max)) = (shelf_life, policy.max) {
            let cap = inputs.mean_demand * days_of_life / self.config.bucket.days();
            if max > cap {
                policy.max = Some(cap.max(policy.reorder_point));
                policy.adjustments.push(format!(
                    "max capped at {cap:.1} units: what sells within the {days_of_life} days shelf life"
                ));
            }
        }
        if let Some(o) = self.config.policy.overrides.get(self.data.skus.name(sku.sku)) {
            if let Some(min) = o.min {
                policy.reorder_point = min;
                policy.adjustments.push(format!("min set to {min} by override"));
            }
            if let Some(max) = o.max {
                policy.max = Some(max);
                policy.adjustments.push(format!("max set to {max} by override"));
            }
        }
        policy
    }
}

/// Key of the all-categories entry of [`category_variability`].
const ALL: &str = "\u{0}all";

/// Median cv (σd / d) per product category over SKUs with enough history,
/// plus the median over all of them under [`ALL`]: the variability a new
/// item borrows.
fn category_variability<'a>(
    demand: &Demand,
    product: &dyn Fn(&SkuSummary) -> Option<&'a Product>,
    new_item: &dyn Fn(usize, &SkuSummary) -> bool,
) -> std::collections::HashMap<String, f64> {
    // Keys borrow the products' categories: a what-if recomputes this for
    // 50,000 SKUs on every slider move.
    let mut by_category: std::collections::HashMap<&str, Vec<f64>> = Default::default();
    let mut all = Vec::new();
    for (row, s) in demand.skus.iter().enumerate() {
        if s.mean_demand <= 0.0 || new_item(row, s) {
            continue;
        }
        let cv = s.std_demand / s.mean_demand;
        let category = product(s).and_then(|p| p.category.as_deref()).unwrap_or_default();
        by_category.entry(category).or_default().push(cv);
        all.push(cv);
    }
    by_category
        .into_iter()
        .chain([(ALL, all)])
        .filter_map(|(k, v)| median(&v).map(|m| (k.to_owned(), m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> PolicyInputs {
        PolicyInputs {
            service_level: 0.95,
            mean_demand: 0.0,
            std_demand: 0.0,
            lead_time: 0.0,
            lead_time_sd: 0.0,
            buckets_per_year: 1.0,
            unit_cost: None,
            holding_rate: 0.25,
            ordering_cost: 50.0,
            moq: 1.0,
            order_multiple: 1.0,
        }
    }

    fn close(a: f64, b: f64, tolerance: f64) {
        assert!((a - b).abs() <= tolerance, "{a} vs {b}");
    }

    #[test]
    fn eoq_matches_snyder_shen_example_3_1() {
        // stockpyl 1.0.2 tests/test_eoq.py::test_example_3_1 (Snyder & Shen,
        // Example 3.1): K = 8, h = 0.225, d = 1300 → Q* = 304.0467800264368.
        // Here h = holding_rate × unit_cost = 0.225 × 1.
        let p = compute(&PolicyInputs {
            mean_demand: 1300.0,
            unit_cost: Some(1.0),
            holding_rate: 0.225,
            ordering_cost: 8.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 304.0467800264368, 1e-9);
        // Rounded up to the next unit.
        assert_eq!(p.order_qty, Some(305.0));
    }

    #[test]
    fn eoq_matches_snyder_shen_problem_3_1_and_inventorize() {
        // stockpyl Problem 3.1: K = 2250, h = 275, d = 182500 → 1728.109844993551.
        let p = compute(&PolicyInputs {
            mean_demand: 182_500.0,
            unit_cost: Some(275.0),
            holding_rate: 1.0,
            ordering_cost: 2250.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 1728.109844993551, 1e-9);
        // inventorize::eoq(5000, 400, 140, 0.2) → 377.9644730092272.
        let p = compute(&PolicyInputs {
            mean_demand: 5000.0,
            unit_cost: Some(140.0),
            holding_rate: 0.2,
            ordering_cost: 400.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 377.9644730092272, 1e-9);
    }

    #[test]
    fn safety_stock_with_lead_time_variability_matches_inventorize() {
        // inventorize's normal safety stock (issue 4): d = 50, σd = 5, L = 6,
        // σL = 2, CSL 0.90 → σLT = sqrt(6·25 + 2500·4) = sqrt(10150),
        // SS = 1.2815515655446008 × 100.7472 = 129.1127, ROP = 429.1127.
        let p = compute(&PolicyInputs {
            service_level: 0.90,
            mean_demand: 50.0,
            std_demand: 5.0,
            lead_time: 6.0,
            lead_time_sd: 2.0,
            ..inputs()
        });
        close(p.sigma_lead_time_demand, 10150f64.sqrt(), 1e-12);
        close(p.safety_stock, 129.1127, 5e-5);
        close(p.reorder_point, 429.1127, 5e-5);
    }

    #[test]
    fn fill_rate_matches_inventorize_csl_example() {
        // inventorize::safteystock_CSL_normal(rate 0.95, Q 1000, D 8000/yr,
        // σ 600/yr, L 4 weeks): k 1.6448536269514715, G(k) 0.020892959027797697,
        // safety stock 273.72018888952834, fill rate 0.9965232014582664.
        // Weekly buckets: d = 8000/52, σd = 600/sqrt(52), L = 4.
        let p = compute(&PolicyInputs {
            service_level: 0.95,
            mean_demand: 8000.0 / 52.0,
            std_demand: 600.0 / 52f64.sqrt(),
            lead_time: 4.0,
            buckets_per_year: 52.0,
            unit_cost: Some(1.0),
            holding_rate: 1e9, // makes EOQ ≈ 0 so the MOQ of 1000 decides Q
            moq: 1000.0,
            ..inputs()
        });
        close(p.z, 1.6448536269514715, 1e-12);
        close(normal::loss(p.z), 0.020892959027797697, 1e-12);
        close(p.safety_stock, 273.72018888952834, 1e-9);
        assert_eq!(p.order_qty, Some(1000.0));
        close(p.fill_rate.unwrap(), 0.9965232014582664, 1e-12);
        // Stockouts: 8000 / 1000 orders a year × 5 % = 0.4.
        close(p.stockouts_per_year.unwrap(), 0.4, 1e-12);
    }

    #[test]
    fn order_quantity_respects_moq_and_multiples() {
        let base = PolicyInputs {
            mean_demand: 1300.0,
            unit_cost: Some(1.0),
            holding_rate: 0.225,
            ordering_cost: 8.0,
            ..inputs()
        };
        // EOQ 304.05: multiples of 50 → 350; MOQ 500 wins over that.
        assert_eq!(compute(&PolicyInputs { order_multiple: 50.0, ..base }).order_qty, Some(350.0));
        assert_eq!(compute(&PolicyInputs { moq: 500.0, ..base }).order_qty, Some(500.0));
        // An order multiple ≤ 0 counts as 1.
        assert_eq!(compute(&PolicyInputs { order_multiple: 0.0, ..base }).order_qty, Some(305.0));
    }

    #[test]
    fn no_eoq_without_demand_or_holding_cost() {
        let p = compute(&PolicyInputs { mean_demand: 10.0, ..inputs() });
        assert_eq!((p.eoq, p.order_qty, p.max, p.fill_rate), (None, None, None, None));
        let p = compute(&PolicyInputs { unit_cost: Some(5.0), ..inputs() });
        assert_eq!((p.eoq, p.avg_inventory, p.stockouts_per_year), (None, None, None));
    }

    #[test]
    fn inventory_figures_follow_their_definitions() {
        let p = compute(&PolicyInputs {
            service_level: 0.98,
            mean_demand: 20.0,
            std_demand: 6.0,
            lead_time: 2.0,
            buckets_per_year: 365.25 / 7.0,
            unit_cost: Some(4.0),
            ..inputs()
        });
        let q = p.order_qty.unwrap();
        close(p.max.unwrap(), p.reorder_point + q, 1e-12);
        close(p.avg_inventory.unwrap(), p.safety_stock + q / 2.0, 1e-12);
        close(p.avg_inventory_value.unwrap(), 4.0 * (p.safety_stock + q / 2.0), 1e-12);
        close(
            p.days_of_supply.unwrap(),
            p.avg_inventory.unwrap() / (p.annual_demand / 365.25),
            1e-9,
        );
    }

    #[test]
    fn empirical_lead_time_demand_on_known_series() {
        let base =
            PolicyInputs { service_level: 0.9, lead_time: 2.0, mean_demand: 10.0, ..inputs() };
        // Constant 10 per bucket: every resample sums to 20 → ROP 20, SS 0, no shortage.
        let e = empirical(&[10.0; 8], &base, Some(5.0), 500, 3).unwrap();
        assert_eq!((e.reorder_point, e.safety_stock, e.fill_rate), (20.0, 0.0, Some(1.0)));
        // A fractional lead time adds that share of one more bucket.
        let e = empirical(&[10.0; 8], &PolicyInputs { lead_time: 1.5, ..base }, None, 100, 3);
        assert_eq!(e.unwrap().reorder_point, 15.0);
        // 0 or 10 with equal chance over one bucket: the 90 % quantile is 10.
        let half = PolicyInputs { lead_time: 1.0, mean_demand: 5.0, ..base };
        let e = empirical(&[0.0, 10.0, 0.0, 10.0], &half, Some(10.0), 2000, 3).unwrap();
        assert_eq!((e.reorder_point, e.safety_stock), (10.0, 5.0));
        assert_eq!(e.fill_rate, Some(1.0));
        assert!(empirical(&[], &base, None, 10, 1).is_none());
    }

    #[test]
    fn empirical_model_is_reproducible_for_a_seed() {
        let i = PolicyInputs { service_level: 0.95, lead_time: 3.0, lead_time_sd: 1.0, ..inputs() };
        let series = [0.0, 4.0, 0.0, 0.0, 9.0, 1.0, 0.0, 2.0];
        assert_eq!(empirical(&series, &i, None, 300, 9), empirical(&series, &i, None, 300, 9));
    }

    mod stage {
        use super::super::*;
        use crate::dataset::{Dataset, Lifecycle, Product};
        use crate::testing;

        /// One SKU `S` selling `weekly[w]` units at price 10 in week `w`
        /// (weeks with 0 have no line), with a products row.
        fn dataset(weekly: &[f64], product: Product) -> Dataset {
            let lines =
                weekly.iter().enumerate().filter(|(_, q)| **q > 0.0).map(|(w, &q)| testing::Line {
                    date: testing::week(w),
                    quantity: q,
                    price: Some(10.0),
                    ..Default::default()
                });
            let mut d = testing::dataset(lines);
            let sku = d.skus.intern("S");
            d.products.push(Product { sku, ..product });
            d
        }

        fn policy(d: &Dataset, config: &Config) -> Policy {
            let mut report = DqReport::default();
            let demand = crate::demand::build(d, config, &mut report);
            let classes = crate::classify::classify(d, &demand, config, None);
            build(d, &demand, &classes, config, &mut report).remove(0)
        }

        #[test]
        fn eol_products_run_out() {
            let d = dataset(
                &[5.0; 30],
                Product { lifecycle: Some(Lifecycle::Eol), ..Default::default() },
            );
            let p = policy(&d, &Config::default());
            assert_eq!(p.model, PolicyModel::RunOut);
            assert_eq!((p.safety_stock, p.reorder_point, p.order_qty), (0.0, 0.0, None));
        }

        #[test]
        fn new_items_are_low_confidence() {
            let mut weekly = vec![0.0; 30];
            weekly[0] = 1.0; // an old sale of the same SKU fixes the horizon…
            let d =
                dataset(&weekly, Product { lifecycle: Some(Lifecycle::New), ..Default::default() });
            assert!(policy(&d, &Config::default()).low_confidence);
            let d = dataset(&[5.0; 30], Product::default());
            assert!(!policy(&d, &Config::default()).low_confidence);
        }

        #[test]
        fn segment_can_switch_to_the_empirical_model() {
            let mut weekly = vec![0.0; 40];
            for (i, w) in weekly.iter_mut().enumerate() {
                if i % 3 == 0 {
                    *w = (i % 7) as f64 * 4.0 + 1.0;
                }
            }
            let d = dataset(&weekly, Product { lead_time_days: Some(14.0), ..Default::default() });
            let normal = policy(&d, &Config::default());
            assert_eq!(normal.model, PolicyModel::Normal);
            let e = normal.empirical.expect("intermittent SKUs get the empirical figures too");
            let mut config = Config::default();
            let segment = crate::classify::classify(
                &d,
                &crate::demand::build(&d, &config, &mut DqReport::default()),
                &config,
                None,
            )[0]
            .segment
            .clone();
            config.policy.models.insert(segment, PolicyModel::Empirical);
            let switched = policy(&d, &config);
            assert_eq!(switched.model, PolicyModel::Empirical);
            assert_eq!(switched.reorder_point, e.reorder_point);
            assert_ne!(switched.reorder_point, normal.reorder_point);
        }

        #[test]
        fn shelf_life_caps_max_and_overrides_win() {
            let product = Product {
                perishable: Some(true),
                shelf_life_days: Some(7.0),
                unit_cost: Some(1.0),
                ..Default::default()
            };
            let d = dataset(&[100.0; 20], product);
            let p = policy(&d, &Config::default());
            // A week of shelf life holds one week's demand; the cap never cuts below the ROP.
            assert_eq!(p.max, Some(p.reorder_point.max(100.0)));
            assert!(p.adjustments[0].contains("shelf life"), "{:?}", p.adjustments);
            let mut config = Config::default();
            config
                .policy
                .overrides
                .insert("S".into(), MinMaxOverride { min: Some(3.0), max: Some(9.0) });
            let p = policy(&d, &config);
            assert_eq!((p.reorder_point, p.max), (3.0, Some(9.0)));
        }
    }
}
