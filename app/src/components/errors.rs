//! The alert panel: files the engine refused, files the browser could not
//! read, and an engine that stopped.

use crate::client::EngineClient;
use crate::state::{AppState, EngineStatus};
use crate::worker_api::{kind_id, kind_label, RejectedView, Request};
use leptos::prelude::*;
use segscope_core::IngestError;

/// Everything that went wrong, in a `role="alert"` region so screen readers
/// announce it. Empty (and hidden) when all is well.
#[component]
pub fn ErrorPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_errors = move || {
        state.workspace.with(|w| !w.rejected.is_empty())
            || state.page_error.with(Option::is_some)
            || matches!(state.engine.get(), EngineStatus::Failed(_))
    };
    view! {
        <div role="alert" class="alert" class:has-errors=has_errors data-testid="errors">
            {move || match state.engine.get() {
                EngineStatus::Failed(why) => Some(view! {
                    <div class="error-item" data-testid="error-engine">
                        <p><strong>"The engine stopped."</strong></p>
                        <p class="error-message">{why}</p>
                        <p>"Restart the engine (top right) and load the files again."</p>
                    </div>
                }),
                _ => None,
            }}
            {move || state.page_error.get().map(|why| view! {
                <div class="error-item" data-testid="error-page">
                    <p class="error-message">{why}</p>
                    <button class="small" on:click=move |_| state.page_error.set(None)>"Dismiss"</button>
                </div>
            })}
            {move || state.workspace.with(|w| {
                w.rejected
                    .iter()
                    .map(|r| {
                        let earlier = w.file(r.kind).map(|f| f.layout.name.clone());
                        view! { <Rejected rejected=r.clone() earlier=earlier /> }
                    })
                    .collect_view()
            })}
        </div>
    }
}

/// One refused file: the engine's message, what stays loaded, and — for a
/// missing field — a choice of column to map it to.
#[component]
fn Rejected(
    /// The refused file and the reason.
    rejected: RejectedView,
    /// The name of the file of the same kind that stays loaded, if any.
    earlier: Option<String>,
) -> impl IntoView {
    let client = expect_context::<EngineClient>();
    let RejectedView { kind, name, error } = rejected;
    let kind_name = kind_label(kind).to_lowercase();
    let still_loaded = match earlier {
        Some(earlier) => format!("The earlier {kind_name} file, {earlier}, stays loaded."),
        None => format!("No {kind_name} file is loaded."),
    };
    let fix = match &error {
        IngestError::MissingField { field, headers, .. } => {
            let (field, file) = (field.clone(), name.clone());
            let label = format!("Map the field {field} to a column of {name}");
            let options = headers
                .iter()
                .map(|h| {
                    let label = h.clone();
                    view! { <option value=h.clone()>{label}</option> }
                })
                .collect_view();
            let on_change = move |ev: leptos::ev::Event| {
                let header = event_target_value(&ev);
                if !header.is_empty() {
                    client.send(Request::SetMapping {
                        kind,
                        file: file.clone(),
                        field: field.clone(),
                        header: Some(header),
                    });
                }
            };
            Some(view! {
                <label class="fix">
                    <span>{label}</span>
                    <select on:change=on_change data-testid=format!("fix-{}", kind_id(kind))>
                        <option value="">"Choose a column…"</option>
                        {options}
                    </select>
                </label>
            })
        }
        _ => None,
    };
    view! {
        <div class="error-item" data-testid=format!("error-{}", kind_id(kind))>
            <p>
                <strong>{name.clone()}</strong>
                {format!(" could not be loaded as the {kind_name} file.")}
            </p>
            <p class="error-message">{error.to_string()}</p>
            <p>{still_loaded}</p>
            {fix}
            <button class="small" on:click=move |_| client.send(Request::Dismiss { kind })>
                "Dismiss"
            </button>
        </div>
    }
}
