//! Warming the engine up before the user's first file.
//!
//! The browser compiles WebAssembly twice: at once with a quick baseline
//! compiler, then a function again with its optimising compiler once it
//! has run for a while, for its next call. A function called once that
//! loops over a million lines (the parse's row loop, the data-quality
//! checks, the demand stage) therefore runs its whole loop as baseline
//! code. In V8, the worker's build read 1M lines in 1.40–1.47 s cold and
//! in 1.11–1.14 s after a load of 5,000 lines (issue #7, BENCHMARKS.md).
//!
//! So the worker, once ready, loads a small generated data set into a
//! throwaway engine: no keeper, nothing saved, every answer encoded as the
//! worker would and dropped. The user's engine is not touched.

use super::Engine;
use crate::worker_api::{encode, Request, Response, SegmentSettings};
use segscope_core::FileKind;

/// Lines of the generated data set: enough for every loop of a load to
/// earn its optimised code (500 lines were not), small enough to take
/// tens of milliseconds.
const LINES: usize = 5_000;

/// Loads a generated data set of [`LINES`] lines into a throwaway engine
/// and recomputes it with another A cut, as a user would. Returns whether
/// the segments were computed both times: whether the warm-up went through
/// the analysis and not only the parse.
pub fn warm_up() -> bool {
    let files = segscope_gen::generate(&segscope_gen::Params::scaled(LINES, 1));
    let mut engine = Engine::new(None);
    let mut segments = 0;
    let mut answer = |response: Response| {
        segments += usize::from(matches!(response, Response::Segments(_)));
        drop(encode(&response));
    };
    let loads = [
        (FileKind::Products, "products.csv", files.products),
        (FileKind::Customers, "customers.csv", files.customers),
        (FileKind::CostPools, "cost_pools.csv", files.cost_pools),
        (FileKind::Orders, "orders.csv", files.orders),
    ];
    for (kind, name, bytes) in loads {
        engine.handle(Request::LoadFile { kind, name: name.into() }, Some(bytes), &mut answer);
    }
    let mut settings = SegmentSettings::of(&engine.shared_config());
    settings.a_cut -= 0.1;
    engine.handle(Request::Analyze { settings, rules: String::new() }, None, &mut answer);
    segments == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_loads_and_analyses_twice() {
        assert!(warm_up());
    }
}
