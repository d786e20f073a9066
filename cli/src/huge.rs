//! The allocator of the command line: the system's, with large buffers
//! marked for transparent huge pages, and freed memory kept for reuse
//! ([`reuse_freed_memory`]).
//!
//! A run over millions of order lines fills columns, code tables and
//! result tables of hundreds of megabytes, each touched for the first time
//! page by page. With 4 KiB pages that is one page fault per 4 KiB (a fifth
//! of the CPU time of a 5M-line run went to faults and zeroing pages, see
//! BENCHMARKS.md) and a TLB miss on most random lookups into the code
//! tables. Where the kernel offers transparent huge pages on request
//! (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`, Debian's
//! default), blocks of 8 MiB and more ask for them with `madvise`; the
//! kernel may refuse, and then nothing changes. Small blocks, and every
//! other platform, are left to the system allocator as they were.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, asking for huge pages for large blocks.
pub struct HugePages;

/// Blocks from this size on are marked.
const FROM: usize = 8 << 20;

/// The size of a huge page on x86-64 and aarch64 (with 4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// Marks the whole huge pages inside `size` bytes at `ptr` (a fresh or
/// moved block, not yet written beyond what it holds). A refusal is
/// harmless: the pages stay as they are.
fn advise(ptr: *mut u8, size: usize) {
    if size < FROM || ptr.is_null() {
        return;
    }
    let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr as usize + size) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: the range lies inside a block that this allocator just
        // handed out; `madvise` with MADV_HUGEPAGE changes how its pages are
        // backed, never their contents.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// Has the system allocator (glibc's) take every block from its heap and
/// keep what is freed there, instead of giving each large block a mapping
/// of its own that is returned to the kernel when freed.
///
/// The orders file's text is freed after the parse; kept, its pages hold
/// the analysis's and the result tables' blocks. Returned, those blocks get
/// fresh pages that the kernel must fault in and zero one by one, which on
/// this project's test machines took more system time than the whole
/// analysis at 5M lines (BENCHMARKS.md). The process ends after one run, so
/// keeping freed memory costs nothing later. glibc only (musl has no
/// `mallopt`); should glibc refuse a setting, nothing changes.
#[cfg(target_env = "gnu")]
pub fn reuse_freed_memory() {
    // SAFETY: `mallopt` only sets allocator parameters; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_MAX, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
    }
}

// SAFETY: every call goes to `System` with the same arguments; `advise`
// only gives the kernel a hint about the block returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        advise(moved, new_size);
        moved
    }
}

#[cfg(test)]
mod tests {
    /// Large blocks keep their contents through growth and zeroed ones
    /// start at zero (the tests run with this allocator too: it is the
    /// binary's global allocator).
    #[test]
    fn large_blocks_hold_their_contents() {
        let mut column: Vec<u64> = (0..(3 << 20)).collect();
        column.extend(3 << 20..5 << 20);
        assert!(column.iter().enumerate().all(|(i, &v)| v == i as u64));
        let zeros = vec![0u8; 40 << 20];
        assert!(zeros.iter().all(|&b| b == 0));
        let text = "x".repeat(9 << 20);
        assert_eq!(text.len(), 9 << 20);
    }
}
