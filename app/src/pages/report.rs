//! The workshop report: one printable page with the headline figures, the
//! segment matrix, the policies and cost tiers per segment, the charts and
//! the run it comes from (settings, input files with their SHA-256, engine
//! version, time). A print stylesheet (`style/main.css`, "Export and
//! report") drops the navigation and prints black on white.
//!
//! It shows only what the role shown may see: the views are already cut by
//! the worker, and the columns below ask `segscope_core::roles` too.

use crate::charts;
use crate::client::EngineClient;
use crate::components::{CanvasArea, ChartCanvas, NoData};
use crate::format;
use crate::state::{AppState, Route};
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::config::Criterion;
use segscope_core::roles::{can_see, sees_table, TableKind};

/// When the report was made, from the browser's clock, as
/// `2026-11-22 01:20 UTC`.
fn made_at() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => iso,
    }
}

/// What ABC ranks by, in words.
fn criterion_words(c: Criterion) -> &'static str {
    match c {
        Criterion::Revenue => "net revenue",
        Criterion::Margin => "net margin",
        Criterion::Quantity => "quantity",
        Criterion::OrderLines => "order lines",
    }
}

/// The report page.
#[component]
pub fn ReportPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    Effect::new(move |_| {
        state.segments.track();
        state.role.track();
        client.send(Request::ExportView);
    });
    let made = made_at();
    let has_data = move || state.workspace.with(|w| w.summary.is_some());
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <article class="report" data-testid="report">
            <header class="report-head">
                <h1>"segscope — workshop report"</h1>
                <p class="lead" data-testid="report-meta">
                    {move || format!("For the {} role · made {made}", state.role.get().label())}
                </p>
                <div class="no-print report-actions">
                    <button class="primary" data-testid="report-print" on:click=print>"Print"</button>
                    <a class="button" href=Route::Export.hash()>"Back to Export"</a>
                </div>
            </header>
            <Show when=has_data fallback=|| view! { <NoData /> }>
                <Headline />
                <Matrix />
                <Policies />
                <Tiers />
                <Charts />
            </Show>
            <RunInfo />
        </article>
    }
}

#[component]
fn Headline() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let role = state.role.get();
        state.workspace.with(|w| {
            w.summary.as_ref().map(|s| {
                let mut cards = vec![
                    ("lines", "Order lines", format::count(s.lines)),
                    ("orders", "Orders", format::count(s.orders)),
                    ("skus", "SKUs", format::count(s.skus)),
                    ("customers", "Customers", format::count(s.customers)),
                    ("horizon", "Horizon", format!("{} → {}", s.first_date, s.last_date)),
                    ("revenue", "Net revenue", format::money(s.revenue)),
                ];
                if can_see(role, TableKind::Skus, "margin") {
                    cards.push(("margin", "Net margin", format::money(s.margin)));
                }
                view! {
                    <section class="report-section" aria-labelledby="report-headline">
                        <h2 id="report-headline">"Headline figures"</h2>
                        <dl class="cards">
                            {cards
                                .into_iter()
                                .map(|(id, label, value)| view! {
                                    <div class="figure">
                                        <dt>{label}</dt>
                                        <dd data-testid=format!("report-{id}")>{value}</dd>
                                    </div>
                                })
                                .collect_view()}
                        </dl>
                    </section>
                }
            })
        })
    }
}

#[component]
fn Matrix() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.segments.with(|s| {
            s.as_ref().map(|s| {
                let cell = |abc: char, xyz: char| {
                    s.matrix.iter().find(|c| c.abc == abc && c.xyz == xyz).map_or_else(
                        || "–".to_owned(),
                        |c| format!("{} SKUs · {}", format::count(c.skus), format::percent(c.revenue_share)),
                    )
                };
                let rows = ['A', 'B', 'C']
                    .into_iter()
                    .map(|abc| view! {
                        <tr>
                            <th scope="row">{abc.to_string()}</th>
                            {['X', 'Y', 'Z']
                                .into_iter()
                                .map(|xyz| view! {
                                    <td data-testid=format!("report-cell-{abc}{xyz}")>{cell(abc, xyz)}</td>
                                })
                                .collect_view()}
                        </tr>
                    })
                    .collect_view();
                let st = &s.settings;
                let cuts = format!(
                    "ABC by {} at {} and {} of the total; XYZ cuts at a coefficient of variation \
                     of {} and {}, per {}.",
                    criterion_words(st.criterion),
                    format::percent(st.a_cut),
                    format::percent(st.b_cut),
                    st.x_cut,
                    st.y_cut,
                    st.bucket.name()
                );
                view! {
                    <section class="report-section" aria-labelledby="report-matrix">
                        <h2 id="report-matrix">"Segment matrix"</h2>
                        <p class="help">"SKUs and share of revenue per segment. " {cuts}</p>
                        <table class="report-table report-matrix">
                            <thead>
                                <tr><th></th><th scope="col">"X"</th><th scope="col">"Y"</th><th scope="col">"Z"</th></tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </section>
                }
            })
        })
    }
}

#[component]
fn Policies() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let role = state.role.get();
        let values = can_see(role, TableKind::Policies, "avg_inventory_value");
        state.policies.with(|p| {
            p.as_ref().map(|p| {
                let rows = p
                    .segments
                    .iter()
                    .map(|r| {
                        let s = &r.summary;
                        view! {
                            <tr>
                                <th scope="row">{s.segment.clone()}</th>
                                <td class="num">{format::count(s.skus)}</td>
                                <td class="num">{format::percent(s.service_level)}</td>
                                <td class="num">{s.fill_rate.map_or("–".into(), format::percent)}</td>
                                <td class="num">{format::fixed(s.stockouts_per_year, 1)}</td>
                                {values.then(|| view! {
                                    <td class="num">{format::money(s.safety_stock_value)}</td>
                                    <td class="num">{format::money(s.avg_inventory_value)}</td>
                                })}
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="report-section" aria-labelledby="report-policies">
                        <h2 id="report-policies">"Inventory policy per segment"</h2>
                        <table class="report-table" data-testid="report-policies">
                            <thead>
                                <tr>
                                    <th scope="col">"Segment"</th>
                                    <th scope="col" class="num">"SKUs"</th>
                                    <th scope="col" class="num">"Target service"</th>
                                    <th scope="col" class="num">"Fill rate"</th>
                                    <th scope="col" class="num">"Stockouts / year"</th>
                                    {values.then(|| view! {
                                        <th scope="col" class="num">"Safety stock value"</th>
                                        <th scope="col" class="num">"Avg. inventory value"</th>
                                    })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </section>
                }
            })
        })
    }
}

#[component]
fn Tiers() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let role = state.role.get();
        if !sees_table(role, TableKind::Tiers) {
            return None;
        }
        let money = can_see(role, TableKind::Tiers, "profit");
        state.cost.with(|c| {
            c.as_ref().filter(|c| !c.tiers.is_empty()).map(|c| {
                let rows = c
                    .tiers
                    .iter()
                    .map(|t| view! {
                        <tr>
                            <th scope="row">{t.name.clone()}</th>
                            <td class="num">{t.customers}</td>
                            <td class="num">{format::percent(t.customer_share)}</td>
                            <td class="num">{format::money(t.revenue)}</td>
                            {money.then(|| view! {
                                <td class="num">{format::money(t.cost_to_serve)}</td>
                                <td class="num">{format::money(t.profit)}</td>
                                <td class="num">{t.profit_share.map_or("–".into(), format::percent)}</td>
                            })}
                        </tr>
                    })
                    .collect_view();
                view! {
                    <section class="report-section" aria-labelledby="report-tiers">
                        <h2 id="report-tiers">"Customer tiers"</h2>
                        <table class="report-table" data-testid="report-tiers">
                            <thead>
                                <tr>
                                    <th scope="col">"Tier"</th>
                                    <th scope="col" class="num">"Customers"</th>
                                    <th scope="col" class="num">"Share"</th>
                                    <th scope="col" class="num">"Revenue"</th>
                                    {money.then(|| view! {
                                        <th scope="col" class="num">"Cost to serve"</th>
                                        <th scope="col" class="num">"Profit"</th>
                                        <th scope="col" class="num">"Profit share"</th>
                                    })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </section>
                }
            })
        })
    }
}

#[component]
fn Charts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let draw_pareto = move |area: &CanvasArea| {
        state.segments.with(|s| match s {
            Some(s) => charts::pareto::draw(area, &s.pareto).map_err(|e| format!("{e:?}")),
            None => Ok(()),
        })
    };
    let draw_whale = move |area: &CanvasArea| {
        state.cost.with(|c| match c {
            Some(c) => charts::whale::draw(area, &c.whale).map_err(|e| format!("{e:?}")),
            None => Ok(()),
        })
    };
    let pareto_label = move || {
        state
            .segments
            .with(|s| s.as_ref().map(|s| charts::pareto::title(&s.pareto)).unwrap_or_default())
    };
    let whale_label = move || {
        state.cost.with(|c| c.as_ref().map(|c| charts::whale::title(&c.whale)).unwrap_or_default())
    };
    let whale = move || {
        let role = state.role.get();
        (can_see(role, TableKind::Customers, "profit") && state.cost.with(|c| c.is_some())).then(|| {
            view! {
                <figure>
                    <ChartCanvas width=520 height=340 testid="report-whale" label=Signal::derive(whale_label) draw=draw_whale />
                    <figcaption>"Whale curve: cumulative profit by customer, most profitable first."</figcaption>
                </figure>
            }
        })
    };
    view! {
        <section class="report-section report-charts" aria-labelledby="report-charts">
            <h2 id="report-charts">"Charts"</h2>
            <div class="report-figures">
                <figure>
                    <ChartCanvas width=520 height=340 testid="report-pareto" label=Signal::derive(pareto_label) draw=draw_pareto />
                    <figcaption>"Pareto curve of the ABC criterion with the A and B cuts."</figcaption>
                </figure>
                {whale}
            </div>
        </section>
    }
}

#[component]
fn RunInfo() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.export.with(|e| {
            e.as_ref().map(|e| {
                let inputs = e
                    .inputs
                    .iter()
                    .map(|i| {
                        view! {
                            <tr>
                                <td>{crate::worker_api::kind_label(i.kind)}</td>
                                <td>{i.name.clone()}</td>
                                <td class="num">{format::bytes(i.bytes)}</td>
                                <td class="hash">{i.sha256.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                // The configuration holds cost assumptions (ordering and
                // holding cost, pools' what-ifs): shown to the roles that
                // see costs.
                let config = can_see(e.role, TableKind::Pools, "cost").then(|| {
                    view! {
                        <details class="report-config" open>
                            <summary>"Settings (configuration JSON)"</summary>
                            <pre data-testid="report-config">{e.config_json.clone()}</pre>
                        </details>
                    }
                });
                view! {
                    <section class="report-section report-run" aria-labelledby="report-run">
                        <h2 id="report-run">"Run"</h2>
                        <p data-testid="report-engine">
                            {format!("segscope engine {}.", e.engine_version)}
                        </p>
                        <table class="report-table" data-testid="report-inputs">
                            <thead>
                                <tr>
                                    <th scope="col">"Input"</th>
                                    <th scope="col">"File"</th>
                                    <th scope="col" class="num">"Size"</th>
                                    <th scope="col">"SHA-256"</th>
                                </tr>
                            </thead>
                            <tbody>{inputs}</tbody>
                        </table>
                        {config}
                    </section>
                }
            })
        })
    }
}
