//! Syntetos–Boylan demand patterns (SPEC §3.3).
//!
//! `adi = n / k` with `k` the number of buckets with demand (the "T/N"
//! convention; tools that use the mean interval between demands differ by the
//! first gap), and `cv2` the squared coefficient of variation of the non-zero
//! bucket values (0 when k = 1). The cut-offs 1.32 and 0.49 are Syntetos,
//! Boylan & Croston (2005).

use crate::stats::mean_std;
use serde::{Deserialize, Serialize};

/// ADI cut-off between frequent and intermittent demand.
pub const ADI_CUT: f64 = 1.32;
/// CV² cut-off between regular and erratic sizes.
pub const CV2_CUT: f64 = 0.49;

/// A demand pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// Frequent, regular sizes.
    Smooth,
    /// Infrequent, regular sizes.
    Intermittent,
    /// Frequent, irregular sizes.
    Erratic,
    /// Infrequent, irregular sizes.
    Lumpy,
    /// No demand at all.
    None,
}

impl Pattern {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Smooth => "smooth",
            Pattern::Intermittent => "intermittent",
            Pattern::Erratic => "erratic",
            Pattern::Lumpy => "lumpy",
            Pattern::None => "none",
        }
    }
}

/// ADI, CV² and pattern of one series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatternResult {
    /// Average demand interval `n / k`; `None` when k = 0.
    pub adi: Option<f64>,
    /// Squared cv of the non-zero values; `None` when k = 0.
    pub cv2: Option<f64>,
    /// The pattern.
    pub pattern: Pattern,
}

/// Classifies a bucket series.
pub fn classify(series: &[f64]) -> PatternResult {
    let nonzero: Vec<f64> = series.iter().copied().filter(|x| *x > 0.0).collect();
    let k = nonzero.len();
    if k == 0 {
        return PatternResult { adi: None, cv2: None, pattern: Pattern::None };
    }
    let adi = series.len() as f64 / k as f64;
    let cv2 = match mean_std(&nonzero, None) {
        // σ² / μ² rather than (σ / μ)²: a cv² of exactly 0.49 (51 and 9:
        // σ 21, μ 30) must read 0.49, not 0.48999999999999994, or the SKU
        // falls on the wrong side of the cut (found by bench/check.py).
        Some((mean, std)) if k > 1 => (std * std) / (mean * mean),
        _ => 0.0,
    };
    let pattern = match (adi < ADI_CUT, cv2 < CV2_CUT) {
        (true, true) => Pattern::Smooth,
        (false, true) => Pattern::Intermittent,
        (true, false) => Pattern::Erratic,
        (false, false) => Pattern::Lumpy,
    };
    PatternResult { adi: Some(adi), cv2: Some(cv2), pattern }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(series: &[f64], adi: f64, cv2: f64, pattern: Pattern) {
        let r = classify(series);
        assert!((r.adi.unwrap() - adi).abs() < 1e-12, "{series:?}: adi {:?}", r.adi);
        assert!((r.cv2.unwrap() - cv2).abs() < 1e-12, "{series:?}: cv2 {:?}", r.cv2);
        assert_eq!(r.pattern, pattern, "{series:?}");
    }

    #[test]
    fn hand_computed_cases() {
        // Every bucket 5: adi 1, cv2 0.
        check(&[5.0; 6], 1.0, 0.0, Pattern::Smooth);
        // 4 of 8 buckets with 3: adi 2, cv2 0.
        check(&[3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0], 2.0, 0.0, Pattern::Intermittent);
        // 1, 9, 1, 9: μ 5, σ 4 → cv2 0.64, adi 1.
        check(&[1.0, 9.0, 1.0, 9.0], 1.0, 0.64, Pattern::Erratic);
        // 1, 0, 9, 0: adi 2, cv2 (4/5)² = 0.64.
        check(&[1.0, 0.0, 9.0, 0.0], 2.0, 0.64, Pattern::Lumpy);
        // 51, 0, 9, 0: μ 30, σ 21 → cv2 441 / 900 = 0.49 exactly: on the cut, lumpy.
        let r = classify(&[51.0, 0.0, 9.0, 0.0]);
        assert_eq!((r.cv2, r.pattern), (Some(0.49), Pattern::Lumpy));
        // A single demand: k = 1 → cv2 0, adi n.
        check(&[0.0, 0.0, 7.0], 3.0, 0.0, Pattern::Intermittent);
        check(&[7.0], 1.0, 0.0, Pattern::Smooth);
    }

    #[test]
    fn cut_offs_are_inclusive_on_the_intermittent_and_erratic_side() {
        // 25 demands in 33 buckets: adi = 33/25 = 1.32 exactly → intermittent.
        let mut s = vec![2.0; 25];
        s.extend([0.0; 8]);
        assert_eq!(classify(&s).pattern, Pattern::Intermittent);
    }

    #[test]
    fn no_demand_is_none() {
        let r = classify(&[0.0, 0.0]);
        assert_eq!((r.adi, r.cv2, r.pattern), (None, None, Pattern::None));
        assert_eq!(classify(&[]).pattern, Pattern::None);
    }
}
