//! One KPI by segment as bars (the Dashboards page), with each bar's value
//! written above it and segments without the figure marked "n/a".

use super::cost_bars::tick_money;
use super::{empty, text, tick_number, tick_percent, DrawResult, ACCENT, GRID, MUTED};
use crate::format;
use crate::worker_api::DashboardView;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use segscope_core::kpi::{Kpi, KpiFormat};

/// The bars of one KPI: a small view-model cut from the dashboard.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiBars {
    /// Which KPI.
    pub kpi: Kpi,
    /// Segment labels.
    pub segments: Vec<String>,
    /// The KPI per segment; `None` where undefined.
    pub values: Vec<Option<f64>>,
}

impl KpiBars {
    /// The bars of `kpi`, when the dashboard carries it.
    pub fn of(view: &DashboardView, kpi: Kpi) -> Option<KpiBars> {
        view.kpi(kpi).map(|c| KpiBars {
            kpi,
            segments: view.segments.clone(),
            values: c.values.clone(),
        })
    }
}

/// A KPI value as the dashboard writes it: money with two decimals,
/// shares as percentages, ratios with one decimal, counts whole.
pub fn kpi_text(kpi: Kpi, value: Option<f64>) -> String {
    let Some(v) = value else { return "n/a".into() };
    match kpi.format() {
        KpiFormat::Count => format::count(v.max(0.0).round() as usize),
        KpiFormat::Money => format::money(v),
        KpiFormat::Percent => format::percent(v),
        KpiFormat::Ratio => format::fixed(v, 1),
    }
}

/// A short value label for the top of a bar.
fn bar_label(kpi: Kpi, v: f64) -> String {
    match kpi.format() {
        KpiFormat::Money => tick_money(&v),
        KpiFormat::Percent => format::percent(v),
        KpiFormat::Count => format::count(v.max(0.0).round() as usize),
        KpiFormat::Ratio => format::fixed(v, 1),
    }
}

/// The chart's title: "Inventory turns by segment".
pub fn title(bars: &KpiBars) -> String {
    format!("{} by segment", bars.kpi.label())
}

/// The y range: from the lowest value (or 0) to a little above the
/// highest (or 0), so that negative margins hang below the axis.
pub fn y_range(bars: &KpiBars) -> (f64, f64) {
    let present = bars.values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = present.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = (hi - lo).max(f64::EPSILON) * 0.12;
    (if lo < 0.0 { lo - pad } else { 0.0 }, if hi > 0.0 { hi + pad } else { 1.0 })
}

/// Draws the bars on `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, bars: &KpiBars) -> DrawResult<DB> {
    if bars.values.iter().all(Option::is_none) {
        return empty(area, &title(bars), "No segment has this figure.");
    }
    area.fill(&WHITE)?;
    let (lo, hi) = y_range(bars);
    let n = bars.segments.len().max(1);
    let kpi = bars.kpi;
    let tick = move |v: &f64| match kpi.format() {
        KpiFormat::Money => tick_money(v),
        KpiFormat::Percent => tick_percent(v),
        _ => tick_number(v),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(title(bars), text(15))
        .margin(12)
        .margin_right(18)
        .x_label_area_size(30)
        .y_label_area_size(58)
        .build_cartesian_2d(0f64..n as f64, lo..hi)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc(kpi.label())
        .y_label_formatter(&tick)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    let gap = if n <= 4 { 0.22 } else { 0.14 };
    for (i, v) in bars.values.iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            let rect = [(i as f64 + gap, 0.0), (i as f64 + 1.0 - gap, v)];
            chart.draw_series([Rectangle::new(rect, ACCENT.filled())])?;
        }
    }
    let plot = chart.plotting_area();
    let (ox, oy) = area.get_base_pixel();
    let above = Pos::new(HPos::Center, VPos::Bottom);
    let below = Pos::new(HPos::Center, VPos::Top);
    for (i, (name, v)) in bars.segments.iter().zip(&bars.values).enumerate() {
        let (x, y0) = plot.map_coordinate(&(i as f64 + 0.5, lo));
        area.draw(&Text::new(name.clone(), (x - ox, y0 - oy + 6), text(12).pos(below)))?;
        let (label, at, style) = match v.filter(|v| v.is_finite()) {
            Some(v) => (bar_label(kpi, v), v.max(0.0), text(11)),
            None => ("n/a".to_owned(), 0.0, text(11).color(&MUTED)),
        };
        let (_, y) = plot.map_coordinate(&(i as f64 + 0.5, at));
        area.draw(&Text::new(label, (x - ox, y - oy - 3), style.pos(above)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> KpiBars {
        KpiBars {
            kpi: Kpi::InventoryTurns,
            segments: vec!["AX".into(), "BY".into(), "CZ".into()],
            values: vec![Some(12.5), Some(4.0), None],
        }
    }

    #[test]
    fn values_are_written_as_the_kpi_says() {
        assert_eq!(kpi_text(Kpi::Revenue, Some(1234.5)), "1,234.50");
        assert_eq!(kpi_text(Kpi::FillRate, Some(0.987)), "98.7%");
        assert_eq!(kpi_text(Kpi::InventoryTurns, Some(5.5806)), "5.6");
        assert_eq!(kpi_text(Kpi::Skus, Some(12.0)), "12");
        assert_eq!(kpi_text(Kpi::OnTimeRate, None), "n/a");
    }

    #[test]
    fn the_axis_holds_every_bar_and_negative_margins() {
        let (lo, hi) = y_range(&bars());
        assert_eq!(lo, 0.0);
        assert!(hi > 12.5 && hi < 14.5);
        let margins =
            KpiBars { kpi: Kpi::Margin, values: vec![Some(-50.0), Some(100.0)], ..bars() };
        let (lo, hi) = y_range(&margins);
        assert!(lo < -50.0 && hi > 100.0);
    }

    #[test]
    fn the_svg_has_title_segments_values_and_na() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (560, 340)).into_drawing_area();
            draw(&area, &bars()).unwrap();
            area.present().unwrap();
        }
        for expected in ["Inventory turns by segment", "AX", "CZ", "12.5", "4.0", "n/a"] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }

    #[test]
    fn without_any_value_the_chart_says_so() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (560, 340)).into_drawing_area();
            draw(&area, &KpiBars { values: vec![None; 3], ..bars() }).unwrap();
        }
        assert!(svg.contains("No segment has this figure"));
    }
}
