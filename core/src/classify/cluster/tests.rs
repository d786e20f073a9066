use super::features::{matrix, signed_exp, signed_log};
use super::label::{demand_word, labels, value_word};
use super::silhouette::{mean_silhouette, sample};
use super::*;

/// A SKU with demand.
fn sku(revenue: f64, order_lines: f64, cv: f64, adi: f64, cv2: f64) -> SkuFeatures {
    SkuFeatures {
        revenue,
        margin: revenue * 0.3,
        quantity: order_lines * 2.0,
        order_lines,
        cv: Some(cv),
        adi: Some(adi),
        cv2: Some(cv2),
    }
}

/// A SKU without any demand bucket (only returns, say).
fn no_demand(revenue: f64) -> SkuFeatures {
    SkuFeatures { revenue, ..SkuFeatures::default() }
}

fn enabled() -> ClusterConfig {
    ClusterConfig { enabled: true, ..ClusterConfig::default() }
}

fn hierarchical(linkage: Linkage) -> ClusterConfig {
    ClusterConfig { method: ClusterMethod::Hierarchical, linkage, ..enabled() }
}

/// A jitter in [−1, 1) that is the same on every platform (a 64-bit LCG).
fn jitter(state: &mut u64) -> f64 {
    *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Three well-separated groups of `per` SKUs each, interleaved A, B, C, A, …:
/// A high value and steady, B mid value and variable, C low value and lumpy.
/// Returns the SKUs and each one's true group (0 = A, 1 = B, 2 = C).
fn blobs(per: usize) -> (Vec<SkuFeatures>, Vec<usize>) {
    let centres = [
        (100_000.0, 500.0, 0.2, 1.0, 0.1),
        (5_000.0, 60.0, 0.8, 1.1, 0.3),
        (100.0, 3.0, 3.0, 6.0, 1.0),
    ];
    let mut state = 7;
    let mut skus = Vec::new();
    let mut truth = Vec::new();
    for _ in 0..per {
        for (g, &(r, l, cv, adi, cv2)) in centres.iter().enumerate() {
            let mut wobble = |x: f64| x * (1.0 + 0.1 * jitter(&mut state));
            skus.push(sku(wobble(r), wobble(l), wobble(cv), wobble(adi), wobble(cv2)));
            truth.push(g);
        }
    }
    (skus, truth)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

#[test]
fn signed_log_is_log1p_for_non_negatives_and_inverts() {
    for x in [0.0, 0.5, 1.0, 999.0, 1e7] {
        assert_eq!(signed_log(x), x.ln_1p());
    }
    for x in [-1e6, -3.0, -0.25, 0.0, 2.0, 12_345.678] {
        assert!(close(signed_exp(signed_log(x)), x), "{x}");
    }
}

#[test]
fn silhouette_of_four_points_matches_hand_computation() {
    // Points 0, 1 | 4, 6 on a line (Rousseeuw 1987's definition, by hand):
    // s = (5−1)/5, (4−1)/4, (3.5−2)/3.5, (5.5−2)/5.5.
    let points = [0.0, 1.0, 4.0, 6.0];
    let expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4.0;
    let s = mean_silhouette(&points, 1, &[0, 1, 2, 3], &[0, 0, 1, 1], 2).unwrap();
    assert!(close(s, expected), "{s} vs {expected}");
    assert!(close(s, 0.653_733_766_233_766_2));
    // A singleton cluster scores 0: 0, 1, 2 | 10 gives
    // (8.5/10 + 8/9 + 6.5/8 + 0) / 4.
    let s = mean_silhouette(&[0.0, 1.0, 2.0, 10.0], 1, &[0, 1, 2, 3], &[0, 0, 0, 1], 2).unwrap();
    assert!(close(s, (0.85 + 8.0 / 9.0 + 0.8125) / 4.0), "{s}");
    // Two dimensions: the unit square's left and right sides, a = 1, b = (1 + √2)/2.
    let square = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let b = (1.0 + 2f64.sqrt()) / 2.0;
    let s = mean_silhouette(&square, 2, &[0, 1, 2, 3], &[0, 0, 1, 1], 2).unwrap();
    assert!(close(s, (b - 1.0) / b), "{s}");
    // One cluster has no silhouette.
    assert_eq!(mean_silhouette(&points, 1, &[0, 1, 2, 3], &[0, 0, 0, 0], 1), None);
}

#[test]
fn silhouette_sample_is_seeded_sorted_and_distinct() {
    let a = sample(10_000, 2_000, 9);
    assert_eq!(a, sample(10_000, 2_000, 9));
    assert_ne!(a, sample(10_000, 2_000, 10));
    assert_eq!(a.len(), 2_000);
    assert!(a.windows(2).all(|w| w[0] < w[1]) && a[1_999] < 10_000);
    assert_eq!(sample(5, 2_000, 9), [0, 1, 2, 3, 4]);
}

#[test]
fn well_separated_blobs_are_recovered_with_k_chosen_by_silhouette() {
    let (skus, truth) = blobs(20);
    for config in [enabled(), hierarchical(Linkage::Ward), hierarchical(Linkage::Average)] {
        let c = cluster(&skus, 52, &config);
        assert_eq!(c.k, 3, "{:?}", c.method);
        // Clusters are ordered by revenue, so A, B, C are clusters 0, 1, 2.
        assert_eq!(c.assignments, truth, "{:?}", config);
        let ks: Vec<usize> = c.silhouette_by_k.iter().map(|p| p.0).collect();
        assert_eq!(ks, [2, 3, 4, 5, 6, 7, 8]);
        let best = c.silhouette_by_k.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert_eq!(c.silhouette, Some(best));
        assert!(best > 0.8, "{best}");
        assert_eq!(c.clusters.iter().map(|s| s.size).collect::<Vec<_>>(), [20, 20, 20]);
        let names: Vec<&str> = c.clusters.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            names,
            ["high value · steady demand", "mid value · variable demand", "low value · lumpy"]
        );
        assert!(c.notes.is_empty(), "{:?}", c.notes);
    }
}

#[test]
fn a_fixed_k_is_used_and_scored_alone() {
    let (skus, _) = blobs(10);
    let c = cluster(&skus, 52, &ClusterConfig { k: Some(2), ..enabled() });
    assert!(c.k_fixed);
    assert_eq!(c.k, 2);
    assert_eq!(c.silhouette_by_k.len(), 1);
    assert_eq!(c.silhouette_by_k[0].0, 2);
    assert_eq!(c.silhouette, Some(c.silhouette_by_k[0].1));
}

#[test]
fn same_seed_gives_the_same_clustering() {
    // Overlapping, structureless points, where k-means++ draws matter.
    let mut state = 3;
    let skus: Vec<SkuFeatures> = (0..150)
        .map(|_| {
            let mut u = || (jitter(&mut state) + 1.0) / 2.0;
            sku(10f64.powf(1.0 + 4.0 * u()), 1.0 + 100.0 * u(), 2.0 * u(), 1.0 + 3.0 * u(), u())
        })
        .collect();
    for config in [enabled(), ClusterConfig { seed: 7, k: Some(5), ..enabled() }] {
        let a = cluster(&skus, 52, &config);
        let b = cluster(&skus, 52, &config);
        assert_eq!(a, b);
        assert!(a.k >= 2);
    }
}

#[test]
fn centroids_are_member_means_mapped_back_to_original_units() {
    let skus = [
        sku(999.0, 10.0, 0.2, 1.0, 0.1),
        sku(9_999.0, 12.0, 0.4, 1.0, 0.1),
        sku(0.0, 1.0, 2.0, 5.0, 1.0),
        sku(3.0, 1.0, 2.2, 4.0, 1.0),
    ];
    let config =
        ClusterConfig { features: vec![Feature::LogRevenue, Feature::Cv], k: Some(2), ..enabled() };
    let c = cluster(&skus, 10, &config);
    assert_eq!(c.assignments, [0, 0, 1, 1]);
    // Revenue: e^{mean ln(1 + r)} − 1, the geometric mean of 1 + r less 1:
    // √(1000 · 10000) − 1 and √(1 · 4) − 1. cv: the plain means.
    let high = &c.clusters[0].centroid_original_units;
    let low = &c.clusters[1].centroid_original_units;
    assert!(close(high[0], 1e7f64.sqrt() - 1.0), "{high:?}");
    assert!(close(high[1], 0.3), "{high:?}");
    assert!(close(low[0], 1.0), "{low:?}");
    assert!(close(low[1], 2.1), "{low:?}");
    // The z centroid is the same point in z-scores.
    let z = &c.clusters[0].centroid_z;
    assert!(close(z[1], (0.3 - c.scaling.mean[1]) / c.scaling.std[1]));
}

#[test]
fn missing_cv_adi_and_cv2_are_filled_never_nan() {
    let skus = [sku(10.0, 2.0, 0.4, 1.5, 0.2), sku(20.0, 3.0, 1.7, 2.0, 0.9), no_demand(5.0)];
    let features = [Feature::Cv, Feature::Adi, Feature::Cv2, Feature::MarginRate];
    let m = matrix(&skus, 26, &features);
    // The SKU without demand: the largest observed cv and cv2, ADI = buckets;
    // its margin rate is a real 0 (margin 0 on revenue 5).
    assert_eq!(&m.values[8..12], &[1.7, 26.0, 0.9, 0.0]);
    assert_eq!(m.filled, [1, 1, 1, 0]);
    // Nothing to take a largest value from: 0.
    let m = matrix(&[no_demand(1.0), no_demand(2.0)], 4, &features);
    assert_eq!(m.values, [0.0, 4.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0]);
    // Non-finite and negative figures: finite features all the same.
    let odd = [
        SkuFeatures { revenue: f64::NAN, margin: f64::INFINITY, ..sku(1.0, 1.0, 1.0, 1.0, 1.0) },
        SkuFeatures { revenue: -500.0, margin: -900.0, cv: Some(f64::NAN), ..no_demand(0.0) },
        sku(0.0, 0.0, 0.0, 1.0, 0.0),
    ];
    let all = [
        Feature::LogRevenue,
        Feature::LogMargin,
        Feature::LogQuantity,
        Feature::LogOrderLines,
        Feature::MarginRate,
        Feature::Cv,
        Feature::Cv2,
        Feature::Adi,
    ];
    let m = matrix(&odd, 3, &all);
    assert!(m.values.iter().all(|v| v.is_finite()), "{:?}", m.values);
    let c = cluster(&odd, 3, &ClusterConfig { features: all.to_vec(), ..enabled() });
    assert_eq!(c.assignments.len(), 3);
    assert!(c.clusters.iter().flat_map(|s| &s.centroid_z).all(|v| v.is_finite()));
}

#[test]
fn a_constant_feature_gets_z_scores_of_zero() {
    let skus: Vec<SkuFeatures> = (0..6).map(|i| sku(10f64.powi(i), 5.0, 0.3, 1.0, 0.1)).collect();
    let m = matrix(&skus, 10, &[Feature::LogRevenue, Feature::Cv]);
    let scaling = Scaling::fit(&m);
    assert_eq!(scaling.std[1], 1.0);
    let z = scaling.apply(&m);
    assert!(z.chunks(2).all(|r| r[1].abs() < 1e-12 && r[0].is_finite()));
}

#[test]
fn degenerate_inputs_give_an_explained_result_without_panicking() {
    for config in [enabled(), hierarchical(Linkage::Ward)] {
        let none = cluster(&[], 10, &config);
        assert_eq!((none.k, none.assignments.len(), none.clusters.len()), (0, 0, 0));
        assert_eq!(none.notes.len(), 1);

        for n in [1, 2] {
            let skus: Vec<SkuFeatures> =
                (0..n).map(|i| sku(100.0 * (i + 1) as f64, 3.0, 0.5, 1.0, 0.2)).collect();
            let c = cluster(&skus, 10, &config);
            assert_eq!((c.k, c.assignments, c.silhouette), (1, vec![0; n], None));
            assert_eq!(c.clusters[0].size, n);
            assert!(c.notes[0].contains("at least 3"), "{:?}", c.notes);
        }

        let same = vec![sku(500.0, 4.0, 0.7, 1.2, 0.3); 12];
        let c = cluster(&same, 10, &ClusterConfig { k: Some(4), ..config.clone() });
        assert_eq!((c.k, c.clusters.len()), (1, 1));
        assert!(c.notes[0].contains("same feature values"), "{:?}", c.notes);
        assert!(c.clusters[0].centroid_original_units.iter().all(|v| v.is_finite()));

        // k = 8 on five SKUs is lowered to n − 1 = 4; on two distinct points
        // repeated, to 2.
        let five: Vec<SkuFeatures> =
            (0..5).map(|i| sku(10f64.powi(i), 1.0 + i as f64, 0.5, 1.0, 0.2)).collect();
        let c = cluster(&five, 10, &ClusterConfig { k: Some(8), ..config.clone() });
        assert_eq!(c.k, 4);
        assert!(c.notes[0].contains("using k = 4"), "{:?}", c.notes);
        let two = [five[0].clone(), five[4].clone(), five[0].clone(), five[4].clone()];
        let c = cluster(&two, 10, &ClusterConfig { k: Some(3), ..config.clone() });
        assert_eq!((c.k, c.assignments.clone()), (2, vec![1, 0, 1, 0]));

        let c = cluster(&five, 10, &ClusterConfig { features: vec![], ..config.clone() });
        assert_eq!(c.k, 1);

        // All SKUs without demand.
        let c = cluster(&[no_demand(1.0), no_demand(2.0), no_demand(3.0)], 10, &config);
        assert_eq!(c.assignments.len(), 3);
        assert!(c.clusters.iter().all(|s| s.label.ends_with("no demand")), "{:?}", c.clusters);
    }
}

#[test]
fn many_skus_choose_k_on_a_seeded_sample_and_assign_every_sku() {
    // 300 SKUs, a sample of 120 (the same code path as 2,000 of more).
    let (skus, truth) = blobs(100);
    let fixed = ClusterConfig { k: Some(3), ..enabled() };
    for config in [enabled(), fixed, hierarchical(Linkage::Ward), hierarchical(Linkage::Average)] {
        let c = cluster_with_sample(&skus, 52, &config, 120);
        assert_eq!(c.silhouette_sample, Some(120));
        assert_eq!(c.silhouette_by_k.len(), if c.k_fixed { 1 } else { 7 });
        assert!(c.notes.iter().any(|n| n.contains("sample of 120 of the 300")), "{:?}", c.notes);
        let said = match (config.method, c.k_fixed) {
            (ClusterMethod::Hierarchical, _) => "k was chosen and the tree built on",
            (_, true) => "k-means's restarts ran on",
            (_, false) => "k was chosen, and k-means's restarts run, on",
        };
        assert!(c.notes.iter().any(|n| n.starts_with(said)), "{said}: {:?}", c.notes);
        assert_eq!(c.k, 3);
        assert_eq!(c.assignments, truth);
        assert_eq!(c, cluster_with_sample(&skus, 52, &config, 120));
    }
    // At the real threshold nothing is sampled yet.
    assert_eq!(cluster(&skus, 52, &enabled()).silhouette_sample, None);
}

#[test]
fn value_and_demand_words() {
    let check = |z: f64, word: &str| assert_eq!(value_word(z), word, "z {z}");
    check(1.3, "high value");
    check(0.5, "high value");
    check(0.49, "mid value");
    check(-0.2, "mid value");
    check(-0.5, "low value");

    let check = |cv: Option<f64>, adi: Option<f64>, cv2: Option<f64>, word: &str| {
        assert_eq!(demand_word(cv, adi, cv2), word, "{cv:?} {adi:?} {cv2:?}");
    };
    check(Some(0.3), Some(1.0), Some(0.1), "steady demand");
    check(Some(0.5), Some(1.2), Some(0.2), "steady demand");
    check(Some(0.8), Some(1.2), Some(0.2), "variable demand");
    check(Some(1.4), Some(1.1), Some(0.9), "erratic");
    check(Some(2.0), Some(3.0), Some(0.2), "intermittent");
    check(Some(3.0), Some(1.32), Some(0.49), "lumpy");
    check(None, None, None, "no demand");
}

#[test]
fn repeated_labels_are_numbered() {
    let parts =
        [("high value", "steady demand"), ("low value", "lumpy"), ("high value", "steady demand")];
    assert_eq!(
        labels(&parts),
        ["high value · steady demand", "low value · lumpy", "high value · steady demand (2)"]
    );
}

#[test]
fn build_runs_only_when_enabled_and_follows_the_demand_order() {
    use crate::config::Config;
    use crate::date::Date;
    use crate::quality::DqReport;

    // Nine SKUs over 12 weeks: three sell weekly in volume, three every
    // other week, three once.
    let mut d = Dataset::default();
    let c = d.customers.intern("C");
    for k in 0..9u32 {
        let sku = d.skus.intern(&format!("S{k}"));
        let (every, price) = match k % 3 {
            0 => (1, 1000.0),
            1 => (2, 50.0),
            _ => (12, 2.0),
        };
        for week in (0..12).step_by(every) {
            let l = &mut d.lines;
            l.line.push(l.len() as u32 + 2);
            l.order.push(d.orders.intern(&format!("O{k}-{week}")));
            l.date.push(Date(Date::from_ymd(2024, 1, 1).unwrap().0 + 7 * week));
            l.sku.push(sku);
            l.customer.push(c);
            l.quantity.push(1.0 + f64::from(k) / 10.0);
            l.line_revenue.0.push(price * (1.0 + f64::from(k) / 10.0));
        }
    }
    let config = Config::default();
    let demand = crate::demand::build(&d, &config, &mut DqReport::default());
    let classes = crate::classify::classify(&d, &demand, &config, None);
    assert_eq!(build(&d, &demand, &classes, &config.cluster), None);

    let result = build(&d, &demand, &classes, &enabled()).unwrap();
    assert_eq!(result.k, 3);
    assert_eq!(result.assignments, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
    assert_eq!(inputs(&demand, &classes)[1].adi, Some(2.0));
    assert_eq!(result.clusters[0].label, "high value · steady demand");
    assert_eq!(result.clusters[1].label, "mid value · intermittent");
}

#[test]
fn the_tree_cut_at_k_leaves_k_clusters_numbered_by_first_appearance() {
    // Leaves 0, 1 | 10, 11 | 30 on a line: any linkage joins the pairs first.
    let z = [10.0, 0.0, 30.0, 11.0, 1.0];
    for linkage in [Linkage::Ward, Linkage::Average] {
        let tree = hierarchical::dendrogram(&z, 1, linkage);
        let check = |k: usize, expected: &[usize]| {
            assert_eq!(hierarchical::cut(&tree, 5, k), expected, "{linkage:?} k {k}");
        };
        check(5, &[0, 1, 2, 3, 4]);
        check(3, &[0, 1, 2, 0, 1]);
        check(2, &[0, 0, 1, 0, 0]);
        check(1, &[0, 0, 0, 0, 0]);
    }
}

#[test]
fn refining_runs_lloyds_iterations_from_the_given_centroids() {
    // Four points on a line from centroids 0 and 1, by hand: 0 | 1, 10, 11
    // → centroids 0 and 22/3; then 0, 1 | 10, 11 (1 is 1 from 0 and 6.33
    // from 7.33) → 0.5 and 10.5, where it stays.
    let z = [0.0, 1.0, 10.0, 11.0];
    assert_eq!(kmeans::refine(&z, 1, &[0.0, 1.0]), Some(vec![0, 0, 1, 1]));
    // Centroids in the other order keep their order.
    assert_eq!(kmeans::refine(&z, 1, &[11.0, 0.0]), Some(vec![1, 1, 0, 0]));
    // Centroids that are not whole rows, or none: no clustering, no panic.
    assert_eq!(kmeans::refine(&[0.0, 1.0, 2.0, 3.0], 2, &[0.0, 1.0, 2.0]), None);
    assert_eq!(kmeans::refine(&z, 1, &[]), None);
}
