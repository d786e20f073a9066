//! A drop zone and file picker for one input file.

use crate::client::EngineClient;
use crate::format;
use crate::state::AppState;
use crate::worker_api::{kind_id, kind_label, Request};
use leptos::ev::{DragEvent, Event};
use leptos::prelude::*;
use segscope_core::FileKind;
use web_sys::{FileList, HtmlInputElement};

/// What each input holds, for the hint under its heading.
fn hint(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Orders => {
            "One row per order line: order id, date, SKU, quantity; optionally \
             customer, price or revenue, cost, weight. Or the order cells that \
             sql/duckdb or sql/spark computes where the data lives."
        }
        FileKind::Cells => "Order cells: order lines added up by the SQL in sql/.",
        FileKind::Products => {
            "SKU master: unit cost, weight, lead time, MOQ, order multiple, lifecycle."
        }
        FileKind::Customers => "Customer master: name, channel, region, strategic accounts.",
        FileKind::CostPools => {
            "Annual logistics and service costs with their drivers (orders, lines, \
             units, value, weight, customers)."
        }
    }
}

/// Drop a file on it or pick one; shows the loaded file's name, size and rows.
#[component]
pub fn FileDrop(
    /// Which input this zone loads.
    kind: FileKind,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let dragging = RwSignal::new(false);
    let input_id = format!("file-{}", kind_id(kind));
    let send_first = move |files: Option<FileList>| {
        if let Some(file) = files.and_then(|f| f.get(0)) {
            client.send_file(kind, file);
        }
    };
    let on_change = move |ev: Event| {
        let input: HtmlInputElement = event_target(&ev);
        send_first(input.files());
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        send_first(ev.data_transfer().and_then(|d| d.files()));
    };
    let on_dragover = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let loaded = move || {
        state
            .workspace
            .with(|w| w.file(kind).map(|f| (f.layout.name.clone(), f.size, f.layout.rows)))
    };
    let status = move || match loaded() {
        Some((name, size, rows)) => view! {
            <p class="loaded" data-testid=format!("loaded-{}", kind_id(kind))>
                <span class="tick" aria-hidden="true">"✓ "</span>
                <strong>{name}</strong>
                {format!(" · {} · {} rows", format::bytes(size), format::count(rows))}
            </p>
        }
        .into_any(),
        None => view! { <p class="empty">"No file yet. Drop a CSV here, or"</p> }.into_any(),
    };
    let remove = move || {
        (kind != FileKind::Orders && loaded().is_some()).then(|| {
            view! {
                <button
                    class="link"
                    on:click=move |_| client.send(Request::RemoveFile { kind })
                >
                    "Remove"
                </button>
            }
        })
    };
    view! {
        <section
            class="drop"
            class:dragging=dragging
            class:filled=move || loaded().is_some()
            data-testid=format!("drop-{}", kind_id(kind))
            on:dragover=on_dragover
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h3>
                {kind_label(kind)}
                {if kind == FileKind::Orders {
                    view! { <span class="tag required">"required"</span> }.into_any()
                } else {
                    view! { <span class="tag">"optional"</span> }.into_any()
                }}
            </h3>
            <p class="hint">{hint(kind)}</p>
            {status}
            <div class="drop-actions">
                <input
                    id=input_id.clone()
                    class="visually-hidden"
                    type="file"
                    accept=".csv,.tsv,.txt,text/csv,text/plain"
                    on:change=on_change
                />
                <label class="button secondary" for=input_id>
                    {format!("Choose {} file…", kind_label(kind).to_lowercase())}
                </label>
                {remove}
            </div>
        </section>
    }
}
