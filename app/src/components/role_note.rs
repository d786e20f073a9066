//! The notice on a workflow page that says what the current role does not
//! see there, so that a missing figure reads as a choice, not a fault.

use crate::state::{AppState, Route};
use leptos::prelude::*;
use segscope_core::roles::{can_see, sees_stock_values, Role, TableKind};

/// What `role` sees and does not see on `route`, in a sentence; `None`
/// where it sees everything. The figures themselves are decided by
/// `segscope_core::roles`; this only says so in words.
pub fn note(route: Route, role: Role) -> Option<String> {
    let name = role.label();
    match route {
        Route::Policies if !sees_stock_values(role) => Some(format!(
            "As {name} you see service levels, fill rates, stockouts and quantities in units; \
             stock values are hidden for this role."
        )),
        Route::CostToServe if !can_see(role, TableKind::Customers, "cost_to_serve") => {
            let tiers = can_see(role, TableKind::Tiers, "tier");
            Some(if tiers {
                format!(
                    "As {name} you see each customer's revenue, orders and tier; what serving \
                     them takes out of the business is hidden for this role."
                )
            } else {
                format!(
                    "As {name} you see each customer's revenue and orders; what each customer \
                     earns the business, and its tier, is hidden for this role."
                )
            })
        }
        _ => None,
    }
}

/// The role notice of a page (nothing when the role sees everything).
#[component]
pub fn RoleNote(
    /// The page it is on.
    route: Route,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        note(route, state.role.get()).map(|text| {
            view! {
                <p class="notice role-note" data-testid="role-note" role="note">
                    {text}
                </p>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_told_what_it_misses_and_no_more() {
        assert_eq!(note(Route::Policies, Role::Consultant), None);
        assert_eq!(note(Route::Policies, Role::Planner), None);
        assert!(note(Route::Policies, Role::Sales).unwrap().contains("service levels"));
        assert_eq!(note(Route::CostToServe, Role::Finance), None);
        let planner = note(Route::CostToServe, Role::Planner).unwrap();
        assert!(planner.contains("revenue and orders") && !planner.contains("profit"));
        let sales = note(Route::CostToServe, Role::Sales).unwrap();
        assert!(sales.contains("tier") && !sales.to_lowercase().contains("cost"));
        assert_eq!(note(Route::Segments, Role::Sales), None);
    }
}
