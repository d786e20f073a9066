//! From per-SKU figures to the feature matrix k-means sees: transform,
//! fill what is missing, z-score.

use super::SkuFeatures;
use crate::config::Feature;
use serde::{Deserialize, Serialize};

/// `sign(x) · ln(1 + |x|)`: `ln(1 + x)` for the non-negative values SPEC §3.5
/// names, and still defined for net-negative revenue or margin (returns
/// larger than sales), where `ln(1 + x)` would be NaN.
pub fn signed_log(x: f64) -> f64 {
    x.signum() * x.abs().ln_1p()
}

/// The inverse of [`signed_log`].
pub fn signed_exp(y: f64) -> f64 {
    y.signum() * y.abs().exp_m1()
}

impl Feature {
    /// Whether the feature is a [`signed_log`] of a figure, so that its
    /// centroid maps back to original units through [`signed_exp`].
    pub fn is_log(self) -> bool {
        matches!(
            self,
            Feature::LogRevenue
                | Feature::LogMargin
                | Feature::LogQuantity
                | Feature::LogOrderLines
        )
    }

    /// A feature value (in the feature's own units, e.g. log) mapped back
    /// to the figure's original units (currency, lines, a ratio).
    pub fn to_original_units(self, value: f64) -> f64 {
        if self.is_log() {
            signed_exp(value)
        } else {
            value
        }
    }
}

/// The features of every SKU, row-major (`n × d`), with missing values filled.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureMatrix {
    /// Row `i` holds SKU `i`'s features, in the configured order.
    pub values: Vec<f64>,
    /// Number of features `d`.
    pub d: usize,
    /// Per feature, how many SKUs had no value and were filled.
    pub filled: Vec<usize>,
}

/// Builds the feature matrix.
///
/// A value can be missing: `cv` when the mean demand is 0, `adi` and `cv2`
/// when the SKU has no bucket with demand, `margin_rate` when revenue is not
/// positive, and any figure that is not finite. Missing values are filled so
/// that nothing non-finite ever reaches k-means:
///
/// - `cv`, `cv2`: the largest value observed among the other SKUs (0 if none
///   has one). A SKU without demand is the least predictable there is, but a
///   sentinel beyond the observed range would make it an outlier that the
///   z-scores and the clusters revolve around.
/// - `adi`: `buckets`, the number of buckets in the horizon — the value a SKU
///   with a single demand bucket would have, the largest `n / k` can be.
/// - `margin_rate`: 0; log features of a non-finite figure: 0.
pub fn matrix(skus: &[SkuFeatures], buckets: usize, features: &[Feature]) -> FeatureMatrix {
    let n = skus.len();
    let d = features.len();
    let mut values = vec![0.0; n * d];
    let mut filled = vec![0; d];
    for (j, &feature) in features.iter().enumerate() {
        let raw: Vec<Option<f64>> = skus.iter().map(|s| raw_value(s, feature)).collect();
        let fallback = match feature {
            Feature::Cv | Feature::Cv2 => raw.iter().flatten().copied().fold(0.0, f64::max),
            Feature::Adi => buckets as f64,
            _ => 0.0,
        };
        for (i, value) in raw.into_iter().enumerate() {
            values[i * d + j] = value.unwrap_or_else(|| {
                filled[j] += 1;
                fallback
            });
        }
    }
    FeatureMatrix { values, d, filled }
}

/// One SKU's value of a feature in the feature's units, `None` if missing.
fn raw_value(s: &SkuFeatures, feature: Feature) -> Option<f64> {
    let value = match feature {
        Feature::LogRevenue => Some(signed_log(s.revenue)),
        Feature::LogMargin => Some(signed_log(s.margin)),
        Feature::LogQuantity => Some(signed_log(s.quantity)),
        Feature::LogOrderLines => Some(signed_log(s.order_lines)),
        // A loss larger than the revenue counts as −100 %, so that a SKU with
        // almost no revenue does not stretch the scale for all the others.
        Feature::MarginRate => (s.revenue > 0.0).then(|| (s.margin / s.revenue).clamp(-1.0, 1.0)),
        Feature::Cv => s.cv,
        Feature::Cv2 => s.cv2,
        Feature::Adi => s.adi,
    };
    value.filter(|v| v.is_finite())
}

/// The mean and population standard deviation of each feature, used to
/// z-score it: `z = (x − mean) / std`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    /// Per feature, the mean over all SKUs.
    pub mean: Vec<f64>,
    /// Per feature, the population standard deviation, or 1 for a feature
    /// that is (numerically) constant, so that its z-scores are 0 rather
    /// than a division by zero.
    pub std: Vec<f64>,
}

impl Scaling {
    /// Fits the scaling to a matrix.
    pub fn fit(m: &FeatureMatrix) -> Scaling {
        let n = m.values.len().checked_div(m.d).unwrap_or(0);
        let mut mean = vec![0.0; m.d];
        let mut std = vec![1.0; m.d];
        if n == 0 {
            return Scaling { mean, std };
        }
        for j in 0..m.d {
            let column = (0..n).map(|i| m.values[i * m.d + j]);
            let mu = column.clone().sum::<f64>() / n as f64;
            let var = column.map(|x| (x - mu).powi(2)).sum::<f64>() / n as f64;
            mean[j] = mu;
            // A constant column's computed deviation is rounding noise, not
            // 0; dividing by it would blow that noise up to ±1.
            let sigma = var.sqrt();
            if sigma > 1e-12 * (1.0 + mu.abs()) {
                std[j] = sigma;
            }
        }
        Scaling { mean, std }
    }

    /// The z-scores of a matrix, row-major like it.
    pub fn apply(&self, m: &FeatureMatrix) -> Vec<f64> {
        let d = m.d;
        m.values.iter().enumerate().map(|(k, x)| (x - self.mean[k % d]) / self.std[k % d]).collect()
    }

    /// A point in z-space mapped back to feature units.
    pub fn invert(&self, z: &[f64]) -> Vec<f64> {
        z.iter().enumerate().map(|(j, v)| v * self.std[j] + self.mean[j]).collect()
    }
}
