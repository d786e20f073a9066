//! What the engine worker sends for a data directory written by
//! `segscope demo` (or any four files of those names), natively: each
//! response's kind, its JSON size and the time the engine took to reach it.
//! For performance work on the page's side (BENCHMARKS.md): the page
//! decodes every one of these on its main thread.
//!
//!   cargo run --release -p segscope-app --example messages -- DIR [A_CUT]

use segscope_app::engine::Engine;
use segscope_app::worker_api::{decode, encode, Request, Response, SegmentSettings};
use segscope_core::FileKind;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: messages DIR [A_CUT]");
        std::process::exit(2);
    };
    let a_cut: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.7);
    let mut engine = Engine::new(None);
    let files = [
        (FileKind::Products, "products.csv"),
        (FileKind::Customers, "customers.csv"),
        (FileKind::CostPools, "cost_pools.csv"),
        (FileKind::Orders, "orders.csv"),
    ];
    for (kind, name) in files {
        let Ok(bytes) = std::fs::read(format!("{dir}/{name}")) else { continue };
        println!("-- {name} ({} bytes)", bytes.len());
        let request = Request::LoadFile { kind, name: name.into() };
        report(&mut engine, request, Some(bytes));
    }
    let mut settings = SegmentSettings::of(&engine.shared_config());
    settings.a_cut = a_cut;
    println!("-- A cut {a_cut}");
    report(&mut engine, Request::Analyze { settings, rules: "[]".into() }, None);
}

fn report(engine: &mut Engine, request: Request, bytes: Option<Vec<u8>>) {
    let start = Instant::now();
    engine.handle(request, bytes, &mut |response: Response| {
        let json = encode(&response);
        let kind = serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
            .unwrap_or_default();
        let ms = start.elapsed().as_secs_f64() * 1e3;
        println!("{ms:>9.0} ms  {kind:<16} {:>10} bytes", json.len());
        // The big ones, field by field, and how long the page's decoding
        // takes natively.
        if json.len() > 1 << 20 {
            let t = Instant::now();
            let decoded = decode::<Response>(&json).is_ok();
            println!("{:>34} decoded ({decoded}) in {:.1} ms", "", t.elapsed().as_secs_f64() * 1e3);
            if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&json) {
                for (name, value) in fields.iter().flat_map(|(_, v)| v.as_object()).flatten() {
                    let size = value.to_string().len();
                    if size > 1 << 16 {
                        println!("{:>34} {name}: {size} bytes", "");
                    }
                }
            }
        }
    });
}
