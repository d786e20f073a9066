//! Segments: ABC × XYZ classification of every SKU (SPEC §3) — the matrix,
//! the Pareto curve, the demand-pattern chart, clusters, the SKU table with
//! per-SKU explanations, the settings and the stress test.
//!
//! Everything shown comes from the worker's `SegmentsView`; settings go
//! back as an `Analyze` request and the page stays usable while the
//! worker recomputes.

use super::planned::Planned;
use crate::charts;
use crate::client::EngineClient;
use crate::components::{
    CanvasArea, ChartCanvas, ClusterPanel, Explanation, Later, ProgressLine, SegmentMatrix,
    SegmentSettings, SkuOverride, SkuTable, StressTest,
};
use crate::format;
use crate::state::{AppState, Route};
use crate::worker_api::Request;
use leptos::prelude::*;

/// The Segments page.
#[component]
pub fn SegmentsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A memo, so that a new analysis updates the page in place rather than
    // building it again (which would lose the filter, order and choice).
    let has_segments = Memo::new(move |_| state.segments.with(Option::is_some));
    move || {
        if has_segments.get() {
            view! { <Segments /> }.into_any()
        } else {
            view! {
                <Planned
                    route=Route::Segments
                    purpose="Every SKU ranked by value (ABC) and by how steady its demand is \
                             (XYZ), so that each segment can get its own stocking rule."
                    shows=&[
                        "The 3 × 3 ABC / XYZ matrix: SKUs and share of net revenue in each cell.",
                        "The Pareto curve of cumulative revenue share with the A and B cuts (80 % and 95 % by default).",
                        "Demand patterns (smooth, erratic, intermittent, lumpy) from ADI and CV², and \
                         optional clusters on value and demand features.",
                        "Per SKU: ABC class, coefficient of variation, XYZ class (X ≤ 0.5, Y ≤ 1.0, Z \
                         above), pattern, and in words why it is where it is.",
                        "Settings (criterion, cuts, time bucket, half-life, capping, clustering, rules) \
                         and a stress test of how robust the segments are.",
                    ]
                />
            }
            .into_any()
        }
    }
}

/// The page with an analysis to show.
#[component]
fn Segments() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let cell = RwSignal::new(None::<(char, char)>);
    let selected = RwSignal::new(None::<String>);
    let open = move |sku: String| {
        selected.set(Some(sku.clone()));
        client.send(Request::Explain { sku });
    };
    // A new analysis (other settings, another file) drops the explanation
    // shown; the SKU still chosen is explained again.
    let generation = Memo::new(move |_| state.segments.with(|s| s.as_ref().map(|s| s.generation)));
    Effect::new(move |previous: Option<Option<u64>>| {
        let now = generation.get();
        if let (Some(before), Some(sku)) = (previous, selected.get_untracked()) {
            if before != now {
                client.send(Request::Explain { sku });
            }
        }
        now
    });
    let basis = move || {
        state.workspace.with(|w| match (&w.summary, w.file(segscope_core::FileKind::Orders)) {
            (Some(s), Some(f)) => format!(
                "Computed from {}: {} order lines, {} SKUs, {} customers, {} → {}.",
                f.layout.name,
                format::count(s.lines),
                format::count(s.skus),
                format::count(s.customers),
                s.first_date,
                s.last_date
            ),
            _ => String::new(),
        })
    };
    let pareto_label = move || {
        state.segments.with(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                let p = &s.pareto;
                format!(
                    "{}. {} {}",
                    charts::pareto::title(p),
                    charts::pareto::cut_label('A', p.a_cut, p.a_skus),
                    charts::pareto::cut_label('B', p.b_cut, p.b_skus)
                )
            })
        })
    };
    let draw_pareto = move |area: &CanvasArea| {
        state.segments.with(|s| match s {
            Some(s) => charts::pareto::draw(area, &s.pareto).map_err(|e| format!("{e:?}")),
            None => Ok(()),
        })
    };
    let draw_patterns = move |area: &CanvasArea| {
        state.segments.with(|s| match s {
            Some(s) => charts::patterns::draw(area, &s.patterns).map_err(|e| format!("{e:?}")),
            None => Ok(()),
        })
    };
    let patterns_note = move || {
        state.segments.with(|s| {
            s.as_ref().map(|s| {
                let p = &s.patterns;
                let without = s.skus().saturating_sub(p.with_demand);
                let mut note = if p.sampled {
                    format!(
                        "Showing an even sample of {} of the {} SKUs with demand (every ~{}th by rank).",
                        format::count(p.points.len()),
                        format::count(p.with_demand),
                        (p.with_demand as f64 / p.points.len().max(1) as f64).round()
                    )
                } else {
                    format!("All {} SKUs with demand.", format::count(p.with_demand))
                };
                let counts: Vec<String> = crate::worker_api::PATTERNS
                    .iter()
                    .zip(&p.counts)
                    .take(4)
                    .map(|(name, n)| format!("{name} {}", format::count(*n)))
                    .collect();
                note.push_str(&format!(" SKUs per pattern: {}", counts.join(" · ")));
                if without > 0 {
                    note.push_str(&format!("; {} without demand have none", format::count(without)));
                }
                note.push('.');
                note
            })
        })
    };
    view! {
        <h1>"Segments"</h1>
        <p class="lead">
            "Every SKU ranked by value (ABC) and by how steady its demand is (XYZ), so that \
             each segment can get its own stocking rule."
        </p>
        <p class="basis" data-testid="basis">{basis}</p>
        <ProgressLine />
        // Busy until the segments arrive, not until the policy and cost
        // stages that run after them are done.
        <div
            class="segments"
            class:busy=move || state.segments_waiting.get()
            aria-busy=move || state.segments_waiting.get().to_string()
            data-generation=move || generation.get().map(|g| g.to_string())
        >
            <div class="seg-top">
                <SegmentMatrix filter=cell />
                <SegmentSettings />
            </div>
            // The matrix and settings first, the rest a task later.
            <Later>
                <div class="seg-charts">
                    <section class="card chart-card" aria-label="Pareto curve">
                        <ChartCanvas width=500 height=360 testid="pareto-chart" label=Signal::derive(pareto_label) draw=draw_pareto />
                    </section>
                    <section class="card chart-card" aria-label="Demand patterns">
                        <ChartCanvas
                            width=500
                            height=360
                            testid="pattern-chart"
                            label="Scatter of ADI against CV² per SKU, in the four demand-pattern quadrants"
                            draw=draw_patterns
                        />
                        <p class="help" data-testid="pattern-note">{patterns_note}</p>
                    </section>
                </div>
                <section class="card" aria-labelledby="skus-heading">
                    <h2 id="skus-heading">"SKUs"</h2>
                    <Explanation selected=selected />
                    <SkuOverride selected=selected />
                    <SkuTable cell=cell selected=selected open=open />
                </section>
                <ClusterPanel />
                <StressTest />
            </Later>
        </div>
    }
}
