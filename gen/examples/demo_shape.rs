//! Prints the headline figures of a generated data set: what a consultant
//! sees when opening the demo.
//!
//! `cargo run --release -p segscope-gen --example demo_shape [lines|demo [seed]]`
//! (no arguments: the bundled demo).

#[allow(dead_code)]
#[path = "../src/tests/shape.rs"]
mod shape;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(42);
    let params = match args.first().and_then(|a| a.parse().ok()) {
        Some(lines) => segscope_gen::Params::scaled(lines, seed),
        None => segscope_gen::Params { seed, ..segscope_gen::Params::demo() },
    };
    let files = segscope_gen::generate(&params);
    let s = shape::shape(&files.orders, &files.cost_pools);
    println!("{params:?}");
    println!("{s:#?}");
    println!("cost to serve / revenue: {:.1} %", 100.0 * s.cost_to_serve / s.revenue);
    println!("gross margin: {:.1} %", 100.0 * (s.revenue - s.cogs) / s.revenue);
    println!("returns: {:.2} % of lines", 100.0 * s.returns as f64 / s.lines as f64);
    println!("lines per order: {:.2}", s.lines as f64 / s.orders as f64);
    for (name, count) in shape::PATTERNS.iter().zip(s.patterns) {
        println!("{name:>13}: {count}");
    }
    println!("{}", String::from_utf8_lossy(&files.cost_pools));
}
