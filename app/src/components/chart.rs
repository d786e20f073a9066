//! A `<canvas>` that a chart draws itself on, again whenever the signals
//! its drawing function reads change.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;

/// The drawing area a chart function gets.
pub type CanvasArea = DrawingArea<CanvasBackend, Shift>;

/// A fixed-size canvas (CSS pixels) with an accessible name. `draw` is run
/// in an effect after mounting, so it re-runs when the signals it reads
/// change; it returns an error text to show instead of the chart.
///
/// After drawing, the canvas carries `data-drawn="true"` (tests wait for
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
    Effect::new(move |_| {
        let Some(element) = canvas.get() else { return };
        let Some(backend) = CanvasBackend::with_canvas_object(element.clone()) else {
            failed.set(Some("This browser cannot draw on a canvas.".into()));
            return;
        };
        let area = backend.into_drawing_area();
        let result = draw(&area).and_then(|()| area.present().map_err(|e| format!("{e:?}")));
        match result {
            Ok(()) => {
                let _ = element.set_attribute("data-drawn", "true");
                failed.set(None);
            }
            Err(e) => failed.set(Some(format!("The chart could not be drawn: {e}"))),
        }
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
