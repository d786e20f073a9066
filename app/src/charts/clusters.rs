//! The cluster view: two of the clustering features per SKU, coloured by
//! cluster, with each cluster's centroid marked.

use super::{cluster_color, color, empty, text, tick_number, DrawResult, GRID, INK};
use crate::worker_api::ClusterView;
use plotters::coord::Shift;
use plotters::prelude::*;
use segscope_core::config::Feature;

/// A feature as an axis title, with its unit.
pub fn axis_name(f: Feature) -> String {
    match f {
        Feature::LogRevenue => "log revenue, ln(1 + revenue)".into(),
        Feature::LogMargin => "log margin, ln(1 + margin)".into(),
        Feature::LogQuantity => "log quantity, ln(1 + units)".into(),
        Feature::LogOrderLines => "log order lines, ln(1 + lines)".into(),
        Feature::MarginRate => "margin rate (margin / revenue)".into(),
        Feature::Cv => "cv of bucket demand (no unit)".into(),
        Feature::Cv2 => "CV² of demand sizes (no unit)".into(),
        Feature::Adi => "ADI (buckets per bucket with demand)".into(),
    }
}

/// The range of column `j` of the points and centroids, padded by 5 %.
pub fn range(view: &ClusterView, j: usize) -> (f64, f64) {
    let d = view.features.len().max(1);
    let values = view
        .values
        .iter()
        .skip(j)
        .step_by(d)
        .chain(view.clusters.iter().filter_map(|c| c.centroid_plotted.get(j)))
        .copied()
        .filter(|v| v.is_finite());
    let (lo, hi) =
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-6);
    (lo - pad, hi + pad)
}

/// Draws features `x` and `y` (indices into `view.features`).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ClusterView,
    x: usize,
    y: usize,
) -> DrawResult<DB> {
    let d = view.features.len();
    let title = format!("{} clusters ({})", view.clusters.len(), view.method);
    if view.values.is_empty() || x >= d || y >= d {
        return empty(area, &title, "No SKUs to cluster.");
    }
    area.fill(&WHITE)?;
    let (x0, x1) = range(view, x);
    let (y0, y1) = range(view, y);
    let mut chart = ChartBuilder::on(area)
        .caption(title, text(16))
        .margin(12)
        .x_label_area_size(46)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(axis_name(view.features[x]))
        .y_desc(axis_name(view.features[y]))
        .x_label_formatter(&tick_number)
        .y_label_formatter(&tick_number)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()?;
    let points = view.values.chunks(d).zip(&view.assignment);
    chart.draw_series(points.map(|(row, &k)| {
        let fill = color(cluster_color(k as usize)).mix(0.6).filled();
        Circle::new((row[x], row[y]), 2, fill)
    }))?;
    // Centroids: a large dot in the cluster's colour with a dark ring and
    // the cluster's number, which the centroid table beside repeats.
    for (k, c) in view.clusters.iter().enumerate() {
        let (Some(&cx), Some(&cy)) = (c.centroid_plotted.get(x), c.centroid_plotted.get(y)) else {
            continue;
        };
        let fill = color(cluster_color(k)).filled();
        let marker = EmptyElement::at((cx, cy))
            + Circle::new((0, 0), 9, fill)
            + Circle::new((0, 0), 9, INK.stroke_width(2))
            + Text::new(
                format!("{}", k + 1),
                (0, 0),
                text(12).color(&WHITE).pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Center,
                )),
            );
        chart.plotting_area().draw(&marker)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::ClusterRow;

    fn view() -> ClusterView {
        ClusterView {
            method: "k-means".into(),
            features: vec![Feature::LogRevenue, Feature::Cv],
            values: vec![1.0, 0.2, 2.0, 0.4, 9.0, 1.5],
            assignment: vec![0, 0, 1],
            skus: 3,
            clusters: vec![
                ClusterRow {
                    label: "a".into(),
                    size: 2,
                    centroid: vec![3.5, 0.3],
                    centroid_plotted: vec![1.5, 0.3],
                },
                ClusterRow {
                    label: "b".into(),
                    size: 1,
                    centroid: vec![8102.0, 1.5],
                    centroid_plotted: vec![9.0, 1.5],
                },
            ],
            ..ClusterView::default()
        }
    }

    #[test]
    fn ranges_cover_points_and_centroids_with_padding() {
        let (lo, hi) = range(&view(), 0);
        assert!(lo < 1.0 && hi > 9.0 && hi < 9.5, "{lo}..{hi}");
        assert_eq!(range(&ClusterView::default(), 0), (0.0, 1.0));
    }

    #[test]
    fn the_svg_has_title_axes_and_numbered_centroids() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 360)).into_drawing_area();
            draw(&area, &view(), 0, 1).unwrap();
        }
        for expected in [
            "2 clusters (k-means)",
            "log revenue, ln(1 + revenue)",
            "cv of bucket demand",
            "\n1\n",
            "\n2\n",
        ] {
            assert!(svg.contains(expected), "missing {expected:?}");
        }
    }
}
