//! Stress test of a segmentation: re-classify under plausible disturbances
//! and report, per segment, the share of SKUs that would change segment.
//! It answers "how robust is this segmentation?" before anyone acts on it.
//!
//! Scenarios: demand scaled line by line by `1 ± noise` (seeded), only the
//! most recent part of the history, the ABC cuts moved down and up by a few
//! points, and a promotion spike on the top SKUs.

use super::SkuClass;
use crate::config::Config;
use crate::dataset::{Dataset, OrderLines};
use crate::demand;
use crate::quality::DqReport;
use crate::stats::uniform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Stress-test settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StressConfig {
    /// Each line's quantity and value are scaled by `1 + noise × u`, u uniform in [−1, 1].
    pub noise: f64,
    /// Seed of the noise.
    pub seed: u64,
    /// Share of the horizon kept by the shorter-history scenario (the most recent part).
    pub window_share: f64,
    /// How far the ABC cuts move, down and up.
    pub cut_shift: f64,
    /// Share of SKUs (top by the ABC criterion) that get a promotion spike.
    pub spike_top_share: f64,
    /// Factor applied to those SKUs' lines in one bucket.
    pub spike_factor: f64,
}

impl Default for StressConfig {
    fn default() -> Self {
        StressConfig {
            noise: 0.2,
            seed: 1,
            window_share: 0.5,
            cut_shift: 0.05,
            spike_top_share: 0.1,
            spike_factor: 3.0,
        }
    }
}

/// The outcome of one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What was changed, in words.
    pub description: String,
    /// Per baseline segment: (SKUs in it, SKUs that change segment).
    pub by_segment: BTreeMap<String, (usize, usize)>,
    /// Share of all SKUs that change segment.
    pub changed_share: f64,
}

/// Runs every scenario against the baseline classes.
pub fn stress_test(data: &Dataset, config: &Config, baseline: &[SkuClass]) -> Vec<Scenario> {
    let s = &config.stress;
    let demand = demand::build(data, config, &mut DqReport::default());
    let codes: Vec<&str> = demand.series.skus.iter().map(|&k| data.skus.name(k)).collect();
    let base: BTreeMap<&str, &str> =
        codes.iter().copied().zip(baseline.iter().map(|c| c.segment.as_str())).collect();
    let run = |data: &Dataset, config: &Config| {
        let d = demand::build(data, config, &mut DqReport::default());
        let classes = super::classify(data, &d, config, None);
        d.series
            .skus
            .iter()
            .map(|&k| data.skus.name(k).to_owned())
            .zip(classes.into_iter().map(|c| c.segment))
            .collect::<BTreeMap<String, String>>()
    };
    let compare = |name: &str, description: String, after: BTreeMap<String, String>| {
        let mut by_segment: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut changed = 0;
        for (code, segment) in &base {
            let entry = by_segment.entry(segment.to_string()).or_default();
            entry.0 += 1;
            // A SKU that drops out of the scenario (no lines left) counts as changed.
            if after.get(*code).map(String::as_str) != Some(*segment) {
                entry.1 += 1;
                changed += 1;
            }
        }
        Scenario {
            name: name.into(),
            description,
            by_segment,
            changed_share: if base.is_empty() { 0.0 } else { changed as f64 / base.len() as f64 },
        }
    };

    let mut scenarios = Vec::new();
    let mut noisy = data.clone();
    for i in 0..noisy.lines.len() {
        let u = uniform(s.seed, i as u64) * 2.0 - 1.0;
        scale_line(&mut noisy.lines, i, 1.0 + s.noise * u);
    }
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    scenarios.push(compare(
        "noise",
        format!("every line's quantity and value × (1 ± up to {}), seed {}", pct(s.noise), s.seed),
        run(&noisy, config),
    ));

    if let (Some(first), Some(last)) = (data.lines.date.iter().min(), data.lines.date.iter().max())
    {
        let span = (last.0 - first.0) as f64;
        let from = last.0 - (span * s.window_share).round() as i32;
        let recent = filter_lines(data, |i| data.lines.date[i].0 >= from);
        scenarios.push(compare(
            "shorter history",
            format!("only the most recent {} of the history", pct(s.window_share)),
            run(&recent, config),
        ));
    }

    for (name, shift) in [("cuts down", -s.cut_shift), ("cuts up", s.cut_shift)] {
        let mut moved = config.clone();
        // A B cut at 100 % would leave no C at all, which says nothing about
        // robustness: the cuts stay within 1 % … 99 %.
        moved.abc.a_cut = (config.abc.a_cut + shift).clamp(0.01, 0.99);
        moved.abc.b_cut = (config.abc.b_cut + shift).clamp(moved.abc.a_cut, 0.99);
        let description = format!(
            "ABC cuts at {} / {} instead of {} / {}",
            pct(moved.abc.a_cut),
            pct(moved.abc.b_cut),
            pct(config.abc.a_cut),
            pct(config.abc.b_cut)
        );
        scenarios.push(compare(name, description, run(data, &moved)));
    }

    // Promotion spike: the top SKUs' lines in the middle bucket × factor.
    let top = ((baseline.len() as f64) * s.spike_top_share).ceil() as usize;
    let by_rank = super::rank_order(baseline);
    let mut is_top = vec![false; data.skus.len()];
    for &r in by_rank.iter().take(top) {
        is_top[demand.series.skus[r] as usize] = true;
    }
    let mid = demand.series.n / 2;
    let mut spiked = data.clone();
    for i in 0..spiked.lines.len() {
        if is_top[data.lines.sku[i] as usize] && demand.series.bucket_of(data.lines.date[i]) == mid
        {
            scale_line(&mut spiked.lines, i, s.spike_factor);
        }
    }
    scenarios.push(compare(
        "promotion spike",
        format!(
            "the top {} of SKUs sell {}× in bucket {} of {}",
            pct(s.spike_top_share),
            s.spike_factor,
            mid + 1,
            demand.series.n
        ),
        run(&spiked, config),
    ));
    scenarios
}

/// Scales a line's quantity and its whole-line values by `factor` (unit
/// prices and costs stay).
fn scale_line(lines: &mut OrderLines, i: usize, factor: f64) {
    lines.quantity[i] *= factor;
    for column in [&mut lines.line_revenue, &mut lines.line_cost, &mut lines.line_margin] {
        if let Some(v) = column.0.get_mut(i) {
            *v *= factor;
        }
    }
}

/// A copy of the dataset with only the lines for which `keep` holds.
fn filter_lines(data: &Dataset, keep: impl Fn(usize) -> bool) -> Dataset {
    let kept: Vec<usize> = (0..data.lines.len()).filter(|&i| keep(i)).collect();
    let mut out = data.clone();
    out.lines = data.lines.select(&kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn dataset() -> Dataset {
        // Ten SKUs with steady weekly demand and revenues 100, 90, …, 10.
        let skus: Vec<String> = (0..10).map(|k| format!("S{k}")).collect();
        let lines = (0..10).flat_map(|k| {
            let sku = skus[k].as_str();
            (0..20).map(move |w| testing::Line {
                sku,
                date: testing::week(w),
                revenue: Some(100.0 - 10.0 * k as f64),
                ..Default::default()
            })
        });
        testing::dataset(lines)
    }

    #[test]
    fn stable_data_barely_moves_and_shares_are_fractions() {
        let d = dataset();
        let config = Config::default();
        let demand = demand::build(&d, &config, &mut DqReport::default());
        let base = super::super::classify(&d, &demand, &config, None);
        let scenarios = stress_test(&d, &config, &base);
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["noise", "shorter history", "cuts down", "cuts up", "promotion spike"]);
        for s in &scenarios {
            assert!((0.0..=1.0).contains(&s.changed_share), "{s:?}");
            let total: usize = s.by_segment.values().map(|v| v.0).sum();
            assert_eq!(total, 10);
        }
        // The shorter window keeps the same steady pattern: nothing moves.
        assert_eq!(scenarios[1].changed_share, 0.0);
    }

    #[test]
    fn moving_the_cuts_moves_boundary_items() {
        let d = dataset();
        let config = Config::default();
        let demand = demand::build(&d, &config, &mut DqReport::default());
        let base = super::super::classify(&d, &demand, &config, None);
        let s = stress_test(&d, &config, &base);
        // Revenues 100, 90, …, 10 of 550: P = 0, .182, .345, .491, .618, .727,
        // .818, .891, .945, .982 → AAAAAABBBC at 80 % / 95 %.
        // At 75 % / 90 % S8 (P .945) drops to C: 1 of 10 changes.
        assert_eq!(s[2].changed_share, 0.1);
        assert_eq!(s[2].by_segment["BX"], (3, 1));
        // At 85 % / 99 % S6 (.818) rises to A and S9 (.982) to B: 2 of 10.
        assert_eq!(s[3].changed_share, 0.2);
    }
}
