//! XYZ classification and the series it is computed on (SPEC §2, §3.2).
//!
//! XYZ measures how predictable demand is: the coefficient of variation
//! `cv = σ / μ` of the bucket series, with optional time decay (recent
//! buckets weigh more) and optional outlier capping.

use crate::stats::{mad, median};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An XYZ class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum XyzClass {
    /// Steady demand: cv ≤ x_cut.
    X,
    /// Variable demand: cv ≤ y_cut.
    Y,
    /// Erratic or no demand.
    Z,
}

impl XyzClass {
    /// The class letter.
    pub fn letter(self) -> char {
        match self {
            XyzClass::X => 'X',
            XyzClass::Y => 'Y',
            XyzClass::Z => 'Z',
        }
    }
}

impl fmt::Display for XyzClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// The scale that turns a MAD into a normal-consistent deviation.
const MAD_SCALE: f64 = 1.4826;

/// Caps outliers in place (SPEC §2): over the non-zero buckets, values above
/// `median + 3 × 1.4826 × MAD` are set to that bound; when MAD is 0 nothing is
/// capped. Returns how many buckets were capped.
pub fn cap_outliers(series: &mut [f64]) -> usize {
    let nonzero: Vec<f64> = series.iter().copied().filter(|x| *x > 0.0).collect();
    let (Some(m), Some(d)) = (median(&nonzero), mad(&nonzero)) else {
        return 0;
    };
    if d == 0.0 {
        return 0;
    }
    let bound = m + 3.0 * MAD_SCALE * d;
    let mut capped = 0;
    for x in series.iter_mut().filter(|x| **x > bound) {
        *x = bound;
        capped += 1;
    }
    capped
}

/// Time-decay weights (SPEC §2): `w_t = 0.5^((n−1−t)/h)` for a half-life of
/// `h` buckets; the last bucket weighs 1.
pub fn decay_weights(n: usize, half_life: f64) -> Vec<f64> {
    (0..n).map(|t| 0.5f64.powf((n - 1 - t) as f64 / half_life)).collect()
}

/// The coefficient of variation of a series from its (weighted) mean and
/// standard deviation ([`crate::stats::mean_std`]); `None` when the mean
/// is 0 (no demand).
pub fn cv_of(moments: Option<(f64, f64)>) -> Option<f64> {
    let (mean, std) = moments?;
    (mean > 0.0).then(|| std / mean)
}

/// The XYZ class of a cv: X if `cv ≤ x_cut`, Y if `cv ≤ y_cut`, else Z; no cv is Z.
pub fn class(cv: Option<f64>, x_cut: f64, y_cut: f64) -> XyzClass {
    match cv {
        Some(cv) if cv <= x_cut => XyzClass::X,
        Some(cv) if cv <= y_cut => XyzClass::Y,
        _ => XyzClass::Z,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::mean_std;

    /// The cv of a series, weighted when `weights` are given.
    fn cv(series: &[f64], weights: Option<&[f64]>) -> Option<f64> {
        cv_of(mean_std(series, weights))
    }

    #[test]
    fn cv_of_hand_computed_series() {
        // 10, 10, 10, 10: σ 0 → cv 0.
        assert_eq!(cv(&[10.0; 4], None), Some(0.0));
        // 2, 4, 4, 4, 5, 5, 7, 9: μ 5, σ 2 → cv 0.4.
        assert_eq!(cv(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], None), Some(0.4));
        // 0, 0, 0, 8: μ 2, σ = sqrt((4+4+4+36)/4) = sqrt(12) → cv sqrt(3).
        assert!((cv(&[0.0, 0.0, 0.0, 8.0], None).unwrap() - 3f64.sqrt()).abs() < 1e-12);
        assert_eq!(cv(&[0.0; 3], None), None);
    }

    #[test]
    fn classes_at_and_around_the_cuts() {
        let check = |cv, expected| assert_eq!(class(cv, 0.5, 1.0), expected, "{cv:?}");
        check(Some(0.5), XyzClass::X);
        check(Some(0.5000001), XyzClass::Y);
        check(Some(1.0), XyzClass::Y);
        check(Some(1.01), XyzClass::Z);
        check(None, XyzClass::Z);
    }

    #[test]
    fn decay_halves_every_half_life() {
        let w = decay_weights(5, 2.0);
        assert_eq!(w[4], 1.0);
        assert!((w[2] - 0.5).abs() < 1e-15);
        assert!((w[0] - 0.25).abs() < 1e-15);
    }

    #[test]
    fn decayed_cv_follows_the_weighted_formula() {
        // Series 0, 4 with h = 1: weights 0.5, 1 → μ = 4/1.5 = 8/3;
        // σ² = (0.5 × (8/3)² + 1 × (4/3)²) / 1.5 = (32/9 + 16/9) / 1.5 = 32/9.
        let w = decay_weights(2, 1.0);
        let got = cv(&[0.0, 4.0], Some(&w)).unwrap();
        let expected = (32.0f64 / 9.0).sqrt() / (8.0 / 3.0);
        assert!((got - expected).abs() < 1e-12);
    }

    #[test]
    fn capping_cuts_only_above_the_robust_bound() {
        // Non-zero 10, 11, 12, 13, 100: median 12, MAD 1 → bound 12 + 4.4478.
        let mut s = [10.0, 0.0, 11.0, 12.0, 13.0, 100.0];
        assert_eq!(cap_outliers(&mut s), 1);
        assert!((s[5] - 16.4478).abs() < 1e-12);
        assert_eq!(&s[..5], &[10.0, 0.0, 11.0, 12.0, 13.0]);
    }

    #[test]
    fn zero_mad_caps_nothing() {
        let mut s = [5.0, 5.0, 5.0, 50.0];
        assert_eq!(cap_outliers(&mut s), 0);
        assert_eq!(s[3], 50.0);
    }
}
