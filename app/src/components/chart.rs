//! A `<canvas>` that a chart draws itself on, again whenever the signals
//! its drawing function reads change.

use crate::charts::recorder::{measure_on_canvas, Recorder, Recording};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use std::time::Duration;

/// The drawing area a chart function gets: a recording of the canvas,
/// painted in a task of its own (see `charts::recorder`).
pub type CanvasArea = DrawingArea<Recorder, Shift>;

/// A fixed-size canvas (CSS pixels) with an accessible name. `draw` is run
/// in an effect in the task after mounting, so it re-runs when the signals
/// it reads change; it returns an error text to show instead of the chart. It draws
/// on a recording, which is painted on the canvas in a later task, so that
/// a big chart never lengthens the task that brought its data; of two
/// recordings made before the first is painted only the second is.
///
/// After painting, the canvas carries `data-drawn="true"` (tests wait for
/// it).
#[component]
pub fn ChartCanvas<F>(
    /// Width in pixels.
    width: u32,
    /// Height in pixels.
    height: u32,
    /// What the chart shows, for screen readers (the figures are also in
    /// the tables beside it).
    #[prop(into)]
    label: Signal<String>,
    /// `data-testid` of the canvas.
    testid: &'static str,
    /// Draws on the canvas.
    draw: F,
) -> impl IntoView
where
    F: Fn(&CanvasArea) -> Result<(), String> + 'static,
{
    let canvas = NodeRef::<Canvas>::new();
    let failed = RwSignal::new(None::<String>);
    // The recording waiting to be painted; a newer one replaces it.
    let waiting = StoredValue::new_local(None::<Recording>);
    // A chart mounted with its data (a page built as a big view arrives)
    // draws in a task after the one that mounted it, so that building the
    // page and drawing its charts are not one long task (issue #7); later
    // changes of its data redraw at once.
    let mounted = RwSignal::new(false);
    set_timeout(
        move || {
            let _ = mounted.try_set(true);
        },
        Duration::ZERO,
    );
    Effect::new(move |_| {
        if !mounted.get() {
            return;
        }
        let Some(element) = canvas.get() else { return };
        let recorder = Recorder::new((width, height), measure_on_canvas);
        let recording = recorder.recording();
        let area = recorder.into_drawing_area();
        if let Err(e) = draw(&area) {
            failed.set(Some(format!("The chart could not be drawn: {e}")));
            return;
        }
        drop(area);
        let recording = recording.take();
        let scheduled = waiting.with_value(Option::is_some);
        waiting.set_value(Some(recording));
        if scheduled {
            return;
        }
        set_timeout(
            move || {
                let Some(recording) = waiting.try_update_value(Option::take).flatten() else {
                    return;
                };
                let Some(mut backend) = CanvasBackend::with_canvas_object(element.clone()) else {
                    failed.set(Some("This browser cannot draw on a canvas.".into()));
                    return;
                };
                match recording.paint(&mut backend) {
                    Ok(()) => {
                        let _ = element.set_attribute("data-drawn", "true");
                        failed.set(None);
                    }
                    Err(e) => failed.set(Some(format!("The chart could not be drawn: {e}"))),
                }
            },
            Duration::ZERO,
        );
    });
    view! {
        <div class="chart">
            <canvas
                node_ref=canvas
                width=width
                height=height
                role="img"
                aria-label=move || label.get()
                data-testid=testid
            ></canvas>
            {move || failed.get().map(|e| view! { <p class="error-message">{e}</p> })}
            <button
                class="small chart-png no-print"
                data-testid=format!("{testid}-png")
                aria-label=move || format!("Download the chart as PNG: {}", label.get())
                on:click=move |_| save_png(canvas, testid)
            >
                "PNG"
            </button>
        </div>
    }
}

/// Downloads what the canvas shows as `<testid>.png` (the chart's name).
fn save_png(canvas: NodeRef<Canvas>, testid: &str) {
    let Some(element) = canvas.get_untracked() else { return };
    let Ok(url) = element.to_data_url() else { return };
    let Ok(link) = document().create_element("a") else { return };
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", &format!("{testid}.png"));
    if let Some(link) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&link) {
        link.click();
    }
}
