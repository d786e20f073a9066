//! The what-if panel: choose a scenario and its inputs, the engine runs it
//! with core's `cost::what_if` on the current analysis, and the change in
//! profit per tier comes back with a one-line description.

use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::{Request, WhatIfScenario};
use leptos::prelude::*;
use segscope_core::config::Bucket;

/// The scenarios in the order the form lists them: (value, label).
pub const SCENARIOS: [(&str, &str); 4] = [
    ("consolidate", "Consolidate deliveries"),
    ("drop_tier", "Drop the least profitable tier"),
    ("premium_delivery", "Premium delivery for a tier"),
    ("min_order_surcharge", "Minimum-order surcharge"),
];

/// The form's fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIfDraft {
    /// One of [`SCENARIOS`]' values.
    pub scenario: String,
    /// Consolidation period.
    pub period: Bucket,
    /// Tier name; empty = every customer (consolidation only).
    pub tier: String,
    /// Extra cost per order (premium delivery).
    pub cost_per_order: String,
    /// Minimum order value (surcharge).
    pub min_order_value: String,
    /// Fee per small order (surcharge).
    pub fee: String,
}

impl Default for WhatIfDraft {
    fn default() -> Self {
        WhatIfDraft {
            scenario: "consolidate".into(),
            period: Bucket::Week,
            tier: String::new(),
            cost_per_order: "12".into(),
            min_order_value: "100".into(),
            fee: "15".into(),
        }
    }
}

fn number(text: &str) -> Option<f64> {
    super::cost_pools::parse_amount(text)
}

impl WhatIfDraft {
    /// The scenario these fields ask for, or what to fix. `first_tier` is
    /// used for premium delivery when no tier is chosen.
    pub fn to_scenario(&self, first_tier: &str) -> Result<WhatIfScenario, String> {
        let tier = (!self.tier.is_empty()).then(|| self.tier.clone());
        match self.scenario.as_str() {
            "consolidate" => Ok(WhatIfScenario::Consolidate { period: self.period, tier }),
            "drop_tier" => Ok(WhatIfScenario::DropLeastProfitableTier),
            "premium_delivery" => match number(&self.cost_per_order) {
                Some(cost_per_order) => Ok(WhatIfScenario::PremiumDelivery {
                    tier: tier.unwrap_or_else(|| first_tier.to_owned()),
                    cost_per_order,
                }),
                None => Err("Enter the extra cost per order as a number, e.g. 12.".into()),
            },
            "min_order_surcharge" => match (number(&self.min_order_value), number(&self.fee)) {
                (Some(min_order_value), Some(fee)) => {
                    Ok(WhatIfScenario::MinOrderSurcharge { min_order_value, fee })
                }
                _ => Err("Enter the minimum order value and the fee as numbers.".into()),
            },
            other => Err(format!("Unknown scenario {other}.")),
        }
    }
}

/// A change with its sign: `+1,234.50`, `-20.00`, `0.00`.
pub fn signed_money(x: f64) -> String {
    let text = format::money(x);
    if x > 0.0 && text != "0.00" {
        format!("+{text}")
    } else {
        text
    }
}

/// The panel.
#[component]
pub fn WhatIfPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let draft = RwSignal::new(WhatIfDraft::default());
    let problem = RwSignal::new(None::<String>);
    let tiers = move || {
        state
            .cost
            .with(|c| {
                c.as_ref().map(|c| c.tiers.iter().map(|t| t.name.clone()).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = tiers().into_iter().next().unwrap_or_default();
        match draft.get_untracked().to_scenario(&first) {
            Ok(scenario) => {
                problem.set(None);
                client.send(Request::CostWhatIf { scenario });
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let scenario = move || draft.with(|d| d.scenario.clone());
    let edit = move |f: fn(&mut WhatIfDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            draft.update(|d| f(d, v));
        }
    };
    let tier_select = move |everyone: bool| {
        view! {
            <label>
                <span>"Tier"</span>
                <select data-testid="what-if-tier" on:change=edit(|d, v| d.tier = v)>
                    {everyone.then(|| view! { <option value="" selected=move || draft.with(|d| d.tier.is_empty())>"Every customer"</option> })}
                    {tiers()
                        .into_iter()
                        .map(|name| {
                            let n = name.clone();
                            let selected = move || draft.with(|d| d.tier == n);
                            let value = name.clone();
                            view! { <option value=value selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    let inputs = move || {
        match scenario().as_str() {
        "consolidate" => view! {
            <label>
                <span>"Merge each customer's orders per"</span>
                <select data-testid="what-if-period" on:change=edit(|d, v| d.period = match v.as_str() {
                    "day" => Bucket::Day,
                    "month" => Bucket::Month,
                    _ => Bucket::Week,
                })>
                    {[Bucket::Day, Bucket::Week, Bucket::Month].into_iter().map(|b| view! {
                        <option value=b.name() selected=move || draft.with(|d| d.period == b)>{b.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            {tier_select(true)}
        }
        .into_any(),
        "premium_delivery" => view! {
            {tier_select(false)}
            <label>
                <span>"Extra cost per order"</span>
                <input type="text" inputmode="decimal" data-testid="what-if-cost-per-order"
                    prop:value=move || draft.with(|d| d.cost_per_order.clone())
                    on:input=edit(|d, v| d.cost_per_order = v) />
            </label>
        }
        .into_any(),
        "min_order_surcharge" => view! {
            <label>
                <span>"Orders below (value)"</span>
                <input type="text" inputmode="decimal" data-testid="what-if-min-order"
                    prop:value=move || draft.with(|d| d.min_order_value.clone())
                    on:input=edit(|d, v| d.min_order_value = v) />
            </label>
            <label>
                <span>"pay a fee of"</span>
                <input type="text" inputmode="decimal" data-testid="what-if-fee"
                    prop:value=move || draft.with(|d| d.fee.clone())
                    on:input=edit(|d, v| d.fee = v) />
            </label>
        }
        .into_any(),
        _ => view! {
            <p class="help">"The tier with the lowest total profit goes; only the variable share of its cost to serve is saved."</p>
        }
        .into_any(),
    }
    };
    let result = move || {
        let w = state.cost_what_if.get()?;
        if let Some(error) = w.error {
            return Some(
                view! { <p class="field-error" data-testid="what-if-error">{error}</p> }.into_any(),
            );
        }
        let r = w.result?;
        let rows = r
            .tiers
            .iter()
            .map(|t| {
                view! {
                    <tr data-tier=t.tier.clone()>
                        <th scope="row">{t.tier.clone()}</th>
                        <td class="num">{signed_money(t.revenue)}</td>
                        <td class="num">{signed_money(t.cogs)}</td>
                        <td class="num">{signed_money(t.cost_to_serve)}</td>
                        <td class="num delta" class:gain={t.profit > 0.0} class:loss={t.profit < 0.0}>{signed_money(t.profit)}</td>
                    </tr>
                }
            })
            .collect_view();
        let sum = |f: fn(&segscope_core::cost::what_if::TierDelta) -> f64| {
            r.tiers.iter().map(f).sum::<f64>()
        };
        let unallocated = (r.unallocated != 0.0).then(|| {
            view! {
                <tr>
                    <th scope="row">"Unallocated (fixed cost left without volume)"</th>
                    <td></td><td></td>
                    <td class="num">{signed_money(r.unallocated)}</td>
                    <td class="num">{signed_money(-r.unallocated)}</td>
                </tr>
            }
        });
        Some(view! {
            <p class="what-if-description" data-testid="what-if-description">{r.description.clone()}</p>
            <table class="what-if-table">
                <thead>
                    <tr>
                        <th scope="col">"Tier"</th>
                        <th scope="col" class="num">"Δ revenue"</th>
                        <th scope="col" class="num">"Δ COGS"</th>
                        <th scope="col" class="num">"Δ cost to serve"</th>
                        <th scope="col" class="num">"Δ profit"</th>
                    </tr>
                </thead>
                <tbody>{rows}{unallocated}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Total"</th>
                        <td class="num">{signed_money(sum(|t| t.revenue))}</td>
                        <td class="num">{signed_money(sum(|t| t.cogs))}</td>
                        <td class="num">{signed_money(sum(|t| t.cost_to_serve) + r.unallocated)}</td>
                        <td class="num delta" class:gain={r.total > 0.0} class:loss={r.total < 0.0} data-testid="what-if-total">{signed_money(r.total)}</td>
                    </tr>
                </tfoot>
            </table>
        }
        .into_any())
    };
    view! {
        <section class="card what-if" aria-labelledby="what-if-heading">
            <h2 id="what-if-heading">"What if…"</h2>
            <form class="what-if-form" on:submit=run novalidate>
                <label>
                    <span>"Scenario"</span>
                    <select data-testid="what-if-scenario" on:change=edit(|d, v| d.scenario = v)>
                        {SCENARIOS.into_iter().map(|(value, label)| view! {
                            <option value=value selected=move || draft.with(|d| d.scenario == value)>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
                {inputs}
                <button type="submit" class="primary">"Run what-if"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error">{p}</p> })}
            <div class="what-if-result" data-testid="what-if-result" aria-live="polite" hidden=move || state.cost_what_if.with(Option::is_none)>
                {result}
            </div>
            <p class="help">
                "Pools are re-spread after the change: only each pool's variable share moves with \
                 volume; the fixed share falls on the remaining volume."
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_make_core_scenarios() {
        let d = WhatIfDraft::default();
        assert_eq!(
            d.to_scenario("Platinum"),
            Ok(WhatIfScenario::Consolidate { period: Bucket::Week, tier: None })
        );
        let premium = WhatIfDraft { scenario: "premium_delivery".into(), ..d.clone() };
        assert_eq!(
            premium.to_scenario("Platinum"),
            Ok(WhatIfScenario::PremiumDelivery { tier: "Platinum".into(), cost_per_order: 12.0 })
        );
        let bad = WhatIfDraft { scenario: "min_order_surcharge".into(), fee: "x".into(), ..d };
        assert!(bad.to_scenario("Platinum").is_err());
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed_money(1234.5), "+1,234.50");
        assert_eq!(signed_money(-20.0), "-20.00");
        assert_eq!(signed_money(0.001), "0.00");
    }
}
