//! "Quantity far above the SKU's usual line size" (SPEC §6).
//!
//! SPEC leaves the rule open; this one is robust to the outliers it looks
//! for and quiet on small or lumpy histories. Over a SKU's positive lines,
//! with at least [`MIN_LINES`] of them, let `m` be the median quantity and
//! `s` the median absolute deviation scaled by 1.4826 (so that it estimates
//! the standard deviation of normal data). A line is flagged when its
//! quantity exceeds **both** `m + 10·s` and `5·m`: ten robust standard
//! deviations keeps ordinary spread quiet, and five times the usual line
//! keeps SKUs whose lines are nearly all the same size (where `s` is 0) from
//! flagging every slightly larger line.

/// A SKU needs this many positive lines before any of its lines is judged.
pub(crate) const MIN_LINES: usize = 5;

/// The consistency constant that turns a MAD into a standard deviation
/// estimate for normal data.
const MAD_TO_SD: f64 = 1.4826;

/// The quantity above which a line of this SKU is flagged, from its positive
/// line quantities (reordered in place); `None` when there are too few.
pub(crate) fn limit(quantities: &mut [f64]) -> Option<f64> {
    if quantities.len() < MIN_LINES {
        return None;
    }
    let m = median(quantities)?;
    for q in quantities.iter_mut() {
        *q = (*q - m).abs();
    }
    let s = MAD_TO_SD * median(quantities)?;
    Some((m + 10.0 * s).max(5.0 * m))
}

/// The median (mean of the middle two for an even count); reorders `values`.
fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = values.get(..n / 2)?.iter().copied().max_by(f64::total_cmp)?;
    Some((lower + upper) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(quantities: &[f64], expected: Option<f64>) {
        let mut q = quantities.to_vec();
        assert_eq!(limit(&mut q), expected, "{quantities:?}");
    }

    #[test]
    fn limit_is_the_larger_of_ten_robust_sds_and_five_medians() {
        check(&[1.0, 1.0, 1.0, 1.0], None);
        check(&[1.0, 1.0, 1.0, 1.0, 1.0], Some(5.0));
        check(&[2.0, 2.0, 2.0, 2.0, 100.0], Some(10.0));
        // Median 10, MAD 1.5: 10 + 10 × 2.2239 = 32.2 is below 5 × 10 = 50.
        check(&[8.0, 10.0, 12.0, 10.0, 9.0, 11.0, 12.0, 8.0], Some(50.0));
        // Median 10, MAD 5: 10 + 74.13 = 84.13 is above 50.
        let limit = {
            let mut q = vec![5.0, 10.0, 15.0, 5.0, 15.0, 10.0, 10.0];
            super::limit(&mut q).unwrap()
        };
        assert!((limit - (10.0 + 10.0 * 1.4826 * 5.0)).abs() < 1e-9, "{limit}");
    }

    #[test]
    fn median_of_even_counts_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut []), None);
    }
}
