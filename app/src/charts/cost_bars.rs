//! Stacked bars of cost to serve by pool: one bar per group (tier,
//! segment, channel, …), one layer per pool, with a legend of the pools
//! under the plot and a currency axis.

use super::{color, empty, text, DrawResult, GRID, PALETTE};
use crate::worker_api::BarsView;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The chart's title: "Cost to serve by pool, per tier".
pub fn title(view: &BarsView) -> String {
    format!("Cost to serve by pool, per {}", view.per)
}

/// An amount for a currency axis: `0`, `950`, `12k`, `1.5M`.
pub fn tick_money(v: &f64) -> String {
    let a = v.abs();
    let (value, unit) = if a >= 1e9 {
        (v / 1e9, "bn")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (*v, "")
    };
    let digits = if value.abs() >= 100.0 || value.fract() == 0.0 { 0 } else { 1 };
    let s = format!("{value:.digits$}");
    let s =
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s };
    format!("{s}{unit}")
}

/// The colour of pool `k`.
pub fn pool_color(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

/// The largest bar: the y axis runs to a little above it.
pub fn max_total(view: &BarsView) -> f64 {
    view.values.iter().map(|row| row.iter().sum::<f64>()).fold(0.0, f64::max)
}

/// Rows of the legend at `width` pixels: pools are laid out left to right
/// in columns of equal width (`columns` per row).
pub fn legend_columns(width: u32, pools: usize) -> usize {
    let fit = (width.saturating_sub(20) / 160).max(1) as usize;
    fit.min(pools.max(1))
}

/// Draws the bars on `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, view: &BarsView) -> DrawResult<DB> {
    let top = max_total(view);
    if view.groups.is_empty() || view.pools.is_empty() || top <= 0.0 {
        return empty(area, &title(view), "No cost is allocated: add cost pools above.");
    }
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let columns = legend_columns(width, view.pools.len());
    let legend_rows = view.pools.len().div_ceil(columns) as u32;
    let legend_height = 10 + 20 * legend_rows;
    let (upper, legend) = area.split_vertically(height.saturating_sub(legend_height));
    let n = view.groups.len();
    let mut chart = ChartBuilder::on(&upper)
        .caption(title(view), text(15))
        .margin(12)
        .margin_right(18)
        .x_label_area_size(30)
        .y_label_area_size(58)
        .build_cartesian_2d(0f64..n as f64, 0f64..top * 1.08)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("Cost to serve over the horizon")
        .y_label_formatter(&tick_money)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    // Each bar takes the middle of its slot: wide for a few groups, narrower
    // as they multiply.
    let gap = if n <= 4 { 0.22 } else { 0.15 };
    for (g, row) in view.values.iter().enumerate() {
        let (left, right) = (g as f64 + gap, g as f64 + 1.0 - gap);
        let mut base = 0.0;
        for (k, &v) in row.iter().enumerate().filter(|(_, v)| **v > 0.0) {
            let style = color(pool_color(k)).filled();
            chart.draw_series([Rectangle::new([(left, base), (right, base + v)], style)])?;
            base += v;
        }
    }
    // The group names under the middle of their bars.
    let plot = chart.plotting_area();
    let (ox, oy) = upper.get_base_pixel();
    let centre = Pos::new(HPos::Center, VPos::Top);
    for (g, name) in view.groups.iter().enumerate() {
        let (x, y) = plot.map_coordinate(&(g as f64 + 0.5, 0.0));
        upper.draw(&Text::new(name.clone(), (x - ox, y - oy + 6), text(12).pos(centre)))?;
    }
    // The legend: a swatch and the pool's name, in columns.
    let column_width = (width.saturating_sub(20) / columns as u32) as i32;
    let left = Pos::new(HPos::Left, VPos::Center);
    for (k, pool) in view.pools.iter().enumerate() {
        let (row, col) = ((k / columns) as i32, (k % columns) as i32);
        let (x, y) = (14 + col * column_width, 8 + row * 20);
        legend.draw(&Rectangle::new([(x, y), (x + 12, y + 12)], color(pool_color(k)).filled()))?;
        legend.draw(&Text::new(pool.clone(), (x + 18, y + 6), text(12).pos(left)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> BarsView {
        BarsView {
            key: "tier".into(),
            per: "tier".into(),
            groups: vec!["Platinum".into(), "Gold".into(), "Loss-making".into()],
            pools: vec!["Picking".into(), "Freight".into(), "Credit & collections".into()],
            values: vec![vec![100.0, 50.0, 0.0], vec![20.0, 10.0, 5.0], vec![0.0; 3]],
        }
    }

    #[test]
    fn money_ticks_are_short() {
        for (v, expected) in [
            (0.0, "0"),
            (950.0, "950"),
            (12_000.0, "12k"),
            (12_500.0, "12.5k"),
            (250_000.0, "250k"),
            (1_500_000.0, "1.5M"),
            (2_000_000.0, "2M"),
            (3.2e9, "3.2bn"),
        ] {
            assert_eq!(tick_money(&v), expected, "{v}");
        }
    }

    #[test]
    fn the_axis_runs_to_the_largest_bar() {
        assert_eq!(max_total(&view()), 150.0);
    }

    #[test]
    fn the_legend_fits_three_pools_a_row_at_500_pixels() {
        assert_eq!(legend_columns(500, 6), 3);
        assert_eq!(legend_columns(500, 2), 2);
        assert_eq!(legend_columns(100, 6), 1);
    }

    #[test]
    fn the_svg_has_title_groups_axis_and_legend() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 380)).into_drawing_area();
            draw(&area, &view()).unwrap();
            area.present().unwrap();
        }
        for expected in [
            "Cost to serve by pool, per tier",
            "Platinum",
            "Loss-making",
            "Cost to serve over the horizon",
            "Credit &amp; collections",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
        // Five layers drawn (zeros skipped) plus three legend swatches.
        assert!(svg.matches("<rect").count() >= 8);
    }

    #[test]
    fn without_cost_the_chart_says_why() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 380)).into_drawing_area();
            draw(&area, &BarsView { values: vec![vec![0.0; 3]; 3], ..view() }).unwrap();
        }
        assert!(svg.contains("No cost is allocated"));
    }
}
