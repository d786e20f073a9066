//! Export: the results as files, written by the engine worker in this tab
//! (nothing is uploaded), always cut to the role shown; the settings as a
//! file or a link; the way to the printable report.
//!
//! The page lists what the worker says the role may export (core's one
//! list, `segscope_core::export::EXPORTED`) with each table's columns, so
//! what a file will hold is visible before it is made.

use crate::client::EngineClient;
use crate::components::{download, NoData, ProgressLine};
use crate::share;
use crate::state::{AppState, Route};
use crate::worker_api::{ExportFormat, ExportTableView, Request, SettingsSource};
use leptos::prelude::*;
use segscope_core::roles::TableKind;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// The settings file's name.
const SETTINGS_FILE: &str = "segscope-settings.json";

/// The Export page.
#[component]
pub fn ExportPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    // Ask again for every new analysis, policy or pool change and role.
    Effect::new(move |_| {
        state.segments.track();
        state.policies.track();
        state.cost.track();
        state.role.track();
        client.send(Request::ExportView);
    });
    let has_data = move || state.workspace.with(|w| w.summary.is_some());
    view! {
        <h1>"Export"</h1>
        <p class="lead">
            "Take the results away as files. They are written by this browser tab; nothing is \
             uploaded. Every file holds only what the role shown in the header may see."
        </p>
        <ProgressLine />
        <Show when=has_data fallback=|| view! { <NoData /> <WhatExportShows /> }>
            <TablesCard />
        </Show>
        <SettingsCard />
        <section class="card" aria-labelledby="report-heading">
            <h2 id="report-heading">"Workshop report"</h2>
            <p>
                "A printable page with the headline figures, the segment matrix, the policies \
                 and cost tiers per segment, the charts and the run's settings and input files."
            </p>
            <a class="button primary" href=Route::Report.hash() data-testid="open-report">
                "Open the printable report"
            </a>
        </section>
    }
}

/// The tables with their columns, a CSV button each, CSV options, and the
/// workbook of the chosen tables.
#[component]
fn TablesCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    // Tables left out of the workbook (all are in by default).
    let left_out = RwSignal::new(HashSet::<TableKind>::new());
    let semicolon = RwSignal::new(false);
    let bom = RwSignal::new(true);
    let csv_format = move || ExportFormat::Csv {
        delimiter: if semicolon.get_untracked() { ';' } else { ',' },
        bom: bom.get_untracked(),
    };
    let tables =
        move || state.export.with(|e| e.as_ref().map(|e| e.tables.clone()).unwrap_or_default());
    let role = move || state.role.get().label();
    let chosen = move || {
        let out = left_out.get();
        tables().into_iter().map(|t| t.kind).filter(|k| !out.contains(k)).collect::<Vec<_>>()
    };
    let row = move |t: ExportTableView| {
        let kind = t.kind;
        let stem = kind.file_stem();
        let columns = t.columns.join(", ");
        let count = t.columns.len();
        view! {
            <tr data-testid=format!("export-row-{stem}")>
                <td>
                    <input
                        type="checkbox"
                        id=format!("export-pick-{stem}")
                        prop:checked=move || !left_out.with(|o| o.contains(&kind))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            left_out.update(|o| {
                                if on { o.remove(&kind); } else { o.insert(kind); }
                            });
                        }
                    />
                </td>
                <td>
                    <label for=format!("export-pick-{stem}")>{t.title.clone()}</label>
                    <details class="export-columns">
                        <summary>{format!("{count} columns")}</summary>
                        <p data-testid=format!("export-columns-{stem}")>{columns}</p>
                    </details>
                </td>
                <td class="num">{t.rows}</td>
                <td>
                    <button
                        class="small"
                        data-testid=format!("export-csv-{stem}")
                        aria-label=format!("Download {} as CSV", t.title)
                        on:click=move |_| {
                            client.send(Request::Export { tables: vec![kind], format: csv_format() })
                        }
                    >
                        {t.file.clone()}
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="tables-heading">
            <h2 id="tables-heading">"Result tables"</h2>
            <p class="help" data-testid="export-role">
                {move || format!(
                    "Exported for the {} role: the columns listed are exactly those the files hold.",
                    role()
                )}
            </p>
            <table class="export-tables" data-testid="export-tables">
                <thead>
                    <tr>
                        <th scope="col">"In workbook"</th>
                        <th scope="col">"Table"</th>
                        <th scope="col" class="num">"Rows"</th>
                        <th scope="col">"CSV file"</th>
                    </tr>
                </thead>
                <tbody>{move || tables().into_iter().map(row).collect_view()}</tbody>
            </table>
            <fieldset class="export-options">
                <legend>"CSV files"</legend>
                <label>
                    <input
                        type="radio"
                        name="csv-delimiter"
                        data-testid="csv-comma"
                        prop:checked=move || !semicolon.get()
                        on:change=move |_| semicolon.set(false)
                    />
                    " Comma ( , )"
                </label>
                <label>
                    <input
                        type="radio"
                        name="csv-delimiter"
                        data-testid="csv-semicolon"
                        prop:checked=move || semicolon.get()
                        on:change=move |_| semicolon.set(true)
                    />
                    " Semicolon ( ; ) for spreadsheets that use a decimal comma"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="csv-bom"
                        prop:checked=move || bom.get()
                        on:change=move |ev| bom.set(event_target_checked(&ev))
                    />
                    " Byte-order mark, so Excel reads accents and symbols correctly"
                </label>
                <p class="help">
                    "Text that a spreadsheet would run as a formula (starting with = + - @, a tab \
                     or a carriage return) is written with a leading apostrophe. Numbers use a \
                     decimal point."
                </p>
            </fieldset>
            <div class="export-actions">
                <button
                    class="primary"
                    data-testid="export-xlsx"
                    disabled=move || chosen().is_empty()
                    on:click=move |_| {
                        client.send(Request::Export { tables: chosen(), format: ExportFormat::Xlsx })
                    }
                >
                    {move || format!("Download workbook (XLSX, {} sheets)", chosen().len())}
                </button>
            </div>
            {move || state.export_error.get().map(|e| view! {
                <p class="error-message" role="alert" data-testid="export-error">{e}</p>
            })}
        </section>
    }
}

/// The settings as a JSON file or a link, and a settings file to load.
#[component]
fn SettingsCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let copied = RwSignal::new(None::<String>);
    let json = move || state.export.with(|e| e.as_ref().map(|e| e.config_json.clone()));
    let link = move || {
        let location = window().location();
        let href = location.href().unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default().to_owned();
        json().map(|j| share::settings_link(&base, &j)).unwrap_or_default()
    };
    let save = move |_| {
        if let Some(j) = json() {
            download(
                SETTINGS_FILE,
                &js_sys::Uint8Array::from(j.as_bytes()).into(),
                "application/json",
            );
        }
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => client.send(Request::SetConfig {
                    json: text.as_string().unwrap_or_default(),
                    source: SettingsSource::File,
                }),
                Err(_) => state.config_notice.set(Some(Err(format!(
                    "The browser could not read {name}; choose the settings file again."
                )))),
            }
        });
    };
    let copy = move |_| {
        let text = link();
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
            copied.set(Some(match done {
                Ok(_) => "Link copied.".into(),
                Err(_) => "The browser did not allow copying; select the link and copy it.".into(),
            }));
        });
    };
    view! {
        <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Share the settings"</h2>
            <p>
                "The cuts, service levels, costs and other settings — never the data or the \
                 column mapping of your files — as a file or a link. Whoever opens it gets the \
                 same settings on their own data."
            </p>
            <div class="export-actions">
                <button data-testid="settings-save" disabled=move || json().is_none() on:click=save>
                    "Download settings (JSON)"
                </button>
                <label class="settings-file">
                    "Load a settings file "
                    <input
                        type="file"
                        accept=".json,application/json"
                        data-testid="settings-file"
                        on:change=load
                    />
                </label>
                <button data-testid="settings-copy" disabled=move || json().is_none() on:click=copy>
                    "Copy link"
                </button>
            </div>
            <label class="settings-link">
                "Link with these settings"
                <input type="text" readonly data-testid="settings-link" prop:value=link />
            </label>
            {move || copied.get().map(|c| view! { <p class="help" role="status">{c}</p> })}
        </section>
    }
}

/// Until data is loaded: what the page will offer.
#[component]
fn WhatExportShows() -> impl IntoView {
    view! {
        <section class="card planned">
            <h2>"What this page will show"</h2>
            <ul>
                <li>"Each result table the role may see (SKUs and segments, policies, customers, \
                     tiers, …) as a CSV file, with ',' or ';' and an optional byte-order mark for \
                     Excel"</li>
                <li>"One Excel workbook (XLSX) with a sheet per table"</li>
                <li>"The audit trail and run history, exported with the results"</li>
                <li>"A printable workshop report; every chart has its own PNG button"</li>
            </ul>
        </section>
    }
}
