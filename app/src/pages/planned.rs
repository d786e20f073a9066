//! The frame of an analysis page whose figures are still to come: what it
//! is for, what it will show, and whether data is loaded for it.

use crate::components::NoData;
use crate::format;
use crate::state::{AppState, Route};
use leptos::prelude::*;

/// Heading, purpose, the list of figures the page will show, and either
/// the "load data first" notice or the data it will be computed from.
#[component]
pub fn Planned(
    /// The page.
    route: Route,
    /// One or two sentences on what the page is for.
    purpose: &'static str,
    /// The tables, charts and figures it will show.
    shows: &'static [&'static str],
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let basis = move || {
        state.workspace.with(|w| match (&w.summary, w.file(segscope_core::FileKind::Orders)) {
            (Some(s), Some(f)) => view! {
                <p class="basis" data-testid="basis">
                    {format!(
                        "Computed from {}: {} order lines, {} SKUs, {} customers, {} → {}.",
                        f.layout.name,
                        format::count(s.lines),
                        format::count(s.skus),
                        format::count(s.customers),
                        s.first_date,
                        s.last_date
                    )}
                </p>
            }
            .into_any(),
            _ => view! { <NoData /> }.into_any(),
        })
    };
    view! {
        <h1>{route.title()}</h1>
        <p class="lead">{purpose}</p>
        {basis}
        <section class="card planned">
            <h2>"What this page will show"</h2>
            <ul>{shows.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}</ul>
        </section>
    }
}
