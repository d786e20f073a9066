//! Forecasting per segment: five simple methods with fixed parameters, a
//! default method per demand pattern, a rolling-origin backtest and the list
//! of A items whose forecasts are persistently biased.
//!
//! The methods are the ones a planner can check by hand or in a spreadsheet:
//! simple exponential smoothing ([`ses`]), Holt's linear trend ([`holt`]),
//! seasonal naive ([`seasonal_naive`]), and Croston and the Syntetos–Boylan
//! approximation for intermittent demand ([`croston`]). Parameters are fixed,
//! not fitted: `α` 0.2 for SES and Holt's level, `β` 0.1 for Holt's trend,
//! `α` 0.1 for Croston and SBA (R forecast's default), and the season from
//! the bucket ([`season_length`]). Each module documents its initialisation;
//! all of them start from the earliest values only, so the fitted value of a
//! bucket is exactly the forecast that would have been made from the buckets
//! before it.
//!
//! The pipeline step [`build`] picks each SKU's method (the segment's override
//! from [`crate::config::ForecastConfig::methods`], else [`default_method`]
//! of its pattern), forecasts the next bucket and backtests the method over
//! the last `holdout` buckets ([`backtest`]); [`bias_exceptions`] lists the A
//! items whose backtest bias exceeds the threshold.

pub mod backtest;
pub mod croston;
pub mod holt;
pub mod seasonal_naive;
pub mod ses;

use crate::classify::abc::AbcClass;
use crate::classify::pattern::Pattern;
use crate::classify::SkuClass;
use crate::config::{Bucket, Config};
use crate::demand::Demand;
use backtest::Backtest;
use serde::{Deserialize, Serialize};

/// A forecasting method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Simple exponential smoothing.
    Ses,
    /// Holt's linear trend method.
    Holt,
    /// The same bucket one season earlier.
    SeasonalNaive,
    /// Croston's method (sizes and intervals smoothed separately).
    Croston,
    /// Croston × (1 − α/2), the Syntetos–Boylan approximation.
    Sba,
}

impl Method {
    /// Every method, in declaration order.
    pub const ALL: [Method; 5] =
        [Method::Ses, Method::Holt, Method::SeasonalNaive, Method::Croston, Method::Sba];

    /// The name used in configuration and files.
    pub fn name(self) -> &'static str {
        match self {
            Method::Ses => "ses",
            Method::Holt => "holt",
            Method::SeasonalNaive => "seasonal_naive",
            Method::Croston => "croston",
            Method::Sba => "sba",
        }
    }
}

/// The method a demand pattern gets unless its segment overrides it.
///
/// - **smooth, erratic → SES.** Demand arrives in (almost) every bucket, so
///   Croston's interval estimate stays near 1 and Croston reduces to SES on
///   the sizes, while SBA's factor `1 − α/2` would pull every forecast down
///   by a fixed 5 % with no zero buckets to correct for. Erratic sizes are a
///   reason for a small `α`, not for another method.
/// - **intermittent, lumpy → SBA.** With many empty buckets SES drops toward
///   zero after each of them and jumps after each demand, so its forecast
///   right after a demand overshoots; Croston separates size from interval
///   but is biased upward, and SBA removes that bias (Syntetos & Boylan
///   2005). The pattern cut-offs themselves (ADI 1.32, CV² 0.49, SPEC §3.3)
///   come from the same authors' comparison of these estimators.
/// - **none → SES.** Without demand every method forecasts 0; SES is the
///   simplest to explain.
///
/// Holt and seasonal naive are never chosen by default: a trend or a season
/// estimated on a few noisy SKU buckets is more often noise than signal, and
/// a spurious trend is extrapolated over the whole horizon. Segments where
/// trend or seasonality is known take them by override.
pub fn default_method(pattern: Pattern) -> Method {
    match pattern {
        Pattern::Smooth | Pattern::Erratic | Pattern::None => Method::Ses,
        Pattern::Intermittent | Pattern::Lumpy => Method::Sba,
    }
}

/// The season length of a bucket: 52 weeks, 12 months or 7 days (the weekly
/// cycle of daily demand).
pub fn season_length(bucket: Bucket) -> usize {
    match bucket {
        Bucket::Day => 7,
        Bucket::Week => 52,
        Bucket::Month => 12,
    }
}

/// The fixed parameters of the methods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastParams {
    /// Number of future buckets to forecast.
    pub horizon: usize,
    /// SES smoothing constant and Holt's level constant (default 0.2).
    pub alpha: f64,
    /// Holt's trend constant (default 0.1).
    pub beta: f64,
    /// Croston's and SBA's constant for sizes and intervals (default 0.1,
    /// R forecast's `croston` default).
    pub croston_alpha: f64,
    /// Season length in buckets for seasonal naive (default 52, weekly
    /// buckets; see [`season_length`]).
    pub season: usize,
}

impl Default for ForecastParams {
    fn default() -> Self {
        ForecastParams { horizon: 1, alpha: 0.2, beta: 0.1, croston_alpha: 0.1, season: 52 }
    }
}

impl ForecastParams {
    /// The configuration's constants, the season of its bucket, and a
    /// horizon of one bucket.
    pub fn from_config(config: &Config) -> ForecastParams {
        let f = &config.forecast;
        ForecastParams {
            horizon: 1,
            alpha: f.alpha,
            beta: f.beta,
            croston_alpha: f.croston_alpha,
            season: season_length(config.bucket),
        }
    }
}

/// A method's forecast of one series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Point forecasts per bucket for the next `horizon` buckets; empty when
    /// the series is too short for the method (empty, or less than one
    /// season for seasonal naive).
    pub points: Vec<f64>,
    /// `fitted[t]`: the one-step-ahead forecast of bucket `t` made from the
    /// buckets before it; `None` where the method had no forecast yet. Same
    /// length as the series.
    pub fitted: Vec<Option<f64>>,
}

/// Forecasts `series` with `method`.
///
/// Never panics: an empty series gives no points and no fitted values, a
/// series without demand gives zeros.
///
/// # Example
/// ```
/// use segscope_core::forecast::{forecast, ForecastParams, Method};
/// let params = ForecastParams { horizon: 2, ..ForecastParams::default() };
/// let f = forecast(&[10.0, 12.0], Method::Ses, &params);
/// assert_eq!(f.points, vec![10.4, 10.4]); // 0.2 × 12 + 0.8 × 10
/// assert!(forecast(&[], Method::Sba, &params).points.is_empty());
/// assert_eq!(forecast(&[0.0; 3], Method::Sba, &params).points, vec![0.0, 0.0]);
/// ```
pub fn forecast(series: &[f64], method: Method, params: &ForecastParams) -> Forecast {
    let h = params.horizon;
    match method {
        Method::Ses => ses::ses(series, params.alpha, h),
        Method::Holt => holt::holt(series, params.alpha, params.beta, h),
        Method::SeasonalNaive => seasonal_naive::seasonal_naive(series, params.season, h),
        Method::Croston => croston::croston(series, params.croston_alpha, h),
        Method::Sba => croston::sba(series, params.croston_alpha, h),
    }
}

/// One SKU's forecast and backtest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuForecast {
    /// SKU number in [`crate::Dataset::skus`].
    pub sku: u32,
    /// The SKU's segment label.
    pub segment: String,
    /// The method used.
    pub method: Method,
    /// Whether the method came from the segment's override rather than
    /// [`default_method`].
    pub overridden: bool,
    /// Forecast demand of the bucket after the horizon; `None` when the
    /// method has none (see [`Forecast::points`]).
    pub next: Option<f64>,
    /// `d`: the SKU's mean bucket demand over the horizon (SPEC §4's
    /// `mean_demand`), the yardstick of relative bias.
    pub mean_demand: f64,
    /// The rolling-origin backtest over the configured holdout.
    pub backtest: Backtest,
}

/// The forecasting stage: one [`SkuForecast`] per SKU of `demand.skus`, with
/// `classes` in the same order.
///
/// Each SKU is forecast on its raw bucket demand (not decayed, not capped:
/// the backtest must judge the forecast against what was really ordered).
/// The method is the segment's entry in `config.forecast.methods`, else
/// [`default_method`] of the SKU's pattern.
pub fn build(demand: &Demand, classes: &[SkuClass], config: &Config) -> Vec<SkuForecast> {
    build_labelled(demand, classes.iter().map(|c| (c.segment.as_str(), c.pattern.pattern)), config)
}

/// [`build`] over (segment, pattern) labels per SKU.
fn build_labelled<'a>(
    demand: &Demand,
    labels: impl IntoIterator<Item = (&'a str, Pattern)>,
    config: &Config,
) -> Vec<SkuForecast> {
    let params = ForecastParams::from_config(config);
    let series = &demand.series;
    demand
        .skus
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(row, (summary, (segment, pattern)))| {
            let values = series.demand.get(row * series.n..(row + 1) * series.n).unwrap_or(&[]);
            let chosen = config.forecast.methods.get(segment).copied();
            let method = chosen.unwrap_or_else(|| default_method(pattern));
            let f = forecast(values, method, &params);
            SkuForecast {
                sku: summary.sku,
                segment: segment.to_owned(),
                method,
                overridden: chosen.is_some(),
                next: f.points.first().copied(),
                mean_demand: summary.mean_demand,
                backtest: backtest::evaluate(values, &f.fitted, config.forecast.holdout),
            }
        })
        .collect()
}

/// An A item whose backtest shows a persistent forecast bias.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasException {
    /// SKU number in [`crate::Dataset::skus`].
    pub sku: u32,
    /// Its segment label.
    pub segment: String,
    /// The method that is biased.
    pub method: Method,
    /// Mean error over the holdout, forecast − actual (positive =
    /// over-forecast).
    pub bias: f64,
    /// The SKU's mean bucket demand `d`.
    pub mean_demand: f64,
    /// `bias / d`, signed.
    pub relative_bias: f64,
    /// Forecasts the bias is averaged over.
    pub origins: usize,
}

/// The A items whose forecasts are persistently biased: `|bias| / d >
/// threshold`, with `bias` the mean error over every origin of the backtest
/// (a one-off miss is diluted by the holdout length, a systematic one is
/// not) and `d` the SKU's mean bucket demand over the whole horizon (SPEC §4's
/// `mean_demand`), which is defined for every SKU that ever had demand.
/// SKUs without a backtest or without demand are never listed.
///
/// `forecasts` and `abc` are in the same SKU order (as [`build`] and
/// [`crate::classify::classify`] return them). The list is sorted by
/// `|relative bias|`, largest first.
///
/// # Example
/// ```
/// use segscope_core::classify::abc::AbcClass;
/// use segscope_core::forecast::{backtest::Backtest, bias_exceptions, Method, SkuForecast};
/// let sku = |sku, bias| SkuForecast {
///     sku, segment: "AX".into(), method: Method::Ses, overridden: false, next: Some(10.0),
///     mean_demand: 10.0, backtest: Backtest { bias: Some(bias), origins: 13, ..Backtest::default() },
/// };
/// let forecasts = [sku(0, 3.0), sku(1, -1.0), sku(2, 5.0)];
/// let list = bias_exceptions(&forecasts, &[AbcClass::A, AbcClass::A, AbcClass::B], 0.2);
/// assert_eq!(list.len(), 1); // SKU 1 is within 10 %, SKU 2 is not an A item.
/// assert_eq!((list[0].sku, list[0].relative_bias), (0, 0.3));
/// ```
pub fn bias_exceptions(
    forecasts: &[SkuForecast],
    abc: &[AbcClass],
    threshold: f64,
) -> Vec<BiasException> {
    let mut list: Vec<BiasException> = forecasts
        .iter()
        .zip(abc)
        .filter(|(_, class)| **class == AbcClass::A)
        .filter_map(|(f, _)| {
            let bias = f.backtest.bias?;
            let d = f.mean_demand;
            let relative_bias = bias / d;
            (d > 0.0 && relative_bias.abs() > threshold).then(|| BiasException {
                sku: f.sku,
                segment: f.segment.clone(),
                method: f.method,
                bias,
                mean_demand: d,
                relative_bias,
                origins: f.backtest.origins,
            })
        })
        .collect();
    list.sort_by(|a, b| b.relative_bias.abs().total_cmp(&a.relative_bias.abs()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ForecastConfig;
    use crate::date::Date;
    use crate::demand::{DemandSeries, SkuSummary};

    #[test]
    fn method_names_are_snake_case_in_json() {
        for (method, name) in [
            (Method::Ses, "ses"),
            (Method::Holt, "holt"),
            (Method::SeasonalNaive, "seasonal_naive"),
            (Method::Croston, "croston"),
            (Method::Sba, "sba"),
        ] {
            assert_eq!(serde_json::to_string(&method).unwrap(), format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Method>(&format!("\"{name}\"")).unwrap(), method);
            assert_eq!(method.name(), name);
        }
    }

    #[test]
    fn frequent_patterns_take_ses_and_infrequent_ones_sba() {
        for (pattern, method) in [
            (Pattern::Smooth, Method::Ses),
            (Pattern::Erratic, Method::Ses),
            (Pattern::Intermittent, Method::Sba),
            (Pattern::Lumpy, Method::Sba),
            (Pattern::None, Method::Ses),
        ] {
            assert_eq!(default_method(pattern), method, "{pattern:?}");
        }
    }

    #[test]
    fn seasons_follow_the_bucket() {
        assert_eq!(season_length(Bucket::Week), 52);
        assert_eq!(season_length(Bucket::Month), 12);
        assert_eq!(season_length(Bucket::Day), 7);
    }

    /// Series of different shapes: smooth, trending, intermittent, lumpy
    /// with a long zero tail, seasonal with m = 4.
    fn shapes() -> Vec<Vec<f64>> {
        vec![
            vec![10., 12., 11., 15., 9., 13., 12., 14.],
            vec![2., 5., 7., 8., 12., 13., 17., 20., 19., 25.],
            vec![0., 0., 2., 7., 0., 0., 0., 5., 0., 0., 0., 0., 3.],
            vec![0., 30., 0., 0., 1., 0., 0., 0., 0., 0., 0.],
            vec![1., 5., 9., 2., 1., 6., 8., 3., 2., 5., 9., 2.],
        ]
    }

    #[test]
    fn fitted_values_are_rolling_origin_forecasts() {
        // The backtest reads fitted values instead of refitting at every
        // origin; that is only sound if they are the same numbers.
        let params = ForecastParams { season: 4, ..ForecastParams::default() };
        for series in shapes() {
            for method in Method::ALL {
                let full = forecast(&series, method, &params);
                assert_eq!(full.fitted.len(), series.len());
                for t in 0..series.len() {
                    let prefix = forecast(&series[..t], method, &params);
                    assert_eq!(
                        full.fitted[t],
                        prefix.points.first().copied(),
                        "{method:?} t={t} {series:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_and_all_zero_series_never_panic() {
        let params = ForecastParams { horizon: 3, season: 4, ..ForecastParams::default() };
        for method in Method::ALL {
            let f = forecast(&[], method, &params);
            assert!(f.points.is_empty() && f.fitted.is_empty(), "{method:?}");
            let f = forecast(&[0.0; 8], method, &params);
            assert_eq!(f.points, vec![0.0; 3], "{method:?}");
            assert!(f.fitted.iter().flatten().all(|v| *v == 0.0), "{method:?}");
        }
    }

    #[test]
    fn horizon_sets_the_number_of_points() {
        for method in Method::ALL {
            for horizon in [0, 1, 5] {
                let params = ForecastParams { horizon, season: 4, ..ForecastParams::default() };
                let f = forecast(&shapes()[4], method, &params);
                assert_eq!(f.points.len(), horizon, "{method:?}");
            }
        }
    }

    /// A demand stage over the given rows.
    fn demand(rows: &[Vec<f64>]) -> Demand {
        let n = rows.first().map_or(0, Vec::len);
        let skus = rows
            .iter()
            .enumerate()
            .map(|(i, row)| SkuSummary {
                sku: i as u32,
                revenue: 0.0,
                margin: 0.0,
                quantity: row.iter().sum(),
                order_lines: 0,
                unit_cost: None,
                mean_demand: row.iter().sum::<f64>() / n as f64,
                std_demand: 0.0,
            })
            .collect();
        Demand {
            series: DemandSeries {
                bucket: Bucket::Week,
                start: Date(0),
                n,
                skus: (0..rows.len() as u32).collect(),
                demand: rows.concat(),
            },
            skus,
            line_unit_cost: Vec::new(),
        }
    }

    #[test]
    fn segment_overrides_win_over_the_pattern_default() {
        let rows = [vec![4.0; 20], [0., 3., 0., 0., 3., 0., 0., 0., 3., 0.].repeat(2)];
        let d = demand(&rows);
        let mut config = Config::default();
        let labels = [("AX", Pattern::Smooth), ("CZ", Pattern::Intermittent)];
        let f = build_labelled(&d, labels, &config);
        assert_eq!((f[0].method, f[0].overridden), (Method::Ses, false));
        assert_eq!((f[1].method, f[1].overridden), (Method::Sba, false));
        assert_eq!(f[0].next, Some(4.0));
        assert_eq!((f[0].backtest.origins, f[0].backtest.mae), (13, Some(0.0)));

        config.forecast =
            ForecastConfig { methods: [("CZ".into(), Method::Croston)].into(), ..config.forecast };
        let f = build_labelled(&d, labels, &config);
        assert_eq!((f[1].method, f[1].overridden), (Method::Croston, true));
        let croston = croston::croston(&rows[1], 0.1, 1).points[0];
        assert_eq!(f[1].next, Some(croston));
        assert_eq!(f[1].segment, "CZ");
    }

    #[test]
    fn build_without_skus_or_buckets_is_empty() {
        assert!(build_labelled(&demand(&[]), [], &Config::default()).is_empty());
        let f = build_labelled(&demand(&[vec![]]), [("AX", Pattern::None)], &Config::default());
        assert_eq!((f[0].next, f[0].backtest), (None, Backtest::default()));
    }

    fn sku_forecast(sku: u32, bias: Option<f64>, mean_demand: f64) -> SkuForecast {
        SkuForecast {
            sku,
            segment: "AY".into(),
            method: Method::Ses,
            overridden: false,
            next: None,
            mean_demand,
            backtest: Backtest { bias, origins: 13, ..Backtest::default() },
        }
    }

    #[test]
    fn bias_exceptions_list_only_biased_a_items_largest_first() {
        use AbcClass::{A, B, C};
        let forecasts = [
            sku_forecast(0, Some(2.5), 10.0),  // +25 %: listed
            sku_forecast(1, Some(-4.0), 10.0), // −40 %: listed first
            sku_forecast(2, Some(2.0), 10.0),  // exactly 20 %: not above the threshold
            sku_forecast(3, Some(9.0), 10.0),  // B item
            sku_forecast(4, Some(9.0), 10.0),  // C item
            sku_forecast(5, None, 10.0),       // no backtest
            sku_forecast(6, Some(0.0), 0.0),   // no demand
        ];
        let list = bias_exceptions(&forecasts, &[A, A, A, B, C, A, A], 0.2);
        let got: Vec<(u32, f64)> = list.iter().map(|e| (e.sku, e.relative_bias)).collect();
        assert_eq!(got, vec![(1, -0.4), (0, 0.25)]);
        assert_eq!(list[0].origins, 13);
    }

    #[test]
    fn a_falling_a_item_is_a_bias_exception_end_to_end() {
        // Demand halves for the last 13 weeks: SES keeps over-forecasting.
        let mut row = vec![20.0; 39];
        row.extend([10.0; 13]);
        let d = demand(&[row, vec![15.0; 52]]);
        let f = build_labelled(
            &d,
            [("AX", Pattern::Smooth), ("AX", Pattern::Smooth)],
            &Config::default(),
        );
        let list = bias_exceptions(&f, &[AbcClass::A, AbcClass::A], 0.2);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].sku, 0);
        assert!(list[0].bias > 0.0, "{:?}", list[0]);
    }
}
