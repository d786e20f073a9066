//! Times an orders file read in two halves as the browser's two workers
//! read it (`ingest::plan_halves` and friends), one step after another on
//! one thread, against the whole file read on one thread: what each worker
//! does and what travels between them (issue #7).
//!
//! `RAYON_NUM_THREADS=1 cargo run --release -p segscope-core --example halves -- bench/data/1000000/orders.csv`
//! (one thread: the whole file is read in one part, as in one worker).

use segscope_core::ingest::{self, halves_prefix, plan_halves, FirstHalf, SecondHalf};
use segscope_core::{InputFile, LoadOptions};
use std::time::Instant;

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).ok_or("usage: halves ORDERS.csv")?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let size = bytes.len() as u64;
    let options = LoadOptions::default();
    let overrides = ingest::Overrides::new();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;

    let t = Instant::now();
    let file = InputFile { name: "orders.csv", bytes: &bytes };
    let whole =
        ingest::parse_orders(file, &overrides, &options, &mut |_| {}).map_err(|e| e.to_string())?;
    println!("whole file: {:.0} ms, {} lines", ms(t), whole.table.lines.len());

    let prefix = halves_prefix(size).ok_or("the file is read whole")? as usize;
    let t = Instant::now();
    let plan = plan_halves("orders.csv", &bytes[..prefix], size, &overrides)
        .ok_or("no plan: the file is read whole")?;
    println!("plan: {:.1} ms, cut at byte {} of {size}", ms(t), plan.start);
    let (first, second) = bytes.split_at(plan.start as usize);

    let t = Instant::now();
    let half = FirstHalf::read(first.to_vec(), &plan, size, &overrides, &mut |_| {})
        .map_err(|e| e.to_string())?;
    let first_ms = ms(t);
    let t = Instant::now();
    let hashes = half.hashes();
    println!("first half: {first_ms:.0} ms, its hashes {:.1} ms ({} B)", ms(t), hashes.len());

    let t = Instant::now();
    let sent = SecondHalf::read(&plan, second.to_vec())?.send(&hashes);
    println!("second half with its bytes: {:.0} ms ({} B)", ms(t), sent.len());

    let t = Instant::now();
    let joined = half.finish(sent, &options, &mut |_| {}).ok_or("bad bytes")?;
    let joined = joined.map_err(|e| e.to_string())?;
    println!("finish (read back, duplicates, append, decisions): {:.0} ms", ms(t));
    let (a, b) = (&joined.table, &whole.table);
    let same = a.skus == b.skus && a.customers == b.customers && a.orders == b.orders;
    if !same || a.lines.line != b.lines.line || joined.report != whole.report {
        return Err("the halves differ from the whole file".into());
    }
    println!("same codes, lines and report as the whole file");
    Ok(())
}
