//! Thread priority for work that should only fill idle cores.

/// Gives the calling thread the lowest priority (nice 19): it then runs on
/// a core the other threads leave idle instead of taking turns with them.
/// Linux only, where each thread has a nice value of its own; elsewhere,
/// or should the kernel refuse, the thread keeps its priority.
pub fn lowest() {
    // SAFETY: `setpriority` with PRIO_PROCESS and 0 sets the calling
    // thread's nice value and touches no memory.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}
