//! Headline figures of the loaded orders.

use crate::format;
use crate::worker_api::Summary;
use leptos::prelude::*;

/// One card per figure, each with a `data-testid` for the end-to-end tests.
#[component]
pub fn SummaryCards(
    /// The figures from the engine.
    summary: Summary,
) -> impl IntoView {
    let s = summary;
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
