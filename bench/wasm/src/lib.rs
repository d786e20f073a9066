//! The engine's load, demand and classification stages as plain exports,
//! for `bench/wasm.mjs` to time under V8 (no browser, no bindings).
//!
//! The four files are copied into buffers the module hands out
//! ([`buffer`]); [`load`] parses and joins them, [`demand`] and
//! [`classify`] run those stages on the last load. [`generate`] fills the
//! buffers with a generated data set instead (the worker's warm-up).

use segscope_core::config::{Config, MappingConfig};
use segscope_core::demand::{self, Demand};
use segscope_core::ingest::{self, InputFile, LoadOptions, Loaded};
use segscope_core::quality::DqReport;
use std::cell::RefCell;

#[derive(Default)]
struct State {
    files: [Vec<u8>; 4],
    loaded: Option<Loaded>,
    demand: Option<Demand>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

const NAMES: [&str; 4] = ["orders.csv", "products.csv", "customers.csv", "cost_pools.csv"];

/// A buffer of `len` bytes for file `slot` (orders, products, customers,
/// cost pools), to be filled by the caller.
#[no_mangle]
pub extern "C" fn buffer(slot: usize, len: usize) -> *mut u8 {
    STATE.with_borrow_mut(|s| match s.files.get_mut(slot) {
        Some(file) => {
            *file = vec![0; len];
            file.as_mut_ptr()
        }
        None => std::ptr::null_mut(),
    })
}

/// Fills the four buffers with a generated data set of `lines` lines.
#[no_mangle]
pub extern "C" fn generate(lines: usize) {
    let files = segscope_gen::generate(&segscope_gen::Params::scaled(lines, 1));
    STATE.with_borrow_mut(|s| {
        s.files = [files.orders, files.products, files.customers, files.cost_pools];
    });
}

/// Parses and joins the four files; the number of order lines kept (0 if
/// the orders could not be read).
#[no_mangle]
pub extern "C" fn load() -> usize {
    STATE.with_borrow_mut(|s| {
        let file = |i: usize| InputFile { name: NAMES[i], bytes: &s.files[i] };
        let loaded = ingest::load(
            file(0),
            Some(file(1)),
            Some(file(2)),
            Some(file(3)),
            &MappingConfig::default(),
            &LoadOptions::default(),
        )
        .ok();
        let lines = loaded.as_ref().map_or(0, |l| l.dataset.lines.len());
        s.loaded = loaded;
        lines
    })
}

/// The demand stage on the last load, with the default settings; the
/// number of SKUs with a series.
#[no_mangle]
pub extern "C" fn demand() -> usize {
    STATE.with_borrow_mut(|s| {
        let Some(loaded) = &s.loaded else { return 0 };
        let demand = demand::build(&loaded.dataset, &Config::default(), &mut DqReport::default());
        let skus = demand.skus.len();
        s.demand = Some(demand);
        skus
    })
}

/// The classification of the last demand, with the default settings; the
/// number of SKUs classified.
#[no_mangle]
pub extern "C" fn classify() -> usize {
    STATE.with_borrow(|s| match (&s.loaded, &s.demand) {
        (Some(loaded), Some(demand)) => segscope_core::classify::classify_reusing(
            &loaded.dataset,
            demand,
            &Config::default(),
            None,
            None,
        )
        .len(),
        _ => 0,
    })
}
