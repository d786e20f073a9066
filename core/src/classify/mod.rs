//! Classification of SKUs into segments (SPEC §3): ABC on value, XYZ on
//! predictability, Syntetos–Boylan demand patterns, and the segment label
//! that combines them.

pub mod abc;
pub mod cluster;
pub mod explain;
pub mod pattern;
pub mod rules;
pub mod stability;
pub mod stress;
pub mod xyz;

use crate::config::{Config, Criterion};
use crate::dataset::Dataset;
use crate::demand::Demand;
use abc::AbcResult;
use pattern::PatternResult;
use serde::{Deserialize, Serialize};
use stability::PreviousRun;
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
    /// The segment label (`AX` … `CZ`, or a rule's label).
    pub segment: String,
    /// The rule (or `hysteresis`) that changed the computed class, if any.
    pub rule: Option<String>,
    /// What it changed, in words.
    pub reason: Option<String>,
}

/// The SKUs of `classes` in ABC rank order (criterion descending, ties by
/// code; the order of `skus.csv`): each put at its rank, which
/// [`abc::classify`] numbers `0..n`, in one pass. Sorting by rank instead
/// read the classes at random twice a comparison (issue #7: every big
/// view starts with this order). Ranks that are not such a numbering are
/// sorted, ties in table order.
pub fn rank_order(classes: &[SkuClass]) -> Vec<usize> {
    let mut order = vec![usize::MAX; classes.len()];
    for (row, class) in classes.iter().enumerate() {
        match order.get_mut(class.abc.rank) {
            Some(at) if *at == usize::MAX => *at = row,
            _ => {
                let mut order: Vec<usize> = (0..classes.len()).collect();
                order.sort_by_key(|&r| classes[r].abc.rank);
                return order;
            }
        }
    }
    order
}

/// The classification stage: computed classes, then hysteresis against
/// `previous` (if given), then the configuration's rules.
pub fn classify(
    data: &Dataset,
    demand: &Demand,
    config: &Config,
    previous: Option<&PreviousRun>,
) -> Vec<SkuClass> {
    classify_reusing(data, demand, config, previous, None)
}

/// [`classify`], taking each SKU's variability figures — the mean and cv
/// XYZ used, the buckets capped, ADI, CV² and pattern — from `reuse`:
/// classes of the same demand series under the same half-life and outlier
/// capping, on which alone those figures depend (the cuts, the ABC
/// settings, the rules and `previous` may differ). The result equals
/// [`classify`]'s; an A-cut change then skips a pass over every SKU's
/// series.
pub fn classify_reusing(
    data: &Dataset,
    demand: &Demand,
    config: &Config,
    previous: Option<&PreviousRun>,
    reuse: Option<&[SkuClass]>,
) -> Vec<SkuClass> {
    let series = &demand.series;
    let reuse = reuse.filter(|r| r.len() == series.skus.len());
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
    // Borrowed unless promotions are taken out: a copy of the SKU × bucket
    // matrix is 41 MB at 1M lines (49,256 SKUs × 104 weeks).
    let baseline: std::borrow::Cow<[f64]> = if reuse.is_some() {
        std::borrow::Cow::Borrowed(&[])
    } else if cap && !data.lines.promo.is_empty() {
        std::borrow::Cow::Owned(demand_without_promo(data, demand))
    } else {
        std::borrow::Cow::Borrowed(&series.demand)
    };
    let weights = config.xyz.half_life.map(|h| xyz::decay_weights(series.n, h));
    // The demand stage's mean and deviation of each series (its
    // `mean_std`) are the XYZ moments when the series is read as it is:
    // not capped, promotions left in, no decay weights.
    let summary_moments = !cap
        && weights.is_none()
        && matches!(&baseline, std::borrow::Cow::Borrowed(b) if std::ptr::eq(*b, series.demand.as_slice()));
    // What the rules read; without rules nothing does (a pass over every
    // order line saved).
    let (products, strategic_buyers) = if config.rules.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (data.product_index(), sold_to_strategic_customer(data, demand))
    };
    (0..series.skus.len())
        .map(|row| {
            let figures = match reuse.and_then(|r| r.get(row)) {
                Some(p) => (p.capped_buckets, p.xyz_mean, p.cv, p.pattern),
                None => {
                    let from = (row * series.n).min(baseline.len());
                    let to = (from + series.n).min(baseline.len());
                    // A copy only to cap: the series is read as it is otherwise.
                    let mut values = std::borrow::Cow::Borrowed(&baseline[from..to]);
                    let capped = if cap { xyz::cap_outliers(values.to_mut()) } else { 0 };
                    let moments = match demand.skus.get(row) {
                        Some(s) if summary_moments && series.n > 0 => {
                            Some((s.mean_demand, s.std_demand))
                        }
                        _ => crate::stats::mean_std(&values, weights.as_deref()),
                    };
                    let cv = xyz::cv_of(moments);
                    (capped, moments.map_or(0.0, |m| m.0), cv, pattern::classify(&values))
                }
            };
            let (capped_buckets, xyz_mean, cv, pattern) = figures;
            let mut xyz = xyz::class(cv, config.xyz.x_cut, config.xyz.y_cut);
            let mut abc = abc[row];
            let code = codes[row];
            let mut changed = None;
            if let Some(&(prev_abc, prev_xyz, _)) = previous.and_then(|p| p.skus.get(code)) {
                let (raw_abc, raw_xyz) = (abc.class, xyz);
                let st = &config.stability;
                if let Some(prev) = prev_abc {
                    let cuts = (config.abc.a_cut, config.abc.b_cut);
                    abc.class = stability::abc_with_hysteresis(
                        raw_abc,
                        prev,
                        abc.cumulative_before,
                        cuts,
                        st.abc_band,
                    );
                }
                if let Some(prev) = prev_xyz {
                    let cuts = (config.xyz.x_cut, config.xyz.y_cut);
                    xyz = stability::xyz_with_hysteresis(raw_xyz, prev, cv, cuts, st.xyz_band);
                }
                if (abc.class, xyz) != (raw_abc, raw_xyz) {
                    let reason = format!(
                        "hysteresis kept {}{} (computed {raw_abc}{raw_xyz} lies within the band \
                         around a cut)",
                        abc.class, xyz
                    );
                    changed = Some(("hysteresis".to_owned(), reason));
                }
            }
            let s = &demand.skus[row];
            let facts = rules::Facts {
                sku: code,
                product: products
                    .get(s.sku as usize)
                    .copied()
                    .flatten()
                    .and_then(|i| data.products.get(i as usize)),
                sold_to_strategic_customer: strategic_buyers.get(row).copied().unwrap_or(false),
                revenue: s.revenue,
                order_lines: s.order_lines,
            };
            let computed =
                rules::Classes { abc: abc.class, xyz, segment: segment_label(abc.class, xyz) };
            let (ruled, by_rule) = rules::apply(&config.rules, &facts, computed);
            abc.class = ruled.abc;
            let (rule, reason) = by_rule.or(changed).unzip();
            SkuClass {
                criterion: criterion[row],
                abc,
                xyz_mean,
                cv,
                xyz: ruled.xyz,
                pattern,
                capped_buckets,
                segment: ruled.segment,
                rule,
                reason,
            }
        })
        .collect()
}

/// For every row of the series, whether the SKU was sold to a customer
/// flagged strategic in the customers file.
fn sold_to_strategic_customer(data: &Dataset, demand: &Demand) -> Vec<bool> {
    let customers = data.customer_index();
    let strategic: Vec<bool> = customers
        .iter()
        .map(|c| c.is_some_and(|i| data.customer_info[i as usize].strategic == Some(true)))
        .collect();
    let rows = demand.series.rows_by_sku(data.skus.len());
    let mut sold = vec![false; demand.series.skus.len()];
    for i in 0..data.lines.len() {
        if data.lines.quantity[i] > 0.0 && strategic[data.lines.customer[i] as usize] {
            sold[rows[data.lines.sku[i] as usize] as usize] = true;
        }
    }
    sold
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

/// The segment label of an ABC and an XYZ class, `AX` to `CZ`: written
/// letter by letter, as `format!("{abc}{xyz}")` would, without the
/// formatting machinery (once per SKU in every classification).
pub fn segment_label(abc: abc::AbcClass, xyz: XyzClass) -> String {
    let mut label = String::with_capacity(2);
    label.push(abc.letter());
    label.push(xyz.letter());
    label
}

/// Counts of SKUs per ABC × XYZ cell, rows A, B, C and columns X, Y, Z.
pub fn matrix_counts(classes: &[SkuClass]) -> [[usize; 3]; 3] {
    let mut m = [[0; 3]; 3];
    for c in classes {
        m[c.abc.class as usize][c.xyz as usize] += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::abc::AbcClass;
    use super::XyzClass;

    #[test]
    fn segment_labels_are_the_two_letters() {
        for abc in [AbcClass::A, AbcClass::B, AbcClass::C] {
            for xyz in [XyzClass::X, XyzClass::Y, XyzClass::Z] {
                assert_eq!(super::segment_label(abc, xyz), format!("{abc}{xyz}"));
            }
        }
        assert_eq!(super::segment_label(AbcClass::B, XyzClass::Z), "BZ");
    }

    /// The XYZ cv of a series read as it is comes from the demand stage's
    /// summary; capped or decayed, from the series as capped or weighted
    /// (hand-checked against `xyz`'s functions on the same series).
    #[test]
    fn capping_and_decay_change_the_cv_the_summary_gives() {
        use crate::{config::Config, demand, quality::DqReport, stats::mean_std, testing};
        let weekly = [8.0, 10.0, 12.0, 9.0, 11.0, 100.0, 10.0, 9.0];
        let lines = weekly.iter().enumerate().map(|(w, &quantity)| testing::Line {
            date: testing::week(w),
            quantity,
            revenue: Some(quantity),
            ..Default::default()
        });
        let d = testing::dataset(lines);
        let cv = |config: &Config| {
            let demand = demand::build(&d, config, &mut DqReport::default());
            super::classify(&d, &demand, config, None)[0].cv
        };
        let plain = Config::default();
        assert_eq!(cv(&plain), super::xyz::cv_of(mean_std(&weekly, None)));

        let mut capped = Config::default();
        capped.xyz.cap_outliers = true;
        let mut series = weekly;
        assert_eq!(super::xyz::cap_outliers(&mut series), 1);
        assert_eq!(cv(&capped), super::xyz::cv_of(mean_std(&series, None)));
        assert!(cv(&capped) < cv(&plain));

        let mut decayed = Config::default();
        decayed.xyz.half_life = Some(2.0);
        let weights = super::xyz::decay_weights(weekly.len(), 2.0);
        assert_eq!(cv(&decayed), super::xyz::cv_of(mean_std(&weekly, Some(&weights))));
        assert_ne!(cv(&decayed), cv(&plain));
    }

    #[test]
    fn the_rank_order_lists_skus_by_criterion_then_code() {
        use crate::{config::Config, demand, quality::DqReport, testing};
        // Revenues 30, 50, 50, 10 for SKUs seen in the order D, B, A, C;
        // the equal revenues rank by code: A, B, D, C.
        let lines = [("D", 30.0), ("B", 50.0), ("A", 50.0), ("C", 10.0)]
            .map(|(sku, r)| testing::Line { sku, revenue: Some(r), ..Default::default() });
        let d = testing::dataset(lines);
        let config = Config::default();
        let demand = demand::build(&d, &config, &mut DqReport::default());
        let mut classes = super::classify(&d, &demand, &config, None);
        let code = |r: usize| d.skus.name(demand.series.skus[r]).to_owned();
        let ranked = |classes: &[super::SkuClass]| {
            super::rank_order(classes).into_iter().map(code).collect::<Vec<_>>()
        };
        assert_eq!(ranked(&classes), ["A", "B", "D", "C"]);
        // Ranks that are not 0..n (two SKUs at rank 0) are sorted, ties in
        // table order, never a panic.
        classes[3].abc.rank = 0;
        assert_eq!(ranked(&classes), ["A", "C", "B", "D"]);
        classes[0].abc.rank = 99;
        assert_eq!(super::rank_order(&classes).len(), 4);
    }
}
