//! Policies: inventory policy per SKU and segment (SPEC §4) — the editable
//! service-level matrix, working capital per segment with the model choice,
//! the efficient frontier and a what-if, the per-SKU policy table and a
//! SKU view with history, forecast and backtest.
//!
//! Everything shown comes from the worker's `PoliciesView` and its answers
//! to what-if and SKU requests; new levels and models go back as a
//! `SetPolicy` request, and the worker recomputes the policy stage only.

use super::planned::Planned;
use crate::client::EngineClient;
use crate::components::{
    PolicyTable, ProgressLine, RoleNote, ServiceLevelMatrix, ServiceTradeoff, SkuView,
    WorkingCapitalTable, WorkingCapitalTotals,
};
use crate::format;
use crate::state::{AppState, Route};
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::roles::sees_stock_values;

/// The Policies page.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        if state.policies.with(Option::is_some) {
            // Another role draws the page again with that role's figures.
            state.role.track();
            view! { <Policies /> }.into_any()
        } else {
            view! {
                <Planned
                    route=Route::Policies
                    purpose="A stocking policy for every SKU that follows from its segment's \
                             target service level, its demand and its lead time."
                    shows=&[
                        "Target cycle service level per segment (AX 98 % down to CZ 85 % by default), editable.",
                        "Per SKU: safety stock, reorder point, economic order quantity (after MOQ \
                         and order multiple) and max, in units and in value.",
                        "Per segment: safety stock value, average inventory value, fill rate, \
                         stockouts and stock on hand against target; normal or empirical model.",
                        "The efficient frontier of each segment and what-ifs on its service level; \
                         a SKU's history, forecast and backtest error.",
                    ]
                />
            }
            .into_any()
        }
    }
}

/// The page with policies to show.
#[component]
fn Policies() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let selected = RwSignal::new(None::<String>);
    // Set when a SKU is opened from the table: its view, below the table,
    // is brought into sight when it arrives (not when it is refreshed).
    let reveal = RwSignal::new(false);
    let open = move |sku: String| {
        selected.set(Some(sku.clone()));
        reveal.set(true);
        client.send(Request::SkuDetail { sku });
    };
    Effect::new(move |_| {
        let arrived = state.sku_detail.with(|d| {
            d.as_ref().is_some_and(|d| selected.with_untracked(|s| s.as_deref() == Some(&d.sku)))
        });
        if arrived && reveal.get_untracked() {
            reveal.set(false);
            if let Some(el) = document().get_element_by_id("sku-detail-title") {
                el.scroll_into_view_with_bool(true);
            }
        }
    });
    // New policies (another level or model) refresh the open SKU's view.
    Effect::new(move |previous: Option<u64>| {
        let revision = state.policies.with(|p| p.as_ref().map_or(0, |p| p.revision));
        let stale =
            state.sku_detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.revision != revision));
        if let (Some(_), Some(sku), true) = (previous, selected.get_untracked(), stale) {
            client.send(Request::SkuDetail { sku });
        }
        revision
    });
    let basis = move || {
        state.workspace.with(|w| match (&w.summary, w.file(segscope_core::FileKind::Orders)) {
            (Some(s), Some(f)) => format!(
                "Computed from {}: {} order lines, {} SKUs, {} → {}.",
                f.layout.name,
                format::count(s.lines),
                format::count(s.skus),
                s.first_date,
                s.last_date
            ),
            _ => String::new(),
        })
    };
    view! {
        <h1>"Policies"</h1>
        <p class="lead">
            "A stocking policy for every SKU from its segment's target service level, its \
             demand and its lead time — and what it ties up in working capital."
        </p>
        <p class="basis" data-testid="basis">{basis}</p>
        <RoleNote route=Route::Policies />
        <ProgressLine />
        {move || {
            let pending = state.policies.with(|p| p.as_ref().is_some_and(|p| p.empirical_pending));
            pending.then(|| view! {
                <p class="note" role="status" data-testid="empirical-pending">
                    "Bootstrapping the slow movers' lead-time demand: their empirical figures                      appear here when ready. Every other figure is final."
                </p>
            })
        }}
        <div class="policies" class:busy=move || state.busy() aria-busy=move || state.busy().to_string()>
            <div class="pol-top">
                <ServiceLevelMatrix />
                <section class="card" aria-labelledby="wc-totals-heading">
                    <h2 id="wc-totals-heading">
                        {if sees_stock_values(state.role.get_untracked()) { "Working capital" } else { "Stockouts" }}
                    </h2>
                    <WorkingCapitalTotals />
                </section>
            </div>
            <WorkingCapitalTable />
            // The frontier and its what-if trade service against stock
            // value: only for a role that sees stock values.
            {sees_stock_values(state.role.get_untracked()).then(|| view! { <ServiceTradeoff /> })}
            <section class="card" aria-labelledby="policy-table-heading">
                <h2 id="policy-table-heading">"Policies per SKU"</h2>
                <PolicyTable selected=selected open=open />
            </section>
            <SkuView selected=selected />
        </div>
    }
}
