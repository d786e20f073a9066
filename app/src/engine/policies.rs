//! The Policies page's views, built from one `Analysis`: working capital
//! and the efficient frontier per segment, the per-SKU policy table as
//! columns, and on request a what-if or one SKU's history, forecast and
//! policy. New service levels and models recompute the policy stage alone
//! (core's `set_policy_targets`) on the analysis in memory.
//!
//! Every figure is core's: policies, summaries, what-ifs, frontiers,
//! forecasts and backtests come from `segscope-core`; this module only
//! picks and orders them, and sums per-SKU or per-segment values into
//! totals. The normal model's figures of a SKU on the empirical model are
//! core's `policy::compute` on the policy's own inputs.

use super::Engine;
use crate::worker_api::{
    model_index, PoliciesView, PolicyColumns, PolicyDefaults, PolicyTotals, Request, Response,
    SegmentPolicyRow, SkuDetail, SkuDetailView, SlowMovers, Texts, WhatIfView, PATTERNS,
};
use segscope_core::classify::pattern::Pattern;
use segscope_core::config::Config;
use segscope_core::forecast::{self, ForecastParams};
use segscope_core::policy::working_capital::{self, OnHandComparison};
use segscope_core::policy::{self, Detail, Policy, PolicyModel};
use segscope_core::{analysis::set_policy_targets, Analysis, Dataset};
use std::collections::BTreeMap;

impl Engine {
    /// Handles the Policies page's requests ([`Request::SetPolicy`],
    /// [`Request::WhatIf`], [`Request::SkuDetail`]), each with its one
    /// final answer; any other request is left alone.
    pub(super) fn handle_policy(&mut self, request: Request, emit: &mut dyn FnMut(Response)) {
        match request {
            Request::SetPolicy { service_levels, models } => {
                self.set_policy(service_levels, models, emit);
                emit(Response::Workspace(Box::new(self.view())));
            }
            Request::WhatIf { segment, service_level } => {
                emit(progress(&format!("What if {segment} were at another service level")));
                let result = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => {
                        working_capital::what_if(&l.dataset, a, &segment, service_level)
                            .map_err(|e| e.to_string())
                    }
                    _ => Err("Load data first.".into()),
                };
                let view = WhatIfView { segment, service_level, result, revision: self.revision };
                emit(Response::WhatIf(Box::new(view)));
            }
            Request::SkuDetail { sku } => {
                self.add_sku_detail(&sku);
                let detail = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => sku_detail(&l.dataset, a, &sku),
                    _ => None,
                };
                let view = SkuDetailView { sku, revision: self.revision, detail };
                emit(Response::SkuDetail(Box::new(view)));
            }
            _ => {}
        }
    }

    /// Takes new service levels (over the configured ones) and models
    /// (instead of them): checked by core, then the
    /// policy stage runs again on the analysis in memory (nothing is parsed
    /// or classified again). Refused settings change nothing.
    fn set_policy(
        &mut self,
        service_levels: BTreeMap<String, f64>,
        models: BTreeMap<String, PolicyModel>,
        emit: &mut dyn FnMut(Response),
    ) {
        let mut config = self.config.clone();
        config.policy.service_levels.extend(service_levels);
        config.policy.models = models;
        if let Err(message) = config.validate() {
            emit(Response::PolicyRejected { message });
            return;
        }
        self.config = config;
        if let (Some(loaded), Some(analysis)) = (&self.loaded, &mut self.analysis) {
            emit(progress("Recomputing the inventory policies"));
            let p = &self.config.policy;
            let (levels, models) = (p.service_levels.clone(), p.models.clone());
            set_policy_targets(&loaded.dataset, analysis, levels, models);
        }
        self.send_policies(emit);
    }

    /// Whether the analysis still lacks informational empirical figures
    /// ([`Engine::add_policy_detail`] adds them).
    pub fn policy_detail_pending(&self) -> bool {
        self.analysis.as_ref().is_some_and(|a| a.detail() == Detail::PolicyOnly)
    }

    /// Adds the informational empirical figures of the next
    /// [`DETAIL_SLICE`] SKUs to the analysis's policies; once every SKU has
    /// them, sends the Policies view again. The worker calls it between
    /// requests, so that the bootstrap of tens of thousands of slow movers
    /// runs without holding up the views or the next request.
    pub fn add_policy_detail(&mut self, emit: &mut dyn FnMut(Response)) {
        let Some(analysis) = &mut self.analysis else { return };
        if analysis.detail() == Detail::Full || analysis.add_policy_detail(DETAIL_SLICE) {
            return;
        }
        self.send_policies(emit);
    }

    /// Adds one SKU's informational empirical figures now, for its SKU view.
    fn add_sku_detail(&mut self, sku: &str) {
        let (Some(loaded), Some(a)) = (&self.loaded, &mut self.analysis) else { return };
        let codes = &loaded.dataset.skus;
        if let Some(row) = a.demand.series.skus.iter().position(|&s| codes.name(s) == sku) {
            policy::add_informational(
                &a.demand,
                &a.classes,
                &a.config,
                &mut a.policies,
                row..row + 1,
            );
        }
    }

    /// Sends the Policies view of the current analysis.
    pub(super) fn send_policies(&mut self, emit: &mut dyn FnMut(Response)) {
        if let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) {
            self.revision += 1;
            emit(progress("Computing the efficient frontiers"));
            emit(Response::Policies(Box::new(view(&loaded.dataset, analysis, self.revision))));
        }
    }
}

/// SKUs per step of [`Engine::add_policy_detail`]: about a tenth of a
/// second of bootstrap in the browser, the longest a request waits.
const DETAIL_SLICE: usize = 256;

fn progress(stage: &str) -> Response {
    super::progress(stage, None)
}

/// Whether a SKU's demand pattern makes it a slow mover (both models'
/// figures are computed for it).
fn slow(pattern: Pattern) -> bool {
    matches!(pattern, Pattern::Intermittent | Pattern::Lumpy)
}

/// The policy of the normal model at a policy's own inputs: the policy
/// itself unless the empirical model set it.
fn normal_of(p: &Policy) -> Policy {
    match p.model {
        PolicyModel::Empirical => policy::compute(&p.inputs),
        _ => p.clone(),
    }
}

/// The empirical model's safety stock (units) of a policy, where computed.
fn empirical_safety_stock(p: &Policy) -> Option<f64> {
    match p.model {
        PolicyModel::RunOut => None,
        _ => p.empirical.map(|e| e.safety_stock),
    }
}

/// The whole view of the Policies page.
pub fn view(data: &Dataset, analysis: &Analysis, revision: u64) -> PoliciesView {
    let config = &analysis.config;
    let order = segscope_core::classify::rank_order(&analysis.classes);
    let segments: Vec<SegmentPolicyRow> = analysis
        .segment_policies
        .iter()
        .map(|s| SegmentPolicyRow {
            model: config.policy.models.get(&s.segment).copied().unwrap_or_default(),
            slow: slow_movers(analysis, &s.segment),
            frontier: working_capital::frontier(data, analysis, &s.segment),
            summary: s.clone(),
        })
        .collect();
    let p = &config.policy;
    PoliciesView {
        revision,
        bucket: config.bucket,
        service_levels: p.service_levels.clone(),
        default_service_levels: Config::default().policy.service_levels,
        models: p.models.clone(),
        totals: totals(&segments),
        segments,
        defaults: PolicyDefaults {
            lead_time_days: p.lead_time_days,
            lead_time_sd_days: p.lead_time_sd_days,
            holding_rate: p.holding_rate,
            ordering_cost: p.ordering_cost,
            bootstrap_samples: p.bootstrap_samples,
        },
        table: table(data, analysis, &order),
        empirical_pending: analysis.detail() == Detail::PolicyOnly,
        more_rows: false,
    }
}

/// Both models' safety stock value over the segment's slow movers that
/// have a unit cost and the empirical figures.
fn slow_movers(analysis: &Analysis, segment: &str) -> SlowMovers {
    let mut s = SlowMovers::default();
    let rows = analysis.classes.iter().zip(&analysis.policies).zip(&analysis.demand.skus);
    for ((class, p), sku) in rows {
        if class.segment != segment || !slow(class.pattern.pattern) {
            continue;
        }
        let (Some(cost), Some(empirical)) = (sku.unit_cost, empirical_safety_stock(p)) else {
            continue;
        };
        s.skus += 1;
        s.normal_safety_stock_value += normal_of(p).safety_stock * cost;
        s.empirical_safety_stock_value += empirical * cost;
    }
    s
}

/// The segments' sums.
fn totals(segments: &[SegmentPolicyRow]) -> PolicyTotals {
    let mut t = PolicyTotals::default();
    for s in segments.iter().map(|s| &s.summary) {
        t.skus += s.skus;
        t.safety_stock_value += s.safety_stock_value;
        t.avg_inventory_value += s.avg_inventory_value;
        t.stockouts_per_year += s.stockouts_per_year;
        t.skus_without_cost += s.skus_without_cost;
        if let Some(c) = &s.on_hand {
            let total = t.on_hand.get_or_insert_with(OnHandComparison::default);
            total.skus += c.skus;
            total.current_value += c.current_value;
            total.target_value += c.target_value;
            total.cash_released += c.cash_released;
        }
    }
    t
}

/// Rounds a figure for the table to a thousandth: the page shows at most
/// two decimals, and shorter numbers keep a 50,000-SKU message small.
fn short(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn short_opt(x: Option<f64>) -> Option<f64> {
    x.map(short)
}

/// The per-SKU policy table, in rank order.
fn table(data: &Dataset, analysis: &Analysis, order: &[usize]) -> PolicyColumns {
    let n = order.len();
    let mut t = PolicyColumns {
        sku: Texts::with_capacity(n, 8 * n),
        segment: Texts::with_capacity(n, 2 * n),
        pattern: Vec::with_capacity(n),
        model: Vec::with_capacity(n),
        service_level: Vec::with_capacity(n),
        normal_safety_stock: Vec::with_capacity(n),
        empirical_safety_stock: Vec::with_capacity(n),
        reorder_point: Vec::with_capacity(n),
        order_qty: Vec::with_capacity(n),
        max: Vec::with_capacity(n),
        safety_stock_value: Vec::with_capacity(n),
        avg_inventory_value: Vec::with_capacity(n),
        days_of_supply: Vec::with_capacity(n),
        fill_rate: Vec::with_capacity(n),
        stockouts_per_year: Vec::with_capacity(n),
        low_confidence: Vec::with_capacity(n),
    };
    for &r in order {
        let (s, c, p) = (&analysis.demand.skus[r], &analysis.classes[r], &analysis.policies[r]);
        let pattern = c.pattern.pattern.name();
        t.sku.push(data.skus.name(s.sku));
        t.segment.push(&c.segment);
        t.pattern.push(PATTERNS.iter().position(|x| *x == pattern).unwrap_or(4) as u8);
        t.model.push(model_index(p.model));
        t.service_level.push(p.service_level);
        t.normal_safety_stock.push(short(match p.model {
            PolicyModel::Empirical => policy::compute(&p.inputs).safety_stock,
            _ => p.safety_stock,
        }));
        t.empirical_safety_stock.push(short_opt(empirical_safety_stock(p)));
        t.reorder_point.push(short(p.reorder_point));
        t.order_qty.push(short_opt(p.order_qty));
        t.max.push(short_opt(p.max));
        t.safety_stock_value.push(short_opt(p.safety_stock_value));
        t.avg_inventory_value.push(short_opt(p.avg_inventory_value));
        t.days_of_supply.push(short_opt(p.days_of_supply));
        t.fill_rate.push(p.fill_rate.map(|f| (f * 1e6).round() / 1e6));
        t.stockouts_per_year.push(short_opt(p.stockouts_per_year));
        t.low_confidence.push(p.low_confidence);
    }
    t
}

/// One SKU's history, forecast, backtest and policy; `None` for a code not
/// in the analysis.
pub fn sku_detail(data: &Dataset, analysis: &Analysis, sku: &str) -> Option<Box<SkuDetail>> {
    let row = analysis.demand.skus.iter().position(|s| data.skus.name(s.sku) == sku)?;
    let series = &analysis.demand.series;
    let history = series.demand.get(row * series.n..(row + 1) * series.n)?.to_vec();
    let (class, p, f) =
        (analysis.classes.get(row)?, analysis.policies.get(row)?, analysis.forecasts.get(row)?);
    let params = ForecastParams::from_config(&analysis.config);
    let fitted = forecast::forecast(&history, f.method, &params).fitted;
    Some(Box::new(SkuDetail {
        segment: class.segment.clone(),
        pattern: class.pattern.pattern.name().to_owned(),
        bucket: series.bucket,
        bucket_starts: (0..series.n).map(|t| series.bucket_start(t)).collect(),
        next_start: (series.n > 0).then(|| series.bucket_start(series.n)),
        history,
        fitted,
        next: f.next,
        method: f.method.name().to_owned(),
        method_overridden: f.overridden,
        backtest: f.backtest,
        normal: normal_of(p),
        empirical_safety_stock_value: empirical_safety_stock(p)
            .zip(p.inputs.unit_cost)
            .map(|(ss, cost)| ss * cost),
        policy: p.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::{Request, Response};
    use segscope_core::FileKind;

    /// Twelve SKUs over 40 weeks: steady sellers (A…), erratic ones and
    /// slow movers that sell every fourth or fifth week, with products
    /// (unit cost, lead time, on hand).
    fn files() -> (String, String) {
        let mut orders = String::from("Order ID,Date,SKU,Qty,Sales\n");
        let mut products = String::from("sku,unit_cost,lead_time_days,on_hand\n");
        for k in 0..12 {
            for week in 0..40 {
                let day = 1 + 7 * week;
                let date = segscope_core::Date(
                    segscope_core::Date::from_ymd(2024, 1, 1).unwrap().0 + day - 1,
                );
                let q = match k % 3 {
                    0 => 20 + (week * (k + 3)) % 9,
                    1 => [1, 15, 3, 30, 2][(week + k) as usize % 5],
                    _ if (week + k) % 4 == 0 => 5 + (week * k) % 11,
                    _ => 0,
                };
                if q > 0 {
                    orders += &format!("{k}-{week},{date},S{k:02},{q},{}\n", q * (10 + k));
                }
            }
            products += &format!("S{k:02},{},{},{}\n", 4 + k, 7 + 2 * k, 30 * k);
        }
        (orders, products)
    }

    /// Handles a request, then — as the worker does between requests —
    /// adds the informational figures until none are pending.
    fn run(engine: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<Response> {
        let mut sent = run_alone(engine, request, bytes);
        while engine.policy_detail_pending() {
            engine.add_policy_detail(&mut |r| sent.push(r));
        }
        sent
    }

    /// Handles a request and nothing more.
    fn run_alone(engine: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<Response> {
        let mut sent = Vec::new();
        engine.handle(request, bytes.map(|b| b.as_bytes().to_vec()), &mut |r| sent.push(r));
        sent
    }

    #[test]
    fn the_informational_figures_follow_the_views_and_a_sku_view_gets_them_at_once() {
        let (mut e, sent) = products_then_orders(run_alone);
        let first = policies(&sent).expect("a policies view").clone();
        assert!(first.empirical_pending);
        assert!(first.table.empirical_safety_stock.iter().all(Option::is_none));
        assert!(matches!(sent.last(), Some(Response::Workspace(_))), "the request is answered");
        // A SKU view asked for in the meantime has its figures.
        let slow = (0..first.table.sku.len())
            .find(|&i| {
                matches!(PATTERNS[first.table.pattern[i] as usize], "intermittent" | "lumpy")
            })
            .expect("a slow mover");
        let sku = first.table.sku[slow].to_owned();
        let sent = run_alone(&mut e, Request::SkuDetail { sku }, None);
        let detail = sent.iter().find_map(|r| match r {
            Response::SkuDetail(v) => v.detail.clone(),
            _ => None,
        });
        assert!(detail.expect("a SKU view").policy.empirical.is_some());
        // The steps between requests end with the view sent again, complete.
        let mut later = Vec::new();
        while e.policy_detail_pending() {
            e.add_policy_detail(&mut |r| later.push(r));
        }
        let last = policies(&later).expect("the policies view again");
        assert!(!last.empirical_pending);
        assert_eq!(last.table.sku, first.table.sku);
        assert!(last.table.empirical_safety_stock[slow].is_some());
        assert_eq!(later.iter().filter(|r| matches!(r, Response::Policies(_))).count(), 1);
    }

    /// An engine given the products file, then the orders file through
    /// `load_orders`; what the orders file's request sent.
    fn products_then_orders(load_orders: Runner) -> (Engine, Vec<Response>) {
        let (orders, products) = files();
        let mut e = Engine::new(None);
        let request = Request::LoadFile { kind: FileKind::Products, name: "p.csv".into() };
        run(&mut e, request, Some(&products));
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        let sent = load_orders(&mut e, request, Some(&orders));
        (e, sent)
    }

    /// [`run`] or [`run_alone`].
    type Runner = fn(&mut Engine, Request, Option<&str>) -> Vec<Response>;

    fn loaded() -> (Engine, PoliciesView) {
        let (e, sent) = products_then_orders(run);
        let view = policies(&sent).expect("a policies view").clone();
        (e, view)
    }

    fn policies(sent: &[Response]) -> Option<&PoliciesView> {
        sent.iter().rev().find_map(|r| match r {
            Response::Policies(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn an_analysis_sends_the_policies_before_the_workspace() {
        let (orders, _) = files();
        let mut e = Engine::new(None);
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        let sent = run(&mut e, request, Some(&orders));
        let at = |f: fn(&Response) -> bool| sent.iter().position(f);
        let segments = at(|r| matches!(r, Response::Segments(_))).unwrap();
        let policies = at(|r| matches!(r, Response::Policies(_))).unwrap();
        let workspace = at(|r| matches!(r, Response::Workspace(_))).unwrap();
        assert!(segments < policies && policies < workspace, "{segments} {policies} {workspace}");
    }

    #[test]
    fn segment_rows_are_cores_summaries_and_totals_their_sums() {
        let (e, view) = loaded();
        let a = e.analysis.as_ref().unwrap();
        let summaries: Vec<_> = view.segments.iter().map(|s| s.summary.clone()).collect();
        assert_eq!(summaries, a.segment_policies);
        assert_eq!(view.totals.skus, 12);
        assert_eq!(view.skus(), 12);
        let sum: f64 = a.policies.iter().filter_map(|p| p.avg_inventory_value).sum();
        assert!(close(view.totals.avg_inventory_value, sum), "{view:?}");
        let on_hand = view.totals.on_hand.as_ref().expect("on hand from products");
        // S00 has 0 on hand; every SKU has a cost.
        assert_eq!(on_hand.skus, 12);
        assert!(close(on_hand.cash_released, on_hand.current_value - on_hand.target_value));
        for s in &view.segments {
            assert_eq!(
                s.frontier.len(),
                working_capital::FRONTIER_LEVELS.len(),
                "{}",
                s.summary.segment
            );
        }
        assert_eq!(view.service_levels.get("AX"), Some(&0.98));
    }

    #[test]
    fn slow_movers_show_both_models() {
        let (_, view) = loaded();
        let t = &view.table;
        let slow_rows: Vec<usize> = (0..t.sku.len())
            .filter(|&i| matches!(PATTERNS[t.pattern[i] as usize], "intermittent" | "lumpy"))
            .collect();
        assert!(!slow_rows.is_empty(), "{:?}", t.pattern);
        for &i in &slow_rows {
            assert!(t.empirical_safety_stock[i].is_some(), "{}", &t.sku[i]);
        }
        let with_slow: usize = view.segments.iter().map(|s| s.slow.skus).sum();
        assert_eq!(with_slow, slow_rows.len());
    }

    #[test]
    fn raising_a_service_level_recomputes_from_memory_and_adds_safety_stock() {
        let (mut e, before) = loaded();
        let segment = before.segments[0].summary.segment.clone();
        let mut levels = before.service_levels.clone();
        levels.insert(segment.clone(), 0.995);
        let request = Request::SetPolicy { service_levels: levels, models: Default::default() };
        let sent = run(&mut e, request, None);
        assert!(!sent.iter().any(|r| matches!(r, Response::Segments(_))), "no reclassification");
        assert!(!sent
            .iter()
            .any(|r| matches!(r, Response::Progress(p) if p.stage.starts_with("Reading"))));
        assert!(matches!(sent.last(), Some(Response::Workspace(_))));
        let after = policies(&sent).expect("a policies view");
        assert!(after.revision > before.revision);
        let (b, a) =
            (&before.segment(&segment).unwrap().summary, &after.segment(&segment).unwrap().summary);
        assert_eq!(a.service_level, 0.995);
        assert!(a.safety_stock_value > b.safety_stock_value, "{b:?} {a:?}");
        // The new level stays for the next analysis.
        assert_eq!(e.config.service_level(&segment), 0.995);
    }

    #[test]
    fn the_empirical_model_changes_a_slow_segments_policy() {
        let (mut e, before) = loaded();
        let slow = before.segments.iter().find(|s| s.slow.skus > 0).expect("a slow segment");
        let label = slow.summary.segment.clone();
        let models = [(label.clone(), PolicyModel::Empirical)].into();
        let request = Request::SetPolicy { service_levels: before.service_levels.clone(), models };
        let after = policies(&run(&mut e, request, None)).unwrap().clone();
        let row = after.segment(&label).unwrap();
        assert_eq!(row.model, PolicyModel::Empirical);
        assert_ne!(row.summary.safety_stock_value, slow.summary.safety_stock_value);
        // The slow movers' normal figures stay what they were.
        assert!(close(row.slow.normal_safety_stock_value, slow.slow.normal_safety_stock_value));
        let t = &after.table;
        let i = t.segment.iter().position(|s| *s == label).unwrap();
        assert_eq!(crate::worker_api::MODELS[t.model[i] as usize], PolicyModel::Empirical);
    }

    #[test]
    fn refused_levels_say_why_and_change_nothing() {
        let (mut e, before) = loaded();
        let mut levels = before.service_levels.clone();
        levels.insert("AX".into(), 1.2);
        let request = Request::SetPolicy { service_levels: levels, models: Default::default() };
        let sent = run(&mut e, request, None);
        assert!(matches!(&sent[0], Response::PolicyRejected { message } if message.contains("AX")));
        assert!(policies(&sent).is_none());
        assert!(matches!(sent.last(), Some(Response::Workspace(_))));
        assert_eq!(e.config.service_level("AX"), 0.98);
    }

    #[test]
    fn a_what_if_is_cores_and_names_its_revision() {
        let (mut e, view) = loaded();
        let segment = view.segments[0].summary.segment.clone();
        let sent =
            run(&mut e, Request::WhatIf { segment: segment.clone(), service_level: 0.99 }, None);
        let Some(Response::WhatIf(w)) = sent.last() else { panic!("{sent:?}") };
        let a = e.analysis.as_ref().unwrap();
        let data = &e.loaded.as_ref().unwrap().dataset;
        assert_eq!(w.result, Ok(working_capital::what_if(data, a, &segment, 0.99).unwrap()));
        assert_eq!(w.revision, view.revision);
        let sent = run(&mut e, Request::WhatIf { segment: "QQ".into(), service_level: 0.9 }, None);
        assert!(matches!(sent.last(), Some(Response::WhatIf(w)) if w.result.is_err()));
    }

    #[test]
    fn a_sku_view_has_history_forecast_backtest_and_both_models() {
        let (mut e, _) = loaded();
        let sent = run(&mut e, Request::SkuDetail { sku: "S02".into() }, None);
        let Some(Response::SkuDetail(v)) = sent.last() else { panic!("{sent:?}") };
        let d = v.detail.as_ref().expect("S02 is analysed");
        assert_eq!(d.history.len(), d.bucket_starts.len());
        assert_eq!(d.fitted.len(), d.history.len());
        assert_eq!(d.bucket_starts[0].to_string(), "2024-01-01");
        assert_eq!(d.pattern, "intermittent");
        assert_eq!(d.method, "sba");
        assert!(d.backtest.mase.is_some() && d.next.is_some());
        assert!(d.policy.empirical.is_some());
        assert_eq!(d.normal.model, PolicyModel::Normal);
        let sent = run(&mut e, Request::SkuDetail { sku: "nope".into() }, None);
        assert!(matches!(sent.last(), Some(Response::SkuDetail(v)) if v.detail.is_none()));
    }

    #[test]
    fn without_data_requests_still_get_an_answer() {
        let mut e = Engine::new(None);
        let sent = run(&mut e, Request::WhatIf { segment: "AX".into(), service_level: 0.9 }, None);
        assert!(matches!(sent.last(), Some(Response::WhatIf(w)) if w.result.is_err()));
        let sent = run(
            &mut e,
            Request::SetPolicy { service_levels: Default::default(), models: Default::default() },
            None,
        );
        assert!(matches!(sent.last(), Some(Response::Workspace(v)) if !v.has_data()));
    }
}
