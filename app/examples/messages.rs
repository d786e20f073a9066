//! What the engine worker sends for a data directory written by
//! `segscope demo` (or any four files of those names), natively: each
//! response's kind, its JSON size, the time the engine took to reach it and
//! the engine's live and peak heap then. For performance work
//! (BENCHMARKS.md): the page decodes every one of these on its main thread,
//! and the worker's WebAssembly memory grows to the engine's peak.
//!
//! The engine gets a keeper that lets go of each parsed file's bytes, as
//! the worker's hands them to the browser's blob store (`engine::raw`).
//!
//!   cargo run --release -p segscope-app --example messages -- DIR [A_CUT]

use segscope_app::engine::{Engine, Keeper};
use segscope_app::worker_api::{
    decode_beside, encode, encode_beside, Request, Response, SegmentSettings,
};
use segscope_core::FileKind;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// Counts the bytes allocated now and at the most.
struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        // While the block moves, the old and the new one are both there.
        let now = NOW.fetch_add(new, Relaxed) + new;
        PEAK.fetch_max(now, Relaxed);
        NOW.fetch_sub(layout.size(), Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Holds nothing: the bytes are elsewhere, as in the browser. (A fresh
/// analysis never reads them back; its run record then lacks the files.)
struct Elsewhere;

impl Keeper for Elsewhere {
    fn keep(&mut self, _: FileKind, _: &[u8]) -> bool {
        true
    }
    fn read(&self, _: FileKind, _: &mut dyn FnMut(&[u8])) -> bool {
        false
    }
    fn forget(&mut self, _: FileKind) {}
}

fn mib(n: usize) -> f64 {
    n as f64 / (1u64 << 20) as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: messages DIR [A_CUT]");
        std::process::exit(2);
    };
    let a_cut: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.7);
    let mut engine = Engine::new(None);
    engine.set_keeper(Box::new(Elsewhere));
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
        let (now, peak) = (mib(NOW.load(Relaxed)), mib(PEAK.load(Relaxed)));
        // A progress message names its stage: the time between two is the
        // stage's.
        let stage = match &response {
            Response::Progress(p) => format!("  {}", p.stage),
            _ => String::new(),
        };
        println!(
            "{ms:>9.0} ms  {kind:<16} {:>10} bytes  heap {now:>6.1} MiB, peak {peak:>6.1} MiB{stage}",
            json.len()
        );
        // The big ones, field by field, and how long the page's decoding
        // takes natively (not the engine's memory: the peak is put back).
        let engine_peak = PEAK.load(Relaxed);
        if json.len() > 1 << 20 {
            // As the page gets it: the packed columns' bytes beside the JSON.
            let (text, beside) = encode_beside(&response);
            let t = Instant::now();
            let decoded = decode_beside::<Response>(text.as_bytes(), beside).is_ok();
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
        PEAK.store(engine_peak, Relaxed);
    });
}
