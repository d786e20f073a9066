//! Headline figures of the loaded orders.

use crate::format;
use crate::state::AppState;
use crate::worker_api::Summary;
use leptos::prelude::*;
use segscope_core::roles::{can_see, TableKind};

/// One card per figure, each with a `data-testid` for the end-to-end tests.
#[component]
pub fn SummaryCards(
    /// The figures from the engine.
    summary: Summary,
) -> impl IntoView {
    let s = summary;
    // Margins only for the roles that see them (the worker blanked it).
    let role = expect_context::<AppState>().role.get_untracked();
    let margin = can_see(role, TableKind::Skus, "margin");
    let horizon = format!(
        "{} → {} · {} week{}",
        s.first_date,
        s.last_date,
        s.weeks,
        if s.weeks == 1 { "" } else { "s" }
    );
    let cards = [
        ("lines", "Order lines", format::count(s.lines)),
        ("orders", "Orders", format::count(s.orders)),
        ("skus", "SKUs", format::count(s.skus)),
        ("customers", "Customers", format::count(s.customers)),
        ("revenue", "Net revenue", format::money(s.revenue)),
        ("margin", "Net margin", format::money(s.margin)),
        ("quantity", "Units ordered", format::quantity(s.quantity)),
        ("returns", "Return lines", format::count(s.return_lines as usize)),
    ];
    view! {
        <section class="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Summary"</h2>
            <p class="horizon">
                "Horizon: " <span data-testid="summary-horizon">{horizon}</span>
            </p>
            <dl class="cards">
                {cards
                    .into_iter()
                    .filter(|c| margin || c.0 != "margin")
                    .map(|(id, label, value)| {
                        view! {
                            <div class="figure">
                                <dt>{label}</dt>
                                <dd data-testid=format!("summary-{id}")>{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
