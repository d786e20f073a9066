//! The workflow navigation and the engine status badge.

use crate::client::EngineClient;
use crate::state::{AppState, EngineStatus, Route};
use leptos::prelude::*;

/// The six workflow steps as links; the current one is marked for screen
/// readers with `aria-current="page"`.
#[component]
pub fn Nav() -> impl IntoView {
    let state = expect_context::<AppState>();
    let steps = Route::ALL
        .into_iter()
        .enumerate()
        .map(|(i, route)| {
            let current = move || state.route.get() == route;
            view! {
                <li>
                    <a
                        href=route.hash()
                        class:current=current
                        aria-current=move || current().then_some("page")
                    >
                        <span class="step-number" aria-hidden="true">{i + 1}</span>
                        <span class="step-title">{move || route.title_for(state.role.get())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="workflow" aria-label="Workflow">
            <ol>{steps}</ol>
        </nav>
    }
}

/// Whether the engine is starting, ready or stopped, with a restart button
/// when it stopped.
#[component]
pub fn EngineBadge() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    move || match state.engine.get() {
        EngineStatus::Starting => view! {
            <span class="badge starting" data-testid="engine-status" data-state="starting">
                "Engine starting…"
            </span>
        }
        .into_any(),
        EngineStatus::Ready(version) => view! {
            <span class="badge ready" data-testid="engine-status" data-state="ready">
                "Engine ready · v"{version}
            </span>
        }
        .into_any(),
        EngineStatus::Failed(_) => view! {
            <span class="badge failed" data-testid="engine-status" data-state="failed">
                "Engine stopped"
            </span>
            <button class="small" on:click=move |_| client.restart()>
                "Restart engine"
            </button>
        }
        .into_any(),
    }
}
