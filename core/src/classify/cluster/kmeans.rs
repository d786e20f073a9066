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
use ndarray::ArrayView2;
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Restarts from fresh k-means++ seeds; the run with the lowest inertia wins.
pub const RUNS: usize = 4;
/// Lloyd iterations per run at most.
pub const MAX_ITERATIONS: u64 = 100;
/// A run stops when its centroids move less than this (in z units).
pub const TOLERANCE: f64 = 1e-4;

/// Cluster labels (below `k`, possibly with empty clusters) for the
/// row-major z-scores `z` with `d` columns; `None` if linfa refuses the
/// input, which the guards of the caller (finite values, `2 ≤ k < n`) make
/// unexpected.
pub fn labels(z: &[f64], d: usize, k: usize, seed: u64) -> Option<Vec<usize>> {
    let n = z.len().checked_div(d)?;
    let records = ArrayView2::from_shape((n, d), z).ok()?;
    let dataset = DatasetBase::from(records);
    let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(RUNS)
        .max_n_iterations(MAX_ITERATIONS)
        .tolerance(TOLERANCE)
        .init_method(KMeansInit::KMeansPlusPlus)
        .fit(&dataset)
        .ok()?;
    // The memberships linfa keeps belong to its last run, not its best one,
    // so assign every point to the best run's centroids again.
    Some(model.predict(&records).to_vec())
}
