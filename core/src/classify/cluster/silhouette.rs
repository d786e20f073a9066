//! The mean silhouette (Rousseeuw 1987), the score that chooses k.
//!
//! For a point `i` in cluster `A`, `a(i)` is its mean Euclidean distance to
//! the other members of `A` and `b(i)` the smallest mean distance to the
//! members of another cluster; `s(i) = (b − a) / max(a, b)`, and `s(i) = 0`
//! when `A` has one member (Rousseeuw's convention, also scikit-learn's).

use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Euclidean distance between two rows.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt()
}

/// The mean silhouette of the points `rows` (indices into the row-major
/// matrix `points` with `d` columns) under `labels` (one per point of
/// `points`, each below `k`). `None` unless at least two of the clusters
/// have members among `rows`. O(|rows|² · d) time, O(|rows| · k) memory.
pub fn mean_silhouette(
    points: &[f64],
    d: usize,
    rows: &[usize],
    labels: &[usize],
    k: usize,
) -> Option<f64> {
    let m = rows.len();
    let row = |i: usize| &points[rows[i] * d..rows[i] * d + d];
    let label = |i: usize| labels[rows[i]];
    let mut counts = vec![0usize; k];
    for i in 0..m {
        counts[label(i)] += 1;
    }
    if counts.iter().filter(|&&c| c > 0).count() < 2 {
        return None;
    }
    // sums[i * k + c]: the sum of distances from point i to cluster c.
    let mut sums = vec![0.0; m * k];
    for i in 0..m {
        for j in i + 1..m {
            let dist = distance(row(i), row(j));
            sums[i * k + label(j)] += dist;
            sums[j * k + label(i)] += dist;
        }
    }
    let mut total = 0.0;
    for i in 0..m {
        let own = label(i);
        if counts[own] < 2 {
            continue;
        }
        let a = sums[i * k + own] / (counts[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && counts[c] > 0)
            .map(|c| sums[i * k + c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let scale = a.max(b);
        if scale > 0.0 {
            total += (b - a) / scale;
        }
    }
    Some(total / m as f64)
}

/// `size` distinct indices below `n`, in increasing order: a partial
/// Fisher–Yates shuffle driven by a generator seeded with `seed`, so the
/// same seed picks the same sample on every platform. All indices when
/// `size ≥ n`.
pub fn sample(n: usize, size: usize, seed: u64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    if size >= n {
        return all;
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    for i in 0..size {
        // Lemire's multiply-shift: a uniform index in i..n (the bias is below
        // 2⁻³² for any n this handles).
        let span = (n - i) as u64;
        let j = i + ((u128::from(rng.next_u64()) * u128::from(span)) >> 64) as usize;
        all.swap(i, j);
    }
    all.truncate(size);
    all.sort_unstable();
    all
}
