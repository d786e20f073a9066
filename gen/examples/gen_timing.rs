//! Times the generation of one million order lines.
//!
//! `cargo run --release -p segscope-gen --example gen_timing [lines]`

use std::time::Instant;

fn main() {
    let lines = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let params = segscope_gen::Params::scaled(lines, 42);
    let start = Instant::now();
    let files = segscope_gen::generate(&params);
    let elapsed = start.elapsed();
    let bytes: usize = files.named().iter().map(|(_, b)| b.len()).sum();
    println!(
        "{} lines, {} SKUs, {} customers: {:.2} s, {} bytes ({:.1} MB; orders {} bytes)",
        params.lines,
        params.skus,
        params.customers,
        elapsed.as_secs_f64(),
        bytes,
        bytes as f64 / 1e6,
        files.orders.len()
    );
}
