//! The ABC × XYZ matrix: SKUs and share of net revenue per cell; a cell is
//! a button that filters the SKU table to it.

use crate::format;
use crate::state::AppState;
use leptos::prelude::*;

/// What a row and a column stand for, under their letters.
const ROWS: [(char, &str); 3] =
    [('A', "top of the value ranking"), ('B', "middle"), ('C', "long tail")];
const COLUMNS: [(char, &str); 3] =
    [('X', "steady demand"), ('Y', "variable"), ('Z', "erratic or sporadic")];

/// The 3 × 3 matrix. `filter` holds the cell the table is filtered to;
/// clicking that cell again clears it.
#[component]
pub fn SegmentMatrix(
    /// The selected cell `(abc, xyz)`, if any.
    filter: RwSignal<Option<(char, char)>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let header = COLUMNS
        .iter()
        .map(|&(xyz, what)| {
            view! {
                <th scope="col">
                    <span class="class-letter">{xyz.to_string()}</span>
                    <span class="class-what">{what}</span>
                </th>
            }
        })
        .collect_view();
    let rows = ROWS
        .iter()
        .map(|&(abc, what)| {
            let cells = COLUMNS
                .iter()
                .map(|&(xyz, _)| view! { <MatrixCellButton abc=abc xyz=xyz filter=filter /> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        <span class="class-letter">{abc.to_string()}</span>
                        <span class="class-what">{what}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let caption = move || {
        state.segments.with(|s| {
            s.as_ref().map(|s| {
                let relabelled = s
                    .relabelled
                    .iter()
                    .map(|(label, n)| format!("{} as “{label}”", format::count(*n)))
                    .collect::<Vec<_>>();
                let rules = if relabelled.is_empty() {
                    String::new()
                } else {
                    format!(" Rules relabel {}.", relabelled.join(", "))
                };
                format!(
                    "{} SKUs by ABC class of {} and XYZ class of demand variability (cv ≤ {} is X, ≤ {} is Y).{rules}",
                    format::count(s.skus()),
                    s.pareto.criterion,
                    s.settings.x_cut,
                    s.settings.y_cut
                )
            })
        })
    };
    view! {
        <section class="card matrix-card" aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">"ABC × XYZ matrix"</h2>
            <p class="help">{caption}</p>
            <table class="matrix" data-testid="matrix">
                <thead>
                    <tr>
                        <td></td>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="help">"Each cell: SKUs and their share of net revenue. Choose a cell to list its SKUs below."</p>
        </section>
    }
}

#[component]
fn MatrixCellButton(abc: char, xyz: char, filter: RwSignal<Option<(char, char)>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let figures = move || {
        state
            .segments
            .with(|s| s.as_ref().and_then(|s| s.cell(abc, xyz)).map(|c| (c.skus, c.revenue_share)))
    };
    let label = format!("{abc}{xyz}");
    let selected = move || filter.get() == Some((abc, xyz));
    // The cell's shade follows its revenue share, so the eye finds where
    // the money is.
    let shade = move || {
        let share = figures().map_or(0.0, |f| f.1).clamp(0.0, 1.0);
        format!("--share: {:.3}", share.sqrt())
    };
    let on_click = move |_| {
        filter.update(|f| *f = if *f == Some((abc, xyz)) { None } else { Some((abc, xyz)) })
    };
    let aria = {
        let label = label.clone();
        move || {
            let (n, share) = figures().unwrap_or((0, 0.0));
            format!("{label}: {} SKUs, {} of net revenue", format::count(n), format::percent(share))
        }
    };
    view! {
        <td class="cell" class:selected=selected style=shade>
            <button
                data-testid=format!("matrix-{label}")
                aria-pressed=move || selected().to_string()
                aria-label=aria
                on:click=on_click
            >
                <span class="cell-label">{label.clone()}</span>
                <span class="cell-count" data-testid=format!("matrix-{label}-count")>
                    {move || format::count(figures().map_or(0, |f| f.0))}
                </span>
                <span class="cell-unit">"SKUs"</span>
                <span class="cell-share" data-testid=format!("matrix-{label}-share")>
                    {move || format::percent(figures().map_or(0.0, |f| f.1))}
                </span>
                <span class="cell-unit">"revenue"</span>
            </button>
        </td>
    }
}
