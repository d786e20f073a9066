//! The service-level trade-off of one segment: its efficient frontier
//! (inventory value against service level, current level marked) and a
//! what-if at another level. The slider shows its level while it moves and
//! asks the worker only when it is let go (or a typed level is committed):
//! a segment on the empirical model re-runs its bootstrap for a what-if.

use super::chart::{CanvasArea, ChartCanvas};
use super::policy_units::{
    level_text, parse_level, pct, pct_opt, signed, signed_pp, value, MAX_LEVEL, MIN_LEVEL,
};
use crate::charts;
use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::{model_label, Request};
use leptos::prelude::*;
use segscope_core::policy::working_capital::WhatIf;
use std::time::Duration;

/// How long after the last committed change a what-if is asked for.
const ASK_AFTER: Duration = Duration::from_millis(200);

/// The rows of the what-if table: name, unit, then before, after and
/// change as text, and the change's test id.
pub fn what_if_rows(w: &WhatIf) -> Vec<(&'static str, [String; 3], &'static str)> {
    let (b, a) = (&w.before, &w.after);
    let mut rows = vec![
        (
            "Service level",
            [
                pct(b.service_level, 1),
                pct(a.service_level, 1),
                signed_pp(a.service_level - b.service_level),
            ],
            "what-if-delta-level",
        ),
        (
            "Safety stock value",
            [
                value(b.safety_stock_value),
                value(a.safety_stock_value),
                signed(w.delta_safety_stock_value, 0),
            ],
            "what-if-delta-safety",
        ),
        (
            "Average inventory value",
            [
                value(b.avg_inventory_value),
                value(a.avg_inventory_value),
                signed(w.delta_inventory_value, 0),
            ],
            "what-if-delta-inventory",
        ),
        (
            "Fill rate",
            [
                pct_opt(b.fill_rate, 2),
                pct_opt(a.fill_rate, 2),
                w.delta_fill_rate.map_or_else(|| "–".into(), signed_pp),
            ],
            "what-if-delta-fill-rate",
        ),
        (
            "Stockouts per year",
            [
                format::fixed(b.stockouts_per_year, 1),
                format::fixed(a.stockouts_per_year, 1),
                signed(w.delta_stockouts, 1),
            ],
            "what-if-delta-stockouts",
        ),
    ];
    if let (Some(x), Some(y)) = (&b.on_hand, &a.on_hand) {
        rows.push((
            "Cash released by stock on hand",
            [
                signed(x.cash_released, 0),
                signed(y.cash_released, 0),
                signed(y.cash_released - x.cash_released, 0),
            ],
            "what-if-delta-cash",
        ));
    }
    rows
}

/// The frontier chart and the what-if panel, for one segment at a time.
#[component]
pub fn ServiceTradeoff() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let segment = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    // The first segment is chosen when the page opens, and kept while it
    // exists.
    Effect::new(move |_| {
        let labels: Vec<String> = state
            .policies
            .with(|p| {
                p.as_ref().map(|p| p.segments.iter().map(|s| s.summary.segment.clone()).collect())
            })
            .unwrap_or_default();
        let current = segment.get_untracked();
        if !labels.contains(&current) {
            if let Some(first) = labels.first() {
                segment.set(first.clone());
            }
        }
    });
    let row = Memo::new(move |_| {
        let label = segment.get();
        state.policies.with(|p| p.as_ref().and_then(|p| p.segment(&label).cloned()))
    });
    // A new segment or a new analysis puts the slider at the segment's level.
    Effect::new(move |_| {
        if let Some(r) = row.get() {
            level.set(level_text(r.summary.service_level));
        }
    });
    let what_if = move || {
        let label = segment.get();
        let revision = state.policies.with(|p| p.as_ref().map(|p| p.revision));
        state.what_if.with(|w| {
            w.as_ref().filter(|w| w.segment == label && Some(w.revision) == revision).cloned()
        })
    };
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let ask = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let go = move || {
            pending.set_value(None);
            let Ok(service_level) = parse_level(&level.get_untracked()) else { return };
            client.send(Request::WhatIf { segment: segment.get_untracked(), service_level });
        };
        pending.set_value(set_timeout_with_handle(go, ASK_AFTER).ok());
    };
    let level_error = move || level.with(|l| parse_level(l).err());
    let draw = move |area: &CanvasArea| {
        let w = what_if();
        row.with(|r| match r {
            Some(r) => {
                charts::frontier::draw(area, r, w.as_ref().and_then(|w| w.result.as_ref().ok()))
                    .map_err(|e| format!("{e:?}"))
            }
            None => Ok(()),
        })
    };
    let chart_label = move || {
        row.with(|r| {
            r.as_ref().map_or_else(String::new, |r| {
                let s = &r.summary;
                format!(
                    "{}. Now at {}: average inventory value {}.",
                    charts::frontier::title(&s.segment),
                    pct(s.service_level, 1),
                    value(s.avg_inventory_value)
                )
            })
        })
    };
    let options = move || {
        state.policies.with(|p| {
            p.as_ref().map(|p| {
                p.segments
                    .iter()
                    .map(|s| {
                        let label = s.summary.segment.clone();
                        let text = format!("{label} · {} SKUs", format::count(s.summary.skus));
                        let selected = {
                            let label = label.clone();
                            move || segment.with(|x| *x == label)
                        };
                        view! { <option value=label prop:selected=selected>{text}</option> }
                    })
                    .collect_view()
            })
        })
    };
    let result = move || match what_if() {
        None => view! {
            <p class="help">
                "Move the slider or type a level to see what this segment's working capital, \
                 fill rate and stockouts would be with every SKU at that level."
            </p>
        }
        .into_any(),
        Some(w) => match w.result {
            Err(why) => view! { <p class="field-error">{why}</p> }.into_any(),
            Ok(w) => {
                let rows = what_if_rows(&w)
                    .into_iter()
                    .map(|(name, [before, after, change], id)| {
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td class="num">{before}</td>
                                <td class="num">{after}</td>
                                <td class="num delta" data-testid=id>{change}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="pol-what-if-table" data-testid="what-if-table">
                        <thead>
                            <tr>
                                <td></td>
                                <th scope="col" class="num">"Now"</th>
                                <th scope="col" class="num">"What-if"</th>
                                <th scope="col" class="num">"Change"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }
        },
    };
    let model_note = move || {
        row.with(|r| {
            r.as_ref().map(|r| {
                format!(
                    "{} SKUs on the {} model; values in the currency of the unit costs.",
                    format::count(r.summary.skus),
                    model_label(r.model)
                )
            })
        })
    };
    view! {
        <section class="card tradeoff" aria-labelledby="tradeoff-heading">
            <div class="tradeoff-head">
                <h2 id="tradeoff-heading">"Service level trade-off"</h2>
                <label class="inline">
                    <span>"Segment"</span>
                    <select
                        data-testid="tradeoff-segment"
                        on:change=move |ev| segment.set(event_target_value(&ev))
                    >
                        {options}
                    </select>
                </label>
            </div>
            <div class="tradeoff-body">
                <div class="chart-card">
                    <ChartCanvas width=560 height=360 testid="frontier-chart" label=Signal::derive(chart_label) draw=draw />
                    <p class="help">
                        "The efficient frontier: every SKU of the segment at service levels from \
                         80 % to 99.5 %. The last points of service cost the most stock."
                    </p>
                </div>
                <div class="pol-what-if" data-testid="what-if" aria-labelledby="pol-what-if-heading">
                    <h3 id="pol-what-if-heading">"What if"</h3>
                    <p class="help">{model_note}</p>
                    <div class="pol-what-if-controls">
                        <label>
                            <span>"Service level"</span>
                            <input
                                type="range"
                                min=MIN_LEVEL
                                max=MAX_LEVEL
                                step="0.1"
                                data-testid="what-if-slider"
                                aria-label="What-if service level (%)"
                                prop:value=move || level.get()
                                on:input=move |ev| level.set(event_target_value(&ev))
                                on:change=move |_| ask()
                            />
                        </label>
                        <label class="sl-input">
                            <input
                                type="number"
                                min=MIN_LEVEL
                                max=MAX_LEVEL
                                step="0.1"
                                inputmode="decimal"
                                data-testid="what-if-level"
                                aria-label="What-if service level, typed (%)"
                                aria-invalid=move || level_error().is_some().to_string()
                                prop:value=move || level.get()
                                on:input=move |ev| level.set(event_target_value(&ev))
                                on:change=move |_| ask()
                            />
                            <span aria-hidden="true">"%"</span>
                        </label>
                    </div>
                    {move || level_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <div aria-live="polite">{result}</div>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segscope_core::policy::working_capital::SegmentPolicySummary;

    fn summary(
        level: f64,
        safety: f64,
        inventory: f64,
        fill: f64,
        stockouts: f64,
    ) -> SegmentPolicySummary {
        SegmentPolicySummary {
            segment: "AX".into(),
            skus: 10,
            service_level: level,
            safety_stock_value: safety,
            avg_inventory_value: inventory,
            fill_rate: Some(fill),
            stockouts_per_year: stockouts,
            skus_without_cost: 0,
            on_hand: None,
        }
    }

    #[test]
    fn what_if_rows_say_before_after_and_signed_change() {
        let before = summary(0.98, 1000.0, 5000.0, 0.99, 2.0);
        let after = summary(0.995, 1500.0, 5500.0, 0.997, 0.5);
        let w = WhatIf {
            delta_inventory_value: 500.0,
            delta_safety_stock_value: 500.0,
            delta_fill_rate: Some(0.007),
            delta_stockouts: -1.5,
            before,
            after,
        };
        let rows = what_if_rows(&w);
        assert_eq!(rows.len(), 5);
        let by_id = |id: &str| rows.iter().find(|r| r.2 == id).unwrap().1.clone();
        assert_eq!(by_id("what-if-delta-inventory"), ["5,000", "5,500", "+500"]);
        assert_eq!(by_id("what-if-delta-fill-rate"), ["99.00 %", "99.70 %", "+0.70 pp"]);
        assert_eq!(by_id("what-if-delta-stockouts")[2], "−1.5");
        assert_eq!(by_id("what-if-delta-level")[2], "+1.50 pp");
    }
}
