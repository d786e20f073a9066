//! Warming the engine up before the user's first file.
//!
//! The browser compiles WebAssembly twice: at once with a quick baseline
//! compiler, then a function again with its optimising compiler once it
//! has run for a while, for its next call. A function called once that
//! loops over a million lines (the parse's row loop, the data-quality
//! checks, the demand stage) therefore runs its whole loop as baseline
//! code. In V8, the worker's build loaded 1M lines in 1.35–1.46 s cold and
//! in 1.12–1.14 s after a load of 5,000 lines (issue #7, BENCHMARKS.md,
//! `bench/wasm.sh`).
//!
//! So the worker, before it restores the saved workspace, loads a small
//! generated data set into a throwaway engine: no keeper, nothing saved,
//! every answer encoded as the worker would and dropped. The user's engine
//! is not touched, and the heap, still empty, takes the memory back whole
//! (a warm-up of 5,000 lines after the restore left the worker's peak
//! 6.9 MiB higher; one of 2,000 lines first, none).

use super::{generated_files, segments, Engine};
use crate::worker_api::{encode_beside, Request, Response, SegmentSettings};
use segscope_gen::Params;
use std::cell::Cell;

/// Lines of the generated data set: enough for the loops of a load to
/// earn their optimised code (in V8, 1,000 lines gave the whole gain to
/// the load, see `bench/wasm.sh`), few enough to take tens of milliseconds.
const LINES: usize = 2_000;

/// Analyses of the data set from its files again, each from the start:
/// the stages after the parse (the join, the demand series, the classes,
/// the views) run once per analysis, so one analysis of 2,000 lines left
/// their loops short of their optimised code. In Chromium, 4 more took the
/// demand stage of 1M lines from 80–95 to 45–54 ms, and drop → segments
/// 50–100 ms shorter, for 35 ms more warm-up (issue #7, BENCHMARKS.md).
const REFRESHES: usize = 4;

/// Segments views of the last analysis built and encoded again. V8
/// optimises a function once it has run for a while (its
/// `--wasm-tiering-budget`, 13,000,000 in Chromium 156, roughly the bytes
/// of its code executed) and a call already running keeps its baseline
/// code: an analysis builds one view, whose loops over the data set's 100
/// SKUs left it short of that, and a 1M-line load's view of 49,256 SKUs
/// ran as baseline code — 8 ms longer (issue #7, BENCHMARKS.md).
const VIEWS: usize = 100;

/// Loads a generated data set of [`LINES`] lines into a throwaway engine,
/// recomputes it with another A cut, as a user would, then analyses it
/// [`REFRESHES`] times more from the start and builds its Segments view
/// [`VIEWS`] times more. Returns whether the segments were computed after
/// the load, after the change and in each analysis after it, and each view
/// built: whether the warm-up went through the analysis and not only the
/// parse.
pub fn warm_up() -> bool {
    let mut engine = Engine::new(None);
    let segments = Cell::new(0);
    let mut answer = |response: Response| {
        if matches!(response, Response::Segments(_)) {
            segments.set(segments.get() + 1);
        }
        // Encoded as the worker posts it.
        drop(encode_beside(&response));
    };
    // Orders last, as users mostly load them: one analysis.
    for (kind, name, bytes) in generated_files(&Params::scaled(LINES, 1)).into_iter().rev() {
        engine.handle(Request::LoadFile { kind, name: name.into() }, Some(bytes), &mut answer);
    }
    let loaded = segments.get();
    let mut settings = SegmentSettings::of(&engine.shared_config());
    settings.a_cut -= 0.1;
    engine.handle(Request::Analyze { settings, rules: String::new() }, None, &mut answer);
    let changed = segments.get();
    for _ in 0..REFRESHES {
        engine.refresh(&mut answer);
    }
    let views = (0..VIEWS).take_while(|_| view_again(&engine)).count();
    loaded > 0 && changed > loaded && segments.get() == changed + REFRESHES && views == VIEWS
}

/// Builds the Segments view of `engine`'s analysis and encodes it, as an
/// analysis does, and drops it: whether there was an analysis.
fn view_again(engine: &Engine) -> bool {
    let (Some(loaded), Some(analysis)) = (&engine.loaded, &engine.analysis) else {
        return false;
    };
    let view = segments::view(&loaded.dataset, &analysis.segments(), engine.generation);
    drop(encode_beside(&Response::Segments(Box::new(view))));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_loads_and_analyses_again_and_again() {
        assert!(warm_up());
    }
}
