//! k-means through linfa, pinned down so that it is reproducible.
//!
//! linfa's k-means is deterministic for a given generator: k-means++ draws
//! from the generator in sequence, and the parallel steps (through ndarray's
//! rayon feature) only write one element per point, so neither the number
//! of threads nor the platform changes the result. The k-means‖ initialiser
//! is avoided: it seeds one generator per rayon thread.

use linfa::traits::{Fit, Predict};
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, ArrayView2};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Restarts from fresh k-means++ seeds; the run with the lowest inertia wins.
pub const RUNS: usize = 4;
/// Lloyd iterations per run at most.
pub const MAX_ITERATIONS: u64 = 100;
/// A run stops when its centroids move less than this (in z units).
pub const TOLERANCE: f64 = 1e-4;

/// A k-means clustering.
pub struct Clusters {
    /// Each point's cluster: below `k`, possibly with empty clusters.
    pub labels: Vec<usize>,
    /// The `k` centroids, row-major with `d` columns.
    pub centroids: Vec<f64>,
}

/// k-means of the row-major z-scores `z` with `d` columns: [`RUNS`]
/// k-means++ restarts, the one with the lowest inertia kept; `None` if
/// linfa refuses the input, which the guards of the caller (finite values,
/// `2 ≤ k < n`) make unexpected.
pub fn fit(z: &[f64], d: usize, k: usize, seed: u64) -> Option<Clusters> {
    let init = KMeansInit::KMeansPlusPlus;
    run(z, d, k, seed, RUNS, init)
}

/// k-means of `z` from the given centroids (`k` rows of `d`, as [`Clusters`]
/// has them): one run of Lloyd's iterations. Used for all SKUs from the
/// centroids of a sample's [`fit`], which start it close to where it ends.
pub fn refine(z: &[f64], d: usize, centroids: &[f64]) -> Option<Vec<usize>> {
    let k = centroids.len().checked_div(d)?;
    let start = Array2::from_shape_vec((k, d), centroids.to_vec()).ok()?;
    // The generator is not drawn from: the centroids are given.
    Some(run(z, d, k, 0, 1, KMeansInit::Precomputed(start))?.labels)
}

fn run(
    z: &[f64],
    d: usize,
    k: usize,
    seed: u64,
    runs: usize,
    init: KMeansInit<f64>,
) -> Option<Clusters> {
    let n = z.len().checked_div(d)?;
    let records = ArrayView2::from_shape((n, d), z).ok()?;
    if k == 0 || k > n {
        return None;
    }
    let dataset = DatasetBase::from(records);
    let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(runs)
        .max_n_iterations(MAX_ITERATIONS)
        .tolerance(TOLERANCE)
        .init_method(init)
        .fit(&dataset)
        .ok()?;
    // The memberships linfa keeps belong to its last run, not its best one,
    // so assign every point to the best run's centroids again.
    let labels = model.predict(&records).to_vec();
    Some(Clusters { labels, centroids: model.centroids().iter().copied().collect() })
}
