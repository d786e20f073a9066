//! The header's workspace menu (export, import, clear everything), the
//! save status beside it, and the notice that explains a save that did
//! not happen or an import that was refused.
//!
//! The work itself is saved by the engine worker (see `autosave`); the page
//! only asks and shows.

use crate::client::EngineClient;
use crate::state::AppState;
use crate::worker_api::{Request, SaveStatus};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Hands bytes (an `ArrayBuffer` or typed array) to the browser as a
/// download named `name`.
pub fn download(name: &str, bytes: &JsValue, mime: &str) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(bytes);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options)
    else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(link) = document().create_element("a") else { return };
    let link: web_sys::HtmlAnchorElement = link.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The browser has taken the URL once the click is handled.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(1),
    );
}

/// The "Workspace" menu and the save status.
#[component]
pub fn WorkspaceMenu() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let menu = NodeRef::<html::Details>::new();
    let picker = NodeRef::<html::Input>::new();
    let confirming = RwSignal::new(false);
    let close = move || {
        confirming.set(false);
        if let Some(m) = menu.get_untracked() {
            m.set_open(false);
        }
    };
    let export = move |_| {
        close();
        client.send(Request::ExportWorkspace);
    };
    let import = move |_| {
        if let Some(input) = picker.get_untracked() {
            input.click();
        }
    };
    let picked = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            close();
            client.send_workspace(file);
        }
        // The same file may be picked again after a refusal.
        input.set_value("");
    };
    let clear = move |_| {
        close();
        client.send(Request::ClearWorkspace);
    };
    let status = move || state.save_status.get();
    let status_state = move || match status() {
        Some(SaveStatus::Saved { .. }) => "saved",
        Some(SaveStatus::Empty) | None => "empty",
        Some(SaveStatus::Failed { .. }) => "failed",
        Some(SaveStatus::Conflict { .. }) => "conflict",
    };
    // The line stays short; the notice below the header says the rest.
    let status_text = move || match status() {
        None => "Opening saved work…".to_owned(),
        Some(SaveStatus::Failed { .. } | SaveStatus::Conflict { .. }) => "Not saved".to_owned(),
        Some(s) => s.text(),
    };
    view! {
        <span class="save-status" data-testid="save-status" data-state=status_state aria-live="polite">
            {status_text}
        </span>
        <details class="workspace-menu" node_ref=menu>
            <summary data-testid="workspace-menu">"Workspace"</summary>
            <div class="workspace-menu-body">
                <p class="hint">
                    "Your files, mapping, settings and runs are saved in this browser after every change."
                </p>
                <button on:click=export data-testid="workspace-export">"Export workspace"</button>
                <button on:click=import data-testid="workspace-import">"Import workspace…"</button>
                <input
                    type="file"
                    accept=".segscope"
                    class="visually-hidden"
                    tabindex="-1"
                    aria-hidden="true"
                    data-testid="workspace-import-input"
                    node_ref=picker
                    on:change=picked
                />
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                class="danger"
                                data-testid="workspace-clear"
                                on:click=move |_| confirming.set(true)
                            >
                                "Clear everything…"
                            </button>
                        }
                    }
                >
                    <div class="confirm" role="group" aria-label="Confirm clearing everything">
                        <p>
                            "Remove the files, settings, pools and runs from this tab and this browser? "
                            "This cannot be undone: export the workspace first to keep a copy."
                        </p>
                        <button class="danger" data-testid="workspace-clear-confirm" on:click=clear>
                            "Clear everything"
                        </button>
                        <button on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </Show>
            </div>
        </details>
    }
}

/// Below the header: why the last change was not saved (with what to do),
/// newer work in another tab (reload, or keep this tab's), or why an
/// imported file was refused.
#[component]
pub fn WorkspaceNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    let save_notice = move || match state.save_status.get() {
        Some(SaveStatus::Failed { reason }) => Some(
            view! {
                <div class="notice warning" role="alert" data-testid="save-problem">
                    <p>"Not saved: "{reason}</p>
                    <button on:click=move |_| client.send(Request::ExportWorkspace)>
                        "Export workspace"
                    </button>
                </div>
            }
            .into_any(),
        ),
        Some(SaveStatus::Conflict { time }) => Some(
            view! {
                <div class="notice warning" role="alert" data-testid="save-conflict">
                    <p>
                        "Another tab saved newer work at "{time}
                        ". This tab's changes are not being saved, so that work is not overwritten."
                    </p>
                    <button on:click=move |_| {
                        let _ = window().location().reload();
                    }>"Reload with the newer work"</button>
                    <button on:click=move |_| {
                        client.send(Request::SaveWorkspace { overwrite: true })
                    }>"Keep this tab's work instead"</button>
                </div>
            }
            .into_any(),
        ),
        _ => None,
    };
    let import_notice = move || {
        state.workspace_error.get().map(|message| {
            view! {
                <div class="notice error" role="alert" data-testid="workspace-rejected">
                    <div class="notice-text">
                        <p>{message}</p>
                        <p>"Nothing was changed: your work is as it was."</p>
                    </div>
                    <button on:click=move |_| state.workspace_error.set(None)>"Dismiss"</button>
                </div>
            }
        })
    };
    view! { <div class="workspace-notices">{save_notice} {import_notice}</div> }
}
