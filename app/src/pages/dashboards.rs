//! Dashboards: role-based views of the results.

use super::planned::Planned;
use crate::state::Route;
use leptos::prelude::*;

/// The Dashboards page.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    view! {
        <Planned
            route=Route::Dashboards
            purpose="The results on one screen for each role: planner, finance and sales \
                     each see the figures they act on."
            shows=&[
                "Planner: SKUs and inventory value by segment, service-level targets, \
                 SKUs whose class changed since the last run.",
                "Finance: net revenue, margin and cost to serve by segment and channel; \
                 inventory and holding cost.",
                "Sales: customers by profitability quartile, the least profitable \
                 customers and why (many small orders, returns, heavy freight).",
            ]
        />
    }
}
