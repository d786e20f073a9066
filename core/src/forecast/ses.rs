//! Simple exponential smoothing (SES).
//!
//! `l_t = α x_t + (1 − α) l_{t−1}`, and every future bucket is forecast at the
//! last level. The level starts at the first observation, `l_0 = x_0`: R
//! forecast's `ses(initial = "simple")`, the form Croston's method applies to
//! sizes and intervals. (R's default, `initial = "optimal"`, fits `l_0` by
//! likelihood; a fixed start keeps the result a closed formula a spreadsheet
//! can reproduce.)
//!
//! The fitted value of bucket `t` is the level after `x_{t−1}`, that is the
//! forecast made from `x_0 … x_{t−1}`; the first bucket has none (R reports
//! `x_0` itself there, an error of zero that no forecaster earned).

use super::Forecast;

/// SES with smoothing constant `alpha` over `series`, forecasting `horizon`
/// buckets. An empty series gives no points.
///
/// # Example
/// ```
/// use segscope_core::forecast::ses::ses;
/// let f = ses(&[10.0, 12.0], 0.2, 2);
/// // l = 0.2 × 12 + 0.8 × 10
/// assert_eq!(f.points, vec![10.4, 10.4]);
/// assert_eq!(f.fitted, vec![None, Some(10.0)]);
/// ```
pub fn ses(series: &[f64], alpha: f64, horizon: usize) -> Forecast {
    let mut fitted = Vec::with_capacity(series.len());
    let mut level: Option<f64> = None;
    for &x in series {
        fitted.push(level);
        level = Some(match level {
            None => x,
            // l + α(x − l) rather than αx + (1 − α)l: a constant series then
            // stays exactly constant.
            Some(l) => l + alpha * (x - l),
        });
    }
    let points = level.map_or_else(Vec::new, |l| vec![l; horizon]);
    Forecast { points, fitted }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(series: &[f64], alpha: f64, fitted: &[Option<f64>], next: Option<f64>) {
        let f = ses(series, alpha, 1);
        assert_eq!(f.fitted.len(), fitted.len(), "{series:?}");
        for (got, want) in f.fitted.iter().zip(fitted) {
            match (got, want) {
                (Some(g), Some(w)) => {
                    assert!((g - w).abs() < 1e-12, "{series:?}: {got:?} {want:?}")
                }
                _ => assert_eq!(got, want, "{series:?}"),
            }
        }
        match (f.points.first(), next) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-12, "{series:?}: {g} vs {w}"),
            (g, w) => assert_eq!(g.copied(), w, "{series:?}"),
        }
    }

    #[test]
    fn hand_computed_levels() {
        // 10, 12, 11, 15 with α = 0.2 (by hand):
        //   l0 = 10
        //   l1 = 0.2 × 12 + 0.8 × 10    = 10.4
        //   l2 = 0.2 × 11 + 0.8 × 10.4  = 10.52
        //   l3 = 0.2 × 15 + 0.8 × 10.52 = 11.416
        check(
            &[10.0, 12.0, 11.0, 15.0],
            0.2,
            &[None, Some(10.0), Some(10.4), Some(10.52)],
            Some(11.416),
        );
        // α = 0.5 on 4, 0, 8: l = 4, 2, 5.
        check(&[4.0, 0.0, 8.0], 0.5, &[None, Some(4.0), Some(2.0)], Some(5.0));
        // One observation: the forecast is that observation.
        check(&[7.0], 0.2, &[None], Some(7.0));
        // Nothing to smooth: no forecast.
        check(&[], 0.2, &[], None);
    }

    #[test]
    fn alpha_one_is_the_naive_forecast() {
        let series = [3.0, 9.0, 1.0, 4.0];
        let f = ses(&series, 1.0, 1);
        assert_eq!(f.fitted, vec![None, Some(3.0), Some(9.0), Some(1.0)]);
        assert_eq!(f.points, vec![4.0]);
    }

    #[test]
    fn constant_series_is_forecast_exactly() {
        let f = ses(&[6.0; 10], 0.3, 3);
        assert_eq!(f.points, vec![6.0; 3]);
        assert!(f.fitted[1..].iter().all(|v| *v == Some(6.0)));
    }
}
