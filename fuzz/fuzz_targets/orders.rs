//! Fuzzes `harness::orders` (see core/tests/fuzz_harness/mod.rs).
#![no_main]

#[path = "../../core/tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::orders(bytes));
