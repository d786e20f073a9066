//! The Syntetos–Boylan chart: each SKU's average demand interval (ADI)
//! against the squared cv of its demand sizes (CV²), coloured by pattern,
//! with the two cuts dividing it into the four pattern quadrants.

use super::{boxed_label, color, empty, text, tick_number, DrawResult, GRID, MUTED};
use crate::worker_api::{PatternView, PATTERNS};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Point colour per pattern, in [`PATTERNS`] order.
pub const PATTERN_COLORS: [&str; 5] = ["#59a14f", "#f28e2b", "#4e79a7", "#e15759", "#888888"];
/// Darker shades of the same hues for text on white.
const PATTERN_INK: [RGBColor; 5] = [
    RGBColor(0x2f, 0x6b, 0x29),
    RGBColor(0x9a, 0x52, 0x0a),
    RGBColor(0x2c, 0x57, 0x83),
    RGBColor(0xa8, 0x30, 0x2f),
    RGBColor(0x55, 0x55, 0x55),
];

/// The axes' ranges: `(adi_low, adi_high, cv2_high)`.
///
/// ADI is drawn on a log scale from below 1, so that ADI 1 sits a fifth of
/// the way across: the quadrants left of the cut keep room for their
/// labels (no SKU has an ADI below 1, so nothing is hidden there).
/// CV² runs from 0 to a little above the 98th percentile, at least to 1 so
/// that the cut is well inside; the few SKUs above are drawn on the top
/// edge (see [`above`]).
pub fn ranges(view: &PatternView) -> (f64, f64, f64) {
    let adi_max = view.points.iter().map(|p| p.0).fold(view.adi_cut, f64::max);
    let hi = (adi_max * 1.15).max(2.0);
    let lo = hi.powf(-0.25).min(0.9);
    let mut cv2: Vec<f64> = view.points.iter().map(|p| p.1).collect();
    cv2.sort_unstable_by(f64::total_cmp);
    let cv2_max = cv2.last().copied().unwrap_or(0.0);
    let q98 = cv2.get((cv2.len() as f64 * 0.98) as usize).copied().unwrap_or(cv2_max);
    let top = (q98 * 1.15).min(cv2_max * 1.05).max(1.0).max(view.cv2_cut * 2.0);
    (lo, hi, top)
}

/// How many of the points drawn lie above the CV² axis's top.
pub fn above(view: &PatternView, top: f64) -> usize {
    view.points.iter().filter(|p| p.1 > top).count()
}

/// The chart's title.
pub fn title() -> &'static str {
    "Demand patterns: ADI against CV²"
}

/// Draws the scatter on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &PatternView,
) -> DrawResult<DB> {
    if view.points.is_empty() {
        return empty(area, title(), "No SKU has demand in the horizon.");
    }
    area.fill(&WHITE)?;
    let (lo, hi, top) = ranges(view);
    let mut chart = ChartBuilder::on(area)
        .caption(title(), text(16))
        .margin(12)
        .x_label_area_size(46)
        .y_label_area_size(52)
        .build_cartesian_2d((lo..hi).log_scale(), 0f64..top)?;
    chart
        .configure_mesh()
        .x_desc(format!(
            "Average demand interval ADI ({}s per {} with demand, log scale)",
            view.bucket, view.bucket
        ))
        .y_desc("CV² of demand sizes (no unit)")
        .x_label_formatter(&tick_number)
        .y_label_formatter(&tick_number)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    // Points, most common pattern first so rarer ones stay visible on top.
    let mut order: Vec<usize> = (0..PATTERNS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(view.counts.get(i).copied().unwrap_or(0)));
    for i in order {
        let fill = color(PATTERN_COLORS[i]).mix(0.65).filled();
        let points = view.points.iter().filter(|p| p.2 as usize == i);
        chart.draw_series(points.map(|p| Circle::new((p.0, p.1.min(top)), 2, fill)))?;
    }
    let dashed = MUTED.stroke_width(2);
    chart.draw_series(DashedLineSeries::new(
        [(view.adi_cut, 0.0), (view.adi_cut, top)],
        6,
        4,
        dashed,
    ))?;
    chart.draw_series(DashedLineSeries::new(
        [(lo, view.cv2_cut), (hi, view.cv2_cut)],
        6,
        4,
        dashed,
    ))?;

    let plot = chart.plotting_area();
    let (xr, yr) = plot.get_pixel_range();
    let (ox, oy) = area.get_base_pixel();
    let (cut_x, cut_y) = plot.map_coordinate(&(view.adi_cut, view.cv2_cut));
    let (cut_x, cut_y) = (cut_x - ox, cut_y - oy);
    let (left, right, upper, lower) =
        (xr.start - ox + 6, xr.end - ox - 6, yr.start - oy + 6, yr.end - oy - 6);
    // The four quadrants, named in their corners (index into PATTERNS); the
    // counts are in the note under the chart.
    let quadrants = [
        (0, (left, lower), (HPos::Left, VPos::Bottom)),
        (1, (left, upper), (HPos::Left, VPos::Top)),
        (2, (right, lower), (HPos::Right, VPos::Bottom)),
        (3, (right, upper), (HPos::Right, VPos::Top)),
    ];
    for (i, at, anchor) in quadrants {
        boxed_label(area, PATTERNS[i], at, anchor, &text(13).color(&PATTERN_INK[i]))?;
    }
    let cut_style = text(12).color(&MUTED);
    boxed_label(
        area,
        &format!("ADI {}", view.adi_cut),
        (cut_x + 4, lower - 26),
        (HPos::Left, VPos::Bottom),
        &cut_style,
    )?;
    boxed_label(
        area,
        &format!("CV² {}", view.cv2_cut),
        (right, cut_y - 3),
        (HPos::Right, VPos::Bottom),
        &cut_style,
    )?;
    let hidden = above(view, top);
    if hidden > 0 {
        let note =
            format!("{hidden} SKU(s) with CV² above {} drawn on the top edge", tick_number(&top));
        boxed_label(
            area,
            &note,
            ((left + right) / 2, upper + 24),
            (HPos::Center, VPos::Top),
            &cut_style,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(points: Vec<(f64, f64, u8)>) -> PatternView {
        PatternView {
            with_demand: points.len(),
            points,
            sampled: false,
            adi_cut: 1.32,
            cv2_cut: 0.49,
            counts: vec![1, 1, 1, 1, 0],
            bucket: "week".into(),
        }
    }

    #[test]
    fn adi_one_sits_a_fifth_of_the_way_across_or_more() {
        for adi_max in [1.0, 2.0, 13.0, 53.0, 365.0] {
            let (lo, hi, _) = ranges(&view(vec![(adi_max, 0.1, 0)]));
            let at = (1.0f64 / lo).ln() / (hi / lo).ln();
            assert!((at - 0.2).abs() < 1e-9, "{adi_max}: ADI 1 at {at}");
            assert!(hi >= adi_max && lo < 1.0, "{adi_max}: {lo}..{hi}");
        }
    }

    #[test]
    fn the_cv2_axis_shows_the_cut_and_clips_rare_outliers() {
        let (_, _, top) = ranges(&view(vec![(1.0, 0.1, 0), (2.0, 0.2, 2)]));
        assert_eq!(top, 1.0);
        let mut points: Vec<_> = (0..100).map(|i| (1.0, f64::from(i) / 50.0, 0)).collect();
        points.push((1.0, 80.0, 3));
        let v = view(points);
        let (_, _, top) = ranges(&v);
        assert!(top > 1.9 && top < 3.0, "{top}");
        assert_eq!(above(&v, top), 1);
    }

    #[test]
    fn the_svg_names_every_quadrant_and_both_cuts() {
        let v = view(vec![(1.0, 0.1, 0), (1.1, 0.9, 1), (4.0, 0.2, 2), (6.0, 2.0, 3)]);
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &v).unwrap();
        }
        for expected in [
            "Demand patterns: ADI against CV²",
            "Average demand interval ADI (weeks per week with demand, log scale)",
            "CV² of demand sizes",
            "\nsmooth\n",
            "\nerratic\n",
            "\nintermittent\n",
            "\nlumpy\n",
            "ADI 1.32",
            "CV² 0.49",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }
}
