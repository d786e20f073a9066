//! Policies: inventory policy per SKU and segment (SPEC §4).

use super::planned::Planned;
use crate::state::Route;
use leptos::prelude::*;

/// The Policies page.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    view! {
        <Planned
            route=Route::Policies
            purpose="A stocking policy for every SKU that follows from its segment's \
                     target service level, its demand and its lead time."
            shows=&[
                "Target cycle service level per segment (AX 98 % down to CZ 85 % by default), editable.",
                "Per SKU: safety stock, reorder point, economic order quantity (after MOQ \
                 and order multiple) and order-up-to level, in units and in value.",
                "Per segment: safety stock value, cycle stock value and the resulting \
                 average inventory, with the annual holding cost.",
                "Defaults applied where the products file is silent (lead time 14 days, \
                 holding rate 25 % a year, ordering cost 50 per order).",
            ]
        />
    }
}
