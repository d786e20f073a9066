//! What the virtualised tables (SKUs, policies, customers) share about
//! their scrolling viewport.

use leptos::html::Div;
use leptos::prelude::*;

/// A new filter or order starts at the top: whenever `rows` changes, the
/// viewport `scroller` goes back to the top and `scroll_top` (the offset
/// the table renders from, kept by its scroll handler) to 0.
///
/// The element is touched only when it is scrolled: setting `scrollTop`
/// forces a layout of the whole page, 40 ms in the task that mounts a
/// 49,256-row table (issue #7).
pub fn top_on_change<T: Send + Sync + 'static>(
    rows: Memo<T>,
    scroller: NodeRef<Div>,
    scroll_top: RwSignal<f64>,
) {
    Effect::new(move |_| {
        rows.track();
        if scroll_top.get_untracked() == 0.0 {
            return;
        }
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
}
