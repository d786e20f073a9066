//! The byte-level scanners of segscope's one pass over a file: CSV records
//! and fields ([`split`]), cells trimmed ([`cell`]), numbers as exports write them ([`number`]), codes
//! numbered in order of first appearance and row hashes ([`intern`]), the
//! row hashes' sort that finds duplicate lines ([`rows`]), and cache hints
//! for the lookups ([`cache`]), and appends to the columns being filled
//! ([`column`]).
//!
//! They are the innermost loops of reading a million-line export, and they
//! need nothing else of the engine: `segscope-core`'s ingest uses them as
//! its own modules. A crate of their own so that the browser build, which
//! compiles everything else for size, compiles them for speed (issue #7:
//! `[profile.wasm-release.package.segscope-scan]` in the workspace
//! manifest; see BENCHMARKS.md).

pub mod cache;
pub mod cell;
pub mod column;
pub mod intern;
pub mod number;
pub mod rows;
pub mod split;
