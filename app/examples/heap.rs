//! Peak heap of the engine, natively, at each response (BENCHMARKS.md's
//! memory section): what the worker's wasm memory must at least hold.
//!
//!   cargo run --release -p segscope-app --example heap -- DIR
//!
//! The engine gets a keeper that lets go of each parsed file's bytes, as
//! the worker's hands them to the browser's blob store (`engine::raw`).

use segscope_app::engine::{Engine, Keeper};
use segscope_app::worker_api::{Request, Response, SegmentSettings};
use segscope_core::FileKind;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

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
        // Growth in place or by moving: both old and new are live while copying.
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
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: heap DIR");
        std::process::exit(2);
    };
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
        println!("-- {name} ({:.1} MiB)", mib(bytes.len()));
        report(&mut engine, Request::LoadFile { kind, name: name.into() }, Some(bytes));
    }
    let mut settings = SegmentSettings::of(&engine.shared_config());
    settings.a_cut = 0.7;
    println!("-- A cut 0.7");
    report(&mut engine, Request::Analyze { settings, rules: "[]".into() }, None);
}

fn report(engine: &mut Engine, request: Request, bytes: Option<Vec<u8>>) {
    let start = Instant::now();
    engine.handle(request, bytes, &mut |response: Response| {
        let name = match &response {
            Response::Progress(p) => format!("{p:?}").chars().take(70).collect::<String>(),
            other => format!("{other:?}").chars().take(24).collect::<String>(),
        };
        println!(
            "{:>7.0} ms  now {:>7.1} MiB  peak {:>7.1} MiB  {name}",
            start.elapsed().as_secs_f64() * 1e3,
            mib(NOW.load(Relaxed)),
            mib(PEAK.load(Relaxed)),
        );
    });
}
