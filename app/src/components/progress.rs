//! Progress of the request under way.

use crate::state::AppState;
use leptos::prelude::*;

/// A `<progress>` bar with the stage and percentage while the engine works;
/// indeterminate when the stage does not report a share.
#[component]
pub fn ProgressLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let p = state.progress.get()?;
        let bar = match p.fraction {
            Some(f) => {
                let percent = (f.clamp(0.0, 1.0) * 100.0).floor();
                view! {
                    <progress id="work-progress" max="100" value=percent></progress>
                    <span class="percent" data-testid="progress-percent">{percent}"%"</span>
                }
                .into_any()
            }
            None => view! { <progress id="work-progress"></progress> }.into_any(),
        };
        Some(view! {
            <div class="progress" role="status" data-testid="progress">
                <label for="work-progress">{p.stage}</label>
                {bar}
            </div>
        })
    }
}
