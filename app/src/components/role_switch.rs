//! The header's role switch: which workshop audience the results are shown
//! to. Changing it asks the worker for every view again, built for the new
//! role (`segscope_core::roles` decides what each role may see).

use crate::client::EngineClient;
use crate::state::AppState;
use crate::worker_api::Request;
use leptos::prelude::*;
use segscope_core::roles::Role;

/// The role's value in the `<select>` (its serde name).
fn role_id(role: Role) -> &'static str {
    match role {
        Role::Consultant => "consultant",
        Role::Planner => "planner",
        Role::Finance => "finance",
        Role::Sales => "sales",
    }
}

/// A labelled `<select>` of the four roles. Whoever sets `state.role` (this
/// switch, or a restored workspace) gets the worker told.
#[component]
pub fn RoleSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<EngineClient>();
    Effect::watch(
        move || state.role.get(),
        move |role, _, _| client.send(Request::SetRole { role: *role }),
        false,
    );
    let options = Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role_id(role) selected=move || state.role.get() == role>
                    {role.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="role-switch">
            <span>"Role"</span>
            <select
                data-testid="role-switch"
                title="Whose view of the results: each role sees only its figures"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(role) = Role::ALL.into_iter().find(|r| role_id(*r) == value) {
                        state.role.set(role);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_are_the_serde_names() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role_id(role)));
        }
    }
}
