//! One SKU's demand history: units per bucket as bars, the one-step-ahead
//! forecasts as a line, the backtest's buckets shaded and the next bucket's
//! forecast marked.

use super::{
    boxed_label, empty, legend, text, tick_number, Corner, DrawResult, Swatch, ACCENT, GRID, INK,
    MUTED,
};
use crate::worker_api::SkuDetail;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use segscope_core::{Bucket, Date};

/// The forecast's colour.
pub const FORECAST: RGBColor = RGBColor(0xc2, 0x5e, 0x00);

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A bucket's unit in words ("week").
pub fn bucket_word(bucket: Bucket) -> &'static str {
    bucket.name()
}

/// A forecasting method's name as planners write it.
pub fn method_name(method: &str) -> &str {
    match method {
        "ses" => "SES",
        "holt" => "Holt",
        "seasonal_naive" => "seasonal naive",
        "croston" => "Croston",
        "sba" => "SBA",
        other => other,
    }
}

/// The chart's title.
pub fn title(sku: &str, d: &SkuDetail) -> String {
    format!("{sku}: demand per {} and {} forecast", bucket_word(d.bucket), method_name(&d.method))
}

/// A date as a tick label: "Mar 2023" for weeks and months, "6 Mar" for
/// days.
pub fn date_label(date: Date, bucket: Bucket) -> String {
    let (y, m, day) = date.ymd();
    let month = MONTHS.get(m.saturating_sub(1) as usize).copied().unwrap_or("?");
    match bucket {
        Bucket::Day => format!("{day} {month}"),
        _ => format!("{month} {y}"),
    }
}

/// The first bucket of the backtest: the last `holdout` buckets.
pub fn holdout_start(d: &SkuDetail) -> usize {
    d.history.len().saturating_sub(d.backtest.holdout)
}

/// The highest value drawn (demand, fitted or next forecast), at least 1.
pub fn top(d: &SkuDetail) -> f64 {
    d.history
        .iter()
        .copied()
        .chain(d.fitted.iter().flatten().copied())
        .chain(d.next)
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max)
}

/// Draws the history of `sku`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sku: &str,
    d: &SkuDetail,
) -> DrawResult<DB> {
    let n = d.history.len();
    if n == 0 {
        return empty(area, &title(sku, d), "No demand history.");
    }
    area.fill(&WHITE)?;
    let y1 = top(d) * 1.18;
    let x1 = n as f64 + 1.0;
    let mut chart = ChartBuilder::on(area)
        .caption(title(sku, d), text(16))
        .margin(12)
        .margin_right(20)
        .x_label_area_size(46)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5f64..x1, 0f64..y1)?;
    let starts = &d.bucket_starts;
    let bucket = d.bucket;
    let next_start = d.next_start;
    let x_label = move |x: &f64| {
        let t = x.round();
        if t < 0.0 || (x - t).abs() > 0.01 {
            return String::new();
        }
        let t = t as usize;
        starts
            .get(t)
            .copied()
            .or(next_start.filter(|_| t == starts.len()))
            .map_or_else(String::new, |date| date_label(date, bucket))
    };
    let unit = bucket_word(d.bucket);
    chart
        .configure_mesh()
        .x_desc(format!("{} starting", capitalised(unit)))
        .y_desc(format!("Units per {unit}"))
        .x_label_formatter(&x_label)
        .y_label_formatter(&tick_number)
        .x_labels(8)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    // The backtest's buckets, shaded behind the bars.
    let from = holdout_start(d);
    if d.backtest.origins > 0 && from < n {
        let shade = RGBColor(0xf3, 0xe9, 0xdc).filled();
        chart.draw_series([Rectangle::new(
            [(from as f64 - 0.5, 0.0), (n as f64 - 0.5, y1)],
            shade,
        )])?;
        let (ox, oy) = area.get_base_pixel();
        let (px, py) = chart.plotting_area().map_coordinate(&(from as f64 - 0.5, y1));
        let label = format!("backtest: last {} {unit}s", d.backtest.holdout);
        boxed_label(
            area,
            &label,
            (px - ox - 4, py - oy + 4),
            (HPos::Right, VPos::Top),
            &text(12).color(&MUTED),
        )?;
    }
    let bar = ACCENT.mix(0.75).filled();
    chart.draw_series(d.history.iter().enumerate().filter(|(_, q)| **q > 0.0).map(|(t, q)| {
        let t = t as f64;
        Rectangle::new([(t - 0.38, 0.0), (t + 0.38, *q)], bar)
    }))?;
    let mut entries = vec![(format!("demand (units per {unit})"), Swatch::Bar(bar))];
    let fitted = d.fitted.iter().enumerate().filter_map(|(t, f)| f.map(|f| (t as f64, f)));
    let line = FORECAST.stroke_width(2);
    chart.draw_series(LineSeries::new(fitted, line))?;
    entries.push((format!("{} one-step forecast", method_name(&d.method)), Swatch::Line(line)));
    if let Some(next) = d.next {
        let at = (n as f64, next);
        chart.draw_series([
            Circle::new(at, 5, FORECAST.filled()),
            Circle::new(at, 5, INK.stroke_width(1)),
        ])?;
        let label =
            format!("next {unit}: {}", crate::format::quantity((next * 100.0).round() / 100.0));
        entries.push((label, Swatch::Dot(FORECAST.filled(), 4)));
    }
    legend(&chart.plotting_area().strip_coord_spec(), &entries, Corner::UpperLeft, 8)?;
    Ok(())
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use segscope_core::forecast::backtest::Backtest;
    use segscope_core::policy::{compute, PolicyInputs};

    fn detail() -> SkuDetail {
        let history = vec![0.0, 5.0, 0.0, 0.0, 7.0, 0.0, 6.0, 0.0];
        let start = Date::from_ymd(2023, 1, 2).unwrap();
        let policy = compute(&PolicyInputs {
            service_level: 0.9,
            mean_demand: 2.25,
            std_demand: 2.9,
            lead_time: 2.0,
            lead_time_sd: 0.0,
            buckets_per_year: 52.18,
            unit_cost: Some(3.0),
            holding_rate: 0.25,
            ordering_cost: 50.0,
            moq: 1.0,
            order_multiple: 1.0,
        });
        SkuDetail {
            segment: "CZ".into(),
            pattern: "lumpy".into(),
            bucket: Bucket::Week,
            bucket_starts: (0..8).map(|t| Date(start.0 + 7 * t)).collect(),
            fitted: std::iter::once(None).chain((1..8).map(|t| Some(t as f64 * 0.4))).collect(),
            history,
            next: Some(2.1),
            next_start: Some(Date(start.0 + 56)),
            method: "sba".into(),
            method_overridden: false,
            backtest: Backtest {
                holdout: 3,
                origins: 3,
                mae: Some(2.0),
                bias: Some(-0.5),
                mase: Some(0.8),
                mean_actual: Some(2.0),
            },
            normal: policy.clone(),
            empirical_safety_stock_value: None,
            policy,
        }
    }

    #[test]
    fn dates_read_as_month_and_year() {
        let d = Date::from_ymd(2023, 3, 6).unwrap();
        assert_eq!(date_label(d, Bucket::Week), "Mar 2023");
        assert_eq!(date_label(d, Bucket::Day), "6 Mar");
        assert_eq!(method_name("seasonal_naive"), "seasonal naive");
    }

    #[test]
    fn the_top_covers_demand_and_forecasts() {
        assert_eq!(top(&detail()), 7.0);
        assert_eq!(
            top(&SkuDetail {
                history: vec![0.0; 8],
                fitted: vec![None; 8],
                next: None,
                ..detail()
            }),
            1.0
        );
        assert_eq!(holdout_start(&detail()), 5);
    }

    #[test]
    fn the_svg_has_title_axes_legend_and_backtest() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
            draw(&area, "S-1", &detail()).unwrap();
            area.present().unwrap();
        }
        for expected in [
            "S-1: demand per week and SBA forecast",
            "Units per week",
            "Week starting",
            "demand (units per week)",
            "SBA one-step forecast",
            "next week: 2.1",
            "backtest: last 3 weeks",
            "Jan 2023",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }
}
