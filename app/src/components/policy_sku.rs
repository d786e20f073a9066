//! One SKU's view: its demand history with the one-step forecasts and the
//! next bucket's forecast, the backtest's errors, and its policy under the
//! normal and the empirical model side by side, with what it was computed
//! from.

use super::chart::{CanvasArea, ChartCanvas};
use super::policy_units::{pct, pct_opt, units, value_opt};
use crate::charts;
use crate::charts::history::{bucket_word, method_name};
use crate::format;
use crate::state::AppState;
use crate::worker_api::{model_label, SkuDetail};
use leptos::prelude::*;
use segscope_core::policy::{EmpiricalPolicy, Policy, PolicyModel};

/// The backtest's figures as `(name, text, test id)`: errors in units per
/// bucket, MASE without a unit.
pub fn accuracy(d: &SkuDetail) -> Vec<(String, String, &'static str)> {
    let unit = bucket_word(d.bucket);
    let per = |x: Option<f64>| {
        x.map_or_else(|| "–".into(), |x| format!("{} units / {unit}", format::fixed(x, 2)))
    };
    let bias = d.backtest.bias.map(|b| {
        let side = if b > 0.0 {
            " (over-forecast)"
        } else if b < 0.0 {
            " (under-forecast)"
        } else {
            ""
        };
        format!("{}{side}", per(Some(b)))
    });
    let method = if d.method_overridden {
        format!("{} (set for the segment)", method_name(&d.method))
    } else {
        format!("{} (default for {} demand)", method_name(&d.method), d.pattern)
    };
    vec![
        ("Forecast method".into(), method, "sku-detail-method"),
        (format!("Next {unit}"), per(d.next), "sku-detail-next"),
        ("MAE".into(), per(d.backtest.mae), "sku-detail-mae"),
        ("Bias".into(), bias.unwrap_or_else(|| "–".into()), "sku-detail-bias"),
        (
            "MASE".into(),
            d.backtest.mase.map_or_else(|| "–".into(), |m| format::fixed(m, 2)),
            "sku-detail-mase",
        ),
        (
            "Backtest".into(),
            format!(
                "one step ahead over the last {} {unit}s ({} forecasts)",
                d.backtest.holdout, d.backtest.origins
            ),
            "sku-detail-backtest",
        ),
    ]
}

/// The models table: rows of `(figure, normal, empirical)`.
pub fn model_rows(d: &SkuDetail) -> Vec<(&'static str, String, String)> {
    let p = &d.policy;
    let n = &d.normal;
    // The empirical figures: the policy's own when that model is in use.
    let e: Option<EmpiricalPolicy> = match p.model {
        PolicyModel::Empirical => Some(EmpiricalPolicy {
            reorder_point: p.reorder_point,
            safety_stock: p.safety_stock,
            fill_rate: p.fill_rate,
        }),
        PolicyModel::RunOut => None,
        PolicyModel::Normal => p.empirical,
    };
    let dash = || "–".to_string();
    vec![
        (
            "Safety stock (units)",
            units(Some(n.safety_stock)),
            e.map_or_else(dash, |e| units(Some(e.safety_stock))),
        ),
        (
            "Reorder point (units)",
            units(Some(n.reorder_point)),
            e.map_or_else(dash, |e| units(Some(e.reorder_point))),
        ),
        (
            "Safety stock value",
            value_opt(n.safety_stock_value),
            e.map_or_else(dash, |_| value_opt(d.empirical_safety_stock_value)),
        ),
        ("Fill rate", pct_opt(n.fill_rate, 2), e.map_or_else(dash, |e| pct_opt(e.fill_rate, 2))),
    ]
}

/// What the policy was computed from, in one sentence; the unit cost and
/// holding rate only `with_values` (for a role that sees stock values).
pub fn inputs_line(d: &SkuDetail, with_values: bool) -> String {
    let p: &Policy = &d.policy;
    let i = &p.inputs;
    let unit = bucket_word(d.bucket);
    let days = d.bucket.days();
    let mut parts = vec![
        format!(
            "mean demand {} units / {unit} (σ {})",
            format::fixed(i.mean_demand, 2),
            format::fixed(i.std_demand, 2)
        ),
        format!(
            "lead time {} days (σ {} days)",
            format::quantity((i.lead_time * days * 10.0).round() / 10.0),
            format::quantity((i.lead_time_sd * days * 10.0).round() / 10.0)
        ),
    ];
    if with_values {
        parts.push(match i.unit_cost {
            Some(c) => format!("unit cost {}", format::money(c)),
            None => "no unit cost".into(),
        });
        parts.push(format!("holding rate {} % a year", format::quantity(i.holding_rate * 100.0)));
    }
    if let Some(q) = p.order_qty {
        parts.push(format!(
            "order quantity {} units (MOQ {}, multiple {})",
            units(Some(q)),
            format::quantity(i.moq),
            format::quantity(i.order_multiple)
        ));
    }
    if let Some(max) = p.max {
        parts.push(format!("max {} units", units(Some(max))));
    }
    if let Some(days) = p.days_of_supply {
        parts.push(format!("{} days of supply", format::fixed(days, 0)));
    }
    let mut line = format!("Computed from {}.", parts.join(", "));
    if p.low_confidence {
        line.push_str(" Too little history: the variability is the category's.");
    }
    line
}

/// The SKU view of `selected`.
#[component]
pub fn SkuView(
    /// The SKU chosen in the table.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The page draws the view again for another role.
    let sees_values = segscope_core::roles::sees_stock_values(state.role.get_untracked());
    let current = move || {
        let sku = selected.get()?;
        state.sku_detail.with(|v| v.as_ref().filter(|v| v.sku == sku).cloned())
    };
    let draw = move |area: &CanvasArea| {
        state.sku_detail.with(|v| {
            match v.as_ref().and_then(|v| v.detail.as_ref().map(|d| (&v.sku, d))) {
                Some((sku, d)) => charts::history::draw(area, sku, d).map_err(|e| format!("{e:?}")),
                None => Ok(()),
            }
        })
    };
    let body = move || match (selected.get(), current()) {
        (None, _) => view! {
            <p class="help">
                "Choose a SKU in the table (click it, or focus it and press Enter) to see its \
                 demand history, forecast, backtest and both policy models."
            </p>
        }
        .into_any(),
        (Some(sku), None) => {
            view! { <p class="help">{format!("Looking up {sku}…")}</p> }.into_any()
        }
        (Some(sku), Some(v)) => match v.detail {
            None => view! { <p>{format!("{sku} is not in the current analysis.")}</p> }.into_any(),
            Some(d) => {
                let p = &d.policy;
                let heading = format!(
                    "{sku} · segment {} · {} demand · {} model at {}",
                    d.segment,
                    d.pattern,
                    model_label(p.model),
                    pct(p.service_level, 1)
                );
                let facts = accuracy(&d)
                    .into_iter()
                    .map(|(name, text, id)| view! { <dt>{name}</dt><dd data-testid=id>{text}</dd> })
                    .collect_view();
                let normal_used = p.model == PolicyModel::Normal;
                let empirical_used = p.model == PolicyModel::Empirical;
                let rows = model_rows(&d)
                    .into_iter()
                    .filter(|r| sees_values || r.0 != "Safety stock value")
                    .map(|(name, n, e)| {
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td class="num" class:in-use=normal_used>{n}</td>
                                <td class="num" class:in-use=empirical_used>{e}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let run_out = (p.model == PolicyModel::RunOut).then(|| view! {
                    <p class="help">"End of life: a run-out policy — no reorder and no safety stock; the figures show what the models would hold."</p>
                });
                let adjustments = (!p.adjustments.is_empty()).then(|| view! {
                    <ul class="notes">{p.adjustments.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                });
                let use_note = |used: bool| if used { " (in use)" } else { "" };
                view! {
                    <h3 data-testid="sku-detail-heading">{heading}</h3>
                    <div class="sku-detail-body">
                        <dl class="facts">{facts}</dl>
                        <div>
                            <table class="models" data-testid="sku-detail-models">
                                <thead>
                                    <tr>
                                        <td></td>
                                        <th scope="col" class="num">{format!("Normal{}", use_note(normal_used))}</th>
                                        <th scope="col" class="num">{format!("Empirical{}", use_note(empirical_used))}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                            {run_out}
                            <p class="help" data-testid="sku-detail-inputs">{inputs_line(&d, sees_values)}</p>
                            {adjustments}
                        </div>
                    </div>
                }
                .into_any()
            }
        },
    };
    let has_detail = move || current().is_some_and(|v| v.detail.is_some());
    let chart_label = move || {
        state.sku_detail.with(|v| {
            v.as_ref()
                .and_then(|v| v.detail.as_ref().map(|d| charts::history::title(&v.sku, d)))
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card sku-detail" data-testid="sku-detail" aria-labelledby="sku-detail-title" aria-live="polite">
            <h2 id="sku-detail-title">"SKU view"</h2>
            {body}
            <div class="chart" class:hidden=move || !has_detail()>
                <ChartCanvas width=900 height=300 testid="history-chart" label=Signal::derive(chart_label) draw=draw />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segscope_core::forecast::backtest::Backtest;
    use segscope_core::policy::{compute, PolicyInputs};
    use segscope_core::Bucket;

    fn detail(model: PolicyModel) -> SkuDetail {
        let inputs = PolicyInputs {
            service_level: 0.9,
            mean_demand: 2.0,
            std_demand: 3.0,
            lead_time: 2.0,
            lead_time_sd: 0.5,
            buckets_per_year: 365.25 / 7.0,
            unit_cost: Some(4.0),
            holding_rate: 0.25,
            ordering_cost: 50.0,
            moq: 1.0,
            order_multiple: 1.0,
        };
        let normal = compute(&inputs);
        let mut policy = normal.clone();
        policy.model = model;
        policy.empirical =
            Some(EmpiricalPolicy { reorder_point: 6.0, safety_stock: 2.0, fill_rate: Some(0.95) });
        if model == PolicyModel::Empirical {
            policy.safety_stock = 2.0;
            policy.reorder_point = 6.0;
        }
        SkuDetail {
            segment: "CZ".into(),
            pattern: "lumpy".into(),
            bucket: Bucket::Week,
            bucket_starts: vec![],
            history: vec![],
            fitted: vec![],
            next: Some(1.84),
            next_start: None,
            method: "sba".into(),
            method_overridden: false,
            backtest: Backtest {
                holdout: 13,
                origins: 13,
                mae: Some(2.5),
                bias: Some(-0.4),
                mase: Some(0.82),
                mean_actual: Some(2.0),
            },
            policy,
            normal,
            empirical_safety_stock_value: Some(8.0),
        }
    }

    #[test]
    fn accuracy_names_method_errors_with_units_and_mase() {
        let rows = accuracy(&detail(PolicyModel::Normal));
        let text = |id: &str| rows.iter().find(|r| r.2 == id).unwrap().1.clone();
        assert_eq!(text("sku-detail-method"), "SBA (default for lumpy demand)");
        assert_eq!(text("sku-detail-mae"), "2.50 units / week");
        assert_eq!(text("sku-detail-bias"), "-0.40 units / week (under-forecast)");
        assert_eq!(text("sku-detail-mase"), "0.82");
        assert_eq!(text("sku-detail-next"), "1.84 units / week");
    }

    #[test]
    fn both_models_are_shown_whichever_is_in_use() {
        for model in [PolicyModel::Normal, PolicyModel::Empirical] {
            let d = detail(model);
            let rows = model_rows(&d);
            assert_eq!(rows[0].2, "2.0", "{model:?}");
            assert_eq!(rows[1].2, "6.0", "{model:?}");
            assert_eq!(rows[0].1, units(Some(d.normal.safety_stock)), "{model:?}");
            assert_eq!(rows[2].2, "8.00", "{model:?}");
        }
        let rows = model_rows(&detail(PolicyModel::RunOut));
        assert_eq!(rows[0].2, "–");
    }

    #[test]
    fn the_inputs_are_in_days_and_units() {
        let line = inputs_line(&detail(PolicyModel::Normal), true);
        let without = inputs_line(&detail(PolicyModel::Normal), false);
        assert!(!without.contains("cost") && without.contains("lead time"), "{without}");
        assert!(line.contains("lead time 14 days (σ 3.5 days)"), "{line}");
        assert!(line.contains("mean demand 2.00 units / week"), "{line}");
        assert!(line.contains("unit cost 4.00"), "{line}");
    }
}
