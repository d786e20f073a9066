//! The notice on analysis pages while nothing is loaded.

use crate::state::Route;
use leptos::prelude::*;

/// "Load your data first", with a link to the Data page.
#[component]
pub fn NoData() -> impl IntoView {
    view! {
        <div class="notice" data-testid="no-data">
            <p>
                "Load your orders export or the demo data on the "
                <a href=Route::Data.hash()>"Data page"</a>
                " first."
            </p>
        </div>
    }
}
