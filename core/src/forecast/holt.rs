//! Holt's linear trend method.
//!
//! `l_t = α x_t + (1 − α)(l_{t−1} + b_{t−1})`,
//! `b_t = β (l_t − l_{t−1}) + (1 − β) b_{t−1}`, and bucket `h` ahead is
//! forecast at `l + h b`.
//!
//! Initialisation is the classic "simple" start of R's
//! `stats::HoltWinters(gamma = FALSE)`: `l_1 = x_1`, `b_1 = x_1 − x_0`, the
//! recursion running from the third bucket. With one observation the trend is
//! unknown and the forecast is that observation (no trend), so a one-bucket
//! prefix forecasts like SES and naive do. (R forecast's `holt(initial =
//! "simple")` instead restarts the recursion at `x_0` with `l_0 = x_0`,
//! `b_0 = x_1 − x_0`, feeding the first two values twice; the HoltWinters form
//! is the one textbooks tabulate.)
//!
//! Demand cannot be negative: every forecast, fitted values included, is
//! floored at 0, since a falling trend otherwise extrapolates below zero and a
//! planner would read that as "order nothing" anyway.

use super::Forecast;

/// Holt's method with level constant `alpha` and trend constant `beta` over
/// `series`, forecasting `horizon` buckets. An empty series gives no points.
///
/// # Example
/// ```
/// use segscope_core::forecast::holt::holt;
/// // A straight line is continued exactly, whatever the constants.
/// let f = holt(&[2.0, 4.0, 6.0, 8.0], 0.2, 0.1, 2);
/// assert_eq!(f.points, vec![10.0, 12.0]);
/// ```
pub fn holt(series: &[f64], alpha: f64, beta: f64, horizon: usize) -> Forecast {
    let mut fitted = Vec::with_capacity(series.len());
    // (level, trend); the trend is None until two values are known.
    let mut state: Option<(f64, Option<f64>)> = None;
    for &x in series {
        fitted.push(state.map(|(l, b)| (l + b.unwrap_or(0.0)).max(0.0)));
        state = Some(match state {
            None => (x, None),
            Some((l, None)) => (x, Some(x - l)),
            Some((l, Some(b))) => {
                // Error-correction form of the same recursion: a constant
                // series keeps b = 0 and its level exactly.
                let level = l + b + alpha * (x - l - b);
                let trend = b + beta * (level - l - b);
                (level, Some(trend))
            }
        });
    }
    let points = match state {
        None => Vec::new(),
        Some((l, b)) => {
            let b = b.unwrap_or(0.0);
            (1..=horizon).map(|h| (l + h as f64 * b).max(0.0)).collect()
        }
    };
    Forecast { points, fitted }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn hand_computed_recursion() {
        // 10, 12, 15, 17 with α = 0.2, β = 0.1 (by hand):
        //   l1 = 12, b1 = 2
        //   t2: fit 14;     l2 = 0.2 × 15 + 0.8 × 14    = 14.2
        //                   b2 = 0.1 × 2.2 + 0.9 × 2    = 2.02
        //   t3: fit 16.22;  l3 = 0.2 × 17 + 0.8 × 16.22 = 16.376
        //                   b3 = 0.1 × 2.176 + 0.9 × 2.02 = 2.0356
        //   forecasts 16.376 + h × 2.0356 = 18.4116, 20.4472, 22.4828
        let f = holt(&[10.0, 12.0, 15.0, 17.0], 0.2, 0.1, 3);
        assert!(close(&f.points, &[18.4116, 20.4472, 22.4828]), "{:?}", f.points);
        assert_eq!(f.fitted[..2], [None, Some(10.0)]);
        assert!((f.fitted[2].unwrap() - 14.0).abs() < 1e-12);
        assert!((f.fitted[3].unwrap() - 16.22).abs() < 1e-12);
    }

    #[test]
    fn straight_lines_are_continued_exactly() {
        for (alpha, beta) in [(0.2, 0.1), (0.5, 0.5), (1.0, 1.0), (0.05, 0.0)] {
            let f = holt(&[5.0, 8.0, 11.0, 14.0, 17.0], alpha, beta, 3);
            assert!(close(&f.points, &[20.0, 23.0, 26.0]), "α {alpha} β {beta}: {:?}", f.points);
        }
    }

    #[test]
    fn falling_trends_are_floored_at_zero() {
        let f = holt(&[9.0, 6.0, 3.0], 0.2, 0.1, 3);
        assert!(close(&f.points, &[0.0, 0.0, 0.0]), "{:?}", f.points);
    }

    #[test]
    fn short_series() {
        assert_eq!(holt(&[], 0.2, 0.1, 2).points, Vec::<f64>::new());
        assert_eq!(holt(&[4.0], 0.2, 0.1, 2).points, vec![4.0, 4.0]);
        assert_eq!(holt(&[4.0, 6.0], 0.2, 0.1, 2).points, vec![8.0, 10.0]);
    }
}
