//! Asking the processor for memory before it is needed.
//!
//! A big file's per-SKU and per-order tables outgrow the processor's cache,
//! and a pass over the order lines reads them at unpredictable places: each
//! such read waits for main memory. Where a pass knows a few steps ahead
//! which entry it will read, [`prefetch`] starts fetching it, and the wait
//! overlaps with the work in between. A hint only: the results are the same
//! with or without it.

/// Starts bringing `item` into the processor's cache (x86-64; elsewhere,
/// WebAssembly included, which has no prefetch instruction, nothing).
#[inline]
pub fn prefetch<T>(item: Option<&T>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = item {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads nothing and cannot fault; SSE, which it
        // needs, is part of every x86-64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
