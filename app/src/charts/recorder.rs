//! A drawing backend that records a chart and paints it later.
//!
//! A chart's drawing function runs in an effect, so that it draws again
//! when the signals it reads change; but painting 49,256 points on a
//! `<canvas>` and measuring every label through plotters' web fonts (a
//! `<span>` added to the page, then a forced layout of the whole page)
//! took 50–80 ms a chart, all in the task that received the worker's view
//! (issue #7: no main-thread task over 100 ms). So the effect draws onto a
//! [`Recorder`] — plain Rust, no calls into the browser except measuring
//! text on a detached canvas — and [`Recording::paint`] replays it on the
//! real canvas in a task of its own.
//!
//! The replay goes through `plotters-canvas` itself, operation by
//! operation, so the pixels are the ones that backend would have drawn.

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily,
    FontStyle, FontTransform,
};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

/// A stroke or fill: colour and width.
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl Stroke {
    fn of<S: BackendStyle>(style: &S) -> Stroke {
        Stroke { color: style.color(), width: style.stroke_width() }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text's style, as the canvas backend reads it.
#[derive(Clone)]
struct Font {
    family: String,
    style: FontStyle,
    size: f64,
    color: BackendColor,
    anchor: Pos,
    transform: FontTransform,
}

impl Font {
    fn of<S: BackendTextStyle>(style: &S) -> Font {
        Font {
            family: style.family().as_str().to_owned(),
            style: style.style(),
            size: style.size(),
            color: style.color(),
            anchor: style.anchor(),
            transform: style.transform(),
        }
    }

    /// The CSS font, as `plotters-canvas` sets it.
    fn css(&self) -> String {
        format!("{} {}px {}", self.style.as_str(), self.size, self.family)
    }
}

impl BackendTextStyle for Font {
    type FontError = Infallible;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }

    fn style(&self) -> FontStyle {
        self.style
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(&self.family)
    }

    // The canvas backend draws text with the canvas's own text functions
    // and never asks the style to lay it out or rasterise it.
    fn layout_box(&self, _text: &str) -> Result<((i32, i32), (i32, i32)), Infallible> {
        Ok(((0, 0), (0, 0)))
    }

    fn draw<E, DrawFunc: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: DrawFunc,
    ) -> Result<Result<(), E>, Infallible> {
        Ok(Ok(()))
    }
}

/// One drawing operation.
enum Op {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(String, Font, BackendCoord),
    Bitmap(BackendCoord, (u32, u32), Vec<u8>),
}

/// What a chart drew, to paint later.
#[derive(Default)]
pub struct Recording {
    ops: Vec<Op>,
}

impl Recording {
    /// Paints the recording on a canvas backend, in the order it was drawn.
    pub fn paint<DB: DrawingBackend>(&self, target: &mut DB) -> Result<(), String> {
        let err = |e: DrawingErrorKind<DB::ErrorType>| format!("{e:?}");
        target.ensure_prepared().map_err(err)?;
        for op in &self.ops {
            match op {
                Op::Pixel(at, color) => target.draw_pixel(*at, *color),
                Op::Line(from, to, s) => target.draw_line(*from, *to, s),
                Op::Rect(a, b, s, fill) => target.draw_rect(*a, *b, s, *fill),
                Op::Path(points, s) => target.draw_path(points.iter().copied(), s),
                Op::Circle(at, r, s, fill) => target.draw_circle(*at, *r, s, *fill),
                Op::Polygon(points, s) => target.fill_polygon(points.iter().copied(), s),
                Op::Text(text, font, at) => target.draw_text(text, font, *at),
                Op::Bitmap(at, size, src) => target.blit_bitmap(*at, *size, src),
            }
            .map_err(err)?;
        }
        target.present().map_err(err)
    }

    /// The number of operations recorded.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// Measures a text in a CSS font: width and height in pixels.
pub type Measure = fn(&str, &str, f64) -> (u32, u32);

/// The recording backend: a canvas of a size, that remembers.
pub struct Recorder {
    size: (u32, u32),
    measure: Measure,
    recording: Rc<RefCell<Recording>>,
}

impl Recorder {
    /// A recorder for a canvas of `size` pixels that measures text with
    /// `measure` (the page: [`measure_on_canvas`]).
    pub fn new(size: (u32, u32), measure: Measure) -> Recorder {
        Recorder { size, measure, recording: Rc::default() }
    }

    /// Where the operations go; it stays readable after the recorder has
    /// been moved into a drawing area.
    pub fn recording(&self) -> Rc<RefCell<Recording>> {
        Rc::clone(&self.recording)
    }

    fn push(&mut self, op: Op) -> Result<(), DrawingErrorKind<Infallible>> {
        self.recording.borrow_mut().ops.push(op);
        Ok(())
    }
}

impl DrawingBackend for Recorder {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Line(from, to, Stroke::of(style)))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Rect(upper_left, bottom_right, Stroke::of(style), fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Path(path.into_iter().collect(), Stroke::of(style)))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Circle(center, radius, Stroke::of(style), fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Polygon(vert.into_iter().collect(), Stroke::of(style)))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Text(text.to_owned(), Font::of(style), pos))
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let font = Font::of(style);
        Ok((self.measure)(text, &font.css(), font.size))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Op::Bitmap(pos, size, src.to_vec()))
    }
}

/// Measures text with a detached canvas's `measureText`: no layout of the
/// page. The height is the font's ascent plus descent, which is the line
/// box plotters measured with a `<span>` (`normal` line height); without a
/// canvas, 1.2 × the size and 0.6 × the size per character.
#[cfg(target_arch = "wasm32")]
pub fn measure_on_canvas(text: &str, css_font: &str, size: f64) -> (u32, u32) {
    use wasm_bindgen::JsCast;
    thread_local! {
        static CONTEXT: Option<web_sys::CanvasRenderingContext2d> = (|| {
            let canvas = leptos::prelude::document().create_element("canvas").ok()?;
            let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().ok()?;
            canvas.get_context("2d").ok()??.dyn_into().ok()
        })();
    }
    thread_local! {
        /// Sizes measured so far: charts measure the same tick labels and
        /// titles at every draw, and each `measureText` is a call into the
        /// browser (14 ms of a Segments page's first draw at 1M lines).
        static MEASURED: std::cell::RefCell<std::collections::HashMap<(String, String), (u32, u32)>> =
            Default::default();
    }
    let key = (css_font.to_owned(), text.to_owned());
    if let Some(size) = MEASURED.with(|m| m.borrow().get(&key).copied()) {
        return size;
    }
    let measured = CONTEXT.with(|context| {
        let measured = context.as_ref().and_then(|c| {
            c.set_font(css_font);
            let m = c.measure_text(text).ok()?;
            Some((m.width(), m.font_bounding_box_ascent() + m.font_bounding_box_descent()))
        });
        let (w, h) = measured.unwrap_or_else(|| rough_size(text, size));
        (w.round().max(0.0) as u32, h.round().max(0.0) as u32)
    });
    MEASURED.with(|m| {
        let mut m = m.borrow_mut();
        // Labels of numbers are many over a session: start again when full.
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(key, measured);
    });
    measured
}

/// Natively (tests) there is no canvas: [`rough_size`].
#[cfg(not(target_arch = "wasm32"))]
pub fn measure_on_canvas(text: &str, _css_font: &str, size: f64) -> (u32, u32) {
    let (w, h) = rough_size(text, size);
    (w.round() as u32, h.round() as u32)
}

/// Width and height of a text without a canvas to measure on.
pub fn rough_size(text: &str, size: f64) -> (f64, f64) {
    (0.6 * size * text.chars().count() as f64, 1.2 * size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    fn rough(text: &str, _font: &str, size: f64) -> (u32, u32) {
        let (w, h) = rough_size(text, size);
        (w as u32, h as u32)
    }

    /// A small chart recorded, then painted on SVG: everything it drew
    /// arrives, in its styles.
    #[test]
    fn a_replayed_recording_draws_what_the_chart_drew() {
        fn chart<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>) {
            area.fill(&WHITE).unwrap();
            let mut c = ChartBuilder::on(area)
                .caption("Title", ("sans-serif", 14))
                .x_label_area_size(20)
                .y_label_area_size(30)
                .build_cartesian_2d(0.0..10.0, 0.0..5.0)
                .unwrap();
            c.configure_mesh().x_desc("x").draw().unwrap();
            c.draw_series(LineSeries::new((0..10).map(|i| (i as f64, i as f64 / 2.0)), &RED))
                .unwrap();
            c.draw_series((0..5).map(|i| Circle::new((i as f64, 1.0), 3, BLUE.filled()))).unwrap();
            area.draw(&Rectangle::new([(5, 5), (20, 20)], GREEN.mix(0.5).filled())).unwrap();
        }
        // The chart is drawn on a recorder and painted on SVG.
        let recorder = Recorder::new((300, 200), rough);
        let recording = recorder.recording();
        chart(&recorder.into_drawing_area());
        let recording = recording.take();
        assert!(recording.len() > 20, "{} operations", recording.len());

        let mut painted = String::new();
        {
            let mut svg = SVGBackend::with_string(&mut painted, (300, 200));
            recording.paint(&mut svg).unwrap();
        }
        // Everything drawn arrives: the title, the axis description, 10
        // line points, 5 circles and the translucent rectangle.
        assert!(painted.contains("\nTitle\n"), "{painted}");
        assert!(painted.contains("\nx\n"), "{painted}");
        assert_eq!(painted.matches("<circle").count(), 5);
        assert!(painted.contains("opacity=\"0.5\""), "{painted}");
        assert!(painted.contains("<polyline"));
    }

    #[test]
    fn text_is_measured_with_the_measure_given() {
        let r = Recorder::new((100, 100), |_, font, _| (font.len() as u32, 7));
        let size = r
            .estimate_text_size("abc", &TextStyle::from(("sans-serif", 12.0).into_font()))
            .unwrap();
        // "normal 12px sans-serif" is 22 characters.
        assert_eq!(size, (22, 7));
    }
}
