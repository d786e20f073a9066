//! The efficient frontier of one segment: its average inventory value and
//! safety stock value against the target cycle service level, with the
//! segment's current level marked (and a what-if's level, when one was
//! computed).

use super::{
    boxed_label, empty, legend, text, tick_percent, Corner, DrawResult, Swatch, ACCENT, CUT, GRID,
    MUTED,
};
use crate::format;
use crate::worker_api::SegmentPolicyRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use segscope_core::policy::working_capital::WhatIf;

/// The what-if point's colour.
pub const WHAT_IF: RGBColor = RGBColor(0xc2, 0x5e, 0x00);

/// The chart's title.
pub fn title(segment: &str) -> String {
    format!("{segment}: inventory value against service level")
}

/// A value for a tick label: grouped whole numbers below a million, then
/// millions with up to two decimals (`1.25 M`).
pub fn tick_value(v: &f64) -> String {
    if v.abs() >= 1e6 {
        let m = format!("{:.2}", v / 1e6);
        format!("{} M", m.trim_end_matches('0').trim_end_matches('.'))
    } else {
        format::fixed(*v, 0)
    }
}

/// The label of a marked point: "now 98.0 % · 12,345".
pub fn point_label(what: &str, csl: f64, value: f64) -> String {
    format!("{what} {:.1} % · {}", csl * 100.0, format::fixed(value, 0))
}

/// The x range: the frontier's levels and the marked ones, padded.
pub fn csl_range(row: &SegmentPolicyRow, what_if: Option<f64>) -> (f64, f64) {
    let levels = row
        .frontier
        .iter()
        .map(|p| p.csl)
        .chain([row.summary.service_level])
        .chain(what_if)
        .filter(|v| v.is_finite());
    let (lo, hi) =
        levels.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.8, 1.0);
    }
    let pad = ((hi - lo) * 0.04).max(0.002);
    (lo - pad, (hi + pad).min(1.0))
}

/// The y range: zero (or the lowest value) to the highest, padded.
pub fn value_range(row: &SegmentPolicyRow, what_if: Option<&WhatIf>) -> (f64, f64) {
    let values = row
        .frontier
        .iter()
        .flat_map(|p| [p.inventory_value, p.safety_stock_value])
        .chain([row.summary.avg_inventory_value, row.summary.safety_stock_value])
        .chain(what_if.map(|w| w.after.avg_inventory_value))
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let span = (hi - lo).max(1.0);
    (if lo < 0.0 { lo - span * 0.05 } else { 0.0 }, hi + span * 0.1)
}

/// Draws the frontier of `row`, with `what_if` marked when it is about the
/// same segment.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    row: &SegmentPolicyRow,
    what_if: Option<&WhatIf>,
) -> DrawResult<DB> {
    let segment = &row.summary.segment;
    if row.frontier.is_empty() {
        return empty(area, &title(segment), "No SKU in this segment.");
    }
    if row.summary.skus_without_cost == row.summary.skus {
        return empty(area, &title(segment), "No SKU of this segment has a unit cost.");
    }
    let what_if = what_if.filter(|w| w.before.segment == *segment);
    area.fill(&WHITE)?;
    let (x0, x1) = csl_range(row, what_if.map(|w| w.after.service_level));
    let (y0, y1) = value_range(row, what_if);
    let mut chart = ChartBuilder::on(area)
        .caption(title(segment), text(16))
        .margin(12)
        .margin_right(20)
        .x_label_area_size(46)
        .y_label_area_size(74)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Target cycle service level (%)")
        .y_desc("Value (currency of unit costs)")
        .x_label_formatter(&tick_percent)
        .y_label_formatter(&tick_value)
        .x_labels(8)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    let inventory = row.frontier.iter().map(|p| (p.csl, p.inventory_value));
    chart.draw_series(LineSeries::new(inventory, ACCENT.stroke_width(3)))?;
    let mut entries =
        vec![("average inventory value".to_owned(), Swatch::Line(ACCENT.stroke_width(3)))];
    chart.draw_series(
        row.frontier.iter().map(|p| Circle::new((p.csl, p.inventory_value), 2, ACCENT.filled())),
    )?;
    let safety = row.frontier.iter().map(|p| (p.csl, p.safety_stock_value));
    let dashed = MUTED.stroke_width(2);
    chart.draw_series(DashedLineSeries::new(safety, 6, 4, dashed))?;
    entries.push(("safety stock value".to_owned(), Swatch::Line(dashed)));
    let now = (row.summary.service_level, row.summary.avg_inventory_value);
    chart.draw_series([Circle::new(now, 6, CUT.filled())])?;
    entries.push((point_label("now", now.0, now.1), Swatch::Dot(CUT.filled(), 5)));
    if let Some(w) = what_if {
        let at = (w.after.service_level, w.after.avg_inventory_value);
        chart.draw_series([Circle::new(at, 6, WHAT_IF.filled())])?;
        entries.push((point_label("what-if", at.0, at.1), Swatch::Dot(WHAT_IF.filled(), 5)));
    }
    legend(&chart.plotting_area().strip_coord_spec(), &entries, Corner::UpperLeft, 10)?;
    // Name the current level above its point, where the rising curve leaves
    // room: up and to the left of points in the right half, up and to the
    // right otherwise.
    let (ox, oy) = area.get_base_pixel();
    let (px, py) = chart.plotting_area().map_coordinate(&now);
    let right_half = now.0 > (x0 + x1) / 2.0;
    let (x, h) = if right_half { (px - 8, HPos::Right) } else { (px + 8, HPos::Left) };
    let label = format!("now {:.1} %", now.0 * 100.0);
    boxed_label(area, &label, (x - ox, py - oy - 8), (h, VPos::Bottom), &text(12).color(&CUT))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::SlowMovers;
    use segscope_core::policy::working_capital::{FrontierPoint, SegmentPolicySummary};
    use segscope_core::policy::PolicyModel;

    fn row() -> SegmentPolicyRow {
        let frontier = [0.8, 0.9, 0.95, 0.99, 0.995]
            .iter()
            .map(|&csl| FrontierPoint {
                csl,
                inventory_value: 10_000.0 + 40_000.0 * (csl - 0.8),
                safety_stock_value: 20_000.0 * (csl - 0.8),
                fill_rate: Some(csl),
                stockouts: 1.0 - csl,
            })
            .collect();
        SegmentPolicyRow {
            summary: SegmentPolicySummary {
                segment: "AX".into(),
                skus: 3,
                service_level: 0.98,
                safety_stock_value: 3_600.0,
                avg_inventory_value: 17_200.0,
                fill_rate: Some(0.99),
                stockouts_per_year: 0.5,
                skus_without_cost: 0,
                on_hand: None,
            },
            model: PolicyModel::Normal,
            slow: SlowMovers::default(),
            frontier,
        }
    }

    #[test]
    fn tick_values_group_thousands_and_shorten_millions() {
        for (v, expected) in
            [(0.0, "0"), (12_345.4, "12,345"), (1_250_000.0, "1.25 M"), (2e6, "2 M")]
        {
            assert_eq!(tick_value(&v), expected, "{v}");
        }
        assert_eq!(point_label("now", 0.98, 17_200.4), "now 98.0 % · 17,200");
    }

    #[test]
    fn ranges_cover_the_frontier_and_the_marked_levels() {
        let r = row();
        let (lo, hi) = csl_range(&r, None);
        assert!(lo < 0.8 && hi > 0.995 && hi <= 1.0, "{lo} {hi}");
        let (lo, _) = csl_range(&r, Some(0.6));
        assert!(lo < 0.6);
        let (y0, y1) = value_range(&r, None);
        assert_eq!(y0, 0.0);
        assert!(y1 > 17_800.0);
    }

    #[test]
    fn the_svg_has_title_axes_with_units_and_the_marked_points() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (560, 360)).into_drawing_area();
            draw(&area, &row(), None).unwrap();
            area.present().unwrap();
        }
        for expected in [
            "AX: inventory value against service level",
            "Target cycle service level (%)",
            "Value (currency of unit costs)",
            "average inventory value",
            "safety stock value",
            "now 98.0 % · 17,200",
            "90 %",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }

    #[test]
    fn an_empty_segment_says_why() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (560, 360)).into_drawing_area();
            draw(&area, &SegmentPolicyRow { frontier: vec![], ..row() }, None).unwrap();
        }
        assert!(svg.contains("No SKU in this segment."));
    }
}
