//! The demo's fingerprints, exported from a WebAssembly module, to check that
//! the browser build generates the same bytes as the native one.
//!
//! ```text
//! cargo build --release -p segscope-gen --example wasm_fingerprint --target wasm32-unknown-unknown
//! node gen/examples/wasm_fingerprint.mjs
//! ```
//!
//! Natively this is an ordinary (empty) library; the test
//! `demo_bytes_are_pinned` holds the native values.

/// FNV-1a (64 bits) of demo file `i`: 0 orders, 1 products, 2 customers,
/// 3 cost pools.
#[no_mangle]
pub extern "C" fn demo_fingerprint(i: u32) -> u64 {
    let files = segscope_gen::generate(&segscope_gen::Params::demo());
    let bytes = files.named()[i as usize % 4].1;
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
