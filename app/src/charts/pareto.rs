//! The Pareto curve: SKUs in ranking order against the cumulative share of
//! the ABC criterion, with the A and B cuts as labelled lines.

use super::{
    boxed_label, empty, legend, text, tick_percent, Corner, DrawResult, Swatch, ACCENT, CUT, GRID,
    MUTED,
};
use crate::worker_api::ParetoView;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The chart's title.
pub fn title(view: &ParetoView) -> String {
    format!("Pareto curve of {} ({} SKUs)", view.criterion, crate::format::count(view.skus))
}

/// The sentence under a cut's legend entry: "A cut 80 %: 21.3 % of SKUs".
pub fn cut_label(class: char, cut: f64, skus: f64) -> String {
    format!("{class} cut {:.0} % → {:.1} % of SKUs", cut * 100.0, skus * 100.0)
}

/// Draws the curve on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ParetoView,
) -> DrawResult<DB> {
    if view.points.len() < 2 {
        return empty(area, &title(view), "No SKU has a positive value to rank.");
    }
    area.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(area)
        .caption(title(view), text(16))
        .margin(12)
        .margin_right(26)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(0f64..1f64, 0f64..1.02f64)?;
    chart
        .configure_mesh()
        .x_desc(format!("Share of SKUs, ranked by {} (%)", view.criterion))
        .y_desc(format!("Cumulative share of {} (%)", view.criterion))
        .x_label_formatter(&tick_percent)
        .y_label_formatter(&tick_percent)
        .x_labels(6)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    chart.draw_series(LineSeries::new(view.points.iter().copied(), ACCENT.stroke_width(3)))?;
    let mut entries = vec![("cumulative share".to_owned(), Swatch::Line(ACCENT.stroke_width(3)))];
    let cuts = [('A', view.a_cut, view.a_skus), ('B', view.b_cut, view.b_skus)];
    for (i, &(class, cut, skus)) in cuts.iter().enumerate() {
        let style = if i == 0 { CUT.stroke_width(2) } else { MUTED.stroke_width(2) };
        let path = [(0.0, cut), (skus, cut), (skus, 0.0)];
        chart.draw_series(DashedLineSeries::new(path, 6, 4, style))?;
        entries.push((cut_label(class, cut, skus), Swatch::Line(style)));
    }
    legend(&chart.plotting_area().strip_coord_spec(), &entries, Corner::LowerRight, 10)?;
    // Short tags halfway up the vertical cut lines, under the curve and
    // above the legend; the B tag moves up when the lines are close.
    let plot = chart.plotting_area();
    let (ox, oy) = area.get_base_pixel();
    let mut last_x: Option<i32> = None;
    for &(class, cut, skus) in &cuts {
        let (x, y) = plot.map_coordinate(&(skus, cut * 0.55));
        let lift = if last_x.is_some_and(|l| x - l < 60) { 26 } else { 0 };
        last_x = Some(x);
        let at = (x + 4 - ox, y - oy - lift);
        boxed_label(area, &format!("{class} cut"), at, (HPos::Left, VPos::Center), &text(12))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> ParetoView {
        ParetoView {
            criterion: "revenue".into(),
            points: vec![(0.0, 0.0), (0.25, 0.6), (0.5, 0.9), (1.0, 1.0)],
            a_cut: 0.8,
            b_cut: 0.95,
            a_skus: 0.5,
            b_skus: 0.75,
            skus: 4,
        }
    }

    #[test]
    fn cut_labels_say_the_cut_and_the_share_of_skus() {
        assert_eq!(cut_label('A', 0.8, 0.2134), "A cut 80 % → 21.3 % of SKUs");
    }

    #[test]
    fn the_svg_has_title_axes_and_labelled_cuts() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &view()).unwrap();
            area.present().unwrap();
        }
        for expected in [
            "Pareto curve of revenue (4 SKUs)",
            "Share of SKUs, ranked by revenue (%)",
            "Cumulative share of revenue (%)",
            "A cut 80 % → 50.0 % of SKUs",
            "B cut 95 % → 75.0 % of SKUs",
            "\nA cut\n",
            "80 %",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }

    #[test]
    fn an_empty_curve_says_why() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &ParetoView { points: vec![(0.0, 0.0)], ..view() }).unwrap();
        }
        assert!(svg.contains("No SKU has a positive value"));
    }
}
