//! The whale curve: customers ranked by profit on x, cumulative profit as a
//! share of total profit on y, with the 100 % line and the peak marked.

use super::{boxed_label, empty, text, tick_percent, DrawResult, ACCENT, CUT, GRID, MUTED};
use crate::format;
use crate::worker_api::WhaleView;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The chart's title.
pub fn title(view: &WhaleView) -> String {
    format!(
        "Whale curve of profit after cost to serve ({} customers)",
        format::count(view.customers)
    )
}

/// The peak's label: "Peak 142 % of profit at 38.0 % of customers (95)".
pub fn peak_label(view: &WhaleView) -> Option<String> {
    let peak = view.peak.as_ref()?;
    let share = peak.profit_share?;
    Some(format!(
        "Peak {:.0} % of profit at {:.1} % of customers ({})",
        share * 100.0,
        peak.customer_share * 100.0,
        format::count(peak.customers)
    ))
}

/// The y range: from 0 to a little above the higher of the peak and 100 %.
pub fn y_range(view: &WhaleView) -> (f64, f64) {
    let top = view.points.iter().map(|p| p.1).fold(1.0, f64::max);
    let bottom = view.points.iter().map(|p| p.1).fold(0.0, f64::min);
    (bottom, top * 1.12)
}

/// Draws the curve on `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, view: &WhaleView) -> DrawResult<DB> {
    if view.points.len() < 2 {
        let why = if view.customers == 0 {
            "No customer has a valid order line."
        } else {
            "Total profit is not positive: shares of it would read upside down."
        };
        return empty(area, &title(view), why);
    }
    area.fill(&WHITE)?;
    let (y0, y1) = y_range(view);
    let mut chart = ChartBuilder::on(area)
        .caption(title(view), text(15))
        .margin(12)
        .margin_right(22)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(0f64..1f64, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Share of customers, most profitable first (%)")
        .y_desc("Cumulative profit, % of total")
        .x_label_formatter(&tick_percent)
        .y_label_formatter(&tick_percent)
        .x_labels(6)
        .y_labels(7)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    // 100 % of total profit: where the curve ends.
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 1.0), (1.0, 1.0)],
        6,
        4,
        MUTED.stroke_width(2),
    ))?;
    chart.draw_series(LineSeries::new(view.points.iter().copied(), ACCENT.stroke_width(3)))?;
    let plot = chart.plotting_area();
    let (ox, oy) = area.get_base_pixel();
    let (_, y100) = plot.map_coordinate(&(0.0, 1.0));
    let (x_end, _) = plot.map_coordinate(&(1.0, 1.0));
    boxed_label(
        area,
        "100 % of total profit",
        (x_end - ox - 4, y100 - oy + 4),
        (HPos::Right, VPos::Top),
        &text(12).color(&MUTED),
    )?;
    if let (Some(peak), Some(label)) = (&view.peak, peak_label(view)) {
        if let Some(share) = peak.profit_share {
            let at = (peak.customer_share, share);
            chart.draw_series([Circle::new(at, 6, CUT.filled())])?;
            chart.draw_series(DashedLineSeries::new(
                [(at.0, y0), at],
                4,
                4,
                CUT.stroke_width(1),
            ))?;
            let (x, y) = chart.plotting_area().map_coordinate(&at);
            // The label sits right of the peak, or left of it past the middle.
            let left = peak.customer_share < 0.5;
            let (h, dx) = if left { (HPos::Left, 10) } else { (HPos::Right, -10) };
            boxed_label(area, &label, (x - ox + dx, y - oy - 6), (h, VPos::Bottom), &text(12))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use segscope_core::cost::WhalePeak;

    fn view() -> WhaleView {
        WhaleView {
            points: vec![(0.0, 0.0), (0.25, 1.0), (0.5, 1.4), (0.75, 1.3), (1.0, 1.0)],
            peak: Some(WhalePeak {
                customers: 2,
                customer_share: 0.5,
                profit: 140.0,
                profit_share: Some(1.4),
            }),
            customers: 4,
            total_profit: 100.0,
            eroded: 40.0,
        }
    }

    #[test]
    fn the_peak_label_says_how_high_and_where() {
        assert_eq!(peak_label(&view()).unwrap(), "Peak 140 % of profit at 50.0 % of customers (2)");
        assert_eq!(peak_label(&WhaleView { peak: None, ..view() }), None);
    }

    #[test]
    fn the_y_range_covers_the_peak_and_the_hundred_percent_line() {
        let (lo, hi) = y_range(&view());
        assert_eq!(lo, 0.0);
        assert!((hi - 1.4 * 1.12).abs() < 1e-12);
        let flat = WhaleView { points: vec![(0.0, 0.0), (1.0, 0.5)], ..view() };
        assert!((y_range(&flat).1 - 1.12).abs() < 1e-12);
    }

    #[test]
    fn the_svg_has_title_axes_the_hundred_percent_line_and_the_peak() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &view()).unwrap();
            area.present().unwrap();
        }
        for expected in [
            "Whale curve of profit after cost to serve (4 customers)",
            "Share of customers, most profitable first (%)",
            "Cumulative profit, % of total",
            "100 % of total profit",
            "Peak 140 % of profit at 50.0 % of customers (2)",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }

    #[test]
    fn without_positive_profit_the_chart_says_why() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &WhaleView { points: vec![], ..view() }).unwrap();
        }
        assert!(svg.contains("Total profit is not positive"));
    }
}
