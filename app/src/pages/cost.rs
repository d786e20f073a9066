//! Cost to serve: activity-based costing of customers (SPEC §5) — the pools
//! editor, headline figures with the reconciliation, the whale curve, the
//! tiers, stacked bars of cost by pool, the customer table with its
//! drill-down, and what-if scenarios.
//!
//! Everything shown comes from the worker's `CostView`; edited pools go
//! back as a `SetPools` request, drill-downs and scenarios as requests of
//! their own. No figure is computed here.

use super::planned::Planned;
use crate::charts;
use crate::client::EngineClient;
use crate::components::{
    CanvasArea, ChartCanvas, CustomerDetail, CustomerTable, PoolsEditor, ProgressLine, RoleNote,
    WhatIfPanel,
};
use crate::format;
use crate::state::{AppState, Route};
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::roles::{can_see, sees_table, TableKind};

/// The Cost to serve page.
#[component]
pub fn CostPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        if state.cost.with(Option::is_some) {
            // Another role draws the page again with that role's figures.
            state.role.track();
            view! { <Cost /> }.into_any()
        } else {
            view! {
                <Planned
                    route=Route::CostToServe
                    purpose="What it costs to serve each customer: the annual cost pools are \
                             spread over order lines by their drivers and added up per customer."
                    shows=&[
                        "The cost pools with their drivers (orders, lines, units, value, weight, \
                         customers), driver totals and cost per driver unit — editable.",
                        "Per customer: net revenue, cost of goods, cost to serve and profit after it, \
                         with the whale curve and profitability tiers.",
                        "Cost to serve by pool per tier and per segment, channel, region and ship mode.",
                        "The check that allocated plus unallocated cost adds up to the pools' cost.",
                        "What-ifs: consolidated deliveries, dropping the least profitable tier, \
                         premium delivery, a minimum-order surcharge.",
                    ]
                />
            }
            .into_any()
        }
    }
}

/// The page with an analysis to show.
#[component]
fn Cost() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let selected = RwSignal::new(None::<String>);
    let open = move |customer: String| {
        selected.set(Some(customer.clone()));
        client.send(Request::CustomerDetail { customer });
    };
    // A new analysis (pools applied) refreshes the open drill-down.
    Effect::new(move |previous: Option<Option<u64>>| {
        let generation = state.cost.with(|c| c.as_ref().map(|c| c.generation));
        if let (Some(Some(before)), Some(now)) = (previous, generation) {
            if before != now {
                if let Some(customer) = selected.get_untracked() {
                    client.send(Request::CustomerDetail { customer });
                }
            }
        }
        generation
    });
    let group = RwSignal::new("segment".to_owned());
    // What the role sees (the worker has blanked the rest already).
    let role = state.role.get_untracked();
    let sees = move |column: &str| can_see(role, TableKind::Customers, column);
    let sees_pools = sees_table(role, TableKind::Pools);
    let sees_tier = move |column: &str| can_see(role, TableKind::Tiers, column);
    let sees_tiers = sees_tier("tier");
    let sees_bars = can_see(role, TableKind::Breakdown, "cost_to_serve");
    let sees_what_if = sees_table(role, TableKind::WhatIf);
    let basis = move || {
        let days = state.cost.with(|c| c.as_ref().map_or(0.0, |c| c.horizon_days));
        state.workspace.with(|w| match &w.summary {
            Some(s) => format!(
                "Computed from {} order lines of {} customers, {} → {}.{}",
                format::count(s.lines),
                format::count(s.customers),
                s.first_date,
                s.last_date,
                if sees_pools {
                    format!(
                        " Annual pools are scaled to the {}-day horizon.",
                        format::fixed(days, 0)
                    )
                } else {
                    String::new()
                }
            ),
            None => String::new(),
        })
    };
    let figures = move || {
        state.cost.with(|c| {
            c.as_ref().map(|c| {
                let t = &c.totals;
                let r = &c.reconciliation;
                let share = t.cost_share_of_revenue.map_or_else(|| "–".into(), format::percent);
                let per_order = t.cost_per_order.map_or_else(|| "–".into(), format::money);
                let customers = format::count(t.customers);
                // Each card with the customer-table column that decides
                // who sees it.
                let cards = [
                    (
                        "cts-total",
                        "Cost to serve (allocated)",
                        format::money(r.allocated),
                        "cost_to_serve",
                    ),
                    ("cts-share", "Cost to serve / revenue", share, "cost_to_serve"),
                    ("cost-per-order", "Cost to serve per order", per_order, "cost_per_order"),
                    (
                        "profit-total",
                        "Profit after cost to serve",
                        format::money(t.profit),
                        "profit",
                    ),
                    ("revenue-total", "Net revenue", format::money(t.revenue), "revenue"),
                    ("cogs-total", "Cost of goods sold", format::money(t.cogs), "cogs"),
                    (
                        "loss-making",
                        "Loss-making customers",
                        format!("{} of {customers}", format::count(t.loss_making)),
                        "profit",
                    ),
                    ("customers-total", "Customers", customers.clone(), "customer_id"),
                    (
                        "unallocated-card",
                        "Unallocated cost",
                        format::money(r.unallocated),
                        "unallocated",
                    ),
                ];
                cards
                    .into_iter()
                    .filter(|c| match c.0 {
                        // Every role that sees profit has the loss-making
                        // count; the others get the plain count.
                        "customers-total" => !sees("profit"),
                        "unallocated-card" => sees_pools,
                        _ => sees(c.3),
                    })
                    .map(|(id, label, value, _)| {
                        view! {
                            <div class="figure">
                                <dt>{label}</dt>
                                <dd data-testid=id>{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let reconciliation = move || {
        state.cost.with(|c| {
            c.as_ref().map(|c| {
                let r = c.reconciliation;
                let verdict = if r.holds() {
                    "✓ reconciles".to_owned()
                } else {
                    format!("✗ off by {}", format::money(r.difference))
                };
                view! {
                    <p class="reconciliation" class:off=!r.holds() data-testid="reconciliation">
                        "Allocated "
                        <strong data-testid="allocated-total">{format::money(r.allocated)}</strong>
                        " + unallocated "
                        <strong data-testid="unallocated-total">{format::money(r.unallocated)}</strong>
                        " = pools total "
                        <strong data-testid="pools-total">{format::money(r.pool_total)}</strong>
                        <span class="verdict">{verdict}</span>
                    </p>
                }
            })
        })
    };
    let whale_label = move || {
        state.cost.with(|c| {
            c.as_ref().map_or_else(String::new, |c| {
                let w = &c.whale;
                let peak = charts::whale::peak_label(w).unwrap_or_default();
                format!("{}. {peak}", charts::whale::title(w))
            })
        })
    };
    let whale_note = move || {
        state.cost.with(|c| {
            c.as_ref().map(|c| {
                let w = &c.whale;
                match (&w.peak, charts::whale::peak_label(w)) {
                    (Some(p), Some(label)) => format!(
                        "{label}: the {} most profitable customers make {} — total profit is {}, so \
                         the other customers cost {}.",
                        format::count(p.customers),
                        format::money(p.profit),
                        format::money(w.total_profit),
                        format::money(w.eroded)
                    ),
                    _ => format!("Total profit after cost to serve is {}.", format::money(w.total_profit)),
                }
            })
        })
    };
    let draw_whale = move |area: &CanvasArea| {
        state.cost.with(|c| match c {
            Some(c) => charts::whale::draw(area, &c.whale).map_err(|e| format!("{e:?}")),
            None => Ok(()),
        })
    };
    let draw_bars = move |key: &'static str| {
        move |area: &CanvasArea| {
            let key = if key.is_empty() { group.get() } else { key.to_owned() };
            state.cost.with(|c| match c.as_ref().and_then(|c| c.bars(&key)) {
                Some(b) => charts::cost_bars::draw(area, b).map_err(|e| format!("{e:?}")),
                None => Ok(()),
            })
        }
    };
    let bars_label = move |key: &'static str| {
        move || {
            let key = if key.is_empty() { group.get() } else { key.to_owned() };
            state.cost.with(|c| {
                c.as_ref().and_then(|c| c.bars(&key)).map_or_else(String::new, |b| {
                    format!(
                        "{}: stacked bars of each pool's cost for every {}",
                        charts::cost_bars::title(b),
                        b.per
                    )
                })
            })
        }
    };
    let groupings = move || {
        state.cost.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.bars
                        .iter()
                        .filter(|b| b.key != "tier")
                        .map(|b| (b.key.clone(), b.per.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let tier_rows = move || {
        state.cost.with(|c| {
            c.as_ref().map(|c| {
                c.tiers
                    .iter()
                    .map(|t| {
                        let share = t.profit_share.map_or_else(|| "–".into(), format::percent);
                        let money = |column: &str, v: f64| {
                            sees_tier(column)
                                .then(|| view! { <td class="num">{format::money(v)}</td> })
                        };
                        let share = sees_tier("profit_share")
                            .then(|| view! { <td class="num">{share}</td> });
                        view! {
                            <tr data-tier=t.name.clone() class:loss=t.loss_making>
                                <th scope="row">{t.name.clone()}</th>
                                <td class="num">
                                    {format::count(t.customers as usize)}
                                    <span class="of">{format::percent(t.customer_share)}</span>
                                </td>
                                <td class="num">{format::money(t.revenue)}</td>
                                {money("cost_to_serve", t.cost_to_serve)}
                                {money("profit", t.profit)}
                                {share}
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <h1>{Route::CostToServe.title_for(role)}</h1>
        <p class="lead">
            {if sees("cost_to_serve") {
                "What it costs to serve each customer: the annual cost pools are spread over the \
                 order lines by their drivers, and each customer's revenue less cost of goods and \
                 cost to serve is its profit."
            } else if sees_tiers {
                "Your customers: what each one buys and orders, and its profitability tier."
            } else {
                "Your customers: what each one buys and how often it orders."
            }}
        </p>
        <p class="basis" data-testid="basis">{basis}</p>
        <RoleNote route=Route::CostToServe />
        <ProgressLine />
        <div class="cost" class:busy=move || state.busy() aria-busy=move || state.busy().to_string()>
            <section class="cost-headline" aria-label="Totals">
                <dl class="cards">{figures}</dl>
                {sees_pools.then_some(reconciliation)}
            </section>
            {sees_pools.then(|| view! { <PoolsEditor /> })}
            {(sees("profit") || sees_tiers).then(|| view! {
                <div class="cost-row">
                    {sees("profit").then(|| view! {
                        <section class="card chart-card" aria-label="Whale curve">
                            <ChartCanvas width=500 height=360 testid="whale-chart" label=Signal::derive(whale_label) draw=draw_whale />
                            <p class="help" data-testid="whale-peak">{whale_note}</p>
                        </section>
                    })}
                    {sees_tiers.then(|| view! {
                        <section class="card" aria-labelledby="tiers-heading">
                            <h2 id="tiers-heading">"Profitability tiers"</h2>
                            <table class="tier-table" data-testid="tier-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Tier"</th>
                                        <th scope="col" class="num">"Customers"</th>
                                        <th scope="col" class="num">"Revenue"</th>
                                        {sees_tier("cost_to_serve").then(|| view! { <th scope="col" class="num">"Cost to serve"</th> })}
                                        {sees_tier("profit").then(|| view! { <th scope="col" class="num">"Profit"</th> })}
                                        {sees_tier("profit_share").then(|| view! { <th scope="col" class="num">"Profit share"</th> })}
                                    </tr>
                                </thead>
                                <tbody>{tier_rows}</tbody>
                            </table>
                            <p class="help">
                                "Customers with profit ≥ 0 are cut on their cumulative share of the profit \
                                 the profitable customers make: Platinum the first 50 %, Gold to 80 %, \
                                 Silver the rest; profit < 0 is Loss-making."
                            </p>
                        </section>
                    })}
                </div>
            })}
            {sees_bars.then(|| view! {
                <div class="cost-row">
                    <section class="card chart-card" aria-label="Cost to serve by pool per tier">
                        <ChartCanvas width=500 height=380 testid="cost-bars-tier" label=Signal::derive(bars_label("tier")) draw=draw_bars("tier") />
                    </section>
                    <section class="card chart-card" aria-label="Cost to serve by pool per group">
                        <ChartCanvas width=500 height=380 testid="cost-bars-group" label=Signal::derive(bars_label("")) draw=draw_bars("") />
                        <label class="group-pick">
                            <span>"Group by"</span>
                            <select data-testid="cost-bars-pick" on:change=move |ev| group.set(event_target_value(&ev))>
                                {move || groupings()
                                    .into_iter()
                                    .map(|(key, per)| {
                                        let k = key.clone();
                                        view! { <option value=key selected=move || group.with(|g| *g == k)>{per}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    </section>
                </div>
            })}
            <section class="card" aria-labelledby="customers-heading">
                <h2 id="customers-heading">"Customers"</h2>
                <CustomerDetail selected=selected />
                <CustomerTable selected=selected open=open />
            </section>
            {sees_what_if.then(|| view! { <WhatIfPanel /> })}
        </div>
    }
}
