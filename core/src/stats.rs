//! Small statistics used across stages, written out so each convention
//! (population, not sample, deviation; weighted forms) is explicit.

/// Weighted mean and weighted population standard deviation (SPEC §2):
/// `μ = Σ w x / Σ w`, `σ = sqrt(Σ w (x − μ)² / Σ w)`. `None` when the weights
/// sum to zero or there are no values. Without weights every `w = 1`.
pub fn mean_std(values: &[f64], weights: Option<&[f64]>) -> Option<(f64, f64)> {
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let total: f64 = (0..values.len()).map(weight).sum();
    if values.is_empty() || total <= 0.0 {
        return None;
    }
    let mean = values.iter().enumerate().map(|(i, x)| weight(i) * x).sum::<f64>() / total;
    let var =
        values.iter().enumerate().map(|(i, x)| weight(i) * (x - mean).powi(2)).sum::<f64>() / total;
    Some((mean, var.sqrt()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn median_and_mad() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        // median 3; |x − 3| = 2, 1, 0, 1, 97 → median 1.
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), Some(1.0));
        assert_eq!(median(&[]), None);
    }
}
