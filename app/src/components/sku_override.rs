//! The override of the chosen SKU's segment, beside its explanation on the
//! Segments page: a segment and a reason (required — the engine refuses an
//! override without one and says so), or the removal of an override in
//! force. Each change goes to the audit trail on the History page.

use crate::client::EngineClient;
use crate::state::{AppState, Route};
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::config::SEGMENTS;
use segscope_core::roles::{sees_table, TableKind};

/// Override (or stop overriding) the segment of the SKU chosen in the table.
#[component]
pub fn SkuOverride(
    /// The SKU chosen in the table.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let sku = selected.get()?;
        // Only once the SKU is explained: its segment is then known.
        let segment = state.explanation.with(|x| {
            x.as_ref().filter(|x| x.sku == sku && !x.segment.is_empty()).map(|x| x.segment.clone())
        })?;
        if !sees_table(state.role.get(), TableKind::Audit) {
            return None;
        }
        let current = state
            .runs
            .with(|r| r.as_ref().and_then(|r| r.overrides.iter().find(|o| o.sku == sku).cloned()));
        Some(view! { <OverrideForm sku=sku segment=segment current=current /> })
    }
}

#[component]
fn OverrideForm(
    sku: String,
    segment: String,
    current: Option<segscope_core::governance::Override>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let target = RwSignal::new(if SEGMENTS.contains(&segment.as_str()) {
        segment.clone()
    } else {
        SEGMENTS[0].to_owned()
    });
    let reason = RwSignal::new(String::new());
    let code = sku.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.governance_error.set(None);
        client.send(Request::OverrideSku {
            sku: code.clone(),
            segment: target.get_untracked(),
            reason: reason.get_untracked(),
        });
    };
    let code = sku.clone();
    let remove = move |_| {
        state.governance_error.set(None);
        client.send(Request::RemoveOverride { sku: code.clone(), reason: reason.get_untracked() });
    };
    let options = SEGMENTS
        .iter()
        .map(|s| {
            let (value, chosen) = (s.to_string(), s.to_string());
            view! { <option value=value selected=move || target.get() == chosen>{*s}</option> }
        })
        .collect_view();
    let in_force = current.map(|o| {
        view! {
            <p data-testid="override-in-force">
                {format!("Overridden to {} — {}. ", o.segment, o.reason)}
                "Give a reason below to change or remove it."
            </p>
            <button type="button" class="small" data-testid="remove-override" on:click=remove>
                "Remove the override"
            </button>
        }
    });
    let error = move || {
        state.governance_error.get().map(|m| {
            view! { <p class="field-error" role="alert" data-testid="override-error">{m}</p> }
        })
    };
    view! {
        <form class="sku-override" data-testid="sku-override" on:submit=submit>
            <h3>{format!("Override the segment of {sku}")}</h3>
            <p class="help">
                "For what the figures cannot know (a launch, a key account, an end of life). \
                 It applies like a business rule and is logged in the audit trail on the "
                <a href=Route::History.hash()>"History page"</a>
                "."
            </p>
            {in_force}
            <div class="override-fields">
                <label>
                    "Segment "
                    <select
                        data-testid="override-segment"
                        on:change=move |ev| target.set(event_target_value(&ev))
                    >
                        {options}
                    </select>
                </label>
                <label class="grow">
                    "Reason (required) "
                    <input
                        type="text"
                        data-testid="override-reason"
                        aria-required="true"
                        placeholder="Why this SKU belongs in that segment"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" data-testid="override-submit">"Override"</button>
            </div>
            {error}
        </form>
    }
}
