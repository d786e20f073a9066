//! Working capital per segment: the headline totals, and per segment its
//! policy model (normal or empirical, editable), service level, safety
//! stock and average inventory value, fill rate, expected stockouts, stock
//! on hand against target, and both models' safety stock for its slow
//! movers.

use super::policy_levels::send_policy;
use super::policy_units::{pct, pct_opt, signed, value};
use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::{model_label, PoliciesView, SegmentPolicyRow};
use leptos::prelude::*;
use segscope_core::policy::PolicyModel;
use segscope_core::roles::sees_stock_values;

/// The models a segment can choose (run-out follows from the lifecycle).
const CHOICES: [PolicyModel; 2] = [PolicyModel::Normal, PolicyModel::Empirical];

/// "cash released" or "cash needed" and the amount without its sign.
pub fn cash_words(cash_released: f64) -> (&'static str, String) {
    if cash_released < 0.0 {
        ("cash needed", value(-cash_released))
    } else {
        ("cash released", value(cash_released))
    }
}

/// The slow movers' cell: the values "1,234 → 987" and the count "3 SKUs";
/// `None` without slow movers.
pub fn slow_text(row: &SegmentPolicyRow) -> Option<(String, String)> {
    let s = &row.slow;
    (s.skus > 0).then(|| {
        (
            format!(
                "{} → {}",
                value(s.normal_safety_stock_value),
                value(s.empirical_safety_stock_value)
            ),
            format!("{} SKU{}", format::count(s.skus), if s.skus == 1 { "" } else { "s" }),
        )
    })
}

/// The headline figures.
#[component]
pub fn WorkingCapitalTotals() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The page draws the cards again for another role.
    let values = sees_stock_values(state.role.get_untracked());
    let totals = move || state.policies.with(|p| p.as_ref().map(|p| p.totals.clone()));
    let on_hand = move || {
        totals().and_then(|t| t.on_hand).map(|c| {
            let (words, amount) = cash_words(c.cash_released);
            view! {
                <div class="figure">
                    <dt>{format!("Stock on hand: {words}")}</dt>
                    <dd data-testid="wc-total-cash">{amount}</dd>
                    <dd class="sub">
                        {format!(
                            "{} on hand against a target of {} ({} SKUs)",
                            value(c.current_value),
                            value(c.target_value),
                            format::count(c.skus)
                        )}
                    </dd>
                </div>
            }
        })
    };
    view! {
        <dl class="cards wc-cards" data-testid="wc-totals">
            {values.then(|| view! {
            <div class="figure">
                <dt>"Average inventory value"</dt>
                <dd data-testid="wc-total-inventory-value">{move || totals().map(|t| value(t.avg_inventory_value))}</dd>
                <dd class="sub">"safety stock + half an order quantity, × unit cost"</dd>
            </div>
            <div class="figure">
                <dt>"Safety stock value"</dt>
                <dd data-testid="wc-total-safety-value">{move || totals().map(|t| value(t.safety_stock_value))}</dd>
                <dd class="sub">
                    {move || totals().map(|t| format!("over {} SKUs", format::count(t.skus)))}
                </dd>
            </div>
            })}
            <div class="figure">
                <dt>"Expected stockouts"</dt>
                <dd data-testid="wc-total-stockouts">
                    {move || totals().map(|t| format::fixed(t.stockouts_per_year, 1))}
                </dd>
                <dd class="sub">"events per year"</dd>
            </div>
            {values.then_some(on_hand)}
        </dl>
        {values.then(|| view! {
        <p class="help">
            "Values in the currency of the unit costs. A SKU's target stock is its average \
             inventory value (its safety stock value where it has no order quantity); cash \
             released = value on hand − target, over the SKUs with both."
        </p>
        })}
    }
}

/// The table of segments.
#[component]
pub fn WorkingCapitalTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let choose = move |segment: String, model: PolicyModel| {
        let Some((levels, mut models)) = state
            .policies
            .with_untracked(|p| p.as_ref().map(|p| (p.service_levels.clone(), p.models.clone())))
        else {
            return;
        };
        match model {
            PolicyModel::Normal => models.remove(&segment),
            m => models.insert(segment, m),
        };
        send_policy(client, levels, models);
    };
    // The page draws the table again for another role.
    let values = sees_stock_values(state.role.get_untracked());
    let has_on_hand =
        move || state.policies.with(|p| p.as_ref().is_some_and(|p| p.totals.on_hand.is_some()));
    let rows = move || {
        state.policies.with(|p| {
            p.as_ref().map(|p| {
                p.segments.iter().map(|row| segment_row(p, row, choose, values)).collect_view()
            })
        })
    };
    let totals = move || {
        state.policies.with(|p| {
            p.as_ref().map(|p| {
                let t = &p.totals;
                let on_hand = t.on_hand.as_ref();
                view! {
                    <tr class="total">
                        <th scope="row">"All"</th>
                        <td class="num">{format::count(t.skus)}</td>
                        <td></td>
                        <td></td>
                        {values.then(|| view! {
                            <td class="num">{value(t.safety_stock_value)}</td>
                            <td class="num">{value(t.avg_inventory_value)}</td>
                        })}
                        <td></td>
                        <td class="num">{format::fixed(t.stockouts_per_year, 1)}</td>
                        {values.then(|| view! {
                            <td class="num" class:hidden=on_hand.is_none()>{on_hand.map(|c| value(c.current_value))}</td>
                            <td class="num" class:hidden=on_hand.is_none()>{on_hand.map(|c| signed(c.cash_released, 0))}</td>
                            <td></td>
                        })}
                    </tr>
                }
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="wc-heading">
            <h2 id="wc-heading">{if values { "Working capital by segment" } else { "Service by segment" }}</h2>
            <p class="help">
                {values.then_some("Values in the currency of the unit costs; ")}
                "Fill rate weighted by annual demand. \
                 Choose the empirical model for segments of slow movers: their lead-time demand \
                 is then resampled from their own history instead of assumed normal."
            </p>
            <div class="table-scroll">
                <table class="wc-table" data-testid="wc-table">
                    <thead>
                        <tr>
                            <th scope="col">"Segment"</th>
                            <th scope="col" class="num">"SKUs"</th>
                            <th scope="col">"Model"</th>
                            <th scope="col" class="num">"Service level"</th>
                            {values.then(|| view! {
                                <th scope="col" class="num">"Safety stock value"</th>
                                <th scope="col" class="num">"Avg inventory value"</th>
                            })}
                            <th scope="col" class="num">"Fill rate"</th>
                            <th scope="col" class="num">"Stockouts " <span class="what">"per year"</span></th>
                            {values.then(|| view! {
                                <th scope="col" class="num" class:hidden=move || !has_on_hand()>"On hand value"</th>
                                <th scope="col" class="num" class:hidden=move || !has_on_hand()>
                                    "Cash released" <span class="what">"− = cash needed"</span>
                                </th>
                                <th scope="col" class="num">
                                    "Slow movers' safety stock value" <span class="what">"normal → empirical model"</span>
                                </th>
                            })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>{totals}</tfoot>
                </table>
            </div>
            <p class="help">
                {move || state.policies.with(|p| p.as_ref().filter(|_| values).map(|p| {
                    let d = &p.defaults;
                    let missing = p.totals.skus_without_cost;
                    let mut note = format!(
                        "Where the products file is silent: lead time {} days (σ {} days), holding \
                         rate {} % a year, {} per order; the empirical model draws {} samples of \
                         lead-time demand per SKU.",
                        format::quantity(d.lead_time_days),
                        format::quantity(d.lead_time_sd_days),
                        format::quantity(d.holding_rate * 100.0),
                        format::quantity(d.ordering_cost),
                        format::count(d.bootstrap_samples)
                    );
                    if missing > 0 {
                        note.push_str(&format!(" {} SKUs have no unit cost and no value.", format::count(missing)));
                    }
                    note
                }))}
            </p>
        </section>
    }
}

/// One segment's row.
fn segment_row(
    p: &PoliciesView,
    row: &SegmentPolicyRow,
    choose: impl Fn(String, PolicyModel) + Copy + 'static,
    values: bool,
) -> impl IntoView {
    let s = &row.summary;
    let label = s.segment.clone();
    let model = p.model(&label);
    let on_hand = s.on_hand.as_ref();
    let has_on_hand = p.totals.on_hand.is_some();
    let options = CHOICES
        .iter()
        .map(|&m| view! { <option value=m.name() selected=m == model>{model_label(m)}</option> })
        .collect_view();
    let segment = label.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if let Some(&m) = CHOICES.iter().find(|m| m.name() == v) {
            choose(segment.clone(), m);
        }
    };
    let cash = on_hand.map(|c| signed(c.cash_released, 0));
    view! {
        <tr data-testid=format!("wc-{label}")>
            <th scope="row">{label.clone()}</th>
            <td class="num">{format::count(s.skus)}</td>
            <td>
                <select
                    data-testid=format!("model-{label}")
                    aria-label=format!("Policy model of {label}")
                    on:change=on_change
                >
                    {options}
                </select>
            </td>
            <td class="num" data-testid=format!("wc-{label}-service-level")>{pct(s.service_level, 1)}</td>
            {values.then(|| view! {
                <td class="num" data-testid=format!("wc-{label}-safety-value")>{value(s.safety_stock_value)}</td>
                <td class="num" data-testid=format!("wc-{label}-inventory-value")>{value(s.avg_inventory_value)}</td>
            })}
            <td class="num" data-testid=format!("wc-{label}-fill-rate")>{pct_opt(s.fill_rate, 2)}</td>
            <td class="num" data-testid=format!("wc-{label}-stockouts")>{format::fixed(s.stockouts_per_year, 1)}</td>
            {values.then(|| view! {
            <td class="num" class:hidden=!has_on_hand>{on_hand.map_or_else(|| "–".into(), |c| value(c.current_value))}</td>
            <td class="num" class:hidden=!has_on_hand class:negative=on_hand.is_some_and(|c| c.cash_released < 0.0) data-testid=format!("wc-{label}-cash")>
                {cash.unwrap_or_else(|| "–".into())}
            </td>
            <td class="num">
                {match slow_text(row) {
                    Some((values, skus)) => view! {
                        <span data-testid=format!("wc-{label}-slow")>{values}</span>
                        <span class="what">{skus}</span>
                    }
                    .into_any(),
                    None => view! { <span data-testid=format!("wc-{label}-slow")>"–"</span> }.into_any(),
                }}
            </td>
            })}
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::SlowMovers;
    use segscope_core::policy::working_capital::SegmentPolicySummary;

    #[test]
    fn cash_is_released_or_needed() {
        assert_eq!(cash_words(1234.4), ("cash released", "1,234".to_string()));
        assert_eq!(cash_words(-50.0), ("cash needed", "50".to_string()));
    }

    #[test]
    fn slow_movers_read_normal_then_empirical() {
        let row = |skus| SegmentPolicyRow {
            summary: SegmentPolicySummary {
                segment: "CZ".into(),
                skus: 4,
                service_level: 0.85,
                safety_stock_value: 0.0,
                avg_inventory_value: 0.0,
                fill_rate: None,
                stockouts_per_year: 0.0,
                skus_without_cost: 0,
                on_hand: None,
            },
            model: PolicyModel::Normal,
            slow: SlowMovers {
                skus,
                normal_safety_stock_value: 1500.0,
                empirical_safety_stock_value: 980.2,
            },
            frontier: vec![],
        };
        let text = |skus| slow_text(&row(skus));
        assert_eq!(text(3), Some(("1,500 → 980".to_string(), "3 SKUs".to_string())));
        assert_eq!(text(1).unwrap().1, "1 SKU");
        assert_eq!(text(0), None);
    }
}
