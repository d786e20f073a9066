//! Shared settings on the page's side: a link opened with settings in its
//! fragment (see [`crate::share`]) applies them once at start, and a notice
//! says what became of shared settings — applied, or refused with core's
//! message naming the field while the settings in use stay.

use crate::client::EngineClient;
use crate::share;
use crate::state::AppState;
use crate::worker_api::{Request, SettingsSource};
use leptos::prelude::*;

/// Applies the settings the address carries, if any, and drops them from
/// the address (the page stays), so that a reload does not apply them
/// again over later changes. Damaged settings are reported, not sent.
pub fn apply_settings_link(state: AppState, client: EngineClient) {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    let Some(found) = share::settings_in_fragment(&hash) else { return };
    match found {
        Ok(json) => client.send(Request::SetConfig { json, source: SettingsSource::Link }),
        Err(why) => state.config_notice.set(Some(Err(format!(
            "The settings from the link were not applied: {why}. The settings in use stay."
        )))),
    }
    let _ = location.set_hash(share::without_query(&hash));
}

/// What became of the last shared settings, until dismissed.
#[component]
pub fn SettingsNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.config_notice.get().map(|notice| {
            let (class, text) = match notice {
                Ok(text) => ("notice", text),
                Err(text) => ("notice error-notice", text),
            };
            view! {
                <div class=class role="status" data-testid="settings-notice">
                    <p>{text}</p>
                    <button class="small" on:click=move |_| state.config_notice.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
