//! # segscope-app
//!
//! The browser app. The page (this crate's `segscope-app` binary) renders
//! with Leptos; a Web Worker (the `worker` binary) owns the loaded data and
//! runs `segscope-core`. They talk through [`worker_api`]: the page posts
//! requests with file bytes as transferred buffers, the worker answers with
//! progress and small views — never the whole dataset.
//!
//! - [`engine`]: the worker's state and request handling, plain Rust.
//! - [`client`]: the page's end of the worker.
//! - [`state`]: the page's signals and the hash routes.
//! - [`pages`], [`components`]: the views; they hold no business math.

pub mod autosave;
pub mod blobs;
pub mod charts;
pub mod client;
pub mod components;
pub mod engine;
pub mod format;
pub mod halves;
pub mod pages;
pub mod rescue;
pub mod share;
pub mod state;
pub mod storage;
pub mod worker_api;

use client::EngineClient;
use components::{apply_settings_link, SettingsNotice};
use components::{EngineBadge, Nav, RoleSwitch, WorkspaceMenu, WorkspaceNotice};
use leptos::prelude::*;
use pages::{
    CostPage, DashboardsPage, DataPage, ExportPage, HistoryPage, PoliciesPage, ReportPage,
    SegmentsPage,
};
use state::{AppState, Route};

/// The whole app: header, workflow navigation and the current page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let client = EngineClient::start(state);
    provide_context(client);
    rescue::install_test_hooks(client);
    // A shared-settings link (`#/…?settings=…`) is applied once, at start.
    apply_settings_link(state, client);

    let follow_hash = move || {
        let hash = window().location().hash().unwrap_or_default();
        state.route.set(Route::from_hash(&hash));
    };
    follow_hash();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| follow_hash());
    on_cleanup(move || listener.remove());

    let page = move || match state.route.get() {
        Route::Data => view! { <DataPage /> }.into_any(),
        Route::Segments => view! { <SegmentsPage /> }.into_any(),
        Route::Policies => view! { <PoliciesPage /> }.into_any(),
        Route::CostToServe => view! { <CostPage /> }.into_any(),
        Route::Dashboards => view! { <DashboardsPage /> }.into_any(),
        Route::Export => view! { <ExportPage /> }.into_any(),
        Route::Report => view! { <ReportPage /> }.into_any(),
        Route::History => view! { <HistoryPage /> }.into_any(),
    };
    view! {
        <header class="topbar">
            <span class="brand">"segscope"</span>
            <span class="tagline">"Segmentation and cost to serve · your data stays on this computer"</span>
            <span class="spacer"></span>
            <WorkspaceMenu />
            <RoleSwitch />
            <EngineBadge />
        </header>
        <WorkspaceNotice />
        <rescue::EngineNotice />
        <div class="shell">
            <Nav />
            // `data-answered` counts the engine's answers, so that tests can
            // wait for the one their action caused; `data-detail-pending`
            // says the slow movers' informational figures, which follow the
            // answer, are still coming.
            <main
                id="main"
                data-answered=move || state.answered.get()
                data-pending=move || state.pending.get()
                data-detail-pending=move || {
                    let pending =
                        state.policies.with(|p| p.as_ref().is_some_and(|p| p.empirical_pending));
                    pending.to_string()
                }
            >
                <SettingsNotice />
                {page}
            </main>
        </div>
    }
}
