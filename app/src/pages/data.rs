//! Data: load the four input files (or the demo data), check the detected
//! mapping and the data-quality report, and see what was loaded.

use crate::client::EngineClient;
use crate::components::{
    ErrorPanel, FileDrop, MappingTable, ProgressLine, QualityReport, SummaryCards, TopSkus,
};
use crate::state::{AppState, EngineStatus};
use crate::worker_api::{Request, KINDS};
use leptos::prelude::*;

/// The Data page.
#[component]
pub fn DataPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let can_send = move || !matches!(state.engine.get(), EngineStatus::Failed(_)) && !state.busy();
    let summary = move || {
        state.workspace.with(|w| w.summary.clone()).map(|s| view! { <SummaryCards summary=s /> })
    };
    let mappings = move || {
        state.workspace.with(|w| {
            (!w.files.is_empty()).then(|| {
                let tables = w
                    .files
                    .iter()
                    .map(|f| view! { <MappingTable file=f.clone() /> })
                    .collect_view();
                view! {
                    <section class="mappings" aria-labelledby="mapping-heading">
                        <h2 id="mapping-heading">"Column mapping"</h2>
                        <p class="help">
                            "Each field the engine knows, the column it was matched to and how. \
                             Pick another column to override a match; the file is read again."
                        </p>
                        {tables}
                    </section>
                }
            })
        })
    };
    let quality = move || {
        state.workspace.with(|w| {
            (!w.files.is_empty()).then(|| view! { <QualityReport report=w.report.clone() /> })
        })
    };
    let top = move || {
        state.workspace.with(|w| {
            (!w.top_skus.is_empty()).then(|| view! { <TopSkus rows=w.top_skus.clone() /> })
        })
    };
    view! {
        <h1>"Data"</h1>
        <p class="lead">
            "Load your order-line export and, if you have them, the product, customer and \
             cost-pool files. They are read by the engine inside this browser tab: nothing \
             is uploaded."
        </p>
        <div class="toolbar">
            <button
                class="primary"
                data-testid="load-demo"
                prop:disabled=move || !can_send()
                on:click=move |_| client.send(Request::LoadDemo)
            >
                "Load demo data"
            </button>
            <span class="help">
                "A generated wholesale business: two years of orders with products, customers \
                 and cost pools."
            </span>
        </div>
        <ProgressLine />
        <ErrorPanel />
        <section class="inputs" aria-label="Input files">
            {KINDS.iter().map(|&kind| view! { <FileDrop kind=kind /> }).collect_view()}
        </section>
        {summary}
        {quality}
        {mappings}
        {top}
    }
}
