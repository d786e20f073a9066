//! Seasonal naive: each future bucket repeats the same bucket one season
//! earlier, `x̂_{n+h} = x_{n+h−m⌈h/m⌉}`.
//!
//! The season `m` is a parameter (52 weeks, 12 months or 7 days by default,
//! see [`super::season_length`]). Before one full season has been observed
//! there is nothing to repeat: no points, and no fitted value for the first
//! `m` buckets. A season of 0 is read as 1, the plain naive forecast.

use super::Forecast;

/// Seasonal naive with season length `season` over `series`, forecasting
/// `horizon` buckets.
///
/// # Example
/// ```
/// use segscope_core::forecast::seasonal_naive::seasonal_naive;
/// let f = seasonal_naive(&[1.0, 2.0, 3.0, 4.0, 5.0], 3, 4);
/// assert_eq!(f.points, vec![3.0, 4.0, 5.0, 3.0]);
/// assert_eq!(f.fitted, vec![None, None, None, Some(1.0), Some(2.0)]);
/// ```
pub fn seasonal_naive(series: &[f64], season: usize, horizon: usize) -> Forecast {
    let m = season.max(1);
    let n = series.len();
    let fitted = (0..n).map(|t| t.checked_sub(m).map(|s| series[s])).collect();
    let points =
        if n >= m { (0..horizon).map(|h| series[n - m + h % m]).collect() } else { Vec::new() };
    Forecast { points, fitted }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(series: &[f64], season: usize, horizon: usize, points: &[f64]) {
        assert_eq!(seasonal_naive(series, season, horizon).points, points, "{series:?} m={season}");
    }

    #[test]
    fn repeats_the_last_season() {
        // Two quarters of a 4-bucket season: the second quarter repeats.
        check(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 4, 6, &[5.0, 6.0, 7.0, 8.0, 5.0, 6.0]);
        // Exactly one season is enough.
        check(&[1.0, 0.0, 2.0], 3, 3, &[1.0, 0.0, 2.0]);
        // Season 1 and season 0 are the naive forecast.
        check(&[3.0, 9.0], 1, 2, &[9.0, 9.0]);
        check(&[3.0, 9.0], 0, 2, &[9.0, 9.0]);
    }

    #[test]
    fn less_than_one_season_forecasts_nothing() {
        check(&[1.0, 2.0], 3, 2, &[]);
        check(&[], 52, 1, &[]);
        assert_eq!(seasonal_naive(&[1.0, 2.0], 3, 1).fitted, vec![None, None]);
    }
}
