//! Cost to serve: activity-based costing of orders, customers and SKUs (SPEC §5).

use super::planned::Planned;
use crate::state::Route;
use leptos::prelude::*;

/// The Cost to serve page.
#[component]
pub fn CostPage() -> impl IntoView {
    view! {
        <Planned
            route=Route::CostToServe
            purpose="What it costs to serve each customer and SKU: the annual cost pools \
                     are spread over order lines by their drivers and added up."
            shows=&[
                "The cost pools with their drivers (orders, lines, units, value, weight, \
                 customers), driver totals and cost per driver unit.",
                "Per customer: net revenue, gross margin, cost to serve and net margin \
                 after cost to serve, with the profitability (whale) curve.",
                "Per SKU and per segment: cost to serve and net margin after it.",
                "The check that allocated cost adds up to the pools' annual cost.",
            ]
        />
    }
}
