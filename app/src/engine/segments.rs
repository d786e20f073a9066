//! The Segments page's views, built from an analysis's segments (sent
//! before its policy and cost stages run): the ABC × XYZ
//! matrix, the chart view-models (downsampled so that a message stays
//! small whatever the number of SKUs), the SKU table as columns, and the
//! on-demand explanation and stress test.
//!
//! Every figure is core's: classes, shares, ADI, CV², clusters and
//! explanations come from `segscope-core`; this module only picks, orders,
//! samples and sums them (a cell's revenue share is the sum of its SKUs'
//! net revenue over all SKUs', like the Data page's totals).

use crate::worker_api::{
    ClusterRow, ClusterView, ExplanationView, MatrixCell, ParetoView, PatternView, SegmentSettings,
    SegmentsView, SkuColumns, StressView, Texts, MAX_CURVE_POINTS, MAX_SCATTER_POINTS, PATTERNS,
};
use segscope_core::analysis::SegmentsRef;
use segscope_core::classify::cluster::{self, ClusterMethod, Clustering};
use segscope_core::classify::pattern::{ADI_CUT, CV2_CUT};
use segscope_core::classify::stress::{stress_test, Scenario};
use segscope_core::classify::{explain::explain, matrix_counts};
use segscope_core::config::{Criterion, SEGMENTS};
use segscope_core::{Analysis, Config, Dataset};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The criterion's name in a chart title or sentence.
pub fn criterion_name(c: Criterion) -> &'static str {
    match c {
        Criterion::Revenue => "revenue",
        Criterion::Margin => "margin",
        Criterion::Quantity => "quantity",
        Criterion::OrderLines => "order lines",
    }
}

/// The whole view of the Segments page.
pub fn view(data: &Dataset, analysis: &SegmentsRef<'_>, generation: u64) -> SegmentsView {
    // Rows of the analysis in ABC rank order (criterion descending, ties by
    // code), the order of `skus.csv`.
    let order = segscope_core::classify::rank_order(analysis.classes);
    let config = &analysis.config;
    SegmentsView {
        generation,
        settings: SegmentSettings::of(config),
        defaults: SegmentSettings::of(&Config::default()),
        // Manual overrides are the History page's, not the rules editor's.
        rules_json: serde_json::to_string_pretty(&segscope_core::governance::user_rules(
            &config.rules,
        ))
        .unwrap_or_else(|_| "[]".into()),
        matrix: matrix(analysis),
        relabelled: relabelled(analysis),
        pareto: pareto(analysis, &order),
        patterns: patterns(analysis, &order),
        clusters: analysis.clustering.map(|c| clusters(analysis, c)),
        more_rows: false,
        all_rows: 0,
        table_base: None,
        kept: 0,
        table: Arc::new(table(data, analysis, &order)),
    }
}

/// Counts (core's [`matrix_counts`]) and net revenue shares per cell.
fn matrix(analysis: &SegmentsRef<'_>) -> Vec<MatrixCell> {
    let counts = matrix_counts(analysis.classes);
    let mut revenue = [[0.0; 3]; 3];
    for (c, s) in analysis.classes.iter().zip(&analysis.demand.skus) {
        revenue[c.abc.class as usize][c.xyz as usize] += s.revenue;
    }
    let total: f64 = analysis.demand.skus.iter().map(|s| s.revenue).sum();
    SEGMENTS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut letters = label.chars();
            let (r, c) = (i / 3, i % 3);
            MatrixCell {
                abc: letters.next().unwrap_or('?'),
                xyz: letters.next().unwrap_or('?'),
                skus: counts[r][c],
                revenue_share: if total != 0.0 { revenue[r][c] / total } else { 0.0 },
            }
        })
        .collect()
}

/// SKUs whose segment label is a rule's own, per label.
fn relabelled(analysis: &SegmentsRef<'_>) -> Vec<(String, usize)> {
    let mut by_label: BTreeMap<&str, usize> = BTreeMap::new();
    for c in analysis.classes {
        if !SEGMENTS.contains(&c.segment.as_str()) {
            *by_label.entry(c.segment.as_str()).or_default() += 1;
        }
    }
    by_label.into_iter().map(|(l, n)| (l.to_owned(), n)).collect()
}

/// `k` indices spread evenly over `0..n` (all of them when `n ≤ k`),
/// always including the first and the last. Deterministic.
pub fn spread(n: usize, k: usize) -> Vec<usize> {
    if n <= k {
        return (0..n).collect();
    }
    if k < 2 {
        return vec![0; k.min(1)];
    }
    (0..k).map(|j| j * (n - 1) / (k - 1)).collect()
}

/// The cumulative share after each SKU in rank order; items with a
/// criterion ≤ 0 take no share and leave the curve flat.
fn pareto(analysis: &SegmentsRef<'_>, order: &[usize]) -> ParetoView {
    let config = &analysis.config;
    let n = order.len();
    let (a_cut, b_cut) = (config.abc.a_cut, config.abc.b_cut);
    let mut curve = Vec::with_capacity(n);
    let mut last = 0.0;
    let (mut a_before, mut b_before) = (0, 0);
    for (i, &r) in order.iter().enumerate() {
        let abc = &analysis.classes[r].abc;
        if let Some(p) = abc.cumulative_before {
            last = p + abc.share;
            a_before += usize::from(p < a_cut);
            b_before += usize::from(p < b_cut);
        }
        curve.push(((i + 1) as f64 / n as f64, last));
    }
    let mut points = vec![(0.0, 0.0)];
    points.extend(spread(n, MAX_CURVE_POINTS - 1).into_iter().map(|i| curve[i]));
    let share = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    ParetoView {
        criterion: criterion_name(config.abc.criterion).to_owned(),
        points,
        a_cut,
        b_cut,
        a_skus: share(a_before),
        b_skus: share(b_before),
        skus: n,
    }
}

fn pattern_index(name: &str) -> u8 {
    PATTERNS.iter().position(|p| *p == name).unwrap_or(PATTERNS.len() - 1) as u8
}

/// ADI and CV² of the SKUs with demand, sampled evenly over the ranking
/// when there are more than [`MAX_SCATTER_POINTS`].
fn patterns(analysis: &SegmentsRef<'_>, order: &[usize]) -> PatternView {
    let mut counts = vec![0; PATTERNS.len()];
    let mut all = Vec::new();
    for &r in order {
        let p = &analysis.classes[r].pattern;
        let index = pattern_index(p.pattern.name());
        counts[index as usize] += 1;
        if let (Some(adi), Some(cv2)) = (p.adi, p.cv2) {
            all.push((adi, cv2, index));
        }
    }
    let picked = spread(all.len(), MAX_SCATTER_POINTS);
    PatternView {
        sampled: picked.len() < all.len(),
        with_demand: all.len(),
        points: picked.into_iter().map(|i| all[i]).collect(),
        adi_cut: ADI_CUT,
        cv2_cut: CV2_CUT,
        counts,
        bucket: analysis.config.bucket.name().to_owned(),
    }
}

/// Each SKU's clustering features (in the units k-means saw before the
/// z-scores) for a sample of SKUs, and the clusters' centroids.
fn clusters(analysis: &SegmentsRef<'_>, c: &Clustering) -> ClusterView {
    let inputs = cluster::inputs(analysis.demand, analysis.classes);
    let m = cluster::features::matrix(&inputs, analysis.demand.series.n, &c.features);
    let n = c.assignments.len();
    let d = m.d;
    let picked = spread(n, MAX_SCATTER_POINTS);
    let values =
        picked.iter().flat_map(|&i| m.values[i * d..(i + 1) * d].iter().copied()).collect();
    let assignment = picked.iter().map(|&i| c.assignments[i].min(255) as u8).collect();
    ClusterView {
        method: match c.method {
            ClusterMethod::Kmeans => "k-means".into(),
            ClusterMethod::Hierarchical => "hierarchical".into(),
        },
        features: c.features.clone(),
        values,
        assignment,
        skus: n,
        sampled: picked.len() < n,
        k_fixed: c.k_fixed,
        silhouette: c.silhouette,
        clusters: c
            .clusters
            .iter()
            .map(|k| ClusterRow {
                label: k.label.clone(),
                size: k.size,
                centroid: k.centroid_original_units.clone(),
                centroid_plotted: c.scaling.invert(&k.centroid_z),
            })
            .collect(),
        notes: c.notes.clone(),
    }
}

/// The SKU table: the figures `skus.csv` writes for classification, as
/// columns in rank order.
fn table(data: &Dataset, analysis: &SegmentsRef<'_>, order: &[usize]) -> SkuColumns {
    let n = order.len();
    let mut t = SkuColumns {
        sku: Texts::with_capacity(n, 8 * n),
        revenue: Vec::with_capacity(n),
        share: Vec::with_capacity(n),
        cumulative: Vec::with_capacity(n),
        abc: String::with_capacity(n),
        cv: Vec::with_capacity(n),
        xyz: String::with_capacity(n),
        adi: Vec::with_capacity(n),
        cv2: Vec::with_capacity(n),
        pattern: Vec::with_capacity(n),
        segment: Texts::with_capacity(n, 2 * n),
        cluster: Vec::with_capacity(n),
        rule: Vec::with_capacity(n),
    };
    let assignments = analysis.clustering.map(|c| &c.assignments);
    for &r in order {
        let s = &analysis.demand.skus[r];
        let c = &analysis.classes[r];
        t.sku.push(data.skus.name(s.sku));
        t.revenue.push(s.revenue);
        t.share.push(c.abc.share);
        t.cumulative.push(c.abc.cumulative_before);
        t.abc.push(c.abc.class.letter());
        t.cv.push(c.cv);
        t.xyz.push(c.xyz.letter());
        t.adi.push(c.pattern.adi);
        t.cv2.push(c.pattern.cv2);
        t.pattern.push(pattern_index(c.pattern.pattern.name()));
        t.segment.push(&c.segment);
        t.cluster.push(assignments.and_then(|a| a.get(r)).map(|&k| k.min(255) as u8));
        t.rule.push(c.rule.clone());
    }
    t
}

/// Core's explanation of one SKU (no lines for a code not in the analysis).
pub fn explanation(
    data: &Dataset,
    analysis: &Analysis,
    sku: &str,
    generation: u64,
) -> ExplanationView {
    let row = analysis.demand.skus.iter().position(|s| data.skus.name(s.sku) == sku);
    let (segment, lines) = match row {
        Some(r) => {
            let c = &analysis.classes[r];
            (c.segment.clone(), explain(c, &analysis.config))
        }
        None => (String::new(), Vec::new()),
    };
    ExplanationView { sku: sku.to_owned(), segment, lines, generation }
}

/// Core's stress test of the current segmentation, with a one-sentence
/// summary.
pub fn stress(data: &Dataset, analysis: &Analysis, generation: u64) -> StressView {
    let scenarios = stress_test(data, &analysis.config, &analysis.classes);
    StressView { summary: summary(&scenarios), scenarios, generation }
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// "Between 0.0 % and 12.5 % of SKUs change segment …; most sensitive:
/// 'cuts up' (12.5 %), where BY moves most (5 of 12)."
fn summary(scenarios: &[Scenario]) -> String {
    let Some(worst) = scenarios.iter().max_by(|a, b| a.changed_share.total_cmp(&b.changed_share))
    else {
        return "No scenario could be run.".into();
    };
    let least = scenarios.iter().map(|s| s.changed_share).fold(f64::INFINITY, f64::min);
    let mut text = format!(
        "Across the {} scenarios, {} to {} of SKUs change segment. The most disruptive is \
         “{}” ({}).",
        scenarios.len(),
        pct(least),
        pct(worst.changed_share),
        worst.name,
        worst.description
    );
    let segment = worst
        .by_segment
        .iter()
        .filter(|(_, &(skus, changed))| skus > 0 && changed > 0)
        .max_by(|(_, a), (_, b)| (a.1 * b.0).cmp(&(b.1 * a.0)).then(a.1.cmp(&b.1)));
    if let Some((label, (skus, changed))) = segment {
        text.push_str(&format!(
            " There, {label} is the least stable segment: {changed} of its {skus} SKUs move."
        ));
    } else {
        text.push_str(" No segment changes there: the segmentation is robust.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_ends_and_count() {
        assert_eq!(spread(3, 5), [0, 1, 2]);
        assert_eq!(spread(10, 4), [0, 3, 6, 9]);
        assert_eq!(spread(0, 4), Vec::<usize>::new());
        assert_eq!(spread(1000, 500).len(), 500);
        assert_eq!(*spread(1000, 500).last().unwrap(), 999);
    }

    #[test]
    fn the_pareto_curve_keeps_its_ends_within_the_point_limit() {
        let n = 20_000;
        let curve: Vec<usize> = spread(n, MAX_CURVE_POINTS - 1);
        assert_eq!(curve.len() + 1, MAX_CURVE_POINTS, "with the origin");
        assert_eq!((curve[0], curve[curve.len() - 1]), (0, n - 1));
    }

    #[test]
    fn the_summary_names_the_most_disruptive_scenario_and_segment() {
        let scenario = |name: &str, share: f64, by: &[(&str, (usize, usize))]| Scenario {
            name: name.into(),
            description: format!("{name} described"),
            by_segment: by.iter().map(|(l, v)| (l.to_string(), *v)).collect(),
            changed_share: share,
        };
        let text = summary(&[
            scenario("noise", 0.05, &[("AX", (10, 1))]),
            scenario("cuts up", 0.2, &[("AX", (10, 1)), ("BY", (4, 3))]),
        ]);
        assert!(text.contains("5.0 % to 20.0 %"), "{text}");
        assert!(text.contains("“cuts up”"), "{text}");
        assert!(text.contains("BY is the least stable segment: 3 of its 4 SKUs"), "{text}");
        assert_eq!(summary(&[]), "No scenario could be run.");
    }
}
