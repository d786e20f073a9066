//! Classification of SKUs into segments (SPEC §3): ABC on value, XYZ on
//! predictability, Syntetos–Boylan demand patterns, and the segment label
//! that combines them.

pub mod abc;
pub mod pattern;
pub mod rules;
pub mod stability;
pub mod xyz;

use crate::config::{Config, Criterion};
use crate::dataset::Dataset;
use crate::demand::Demand;
use abc::AbcResult;
use pattern::PatternResult;
use serde::{Deserialize, Serialize};
use xyz::XyzClass;

/// Every classification figure of one SKU, in the order of
/// [`crate::demand::DemandSeries::skus`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuClass {
    /// The value ABC ranked by.
    pub criterion: f64,
    /// ABC result.
    pub abc: AbcResult,
    /// Mean of the (possibly decayed and capped) series XYZ used.
    pub xyz_mean: f64,
    /// Its coefficient of variation; `None` when the mean is 0.
    pub cv: Option<f64>,
    /// XYZ class.
    pub xyz: XyzClass,
    /// ADI, CV² and pattern.
    pub pattern: PatternResult,
    /// Buckets capped as outliers.
    pub capped_buckets: usize,
    /// The segment label (`AX` … `CZ`).
    pub segment: String,
}

/// The classification stage.
pub fn classify(data: &Dataset, demand: &Demand, config: &Config) -> Vec<SkuClass> {
    let series = &demand.series;
    let criterion: Vec<f64> = demand
        .skus
        .iter()
        .map(|s| match config.abc.criterion {
            Criterion::Revenue => s.revenue,
            Criterion::Margin => s.margin,
            Criterion::Quantity => s.quantity,
            Criterion::OrderLines => s.order_lines as f64,
        })
        .collect();
    let codes: Vec<&str> = series.skus.iter().map(|&s| data.skus.name(s)).collect();
    let abc = abc::classify(&criterion, &codes, config.abc.a_cut, config.abc.b_cut);

    let cap = config.xyz.cap_outliers;
    let baseline = if cap && !data.lines.promo.is_empty() {
        demand_without_promo(data, demand)
    } else {
        series.demand.clone()
    };
    let weights = config.xyz.half_life.map(|h| xyz::decay_weights(series.n, h));
    (0..series.skus.len())
        .map(|row| {
            let mut values = baseline[row * series.n..(row + 1) * series.n].to_vec();
            let capped_buckets = if cap { xyz::cap_outliers(&mut values) } else { 0 };
            let moments = crate::stats::mean_std(&values, weights.as_deref());
            let cv = xyz::cv(&values, weights.as_deref());
            let xyz = xyz::class(cv, config.xyz.x_cut, config.xyz.y_cut);
            let abc = abc[row];
            SkuClass {
                criterion: criterion[row],
                abc,
                xyz_mean: moments.map_or(0.0, |m| m.0),
                cv,
                xyz,
                pattern: pattern::classify(&values),
                capped_buckets,
                segment: format!("{}{}", abc.class, xyz),
            }
        })
        .collect()
}

/// The demand matrix without promotion lines (SPEC §2: with capping on, promo
/// lines are left out of XYZ and pattern figures).
fn demand_without_promo(data: &Dataset, demand: &Demand) -> Vec<f64> {
    let series = &demand.series;
    let rows = series.rows_by_sku(data.skus.len());
    let mut matrix = vec![0.0; series.demand.len()];
    let lines = &data.lines;
    for i in 0..lines.len() {
        let q = lines.quantity[i];
        if q > 0.0 && !lines.is_promo(i) {
            let row = rows[lines.sku[i] as usize] as usize;
            matrix[row * series.n + series.bucket_of(lines.date[i])] += q;
        }
    }
    matrix
}

/// Counts of SKUs per ABC × XYZ cell, rows A, B, C and columns X, Y, Z.
pub fn matrix_counts(classes: &[SkuClass]) -> [[usize; 3]; 3] {
    let mut m = [[0; 3]; 3];
    for c in classes {
        m[c.abc.class as usize][c.xyz as usize] += 1;
    }
    m
}
