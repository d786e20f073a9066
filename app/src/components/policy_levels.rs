//! The editable 3 × 3 matrix of target cycle service levels. Each cell is a
//! number field (50–99.9 %); a level is sent when it is committed (Enter,
//! leaving the field, or a step of the arrows), shortly after the last
//! change, and only when every field is valid. The worker recomputes the
//! policies from the data in memory.

use super::policy_units::{level_text, parse_level, MAX_LEVEL, MIN_LEVEL};
use crate::client::EngineClient;
use crate::state::AppState;
use crate::worker_api::{PoliciesView, Request};
use leptos::prelude::*;
use segscope_core::config::SEGMENTS;
use std::collections::BTreeMap;
use std::time::Duration;

/// How long after the last committed change the levels are sent.
const SEND_AFTER: Duration = Duration::from_millis(250);

const ROWS: [(char, &str); 3] = [('A', "high value"), ('B', "middle"), ('C', "long tail")];
const COLUMNS: [(char, &str); 3] = [('X', "steady"), ('Y', "variable"), ('Z', "erratic")];

/// The fields' texts for a view's levels, in [`SEGMENTS`] order.
pub fn texts_of(view: &PoliciesView) -> Vec<String> {
    SEGMENTS
        .iter()
        .map(|s| view.service_levels.get(*s).map(|l| level_text(*l)).unwrap_or_default())
        .collect()
}

/// The levels the fields make, or the problems per segment.
///
/// # Errors
/// `(segment, sentence)` for every field that is not a level.
pub fn levels_of(texts: &[String]) -> Result<BTreeMap<String, f64>, Vec<(String, String)>> {
    let mut levels = BTreeMap::new();
    let mut problems = Vec::new();
    for (segment, text) in SEGMENTS.iter().zip(texts) {
        match parse_level(text) {
            Ok(l) => {
                levels.insert(segment.to_string(), l);
            }
            Err(why) => problems.push((segment.to_string(), format!("{segment}: {why}"))),
        }
    }
    if problems.is_empty() {
        Ok(levels)
    } else {
        Err(problems)
    }
}

/// Whether `levels` differ from what a view shows.
pub fn differ(levels: &BTreeMap<String, f64>, view: &PoliciesView) -> bool {
    levels.iter().any(|(s, l)| view.service_levels.get(s).is_none_or(|v| (v - l).abs() > 1e-9))
}

/// Sends levels and models to the worker.
pub fn send_policy(
    client: EngineClient,
    service_levels: BTreeMap<String, f64>,
    models: BTreeMap<String, segscope_core::policy::PolicyModel>,
) {
    client.send(Request::SetPolicy { service_levels, models });
}

/// The matrix.
#[component]
pub fn ServiceLevelMatrix() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let texts = RwSignal::new(Vec::<String>::new());
    // A new view (after any recomputation) resets the fields to its levels.
    Effect::new(move |_| {
        let fresh = state.policies.with(|p| p.as_ref().map(texts_of)).unwrap_or_default();
        texts.set(fresh);
    });
    let checked = Memo::new(move |_| texts.with(|t| levels_of(t)));
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let send_now = move || {
        pending.set_value(None);
        let Ok(levels) = checked.get_untracked() else { return };
        let models = state.policies.with_untracked(|p| {
            p.as_ref().filter(|p| differ(&levels, p)).map(|p| p.models.clone())
        });
        if let Some(models) = models {
            send_policy(client, levels, models);
        }
    };
    let commit = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        pending.set_value(set_timeout_with_handle(send_now, SEND_AFTER).ok());
    };
    let problem = move |segment: &str| {
        checked.with(|c| match c {
            Err(problems) => problems.iter().find(|(s, _)| s == segment).map(|(_, m)| m.clone()),
            Ok(_) => None,
        })
    };
    let defaults = move |i: usize| {
        state
            .policies
            .with(|p| p.as_ref().and_then(|p| p.default_service_levels.get(SEGMENTS[i]).copied()))
    };
    let header = COLUMNS
        .iter()
        .map(|&(x, what)| {
            view! {
                <th scope="col">
                    <span class="class-letter">{x.to_string()}</span>
                    <span class="class-what">{what}</span>
                </th>
            }
        })
        .collect_view();
    let rows = ROWS
        .iter()
        .enumerate()
        .map(|(r, &(abc, what))| {
            let cells = COLUMNS
                .iter()
                .enumerate()
                .map(|(c, _)| {
                    let i = r * 3 + c;
                    let segment = SEGMENTS[i];
                    let text = move || texts.with(|t| t.get(i).cloned().unwrap_or_default());
                    let invalid = move || problem(segment).is_some();
                    let hint = move || {
                        let default = defaults(i)?;
                        let now = texts.with(|t| t.get(i).and_then(|t| parse_level(t).ok()));
                        (now != Some(default))
                            .then(|| format!("default {}", level_text(default)))
                    };
                    view! {
                        <td class="sl-cell">
                            <label class="sl-field">
                                <span class="cell-label">{segment}</span>
                                <span class="sl-input">
                                    <input
                                        type="number"
                                        min=MIN_LEVEL
                                        max=MAX_LEVEL
                                        step="0.1"
                                        inputmode="decimal"
                                        data-testid=format!("sl-{segment}")
                                        aria-label=format!("{segment} target service level (%)")
                                        aria-invalid=move || invalid().to_string()
                                        aria-describedby="sl-errors"
                                        prop:value=text
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev);
                                            texts.update(|t| if let Some(x) = t.get_mut(i) { *x = v });
                                        }
                                        on:change=move |_| commit()
                                    />
                                    <span aria-hidden="true">"%"</span>
                                </span>
                                <span class="sl-default">{hint}</span>
                            </label>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        <span class="class-letter">{abc.to_string()}</span>
                        <span class="class-what">{what}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let errors = move || {
        let mut lines: Vec<String> = match checked.get() {
            Err(problems) => problems.into_iter().map(|(_, m)| m).collect(),
            Ok(_) => Vec::new(),
        };
        lines.extend(state.policy_error.get());
        lines.into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()
    };
    let reset = move |_| {
        let defaults = state.policies.with_untracked(|p| {
            p.as_ref().map(|p| (p.default_service_levels.clone(), p.models.clone()))
        });
        if let Some((levels, models)) = defaults {
            send_policy(client, levels, models);
        }
    };
    view! {
        <section class="card sl-card" aria-labelledby="sl-heading">
            <h2 id="sl-heading">"Target service levels"</h2>
            <p class="help">
                "Cycle service level per segment: the chance of no stockout in a replenishment \
                 cycle. Type a level from 50 to 99.9 % and press Enter (or use the arrow keys); \
                 the policies are recomputed at once."
            </p>
            <table class="sl-matrix" data-testid="service-levels">
                <thead>
                    <tr>
                        <td></td>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div id="sl-errors" role="alert" data-testid="sl-errors">{errors}</div>
            <div class="actions">
                <button type="button" class="link" on:click=reset prop:disabled=move || state.busy()>
                    "Back to the default levels"
                </button>
                <span class="help" aria-live="polite">
                    {move || if state.busy() { "Recomputing…" } else { "" }}
                </span>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> PoliciesView {
        let levels = segscope_core::Config::default().policy.service_levels;
        PoliciesView {
            service_levels: levels.clone(),
            default_service_levels: levels,
            ..Default::default()
        }
    }

    #[test]
    fn the_default_levels_fill_the_fields_and_read_back_unchanged() {
        let v = view();
        let texts = texts_of(&v);
        assert_eq!(texts[0], "98");
        assert_eq!(texts[8], "85");
        let levels = levels_of(&texts).unwrap();
        assert!(!differ(&levels, &v));
    }

    #[test]
    fn an_edited_field_differs_and_a_bad_one_is_named() {
        let v = view();
        let mut texts = texts_of(&v);
        texts[0] = "99.5".into();
        let levels = levels_of(&texts).unwrap();
        assert_eq!(levels["AX"], 0.995);
        assert!(differ(&levels, &v));
        texts[8] = "40".into();
        texts[4] = "".into();
        let problems = levels_of(&texts).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(named, ["BY", "CZ"]);
        assert!(problems[1].1.starts_with("CZ: Use a level from 50 % to 99.9 %"), "{problems:?}");
    }
}
