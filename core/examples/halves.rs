//! Times an orders file read in two halves as the browser's two workers
//! read it (`ingest::FirstHalf`, `ingest::SecondHalf`), one step after
//! another on one thread, against the whole file read on one thread: what
//! each worker does and what travels between them (issue #7).
//!
//! `RAYON_NUM_THREADS=1 cargo run --release -p segscope-core --example halves -- bench/data/1000000/orders.csv`
//! (one thread: the whole file is read in one part, as in one worker).

use segscope_core::ingest::{self, halves_cut, halves_middle, FirstHalf, SecondHalf};
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

    let (from, to) = halves_middle(size).ok_or("the file is read whole")?;
    let cut = halves_cut(size, &bytes[from as usize..to as usize]).ok_or("no cut")? as usize;
    let (first, second) = bytes.split_at(cut);
    let head = &bytes[..bytes.len().min(ingest::HALVES_HEAD_BYTES as usize)];

    let t = Instant::now();
    let half = FirstHalf::read("orders.csv", first.to_vec(), size, &overrides, &mut |_| {})
        .ok_or("the first half asks for a whole read")?;
    let first_ms = ms(t);
    let t = Instant::now();
    let hashes = half.hashes();
    println!("first half: {first_ms:.0} ms, its hashes {:.1} ms ({} B)", ms(t), hashes.len());

    let t = Instant::now();
    let second = SecondHalf::read("orders.csv", head, second.to_vec(), &overrides)?;
    let read_ms = ms(t);
    let t = Instant::now();
    let sent = second.send(&hashes);
    println!("second half: {read_ms:.0} ms, its bytes {:.0} ms ({} B)", ms(t), sent.len());

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
