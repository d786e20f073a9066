//! The Segments page's on-demand parts: a SKU's explanation, the stress
//! test, and the cluster view.

use super::chart::ChartCanvas;
use crate::charts;
use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::config::SEGMENTS;

/// Why the selected SKU is in its segment, in core's sentences.
#[component]
pub fn Explanation(
    /// The SKU chosen in the table.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || match (selected.get(), state.explanation.get()) {
        (Some(sku), Some(x)) if x.sku == sku && !x.lines.is_empty() => view! {
            <h3>{format!("Why {} is {}", x.sku, x.segment)}</h3>
            <ul data-testid="explanation-lines">
                {x.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
        (Some(sku), Some(x)) if x.sku == sku => {
            view! { <p>{format!("{sku} is not in the current analysis.")}</p> }.into_any()
        }
        (Some(sku), _) => view! { <p class="help">{format!("Explaining {sku}…")}</p> }.into_any(),
        (None, _) => view! {
            <p class="help">
                "Choose a SKU in the table (click it, or focus it and press Enter) to see which \
                 figure and which cut put it in its class, and which rule changed it."
            </p>
        }
        .into_any(),
    };
    view! {
        <div class="explanation" data-testid="explanation" aria-live="polite">{body}</div>
    }
}

/// The stress test: a button, then per scenario the share of SKUs of each
/// segment that would change segment, and a summary sentence.
#[component]
pub fn StressTest() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let run = move |_| client.send(Request::Stress);
    let result = move || {
        state.stress.get().map(|s| {
            // Segments as columns: the nine cells first, then rule labels.
            let mut segments: Vec<String> = Vec::new();
            for sc in &s.scenarios {
                for label in sc.by_segment.keys() {
                    if !segments.contains(label) {
                        segments.push(label.clone());
                    }
                }
            }
            segments.sort_unstable_by_key(|l| (SEGMENTS.iter().position(|s| s == l).unwrap_or(SEGMENTS.len()), l.clone()));
            let head = segments.iter().map(|l| view! { <th scope="col" class="num">{l.clone()}</th> }).collect_view();
            let rows = s
                .scenarios
                .iter()
                .map(|sc| {
                    let cells = segments
                        .iter()
                        .map(|l| match sc.by_segment.get(l) {
                            Some(&(skus, changed)) if skus > 0 => {
                                let share = changed as f64 / skus as f64;
                                view! {
                                    <td class="num" class:moved={changed > 0} title=format!("{changed} of {skus} SKUs change segment")>
                                        {format::percent(share)}
                                        <span class="of">{format!(" {changed}/{skus}")}</span>
                                    </td>
                                }
                                .into_any()
                            }
                            _ => view! { <td class="num">"–"</td> }.into_any(),
                        })
                        .collect_view();
                    view! {
                        <tr data-scenario=sc.name.clone()>
                            <th scope="row">{sc.name.clone()}<span class="what">{sc.description.clone()}</span></th>
                            <td class="num total">{format::percent(sc.changed_share)}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="stress-summary" data-testid="stress-summary">{s.summary.clone()}</p>
                <div class="table-scroll">
                    <table class="stress" data-testid="stress-table">
                        <thead>
                            <tr>
                                <th scope="col">"Scenario"</th>
                                <th scope="col" class="num">"All SKUs"</th>
                                {head}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="help">"Share of each segment's SKUs that would land in another segment under the scenario (SKUs moving / SKUs in the segment)."</p>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="stress-heading">
            <h2 id="stress-heading">"Stress test"</h2>
            <p class="help">
                "How robust is this segmentation? The engine classifies again under five \
                 disturbances — noisy demand, only the recent half of the history, the ABC cuts \
                 five points lower and higher, and a promotion spike on the top SKUs — and \
                 counts the SKUs that change segment."
            </p>
            <button data-testid="run-stress" prop:disabled=move || state.busy() on:click=run>
                "Run the stress test"
            </button>
            {result}
        </section>
    }
}

/// Clusters: two features against each other, coloured by cluster, and
/// the centroid table (which is the chart's legend).
#[component]
pub fn ClusterPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let x = RwSignal::new(0usize);
    let y = RwSignal::new(1usize);
    let clusters = move || state.segments.with(|s| s.as_ref().and_then(|s| s.clusters.clone()));
    // A new feature list may be shorter: keep the choices in range. With
    // clustering off there is no list, and the choices wait for one (they
    // were put back to the first feature on both axes, a diagonal line).
    Effect::new(move |_| {
        let d = state
            .segments
            .with(|s| s.as_ref().and_then(|s| s.clusters.as_ref()).map_or(0, |c| c.features.len()));
        if d == 0 {
            return;
        }
        if x.get_untracked() >= d {
            x.set(0);
        }
        if y.get_untracked() >= d {
            y.set(if d > 1 { 1 } else { 0 });
        }
    });
    let body = move || match clusters() {
        None => view! {
            <p class="help" data-testid="clusters-off">
                "Clustering is off. Turn on “Cluster SKUs” in the settings to group SKUs by \
                 their value and demand features rather than by the fixed ABC and XYZ cuts."
            </p>
        }
        .into_any(),
        Some(c) => {
            let features = c.features.clone();
            let options = move |chosen: RwSignal<usize>| {
                features
                    .iter()
                    .enumerate()
                    .map(|(j, f)| {
                        view! { <option value=j.to_string() prop:selected=move || chosen.get() == j>{charts::clusters::axis_name(*f)}</option> }
                    })
                    .collect_view()
            };
            let pick = move |chosen: RwSignal<usize>| {
                move |ev: leptos::ev::Event| {
                    if let Ok(j) = event_target_value(&ev).parse::<usize>() {
                        chosen.set(j)
                    }
                }
            };
            let heads = c
                .features
                .iter()
                .map(|f| view! { <th scope="col" class="num">{f.original_name()}</th> })
                .collect_view();
            let rows = c
                .clusters
                .iter()
                .enumerate()
                .map(|(k, row)| {
                    let swatch = format!("background: {}", charts::cluster_color(k));
                    view! {
                        <tr>
                            <th scope="row"><span class="swatch" style=swatch></span>{format!("{} {}", k + 1, row.label)}</th>
                            <td class="num">{format::count(row.size)}</td>
                            {row.centroid.iter().map(|v| view! { <td class="num">{charts::tick_number(v)}</td> }).collect_view()}
                        </tr>
                    }
                })
                .collect_view();
            let about = format!(
                "{} of {} SKUs{}, k {}{}.",
                if c.sampled {
                    format!("{} shown", format::count(c.assignment.len()))
                } else {
                    "All".into()
                },
                format::count(c.skus),
                if c.sampled { " (an even sample)" } else { "" },
                if c.k_fixed { "fixed" } else { "chosen by silhouette" },
                c.silhouette.map(|s| format!(", mean silhouette {s:.2}")).unwrap_or_default()
            );
            let notes = c.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
            let draw = move |area: &super::chart::CanvasArea| {
                state.segments.with(|s| match s.as_ref().and_then(|s| s.clusters.as_ref()) {
                    Some(c) => charts::clusters::draw(area, c, x.get(), y.get())
                        .map_err(|e| format!("{e:?}")),
                    None => Ok(()),
                })
            };
            view! {
                <div class="cluster-layout">
                    <div>
                        <div class="axis-pick" data-testid="cluster-axes">
                            <label><span>"Across"</span><select on:change=pick(x)>{options(x)}</select></label>
                            <label><span>"Up"</span><select on:change=pick(y)>{options(y)}</select></label>
                        </div>
                        <ChartCanvas width=500 height=360 testid="cluster-chart" label="Scatter of the SKUs on two clustering features, coloured by cluster" draw=draw />
                        <p class="help">{about}</p>
                    </div>
                    <div>
                        <div class="table-scroll">
                            <table class="centroids" data-testid="cluster-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Cluster"</th>
                                        <th scope="col" class="num">"SKUs"</th>
                                        {heads}
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <p class="help">"Centroids in original units (log features as a typical value)."</p>
                        <ul class="notes">{notes}</ul>
                    </div>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" aria-labelledby="clusters-heading">
            <h2 id="clusters-heading">"Clusters"</h2>
            {body}
        </section>
    }
}
