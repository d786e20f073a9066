//! Charts as pure drawing functions over small view-models.
//!
//! Each chart is `draw(area, view)`: it takes any plotters
//! [`DrawingBackend`] — the page's `<canvas>` through `plotters-canvas`, or
//! plotters' SVG backend in the native tests — and the view-model the
//! worker sent (`worker_api`). Layout choices that depend on the data
//! (axis ranges, where labels go) are plain functions beside each chart,
//! tested as data.
//!
//! Every chart has a title, labelled axes with units, and labels on its
//! reference lines, legible at the size the page draws it (about 500 × 360
//! CSS pixels).

pub mod clusters;
pub mod cost_bars;
pub mod frontier;
pub mod history;
pub mod kpi_bars;
pub mod pareto;
pub mod patterns;
pub mod recorder;
pub mod tier_mix;
pub mod whale;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

/// What a drawing function returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The font of every chart: the system's sans-serif, like the page.
pub const FONT: &str = "sans-serif";

/// Ink colours, matching the stylesheet.
pub const INK: RGBColor = RGBColor(0x1d, 0x23, 0x30);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x5b, 0x64, 0x75);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xe6, 0xe9, 0xef);
/// The main series.
pub const ACCENT: RGBColor = RGBColor(0x1f, 0x5f, 0xbf);
/// Reference (cut) lines.
pub const CUT: RGBColor = RGBColor(0xb3, 0x26, 0x1e);

/// Categorical colours (clusters), readable on white and distinct for most
/// colour-blind readers; as CSS hex too, for the legend tables.
pub const PALETTE: [&str; 9] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#9c755f", "#edc948",
    "#ff9da7",
];

/// A palette entry as a plotters colour (grey for anything unparsable).
pub fn color(hex: &str) -> RGBColor {
    let hex = hex.trim_start_matches('#');
    let part = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
    match (part(0), part(2), part(4)) {
        (Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => RGBColor(0x88, 0x88, 0x88),
    }
}

/// The colour of cluster `k`.
pub fn cluster_color(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

/// A share as a whole percentage for tick labels: `0.8` → `80 %`.
pub fn tick_percent(v: &f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// A number for tick labels with as few digits as its size needs.
pub fn tick_number(v: &f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}").trim_end_matches(".0").to_owned()
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Text in a chart: size in pixels.
pub fn text(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&INK)
}

/// Draws `label` in a white box whose corner `anchor` (`HPos`, `VPos` of
/// the box) sits at pixel `(x, y)` of `area`.
pub fn boxed_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    (x, y): (i32, i32),
    (h, v): (text_anchor::HPos, text_anchor::VPos),
    style: &TextStyle,
) -> DrawResult<DB> {
    use text_anchor::{HPos, VPos};
    let (w, th) = area.estimate_text_size(label, style)?;
    let (w, th) = (w as i32 + 8, th as i32 + 4);
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    let top = match v {
        VPos::Top => y,
        VPos::Center => y - th / 2,
        VPos::Bottom => y - th,
    };
    area.draw(&Rectangle::new([(left, top), (left + w, top + th)], WHITE.mix(0.85).filled()))?;
    let at = style.pos(text_anchor::Pos::new(HPos::Left, VPos::Top));
    area.draw(&Text::new(label.to_owned(), (left + 4, top + 2), at))?;
    Ok(())
}

/// The sample drawn before a legend entry's text.
#[derive(Clone, Copy)]
pub enum Swatch {
    /// A short line (a curve or a reference line).
    Line(ShapeStyle),
    /// A dot of a radius (a marked point).
    Dot(ShapeStyle, i32),
    /// A small bar.
    Bar(ShapeStyle),
}

/// Where a legend sits in the plotting area.
#[derive(Clone, Copy)]
pub enum Corner {
    /// Top left.
    UpperLeft,
    /// Bottom right.
    LowerRight,
}

/// Draws a legend box of `entries` in a corner of `plot` (the chart's
/// plotting area), `margin` pixels in. Its text is measured through the
/// backend, never through plotters' own legend, whose font measuring adds
/// a `<span>` to the page and forces a layout for every entry.
pub fn legend<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    entries: &[(String, Swatch)],
    corner: Corner,
    margin: i32,
) -> DrawResult<DB> {
    const SWATCH: i32 = 18;
    const PAD: i32 = 6;
    let font = text(12);
    let mut sizes = Vec::with_capacity(entries.len());
    for (label, _) in entries {
        let (w, h) = plot.estimate_text_size(label, &font)?;
        sizes.push((w as i32, h as i32));
    }
    let row = sizes.iter().map(|s| s.1).max().unwrap_or(0).max(12) + 4;
    let width = PAD + SWATCH + PAD + sizes.iter().map(|s| s.0).max().unwrap_or(0) + PAD;
    let height = PAD + row * entries.len() as i32 + PAD - 4;
    let (pw, ph) = plot.dim_in_pixel();
    let (left, top) = match corner {
        Corner::UpperLeft => (margin, margin),
        Corner::LowerRight => (pw as i32 - margin - width, ph as i32 - margin - height),
    };
    let frame = [(left, top), (left + width, top + height)];
    plot.draw(&Rectangle::new(frame, WHITE.mix(0.9).filled()))?;
    plot.draw(&Rectangle::new(frame, GRID.stroke_width(1)))?;
    let at = font.pos(text_anchor::Pos::new(text_anchor::HPos::Left, text_anchor::VPos::Center));
    for (i, (label, swatch)) in entries.iter().enumerate() {
        let y = top + PAD + row * i as i32 + (row - 4) / 2;
        let x = left + PAD;
        match *swatch {
            Swatch::Line(style) => {
                plot.draw(&PathElement::new([(x, y), (x + SWATCH, y)], style))?
            }
            Swatch::Dot(style, r) => plot.draw(&Circle::new((x + SWATCH / 2, y), r, style))?,
            Swatch::Bar(style) => {
                plot.draw(&Rectangle::new([(x + 2, y - 5), (x + SWATCH - 2, y + 5)], style))?
            }
        }
        plot.draw(&Text::new(label.clone(), (x + SWATCH + PAD, y), at.clone()))?;
    }
    Ok(())
}

/// A message in the middle of an empty chart.
pub fn empty<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    why: &str,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let centre = text_anchor::Pos::new(text_anchor::HPos::Center, text_anchor::VPos::Center);
    area.draw(&Text::new(title.to_owned(), (w as i32 / 2, 20), text(16).pos(centre)))?;
    area.draw(&Text::new(
        why.to_owned(),
        (w as i32 / 2, h as i32 / 2),
        text(13).color(&MUTED).pos(centre),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_entries_parse() {
        assert_eq!(color("#4e79a7"), RGBColor(0x4e, 0x79, 0xa7));
        assert_eq!(color("nope"), RGBColor(0x88, 0x88, 0x88));
        assert_eq!(cluster_color(9), PALETTE[0]);
    }

    #[test]
    fn tick_labels_are_short() {
        for (v, expected) in
            [(0.0, "0"), (0.49, "0.49"), (1.5, "1.5"), (2.0, "2"), (12.0, "12"), (250.4, "250")]
        {
            assert_eq!(tick_number(&v), expected, "{v}");
        }
        assert_eq!(tick_percent(&0.8), "80 %");
    }
}
