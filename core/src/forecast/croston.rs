//! Croston's method for intermittent demand, and the Syntetos–Boylan
//! approximation (SBA).
//!
//! Croston (1972) smooths two series separately with SES: the non-zero demand
//! sizes `z` and the intervals `p` between them, both updated only in buckets
//! with demand; the forecast per bucket is `z / p`. SBA (Syntetos & Boylan
//! 2005, "The accuracy of intermittent demand estimates", International
//! Journal of Forecasting 21(2), 303–314) multiplies it by `1 − α/2` to remove
//! Croston's upward bias.
//!
//! Conventions follow R forecast's `croston` (`croston2` in
//! robjhyndman/forecast, `R/forecast2.R`), which sktime's `Croston` matches:
//!
//! - demand is `x > 0`; other buckets are zero demand (R refuses negative
//!   values; segscope's series never have them);
//! - the first interval is the 1-based position of the first demand (R's
//!   `diff(c(0, which(x > 0)))`), later ones the gaps between demands;
//! - both SES start at their first value (`ses(initial = "simple")`): `z` at
//!   the first demand size, `p` at the first interval;
//! - a series with no demand forecasts 0;
//! - the fitted value of bucket `t` is the forecast from `x_0 … x_{t−1}`, as
//!   R computes it; bucket 0 has none.
//!
//! `α` defaults to 0.1, R's default, for both sizes and intervals.

use super::Forecast;

/// Croston's method with smoothing constant `alpha` over `series`,
/// forecasting `horizon` buckets (all equal). An empty series gives no
/// points; a series without demand forecasts 0.
///
/// # Example
/// ```
/// use segscope_core::forecast::croston::croston;
/// // sktime's hand-computed "golden" series: z = 2.775, p = 3.128.
/// let f = croston(&[0., 0., 2., 7., 0., 0., 0., 5., 0., 0., 0., 0., 3.], 0.1, 1);
/// assert!((f.points[0] - 2.775 / 3.128).abs() < 1e-12);
/// ```
pub fn croston(series: &[f64], alpha: f64, horizon: usize) -> Forecast {
    fit(series, alpha, 1.0, horizon)
}

/// The Syntetos–Boylan approximation: Croston × `(1 − alpha/2)`, fitted
/// values included.
///
/// # Example
/// ```
/// use segscope_core::forecast::croston::{croston, sba};
/// let series = [0., 3., 0., 0., 5., 1.];
/// let (c, s) = (croston(&series, 0.1, 1), sba(&series, 0.1, 1));
/// assert!((s.points[0] - 0.95 * c.points[0]).abs() < 1e-12);
/// ```
pub fn sba(series: &[f64], alpha: f64, horizon: usize) -> Forecast {
    fit(series, alpha, 1.0 - alpha / 2.0, horizon)
}

/// Croston's recursion, every forecast scaled by `factor`.
fn fit(series: &[f64], alpha: f64, factor: f64, horizon: usize) -> Forecast {
    let mut fitted = Vec::with_capacity(series.len());
    // Smoothed (size, interval) once a demand has been seen.
    let mut state: Option<(f64, f64)> = None;
    let current = |state: Option<(f64, f64)>| state.map_or(0.0, |(z, p)| factor * z / p);
    // Buckets since the last demand, or since the start before the first.
    let mut since = 0.0;
    for (t, &x) in series.iter().enumerate() {
        fitted.push((t > 0).then(|| current(state)));
        since += 1.0;
        if x > 0.0 {
            state = Some(match state {
                None => (x, since),
                Some((z, p)) => (z + alpha * (x - z), p + alpha * (since - p)),
            });
            since = 0.0;
        }
    }
    let points = if series.is_empty() { Vec::new() } else { vec![current(state); horizon] };
    Forecast { points, fitted }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monthly scripts for immune sera and immunoglobulin products in
    /// Australia, July 1991 – June 2008 (204 months): the PBS series of
    /// Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", as
    /// shipped by sktime (`sktime/datasets/data/PBS_dataset/PBS_dataset.csv`,
    /// loaded by `load_PBS_dataset`).
    #[rustfmt::skip]
    const PBS: [f64; 204] = [
        1., 1., 1., 0., 0., 1., 3., 1., 1., 1., 1., 1., // 1991 Jul – 1992 Jun
        2., 1., 1., 0., 0., 2., 0., 0., 1., 2., 0., 1., // 1992 Jul – 1993 Jun
        0., 0., 1., 1., 1., 1., 0., 0., 2., 1., 0., 0., // 1993 Jul – 1994 Jun
        0., 1., 0., 3., 3., 2., 4., 1., 1., 3., 3., 1., // 1994 Jul – 1995 Jun
        0., 4., 1., 3., 0., 1., 2., 5., 14., 2., 0., 0., // 1995 Jul – 1996 Jun
        3., 6., 2., 2., 2., 5., 1., 6., 3., 3., 2., 0., // 1996 Jul – 1997 Jun
        1., 1., 0., 0., 0., 1., 4., 12., 4., 0., 7., 0., // 1997 Jul – 1998 Jun
        2., 1., 4., 1., 3., 1., 0., 6., 9., 3., 1., 3., // 1998 Jul – 1999 Jun
        1., 7., 1., 3., 3., 3., 5., 6., 10., 5., 1., 3., // 1999 Jul – 2000 Jun
        1., 1., 1., 2., 1., 3., 7., 11., 10., 5., 5., 2., // 2000 Jul – 2001 Jun
        2., 1., 0., 3., 6., 5., 8., 9., 1., 1., 0., 0., // 2001 Jul – 2002 Jun
        0., 1., 2., 2., 0., 0., 0., 0., 1., 0., 0., 0., // 2002 Jul – 2003 Jun
        2., 1., 1., 0., 1., 0., 0., 0., 0., 0., 0., 0., // 2003 Jul – 2004 Jun
        0., 0., 0., 0., 0., 0., 1., 0., 1., 3., 0., 0., // 2004 Jul – 2005 Jun
        0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., // 2005 Jul – 2006 Jun
        0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., // 2006 Jul – 2007 Jun
        0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., // 2007 Jul – 2008 Jun
    ];

    /// Forecasts of R forecast's `croston(y, h, alpha)` on the PBS series,
    /// as recorded in sktime's `test_Croston_against_r_implementation`
    /// (sktime/sktime, `sktime/forecasting/tests/test_croston.py`); R prints
    /// seven significant digits.
    const R_PBS: [(f64, f64); 3] = [(0.1, 0.8688921), (0.5, 0.6754646), (0.05, 1.405808)];

    #[test]
    fn pbs_series_matches_r_forecast() {
        for (alpha, expected) in R_PBS {
            let f = croston(&PBS, alpha, 10);
            assert_eq!(f.points.len(), 10);
            for p in &f.points {
                assert!((p - expected).abs() < 5e-7, "α {alpha}: {p} vs R {expected}");
            }
        }
    }

    #[test]
    fn sba_is_croston_times_one_minus_half_alpha() {
        // On PBS with R's default α = 0.1: 0.8688921 × 0.95 = 0.825447495.
        let s = sba(&PBS, 0.1, 1);
        assert!((s.points[0] - 0.8688921 * 0.95).abs() < 5e-7, "{:?}", s.points);
        for alpha in [0.05, 0.1, 0.3, 1.0] {
            let (c, s) = (croston(&PBS, alpha, 1), sba(&PBS, alpha, 1));
            assert!((s.points[0] - c.points[0] * (1.0 - alpha / 2.0)).abs() < 1e-12);
            for (cf, sf) in c.fitted.iter().zip(&s.fitted) {
                let expected = cf.map(|v| v * (1.0 - alpha / 2.0));
                assert!(expected.zip(*sf).map_or(cf == sf, |(e, s)| (e - s).abs() < 1e-12));
            }
        }
    }

    #[test]
    fn golden_series_is_computed_by_hand() {
        // sktime's GOLDEN_SERIES (same test file), α = 0.1, first demand at
        // position 3 (1-based) so z = 2, p = 3; then
        //   y = 7, gap 1: z = 2.5,   p = 2.8
        //   y = 5, gap 4: z = 2.75,  p = 2.92
        //   y = 3, gap 5: z = 2.775, p = 3.128
        let series = [0., 0., 2., 7., 0., 0., 0., 5., 0., 0., 0., 0., 3.];
        let f = croston(&series, 0.1, 3);
        for p in &f.points {
            assert!((p - 2.775 / 3.128).abs() < 1e-12, "{p}");
        }
        // Fitted: 0 before any demand, 2/3 after the first, 2.5/2.8 after the second.
        let fit = |t: usize| f.fitted[t].unwrap();
        assert_eq!(f.fitted[0], None);
        assert_eq!((fit(1), fit(2)), (0.0, 0.0));
        assert!((fit(3) - 2.0 / 3.0).abs() < 1e-12);
        assert!((fit(4) - 2.5 / 2.8).abs() < 1e-12 && (fit(7) - 2.5 / 2.8).abs() < 1e-12);
        assert!((fit(8) - 2.75 / 2.92).abs() < 1e-12);
    }

    #[test]
    fn no_demand_forecasts_zero_and_nothing_forecasts_nothing() {
        let f = croston(&[0.0; 5], 0.1, 2);
        assert_eq!(f.points, vec![0.0, 0.0]);
        assert_eq!(f.fitted, vec![None, Some(0.0), Some(0.0), Some(0.0), Some(0.0)]);
        let f = sba(&[], 0.1, 2);
        assert!(f.points.is_empty() && f.fitted.is_empty());
    }

    #[test]
    fn a_single_demand_is_size_over_position() {
        // R: only one non-zero observation → y / tt.
        assert_eq!(croston(&[0.0, 0.0, 0.0, 6.0, 0.0], 0.1, 1).points, vec![1.5]);
    }
}
