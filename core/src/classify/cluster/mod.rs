//! Clustering SKUs into segments (SPEC §3.5).
//!
//! The pipeline, in order:
//!
//! 1. **Features.** Each SKU's figures ([`SkuFeatures`]: value from the
//!    demand stage, cv, ADI and CV² from classification) become the
//!    configured [`Feature`]s; log features use `sign(x)·ln(1 + |x|)`.
//!    Missing values (no demand: no cv, ADI or CV²) are filled as
//!    [`features::matrix`] explains — never NaN.
//! 2. **z-scores.** Each feature is centred and divided by its population
//!    standard deviation; a constant feature is divided by 1 instead.
//! 3. **Clusterings.** For each k in 2..=min(8, n − 1, distinct points), or
//!    only the configured k: linfa's k-means (k-means++, [`kmeans::RUNS`]
//!    restarts, a generator seeded from [`ClusterConfig::seed`]), or one
//!    kodama dendrogram (Ward or average linkage) cut at k.
//! 4. **Choice of k.** The highest mean silhouette (ties: the smaller k).
//!    Above [`SAMPLE_SIZE`] SKUs, k is chosen on a seeded sample of that
//!    many SKUs and then applied to all of them (see [`cluster`]): k-means
//!    runs its restarts on the sample and one run of Lloyd's iterations on
//!    every SKU from the sample's best centroids ([`kmeans::refine`]); the
//!    tree is cut on the sample and every SKU joins the nearest cluster.
//! 5. **Summary.** Clusters are ordered by their members' mean log revenue,
//!    highest first (ties: the cluster holding the earlier SKU), get their
//!    centroids back in original units and a plain-language label
//!    ([`label`]).
//!
//! Every step is deterministic: the same SKUs and configuration give the same
//! result natively and in WebAssembly.

pub mod features;
pub mod hierarchical;
pub mod kmeans;
pub mod label;
pub mod silhouette;
#[cfg(test)]
mod tests;

pub use crate::config::{ClusterConfig, ClusterMethod, Feature, Linkage};
pub use features::{FeatureMatrix, Scaling};

use super::SkuClass;
use crate::dataset::Dataset;
use crate::demand::Demand;
use serde::{Deserialize, Serialize};

/// The smallest k compared.
pub const MIN_K: usize = 2;
/// The largest k compared.
pub const MAX_K: usize = 8;
/// Above this many SKUs, k is chosen, silhouettes computed and the
/// hierarchical tree built on a seeded sample of this size (sample
/// silhouettes as in scikit-learn's `silhouette_score(sample_size=…)`):
/// silhouettes cost n² time, the tree n²/2 distances of memory (16 MB at
/// this size), and seven k-means fits on 30,000 SKUs take seconds.
pub const SAMPLE_SIZE: usize = 2_000;
/// Mixed into the seed for the sample, so that it does not share a stream
/// with k-means's generator.
const SAMPLE_STREAM: u64 = 0x5A4D_504C_4553_4545;

/// The figures of one SKU that features are computed from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuFeatures {
    /// Net revenue.
    pub revenue: f64,
    /// Net margin.
    pub margin: f64,
    /// Gross demand quantity.
    pub quantity: f64,
    /// Positive order lines.
    pub order_lines: f64,
    /// Coefficient of variation of bucket demand; `None` when the mean is 0.
    pub cv: Option<f64>,
    /// Average demand interval; `None` without demand.
    pub adi: Option<f64>,
    /// Squared cv of the non-zero buckets; `None` without demand.
    pub cv2: Option<f64>,
}

/// The [`SkuFeatures`] of every SKU, in the order of
/// [`crate::demand::DemandSeries::skus`] (`demand.skus` and `classes` are
/// both in that order).
pub fn inputs(demand: &Demand, classes: &[SkuClass]) -> Vec<SkuFeatures> {
    demand
        .skus
        .iter()
        .zip(classes)
        .map(|(s, c)| SkuFeatures {
            revenue: s.revenue,
            margin: s.margin,
            quantity: s.quantity,
            order_lines: s.order_lines as f64,
            cv: c.cv,
            adi: c.pattern.adi,
            cv2: c.pattern.cv2,
        })
        .collect()
}

/// One cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    /// Plain-language label, unique within the clustering, e.g.
    /// "high value · steady demand".
    pub label: String,
    /// Number of SKUs.
    pub size: usize,
    /// The centroid (the mean of the members' features) per feature, mapped
    /// back to the feature's original units: currency, lines, units for log
    /// features (through `sign(y)·(e^|y| − 1)`, so a typical value rather
    /// than an arithmetic mean), the ratio itself for cv, ADI, CV² and
    /// margin rate.
    pub centroid_original_units: Vec<f64>,
    /// The centroid in z-scores: how many standard deviations above or below
    /// all SKUs' mean the cluster lies on each feature.
    pub centroid_z: Vec<f64>,
}

/// The result of clustering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// The algorithm used.
    pub method: ClusterMethod,
    /// The features, in the column order of every centroid.
    pub features: Vec<Feature>,
    /// Number of clusters found (0 only when there are no SKUs).
    pub k: usize,
    /// Whether k was fixed by the configuration rather than chosen.
    pub k_fixed: bool,
    /// Per SKU (in input order), its index in `clusters`.
    pub assignments: Vec<usize>,
    /// The clusters, highest mean log revenue first.
    pub clusters: Vec<ClusterSummary>,
    /// The mean silhouette of the result; `None` with fewer than 2 clusters.
    pub silhouette: Option<f64>,
    /// Mean silhouette of each k tried, in increasing k.
    pub silhouette_by_k: Vec<(usize, f64)>,
    /// The number of SKUs the silhouettes were computed on when they were
    /// sampled (more than [`SAMPLE_SIZE`] SKUs); `None` when all were used.
    pub silhouette_sample: Option<usize>,
    /// The z-scoring of the features.
    pub scaling: Scaling,
    /// Per feature, the number of SKUs whose value was missing and filled.
    pub filled: Vec<usize>,
    /// Plain explanations of anything unusual: too few SKUs, identical
    /// SKUs, a k lowered to what the data allow, sampling.
    pub notes: Vec<String>,
}

/// The clustering stage: `None` unless clustering is enabled.
///
/// `_data` is unused today; it keeps the stage's signature in line with the
/// other classification stages.
pub fn build(
    _data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &ClusterConfig,
) -> Option<Clustering> {
    config.enabled.then(|| cluster(&inputs(demand, classes), demand.series.n, config))
}

/// Clusters SKUs; `buckets` is the number of buckets of the demand horizon
/// (the ADI given to SKUs without demand).
///
/// Never panics and never fails: with no SKUs the result has no clusters;
/// with fewer than 3 SKUs, or when all SKUs have the same features, it has
/// one cluster; a fixed k above what the data allow is lowered to
/// min(n − 1, number of distinct points). Each case adds a note.
///
/// Above [`SAMPLE_SIZE`] SKUs, a sample of [`SAMPLE_SIZE`] SKUs is drawn
/// with a generator seeded from the configured seed. Each candidate k is
/// clustered and scored on the sample alone (`silhouette_by_k`); the chosen
/// (or fixed) k is then applied to every SKU — k-means is fitted again on
/// all of them, the hierarchical method assigns each SKU to the nearest
/// centroid of the sample's clusters in the tree cut at k — and
/// `silhouette` is that final clustering's mean silhouette over the sample.
pub fn cluster(skus: &[SkuFeatures], buckets: usize, config: &ClusterConfig) -> Clustering {
    cluster_with_sample(skus, buckets, config, SAMPLE_SIZE)
}

/// [`cluster`] with the sample size as a parameter, so that tests can
/// exercise sampling on small inputs.
fn cluster_with_sample(
    skus: &[SkuFeatures],
    buckets: usize,
    config: &ClusterConfig,
    sample_size: usize,
) -> Clustering {
    let n = skus.len();
    let matrix = features::matrix(skus, buckets, &config.features);
    let scaling = Scaling::fit(&matrix);
    let z = scaling.apply(&matrix);
    let d = matrix.d;
    let mut result = Clustering {
        method: config.method,
        features: config.features.clone(),
        k: 0,
        k_fixed: config.k.is_some(),
        assignments: Vec::new(),
        clusters: Vec::new(),
        silhouette: None,
        silhouette_by_k: Vec::new(),
        silhouette_sample: None,
        scaling,
        filled: matrix.filled,
        notes: Vec::new(),
    };
    if n == 0 {
        result.notes.push("There are no SKUs to cluster.".into());
        return result;
    }
    if d == 0 {
        result.notes.push("No features were chosen, so all SKUs form one cluster.".into());
        summarise(&mut result, skus, &z, vec![0; n], 1);
        return result;
    }
    let distinct = distinct_rows(&z, d);
    let max_k = MAX_K.min(n - 1).min(distinct);
    if max_k < MIN_K {
        result.notes.push(if n < 3 {
            format!(
                "Only {n} SKU{}: comparing clusterings needs at least 3, so all SKUs form one cluster.",
                if n == 1 { "" } else { "s" }
            )
        } else {
            "All SKUs have the same feature values, so they form one cluster.".into()
        });
        summarise(&mut result, skus, &z, vec![0; n], 1);
        return result;
    }
    let fixed_k = config.k.map(|k| {
        let allowed = k.clamp(MIN_K, max_k);
        if allowed != k {
            result.notes.push(format!(
                "k = {k} was asked for, but {n} SKUs with {distinct} distinct feature \
                 values allow at most {max_k} clusters; using k = {allowed}."
            ));
        }
        allowed
    });

    let sample = silhouette::sample(n, sample_size, config.seed ^ SAMPLE_STREAM);
    let sampled = sample.len() < n;
    let m = sample.len();
    let zs: Vec<f64> = if sampled {
        sample.iter().flat_map(|&i| z[i * d..i * d + d].iter().copied()).collect()
    } else {
        z.clone()
    };
    if sampled {
        result.silhouette_sample = Some(m);
        let what = match (config.method, fixed_k.is_some()) {
            (ClusterMethod::Hierarchical, false) => "k was chosen and the tree built",
            (ClusterMethod::Hierarchical, true) => "The tree was built",
            (_, false) => "k was chosen, and k-means's restarts run,",
            (_, true) => "k-means's restarts ran",
        };
        result.notes.push(format!(
            "{what} on a fixed sample of {m} of the {n} SKUs; every SKU was then assigned to \
             a cluster."
        ));
    }
    let tree = (config.method == ClusterMethod::Hierarchical)
        .then(|| hierarchical::dendrogram(&zs, d, config.linkage));
    // Clusters of the sample (all SKUs when there are few).
    let on_sample = |k: usize| -> Option<SampleClusters> {
        let (labels, centroids) = match &tree {
            None => kmeans::fit(&zs, d, k, config.seed).map(|f| (f.labels, Some(f.centroids)))?,
            Some(tree) => (hierarchical::cut(tree, m, k), None),
        };
        let (labels, found) = compact(&labels);
        Some(SampleClusters { labels, found, centroids })
    };
    let all_sample_rows: Vec<usize> = (0..m).collect();

    // Choose k by the best mean silhouette (ties: the smaller k), unless fixed.
    let mut chosen: Option<(f64, usize, SampleClusters)> = None;
    if fixed_k.is_none() {
        for k in MIN_K..=max_k {
            let Some(clusters) = on_sample(k) else {
                result.notes.push(format!("k-means failed for k = {k}; that k was skipped."));
                continue;
            };
            let Some(score) = silhouette::mean_silhouette(
                &zs,
                d,
                &all_sample_rows,
                &clusters.labels,
                clusters.found,
            ) else {
                continue;
            };
            result.silhouette_by_k.push((k, score));
            if chosen.as_ref().is_none_or(|(best, ..)| score > *best) {
                chosen = Some((score, k, clusters));
            }
        }
    }
    let k = match (fixed_k, &chosen) {
        (Some(k), _) => k,
        (None, Some((_, k, ..))) => *k,
        (None, None) => {
            result
                .notes
                .push("No clustering could be scored, so all SKUs form one cluster.".into());
            summarise(&mut result, skus, &z, vec![0; n], 1);
            return result;
        }
    };

    // The clustering of every SKU with that k. k-means on a sample starts
    // Lloyd's iterations on every SKU from the sample's best centroids: the
    // restarts, which decide the quality, run on the sample, and the runs
    // on every SKU start close to where they end (issue #7: on 49,256
    // SKUs, four restarts from k-means++ took most of the CLI's 0.3 s
    // cluster stage).
    let all_skus = |chosen: Option<Vec<f64>>| -> Option<Vec<usize>> {
        if !sampled {
            return kmeans::fit(&z, d, k, config.seed).map(|f| f.labels);
        }
        let centroids = match chosen {
            Some(centroids) => centroids,
            None => kmeans::fit(&zs, d, k, config.seed)?.centroids,
        };
        kmeans::refine(&z, d, &centroids)
    };
    let (labels, found) = match (chosen, &tree) {
        (Some((_, _, clusters)), _) if !sampled => (clusters.labels, clusters.found),
        (chosen, None) => match all_skus(chosen.and_then(|(_, _, c)| c.centroids)) {
            Some(labels) => compact(&labels),
            None => {
                result
                    .notes
                    .push(format!("k-means failed for k = {k}; all SKUs form one cluster."));
                (vec![0; n], 1)
            }
        },
        (_, Some(tree)) => {
            let cut = hierarchical::cut(tree, m, k);
            if sampled {
                compact(&nearest_centroid(&z, d, &zs, &cut))
            } else {
                compact(&cut)
            }
        }
    };
    result.silhouette = silhouette::mean_silhouette(&z, d, &sample, &labels, found);
    if let (Some(k), Some(score)) = (fixed_k, result.silhouette) {
        result.silhouette_by_k.push((k, score));
    }
    summarise(&mut result, skus, &z, labels, found);
    result
}

/// A clustering of the sample: its labels compacted, how many clusters
/// they name, and k-means's centroids (none for a tree's cut).
struct SampleClusters {
    labels: Vec<usize>,
    found: usize,
    centroids: Option<Vec<f64>>,
}

/// Fills `k`, `assignments` and `clusters` from labels below `k`, every one
/// of which has members.
fn summarise(
    result: &mut Clustering,
    skus: &[SkuFeatures],
    z: &[f64],
    labels: Vec<usize>,
    k: usize,
) {
    let n = labels.len();
    let d = result.features.len();
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    let mut sum_z = vec![0.0; k * d];
    for (i, &c) in labels.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(i);
        for j in 0..d {
            sum_z[c * d + j] += z[i * d + j];
        }
    }
    // The label profile: log revenue of every SKU (non-finite figures as 0,
    // as in the features), and cv, ADI and CV² of those with demand,
    // whatever the clustering features were.
    let log_revenue = features::matrix(skus, 0, &[Feature::LogRevenue]);
    let revenue_scale = Scaling::fit(&log_revenue);
    let mut mean_log_revenue = vec![0.0; k];
    for (&c, v) in labels.iter().zip(&log_revenue.values) {
        mean_log_revenue[c] += v / size[c] as f64;
    }
    let mean_of = |c: usize, value: &dyn Fn(&SkuFeatures) -> Option<f64>| {
        let values =
            skus.iter().zip(&labels).filter(|(_, &l)| l == c).filter_map(|(s, _)| value(s));
        let (total, count) =
            values.filter(|v| v.is_finite()).fold((0.0, 0usize), |(t, n), v| (t + v, n + 1));
        (count > 0).then(|| total / count as f64)
    };

    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        mean_log_revenue[b].total_cmp(&mean_log_revenue[a]).then(first[a].cmp(&first[b]))
    });
    let mut rank = vec![0; k];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }

    let parts: Vec<(&str, &str)> = order
        .iter()
        .map(|&c| {
            let value_z = (mean_log_revenue[c] - revenue_scale.mean[0]) / revenue_scale.std[0];
            let with_demand =
                skus.iter().zip(&labels).filter(|(s, &l)| l == c && s.adi.is_some()).count();
            // A cluster most of whose members have no demand is labelled so.
            let demand = if with_demand * 2 > size[c] {
                label::demand_word(
                    mean_of(c, &|s| s.cv),
                    mean_of(c, &|s| s.adi),
                    mean_of(c, &|s| s.cv2),
                )
            } else {
                label::demand_word(None, None, None)
            };
            (label::value_word(value_z), demand)
        })
        .collect();
    let names = label::labels(&parts);

    result.k = k;
    result.assignments = labels.iter().map(|&c| rank[c]).collect();
    result.clusters = order
        .iter()
        .zip(names)
        .map(|(&c, label)| {
            let centroid_z: Vec<f64> = (0..d).map(|j| sum_z[c * d + j] / size[c] as f64).collect();
            let centroid = result.scaling.invert(&centroid_z);
            ClusterSummary {
                label,
                size: size[c],
                centroid_original_units: result
                    .features
                    .iter()
                    .zip(centroid)
                    .map(|(f, v)| f.to_original_units(v))
                    .collect(),
                centroid_z,
            }
        })
        .collect();
    debug_assert_eq!(result.assignments.len(), n);
}

/// Labels renumbered 0, 1, … by first appearance, dropping empty clusters;
/// and how many there are.
fn compact(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut new_label = vec![usize::MAX; labels.iter().max().map_or(0, |m| m + 1)];
    let mut found = 0;
    let out = labels
        .iter()
        .map(|&l| {
            if new_label[l] == usize::MAX {
                new_label[l] = found;
                found += 1;
            }
            new_label[l]
        })
        .collect();
    (out, found)
}

/// The number of distinct rows of a row-major matrix (`-0` equals `0`).
fn distinct_rows(z: &[f64], d: usize) -> usize {
    let mut rows: Vec<Vec<u64>> =
        z.chunks(d).map(|r| r.iter().map(|x| (x + 0.0).to_bits()).collect()).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len()
}

/// Every row of `z`'s label: the nearest centroid (ties: the lower label) of
/// the clusters that `labels` gives the rows of `zs`.
fn nearest_centroid(z: &[f64], d: usize, zs: &[f64], labels: &[usize]) -> Vec<usize> {
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut sum = vec![0.0; k * d];
    let mut count = vec![0usize; k];
    for (row, &c) in zs.chunks(d).zip(labels) {
        count[c] += 1;
        for j in 0..d {
            sum[c * d + j] += row[j];
        }
    }
    let centroids: Vec<f64> =
        sum.iter().enumerate().map(|(x, s)| s / count[x / d].max(1) as f64).collect();
    z.chunks(d)
        .map(|row| {
            (0..k)
                .map(|c| silhouette::distance(row, &centroids[c * d..c * d + d]))
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (c, dist)| if dist < best.1 { (c, dist) } else { best },
                )
                .0
        })
        .collect()
}
