//! The SKUs with the highest net revenue.

use crate::format;
use crate::state::AppState;
use crate::worker_api::SkuRow;
use leptos::prelude::*;
use segscope_core::roles::{can_see, TableKind};

/// A short table, so a user can recognise their best sellers and trust the load.
#[component]
pub fn TopSkus(
    /// Rows in order, highest revenue first.
    rows: Vec<SkuRow>,
) -> impl IntoView {
    // Margins only for the roles that see them (the worker blanked them).
    let role = expect_context::<AppState>().role.get_untracked();
    let margin = can_see(role, TableKind::Skus, "margin");
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.sku}</th>
                    <td class="num">{format::money(r.revenue)}</td>
                    {margin.then(|| view! { <td class="num">{format::money(r.margin)}</td> })}
                    <td class="num">{format::quantity(r.quantity)}</td>
                    <td class="num">{format::count(r.order_lines as usize)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="top-skus">
            <h2>"Top SKUs by net revenue"</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"SKU"</th>
                        <th scope="col" class="num">"Net revenue"</th>
                        {margin.then(|| view! { <th scope="col" class="num">"Net margin"</th> })}
                        <th scope="col" class="num">"Units"</th>
                        <th scope="col" class="num">"Order lines"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}
