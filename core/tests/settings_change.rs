//! A settings change reuses what the last analysis computed on the same data
//! (`analysis::segment` with a prior: the demand series, the clustering and
//! every unchanged SKU's policy) and must give exactly what a fresh analysis
//! gives. Checked on Tableau's Sample - Superstore (see
//! `ingest_superstore.rs`), 1,862 SKUs of every demand pattern, through a
//! sequence of the changes people make in a workshop.

use segscope_core::analysis::{segment, Stage};
use segscope_core::config::MappingConfig;
use segscope_core::ingest::{load, InputFile, LoadOptions};
use segscope_core::policy::{Detail, PolicyModel};
use segscope_core::{analyze_observed, Analysis, Bucket, Config, Dataset, Date};

fn superstore() -> Dataset {
    let bytes = include_bytes!("data/superstore.csv");
    let orders = InputFile { name: "superstore.csv", bytes };
    let options = LoadOptions { today: Date::from_ymd(2024, 6, 30), ..LoadOptions::default() };
    load(orders, None, None, None, &MappingConfig::default(), &options)
        .expect("superstore loads")
        .dataset
}

/// The analysis for `config` computed again from `prior`, with the stages
/// it ran.
fn reusing(data: &Dataset, prior: Analysis, config: &Config) -> (Analysis, Vec<Stage>) {
    let mut stages = Vec::new();
    let seg = segment(data, config, None, Some(prior), &mut |s| stages.push(s));
    (seg.complete(data, Detail::Full, &mut |s| stages.push(s)), stages)
}

/// A named change of the settings.
type Change = fn(&mut Config);

fn fresh(data: &Dataset, config: &Config) -> Analysis {
    analyze_observed(data, config, None, Detail::Full, &mut |_| {})
}

#[test]
fn every_settings_change_gives_what_a_fresh_analysis_gives() {
    let data = superstore();
    let mut config = Config::default();
    // Fewer resamples keep the debug build quick; the reuse is the same.
    config.policy.bootstrap_samples = 200;
    config.cluster.enabled = true;
    config.cluster.k = Some(4);
    let changes: Vec<(&str, Change)> = vec![
        ("A cut 0.80 → 0.60", |c| c.abc.a_cut = 0.6),
        ("B cut 0.95 → 0.90", |c| c.abc.b_cut = 0.9),
        ("X cut 0.5 → 0.8", |c| c.xyz.x_cut = 0.8),
        ("one service level", |c| {
            c.policy.service_levels.insert("CZ".into(), 0.99);
        }),
        ("one segment on the empirical model", |c| {
            c.policy.models.insert("BZ".into(), PolicyModel::Empirical);
        }),
        ("k = 3", |c| c.cluster.k = Some(3)),
        ("ordering cost", |c| c.policy.ordering_cost = 80.0),
        ("a cost budget", |c| {
            c.cost.budget.insert("Picking".into(), 1000.0);
        }),
        ("A cut 0.60 → 0.70 under the budget", |c| c.abc.a_cut = 0.7),
        ("monthly buckets", |c| c.bucket = Bucket::Month),
        ("cost ratio", |c| c.policy.cost_ratio = 0.5),
        // The classification reuses each SKU's variability figures only
        // while the half-life and the capping are unchanged.
        ("outliers capped", |c| c.xyz.cap_outliers = true),
        ("A cut 0.70 → 0.75 with capping", |c| c.abc.a_cut = 0.75),
        ("half-life 6 buckets", |c| c.xyz.half_life = Some(6.0)),
        ("Y cut 1.0 → 1.2 under the half-life", |c| c.xyz.y_cut = 1.2),
        ("A cut back to 0.80", |c| c.abc.a_cut = 0.8),
    ];
    let mut analysis = fresh(&data, &config);
    for (name, change) in changes {
        change(&mut config);
        config.validate().unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let (reused, stages) = reusing(&data, analysis, &config);
        let expected = fresh(&data, &config);
        assert_eq!(stages.len(), 7, "{name}: every stage ends once");
        assert!(reused == expected, "{name}: the reused analysis differs from a fresh one");
        analysis = reused;
    }
}

#[test]
fn a_cut_change_moves_some_skus_and_keeps_the_others_policies() {
    let data = superstore();
    let mut config = Config::default();
    config.policy.bootstrap_samples = 200;
    let before = fresh(&data, &config);
    config.abc.a_cut = 0.7;
    let (after, _) = reusing(&data, before.clone(), &config);
    let moved = before.classes.iter().zip(&after.classes).filter(|(a, b)| a.segment != b.segment);
    let moved = moved.count();
    // Superstore's A class shrinks: hundreds of SKUs move, most stay.
    assert!(moved > 0 && moved < before.classes.len() / 2, "{moved} SKUs moved");
    for ((old, new), (po, pn)) in
        before.classes.iter().zip(&after.classes).zip(before.policies.iter().zip(&after.policies))
    {
        if old.segment == new.segment {
            assert_eq!(po, pn);
        }
    }
    assert_eq!(after.demand, before.demand);
}

/// The app's way: the policies without the informational bootstrap first,
/// the bootstrap added a slice of SKUs at a time afterwards, across a
/// settings change that reuses a half-finished analysis.
#[test]
fn informational_figures_added_in_slices_give_the_full_analysis() {
    let data = superstore();
    let mut config = Config::default();
    config.policy.bootstrap_samples = 200;
    let lean = |data: &Dataset, config: &Config, prior: Option<Analysis>| {
        let seg = segment(data, config, None, prior, &mut |_| {});
        seg.complete(data, Detail::PolicyOnly, &mut |_| {})
    };
    let mut a = lean(&data, &config, None);
    assert_eq!(a.detail(), Detail::PolicyOnly);
    let missing = a.policies.iter().filter(|p| p.empirical.is_none()).count();
    let mut slices = 0;
    while a.add_policy_detail(500) {
        slices += 1;
    }
    assert_eq!(a.detail(), Detail::Full);
    assert_eq!(slices, a.policies.len().div_ceil(500) - 1);
    assert!(a == fresh(&data, &config), "all slices give the full analysis");
    assert!(missing > a.policies.iter().filter(|p| p.empirical.is_none()).count());

    // Half done, then the A cut changes: the kept policies keep what they
    // have, and the walk starts again over every SKU.
    config.abc.a_cut = 0.6;
    let mut b = lean(&data, &config, Some(a));
    b.add_policy_detail(700);
    config.abc.a_cut = 0.7;
    let mut c = lean(&data, &config, Some(b));
    while c.add_policy_detail(400) {}
    assert!(c == fresh(&data, &config), "a reused half-finished walk gives the full analysis");
}
