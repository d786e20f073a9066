//! The fuzzers' seed corpus and every crash they found, replayed through
//! the same entry points as the fuzz targets (`fuzz_harness`) on the stable
//! toolchain, plus a short proptest smoke that mutates the seeds.
//!
//! `fuzz/corpus/<target>/` holds the committed seeds; `fuzz/regressions/
//! <target>/` holds each reproducer the fuzzers found, named after the
//! problem, kept after the fix so the problem cannot come back.

mod fuzz_harness;

use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The fuzz targets and the harness function each one drives.
/// A fuzz target: its name (the folder of its corpus) and its entry point.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 6] = [
    ("orders", fuzz_harness::orders),
    ("products", fuzz_harness::products),
    ("customers", fuzz_harness::customers),
    ("cost_pools", fuzz_harness::cost_pools),
    ("config", fuzz_harness::config),
    ("workspace", fuzz_harness::workspace),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `fuzz/<folder>/<target>/`, sorted by name.
fn files(folder: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(folder).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable corpus file")))
        .collect()
}

#[test]
fn every_target_has_seeds() {
    for (target, _) in TARGETS {
        assert!(
            files("corpus", target).len() >= 2,
            "fuzz/corpus/{target} has fewer than two seeds"
        );
    }
}

#[test]
fn seed_corpus_replays_without_panic() {
    for (target, run) in TARGETS {
        for (path, bytes) in files("corpus", target) {
            eprintln!("{}", path.display());
            run(&bytes);
        }
    }
}

#[test]
fn crash_reproducers_replay_without_panic() {
    for (target, run) in TARGETS {
        for (path, bytes) in files("regressions", target) {
            eprintln!("{}", path.display());
            run(&bytes);
        }
    }
}

/// One seed of each target, read once.
fn seeds() -> Vec<(usize, Vec<u8>)> {
    TARGETS
        .iter()
        .enumerate()
        .flat_map(|(i, (target, _))| files("corpus", target).into_iter().map(move |(_, b)| (i, b)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A seed with bytes overwritten, inserted and cut at random never
    /// panics any target: the stable, always-run cousin of the fuzzers.
    #[test]
    fn mutated_seeds_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..12),
    ) {
        let seeds = seeds();
        let (target, seed) = &seeds[pick.index(seeds.len())];
        let mut bytes = seed.clone();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.push(byte),
            }
        }
        (TARGETS[*target].1)(&bytes);
    }
}
