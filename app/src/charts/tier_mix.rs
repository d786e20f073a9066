//! The tier mix (the Dashboards page): per profitability tier its share of
//! customers beside its share of revenue, as paired bars.

use super::{color, empty, text, tick_percent, DrawResult, GRID, PALETTE};
use crate::format;
use crate::worker_api::TierMix;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The chart's title.
pub const TITLE: &str = "Tier mix: share of customers and of revenue";

/// Per tier `(share of customers, share of revenue)`, both in [0, 1];
/// revenue shares are of the tiers' positive revenue (a tier with net
/// returns gets 0).
pub fn shares(tiers: &[TierMix]) -> Vec<(f64, f64)> {
    let customers: u64 = tiers.iter().map(|t| t.customers).sum();
    let revenue: f64 = tiers.iter().map(|t| t.revenue.max(0.0)).sum();
    let share = |x: f64, total: f64| if total > 0.0 { x / total } else { 0.0 };
    tiers
        .iter()
        .map(|t| (share(t.customers as f64, customers as f64), share(t.revenue.max(0.0), revenue)))
        .collect()
}

/// Draws the paired bars on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tiers: &[TierMix],
) -> DrawResult<DB> {
    if tiers.iter().all(|t| t.customers == 0) {
        return empty(area, TITLE, "No customer has a tier yet.");
    }
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (upper, legend) = area.split_vertically(height.saturating_sub(28));
    let s = shares(tiers);
    let top = s.iter().map(|(c, r)| c.max(*r)).fold(0.0, f64::max).max(0.1) * 1.15;
    let n = tiers.len();
    let mut chart = ChartBuilder::on(&upper)
        .caption(TITLE, text(15))
        .margin(12)
        .margin_right(18)
        .x_label_area_size(30)
        .y_label_area_size(52)
        .build_cartesian_2d(0f64..n as f64, 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("Share")
        .y_label_formatter(&tick_percent)
        .y_labels(6)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    let (customers_colour, revenue_colour) = (color(PALETTE[0]), color(PALETTE[1]));
    for (i, (c, r)) in s.iter().enumerate() {
        let x = i as f64;
        chart.draw_series([
            Rectangle::new([(x + 0.12, 0.0), (x + 0.5, *c)], customers_colour.filled()),
            Rectangle::new([(x + 0.5, 0.0), (x + 0.88, *r)], revenue_colour.filled()),
        ])?;
    }
    let plot = chart.plotting_area();
    let (ox, oy) = upper.get_base_pixel();
    let below = Pos::new(HPos::Center, VPos::Top);
    let above = Pos::new(HPos::Center, VPos::Bottom);
    for (i, (t, (c, r))) in tiers.iter().zip(&s).enumerate() {
        let (x, y) = plot.map_coordinate(&(i as f64 + 0.5, 0.0));
        upper.draw(&Text::new(t.tier.clone(), (x - ox, y - oy + 6), text(12).pos(below)))?;
        for (at, share) in [(i as f64 + 0.31, *c), (i as f64 + 0.69, *r)] {
            let (bx, by) = plot.map_coordinate(&(at, share));
            let label = format!("{:.0}%", share * 100.0);
            upper.draw(&Text::new(label, (bx - ox, by - oy - 3), text(11).pos(above)))?;
        }
    }
    let left = Pos::new(HPos::Left, VPos::Center);
    let half = (width / 2) as i32;
    for (k, (name, colour)) in
        [("Customers", customers_colour), ("Revenue", revenue_colour)].into_iter().enumerate()
    {
        let x = 40 + k as i32 * (half - 20);
        legend.draw(&Rectangle::new([(x, 8), (x + 12, 20)], colour.filled()))?;
        let label = format!("{name} (of {})", total_text(tiers, k == 0));
        legend.draw(&Text::new(label, (x + 18, 14), text(12).pos(left)))?;
    }
    Ok(())
}

/// The total a legend entry's shares are of.
fn total_text(tiers: &[TierMix], customers: bool) -> String {
    if customers {
        format!("{} customers", format::count(tiers.iter().map(|t| t.customers as usize).sum()))
    } else {
        format!("{} revenue", format::money(tiers.iter().map(|t| t.revenue.max(0.0)).sum()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> Vec<TierMix> {
        let t = |tier: &str, customers, revenue| TierMix { tier: tier.into(), customers, revenue };
        vec![t("Platinum", 2, 600.0), t("Gold", 3, 300.0), t("Loss-making", 5, 100.0)]
    }

    #[test]
    fn shares_are_of_all_customers_and_revenue() {
        let s = shares(&tiers());
        assert_eq!(s[0], (0.2, 0.6));
        assert_eq!(s[2], (0.5, 0.1));
        let sum: f64 = s.iter().map(|(c, _)| c).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_svg_names_tiers_shares_and_totals() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (560, 340)).into_drawing_area();
            draw(&area, &tiers()).unwrap();
            area.present().unwrap();
        }
        for expected in [TITLE, "Platinum", "Loss-making", "60%", "50%", "10 customers"] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }
}
