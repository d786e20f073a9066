//! Dashboards: the role's KPIs per segment (core's `kpi`, only those the
//! role sees, built by the worker), a chart of one KPI by segment and the
//! tier mix. Every KPI carries its formula as help text, reachable by
//! keyboard (a `<details>` disclosure, "?") and as a tooltip.

use crate::charts::kpi_bars::{self, KpiBars};
use crate::charts::tier_mix;
use crate::components::{CanvasArea, ChartCanvas, NoData, ProgressLine};
use crate::state::AppState;
use crate::worker_api::{DashboardView, KpiColumn};
use leptos::prelude::*;
use segscope_core::kpi::Kpi;
use segscope_core::roles::{sees_kpi, Role};

/// What each role's dashboard is for, in a sentence.
fn purpose(role: Role) -> &'static str {
    match role {
        Role::Consultant => "Every figure per segment: value, cost to serve, stock and service.",
        Role::Planner => {
            "Stock and service per segment: how fast stock turns, the service the policies \
             target and how often they run out, and whether deliveries arrive on time."
        }
        Role::Finance => {
            "Profitability and working capital per segment: revenue, margin, cost to serve per \
             order and the inventory the policies tie up."
        }
        Role::Sales => {
            "The service customers get per segment — target service level, fill rate, \
             stockouts, on-time delivery — and the customers per profitability tier."
        }
    }
}

/// The Dashboards page.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let title = move || format!("Dashboards — {}", state.role.get().label());
    view! {
        <h1 data-testid="dashboard-title">{title}</h1>
        <p class="lead">{move || purpose(state.role.get())}</p>
        <ProgressLine />
        {move || {
            if !state.workspace.with(|w| w.has_data()) {
                // Until data is loaded: what to do, and the role's figures
                // with their formulas.
                let role = state.role.get();
                let figures = Kpi::ALL
                    .into_iter()
                    .filter(|k| sees_kpi(role, k.key()))
                    .map(|k| view! { <li><strong>{k.label()}</strong>": "{k.formula()}</li> })
                    .collect_view();
                view! {
                    <NoData />
                    <section class="card planned">
                        <h2>"What this page will show"</h2>
                        <p>"Per segment and over all SKUs, with a chart of each figure:"</p>
                        <ul>{figures}</ul>
                    </section>
                }
                .into_any()
            } else if state.dashboard.with(Option::is_none) {
                view! { <p class="help">"Computing the dashboard…"</p> }.into_any()
            } else {
                view! { <Dashboard /> }.into_any()
            }
        }}
    }
}

/// A KPI's name with its formula: a tooltip and a keyboard-reachable
/// disclosure.
#[component]
fn KpiName(kpi: Kpi) -> impl IntoView {
    view! {
        <span class="kpi-name" title=kpi.formula()>
            {kpi.label()}
            <details class="kpi-help" data-testid=format!("kpi-help-{}", kpi.key())>
                <summary aria-label=format!("How {} is computed", kpi.label())>"?"</summary>
                <p class="kpi-formula">{kpi.formula()}</p>
            </details>
        </span>
    }
}

/// The headline cards: each KPI over all SKUs.
fn cards(view: &DashboardView) -> impl IntoView + use<> {
    view.kpis
        .iter()
        .filter(|c| c.kpi != Kpi::Skus)
        .map(|c: &KpiColumn| {
            let kpi = c.kpi;
            let value = kpi_bars::kpi_text(kpi, c.total);
            view! {
                <div class="figure kpi-card" data-kpi=kpi.key()>
                    <dt>
                        <KpiName kpi=kpi />
                    </dt>
                    <dd data-testid=format!("kpi-total-{}", kpi.key())>{value}</dd>
                    {c.absent.clone().map(|why| view! { <p class="kpi-absent">{why}</p> })}
                </div>
            }
        })
        .collect_view()
}

/// The table: one row per segment and one for all SKUs.
fn table(view: &DashboardView) -> impl IntoView + use<> {
    let headers = view
        .kpis
        .iter()
        .map(|c| {
            view! {
                <th scope="col" class="num" data-kpi=c.kpi.key()>
                    <KpiName kpi=c.kpi />
                </th>
            }
        })
        .collect_view();
    let row = |name: String, cells: Vec<String>, total: bool| {
        let key = name.clone();
        view! {
            <tr class:total=total data-segment=key>
                <th scope="row">{name}</th>
                {cells.into_iter().map(|v| view! { <td class="num">{v}</td> }).collect_view()}
            </tr>
        }
    };
    let mut rows: Vec<_> = view
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cells = view
                .kpis
                .iter()
                .map(|c| kpi_bars::kpi_text(c.kpi, c.values.get(i).copied().flatten()))
                .collect();
            row(s.clone(), cells, false)
        })
        .collect();
    let totals = view.kpis.iter().map(|c| kpi_bars::kpi_text(c.kpi, c.total)).collect();
    rows.push(row("All SKUs".into(), totals, true));
    view! {
        <div class="table-scroll">
            <table class="kpi-table" data-testid="kpi-table">
                <thead>
                    <tr>
                        <th scope="col">"Segment"</th>
                        {headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The dashboard of the role, once the worker has sent it.
#[component]
fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The KPI the bar chart shows until the user picks another.
    let picked = RwSignal::new(None::<Kpi>);
    let chartable = move || {
        state.dashboard.with(|d| {
            d.as_ref()
                .map(|d| d.kpis.iter().map(|c| c.kpi).filter(|k| *k != Kpi::Skus).collect())
                .unwrap_or_else(Vec::new)
        })
    };
    let shown = move || {
        let options: Vec<Kpi> = chartable();
        // Revenue is on every dashboard; the role's own first figure is
        // the more telling default.
        let first = options.iter().find(|k| **k != Kpi::Revenue).or(options.first()).copied();
        picked.get().filter(|k| options.contains(k)).or(first)
    };
    let bars = move || {
        let kpi = shown()?;
        state.dashboard.with(|d| d.as_ref().and_then(|d| KpiBars::of(d, kpi)))
    };
    let draw_bars = move |area: &CanvasArea| match bars() {
        Some(b) => kpi_bars::draw(area, &b).map_err(|e| format!("{e:?}")),
        None => Ok(()),
    };
    let bars_label = move || {
        bars().map_or_else(String::new, |b| {
            let values: Vec<String> = b
                .segments
                .iter()
                .zip(&b.values)
                .map(|(s, v)| format!("{s} {}", kpi_bars::kpi_text(b.kpi, *v)))
                .collect();
            format!("{}: {}", kpi_bars::title(&b), values.join(", "))
        })
    };
    let tiers = move || state.dashboard.with(|d| d.as_ref().and_then(|d| d.tiers.clone()));
    let draw_tiers = move |area: &CanvasArea| match tiers() {
        Some(t) => tier_mix::draw(area, &t).map_err(|e| format!("{e:?}")),
        None => Ok(()),
    };
    let tiers_label = move || {
        tiers().map_or_else(String::new, |t| {
            let parts: Vec<String> = t
                .iter()
                .zip(tier_mix::shares(&t))
                .map(|(t, (c, r))| {
                    format!(
                        "{} {:.0}% of customers, {:.0}% of revenue",
                        t.tier,
                        c * 100.0,
                        r * 100.0
                    )
                })
                .collect();
            format!("{}: {}", tier_mix::TITLE, parts.join("; "))
        })
    };
    let options = move || {
        chartable()
            .into_iter()
            .map(|k| {
                view! {
                    <option value=k.key() selected=move || shown() == Some(k)>
                        {k.label()}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="dashboard" class:busy=move || state.busy() data-testid="dashboard"
            data-role=move || state.dashboard.with(|d| d.as_ref().map(|d| format!("{:?}", d.role).to_lowercase()))>
            <section class="dashboard-headline" aria-label="Totals over all SKUs">
                <dl class="cards">{move || state.dashboard.with(|d| d.as_ref().map(cards))}</dl>
            </section>
            <div class="dashboard-row">
                <section class="card chart-card" aria-label="KPI by segment">
                    <ChartCanvas width=500 height=330 testid="kpi-chart" label=Signal::derive(bars_label) draw=draw_bars />
                    <label class="group-pick">
                        <span>"Figure"</span>
                        <select
                            data-testid="kpi-pick"
                            on:change=move |ev| {
                                let key = event_target_value(&ev);
                                picked.set(Kpi::ALL.into_iter().find(|k| k.key() == key));
                            }
                        >
                            {options}
                        </select>
                    </label>
                </section>
                {move || {
                    tiers()
                        .map(|_| {
                            view! {
                                <section class="card chart-card" aria-label="Tier mix">
                                    <ChartCanvas width=500 height=330 testid="tier-mix-chart" label=Signal::derive(tiers_label) draw=draw_tiers />
                                    <p class="help">
                                        "Customers by profitability tier: Platinum, Gold and Silver by their share of \
                                         profit, then the loss-making ones."
                                    </p>
                                </section>
                            }
                        })
                }}
            </div>
            <section class="card" aria-labelledby="kpi-table-heading">
                <h2 id="kpi-table-heading">"KPIs per segment"</h2>
                {move || state.dashboard.with(|d| d.as_ref().map(table))}
                <p class="help">
                    "Open ? beside a figure for its formula. n/a: the figure is not defined for the \
                     segment; the card above says why when no segment has it."
                </p>
            </section>
        </div>
    }
}
