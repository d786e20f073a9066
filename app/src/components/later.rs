//! The lower part of a big page, rendered a task after the rest.

use leptos::prelude::*;
use std::time::Duration;

/// Renders its children a task after it is mounted. A page built when a
/// big view arrives (the Segments page of 49,256 SKUs) shows its top first
/// and the rest a task later, so that building the page, and the browser's
/// layout of it, are two shorter tasks rather than one long one (issue #7:
/// no task over 100 ms). Later changes of the page's data update the
/// children in place as usual.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(false);
    set_timeout(
        move || {
            let _ = shown.try_set(true);
        },
        Duration::ZERO,
    );
    move || shown.get().then(|| children())
}
