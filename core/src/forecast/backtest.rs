//! Rolling-origin backtest: how well a method would have forecast the last
//! buckets, one bucket ahead at a time.
//!
//! For each origin `t` in the last `holdout` buckets, the method is fitted on
//! `x_0 … x_{t−1}` and its one-step forecast compared with `x_t`. With fixed
//! parameters and initialisations that depend only on the earliest values,
//! that forecast is exactly the fitted value of bucket `t` on the whole
//! series (a property the tests check for every method), so the backtest
//! reads the fitted values rather than refitting `holdout` times.
//!
//! - the holdout is clipped to `n − 1` buckets, so at least one bucket of
//!   history precedes the first origin; origins where the method has no
//!   forecast yet (seasonal naive before a full season) are skipped;
//! - error `e_t = forecast − actual`, so a positive bias means
//!   over-forecasting;
//! - MAE `= mean |e_t|`, bias `= mean e_t`;
//! - MASE `= MAE / scale` with `scale` the in-sample MAE of the naive
//!   one-step forecast on the buckets before the holdout,
//!   `mean |x_i − x_{i−1}|` (Hyndman & Koehler 2006, "Another look at
//!   measures of forecast accuracy", International Journal of Forecasting
//!   22(4), 679–688). Unlike MAPE it stays defined when actuals are zero,
//!   which intermittent demand is most of the time. It is `None` when fewer
//!   than two buckets precede the holdout or the scale is 0 (a constant
//!   history).

use super::{forecast, ForecastParams, Method};
use serde::{Deserialize, Serialize};

/// Accuracy of one method on one series over the holdout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// Buckets in the holdout after clipping to `n − 1`.
    pub holdout: usize,
    /// One-step forecasts evaluated (holdout buckets where the method had a
    /// forecast).
    pub origins: usize,
    /// Mean absolute error; `None` without origins.
    pub mae: Option<f64>,
    /// Mean error, forecast − actual (positive = over-forecast); `None`
    /// without origins.
    pub bias: Option<f64>,
    /// MAE scaled by the in-sample naive MAE before the holdout; `None` when
    /// undefined.
    pub mase: Option<f64>,
    /// Mean actual demand over the evaluated buckets; `None` without origins.
    pub mean_actual: Option<f64>,
}

/// Backtests `method` on `series` over its last `holdout` buckets.
///
/// # Example
/// ```
/// use segscope_core::forecast::{backtest::backtest, ForecastParams, Method};
/// let params = ForecastParams { season: 1, ..ForecastParams::default() };
/// // Naive forecasts of 4 and 6 are 5 and 4: errors +1, −2.
/// let b = backtest(&[1., 3., 2., 5., 4., 6.], Method::SeasonalNaive, &params, 2);
/// assert_eq!((b.mae, b.bias, b.mase), (Some(1.5), Some(-0.5), Some(0.75)));
/// ```
pub fn backtest(
    series: &[f64],
    method: Method,
    params: &ForecastParams,
    holdout: usize,
) -> Backtest {
    let one_step = ForecastParams { horizon: 0, ..params.clone() };
    evaluate(series, &forecast(series, method, &one_step).fitted, holdout)
}

/// The backtest figures from a series and its fitted one-step forecasts
/// (`fitted[t]` forecasts `series[t]` from the buckets before it).
pub fn evaluate(series: &[f64], fitted: &[Option<f64>], holdout: usize) -> Backtest {
    let n = series.len().min(fitted.len());
    let holdout = holdout.min(n.saturating_sub(1));
    let start = n - holdout;
    let (mut count, mut abs, mut sum, mut actual) = (0usize, 0.0, 0.0, 0.0);
    for t in start..n {
        if let Some(f) = fitted[t] {
            let e = f - series[t];
            count += 1;
            abs += e.abs();
            sum += e;
            actual += series[t];
        }
    }
    let mean = |total: f64| (count > 0).then(|| total / count as f64);
    let mae = mean(abs);
    let mase = mae.zip(naive_scale(&series[..start])).map(|(mae, scale)| mae / scale);
    Backtest { holdout, origins: count, mae, bias: mean(sum), mase, mean_actual: mean(actual) }
}

/// The in-sample MAE of the naive one-step forecast, `mean |x_i − x_{i−1}|`
/// over `i = 1 … n−1`: MASE's scale. `None` for fewer than two values or a
/// scale of 0.
pub fn naive_scale(train: &[f64]) -> Option<f64> {
    if train.len() < 2 {
        return None;
    }
    let total: f64 = train.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
    let scale = total / (train.len() - 1) as f64;
    (scale > 0.0).then_some(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ForecastParams {
        ForecastParams::default()
    }

    #[test]
    fn hand_computed_mase() {
        // Training 1, 3, 2, 5: naive errors 2, 1, 3 → scale 2.
        // Holdout 4, 6 with the naive forecast (seasonal naive, m = 1):
        //   forecasts 5, 4 → errors +1, −2 → MAE 1.5, bias −0.5, MASE 0.75.
        let naive = ForecastParams { season: 1, ..params() };
        let b = backtest(&[1., 3., 2., 5., 4., 6.], Method::SeasonalNaive, &naive, 2);
        assert_eq!(b.holdout, 2);
        assert_eq!(b.origins, 2);
        assert_eq!((b.mae, b.bias, b.mase), (Some(1.5), Some(-0.5), Some(0.75)));
        assert_eq!(b.mean_actual, Some(5.0));
        assert_eq!(naive_scale(&[1., 3., 2., 5.]), Some(2.0));
    }

    #[test]
    fn hand_computed_ses_backtest() {
        // 10, 12, 11, 15 with α = 0.2, holdout 2: forecasts 10.4 and 10.52
        // (see ses.rs) for 11 and 15 → errors −0.6, −4.48.
        // Scale on 10, 12: 2. MAE 2.54, bias −2.54, MASE 1.27.
        let b = backtest(&[10., 12., 11., 15.], Method::Ses, &params(), 2);
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-12;
        assert!(close(b.mae, 2.54) && close(b.bias, -2.54) && close(b.mase, 1.27), "{b:?}");
    }

    #[test]
    fn constant_series_has_zero_error_and_no_mase() {
        for method in Method::ALL {
            let p = ForecastParams { season: 4, ..params() };
            let b = backtest(&[5.0; 30], method, &p, 13);
            // Every method but SBA forecasts a constant exactly; SBA deflates
            // Croston by α/2 = 5 % whether or not demand is intermittent.
            let error: f64 = if method == Method::Sba { -0.25 } else { 0.0 };
            let expected = (13, Some(error.abs()), Some(error));
            assert_eq!((b.origins, b.mae, b.bias), expected, "{method:?}");
            // A constant history has a naive scale of 0: MASE undefined.
            assert_eq!(b.mase, None, "{method:?}");
        }
    }

    #[test]
    fn empty_and_all_zero_series_never_panic() {
        for method in Method::ALL {
            for series in [&[][..], &[0.0][..], &[0.0; 20][..], &[3.0][..]] {
                for holdout in [0, 1, 13, 100] {
                    let b = backtest(series, method, &params(), holdout);
                    assert!(b.holdout < series.len().max(1), "{method:?} {series:?}");
                    if series.iter().all(|x| *x == 0.0) && b.origins > 0 {
                        assert_eq!((b.mae, b.bias), (Some(0.0), Some(0.0)));
                    }
                }
            }
        }
        assert_eq!(backtest(&[], Method::Ses, &params(), 13), Backtest::default());
    }

    #[test]
    fn holdout_is_clipped_to_leave_one_bucket_of_history() {
        let b = backtest(&[1., 2., 4.], Method::Ses, &params(), 13);
        assert_eq!((b.holdout, b.origins), (2, 2));
        // Only one bucket before the holdout: no MASE scale.
        assert_eq!(b.mase, None);
    }

    #[test]
    fn origins_without_a_forecast_are_skipped() {
        // Seasonal naive with m = 4 on 6 buckets, holdout 3: the origin at
        // t = 3 has no season behind it.
        let p = ForecastParams { season: 4, ..params() };
        let b = backtest(&[1., 2., 3., 4., 1., 2.], Method::SeasonalNaive, &p, 3);
        assert_eq!((b.holdout, b.origins, b.mae), (3, 2, Some(0.0)));
    }
}
