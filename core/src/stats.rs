//! Small statistics used across stages, written out so each convention
//! (population, not sample, deviation; weighted forms) is explicit.

/// Weighted mean and weighted population standard deviation (SPEC §2):
/// `μ = Σ w x / Σ w`, `σ = sqrt(Σ w (x − μ)² / Σ w)`. `None` when the weights
/// sum to zero or there are no values. Without weights every `w = 1`.
pub fn mean_std(values: &[f64], weights: Option<&[f64]>) -> Option<(f64, f64)> {
    match weights {
        None => unweighted(values),
        Some(weights) => weighted(values, weights),
    }
}

// Both forms sum in index order, one accumulator in a register: a build
// compiled for size, as the browser's is, kept the closures' accumulator
// in memory (natively twice as long). `1 · x` and `(x − μ)²` are exactly
// what the closures computed, so the figures are the same to the bit.
fn unweighted(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    // n ones sum to n exactly (n < 2⁵³).
    let total = values.len() as f64;
    let mut sum = 0.0;
    for &x in values {
        sum += x;
    }
    let mean = sum / total;
    let mut squares = 0.0;
    for &x in values {
        let d = x - mean;
        squares += d * d;
    }
    Some((mean, (squares / total).sqrt()))
}

/// The unweighted [`mean_std`] of each row of `matrix`, rows of `n`
/// values (none when `n` is 0), to the bit: each row's sums add its
/// values in index order. Each sum waits for the one before it, so rows
/// are read four at a time, their sums side by side (issue #7: at 1M lines
/// the demand stage reads 49,256 series of 104 buckets).
pub fn mean_std_of_rows(matrix: &[f64], n: usize) -> Vec<Option<(f64, f64)>> {
    if n == 0 {
        return Vec::new();
    }
    let mut moments = Vec::with_capacity(matrix.len() / n);
    let mut fours = matrix.chunks_exact(4 * n);
    for rows in &mut fours {
        let (a, rest) = rows.split_at(n);
        let (b, rest) = rest.split_at(n);
        let (c, d) = rest.split_at(n);
        moments.extend(side_by_side([a, b, c, d]));
    }
    moments.extend(fours.remainder().chunks_exact(n).map(unweighted));
    moments
}

/// [`unweighted`] of four rows of `len` values, their sums side by side.
/// Never inlined: in the browser a function called once runs as baseline
/// code until it returns, and this one is called once per four rows.
#[inline(never)]
fn side_by_side(rows: [&[f64]; 4]) -> [Option<(f64, f64)>; 4] {
    let len = rows.iter().map(|r| r.len()).min().unwrap_or(0);
    let [a, b, c, d] = rows.map(|r| &r[..len]);
    if len == 0 {
        return [None; 4];
    }
    let (mut sa, mut sb, mut sc, mut sd) = (0.0, 0.0, 0.0, 0.0);
    for t in 0..len {
        sa += a[t];
        sb += b[t];
        sc += c[t];
        sd += d[t];
    }
    let total = len as f64;
    let (ma, mb, mc, md) = (sa / total, sb / total, sc / total, sd / total);
    let (mut qa, mut qb, mut qc, mut qd) = (0.0, 0.0, 0.0, 0.0);
    for t in 0..len {
        let (da, db, dc, dd) = (a[t] - ma, b[t] - mb, c[t] - mc, d[t] - md);
        qa += da * da;
        qb += db * db;
        qc += dc * dc;
        qd += dd * dd;
    }
    [
        Some((ma, (qa / total).sqrt())),
        Some((mb, (qb / total).sqrt())),
        Some((mc, (qc / total).sqrt())),
        Some((md, (qd / total).sqrt())),
    ]
}

fn weighted(values: &[f64], weights: &[f64]) -> Option<(f64, f64)> {
    let weights = weights.get(..values.len()).unwrap_or(weights);
    let mut total = 0.0;
    for &w in weights {
        total += w;
    }
    if values.is_empty() || total <= 0.0 {
        return None;
    }
    let mut sum = 0.0;
    for (&x, &w) in values.iter().zip(weights) {
        sum += w * x;
    }
    let mean = sum / total;
    let mut squares = 0.0;
    for (&x, &w) in values.iter().zip(weights) {
        let d = x - mean;
        squares += w * (d * d);
    }
    Some((mean, (squares / total).sqrt()))
}

/// The median of `values` (mean of the two middle values for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) { (v[m - 1] + v[m]) / 2.0 } else { v[m] })
}

/// Median absolute deviation from the median (unscaled).
pub fn mad(values: &[f64]) -> Option<f64> {
    let m = median(values)?;
    let deviations: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    median(&deviations)
}

/// A deterministic uniform number in [0, 1) for (seed, index): SplitMix64's
/// finaliser over the pair. Stateless, so any stage can draw the `i`-th
/// number of a seeded stream without sharing a generator, and results do not
/// depend on the order in which items are processed.
pub fn uniform(seed: u64, index: u64) -> f64 {
    let mut z =
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.wrapping_add(0x632B_E59B_D9B4_E019);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The `q`-quantile (0..=1) of sorted values, by the "lower" rule: the
/// smallest value with at least a share `q` of the values at or below it
/// (an order-up-to level that covers demand with probability ≥ q).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Rows read four at a time give each row's own `mean_std`, to the
        /// bit, on demand-like rows (zeros, repeats) and others.
        #[test]
        fn rows_side_by_side_are_each_row_alone(
            rows in 0usize..11,
            n in 0usize..9,
            seed in any::<u64>(),
        ) {
            let matrix: Vec<f64> = (0..rows * n)
                .map(|i| {
                    let u = uniform(seed, i as u64);
                    if u < 0.4 { 0.0 } else { (u * 1e4).round() / 7.0 - 300.0 }
                })
                .collect();
            let together = mean_std_of_rows(&matrix, n);
            prop_assert_eq!(together.len(), if n == 0 { 0 } else { rows });
            let bits = |m: Option<(f64, f64)>| m.map(|(a, b)| (a.to_bits(), b.to_bits()));
            for (row, moments) in matrix.chunks_exact(n.max(1)).zip(&together) {
                prop_assert_eq!(bits(*moments), bits(mean_std(row, None)));
            }
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn population_std_of_a_textbook_set() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population std 2 (the standard
        // example of Wikipedia's "Standard deviation" article).
        let (m, s) = mean_std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], None).unwrap();
        assert!(close(m, 5.0) && close(s, 2.0));
    }

    #[test]
    fn integer_weights_equal_repetition() {
        let (m1, s1) = mean_std(&[1.0, 3.0], Some(&[3.0, 1.0])).unwrap();
        let (m2, s2) = mean_std(&[1.0, 1.0, 1.0, 3.0], None).unwrap();
        assert!(close(m1, m2) && close(s1, s2));
    }

    #[test]
    fn empty_or_weightless_has_no_moments() {
        assert_eq!(mean_std(&[], None), None);
        assert_eq!(mean_std(&[1.0], Some(&[0.0])), None);
    }

    #[test]
    fn uniform_draws_are_reproducible_and_in_range() {
        assert_eq!(uniform(7, 3), uniform(7, 3));
        assert_ne!(uniform(7, 3), uniform(8, 3));
        let mean = (0..10_000).map(|i| uniform(1, i)).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        assert!((0..1000).all(|i| (0.0..1.0).contains(&uniform(3, i))));
    }

    #[test]
    fn lower_quantile_covers_the_share() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(quantile_sorted(&v, 0.9), Some(9.0));
        assert_eq!(quantile_sorted(&v, 0.91), Some(10.0));
        assert_eq!(quantile_sorted(&v, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn median_and_mad() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        // median 3; |x − 3| = 2, 1, 0, 1, 97 → median 1.
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), Some(1.0));
        assert_eq!(median(&[]), None);
    }
}
