//! History: every run the user made (time, note, the settings that decide
//! segments, input hashes, engine version), two runs compared (migration
//! matrix and the changed SKUs with their reason), the manual overrides in
//! force and the audit trail of every override change.
//!
//! Everything shown comes from the worker's `RunsView` and its answer to a
//! `CompareRuns` request (core's `Comparison`); nothing is computed here.

use crate::client::EngineClient;
use crate::components::ProgressLine;
use crate::format;
use crate::state::{AppState, Route};
use crate::worker_api::{Request, RunRow, RunsView};
use leptos::prelude::*;
use segscope_core::governance::{AuditEntry, Comparison, Override};

/// An RFC 3339 time as people read it: `2026-11-22 01:40:05 UTC`.
pub fn when(rfc3339: &str) -> String {
    match rfc3339.get(..19) {
        Some(t) if rfc3339.ends_with('Z') => format!("{} UTC", t.replacen('T', " ", 1)),
        _ => rfc3339.to_owned(),
    }
}

/// The History page.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    // The worker sends the history after each new run; opening the page,
    // and another role in the header, ask for it again.
    Effect::new(move |_| {
        state.role.track();
        client.send(Request::Runs);
    });
    let body = move || match state.runs.get() {
        None => view! { <p class="help">"Reading the run history…"</p> }.into_any(),
        Some(v) if !v.visible => view! {
            <div class="notice" data-testid="runs-hidden">
                <p>
                    "The run history and the audit trail are for the consultant, planner and \
                     finance views. Switch the role in the header to see them."
                </p>
            </div>
        }
        .into_any(),
        Some(v) if v.runs.is_empty() => view! {
            <div class="notice" data-testid="runs-empty">
                <p>
                    "No runs yet. Load your orders export or the demo data on the "
                    <a href=Route::Data.hash()>"Data page"</a>
                    "; every analysis with new settings or files is recorded here, so that \
                     you can compare two of them."
                </p>
            </div>
        }
        .into_any(),
        Some(v) => view! { <History view=v /> }.into_any(),
    };
    view! {
        <h1>"History"</h1>
        <p class="lead">
            "Each analysis with new settings, files or overrides is a run: what produced it \
             (the same record as the command line's run.json), and a note you can add."
        </p>
        <ProgressLine />
        {body}
    }
}

#[component]
fn History(view: RunsView) -> impl IntoView {
    let kept = view.kept;
    let comparable: Vec<u32> = view.runs.iter().filter(|r| r.comparable).map(|r| r.id).collect();
    let newest = comparable.first().copied();
    let before = comparable.get(1).copied().or(newest);
    let overrides = view.overrides.clone();
    let audit = view.audit.clone();
    view! {
        <section class="card" aria-labelledby="runs-heading">
            <h2 id="runs-heading">"Runs"</h2>
            <p class="help">
                {format!(
                    "Newest first. The newest {kept} runs keep every SKU's segment for \
                     comparing; older runs keep only their record."
                )}
            </p>
            <RunTable runs=view.runs />
        </section>
        <section class="card" aria-labelledby="compare-heading">
            <h2 id="compare-heading">"Compare two runs"</h2>
            <CompareForm runs=comparable from=before to=newest />
            <ComparisonView />
        </section>
        <section class="card" aria-labelledby="overrides-heading">
            <h2 id="overrides-heading">"Manual overrides"</h2>
            <OverrideList overrides=overrides />
        </section>
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">"Audit trail"</h2>
            <p class="help">
                "Every override added, changed or removed, newest first. It is exported with \
                 the results (audit.csv, and a sheet of the workbook)."
            </p>
            <AuditTable audit=audit />
        </section>
    }
}

#[component]
fn RunTable(runs: Vec<RunRow>) -> impl IntoView {
    let rows = runs.into_iter().map(|r| view! { <RunLine run=r /> }).collect_view();
    view! {
        <div class="table-scroll">
            <table class="runs" data-testid="runs">
                <thead>
                    <tr>
                        <th scope="col">"Run"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Note"</th>
                        <th scope="col">"Settings"</th>
                        <th scope="col">"Inputs (SHA-256)"</th>
                        <th scope="col">"Engine"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One run with its editable note (Enter or the button saves it).
#[component]
fn RunLine(run: RunRow) -> impl IntoView {
    let client = expect_context::<EngineClient>();
    let id = run.id;
    let note = RwSignal::new(run.note.clone());
    let saved = run.note.clone();
    let save = move || {
        let text = note.get_untracked();
        if text.trim() != saved.trim() {
            client.send(Request::SetRunNote { run: id, note: text });
        }
    };
    let save_on_enter = save.clone();
    let inputs = run
        .inputs
        .iter()
        .map(|(kind, name, hash)| {
            view! {
                <li>
                    <span class="input-kind">{kind.clone()}</span>" "{name.clone()}" "
                    <code title="First 8 hex digits of the file's SHA-256">{hash.clone()}</code>
                </li>
            }
        })
        .collect_view();
    let label = format!("Note of run {id}");
    view! {
        <tr data-testid=format!("run-{id}")>
            <th scope="row">
                {id}
                {(!run.comparable).then(|| view! { <span class="help">" (record only)"</span> })}
            </th>
            <td class="nowrap">{when(&run.created)}</td>
            <td class="note-cell">
                <input
                    type="text"
                    aria-label=label
                    data-testid=format!("run-{id}-note")
                    placeholder="Add a note"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            save_on_enter();
                        }
                    }
                />
                <button class="small" on:click=move |_| save()>"Save"</button>
            </td>
            <td>{run.settings.clone()}{format!(" · {} SKUs", format::count(run.skus))}</td>
            <td>
                <ul class="plain">{inputs}</ul>
            </td>
            <td class="nowrap">{run.engine.clone()}</td>
        </tr>
    }
}

/// Two run choosers and the Compare button.
#[component]
fn CompareForm(runs: Vec<u32>, from: Option<u32>, to: Option<u32>) -> impl IntoView {
    let client = expect_context::<EngineClient>();
    let from = RwSignal::new(from);
    let to = RwSignal::new(to);
    if runs.len() < 2 {
        return view! {
            <p class="help" data-testid="compare-empty">
                "One run so far. Change a setting on the "
                <a href=Route::Segments.hash()>"Segments page"</a>
                " (for example the A cut) or override a SKU, then come back to compare the \
                 two runs."
            </p>
        }
        .into_any();
    }
    let options = move |chosen: RwSignal<Option<u32>>| {
        runs.iter()
            .map(|&id| {
                view! {
                    <option value=id.to_string() selected=move || chosen.get() == Some(id)>
                        {format!("Run {id}")}
                    </option>
                }
            })
            .collect_view()
    };
    let from_options = options.clone()(from);
    let to_options = options(to);
    let compare = move |_| {
        if let (Some(from), Some(to)) = (from.get_untracked(), to.get_untracked()) {
            client.send(Request::CompareRuns { from, to });
        }
    };
    let pick =
        |signal: RwSignal<Option<u32>>| move |ev| signal.set(event_target_value(&ev).parse().ok());
    view! {
        <div class="compare-form">
            <label>
                "Earlier run "
                <select data-testid="compare-from" on:change=pick(from)>{from_options}</select>
            </label>
            <label>
                " with run "
                <select data-testid="compare-to" on:change=pick(to)>{to_options}</select>
            </label>
            <button data-testid="compare-runs" on:click=compare>"Compare"</button>
        </div>
    }
    .into_any()
}

/// The comparison last asked for: what changed, the migration matrix and
/// the changed SKUs.
#[component]
fn ComparisonView() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let error = state.governance_error.get().map(|m| {
            view! { <p class="field-error" role="alert" data-testid="governance-error">{m}</p> }
        });
        let result = state.comparison.get().map(|c| view! { <ComparisonResult c=c /> });
        view! { {error} {result} }
    }
}

/// The most changed SKUs listed; the rest are counted (all are exported).
const CHANGED_SHOWN: usize = 200;

#[component]
fn ComparisonResult(c: Comparison) -> impl IntoView {
    // Rows: the earlier run's segments; columns: the later run's; both
    // over every segment either run has, so the diagonal is "stayed".
    let mut labels: Vec<String> =
        c.matrix.iter().flat_map(|m| [m.from.clone(), m.to.clone()]).collect();
    labels.sort();
    labels.dedup();
    let (froms, tos) = (labels.clone(), labels);
    let count = |from: &str, to: &str| {
        c.matrix.iter().find(|m| m.from == from && m.to == to).map_or(0, |m| m.skus)
    };
    let header = tos.iter().map(|t| view! { <th scope="col">{t.clone()}</th> }).collect_view();
    let body = froms
        .iter()
        .map(|f| {
            let total: usize = tos.iter().map(|t| count(f, t)).sum();
            let cells = tos
                .iter()
                .map(|t| {
                    let n = count(f, t);
                    let (moved, zero) = (f != t && n > 0, n == 0);
                    view! {
                        <td
                            class:moved=moved
                            class:zero=zero
                            data-testid=format!("migration-{f}-{t}")
                        >
                            {format::count(n)}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{f.clone()}</th>
                    {cells}
                    <td class="total" data-testid=format!("migration-{f}-total")>
                        {format::count(total)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let totals = tos
        .iter()
        .map(|t| {
            let n: usize = froms.iter().map(|f| count(f, t)).sum();
            view! {
                <td class="total" data-testid=format!("migration-total-{t}")>{format::count(n)}</td>
            }
        })
        .collect_view();
    let changes = if c.changes.is_empty() {
        view! { <p>"Same settings and files: only the overrides or nothing changed."</p> }
            .into_any()
    } else {
        let items = c.changes.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view();
        view! { <ul data-testid="comparison-changes">{items}</ul> }.into_any()
    };
    let moved = c.changed.len();
    let shown = c
        .changed
        .iter()
        .take(CHANGED_SHOWN)
        .map(|x| {
            view! {
                <tr>
                    <th scope="row">{x.sku.clone()}</th>
                    <td>{x.from.clone()}</td>
                    <td>{x.to.clone()}</td>
                    <td>{x.reason.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let more = (moved > CHANGED_SHOWN).then(|| {
        view! {
            <p class="help">
                {format!("The first {CHANGED_SHOWN} of {} changed SKUs, by SKU code.", format::count(moved))}
            </p>
        }
    });
    view! {
        <div class="comparison" data-testid="comparison" aria-live="polite">
            <h3>{format!("Run {} → run {}", c.from, c.to)}</h3>
            {changes}
            <h3>"Migration matrix"</h3>
            <p class="help">
                {format!(
                    "SKUs by their segment in run {} (rows) and in run {} (columns); (none) \
                     marks SKUs only in one of the runs.",
                    c.from, c.to
                )}
            </p>
            <table class="migration" data-testid="migration">
                <thead>
                    <tr>
                        <th scope="col">{format!("Run {} ↓ · run {} →", c.from, c.to)}</th>
                        {header}
                        <th scope="col">"Total"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Total"</th>
                        {totals}
                        <td></td>
                    </tr>
                </tfoot>
            </table>
            <h3 data-testid="changed-count">
                {format!("{} SKUs changed segment", format::count(moved))}
            </h3>
            {(moved > 0).then(|| view! {
                <div class="table-scroll">
                    <table class="changed" data-testid="changed-skus">
                        <thead>
                            <tr>
                                <th scope="col">"SKU"</th>
                                <th scope="col">{format!("Run {}", c.from)}</th>
                                <th scope="col">{format!("Run {}", c.to)}</th>
                                <th scope="col">"Why"</th>
                            </tr>
                        </thead>
                        <tbody>{shown}</tbody>
                    </table>
                </div>
            })}
            {more}
        </div>
    }
}

/// The overrides in force, each removable for a reason.
#[component]
fn OverrideList(overrides: Vec<Override>) -> impl IntoView {
    if overrides.is_empty() {
        return view! {
            <p class="help" data-testid="overrides-empty">
                "No SKU is overridden. To pin a SKU to another segment, open it on the "
                <a href=Route::Segments.hash()>"Segments page"</a>
                " (click it in the table, or focus it and press Enter) and use \
                 \"Override the segment\"; a reason is required."
            </p>
        }
        .into_any();
    }
    let rows = overrides.into_iter().map(|o| view! { <OverrideLine o=o /> }).collect_view();
    view! {
        <table class="overrides" data-testid="overrides">
            <thead>
                <tr>
                    <th scope="col">"SKU"</th>
                    <th scope="col">"Segment"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Remove (reason required)"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn OverrideLine(o: Override) -> impl IntoView {
    let client = expect_context::<EngineClient>();
    let reason = RwSignal::new(String::new());
    let sku = o.sku.clone();
    let remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = reason.get_untracked();
        client.send(Request::RemoveOverride { sku: sku.clone(), reason });
    };
    let label = format!("Why remove the override of {}", o.sku);
    view! {
        <tr data-testid=format!("override-{}", o.sku)>
            <th scope="row">{o.sku.clone()}</th>
            <td>{o.segment.clone()}</td>
            <td>{o.reason.clone()}</td>
            <td>
                <form class="inline-form" on:submit=remove>
                    <input
                        type="text"
                        aria-label=label
                        placeholder="Why remove it"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    />
                    <button class="small" type="submit">"Remove"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn AuditTable(audit: Vec<AuditEntry>) -> impl IntoView {
    if audit.is_empty() {
        return view! {
            <p class="help" data-testid="audit-empty">
                "No override has been made yet; each one will be listed here with its time, \
                 SKU, segments and reason."
            </p>
        }
        .into_any();
    }
    let rows = audit
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td class="nowrap">{when(&e.time)}</td>
                    <th scope="row">{e.sku}</th>
                    <td>{e.from}</td>
                    <td>{e.to}</td>
                    <td>{e.reason}</td>
                    <td>{e.run}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="audit" data-testid="audit">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"SKU"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"To"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Run"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::when;

    #[test]
    fn times_read_as_utc_without_the_t() {
        assert_eq!(when("2026-11-22T01:40:05.123Z"), "2026-11-22 01:40:05 UTC");
        assert_eq!(when("2026-11-22T01:40:05Z"), "2026-11-22 01:40:05 UTC");
        assert_eq!(when(""), "");
    }
}
