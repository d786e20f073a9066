//! Segments: ABC × XYZ classification of every SKU (SPEC §3).

use super::planned::Planned;
use crate::state::Route;
use leptos::prelude::*;

/// The Segments page.
#[component]
pub fn SegmentsPage() -> impl IntoView {
    view! {
        <Planned
            route=Route::Segments
            purpose="Every SKU ranked by value (ABC) and by how steady its demand is \
                     (XYZ), so that each segment can get its own stocking rule."
            shows=&[
                "The 3 × 3 ABC / XYZ matrix: SKUs, share of net revenue and units in each cell.",
                "The Pareto curve of cumulative revenue share with the A and B cuts (80 % and 95 % by default).",
                "Per SKU: ABC class, coefficient of variation of weekly demand, XYZ class \
                 (X ≤ 0.5, Y ≤ 1.0, Z above) and demand pattern (smooth, erratic, \
                 intermittent, lumpy, from ADI and CV²).",
                "Settings: ranking criterion (revenue, margin, quantity or order lines), \
                 the cuts, and the time bucket (day, week, month).",
            ]
        />
    }
}
