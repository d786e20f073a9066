//! Times an orders file read in two halves as the browser's two workers
//! read it (`ingest::OrdersStream::rest`, `send`, `join`), one step after
//! another on one thread, against the whole file streamed on one thread:
//! what each worker does and what travels between them (issue #7).
//!
//! `cargo run --release -p segscope-core --example halves -- bench/data/1000000/orders.csv`

use segscope_core::ingest::{self, halves_cut, halves_middle, OrdersStream};
use segscope_core::LoadOptions;
use std::time::Instant;

/// The browser's largest chunk.
const CHUNK: usize = 16 << 20;

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).ok_or("usage: halves ORDERS.csv")?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let size = bytes.len() as u64;
    let options = LoadOptions::default();
    let overrides = ingest::Overrides::new();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let mut fetch = |a: u64, b: u64| bytes.get(a as usize..b as usize).map(<[u8]>::to_vec);

    let t = Instant::now();
    let mut one = OrdersStream::new("orders.csv", size, &overrides);
    bytes.chunks(CHUNK).for_each(|chunk| one.feed(chunk, &mut |_| {}));
    let whole = one.finish(&mut fetch, &options, &mut |_| {}).ok_or("read whole")?;
    let whole = whole.map_err(|e| e.to_string())?;
    println!("whole file streamed: {:.0} ms, {} lines", ms(t), whole.table.lines.len());

    let (from, to) = halves_middle(size).ok_or("the file is read by one worker")?;
    let cut = halves_cut(size, &bytes[from as usize..to as usize]).ok_or("no cut")? as usize;
    let (first, second) = bytes.split_at(cut);

    let t = Instant::now();
    let mut stream = OrdersStream::new("orders.csv", size, &overrides);
    first.chunks(CHUNK).for_each(|chunk| stream.feed(chunk, &mut |_| {}));
    println!("first half ({cut} B): {:.0} ms", ms(t));

    let t = Instant::now();
    let mut rest = OrdersStream::rest("orders.csv", &bytes, cut as u64, size, &overrides)
        .ok_or("the second half asks for a whole read")?;
    second.chunks(CHUNK).for_each(|chunk| rest.feed(chunk, &mut |_| {}));
    let read_ms = ms(t);
    let mut pieces = rest.send().ok_or("the second half asks for a whole read")?;
    println!("second half: {read_ms:.0} ms");
    let (mut writing, mut joining, mut bytes_sent) = (0.0, 0.0, 0);
    loop {
        let t = Instant::now();
        let Some(piece) = pieces.next_piece() else { break };
        writing += ms(t);
        bytes_sent += piece.len();
        let t = Instant::now();
        if !stream.join(&piece) {
            return Err("a piece of the second half was not joined".into());
        }
        joining += ms(t);
    }
    println!("its pieces written {writing:.0} ms ({bytes_sent} B), joined {joining:.0} ms");
    let t = Instant::now();
    let joined = stream.finish(&mut fetch, &options, &mut |_| {}).ok_or("read whole")?;
    let joined = joined.map_err(|e| e.to_string())?;
    println!("finish (code tables joined, duplicates, decisions, checks): {:.0} ms", ms(t));
    let (a, b) = (&joined.table, &whole.table);
    let same = a.skus == b.skus && a.customers == b.customers && a.orders == b.orders;
    if !same || a.lines.line != b.lines.line || joined.report != whole.report {
        return Err("the halves differ from the whole file".into());
    }
    println!("same codes, lines and report as the whole file");
    Ok(())
}
