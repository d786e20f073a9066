//! The detected format and column mapping of one loaded file, with a
//! per-field override.

use crate::client::EngineClient;
use crate::format;
use crate::worker_api::{kind_id, kind_label, FileView, Request};
use leptos::prelude::*;
use segscope_core::ingest::{MappedField, MatchedBy};

/// The delimiter as people name it.
fn delimiter_name(d: char) -> String {
    match d {
        ',' => "comma (,)".into(),
        ';' => "semicolon (;)".into(),
        '\t' => "tab".into(),
        '|' => "pipe (|)".into(),
        other => format!("“{other}”"),
    }
}

/// One table row per canonical field: required or not, the matched header
/// (a `<select>` over the file's headers to override it) and how it was
/// matched. Choosing "automatic" drops the override.
#[component]
pub fn MappingTable(
    /// The loaded file.
    file: FileView,
) -> impl IntoView {
    let layout = file.layout;
    let kind = layout.kind;
    let meta = format!(
        "{} · {} · delimiter {} · {} rows · {} columns",
        layout.encoding,
        format::bytes(file.size),
        delimiter_name(layout.delimiter),
        format::count(layout.rows),
        layout.headers.len()
    );
    // Optional fields the file does not have are many and rarely
    // interesting; they are folded away until asked for.
    let hidden = layout
        .fields
        .iter()
        .filter(|f| !f.required && f.matched_by == MatchedBy::Unmatched)
        .count();
    let show_all = RwSignal::new(false);
    let rows = layout
        .fields
        .iter()
        .map(|f| {
            view! {
                <FieldRow
                    field=f.clone()
                    headers=layout.headers.clone()
                    file=layout.name.clone()
                    kind=kind
                />
            }
        })
        .collect_view();
    let toggle = (hidden > 0).then(|| {
        view! {
            <button
                class="link"
                aria-expanded=move || show_all.get().to_string()
                on:click=move |_| show_all.update(|v| *v = !*v)
            >
                {move || {
                    if show_all.get() {
                        format!("Hide the {hidden} optional fields not found")
                    } else {
                        format!("Show the {hidden} optional fields not found")
                    }
                }}
            </button>
        }
    });
    view! {
        <section
            class="mapping card"
            class:show-all=show_all
            data-testid=format!("mapping-{}", kind_id(kind))
        >
            <h3>
                {kind_label(kind)}": "
                <span class="file-name" data-testid=format!("mapping-{}-file", kind_id(kind))>
                    {layout.name.clone()}
                </span>
            </h3>
            <p class="meta" data-testid=format!("mapping-{}-format", kind_id(kind))>{meta}</p>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Required"</th>
                        <th scope="col">"Column in the file"</th>
                        <th scope="col">"Matched by"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {toggle}
        </section>
    }
}

#[component]
fn FieldRow(
    field: MappedField,
    headers: Vec<String>,
    file: String,
    kind: segscope_core::FileKind,
) -> impl IntoView {
    let client = expect_context::<EngineClient>();
    let name = field.field.clone();
    let current = field.header.clone();
    let on_change = {
        let name = name.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            client.send(Request::SetMapping {
                kind,
                file: file.clone(),
                field: name.clone(),
                header: (!value.is_empty()).then_some(value),
            });
        }
    };
    let options = headers
        .into_iter()
        .map(|h| {
            let selected = current.as_deref() == Some(h.as_str());
            let label = h.clone();
            view! { <option value=h selected=selected>{label}</option> }
        })
        .collect_view();
    let automatic = match field.matched_by {
        MatchedBy::Unmatched => "— not found —",
        _ => "— automatic —",
    };
    let matched_by = match field.matched_by {
        MatchedBy::Synonym => "synonym",
        MatchedBy::Override => "override",
        MatchedBy::Unmatched => "—",
    };
    let testid = format!("map-{}-{}", kind_id(kind), name);
    view! {
        <tr
            data-field=name.clone()
            class:unmatched=field.matched_by == MatchedBy::Unmatched
            class:optional=!field.required
        >
            <th scope="row"><code>{name.clone()}</code></th>
            <td>{if field.required { "yes" } else { "" }}</td>
            <td>
                <select
                    aria-label=format!("Column for {name}")
                    data-testid=testid.clone()
                    on:change=on_change
                >
                    <option value="" selected=current.is_none()>{automatic}</option>
                    {options}
                </select>
            </td>
            <td data-testid=format!("{testid}-by")>{matched_by}</td>
        </tr>
    }
}
