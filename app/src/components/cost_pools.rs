//! The cost pools editor: every pool with its driver, annual cost and fixed
//! share as fields, beside what the engine made of it (cost over the
//! horizon, driver total, rate, allocated and unallocated cost, budget
//! variance). Pools are added, removed, filled from the workshop template
//! or imported from a CSV file (the Data page's cost-pools path), and only
//! change the analysis when applied.
//!
//! The form checks that numbers are numbers; the engine checks the whole
//! set with core's `check_pools` (names, ranges, uniqueness) and refuses it
//! as a whole, and each problem is shown beside its field. A refused set
//! changes nothing.

use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::{PoolRow, PoolSource, Request};
use leptos::prelude::*;
use segscope_core::cost::{PoolField, PoolProblem};
use segscope_core::{CostPool, Driver, FileKind};
use wasm_bindgen::JsCast;

/// One pool as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolDraft {
    /// Stable key of the row while it is edited.
    pub key: u32,
    /// Pool name.
    pub pool: String,
    /// Annual cost as typed.
    pub annual_cost: String,
    /// Driver.
    pub driver: Driver,
    /// Fixed share as typed (0..1, or a percentage such as `30%`).
    pub fixed_share: String,
}

impl PoolDraft {
    /// The fields of a pool, numbers written as the page writes them.
    pub fn of(key: u32, pool: &str, annual_cost: f64, driver: Driver, fixed_share: f64) -> Self {
        PoolDraft {
            key,
            pool: pool.to_owned(),
            annual_cost: format::quantity(annual_cost),
            driver,
            fixed_share: share_text(fixed_share),
        }
    }
}

/// A share for its field: `0.3` → `0.3`, without float noise.
fn share_text(share: f64) -> String {
    let s = format!("{share:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A number as typed: `1,200,000`, `1 200 000.50`, `-5`. Commas and spaces
/// group thousands, as the page writes them.
pub fn parse_amount(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}')).collect();
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A fixed share as typed: `0.3`, `30%`, or blank for 0 (as in the file).
pub fn parse_share(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0.0);
    }
    match t.strip_suffix('%') {
        Some(p) => parse_amount(p).map(|v| v / 100.0),
        None => parse_amount(t),
    }
}

/// The pools the fields make, or the fields that are not numbers (as
/// problems in core's form, so that both kinds show the same way).
pub fn to_pools(drafts: &[PoolDraft]) -> Result<Vec<CostPool>, Vec<PoolProblem>> {
    let mut problems = Vec::new();
    let mut pools = Vec::with_capacity(drafts.len());
    for (index, d) in drafts.iter().enumerate() {
        let name = d.pool.trim();
        let label =
            if name.is_empty() { format!("pool {}", index + 1) } else { format!("`{name}`") };
        let cost = parse_amount(&d.annual_cost);
        let share = parse_share(&d.fixed_share);
        if cost.is_none() {
            problems.push(PoolProblem {
                index,
                field: PoolField::AnnualCost,
                message: format!("Enter the annual cost of {label} as a number, e.g. 120000."),
            });
        }
        if share.is_none() {
            problems.push(PoolProblem {
                index,
                field: PoolField::FixedShare,
                message: format!(
                    "Enter the fixed share of {label} as a number between 0 and 1, e.g. 0.3."
                ),
            });
        }
        if let (Some(annual_cost), Some(fixed_share)) = (cost, share) {
            pools.push(CostPool {
                pool: name.to_owned(),
                annual_cost,
                driver: d.driver,
                fixed_share,
            });
        }
    }
    if problems.is_empty() {
        Ok(pools)
    } else {
        Err(problems)
    }
}

/// The driver's name in the editor.
pub fn driver_label(d: Driver) -> &'static str {
    match d {
        Driver::Orders => "orders",
        Driver::Lines => "order lines",
        Driver::Units => "units",
        Driver::Value => "value",
        Driver::WeightKg => "weight (kg)",
        Driver::Customers => "customers",
    }
}

/// What a pool's rate is per: "/ line".
fn rate_unit(d: Driver) -> &'static str {
    match d {
        Driver::Orders => "/ order",
        Driver::Lines => "/ line",
        Driver::Units => "/ unit",
        Driver::Value => "/ 1 of revenue",
        Driver::WeightKg => "/ kg",
        Driver::Customers => "/ customer",
    }
}

/// The editor.
#[component]
pub fn PoolsEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let drafts = RwSignal::new(Vec::<PoolDraft>::new());
    let next_key = StoredValue::new(0u32);
    let local_problems = RwSignal::new(Vec::<PoolProblem>::new());
    let note = RwSignal::new(None::<String>);
    let key = move || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };
    // The applied pools as fields.
    let applied = move || {
        state.cost.with_untracked(|c| {
            c.as_ref()
                .map(|c| {
                    c.pools
                        .iter()
                        .map(|p| PoolDraft::of(0, &p.pool, p.annual_cost, p.driver, p.fixed_share))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let reset = move || {
        let fresh: Vec<PoolDraft> =
            applied().into_iter().map(|d| PoolDraft { key: key(), ..d }).collect();
        drafts.set(fresh);
        local_problems.set(Vec::new());
    };
    // Every new analysis fills the fields with what it used.
    Effect::new(move |_| {
        state.cost.with(|c| c.as_ref().map(|c| c.generation));
        reset();
        note.set(None);
    });
    let dirty = move || {
        let now: Vec<PoolDraft> =
            drafts.get().into_iter().map(|d| PoolDraft { key: 0, ..d }).collect();
        now != applied()
    };
    let problems = move || {
        let local = local_problems.get();
        if local.is_empty() {
            state.pool_problems.get()
        } else {
            local
        }
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match to_pools(&drafts.get_untracked()) {
            Ok(pools) => {
                local_problems.set(Vec::new());
                client.send(Request::SetPools { pools });
            }
            Err(p) => local_problems.set(p),
        }
    };
    let add = move |_| {
        drafts.update(|d| {
            let mut n = d.len() + 1;
            while d.iter().any(|x| x.pool == format!("New pool {n}")) {
                n += 1;
            }
            d.push(PoolDraft {
                key: key(),
                pool: format!("New pool {n}"),
                annual_cost: "0".into(),
                driver: Driver::Orders,
                fixed_share: "0".into(),
            });
        });
    };
    let template = move |_| {
        let pools = state.cost.with_untracked(|c| c.as_ref().map(|c| c.template.clone()));
        if let Some(pools) = pools {
            drafts.set(
                pools
                    .iter()
                    .map(|p| PoolDraft::of(key(), &p.pool, p.annual_cost, p.driver, p.fixed_share))
                    .collect(),
            );
            local_problems.set(Vec::new());
            note.set(Some(
                "Workshop template: six typical pools costing 11 % of annual revenue together. \
                 Adjust them to the client's figures, then apply."
                    .into(),
            ));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                client.send_file(FileKind::CostPools, file);
            }
            input.set_value("");
        }
    };
    let source = move || {
        state.cost.with(|c| match c.as_ref().map(|c| &c.source) {
            Some(PoolSource::File { name }) => format!("Pools from {name}."),
            Some(PoolSource::Edited) => "Pools as edited on this page.".to_owned(),
            _ => "No cost pools yet: add pools, start from the workshop template, or import a \
                  cost-pools CSV (pool, annual_cost, driver, fixed_share)."
                .to_owned(),
        })
    };
    let rejected = move || {
        state.workspace.with(|w| {
            w.rejected.iter().find(|r| r.kind == FileKind::CostPools).map(|r| {
                view! {
                    <p class="field-error" data-testid="pools-import-error">
                        {format!("{} was not imported: {}", r.name, r.error)}
                    </p>
                }
            })
        })
    };
    let has_budget = move || {
        state.cost.with(|c| c.as_ref().is_some_and(|c| c.pools.iter().any(|p| p.budget.is_some())))
    };
    let row = move |d: PoolDraft| {
        let k = d.key;
        let index = move || drafts.with(|ds| ds.iter().position(|x| x.key == k));
        let field = move |f: fn(&PoolDraft) -> String| {
            move || drafts.with(|ds| ds.iter().find(|x| x.key == k).map(f).unwrap_or_default())
        };
        let name = field(|d| d.pool.clone());
        let set = move |change: Box<dyn Fn(&mut PoolDraft)>| {
            drafts.update(|ds| {
                if let Some(x) = ds.iter_mut().find(|x| x.key == k) {
                    change(x);
                }
            })
        };
        let problem_of = move |f: PoolField| {
            move || {
                let i = index();
                problems()
                    .into_iter()
                    .find(|p| Some(p.index) == i && p.field == f)
                    .map(|p| p.message)
            }
        };
        let row_problems = move || {
            let i = index();
            problems()
                .into_iter()
                .filter(|p| Some(p.index) == i)
                .map(|p| p.message)
                .collect::<Vec<_>>()
        };
        // What the engine made of the pool of this name, if it was applied.
        let computed = move || {
            let n = name();
            state.cost.with(|c| {
                c.as_ref().and_then(|c| c.pools.iter().find(|p| p.pool == n.trim()).cloned())
            })
        };
        let error_id = move || format!("pool-error-{k}");
        let cells = move || {
            let budget = has_budget();
            match computed() {
                Some(p) => computed_cells(&p, budget).into_any(),
                None => view! {
                    <td class="num muted" colspan=if budget { 5 } else { 4 }>"not applied yet"</td>
                }
                .into_any(),
            }
        };
        view! {
            <tr data-testid=move || format!("pool-row-{}", name()) class:invalid=move || !row_problems().is_empty()>
                <td>
                    <input
                        type="text"
                        aria-label="Pool name"
                        data-testid=move || format!("pool-name-{}", name())
                        prop:value=name
                        aria-invalid=move || problem_of(PoolField::Pool)().is_some().to_string()
                        aria-describedby=error_id
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |x| x.pool = v.clone()))
                        }
                    />
                </td>
                <td>
                    <select
                        aria-label="Driver"
                        data-testid=move || format!("pool-driver-{}", name())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(d) = Driver::parse(&v) {
                                set(Box::new(move |x| x.driver = d))
                            }
                        }
                    >
                        {Driver::ALL
                            .into_iter()
                            .map(|dr| {
                                let selected = move || {
                                    drafts.with(|ds| ds.iter().any(|x| x.key == k && x.driver == dr))
                                };
                                view! { <option value=dr.name() selected=selected>{driver_label(dr)}</option> }
                            })
                            .collect_view()}
                    </select>
                </td>
                <td class="num">
                    <input
                        type="text"
                        inputmode="decimal"
                        class="num"
                        aria-label="Annual cost"
                        data-testid=move || format!("pool-cost-{}", name())
                        prop:value=field(|d| d.annual_cost.clone())
                        aria-invalid=move || problem_of(PoolField::AnnualCost)().is_some().to_string()
                        aria-describedby=error_id
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |x| x.annual_cost = v.clone()))
                        }
                    />
                </td>
                <td class="num">
                    <input
                        type="text"
                        inputmode="decimal"
                        class="num share"
                        aria-label="Fixed share"
                        data-testid=move || format!("pool-fixed-{}", name())
                        prop:value=field(|d| d.fixed_share.clone())
                        aria-invalid=move || problem_of(PoolField::FixedShare)().is_some().to_string()
                        aria-describedby=error_id
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |x| x.fixed_share = v.clone()))
                        }
                    />
                </td>
                {cells}
                <td>
                    <button
                        type="button"
                        class="link remove"
                        aria-label=move || format!("Remove pool {}", name())
                        title="Remove this pool"
                        on:click=move |_| drafts.update(|ds| ds.retain(|x| x.key != k))
                    >
                        "✕"
                    </button>
                </td>
            </tr>
            {move || {
                let messages = row_problems();
                (!messages.is_empty()).then(|| view! {
                    <tr class="pool-problems">
                        <td colspan="12" id=error_id>
                            {messages
                                .into_iter()
                                .map(|m| view! { <p class="field-error" data-testid="pool-error">{m}</p> })
                                .collect_view()}
                        </td>
                    </tr>
                })
            }}
        }
    };
    let budget_head =
        move || has_budget().then(|| view! { <th scope="col" class="num">"Budget variance"</th> });
    view! {
        <section class="card pools" aria-labelledby="pools-heading">
            <h2 id="pools-heading">"Cost pools"</h2>
            <p class="help" data-testid="pools-source">{source}</p>
            <form on:submit=apply novalidate>
                <div class="table-scroll">
                    <table class="pool-table" data-testid="pool-table">
                        <thead>
                            <tr>
                                <th scope="col">"Pool"</th>
                                <th scope="col">"Driver"</th>
                                <th scope="col" class="num">"Annual cost"</th>
                                <th scope="col" class="num" title="Share of the cost that does not move with volume, 0 to 1">
                                    "Fixed share"
                                </th>
                                <th scope="col" class="num">"Over the horizon"</th>
                                <th scope="col" class="num">"Driver total"</th>
                                <th scope="col" class="num">"Rate"</th>
                                <th scope="col" class="num" title="Cost no order line carries: the driver total is 0">"Unallocated"</th>
                                {budget_head}
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || drafts.get() key=|d| d.key children=row />
                        </tbody>
                    </table>
                </div>
                {move || note.get().map(|n| view! { <p class="help" data-testid="pools-note">{n}</p> })}
                {rejected}
                <div class="actions">
                    <button type="button" on:click=add>"Add pool"</button>
                    <button type="button" on:click=template data-testid="pools-template">"Workshop template"</button>
                    <input
                        type="file"
                        id="pools-import"
                        class="visually-hidden"
                        accept=".csv,.txt,.tsv,text/csv,text/plain"
                        on:change=import
                    />
                    <label for="pools-import" class="button">"Import CSV…"</label>
                    <span class="spacer"></span>
                    {move || dirty().then(|| view! { <span class="help">"Changes not applied yet"</span> })}
                    <button type="button" disabled=move || !dirty() on:click=move |_| reset()>"Reset"</button>
                    <button type="submit" class="primary" disabled=move || !dirty()>"Apply pools"</button>
                </div>
            </form>
        </section>
    }
}

/// The engine's figures for an applied pool.
fn computed_cells(p: &PoolRow, budget: bool) -> impl IntoView {
    let rate = p.rate.map_or_else(
        || "–".to_owned(),
        |r| format!("{} {}", format::fixed(r, if r < 10.0 { 4 } else { 2 }), rate_unit(p.driver)),
    );
    let variance = budget.then(|| {
        let text = p.variance.map_or_else(|| "–".to_owned(), format::money);
        view! { <td class="num" class:flagged=p.flagged>{text}</td> }
    });
    view! {
        <td class="num">{format::money(p.cost)}</td>
        <td class="num">{format::quantity(p.driver_total)}</td>
        <td class="num rate">{rate}</td>
        <td class="num" class:flagged={p.unallocated > 0.0}>{format::money(p.unallocated)}</td>
        {variance}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(pool: &str, cost: &str, share: &str) -> PoolDraft {
        PoolDraft {
            key: 0,
            pool: pool.into(),
            annual_cost: cost.into(),
            driver: Driver::Lines,
            fixed_share: share.into(),
        }
    }

    #[test]
    fn amounts_and_shares_read_as_the_page_writes_them() {
        for (text, expected) in [
            ("1,200,000", Some(1.2e6)),
            (" 1 200 000.5 ", Some(1_200_000.5)),
            ("-5", Some(-5.0)),
            ("abc", None),
            ("", None),
            ("inf", None),
        ] {
            assert_eq!(parse_amount(text), expected, "{text:?}");
        }
        for (text, expected) in [
            ("0.3", Some(0.3)),
            ("30%", Some(0.3)),
            ("", Some(0.0)),
            ("1.5", Some(1.5)),
            ("x", None),
        ] {
            assert_eq!(parse_share(text), expected, "{text:?}");
        }
    }

    #[test]
    fn fields_round_trip_through_their_text() {
        let d = PoolDraft::of(1, "Freight", 354_300.0, Driver::WeightKg, 0.1);
        assert_eq!((d.annual_cost.as_str(), d.fixed_share.as_str()), ("354,300", "0.1"));
        let pools = to_pools(&[d]).unwrap();
        assert_eq!((pools[0].annual_cost, pools[0].fixed_share), (354_300.0, 0.1));
    }

    #[test]
    fn fields_that_are_not_numbers_are_named_and_nothing_is_sent() {
        let problems =
            to_pools(&[draft("a", "12", "0.2"), draft(" b ", "lots", "half")]).unwrap_err();
        let found: Vec<_> = problems.iter().map(|p| (p.index, p.field)).collect();
        assert_eq!(found, [(1, PoolField::AnnualCost), (1, PoolField::FixedShare)]);
        assert!(problems[0].message.contains("`b`"), "{}", problems[0].message);
        // Out-of-range numbers pass here: core's check names them.
        let pools = to_pools(&[draft("a", "-1", "1.5")]).unwrap();
        assert_eq!((pools[0].annual_cost, pools[0].fixed_share), (-1.0, 1.5));
    }
}
