//! How long a service-level what-if and an efficient frontier take on the
//! generated 1,000,000-line export (50,000 SKUs), natively:
//!
//! ```sh
//! cargo run --release -p segscope-cli --example what_if_timing
//! ```
//!
//! Prints, per segment, its SKU count, the what-if time (median of 9 runs)
//! and the frontier time, first with every segment on the normal model and
//! then with `CZ` on the empirical (bootstrap) model.

use segscope_core::ingest::{self, InputFile, LoadOptions};
use segscope_core::policy::working_capital::{frontier, what_if};
use segscope_core::policy::PolicyModel;
use segscope_core::{analyze, Config, Dataset};
use std::time::{Duration, Instant};

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report(data: &Dataset, config: &Config, title: &str) {
    let start = Instant::now();
    let analysis = analyze(data, config);
    println!("{title}: analyze {:.2?}", start.elapsed());
    println!("segment  skus  what-if  frontier (21 levels)");
    for s in &analysis.segment_policies {
        let level = (s.service_level + 0.01).min(0.995);
        let w = median_time(9, || {
            what_if(data, &analysis, &s.segment, level).expect("segment exists");
        });
        let f = median_time(3, || {
            frontier(data, &analysis, &s.segment);
        });
        println!("{:>7} {:>5} {:>8.2?} {:>9.2?}", s.segment, s.skus, w, f);
    }
}

fn main() {
    let files = segscope_gen::generate(&segscope_gen::Params::scaled(1_000_000, 42));
    let loaded = ingest::load(
        InputFile { name: "orders.csv", bytes: &files.orders },
        Some(InputFile { name: "products.csv", bytes: &files.products }),
        Some(InputFile { name: "customers.csv", bytes: &files.customers }),
        Some(InputFile { name: "cost_pools.csv", bytes: &files.cost_pools }),
        &Default::default(),
        &LoadOptions::default(),
    )
    .expect("generated files load");
    println!("{} SKUs", loaded.dataset.skus.len());
    report(&loaded.dataset, &Config::default(), "normal model");
    let mut config = Config::default();
    config.policy.models.insert("CZ".into(), PolicyModel::Empirical);
    report(&loaded.dataset, &config, "CZ on the empirical model");
}
